/*
 * srv_config.h: the content server's settings.
 *
 * For now filled from the command line only; this is the one file that
 * changes when common/taulu_config.h (the table-driven key = value reader)
 * lands. Every setting has a default, a range and a line of help, and
 * srv_config_usage() prints them.
 */
#ifndef SRV_CONFIG_H
#define SRV_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct srv_config {
    char db_path[512];           /* SQLite file; required */
    char listen_addr[64];        /* numeric IPv4 or IPv6 address */
    unsigned port;               /* 0 = the kernel chooses */
    char port_file[512];         /* write the chosen port here ("" = don't) */
    char web_root[512];          /* static files ("" = none served) */
    unsigned threads;            /* HTTP worker threads; 0 = 2 x cores, >= 4 */
    bool secure_cookies;         /* behind TLS: cookies get Secure */
    int log_level;               /* taulu_log level */
    unsigned session_ttl;        /* seconds a session lives */
    size_t max_json;             /* bytes of a JSON request body */
    unsigned conn_timeout;       /* seconds of inactivity before a connection
                                    is closed */
    unsigned login_max_failures; /* per account before backoff */
    unsigned ip_max_failures;    /* per client address before backoff */
    char font_dir[512];          /* the renderer's fonts (check, preview);
                                    default: the installed ones, else the
                                    source tree's fonts/ (development) */
    unsigned max_previews;       /* previews drawn at once, server-wide */

    /* Publishing (srv_pubapp.h). Empty strings mean "derived from
     * data_dir" or "not used", as srv_pubapp.c documents. */
    char data_dir[512];           /* assets, keys, secrets, run files */
    char sign_key[512];           /* Ed25519 secret key file */
    char public_url[256];         /* base URL screens use; for player configs */
    char mqtt_host[256];          /* "" = no broker */
    unsigned mqtt_port;           /* default 1883 */
    char mqtt_user[64];           /* the server's MQTT user name */
    char mqtt_password_file[512]; /* its password (0600) */
    char mqtt_prefix[65];         /* topic prefix */
    char mqtt_cafile[512];        /* TLS to the broker ("" = plain) */
    char broker_passwd[512];      /* Mosquitto password file to write */
    char broker_acl[512];         /* Mosquitto ACL file to write */
    char broker_pid_file[512];    /* SIGHUP the broker after writing */
    bool demo;                    /* seed demo content if the db is empty */
    char player_config_out[512];  /* --demo: write player configs here */

    /* one-shot modes */
    char init_keys[512]; /* create a signing key pair in DIR and exit */
    bool check_config;
    char create_coordinator[256]; /* e-mail address, "" = not asked */
    char coordinator_name[128];
};

/* Defaults, then argv. Returns 0, 1 if --help was printed (exit 0), or
 * TAULU_ECONFIG after printing what is wrong to `err`. */
int srv_config_load(struct srv_config *cfg, int argc, char **argv, FILE *err);
void srv_config_usage(FILE *out, const char *prog);

#endif
