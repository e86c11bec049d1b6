/*
 * test_render_layout.c: sizes from the screen profile, WCAG contrast and
 * themes, dwell time and the card layout with a fake measurer (a fixed
 * width per code point, per font size), all without SDL.
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
    assert_true(s.secondary_px * 3 >= s.body_px * 2);
    assert_true(s.body_line * 2 >= s.body_px * 3);
    assert_true(s.title_line * 2 >= s.title_px * 3);
    assert_true(s.secondary_line * 2 >= s.secondary_px * 3);
    assert_true(s.para_gap >= s.body_px);
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

/* 0.5 em per code point */
static int fake_measure(void *ctx, enum render_font font, const char *s,
                        size_t len)
{
    const struct render_sizes *sz = ctx;
    int px =
        font == RENDER_FONT_TITLE ? sz->title_px
        : font == RENDER_FONT_SECONDARY || font == RENDER_FONT_SECONDARY_BOLD
            ? sz->secondary_px
            : sz->body_px;
    return (int)taulu_utf8_count(s, len) * px / 2;
}

static const char *long_body =
    "Muistikahvila on avoin kaikille. Tule juttelemaan ja juomaan kahvia. "
    "Voit tuoda läheisen mukaan. Kahvilassa on vapaaehtoisia, jotka "
    "auttavat. Tilassa on induktiosilmukka.\n\nKahvi ja pulla maksavat "
    "2 €. Ilmoittautua ei tarvitse. Tervetuloa joukkoon, kaikki ovat "
    "tervetulleita. Kahvila on auki joka tiistai klo 14–16. Paikka on "
    "seurakuntatalon sali. Sinne pääsee pyörätuolilla. Kysy lisää "
    "vapaaehtoisilta.";

static void check_boxes_inside(const struct render_profile *p,
                               const struct render_page *pg)
{
    for (size_t i = 0; i < pg->n; i++) {
        const struct render_box *b = &pg->boxes[i];
        assert_true(b->x >= 0 && b->y >= 0);
        assert_true(b->x + b->w <= p->width);
        assert_true(b->y + b->h <= p->height);
    }
}

static size_t count_part(const struct render_page *pg, enum render_part part,
                         enum render_box_kind kind)
{
    size_t n = 0;
    for (size_t i = 0; i < pg->n; i++) {
        n += pg->boxes[i].part == part && pg->boxes[i].kind == kind;
    }
    return n;
}

static void layout_event_continues_never_shrinks(void **state)
{
    (void)state;
    const struct render_profile *profiles[] = {&landscape55, &portrait55};
    for (int k = 0; k < 2; k++) {
        const struct render_profile *p = profiles[k];
        struct render_sizes s;
        assert_int_equal(render_sizes_compute(p, &s), 0);
        struct render_measurer m = {fake_measure, &s};
        struct render_card c = {
            .kind = RENDER_CARD_EVENT,
            .lang = "fi",
            .plain = true,
            .category = "ihmissuhteet",
            .category_label = "Ihmissuhteet",
            .title = "Muistikahvila",
            .body = long_body,
            .when = "Tänään ti 24.11. klo 14–16",
            .where = "Seurakuntatalo, Kirkkotie 5",
            .price = "Maksuton",
            .link = "https://example.org/muistikahvila",
        };
        static struct render_layout L;
        assert_int_equal(render_layout_card(&c, p, &s, &m, &L), 0);
        assert_true(L.n_pages >= 2);
        assert_false(L.truncated);
        size_t body_chars = 0;
        for (size_t i = 0; i < L.n_pages; i++) {
            const struct render_page *pg = &L.pages[i];
            check_boxes_inside(p, pg);
            assert_true(count_part(pg, RENDER_PART_BODY, RENDER_BOX_TEXT) <=
                        RENDER_MAX_BODY_LINES);
            assert_true(count_part(pg, RENDER_PART_TITLE, RENDER_BOX_TEXT) <=
                        RENDER_MAX_TITLE_LINES);
            assert_int_equal(
                count_part(pg, RENDER_PART_FOOTER, RENDER_BOX_TEXT),
                1); /* "osa 1 / 2" */
            assert_int_equal(count_part(pg, RENDER_PART_CHIP, RENDER_BOX_TEXT),
                             1);
            assert_true(pg->dwell_ms >= 8000 && pg->dwell_ms <= 60000);
            for (size_t b = 0; b < pg->n; b++) {
                const struct render_box *bx = &pg->boxes[b];
                if (bx->kind == RENDER_BOX_TEXT) {
                    /* never shrunk: only the profile's sizes */
                    assert_true(bx->font < RENDER_FONT_COUNT);
                    assert_true(bx->h == s.body_line || bx->h == s.title_line ||
                                bx->h == s.secondary_line);
                }
                if (bx->part == RENDER_PART_BODY) {
                    body_chars += taulu_utf8_count(bx->text, bx->len);
                }
            }
        }
        /* every letter of the body is on some page */
        size_t want = 0;
        for (const char *q = long_body; *q; q++) {
            want += (*q & 0xC0) != 0x80 && *q != ' ' && *q != '\n';
        }
        size_t got = 0;
        for (size_t i = 0; i < L.n_pages; i++) {
            for (size_t b = 0; b < L.pages[i].n; b++) {
                const struct render_box *bx = &L.pages[i].boxes[b];
                if (bx->part != RENDER_PART_BODY) {
                    continue;
                }
                for (size_t j = 0; j < bx->len; j++) {
                    got += (bx->text[j] & 0xC0) != 0x80 && bx->text[j] != ' ';
                }
            }
        }
        assert_int_equal(got, want);
        assert_true(body_chars > 0);
        /* the first page has the QR code */
        assert_int_equal(count_part(&L.pages[0], RENDER_PART_QR, RENDER_BOX_QR),
                         1);
    }
}

static void layout_title_over_two_lines_continues(void **state)
{
    (void)state;
    struct render_sizes s;
    assert_int_equal(render_sizes_compute(&landscape55, &s), 0);
    struct render_measurer m = {fake_measure, &s};
    struct render_card c = {
        .kind = RENDER_CARD_BULLETIN,
        .lang = "fi",
        .title = "Tämä otsikko on aivan liian pitkä yhdelle kortille, "
                 "sillä se jatkuu ja jatkuu ja jatkuu vielä pitkään",
        .body = "Lyhyt teksti.",
    };
    static struct render_layout L;
    assert_int_equal(render_layout_card(&c, &landscape55, &s, &m, &L), 0);
    assert_true(L.n_pages >= 2);
    assert_int_equal(count_part(&L.pages[0], RENDER_PART_BODY, RENDER_BOX_TEXT),
                     0);
    for (size_t i = 0; i < L.n_pages; i++) {
        assert_true(
            count_part(&L.pages[i], RENDER_PART_TITLE, RENDER_BOX_TEXT) <= 2);
    }
}

static void layout_agenda_and_header(void **state)
{
    (void)state;
    struct render_sizes s;
    assert_int_equal(render_sizes_compute(&portrait55, &s), 0);
    struct render_measurer m = {fake_measure, &s};
    struct render_agenda_row rows[12];
    for (int i = 0; i < 12; i++) {
        rows[i].day = i < 4 ? "Tänään ti 24.11." : "Huomenna ke 25.11.";
        rows[i].time = "klo 14–16";
        rows[i].title = "Muistikahvila seurakuntatalolla";
    }
    struct render_card c = {.kind = RENDER_CARD_AGENDA,
                            .lang = "fi",
                            .title = "Tulevat tapahtumat",
                            .rows = rows,
                            .n_rows = 12};
    static struct render_layout L;
    assert_int_equal(render_layout_card(&c, &portrait55, &s, &m, &L), 0);
    size_t titles = 0;
    for (size_t i = 0; i < L.n_pages; i++) {
        check_boxes_inside(&portrait55, &L.pages[i]);
        assert_true(count_part(&L.pages[i], RENDER_PART_AGENDA_DAY,
                               RENDER_BOX_TEXT) >= 1);
        assert_true(count_part(&L.pages[i], RENDER_PART_AGENDA_TIME,
                               RENDER_BOX_TEXT) >= 1);
        for (size_t b = 0; b < L.pages[i].n; b++) {
            const struct render_box *bx = &L.pages[i].boxes[b];
            titles += bx->part == RENDER_PART_AGENDA_TITLE &&
                      bx->text == rows[0].title;
        }
    }
    assert_true(titles >= 12);
    struct render_header h = {"Tuiran hyvinvointikeskus", "ti 24.11.", "14.05",
                              "3 / 8"};
    static struct render_page hp;
    assert_int_equal(render_layout_header(&h, &portrait55, &s, &m, &hp), 0);
    assert_int_equal(count_part(&hp, RENDER_PART_HEADER, RENDER_BOX_TEXT), 4);
}

static void layout_refuses_bad_text(void **state)
{
    (void)state;
    struct render_sizes s;
    assert_int_equal(render_sizes_compute(&landscape55, &s), 0);
    struct render_measurer m = {fake_measure, &s};
    static struct render_layout L;
    struct render_card c = {.kind = RENDER_CARD_BULLETIN,
                            .title = "Otsikko\nrivinvaihto",
                            .body = "ok"};
    assert_int_equal(render_layout_card(&c, &landscape55, &s, &m, &L),
                     TAULU_EUTF8);
    c.title = "ok";
    c.body = "\xc3\x28";
    assert_int_equal(render_layout_card(&c, &landscape55, &s, &m, &L),
                     TAULU_EUTF8);
    c.body = "Rivi\nToinen rivi";
    assert_int_equal(render_layout_card(&c, &landscape55, &s, &m, &L), 0);
    c.kind = (enum render_card_kind)99;
    assert_int_equal(render_layout_card(&c, &landscape55, &s, &m, &L),
                     TAULU_EINVAL);
}

static void layout_huge_text_truncates_not_fails(void **state)
{
    (void)state;
    struct render_sizes s;
    assert_int_equal(render_sizes_compute(&landscape55, &s), 0);
    struct render_measurer m = {fake_measure, &s};
    static char body[20000];
    size_t n = 0;
    while (n + 20 < sizeof body) {
        memcpy(body + n, "Sana toinen kolmas. ", 20);
        n += 20;
    }
    body[n] = '\0';
    struct render_card c = {
        .kind = RENDER_CARD_BULLETIN, .title = "Pitkä", .body = body};
    static struct render_layout L;
    assert_int_equal(render_layout_card(&c, &landscape55, &s, &m, &L), 0);
    assert_int_equal(L.n_pages, RENDER_MAX_PAGES);
    assert_true(L.truncated);
}

/* ---- page budget ---- */

static const struct render_profile layout_profiles[] = {
    {1920, 1080, 55.0, 3.0}, {1080, 1920, 55.0, 3.0}, {1280, 720, 43.0, 2.0},
    {720, 1280, 43.0, 2.0},  {3840, 2160, 55.0, 3.0},
};
#define N_LAYOUT_PROFILES (sizeof layout_profiles / sizeof layout_profiles[0])

/* A body of `words` words in paragraphs of `per_para` words (0: one). */
static void make_body(char *buf, size_t size, int words, int per_para)
{
    static const char *w[] = {
        "Tule",   "juttelemaan",       "ja",        "juomaan",
        "kahvia", "seurakuntatalolle", "tiistaina", "läheisen",
        "kanssa", "vapaaehtoiset"};
    size_t n = 0;
    buf[0] = '\0';
    for (int i = 0; i < words; i++) {
        const char *sep = "";
        if (i > 0) {
            sep = per_para > 0 && i % per_para == 0 ? ".\n\n" : " ";
        }
        int k = snprintf(buf + n, size - n, "%s%s", sep, w[i % 10]);
        assert_true(k > 0 && (size_t)k < size - n);
        n += (size_t)k;
    }
    int k = snprintf(buf + n, size - n, ".");
    assert_true(k > 0 && (size_t)k < size - n);
}

static size_t page_body(const struct render_page *pg,
                        const struct render_box **first,
                        const struct render_box **last)
{
    size_t n = 0;
    *first = *last = NULL;
    for (size_t i = 0; i < pg->n; i++) {
        if (pg->boxes[i].part == RENDER_PART_BODY &&
            pg->boxes[i].kind == RENDER_BOX_TEXT) {
            if (!*first) {
                *first = &pg->boxes[i];
            }
            *last = &pg->boxes[i];
            n++;
        }
    }
    return n;
}

static struct render_card budget_card(bool event, const char *body)
{
    struct render_card c = {.kind = RENDER_CARD_BULLETIN,
                            .lang = "fi",
                            .plain = true,
                            .category = "ihmissuhteet",
                            .category_label = "Ihmissuhteet",
                            .title = "Muistikahvila",
                            .body = body};
    if (event) {
        c.kind = RENDER_CARD_EVENT;
        c.when = "Huomenna maanantaina 23.11. kello 14–16";
        c.where = "Seurakuntatalo, Koskitie 4";
        c.price = "Maksuton";
        c.registration = "Ei ilmoittautumista. Tule paikalle.";
        c.accessibility = "Esteetön · Induktiosilmukka";
        c.link = "https://muistiyhdistys.example.fi/kahvila";
    }
    return c;
}

/* No page starts with the last line of a paragraph that began on the page
 * before (widow), and none ends with the first line of a paragraph that
 * goes on (orphan), for bodies of one to four paragraphs of many lengths
 * on every profile. */
static void layout_no_widows_or_orphans(void **state)
{
    (void)state;
    static char body[4096];
    static struct render_layout L;
    size_t checked = 0;
    for (size_t k = 0; k < N_LAYOUT_PROFILES; k++) {
        const struct render_profile *p = &layout_profiles[k];
        struct render_sizes s;
        assert_int_equal(render_sizes_compute(p, &s), 0);
        struct render_measurer m = {fake_measure, &s};
        for (int ev = 0; ev < 2; ev++) {
            for (int per = 0; per <= 24; per += 8) {
                for (int words = 4; words <= 90; words += 3) {
                    make_body(body, sizeof body, words, per);
                    struct render_card c = budget_card(ev, body);
                    assert_int_equal(render_layout_card(&c, p, &s, &m, &L), 0);
                    for (size_t i = 0; i + 1 < L.n_pages; i++) {
                        const struct render_box *f, *l, *nf, *nl;
                        size_t n = page_body(&L.pages[i], &f, &l);
                        size_t nn = page_body(&L.pages[i + 1], &nf, &nl);
                        if (n == 0 || nn == 0) {
                            continue;
                        }
                        checked++;
                        bool split = !(l->flags & RENDER_LINE_PARA_END);
                        /* widow: the paragraph's only line on the next
                         * page; fine if the page before held one line of
                         * it only (no move could help) */
                        bool next_is_last =
                            (nf->flags & RENDER_LINE_PARA_END) || nn == 1;
                        if (split && next_is_last && n >= 2) {
                            fail_msg(
                                "widow: profile %zu, %d words/%d, page %zu", k,
                                words, per, i + 2);
                        }
                        /* orphan: the page's last line starts a paragraph
                         * that goes on */
                        if (split && n >= 2) {
                            const struct render_box *prev = l - 1;
                            while (prev->part != RENDER_PART_BODY) {
                                prev--;
                            }
                            if (prev->flags & RENDER_LINE_PARA_END) {
                                fail_msg("orphan: profile %zu, %d words/%d, "
                                         "page %zu",
                                         k, words, per, i + 1);
                            }
                        }
                    }
                }
            }
        }
    }
    assert_true(checked > 100);
}

/* The page count follows the body: a single paragraph of N lines never
 * makes a page with fewer than 2 body lines (unless the body is one line),
 * the count never falls as the body grows, and a body of at most 7 lines
 * needs at most two pages. */
static void layout_page_count_proportional(void **state)
{
    (void)state;
    static char body[4096];
    static struct render_layout L;
    for (size_t k = 0; k < N_LAYOUT_PROFILES; k++) {
        const struct render_profile *p = &layout_profiles[k];
        struct render_sizes s;
        assert_int_equal(render_sizes_compute(p, &s), 0);
        struct render_measurer m = {fake_measure, &s};
        for (int ev = 0; ev < 2; ev++) {
            size_t prev_pages = 1;
            for (int words = 1; words <= 120; words++) {
                make_body(body, sizeof body, words, 0);
                struct render_card c = budget_card(ev, body);
                assert_int_equal(render_layout_card(&c, p, &s, &m, &L), 0);
                if (L.truncated) {
                    break;
                }
                size_t total = 0;
                for (size_t i = 0; i < L.n_pages; i++) {
                    const struct render_box *f, *l;
                    size_t n = page_body(&L.pages[i], &f, &l);
                    total += n;
                    if (L.n_pages > 1 && n < 2) {
                        fail_msg("profile %zu ev %d words %d: page %zu has "
                                 "%zu body lines",
                                 k, ev, words, i + 1, n);
                    }
                }
                assert_true(L.n_pages >= prev_pages);
                prev_pages = L.n_pages;
                if (total <= RENDER_MAX_BODY_LINES) {
                    assert_true(L.n_pages <= 2);
                }
                /* at least 2 lines a page on average */
                assert_true(L.n_pages <= 1 + total / 2);
            }
        }
    }
}

/* Continuation pages carry no event rows, QR code or image when the rows
 * fit the first page (as these do): they are for the body, under the title
 * again. Rows that do not fit: layout_every_event_row_shown. */
static void layout_continuation_is_body_only(void **state)
{
    (void)state;
    static struct render_layout L;
    for (size_t k = 0; k < N_LAYOUT_PROFILES; k++) {
        const struct render_profile *p = &layout_profiles[k];
        struct render_sizes s;
        assert_int_equal(render_sizes_compute(p, &s), 0);
        struct render_measurer m = {fake_measure, &s};
        struct render_card c = budget_card(true, long_body);
        assert_int_equal(render_layout_card(&c, p, &s, &m, &L), 0);
        assert_true(L.n_pages >= 2);
        size_t qr = 0;
        for (size_t i = 0; i < L.n_pages; i++) {
            const struct render_page *pg = &L.pages[i];
            check_boxes_inside(p, pg);
            qr += count_part(pg, RENDER_PART_QR, RENDER_BOX_QR);
            assert_int_equal(count_part(pg, RENDER_PART_TITLE, RENDER_BOX_TEXT),
                             1);
            if (i > 0) {
                assert_int_equal(
                    count_part(pg, RENDER_PART_META, RENDER_BOX_TEXT), 0);
                assert_true(count_part(pg, RENDER_PART_BODY, RENDER_BOX_TEXT) >=
                            2);
            }
        }
        assert_int_equal(qr, 1); /* exactly once */
    }
}

/* Appends the non-space bytes of s[0..len) to out. */
static void squeeze(char *out, size_t size, size_t *n, const char *s,
                    size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (s[i] != ' ') {
            assert_true(*n + 1 < size);
            out[(*n)++] = s[i];
        }
    }
    out[*n] = '\0';
}

/* Every event row is set exactly once, whole and in order, on every
 * profile, for short and long bodies and for rows that do not fit the first
 * page (long place and registration texts, up to the server's 300
 * characters): rows that do not fit the first page follow the body on the
 * last page, under its last body line; no page has a QR code but the first
 * and, when a portrait card puts it there, the last. An image is on some
 * page exactly once, however full the side column is. */
static void layout_every_event_row_shown(void **state)
{
    (void)state;
    static char body[4096];
    static struct render_layout L;
    static const char *long_reg =
        "Ilmoittautuminen: ilmoittaudu viimeistään edellisenä päivänä "
        "kello 12 mennessä puhelimitse numeroon 040 123 4567 tai "
        "sähköpostilla osoitteeseen kahvila@muistiyhdistys.example.fi. "
        "Kerro samalla, tarvitsetko avustajan, pyörätuolipaikan, "
        "tulkin tai erityisruokavalion. Voit myös tulla ilman "
        "ilmoittautumista, jos tilaa on.";
    static const char *long_where =
        "Seurakuntatalon iso sali, toinen kerros, Koskitie 4, 90100 Oulu; "
        "sisäänkäynti pihan puolelta";
    size_t tails = 0;
    for (size_t k = 0; k < N_LAYOUT_PROFILES; k++) {
        const struct render_profile *p = &layout_profiles[k];
        struct render_sizes s;
        assert_int_equal(render_sizes_compute(p, &s), 0);
        struct render_measurer m = {fake_measure, &s};
        for (int variant = 0; variant < 5; variant++) {
            for (int words = 0; words <= 100; words += 5) {
                make_body(body, sizeof body, words, 12);
                struct render_card c = budget_card(true, words ? body : NULL);
                if (variant >= 1) {
                    c.registration = long_reg;
                }
                if (variant == 2 || variant == 4) {
                    c.where = long_where;
                }
                if (variant >= 3) {
                    c.image.path = "kahvila.png";
                    c.image.alt = "Pöytiä ja kahvikuppeja";
                    c.image.caption = "Kahvila seurakuntatalon salissa";
                }
                assert_int_equal(render_layout_card(&c, p, &s, &m, &L), 0);
                if (L.truncated) {
                    continue;
                }
                const char *rows[] = {c.when, c.where, c.price, c.registration,
                                      c.accessibility};
                char want[2048], got[2048];
                size_t nw = 0, ng = 0;
                want[0] = got[0] = '\0';
                for (size_t r = 0; r < 5; r++) {
                    squeeze(want, sizeof want, &nw, rows[r], strlen(rows[r]));
                }
                size_t last_body = 0, images = 0;
                for (size_t i = 0; i < L.n_pages; i++) {
                    images += count_part(&L.pages[i], RENDER_PART_IMAGE,
                                         RENDER_BOX_IMAGE);
                    if (count_part(&L.pages[i], RENDER_PART_BODY,
                                   RENDER_BOX_TEXT) > 0) {
                        last_body = i;
                    }
                }
                for (size_t i = 0; i < L.n_pages; i++) {
                    const struct render_page *pg = &L.pages[i];
                    check_boxes_inside(p, pg);
                    int body_end = 0, meta_top = -1;
                    for (size_t b = 0; b < pg->n; b++) {
                        const struct render_box *bx = &pg->boxes[b];
                        if (bx->part == RENDER_PART_BODY) {
                            body_end = bx->y + bx->h;
                        }
                        if (bx->part != RENDER_PART_META) {
                            continue;
                        }
                        if (meta_top < 0) {
                            meta_top = bx->y;
                        }
                        squeeze(got, sizeof got, &ng, bx->text, bx->len);
                    }
                    if (i > 0 && meta_top >= 0) {
                        /* rows after page one: from the last page with
                         * body, under its body */
                        if (i < last_body || meta_top < body_end) {
                            fail_msg("profile %zu variant %d words %d: rows "
                                     "on page %zu of %zu",
                                     k, variant, words, i + 1, L.n_pages);
                        }
                        tails++;
                    }
                    if (i > 0 && i + 1 < L.n_pages) {
                        assert_int_equal(
                            count_part(pg, RENDER_PART_QR, RENDER_BOX_QR), 0);
                    }
                }
                if (strcmp(want, got) != 0) {
                    fail_msg("profile %zu variant %d words %d: rows set "
                             "\"%s\", want \"%s\"",
                             k, variant, words, got, want);
                }
                /* the image too: on some page, once */
                if (images != (variant >= 3 ? 1u : 0u)) {
                    fail_msg("profile %zu variant %d words %d: %zu images", k,
                             variant, words, images);
                }
            }
        }
    }
    /* the long rows did go after the body somewhere */
    assert_true(tails > 10);
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
        cmocka_unit_test(layout_event_continues_never_shrinks),
        cmocka_unit_test(layout_title_over_two_lines_continues),
        cmocka_unit_test(layout_agenda_and_header),
        cmocka_unit_test(layout_refuses_bad_text),
        cmocka_unit_test(layout_huge_text_truncates_not_fails),
        cmocka_unit_test(layout_no_widows_or_orphans),
        cmocka_unit_test(layout_page_count_proportional),
        cmocka_unit_test(layout_continuation_is_body_only),
        cmocka_unit_test(layout_every_event_row_shown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
