/*
 * test_player_backoff.c: retry delays stay within their bounds, grow
 * exponentially up to the cap and are spread over the whole range (full
 * jitter), so screens do not retry in lockstep.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "player_backoff.h"
#include "taulu_crypto.h"

static void test_bounds(void **state)
{
    (void)state;
    for (unsigned attempt = 0; attempt < 100; attempt++) {
        uint64_t ceiling = 1000;
        for (unsigned i = 1; i < attempt && ceiling < 300000; i++) {
            ceiling *= 2;
        }
        if (ceiling > 300000) {
            ceiling = 300000;
        }
        for (int k = 0; k < 200; k++) {
            uint32_t r = taulu_random_uniform(UINT32_MAX);
            uint32_t d = player_backoff_ms(attempt, 1000, 300000, r);
            assert_true(d >= 1000);
            assert_true(d <= ceiling);
        }
        assert_int_equal(player_backoff_ms(attempt, 1000, 300000, 0), 1000);
        assert_int_equal(player_backoff_ms(attempt, 1000, 300000,
                                           (uint32_t)(ceiling - 1000)),
                         ceiling);
    }
}

static void test_extremes(void **state)
{
    (void)state;
    /* First retry: exactly the minimum. */
    assert_int_equal(player_backoff_ms(1, 1000, 300000, UINT32_MAX), 1000);
    /* Huge attempt counts and the largest values do not overflow. */
    assert_true(player_backoff_ms(UINT32_MAX, 1000, 300000, UINT32_MAX) <=
                300000);
    assert_true(player_backoff_ms(40, UINT32_MAX - 1, UINT32_MAX, UINT32_MAX) >=
                UINT32_MAX - 1);
    /* Degenerate arguments. */
    assert_int_equal(player_backoff_ms(5, 0, 0, 12345), 1);
    assert_int_equal(player_backoff_ms(5, 500, 100, 12345), 500);
}

static void test_spread(void **state)
{
    unsigned buckets[10] = {0};

    (void)state;
    /* At the cap the delays cover [min, max] evenly. */
    for (int k = 0; k < 20000; k++) {
        uint32_t d = player_backoff_ms(30, 1000, 301000,
                                       taulu_random_uniform(UINT32_MAX));
        buckets[(d - 1000) / 30001]++;
    }
    for (int b = 0; b < 10; b++) {
        assert_true(buckets[b] > 1500 && buckets[b] < 2500);
    }
}

/* The broker's reconnect delay: whole seconds 1..5, each as likely as
 * the others over uniform random values, never 0 (libmosquitto would
 * take 0 as 1 and bring every screen back at once). */
static void test_reconnect_spread(void **state)
{
    unsigned seen[PLAYER_RECONNECT_SPREAD_S + 1] = {0};
    uint32_t r;

    (void)state;
    for (r = 0; r < 1000; r++) {
        unsigned s = player_backoff_reconnect_s(r);
        assert_true(s >= 1 && s <= PLAYER_RECONNECT_SPREAD_S);
        seen[s]++;
    }
    for (r = 1; r <= PLAYER_RECONNECT_SPREAD_S; r++) {
        assert_int_equal(seen[r], 1000 / PLAYER_RECONNECT_SPREAD_S);
    }
    assert_int_equal(player_backoff_reconnect_s(UINT32_MAX),
                     1 + UINT32_MAX % PLAYER_RECONNECT_SPREAD_S);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bounds),
        cmocka_unit_test(test_extremes),
        cmocka_unit_test(test_spread),
        cmocka_unit_test(test_reconnect_spread),
    };
    if (taulu_crypto_init() < 0) {
        return 1;
    }
    return cmocka_run_group_tests(tests, NULL, NULL);
}
