/*
 * test_srv_auth.c: password hashing, secrets and the login rate limiter.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <pthread.h>
#include <setjmp.h>
#include <cmocka.h>

#include "srv_auth.h"
#include "taulu_crypto.h"

static void passwords(void **state)
{
    char h[SRV_PWHASH_STRLEN];
    bool rehash = true;

    (void)state;
    assert_int_equal(srv_auth_init(), 0);
    assert_int_equal(srv_auth_hash_password("korjaamo-kahvila-7", h), 0);
    assert_non_null(strstr(h, "$argon2id$"));
    assert_int_equal(srv_auth_verify_password(h, "korjaamo-kahvila-7", &rehash),
                     0);
    assert_false(rehash);
    assert_int_not_equal(
        srv_auth_verify_password(h, "korjaamo-kahvila-8", NULL), 0);
    /* No hash (unknown account) always fails. */
    assert_int_not_equal(
        srv_auth_verify_password(NULL, "korjaamo-kahvila-7", NULL), 0);
    assert_int_not_equal(srv_auth_hash_password("short", h), 0);
    assert_false(srv_auth_password_ok("tab\there-1234567"));
    assert_false(srv_auth_password_ok("bad-utf8-\xff-1234"));
    assert_true(srv_auth_password_ok("pitkä salasana ääkkösillä"));
}

static void secrets(void **state)
{
    char a[SRV_TOKEN_LEN + 1], b[SRV_TOKEN_LEN + 1], pw[25];
    uint8_t ha[32], hb[32], check[32];

    (void)state;
    assert_int_equal(srv_auth_init(), 0);
    srv_auth_new_secret(SRV_TOKEN_SCREEN, a, sizeof(a), ha);
    srv_auth_new_secret(SRV_TOKEN_SCREEN, b, sizeof(b), hb);
    assert_int_equal(strlen(a), SRV_TOKEN_LEN);
    assert_memory_equal(a, "tss_", 4);
    assert_string_not_equal(a, b);
    srv_auth_secret_hash(a, check);
    assert_memory_equal(check, ha, 32);
    assert_memory_not_equal(ha, hb, 32);
    srv_auth_new_password(pw, sizeof(pw));
    assert_int_equal(strlen(pw), 24);
    assert_true(srv_auth_password_ok(pw));
}

static void rate_limit(void **state)
{
    struct srv_ratelimit *rl = srv_ratelimit_new(5);
    int i;

    (void)state;
    assert_non_null(rl);
    for (i = 0; i < 4; i++) {
        assert_int_equal(srv_ratelimit_begin(rl, "a:aino@example.fi", 1000), 0);
        assert_int_equal(srv_ratelimit_wait(rl, "a:aino@example.fi", 1000), 0);
    }
    /* The fifth attempt is let through and starts the backoff: 30 s, then
     * 1 min, 2 min... */
    assert_int_equal(srv_ratelimit_begin(rl, "a:aino@example.fi", 1000), 0);
    assert_int_equal(srv_ratelimit_wait(rl, "a:aino@example.fi", 1000), 30);
    /* Refused attempts are not counted and do not lengthen it. */
    assert_int_equal(srv_ratelimit_begin(rl, "a:aino@example.fi", 1010), 20);
    assert_int_equal(srv_ratelimit_wait(rl, "a:aino@example.fi", 1029), 1);
    assert_int_equal(srv_ratelimit_wait(rl, "a:aino@example.fi", 1030), 0);
    assert_int_equal(srv_ratelimit_begin(rl, "a:aino@example.fi", 1030), 0);
    assert_int_equal(srv_ratelimit_wait(rl, "a:aino@example.fi", 1030), 60);
    {
        int64_t now = 1030;
        for (i = 0; i < 30; i++) {
            /* each attempt as soon as it is allowed */
            now += srv_ratelimit_wait(rl, "a:aino@example.fi", now);
            assert_int_equal(srv_ratelimit_begin(rl, "a:aino@example.fi", now),
                             0);
        }
        /* Capped at 15 minutes. */
        assert_int_equal(srv_ratelimit_wait(rl, "a:aino@example.fi", now), 900);
        /* Other keys are not affected. */
        assert_int_equal(srv_ratelimit_wait(rl, "a:pekka@example.fi", now), 0);
        /* Clearing forgets. */
        srv_ratelimit_clear(rl, "a:aino@example.fi");
        assert_int_equal(srv_ratelimit_wait(rl, "a:aino@example.fi", now), 0);
    }
    /* A flood of other keys cannot grow memory (fixed table) and is
     * answered. */
    for (i = 0; i < 100000; i++) {
        char key[32];
        snprintf(key, sizeof(key), "i:10.0.%d.%d", i / 256, i % 256);
        srv_ratelimit_begin(rl, key, 40000);
    }
    srv_ratelimit_free(rl);
    srv_ratelimit_free(NULL);
}

/* A success takes back only its own attempt: the failures before it still
 * count (an attacker with one valid account cannot reset an address's
 * limit by signing in between guesses). */
static void undo_keeps_earlier_failures(void **state)
{
    struct srv_ratelimit *rl = srv_ratelimit_new(20);
    int i, guesses = 0;

    (void)state;
    for (i = 0; i < 57; i++) {
        if (i % 3 == 2) {
            /* the attacker's own account signs in */
            if (srv_ratelimit_begin(rl, "i:192.0.2.7", 100 + i) == 0) {
                srv_ratelimit_undo(rl, "i:192.0.2.7");
            }
            continue;
        }
        if (srv_ratelimit_begin(rl, "i:192.0.2.7", 100 + i) == 0) {
            guesses++;
        }
    }
    assert_int_equal(guesses, 20);
    /* Undo below the limit ends a lock-out its attempt started. */
    srv_ratelimit_free(rl);
    rl = srv_ratelimit_new(3);
    assert_int_equal(srv_ratelimit_begin(rl, "k", 10), 0);
    assert_int_equal(srv_ratelimit_begin(rl, "k", 10), 0);
    assert_int_equal(srv_ratelimit_begin(rl, "k", 10), 0);
    assert_int_equal(srv_ratelimit_wait(rl, "k", 10), 30);
    srv_ratelimit_undo(rl, "k");
    assert_int_equal(srv_ratelimit_wait(rl, "k", 10), 0);
    srv_ratelimit_free(rl);
}

/* A lock-out survives a flood of fresh keys into its part of the table:
 * the stalest entry that is not locked out is reused, not the locked one. */
static void lockout_not_evicted(void **state)
{
    struct srv_ratelimit *rl = srv_ratelimit_new(5);
    int i;

    (void)state;
    for (i = 0; i < 5; i++) {
        srv_ratelimit_begin(rl, "a:aino@example.fi", 1000);
    }
    for (i = 0; i < 200000; i++) {
        char key[32];
        snprintf(key, sizeof(key), "a:x%d@example.fi", i);
        srv_ratelimit_begin(rl, key, 1001);
    }
    assert_true(srv_ratelimit_wait(rl, "a:aino@example.fi", 1001) > 0);
    srv_ratelimit_free(rl);
}

struct burst {
    struct srv_ratelimit *rl;
    pthread_barrier_t *go;
    int passed;
};

static void *burst_one(void *arg)
{
    struct burst *b = arg;

    pthread_barrier_wait(b->go);
    b->passed = srv_ratelimit_begin(b->rl, "a:aino@example.fi", 5000) == 0;
    return NULL;
}

/* 20 attempts at once get exactly the limit's 5 through. */
static void parallel_burst(void **state)
{
    struct srv_ratelimit *rl = srv_ratelimit_new(5);
    struct burst b[20];
    pthread_t t[20];
    pthread_barrier_t go;
    int i, passed = 0;

    (void)state;
    pthread_barrier_init(&go, NULL, 20);
    for (i = 0; i < 20; i++) {
        b[i].rl = rl;
        b[i].go = &go;
        b[i].passed = 0;
        assert_int_equal(pthread_create(&t[i], NULL, burst_one, &b[i]), 0);
    }
    for (i = 0; i < 20; i++) {
        pthread_join(t[i], NULL);
        passed += b[i].passed;
    }
    assert_int_equal(passed, 5);
    pthread_barrier_destroy(&go);
    srv_ratelimit_free(rl);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(passwords),
        cmocka_unit_test(secrets),
        cmocka_unit_test(rate_limit),
        cmocka_unit_test(undo_keeps_earlier_failures),
        cmocka_unit_test(lockout_not_evicted),
        cmocka_unit_test(parallel_burst),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
