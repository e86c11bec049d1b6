/*
 * test_hex.c: unit tests of common/taulu_hex (one hexadecimal digit).
 *
 * Every one of the 256 byte values and EOF: exactly the 22 digit
 * characters have a value, and it is the right one. The neighbours of each
 * range ('/' ':' '@' 'G' '`' 'g') are where an off-by-one would show.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "taulu_hex.h"

static void test_digits(void **state)
{
    static const char lower[] = "0123456789abcdef";
    static const char upper[] = "0123456789ABCDEF";
    int i;

    (void)state;
    for (i = 0; i < 16; i++) {
        assert_int_equal(taulu_hex_digit(lower[i]), i);
        assert_int_equal(taulu_hex_digit(upper[i]), i);
    }
}

static void test_neighbours(void **state)
{
    (void)state;
    assert_int_equal(taulu_hex_digit('/'), -1);
    assert_int_equal(taulu_hex_digit(':'), -1);
    assert_int_equal(taulu_hex_digit('@'), -1);
    assert_int_equal(taulu_hex_digit('G'), -1);
    assert_int_equal(taulu_hex_digit('`'), -1);
    assert_int_equal(taulu_hex_digit('g'), -1);
    assert_int_equal(taulu_hex_digit('x'), -1);
    assert_int_equal(taulu_hex_digit(' '), -1);
    assert_int_equal(taulu_hex_digit('\0'), -1);
}

/* A byte with the high bit set arrives as a negative char on most ABIs;
 * neither it nor its unsigned value (e.g. a fullwidth digit's UTF-8
 * bytes) is a digit. */
static void test_every_byte(void **state)
{
    int c, n = 0;

    (void)state;
    for (c = -128; c < 256; c++) {
        int v = taulu_hex_digit(c);
        if (v >= 0) {
            assert_non_null(strchr("0123456789abcdefABCDEF", c));
            n++;
        }
    }
    assert_int_equal(n, 22);
    assert_int_equal(taulu_hex_digit(EOF), -1);
    assert_int_equal(taulu_hex_digit((char)0xef), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_digits),
        cmocka_unit_test(test_neighbours),
        cmocka_unit_test(test_every_byte),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
