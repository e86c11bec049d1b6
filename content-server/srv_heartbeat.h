/*
 * srv_heartbeat.h: whether the server still answers, asked the way a
 * client asks, for systemd's watchdog (srv_main.c feeds it only when this
 * says yes and the publisher turned its loop: srv_publisher_alive()).
 *
 * A libmicrohttpd whose threads hang or deadlock still has its listening
 * socket, so nothing short of a real request tells. The main thread sends
 * one GET /healthz to the server's own address with a deadline and reads
 * the status line; any status counts as an answer (503 says the database
 * failed, which a restart does not mend: srv_main.c logs it instead).
 */
#ifndef SRV_HEARTBEAT_H
#define SRV_HEARTBEAT_H

/* GET /healthz on the server listening at `listen_addr` (numeric IPv4 or
 * IPv6; the wildcard addresses are asked on loopback) and `port`, within
 * timeout_ms for the whole exchange. 0 and *status (the HTTP status) when
 * a status line came; TAULU_EINVAL for an address that is not numeric;
 * TAULU_EUNAVAIL when the connection was refused or closed without an
 * answer, or the deadline passed; TAULU_EPARSE for an answer that is not
 * HTTP. */
int srv_heartbeat_http(const char *listen_addr, unsigned port, int timeout_ms,
                       int *status);

#endif
