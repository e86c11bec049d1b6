/*
 * test_srv_enrol.c: the enrolment sessions (api/srv_enrol.c): codes from
 * the alphabet and unique, the typed code read leniently but strictly,
 * a bind only to an open session and only once, the token's claim only
 * with the secret and only once, expiry, and the limits per address and
 * in all.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "srv_enrol.h"
#include "taulu_crypto.h"
#include "taulu_err.h"

static void key(uint8_t out[32], int n)
{
    char s[32];

    snprintf(s, sizeof s, "secret-%d", n);
    taulu_sha256(s, strlen(s), out);
}

static void codes(void **st)
{
    char c[SRV_ENROL_CODE_LEN + 1], shown[SRV_ENROL_CODE_SHOWN + 1];
    const char *a = srv_enrol_alphabet();

    (void)st;
    assert_int_equal(strlen(a), 30);
    /* nothing that looks like another character */
    for (const char *bad = "01ILOU"; *bad; bad++) {
        assert_null(strchr(a, *bad));
    }
    assert_int_equal(srv_enrol_code_normalise(" abcd-efgh ", c), 0);
    assert_string_equal(c, "ABCDEFGH");
    assert_int_equal(srv_enrol_code_normalise("AB CD EF GH", c), 0);
    assert_string_equal(c, "ABCDEFGH");
    assert_int_equal(srv_enrol_code_normalise("ABCD-EFG", c), TAULU_EVALUE);
    assert_int_equal(srv_enrol_code_normalise("ABCD-EFGHJ", c), TAULU_EVALUE);
    assert_int_equal(srv_enrol_code_normalise("ABCD-EFG0", c), TAULU_EVALUE);
    assert_int_equal(srv_enrol_code_normalise("ABCD-EFGÄ", c), TAULU_EVALUE);
    assert_int_equal(srv_enrol_code_normalise("", c), TAULU_EVALUE);
    assert_string_equal(c, "");
    srv_enrol_code_show("ABCDEFGH", shown);
    assert_string_equal(shown, "ABCD-EFGH");
}

static void bind_and_claim(void **st)
{
    struct srv_enrol *e = srv_enrol_new(900);
    char sess[SRV_ENROL_SESSION_HEX + 1], code[SRV_ENROL_CODE_LEN + 1];
    char bound_sess[SRV_ENROL_SESSION_HEX + 1];
    uint8_t k[32], wrong[32];
    enum srv_enrol_state state;
    int64_t exp, screen, by, exp2;

    (void)st;
    assert_non_null(e);
    key(k, 1);
    key(wrong, 2);
    assert_int_equal(srv_enrol_open(e, k, "10.0.0.1", 1000, sess, code, &exp),
                     0);
    assert_int_equal(strlen(sess), SRV_ENROL_SESSION_HEX);
    assert_int_equal(strlen(code), SRV_ENROL_CODE_LEN);
    for (size_t i = 0; i < SRV_ENROL_CODE_LEN; i++) {
        assert_non_null(strchr(srv_enrol_alphabet(), code[i]));
    }
    assert_int_equal(exp, 1900);
    /* the same key twice: the player must make a new secret */
    assert_int_equal(srv_enrol_open(e, k, "10.0.0.1", 1000, sess, code, &exp),
                     TAULU_ECONFLICT);
    /* pending; the wrong secret is "not found", not "wrong" */
    assert_int_equal(
        srv_enrol_claim(e, sess, k, 1001, &state, &screen, &by, &exp2), 0);
    assert_int_equal(state, SRV_ENROL_PENDING);
    assert_int_equal(
        srv_enrol_claim(e, sess, wrong, 1001, &state, &screen, &by, &exp2),
        TAULU_ENOTFOUND);
    /* a wrong code binds nothing; the right one once */
    assert_int_equal(srv_enrol_bind(e, "ZZZZZZZZ", 7, 3, 1002, NULL),
                     TAULU_ENOTFOUND);
    assert_int_equal(srv_enrol_bind(e, code, 7, 3, 1002, bound_sess), 0);
    assert_string_equal(bound_sess, sess);
    assert_int_equal(srv_enrol_bind(e, code, 8, 3, 1002, NULL),
                     TAULU_ECONFLICT);
    /* the wrong secret still gets nothing, and does not spend it */
    assert_int_equal(
        srv_enrol_claim(e, sess, wrong, 1003, &state, &screen, &by, &exp2),
        TAULU_ENOTFOUND);
    assert_int_equal(
        srv_enrol_claim(e, sess, k, 1003, &state, &screen, &by, &exp2), 0);
    assert_int_equal(state, SRV_ENROL_BOUND);
    assert_int_equal(screen, 7);
    assert_int_equal(by, 3);
    /* given once */
    assert_int_equal(
        srv_enrol_claim(e, sess, k, 1004, &state, &screen, &by, &exp2),
        TAULU_ENOTFOUND);
    assert_int_equal(srv_enrol_count(e, 1004), 0);
    srv_enrol_free(e);
}

static void expiry(void **st)
{
    struct srv_enrol *e = srv_enrol_new(900);
    char sess[SRV_ENROL_SESSION_HEX + 1], code[SRV_ENROL_CODE_LEN + 1];
    uint8_t k[32];
    enum srv_enrol_state state;
    int64_t exp, screen, by;

    (void)st;
    key(k, 1);
    assert_int_equal(srv_enrol_open(e, k, "a", 0, sess, code, &exp), 0);
    assert_int_equal(srv_enrol_count(e, 899), 1);
    /* at 15 minutes it is gone: no bind, no poll */
    assert_int_equal(srv_enrol_bind(e, code, 7, 3, 900, NULL), TAULU_ENOTFOUND);
    assert_int_equal(
        srv_enrol_claim(e, sess, k, 900, &state, &screen, &by, &exp),
        TAULU_ENOTFOUND);
    assert_int_equal(srv_enrol_count(e, 900), 0);
    srv_enrol_free(e);
}

static void limits(void **st)
{
    struct srv_enrol *e = srv_enrol_new(900);
    char sess[SRV_ENROL_SESSION_HEX + 1], code[SRV_ENROL_CODE_LEN + 1];
    char seen[SRV_ENROL_MAX][SRV_ENROL_CODE_LEN + 1], addr[32];
    uint8_t k[32];
    int64_t exp;
    int n = 0;

    (void)st;
    /* one address opens at most SRV_ENROL_PER_ADDR at once */
    for (int i = 0; i < SRV_ENROL_PER_ADDR; i++) {
        key(k, 100 + i);
        assert_int_equal(srv_enrol_open(e, k, "10.0.0.9", 0, sess, code, &exp),
                         0);
    }
    key(k, 99);
    assert_int_equal(srv_enrol_open(e, k, "10.0.0.9", 0, sess, code, &exp),
                     TAULU_ELIMIT);
    /* in all, SRV_ENROL_MAX; every code different */
    for (int i = 0; i < SRV_ENROL_MAX - SRV_ENROL_PER_ADDR; i++) {
        key(k, 1000 + i);
        snprintf(addr, sizeof addr, "10.1.%d.%d", i / 200, i % 200);
        assert_int_equal(srv_enrol_open(e, k, addr, 0, sess, code, &exp), 0);
        memcpy(seen[n++], code, sizeof code);
    }
    key(k, 5000);
    assert_int_equal(srv_enrol_open(e, k, "10.2.0.1", 0, sess, code, &exp),
                     TAULU_ELIMIT);
    for (int i = 0; i < n; i++) {
        for (int j = i + 1; j < n; j++) {
            assert_string_not_equal(seen[i], seen[j]);
        }
    }
    /* expired ones make room */
    assert_int_equal(srv_enrol_open(e, k, "10.2.0.1", 900, sess, code, &exp),
                     0);
    srv_enrol_free(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(codes),
        cmocka_unit_test(bind_and_claim),
        cmocka_unit_test(expiry),
        cmocka_unit_test(limits),
    };

    taulu_crypto_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
