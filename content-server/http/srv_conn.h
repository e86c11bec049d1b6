/*
 * srv_conn.h: every open connection's deadline, and who gets a connection
 * when they run short.
 *
 * libmicrohttpd's own timeout is an idle timeout: any byte restarts it. A
 * client that sends its request one byte every few seconds holds a
 * connection forever, and a thousand such clients hold every connection
 * the server has (slowloris). So each connection here has a DEADLINE for
 * what it is doing, which bytes do not move:
 *
 *   head    from accept (or from the end of its previous request, on a
 *           kept-alive connection) until the request's head (line and
 *           headers) is complete: head_us;
 *   body    from then until the body is complete: body_us plus the time
 *           the body's length takes at min_rate bytes a second;
 *   work    the handler runs: no deadline (the server's own time);
 *   answer  from the queued answer until it is sent: body_us plus its
 *           length at min_rate.
 *
 * A connection past its deadline is "kicked": the callback shuts its
 * socket down (shutdown(2), not close: the descriptor stays the edge's
 * until libmicrohttpd closes it), libmicrohttpd sees the end of the stream
 * and closes the connection.
 *
 * Budgets. Connections are counted per address group (srv_addr.h: an IPv4
 * address, an IPv6 /64) and in total. A connection is "trusted" once a
 * request on it has carried a valid screen token, API token or session:
 * trusted connections do not count against their group's budget and are
 * never shed for room. Untrusted ones may fill at most max_conns - reserve
 * of the total. When a new connection would exceed its group's budget or
 * the untrusted share, the oldest untrusted connection of that group (or
 * of all) that has not finished sending a request head is kicked to make
 * room, then the oldest one still sending a body; only if there is none
 * is the new connection refused. A flood of slow clients thus rotates
 * through its own slots while a screen or a person whose request arrives
 * in one piece still gets a connection. Addresses marked exempt (the
 * trusted reverse proxy, which multiplexes every client) have no group
 * budget.
 *
 * Why this and not libmicrohttpd's own means (0.9.75): its connection
 * timeout, global or per connection (MHD_CONNECTION_OPTION_TIMEOUT), is
 * an idle timeout that every byte restarts; its connection limits refuse
 * the newest connection and know neither trusted callers, nor IPv6
 * prefixes, nor a proxy; it has no call to close a connection from
 * outside its thread. So the edge admits connections through the accept
 * policy callback (srv_conn_admit), tracks them with the connection
 * notifications (opened, closed; the descriptor from
 * MHD_get_connection_info), learns that a head is complete from the
 * first call of the request handler, and a sweeper thread shuts down
 * sockets past their deadline; libmicrohttpd then sees the end of the
 * stream and closes the connection in its own thread. TCP_DEFER_ACCEPT
 * would only help against connections that send nothing at all; a
 * reverse proxy in front (docs/deployment.md) helps, but the server must
 * not depend on one.
 *
 * Plain C with a lock: the edge (srv_http.c) calls these from
 * libmicrohttpd's threads and runs srv_conn_sweep() from a thread of its
 * own; the unit tests drive it with made-up times and descriptors.
 */
#ifndef SRV_CONN_H
#define SRV_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "srv_addr.h"

struct srv_conn_limits {
    unsigned max_conns;    /* connections in all */
    unsigned max_per_addr; /* untrusted connections per address group */
    unsigned reserve;      /* of max_conns, kept for trusted connections */
    int64_t head_us;       /* to send a complete request head */
    int64_t body_us;       /* to send a body, or to take an answer, ... */
    uint64_t min_rate;     /* ... plus its bytes at this many a second */
};

struct srv_conn_stats {
    unsigned open;      /* connections counted (not yet kicked) */
    unsigned untrusted; /* of them, not trusted */
    uint64_t kicked_deadline;
    uint64_t kicked_for_room;
    uint64_t refused;
};

/* Shuts down the socket `fd` (the edge passes a function that calls
 * shutdown(fd, SHUT_RDWR)). Called with the table's lock held, which is
 * what keeps `fd` from being closed and reused meanwhile: the edge closes
 * a connection's record (srv_conn_close) before libmicrohttpd closes its
 * socket. */
typedef void (*srv_conn_kick_fn)(void *ctx, int fd);

/* Whether the SERVER is the one behind on `fd` at its deadline: for a
 * head or body, bytes have arrived that it has not read yet; for an
 * answer (`answering`), nothing it wrote is still waiting for the client.
 * That happens when the thread that owns the connection is busy in
 * another request's handler (an image decode, a password hash): the
 * client is not slow, so its deadline is moved on, a second at a time
 * and at most SRV_CONN_GRACE_US in all. Called with the lock held. */
typedef bool (*srv_conn_behind_fn)(void *ctx, int fd, bool answering);

#define SRV_CONN_GRACE_US ((int64_t)60 * 1000000)

struct srv_conns;
struct srv_conn;

/* NULL when out of memory. `behind` may be NULL (never). */
struct srv_conns *srv_conns_new(const struct srv_conn_limits *lim,
                                srv_conn_kick_fn kick,
                                srv_conn_behind_fn behind, void *ctx);
/* Every record must have been closed. */
void srv_conns_free(struct srv_conns *t);

/* May a connection from `a` be accepted now? Makes room by kicking as
 * described above; false: refuse it. */
bool srv_conn_admit(struct srv_conns *t, const struct srv_addr *a, bool exempt,
                    int64_t now_us);
/* A connection was accepted on `fd`: its record, waiting for a head.
 * NULL when out of memory (the connection then goes unguarded). */
struct srv_conn *srv_conn_open(struct srv_conns *t, int fd,
                               const struct srv_addr *a, bool exempt,
                               int64_t now_us);
/* libmicrohttpd is closing it. Accepts NULL. */
void srv_conn_close(struct srv_conns *t, struct srv_conn *c);

/* The request's head is complete; a body of about `body_len` bytes
 * follows (0: none). */
void srv_conn_head_done(struct srv_conns *t, struct srv_conn *c,
                        uint64_t body_len, int64_t now_us);
/* The body is complete: the handler runs. */
void srv_conn_working(struct srv_conns *t, struct srv_conn *c);
/* An answer of `bytes` is queued. */
void srv_conn_answering(struct srv_conns *t, struct srv_conn *c, uint64_t bytes,
                        int64_t now_us);
/* The request is done; the connection waits for the next head. */
void srv_conn_idle(struct srv_conns *t, struct srv_conn *c, int64_t now_us);
/* A request on it authenticated a screen or a user. */
void srv_conn_trust(struct srv_conns *t, struct srv_conn *c);

/* Kicks every connection past its deadline. Returns how many. */
unsigned srv_conn_sweep(struct srv_conns *t, int64_t now_us);
void srv_conn_stats(struct srv_conns *t, struct srv_conn_stats *out);

#endif
