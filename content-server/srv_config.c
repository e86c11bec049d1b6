/*
 * srv_config.c: settings from the command line (see srv_config.h).
 */
#include "srv_config.h"

#include <errno.h>
#include <unistd.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "taulu_err.h"
#include "taulu_log.h"

enum {
    OPT_DB = 256,
    OPT_LISTEN,
    OPT_PORT,
    OPT_PORT_FILE,
    OPT_WEB_ROOT,
    OPT_THREADS,
    OPT_SECURE,
    OPT_LOG_LEVEL,
    OPT_SESSION_TTL,
    OPT_MAX_JSON,
    OPT_TIMEOUT,
    OPT_LOGIN_FAIL,
    OPT_IP_FAIL,
    OPT_CHECK,
    OPT_CREATE_COORD,
    OPT_NAME,
    OPT_FONT_DIR,
    OPT_MAX_PREVIEWS,
    OPT_HELP,
    OPT_DATA_DIR,
    OPT_SIGN_KEY,
    OPT_PUBLIC_URL,
    OPT_MQTT_HOST,
    OPT_MQTT_PORT,
    OPT_MQTT_USER,
    OPT_MQTT_PWFILE,
    OPT_MQTT_PREFIX,
    OPT_MQTT_CAFILE,
    OPT_BROKER_PASSWD,
    OPT_BROKER_ACL,
    OPT_BROKER_PID,
    OPT_DEMO,
    OPT_PLAYER_OUT,
    OPT_INIT_KEYS,
};

static const struct option options[] = {
    {"db", required_argument, NULL, OPT_DB},
    {"listen", required_argument, NULL, OPT_LISTEN},
    {"port", required_argument, NULL, OPT_PORT},
    {"port-file", required_argument, NULL, OPT_PORT_FILE},
    {"web-root", required_argument, NULL, OPT_WEB_ROOT},
    {"threads", required_argument, NULL, OPT_THREADS},
    {"secure-cookies", no_argument, NULL, OPT_SECURE},
    {"log-level", required_argument, NULL, OPT_LOG_LEVEL},
    {"session-ttl", required_argument, NULL, OPT_SESSION_TTL},
    {"max-json", required_argument, NULL, OPT_MAX_JSON},
    {"timeout", required_argument, NULL, OPT_TIMEOUT},
    {"login-max-failures", required_argument, NULL, OPT_LOGIN_FAIL},
    {"ip-max-failures", required_argument, NULL, OPT_IP_FAIL},
    {"check-config", no_argument, NULL, OPT_CHECK},
    {"create-coordinator", required_argument, NULL, OPT_CREATE_COORD},
    {"name", required_argument, NULL, OPT_NAME},
    {"font-dir", required_argument, NULL, OPT_FONT_DIR},
    {"max-previews", required_argument, NULL, OPT_MAX_PREVIEWS},
    {"help", no_argument, NULL, OPT_HELP},
    {"data-dir", required_argument, NULL, OPT_DATA_DIR},
    {"sign-key", required_argument, NULL, OPT_SIGN_KEY},
    {"public-url", required_argument, NULL, OPT_PUBLIC_URL},
    {"mqtt-host", required_argument, NULL, OPT_MQTT_HOST},
    {"mqtt-port", required_argument, NULL, OPT_MQTT_PORT},
    {"mqtt-user", required_argument, NULL, OPT_MQTT_USER},
    {"mqtt-password-file", required_argument, NULL, OPT_MQTT_PWFILE},
    {"mqtt-prefix", required_argument, NULL, OPT_MQTT_PREFIX},
    {"mqtt-cafile", required_argument, NULL, OPT_MQTT_CAFILE},
    {"broker-passwd", required_argument, NULL, OPT_BROKER_PASSWD},
    {"broker-acl", required_argument, NULL, OPT_BROKER_ACL},
    {"broker-pid-file", required_argument, NULL, OPT_BROKER_PID},
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
            "  --db FILE              SQLite database (created if missing)\n"
            "  --listen ADDR          numeric address to bind "
            "(default 127.0.0.1)\n"
            "  --port N               TCP port, 0 = any free one "
            "(default 8080)\n"
            "  --port-file FILE       write the bound port to FILE\n"
            "  --web-root DIR         serve the web UI's static files\n"
            "  --threads N            HTTP worker threads, 4..256 "
            "(default 2 x cores)\n"
            "  --secure-cookies       mark cookies Secure (behind TLS)\n"
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
            "  --check-config         validate the settings and exit\n"
            "  --create-coordinator EMAIL  create a coordinator account; "
            "the password\n"
            "                         is read from stdin (a new one is "
            "generated and\n"
            "                         printed once if stdin is empty)\n"
            "  --name NAME            display name for "
            "--create-coordinator\n"
            "publishing:\n"
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
            "  --broker-passwd FILE   write Mosquitto's password file here\n"
            "  --broker-acl FILE      write Mosquitto's ACL file here\n"
            "  --broker-pid-file FILE SIGHUP this pid after writing them\n"
            "  --demo, --seed-demo    fill an empty database with demo "
            "content\n"
            "  --player-config-out DIR  with --demo: one player config "
            "per screen\n"
            "checking and previews:\n"
            "  --font-dir DIR         fonts of the fit check and previews "
            "(default\n"
            "                         " SRV_INSTALLED_FONT_DIR ",\n"
            "                         else the source tree's fonts/)\n"
            "  --max-previews N       previews drawn at once, 1..64 "
            "(default 2)\n",
            prog);
}

static int copy_str(char *dst, size_t size, const char *src, const char *opt,
                    FILE *err)
{
    size_t n = strlen(src);

    if (n >= size) {
        fprintf(err, "--%s: value too long (at most %zu bytes)\n", opt,
                size - 1);
        return TAULU_ECONFIG;
    }
    memcpy(dst, src, n + 1);
    return 0;
}

static int parse_ulong(const char *s, unsigned long lo, unsigned long hi,
                       unsigned long *out, const char *opt, FILE *err)
{
    char *end = NULL;
    unsigned long v;

    errno = 0;
    if (!*s || *s == '-' || *s == '+') {
        goto bad;
    }
    v = strtoul(s, &end, 10);
    if (errno || *end || v < lo || v > hi) {
        goto bad;
    }
    *out = v;
    return 0;
bad:
    fprintf(err, "--%s: expected a whole number in %lu..%lu, got \"%s\"\n", opt,
            lo, hi, s);
    return TAULU_ECONFIG;
}

int srv_config_load(struct srv_config *cfg, int argc, char **argv, FILE *err)
{
    int c, rc = 0;
    unsigned long v;

    memset(cfg, 0, sizeof(*cfg));
    memcpy(cfg->listen_addr, "127.0.0.1", sizeof("127.0.0.1"));
    cfg->port = 8080;
    cfg->log_level = TAULU_LOG_INFO;
    cfg->session_ttl = 12 * 3600;
    cfg->max_json = 64 * 1024;
    cfg->conn_timeout = 30;
    cfg->login_max_failures = 5;
    cfg->ip_max_failures = 20;
    cfg->mqtt_port = 1883;
    memcpy(cfg->mqtt_user, "infotaulu-server", sizeof("infotaulu-server"));
    memcpy(cfg->mqtt_prefix, "infotaulu", sizeof("infotaulu"));
    cfg->max_previews = 2;

    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
        const char *name =
            optind > 1 && optind - 1 < argc ? argv[optind - 1] + 2 : "?";
        switch (c) {
        case OPT_DB:
            rc =
                copy_str(cfg->db_path, sizeof(cfg->db_path), optarg, "db", err);
            break;
        case OPT_LISTEN:
            rc = copy_str(cfg->listen_addr, sizeof(cfg->listen_addr), optarg,
                          "listen", err);
            break;
        case OPT_PORT:
            rc = parse_ulong(optarg, 0, 65535, &v, "port", err);
            cfg->port = (unsigned)v;
            break;
        case OPT_PORT_FILE:
            rc = copy_str(cfg->port_file, sizeof(cfg->port_file), optarg,
                          "port-file", err);
            break;
        case OPT_WEB_ROOT:
            rc = copy_str(cfg->web_root, sizeof(cfg->web_root), optarg,
                          "web-root", err);
            break;
        case OPT_THREADS:
            rc = parse_ulong(optarg, 4, 256, &v, "threads", err);
            cfg->threads = (unsigned)v;
            break;
        case OPT_SECURE:
            cfg->secure_cookies = true;
            break;
        case OPT_LOG_LEVEL:
            cfg->log_level = taulu_log_level_from_name(optarg);
            if (cfg->log_level < 0) {
                fprintf(err, "--log-level: unknown level \"%s\"\n", optarg);
                rc = TAULU_ECONFIG;
            }
            break;
        case OPT_SESSION_TTL:
            rc = parse_ulong(optarg, 300, 7 * 86400, &v, "session-ttl", err);
            cfg->session_ttl = (unsigned)v;
            break;
        case OPT_MAX_JSON:
            rc = parse_ulong(optarg, 1024, 1024 * 1024, &v, "max-json", err);
            cfg->max_json = v;
            break;
        case OPT_TIMEOUT:
            rc = parse_ulong(optarg, 1, 600, &v, "timeout", err);
            cfg->conn_timeout = (unsigned)v;
            break;
        case OPT_LOGIN_FAIL:
            rc = parse_ulong(optarg, 1, 1000, &v, "login-max-failures", err);
            cfg->login_max_failures = (unsigned)v;
            break;
        case OPT_IP_FAIL:
            rc = parse_ulong(optarg, 1, 100000, &v, "ip-max-failures", err);
            cfg->ip_max_failures = (unsigned)v;
            break;
        case OPT_CHECK:
            cfg->check_config = true;
            break;
        case OPT_CREATE_COORD:
            rc = copy_str(cfg->create_coordinator,
                          sizeof(cfg->create_coordinator), optarg,
                          "create-coordinator", err);
            break;
        case OPT_NAME:
            rc = copy_str(cfg->coordinator_name, sizeof(cfg->coordinator_name),
                          optarg, "name", err);
            break;
        case OPT_DATA_DIR:
            rc = copy_str(cfg->data_dir, sizeof(cfg->data_dir), optarg,
                          "data-dir", err);
            break;
        case OPT_SIGN_KEY:
            rc = copy_str(cfg->sign_key, sizeof(cfg->sign_key), optarg,
                          "sign-key", err);
            break;
        case OPT_PUBLIC_URL:
            rc = copy_str(cfg->public_url, sizeof(cfg->public_url), optarg,
                          "public-url", err);
            break;
        case OPT_MQTT_HOST:
            rc = copy_str(cfg->mqtt_host, sizeof(cfg->mqtt_host), optarg,
                          "mqtt-host", err);
            break;
        case OPT_MQTT_USER:
            rc = copy_str(cfg->mqtt_user, sizeof(cfg->mqtt_user), optarg,
                          "mqtt-user", err);
            break;
        case OPT_MQTT_PWFILE:
            rc = copy_str(cfg->mqtt_password_file,
                          sizeof(cfg->mqtt_password_file), optarg,
                          "mqtt-password-file", err);
            break;
        case OPT_MQTT_PREFIX:
            rc = copy_str(cfg->mqtt_prefix, sizeof(cfg->mqtt_prefix), optarg,
                          "mqtt-prefix", err);
            break;
        case OPT_MQTT_CAFILE:
            rc = copy_str(cfg->mqtt_cafile, sizeof(cfg->mqtt_cafile), optarg,
                          "mqtt-cafile", err);
            break;
        case OPT_BROKER_PASSWD:
            rc = copy_str(cfg->broker_passwd, sizeof(cfg->broker_passwd),
                          optarg, "broker-passwd", err);
            break;
        case OPT_BROKER_ACL:
            rc = copy_str(cfg->broker_acl, sizeof(cfg->broker_acl), optarg,
                          "broker-acl", err);
            break;
        case OPT_BROKER_PID:
            rc = copy_str(cfg->broker_pid_file, sizeof(cfg->broker_pid_file),
                          optarg, "broker-pid-file", err);
            break;
        case OPT_PLAYER_OUT:
            rc =
                copy_str(cfg->player_config_out, sizeof(cfg->player_config_out),
                         optarg, "player-config-out", err);
            break;
        case OPT_INIT_KEYS:
            rc = copy_str(cfg->init_keys, sizeof(cfg->init_keys), optarg,
                          "init-keys", err);
            break;
        case OPT_MQTT_PORT:
            rc = parse_ulong(optarg, 1, 65535, &v, "mqtt-port", err);
            cfg->mqtt_port = (unsigned)v;
            break;
        case OPT_DEMO:
            cfg->demo = true;
            break;
        case OPT_FONT_DIR:
            rc = copy_str(cfg->font_dir, sizeof(cfg->font_dir), optarg,
                          "font-dir", err);
            break;
        case OPT_MAX_PREVIEWS:
            rc = parse_ulong(optarg, 1, 64, &v, "max-previews", err);
            cfg->max_previews = (unsigned)v;
            break;
        case OPT_HELP:
            srv_config_usage(stdout, argv[0]);
            return 1;
        default:
            fprintf(err, "unknown or incomplete option \"%s\"\n", name);
            rc = TAULU_ECONFIG;
            break;
        }
        if (rc) {
            return rc;
        }
    }
    if (optind < argc) {
        fprintf(err, "unexpected argument \"%s\"\n", argv[optind]);
        return TAULU_ECONFIG;
    }
    if (!cfg->db_path[0] && cfg->data_dir[0]) {
        int n = snprintf(cfg->db_path, sizeof(cfg->db_path), "%s/infotaulu.db",
                         cfg->data_dir);
        if (n < 0 || (size_t)n >= sizeof(cfg->db_path)) {
            fprintf(err, "--data-dir: path too long\n");
            return TAULU_ECONFIG;
        }
    }
    if (!cfg->db_path[0] && !cfg->init_keys[0]) {
        fprintf(err, "--db (or --data-dir) is required\n");
        return TAULU_ECONFIG;
    }
    if (!cfg->font_dir[0]) {
        /* Installed, the packaged fonts; in a build tree, the sources'. */
        const char *dir = access(SRV_INSTALLED_FONT_DIR, R_OK | X_OK) == 0
                              ? SRV_INSTALLED_FONT_DIR
                              : SRV_SOURCE_FONT_DIR;
        rc = copy_str(cfg->font_dir, sizeof(cfg->font_dir), dir, "font-dir",
                      err);
    }
    return rc;
}
