/*
 * srv_config.c: the content server's settings table, the file and the
 * command line (see srv_config.h).
 */
#include "srv_config.h"

#include <getopt.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "taulu_datadir.h"
#include "srv_addr.h"
#include "taulu_err.h"
#include "taulu_log.h"

/* Indexed by taulu_log level, so the enum's index is the level itself. */
static const char *const log_words[] = {"emerg", "alert",   "crit",
                                        "err",   "warning", "notice",
                                        "info",  "debug",   NULL};

const char *const srv_config_smtp_tls[] = {"starttls", "tls", "none", NULL};
/* secure_cookies: auto, then true/false and the synonyms the boolean
 * setting it once was also took. srv_config_secure_mode() folds them. */
static const char *const secure_words[] = {"auto", "true", "false", "yes",
                                           "no",   "on",   "off",   NULL};

#define S struct srv_config
static const struct taulu_config_setting settings[] = {
    TAULU_CONFIG_STRING("db", S, db_path, "",
                        "SQLite database file, created if missing, or "
                        "postgresql:<libpq conninfo> for several server "
                        "instances on one PostgreSQL database (keep a "
                        "password in ~/.pgpass, not here). Empty: "
                        "<data_dir>/infotaulu.db; one of the two is "
                        "required."),
    TAULU_CONFIG_STRING("listen", S, listen_addr, "127.0.0.1",
                        "Numeric IPv4 or IPv6 address to listen on."),
    TAULU_CONFIG_INT("port", S, port, "8080", 0, 65535,
                     "TCP port; 0: any free one (see port_file)."),
    TAULU_CONFIG_STRING("port_file", S, port_file, "",
                        "Write the bound port to this file. Empty: don't."),
    TAULU_CONFIG_STRING("web_root", S, web_root, "",
                        "Folder of the web UI's static files. Empty: the "
                        "installed web UI,\n<datadir>/infotaulu/web (see "
                        "--help); the server warns at start if\nit is "
                        "missing."),
    TAULU_CONFIG_INT("threads", S, threads, "0", 0, 256,
                     "HTTP worker threads, 4..256; 0: two per core (at "
                     "least 4)."),
    TAULU_CONFIG_ENUM("secure_cookies", S, secure_cookies, "auto", secure_words,
                      "Mark cookies Secure and send Strict-Transport-"
                      "Security: true, false, or auto:\non when public_url "
                      "is https:// or listen is not a loopback address,\n"
                      "else for requests a trusted_proxy says came over "
                      "https."),
    TAULU_CONFIG_ENUM("log_level", S, log_level, "info", log_words,
                      "Least important log lines still written: err, "
                      "warning, notice, info or debug. SIGHUP applies a "
                      "change."),
    TAULU_CONFIG_INT("session_ttl", S, session_ttl, "43200", 300, 604800,
                     "Seconds a login session lives."),
    TAULU_CONFIG_INT("max_json", S, max_json, "65536", 1024, 1048576,
                     "Largest JSON request body in bytes."),
    TAULU_CONFIG_INT("timeout", S, conn_timeout, "30", 1, 600,
                     "Seconds an idle connection is kept open."),
    TAULU_CONFIG_INT("login_max_failures", S, login_max_failures, "5", 1, 1000,
                     "Failed logins per account before backoff. SIGHUP "
                     "applies a change."),
    TAULU_CONFIG_INT("ip_max_failures", S, ip_max_failures, "20", 1, 100000,
                     "Failed logins per client address before backoff. "
                     "SIGHUP applies a change."),
    TAULU_CONFIG_STRING("trusted_proxy", S, trusted_proxy, "",
                        "Numeric addresses of reverse proxies (comma-"
                        "separated, at most 8) whose X-Forwarded-For\nand "
                        "X-Forwarded-Proto are believed; they have no "
                        "per-address connection limit. Empty: none."),
    TAULU_CONFIG_INT("max_connections", S, max_connections, "0", 0, 65536,
                     "Client connections at once; 0: as many as the "
                     "descriptor limit and an eighth of the memory\nallow "
                     "(at most 16384)."),
    TAULU_CONFIG_INT("max_per_address", S, max_per_address, "128", 1, 65536,
                     "Connections at once from one address (IPv6: one /64) "
                     "that have not yet shown a valid\ntoken or session."),
    TAULU_CONFIG_INT("header_timeout", S, header_timeout, "10", 1, 300,
                     "Seconds a client has to send a request's whole head, "
                     "however slowly the bytes come\n(also how long a kept-"
                     "alive connection may wait for its next request)."),
    TAULU_CONFIG_INT("body_timeout", S, body_timeout, "30", 1, 3600,
                     "Seconds a client has to send a request body or take "
                     "an answer, plus 1 s for every\n32 KiB of it."),
    TAULU_CONFIG_STRING("font_dir", S, font_dir, "",
                        "Fonts of the fit check and previews. Empty: the "
                        "installed ones,\n<datadir>/infotaulu/fonts (see "
                        "--help)."),
    TAULU_CONFIG_INT("max_previews", S, max_previews, "2", 1, 64,
                     "Previews drawn at once, server-wide."),
    TAULU_CONFIG_INT("image_decodes", S, image_decodes, "2", 1, 64,
                     "Uploaded images decoded at once, server-wide; others "
                     "wait up to 2 s, then get 503."),
    TAULU_CONFIG_INT("image_memory", S, image_memory, "256", 64, 16384,
                     "MiB the image decodes may hold together, counted from "
                     "each image's header before it\nis decoded; an image "
                     "that alone needs more is refused (422)."),
    TAULU_CONFIG_STRING("data_dir", S, data_dir, "",
                        "Assets, keys and secrets; publishing is on when "
                        "set."),
    TAULU_CONFIG_STRING("sign_key", S, sign_key, "",
                        "Manifest signing key. Empty: "
                        "<data_dir>/keys/server.key."),
    TAULU_CONFIG_STRING("public_url", S, public_url, "",
                        "Base URL the screens use (for player configs), "
                        "e.g. https://infotaulu.example.fi."),
    TAULU_CONFIG_STRING("mqtt_host", S, mqtt_host, "",
                        "MQTT broker host. Empty: no MQTT, the screens "
                        "poll."),
    TAULU_CONFIG_INT("mqtt_port", S, mqtt_port, "1883", 1, 65535,
                     "MQTT broker TCP port."),
    TAULU_CONFIG_STRING("mqtt_user", S, mqtt_user, "infotaulu-server",
                        "The server's MQTT user name."),
    TAULU_CONFIG_STRING("mqtt_password_file", S, mqtt_password_file, "",
                        "File with the server's MQTT password (created "
                        "0600 if missing)."),
    TAULU_CONFIG_STRING("mqtt_prefix", S, mqtt_prefix, "infotaulu",
                        "Topic prefix: <prefix>/v1/screens/<id>/..."),
    TAULU_CONFIG_STRING("mqtt_cafile", S, mqtt_cafile, "",
                        "CA file for TLS to the broker. Empty: plain TCP."),
    TAULU_CONFIG_STRING("public_mqtt_host", S, public_mqtt_host, "",
                        "The broker's host name as the screens reach it "
                        "(given to them at\nenrolment). Empty: mqtt_host "
                        "and mqtt_port, with TLS when mqtt_cafile is\nset."),
    TAULU_CONFIG_INT("public_mqtt_port", S, public_mqtt_port, "8883", 1, 65535,
                     "The broker's port for the screens (its TLS "
                     "listener)."),
    TAULU_CONFIG_BOOL("public_mqtt_tls", S, public_mqtt_tls, "true",
                      "The screens connect to public_mqtt_host over TLS "
                      "and check its\ncertificate (false only for a broker "
                      "on a trusted network)."),
    TAULU_CONFIG_STRING("public_mqtt_cafile", S, public_mqtt_cafile, "",
                        "PEM file of the CA that signed the broker's "
                        "certificate, given to the\nscreens at enrolment. "
                        "Empty: the screens trust their system's CAs."),
    TAULU_CONFIG_STRING("broker_passwd", S, broker_passwd, "",
                        "Write Mosquitto's password file here. Empty: "
                        "don't."),
    TAULU_CONFIG_STRING("broker_acl", S, broker_acl, "",
                        "Write Mosquitto's ACL file here. Empty: don't."),
    TAULU_CONFIG_STRING("broker_pid_file", S, broker_pid_file, "",
                        "Send SIGHUP to the pid in this file after writing "
                        "the broker's files."),
    TAULU_CONFIG_STRING("smtp_url", S, smtp_url, "",
                        "SMTP server for e-mail, smtp://host:port (or "
                        "smtps://host:port with\nsmtp_tls = tls). Empty: no "
                        "e-mail; messages wait in the queue."),
    TAULU_CONFIG_ENUM("smtp_tls", S, smtp_tls, "starttls", srv_config_smtp_tls,
                      "TLS to the SMTP server: starttls (required), tls "
                      "(implicit) or none\n(only for a relay on this "
                      "machine)."),
    TAULU_CONFIG_STRING("smtp_cafile", S, smtp_cafile, "",
                        "CA file the SMTP server's certificate is checked "
                        "against. Empty: the\nsystem's CAs."),
    TAULU_CONFIG_STRING("smtp_credentials_file", S, smtp_credentials_file, "",
                        "File with the SMTP user name on its first line and "
                        "the password on\nthe second (chmod 600). Empty: no "
                        "login."),
    TAULU_CONFIG_STRING("mail_from", S, mail_from, "",
                        "The address e-mail is sent from, e.g. "
                        "infotaulu@pohde.fi."),
    TAULU_CONFIG_STRING("mail_from_name", S, mail_from_name, "Infotaulu",
                        "The sender's name in e-mail."),
    TAULU_CONFIG_INT("mail_queue_max", S, mail_queue_max, "10000", 10, 1000000,
                     "Messages waiting to be sent at most."),
    TAULU_CONFIG_INT("mail_max_attempts", S, mail_max_attempts, "12", 1, 100,
                     "Tries of one message before it is given up."),
    TAULU_CONFIG_INT("mail_retry", S, mail_retry, "60", 1, 3600,
                     "Seconds before a failed message is tried again (then "
                     "twice that, and so\non, at most an hour)."),
    TAULU_CONFIG_INT("notify_delay", S, notify_delay, "600", 0, 86400,
                     "Seconds a contact person's \"waiting\" message waits "
                     "after the first new\nitem, so that items sent together "
                     "are one message."),
    TAULU_CONFIG_INT("notify_interval", S, notify_interval, "10800", 1, 604800,
                     "At most one \"waiting\" message per contact person in "
                     "this many seconds."),
    TAULU_CONFIG_INT("invite_ttl", S, invite_ttl, "604800", 3600, 2592000,
                     "Seconds an invitation's set-password link works."),
    TAULU_CONFIG_INT("reset_ttl", S, reset_ttl, "3600", 300, 86400,
                     "Seconds a password reset link works."),
    TAULU_CONFIG_INT("reset_max_requests", S, reset_max_requests, "3", 1, 100,
                     "Password resets asked for one address before backoff "
                     "(per client\naddress: 10 times as many). SIGHUP "
                     "applies a change."),
    TAULU_CONFIG_INT("import_timeout", S, import_timeout, "30", 2, 300,
                     "Seconds one fetch of an import source may take "
                     "(connection and answer)."),
    TAULU_CONFIG_INT("import_max_bytes", S, import_max_bytes, "4194304", 65536,
                     67108864,
                     "Largest answer of an import source (a feed, a page) in "
                     "bytes, counted\nafter decompression."),
};
#undef S

const struct taulu_config_table srv_config_table = {
    .title = "Infotaulu content server",
    .obj_size = sizeof(struct srv_config),
    .settings = settings,
    .count = sizeof settings / sizeof settings[0],
};

/* getopt values: table-backed options carry OPT_SETTING (or
 * OPT_SETTING_FLAG for one without an argument) and are found by name. */
enum {
    OPT_SETTING = 256,
    OPT_SETTING_FLAG,
    OPT_SETTING_OPTARG,
    OPT_LOG_LEVEL,
    OPT_CONFIG,
    OPT_CHECK,
    OPT_EXAMPLE,
    OPT_CREATE_COORD,
    OPT_NAME,
    OPT_HELP,
    OPT_DEMO,
    OPT_PLAYER_OUT,
    OPT_INIT_KEYS,
};

static const struct option options[] = {
    {"db", required_argument, NULL, OPT_SETTING},
    {"listen", required_argument, NULL, OPT_SETTING},
    {"port", required_argument, NULL, OPT_SETTING},
    {"port-file", required_argument, NULL, OPT_SETTING},
    {"web-root", required_argument, NULL, OPT_SETTING},
    {"threads", required_argument, NULL, OPT_SETTING},
    {"secure-cookies", optional_argument, NULL, OPT_SETTING_OPTARG},
    {"log-level", required_argument, NULL, OPT_LOG_LEVEL},
    {"session-ttl", required_argument, NULL, OPT_SETTING},
    {"max-json", required_argument, NULL, OPT_SETTING},
    {"timeout", required_argument, NULL, OPT_SETTING},
    {"login-max-failures", required_argument, NULL, OPT_SETTING},
    {"ip-max-failures", required_argument, NULL, OPT_SETTING},
    {"trusted-proxy", required_argument, NULL, OPT_SETTING},
    {"max-connections", required_argument, NULL, OPT_SETTING},
    {"max-per-address", required_argument, NULL, OPT_SETTING},
    {"header-timeout", required_argument, NULL, OPT_SETTING},
    {"body-timeout", required_argument, NULL, OPT_SETTING},
    {"font-dir", required_argument, NULL, OPT_SETTING},
    {"max-previews", required_argument, NULL, OPT_SETTING},
    {"image-decodes", required_argument, NULL, OPT_SETTING},
    {"image-memory", required_argument, NULL, OPT_SETTING},
    {"data-dir", required_argument, NULL, OPT_SETTING},
    {"sign-key", required_argument, NULL, OPT_SETTING},
    {"public-url", required_argument, NULL, OPT_SETTING},
    {"mqtt-host", required_argument, NULL, OPT_SETTING},
    {"mqtt-port", required_argument, NULL, OPT_SETTING},
    {"mqtt-user", required_argument, NULL, OPT_SETTING},
    {"mqtt-password-file", required_argument, NULL, OPT_SETTING},
    {"mqtt-prefix", required_argument, NULL, OPT_SETTING},
    {"mqtt-cafile", required_argument, NULL, OPT_SETTING},
    {"public-mqtt-host", required_argument, NULL, OPT_SETTING},
    {"public-mqtt-port", required_argument, NULL, OPT_SETTING},
    {"public-mqtt-tls", required_argument, NULL, OPT_SETTING},
    {"public-mqtt-cafile", required_argument, NULL, OPT_SETTING},
    {"broker-passwd", required_argument, NULL, OPT_SETTING},
    {"broker-acl", required_argument, NULL, OPT_SETTING},
    {"broker-pid-file", required_argument, NULL, OPT_SETTING},
    {"smtp-url", required_argument, NULL, OPT_SETTING},
    {"smtp-tls", required_argument, NULL, OPT_SETTING},
    {"smtp-cafile", required_argument, NULL, OPT_SETTING},
    {"smtp-credentials-file", required_argument, NULL, OPT_SETTING},
    {"mail-from", required_argument, NULL, OPT_SETTING},
    {"mail-from-name", required_argument, NULL, OPT_SETTING},
    {"mail-queue-max", required_argument, NULL, OPT_SETTING},
    {"mail-max-attempts", required_argument, NULL, OPT_SETTING},
    {"mail-retry", required_argument, NULL, OPT_SETTING},
    {"notify-delay", required_argument, NULL, OPT_SETTING},
    {"notify-interval", required_argument, NULL, OPT_SETTING},
    {"invite-ttl", required_argument, NULL, OPT_SETTING},
    {"reset-ttl", required_argument, NULL, OPT_SETTING},
    {"reset-max-requests", required_argument, NULL, OPT_SETTING},
    {"import-timeout", required_argument, NULL, OPT_SETTING},
    {"import-max-bytes", required_argument, NULL, OPT_SETTING},
    {"config", required_argument, NULL, OPT_CONFIG},
    {"check-config", no_argument, NULL, OPT_CHECK},
    {"print-example-config", no_argument, NULL, OPT_EXAMPLE},
    {"create-coordinator", required_argument, NULL, OPT_CREATE_COORD},
    {"name", required_argument, NULL, OPT_NAME},
    {"help", no_argument, NULL, OPT_HELP},
    {"demo", no_argument, NULL, OPT_DEMO},
    {"seed-demo", no_argument, NULL, OPT_DEMO},
    {"player-config-out", required_argument, NULL, OPT_PLAYER_OUT},
    {"init-keys", required_argument, NULL, OPT_INIT_KEYS},
    {NULL, 0, NULL, 0},
};

void srv_config_usage(FILE *out, const char *prog)
{
    fprintf(out,
            "usage: %s --db FILE [options]\n"
            "  --config FILE          settings file "
            "(default " SRV_CONFIG_DEFAULT_PATH ";\n"
            "                         that one may be missing); its keys "
            "are the\n"
            "                         options below with '_' for '-'; "
            "options win\n"
            "  --check-config         check the file and options, print the "
            "settings, exit\n"
            "  --print-example-config print a commented file of the "
            "defaults, exit\n"
            "  --db FILE|postgresql:CONNINFO\n"
            "                         SQLite file (created if missing) or a\n"
            "                         PostgreSQL database (several instances)\n"
            "  --listen ADDR          numeric address to bind "
            "(default 127.0.0.1)\n"
            "  --port N               TCP port, 0 = any free one "
            "(default 8080)\n"
            "  --port-file FILE       write the bound port to FILE\n"
            "  --web-root DIR         the web UI's static files (default\n"
            "                         %s/web)\n"
            "  --threads N            HTTP worker threads, 4..256 "
            "(default 2 x cores)\n"
            "  --secure-cookies[=W]   Secure cookies and HSTS: auto "
            "(default), true, false\n"
            "  --log-level L          err|warning|notice|info|debug\n"
            "  --session-ttl S        session lifetime in seconds, "
            "300..604800 (default 43200)\n"
            "  --max-json BYTES       largest JSON body, 1024..1048576 "
            "(default 65536)\n"
            "  --timeout S            idle connection timeout, 1..600 "
            "(default 30)\n"
            "  --login-max-failures N failures per account before "
            "backoff (default 5)\n"
            "  --ip-max-failures N    failures per address before "
            "backoff (default 20)\n"
            "  --trusted-proxy ADDRS  reverse proxies believed about "
            "X-Forwarded-For\n"
            "  --max-connections N    client connections at once "
            "(default 0: as many as fit)\n"
            "  --max-per-address N    connections per address before "
            "sign-in (default 128)\n"
            "  --header-timeout S     seconds to send a request head "
            "(default 10)\n"
            "  --body-timeout S       seconds for a body or answer, "
            "+1 s per 32 KiB (default 30)\n"
            "  --create-coordinator EMAIL  create a coordinator account; "
            "the password\n"
            "                         is read from stdin (a new one is "
            "generated and\n"
            "                         printed once if stdin is empty)\n"
            "  --name NAME            display name for "
            "--create-coordinator\n"
            "  --font-dir DIR         fonts of the fit check and previews "
            "(default\n"
            "                         %s/fonts)\n"
            "  --max-previews N       previews drawn at once, 1..64 "
            "(default 2)\n"
            "  --image-decodes N      uploads decoded at once, 1..64 "
            "(default 2)\n"
            "  --image-memory MIB     memory those decodes may hold "
            "(default 256)\n",
            prog, taulu_datadir_installed(), taulu_datadir_installed());
    fputs("publishing:\n"
          "  --data-dir DIR         assets, keys and secrets; with it "
          "--db defaults\n"
          "                         to DIR/infotaulu.db\n"
          "  --sign-key FILE        manifest signing key "
          "(default DIR/keys/server.key)\n"
          "  --init-keys DIR        create DIR/server.key (0600) and "
          "DIR/server.pub, exit\n"
          "  --public-url URL       base URL the screens use "
          "(for player configs)\n"
          "  --mqtt-host HOST       broker ('' = no MQTT, screens poll)\n"
          "  --mqtt-port N          broker port (default 1883)\n"
          "  --mqtt-user NAME       the server's MQTT user "
          "(default infotaulu-server)\n"
          "  --mqtt-password-file F its password (created 0600 if "
          "missing)\n"
          "  --mqtt-prefix P        topic prefix (default infotaulu)\n"
          "  --mqtt-cafile FILE     TLS to the broker with this CA\n"
          "  --public-mqtt-host H   the broker as the screens reach it\n"
          "  --public-mqtt-port N   its TLS port (default 8883)\n"
          "  --public-mqtt-tls B    screens use TLS (default true)\n"
          "  --public-mqtt-cafile F the broker's CA, given to screens\n"
          "  --broker-passwd FILE   write Mosquitto's password file here\n"
          "  --broker-acl FILE      write Mosquitto's ACL file here\n"
          "  --broker-pid-file FILE SIGHUP this pid after writing them\n"
          "e-mail:\n"
          "  --smtp-url URL         smtp://host:port ('' = no e-mail)\n"
          "  --smtp-tls MODE        starttls (default), tls or none\n"
          "  --smtp-cafile FILE     CA of the SMTP server's certificate\n"
          "  --smtp-credentials-file F  user and password, one a line\n"
          "  --mail-from ADDR       the sender's address\n"
          "  --mail-from-name NAME  the sender's name (default "
          "Infotaulu)\n"
          "  --mail-queue-max N     messages waiting at most "
          "(default 10000)\n"
          "  --mail-max-attempts N  tries of one message (default 12)\n"
          "  --mail-retry S         seconds before the first retry "
          "(default 60)\n"
          "  --notify-delay S       a digest gathers this long "
          "(default 600)\n"
          "  --notify-interval S    one digest per contact per S at most "
          "(default 10800)\n"
          "  --invite-ttl S         invitation links work S seconds "
          "(default 7 days)\n"
          "  --reset-ttl S          reset links work S seconds "
          "(default 3600)\n"
          "  --reset-max-requests N resets per address before backoff "
          "(default 3)\n"
          "  --import-timeout S     one fetch of an import source "
          "(default 30)\n"
          "  --import-max-bytes N   one answer of an import source "
          "(default 4 MiB)\n"
          "  --demo, --seed-demo    fill an empty database with demo "
          "content\n"
          "  --player-config-out DIR  with --demo: one player config "
          "per screen\n",
          out);
}

const char *srv_config_level_name(int level)
{
    return level >= 0 &&
                   level < (int)(sizeof log_words / sizeof log_words[0]) - 1
               ? log_words[level]
               : "?";
}

/* A command-line-only string option. */
static int copy_str(char *dst, size_t size, const char *src, const char *opt,
                    struct taulu_buf *errors)
{
    size_t n = strlen(src);

    if (n >= size) {
        taulu_buf_appendf(errors, "--%s: value too long (at most %zu bytes)\n",
                          opt, size - 1);
        return TAULU_ECONFIG;
    }
    memcpy(dst, src, n + 1);
    return 0;
}

/* A table-backed option seen on the command line: applied after the file. */
struct override {
    char key[TAULU_CONFIG_MAX_NAME + 1];
    char where[TAULU_CONFIG_MAX_NAME + 3]; /* "--" + the option */
    const char *value;
};

static int add_override(struct override *ov, size_t *n, size_t cap,
                        const char *opt, const char *value,
                        struct taulu_buf *errors)
{
    size_t len = strlen(opt), i;

    if (*n >= cap) {
        taulu_buf_appendf(errors, "--%s: too many options\n", opt);
        return TAULU_ECONFIG;
    }
    if (len > TAULU_CONFIG_MAX_NAME) {
        return TAULU_EINVAL; /* cannot happen: the names are ours */
    }
    for (i = 0; i < len; i++) {
        ov[*n].key[i] = opt[i] == '-' ? '_' : opt[i];
    }
    ov[*n].key[len] = '\0';
    ov[*n].where[0] = '-';
    ov[*n].where[1] = '-';
    memcpy(ov[*n].where + 2, opt, len + 1);
    ov[*n].value = value;
    (*n)++;
    return 0;
}

#define MAX_OVERRIDES 128

int srv_config_parse(struct srv_config *cfg, int argc, char **argv,
                     struct taulu_buf *errors)
{
    struct override ov[MAX_OVERRIDES];
    size_t n_ov = 0, i, before;
    bool path_given = false, help = false;
    int c, idx, rc, bad = 0;

    memset(cfg, 0, sizeof(*cfg));
    memcpy(cfg->config_path, SRV_CONFIG_DEFAULT_PATH,
           sizeof(SRV_CONFIG_DEFAULT_PATH));

    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", options, &idx)) != -1) {
        const char *name = c >= OPT_SETTING ? options[idx].name : "?";
        rc = 0;
        switch (c) {
        case OPT_SETTING:
            rc = add_override(ov, &n_ov, MAX_OVERRIDES, name, optarg, errors);
            break;
        case OPT_SETTING_FLAG:
            rc = add_override(ov, &n_ov, MAX_OVERRIDES, name, "true", errors);
            break;
        case OPT_SETTING_OPTARG:
            /* --secure-cookies alone is "true", as when it was a flag;
             * --secure-cookies=auto|false names the value. */
            rc = add_override(ov, &n_ov, MAX_OVERRIDES, name,
                              optarg ? optarg : "true", errors);
            break;
        case OPT_LOG_LEVEL: {
            /* The command line has always taken syslog's aliases and
             * numbers too (error, warn, 0..7): pass on the level's word. */
            int level = taulu_log_level_from_name(optarg);
            rc = add_override(ov, &n_ov, MAX_OVERRIDES, name,
                              level >= 0 ? log_words[level] : optarg, errors);
            break;
        }
        case OPT_CONFIG:
            rc = copy_str(cfg->config_path, sizeof(cfg->config_path), optarg,
                          name, errors);
            path_given = true;
            break;
        case OPT_CHECK:
            cfg->check_config = true;
            break;
        case OPT_EXAMPLE:
            cfg->print_example = true;
            break;
        case OPT_CREATE_COORD:
            rc =
                copy_str(cfg->create_coordinator,
                         sizeof(cfg->create_coordinator), optarg, name, errors);
            break;
        case OPT_NAME:
            rc = copy_str(cfg->coordinator_name, sizeof(cfg->coordinator_name),
                          optarg, name, errors);
            break;
        case OPT_PLAYER_OUT:
            rc = copy_str(cfg->player_config_out,
                          sizeof(cfg->player_config_out), optarg, name, errors);
            break;
        case OPT_INIT_KEYS:
            rc = copy_str(cfg->init_keys, sizeof(cfg->init_keys), optarg, name,
                          errors);
            break;
        case OPT_DEMO:
            cfg->demo = true;
            break;
        case OPT_HELP:
            help = true;
            break;
        default:
            taulu_buf_appendf(errors,
                              "command line: unknown or incomplete option "
                              "\"%s\"\n",
                              optind > 1 && optind - 1 < argc ? argv[optind - 1]
                                                              : "?");
            rc = TAULU_ECONFIG;
            break;
        }
        if (rc) {
            bad = 1;
        }
    }
    if (optind < argc) {
        taulu_buf_appendf(errors, "command line: unexpected argument \"%s\"\n",
                          argv[optind]);
        bad = 1;
    }
    if (help) {
        srv_config_usage(stdout, argv[0]);
        return 1;
    }
    rc = taulu_config_defaults(&srv_config_table, cfg);
    if (rc < 0) {
        taulu_config_check_table(&srv_config_table, errors);
        return TAULU_ECONFIG;
    }
    if (cfg->print_example && !bad) {
        struct taulu_buf ex;

        taulu_buf_init(&ex, 256 * 1024);
        rc = taulu_config_write_example(&srv_config_table, &ex);
        if (rc == 0) {
            fputs(ex.data, stdout);
        }
        taulu_buf_release(&ex);
        if (rc < 0) {
            taulu_buf_appendf(errors, "cannot write the example: %s\n",
                              taulu_strerror(rc));
            return TAULU_ECONFIG;
        }
        return 1;
    }

    before = errors ? errors->len : 0;
    rc = taulu_config_load_file(&srv_config_table, cfg, cfg->config_path,
                                errors);
    if (rc == 0) {
        cfg->config_read = true;
    } else if (rc == TAULU_ENOTFOUND && !path_given) {
        /* No file in /etc: options and defaults only, as before there was
         * a file. The reader's message is no error then. */
        if (errors) {
            taulu_buf_truncate(errors, before);
        }
    } else {
        bad = 1;
    }
    for (i = 0; i < n_ov; i++) {
        if (taulu_config_set(&srv_config_table, cfg, ov[i].key, ov[i].value,
                             ov[i].where, errors) < 0) {
            bad = 1;
        }
    }

    /* Checks between settings, and what empty values stand for. */
    if (cfg->threads > 0 && cfg->threads < 4) {
        taulu_buf_appendf(errors,
                          "threads: %lld is too few (0 = automatic, or "
                          "4..256)\n",
                          cfg->threads);
        bad = 1;
    }
    {
        struct srv_addr proxies[SRV_ADDR_MAX_PROXY];
        size_t n;
        if (srv_addr_list_parse(cfg->trusted_proxy, proxies, &n) != 0) {
            taulu_buf_appendf(errors,
                              "trusted_proxy: \"%s\" is not a list of at "
                              "most %d numeric addresses\n",
                              cfg->trusted_proxy, SRV_ADDR_MAX_PROXY);
            bad = 1;
        }
    }
    if (!cfg->db_path[0] && cfg->data_dir[0]) {
        int n = snprintf(cfg->db_path, sizeof(cfg->db_path), "%s/infotaulu.db",
                         cfg->data_dir);
        if (n < 0 || (size_t)n >= sizeof(cfg->db_path)) {
            taulu_buf_appendf(errors, "data_dir: path too long\n");
            cfg->db_path[0] = '\0';
            bad = 1;
        }
    }
    if (!cfg->db_path[0] && !cfg->init_keys[0] && !bad) {
        taulu_buf_appendf(errors, "db (or data_dir) is required: --db FILE, "
                                  "or db = FILE in the config file\n");
        bad = 1;
    }
    /* Empty web_root and font_dir: the shipped data (taulu_datadir.h).
     * A missing folder is no error here: the fonts' absence stops the
     * start with a message, the web UI's only warns (srv_main.c). */
    if (!cfg->font_dir[0] &&
        taulu_datadir_find(TAULU_DATA_FONTS, cfg->font_dir,
                           sizeof(cfg->font_dir)) == TAULU_ELIMIT) {
        taulu_buf_appendf(errors, "font_dir: the default path is too long\n");
        bad = 1;
    }
    if (!cfg->web_root[0]) {
        cfg->web_root_default = true;
        if (taulu_datadir_find(TAULU_DATA_WEB, cfg->web_root,
                               sizeof(cfg->web_root)) == TAULU_ELIMIT) {
            taulu_buf_appendf(errors,
                              "web_root: the default path is too long\n");
            bad = 1;
        }
    }
    return bad ? TAULU_ECONFIG : 0;
}

int srv_config_load(struct srv_config *cfg, int argc, char **argv, FILE *err)
{
    struct taulu_buf errors;
    int rc;

    taulu_buf_init(&errors, 64 * 1024);
    rc = srv_config_parse(cfg, argc, argv, &errors);
    if (errors.len) {
        fputs(errors.data, err);
    }
    taulu_buf_release(&errors);
    return rc;
}

size_t srv_config_changed(const struct srv_config *a,
                          const struct srv_config *b, const char **names,
                          size_t cap)
{
    const unsigned char *pa = (const unsigned char *)a;
    const unsigned char *pb = (const unsigned char *)b;
    size_t i, n = 0;

    for (i = 0; i < srv_config_table.count; i++) {
        const struct taulu_config_setting *s = &srv_config_table.settings[i];
        bool differ;

        if (s->type == TAULU_CONFIG_TYPE_STRING) {
            differ = strncmp((const char *)pa + s->offset,
                             (const char *)pb + s->offset, s->size) != 0;
        } else if (s->type == TAULU_CONFIG_TYPE_BOOL) {
            differ = *(const bool *)(const void *)(pa + s->offset) !=
                     *(const bool *)(const void *)(pb + s->offset);
        } else {
            differ = memcmp(pa + s->offset, pb + s->offset, s->size) != 0;
        }
        if (differ) {
            if (n < cap) {
                names[n] = s->name;
            }
            n++;
        }
    }
    return n;
}

enum srv_secure_mode srv_config_secure_mode(const struct srv_config *cfg)
{
    /* secure_words: auto, then true/false pairs */
    if (cfg->secure_cookies <= 0) {
        return SRV_SECURE_AUTO;
    }
    return cfg->secure_cookies % 2 ? SRV_SECURE_ON : SRV_SECURE_OFF;
}

void srv_config_secure(const struct srv_config *cfg, bool *always,
                       bool *via_proxy, const char **why)
{
    struct srv_addr listen;

    *always = false;
    *via_proxy = false;
    switch (srv_config_secure_mode(cfg)) {
    case SRV_SECURE_ON:
        *always = true;
        *why = "secure_cookies = true";
        return;
    case SRV_SECURE_OFF:
        *why = "secure_cookies = false";
        return;
    case SRV_SECURE_AUTO:
        break;
    }
    if (strncasecmp(cfg->public_url, "https://", 8) == 0) {
        *always = true;
        *why = "public_url is https";
        return;
    }
    if (srv_addr_parse(cfg->listen_addr, &listen) != 0 ||
        !srv_addr_is_loopback(&listen)) {
        *always = true;
        *why = "listen is not a loopback address";
        return;
    }
    *via_proxy = true;
    *why = "loopback and no https public_url: only when a trusted_proxy "
           "says https";
}
