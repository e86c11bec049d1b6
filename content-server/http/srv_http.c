/*
 * srv_http.c: the libmicrohttpd edge and the router (see srv_http.h).
 *
 * Threads: MHD's internal polling with epoll and a thread pool
 * (options.threads, default 2 x cores, at least 4). A handler runs on the
 * thread that owns the connection and may block on the database or on a
 * password hash; more threads than cores keep the other connections moving
 * meanwhile, and the store has one connection per thread.
 */
#include "srv_http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <linux/sockios.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "srv_conn.h"

#include "srv_msg.h"
#include "srv_static.h"
#include "taulu_crypto.h"
#include "taulu_err.h"
#include "taulu_hex.h"
#include "taulu_log.h"

#define TAG       "http"
#define MAX_DEPTH 8
#define CSP                                                                    \
    "default-src 'self'; frame-ancestors 'none'; base-uri 'none';"             \
    " form-action 'self'; object-src 'none'"

struct srv_http {
    struct MHD_Daemon *daemon;
    struct srv_http_options opt;
    struct srv_http_hooks hooks;
    struct srv_conns *conns; /* deadlines and budgets (srv_conn.h) */
    pthread_t sweep_thread;
    pthread_mutex_t sweep_mu;
    pthread_cond_t sweep_cv; /* on CLOCK_MONOTONIC */
    bool stopping;
};

int64_t srv_monotonic_us(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* ------------------------------------------------------------------ */
/* Request accessors and answers */

const char *srv_req_header(struct srv_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *srv_req_query(struct srv_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *srv_req_cookie(struct srv_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
}

static void set_body(struct srv_req *r, char *body, size_t len)
{
    free(r->resp);
    r->resp = body;
    r->resp_len = len;
}

void srv_reply_json(struct srv_req *r, int status, cJSON *body)
{
    char *text = body ? cJSON_PrintUnformatted(body) : NULL;

    cJSON_Delete(body);
    if (!text) {
        static const char fallback[] =
            "{\"error\":{\"code\":\"internal\",\"message\":{\"fi\":\"Virhe\","
            "\"sv\":\"Fel\",\"en\":\"Error\"},\"field\":null}}";
        text = strdup(fallback);
        if (!text) {
            abort();
        }
        status = 500;
    }
    r->status = status;
    r->content_type = "application/json";
    set_body(r, text, strlen(text));
}

void srv_reply_error(struct srv_req *r, int status, const char *code,
                     const char *field)
{
    const struct srv_msg *m = srv_msg_find_field(code, field);
    cJSON *root = cJSON_CreateObject();
    cJSON *err = cJSON_AddObjectToObject(root, "error");
    cJSON *msg;

    if (!m) {
        m = srv_msg_find(code);
    }
    if (err) {
        cJSON_AddStringToObject(err, "code", m->code);
        msg = cJSON_AddObjectToObject(err, "message");
        if (msg) {
            cJSON_AddStringToObject(msg, "fi", m->fi);
            cJSON_AddStringToObject(msg, "sv", m->sv);
            cJSON_AddStringToObject(msg, "en", m->en);
        }
        srv_json_add_str(err, "field", field && *field ? field : NULL);
    }
    srv_reply_json(r, status, root);
}

void srv_reply_verr(struct srv_req *r, const struct srv_verr *e)
{
    srv_reply_error(r, e->status, e->code, e->field);
}

void srv_reply_text(struct srv_req *r, int status, const char *type,
                    const char *text, size_t len)
{
    char *copy = malloc(len + 1);

    if (!copy) {
        abort();
    }
    memcpy(copy, text, len);
    copy[len] = '\0';
    r->status = status;
    r->content_type = type;
    set_body(r, copy, len);
}

void srv_reply_empty(struct srv_req *r, int status)
{
    r->status = status;
    r->content_type = NULL;
    set_body(r, NULL, 0);
}

void srv_reply_header(struct srv_req *r, const char *name, const char *value)
{
    if (r->nhdr >= SRV_MAX_HEADERS) {
        taulu_err(TAG, "too many response headers");
        return;
    }
    r->hdr_name[r->nhdr] = srv_pool_strdup(&r->pool, name);
    r->hdr_value[r->nhdr] = srv_pool_strdup(&r->pool, value);
    r->nhdr++;
}

int srv_req_json(struct srv_req *r, cJSON **out)
{
    const char *ct = srv_req_header(r, "Content-Type");
    struct srv_verr e;
    size_t n;

    *out = NULL;
    /* application/json, optionally with parameters (charset=utf-8). A
     * cross-site form cannot send this type without a preflight. */
    n = strlen("application/json");
    if (!ct || strncasecmp(ct, "application/json", n) != 0 ||
        (ct[n] != '\0' && ct[n] != ';' && ct[n] != ' ')) {
        srv_reply_error(r, 415, "unsupported_media_type", NULL);
        return TAULU_EANSWERED;
    }
    if (srv_json_parse(r->body.data, r->body.len, MAX_DEPTH, out, &e) < 0) {
        srv_reply_verr(r, &e);
        return TAULU_EANSWERED;
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* Routing */

/* Matches path against pattern, collecting {id} segments (numbers) and
 * {key} segments ([A-Za-z0-9_.-]{1,64}, e.g. a screen id or a sha256). 1 on
 * a match. */
static int match(const char *pattern, const char *path, int64_t *params,
                 unsigned *nparams, const char **keys, size_t *keylen,
                 unsigned *nkeys)
{
    const char *p = pattern, *u = path;

    *nparams = 0;
    *nkeys = 0;
    while (*p && *u) {
        if (strncmp(p, "{id}", 4) == 0) {
            const char *end = u;
            while (*end && *end != '/') {
                end++;
            }
            if (*nparams >= SRV_MAX_PARAMS ||
                srv_parse_id(u, (size_t)(end - u), &params[*nparams]) != 0) {
                return 0;
            }
            (*nparams)++;
            p += 4;
            u = end;
            continue;
        }
        if (strncmp(p, "{key}", 5) == 0) {
            const char *end = u;
            while ((*end >= 'a' && *end <= 'z') ||
                   (*end >= 'A' && *end <= 'Z') ||
                   (*end >= '0' && *end <= '9') || *end == '_' || *end == '.' ||
                   *end == '-') {
                end++;
            }
            if (*nkeys >= SRV_MAX_PARAMS || end == u || end - u > 64 ||
                (*end && *end != '/')) {
                return 0;
            }
            keys[*nkeys] = u;
            keylen[*nkeys] = (size_t)(end - u);
            (*nkeys)++;
            p += 5;
            u = end;
            continue;
        }
        if (*p != *u) {
            return 0;
        }
        p++;
        u++;
    }
    return *p == '\0' && *u == '\0';
}

static bool is_write(const char *method)
{
    return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0;
}

static void check_csrf(struct srv_req *r, bool *ok)
{
    const char *h = srv_req_header(r, "X-CSRF-Token");

    *ok = r->csrf && h && strlen(h) == strlen(r->csrf) &&
          taulu_secret_equal(h, r->csrf, strlen(r->csrf));
}

static bool kind_ok(const struct srv_route *rt, const struct srv_req *r)
{
    return (rt->auth != SRV_AUTH_USER || r->actor.kind == SRV_ACTOR_USER) &&
           (rt->auth != SRV_AUTH_SCREEN || r->actor.kind == SRV_ACTOR_SCREEN);
}

/* The route a request goes to by method and path alone, or NULL (the
 * {id}s and {key}s are collected by route_api()). */
static const struct srv_route *find_route(struct srv_http *h, const char *path,
                                          const char *method)
{
    int64_t params[SRV_MAX_PARAMS];
    const char *keys[SRV_MAX_PARAMS];
    size_t keylen[SRV_MAX_PARAMS];
    unsigned i, np, nk;

    if (strcmp(method, "HEAD") == 0) {
        method = "GET";
    }
    for (i = 0; i < h->hooks.nroutes; i++) {
        if (strcmp(h->hooks.routes[i].method, method) == 0 &&
            match(h->hooks.routes[i].pattern, path, params, &np, keys, keylen,
                  &nk)) {
            return &h->hooks.routes[i];
        }
    }
    return NULL;
}

/* Routes the request and runs its handler. false if it is not the
 * router's: no pattern matches the path and it is not under /api/ (a
 * static file, then). */
static bool route_api(struct srv_http *h, struct srv_req *r)
{
    const char *method = strcmp(r->method, "HEAD") == 0 ? "GET" : r->method;
    const struct srv_route *routes = h->hooks.routes, *rt = NULL;
    bool path_known = false, csrf_ok;
    unsigned i, k, np, nk;
    int64_t params[SRV_MAX_PARAMS];
    const char *keys[SRV_MAX_PARAMS];
    size_t keylen[SRV_MAX_PARAMS];
    char allow[64] = "";

    for (i = 0; i < h->hooks.nroutes; i++) {
        if (!match(routes[i].pattern, r->path, params, &np, keys, keylen,
                   &nk)) {
            continue;
        }
        path_known = true;
        if (strcmp(routes[i].method, method) == 0) {
            rt = &routes[i];
            r->route_index = i;
            memcpy(r->params, params, sizeof(params));
            for (k = 0; k < nk; k++) {
                r->keys[k] = srv_pool_strndup(&r->pool, keys[k], keylen[k]);
            }
            break;
        }
        if (strlen(allow) + strlen(routes[i].method) + 3 < sizeof(allow)) {
            if (allow[0]) {
                memcpy(allow + strlen(allow), ", ", 3);
            }
            memcpy(allow + strlen(allow), routes[i].method,
                   strlen(routes[i].method) + 1);
        }
    }
    if (!rt) {
        if (!path_known && strncmp(r->path, "/api/", 5) != 0) {
            return false;
        }
        r->route_index = h->hooks.nroutes + 1;
        if (path_known) {
            srv_reply_header(r, "Allow", allow);
            srv_reply_error(r, 405, "method_not_allowed", NULL);
        } else {
            srv_reply_error(r, 404, "not_found", NULL);
        }
        return true;
    }
    r->route = rt;
    if (r->body_too_large) {
        srv_reply_error(r, 413, "body_too_large", NULL);
        return true;
    }
    if (rt->auth != SRV_AUTH_PUBLIC) {
        if (h->hooks.authenticate(r) == TAULU_EANSWERED) {
            return true;
        }
        if (!kind_ok(rt, r)) {
            if (r->actor.kind != SRV_ACTOR_ANON) {
                /* A valid credential of the wrong kind (a screen token on
                 * a user route): refused, and recorded. */
                h->hooks.refused(r, rt->pattern);
                srv_reply_error(r, 403, "forbidden", NULL);
            } else {
                srv_reply_header(r, "WWW-Authenticate", "Bearer");
                srv_reply_error(r, 401, "unauthorized", NULL);
            }
            return true;
        }
        if (r->via_cookie && is_write(r->method)) {
            check_csrf(r, &csrf_ok);
            if (!csrf_ok) {
                h->hooks.refused(r, "csrf");
                srv_reply_error(r, 403, "csrf_failed", NULL);
                return true;
            }
        }
    }
    if (rt->scope == SRV_SCOPE_GLOBAL) {
        if (h->hooks.check_route(r) == TAULU_EANSWERED) {
            return true;
        }
        r->authorized = true;
    }
    rt->handler(r);
    if (rt->scope == SRV_SCOPE_OBJECT && !r->authorized && r->status < 400) {
        taulu_err(TAG, "BUG: %s %s answered without an object check",
                  rt->method, rt->pattern);
        srv_reply_error(r, 500, "internal", NULL);
    }
    return true;
}

static void serve_static(struct srv_http *h, struct srv_req *r)
{
    const char *type = NULL;
    uint64_t size = 0;
    int fd = -1;

    r->route_index = h->hooks.nroutes;
    if (strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0) {
        srv_reply_header(r, "Allow", "GET, HEAD");
        srv_reply_error(r, 405, "method_not_allowed", NULL);
        return;
    }
    if (srv_static_open(h->opt.web_root_fd, r->path, &fd, &size, &type) != 0) {
        srv_reply_error(r, 404, "not_found", NULL);
        return;
    }
    r->status = 200;
    r->content_type = type;
    r->resp_fd = fd;
    r->resp_fd_size = size;
    r->no_store = false;
}

static void dispatch(struct srv_http *h, struct srv_req *r)
{
    if (!route_api(h, r)) {
        serve_static(h, r);
    }
    if (r->status == 0) {
        taulu_err(TAG, "BUG: no answer for %s", r->path);
        srv_reply_error(r, 500, "internal", NULL);
    }
}

/* ------------------------------------------------------------------ */
/* libmicrohttpd callbacks */

static void add_headers(struct srv_req *r, struct MHD_Response *res)
{
    unsigned i;

    MHD_add_response_header(res, "Content-Security-Policy", CSP);
    MHD_add_response_header(res, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(res, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(res, "X-Frame-Options", "DENY");
    MHD_add_response_header(res, "Cross-Origin-Opener-Policy", "same-origin");
    MHD_add_response_header(res, "Cross-Origin-Resource-Policy", "same-origin");
    if (r->secure) {
        MHD_add_response_header(res, "Strict-Transport-Security",
                                "max-age=31536000");
    }
    MHD_add_response_header(res, "Cache-Control",
                            r->cache_control ? r->cache_control
                            : r->no_store    ? "no-store"
                                             : "no-cache");
    if (r->content_type) {
        MHD_add_response_header(res, "Content-Type", r->content_type);
    }
    for (i = 0; i < r->nhdr; i++) {
        MHD_add_response_header(res, r->hdr_name[i], r->hdr_value[i]);
    }
}

static enum MHD_Result send_answer(struct srv_req *r)
{
    struct MHD_Response *res;
    enum MHD_Result ret;

    if (r->resp_fd >= 0) {
        res = MHD_create_response_from_fd64(r->resp_fd_size, r->resp_fd);
        if (res) {
            r->resp_fd = -1; /* MHD closes it */
        }
    } else {
        static char empty[1];
        res = MHD_create_response_from_buffer(
            r->resp_len, r->resp ? r->resp : empty,
            r->resp ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
        if (res) {
            r->resp = NULL; /* MHD frees it */
        }
    }
    if (!res) {
        return MHD_NO;
    }
    add_headers(r, res);
    ret = MHD_queue_response(r->conn, (unsigned)r->status, res);
    MHD_destroy_response(res);
    return ret;
}

/* Who is calling: the peer, or behind a trusted proxy the address it
 * forwarded; and whether the request came over TLS. */
static void client_of(struct srv_http *h, struct srv_req *r,
                      struct MHD_Connection *c)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    struct srv_addr peer, fwd;

    r->secure = h->opt.secure;
    if (srv_addr_from_sockaddr(ci ? ci->client_addr : NULL, &peer) != 0) {
        snprintf(r->client_ip, sizeof(r->client_ip), "?");
        snprintf(r->client_group, sizeof(r->client_group), "?");
        return;
    }
    if (h->opt.n_trusted_proxy &&
        srv_addr_in_list(&peer, h->opt.trusted_proxy, h->opt.n_trusted_proxy)) {
        const char *proto = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                                        "X-Forwarded-Proto");
        if (srv_addr_forwarded_for(MHD_lookup_connection_value(
                                       c, MHD_HEADER_KIND, "X-Forwarded-For"),
                                   &fwd) == 0) {
            peer = fwd;
        }
        if (h->opt.secure_via_proxy && proto &&
            strcasecmp(proto, "https") == 0) {
            r->secure = true;
        }
    }
    srv_addr_format(&peer, r->client_ip);
    srv_addr_group_text(&peer, r->client_group);
}

/* The largest body of the request's route (image uploads may be larger
 * than JSON bodies); the options' limit for no route. */
static size_t body_limit(struct srv_http *h, const struct srv_route *rt)
{
    return rt && rt->max_body ? rt->max_body : h->opt.max_body;
}

static struct srv_req *req_new(struct srv_http *h, struct MHD_Connection *c,
                               const char *url, const char *method,
                               size_t max_body)
{
    struct srv_req *r = calloc(1, sizeof(*r));
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);

    if (!r) {
        abort();
    }
    r->app = h->hooks.app;
    r->conn = c;
    r->guard = ci ? ci->socket_context : NULL;
    srv_pool_init(&r->pool);
    r->method = srv_pool_strdup(&r->pool, method);
    r->path = srv_pool_strdup(&r->pool, url);
    taulu_buf_init(&r->body, max_body);
    r->start_us = srv_monotonic_us();
    r->resp_fd = -1;
    r->no_store = true;
    r->route_index = h->hooks.nroutes + 1;
    client_of(h, r, c);
    return r;
}

static void req_free(struct srv_req *r)
{
    if (!r) {
        return;
    }
    if (r->resp_fd >= 0) {
        close(r->resp_fd);
    }
    free(r->resp);
    taulu_buf_release(&r->body);
    srv_pool_release(&r->pool);
    free(r);
}

static bool method_known(const char *m)
{
    return strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0 ||
           strcmp(m, "POST") == 0 || strcmp(m, "PUT") == 0 ||
           strcmp(m, "DELETE") == 0;
}

/* A request that authenticated a screen or a user makes its connection
 * trusted: it keeps its place when slow strangers are shed. */
static void note_caller(struct srv_http *h, struct srv_req *r)
{
    if (r->actor.kind == SRV_ACTOR_USER || r->actor.kind == SRV_ACTOR_SCREEN) {
        srv_conn_trust(h->conns, r->guard);
    }
}

/* Queues the answer and starts its deadline (its length at the least
 * rate). */
static enum MHD_Result answer(struct srv_http *h, struct srv_req *r)
{
    uint64_t bytes = r->resp_fd >= 0 ? r->resp_fd_size : r->resp_len;

    note_caller(h, r);
    srv_conn_answering(h->conns, r->guard, bytes, srv_monotonic_us());
    return send_answer(r);
}

/* How much body the head announces: Content-Length (UINT64_MAX when it
 * is not a number), or for a chunked body the route's limit; 0 for none. */
static uint64_t announced_body(struct MHD_Connection *c, size_t limit,
                               bool *has_length)
{
    const char *cl = MHD_lookup_connection_value(
        c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    const char *te = MHD_lookup_connection_value(
        c, MHD_HEADER_KIND, MHD_HTTP_HEADER_TRANSFER_ENCODING);

    *has_length = cl != NULL;
    if (cl) {
        char *end = NULL;
        unsigned long long n;

        if (*cl < '0' || *cl > '9') {
            return UINT64_MAX;
        }
        errno = 0;
        n = strtoull(cl, &end, 10);
        return !end || *end || errno ? UINT64_MAX : (uint64_t)n;
    }
    return te ? limit : 0;
}

/* A chunked body past its limit is read on and thrown away, up to this
 * much more, so that the 413 arrives as an answer and not as a reset of a
 * connection with unread data in it; a client that sends more still is
 * cut off. The body deadline bounds the time it may take. */
#define DISCARD_MAX (16u * 1024u * 1024u)

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c,
                                  const char *url, const char *method,
                                  const char *version, const char *upload,
                                  size_t *upload_size, void **state)
{
    struct srv_http *h = cls;
    struct srv_req *r = *state;

    (void)version;
    if (!r) {
        const struct srv_route *rt = find_route(h, url, method);
        size_t limit = body_limit(h, rt);
        bool has_length;
        uint64_t announced = announced_body(c, limit, &has_length);
        r = req_new(h, c, url, method, limit);
        *state = r;
        /* The head is complete: from here the body's deadline runs. */
        srv_conn_head_done(h->conns, r->guard,
                           announced > limit ? limit : announced,
                           srv_monotonic_us());
        if (has_length && announced > limit) {
            /* Answer at once, before reading the body: MHD sends this
             * and closes the connection. */
            r->body_too_large = true;
            srv_reply_error(r, 413, "body_too_large", NULL);
            return answer(h, r);
        }
        if (!method_known(method)) {
            srv_reply_header(r, "Allow", "GET, HEAD, POST, PUT, DELETE");
            srv_reply_error(r, 405, "method_not_allowed", NULL);
            return answer(h, r);
        }
        /* A route that takes megabytes (image uploads) checks who is
         * calling BEFORE the body is read, so strangers cannot make the
         * server buffer 8 MiB per connection. The router checks again. */
        if (limit > h->opt.max_body && rt->auth != SRV_AUTH_PUBLIC) {
            if (h->hooks.authenticate(r) == TAULU_EANSWERED) {
                return answer(h, r);
            }
            if (r->actor.kind == SRV_ACTOR_ANON) {
                srv_reply_header(r, "WWW-Authenticate", "Bearer");
                srv_reply_error(r, 401, "unauthorized", NULL);
                return answer(h, r);
            }
            if (!kind_ok(rt, r)) {
                h->hooks.refused(r, rt->pattern);
                srv_reply_error(r, 403, "forbidden", NULL);
                return answer(h, r);
            }
            note_caller(h, r);
        }
        return MHD_YES;
    }
    if (*upload_size) {
        if (r->body_too_large) {
            /* Past the limit: read on and throw away (see DISCARD_MAX). */
            r->discarded += *upload_size;
            *upload_size = 0;
            return r->discarded > DISCARD_MAX ? MHD_NO : MHD_YES;
        }
        if (taulu_buf_append(&r->body, upload, *upload_size) != 0) {
            /* A chunked body past the limit: MHD cannot queue an answer
             * while the body comes in, so the rest is thrown away and the
             * 413 is the answer to the whole request. */
            r->body_too_large = true;
            r->discarded = *upload_size;
            taulu_buf_release(&r->body);
        }
        *upload_size = 0;
        return MHD_YES;
    }
    if (r->status) {
        return MHD_YES; /* answered already */
    }
    srv_conn_working(h->conns, r->guard);
    if (r->body_too_large) {
        srv_reply_header(r, "Connection", "close");
        srv_reply_error(r, 413, "body_too_large", NULL);
        return answer(h, r);
    }
    dispatch(h, r);
    return answer(h, r);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **state,
                         enum MHD_RequestTerminationCode toe)
{
    struct srv_http *h = cls;
    struct srv_req *r = *state;

    (void)c;
    (void)toe;
    if (!r) {
        return;
    }
    /* Kept alive, the connection now waits for its next request's head. */
    srv_conn_idle(h->conns, r->guard, srv_monotonic_us());
    srv_metrics_request(h->opt.metrics, r->route_index, (unsigned)r->status,
                        srv_monotonic_us() - r->start_us);
    taulu_debug(TAG, "%s %s -> %d", r->method, r->path, r->status);
    req_free(r);
    *state = NULL;
}

/* ------------------------------------------------------------------ */
/* Connections: admission, deadlines and the sweeper (srv_conn.h) */

static bool exempt(struct srv_http *h, const struct srv_addr *a)
{
    return srv_addr_in_list(a, h->opt.trusted_proxy, h->opt.n_trusted_proxy);
}

/* libmicrohttpd asks before it takes a new connection on. */
static enum MHD_Result on_accept(void *cls, const struct sockaddr *sa,
                                 socklen_t len)
{
    struct srv_http *h = cls;
    struct srv_addr a;

    (void)len;
    if (srv_addr_from_sockaddr(sa, &a) != 0) {
        return MHD_NO;
    }
    return srv_conn_admit(h->conns, &a, exempt(h, &a), srv_monotonic_us())
               ? MHD_YES
               : MHD_NO;
}

static void on_connection(void *cls, struct MHD_Connection *c,
                          void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    struct srv_http *h = cls;

    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *fd =
            MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
        const union MHD_ConnectionInfo *ad =
            MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
        struct srv_addr a;

        *socket_context = NULL;
        if (fd && ad && srv_addr_from_sockaddr(ad->client_addr, &a) == 0) {
            *socket_context = srv_conn_open(h->conns, fd->connect_fd, &a,
                                            exempt(h, &a), srv_monotonic_us());
        }
        return;
    }
    /* Closed: the record goes before MHD closes the socket, so the
     * sweeper never shuts down a descriptor that was reused. */
    srv_conn_close(h->conns, *socket_context);
    *socket_context = NULL;
}

static void kick_fd(void *ctx, int fd)
{
    (void)ctx;
    shutdown(fd, SHUT_RDWR);
}

/* The server is behind, not the client: bytes received and not yet read
 * (the connection's thread is busy in another request's handler), or,
 * for an answer, nothing of it left in the socket for the client to
 * take. */
static bool behind_fd(void *ctx, int fd, bool answering)
{
    int n = 0;

    (void)ctx;
    if (ioctl(fd, answering ? SIOCOUTQ : SIOCINQ, &n) != 0) {
        return false;
    }
    return answering ? n == 0 : n > 0;
}

#define SWEEP_MS 200

static void *sweeper(void *arg)
{
    struct srv_http *h = arg;
    struct srv_conn_stats st;

    pthread_mutex_lock(&h->sweep_mu);
    while (!h->stopping) {
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        ts.tv_nsec += SWEEP_MS * 1000000L;
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&h->sweep_cv, &h->sweep_mu, &ts);
        if (h->stopping) {
            break;
        }
        pthread_mutex_unlock(&h->sweep_mu);
        srv_conn_sweep(h->conns, srv_monotonic_us());
        srv_conn_stats(h->conns, &st);
        srv_metrics_connections(h->opt.metrics, st.open - st.untrusted,
                                st.untrusted, st.kicked_deadline,
                                st.kicked_for_room, st.refused);
        pthread_mutex_lock(&h->sweep_mu);
    }
    pthread_mutex_unlock(&h->sweep_mu);
    return NULL;
}

/*
 * Percent-decoding of the path and query, in place. Like MHD's own, except
 * that %00 becomes 0x01 instead of ending the string: a C string cannot
 * hold a NUL, and a silently shortened path ("/a.html%00.js" read as
 * "/a.html") is how filters are fooled. 0x01 fails every check downstream.
 */
size_t srv_http_unescape(char *s)
{
    char *r = s, *w = s;
    int hi, lo;

    while (*r) {
        if (r[0] == '%' && (hi = taulu_hex_digit(r[1])) >= 0 &&
            (lo = taulu_hex_digit(r[2])) >= 0) {
            char v = (char)(hi * 16 + lo);
            *w++ = v ? v : '\x01';
            r += 3;
        } else {
            *w++ = *r++;
        }
    }
    *w = '\0';
    return (size_t)(w - s);
}

static size_t unescape(void *cls, struct MHD_Connection *c, char *s)
{
    (void)cls;
    (void)c;
    return srv_http_unescape(s);
}

/* libmicrohttpd's own messages, routed into our log. The format string
 * comes from the library, hence the attribute. */
__attribute__((format(printf, 2, 0))) static void
mhd_log(void *cls, const char *fmt, va_list ap)
{
    char buf[512];

    (void)cls;
    vsnprintf(buf, sizeof(buf), fmt, ap);
    taulu_warn("mhd", "%s", buf);
}

static unsigned ncores(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 && n < 1024 ? (unsigned)n : 1;
}

/* Descriptors the rest of the server may hold at once besides the client
 * connections: the database connections and their journal files, static
 * files and assets being sent, the broker, logs, MHD's own. */
static unsigned fd_reserve(unsigned threads)
{
    return 128 + 8 * threads;
}

unsigned srv_http_capacity(unsigned wanted, unsigned threads)
{
    struct rlimit rl;
    unsigned cap = 16384, reserve = fd_reserve(threads ? threads : 4);
    long pages = sysconf(_SC_PHYS_PAGES), psize = sysconf(_SC_PAGESIZE);

    if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
        if (rl.rlim_cur < rl.rlim_max) {
            rlim_t want = rl.rlim_max;
            struct rlimit raised = rl;

            /* As many as the hard limit allows: connections are cheap,
             * running out of descriptors is not. */
            raised.rlim_cur = want;
            if (setrlimit(RLIMIT_NOFILE, &raised) == 0) {
                rl = raised;
            }
        }
        if (rl.rlim_cur != RLIM_INFINITY) {
            rlim_t avail =
                rl.rlim_cur > reserve + 16 ? rl.rlim_cur - reserve : 16;
            if (avail < cap) {
                cap = (unsigned)avail;
            }
        }
    }
    if (pages > 0 && psize > 0) {
        uint64_t mem = (uint64_t)pages * (uint64_t)psize / 8;
        uint64_t by_mem = mem / SRV_HTTP_CONN_COST;
        if (by_mem < cap) {
            cap = by_mem < 64 ? 64 : (unsigned)by_mem;
        }
    }
    if (wanted && wanted < cap) {
        cap = wanted;
    }
    return cap;
}

int srv_http_start(const struct srv_http_options *opt,
                   const struct srv_http_hooks *hooks, struct srv_http **out,
                   unsigned *port)
{
    struct srv_http *h;
    struct sockaddr_storage ss;
    unsigned threads = opt->threads;
    const union MHD_DaemonInfo *di;
    struct srv_conn_limits lim;

    memset(&ss, 0, sizeof(ss));
    if (opt->port > 65535) {
        taulu_err(TAG, "not a port: %u", opt->port);
        return TAULU_EINVAL;
    }
    if (inet_pton(AF_INET, opt->listen_addr,
                  &((struct sockaddr_in *)&ss)->sin_addr) == 1) {
        struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
        sin->sin_family = AF_INET;
        sin->sin_port = htons((uint16_t)opt->port);
    } else if (inet_pton(AF_INET6, opt->listen_addr,
                         &((struct sockaddr_in6 *)&ss)->sin6_addr) == 1) {
        struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
        sin6->sin6_family = AF_INET6;
        sin6->sin6_port = htons((uint16_t)opt->port);
    } else {
        taulu_err(TAG, "not a numeric address: %s", opt->listen_addr);
        return TAULU_EINVAL;
    }
    if (threads == 0) {
        threads = 2 * ncores();
        threads = threads < 4 ? 4 : threads;
    }
    h = calloc(1, sizeof(*h));
    if (!h) {
        return TAULU_ENOMEM;
    }
    h->opt = *opt;
    h->hooks = *hooks;
    memset(&lim, 0, sizeof(lim));
    lim.max_conns = srv_http_capacity(opt->max_conns, threads);
    lim.max_per_addr = opt->max_per_addr ? opt->max_per_addr : 128;
    lim.reserve = lim.max_conns / 4;
    lim.head_us =
        (int64_t)(opt->head_timeout ? opt->head_timeout : 10) * 1000000;
    lim.body_us =
        (int64_t)(opt->body_timeout ? opt->body_timeout : 30) * 1000000;
    lim.min_rate = SRV_HTTP_MIN_RATE;
    h->conns = srv_conns_new(&lim, kick_fd, behind_fd, h);
    if (!h->conns) {
        free(h);
        return TAULU_ENOMEM;
    }
    pthread_mutex_init(&h->sweep_mu, NULL);
    {
        pthread_condattr_t ca;
        pthread_condattr_init(&ca);
        pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
        pthread_cond_init(&h->sweep_cv, &ca);
        pthread_condattr_destroy(&ca);
    }
    /* MHD's own connection limit is a backstop above ours (it splits it
     * evenly between its threads, and a thread at its share stops
     * accepting); ours decides, per address group, and makes room. Its
     * per-address limit is off: ours groups IPv6 by /64 and knows the
     * trusted proxy. */
    h->daemon = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG |
            (ss.ss_family == AF_INET6 ? MHD_USE_IPv6 : 0),
        0, on_accept, h, on_request, h, MHD_OPTION_EXTERNAL_LOGGER, mhd_log,
        NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
        MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_CONNECTION_TIMEOUT,
        opt->conn_timeout, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        (size_t)(32 * 1024), MHD_OPTION_CONNECTION_LIMIT,
        lim.max_conns + lim.max_conns / 4 + threads,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, h,
        MHD_OPTION_NOTIFY_CONNECTION, on_connection, h,
        MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL, MHD_OPTION_END);
    if (!h->daemon) {
        taulu_err(TAG, "cannot listen on %s port %u", opt->listen_addr,
                  opt->port);
        srv_conns_free(h->conns);
        free(h);
        return TAULU_EIO;
    }
    if (pthread_create(&h->sweep_thread, NULL, sweeper, h) != 0) {
        taulu_err(TAG, "cannot start the connection sweeper");
        MHD_stop_daemon(h->daemon);
        srv_conns_free(h->conns);
        free(h);
        return TAULU_ENOMEM;
    }
    di = MHD_get_daemon_info(h->daemon, MHD_DAEMON_INFO_BIND_PORT);
    *port = di ? di->port : opt->port;
    taulu_info(TAG,
               "listening on %s port %u with %u threads; at most %u "
               "connections, %u per address; request heads within %u s",
               opt->listen_addr, *port, threads, lim.max_conns,
               lim.max_per_addr, (unsigned)(lim.head_us / 1000000));
    *out = h;
    return 0;
}

void srv_http_stop(struct srv_http *h)
{
    if (!h) {
        return;
    }
    pthread_mutex_lock(&h->sweep_mu);
    h->stopping = true;
    pthread_cond_signal(&h->sweep_cv);
    pthread_mutex_unlock(&h->sweep_mu);
    pthread_join(h->sweep_thread, NULL);
    MHD_stop_daemon(h->daemon);
    srv_conns_free(h->conns);
    pthread_mutex_destroy(&h->sweep_mu);
    pthread_cond_destroy(&h->sweep_cv);
    free(h);
}
