/*
 * mqttc.h: a small synchronous MQTT test client over libmosquitto: connect
 * with a user name and password, subscribe, publish, and wait for messages
 * that arrive on its network thread. Test code only.
 */
#ifndef MQTTC_H
#define MQTTC_H

#include <stddef.h>

#define MQTTC_MAX_MSGS 4096

struct mqttc_msg {
    char topic[160];
    char payload[512];
};

struct mqttc;

/* Connects (waits up to 3 s for the CONNACK). NULL if the broker refused
 * or did not answer; *connack (may be NULL) gets the CONNACK code, or -1. */
struct mqttc *mqttc_connect(int port, const char *user, const char *password,
                            int *connack);
/* The same with a last will as a player sets it: QoS 1, retained. */
struct mqttc *mqttc_connect_will(int port, const char *user,
                                 const char *password, const char *will_topic,
                                 const char *will_payload, int *connack);
/* The same with a chosen client id (NULL: a random one) and an optional
 * last will (will_topic NULL: none). */
struct mqttc *mqttc_connect_id(int port, const char *user, const char *password,
                               const char *client_id, const char *will_topic,
                               const char *will_payload, int *connack);
/* How many times the connection was lost or closed by the broker since
 * it was made (libmosquitto then reconnects by itself). */
int mqttc_disconnects(struct mqttc *c);
/* Disconnects cleanly (the broker drops the will) and frees. */
void mqttc_close(struct mqttc *c);
/* Goes away without a DISCONNECT, as a screen that loses power or network:
 * the broker publishes the will. Frees. */
void mqttc_drop(struct mqttc *c);
/* 0 when the SUBACK arrived (granted or not). */
int mqttc_subscribe(struct mqttc *c, const char *filter);
/* QoS 1; 0 when the PUBACK arrived. */
int mqttc_publish(struct mqttc *c, const char *topic, const char *payload,
                  int retain);
/* Messages received so far (copied out under the lock). */
size_t mqttc_count(struct mqttc *c);
int mqttc_get(struct mqttc *c, size_t i, struct mqttc_msg *out);
/* Waits until at least n messages have arrived or timeout_ms passed;
 * returns the count. */
size_t mqttc_wait(struct mqttc *c, size_t n, int timeout_ms);
/* Milliseconds (CLOCK_MONOTONIC) at which message i arrived. */
double mqttc_arrival_ms(struct mqttc *c, size_t i);
double mqttc_now_ms(void);

#endif
