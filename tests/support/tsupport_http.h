/*
 * tsupport_http.h: a small real HTTP file server for the integration tests
 * (libmicrohttpd on 127.0.0.1, a port chosen at run time).
 *
 * It serves the files under `root` at the same URL paths
 * (GET /api/v1/assets/<sha> -> <root>/api/v1/assets/<sha>), with a strong
 * ETag (the sha256 of the bytes, quoted) and 304 for a matching
 * If-None-Match, and answers 401 unless the request carries
 * "Authorization: Bearer <token>". It is test infrastructure standing in
 * for the content server's static paths, not a mock of its logic; it can
 * be told to misbehave (500, truncated body, delay) on some paths.
 *
 * Test code only: errors are printed to stderr and returned as -1.
 */
#ifndef TSUPPORT_HTTP_H
#define TSUPPORT_HTTP_H

#include <stddef.h>

struct tsupport_http;

enum tsupport_http_fault {
    TSUPPORT_HTTP_OK = 0,   /* behave */
    TSUPPORT_HTTP_500,      /* answer 500 Internal Server Error */
    TSUPPORT_HTTP_TRUNCATE, /* announce the full length, send half, close */
    TSUPPORT_HTTP_DELAY,    /* wait delay_ms, then answer normally */
};

/* Starts serving `root`; `token` is the bearer token to require. 0 or -1. */
int tsupport_http_start(const char *root, const char *token,
                        struct tsupport_http **out);
int tsupport_http_port(const struct tsupport_http *h);
/* "http://127.0.0.1:<port>" */
const char *tsupport_http_url(const struct tsupport_http *h);

/* Misbehave on requests whose path contains `path_part` (NULL = all), for
 * the next `count` such requests (-1 = until told otherwise). A new call
 * replaces the previous fault. */
void tsupport_http_fault(struct tsupport_http *h, enum tsupport_http_fault f,
                         const char *path_part, int count, int delay_ms);

/* Requests so far whose path contains `path_part` (NULL = all), and how
 * many of them were answered 304. */
unsigned tsupport_http_hits(struct tsupport_http *h, const char *path_part);
unsigned tsupport_http_not_modified(struct tsupport_http *h);

/* Stops the server and frees. Accepts NULL. */
void tsupport_http_stop(struct tsupport_http *h);

#endif
