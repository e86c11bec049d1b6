/*
 * test_fields.c: the table of text field limits. The rule it exists for:
 * whatever the character limit allows, the byte limit allows too (in
 * every field, with the widest characters), and format 2 never refuses
 * what format 1 allowed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "taulu_err.h"
#include "taulu_fields.h"

static char *repeat_utf8(const char *ch, size_t n)
{
    size_t k = strlen(ch), i;
    char *s = malloc(n * k + 1);

    assert_non_null(s);
    for (i = 0; i < n; i++) {
        memcpy(s + i * k, ch, k);
    }
    s[n * k] = '\0';
    return s;
}

static void test_table_is_consistent(void **state)
{
    const struct taulu_field_def *t;
    size_t n, i, j;

    (void)state;
    t = taulu_field_table(&n);
    assert_int_equal(n, TAULU_F_COUNT);
    for (i = 0; i < n; i++) {
        assert_int_equal(t[i].id, (int)i);
        assert_ptr_equal(taulu_field_get(t[i].id), &t[i]);
        assert_true(t[i].max_chars > 0);
        assert_true(t[i].max_bytes >= t[i].v1_bytes);
        if (t[i].ascii) {
            assert_int_equal(t[i].max_bytes, t[i].max_chars);
        } else {
            assert_true(t[i].max_bytes >= 4 * t[i].max_chars);
        }
        for (j = 0; j < i; j++) {
            assert_string_not_equal(t[i].key, t[j].key);
        }
    }
    assert_null(taulu_field_get(TAULU_F_COUNT));
}

/* Every text field full of 4-byte characters (or ASCII for the link) is
 * accepted; one character more is not. */
static void test_widest_text_fits(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < TAULU_F_COUNT; i++) {
        const struct taulu_field_def *d = taulu_field_get(i);
        const char *ch = d->ascii ? "a" : "\xf0\x9f\x98\x80";
        char *s = repeat_utf8(ch, d->max_chars);
        char *over = repeat_utf8(ch, d->max_chars + 1);
        const char *why = NULL;

        assert_int_equal(taulu_field_check(i, s, strlen(s), &why), 0);
        assert_int_equal(taulu_field_check(i, over, strlen(over), &why),
                         TAULU_ELIMIT);
        assert_string_equal(why, "too long");
        free(s);
        free(over);
    }
}

static void test_characters(void **state)
{
    const char *why = NULL;

    (void)state;
    assert_int_equal(taulu_field_check(TAULU_F_BODY, "a\nb", 3, &why), 0);
    assert_int_equal(taulu_field_check(TAULU_F_TITLE, "a\nb", 3, &why),
                     TAULU_EUTF8);
    assert_string_equal(why, "control character");
    assert_int_equal(taulu_field_check(TAULU_F_BODY, "a\tb", 3, &why),
                     TAULU_EUTF8);
    /* C1 (U+0085) and DEL */
    assert_int_equal(taulu_field_check(TAULU_F_PLACE, "\xc2\x85", 2, &why),
                     TAULU_EUTF8);
    assert_int_equal(taulu_field_check(TAULU_F_PLACE, "\x7f", 1, &why),
                     TAULU_EUTF8);
    assert_int_equal(taulu_field_check(TAULU_F_PLACE, "\xc3", 1, &why),
                     TAULU_EUTF8);
    assert_string_equal(why, "invalid UTF-8");
    assert_int_equal(
        taulu_field_check(TAULU_F_LINK, "https://\xc3\xa4", 10, &why),
        TAULU_EUTF8);
    assert_string_equal(why, "not ASCII");
    /* Sámi and Ukrainian letters are ordinary text */
    assert_int_equal(
        taulu_field_check(TAULU_F_CONTACT, "\xc5\xa7\xc5\x8b\xd1\x97", 6, &why),
        0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_is_consistent),
        cmocka_unit_test(test_widest_text_fits),
        cmocka_unit_test(test_characters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
