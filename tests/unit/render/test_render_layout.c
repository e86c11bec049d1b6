/*
 * test_render_layout.c: sizes from the screen profile, WCAG contrast and
 * themes, dwell time, and the card layout's rules case by case with a fake
 * measurer (half an em per code point), all without SDL: the verdict, the
 * verification catching what it must, one card one page, pages between
 * sentences, the agenda's rows, the header's name, credits. The sweep over
 * profiles and generated cards is test_render_sweep.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "card_layout.h"
#include "dwell.h"
#include "render_check.h"
#include "render_map.h"
#include "sizing.h"
#include "taulu_err.h"
#include "taulu_utf8.h"
#include "theme.h"

static const struct render_profile landscape55 = {1920, 1080, 55.0, 3.0};
static const struct render_profile portrait55 = {1080, 1920, 55.0, 3.0};

/* ---- sizing ---- */

static void sizing_worked_example(void **state)
{
    (void)state;
    struct render_sizes s;
    assert_int_equal(render_sizes_compute(&landscape55, &s), 0);
    /* accessibility.md: cap 37 mm, about 58 px cap, about 87 px font */
    assert_true(fabs(s.cap_mm - 36.66) < 0.05);
    assert_true(fabs(s.cap_px - 57.8) < 0.1);
    assert_int_equal(s.body_px, 87);
    assert_true(s.title_px >= 1.25 * s.body_px);
    assert_int_equal(s.title_px, 109);
    /* every text at the floor: no smaller "secondary" size any more */
    assert_int_equal(s.secondary_px, s.body_px);
    assert_true(s.body_line * 2 >= s.body_px * 3);
    assert_true(s.secondary_line * 2 >= s.secondary_px * 3);
    /* titles and one-line rows are not paragraphs (ratios.h) */
    assert_true(s.title_line * 10 >= s.title_px * 13);
    assert_true(s.row_h * 100 >= s.body_px * 124); /* Atkinson's 1.24 em */
    assert_true(s.para_gap >= s.body_px);
    /* the safe area is the overscan allowance, 3.5 % of the short side */
    assert_int_equal(s.margin, 38);
    assert_false(s.portrait);
    /* portrait: the same panel, the same sizes */
    struct render_sizes p;
    assert_int_equal(render_sizes_compute(&portrait55, &p), 0);
    assert_int_equal(p.body_px, 87);
    assert_true(p.portrait);
    /* closer viewers, smaller type; farther, larger */
    struct render_profile near = landscape55, far = landscape55;
    near.distance_m = 1.5;
    far.distance_m = 5.0;
    struct render_sizes a, b;
    assert_int_equal(render_sizes_compute(&near, &a), 0);
    assert_int_equal(render_sizes_compute(&far, &b), 0);
    assert_true(a.body_px < 87 && b.body_px > 87);
    /* 4K at the same size and distance: twice the pixels */
    struct render_profile uhd = {3840, 2160, 55.0, 3.0};
    assert_int_equal(render_sizes_compute(&uhd, &a), 0);
    assert_true(a.body_px == 173 || a.body_px == 174);
}

static void sizing_refuses_nonsense(void **state)
{
    (void)state;
    struct render_sizes s;
    struct render_profile bad = landscape55;
    bad.distance_m = 0.0;
    assert_int_equal(render_sizes_compute(&bad, &s), TAULU_EINVAL);
    bad = landscape55;
    bad.width = -1;
    assert_int_equal(render_sizes_compute(&bad, &s), TAULU_EINVAL);
    bad = landscape55;
    bad.diagonal_in = (double)NAN;
    assert_int_equal(render_sizes_compute(&bad, &s), TAULU_EINVAL);
}

/* ---- contrast and themes ---- */

static void contrast_known_pairs(void **state)
{
    (void)state;
    struct render_rgb white = {255, 255, 255}, black = {0, 0, 0};
    struct render_rgb grey = {0x76, 0x76, 0x76};
    assert_true(fabs(render_contrast(black, white) - 21.0) < 1e-9);
    assert_true(fabs(render_contrast(white, black) - 21.0) < 1e-9);
    assert_true(fabs(render_contrast(grey, white) - 4.54) < 0.005);
    assert_true(render_contrast(grey, white) >= 4.5);
    assert_true(fabs(render_luminance(white) - 1.0) < 1e-12);
    assert_true(render_luminance(black) == 0.0);
    /* #647C72 on white is 4.4988:1: not rounded up to 4.5 */
    struct render_rgb c4499 = {0x64, 0x7C, 0x72};
    double c = render_contrast(c4499, white);
    assert_true(c > 4.498 && c < 4.5);
}

static void theme_pair_below_4_5_refused(void **state)
{
    (void)state;
    struct render_theme t = *render_theme_default();
    t.bg = (struct render_rgb){255, 255, 255};
    t.text = (struct render_rgb){0x64, 0x7C, 0x72};
    t.secondary = (struct render_rgb){0, 0, 0};
    for (int i = 0; i < RENDER_CATEGORY_COUNT; i++) {
        t.category[i] = (struct render_rgb){0x90, 0x90, 0x90};
    }
    t.chip_unknown = t.category[0];
    t.chip_text = (struct render_rgb){0, 0, 0};
    assert_int_equal(render_theme_check(&t), TAULU_EVALUE);
    const char *which = NULL;
    double min = render_theme_min_text_contrast(&t, &which);
    assert_true(min < 4.5);
    assert_string_equal(which, "text/bg");
    t.text = (struct render_rgb){0x76, 0x76, 0x76}; /* 4.54: accepted */
    assert_int_equal(render_theme_check(&t), 0);
    /* a chip that vanishes into the background is refused too */
    t.category[3] = (struct render_rgb){0xF8, 0xF8, 0xF8};
    assert_int_equal(render_theme_check(&t), TAULU_EVALUE);
}

static void default_theme_reaches_7_to_1(void **state)
{
    (void)state;
    const struct render_theme *t = render_theme_default();
    assert_int_equal(render_theme_check(t), 0);
    assert_true(render_theme_min_text_contrast(t, NULL) >= 7.0);
    assert_true(render_theme_min_chip_contrast(t, NULL) >= 3.0);
    for (int i = 0; i < RENDER_CATEGORY_COUNT; i++) {
        assert_true(render_contrast(t->chip_text, t->category[i]) >= 7.0);
        assert_true(render_contrast(t->category[i], t->bg) >= 3.0);
        assert_int_equal(
            render_category_index(taulu_category_slug((enum taulu_category)i)),
            i);
    }
    assert_int_equal(render_category_index("nope"), -1);
    assert_int_equal(render_category_index(NULL), -1);
    /* the old short forms are not slugs */
    assert_int_equal(render_category_index("kasvu"), -1);
    assert_int_equal(render_category_index("kasvu-oppiminen"), 0);
    assert_int_equal(render_category_index("elintavat"), 9);
}

static void theme_file(void **state)
{
    (void)state;
    struct render_theme t;
    /* a light theme keeps the default chips: too light against white */
    const char *pale = "bg = #FFFFFF\ntext = #000000\nsecondary=#333333\n";
    assert_int_equal(render_theme_parse(pale, strlen(pale), &t, NULL),
                     TAULU_EVALUE);
    /* with mid-tone chips (>= 3:1 on white, black labels >= 4.5:1) */
    char ok[2048];
    size_t n = (size_t)snprintf(ok, sizeof ok,
                                "# light theme\n%s"
                                "chip_unknown = #009E73\n",
                                pale);
    for (int i = 0; i < RENDER_CATEGORY_COUNT; i++) {
        n += (size_t)snprintf(ok + n, sizeof ok - n, "category.%s = #009E73\n",
                              taulu_category_slug((enum taulu_category)i));
    }
    assert_int_equal(render_theme_parse(ok, n, &t, NULL), 0);
    assert_int_equal(t.bg.r, 255);
    assert_int_equal(t.category[3].r, 0x00);
    assert_int_equal(t.category[3].g, 0x9E);
    const char *low = "text = #647C72\nbg = #FFFFFF\n";
    struct render_theme before = *render_theme_default();
    t = before;
    assert_int_equal(render_theme_parse(low, strlen(low), &t, NULL),
                     TAULU_EVALUE);
    assert_memory_equal(&t, &before, sizeof t);
    int line = 0;
    const char *bad = "bg = #000000\nnope = #123456\n";
    assert_int_equal(render_theme_parse(bad, strlen(bad), &t, &line),
                     TAULU_EPARSE);
    assert_int_equal(line, 2);
    const char *bad2 = "bg = 000000\n";
    assert_int_equal(render_theme_parse(bad2, strlen(bad2), &t, &line),
                     TAULU_EPARSE);
}

/* ---- dwell ---- */

static void dwell_formula_and_clamp(void **state)
{
    (void)state;
    assert_true(render_dwell_seconds(0, false) == 8.0);
    assert_true(render_dwell_seconds(0, true) == 8.0);
    assert_true(fabs(render_dwell_seconds(100, false) - 11.724) < 1e-9);
    assert_true(fabs(render_dwell_seconds(100, true) - 19.0) < 1e-9);
    assert_true(render_dwell_seconds(10000, true) == 60.0);
    assert_true(render_dwell_seconds(10000, false) == 60.0);
    struct render_card c = {.kind = RENDER_CARD_BULLETIN,
                            .title = "Ääkköset",
                            .body = "abc",
                            .plain = true};
    assert_int_equal(render_card_chars(&c), 11);
    assert_int_equal(render_dwell_ms(&c), 8000);
}

/* ---- card layout ---- */

static const struct render_profile l55 = {1920, 1080, 55.0, 3.0};
static const struct render_profile p43 = {1080, 1920, 43.0, 2.5};
static const struct render_profile l43k = {3840, 2160, 43.0, 4.0};
static const struct render_profile l32 = {1280, 720, 32.0, 1.5};

static struct render_layout L;

/* A pointer the test goes on with: fail (and say so to the compiler). */
#define NEED(p)                                                                \
    do {                                                                       \
        if (!(p)) {                                                            \
            fail_msg("%s is NULL", #p);                                        \
            return;                                                            \
        }                                                                      \
    } while (0)

/* Lays c out on p with the fake measurer and the shared checks. */
static void lay(const struct render_card *c, const struct render_profile *p,
                struct render_sizes *s, struct render_frame *fr)
{
    assert_int_equal(render_sizes_compute(p, s), 0);
    struct render_measurer m = {rc_fake_measure, s};
    render_frame_compute(p, s, &m, fr);
    assert_int_equal(render_layout_card(c, p, s, &m, &L), 0);
    const char *e = rc_check_layout(c, p, s, fr, &L);
    if (e) {
        fail_msg("%s", e);
    }
}

static size_t count_field(const struct render_layout *lay_, enum render_field f,
                          bool repeats)
{
    size_t n = 0;
    for (size_t i = 0; i < lay_->n_pages; i++) {
        for (size_t b = 0; b < lay_->pages[i].n; b++) {
            const struct render_box *bx = &lay_->pages[i].boxes[b];
            n +=
                bx->field == f && (repeats || !(bx->flags & RENDER_BOX_REPEAT));
        }
    }
    return n;
}

static const struct render_issue *find_issue(enum render_issue_kind k,
                                             enum render_field f)
{
    for (size_t i = 0; i < L.verdict.n_issues; i++) {
        if (L.verdict.issues[i].kind == k && L.verdict.issues[i].field == f) {
            return &L.verdict.issues[i];
        }
    }
    return NULL;
}

static const char *two_sentences =
    "Tule juttelemaan ja juomaan kahvia. Voit tuoda läheisen mukaan.";

/* The aim: title, a few lines, when and where, QR code: one page on the
 * common profiles, in either orientation, with every text at the floor
 * and the credit line shown. */
static void event_fits_one_page(void **state)
{
    (void)state;
    const struct render_profile *ps[] = {&l55, &p43, &l32};
    for (size_t k = 0; k < 3; k++) {
        /* a narrow portrait screen at 2.5 m holds about 21 characters a
         * line: one sentence there */
        const char *body =
            ps[k] == &p43 ? "Tule juttelemaan ja juomaan." : two_sentences;
        struct render_card c = {.kind = RENDER_CARD_EVENT,
                                .lang = "fi",
                                .plain = true,
                                .category = "ihmissuhteet",
                                .category_label = "Ihmissuhteet",
                                .title = "Muistikahvila",
                                .body = body,
                                .when = "Tänään ti 24.11. klo 14–16",
                                .where = "Seurakuntatalo, Kirkkotie 5",
                                .price = "Maksuton",
                                .link = "https://muistiyhdistys.example.fi/k",
                                .organisation = "Muistiyhdistys ry"};
        struct render_sizes s;
        struct render_frame fr;
        lay(&c, ps[k], &s, &fr);
        if (L.n_pages != 1) {
            fail_msg("profile %zu: %zu pages", k, L.n_pages);
        }
        assert_int_equal(L.verdict.fit, RENDER_FIT_ONE_PAGE);
        assert_int_equal(L.verdict.n_issues, 0);
        assert_int_equal(count_field(&L, RENDER_FIELD_LINK, false), 1);
        assert_int_equal(count_field(&L, RENDER_FIELD_ORGANISATION, false), 1);
        assert_false(L.truncated);
    }
}

/* The y of the first box of field f on page 0, or -1. */
static int field_y(enum render_field f)
{
    for (size_t b = 0; b < L.pages[0].n; b++) {
        if (L.pages[0].boxes[b].field == f) {
            return L.pages[0].boxes[b].y;
        }
    }
    return -1;
}

/* A repeating event's rule is the when's own words: it shares the when's
 * line where it fits whole ("ti 8.12. klo 14–16 · joka tiistai"), which
 * on the 55" screen read from 3 m leaves the body its second line (one
 * page; on a line of its own the card took two). Where the when row is
 * long, the rule goes under it; the place always starts its own line. */
static void repeat_shares_the_when_line(void **state)
{
    (void)state;
    struct render_card c = {.kind = RENDER_CARD_EVENT,
                            .lang = "fi",
                            .category = "ihmissuhteet",
                            .category_label = "Ihmissuhteet",
                            .title = "Muistikahvila",
                            .body = "Tule juttelemaan.\nKahvi on maksuton.",
                            .when = "ti 8.12. klo 14–16",
                            .repeat = "joka tiistai",
                            .where = "Seurakuntatalo",
                            .link = "https://infotaulu.example/p/12/345",
                            .organisation = "Oulun Muistiyhdistys"};
    struct render_sizes s;
    struct render_frame fr;
    lay(&c, &l55, &s, &fr);
    assert_int_equal(L.verdict.fit, RENDER_FIT_ONE_PAGE);
    assert_int_equal(L.n_pages, 1);
    assert_int_equal(L.verdict.n_issues, 0);
    assert_int_equal(count_field(&L, RENDER_FIELD_LINK, false), 1);
    assert_int_equal(field_y(RENDER_FIELD_REPEAT), field_y(RENDER_FIELD_WHEN));
    assert_true(field_y(RENDER_FIELD_WHERE) > field_y(RENDER_FIELD_WHEN));
    assert_int_equal(count_field(&L, RENDER_FIELD_BODY, false), 2);

    c.when = "Huomenna tiistaina 8.12. kello 14–16";
    lay(&c, &l55, &s, &fr);
    assert_true(field_y(RENDER_FIELD_REPEAT) > field_y(RENDER_FIELD_WHEN));
    assert_true(field_y(RENDER_FIELD_WHERE) > field_y(RENDER_FIELD_REPEAT));
}

/* Too much for one page: pages, and the verdict says which field goes on,
 * from where and by how many lines; a page ends between sentences. */
static void continuation_is_reported_and_between_sentences(void **state)
{
    (void)state;
    static const char *body =
        "Muistikahvila on avoin kaikille. Tule juttelemaan ja juomaan "
        "kahvia. Voit tuoda läheisen mukaan. Kahvilassa on vapaaehtoisia, "
        "jotka auttavat. Tilassa on induktiosilmukka.\n\nKahvi ja pulla "
        "maksavat 2 €. Ilmoittautua ei tarvitse. Soita numeroon 040 123 "
        "4567, jos sinulla on kysyttävää. Kahvila on auki joka tiistai klo "
        "14–16. Paikka on seurakuntatalon sali. Sinne pääsee pyörätuolilla.";
    const struct render_profile *ps[] = {&l55, &p43, &l32, &l43k};
    for (size_t k = 0; k < 4; k++) {
        struct render_card c = {.kind = RENDER_CARD_BULLETIN,
                                .lang = "fi",
                                .category = "ihmissuhteet",
                                .category_label = "Ihmissuhteet",
                                .title = "Muistikahvila",
                                .body = body};
        struct render_sizes s;
        struct render_frame fr;
        lay(&c, ps[k], &s, &fr);
        assert_true(L.n_pages >= 2);
        if (ps[k] == &l43k) {
            /* two lines a page: more than 8 pages, said so */
            assert_int_equal(L.verdict.fit, RENDER_FIT_CANNOT);
            assert_non_null(
                find_issue(RENDER_ISSUE_NOT_PLACED, RENDER_FIELD_BODY));
            continue;
        }
        assert_int_equal(L.verdict.fit, RENDER_FIT_PAGES);
        const struct render_issue *is =
            find_issue(RENDER_ISSUE_CONTINUES, RENDER_FIELD_BODY);
        NEED(is);
        assert_true(is->lines > 0);
        assert_true(is->byte > 0 && is->byte < strlen(body));
        char text[512];
        assert_true(render_issue_text(is, &c, "fi", text, sizeof text) > 0);
        assert_non_null(strstr(text, "teksti"));
        for (size_t pg = 0; pg + 1 < L.n_pages; pg++) {
            /* the last body line of a page ends a sentence (or the
             * verdict names the sentence longer than a page) */
            const struct render_box *last = NULL;
            size_t lines = 0;
            for (size_t b = 0; b < L.pages[pg].n; b++) {
                if (L.pages[pg].boxes[b].field == RENDER_FIELD_BODY) {
                    last = &L.pages[pg].boxes[b];
                    lines++;
                }
            }
            assert_true(lines <= RENDER_MAX_BODY_LINES);
            if (last && !(last->flags & RENDER_LINE_PAGE_OK)) {
                assert_non_null(
                    find_issue(RENDER_ISSUE_SENTENCE_SPLIT, RENDER_FIELD_BODY));
            }
            /* the phone number is never split over pages */
            if (last) {
                assert_false(last->len >= 3 &&
                             memcmp(last->text + last->len - 3, "123", 3) == 0);
            }
        }
        /* continuation pages: the title again on one line at the floor
         * size at most, never the two-line title */
        for (size_t pg = 1; pg < L.n_pages; pg++) {
            size_t titles = 0;
            for (size_t b = 0; b < L.pages[pg].n; b++) {
                const struct render_box *bx = &L.pages[pg].boxes[b];
                if (bx->field == RENDER_FIELD_TITLE) {
                    titles++;
                    assert_true(bx->flags & RENDER_BOX_REPEAT);
                    assert_int_equal(bx->font, RENDER_FONT_BODY_BOLD);
                }
            }
            assert_true(titles <= 1);
        }
    }
}

/* Text beyond RENDER_MAX_PAGES is not dropped silently: the verdict says
 * cannot, which field from which byte. */
static void huge_text_reported_not_placed(void **state)
{
    (void)state;
    static char body[20000];
    size_t n = 0;
    while (n + 20 < sizeof body) {
        memcpy(body + n, "Sana toinen kolmas. ", 20);
        n += 20;
    }
    body[n] = '\0';
    struct render_card c = {
        .kind = RENDER_CARD_BULLETIN, .title = "Pitkä", .body = body};
    struct render_sizes s;
    struct render_frame fr;
    lay(&c, &l55, &s, &fr);
    assert_int_equal(L.n_pages, RENDER_MAX_PAGES);
    assert_int_equal(L.verdict.fit, RENDER_FIT_CANNOT);
    assert_true(L.truncated);
    const struct render_issue *is =
        find_issue(RENDER_ISSUE_NOT_PLACED, RENDER_FIELD_BODY);
    NEED(is);
    assert_true(is->byte > 0 && is->byte < n);
    assert_true(body[is->byte - 1] == ' ');
}

/* A title of more than two lines is reported with the lines over, and a
 * title too tall for the first page is never split over pages. */
static void title_lines_reported(void **state)
{
    (void)state;
    struct render_card c = {
        .kind = RENDER_CARD_BULLETIN,
        .lang = "fi",
        .title = "Tämä otsikko on aivan liian pitkä yhdelle kortille, "
                 "sillä se jatkuu ja jatkuu ja jatkuu vielä pitkään",
        .body = "Lyhyt teksti.",
    };
    struct render_sizes s;
    struct render_frame fr;
    lay(&c, &l55, &s, &fr);
    const struct render_issue *is =
        find_issue(RENDER_ISSUE_TITLE_LINES, RENDER_FIELD_TITLE);
    NEED(is);
    assert_true(is->lines >= 1);
    /* on a screen of two lines a page it is set at the floor size; what
     * still does not fit page 1 goes on, reported */
    lay(&c, &l43k, &s, &fr);
    for (size_t b = 0; b < L.pages[0].n; b++) {
        if (L.pages[0].boxes[b].field == RENDER_FIELD_TITLE) {
            assert_int_equal(L.pages[0].boxes[b].font, RENDER_FONT_BODY_BOLD);
        }
    }
    assert_non_null(find_issue(RENDER_ISSUE_TITLE_LINES, RENDER_FIELD_TITLE));
    assert_non_null(find_issue(RENDER_ISSUE_CONTINUES, RENDER_FIELD_TITLE));
}

/* A word wider than the line: with soft hyphens it breaks there and
 * nothing is reported; without, at a syllable with a hyphen, and the
 * verdict names the word. */
static void long_words(void **state)
{
    (void)state;
    struct render_card c = {
        .kind = RENDER_CARD_BULLETIN,
        .lang = "fi",
        .category = "toimeentulo",
        .category_label = "Toimeentulo",
        .title = "Omaishoitajavalmennusryhmätapaaminen",
        .body = "Tervetuloa omaishoitajavalmennusryhmätapaamiseen.",
    };
    struct render_sizes s;
    struct render_frame fr;
    lay(&c, &l43k, &s, &fr);
    const struct render_issue *is =
        find_issue(RENDER_ISSUE_WORD_TOO_WIDE, RENDER_FIELD_TITLE);
    NEED(is);
    assert_int_equal(is->byte, 0);
    assert_int_equal(is->len, strlen(c.title));
    char text[512];
    render_issue_text(is, &c, "fi", text, sizeof text);
    assert_non_null(strstr(text, "Omaishoitajavalmennusryhmätapaaminen"));
    render_issue_text(is, &c, "sv", text, sizeof text);
    assert_non_null(strstr(text, "bredare"));
    assert_true(L.cut_word);
    /* with the server's soft hyphens: broken there, nothing reported */
    c.title = "Omais\xc2\xadhoitaja\xc2\xadvalmennus\xc2\xadryhmä\xc2\xad"
              "tapaaminen";
    c.body = "Tervetuloa omais\xc2\xadhoitaja\xc2\xadvalmennus\xc2\xadryhmä"
             "\xc2\xadtapaamiseen.";
    lay(&c, &l43k, &s, &fr);
    assert_null(find_issue(RENDER_ISSUE_WORD_TOO_WIDE, RENDER_FIELD_TITLE));
    assert_null(find_issue(RENDER_ISSUE_WORD_TOO_WIDE, RENDER_FIELD_BODY));
    assert_false(L.cut_word);
    size_t hyphens = 0;
    for (size_t pg = 0; pg < L.n_pages; pg++) {
        for (size_t b = 0; b < L.pages[pg].n; b++) {
            hyphens += (L.pages[pg].boxes[b].flags & RENDER_LINE_HYPHEN) != 0;
        }
    }
    assert_true(hyphens >= 2);
}

/* The reported "Esteetön ·" with the dot at the line end. */
static void separator_never_ends_a_line(void **state)
{
    (void)state;
    struct render_card c = {.kind = RENDER_CARD_EVENT,
                            .lang = "fi",
                            .title = "Kuorolaulu",
                            .body = "Laulamme yhdessä.",
                            .when = "Huomenna ke 25.11. klo 18–19",
                            .accessibility =
                                "Esteetön \xc2\xb7 Induktiosilmukka \xc2\xb7 "
                                "Viittomakielinen tulkkaus"};
    const struct render_profile *ps[] = {&l55, &p43, &l43k, &l32};
    for (size_t k = 0; k < 4; k++) {
        struct render_sizes s;
        struct render_frame fr;
        lay(&c, ps[k], &s, &fr);
        for (size_t pg = 0; pg < L.n_pages; pg++) {
            for (size_t b = 0; b < L.pages[pg].n; b++) {
                char vis[400];
                size_t n = render_box_visible(
                    &L.pages[pg], &L.pages[pg].boxes[b], vis, sizeof vis);
                assert_false(n >= 2 && strcmp(vis + n - 2, "\xc2\xb7") == 0);
            }
        }
    }
}

/* The agenda never shows a page without a row: on a screen that holds
 * two lines, the title gives way (and the verdict says so). Times never
 * touch their titles ("16.00Kören"). */
static void agenda_rows_on_every_page(void **state)
{
    (void)state;
    static struct render_agenda_row rows[30];
    for (size_t i = 0; i < 30; i++) {
        rows[i].day = i < 10   ? "Idag tis 24.11"
                      : i < 20 ? "I morgon ons 25.11"
                               : "tor 26.11";
        rows[i].time = i % 2 ? "kl. 16.00–18.00" : "kl. 9.30";
        rows[i].title = i % 3 ? "Kören övar i församlingshemmet" : "Kören";
    }
    const struct render_profile *ps[] = {&l55, &p43, &l43k, &l32};
    for (size_t k = 0; k < 4; k++) {
        for (size_t n = 0; n <= 30; n += 5) {
            struct render_card c = {.kind = RENDER_CARD_AGENDA,
                                    .lang = "sv",
                                    .title = "Kommande evenemang",
                                    .body = "Inga evenemang den här veckan.",
                                    .rows = rows,
                                    .n_rows = n};
            struct render_sizes s;
            struct render_frame fr;
            lay(&c, ps[k], &s, &fr); /* rc_check_layout: rows, overlaps */
            if (ps[k] == &l43k && n > 0) {
                assert_non_null(
                    find_issue(RENDER_ISSUE_LEFT_OUT, RENDER_FIELD_TITLE));
            }
        }
    }
}

static void header_name(void **state)
{
    (void)state;
    struct render_sizes s;
    struct render_frame fr;
    struct render_measurer m = {rc_fake_measure, &s};
    static struct render_page hp;
    struct render_header h = {"Tuiran hyvinvointikeskus", "ti 24.11.", "14.05",
                              "3 / 8", NULL};
    const struct render_profile *ps[] = {&l55, &p43, &l43k, &l32};
    for (size_t k = 0; k < 4; k++) {
        for (int shortn = 0; shortn < 2; shortn++) {
            h.centre_short = shortn ? "Tuira" : NULL;
            assert_int_equal(render_sizes_compute(ps[k], &s), 0);
            render_frame_compute(ps[k], &s, &m, &fr);
            assert_int_equal(render_layout_header(&h, ps[k], &s, &m, &hp), 0);
            const char *e = rc_check_header(&h, ps[k], &s, &fr, &hp);
            if (e) {
                fail_msg("profile %zu: %s", k, e);
            }
            assert_int_equal(render_header_verify(&s, &fr, &hp, NULL), 0);
            /* the clock is always there */
            bool clock = false;
            for (size_t i = 0; i < hp.n; i++) {
                clock = clock || hp.boxes[i].text == h.clock;
            }
            assert_true(clock);
        }
    }
    /* 32" 720p at 1.5 m: one row with the whole name */
    assert_int_equal(render_sizes_compute(&l32, &s), 0);
    render_frame_compute(&l32, &s, &m, &fr);
    assert_int_equal(fr.header_rows, 1);
    h.centre_short = NULL;
    assert_int_equal(render_layout_header(&h, &l32, &s, &m, &hp), 0);
    bool whole = false;
    for (size_t i = 0; i < hp.n; i++) {
        whole = whole || (hp.boxes[i].text == h.centre &&
                          hp.boxes[i].len == strlen(h.centre));
    }
    assert_true(whole);
    /* 55" at 3 m: no room for it: the short form, else words and "…" */
    h.centre_short = "Tuira";
    assert_int_equal(render_sizes_compute(&l55, &s), 0);
    render_frame_compute(&l55, &s, &m, &fr);
    assert_int_equal(fr.header_rows, 1);
    assert_int_equal(render_layout_header(&h, &l55, &s, &m, &hp), 0);
    bool shortn = false;
    for (size_t i = 0; i < hp.n; i++) {
        shortn = shortn || hp.boxes[i].text == h.centre_short;
    }
    assert_true(shortn);
    /* a narrow portrait screen: two rows, the name wrapped whole */
    const struct render_profile tall = {1080, 1920, 32.0, 1.5};
    h.centre_short = NULL;
    assert_int_equal(render_sizes_compute(&tall, &s), 0);
    render_frame_compute(&tall, &s, &m, &fr);
    assert_int_equal(render_layout_header(&h, &tall, &s, &m, &hp), 0);
    assert_null(rc_check_header(&h, &tall, &s, &fr, &hp));
    /* all text of the header at the floor */
    for (size_t i = 0; i < hp.n; i++) {
        if (hp.boxes[i].kind == RENDER_BOX_TEXT) {
            assert_int_equal(render_font_px(&s, hp.boxes[i].font), s.body_px);
        }
    }
}

/* The verification is always on and catches what it must: moved into the
 * margin, overlapping, a word lost or twice, a cut without a hyphen, an
 * unreported syllable, text under the floor. */
static void verification_catches(void **state)
{
    (void)state;
    struct render_card c = {.kind = RENDER_CARD_EVENT,
                            .lang = "fi",
                            .category = "ihmissuhteet",
                            .category_label = "Ihmissuhteet",
                            .title = "Vertaistukiryhmätapaaminen",
                            .body = two_sentences,
                            .when = "Tänään ti 24.11. klo 14–16",
                            .where = "Seurakuntatalo",
                            .link = "https://example.fi/v"};
    struct render_sizes s;
    struct render_frame fr;
    lay(&c, &l43k, &s, &fr);
    static struct render_layout saved;
    saved = L;
    struct render_issue fail;
    assert_int_equal(render_layout_verify(&c, &s, &fr, &L, &fail), 0);
    /* find a body box and a syllable-broken title line */
    struct render_box *body = NULL, *syl = NULL;
    for (size_t pg = 0; pg < L.n_pages; pg++) {
        for (size_t b = 0; b < L.pages[pg].n; b++) {
            struct render_box *bx = &L.pages[pg].boxes[b];
            if (bx->field == RENDER_FIELD_BODY && !body) {
                body = bx;
            }
            if ((bx->flags & RENDER_LINE_SYLLABLE) && !syl) {
                syl = bx;
            }
        }
    }
    NEED(body);
    NEED(syl);
    body->x = s.margin - 1;
    assert_int_equal(render_layout_verify(&c, &s, &fr, &L, &fail),
                     TAULU_EVALUE);
    assert_int_equal(fail.check, RENDER_CHECK_SAFE_AREA);
    L = saved; /* body points into L: the same box again */
    for (size_t pg = 0; pg < L.n_pages; pg++) {
        struct render_page *page = &L.pages[pg];
        if (body >= page->boxes && body < page->boxes + page->n) {
            /* onto another box of its page (the chip's label) */
            for (size_t b = 1; b < page->n; b++) {
                if (&page->boxes[b] != body &&
                    page->boxes[b].kind == RENDER_BOX_TEXT) {
                    body->y = page->boxes[b].y;
                    body->x = page->boxes[b].x;
                }
            }
        }
    }
    assert_int_equal(render_layout_verify(&c, &s, &fr, &L, &fail),
                     TAULU_EVALUE);
    L = saved;
    body->len -= 3; /* the end of a word lost */
    assert_int_equal(render_layout_verify(&c, &s, &fr, &L, &fail),
                     TAULU_EVALUE);
    assert_int_equal(fail.check, RENDER_CHECK_WORDS);
    L = saved;
    syl->flags &= ~(unsigned)RENDER_LINE_HYPHEN; /* cut with no hyphen */
    assert_int_equal(render_layout_verify(&c, &s, &fr, &L, &fail),
                     TAULU_EVALUE);
    assert_int_equal(fail.check, RENDER_CHECK_BREAK);
    L = saved;
    L.verdict.n_issues = 0; /* the syllable not reported */
    L.verdict.fit = L.n_pages > 1 ? RENDER_FIT_PAGES : RENDER_FIT_ONE_PAGE;
    assert_int_equal(render_layout_verify(&c, &s, &fr, &L, &fail),
                     TAULU_EVALUE);
    L = saved;
    struct render_sizes smaller = s;
    smaller.secondary_px = s.body_px - 1; /* a text under the floor */
    smaller.body_px = s.body_px;
    struct render_layout *lp = &L;
    for (size_t b = 0; b < lp->pages[0].n; b++) {
        if (lp->pages[0].boxes[b].kind == RENDER_BOX_TEXT) {
            lp->pages[0].boxes[b].font = RENDER_FONT_SECONDARY;
            break;
        }
    }
    assert_int_equal(render_layout_verify(&c, &smaller, &fr, &L, &fail),
                     TAULU_EVALUE);
    assert_int_equal(fail.check, RENDER_CHECK_FLOOR);
    /* the layout's own run is clean */
    L = saved;
    assert_int_equal(render_layout_verify(&c, &s, &fr, &L, NULL), 0);
}

/* The credit line: organisation and contact, at the floor, once. */
static void credit_line(void **state)
{
    (void)state;
    struct render_card c = {.kind = RENDER_CARD_BULLETIN,
                            .lang = "sv",
                            .category = "terveys-hyvinvointi",
                            .category_label = "Hälsa",
                            .title = "Influensavaccinationerna börjar",
                            .body = "Boka tid i förväg.",
                            .organisation = "Uleåborgs svenska förening rf",
                            .contact = "tfn 040 765 4321"};
    const struct render_profile *ps[] = {&l55, &p43, &l43k, &l32};
    for (size_t k = 0; k < 4; k++) {
        struct render_sizes s;
        struct render_frame fr;
        lay(&c, ps[k], &s, &fr);
        /* once (rc_check_layout: words once, in order; at the floor) */
        assert_true(count_field(&L, RENDER_FIELD_ORGANISATION, false) >= 1);
        assert_true(count_field(&L, RENDER_FIELD_CONTACT, false) >= 1);
    }
}

static void refuses_bad_text(void **state)
{
    (void)state;
    struct render_sizes s;
    assert_int_equal(render_sizes_compute(&l55, &s), 0);
    struct render_measurer m = {rc_fake_measure, &s};
    struct render_card c = {.kind = RENDER_CARD_BULLETIN,
                            .title = "Otsikko\nrivinvaihto",
                            .body = "ok"};
    assert_int_equal(render_layout_card(&c, &l55, &s, &m, &L), TAULU_EUTF8);
    c.title = "ok";
    c.body = "\xc3\x28";
    assert_int_equal(render_layout_card(&c, &l55, &s, &m, &L), TAULU_EUTF8);
    c.body = "ok";
    c.contact = "040\t123";
    assert_int_equal(render_layout_card(&c, &l55, &s, &m, &L), TAULU_EUTF8);
    c.contact = NULL;
    c.body = "Rivi\nToinen rivi";
    assert_int_equal(render_layout_card(&c, &l55, &s, &m, &L), 0);
    c.kind = (enum render_card_kind)99;
    assert_int_equal(render_layout_card(&c, &l55, &s, &m, &L), TAULU_EINVAL);
}

/* A screen that holds no line of text under its header: the verdict says
 * cannot, with the capacity, in words for the coordinator. */
static void profile_without_room(void **state)
{
    (void)state;
    const struct render_profile tiny = {1280, 720, 22.0, 6.0};
    struct render_card c = {.kind = RENDER_CARD_BULLETIN,
                            .lang = "fi",
                            .title = "Tiedote",
                            .body = "Tervetuloa kaikki."};
    struct render_sizes s;
    struct render_frame fr;
    lay(&c, &tiny, &s, &fr);
    assert_int_equal(L.verdict.fit, RENDER_FIT_CANNOT);
    const struct render_issue *is = NULL;
    for (size_t i = 0; i < L.verdict.n_issues && !is; i++) {
        if (L.verdict.issues[i].kind == RENDER_ISSUE_NO_ROOM ||
            L.verdict.issues[i].kind == RENDER_ISSUE_NOT_PLACED) {
            is = &L.verdict.issues[i];
        }
    }
    NEED(is);
    char text[512];
    render_issue_text(is, &c, "fi", text, sizeof text);
    assert_true(strlen(text) > 20);
}

/* The manifest's organisation and the version's contact reach the card's
 * credit line (render_map.c). */
static void map_credit(void **state)
{
    (void)state;
    struct taulu_card_version v;
    struct taulu_card c;
    memset(&v, 0, sizeof v);
    memset(&c, 0, sizeof c);
    memcpy(v.lang, "fi", 3);
    v.title = "Muistikahvila";
    v.body = "Tule mukaan.";
    v.contact = "puh. 040 123 4567";
    c.id = "cafe";
    c.kind = TAULU_CARD_BULLETIN;
    c.category = TAULU_CATEGORY_COUNT;
    c.org = "Oulun Muistiyhdistys ry";
    c.versions = &v;
    c.n_versions = 1;
    struct render_map_buf mb;
    render_map_buf_init(&mb);
    assert_int_equal(render_map_card(&mb, &c, &v, NULL, 0, NULL), 0);
    assert_string_equal(mb.card.organisation, "Oulun Muistiyhdistys ry");
    assert_string_equal(mb.card.contact, "puh. 040 123 4567");
    v.contact = NULL;
    assert_int_equal(render_map_card(&mb, &c, &v, NULL, 0, NULL), 0);
    assert_null(mb.card.contact);
    render_map_buf_release(&mb);
}

/* The player's loop: a page's dwell follows its text. */
static void dwell_per_page(void **state)
{
    (void)state;
    struct render_card c = {.kind = RENDER_CARD_BULLETIN,
                            .lang = "fi",
                            .plain = true,
                            .title = "Muistikahvila",
                            .body = two_sentences};
    struct render_sizes s;
    struct render_frame fr;
    lay(&c, &l55, &s, &fr);
    assert_true(L.pages[0].chars > strlen("Muistikahvila"));
    assert_true(L.pages[0].dwell_ms >= 8000 && L.pages[0].dwell_ms <= 60000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sizing_worked_example),
        cmocka_unit_test(sizing_refuses_nonsense),
        cmocka_unit_test(contrast_known_pairs),
        cmocka_unit_test(theme_pair_below_4_5_refused),
        cmocka_unit_test(default_theme_reaches_7_to_1),
        cmocka_unit_test(theme_file),
        cmocka_unit_test(dwell_formula_and_clamp),
        cmocka_unit_test(event_fits_one_page),
        cmocka_unit_test(repeat_shares_the_when_line),
        cmocka_unit_test(continuation_is_reported_and_between_sentences),
        cmocka_unit_test(huge_text_reported_not_placed),
        cmocka_unit_test(title_lines_reported),
        cmocka_unit_test(long_words),
        cmocka_unit_test(separator_never_ends_a_line),
        cmocka_unit_test(agenda_rows_on_every_page),
        cmocka_unit_test(header_name),
        cmocka_unit_test(verification_catches),
        cmocka_unit_test(credit_line),
        cmocka_unit_test(refuses_bad_text),
        cmocka_unit_test(profile_without_room),
        cmocka_unit_test(dwell_per_page),
        cmocka_unit_test(map_credit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
