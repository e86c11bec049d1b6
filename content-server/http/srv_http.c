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
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

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

static void add_headers(struct srv_http *h, struct srv_req *r,
                        struct MHD_Response *res)
{
    unsigned i;

    MHD_add_response_header(res, "Content-Security-Policy", CSP);
    MHD_add_response_header(res, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(res, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(res, "X-Frame-Options", "DENY");
    MHD_add_response_header(res, "Cross-Origin-Opener-Policy", "same-origin");
    MHD_add_response_header(res, "Cross-Origin-Resource-Policy", "same-origin");
    if (h->opt.hsts) {
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

static enum MHD_Result send_answer(struct srv_http *h, struct srv_req *r)
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
    add_headers(h, r, res);
    ret = MHD_queue_response(r->conn, (unsigned)r->status, res);
    MHD_destroy_response(res);
    return ret;
}

static void client_ip(struct MHD_Connection *c, char *out, size_t size)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const struct sockaddr *sa = ci ? ci->client_addr : NULL;

    snprintf(out, size, "?");
    if (!sa) {
        return;
    }
    if (sa->sa_family == AF_INET) {
        inet_ntop(AF_INET,
                  &((const struct sockaddr_in *)(const void *)sa)->sin_addr,
                  out, (socklen_t)size);
    } else if (sa->sa_family == AF_INET6) {
        inet_ntop(AF_INET6,
                  &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
                  out, (socklen_t)size);
    }
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

    if (!r) {
        abort();
    }
    r->app = h->hooks.app;
    r->conn = c;
    srv_pool_init(&r->pool);
    r->method = srv_pool_strdup(&r->pool, method);
    r->path = srv_pool_strdup(&r->pool, url);
    taulu_buf_init(&r->body, max_body);
    r->start_us = srv_monotonic_us();
    r->resp_fd = -1;
    r->no_store = true;
    r->route_index = h->hooks.nroutes + 1;
    client_ip(c, r->client_ip, sizeof(r->client_ip));
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
        const char *cl;
        r = req_new(h, c, url, method, limit);
        *state = r;
        cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                         MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (cl) {
            char *end = NULL;
            unsigned long long n = strtoull(cl, &end, 10);
            if (!end || *end || n > limit) {
                /* Answer at once, before reading the body: MHD sends this
                 * and closes the connection. */
                r->body_too_large = true;
                srv_reply_error(r, 413, "body_too_large", NULL);
                return send_answer(h, r);
            }
        }
        if (!method_known(method)) {
            srv_reply_header(r, "Allow", "GET, HEAD, POST, PUT, DELETE");
            srv_reply_error(r, 405, "method_not_allowed", NULL);
            return send_answer(h, r);
        }
        /* A route that takes megabytes (image uploads) checks who is
         * calling BEFORE the body is read, so strangers cannot make the
         * server buffer 8 MiB per connection. The router checks again. */
        if (limit > h->opt.max_body && rt->auth != SRV_AUTH_PUBLIC) {
            if (h->hooks.authenticate(r) == TAULU_EANSWERED) {
                return send_answer(h, r);
            }
            if (r->actor.kind == SRV_ACTOR_ANON) {
                srv_reply_header(r, "WWW-Authenticate", "Bearer");
                srv_reply_error(r, 401, "unauthorized", NULL);
                return send_answer(h, r);
            }
            if (!kind_ok(rt, r)) {
                h->hooks.refused(r, rt->pattern);
                srv_reply_error(r, 403, "forbidden", NULL);
                return send_answer(h, r);
            }
        }
        return MHD_YES;
    }
    if (*upload_size) {
        if (!r->body_too_large &&
            taulu_buf_append(&r->body, upload, *upload_size) != 0) {
            /* A chunked body past the limit: answer now and let MHD close
             * the connection instead of reading the rest. */
            r->body_too_large = true;
            *upload_size = 0;
            srv_reply_error(r, 413, "body_too_large", NULL);
            return send_answer(h, r);
        }
        *upload_size = 0;
        return MHD_YES;
    }
    if (r->status) {
        return MHD_YES; /* answered already */
    }
    dispatch(h, r);
    return send_answer(h, r);
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
    srv_metrics_request(h->opt.metrics, r->route_index, (unsigned)r->status,
                        srv_monotonic_us() - r->start_us);
    taulu_debug(TAG, "%s %s -> %d", r->method, r->path, r->status);
    req_free(r);
    *state = NULL;
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

int srv_http_start(const struct srv_http_options *opt,
                   const struct srv_http_hooks *hooks, struct srv_http **out,
                   unsigned *port)
{
    struct srv_http *h;
    struct sockaddr_storage ss;
    unsigned threads = opt->threads;
    const union MHD_DaemonInfo *di;

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
    h->daemon = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG |
            (ss.ss_family == AF_INET6 ? MHD_USE_IPv6 : 0),
        0, NULL, NULL, on_request, h, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
        MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_CONNECTION_TIMEOUT,
        opt->conn_timeout, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        (size_t)(32 * 1024), MHD_OPTION_CONNECTION_LIMIT, 1000u,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, 256u, MHD_OPTION_NOTIFY_COMPLETED,
        on_completed, h, MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL,
        MHD_OPTION_END);
    if (!h->daemon) {
        taulu_err(TAG, "cannot listen on %s port %u", opt->listen_addr,
                  opt->port);
        free(h);
        return TAULU_EIO;
    }
    di = MHD_get_daemon_info(h->daemon, MHD_DAEMON_INFO_BIND_PORT);
    *port = di ? di->port : opt->port;
    taulu_info(TAG, "listening on %s port %u with %u threads", opt->listen_addr,
               *port, threads);
    *out = h;
    return 0;
}

void srv_http_stop(struct srv_http *h)
{
    if (!h) {
        return;
    }
    MHD_stop_daemon(h->daemon);
    free(h);
}
