/*
 * test_render_linebreak.c: the phrase-aware line breaker with a
 * deterministic measure (10 px per code point), so every rule can be
 * checked by counting characters: phrases, keep-together groups, the
 * separator that never ends a line, soft hyphens, the syllable of the last
 * resort (never a cut without a hyphen, never a stub like "nen"). The real-font
 * run is in test_render_headless.c.
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

/* The visible text of every line joined: a line that ends inside a word
 * (after a drawn hyphen, its own hyphen or an address's "/") runs on into
 * the next, others are joined with a space. Drawn hyphens are left out,
 * so the result is the text itself. */
static void join_lines(const char *text, const struct out *o, char *buf,
                       size_t size)
{
    size_t n = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < o->r.n; i++) {
        bool in_word = i > 0 && (o->lines[i - 1].flags & RENDER_LINE_IN_WORD);
        char vis[RENDER_LINE_VISIBLE_MAX];
        render_visible_text(text + o->lines[i].start,
                            o->lines[i].end - o->lines[i].start, false, vis,
                            sizeof vis);
        n += (size_t)snprintf(buf + n, size - n, "%s%s",
                              i > 0 && !in_word ? " " : "", vis);
    }
}

static void long_compound_breaks_at_a_syllable(void **state)
{
    (void)state;
    struct out o;
    const char *w = "vertaistukitoimintamahdollisuuksista";
    assert_int_equal(brk(w, "fi", 20, 0, 0, &o), 0);
    assert_int_equal(o.r.n, 2);
    /* a hyphen is drawn, at a syllable the text did not mark */
    assert_true(o.lines[0].flags & RENDER_LINE_HYPHEN);
    assert_true(o.lines[0].flags & RENDER_LINE_SYLLABLE);
    assert_false(o.lines[0].flags & RENDER_LINE_CUT_WORD);
    assert_true(render_syllable_break_ok(w, 0, strlen(w), o.lines[0].end));
    /* what is measured and counted is what is drawn: the hyphen too */
    char vis[RENDER_LINE_VISIBLE_MAX];
    size_t n = render_visible_text(w, o.lines[0].end, true, vis, sizeof vis);
    assert_int_equal(vis[n - 1], '-');
    assert_int_equal(o.lines[0].width, (int)taulu_utf8_count(vis, n) * PX);
    assert_true(o.lines[0].width <= 20 * PX);
    assert_int_equal(o.lines[0].chars, (int)taulu_utf8_count(vis, n));
    char joined[600];
    join_lines(w, &o, joined, sizeof joined);
    assert_string_equal(joined, w); /* nothing lost */
    /* "vertaistukitoiminta-" / "mahdollisuuksista" */
    assert_string_equal(o.text[1], "mahdollisuuksista");
    /* when it fits, it is not broken */
    assert_int_equal(brk(w, "fi", 40, 0, 0, &o), 0);
    assert_int_equal(o.r.n, 1);
    assert_int_equal(o.lines[0].flags & RENDER_LINE_IN_WORD, 0);
    /* a long word after others moves to its own line first */
    assert_int_equal(
        brk("Tietoa vertaistukitoimintamahdollisuuksista", "fi", 38, 0, 0, &o),
        0);
    assert_int_equal(o.r.n, 2);
    assert_string_equal(o.text[0], "Tietoa");
    assert_int_equal(o.lines[1].flags & RENDER_LINE_IN_WORD, 0);
}

/* The reported cuts: "Omaishoitajavalmenn / usryhmätapaaminen" (mid
 * syllable, no hyphen), "Influensavaccinatione / rna", a title "nen", a
 * lone "n". Every break is a syllable with a hyphen and leaves the next
 * line at least three letters. */
static void no_stub_no_cut_without_hyphen(void **state)
{
    (void)state;
    const char *words[] = {"Omaishoitajavalmennusryhmätapaaminen",
                           "Influensavaccinationerna",
                           "Vertaistukiryhmätapaamiset", NULL};
    for (size_t k = 0; words[k]; k++) {
        const char *w = words[k];
        for (int wide = 6; wide < 40; wide++) {
            struct out o;
            assert_int_equal(brk(w, "sv", wide, 0, 0, &o), 0);
            for (size_t i = 0; i + 1 < o.r.n; i++) {
                unsigned f = o.lines[i].flags;
                assert_true(f & RENDER_LINE_HYPHEN);
                if (f & RENDER_LINE_SYLLABLE) {
                    assert_true(render_syllable_break_ok(
                        w, o.lines[i].start, strlen(w), o.lines[i].end));
                }
            }
            /* the last piece is never a stub of one or two letters */
            if (o.r.n > 1) {
                assert_true(o.lines[o.r.n - 1].chars >= 3);
            }
            char joined[600];
            join_lines(w, &o, joined, sizeof joined);
            assert_string_equal(joined, w);
        }
    }
    /* "tapaami-nen" would leave "nen": "tapaa-minen" is taken */
    struct out o;
    const char *t = "Omaishoitajavalmennusryhmätapaaminen";
    assert_int_equal(brk(t, "fi", 33, 0, 0, &o), 0);
    assert_int_equal(o.r.n, 2);
    assert_string_equal(o.text[1], "minen");
}

/* A soft hyphen (U+00AD, from the server's hyphenation) is where a word
 * too wide for its line breaks, with a visible hyphen; it is never drawn
 * anywhere else, and a word that fits is not broken at one. */
static void soft_hyphens(void **state)
{
    (void)state;
    const char *w = "Omais\xc2\xadhoitaja\xc2\xadvalmennus";
    struct out o;
    /* fits: one line, shown without the soft hyphens */
    assert_int_equal(brk(w, "fi", 30, 0, 0, &o), 0);
    assert_int_equal(o.r.n, 1);
    assert_int_equal(o.lines[0].chars, 21);
    assert_int_equal(o.lines[0].width, 21 * PX);
    char vis[RENDER_LINE_VISIBLE_MAX];
    render_visible_text(w, strlen(w), false, vis, sizeof vis);
    assert_string_equal(vis, "Omaishoitajavalmennus");
    assert_false(render_has_soft_hyphen(vis, strlen(vis)));
    /* too wide: at the last soft hyphen that fits, not at a syllable */
    assert_int_equal(brk(w, "fi", 16, 0, 0, &o), 0);
    assert_int_equal(o.r.n, 2);
    assert_true(o.lines[0].flags & RENDER_LINE_HYPHEN);
    assert_false(o.lines[0].flags & RENDER_LINE_SYLLABLE);
    assert_string_equal(o.text[0], "Omais\xc2\xadhoitaja");
    assert_int_equal(o.lines[0].width, 13 * PX); /* "Omaishoitaja-" */
    assert_string_equal(o.text[1], "valmennus");
    /* the soft hyphen between the lines is not in either */
    assert_int_equal(o.lines[1].start, o.lines[0].end + 2);
    /* narrower than any soft-hyphen part: syllables, flagged */
    assert_int_equal(brk(w, "fi", 5, 0, 0, &o), 0);
    assert_true(o.r.n >= 4);
    for (size_t i = 0; i < o.r.n; i++) {
        assert_true(o.lines[i].width <= 5 * PX);
    }
}

/* A list separator never ends a line: the break replaces it. */
static void separator_never_ends_a_line(void **state)
{
    (void)state;
    const char *t = "Esteetön \xc2\xb7 Induktiosilmukka \xc2\xb7 Kahvio";
    for (int wide = 16; wide <= 30; wide++) {
        struct out o;
        assert_int_equal(brk(t, "fi", wide, 0, 0, &o), 0);
        for (size_t i = 0; i < o.r.n; i++) {
            size_t n = strlen(o.text[i]);
            assert_false(n >= 2 && strcmp(o.text[i] + n - 2, "\xc2\xb7") == 0);
            assert_false(strncmp(o.text[i], "\xc2\xb7", 2) == 0);
        }
    }
    const char *want[] = {"Esteetön", "Induktiosilmukka \xc2\xb7 Kahvio", NULL};
    expect_lines(t, "fi", 26, want);
    struct out o;
    assert_int_equal(brk(t, "fi", 26, 0, 0, &o), 0);
    assert_true(o.lines[0].flags & RENDER_LINE_SEP);
}

static void phone_numbers_and_addresses(void **state)
{
    (void)state;
    /* greedy would leave "040 123" / "4567" */
    const char *want[] = {"Soita numeroon", "040 123 4567.", NULL};
    expect_lines("Soita numeroon 040 123 4567.", "fi", 22, want);
    /* an address breaks after / . @, never with a hyphen added */
    const char *a = "kahvila@muistiyhdistys.example.fi";
    struct out o;
    assert_int_equal(brk(a, "fi", 16, 0, 0, &o), 0);
    assert_true(o.r.n >= 2);
    for (size_t i = 0; i + 1 < o.r.n; i++) {
        assert_true(o.lines[i].flags & RENDER_LINE_WORD_BREAK);
        assert_false(o.lines[i].flags & RENDER_LINE_HYPHEN);
    }
    char joined[200];
    join_lines(a, &o, joined, sizeof joined);
    assert_string_equal(joined, a);
    /* a word's own hyphen is a break of its own, nothing added */
    assert_int_equal(brk("Ruoka-apupäivystys", "fi", 10, 0, 0, &o), 0);
    assert_string_equal(o.text[0], "Ruoka-");
    assert_true(o.lines[0].flags & RENDER_LINE_WORD_BREAK);
}

/* Lines that end a sentence say so (a page may end after them), and a
 * sentence that ends inside a line is found for a page cut short. */
static void sentence_ends(void **state)
{
    (void)state;
    struct out o;
    const char *t = "Tule mukaan. Kahvi on ilmaista, ja pulla 2 €. Tervetuloa";
    assert_int_equal(brk(t, "fi", 14, 0, 0, &o), 0);
    for (size_t i = 0; i < o.r.n; i++) {
        size_t n = strlen(o.text[i]);
        bool dot = o.text[i][n - 1] == '.';
        assert_int_equal((o.lines[i].flags & RENDER_LINE_SENTENCE) != 0, dot);
    }
    size_t e = render_lb_sentence_end(t, 0, strlen(t));
    assert_int_equal(e,
                     strlen("Tule mukaan. Kahvi on ilmaista, ja pulla 2 €."));
    assert_int_equal(render_lb_sentence_end(t, 0, 11), 0);
    /* "24.11." and "esim." do not end a sentence */
    const char *d = "Tiistaina 24.11. esim. kahvia ja";
    assert_int_equal(render_lb_sentence_end(d, 0, strlen(d)), 0);
}

/* Lines made one at a time are those of the whole break. */
static void line_by_line_is_the_same(void **state)
{
    (void)state;
    const char *t = "Muistikahvila on avoin kaikille.\n\nTule juttelemaan ja "
                    "juomaan kahvia, klo 14–16. Vertaistukitoimintamahdol"
                    "lisuuksista kerrotaan.";
    struct render_lb_params p = {.max_width = 170,
                                 .lang = "fi",
                                 .measure = fake_measure,
                                 .measure_ctx = NULL};
    struct out o;
    assert_int_equal(brk(t, "fi", 17, 0, 0, &o), 0);
    size_t pos = 0, i = 0;
    struct render_line ln;
    while (render_lb_line(t, strlen(t), pos, &p, &ln, &pos) > 0) {
        assert_true(i < o.r.n);
        assert_int_equal(ln.start, o.lines[i].start);
        assert_int_equal(ln.end, o.lines[i].end);
        assert_int_equal(ln.flags, o.lines[i].flags);
        i++;
    }
    assert_int_equal(i, o.r.n);
    assert_int_equal(pos, strlen(t));
}

static void syllable_rule(void **state)
{
    (void)state;
    const char *w = "tapaaminen";
    assert_true(render_syllable_break_ok(w, 0, 10, 2));        /* ta-paaminen */
    assert_true(render_syllable_break_ok(w, 0, 10, 5));        /* tapaa-minen */
    assert_true(render_syllable_break_ok(w, 0, 10, 7));        /* tapaami-nen */
    assert_false(render_syllable_break_ok(w, 0, 10, 3));       /* tap-aaminen */
    assert_false(render_syllable_break_ok(w, 0, 10, 1));       /* t-apaaminen */
    assert_false(render_syllable_break_ok(w, 0, 10, 8));       /* ...n-en: 2 */
    assert_false(render_syllable_break_ok("strand", 0, 6, 2)); /* no vowel */
    assert_false(render_syllable_break_ok("ala", 0, 3, 1));
    assert_true(render_syllable_break_ok("kissanpäivät", 0, 13, 6));
}

static void cut_is_at_code_point_boundary(void **state)
{
    (void)state;
    /* no consonant, so no syllable: cut with a hyphen, whole code points */
    struct out o;
    const char *w = "ääääääääääöööööööööö";
    assert_int_equal(brk(w, "fi", 7, 0, 0, &o), 0);
    for (size_t i = 0; i < o.r.n; i++) {
        assert_true(taulu_utf8_valid(o.text[i], strlen(o.text[i])));
        assert_true(o.lines[i].chars <= 7);
        if (i + 1 < o.r.n) {
            assert_true(o.lines[i].flags & RENDER_LINE_CUT_WORD);
            assert_true(o.lines[i].flags & RENDER_LINE_HYPHEN);
        }
    }
    assert_int_equal(o.r.n, 4);
    char joined[200];
    join_lines(w, &o, joined, sizeof joined);
    assert_string_equal(joined, w);
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
        char joined[20000];
        join_lines(text, &o, joined, sizeof joined);
        for (size_t i = 0; i < o.r.n; i++) {
            assert_true(o.lines[i].width <= w * PX);
            /* no word broken without a hyphen */
            if (o.lines[i].flags & RENDER_LINE_IN_WORD) {
                assert_true(o.lines[i].flags & RENDER_LINE_HYPHEN);
            }
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
        cmocka_unit_test(long_compound_breaks_at_a_syllable),
        cmocka_unit_test(no_stub_no_cut_without_hyphen),
        cmocka_unit_test(soft_hyphens),
        cmocka_unit_test(separator_never_ends_a_line),
        cmocka_unit_test(phone_numbers_and_addresses),
        cmocka_unit_test(sentence_ends),
        cmocka_unit_test(line_by_line_is_the_same),
        cmocka_unit_test(syllable_rule),
        cmocka_unit_test(cut_is_at_code_point_boundary),
        cmocka_unit_test(glyph_wider_than_line),
        cmocka_unit_test(character_limits),
        cmocka_unit_test(fit_and_overflow),
        cmocka_unit_test(nothing_lost_nothing_added),
        cmocka_unit_test(bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
