/*
 * srv_mqtt.h: the content server's MQTT edge (libmosquitto).
 *
 * One client with the server's own credentials. It connects in the
 * background and reconnects by itself (1 s doubling to 30 s); on every
 * (re)connect it subscribes to "<prefix>/v1/screens/+/status" and calls
 * `on_connect`, where the publisher republishes every screen's pointer (a
 * broker without persistence forgets retained messages when it restarts).
 *
 * Pointers are published retained with QoS 1. Status messages are parsed
 * with taulu_proto_status_parse(); malformed ones are logged (screen id and
 * reason, never the payload) and dropped.
 *
 * Threads: callbacks run on libmosquitto's network thread; publishing may
 * be called from any thread.
 */
#ifndef SRV_MQTT_H
#define SRV_MQTT_H

#include <stdbool.h>
#include <stdint.h>

#include "taulu_proto.h"

struct srv_mqtt;

struct srv_mqtt_config {
    const char *host;      /* "127.0.0.1" */
    int port;              /* 1883 */
    const char *user;      /* NULL = anonymous */
    const char *password;  /* borrowed only during srv_mqtt_start() */
    const char *prefix;    /* NULL = TAULU_PROTO_DEFAULT_PREFIX */
    const char *client_id; /* NULL = "infotaulu-server-<random hex>" */
    const char *cafile;    /* TLS to the broker when not NULL */
    int keepalive_s;       /* 0 = 30 */
};

struct srv_mqtt_handlers {
    /* A screen reported a status (also its last will). */
    void (*on_status)(void *ctx, const char *screen_id,
                      const struct taulu_proto_status *st);
    /* Connected (again): republish what the broker should hold. */
    void (*on_connect)(void *ctx);
    void *ctx;
};

/* Starts the client and its thread; returns at once (the connection is made
 * in the background). 0, TAULU_EINVAL (bad config), TAULU_ENOMEM,
 * TAULU_EUNAVAIL (libmosquitto refused the settings). */
int srv_mqtt_start(const struct srv_mqtt_config *cfg,
                   const struct srv_mqtt_handlers *h, struct srv_mqtt **out);
/* Disconnects, stops the thread and frees. Accepts NULL. */
void srv_mqtt_stop(struct srv_mqtt *m);

bool srv_mqtt_connected(struct srv_mqtt *m);
/* The client id it connects with (the configured one, or a random one
 * made at start). */
const char *srv_mqtt_client_id(const struct srv_mqtt *m);

/* Publishes {"v":1,"seq":..,"sha256":..,"url":"/api/v1/screens/<id>/
 * manifest"} retained, QoS 1, on the screen's desired topic. 0,
 * TAULU_EINVAL, TAULU_EUNAVAIL (not connected: on_connect will publish it
 * later). */
int srv_mqtt_publish_desired(struct srv_mqtt *m, const char *screen_id,
                             int64_t seq, const char *sha256);
/* Publishes a command {"v":1,"id":..,"cmd":..} on the screen's command
 * topic, QoS 1, not retained (a screen away misses it: commands are for
 * now). 0, TAULU_EINVAL, TAULU_EUNAVAIL (not connected). */
int srv_mqtt_publish_command(struct srv_mqtt *m, const char *screen_id,
                             enum taulu_command_kind cmd, const char *id);
/* Removes the retained pointer (a deleted screen). */
int srv_mqtt_clear_desired(struct srv_mqtt *m, const char *screen_id);

/* Counters for /metrics. */
struct srv_mqtt_stats {
    uint64_t published, status_received, status_refused, connects;
};
void srv_mqtt_get_stats(struct srv_mqtt *m, struct srv_mqtt_stats *out);

#endif
