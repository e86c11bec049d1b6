/*
 * srv_provision.h: what lets a screen in.
 *
 * The broker (Mosquitto) knows a screen by its MQTT password, which is the
 * screen's token, and lets it use only its own topics. The server keeps
 * only a PBKDF2 hash of it (in the store) and writes Mosquitto's password
 * file (hashes only, srv_broker.h) and ACL file from every screen's hash
 * and its own account, then sends the broker a SIGHUP. A new screen is
 * also given a player configuration: where the server is, its id and
 * token, the server's public key, the MQTT settings.
 */
#ifndef SRV_PROVISION_H
#define SRV_PROVISION_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "srv_store.h"
#include "taulu_buf.h"

struct srv_provision {
    /* Set after srv_provision_init(); borrowed, "" = not set. */
    struct srv_store *store;     /* the screens' MQTT hashes */
    const char *broker_passwd;   /* Mosquitto's password file; "" = none */
    const char *broker_acl;      /* its ACL file; "" = none */
    const char *broker_pid_file; /* SIGHUP the broker after writing */
    const char *mqtt_user;       /* the server's own MQTT account */
    const char *mqtt_prefix;     /* the topics' prefix */
    /* Several instances on a shared database: every live instance's
     * account (srv_store_instance_names()) goes into the files, each with
     * the one password they share, not only mqtt_user. */
    bool instances;
    /* Kept by the functions below. */
    char mqtt_password[128]; /* the server's own; a secret */
    pthread_mutex_t mu;      /* one writer of the files at a time */
};

/* Empty settings and the lock; release with srv_provision_release(). */
void srv_provision_init(struct srv_provision *p);
/* Wipes the password, drops the lock. Accepts NULL. */
void srv_provision_release(struct srv_provision *p);

/* The server's MQTT password: read from `path`, or on the first start a
 * new random one written there (0600). 0, TAULU_ECONFIG (an empty file)
 * or an I/O code. */
int srv_provision_load_password(struct srv_provision *p, const char *path);

/* How often an instance says it is alive, and how long an instance not
 * heard from keeps its account in the broker's files (a killed one's: a
 * clean stop removes it). Long, so that a database outage does not drop
 * a live instance's account; a dead one's is harmless meanwhile (its name
 * is random and never used again). */
#define SRV_INSTANCE_BEAT_S  60
#define SRV_INSTANCE_STALE_S (24 * 3600)

/* Writes Mosquitto's password and ACL files from every screen that has an
 * MQTT hash, then signals the broker. 0 (also when no files are set) or a
 * code (logged). */
int srv_provision_write(struct srv_provision *p);

/* Stores the MQTT hash of the screen whose token is `token` and rewrites
 * the broker's files. 0 or a code (logged). */
int srv_provision_set_screen(struct srv_provision *p, int64_t screen_id,
                             const char *token);

/* What a player needs to reach this server (borrowed strings). */
struct srv_player_access {
    const char *server_url;     /* base URL for HTTP */
    const char *public_key_b64; /* the manifest signing key */
    const char *mqtt_host;      /* "" = none: the player polls */
    long long mqtt_port;
    const char *mqtt_prefix;
    bool mqtt_tls;           /* the screens connect over TLS */
    const char *mqtt_ca_pem; /* the broker's CA (PEM text); "" = the
                                screen's system CAs */
};

/* Appends the text of a player configuration for a screen to out. It
 * holds the token: the caller wipes it after use. 0 or TAULU_ENOMEM /
 * TAULU_ELIMIT. */
int srv_player_config_text(const struct srv_player_access *cfg,
                           int64_t screen_id, const char *token,
                           const char *pk_file, const char *cache_dir,
                           struct taulu_buf *out);

#endif
