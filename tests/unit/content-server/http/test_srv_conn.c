/*
 * test_srv_conn.c: connection deadlines and budgets (srv_conn.h) with
 * made-up descriptors and times: a slow head is cut at its deadline
 * however it trickles in; bodies and answers get time by their size; a
 * group over its budget and a full server make room by shedding the
 * oldest stranger still sending a head; trusted connections are never
 * shed and do not count against their group.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <setjmp.h>
#include <cmocka.h>

#include "srv_conn.h"

#define S ((int64_t)1000000) /* a second in microseconds */

static int kicked[64];
static int nkicked;

static void kick(void *ctx, int fd)
{
    (void)ctx;
    if (nkicked < 64) {
        kicked[nkicked++] = fd;
    }
}

/* Descriptors the "server" has not read from yet (its thread busy). */
static int behind_fd = -1;

static bool behind(void *ctx, int fd, bool answering)
{
    (void)ctx;
    (void)answering;
    return fd == behind_fd;
}

static struct srv_conns *table(unsigned max, unsigned per_addr,
                               unsigned reserve)
{
    struct srv_conn_limits lim = {max,    per_addr, reserve,
                                  10 * S, 30 * S,   32768};
    struct srv_conns *t = srv_conns_new(&lim, kick, behind, NULL);

    assert_non_null(t);
    nkicked = 0;
    return t;
}

static struct srv_addr addr(const char *ip)
{
    struct srv_addr a;

    assert_int_equal(srv_addr_parse(ip, &a), 0);
    return a;
}

static struct srv_conn *open_at(struct srv_conns *t, int fd, const char *ip,
                                int64_t now)
{
    struct srv_addr a = addr(ip);
    struct srv_conn *c;

    assert_true(srv_conn_admit(t, &a, false, now));
    c = srv_conn_open(t, fd, &a, false, now);
    assert_non_null(c);
    return c;
}

static void deadlines(void **state)
{
    struct srv_conns *t = table(100, 10, 10);
    struct srv_conn *slow, *body, *ans, *idle;

    (void)state;
    slow = open_at(t, 3, "192.0.2.1", 0);
    body = open_at(t, 4, "192.0.2.2", 0);
    ans = open_at(t, 5, "192.0.2.3", 0);
    idle = open_at(t, 6, "192.0.2.4", 0);
    /* a head that has come in by t=1 s; a 64 KiB body: 30 s + 2 s */
    srv_conn_head_done(t, body, 65536, 1 * S);
    /* another answered at 1 s with 320 KiB: 30 s + 10 s */
    srv_conn_head_done(t, ans, 0, 1 * S);
    srv_conn_answering(t, ans, 327680, 1 * S);
    /* a request done at 5 s: the next head is due by 15 s */
    srv_conn_head_done(t, idle, 0, 1 * S);
    srv_conn_working(t, idle);
    srv_conn_idle(t, idle, 5 * S);
    /* The slow head's bytes do not matter: only its deadline does. */
    assert_int_equal(srv_conn_sweep(t, 10 * S - 1), 0);
    assert_int_equal(srv_conn_sweep(t, 10 * S), 1);
    assert_int_equal(kicked[0], 3);
    assert_int_equal(srv_conn_sweep(t, 15 * S), 1);
    assert_int_equal(kicked[1], 6);
    assert_int_equal(srv_conn_sweep(t, 33 * S - 1), 0);
    assert_int_equal(srv_conn_sweep(t, 33 * S), 1);
    assert_int_equal(kicked[2], 4);
    assert_int_equal(srv_conn_sweep(t, 41 * S), 1);
    assert_int_equal(kicked[3], 5);
    /* kicked once only; a handler at work has no deadline */
    {
        struct srv_conn *w = open_at(t, 7, "192.0.2.5", 50 * S);
        srv_conn_head_done(t, w, 0, 50 * S);
        srv_conn_working(t, w);
        assert_int_equal(srv_conn_sweep(t, 5000 * S), 0);
        srv_conn_close(t, w);
    }
    srv_conn_close(t, slow);
    srv_conn_close(t, body);
    srv_conn_close(t, ans);
    srv_conn_close(t, idle);
    srv_conns_free(t);
}

/* A head that arrived while the connection's thread was busy is not the
 * client's fault: its deadline moves on a second at a time, for at most
 * a minute; then it is cut like any other. */
static void server_behind(void **state)
{
    struct srv_conns *t = table(100, 10, 10);
    struct srv_conn *c = open_at(t, 40, "192.0.2.9", 0);
    int64_t now;

    (void)state;
    behind_fd = 40;
    assert_int_equal(srv_conn_sweep(t, 10 * S), 0);
    assert_int_equal(srv_conn_sweep(t, 11 * S), 0);
    /* read at last: the request goes on, with grace anew next time */
    srv_conn_head_done(t, c, 0, 11 * S + 1);
    srv_conn_working(t, c);
    srv_conn_idle(t, c, 12 * S);
    for (now = 22 * S; now < 200 * S; now += S) {
        if (srv_conn_sweep(t, now)) {
            break;
        }
    }
    /* 10 s head deadline, then a minute of grace */
    assert_int_equal(now, 22 * S + SRV_CONN_GRACE_US);
    assert_int_equal(nkicked, 1);
    behind_fd = -1;
    srv_conn_close(t, c);
    srv_conns_free(t);
}

static void group_budget(void **state)
{
    struct srv_conns *t = table(100, 3, 10);
    struct srv_conn *c[8];
    struct srv_addr a = addr("2001:db8:1:2::1");
    struct srv_conn_stats st;

    (void)state;
    /* Three from one /64 (different addresses in it). */
    c[0] = open_at(t, 10, "2001:db8:1:2::1", 0);
    c[1] = open_at(t, 11, "2001:db8:1:2::2", 1);
    c[2] = open_at(t, 12, "2001:db8:1:2:abcd::3", 2);
    /* A fourth sheds the group's oldest stranger still sending a head. */
    c[3] = open_at(t, 13, "2001:db8:1:2::4", 3);
    assert_int_equal(nkicked, 1);
    assert_int_equal(kicked[0], 10);
    /* Another /64 is another group. */
    c[4] = open_at(t, 14, "2001:db8:1:3::1", 4);
    assert_int_equal(nkicked, 1);
    /* With every one of the group's connections at work, there is
     * nothing to shed: refused. */
    srv_conn_head_done(t, c[1], 0, 5);
    srv_conn_head_done(t, c[2], 0, 5);
    srv_conn_head_done(t, c[3], 0, 5);
    assert_false(srv_conn_admit(t, &a, false, 6));
    /* Unless it is exempt (the trusted proxy). */
    assert_true(srv_conn_admit(t, &a, true, 6));
    /* A trusted connection does not count against its group. */
    srv_conn_trust(t, c[1]);
    assert_true(srv_conn_admit(t, &a, false, 7));
    c[5] = srv_conn_open(t, 15, &a, false, 7);
    assert_non_null(c[5]);
    srv_conn_stats(t, &st);
    assert_int_equal(st.open, 5);
    assert_int_equal(st.untrusted, 4);
    assert_int_equal(st.kicked_for_room, 1);
    assert_int_equal(st.refused, 1);
    srv_conn_close(t, c[0]);
    srv_conn_close(t, c[1]);
    srv_conn_close(t, c[2]);
    srv_conn_close(t, c[3]);
    srv_conn_close(t, c[4]);
    srv_conn_close(t, c[5]);
    srv_conn_stats(t, &st);
    assert_int_equal(st.open, 0);
    assert_int_equal(st.untrusted, 0);
    srv_conns_free(t);
}

static void room_for_trusted(void **state)
{
    /* 10 in all, 2 kept for trusted connections: strangers get 8. */
    struct srv_conns *t = table(10, 100, 2);
    struct srv_conn *c[16];
    struct srv_addr a = addr("198.51.100.1");
    int i;

    (void)state;
    for (i = 0; i < 8; i++) {
        char ip[32];
        snprintf(ip, sizeof ip, "203.0.113.%d", i + 1);
        c[i] = open_at(t, 20 + i, ip, i);
    }
    assert_int_equal(nkicked, 0);
    /* Two of them sign in; one is in the middle of a body. */
    srv_conn_head_done(t, c[0], 0, 10);
    srv_conn_trust(t, c[0]);
    srv_conn_idle(t, c[0], 11);
    srv_conn_head_done(t, c[1], 0, 10);
    srv_conn_trust(t, c[1]);
    srv_conn_head_done(t, c[2], 1000, 10);
    /* Room for two more strangers now; the next one sheds the oldest
     * stranger still sending its head (fd 23), not the trusted ones, not
     * the body. */
    c[8] = open_at(t, 28, "198.51.100.1", 12);
    c[9] = open_at(t, 29, "198.51.100.2", 13);
    assert_int_equal(nkicked, 0);
    c[10] = open_at(t, 30, "198.51.100.3", 14);
    assert_int_equal(nkicked, 1);
    assert_int_equal(kicked[0], 23);
    /* Strangers all at work or trusted, except the body: it goes next. */
    for (i = 4; i < 8; i++) {
        srv_conn_head_done(t, c[i], 0, 15);
    }
    srv_conn_head_done(t, c[8], 0, 15);
    srv_conn_head_done(t, c[9], 0, 15);
    srv_conn_head_done(t, c[10], 0, 15);
    assert_true(srv_conn_admit(t, &a, false, 16));
    assert_int_equal(nkicked, 2);
    assert_int_equal(kicked[1], 22);
    c[11] = srv_conn_open(t, 31, &a, false, 16);
    srv_conn_head_done(t, c[11], 0, 16);
    /* Now nothing can be shed: refused, and the trusted ones stay. */
    assert_false(srv_conn_admit(t, &a, false, 17));
    assert_int_equal(nkicked, 2);
    for (i = 0; i < 12; i++) {
        srv_conn_close(t, c[i]);
    }
    srv_conns_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(deadlines),
        cmocka_unit_test(server_behind),
        cmocka_unit_test(group_budget),
        cmocka_unit_test(room_for_trusted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
