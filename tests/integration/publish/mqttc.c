/*
 * mqttc.c: synchronous MQTT test client (see mqttc.h).
 */
#include "mqttc.h"

#include <mosquitto.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct mqttc {
    struct mosquitto *m;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int connack; /* -1 until the CONNACK */
    int subacks, pubacks;
    int disconnects; /* connections lost or closed since the first */
    size_t n;
    struct mqttc_msg *msgs;
    double *at;
};

double mqttc_now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static void on_connect(struct mosquitto *m, void *obj, int rc)
{
    struct mqttc *c = obj;

    (void)m;
    pthread_mutex_lock(&c->mu);
    c->connack = rc;
    pthread_cond_broadcast(&c->cv);
    pthread_mutex_unlock(&c->mu);
}

static void on_disconnect(struct mosquitto *m, void *obj, int rc)
{
    struct mqttc *c = obj;

    (void)m;
    (void)rc;
    pthread_mutex_lock(&c->mu);
    c->disconnects++;
    pthread_cond_broadcast(&c->cv);
    pthread_mutex_unlock(&c->mu);
}

static void on_subscribe(struct mosquitto *m, void *obj, int mid, int n,
                         const int *granted)
{
    struct mqttc *c = obj;

    (void)m;
    (void)mid;
    (void)n;
    (void)granted;
    pthread_mutex_lock(&c->mu);
    c->subacks++;
    pthread_cond_broadcast(&c->cv);
    pthread_mutex_unlock(&c->mu);
}

static void on_publish(struct mosquitto *m, void *obj, int mid)
{
    struct mqttc *c = obj;

    (void)m;
    (void)mid;
    pthread_mutex_lock(&c->mu);
    c->pubacks++;
    pthread_cond_broadcast(&c->cv);
    pthread_mutex_unlock(&c->mu);
}

static void on_message(struct mosquitto *m, void *obj,
                       const struct mosquitto_message *msg)
{
    struct mqttc *c = obj;
    size_t len;

    (void)m;
    pthread_mutex_lock(&c->mu);
    if (c->n < MQTTC_MAX_MSGS) {
        struct mqttc_msg *d = &c->msgs[c->n];
        snprintf(d->topic, sizeof d->topic, "%s", msg->topic);
        len = (size_t)msg->payloadlen < sizeof d->payload - 1
                  ? (size_t)msg->payloadlen
                  : sizeof d->payload - 1;
        memcpy(d->payload, msg->payload, len);
        d->payload[len] = '\0';
        c->at[c->n] = mqttc_now_ms();
        c->n++;
    }
    pthread_cond_broadcast(&c->cv);
    pthread_mutex_unlock(&c->mu);
}

static void deadline(struct timespec *ts, int ms)
{
    clock_gettime(CLOCK_REALTIME, ts);
    ts->tv_sec += ms / 1000;
    ts->tv_nsec += (long)(ms % 1000) * 1000000L;
    if (ts->tv_nsec >= 1000000000L) {
        ts->tv_sec++;
        ts->tv_nsec -= 1000000000L;
    }
}

static struct mqttc *connect_as(int port, const char *user,
                                const char *password, const char *client_id,
                                const char *will_topic,
                                const char *will_payload, int *connack)
{
    static int inited;
    struct mqttc *c = calloc(1, sizeof *c);
    struct timespec ts;
    int rc;

    if (connack) {
        *connack = -1;
    }
    if (!c) {
        return NULL;
    }
    if (!inited) {
        mosquitto_lib_init();
        inited = 1;
    }
    c->msgs = calloc(MQTTC_MAX_MSGS, sizeof *c->msgs);
    c->at = calloc(MQTTC_MAX_MSGS, sizeof *c->at);
    pthread_mutex_init(&c->mu, NULL);
    pthread_cond_init(&c->cv, NULL);
    c->connack = -1;
    c->m = mosquitto_new(client_id, true, c);
    if (!c->msgs || !c->at || !c->m) {
        goto fail;
    }
    mosquitto_connect_callback_set(c->m, on_connect);
    mosquitto_disconnect_callback_set(c->m, on_disconnect);
    mosquitto_subscribe_callback_set(c->m, on_subscribe);
    mosquitto_publish_callback_set(c->m, on_publish);
    mosquitto_message_callback_set(c->m, on_message);
    if (user) {
        mosquitto_username_pw_set(c->m, user, password);
    }
    if (will_topic &&
        mosquitto_will_set(c->m, will_topic, (int)strlen(will_payload),
                           will_payload, 1, true) != MOSQ_ERR_SUCCESS) {
        goto fail;
    }
    if (mosquitto_connect(c->m, "127.0.0.1", port, 30) != MOSQ_ERR_SUCCESS ||
        mosquitto_loop_start(c->m) != MOSQ_ERR_SUCCESS) {
        goto fail;
    }
    deadline(&ts, 3000);
    pthread_mutex_lock(&c->mu);
    while (c->connack < 0) {
        if (pthread_cond_timedwait(&c->cv, &c->mu, &ts) != 0) {
            break;
        }
    }
    rc = c->connack;
    pthread_mutex_unlock(&c->mu);
    if (connack) {
        *connack = rc;
    }
    if (rc != 0) {
        mosquitto_disconnect(c->m);
        mosquitto_loop_stop(c->m, true);
        goto fail;
    }
    return c;
fail:
    if (c->m) {
        mosquitto_destroy(c->m);
    }
    free(c->msgs);
    free(c->at);
    free(c);
    return NULL;
}

struct mqttc *mqttc_connect(int port, const char *user, const char *password,
                            int *connack)
{
    return connect_as(port, user, password, NULL, NULL, NULL, connack);
}

struct mqttc *mqttc_connect_id(int port, const char *user, const char *password,
                               const char *client_id, const char *will_topic,
                               const char *will_payload, int *connack)
{
    return connect_as(port, user, password, client_id, will_topic, will_payload,
                      connack);
}

int mqttc_disconnects(struct mqttc *c)
{
    int n;

    pthread_mutex_lock(&c->mu);
    n = c->disconnects;
    pthread_mutex_unlock(&c->mu);
    return n;
}

struct mqttc *mqttc_connect_will(int port, const char *user,
                                 const char *password, const char *will_topic,
                                 const char *will_payload, int *connack)
{
    return connect_as(port, user, password, NULL, will_topic, will_payload,
                      connack);
}

void mqttc_drop(struct mqttc *c)
{
    if (!c) {
        return;
    }
    /* Stop the network thread first (it would reconnect), then close the
     * socket without a DISCONNECT packet: mosquitto_destroy() does just
     * that. */
    mosquitto_loop_stop(c->m, true);
    mosquitto_destroy(c->m);
    free(c->msgs);
    free(c->at);
    free(c);
}

void mqttc_close(struct mqttc *c)
{
    if (!c) {
        return;
    }
    mosquitto_disconnect(c->m);
    mosquitto_loop_stop(c->m, false);
    mosquitto_destroy(c->m);
    free(c->msgs);
    free(c->at);
    free(c);
}

static int wait_counter(struct mqttc *c, int *counter, int want)
{
    struct timespec ts;
    int ok;

    deadline(&ts, 3000);
    pthread_mutex_lock(&c->mu);
    while (*counter < want) {
        if (pthread_cond_timedwait(&c->cv, &c->mu, &ts) != 0) {
            break;
        }
    }
    ok = *counter >= want;
    pthread_mutex_unlock(&c->mu);
    return ok ? 0 : -1;
}

int mqttc_subscribe(struct mqttc *c, const char *filter)
{
    int want;

    pthread_mutex_lock(&c->mu);
    want = c->subacks + 1;
    pthread_mutex_unlock(&c->mu);
    if (mosquitto_subscribe(c->m, NULL, filter, 1) != MOSQ_ERR_SUCCESS) {
        return -1;
    }
    return wait_counter(c, &c->subacks, want);
}

int mqttc_publish(struct mqttc *c, const char *topic, const char *payload,
                  int retain)
{
    int want;

    pthread_mutex_lock(&c->mu);
    want = c->pubacks + 1;
    pthread_mutex_unlock(&c->mu);
    if (mosquitto_publish(c->m, NULL, topic, (int)strlen(payload), payload, 1,
                          retain != 0) != MOSQ_ERR_SUCCESS) {
        return -1;
    }
    return wait_counter(c, &c->pubacks, want);
}

size_t mqttc_count(struct mqttc *c)
{
    size_t n;

    pthread_mutex_lock(&c->mu);
    n = c->n;
    pthread_mutex_unlock(&c->mu);
    return n;
}

int mqttc_get(struct mqttc *c, size_t i, struct mqttc_msg *out)
{
    int rc = -1;

    pthread_mutex_lock(&c->mu);
    if (i < c->n) {
        *out = c->msgs[i];
        rc = 0;
    }
    pthread_mutex_unlock(&c->mu);
    return rc;
}

size_t mqttc_wait(struct mqttc *c, size_t n, int timeout_ms)
{
    struct timespec ts;
    size_t got;

    deadline(&ts, timeout_ms);
    pthread_mutex_lock(&c->mu);
    while (c->n < n) {
        if (pthread_cond_timedwait(&c->cv, &c->mu, &ts) != 0) {
            break;
        }
    }
    got = c->n;
    pthread_mutex_unlock(&c->mu);
    return got;
}

double mqttc_arrival_ms(struct mqttc *c, size_t i)
{
    double t = 0;

    pthread_mutex_lock(&c->mu);
    if (i < c->n) {
        t = c->at[i];
    }
    pthread_mutex_unlock(&c->mu);
    return t;
}
