/*
 * player_mqtt.h: the libmosquitto edge of the player. Connects as the
 * screen (user name = screen id, password = token), leaves the offline
 * status as its last will, subscribes to the screen's desired and command
 * topics (QoS 1) and reconnects by itself with backoff. Only this file
 * knows libmosquitto (opened at run time by player_netlib.c).
 *
 * Callbacks run on libmosquitto's network thread; they must copy what they
 * keep. player_mqtt_publish_status() may be called from any thread.
 */
#ifndef PLAYER_MQTT_H
#define PLAYER_MQTT_H

#include <stdbool.h>
#include <stddef.h>

#include "taulu_proto.h"

struct player_mqtt_callbacks {
    /* The broker accepted us (true) or the connection is gone (false). */
    void (*on_connection)(void *ctx, bool online, const char *why);
    /* A message on our desired or command topic (payload not
     * NUL-terminated, at most TAULU_PROTO_MAX_PAYLOAD bytes). */
    void (*on_message)(void *ctx, enum taulu_topic_kind kind,
                       const char *payload, size_t len);
};

struct player_mqtt_opts {
    const char *host;
    int port; /* 0 = 1883, or 8883 with tls */
    /* TLS: the broker's certificate is checked against ca_file (NULL: the
     * system's CAs in /etc/ssl/certs) and its host name against `host`. A
     * broker whose certificate does not check is not connected to
     * (libmosquitto retries; the player polls over HTTP meanwhile). */
    bool tls;
    const char *ca_file;
    const char *prefix; /* NULL = TAULU_PROTO_DEFAULT_PREFIX */
    const char *screen_id;
    const char *token; /* password, never logged */
    int keepalive_s;   /* 0 = 30 */
};

struct player_mqtt;

/* Starts connecting in the background (a broker that is down is retried
 * with backoff 1..60 s). 0, TAULU_EINVAL, TAULU_ENOMEM or TAULU_EUNAVAIL. */
int player_mqtt_start(const struct player_mqtt_opts *opts,
                      const struct player_mqtt_callbacks *cb, void *ctx,
                      struct player_mqtt **out);

/* Publishes a status payload (retained, QoS 1). 0, or TAULU_EUNAVAIL when
 * not connected (publish again after on_connection(true)). */
int player_mqtt_publish_status(struct player_mqtt *m, const char *payload,
                               size_t len);

/* Publishes the offline status (retained; waits up to timeout_ms for the
 * broker to take it), disconnects cleanly (so the will is not sent), stops
 * the network thread and frees. Accepts NULL. */
void player_mqtt_stop(struct player_mqtt *m, int timeout_ms);

#endif
