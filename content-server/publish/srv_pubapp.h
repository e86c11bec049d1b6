/*
 * srv_pubapp.h: the publishing side wired into the server: the signing
 * key, the publisher over the server's store (srv_publish.h), the MQTT
 * client, the asset store, the broker's password and ACL files, and the
 * HTTP handlers of the routes that belong to publishing.
 *
 * Hooks: the API handlers that change what a screen shows call
 * srv_pub_*_changed() after their store call succeeded; the publisher
 * rebuilds on its own thread, so the hooks return at once. With
 * app->pub == NULL (API tests without publishing) every hook does nothing.
 *
 * Files under data_dir:
 *   keys/server.key, keys/server.pub   manifest signing key pair
 *   assets/<sha256>                     re-encoded images (PNG)
 *   mqtt-server.secret                  the server's MQTT password (0600),
 *                                       unless --mqtt-password-file
 */
#ifndef SRV_PUBAPP_H
#define SRV_PUBAPP_H

#include <cjson/cJSON.h>
#include <stdint.h>

#include "srv_http.h"
#include "srv_publish.h"

struct srv_pubapp;

/* Starts publishing for `app` (store open, config loaded). 0 or a code
 * (logged). */
int srv_pubapp_start(struct srv_app *app, struct srv_pubapp **out);
void srv_pubapp_stop(struct srv_pubapp *pa);
/* The port the HTTP server got (for the public URL when none is set). */
void srv_pubapp_set_port(struct srv_pubapp *pa, unsigned port);

/* --init-keys DIR: a new key pair, the secret key 0600. 0 or a code. */
int srv_pubapp_init_keys(const char *dir);

struct srv_publisher *srv_pubapp_publisher(struct srv_pubapp *pa);

/* ---- hooks for the API handlers ---- */

/* A screen was created: remembers its MQTT password hash, rewrites the
 * broker's files and adds to `out` (the 201 answer) the server's public
 * key, the MQTT settings and a ready player configuration. `token` is the
 * screen's new token (used for this answer only, never stored). */
void srv_pub_screen_created(struct srv_req *r, int64_t screen_id,
                            const char *token, cJSON *out);
/* Stores the MQTT password hash of a screen whose token is `token`,
 * rewrites the broker's files and rebuilds the screen list. 0 or a code. */
int srv_pub_set_screen_secret(struct srv_pubapp *pa, int64_t screen_id,
                              const char *token);
/* A screen was changed (0) or deleted (its id). */
void srv_pub_screens_changed(struct srv_app *app, int64_t deleted_id);
void srv_pub_centre_changed(struct srv_app *app, int64_t centre_id);
/* An item changed, was withdrawn or re-submitted: its centres. */
void srv_pub_item_changed(struct srv_app *app, int64_t item_id);
/* An alert for one centre, or 0 for every centre. */
void srv_pub_alert_changed(struct srv_app *app, int64_t centre_id);

/* The text of a player configuration for a screen (appended to out). */
int srv_pub_player_config(struct srv_pubapp *pa, int64_t screen_id,
                          const char *token, const char *pk_file,
                          const char *cache_dir, struct taulu_buf *out);
/* The server's public key, base64. */
const char *srv_pub_public_key_b64(struct srv_pubapp *pa);

/* ---- handlers ---- */
void srv_h_screen_manifest(struct srv_req *r); /* GET .../screens/{key}/
                                                  manifest */
void srv_h_asset_get(struct srv_req *r);       /* GET /api/v1/assets/{key} */
void srv_h_image_upload(struct srv_req *r);    /* POST /api/v1/images */
void srv_h_screen_status(struct srv_req *r);   /* GET .../screens/{id}/
                                                  status */
void srv_h_centre_live(struct srv_req *r);     /* GET .../centres/{id}/
                                                  live */
void srv_h_item_live(struct srv_req *r);       /* GET .../items/{id}/live */

#endif
