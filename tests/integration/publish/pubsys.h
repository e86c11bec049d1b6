/*
 * pubsys.h: the publishing integration tests' system: a real Mosquitto
 * that reads the password and ACL files the server writes, and the real
 * server told to use that broker (prefix "pohde"). Test code: failures are
 * cmocka assertions.
 */
#ifndef PUBSYS_H
#define PUBSYS_H

#include "itest.h"
#include "tsupport.h"

/* Makes the server's directory (named after `tag`), starts the broker and
 * sets srv->extra to the server's MQTT and broker-file options. The caller
 * then starts the server (itest_world_setup). Call once per process: the
 * option strings live in static storage. */
void pubsys_start(struct itest_server *srv, struct tsupport_broker *broker,
                  const char *tag);

#define PUBSYS_ID_MAX    64
#define PUBSYS_TOPIC_MAX 160

/* A test group's set-up: libsodium and libcurl initialised, pubsys_start,
 * the server started with the test world (itest_world_setup), and the
 * MQTT name and topics of the world's first screen ("screen-N",
 * "pohde/v1/screens/screen-N/status" and ".../desired"). */
void pubsys_setup(struct itest_server *srv, struct tsupport_broker *broker,
                  struct itest_world *w, const char *tag,
                  char screen_id[PUBSYS_ID_MAX],
                  char status_topic[PUBSYS_TOPIC_MAX],
                  char desired_topic[PUBSYS_TOPIC_MAX]);

/* A test group's teardown: after a failed test the server may still run,
 * so it is killed; then the broker stops. (A clean stop is a test of its
 * own, last in the group: cmocka 1.1 does not count a failing teardown.) */
void pubsys_teardown(struct itest_server *srv, struct tsupport_broker *broker);

#endif
