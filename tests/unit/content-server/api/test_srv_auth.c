/*
 * test_srv_auth.c: password hashing, secrets and the login rate limiter.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

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
        srv_ratelimit_fail(rl, "a:aino@example.fi", 1000);
        assert_int_equal(srv_ratelimit_wait(rl, "a:aino@example.fi", 1000), 0);
    }
    /* The fifth failure starts the backoff: 30 s, then 1 min, 2 min... */
    srv_ratelimit_fail(rl, "a:aino@example.fi", 1000);
    assert_int_equal(srv_ratelimit_wait(rl, "a:aino@example.fi", 1000), 30);
    assert_int_equal(srv_ratelimit_wait(rl, "a:aino@example.fi", 1029), 1);
    assert_int_equal(srv_ratelimit_wait(rl, "a:aino@example.fi", 1030), 0);
    srv_ratelimit_fail(rl, "a:aino@example.fi", 1030);
    assert_int_equal(srv_ratelimit_wait(rl, "a:aino@example.fi", 1030), 60);
    for (i = 0; i < 30; i++) {
        srv_ratelimit_fail(rl, "a:aino@example.fi", 1002);
    }
    /* Capped at 15 minutes. */
    assert_int_equal(srv_ratelimit_wait(rl, "a:aino@example.fi", 1002), 900);
    /* Other keys are not affected. */
    assert_int_equal(srv_ratelimit_wait(rl, "a:pekka@example.fi", 1002), 0);
    /* Success clears. */
    srv_ratelimit_success(rl, "a:aino@example.fi");
    assert_int_equal(srv_ratelimit_wait(rl, "a:aino@example.fi", 1002), 0);
    /* A flood of other keys cannot grow memory (fixed table) and is
     * answered. */
    for (i = 0; i < 100000; i++) {
        char key[32];
        snprintf(key, sizeof(key), "i:10.0.%d.%d", i / 256, i % 256);
        srv_ratelimit_fail(rl, key, 2000);
    }
    srv_ratelimit_free(rl);
    srv_ratelimit_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(passwords),
        cmocka_unit_test(secrets),
        cmocka_unit_test(rate_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
