/*
 * test_err.c: unit tests of common/taulu_err: every code of enum taulu_err
 * has a value of its own and a phrase of its own, so a log line says which
 * failure it was (the storage codes were once kept outside the enum and
 * logged as "unknown error").
 *
 * The codes are read from common/taulu_err.h itself, so a code added later
 * is checked without anybody remembering to list it here.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taulu_err.h"

#define MAX_CODES 128

struct code {
    char name[48];
    long value;
};

/* The "NAME = value," lines of the enum in the header. */
static size_t read_codes(struct code *out, size_t max)
{
    const char *src = getenv("TAULU_SOURCE_DIR");
    char path[1024], line[256];
    size_t n = 0;
    bool in_enum = false;
    FILE *f;

    assert_non_null(src);
    snprintf(path, sizeof path, "%s/common/taulu_err.h", src);
    f = fopen(path, "r");
    assert_non_null(f);
    while (fgets(line, sizeof line, f)) {
        char name[48];
        long value;
        if (strstr(line, "enum taulu_err {")) {
            in_enum = true;
            continue;
        }
        if (in_enum && line[0] == '}') {
            break;
        }
        if (in_enum && sscanf(line, " %47[A-Z0-9_] = %ld", name, &value) == 2) {
            assert_true(n < max);
            snprintf(out[n].name, sizeof out[n].name, "%s", name);
            out[n].value = value;
            n++;
        }
    }
    fclose(f);
    return n;
}

static void every_code_has_its_own_value_and_phrase(void **state)
{
    struct code codes[MAX_CODES];
    size_t n, i, k;

    (void)state;
    n = read_codes(codes, MAX_CODES);
    /* The header parsed: TAULU_OK up to at least the storage codes. */
    assert_true(n >= 21);
    for (i = 0; i < n; i++) {
        const char *phrase = taulu_strerror((int)codes[i].value);
        assert_non_null(phrase);
        assert_true(phrase[0] != '\0');
        if (strcmp(phrase, "unknown error") == 0) {
            fail_msg("%s has no phrase of its own", codes[i].name);
        }
        if (codes[i].value > 0) {
            fail_msg("%s is positive", codes[i].name);
        }
        for (k = 0; k < i; k++) {
            if (codes[k].value == codes[i].value) {
                fail_msg("%s and %s share the value %ld", codes[k].name,
                         codes[i].name, codes[i].value);
            }
            if (strcmp(taulu_strerror((int)codes[k].value), phrase) == 0) {
                fail_msg("%s and %s share the phrase \"%s\"", codes[k].name,
                         codes[i].name, phrase);
            }
        }
    }
}

static void storage_codes(void **state)
{
    (void)state;
    /* The values the store has always returned, so that numbers in old
     * logs still mean the same. */
    assert_int_equal(TAULU_ECONFLICT, -100);
    assert_int_equal(TAULU_EREFERENCED, -101);
    assert_int_equal(TAULU_EDB, -102);
    assert_string_equal(taulu_strerror(TAULU_ECONFLICT),
                        "conflict with stored data");
    assert_string_equal(taulu_strerror(TAULU_EREFERENCED), "still referenced");
    assert_string_equal(taulu_strerror(TAULU_EDB), "database failure");
}

/* The content server's request helpers once said "answered already" with
 * -1, which is TAULU_ENOMEM: the code of its own must never be that. */
static void answered_is_not_a_failure_code(void **state)
{
    (void)state;
    assert_true(TAULU_EANSWERED < 0);
    assert_int_not_equal(TAULU_EANSWERED, -1);
    assert_int_not_equal(TAULU_EANSWERED, TAULU_ENOMEM);
    assert_string_equal(taulu_strerror(TAULU_EANSWERED),
                        "request answered already");
}

static void unknown_codes(void **state)
{
    (void)state;
    assert_string_equal(taulu_strerror(-99), "unknown error");
    assert_string_equal(taulu_strerror(1), "unknown error");
    assert_string_equal(taulu_strerror(TAULU_OK), "success");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_code_has_its_own_value_and_phrase),
        cmocka_unit_test(storage_codes),
        cmocka_unit_test(answered_is_not_a_failure_code),
        cmocka_unit_test(unknown_codes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
