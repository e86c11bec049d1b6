/*
 * srv_fetch.h: the importers' one HTTP client, a thin edge over libcurl
 * (srv_fetch.c is the only libcurl file of import/).
 *
 * The address is given by a user, so everything a fetch may reach is
 * bounded (server-side request forgery):
 *   - https only; no credentials in the URL; no proxy from the
 *     environment;
 *   - every address actually connected to (the first and every redirect,
 *     after DNS: also a name that resolves to an inner address, and a
 *     rebinding between look-ups) must be a public unicast address: no
 *     loopback, private (10/8, 172.16/12, 192.168/16, fc00::/7),
 *     link-local (169.254/16, fe80::/10), carrier-grade NAT, multicast,
 *     documentation, benchmarking or reserved ranges, no IPv4-mapped or
 *     -compatible forms of those;
 *   - at most 3 redirects, https to https;
 *   - a connect timeout, a whole-transfer timeout and a floor on the speed
 *     (a feed that trickles is cut off);
 *   - a size limit on the body, counted after decompression.
 * The test-only setting `allow_loopback` (the server's environment
 * variable INFOTAULU_TEST_IMPORT_LOOPBACK=1, never a configuration key)
 * also allows http:// and 127.0.0.0/8 and ::1, so that the tests can
 * serve feeds from a server on loopback; nothing else changes.
 */
#ifndef SRV_FETCH_H
#define SRV_FETCH_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

#include "taulu_buf.h"

struct srv_fetch_opts {
    size_t max_bytes;          /* the body's limit */
    long timeout_s;            /* the whole transfer */
    long connect_timeout_s;    /* one connection */
    bool allow_loopback;       /* tests only (see above) */
    const char *user_agent;    /* NULL: "Infotaulu" */
    const char *accept;        /* the Accept header, or NULL */
    const char *etag;          /* If-None-Match, or NULL */
    const char *last_modified; /* If-Modified-Since, or NULL */
};

struct srv_fetch_result {
    long status;           /* the final answer's: 200, 304 */
    struct taulu_buf body; /* initialised by srv_fetch(); caller releases */
    char etag[256];        /* "" when none */
    char last_modified[64];
    char content_type[128];
};

/* Whether `url` may be fetched at all (scheme, no credentials, a host, at
 * most 2000 bytes, no white space): 0, or TAULU_EINVAL with err. */
int srv_fetch_url_ok(const char *url, bool allow_loopback, char *err,
                     size_t err_size);

/* Whether an address may be connected to (see above). */
bool srv_fetch_addr_ok(const struct sockaddr *sa, bool allow_loopback);

/*
 * GET `url`. 0 with r->status 2xx (body filled) or 304 (not modified);
 * TAULU_EVALUE for another status (err names it), TAULU_ELIMIT for a body
 * over max_bytes, TAULU_EINVAL for a URL or an address that is not
 * allowed, TAULU_EUNAVAIL for the network (no connection, timeout, TLS,
 * DNS; err says which). err is English, for the source's owner.
 */
int srv_fetch(const char *url, const struct srv_fetch_opts *o,
              struct srv_fetch_result *r, char *err, size_t err_size);

/* curl_global_init(); once, before any thread fetches. */
int srv_fetch_global_init(void);

#endif
