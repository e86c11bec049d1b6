/*
 * rawhttp.h: a small HTTP/1.1 client over plain sockets, for the tests
 * that need what libcurl does not give them: the source address (any of
 * 127.0.0.0/8 is this machine), many connections kept open at once, bytes
 * sent as slowly as an attacker would, a body chunked past a limit, and
 * thousands of requests on one kept-alive connection.
 */
#ifndef RAWHTTP_H
#define RAWHTTP_H

#include <stddef.h>
#include <stdint.h>

struct rawhttp_resp {
    int status; /* 0: no answer */
    char *head; /* status line and headers, NUL-terminated */
    char *body; /* NUL-terminated */
    size_t body_len;
};

/* A TCP connection to 127.0.0.1:port from `src` (a loopback address such
 * as "127.0.0.2"; NULL: the kernel's choice). `nonblock`: the socket is
 * left non-blocking (for the many slow clients of one thread). The
 * descriptor, or -1. */
int rawhttp_connect(const char *src, unsigned port, int nonblock);
/* Sends all of it (blocking sockets). 0 or -1. */
int rawhttp_send(int fd, const void *data, size_t len);
/* Reads one answer within timeout_ms: head, then a body of its
 * Content-Length. 0, or -1 (closed, reset or timed out before a whole
 * answer; out->status may still be set from the head). */
int rawhttp_read(int fd, int timeout_ms, struct rawhttp_resp *out);
/* rawhttp_send + rawhttp_read. */
int rawhttp_exchange(int fd, const char *request, int timeout_ms,
                     struct rawhttp_resp *out);
void rawhttp_resp_free(struct rawhttp_resp *r);
/* The value of header `name` in r->head (case-insensitive), copied into
 * out; NULL if absent. */
const char *rawhttp_header(const struct rawhttp_resp *r, const char *name,
                           char *out, size_t size);
/* Raises this process's soft limit of open files to the hard one;
 * returns the new soft limit. */
unsigned long rawhttp_raise_nofile(void);
/* Monotonic milliseconds. */
int64_t rawhttp_ms(void);

#endif
