/*
 * test_buf.c: unit tests of common/taulu_buf (growable buffer with a hard
 * limit).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "taulu_buf.h"
#include "taulu_err.h"

static void test_init_and_release_unused(void **state)
{
    struct taulu_buf b;

    (void)state;
    taulu_buf_init(&b, 100);
    assert_non_null(b.data);
    assert_string_equal(b.data, "");
    assert_int_equal(b.len, 0);
    assert_int_equal(b.cap, 0);
    assert_int_equal(b.limit, 100);
    /* Release of a buffer that never allocated, twice. */
    taulu_buf_release(&b);
    taulu_buf_release(&b);
    assert_string_equal(b.data, "");
    assert_int_equal(b.len, 0);
    assert_int_equal(b.limit, 100);
    /* Reset and truncate on it touch nothing. */
    taulu_buf_reset(&b);
    taulu_buf_truncate(&b, 0);
    assert_string_equal(b.data, "");
}

static void test_growth(void **state)
{
    struct taulu_buf b;
    char want[5000];
    size_t i;

    (void)state;
    taulu_buf_init(&b, sizeof want);
    for (i = 0; i < 4000; i++) {
        want[i] = (char)('a' + i % 26);
        assert_int_equal(taulu_buf_putc(&b, want[i]), 0);
        assert_int_equal(b.len, i + 1);
        assert_true(b.cap >= b.len + 1);
        assert_int_equal(b.data[b.len], '\0');
    }
    assert_memory_equal(b.data, want, 4000);
    /* Doubling, not one byte at a time. */
    assert_true(b.cap < 2 * 4001 + 64);
    assert_int_equal(taulu_buf_puts(&b, "XYZ"), 0);
    assert_int_equal(b.len, 4003);
    assert_string_equal(b.data + 4000, "XYZ");
    assert_int_equal(taulu_buf_append(&b, "", 0), 0);
    assert_int_equal(b.len, 4003);
    taulu_buf_release(&b);
    assert_int_equal(b.cap, 0);
    assert_int_equal(b.len, 0);
}

static void test_limit_boundary(void **state)
{
    struct taulu_buf b;

    (void)state;
    taulu_buf_init(&b, 10);
    assert_int_equal(taulu_buf_append(&b, "0123456789", 10), 0);
    assert_int_equal(b.len, 10);
    assert_string_equal(b.data, "0123456789");
    assert_true(b.cap <= 11); /* never more than limit + 1 */
    assert_int_equal(taulu_buf_putc(&b, 'x'), TAULU_ELIMIT);
    assert_int_equal(taulu_buf_append(&b, "", 0), 0);
    assert_int_equal(b.len, 10);
    assert_string_equal(b.data, "0123456789");
    taulu_buf_release(&b);

    /* limit + 1 at once: refused, nothing appended. */
    taulu_buf_init(&b, 10);
    assert_int_equal(taulu_buf_puts(&b, "ab"), 0);
    assert_int_equal(taulu_buf_append(&b, "012345678", 9), TAULU_ELIMIT);
    assert_int_equal(b.len, 2);
    assert_string_equal(b.data, "ab");
    assert_int_equal(taulu_buf_append(&b, "01234567", 8), 0);
    assert_string_equal(b.data, "ab01234567");
    taulu_buf_release(&b);

    /* A zero limit holds only the empty string. */
    taulu_buf_init(&b, 0);
    assert_int_equal(taulu_buf_putc(&b, 'a'), TAULU_ELIMIT);
    assert_int_equal(taulu_buf_append(&b, "", 0), 0);
    assert_string_equal(b.data, "");
    taulu_buf_release(&b);
}

static void test_appendf(void **state)
{
    struct taulu_buf b;

    (void)state;
    taulu_buf_init(&b, 8);
    assert_int_equal(taulu_buf_appendf(&b, "%s-%d", "ab", 42), 0);
    assert_string_equal(b.data, "ab-42");
    /* 4 more would make 9: refused, content unchanged. */
    assert_int_equal(taulu_buf_appendf(&b, "%04d", 7), TAULU_ELIMIT);
    assert_int_equal(b.len, 5);
    assert_string_equal(b.data, "ab-42");
    /* Exactly to the limit. */
    assert_int_equal(taulu_buf_appendf(&b, "%03d", 7), 0);
    assert_string_equal(b.data, "ab-42007");
    assert_int_equal(b.len, 8);
    assert_int_equal(taulu_buf_appendf(&b, "%s", ""), 0);
    assert_int_equal(b.len, 8);
    taulu_buf_release(&b);

    /* appendf into a fresh buffer, and a long result. */
    taulu_buf_init(&b, 100000);
    assert_int_equal(taulu_buf_appendf(&b, "%s", ""), 0);
    assert_string_equal(b.data, "");
    assert_int_equal(taulu_buf_appendf(&b, "%5000d", 1), 0);
    assert_int_equal(b.len, 5000);
    assert_int_equal(b.data[4999], '1');
    assert_int_equal(b.data[0], ' ');
    assert_int_equal(b.data[5000], '\0');
    taulu_buf_release(&b);
}

static void test_truncate_reset(void **state)
{
    struct taulu_buf b;
    size_t cap;

    (void)state;
    taulu_buf_init(&b, 100);
    assert_int_equal(taulu_buf_puts(&b, "hello world"), 0);
    taulu_buf_truncate(&b, 5);
    assert_int_equal(b.len, 5);
    assert_string_equal(b.data, "hello");
    taulu_buf_truncate(&b, 50); /* longer: no-op */
    assert_int_equal(b.len, 5);
    assert_string_equal(b.data, "hello");
    taulu_buf_truncate(&b, 0);
    assert_string_equal(b.data, "");

    assert_int_equal(taulu_buf_puts(&b, "again"), 0);
    cap = b.cap;
    taulu_buf_reset(&b);
    assert_int_equal(b.len, 0);
    assert_string_equal(b.data, "");
    assert_int_equal(b.cap, cap); /* memory kept */
    assert_int_equal(b.limit, 100);
    assert_int_equal(taulu_buf_puts(&b, "x"), 0);
    assert_string_equal(b.data, "x");
    taulu_buf_release(&b);
}

static void test_detach(void **state)
{
    struct taulu_buf b;
    size_t len = 99;
    char *p;

    (void)state;
    taulu_buf_init(&b, 100);
    assert_int_equal(taulu_buf_puts(&b, "owned"), 0);
    p = taulu_buf_detach(&b, &len);
    assert_non_null(p);
    assert_string_equal(p, "owned");
    assert_int_equal(len, 5);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.cap, 0);
    assert_string_equal(b.data, "");
    assert_int_equal(b.limit, 100);
    assert_ptr_not_equal(b.data, p);
    free(p);

    /* Never used: a malloc'd "" the caller can free. */
    len = 99;
    p = taulu_buf_detach(&b, &len);
    assert_non_null(p);
    assert_string_equal(p, "");
    assert_int_equal(len, 0);
    free(p);
    p = taulu_buf_detach(&b, NULL);
    assert_non_null(p);
    free(p);
    /* Still usable. */
    assert_int_equal(taulu_buf_puts(&b, "ok"), 0);
    assert_string_equal(b.data, "ok");
    taulu_buf_release(&b);
}

/* SIZE_MAX is "no limit": used to make the capacity wrap to 0 (a heap
 * overflow on the next append) and grow(SIZE_MAX) to claim success. */
static void test_no_limit(void **state)
{
    struct taulu_buf b;

    (void)state;
    taulu_buf_init(&b, SIZE_MAX);
    assert_int_equal(taulu_buf_puts(&b, "abc"), 0);
    assert_true(b.cap >= 4);
    assert_string_equal(b.data, "abc");
    assert_int_equal(taulu_buf_grow(&b, SIZE_MAX), TAULU_ELIMIT);
    assert_int_equal(taulu_buf_grow(&b, SIZE_MAX - 3), TAULU_ELIMIT);
    assert_string_equal(b.data, "abc");
    taulu_buf_release(&b);
}

static void test_grow(void **state)
{
    struct taulu_buf b;

    (void)state;
    taulu_buf_init(&b, 1000);
    assert_int_equal(taulu_buf_grow(&b, 500), 0);
    assert_true(b.cap >= 501);
    assert_int_equal(b.len, 0);
    assert_string_equal(b.data, "");
    assert_int_equal(taulu_buf_grow(&b, 1001), TAULU_ELIMIT);
    assert_int_equal(taulu_buf_grow(&b, 1000), 0);
    assert_int_equal(b.cap, 1001);
    taulu_buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_and_release_unused),
        cmocka_unit_test(test_growth),
        cmocka_unit_test(test_limit_boundary),
        cmocka_unit_test(test_appendf),
        cmocka_unit_test(test_truncate_reset),
        cmocka_unit_test(test_detach),
        cmocka_unit_test(test_no_limit),
        cmocka_unit_test(test_grow),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
