/*
 * srv_config.h: the content server's settings.
 *
 * Every setting lives once in srv_config_table (common/taulu_config.h): its
 * key, type, default, range and help. The same table reads the file
 * (--config FILE, default /etc/infotaulu/server.conf), checks the
 * command-line options, writes the example file (--print-example-config)
 * and prints the effective values (--check-config). A file key is the long
 * option's name with '_' for '-': --max-previews 4 and `max_previews = 4`
 * mean the same. Command line beats file beats default.
 *
 * The action options (--create-coordinator, --name, --init-keys, --demo,
 * --player-config-out, --check-config, --print-example-config, --config,
 * --help) are command-line only.
 */
#ifndef SRV_CONFIG_H
#define SRV_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "taulu_buf.h"
#include "taulu_config.h"

#define SRV_CONFIG_DEFAULT_PATH "/etc/infotaulu/server.conf"

struct srv_config {
    /* In srv_config_table (the file's keys in comments where they differ
     * from the field). */
    char db_path[512];               /* db: SQLite file; required */
    char listen_addr[64];            /* listen: numeric IPv4/IPv6 address */
    long long port;                  /* 0 = the kernel chooses */
    char port_file[512];             /* write the chosen port here */
    char web_root[512];              /* static files ("" in the file: the
                                        installed web UI) */
    long long threads;               /* 0 = 2 x cores, else 4..256 */
    int secure_cookies;              /* SRV_SECURE_*: cookies get Secure and
                                        answers HSTS (srv_config_secure) */
    int log_level;                   /* taulu_log level (TAULU_LOG_*) */
    long long session_ttl;           /* seconds a session lives */
    long long max_json;              /* bytes of a JSON request body */
    long long conn_timeout;          /* timeout: idle seconds */
    long long login_max_failures;    /* per account before backoff */
    long long ip_max_failures;       /* per client address before backoff */
    char trusted_proxy[256];         /* reverse proxies believed about
                                        X-Forwarded-For/-Proto */
    long long max_connections;       /* 0 = as many as fit */
    long long max_per_address;       /* untrusted connections per address */
    long long header_timeout;        /* seconds to send a request head */
    long long body_timeout;          /* seconds (+ size) for a body, answer */
    char font_dir[512];              /* "" in the file: the installed fonts */
    long long max_previews;          /* previews drawn at once */
    long long image_decodes;         /* uploads decoded at once */
    long long image_memory;          /* MiB those decodes may hold */
    char data_dir[512];              /* assets, keys, secrets, run files */
    char sign_key[512];              /* Ed25519 secret key file */
    char public_url[256];            /* base URL screens use */
    char mqtt_host[256];             /* "" = no broker */
    long long mqtt_port;             /* default 1883 */
    char mqtt_user[64];              /* the server's MQTT user name */
    char mqtt_password_file[512];    /* its password (0600) */
    char mqtt_prefix[65];            /* topic prefix */
    char mqtt_cafile[512];           /* TLS to the broker ("" = plain) */
    char public_mqtt_host[256];      /* the broker as screens reach it */
    long long public_mqtt_port;      /* its TLS port (8883) */
    bool public_mqtt_tls;            /* screens use TLS (true) */
    char public_mqtt_cafile[512];    /* CA PEM given to screens */
    char broker_passwd[512];         /* Mosquitto password file to write */
    char broker_acl[512];            /* Mosquitto ACL file to write */
    char broker_pid_file[512];       /* SIGHUP the broker after writing */
    char smtp_url[256];              /* smtp[s]://host:port; "" = no mail */
    int smtp_tls;                    /* index in srv_config_smtp_tls */
    char smtp_cafile[512];           /* CA of the SMTP server's cert */
    char smtp_credentials_file[512]; /* user and password lines */
    char mail_from[255];             /* the sender's address */
    char mail_from_name[128];        /* and name */
    long long mail_queue_max;        /* messages waiting at most */
    long long mail_max_attempts;     /* tries of one message */
    long long mail_retry;            /* seconds before the first retry */
    long long notify_delay;          /* seconds a digest gathers */
    long long notify_interval;       /* seconds between digests at most */
    long long invite_ttl;            /* seconds an invitation link works */
    long long reset_ttl;             /* seconds a reset link works */
    long long reset_max_requests;    /* resets per address before backoff */
    long long import_timeout;        /* seconds of one import fetch */
    long long import_max_bytes;      /* bytes of one import answer */

    /* Command line only. */
    char config_path[512]; /* --config; SRV_CONFIG_DEFAULT_PATH if not given */
    bool config_read;      /* the file existed and was applied */
    bool web_root_default; /* web_root is the data folder's, not set: a
                              missing one is a warning, not an error */
    bool demo;             /* seed demo content if the db is empty */
    char player_config_out[512]; /* --demo: write player configs here */
    char init_keys[512];         /* create a signing key pair in DIR and exit */
    bool check_config;
    bool print_example;
    char create_coordinator[256]; /* e-mail address, "" = not asked */
    char coordinator_name[128];
};

extern const struct taulu_config_table srv_config_table;
/* The words of smtp_tls, by index: "starttls", "tls", "none". */
extern const char *const srv_config_smtp_tls[];

/* secure_cookies: the words' indexes (auto, true, false and their
 * synonyms yes/no, on/off) fold to these. */
enum srv_secure_mode { SRV_SECURE_AUTO, SRV_SECURE_ON, SRV_SECURE_OFF };
enum srv_secure_mode srv_config_secure_mode(const struct srv_config *cfg);

/* Whether cookies get Secure and answers Strict-Transport-Security:
 * *always for every answer; *via_proxy for answers to requests that a
 * trusted proxy says came over https. `auto` is on when public_url is
 * https:// or the listen address is not a loopback one (the server is
 * then reached from other machines, which must go through TLS), else
 * left to the proxy's word. *why says which rule decided, for the log. */
void srv_config_secure(const struct srv_config *cfg, bool *always,
                       bool *via_proxy, const char **why);

/* Defaults, then the file, then the options of argv; then the checks
 * between settings. Returns
 *   0              cfg is ready,
 *   1              --help or --print-example-config was printed to stdout
 *                  (exit 0),
 *   TAULU_ECONFIG  `errors` holds one line per problem ("file:line: ..."
 *                  for the file, "--option: ..." for the command line).
 * cfg->check_config is set whatever the outcome. */
int srv_config_parse(struct srv_config *cfg, int argc, char **argv,
                     struct taulu_buf *errors);

/* srv_config_parse() that prints the errors to `err`. */
int srv_config_load(struct srv_config *cfg, int argc, char **argv, FILE *err);

/* The settings of the table whose values differ between a and b: their
 * names, at most `cap` of them, in table order. Returns how many differ. */
size_t srv_config_changed(const struct srv_config *a,
                          const struct srv_config *b, const char **names,
                          size_t cap);

/* The word of a log level ("info"), or "?". */
const char *srv_config_level_name(int level);

void srv_config_usage(FILE *out, const char *prog);

#endif
