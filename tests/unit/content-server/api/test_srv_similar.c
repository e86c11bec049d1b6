/*
 * test_srv_similar.c: how alike two notices are (srv_similar.h): the same
 * text, also with other case, punctuation and line breaks, scores 1; one
 * or two words changed in a notice stays a duplicate; unrelated notices,
 * and notices that only share a few common words, do not; nothing to
 * compare is no duplicate.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <setjmp.h>
#include <cmocka.h>

#include "srv_similar.h"

static const char cafe[] =
    "Muistikahvila\nTule juttelemaan ja juomaan kahvia. Voit tuoda läheisen "
    "mukaan. Kahvila on seurakuntatalolla joka tiistai kello 14.";

static void same_words_score_one(void **state)
{
    (void)state;
    assert_true(srv_similarity(cafe, cafe) == 1.0);
    /* Case, punctuation, white space and line breaks do not count. */
    assert_true(srv_similarity(cafe,
                               "MUISTIKAHVILA  tule juttelemaan, ja juomaan "
                               "kahvia! Voit tuoda läheisen mukaan\n\n"
                               "Kahvila on seurakuntatalolla – joka tiistai "
                               "kello 14") == 1.0);
    /* Ä, Ö and Å in capitals are the same letters. */
    assert_true(srv_similarity("ÄITIEN KÖÖKKI Åbo", "äitien köökki åbo") ==
                1.0);
}

static void a_word_changed_is_still_a_duplicate(void **state)
{
    double s;

    (void)state;
    s = srv_similarity(cafe,
                       "Muistikahvila\nTule juttelemaan ja juomaan kahvia. "
                       "Voit tuoda ystävän mukaan. Kahvila on "
                       "seurakuntatalolla joka tiistai kello 15.");
    assert_true(s >= SRV_SIMILAR_DUPLICATE);
    assert_true(s < 1.0);
    /* A sentence added at the end. */
    s = srv_similarity(cafe, "Muistikahvila\nTule juttelemaan ja juomaan "
                             "kahvia. Voit tuoda läheisen mukaan. Kahvila on "
                             "seurakuntatalolla joka tiistai kello 14. "
                             "Tervetuloa!");
    assert_true(s >= SRV_SIMILAR_DUPLICATE);
}

static void different_notices_are_not(void **state)
{
    (void)state;
    assert_true(srv_similarity(cafe, "Kävelyryhmä\nKävelemme yhdessä "
                                     "puistossa. Lähtö on pääovelta.") < 0.4);
    /* The same kind of notice from the same association, another event:
     * many shared words, still not the same notice. */
    assert_true(srv_similarity(cafe,
                               "Lukupiiri\nTule lukemaan ja keskustelemaan "
                               "kirjoista. Voit tuoda oman kirjan mukaan. "
                               "Piiri on kirjastossa joka torstai kello 17.") <
                SRV_SIMILAR_DUPLICATE);
}

static void nothing_to_compare(void **state)
{
    (void)state;
    assert_true(srv_similarity(NULL, NULL) == 0.0);
    assert_true(srv_similarity("", "") == 0.0);
    assert_true(srv_similarity("...", "!!") == 0.0);
    assert_true(srv_similarity(cafe, NULL) == 0.0);
    /* Short texts compare too. */
    assert_true(srv_similarity("Hi", "hi") == 1.0);
    assert_true(srv_similarity("Hi", "Ho") < 1.0);
}

static void long_and_broken_text(void **state)
{
    char *a = malloc(20001), *b = malloc(20001);
    double s;

    (void)state;
    assert_non_null(a);
    assert_non_null(b);
    for (size_t i = 0; i < 20000; i++) {
        a[i] = (char)('a' + (i * 7) % 26);
        b[i] = (char)('a' + (i * 7) % 26);
    }
    a[20000] = b[20000] = '\0';
    /* Only the first 8000 bytes count: a change after them is not seen. */
    b[15000] = ' ';
    assert_true(srv_similarity(a, b) == 1.0);
    /* Broken UTF-8 does not read past the end. */
    s = srv_similarity("kahvi\xc3", "kahvi\xc3");
    assert_true(s == 1.0);
    free(a);
    free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(same_words_score_one),
        cmocka_unit_test(a_word_changed_is_still_a_duplicate),
        cmocka_unit_test(different_notices_are_not),
        cmocka_unit_test(nothing_to_compare),
        cmocka_unit_test(long_and_broken_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
