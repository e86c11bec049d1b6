/*
 * srv_pubapp_internal.h: what the files of the publishing wiring share
 * (srv_pubapp.c, srv_pubstore.c, srv_provision.c, srv_assets.c,
 * srv_keys.c). Not for use outside publish/: the rest of the server sees
 * srv_pubapp.h.
 */
#ifndef SRV_PUBAPP_INTERNAL_H
#define SRV_PUBAPP_INTERNAL_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "srv_pubapp.h"
#include "srv_pubdb.h"
#include "srv_publish.h"
#include "taulu_crypto.h"

struct srv_pubapp {
    struct srv_pub_options opt; /* strings borrowed (srv_pubapp.h) */
    struct srv_store *store;
    struct srv_pubdb *db;
    struct srv_publisher *pub;
    struct srv_mqtt *mqtt;
    uint8_t pk[TAULU_SIGN_PK_LEN];
    char pk_b64[64];
    char assets_dir[600];
    char public_url[300];
    unsigned port;
    char mqtt_password[128]; /* the server's own; a secret */
    pthread_mutex_t broker_mu;
};

/* "<dir>/<name>" into out. 0 or TAULU_ELIMIT (does not fit). */
int srv_pubapp_path_join(char *out, size_t size, const char *dir,
                         const char *name);

/* srv_pubstore.c: the publisher's backend over pa's store. */
void srv_pubstore_backend(struct srv_pubapp *pa, struct srv_pub_backend *be);

/* srv_assets.c: size and dimensions of a stored asset (all are PNG). 0,
 * TAULU_EVALUE, TAULU_ENOTFOUND or TAULU_EPARSE. */
int srv_pub_asset_info(struct srv_pubapp *pa, const char *sha,
                       struct srv_snap_asset *out);

/* srv_provision.c: the server's MQTT password, read from `path` or made
 * there on the first start; 0 or a code. */
int srv_pubapp_load_mqtt_password(struct srv_pubapp *pa, const char *path);
/* srv_provision.c: Mosquitto's password and ACL files from every screen
 * that has an MQTT hash, then a SIGHUP to the broker. 0 (also when no
 * files are configured) or a code (logged). */
int srv_pubapp_write_broker_files(struct srv_pubapp *pa);

#endif
