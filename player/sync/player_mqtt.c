/*
 * player_mqtt.c: the libmosquitto edge (see player_mqtt.h).
 */
#include "player_mqtt.h"

#include <errno.h>
#include <mosquitto.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "taulu_crypto.h"
#include "taulu_err.h"
#include "taulu_log.h"

#include "player_backoff.h"
#include "player_netlib.h"

#define TAG "mqtt"

struct player_mqtt {
    struct mosquitto *mosq;
    struct player_mqtt_callbacks cb;
    void *ctx;
    char topic_desired[TAULU_TOPIC_MAX + 1];
    char topic_command[TAULU_TOPIC_MAX + 1];
    char topic_status[TAULU_TOPIC_MAX + 1];
    char prefix[TAULU_PROTO_PREFIX_MAX + 1];
    char screen_id[TAULU_SCREEN_ID_MAX + 1];
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool connected;
    int offline_mid;  /* the mid of the final offline status, or -1 */
    bool offline_ack; /* the broker took it */
    bool loop_started;
};

static pthread_once_t lib_once = PTHREAD_ONCE_INIT;
static int lib_rc = -1;
/* libmosquitto, opened by the first player_mqtt_start() (before any
 * client or callback exists). */
static const struct player_netlib_mosq *ml;

static void lib_init(void)
{
    ml = player_netlib_mosq();
    if (ml) {
        lib_rc = ml->lib_init();
    }
}

static void on_log(struct mosquitto *mosq, void *obj, int level,
                   const char *str)
{
    (void)mosq;
    (void)obj;
    /* libmosquitto never puts the password in its log lines. */
    if (level & (MOSQ_LOG_ERR | MOSQ_LOG_WARNING)) {
        taulu_warn(TAG, "%s", str);
    } else {
        taulu_debug(TAG, "%s", str);
    }
}

static void on_connect(struct mosquitto *mosq, void *obj, int rc)
{
    struct player_mqtt *m = obj;
    int s1, s2;

    if (rc != 0) {
        /* Refused (wrong password, not authorised): libmosquitto retries
         * with backoff; the reason goes to the status when we get in. */
        taulu_warn(TAG, "broker refused the connection: %s",
                   ml->connack_string(rc));
        if (m->cb.on_connection) {
            m->cb.on_connection(m->ctx, false, ml->connack_string(rc));
        }
        return;
    }
    s1 = ml->subscribe(mosq, NULL, m->topic_desired, 1);
    s2 = ml->subscribe(mosq, NULL, m->topic_command, 1);
    if (s1 != MOSQ_ERR_SUCCESS || s2 != MOSQ_ERR_SUCCESS) {
        taulu_warn(TAG, "subscribe failed: %s",
                   ml->error_string(s1 != MOSQ_ERR_SUCCESS ? s1 : s2));
    }
    pthread_mutex_lock(&m->mu);
    m->connected = true;
    pthread_mutex_unlock(&m->mu);
    taulu_info(TAG, "connected to the broker as %s", m->screen_id);
    if (m->cb.on_connection) {
        m->cb.on_connection(m->ctx, true, NULL);
    }
}

static void on_disconnect(struct mosquitto *mosq, void *obj, int rc)
{
    struct player_mqtt *m = obj;
    bool was;

    (void)mosq;
    pthread_mutex_lock(&m->mu);
    was = m->connected;
    m->connected = false;
    pthread_cond_broadcast(&m->cv);
    pthread_mutex_unlock(&m->mu);
    /* The next try's delay, drawn anew for each lost connection (this
     * runs on the network thread, before it sleeps for the retry): a
     * broker restart must not bring every screen back in one second
     * (docs/scale.md). */
    ml->reconnect_delay_set(
        m->mosq, player_backoff_reconnect_s(taulu_random_uniform(UINT32_MAX)),
        60, true);
    if (was) {
        taulu_info(TAG, "connection to the broker lost: %s",
                   rc == 0 ? "disconnected" : ml->error_string(rc));
        if (m->cb.on_connection) {
            m->cb.on_connection(m->ctx, false, "connection lost");
        }
    }
}

static void on_publish(struct mosquitto *mosq, void *obj, int mid)
{
    struct player_mqtt *m = obj;

    (void)mosq;
    pthread_mutex_lock(&m->mu);
    if (mid == m->offline_mid) {
        m->offline_ack = true;
        pthread_cond_broadcast(&m->cv);
    }
    pthread_mutex_unlock(&m->mu);
}

static void on_message(struct mosquitto *mosq, void *obj,
                       const struct mosquitto_message *msg)
{
    struct player_mqtt *m = obj;
    char id[TAULU_SCREEN_ID_MAX + 1];
    enum taulu_topic_kind kind;

    (void)mosq;
    if (!msg->topic ||
        taulu_proto_topic_parse(msg->topic, strlen(msg->topic), m->prefix, id,
                                &kind) < 0 ||
        strcmp(id, m->screen_id) != 0 || kind == TAULU_TOPIC_STATUS) {
        taulu_warn(TAG, "ignoring a message on an unexpected topic");
        return;
    }
    if (msg->payloadlen < 0 || msg->payloadlen > TAULU_PROTO_MAX_PAYLOAD) {
        taulu_warn(TAG, "ignoring a %d-byte payload on %s", msg->payloadlen,
                   taulu_proto_topic_kind_name(kind));
        return;
    }
    if (msg->payloadlen == 0) {
        return; /* a cleared retained message: nothing desired */
    }
    if (m->cb.on_message) {
        m->cb.on_message(m->ctx, kind, msg->payload, (size_t)msg->payloadlen);
    }
}

static void destroy(struct player_mqtt *m)
{
    if (!m) {
        return;
    }
    if (m->mosq) {
        ml->destroy(m->mosq);
    }
    pthread_cond_destroy(&m->cv);
    pthread_mutex_destroy(&m->mu);
    free(m);
}

int player_mqtt_start(const struct player_mqtt_opts *opts,
                      const struct player_mqtt_callbacks *cb, void *ctx,
                      struct player_mqtt **out)
{
    struct player_mqtt *m = NULL;
    struct taulu_proto_status offline;
    struct taulu_buf will;
    char client_id[TAULU_SCREEN_ID_MAX + 16];
    pthread_condattr_t ca;
    int port, rc;

    *out = NULL;
    pthread_once(&lib_once, lib_init);
    if (lib_rc != MOSQ_ERR_SUCCESS) {
        return TAULU_EUNAVAIL;
    }
    if (!opts->host || !*opts->host ||
        !taulu_proto_screen_id_valid(opts->screen_id) ||
        (opts->prefix && !taulu_proto_prefix_valid(opts->prefix))) {
        return TAULU_EINVAL;
    }
    m = calloc(1, sizeof *m);
    if (!m) {
        return TAULU_ENOMEM;
    }
    pthread_mutex_init(&m->mu, NULL);
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&m->cv, &ca);
    pthread_condattr_destroy(&ca);
    m->offline_mid = -1;
    m->cb = *cb;
    m->ctx = ctx;
    snprintf(m->prefix, sizeof m->prefix, "%s",
             opts->prefix ? opts->prefix : TAULU_PROTO_DEFAULT_PREFIX);
    snprintf(m->screen_id, sizeof m->screen_id, "%s", opts->screen_id);
    if (taulu_proto_topic(m->topic_desired, m->prefix, m->screen_id,
                          TAULU_TOPIC_DESIRED) < 0 ||
        taulu_proto_topic(m->topic_command, m->prefix, m->screen_id,
                          TAULU_TOPIC_COMMAND) < 0 ||
        taulu_proto_topic(m->topic_status, m->prefix, m->screen_id,
                          TAULU_TOPIC_STATUS) < 0) {
        destroy(m);
        return TAULU_EINVAL;
    }
    snprintf(client_id, sizeof client_id, "infotaulu-%s", m->screen_id);
    /* A clean session: commands sent while we were away are stale by the
     * time we are back; the retained pointer is all we need. */
    m->mosq = ml->new_client(client_id, true, m);
    if (!m->mosq) {
        destroy(m);
        return TAULU_ENOMEM;
    }
    ml->int_option(m->mosq, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V311);
    ml->log_callback_set(m->mosq, on_log);
    ml->connect_callback_set(m->mosq, on_connect);
    ml->disconnect_callback_set(m->mosq, on_disconnect);
    ml->publish_callback_set(m->mosq, on_publish);
    ml->message_callback_set(m->mosq, on_message);
    rc = ml->username_pw_set(m->mosq, m->screen_id,
                             opts->token ? opts->token : "");
    if (rc == MOSQ_ERR_SUCCESS && opts->tls) {
        /* Certificate and host name checked (libmosquitto's default with
         * tls_insecure off): a broker that cannot prove it is `host`
         * gets neither the token nor the status. */
        bool own_ca = opts->ca_file && *opts->ca_file;
        rc = ml->tls_set(m->mosq, own_ca ? opts->ca_file : NULL,
                         own_ca ? NULL : "/etc/ssl/certs", NULL, NULL, NULL);
    }
    if (rc != MOSQ_ERR_SUCCESS) {
        taulu_err(TAG, "cannot set up the client: %s", ml->error_string(rc));
        destroy(m);
        return TAULU_EINVAL;
    }
    taulu_proto_status_init(&offline);
    taulu_buf_init(&will, TAULU_PROTO_MAX_PAYLOAD);
    rc = taulu_proto_status_write(&offline, &will);
    if (rc == 0) {
        rc = ml->will_set(m->mosq, m->topic_status, (int)will.len, will.data, 1,
                          true) == MOSQ_ERR_SUCCESS
                 ? 0
                 : TAULU_EUNAVAIL;
    }
    taulu_buf_release(&will);
    if (rc < 0) {
        destroy(m);
        return rc;
    }
    ml->reconnect_delay_set(m->mosq, 1, 60, true);
    port = opts->port > 0 ? opts->port : (opts->tls ? 8883 : 1883);
    taulu_info(TAG, "broker %s:%d, %s", opts->host, port,
               opts->tls ? (opts->ca_file && *opts->ca_file
                                ? "TLS, the certificate checked against "
                                  "mqtt_ca_file"
                                : "TLS, the certificate checked against the "
                                  "system's CAs")
                         : "WITHOUT TLS");
    rc = ml->connect_async(m->mosq, opts->host, port,
                           opts->keepalive_s > 0 ? opts->keepalive_s : 30);
    if (rc != MOSQ_ERR_SUCCESS) {
        /* The network thread keeps trying: a broker that is down at start
         * is the normal offline case. */
        taulu_info(TAG, "broker %s:%d not reachable yet: %s", opts->host, port,
                   rc == MOSQ_ERR_ERRNO ? strerror(errno)
                                        : ml->error_string(rc));
    }
    rc = ml->loop_start(m->mosq);
    if (rc != MOSQ_ERR_SUCCESS) {
        taulu_err(TAG, "cannot start the network thread: %s",
                  ml->error_string(rc));
        destroy(m);
        return TAULU_EUNAVAIL;
    }
    m->loop_started = true;
    *out = m;
    return 0;
}

int player_mqtt_publish_status(struct player_mqtt *m, const char *payload,
                               size_t len)
{
    int rc;

    if (!m) {
        return TAULU_EUNAVAIL;
    }
    rc =
        ml->publish(m->mosq, NULL, m->topic_status, (int)len, payload, 1, true);
    return rc == MOSQ_ERR_SUCCESS ? 0 : TAULU_EUNAVAIL;
}

void player_mqtt_stop(struct player_mqtt *m, int timeout_ms)
{
    struct taulu_proto_status offline;
    struct taulu_buf b;
    struct timespec deadline;
    int mid = -1;

    if (!m) {
        return;
    }
    taulu_proto_status_init(&offline);
    taulu_buf_init(&b, TAULU_PROTO_MAX_PAYLOAD);
    pthread_mutex_lock(&m->mu);
    if (m->connected && taulu_proto_status_write(&offline, &b) == 0 &&
        ml->publish(m->mosq, &mid, m->topic_status, (int)b.len, b.data, 1,
                    true) == MOSQ_ERR_SUCCESS) {
        m->offline_mid = mid;
        clock_gettime(CLOCK_MONOTONIC, &deadline);
        deadline.tv_sec += timeout_ms / 1000;
        deadline.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
        if (deadline.tv_nsec >= 1000000000L) {
            deadline.tv_sec++;
            deadline.tv_nsec -= 1000000000L;
        }
        while (!m->offline_ack && m->connected) {
            if (pthread_cond_timedwait(&m->cv, &m->mu, &deadline) ==
                ETIMEDOUT) {
                break;
            }
        }
        if (!m->offline_ack) {
            taulu_warn(TAG, "the broker did not confirm the offline status");
        }
    }
    pthread_mutex_unlock(&m->mu);
    taulu_buf_release(&b);
    ml->disconnect(m->mosq);
    if (m->loop_started) {
        ml->loop_stop(m->mosq, false);
    }
    destroy(m);
}
