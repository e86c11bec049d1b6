/*
 * srv_pubdb.h: the publisher's own rows in the server's SQLite database:
 * per screen the manifest version (seq, build time, digest, sha256) and
 * the last status. Tables `pub_state` and `pub_status`, created here if
 * missing (they depend on nothing else, so the storage schema of the rest
 * of the server does not have to know about them).
 *
 * A connection of its own in WAL mode; the functions fit the publisher's
 * backend (srv_publish.h) and are safe to call from several threads (one
 * mutex around the connection: these are small, rare writes).
 */
#ifndef SRV_PUBDB_H
#define SRV_PUBDB_H

#include <stddef.h>
#include <stdint.h>

#include "srv_publish.h"

struct srv_pubdb;

/* 0, SRV_EDB-like TAULU_EIO (cannot open or create the tables), or
 * TAULU_ENOMEM. */
int srv_pubdb_open(const char *path, struct srv_pubdb **out);
void srv_pubdb_close(struct srv_pubdb *db);

int srv_pubdb_load_states(struct srv_pubdb *db, struct srv_pub_state **out,
                          size_t *n);
/* One transaction for the batch; all or nothing. */
int srv_pubdb_save_states(struct srv_pubdb *db, const struct srv_pub_state *s,
                          size_t n);
int srv_pubdb_save_status(struct srv_pubdb *db, int64_t screen_id,
                          const struct srv_pub_status *st);
int srv_pubdb_load_statuses(struct srv_pubdb *db, int64_t **ids,
                            struct srv_pub_status **out, size_t *n);
/* A screen's MQTT password hash (Mosquitto "$7$" form, see srv_broker.h),
 * kept so the broker's password file can be written again at any time. */
#define SRV_PUBDB_HASH_MAX 128
int srv_pubdb_set_mqtt_hash(struct srv_pubdb *db, int64_t screen_id,
                            const char *hash);
int srv_pubdb_mqtt_hashes(struct srv_pubdb *db, int64_t **ids,
                          char (**hashes)[SRV_PUBDB_HASH_MAX], size_t *n);

/* Forgets a deleted screen's rows. */
int srv_pubdb_forget(struct srv_pubdb *db, int64_t screen_id);

#endif
