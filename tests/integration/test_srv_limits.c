/*
 * test_srv_limits.c: what anonymous clients can make the real server do,
 * over real sockets from several loopback addresses (127.0.0.x are all this
 * machine):
 *  - a chunked body past the limit is answered 413 with the JSON error,
 *    not a reset connection;
 *  - 20 parallel wrong passwords for one account get exactly 5 evaluated;
 *  - signing in between guesses does not reset the address's limit (the
 *    57-guess attack now meets 429 after 20);
 *  - behind the trusted proxy, X-Forwarded-For is the client (and only
 *    from the proxy);
 *  - 10,000 refused logins leave a few audit rows whose counts add up,
 *    with no e-mail address a stranger typed in them;
 *  - cookies get Secure and answers HSTS by the rule of
 *    docs/deployment.md; the database and its WAL files are 0600.
 * The server trusts 127.0.0.1 as its proxy; the tests' own clients bind
 * other loopback addresses where the proxy must not be involved.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <setjmp.h>
#include <cmocka.h>

#include "itest.h"
#include "rawhttp.h"
#include "srv_pool.h"
#include "srv_store.h"
#include "tsupport_db.h"

static struct itest_server srv;
static struct itest_world w;
static long long target_id; /* the account the parallel burst guesses at */

static const char *const extra[] = {"--trusted-proxy", "127.0.0.1", NULL};

static int setup(void **state)
{
    (void)state;
    itest_setup_dir(&srv, "srv_limits");
    srv.extra = extra;
    itest_world_setup(&srv, &w);
    target_id = itest_user(&srv, &w.coord, "kohde@pohde.fi", NULL, NULL);
    itest_user(&srv, &w.coord, "oma@pohde.fi", NULL, NULL);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    itest_kill9(&srv);
    return 0;
}

/* POST /api/v1/login from `src` with `extra_headers` ("" or lines ending
 * in \r\n) on a fresh connection: the status (0: no answer). */
static int login_from(const char *src, const char *email, const char *password,
                      const char *extra_headers, struct rawhttp_resp *keep)
{
    char body[512], req[1400];
    struct rawhttp_resp r;
    int fd = rawhttp_connect(src, srv.port, 0), status;

    assert_true(fd >= 0);
    snprintf(body, sizeof body, "{\"email\":\"%s\",\"password\":\"%s\"}", email,
             password);
    snprintf(req, sizeof req,
             "POST /api/v1/login HTTP/1.1\r\nHost: x\r\n"
             "Content-Type: application/json\r\nContent-Length: %zu\r\n"
             "%sConnection: close\r\n\r\n%s",
             strlen(body), extra_headers, body);
    rawhttp_exchange(fd, req, 30000, &r);
    close(fd);
    status = r.status;
    if (keep) {
        *keep = r;
    } else {
        rawhttp_resp_free(&r);
    }
    return status;
}

/* A chunked body over the limit: 413 with the JSON error, then the
 * connection is closed. */
static void chunked_too_large(void **state)
{
    int fd = rawhttp_connect("127.0.0.2", srv.port, 0), i;
    struct rawhttp_resp r;
    char chunk[8192 + 16], buf[16];
    const char head[] = "POST /api/v1/login HTTP/1.1\r\nHost: x\r\n"
                        "Content-Type: application/json\r\n"
                        "Transfer-Encoding: chunked\r\n\r\n";

    (void)state;
    assert_true(fd >= 0);
    assert_int_equal(rawhttp_send(fd, head, strlen(head)), 0);
    /* 128 KiB in 8 KiB chunks: twice the 64 KiB JSON limit */
    memcpy(chunk, "2000\r\n", 6);
    memset(chunk + 6, 'x', 8192);
    memcpy(chunk + 6 + 8192, "\r\n", 2);
    for (i = 0; i < 16; i++) {
        assert_int_equal(rawhttp_send(fd, chunk, 6 + 8192 + 2), 0);
    }
    assert_int_equal(rawhttp_send(fd, "0\r\n\r\n", 5), 0);
    assert_int_equal(rawhttp_read(fd, 10000, &r), 0);
    assert_int_equal(r.status, 413);
    assert_non_null(strstr(r.body, "\"code\":\"body_too_large\""));
    assert_non_null(strstr(r.body, "\"fi\":"));
    assert_non_null(rawhttp_header(&r, "Content-Type", chunk, sizeof chunk));
    assert_string_equal(chunk, "application/json");
    rawhttp_resp_free(&r);
    /* closed after the answer */
    assert_true(recv(fd, buf, sizeof buf, 0) <= 0);
    close(fd);
}

struct guess {
    pthread_barrier_t *go;
    int status;
};

static void *guess_once(void *arg)
{
    struct guess *g = arg;

    pthread_barrier_wait(g->go);
    g->status =
        login_from("127.0.0.3", "kohde@pohde.fi", "vaarin-arvattu-1", "", NULL);
    return NULL;
}

/* 20 wrong passwords at once for one account: exactly 5 are checked. */
static void parallel_burst(void **state)
{
    struct guess g[20];
    pthread_t t[20];
    pthread_barrier_t go;
    int i, n401 = 0, n429 = 0;

    (void)state;
    pthread_barrier_init(&go, NULL, 20);
    for (i = 0; i < 20; i++) {
        g[i].go = &go;
        g[i].status = 0;
        assert_int_equal(pthread_create(&t[i], NULL, guess_once, &g[i]), 0);
    }
    for (i = 0; i < 20; i++) {
        pthread_join(t[i], NULL);
        n401 += g[i].status == 401;
        n429 += g[i].status == 429;
    }
    pthread_barrier_destroy(&go);
    printf("parallel burst: %d evaluated (401), %d rate limited (429)\n", n401,
           n429);
    assert_int_equal(n401, 5);
    assert_int_equal(n429, 15);
}

/* The attack the outside battery found: guesses at other accounts from
 * one address, signing in to the attacker's own account in between. The
 * address still meets its limit of 20. */
static void success_keeps_address_count(void **state)
{
    int i, guesses = 0, first429 = -1;

    (void)state;
    for (i = 0; i < 57; i++) {
        char email[64];
        int st;

        if (i % 3 == 2) {
            st = login_from("127.0.0.4", "oma@pohde.fi", ITEST_PASSWORD, "",
                            NULL);
            assert_true(st == 200 || st == 429);
        } else {
            snprintf(email, sizeof email, "uhri%d@pohde.fi", i);
            st = login_from("127.0.0.4", email, "arvaus-123456", "", NULL);
            assert_true(st == 401 || st == 429);
            guesses += st == 401;
        }
        if (st == 429 && first429 < 0) {
            first429 = i;
        }
        if (first429 >= 0) {
            /* once limited, nothing gets through for the backoff */
            assert_int_equal(st, 429);
        }
    }
    printf("57 requests: %d guesses evaluated, the first 429 at #%d\n", guesses,
           first429 + 1);
    assert_int_equal(guesses, 20);
    assert_true(first429 > 0);
}

/* Behind the trusted proxy the forwarded address is the client; from
 * anywhere else the header is ignored. */
static void trusted_proxy_forwarded_for(void **state)
{
    int i, st;

    (void)state;
    for (i = 0; i < 20; i++) {
        char email[64];
        snprintf(email, sizeof email, "proxy%d@pohde.fi", i);
        st = login_from("127.0.0.1", email, "arvaus-123456",
                        "X-Forwarded-For: 6.6.6.6, 203.0.113.50\r\n", NULL);
        assert_int_equal(st, 401);
    }
    /* 203.0.113.50 has used its 20 */
    st = login_from("127.0.0.1", "proxy-x@pohde.fi", "arvaus-123456",
                    "X-Forwarded-For: 203.0.113.50\r\n", NULL);
    assert_int_equal(st, 429);
    /* the proxy's other clients are not affected */
    st = login_from("127.0.0.1", "proxy-y@pohde.fi", "arvaus-123456",
                    "X-Forwarded-For: 203.0.113.51\r\n", NULL);
    assert_int_equal(st, 401);
    /* a client that is not the proxy cannot claim an address */
    st = login_from("127.0.0.6", "proxy-z@pohde.fi", "arvaus-123456",
                    "X-Forwarded-For: 203.0.113.51\r\n", NULL);
    assert_int_equal(st, 401);
    st = login_from("127.0.0.6", "proxy-z@pohde.fi", "arvaus-123456",
                    "X-Forwarded-For: 203.0.113.50\r\n", NULL);
    assert_int_equal(st, 401);
}

/* 10,000 refused logins on one kept-alive connection. */
static void many_refusals(void **state)
{
    int fd = rawhttp_connect("127.0.0.8", srv.port, 0), i, n401 = 0, n429 = 0;
    int64_t t0 = rawhttp_ms();
    char req[600];
    const char body[] = "{\"email\":\"a-very-long-address-nobody-has-"
                        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx@example.fi\","
                        "\"password\":\"arvaus-123456\"}";

    (void)state;
    assert_true(fd >= 0);
    snprintf(req, sizeof req,
             "POST /api/v1/login HTTP/1.1\r\nHost: x\r\n"
             "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
             strlen(body), body);
    for (i = 0; i < 10000; i++) {
        struct rawhttp_resp r;
        if (rawhttp_exchange(fd, req, 30000, &r) != 0) {
            /* a connection may be closed between requests: reconnect */
            rawhttp_resp_free(&r);
            close(fd);
            fd = rawhttp_connect("127.0.0.8", srv.port, 0);
            assert_true(fd >= 0);
            i--;
            continue;
        }
        n401 += r.status == 401;
        n429 += r.status == 429;
        rawhttp_resp_free(&r);
    }
    close(fd);
    printf("10000 refused logins in %lld ms: %d failed, %d rate limited\n",
           (long long)(rawhttp_ms() - t0), n401, n429);
    /* one account: its 5, then the account's backoff */
    assert_int_equal(n401, 5);
    assert_int_equal(n429, 9995);
}

/* The audit rows of all the refusals above, read from the database after
 * the server wrote the open minute at its stop. */
static void audit_rows(void **state)
{
    struct srv_store *st;
    struct srv_pool pool;
    struct srv_audit_filter f;
    struct srv_audit *rows;
    size_t n, i, anon = 0, flood_rows = 0;
    unsigned long long flood = 0, burst = 0, proxied = 0;

    (void)state;
    assert_int_equal(itest_stop(&srv), 0);
    assert_int_equal(srv_store_open(srv.db, 1, &st), 0);
    srv_pool_init(&pool);
    memset(&f, 0, sizeof f);
    f.action = "auth.login";
    f.refused = 1;
    f.limit = 500;
    assert_int_equal(srv_store_audit_list(st, &pool, &f, &rows, &n), 0);
    for (i = 0; i < n; i++) {
        unsigned long long c = 0;
        const char *d = rows[i].details, *p;

        assert_non_null(d);
        /* never the address typed in */
        assert_null(strchr(d, '@'));
        p = strstr(d, "\"count\":");
        assert_non_null(p);
        c = strtoull(p + 8, NULL, 10);
        if (rows[i].actor_kind == SRV_ACTOR_ANON) {
            anon++;
        }
        if (strstr(d, "\"ip\":\"127.0.0.8\"")) {
            flood += c;
            flood_rows++;
        }
        if (strstr(d, "\"ip\":\"127.0.0.3\"") && strstr(d, "\"failed\"")) {
            /* the burst's 5 wrong passwords: the account's id is kept */
            assert_int_equal(rows[i].object_id, target_id);
            burst += c;
        }
        if (strstr(d, "\"ip\":\"203.0.113.50\"")) {
            proxied += c;
        }
    }
    printf("audit: %zu rows of refused logins in all; the 10000 from one "
           "address are %zu rows adding up to %llu\n",
           n, flood_rows, flood);
    assert_int_equal(flood, 10000);
    /* per reason and minute: a run crosses at most one minute's end */
    assert_true(flood_rows >= 2 && flood_rows <= 4);
    assert_int_equal(burst, 5);
    assert_int_equal(proxied, 21);
    assert_int_equal(anon, n);
    /* a handful of rows: per address, reason and minute */
    assert_true(n <= 24);
    srv_pool_release(&pool);
    srv_store_close(st);
}

/* Secure cookies and HSTS: by the rule, per request behind the proxy. */
static void secure_rule(void **state)
{
    struct rawhttp_resp r;
    char v[256];
    static const char *const https[] = {"--trusted-proxy", "127.0.0.1",
                                        "--public-url",
                                        "https://infotaulu.example.fi", NULL};
    static const char *const forced_off[] = {"--public-url",
                                             "https://infotaulu.example.fi",
                                             "--secure-cookies=false", NULL};

    (void)state;
    assert_int_equal(itest_start(&srv, NULL), 0);
    /* loopback, no https public URL: a plain-http developer setup */
    assert_int_equal(login_from("127.0.0.9", "oma@pohde.fi", ITEST_PASSWORD,
                                "X-Forwarded-Proto: https\r\n", &r),
                     200);
    assert_non_null(rawhttp_header(&r, "Set-Cookie", v, sizeof v));
    assert_null(strstr(v, "Secure"));
    assert_null(rawhttp_header(&r, "Strict-Transport-Security", v, sizeof v));
    rawhttp_resp_free(&r);
    /* the trusted proxy says the client came over https */
    assert_int_equal(login_from("127.0.0.1", "oma@pohde.fi", ITEST_PASSWORD,
                                "X-Forwarded-For: 192.0.2.77\r\n"
                                "X-Forwarded-Proto: https\r\n",
                                &r),
                     200);
    assert_non_null(rawhttp_header(&r, "Set-Cookie", v, sizeof v));
    assert_non_null(strstr(v, "; Secure"));
    assert_non_null(
        rawhttp_header(&r, "Strict-Transport-Security", v, sizeof v));
    rawhttp_resp_free(&r);
    assert_int_equal(itest_stop(&srv), 0);

    /* an https public URL: always */
    assert_int_equal(itest_start(&srv, https), 0);
    assert_int_equal(
        login_from("127.0.0.9", "oma@pohde.fi", ITEST_PASSWORD, "", &r), 200);
    assert_non_null(rawhttp_header(&r, "Set-Cookie", v, sizeof v));
    assert_non_null(strstr(v, "; Secure"));
    assert_non_null(
        rawhttp_header(&r, "Strict-Transport-Security", v, sizeof v));
    assert_string_equal(v, "max-age=31536000");
    rawhttp_resp_free(&r);
    assert_int_equal(itest_stop(&srv), 0);

    /* said off: off */
    assert_int_equal(itest_start(&srv, forced_off), 0);
    assert_int_equal(
        login_from("127.0.0.9", "oma@pohde.fi", ITEST_PASSWORD, "", &r), 200);
    assert_non_null(rawhttp_header(&r, "Set-Cookie", v, sizeof v));
    assert_null(strstr(v, "Secure"));
    assert_null(rawhttp_header(&r, "Strict-Transport-Security", v, sizeof v));
    rawhttp_resp_free(&r);
}

/* The database, its WAL and shared-memory files: the owner's only. */
static void database_private(void **state)
{
    static const char *const suffix[] = {"", "-wal", "-shm"};
    size_t i;

    (void)state;
    if (tsupport_db_is_pg()) {
        /* no file: PostgreSQL's own roles decide who reads it */
        skip();
    }
    for (i = 0; i < 3; i++) {
        char path[400];
        struct stat sb;

        snprintf(path, sizeof path, "%s%s", srv.db, suffix[i]);
        assert_int_equal(stat(path, &sb), 0);
        if ((sb.st_mode & 0777) != 0600) {
            fail_msg("%s has mode %03o", path, (unsigned)(sb.st_mode & 0777));
        }
    }
}

static void clean_stop(void **state)
{
    (void)state;
    assert_int_equal(itest_stop(&srv), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(chunked_too_large),
        cmocka_unit_test(parallel_burst),
        cmocka_unit_test(success_keeps_address_count),
        cmocka_unit_test(trusted_proxy_forwarded_for),
        cmocka_unit_test(many_refusals),
        cmocka_unit_test(audit_rows),
        cmocka_unit_test(secure_rule),
        cmocka_unit_test(database_private),
        cmocka_unit_test(clean_stop),
    };
    /* the server writes its files under the usual umask */
    umask(022);
    return cmocka_run_group_tests(tests, setup, teardown);
}
