/*
 * test_imp_text.c: a source's text is data, never markup: tags dropped
 * (script and style with their content), entities decoded, invisible and
 * control characters removed, white space folded, lengths bounded at a
 * word; links made into what a card may carry.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "imp_text.h"
#include "taulu_utf8.h"

static struct srv_pool pool;

static const char *clean(const char *in, size_t max, bool multi)
{
    return imp_text(&pool, in, max, multi);
}

static void test_markup_is_dropped(void **state)
{
    (void)state;
    srv_pool_init(&pool);
    assert_string_equal(
        clean("<p>Tule <b>juttelemaan</b> &amp; juomaan kahvia.</p>"
              "<p>Voit tuoda l&auml;heisen mukaan.</p>",
              2000, true),
        "Tule juttelemaan & juomaan kahvia.\nVoit tuoda läheisen mukaan.");
    /* The same as one line. */
    assert_string_equal(clean("<p>Yksi</p><p>kaksi</p>", 100, false),
                        "Yksi kaksi");
    /* Script and style go with their content; comments too. */
    assert_string_equal(
        clean("Alku<script>alert('x')</script> <style>p{}</style>"
              "<!-- <b>piilo</b> -->loppu",
              100, false),
        "Alku loppu");
    /* A tag's attribute may hold '>' inside quotes. */
    assert_string_equal(
        clean("<a title=\"a>b\" href='x'>linkki</a>", 100, false), "linkki");
    /* "a < b" is text, and a lone '&' stays. */
    assert_string_equal(clean("3 < 5 & 7 > 2", 100, false), "3 < 5 & 7 > 2");
    /* The Espoo sample's provider: a <br> at the end. */
    assert_string_equal(
        clean("Espoon kaupunkisuunnittelukeskus<br>", 100, false),
        "Espoon kaupunkisuunnittelukeskus");
    srv_pool_release(&pool);
}

static void test_entities(void **state)
{
    (void)state;
    srv_pool_init(&pool);
    assert_string_equal(clean("&#228;&#xE4;&#XC4; &ouml;&Aring; &euro;5 "
                              "&ndash; &hellip;",
                              100, false),
                        "ääÄ öÅ €5 – …");
    /* Windows-1252 numbers for dashes, as hand-written feeds have. */
    assert_string_equal(clean("klo 14&#150;16", 100, false), "klo 14–16");
    /* Unknown names and broken references stay as written. */
    assert_string_equal(clean("&bogus; &#; &#xZZ;", 100, false),
                        "&bogus; &#; &#xZZ;");
    /* A reference to a control or a NUL does not smuggle one in. */
    assert_string_equal(clean("a&#0;b&#27;c&#x202E;d", 100, false), "a�bcd");
    /* &nbsp; is a space. */
    assert_string_equal(clean("a&nbsp;&nbsp;b", 100, false), "a b");
    srv_pool_release(&pool);
}

static void test_invisible_and_space(void **state)
{
    const char *s;

    (void)state;
    srv_pool_init(&pool);
    /* BOM, zero-width space, bidi override and its pop, soft hyphen, a
     * tab, CR, C1 control: gone or folded. */
    s = clean("\xEF\xBB\xBF"
              "Ka\xE2\x80\x8B"
              "h\xE2\x80\xAEvi\xE2\x80\xAC\xC2\xAD"
              "la\t \r\n\xC2\x85  x",
              100, false);
    assert_string_equal(s, "Kahvila x");
    assert_int_equal(taulu_utf8_has_controls(s, strlen(s), ""), 0);
    /* Invalid UTF-8 bytes are dropped one by one. */
    assert_string_equal(clean("a\xC3(b\xFF"
                              "c",
                              100, false),
                        "a(bc");
    /* Paragraph breaks fold to one "\n", none at the ends. */
    assert_string_equal(clean("\n\n  eka \n\n\n toka  \n\n", 100, true),
                        "eka\ntoka");
    /* Only white space or markup: nothing. */
    assert_null(clean("  <p> </p>&nbsp; ", 100, true));
    assert_null(clean(NULL, 100, true));
    srv_pool_release(&pool);
}

static void test_length_is_bounded(void **state)
{
    char big[5000];
    const char *s;
    size_t i;

    (void)state;
    srv_pool_init(&pool);
    for (i = 0; i + 6 < sizeof big; i += 6) {
        memcpy(big + i, "sana ", 5);
        big[i + 5] = 'x';
    }
    big[i] = '\0';
    s = clean(big, 120, false);
    assert_true(taulu_utf8_count(s, strlen(s)) <= 120);
    /* Cut at a word, with the ellipsis. */
    assert_string_equal(s + strlen(s) - 3, "…");
    assert_int_not_equal(s[strlen(s) - 4], ' ');
    /* Code points, not bytes: 150 ä's fit 120 code points cut. */
    {
        char a[400];
        for (i = 0; i < 150; i++) {
            memcpy(a + 2 * i, "ä", 2);
        }
        a[300] = '\0';
        s = clean(a, 120, false);
        assert_int_equal(taulu_utf8_count(s, strlen(s)), 120);
    }
    /* A hostile feed's megabyte of text is cut without growing without
     * end. */
    {
        static char huge[1 << 20];
        memset(huge, 'a', sizeof huge - 1);
        s = clean(huge, 2000, true);
        assert_int_equal(taulu_utf8_count(s, strlen(s)), 2000);
    }
    srv_pool_release(&pool);
}

static void test_links(void **state)
{
    (void)state;
    srv_pool_init(&pool);
    assert_string_equal(imp_link(&pool, " https://a.fi/x?y=1 b "),
                        "https://a.fi/x?y=1%20b");
    /* The Espoo sample's braces and a non-ASCII ellipsis are encoded. */
    assert_string_equal(imp_link(&pool, "https://e.fi/d/{3A}/1"),
                        "https://e.fi/d/%7B3A%7D/1");
    assert_string_equal(imp_link(&pool, "https://www.lippu.fi/…"),
                        "https://www.lippu.fi/%E2%80%A6");
    assert_null(imp_link(&pool, "javascript:alert(1)"));
    assert_null(imp_link(&pool, "ftp://a.fi/"));
    assert_null(imp_link(&pool, "https://user:pw@a.fi/"));
    assert_null(imp_link(&pool, "https:///x"));
    assert_null(imp_link(&pool, NULL));
    srv_pool_release(&pool);
}

/* The screen texts an importer tries, the most sentences first: each
 * answer is a sentence's or a paragraph's end, never inside "24.11." or
 * after "esim.", blanks trimmed; 0 when no shorter text is left. */
static void test_sentences_before(void **state)
{
    const char *s = "Kerho on ti 24.11. klo 14. Tuo esim. kahvia! Tule "
                    "mukaan.\nKahvi on maksuton.  ";
    const char *one = "Yksi lause ilman loppua";
    size_t e;

    (void)state;
    e = imp_text_sentences_before(s, strlen(s));
    assert_int_equal(e, strlen("Kerho on ti 24.11. klo 14. Tuo esim. kahvia! "
                               "Tule mukaan."));
    e = imp_text_sentences_before(s, e);
    assert_int_equal(e, strlen("Kerho on ti 24.11. klo 14. Tuo esim. kahvia!"));
    e = imp_text_sentences_before(s, e);
    /* "klo 14." is read as a time, not a sentence's end: the renderer's
     * own rule, so no page or screen text ever ends there */
    assert_int_equal(e, 0);
    assert_int_equal(imp_text_sentences_before(one, strlen(one)), 0);
    assert_int_equal(imp_text_sentences_before("", 0), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_markup_is_dropped),
        cmocka_unit_test(test_entities),
        cmocka_unit_test(test_invisible_and_space),
        cmocka_unit_test(test_length_is_bounded),
        cmocka_unit_test(test_links),
        cmocka_unit_test(test_sentences_before),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
