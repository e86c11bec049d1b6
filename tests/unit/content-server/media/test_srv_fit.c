/*
 * test_srv_fit.c: the checker's fit hook on the renderer's real layout and
 * fonts (srv_render.c): line counts and cuts from the layout, the profile
 * named where text stops fitting, a shorter viewing distance that fits,
 * a title of three lines, a card that needs a continuation page, and the
 * findings the checker makes of it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <setjmp.h>
#include <cmocka.h>

#include "check.h"
#include "srv_render.h"
#include "taulu_utf8.h"
#include "taulu_err.h"

static struct srv_render *sr;
static struct check_engine *eng;

/* About nine lines of 87 px Atkinson in a 1832 px column, about six at the
 * 44 px of a 1.5 m viewing distance (60 characters a line). */
static const char nine[] =
    "Tule mukaan kävelylle. Lähdemme pihalta yhdessä. Kävelemme puistoon "
    "ja takaisin. Matka on noin kaksi kilometriä. Voit kävellä omaan "
    "tahtiin. Kukaan ei jää yksin. Ota mukaan hyvät kengät ja vettä. Sade "
    "ei haittaa. Juomme lopuksi mehua. Ryhmään ei tarvitse ilmoittautua. "
    "Ohjaaja on paikalla aina ennen lähtöä. Kysy häneltä lisää. Tervetuloa "
    "mukaan!";

static int setup(void **state)
{
    const char *src = getenv("TAULU_SOURCE_DIR");
    char dir[1024];
    int err;

    (void)state;
    snprintf(dir, sizeof(dir), "%s/fonts", src ? src : ".");
    if (srv_render_new(dir, &sr) != 0) {
        return -1;
    }
    eng = check_engine_new(NULL, &err);
    return eng ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    srv_render_free(sr);
    check_engine_free(eng);
    return 0;
}

static struct render_card bulletin(const char *title, const char *body)
{
    struct render_card c;

    memset(&c, 0, sizeof(c));
    c.kind = RENDER_CARD_BULLETIN;
    c.lang = "fi";
    c.plain = true;
    c.title = title;
    c.body = body;
    return c;
}

static void facts_from_layout(void **state)
{
    struct srv_profile far, near;
    struct render_card c = bulletin("Kävelyryhmä", nine);
    struct srv_fit_facts f;

    (void)state;
    srv_profile_set(&far, NULL, "Tuira", 1920, 1080, 55, 3);
    srv_profile_set(&near, NULL, "Raahe", 1920, 1080, 55, 1.5);
    assert_string_equal(far.name, "Tuira, 55\" 1920\xc3\x97"
                                  "1080, 3 m");
    assert_string_equal(near.name, "Raahe, 55\" 1920\xc3\x97"
                                   "1080, 1.5 m");

    assert_int_equal(srv_render_fit(sr, &far.rp, &c, &f), 0);
    assert_int_equal(f.title_lines, 1);
    assert_true(f.body_lines >= 8);
    /* the cut is the start of line 8, a word start inside the body */
    assert_true(f.body_cut > 0 && f.body_cut < strlen(nine));
    assert_true(nine[f.body_cut - 1] == ' ');
    assert_true(f.n_pages >= 2);

    assert_int_equal(srv_render_fit(sr, &near.rp, &c, &f), 0);
    assert_true(f.body_lines <= 7);
    assert_int_equal(f.body_cut, strlen(nine));
    assert_int_equal(f.n_pages, 1);
}

static void measure_names_the_profile(void **state)
{
    struct srv_profile p[2];
    struct render_card c = bulletin("Kävelyryhmä", nine);
    struct srv_fit_ctx ctx = {sr, &c, p, 2};
    struct check_fit_report rep;
    struct srv_fit_facts f;

    (void)state;
    srv_profile_set(&p[0], NULL, "Raahe", 1920, 1080, 55, 1.5);
    srv_profile_set(&p[1], NULL, "Tuira", 1920, 1080, 55, 3);
    assert_int_equal(srv_fit_measure(&ctx, NULL, &rep), 0);
    assert_int_equal(rep.fits, 0);
    assert_int_equal(rep.title_overflow, 0);
    assert_int_equal(rep.overflow_line, 8);
    assert_string_equal(rep.profile, p[1].name);
    assert_int_equal(srv_render_fit(sr, &p[1].rp, &c, &f), 0);
    assert_int_equal(rep.overflow_byte, f.body_cut);
    assert_int_equal(rep.overflow_lines, f.body_lines - 7);

    /* only the near screen: it fits on one page */
    ctx.n_profiles = 1;
    assert_int_equal(srv_fit_measure(&ctx, NULL, &rep), 0);
    assert_int_equal(rep.fits, 1);
    assert_int_equal(rep.continues, 0);
}

static void title_of_three_lines(void **state)
{
    static const char title[] =
        "Kävelyryhmä kokoontuu taas puistossa joka tiistai ja torstai koko "
        "syksyn ajan";
    struct srv_profile p;
    struct render_card c = bulletin(title, "Tule mukaan.");
    struct srv_fit_ctx ctx = {sr, &c, &p, 1};
    struct check_fit_report rep;

    (void)state;
    srv_profile_set(&p, NULL, "Tuira", 1080, 1920, 55, 3);
    assert_int_equal(srv_fit_measure(&ctx, NULL, &rep), 0);
    assert_int_equal(rep.fits, 0);
    assert_int_equal(rep.title_overflow, 1);
    assert_int_equal(rep.overflow_line, 3);
    assert_true(rep.overflow_byte > 0 && rep.overflow_byte < strlen(title));
    assert_true(title[rep.overflow_byte - 1] == ' ');
}

/* Four sentences under five event rows and a QR code: within 7 lines, but
 * more than the first portrait page holds beside its furniture. (Two
 * sentences fit one page since continuation pages stopped repeating the
 * event rows and the QR code's band was allowed beside the rows.) */
static void long_event_continues(void **state)
{
    struct srv_profile p;
    struct render_card c =
        bulletin("Muistikahvila", "Tule juttelemaan ja juomaan kahvia. "
                                  "Voit tuoda läheisen mukaan. Kahvi on "
                                  "valmiina. Vapaaehtoiset auttavat "
                                  "tarvittaessa.");
    struct srv_fit_ctx ctx = {sr, &c, &p, 1};
    struct check_fit_report rep;

    (void)state;
    c.kind = RENDER_CARD_EVENT;
    c.when = "Tänään ti 1.12. klo 14–16";
    c.where = "Tuiran seurakuntatalo, Kirkkotie 5, sali 2";
    c.price = "Maksuton";
    c.registration = "Ilmoittautuminen: ei tarvitse ilmoittautua";
    c.accessibility = "Esteetön \xc2\xb7 Induktiosilmukka";
    c.link = "https://muisti.example.fi/kahvila";
    srv_profile_set(&p, NULL, "Kaakkuri", 1080, 1920, 55, 3);
    assert_int_equal(srv_fit_measure(&ctx, NULL, &rep), 0);
    assert_int_equal(rep.fits, 1);
    assert_int_equal(rep.continues, 1);
    assert_string_equal(rep.continues_profile, p.name);
    assert_true(rep.continues_byte <= strlen(c.body));
}

/* The checker turns the reports into findings with exact spans. */
static void findings_of_the_checker(void **state)
{
    struct srv_profile p;
    struct render_card c = bulletin("Kävelyryhmä", nine);
    struct srv_fit_ctx ctx = {sr, &c, &p, 1};
    struct check_fit fit = {srv_fit_measure, &ctx};
    struct check_input in;
    struct check_result res;
    struct srv_fit_facts f;
    const struct check_finding *hit = NULL;
    size_t i;

    (void)state;
    srv_profile_set(&p, NULL, "Tuira", 1920, 1080, 55, 3);
    assert_int_equal(srv_render_fit(sr, &p.rp, &c, &f), 0);
    memset(&in, 0, sizeof(in));
    in.lang = "fi";
    in.plain_language = 1;
    in.title = c.title;
    in.title_len = strlen(c.title);
    in.body = nine;
    in.body_len = strlen(nine);
    in.has_organisation = 1;
    in.has_contact = 1;
    in.now = 1764000000;
    in.display_until = in.now + 86400;
    in.fit = &fit;
    check_result_init(&res);
    assert_int_equal(check_run(eng, &in, &res), 0);
    assert_int_equal(res.summary.fit_checked, 1);
    for (i = 0; i < res.count; i++) {
        if (strcmp(res.findings[i].code, "text_does_not_fit") == 0) {
            hit = &res.findings[i];
        }
    }
    if (!hit) {
        fail_msg("no text_does_not_fit finding");
        return;
    }
    assert_int_equal(hit->severity, CHECK_ERROR);
    assert_int_equal(hit->field, CHECK_FIELD_BODY);
    assert_int_equal(hit->span.byte_start, f.body_cut);
    assert_int_equal(hit->span.byte_end, strlen(nine));
    /* The screen in words in the message, its figures in the details. */
    assert_non_null(strstr(hit->message[CHECK_MSG_FI],
                           "Tuira, vaakanäyttö (55 tuumaa), luetaan 3 metrin "
                           "päästä"));
    assert_null(strstr(hit->message[CHECK_MSG_FI], p.name));
    assert_non_null(hit->details[CHECK_MSG_FI]);
    assert_non_null(strstr(hit->details[CHECK_MSG_FI], p.name));
    assert_non_null(strstr(hit->message[CHECK_MSG_FI], "Rivi 8"));
    assert_non_null(strstr(hit->message[CHECK_MSG_EN], "Line 8"));
    assert_int_equal(res.summary.light, CHECK_RED);
    check_result_release(&res);
}

/* The profile in words: orientation, inches, the reading distance with
 * the language's decimal mark; a long centre name is cut between
 * characters. */
static void profile_in_words(void **state)
{
    struct srv_profile p;
    char w[CHECK_MSG_LANGS][CHECK_FIT_PROFILE_MAX];
    char longname[200];

    (void)state;
    srv_profile_set(&p, NULL, "Raahen sote-keskus", 1080, 1920, 43, 2.5);
    srv_profile_words(&p, w);
    assert_string_equal(w[CHECK_MSG_FI], "Raahen sote-keskus, pystynäyttö (43 "
                                         "tuumaa), luetaan 2,5 metrin päästä");
    assert_string_equal(w[CHECK_MSG_SV], "Raahen sote-keskus, stående skärm "
                                         "(43 tum), läses på 2,5 meters "
                                         "avstånd");
    assert_string_equal(w[CHECK_MSG_EN], "Raahen sote-keskus, portrait screen "
                                         "(43 inches), read from 2.5 metres "
                                         "away");
    srv_profile_set(&p, NULL, NULL, 1920, 1080, 42.5, 3);
    srv_profile_words(&p, w);
    assert_string_equal(w[CHECK_MSG_FI],
                        "vaakanäyttö (42,5 tuumaa), luetaan 3 metrin päästä");
    /* 60 "ä" (120 bytes) and the rest: cut before a broken character. */
    memset(longname, 0, sizeof(longname));
    for (int i = 0; i < 60; i++) {
        memcpy(longname + 2 * i, "\xc3\xa4", 2);
    }
    srv_profile_set(&p, NULL, longname, 1920, 1080, 55, 3);
    srv_profile_words(&p, w);
    for (int l = 0; l < CHECK_MSG_LANGS; l++) {
        assert_true(strlen(w[l]) < CHECK_FIT_PROFILE_MAX);
        assert_true(strlen(w[l]) >= CHECK_FIT_PROFILE_MAX - 4);
        assert_int_equal(taulu_utf8_valid(w[l], strlen(w[l])), 1);
    }
}

static void png_round_trip(void **state)
{
    struct srv_profile p;
    struct render_card c = bulletin("Kävelyryhmä", "Tule mukaan.");
    struct render_header h = {"Tuira", "ti 1.12.", "14.05", NULL, NULL};
    struct taulu_buf png;
    size_t pages = 0;

    (void)state;
    taulu_buf_init(&png, 8u << 20);
    srv_profile_set(&p, NULL, "Tuira", 1080, 1920, 43, 2.5);
    assert_int_equal(srv_render_png(sr, &p.rp, &c, &h, 0, &pages, &png), 0);
    assert_int_equal(pages, 1);
    assert_true(png.len > 8);
    assert_memory_equal(png.data, "\x89PNG\r\n\x1a\n", 8);
    assert_int_equal(srv_render_png(sr, &p.rp, &c, &h, 1, &pages, &png),
                     TAULU_EINVAL);
    taulu_buf_release(&png);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(facts_from_layout),
        cmocka_unit_test(measure_names_the_profile),
        cmocka_unit_test(title_of_three_lines),
        cmocka_unit_test(long_event_continues),
        cmocka_unit_test(findings_of_the_checker),
        cmocka_unit_test(profile_in_words),
        cmocka_unit_test(png_round_trip),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
