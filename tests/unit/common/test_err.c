/*
 * test_err.c: unit tests of common/taulu_err (the error codes' phrases).
 *
 * Every code has its own phrase, so a log line tells them apart; in
 * particular TAULU_EANSWERED ("answered already") must never be mistaken
 * for TAULU_ENOMEM, which is what the old "-1 = answered" convention of
 * the content server's request helpers collided with.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "taulu_err.h"

static const int codes[] = {
    TAULU_OK,      TAULU_ENOMEM,   TAULU_EINVAL,    TAULU_ELIMIT,
    TAULU_EIO,     TAULU_EPARSE,   TAULU_ETYPE,     TAULU_EMISSING,
    TAULU_EVALUE,  TAULU_EUTF8,    TAULU_EVERSION,  TAULU_ESIG,
    TAULU_EHASH,   TAULU_ECRYPTO,  TAULU_ENOTFOUND, TAULU_ESTALE,
    TAULU_ECONFIG, TAULU_EUNAVAIL, TAULU_EANSWERED,
};
#define NCODES (sizeof(codes) / sizeof(codes[0]))

static void test_distinct(void **state)
{
    size_t i, j;

    (void)state;
    for (i = 0; i < NCODES; i++) {
        assert_string_not_equal(taulu_strerror(codes[i]), "unknown error");
        for (j = 0; j < i; j++) {
            assert_int_not_equal(codes[i], codes[j]);
            assert_string_not_equal(taulu_strerror(codes[i]),
                                    taulu_strerror(codes[j]));
        }
    }
}

static void test_answered(void **state)
{
    (void)state;
    assert_true(TAULU_EANSWERED < 0);
    assert_int_not_equal(TAULU_EANSWERED, -1);
    assert_string_equal(taulu_strerror(TAULU_EANSWERED),
                        "request answered already");
    assert_string_equal(taulu_strerror(12345), "unknown error");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_distinct),
        cmocka_unit_test(test_answered),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
