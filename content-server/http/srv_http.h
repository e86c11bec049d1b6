/*
 * srv_http.h: the HTTP edge (libmicrohttpd) and the router.
 *
 * srv_http.c is the only file that calls libmicrohttpd. Handlers get a
 * struct srv_req with the parsed request (method, path, ids from the path,
 * body, the authenticated actor) and set their answer with srv_reply_*();
 * the edge turns that into the HTTP response, adds the security headers and
 * counts it in /metrics.
 *
 * The edge knows nothing of the API above it (api/): what it needs is
 * given to srv_http_start() as options (address, limits, timeouts, the
 * static files) and hooks (the route table, the context every request
 * carries as r->app, and three callbacks: who is calling, may they use
 * this route at all, and record a refusal the edge made itself).
 *
 * Routing: a table of {method, pattern, auth, scope, action, handler,
 * max_body}. `auth` says who may call the route at all (anyone, a
 * signed-in user, a screen); `action` names the policy action (an api/
 * value the edge only hands back). For routes that need no object
 * (SRV_SCOPE_GLOBAL) the router asks the check_route hook before the
 * handler runs; for object routes (SRV_SCOPE_OBJECT) the handler checks
 * with the loaded object and sets r->authorized (api/'s srv_authorize()),
 * and the router refuses to send a success answer from a handler that did
 * not (logged as a bug, 500). So every route is visibly checked, in one
 * place or the other.
 *
 * Per-request state is allocated on libmicrohttpd's first call for a
 * request and freed in its completion callback.
 */
#ifndef SRV_HTTP_H
#define SRV_HTTP_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "srv_addr.h"
#include "srv_json.h"
#include "srv_metrics.h"
#include "srv_pool.h"
#include "srv_store.h"
#include "taulu_buf.h"
#include "taulu_err.h"

#define SRV_MAX_PARAMS  3
#define SRV_MAX_HEADERS 4

/* What the handlers share, defined by the layer above (api/srv_app.h):
 * the edge only carries a pointer to it in every request. */
struct srv_app;

enum srv_auth_kind {
    SRV_AUTH_PUBLIC = 0, /* anyone */
    SRV_AUTH_USER,       /* a session cookie or an API token */
    SRV_AUTH_SCREEN,     /* a screen token */
};

enum srv_scope_kind {
    SRV_SCOPE_NONE = 0, /* public routes: no policy action */
    SRV_SCOPE_GLOBAL,   /* the router asks the check_route hook */
    SRV_SCOPE_OBJECT,   /* the handler checks with the loaded object */
};

struct srv_req;
typedef void (*srv_handler_fn)(struct srv_req *r);

struct srv_route {
    const char *method;  /* "GET", "POST", "PUT", "DELETE" */
    const char *pattern; /* "/api/v1/items/{id}" */
    enum srv_auth_kind auth;
    enum srv_scope_kind scope;
    int action; /* the policy's action (api/srv_policy.h enum srv_action),
                   for the check_route hook; opaque here */
    srv_handler_fn handler;
    /* The largest request body; 0 = the options' max_body. A route that
     * takes more (image uploads) and is not public has its caller
     * authenticated before the body is read. */
    size_t max_body;
};

struct srv_req {
    struct srv_app *app;
    void *conn; /* the MHD connection, opaque to handlers */
    const char *method;
    const char *path;
    const struct srv_route *route;
    /* The route's index in the table; for static files the table's
     * length, for no route its length + 1 (as the /metrics labels). */
    unsigned route_index;
    int64_t params[SRV_MAX_PARAMS]; /* {id}s from the path, in order */
    /* {key}s from the path, in order: [A-Za-z0-9_.-]{1,64} (pool) */
    const char *keys[SRV_MAX_PARAMS];
    struct srv_pool pool;
    struct taulu_buf body;
    bool body_too_large;
    uint64_t discarded; /* body bytes thrown away past the limit */
    int64_t start_us;
    /* The client: the peer's address, or X-Forwarded-For's last entry on
     * a connection from a trusted proxy (srv_addr.h); and its group, which
     * the per-address limits count in ("2001:db8::/64"). */
    char client_ip[SRV_ADDR_TEXT];
    char client_group[SRV_ADDR_TEXT];
    /* Reached over TLS as far as the server can tell: cookies get Secure
     * (srv_http_options.secure, secure_via_proxy). */
    bool secure;
    void *guard; /* the connection's deadline record (srv_conn.h) */

    /* who is calling */
    struct srv_actor actor;
    struct srv_user user;     /* when actor.kind == SRV_ACTOR_USER */
    struct srv_screen screen; /* when actor.kind == SRV_ACTOR_SCREEN */
    bool via_cookie;
    const char *csrf; /* the session's CSRF token (cookie sessions) */
    uint8_t session_hash[32];
    bool authorized; /* the route's policy check said yes */

    /* the answer */
    int status;
    const char *content_type;
    char *resp; /* malloc'd, or NULL */
    size_t resp_len;
    int resp_fd; /* a static file, or -1 */
    uint64_t resp_fd_size;
    bool no_store;             /* Cache-Control: no-store */
    const char *cache_control; /* overrides the above when set (static) */
    const char *hdr_name[SRV_MAX_HEADERS];
    const char *hdr_value[SRV_MAX_HEADERS]; /* pool strings */
    unsigned nhdr;
};

struct srv_http;

/* How to serve. */
struct srv_http_options {
    const char *listen_addr; /* a numeric IPv4 or IPv6 address */
    unsigned port;           /* 0: the kernel chooses */
    unsigned threads;        /* 0: 2 x cores, at least 4 */
    unsigned conn_timeout;   /* seconds a connection may idle */
    size_t max_body;         /* bytes of a request body, unless the route
                                says otherwise */
    /* Slow clients (srv_conn.h): seconds to send a complete request head;
     * seconds (plus its size at SRV_HTTP_MIN_RATE) to send a body or to
     * take an answer; 0: the defaults (10 and 30). */
    unsigned head_timeout;
    unsigned body_timeout;
    /* Connections in all (0: as many as the descriptor limit and memory
     * allow, see srv_http_capacity()) and untrusted ones per address
     * group (0: 128). */
    unsigned max_conns;
    unsigned max_per_addr;
    /* Reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are
     * believed (srv_addr.h); their connections have no per-address
     * budget. */
    struct srv_addr trusted_proxy[SRV_ADDR_MAX_PROXY];
    size_t n_trusted_proxy;
    /* Cookies get Secure and answers carry Strict-Transport-Security:
     * `secure` on every answer; `secure_via_proxy` on answers to requests
     * a trusted proxy says came over https. */
    bool secure;
    bool secure_via_proxy;
    int web_root_fd;             /* static files from this directory; -1 = none
                                    (borrowed: the caller closes it) */
    struct srv_metrics *metrics; /* counts every answer (borrowed) */
};

/* The least rate, bytes a second, a body or an answer must keep up: a
 * body's or answer's deadline is body_timeout plus its size at this
 * rate (8 MiB: 256 s more). */
#define SRV_HTTP_MIN_RATE (32u * 1024u)

/* The connections srv_http_start() will allow for `wanted` (0: as many as
 * possible): at most the descriptors the process may open (after raising
 * its soft limit to the hard one) less what the rest of the server needs,
 * at most what an eighth of the memory holds at SRV_HTTP_CONN_COST bytes
 * each, at most 16384. */
#define SRV_HTTP_CONN_COST (64u * 1024u)
unsigned srv_http_capacity(unsigned wanted, unsigned threads);

/* What the layer above plugs in. All are required and borrowed: they must
 * outlive the server. */
struct srv_http_hooks {
    const struct srv_route *routes; /* the table to route by */
    unsigned nroutes;
    struct srv_app *app; /* r->app of every request */
    /* Who is calling: fills r->actor (SRV_ACTOR_ANON when no credential
     * was presented) and the rest of the caller's state in r. 0, or
     * TAULU_EANSWERED when it answered (a bad credential: 401, 500). */
    int (*authenticate)(struct srv_req *r);
    /* For a SRV_SCOPE_GLOBAL route (r->route): may r->actor do its
     * action at all? 0, or TAULU_EANSWERED (refused, recorded, answered). */
    int (*check_route)(struct srv_req *r);
    /* Records a refusal the edge answered itself (a credential of the
     * wrong kind, a failed CSRF check): `what` names it (the route's
     * pattern, "csrf"). */
    void (*refused)(struct srv_req *r, const char *what);
};

/* Starts serving. Writes the bound port to *port. 0, TAULU_EINVAL (bad
 * address), TAULU_ENOMEM, TAULU_EIO (cannot bind). */
int srv_http_start(const struct srv_http_options *opt,
                   const struct srv_http_hooks *hooks, struct srv_http **out,
                   unsigned *port);
/* Stops accepting, finishes the requests in flight, frees. */
void srv_http_stop(struct srv_http *h);

/* Request accessors for handlers. */
const char *srv_req_header(struct srv_req *r, const char *name);
const char *srv_req_query(struct srv_req *r, const char *name);
const char *srv_req_cookie(struct srv_req *r, const char *name);

/* Answers. srv_reply_json takes over `body` (deletes it). */
void srv_reply_json(struct srv_req *r, int status, cJSON *body);
void srv_reply_error(struct srv_req *r, int status, const char *code,
                     const char *field);
void srv_reply_verr(struct srv_req *r, const struct srv_verr *e);
void srv_reply_text(struct srv_req *r, int status, const char *type,
                    const char *text, size_t len);
void srv_reply_empty(struct srv_req *r, int status);
/* Adds a response header (both strings are copied). */
void srv_reply_header(struct srv_req *r, const char *name, const char *value);

/* Parses the JSON body (requires Content-Type: application/json). 0 and
 * *out (caller deletes), or TAULU_EANSWERED: the error (415, 400) is
 * answered, the caller only returns. */
int srv_req_json(struct srv_req *r, cJSON **out);

/* Monotonic microseconds. */
int64_t srv_monotonic_us(void);

/* Percent-decodes a URL path or query in place (the server's unescape
 * callback): "%XX" becomes its byte, except that %00 becomes 0x01 so the
 * string is never cut short; a '%' without two hex digits stays as it is.
 * Returns the new length (== strlen(s) afterwards). */
size_t srv_http_unescape(char *s);

#endif
