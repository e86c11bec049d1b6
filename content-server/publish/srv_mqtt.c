/*
 * srv_mqtt.c: libmosquitto edge of the content server (see srv_mqtt.h).
 */
#include "srv_mqtt.h"

#include <mosquitto.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "taulu_crypto.h"
#include "taulu_err.h"
#include "taulu_log.h"

struct srv_mqtt {
    struct mosquitto *mosq;
    struct srv_mqtt_handlers h;
    char prefix[TAULU_PROTO_PREFIX_MAX + 1];
    char status_filter[TAULU_TOPIC_MAX + 1];
    char client_id[64];
    atomic_bool connected;
    atomic_uint_fast64_t published, status_received, status_refused, connects;
};

static pthread_once_t lib_once = PTHREAD_ONCE_INIT;

static void lib_init(void)
{
    mosquitto_lib_init();
}

static void on_connect(struct mosquitto *mosq, void *obj, int rc)
{
    struct srv_mqtt *m = obj;
    int r;

    if (rc != 0) {
        taulu_warn("mqtt", "broker refused the connection: %s",
                   mosquitto_connack_string(rc));
        return;
    }
    atomic_store(&m->connected, true);
    atomic_fetch_add(&m->connects, 1);
    taulu_info("mqtt", "connected to the broker");
    r = mosquitto_subscribe(mosq, NULL, m->status_filter, 1);
    if (r != MOSQ_ERR_SUCCESS) {
        taulu_warn("mqtt", "cannot subscribe to %s: %s", m->status_filter,
                   mosquitto_strerror(r));
    }
    if (m->h.on_connect) {
        m->h.on_connect(m->h.ctx);
    }
}

static void on_disconnect(struct mosquitto *mosq, void *obj, int rc)
{
    struct srv_mqtt *m = obj;

    (void)mosq;
    atomic_store(&m->connected, false);
    if (rc != 0) {
        taulu_warn("mqtt", "lost the broker connection; reconnecting");
    }
}

static void on_message(struct mosquitto *mosq, void *obj,
                       const struct mosquitto_message *msg)
{
    struct srv_mqtt *m = obj;
    char id[TAULU_SCREEN_ID_MAX + 1];
    enum taulu_topic_kind kind;
    struct taulu_proto_status st;
    struct taulu_buf why;
    int rc;

    (void)mosq;
    if (taulu_proto_topic_parse(msg->topic, strlen(msg->topic), m->prefix, id,
                                &kind) < 0 ||
        kind != TAULU_TOPIC_STATUS) {
        return;
    }
    if (msg->payloadlen == 0) {
        return; /* a retained status being cleared */
    }
    taulu_buf_init(&why, 256);
    rc = taulu_proto_status_parse(msg->payload, (size_t)msg->payloadlen, &st,
                                  &why);
    if (rc < 0) {
        atomic_fetch_add(&m->status_refused, 1);
        taulu_warn("mqtt", "refused a status message of %s: %s", id, why.data);
        taulu_buf_release(&why);
        return;
    }
    taulu_buf_release(&why);
    atomic_fetch_add(&m->status_received, 1);
    if (m->h.on_status) {
        m->h.on_status(m->h.ctx, id, &st);
    }
}

int srv_mqtt_start(const struct srv_mqtt_config *cfg,
                   const struct srv_mqtt_handlers *h, struct srv_mqtt **out)
{
    struct srv_mqtt *m;
    char client_id[64];
    int r, n;

    *out = NULL;
    if (!cfg->host || cfg->port <= 0 || cfg->port > 65535 ||
        (cfg->prefix && !taulu_proto_prefix_valid(cfg->prefix))) {
        return TAULU_EINVAL;
    }
    pthread_once(&lib_once, lib_init);
    m = calloc(1, sizeof *m);
    if (!m) {
        return TAULU_ENOMEM;
    }
    if (h) {
        m->h = *h;
    }
    n = snprintf(m->prefix, sizeof m->prefix, "%s",
                 cfg->prefix ? cfg->prefix : TAULU_PROTO_DEFAULT_PREFIX);
    if (n <= 0 || (size_t)n >= sizeof m->prefix ||
        taulu_proto_topic_filter(m->status_filter, m->prefix,
                                 TAULU_TOPIC_STATUS) < 0) {
        free(m);
        return TAULU_EINVAL;
    }
    if (cfg->client_id) {
        snprintf(client_id, sizeof client_id, "%s", cfg->client_id);
    } else {
        /* Random per start: a client id someone can guess (the pid is in
         * the broker's log) lets another client with any account take the
         * session over where the broker does not bind ids to user names
         * (use_username_as_clientid, which ours sets). */
        uint8_t rnd[8];
        char hex[2 * sizeof rnd + 1];

        taulu_random_bytes(rnd, sizeof rnd);
        taulu_hex_encode(rnd, sizeof rnd, hex, sizeof hex);
        snprintf(client_id, sizeof client_id, "infotaulu-server-%s", hex);
    }
    snprintf(m->client_id, sizeof m->client_id, "%s", client_id);
    m->mosq = mosquitto_new(client_id, true, m);
    if (!m->mosq) {
        free(m);
        return TAULU_ENOMEM;
    }
    mosquitto_int_option(m->mosq, MOSQ_OPT_PROTOCOL_VERSION,
                         MQTT_PROTOCOL_V311);
    /* A rebuild publishes up to one pointer per screen at once; do not
     * throttle them behind the default 20 in flight. */
    mosquitto_max_inflight_messages_set(m->mosq, 0);
    mosquitto_connect_callback_set(m->mosq, on_connect);
    mosquitto_disconnect_callback_set(m->mosq, on_disconnect);
    mosquitto_message_callback_set(m->mosq, on_message);
    mosquitto_reconnect_delay_set(m->mosq, 1, 30, true);
    if (cfg->user &&
        mosquitto_username_pw_set(m->mosq, cfg->user, cfg->password) !=
            MOSQ_ERR_SUCCESS) {
        goto unavail;
    }
    if (cfg->cafile && mosquitto_tls_set(m->mosq, cfg->cafile, NULL, NULL, NULL,
                                         NULL) != MOSQ_ERR_SUCCESS) {
        goto unavail;
    }
    r = mosquitto_connect_async(m->mosq, cfg->host, cfg->port,
                                cfg->keepalive_s > 0 ? cfg->keepalive_s : 30);
    if (r != MOSQ_ERR_SUCCESS) {
        /* Not fatal: the loop keeps trying (broker started after us). */
        taulu_warn("mqtt", "cannot reach the broker at %s:%d yet: %s",
                   cfg->host, cfg->port, mosquitto_strerror(r));
    }
    if (mosquitto_loop_start(m->mosq) != MOSQ_ERR_SUCCESS) {
        goto unavail;
    }
    *out = m;
    return 0;
unavail:
    mosquitto_destroy(m->mosq);
    free(m);
    return TAULU_EUNAVAIL;
}

void srv_mqtt_stop(struct srv_mqtt *m)
{
    if (!m) {
        return;
    }
    mosquitto_disconnect(m->mosq);
    mosquitto_loop_stop(m->mosq, false);
    mosquitto_destroy(m->mosq);
    free(m);
}

const char *srv_mqtt_client_id(const struct srv_mqtt *m)
{
    return m->client_id;
}

bool srv_mqtt_connected(struct srv_mqtt *m)
{
    return m && atomic_load(&m->connected);
}

static int publish(struct srv_mqtt *m, const char *screen_id,
                   const void *payload, int len)
{
    char topic[TAULU_TOPIC_MAX + 1];
    int r;

    if (taulu_proto_topic(topic, m->prefix, screen_id, TAULU_TOPIC_DESIRED) <
        0) {
        return TAULU_EINVAL;
    }
    r = mosquitto_publish(m->mosq, NULL, topic, len, payload, 1, true);
    if (r != MOSQ_ERR_SUCCESS) {
        return TAULU_EUNAVAIL;
    }
    atomic_fetch_add(&m->published, 1);
    return 0;
}

int srv_mqtt_publish_desired(struct srv_mqtt *m, const char *screen_id,
                             int64_t seq, const char *sha256)
{
    struct taulu_proto_desired d;
    struct taulu_buf b;
    int rc, n;

    memset(&d, 0, sizeof d);
    d.seq = seq;
    if (!sha256 || !taulu_is_sha256_hex(sha256) ||
        !taulu_proto_screen_id_valid(screen_id)) {
        return TAULU_EINVAL;
    }
    memcpy(d.sha256, sha256, sizeof d.sha256);
    n = snprintf(d.url, sizeof d.url, "/api/v1/screens/%s/manifest", screen_id);
    if (n <= 0 || (size_t)n >= sizeof d.url) {
        return TAULU_EINVAL;
    }
    taulu_buf_init(&b, TAULU_PROTO_MAX_PAYLOAD);
    rc = taulu_proto_desired_write(&d, &b);
    if (rc == 0) {
        rc = publish(m, screen_id, b.data, (int)b.len);
    }
    taulu_buf_release(&b);
    return rc;
}

int srv_mqtt_publish_command(struct srv_mqtt *m, const char *screen_id,
                             enum taulu_command_kind cmd, const char *id)
{
    struct taulu_proto_command c;
    char topic[TAULU_TOPIC_MAX + 1];
    struct taulu_buf b;
    int rc, r;

    if (!m || !atomic_load(&m->connected)) {
        return TAULU_EUNAVAIL;
    }
    memset(&c, 0, sizeof c);
    c.cmd = cmd;
    if (!id || strlen(id) >= sizeof c.id ||
        taulu_proto_topic(topic, m->prefix, screen_id, TAULU_TOPIC_COMMAND) <
            0) {
        return TAULU_EINVAL;
    }
    memcpy(c.id, id, strlen(id) + 1);
    taulu_buf_init(&b, TAULU_PROTO_MAX_PAYLOAD);
    rc = taulu_proto_command_write(&c, &b);
    if (rc == 0) {
        r = mosquitto_publish(m->mosq, NULL, topic, (int)b.len, b.data, 1,
                              false);
        rc = r == MOSQ_ERR_SUCCESS ? 0 : TAULU_EUNAVAIL;
    }
    if (rc == 0) {
        atomic_fetch_add(&m->published, 1);
    }
    taulu_buf_release(&b);
    return rc;
}

int srv_mqtt_clear_desired(struct srv_mqtt *m, const char *screen_id)
{
    return publish(m, screen_id, NULL, 0);
}

void srv_mqtt_get_stats(struct srv_mqtt *m, struct srv_mqtt_stats *out)
{
    memset(out, 0, sizeof *out);
    if (!m) {
        return;
    }
    out->published = atomic_load(&m->published);
    out->status_received = atomic_load(&m->status_received);
    out->status_refused = atomic_load(&m->status_refused);
    out->connects = atomic_load(&m->connects);
}
