/*
 * test_srv_tally.c: refused anonymous attempts counted per address,
 * reason, account and minute: a flood becomes a few rows whose counts add
 * up, and no number of addresses makes a window write more than
 * SRV_TALLY_KEYS + SRV_TALLY_REASONS rows.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <setjmp.h>
#include <cmocka.h>

#include "srv_tally.h"

static const char failed[] = "failed";
static const char limited[] = "rate_limited";

struct seen {
    struct srv_tally_row rows[1024];
    size_t n;
};

static void collect(void *ctx, const struct srv_tally_row *r)
{
    struct seen *s = ctx;

    assert_true(s->n < 1024);
    s->rows[s->n++] = *r;
}

/* The row of (reason, addr, account); count 0 if there is none. */
static struct srv_tally_row find(const struct seen *s, const char *reason,
                                 const char *addr, int64_t account)
{
    struct srv_tally_row none;
    size_t i;

    for (i = 0; i < s->n; i++) {
        if (s->rows[i].reason == reason && s->rows[i].account_id == account &&
            strcmp(s->rows[i].addr, addr) == 0) {
            return s->rows[i];
        }
    }
    memset(&none, 0, sizeof(none));
    return none;
}

/* 10,000 refusals from one address in a minute: one row. */
static void flood_is_one_row(void **state)
{
    struct srv_tally *t = srv_tally_new();
    struct seen s = {.n = 0};
    struct srv_tally_row r;
    int i;

    (void)state;
    assert_non_null(t);
    for (i = 0; i < 10000; i++) {
        srv_tally_add(t, i < 20 ? failed : limited, "192.0.2.7", 0,
                      1200 + i / 200);
    }
    srv_tally_add(t, failed, "192.0.2.7", 42, 1230);
    /* The window is still open: nothing yet. */
    assert_int_equal(srv_tally_flush(t, 1259, false, collect, &s), 0);
    assert_int_equal(srv_tally_flush(t, 1260, false, collect, &s), 3);
    r = find(&s, limited, "192.0.2.7", 0);
    assert_int_equal(r.count, 9980);
    assert_int_equal(r.window, 1200);
    assert_int_equal(r.first, 1200);
    assert_int_equal(r.last, 1249);
    r = find(&s, failed, "192.0.2.7", 0);
    assert_int_equal(r.count, 20);
    r = find(&s, failed, "192.0.2.7", 42);
    assert_int_equal(r.count, 1);
    /* Flushed rows are gone. */
    assert_int_equal(srv_tally_flush(t, 5000, true, collect, &s), 0);
    srv_tally_free(t);
    srv_tally_free(NULL);
}

/* Each minute is its own row; `all` writes the open one (shutdown). */
static void windows(void **state)
{
    struct srv_tally *t = srv_tally_new();
    struct seen s = {.n = 0};

    (void)state;
    srv_tally_add(t, failed, "2001:db8::/64", 0, 60);
    srv_tally_add(t, failed, "2001:db8::/64", 0, 119);
    srv_tally_add(t, failed, "2001:db8::/64", 0, 120);
    srv_tally_add(t, failed, "2001:db8::/64", 0, 240);
    assert_int_equal(srv_tally_flush(t, 250, false, collect, &s), 2);
    assert_int_equal(s.rows[0].count, 2);
    assert_int_equal(s.rows[0].window, 60);
    assert_int_equal(s.rows[1].count, 1);
    assert_int_equal(s.rows[1].window, 120);
    assert_int_equal(srv_tally_flush(t, 250, true, collect, &s), 1);
    assert_int_equal(s.rows[2].window, 240);
    srv_tally_free(t);
}

/* Any number of addresses: at most KEYS rows plus one per reason, and
 * the counts add up. */
static void bounded(void **state)
{
    struct srv_tally *t = srv_tally_new();
    struct seen s = {.n = 0};
    uint64_t sum = 0;
    size_t i;
    int k;

    (void)state;
    for (k = 0; k < 5000; k++) {
        char ip[32];
        snprintf(ip, sizeof ip, "10.%d.%d.1", k / 250, k % 250);
        srv_tally_add(t, k % 2 ? failed : limited, ip, 0, 600);
    }
    assert_int_equal(srv_tally_flush(t, 660, false, collect, &s),
                     SRV_TALLY_KEYS + 2);
    for (i = 0; i < s.n; i++) {
        sum += s.rows[i].count;
    }
    assert_int_equal(sum, 5000);
    assert_true(find(&s, failed, "", 0).count > 0);
    assert_true(find(&s, limited, "", 0).count > 0);
    /* Several minutes nobody flushed: still bounded, nothing lost. */
    s.n = 0;
    sum = 0;
    for (k = 0; k < 20000; k++) {
        char ip[32];
        snprintf(ip, sizeof ip, "10.%d.%d.2", k / 250 % 250, k % 250);
        srv_tally_add(t, failed, ip, 0, 1000 + k / 1000 * 60);
    }
    assert_true(srv_tally_flush(t, 100000, true, collect, &s) <=
                4 * (SRV_TALLY_KEYS + SRV_TALLY_REASONS));
    for (i = 0; i < s.n; i++) {
        sum += s.rows[i].count;
    }
    assert_int_equal(sum, 20000);
    srv_tally_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(flood_is_one_row),
        cmocka_unit_test(windows),
        cmocka_unit_test(bounded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
