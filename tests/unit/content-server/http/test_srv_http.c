/*
 * test_srv_http.c: the HTTP edge on its own, through the interface the API
 * plugs into (srv_http_options, srv_http_hooks), on a loopback port.
 *
 * This program links srv_http and common/ only, no api/: that it links at
 * all is the check that the edge depends on nothing above it. The routes
 * and hooks below are a small API of the test's own, so that each rule of
 * the edge shows on its own:
 *  - a route's auth kind: 401 without a credential, 403 and a recorded
 *    refusal for one of the wrong kind, the authenticate hook's own answer
 *    for a bad one;
 *  - SRV_SCOPE_GLOBAL routes are decided by the check_route hook;
 *  - an SRV_SCOPE_OBJECT handler that answers success without its object
 *    check becomes a 500;
 *  - a cookie session's write without the CSRF token is refused;
 *  - a body over the limit is refused (413) before it is read, and a route
 *    that allows a large body has its caller authenticated first;
 *  - paths that match a pattern or lie under /api/ are routed, the rest
 *    are static files; /metrics counts routes, "static" and "unmatched".
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <setjmp.h>
#include <cmocka.h>

#include "srv_http.h"
#include "taulu_buf.h"
#include "taulu_err.h"
#include "taulu_file.h"

#define ACTION_ALLOWED 1
#define ACTION_DENIED  2
#define SMALL_BODY     1000
#define BIG_BODY       (1024 * 1024)

/* The context every request carries (r->app): the test's own. */
struct srv_app {
    int authenticated; /* calls of the authenticate hook */
    int checked;       /* calls of the check_route hook */
    char refused[8][64];
    int n_refused;
    size_t last_body; /* bytes the last POST handler saw */
};

static struct srv_app app;
static struct srv_http *http;
static struct srv_metrics *metrics;
static unsigned port;
static char web[512];
static int web_fd = -1;

/* ---- the test's API ---- */

static int authenticate(struct srv_req *r)
{
    const char *a = srv_req_header(r, "Authorization");
    const char *cookie = srv_req_cookie(r, "s");

    r->app->authenticated++;
    memset(&r->actor, 0, sizeof(r->actor));
    r->actor.kind = SRV_ACTOR_ANON;
    if (cookie && strcmp(cookie, "user") == 0) {
        r->actor.kind = SRV_ACTOR_USER;
        r->actor.id = 1;
        r->via_cookie = true;
        r->csrf = "token-1";
        return 0;
    }
    if (!a) {
        return 0;
    }
    if (strcmp(a, "Bearer user") == 0) {
        r->actor.kind = SRV_ACTOR_USER;
        r->actor.id = 1;
    } else if (strcmp(a, "Bearer screen") == 0) {
        r->actor.kind = SRV_ACTOR_SCREEN;
        r->actor.id = 7;
    } else {
        srv_reply_error(r, 401, "unauthorized", NULL);
        return TAULU_EANSWERED;
    }
    return 0;
}

static int check_route(struct srv_req *r)
{
    r->app->checked++;
    if (r->route->action != ACTION_ALLOWED) {
        srv_reply_error(r, 403, "forbidden", NULL);
        return TAULU_EANSWERED;
    }
    return 0;
}

static void refused(struct srv_req *r, const char *what)
{
    struct srv_app *a = r->app;

    if (a->n_refused < 8) {
        snprintf(a->refused[a->n_refused++], sizeof a->refused[0], "%s", what);
    }
}

static void h_text(struct srv_req *r)
{
    srv_reply_text(r, 200, "text/plain", "ok", 2);
}

/* {id} 1: checked, 200; any other: answers 200 without the check (a
 * handler bug the router must catch). */
static void h_object(struct srv_req *r)
{
    if (r->params[0] == 1) {
        r->authorized = true;
    }
    srv_reply_text(r, 200, "text/plain", "object", 6);
}

static void h_post(struct srv_req *r)
{
    r->app->last_body = r->body.len;
    srv_reply_empty(r, 204);
}

static const struct srv_route routes[] = {
    {"GET", "/healthz", SRV_AUTH_PUBLIC, SRV_SCOPE_NONE, 0, h_text, 0},
    {"GET", "/api/t/user", SRV_AUTH_USER, SRV_SCOPE_GLOBAL, ACTION_ALLOWED,
     h_text, 0},
    {"POST", "/api/t/user", SRV_AUTH_USER, SRV_SCOPE_GLOBAL, ACTION_ALLOWED,
     h_post, 0},
    {"GET", "/api/t/deny", SRV_AUTH_USER, SRV_SCOPE_GLOBAL, ACTION_DENIED,
     h_text, 0},
    {"GET", "/api/t/screen", SRV_AUTH_SCREEN, SRV_SCOPE_NONE, 0, h_text, 0},
    {"GET", "/api/t/obj/{id}", SRV_AUTH_USER, SRV_SCOPE_OBJECT, 0, h_object, 0},
    {"POST", "/api/t/big", SRV_AUTH_USER, SRV_SCOPE_NONE, 0, h_post, BIG_BODY},
};
#define NROUTES (sizeof(routes) / sizeof(routes[0]))
static const char *const labels[NROUTES + 2] = {
    "GET /healthz",      "GET /api/t/user",
    "POST /api/t/user",  "GET /api/t/deny",
    "GET /api/t/screen", "GET /api/t/obj/{id}",
    "POST /api/t/big",   "static",
    "unmatched",
};

/* ---- a plain HTTP/1.1 client ---- */

struct answer {
    int status;
    char head[2048];
    char body[4096];
};

/* Sends `len` bytes of a raw request and reads the answer to the end (the
 * requests say Connection: close). 0 or -1. */
static int send_raw(const char *req, size_t len, struct answer *a)
{
    struct sockaddr_in sa;
    struct timeval tv = {5, 0};
    char buf[8192];
    size_t got = 0;
    ssize_t n;
    char *sep;
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    memset(a, 0, sizeof(*a));
    if (fd < 0) {
        return -1;
    }
    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
        write(fd, req, len) != (ssize_t)len) {
        close(fd);
        return -1;
    }
    while (got < sizeof(buf) - 1 &&
           (n = read(fd, buf + got, sizeof(buf) - 1 - got)) > 0) {
        got += (size_t)n;
    }
    close(fd);
    buf[got] = '\0';
    if (sscanf(buf, "HTTP/1.1 %d", &a->status) != 1) {
        return -1;
    }
    sep = strstr(buf, "\r\n\r\n");
    if (sep) {
        snprintf(a->head, sizeof a->head, "%.*s", (int)(sep - buf), buf);
        snprintf(a->body, sizeof a->body, "%s", sep + 4);
    }
    return 0;
}

/* A request with extra header lines (each ending in \r\n) and a body. */
static int send_req(const char *method, const char *path, const char *headers,
                    const char *body, struct answer *a)
{
    size_t cap =
        1024 + (headers ? strlen(headers) : 0) + (body ? strlen(body) : 0);
    char *req = malloc(cap);
    int n, rc;

    if (!req) {
        return -1;
    }
    n = snprintf(req, cap,
                 "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                 "Connection: close\r\n%s",
                 method, path, headers ? headers : "");
    if (body) {
        n += snprintf(req + n, cap - (size_t)n, "Content-Length: %zu\r\n\r\n%s",
                      strlen(body), body);
    } else {
        n += snprintf(req + n, cap - (size_t)n, "\r\n");
    }
    rc = send_raw(req, (size_t)n, a);
    free(req);
    return rc;
}

static void expect(const char *method, const char *path, const char *headers,
                   const char *body, int status, const char *code)
{
    struct answer a;

    assert_int_equal(send_req(method, path, headers, body, &a), 0);
    if (a.status != status || (code && !strstr(a.body, code))) {
        fprintf(stderr, "%s %s: %d %s\n", method, path, a.status, a.body);
    }
    assert_int_equal(a.status, status);
    if (code) {
        char want[96];
        snprintf(want, sizeof want, "\"code\":\"%s\"", code);
        assert_non_null(strstr(a.body, want));
    }
}

/* ---- set-up ---- */

static int setup(void **state)
{
    const char *base = getenv("TAULU_TEST_TMP");
    struct srv_http_options opt;
    struct srv_http_hooks hooks;
    char path[600];

    (void)state;
    snprintf(web, sizeof web, "%s/srv_http.XXXXXX",
             base && base[0] ? base : "/tmp");
    if (base && base[0] && taulu_mkdir_p(base, 0700) != 0) {
        return -1;
    }
    if (!mkdtemp(web)) {
        return -1;
    }
    snprintf(path, sizeof path, "%s/index.html", web);
    if (taulu_file_write_atomic(path, "<p>hei</p>", 10, 0644) != 0) {
        return -1;
    }
    web_fd = open(web, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    metrics = srv_metrics_new(labels, NROUTES + 2);
    if (web_fd < 0 || !metrics) {
        return -1;
    }
    memset(&opt, 0, sizeof(opt));
    opt.listen_addr = "127.0.0.1";
    opt.threads = 2;
    opt.conn_timeout = 5;
    opt.max_body = SMALL_BODY;
    opt.web_root_fd = web_fd;
    opt.metrics = metrics;
    memset(&hooks, 0, sizeof(hooks));
    hooks.routes = routes;
    hooks.nroutes = NROUTES;
    hooks.app = &app;
    hooks.authenticate = authenticate;
    hooks.check_route = check_route;
    hooks.refused = refused;
    return srv_http_start(&opt, &hooks, &http, &port) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
    char path[600];

    (void)state;
    srv_http_stop(http);
    srv_metrics_free(metrics);
    if (web_fd >= 0) {
        close(web_fd);
    }
    snprintf(path, sizeof path, "%s/index.html", web);
    unlink(path);
    rmdir(web);
    return 0;
}

/* ---- tests ---- */

static void auth_kinds(void **state)
{
    int before;

    (void)state;
    expect("GET", "/api/t/user", NULL, NULL, 401, "unauthorized");
    expect("GET", "/api/t/user", "Authorization: Bearer user\r\n", NULL, 200,
           NULL);
    /* The hook's own answer for a bad credential stands. */
    expect("GET", "/api/t/user", "Authorization: Bearer nonsense\r\n", NULL,
           401, "unauthorized");
    /* A valid credential of the wrong kind: 403, and recorded. */
    before = app.n_refused;
    expect("GET", "/api/t/user", "Authorization: Bearer screen\r\n", NULL, 403,
           "forbidden");
    assert_int_equal(app.n_refused, before + 1);
    assert_string_equal(app.refused[before], "/api/t/user");
    expect("GET", "/api/t/screen", "Authorization: Bearer screen\r\n", NULL,
           200, NULL);
    expect("GET", "/api/t/screen", "Authorization: Bearer user\r\n", NULL, 403,
           "forbidden");
    /* A public route asks nobody who is calling. */
    before = app.authenticated;
    expect("GET", "/healthz", "Authorization: Bearer nonsense\r\n", NULL, 200,
           NULL);
    assert_int_equal(app.authenticated, before);
}

static void policy_checks(void **state)
{
    int before = app.checked;

    (void)state;
    expect("GET", "/api/t/deny", "Authorization: Bearer user\r\n", NULL, 403,
           "forbidden");
    assert_int_equal(app.checked, before + 1);
    expect("GET", "/api/t/obj/1", "Authorization: Bearer user\r\n", NULL, 200,
           NULL);
    /* An object route that answered success without its check. */
    expect("GET", "/api/t/obj/2", "Authorization: Bearer user\r\n", NULL, 500,
           "internal");
    /* Ids are positive numbers; anything else does not route. */
    expect("GET", "/api/t/obj/x", "Authorization: Bearer user\r\n", NULL, 404,
           "not_found");
}

static void csrf(void **state)
{
    int before = app.n_refused;

    (void)state;
    expect("POST", "/api/t/user", "Cookie: s=user\r\n", "{}", 403,
           "csrf_failed");
    assert_int_equal(app.n_refused, before + 1);
    assert_string_equal(app.refused[before], "csrf");
    expect("POST", "/api/t/user", "Cookie: s=user\r\nX-CSRF-Token: token-1\r\n",
           "{}", 204, NULL);
    /* Reads need no token; bearer credentials never do. */
    expect("GET", "/api/t/user", "Cookie: s=user\r\n", NULL, 200, NULL);
    expect("POST", "/api/t/user", "Authorization: Bearer user\r\n", "{}", 204,
           NULL);
}

/* Only headers are sent: the answers come before any body byte. */
static void body_limits(void **state)
{
    static const char over[] =
        "POST /api/t/user HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
        "Authorization: Bearer user\r\nContent-Length: 5000\r\n\r\n";
    static const char big_anon[] =
        "POST /api/t/big HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
        "Content-Length: 500000\r\n\r\n";
    static const char big_screen[] =
        "POST /api/t/big HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
        "Authorization: Bearer screen\r\nContent-Length: 500000\r\n\r\n";
    struct answer a;
    char *body = malloc(300001);
    int before;

    (void)state;
    assert_int_equal(send_raw(over, sizeof over - 1, &a), 0);
    assert_int_equal(a.status, 413);
    assert_non_null(strstr(a.body, "body_too_large"));
    assert_int_equal(send_raw(big_anon, sizeof big_anon - 1, &a), 0);
    assert_int_equal(a.status, 401);
    before = app.n_refused;
    assert_int_equal(send_raw(big_screen, sizeof big_screen - 1, &a), 0);
    assert_int_equal(a.status, 403);
    assert_int_equal(app.n_refused, before + 1);
    assert_string_equal(app.refused[before], "/api/t/big");
    /* The route's own limit admits what the default would refuse. */
    assert_non_null(body);
    memset(body, 'x', 300000);
    body[300000] = '\0';
    expect("POST", "/api/t/big", "Authorization: Bearer user\r\n", body, 204,
           NULL);
    assert_int_equal(app.last_body, 300000);
    free(body);
}

static void routing_and_metrics(void **state)
{
    struct answer a;
    struct taulu_buf m;
    int i;

    (void)state;
    /* Static files: everything no pattern matches outside /api/. */
    assert_int_equal(send_req("GET", "/", NULL, NULL, &a), 0);
    assert_int_equal(a.status, 200);
    assert_string_equal(a.body, "<p>hei</p>");
    assert_non_null(strstr(a.head, "X-Content-Type-Options: nosniff"));
    expect("GET", "/missing.html", NULL, NULL, 404, "not_found");
    expect("POST", "/index.html", NULL, "", 405, "method_not_allowed");
    /* Under /api/ nothing is a file. */
    expect("GET", "/api/index.html", NULL, NULL, 404, "not_found");
    assert_int_equal(send_req("DELETE", "/api/t/user", NULL, NULL, &a), 0);
    assert_int_equal(a.status, 405);
    assert_non_null(strstr(a.head, "Allow: GET, POST"));

    /* Counted in the completion callback, which may run just after the
     * client has its answer: wait for the last one. */
    taulu_buf_init(&m, 1 << 20);
    for (i = 0; i < 100; i++) {
        struct timespec ts = {0, 10 * 1000 * 1000};
        taulu_buf_reset(&m);
        assert_int_equal(srv_metrics_render(metrics, &m, 0, 0, 0), 0);
        if (strstr(m.data, "{route=\"unmatched\",status=\"405\"}")) {
            break;
        }
        nanosleep(&ts, NULL);
    }
    assert_non_null(strstr(
        m.data,
        "infotaulu_http_requests_total{route=\"static\",status=\"200\"}"));
    assert_non_null(strstr(
        m.data,
        "infotaulu_http_requests_total{route=\"static\",status=\"405\"}"));
    assert_non_null(strstr(
        m.data,
        "infotaulu_http_requests_total{route=\"unmatched\",status=\"404\"}"));
    assert_non_null(strstr(
        m.data,
        "infotaulu_http_requests_total{route=\"unmatched\",status=\"405\"}"));
    assert_non_null(strstr(m.data, "infotaulu_http_requests_total{route=\"GET "
                                   "/api/t/obj/{id}\",status=\"500\"}"));
    taulu_buf_release(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(auth_kinds),
        cmocka_unit_test(policy_checks),
        cmocka_unit_test(csrf),
        cmocka_unit_test(body_limits),
        cmocka_unit_test(routing_and_metrics),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
