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

#endif
