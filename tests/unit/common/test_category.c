/*
 * test_category.c: the category table: keys round-trip, every label is
 * there, short labels fit a chip.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "taulu_category.h"
#include "taulu_err.h"
#include "taulu_utf8.h"

static void test_keys(void **state)
{
    enum taulu_category c, back;
    size_t i, j;

    (void)state;
    for (c = 0; c < TAULU_CATEGORY_COUNT; c++) {
        const struct taulu_category_info *ci = taulu_category_get(c);
        assert_non_null(ci);
        assert_int_equal(ci->id, c);
        assert_true(strlen(ci->key) <= TAULU_CATEGORY_KEY_MAX);
        for (j = 0; ci->key[j]; j++) {
            assert_true(ci->key[j] >= 'a' && ci->key[j] <= 'z');
        }
        assert_int_equal(taulu_category_from_key(ci->key, &back), 0);
        assert_int_equal(back, c);
        assert_string_equal(taulu_category_key(c), ci->key);
    }
    /* keys are distinct */
    for (i = 0; i < TAULU_CATEGORY_COUNT; i++) {
        for (j = 0; j < i; j++) {
            assert_string_not_equal(taulu_category_key(i),
                                    taulu_category_key(j));
        }
    }
    /* the published keys never change */
    assert_string_equal(taulu_category_key(TAULU_CATEGORY_LEARNING),
                        "learning");
    assert_string_equal(taulu_category_key(TAULU_CATEGORY_LIFESTYLE),
                        "lifestyle");
    back = TAULU_CATEGORY_WORK;
    assert_int_equal(taulu_category_from_key("Work", &back), TAULU_EVALUE);
    assert_int_equal(taulu_category_from_key("", &back), TAULU_EVALUE);
    assert_int_equal(taulu_category_from_key(NULL, &back), TAULU_EVALUE);
    assert_int_equal(back, TAULU_CATEGORY_WORK);
    assert_null(taulu_category_get(TAULU_CATEGORY_COUNT));
    assert_null(taulu_category_get((enum taulu_category) - 1));
    assert_null(taulu_category_key(TAULU_CATEGORY_COUNT));
}

/* One list: the label table follows TAULU_CATEGORY_LIST, every slug maps
 * back to its category, and the server's accepted slugs and the theme's
 * chip keys are the same words (the server once had its own list, mapped
 * by position). */
static void test_slugs(void **state)
{
    (void)state;
    assert_true(taulu_category_table_ok());
    for (int i = 0; i < TAULU_CATEGORY_COUNT; i++) {
        const char *slug = taulu_category_slug((enum taulu_category)i);
        assert_non_null(slug);
        enum taulu_category c = TAULU_CATEGORY_COUNT;
        assert_int_equal(taulu_category_from_slug(slug, &c), 0);
        assert_int_equal(c, i);
        for (const char *q = slug; *q; q++) {
            assert_true((*q >= 'a' && *q <= 'z') || *q == '-');
        }
        /* a prefix is not a slug */
        assert_int_equal(taulu_category_from_slug_n(slug, strlen(slug) - 1, &c),
                         TAULU_EVALUE);
    }
    enum taulu_category c = TAULU_CATEGORY_HEALTH;
    assert_int_equal(taulu_category_from_slug("terveys-hyvinvointi", &c), 0);
    assert_int_equal(c, TAULU_CATEGORY_HEALTH);
    assert_int_equal(taulu_category_from_slug("health", &c), TAULU_EVALUE);
    assert_int_equal(taulu_category_from_slug(NULL, &c), TAULU_EVALUE);
    assert_null(taulu_category_slug(TAULU_CATEGORY_COUNT));
}

static void test_labels(void **state)
{
    static const char *const langs[] = {"fi", "sv", "en"};
    enum taulu_category c;
    size_t l;

    (void)state;
    for (c = 0; c < TAULU_CATEGORY_COUNT; c++) {
        for (l = 0; l < 3; l++) {
            const char *full = taulu_category_label(c, langs[l], 0);
            const char *chip = taulu_category_label(c, langs[l], 1);
            assert_non_null(full);
            assert_non_null(chip);
            assert_true(taulu_utf8_valid(full, strlen(full)));
            assert_true(taulu_utf8_count(chip, strlen(chip)) <= 24);
            assert_true(strlen(chip) <= strlen(full) || c == 0);
        }
    }
    assert_string_equal(taulu_category_label(TAULU_CATEGORY_HEALTH, "fi", 0),
                        "Fyysinen terveys, mielen hyvinvointi ja itsensä "
                        "toteuttaminen");
    assert_string_equal(taulu_category_label(TAULU_CATEGORY_LEISURE, "sv", 0),
                        "Fritid och kultur");
    assert_string_equal(taulu_category_label(TAULU_CATEGORY_WORK, "en", 1),
                        "Work");
    /* other languages fall back to Finnish */
    assert_string_equal(taulu_category_label(TAULU_CATEGORY_WORK, "smn", 0),
                        "Työ ja toiminta");
    assert_string_equal(taulu_category_label(TAULU_CATEGORY_WORK, NULL, 1),
                        "Työ ja toiminta");
    assert_null(taulu_category_label(TAULU_CATEGORY_COUNT, "fi", 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keys),
        cmocka_unit_test(test_slugs),
        cmocka_unit_test(test_labels),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
