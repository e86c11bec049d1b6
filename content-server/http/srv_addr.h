/*
 * srv_addr.h: client addresses as the server's limits see them.
 *
 * Limits that count "per address" (connections, login failures, the audit
 * rows of refused logins) count per address GROUP: an IPv4 address is its
 * own group; an IPv6 address counts in its /64, because one subscriber or
 * one server usually holds a whole /64 and can use a fresh address from it
 * for every connection. An IPv4 address mapped into IPv6 (::ffff:a.b.c.d,
 * what a dual-stack socket reports) is the IPv4 address.
 *
 * Behind a reverse proxy every connection comes from the proxy. The
 * client's own address is then taken from X-Forwarded-For, but only on
 * connections from an address listed as a trusted proxy (setting
 * trusted_proxy), and only its last entry: the one the proxy itself
 * appended or wrote, not whatever the client sent ahead of it.
 *
 * Plain C: no sockets are opened here.
 */
#ifndef SRV_ADDR_H
#define SRV_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#define SRV_ADDR_TEXT      64 /* bytes of an address or group as text */
#define SRV_ADDR_MAX_PROXY 8  /* trusted proxies at most */

struct srv_addr {
    int family;    /* AF_INET or AF_INET6; 0: unknown */
    uint8_t b[16]; /* 4 or 16 bytes, network order */
};

/* A numeric IPv4 or IPv6 address (no port, no brackets, no zone). 0 or
 * TAULU_EPARSE. An IPv4-mapped IPv6 address becomes IPv4. */
int srv_addr_parse(const char *text, struct srv_addr *out);
/* From a socket address (AF_INET, AF_INET6); 0 or TAULU_EPARSE. */
int srv_addr_from_sockaddr(const struct sockaddr *sa, struct srv_addr *out);
/* As text: "192.0.2.7", "2001:db8::5". */
void srv_addr_format(const struct srv_addr *a, char out[SRV_ADDR_TEXT]);
/* The group as text: "192.0.2.7", "2001:db8:0:1::/64". */
void srv_addr_group_text(const struct srv_addr *a, char out[SRV_ADDR_TEXT]);
/* The group as a key to compare and hash: the family and the 4 or 8
 * bytes that make the group, zero-filled. */
void srv_addr_group_key(const struct srv_addr *a, uint8_t key[12]);
bool srv_addr_equal(const struct srv_addr *a, const struct srv_addr *b);
/* 127.0.0.0/8 or ::1. */
bool srv_addr_is_loopback(const struct srv_addr *a);

/* A list of numeric addresses separated by commas and/or spaces ("" is
 * none). 0, or TAULU_EPARSE (a word that is not an address, or more than
 * SRV_ADDR_MAX_PROXY of them). */
int srv_addr_list_parse(const char *text, struct srv_addr *out, size_t *n);
bool srv_addr_in_list(const struct srv_addr *a, const struct srv_addr *list,
                      size_t n);

/* The client's address from an X-Forwarded-For value: its last entry,
 * which must be a numeric address (an IPv6 address may be in brackets,
 * an IPv4 one may carry a ":port"). 0 or TAULU_EPARSE. */
int srv_addr_forwarded_for(const char *value, struct srv_addr *out);

#endif
