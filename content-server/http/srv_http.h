/*
 * srv_http.h: the HTTP edge (libmicrohttpd) and the router.
 *
 * srv_http.c is the only file that calls libmicrohttpd. Handlers get a
 * struct srv_req with the parsed request (method, path, ids from the path,
 * body, the authenticated actor) and set their answer with srv_reply_*();
 * the edge turns that into the HTTP response, adds the security headers and
 * counts it in /metrics.
 *
 * Routing: a table of {method, pattern, auth, action, handler}. `auth` says
 * who may call the route at all (anyone, a signed-in user, a screen);
 * `action` names the policy action. For actions that need no object
 * (SRV_SCOPE_GLOBAL) the router itself asks srv_can() before the handler
 * runs; for object actions (SRV_SCOPE_OBJECT) the handler must call
 * srv_authorize() with the loaded object, and the router refuses to send a
 * success answer from a handler that did not (logged as a bug, 500). So
 * every route is visibly checked, in one place or the other.
 *
 * Per-request state is allocated on libmicrohttpd's first call for a
 * request and freed in its completion callback.
 */
#ifndef SRV_HTTP_H
#define SRV_HTTP_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdint.h>

#include "srv_auth.h"
#include "srv_config.h"
#include "srv_json.h"
#include "srv_metrics.h"
#include "srv_policy.h"
#include "srv_pool.h"
#include "srv_store.h"
#include "taulu_buf.h"
#include "taulu_err.h"

#define SRV_SESSION_COOKIE "taulu_session"
#define SRV_MAX_PARAMS     3
#define SRV_MAX_HEADERS    4

/* Everything the handlers share; lives for the whole run. */
struct srv_app {
    struct srv_config cfg; /* reloadable parts change only on SIGHUP,
                              between requests: see srv_main.c */
    struct srv_store *store;
    struct srv_ratelimit *rl_account;
    struct srv_ratelimit *rl_ip;
    struct srv_metrics *metrics;
    int web_root_fd; /* -1 = no static files */
    int64_t started_at;
    /* The checker and renderer (srv_check.h); NULL in tests of the API
     * alone: then items are stored unchecked and /check answers 503. */
    struct srv_checker *checker;
    /* The publishing side (srv_pubapp.h); NULL when not started (tests of
     * the API alone): then its hooks do nothing. */
    struct srv_pubapp *pub;
};

enum srv_auth_kind {
    SRV_AUTH_PUBLIC = 0, /* anyone */
    SRV_AUTH_USER,       /* a session cookie or an API token */
    SRV_AUTH_SCREEN,     /* a screen token */
};

enum srv_scope_kind {
    SRV_SCOPE_NONE = 0, /* public routes: no policy action */
    SRV_SCOPE_GLOBAL,   /* the router checks srv_can(actor, action, NULL) */
    SRV_SCOPE_OBJECT,   /* the handler checks with the loaded object */
};

struct srv_req;
typedef void (*srv_handler_fn)(struct srv_req *r);

struct srv_route {
    const char *method;  /* "GET", "POST", "PUT", "DELETE" */
    const char *pattern; /* "/api/v1/items/{id}" */
    enum srv_auth_kind auth;
    enum srv_scope_kind scope;
    enum srv_action action;
    srv_handler_fn handler;
};

struct srv_req {
    struct srv_app *app;
    void *conn; /* the MHD connection, opaque to handlers */
    const char *method;
    const char *path;
    const struct srv_route *route;
    unsigned route_index;
    int64_t params[SRV_MAX_PARAMS]; /* {id}s from the path, in order */
    /* {key}s from the path, in order: [A-Za-z0-9_.-]{1,64} (pool) */
    const char *keys[SRV_MAX_PARAMS];
    struct srv_pool pool;
    struct taulu_buf body;
    bool body_too_large;
    int64_t start_us;
    char client_ip[64];

    /* who is calling */
    struct srv_actor actor;
    struct srv_user user;     /* when actor.kind == SRV_ACTOR_USER */
    struct srv_screen screen; /* when actor.kind == SRV_ACTOR_SCREEN */
    bool via_cookie;
    const char *csrf; /* the session's CSRF token (cookie sessions) */
    uint8_t session_hash[32];
    bool authorized; /* srv_authorize() said yes */

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

/* The largest request body of a route: SRV_UPLOAD_MAX for image uploads,
 * the JSON limit for everything else. */
#define SRV_UPLOAD_MAX (8u * 1024u * 1024u)

/* Starts serving. `routes` (borrowed, must outlive the server) is the
 * table to route by. Writes the bound port to *port. 0, TAULU_EINVAL (bad
 * address), TAULU_EIO (cannot bind). */
int srv_http_start(struct srv_app *app, const struct srv_route *routes,
                   unsigned nroutes, struct srv_http **out, unsigned *port);
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

/*
 * The object check for SRV_SCOPE_OBJECT routes: 0 if the actor may do the
 * route's action on `o` (or on `action` if not the route's), otherwise
 * answers 403/404, writes a refusal to the audit log and returns
 * TAULU_EANSWERED.
 */
int srv_authorize(struct srv_req *r, enum srv_action action,
                  const struct srv_object *o, const char *object_type,
                  int64_t object_id);

/* Writes a refused attempt to the audit log (for refusals other than the
 * policy's, e.g. a failed login). */
void srv_audit_refusal(struct srv_req *r, const char *action,
                       const char *object_type, int64_t object_id,
                       const char *details);

/* Monotonic microseconds. */
int64_t srv_monotonic_us(void);

/* Percent-decodes a URL path or query in place (the server's unescape
 * callback): "%XX" becomes its byte, except that %00 becomes 0x01 so the
 * string is never cut short; a '%' without two hex digits stays as it is.
 * Returns the new length (== strlen(s) afterwards). */
size_t srv_http_unescape(char *s);

#endif
