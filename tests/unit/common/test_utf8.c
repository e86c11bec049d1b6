/*
 * test_utf8.c: unit tests of common/taulu_utf8 (strict UTF-8).
 *
 * The boundary cases are the ones of Markus Kuhn's UTF-8 decoder stress
 * test: the first and last code point of each length, overlongs of '/' and
 * of the largest value of each length, surrogates, past U+10FFFF, stray and
 * missing continuation bytes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "taulu_utf8.h"

/* One valid sequence and the code point it must decode to. */
struct good {
    const char *s;
    uint32_t cp;
};

static const struct good goods[] = {
    {"\x00", 0x0},
    {"A", 0x41},
    {"\x7f", 0x7f},
    {"\xc2\x80", 0x80},
    {"\xc3\xa4", 0xe4}, /* ä */
    {"\xdf\xbf", 0x7ff},
    {"\xe0\xa0\x80", 0x800},
    {"\xe2\x82\xac", 0x20ac}, /* € */
    {"\xed\x9f\xbf", 0xd7ff},
    {"\xee\x80\x80", 0xe000},
    {"\xef\xbf\xbd", 0xfffd},
    {"\xef\xbf\xbf", 0xffff},
    {"\xf0\x90\x80\x80", 0x10000},
    {"\xf0\x9f\x98\x80", 0x1f600},
    {"\xf4\x8f\xbf\xbf", 0x10ffff},
};

static const char *const bads[] = {
    "\x80",             /* stray continuation */
    "\xbf",             /* stray continuation */
    "\xc0\xaf",         /* overlong '/' */
    "\xc1\xbf",         /* overlong U+007F */
    "\xe0\x80\xaf",     /* overlong '/' */
    "\xe0\x9f\xbf",     /* overlong U+07FF */
    "\xf0\x80\x80\xaf", /* overlong '/' */
    "\xf0\x8f\xbf\xbf", /* overlong U+FFFF */
    "\xed\xa0\x80",     /* U+D800 */
    "\xed\xbf\xbf",     /* U+DFFF */
    "\xf4\x90\x80\x80", /* U+110000 */
    "\xf5\x80\x80\x80", /* lead byte past U+10FFFF */
    "\xf8\x88\x80\x80\x80",
    "\xfe",
    "\xff",
    "\xc3",             /* truncated */
    "\xe2\x82",         /* truncated */
    "\xf0\x9f\x98",     /* truncated */
    "\xc3\x41",         /* continuation missing */
    "\xe2\x28\xa1",     /* bad second byte */
    "\xe2\x82\x28",     /* bad third byte */
    "\xf0\x9f\x28\x80", /* bad third byte */
};

static void test_decode_good(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < sizeof goods / sizeof goods[0]; i++) {
        size_t len = goods[i].s[0] ? strlen(goods[i].s) : 1;
        size_t pos = 0;
        uint32_t cp = 0xdeadbeef;

        assert_int_equal(taulu_utf8_decode(goods[i].s, len, &pos, &cp), 0);
        assert_int_equal(cp, goods[i].cp);
        assert_int_equal(pos, len);
        assert_int_equal(taulu_utf8_valid(goods[i].s, len), 1);
        assert_int_equal(taulu_utf8_count(goods[i].s, len), 1);
    }
}

static void test_decode_bad(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < sizeof bads / sizeof bads[0]; i++) {
        size_t len = strlen(bads[i]);
        size_t pos = 0;
        uint32_t cp = 12345;

        assert_int_equal(taulu_utf8_decode(bads[i], len, &pos, &cp), -1);
        /* one bad byte is stepped over, and marked as U+FFFD */
        assert_int_equal(pos, 1);
        assert_int_equal(cp, 0xfffd);
        assert_int_equal(taulu_utf8_valid(bads[i], len), 0);
    }
}

/* A valid sequence cut short by `len` is refused even if the bytes after
 * it in memory would complete it. */
static void test_length_respected(void **state)
{
    const char *euro = "\xe2\x82\xac";
    size_t pos = 0;
    uint32_t cp;

    (void)state;
    assert_int_equal(taulu_utf8_decode(euro, 2, &pos, &cp), -1);
    assert_int_equal(pos, 1);
    assert_int_equal(taulu_utf8_valid(euro, 2), 0);
    assert_int_equal(taulu_utf8_valid(euro, 3), 1);
    pos = 3;
    assert_int_equal(taulu_utf8_decode(euro, 3, &pos, &cp), -1);
    assert_int_equal(pos, 3);
}

static void test_walk_string(void **state)
{
    /* "Hyvää päivää €😀" */
    const char *s = "Hyv\xc3\xa4\xc3\xa4 p\xc3\xa4iv\xc3\xa4\xc3\xa4 "
                    "\xe2\x82\xac\xf0\x9f\x98\x80";
    const uint32_t want[] = {'H', 'y', 'v',  0xe4, 0xe4, ' ',    'p',    0xe4,
                             'i', 'v', 0xe4, 0xe4, ' ',  0x20ac, 0x1f600};
    size_t len = strlen(s), pos = 0, n = 0;
    uint32_t cp;

    (void)state;
    while (pos < len) {
        assert_int_equal(taulu_utf8_decode(s, len, &pos, &cp), 0);
        assert_true(n < sizeof want / sizeof want[0]);
        assert_int_equal(cp, want[n]);
        n++;
    }
    assert_int_equal(n, sizeof want / sizeof want[0]);
    assert_int_equal(taulu_utf8_count(s, len), n);
    assert_int_equal(taulu_utf8_valid(s, len), 1);
}

static void test_invalid_in_middle(void **state)
{
    const char *s = "abc\xc3\xa4\xed\xa0\x80xyz";

    (void)state;
    assert_int_equal(taulu_utf8_valid(s, strlen(s)), 0);
    assert_int_equal(taulu_utf8_valid(s, 5), 1);
    assert_int_equal(taulu_utf8_valid(NULL, 0), 1);
    assert_int_equal(taulu_utf8_count("", 0), 0);
    /* Embedded NUL is U+0000, which is valid. */
    assert_int_equal(taulu_utf8_valid("a\0b", 3), 1);
    assert_int_equal(taulu_utf8_count("a\0b", 3), 3);
}

/* Every 2-, 3- and 4-byte lead byte with every possible second byte: the
 * decoder must agree with the ranges of Unicode table 3-7. */
static void test_table_3_7_exhaustive(void **state)
{
    unsigned lead, second;

    (void)state;
    for (lead = 0x80; lead <= 0xff; lead++) {
        for (second = 0; second <= 0xff; second++) {
            char s[4] = {(char)lead, (char)second, (char)0x80, (char)0x80};
            unsigned lo = 0x80, hi = 0xbf;
            size_t need, pos = 0;
            uint32_t cp;
            int ok;

            if (lead >= 0xc2 && lead <= 0xdf)
                need = 2;
            else if (lead >= 0xe0 && lead <= 0xef)
                need = 3;
            else if (lead >= 0xf0 && lead <= 0xf4)
                need = 4;
            else
                need = 0;
            if (lead == 0xe0)
                lo = 0xa0;
            if (lead == 0xed)
                hi = 0x9f;
            if (lead == 0xf0)
                lo = 0x90;
            if (lead == 0xf4)
                hi = 0x8f;
            ok = need && second >= lo && second <= hi;
            assert_int_equal(taulu_utf8_decode(s, 4, &pos, &cp), ok ? 0 : -1);
            assert_int_equal(pos, ok ? need : 1);
            if (ok) {
                assert_true(cp >= (need == 2   ? 0x80u
                                   : need == 3 ? 0x800u
                                               : 0x10000u));
                assert_true(cp <= 0x10ffff);
                assert_false(cp >= 0xd800 && cp <= 0xdfff);
            }
        }
    }
}

static void test_encode_round_trip(void **state)
{
    static const uint32_t cps[] = {0x41,   0xe4,    0x2013,
                                   0x20ac, 0x1f600, 0x10ffff};
    char out[4];
    size_t i, n, pos;
    uint32_t back;

    (void)state;
    for (i = 0; i < sizeof cps / sizeof cps[0]; i++) {
        n = taulu_utf8_encode(cps[i], out);
        assert_true(n >= 1 && n <= 4);
        pos = 0;
        assert_int_equal(taulu_utf8_decode(out, n, &pos, &back), 0);
        assert_int_equal(pos, n);
        assert_int_equal(back, cps[i]);
    }
    assert_int_equal(taulu_utf8_encode(0xd800, out), 0);
    assert_int_equal(taulu_utf8_encode(0x110000, out), 0);
}

static void test_has_controls(void **state)
{
    (void)state;
    assert_int_equal(taulu_utf8_has_controls("Tänään klo 14–16", 21, ""), 0);
    assert_int_equal(taulu_utf8_has_controls("a\nb", 3, "\n"), 0);
    assert_int_equal(taulu_utf8_has_controls("a\nb", 3, ""), 1);
    assert_int_equal(taulu_utf8_has_controls("a\tb", 3, "\n"), 1);
    assert_int_equal(taulu_utf8_has_controls("a\x7f", 2, ""), 1);
    /* U+0085 (NEL), a C1 control, as UTF-8 */
    assert_int_equal(taulu_utf8_has_controls("a\xc2\x85", 3, "\n"), 1);
    /* an embedded NUL is never allowed */
    assert_int_equal(taulu_utf8_has_controls("a\0b", 3, "\n"), 1);
    /* invalid UTF-8 counts as bad */
    assert_int_equal(taulu_utf8_has_controls("a\xff", 2, ""), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decode_good),
        cmocka_unit_test(test_decode_bad),
        cmocka_unit_test(test_length_respected),
        cmocka_unit_test(test_walk_string),
        cmocka_unit_test(test_invalid_in_middle),
        cmocka_unit_test(test_table_3_7_exhaustive),
        cmocka_unit_test(test_encode_round_trip),
        cmocka_unit_test(test_has_controls),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
