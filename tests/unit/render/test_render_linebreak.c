/*
 * test_render_linebreak.c: the phrase-aware line breaker with a
 * deterministic measure (10 px per code point), so every rule can be
 * checked by counting characters. The real-font run is in
 * test_render_headless.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "linebreak.h"
#include "taulu_err.h"
#include "taulu_utf8.h"

#define PX 10

static int fake_measure(void *ctx, const char *s, size_t len)
{
    (void)ctx;
    return (int)taulu_utf8_count(s, len) * PX;
}

struct out {
    struct render_line lines[64];
    struct render_lb_result r;
    char text[64][256];
};

static int brk(const char *text, const char *lang, int chars_wide,
               int max_chars, int max_lines, struct out *o)
{
    struct render_lb_params p = {.max_width = chars_wide * PX,
                                 .max_chars = max_chars,
                                 .max_lines = max_lines,
                                 .lang = lang,
                                 .measure = fake_measure,
                                 .measure_ctx = NULL};
    int rc = render_linebreak(text, strlen(text), &p, o->lines, 64, &o->r);
    for (size_t i = 0; rc == 0 && i < o->r.n; i++) {
        size_t n = o->lines[i].end - o->lines[i].start;
        assert_true(n < sizeof o->text[i]);
        memcpy(o->text[i], text + o->lines[i].start, n);
        o->text[i][n] = '\0';
    }
    return rc;
}

static void expect_lines(const char *text, const char *lang, int wide,
                         const char *const *want)
{
    struct out o;
    assert_int_equal(brk(text, lang, wide, 0, 0, &o), 0);
    size_t n = 0;
    while (want[n]) {
        n++;
    }
    for (size_t i = 0; i < o.r.n; i++) {
        printf("  [%s]\n", o.text[i]);
    }
    assert_int_equal(o.r.n, n);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(o.text[i], want[i]);
        assert_true(o.lines[i].width <= wide * PX);
    }
}

static void author_breaks_kept_if_they_fit(void **state)
{
    (void)state;
    struct out o;
    assert_int_equal(
        brk("Tule mukaan.\nKahvi on ilmaista.", "fi", 40, 0, 0, &o), 0);
    assert_int_equal(o.r.n, 2);
    assert_string_equal(o.text[0], "Tule mukaan.");
    assert_true(o.lines[0].flags & RENDER_LINE_HARD);
    assert_false(o.lines[0].flags & RENDER_LINE_PARA_END);
    assert_string_equal(o.text[1], "Kahvi on ilmaista.");
    assert_true(o.lines[1].flags & RENDER_LINE_PARA_END);
}

static void author_line_too_long_wraps_inside(void **state)
{
    (void)state;
    const char *want[] = {"Tervetuloa kaikki", "muistikahvilaan.",
                          "Kahvi on ilmaista.", NULL};
    expect_lines("Tervetuloa kaikki muistikahvilaan.\nKahvi on ilmaista.", "fi",
                 20, want);
}

static void paragraphs(void **state)
{
    (void)state;
    struct out o;
    assert_int_equal(
        brk("Eka kappale.\n\n\nToka kappale.\n", "fi", 40, 0, 0, &o), 0);
    assert_int_equal(o.r.n, 2);
    assert_true(o.lines[0].flags & RENDER_LINE_PARA_END);
    assert_true(o.lines[1].flags & RENDER_LINE_PARA_END);
}

static void prefers_sentence_end(void **state)
{
    (void)state;
    /* greedy would give "Tule juttelemaan. Voit tuoda" */
    const char *want[] = {"Tule juttelemaan.", "Voit tuoda läheisen mukaan",
                          "kahville.", NULL};
    expect_lines("Tule juttelemaan. Voit tuoda läheisen mukaan kahville.", "fi",
                 30, want);
}

static void prefers_clause_end(void **state)
{
    (void)state;
    const char *want[] = {"Kahvila on auki,", "ja kaikki ovat",
                          "tervetulleita.", NULL};
    expect_lines("Kahvila on auki, ja kaikki ovat tervetulleita.", "fi", 25,
                 want);
}

static void before_conjunction_fi_sv_en(void **state)
{
    (void)state;
    const char *fi[] = {"Voit tuoda ystävän", "tai läheisen mukaan",
                        "kahville.", NULL};
    expect_lines("Voit tuoda ystävän tai läheisen mukaan kahville.", "fi", 25,
                 fi);
    const char *sv[] = {"Du kan ta med en vän", "eller en anhörig till",
                        "kaffet.", NULL};
    expect_lines("Du kan ta med en vän eller en anhörig till kaffet.", "sv", 26,
                 sv);
    const char *en[] = {"Bring a friend", "or a family member", "along.", NULL};
    expect_lines("Bring a friend or a family member along.", "en", 20, en);
}

static void conjunction_not_taken_when_line_too_short(void **state)
{
    (void)state;
    /* "Voit ja" would be under 70 % full: break at the last space */
    const char *want[] = {"Voit ja tuoda ystävänsä", "kahville.", NULL};
    expect_lines("Voit ja tuoda ystävänsä kahville.", "fi", 25, want);
}

static void mixed_fi_sv(void **state)
{
    (void)state;
    const char *want[] = {"Tervetuloa kahville", "och välkommen på kaffe.",
                          NULL};
    expect_lines("Tervetuloa kahville och välkommen på kaffe.", "fi", 26, want);
}

static void keeps_number_and_unit(void **state)
{
    (void)state;
    const char *euro[] = {"Kahvi maksaa", "5 € kaikille.", NULL};
    expect_lines("Kahvi maksaa 5 € kaikille.", "fi", 14, euro);
    const char *km[] = {"Kävelylenkki on noin", "10 km pitkä.", NULL};
    expect_lines("Kävelylenkki on noin 10 km pitkä.", "fi", 23, km);
    const char *min[] = {"Tauko kestää", "30 min.", NULL};
    expect_lines("Tauko kestää 30 min.", "fi", 15, min);
    /* a no-break space is never a break */
    const char *nb[] = {"Hinta", "5\xc2\xa0€.", NULL};
    expect_lines("Hinta 5\xc2\xa0€.", "fi", 7, nb);
}

static void keeps_clock_times(void **state)
{
    (void)state;
    const char *klo[] = {"Tervetuloa", "klo 14–16", "kahville.", NULL};
    expect_lines("Tervetuloa klo 14–16 kahville.", "fi", 14, klo);
    const char *kl[] = {"Välkommen", "kl. 14.00–16.00", NULL};
    expect_lines("Välkommen kl. 14.00–16.00", "sv", 18, kl);
    const char *kello[] = {"Avoinna", "kello 9.30–11.", NULL};
    expect_lines("Avoinna kello 9.30–11.", "fi", 15, kello);
}

static void keeps_dates(void **state)
{
    (void)state;
    const char *wd[] = {"Kahvila on auki", "ti 24.11. ja ke 25.11.", NULL};
    expect_lines("Kahvila on auki ti 24.11. ja ke 25.11.", "fi", 22, wd);
    /* "5.5." is a date, not the end of a sentence */
    const char *d[] = {"Avoinna 5.5. alkaen", "joka päivä.", NULL};
    expect_lines("Avoinna 5.5. alkaen joka päivä.", "fi", 22, d);
    const char *rel[] = {"Muistikahvila", "Tänään ti 24.11.", NULL};
    expect_lines("Muistikahvila Tänään ti 24.11.", "fi", 20, rel);
    const char *sv[] = {"Minneskafé", "I dag tis 24.11", NULL};
    expect_lines("Minneskafé I dag tis 24.11", "sv", 17, sv);
}

static void keep_together_gives_way_last(void **state)
{
    (void)state;
    /* the only break inside the line is forbidden: it is used anyway,
     * rather than cutting a word */
    const char *want[] = {"klo", "14–16", NULL};
    expect_lines("klo 14–16", "fi", 6, want);
}

static void long_compound_cut_as_last_resort(void **state)
{
    (void)state;
    struct out o;
    const char *w = "vertaistukitoimintamahdollisuuksista";
    assert_int_equal(brk(w, "fi", 20, 0, 0, &o), 0);
    assert_int_equal(o.r.n, 2);
    assert_true(o.lines[0].flags & RENDER_LINE_CUT_WORD);
    assert_int_equal(o.lines[0].chars, 20);
    char joined[600];
    snprintf(joined, sizeof joined, "%s%s", o.text[0], o.text[1]);
    assert_string_equal(joined, w); /* no hyphen, nothing lost */
    /* when it fits, it is not cut */
    assert_int_equal(brk(w, "fi", 40, 0, 0, &o), 0);
    assert_int_equal(o.r.n, 1);
    assert_false(o.lines[0].flags & RENDER_LINE_CUT_WORD);
    /* a long word after others moves to its own line first */
    assert_int_equal(
        brk("Tietoa vertaistukitoimintamahdollisuuksista", "fi", 38, 0, 0, &o),
        0);
    assert_int_equal(o.r.n, 2);
    assert_string_equal(o.text[0], "Tietoa");
    assert_false(o.lines[1].flags & RENDER_LINE_CUT_WORD);
}

static void cut_is_at_code_point_boundary(void **state)
{
    (void)state;
    struct out o;
    assert_int_equal(brk("ääääääääääöööööööööö", "fi", 7, 0, 0, &o), 0);
    for (size_t i = 0; i < o.r.n; i++) {
        assert_true(taulu_utf8_valid(o.text[i], strlen(o.text[i])));
    }
    assert_int_equal(o.r.n, 3);
}

static void glyph_wider_than_line(void **state)
{
    (void)state;
    /* Every code point is wider than the line: each word is "cut" after its
     * one character, and the next line must not start with the space
     * (found by fuzz_linebreak: " b" was a line). */
    struct render_lb_params p = {.max_width = PX / 2, .measure = fake_measure};
    struct render_line l[8];
    struct render_lb_result r;
    assert_int_equal(render_linebreak("a b  c", 6, &p, l, 8, &r), 0);
    assert_int_equal(r.n, 3);
    assert_int_equal(l[0].start, 0);
    assert_int_equal(l[0].end, 1);
    assert_int_equal(l[1].start, 2);
    assert_int_equal(l[1].end, 3);
    assert_int_equal(l[2].start, 5);
    assert_int_equal(l[2].end, 6);
    for (size_t i = 0; i < r.n; i++) {
        assert_true(l[i].flags & RENDER_LINE_CUT_WORD);
        assert_int_equal(l[i].chars, 1);
    }
}

static void character_limits(void **state)
{
    (void)state;
    const char *text =
        "Tämä on pitkä teksti jossa on paljon sanoja ja se jatkuu "
        "pitkään koska haluamme nähdä että rivin pituus pysyy rajoissa "
        "vaikka näyttö olisi hyvin leveä ja fontti pieni ja niin edelleen "
        "kunnes teksti loppuu tähän.";
    struct out o;
    const char *langs[] = {"fi", "sv", "en", "de"};
    const int limit[] = {60, 55, 80, 80};
    for (int l = 0; l < 4; l++) {
        assert_int_equal(brk(text, langs[l], 1000, 0, 0, &o), 0);
        assert_true(o.r.n >= 2);
        for (size_t i = 0; i < o.r.n; i++) {
            assert_true(o.lines[i].chars <= limit[l]);
        }
    }
    /* a caller may ask for less, never for more than 80 */
    assert_int_equal(brk(text, "en", 1000, 200, 0, &o), 0);
    for (size_t i = 0; i < o.r.n; i++) {
        assert_true(o.lines[i].chars <= 80);
    }
    assert_int_equal(brk(text, "en", 1000, 30, 0, &o), 0);
    for (size_t i = 0; i < o.r.n; i++) {
        assert_true(o.lines[i].chars <= 30);
    }
    assert_int_equal(render_lb_lang_chars("sv"), 55);
    assert_int_equal(render_lb_lang_chars("fi"), 60);
    assert_int_equal(render_lb_lang_chars(NULL), 80);
}

static void fit_and_overflow(void **state)
{
    (void)state;
    struct out o;
    const char *text = "Yksi kaksi kolme neljä viisi kuusi seitsemän.";
    assert_int_equal(brk(text, "fi", 12, 0, 2, &o), 0);
    assert_true(o.r.n > 2);
    assert_false(o.r.fit); /* -> the layout makes a continuation card */
    assert_true(o.r.complete);
    assert_int_equal(brk(text, "fi", 100, 0, 2, &o), 0);
    assert_true(o.r.fit);
    /* too small an array: the first lines, and complete = false */
    struct render_line two[2];
    struct render_lb_result r;
    struct render_lb_params p = {
        .max_width = 120, .lang = "fi", .measure = fake_measure};
    assert_int_equal(render_linebreak(text, strlen(text), &p, two, 2, &r), 0);
    assert_int_equal(r.n, 2);
    assert_false(r.complete);
}

static void nothing_lost_nothing_added(void **state)
{
    (void)state;
    const char *text = "Muistikahvila on avoin kaikille. Tule juttelemaan ja "
                       "juomaan kahvia, klo 14–16. Hinta 5 €, ja "
                       "ilmoittautua ei tarvitse. Tervetuloa!";
    for (int w = 8; w < 70; w += 3) {
        struct out o;
        assert_int_equal(brk(text, "fi", w, 0, 0, &o), 0);
        char joined[20000] = "";
        size_t n = 0;
        for (size_t i = 0; i < o.r.n; i++) {
            bool cut = i > 0 && (o.lines[i - 1].flags & RENDER_LINE_CUT_WORD);
            n += (size_t)snprintf(joined + n, sizeof joined - n, "%s%s",
                                  i > 0 && !cut ? " " : "", o.text[i]);
            assert_true(o.lines[i].width <= w * PX);
        }
        assert_string_equal(joined, text);
    }
}

static void bad_input(void **state)
{
    (void)state;
    struct out o;
    assert_int_equal(brk("ok \xff bad", "fi", 20, 0, 0, &o), TAULU_EUTF8);
    struct render_lb_params p = {.max_width = 0, .measure = fake_measure};
    assert_int_equal(render_linebreak("x", 1, &p, o.lines, 64, &o.r),
                     TAULU_EINVAL);
    assert_int_equal(brk("", "fi", 20, 0, 0, &o), 0);
    assert_int_equal(o.r.n, 0);
    assert_int_equal(brk("   \n\n  ", "fi", 20, 0, 0, &o), 0);
    assert_int_equal(o.r.n, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(author_breaks_kept_if_they_fit),
        cmocka_unit_test(author_line_too_long_wraps_inside),
        cmocka_unit_test(paragraphs),
        cmocka_unit_test(prefers_sentence_end),
        cmocka_unit_test(prefers_clause_end),
        cmocka_unit_test(before_conjunction_fi_sv_en),
        cmocka_unit_test(conjunction_not_taken_when_line_too_short),
        cmocka_unit_test(mixed_fi_sv),
        cmocka_unit_test(keeps_number_and_unit),
        cmocka_unit_test(keeps_clock_times),
        cmocka_unit_test(keeps_dates),
        cmocka_unit_test(keep_together_gives_way_last),
        cmocka_unit_test(long_compound_cut_as_last_resort),
        cmocka_unit_test(cut_is_at_code_point_boundary),
        cmocka_unit_test(glyph_wider_than_line),
        cmocka_unit_test(character_limits),
        cmocka_unit_test(fit_and_overflow),
        cmocka_unit_test(nothing_lost_nothing_added),
        cmocka_unit_test(bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
