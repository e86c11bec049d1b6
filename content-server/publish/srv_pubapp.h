/*
 * srv_pubapp.h: the publishing side wired into the server: the signing
 * key, the publisher over the server's store (srv_publish.h), the MQTT
 * client, the asset files, the broker's password and ACL files, and what
 * a new screen is given.
 *
 * srv_pubapp.c wires the parts together, each a file of its own that
 * knows nothing of the others: srv_pubstore.h (the publisher's backend
 * over srv_store), srv_provision.h (the broker's files, a screen's MQTT
 * credentials and player configuration), srv_assets.h (the asset files),
 * srv_keys.h (the signing key). Nothing here knows HTTP: the publishing
 * routes are api/'s (srv_api_screens.c, srv_api_media.c), which call the
 * functions below.
 *
 * Hooks: the API handlers that change what a screen shows call
 * srv_pub_*_changed() after their store call succeeded; the publisher
 * rebuilds on its own thread, so the hooks return at once. With pa ==
 * NULL (API tests without publishing) every hook does nothing.
 *
 * Files under data_dir:
 *   keys/server.key, keys/server.pub   manifest signing key pair
 *   assets/<sha256>                     re-encoded images (PNG)
 *   mqtt-server.secret                  the server's MQTT password (0600),
 *                                       unless mqtt_password_file is set
 */
#ifndef SRV_PUBAPP_H
#define SRV_PUBAPP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "srv_provision.h"
#include "srv_publish.h"
#include "srv_store.h"
#include "taulu_buf.h"

struct srv_pubapp;

/* The server's settings that publishing reads (the program fills them from
 * its configuration, srv_config.h, whose keys they are named after). The
 * strings are borrowed and must outlive the pubapp; "" means not set,
 * never NULL. */
struct srv_pub_options {
    const char *db_path;     /* the server's database: the publisher's rows */
    const char *data_dir;    /* required: assets/, keys/, secrets */
    const char *sign_key;    /* "" = data_dir/keys/server.key */
    const char *public_url;  /* base URL screens use; "" = http://listen:port */
    const char *listen_addr; /* the HTTP server's address, for the above */
    const char *mqtt_host;   /* "" = no broker: screens poll */
    long long mqtt_port;
    const char *mqtt_user;          /* the server's MQTT user name */
    const char *mqtt_password_file; /* "" = data_dir/mqtt-server.secret */
    const char *mqtt_prefix;        /* topic prefix */
    const char *mqtt_cafile;        /* TLS to the broker; "" = plain */
    /* The broker as the screens reach it (given to them at enrolment and
     * in a new screen's settings); "" host: mqtt_host and mqtt_port, with
     * TLS when mqtt_cafile is set. */
    const char *public_mqtt_host;
    long long public_mqtt_port;
    bool public_mqtt_tls;
    const char *public_mqtt_cafile; /* CA PEM for the screens; "" = none */
    const char *broker_passwd;      /* Mosquitto files to write; "" = none */
    const char *broker_acl;
    const char *broker_pid_file; /* SIGHUP the broker after writing */
};

/* Starts publishing over `store` (open, borrowed): the signing key (made
 * on the first start of a data dir), the asset folder, the publisher's
 * rows, the broker's files and the MQTT client. 0 or a code (logged). */
int srv_pubapp_start(const struct srv_pub_options *cfg, struct srv_store *store,
                     struct srv_pubapp **out);
void srv_pubapp_stop(struct srv_pubapp *pa);
/* The port the HTTP server got (for the public URL when none is set). */
void srv_pubapp_set_port(struct srv_pubapp *pa, unsigned port);

struct srv_publisher *srv_pubapp_publisher(struct srv_pubapp *pa);
/* The settings it was started with. */
const struct srv_pub_options *srv_pubapp_options(const struct srv_pubapp *pa);
/* The server's public key, base64. */
const char *srv_pub_public_key_b64(struct srv_pubapp *pa);
/* Appends the publisher's counters to a /metrics text (Prometheus text
 * format): builds, failures, pointers, and what had to be left out of
 * the manifests (infotaulu_publish_unpublished, a gauge, and
 * infotaulu_publish_unpublished_total). pa NULL: nothing. 0 or the
 * buffer's code. */
int srv_pubapp_metrics(struct srv_pubapp *pa, struct taulu_buf *out);

/* ---- hooks for the API handlers (pa may be NULL) ---- */

/* A screen was changed (0) or deleted (its id). */
void srv_pub_screens_changed(struct srv_pubapp *pa, int64_t deleted_id);
void srv_pub_centre_changed(struct srv_pubapp *pa, int64_t centre_id);
/* An item changed, was withdrawn or re-submitted: its centres. */
void srv_pub_item_changed(struct srv_pubapp *pa, int64_t item_id);
/* An alert for one centre, or 0 for every centre. */
void srv_pub_alert_changed(struct srv_pubapp *pa, int64_t centre_id);

/* ---- a screen's access (srv_provision.h) ---- */

/* Stores the MQTT password hash of a screen whose token is `token`,
 * rewrites the broker's files and rebuilds the screen list. 0 or a code. */
int srv_pub_set_screen_secret(struct srv_pubapp *pa, int64_t screen_id,
                              const char *token);
/* The text of a player configuration for a screen (appended to out): the
 * server's URL, the screen's id and token, the public key file, the MQTT
 * settings and the cache folder. It holds the token: wipe it after use. */
int srv_pub_player_config(struct srv_pubapp *pa, int64_t screen_id,
                          const char *token, const char *pk_file,
                          const char *cache_dir, struct taulu_buf *out);

/* Where the screens find this server and its broker, for a screen's
 * settings and the enrolment answer: strings borrowed from pa (they live
 * as long as it). mqtt_ca_pem is the text of public_mqtt_cafile (or of
 * mqtt_cafile when the screens use the server's own broker address), ""
 * when none. */
void srv_pub_screen_access(struct srv_pubapp *pa,
                           struct srv_player_access *out);

/* Publishes a command (docs/protocol.md: reload, screenshot, identify) on
 * the screen's command topic, QoS 1, not retained. 0, TAULU_EUNAVAIL (no
 * broker, or not connected) or TAULU_EINVAL. */
int srv_pub_command(struct srv_pubapp *pa, int64_t screen_id,
                    enum taulu_command_kind cmd, const char *id);

/* The screenshots of the screens (srv_shots.h); NULL for pa NULL. */
struct srv_shots *srv_pub_shots(struct srv_pubapp *pa);
/* Periodic clean-up (the server's maintenance, every 30 s): screenshots
 * older than a day. pa may be NULL. */
void srv_pub_maintenance(struct srv_pubapp *pa, int64_t now);

/* ---- the asset files (srv_assets.h) ---- */

/* Opens assets/<sha256> for reading. 0 with *fd (the caller closes it) and
 * *size; TAULU_EVALUE if sha256 is not 64 lowercase hex digits,
 * TAULU_ENOTFOUND if there is no such asset. */
int srv_pub_asset_open(struct srv_pubapp *pa, const char *sha256, int *fd,
                       uint64_t *size);
/* Stores `data` as assets/<sha256> (0640, atomically) unless it is there
 * already (*existed). The caller computed sha256 from the bytes. 0,
 * TAULU_EVALUE (not a sha256) or TAULU_EIO. */
int srv_pub_asset_put(struct srv_pubapp *pa, const char *sha256,
                      const void *data, size_t len, bool *existed);

#endif
