/*
 * test_render_sweep.c: the layout's rules over the screens a county may
 * have and the cards its volunteers may write, with the fake measurer
 * (half an em per code point), no SDL.
 *
 * Profiles: 22" to 86", 1280x720 to 3840x2160, landscape and portrait,
 * viewing distances of 1 to 6 m. Cards: bulletins, events, alerts and
 * agendas in Finnish and Swedish, every field from absent to the API's
 * most (title 120, body 2000, place 200, price 100, registration 300,
 * contact 200 characters, organisation 200, link 2048), with long
 * compounds with and without soft hyphens, phone numbers, dates, web and
 * mail addresses, with and without an image and a QR code, agendas of 0
 * to 30 rows. Every layout must pass rc_check_layout (render_check.h):
 * on one page, or on pages with the reason, or "cannot" with the reason;
 * nothing overlapping or in the safe margin, every word of every field
 * once and in order, no word cut without a hyphen, every text at least
 * 0.7 degrees, no agenda page without a row. And every header passes
 * rc_check_header.
 *
 * The combinations are drawn with a fixed seed, so a failure is repeated
 * by running the test again; the message names the profile and the card.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "card_layout.h"
#include "render_check.h"
#include "sizing.h"

/* Field maxima of the server's API (content-server/api/srv_api_items.c)
 * and the manifest (common/taulu_manifest.h). */
#define MAX_TITLE        120
#define MAX_BODY         2000
#define MAX_PLACE        200
#define MAX_PRICE        100
#define MAX_REGISTRATION 300
#define MAX_CONTACT      200
#define MAX_ORG          200
#define MAX_LINK         2048
#define MAX_CAPTION      120

static uint32_t rng = 20241124u;

static uint32_t next_rand(void)
{
    rng = rng * 1664525u + 1013904223u;
    return rng >> 8;
}

static uint32_t pick(uint32_t n)
{
    return next_rand() % n;
}

/* Sentences of our own, as volunteers write them. */
static const char *const fi_sentences[] = {
    "Tule juttelemaan ja juomaan kahvia.",
    "Voit tuoda läheisen mukaan.",
    "Kahvilassa on induktiosilmukka ja esteetön sisäänkäynti.",
    "Soita numeroon 040 123 4567, jos haluat kysyä lisää.",
    "Ryhmä kokoontuu tiistaina 24.11. klo 14–16 seurakuntatalolla.",
    "Omaishoitajavalmennusryhmätapaaminen on kaikille avoin.",
    "Omais\xc2\xadhoitaja\xc2\xadryhmä\xc2\xadtapaaminen alkaa pian.",
    "Vertaistukitoimintamahdollisuuksista kerrotaan lisää syksyllä.",
    "Ilmoittaudu viimeistään maanantaina 23.11. kello 12.",
    "Kahvi ja pulla maksavat 2 €.",
    "Lisätietoja saat osoitteesta kahvila@muistiyhdistys.example.fi.",
    "Esteetön \xc2\xb7 Induktiosilmukka \xc2\xb7 Kahvio",
    "Tervetuloa mukaan!",
    "Kansalaisopistonyhteistyökumppanuussopimusneuvottelut jatkuvat.",
};
static const char *const sv_sentences[] = {
    "Välkommen att prata och dricka kaffe.",
    "Du kan ta med en anhörig.",
    "Influensavaccinationerna börjar tisdagen den 24.11 kl. 9.00.",
    "Influensa\xc2\xadvaccinationerna ordnas i hälsostationen.",
    "Ring 040 765 4321 om du har frågor.",
    "Kören övar i församlingshemmet varje onsdag kl. 16.00–18.00.",
    "Närståendevårdarträffarna ordnas tillsammans med kommunen.",
    "Närstående\xc2\xadvårdar\xc2\xadträffarna är öppna för alla.",
    "Boka tid i förväg på https://www.example.fi/boka/tid.",
    "Kaffe och bulle kostar 2 €.",
    "Hinderfri \xc2\xb7 Induktionsslinga",
    "Välkommen!",
};

/* Sentences in `lang` up to `max` bytes, cut at a space; "\n\n" between
 * paragraphs now and then when `paras`. */
static void fill(char *buf, size_t max, const char *lang, bool paras)
{
    bool sv = strcmp(lang, "sv") == 0;
    const char *const *src = sv ? sv_sentences : fi_sentences;
    size_t n_src = sv ? sizeof sv_sentences / sizeof sv_sentences[0]
                      : sizeof fi_sentences / sizeof fi_sentences[0];
    size_t n = 0;
    buf[0] = '\0';
    while (n < max) {
        const char *s = src[pick((uint32_t)n_src)];
        const char *sep = n == 0 ? "" : paras && pick(4) == 0 ? "\n\n" : " ";
        size_t need = strlen(sep) + strlen(s);
        if (n + need > max) {
            break;
        }
        memcpy(buf + n, sep, strlen(sep));
        memcpy(buf + n + strlen(sep), s, strlen(s));
        n += need;
        buf[n] = '\0';
    }
    if (n == 0) {
        /* not even one sentence: the start of one, cut at a space */
        const char *s = src[0];
        size_t k = strlen(s) < max ? strlen(s) : max;
        while (k > 0 && k < strlen(s) && s[k] != ' ') {
            k--;
        }
        memcpy(buf, s, k);
        buf[k] = '\0';
    }
}

/* A field's length: absent, short, medium or the API's most. */
static size_t length_class(size_t max)
{
    switch (pick(4)) {
    case 0:
        return 0;
    case 1:
        return max / 8 + 1;
    case 2:
        return max / 3;
    default:
        return max;
    }
}

struct gen {
    char title[MAX_TITLE + 1], body[MAX_BODY + 1], where[MAX_PLACE + 1],
        price[MAX_PRICE + 1], reg[MAX_REGISTRATION + 1],
        contact[MAX_CONTACT + 1], org[MAX_ORG + 1], link[MAX_LINK + 1],
        caption[MAX_CAPTION + 1];
    struct render_agenda_row rows[30];
    char row_title[30][MAX_TITLE + 1];
    struct render_card card;
};

static uint8_t pixels[16 * 9 * 4];

static const char *field(char *buf, size_t max, const char *lang, bool paras)
{
    size_t len = length_class(max);
    if (len == 0) {
        return NULL;
    }
    fill(buf, len, lang, paras);
    return buf[0] ? buf : NULL;
}

static void gen_card(struct gen *g, int kind)
{
    static const char *const days_fi[] = {"Tänään ti 24.11.",
                                          "Huomenna ke 25.11.", "to 26.11."};
    static const char *const days_sv[] = {"I dag tis 24.11",
                                          "I morgon ons 25.11", "tor 26.11"};
    static const char *const times[] = {"klo 9.30–11", "klo 14–16", "klo 12",
                                        "kl. 16.00–18.00", "kl. 9.00"};
    const char *lang = pick(2) ? "fi" : "sv";
    bool sv = lang[0] == 's';
    struct render_card *c = &g->card;
    memset(c, 0, sizeof *c);
    c->lang = lang;
    c->plain = pick(2);
    if (pick(5)) {
        c->category = sv ? "terveys-hyvinvointi" : "ihmissuhteet";
        c->category_label = sv ? "Hälsa" : "Ihmissuhteet";
    }
    size_t tl = pick(3) == 0 ? MAX_TITLE : 10 + pick(40);
    fill(g->title, tl, lang, false);
    c->title = g->title[0] ? g->title : "Otsikko";
    if (kind == 3) {
        c->kind = RENDER_CARD_AGENDA;
        c->n_rows = pick(31);
        c->rows = g->rows;
        c->body = sv ? "Inga evenemang den här veckan." : "Ei tapahtumia.";
        for (size_t i = 0; i < c->n_rows; i++) {
            fill(g->row_title[i], pick(3) ? 10 + pick(40) : MAX_TITLE, lang,
                 false);
            g->rows[i].day = (sv ? days_sv : days_fi)[i * 3 / (c->n_rows + 1)];
            g->rows[i].time = pick(6) ? times[pick(5)] : NULL;
            g->rows[i].title = g->row_title[i];
        }
        return;
    }
    c->kind = kind == 0   ? RENDER_CARD_BULLETIN
              : kind == 1 ? RENDER_CARD_EVENT
                          : RENDER_CARD_ALERT;
    c->body = field(g->body, MAX_BODY, lang, true);
    if (kind == 1) {
        c->when = sv ? "I dag tis 24.11 kl. 16.00–18.00"
                     : "Tänään ti 24.11. klo 14–16";
        /* a repeating event's rule in words, the row under the when */
        c->repeat = pick(2) ? (sv ? "varannan onsdag kl. 10.00–11.30"
                                  : "joka toinen keskiviikko klo 10–11.30")
                            : NULL;
        c->where = field(g->where, MAX_PLACE, lang, false);
        c->price = field(g->price, MAX_PRICE, lang, false);
        c->registration = field(g->reg, MAX_REGISTRATION, lang, false);
        c->accessibility = pick(2) ? (sv ? "Hinderfri \xc2\xb7 Induktionsslinga"
                                         : "Esteetön \xc2\xb7 Induktiosilmukka")
                                   : NULL;
    }
    if (kind != 2) {
        c->organisation = field(g->org, MAX_ORG, lang, false);
        c->contact = pick(2) ? (sv ? "tfn 040 765 4321" : "puh. 040 123 4567")
                             : field(g->contact, MAX_CONTACT, lang, false);
        if (pick(2)) {
            size_t n = pick(2) ? 40 : MAX_LINK;
            memcpy(g->link, "https://example.fi/", 19);
            memset(g->link + 19, 'a', n - 19);
            g->link[n] = '\0';
            c->link = g->link;
        }
        if (pick(3) == 0) {
            c->image.key = "sweep";
            c->image.rgba = pixels;
            c->image.width = 16;
            c->image.height = 9;
            c->image.stride = 16 * 4;
            c->image.alt = sv ? "Bild" : "Kuva";
            c->image.caption = field(g->caption, MAX_CAPTION, lang, false);
        }
    }
}

/* What a failing card was, for repeating it. */
static void dump(const struct render_card *c)
{
    const char *f[] = {c->title,        c->body,          c->when,
                       c->repeat,       c->where,         c->price,
                       c->registration, c->accessibility, c->organisation,
                       c->contact,      c->image.caption};
    const char *n[] = {"title", "body",   "when", "repeat",  "where",  "price",
                       "reg",   "access", "org",  "contact", "caption"};
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
        if (f[i]) {
            printf("  %s: \"%s\"\n", n[i], f[i]);
        }
    }
    printf("  link %zu bytes, image %s, %zu rows\n",
           c->link ? strlen(c->link) : 0, c->image.rgba ? "yes" : "no",
           c->n_rows);
    for (size_t i = 0; i < c->n_rows; i++) {
        printf("  row %zu: %s | %s | %s\n", i, c->rows[i].day,
               c->rows[i].time ? c->rows[i].time : "-", c->rows[i].title);
    }
    fflush(stdout);
}

static const double diagonals[] = {22, 32, 43, 55, 65, 75, 86};
static const int resolutions[][2] = {
    {1280, 720}, {1920, 1080}, {2560, 1440}, {3840, 2160}};
static const double distances[] = {1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0};

/* Cards a profile gets: a bulletin, event or alert, an event, and on
 * every other profile an agenda (about 1,100 layouts, a few seconds, under
 * 30 s with ASan). TAULU_SWEEP_CARDS=n asks for n a profile (the 4th an
 * agenda) for a deeper run. */
#define CARDS_PER_PROFILE 3

static void sweep(void **state)
{
    (void)state;
    static struct gen g;
    static struct render_layout L;
    static struct render_page hp;
    size_t layouts = 0, one = 0, pages = 0, cannot = 0;
    const char *env = getenv("TAULU_SWEEP_CARDS");
    long want = env ? strtol(env, NULL, 10) : 0;
    int per_profile = want > 0 && want < 1000 ? (int)want : CARDS_PER_PROFILE;
    const char *names[][2] = {
        {"Tuiran hyvinvointikeskus", NULL},
        {"Tuiran hyvinvointikeskus", "Tuira"},
        {"Raahe", NULL},
        {"Oulunsalon sosiaali- ja terveysasema", "Oulunsalo"}};
    for (size_t d = 0; d < sizeof diagonals / sizeof diagonals[0]; d++) {
        for (size_t r = 0; r < 4; r++) {
            for (int portrait = 0; portrait < 2; portrait++) {
                for (size_t k = 0; k < sizeof distances / sizeof distances[0];
                     k++) {
                    struct render_profile p = {resolutions[r][portrait],
                                               resolutions[r][!portrait],
                                               diagonals[d], distances[k]};
                    struct render_sizes s;
                    assert_int_equal(render_sizes_compute(&p, &s), 0);
                    struct render_measurer m = {rc_fake_measure, &s};
                    struct render_frame fr;
                    render_frame_compute(&p, &s, &m, &fr);
                    struct render_header h = {
                        names[k % 4][0], "ke 25.11.", "14.05",
                        r % 2 ? "10 / 12" : "3 / 8", names[k % 4][1]};
                    assert_int_equal(render_layout_header(&h, &p, &s, &m, &hp),
                                     0);
                    const char *e = rc_check_header(&h, &p, &s, &fr, &hp);
                    if (e) {
                        fail_msg("%gin %dx%d at %g m: header: %s",
                                 p.diagonal_in, p.width, p.height, p.distance_m,
                                 e);
                    }
                    for (int i = 0; i < per_profile; i++) {
                        uint32_t seed = rng;
                        int kind = i == 0 ? (int)pick(3) : i == 1 ? 1 : 3;
                        if (per_profile > CARDS_PER_PROFILE) {
                            kind = i < 3 ? (int)pick(3) : i == 3 ? 3 : 1;
                        } else if (kind == 3 && (k + d) % 2) {
                            continue; /* an agenda on every other one */
                        }
                        gen_card(&g, kind);
                        int rc = render_layout_card(&g.card, &p, &s, &m, &L);
                        if (rc != 0) {
                            fail_msg("layout failed: %d", rc);
                        }
                        e = rc_check_layout(&g.card, &p, &s, &fr, &L);
                        if (e) {
                            dump(&g.card);
                            fail_msg("%gin %dx%d at %g m, card kind %d "
                                     "(seed %u): %s",
                                     p.diagonal_in, p.width, p.height,
                                     p.distance_m, (int)g.card.kind, seed, e);
                        }
                        layouts++;
                        one += L.verdict.fit == RENDER_FIT_ONE_PAGE;
                        pages += L.verdict.fit == RENDER_FIT_PAGES;
                        cannot += L.verdict.fit == RENDER_FIT_CANNOT;
                    }
                }
            }
        }
    }
    printf("sweep: %zu layouts: %zu on one page, %zu on pages, %zu cannot\n",
           layouts, one, pages, cannot);
    /* the sweep covers all three verdicts */
    assert_true(one > 0 && pages > 0 && cannot > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sweep),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
