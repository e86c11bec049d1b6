/*
 * test_srv_fit.c: the checker's fit hook on the renderer's real layout and
 * fonts (srv_render.c): the renderer's verdict read as the player reads it
 * (render_verdict_gate), the screen named where the card does not fit one
 * page, a shorter viewing distance that fits, a title of three lines, the
 * short screen text as the field checked, a long word with and without
 * the server's soft hyphens (spans mapped back onto the text as written),
 * the findings the checker makes of it, and what a profile holds.
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

static struct taulu_card_version version(const char *title, const char *body)
{
    struct taulu_card_version v;

    memset(&v, 0, sizeof v);
    memcpy(v.lang, "fi", 3);
    v.plain = true;
    v.title = title;
    v.body = body;
    return v;
}

static struct check_input input(const char *title, const char *body)
{
    struct check_input in;

    memset(&in, 0, sizeof(in));
    in.lang = "fi";
    in.plain_language = 1;
    in.title = title;
    in.title_len = strlen(title);
    in.body = body;
    in.body_len = strlen(body);
    in.has_organisation = 1;
    in.has_contact = 1;
    in.now = 1764000000;
    in.display_until = in.now + 86400;
    return in;
}

static const struct check_fit_issue *
find_issue(const struct check_fit_report *r, enum check_fit_kind kind)
{
    for (size_t i = 0; i < r->n_issues; i++) {
        if (r->issues[i].kind == kind) {
            return &r->issues[i];
        }
    }
    return NULL;
}

/* The issue of that kind, which must be there. */
static const struct check_fit_issue *issue(const struct check_fit_report *r,
                                           enum check_fit_kind kind)
{
    static const struct check_fit_issue none;
    const struct check_fit_issue *is = find_issue(r, kind);

    if (!is) {
        fail_msg("no issue of kind %d", (int)kind);
        return &none;
    }
    return is;
}

/* The verdict of the renderer itself: pages at 3 m, one page at 1.5 m. */
static void verdict_from_layout(void **state)
{
    struct srv_profile far, near;
    struct render_card c = bulletin("Kävelyryhmä", nine);
    struct srv_fit_result f;

    (void)state;
    srv_profile_set(&far, NULL, "Tuira", 1920, 1080, 55, 3);
    srv_profile_set(&near, NULL, "Raahe", 1920, 1080, 55, 1.5);
    assert_string_equal(far.name, "Tuira, 55\" 1920\xc3\x97"
                                  "1080, 3 m");
    assert_string_equal(near.name, "Raahe, 55\" 1920\xc3\x97"
                                   "1080, 1.5 m");

    assert_int_equal(srv_render_fit(sr, &far.rp, &c, &f), 0);
    assert_int_equal(f.title_lines, 1);
    assert_true(f.verdict.pages >= 2);
    assert_int_equal(render_verdict_gate(&f.verdict), RENDER_GATE_PAGES);
    assert_true(f.body_lines >= 1 && f.body_lines <= RENDER_MAX_BODY_LINES);

    assert_int_equal(srv_render_fit(sr, &near.rp, &c, &f), 0);
    assert_int_equal(f.verdict.pages, 1);
    assert_int_equal(render_verdict_gate(&f.verdict), RENDER_GATE_ONE_PAGE);
}

/* Every screen where the card does not fit one page is named, with where
 * the text goes on; a screen where it fits is not. */
static void measure_names_the_screen(void **state)
{
    struct srv_profile p[2];
    struct render_card c = bulletin("Kävelyryhmä", nine);
    struct taulu_card_version v = version("Kävelyryhmä", nine);
    struct check_input in = input("Kävelyryhmä", nine);
    struct srv_fit_ctx ctx = {sr, &c, &v, false, p, 2};
    struct check_fit_report rep;
    const struct check_fit_issue *is;

    (void)state;
    srv_profile_set(&p[0], "Aula", "Raahe", 1920, 1080, 55, 1.5);
    srv_profile_set(&p[1], "Odotustila", "Tuira", 1920, 1080, 55, 3);
    assert_int_equal(srv_fit_measure(&ctx, &in, &rep), 0);
    assert_int_equal(rep.n_issues, 1);
    is = issue(&rep, CHECK_FIT_PAGES);
    assert_non_null(is);
    assert_int_equal(is->field, CHECK_FIELD_BODY);
    assert_true(is->byte_start > 0 && is->byte_start < strlen(nine));
    assert_true(nine[is->byte_start - 1] == ' ');
    assert_int_equal(is->byte_end, strlen(nine));
    assert_non_null(
        strstr(is->what[CHECK_MSG_FI], "Näytöllä Odotustila (Tuira"));
    assert_non_null(strstr(is->what[CHECK_MSG_FI], "jatkuu sivulle 2"));
    assert_non_null(strstr(is->what[CHECK_MSG_SV], "Odotustila"));
    assert_non_null(strstr(is->what[CHECK_MSG_EN], "page 2"));

    /* only the near screen: nothing to say */
    ctx.n_profiles = 1;
    assert_int_equal(srv_fit_measure(&ctx, &in, &rep), 0);
    assert_int_equal(rep.n_issues, 0);
}

static void title_of_three_lines(void **state)
{
    static const char title[] =
        "Kävelyryhmä kokoontuu taas puistossa joka tiistai ja torstai koko "
        "syksyn ajan";
    struct srv_profile p;
    struct render_card c = bulletin(title, "Tule mukaan.");
    struct taulu_card_version v = version(title, "Tule mukaan.");
    struct check_input in = input(title, "Tule mukaan.");
    struct srv_fit_ctx ctx = {sr, &c, &v, false, &p, 1};
    struct check_fit_report rep;
    const struct check_fit_issue *is;

    (void)state;
    srv_profile_set(&p, NULL, "Tuira", 1080, 1920, 55, 3);
    assert_int_equal(srv_fit_measure(&ctx, &in, &rep), 0);
    is = issue(&rep, CHECK_FIT_TITLE);
    assert_non_null(is);
    assert_int_equal(is->field, CHECK_FIELD_TITLE);
    assert_int_equal(is->byte_start, 0);
    assert_int_equal(is->byte_end, strlen(title));
    assert_non_null(strstr(is->what[CHECK_MSG_FI], "Otsikko on"));
}

/* A card whose short screen text is shown: the finding is about the
 * summary field. */
static void summary_is_what_is_checked(void **state)
{
    struct srv_profile p;
    struct render_card c = bulletin("Kävelyryhmä", nine);
    struct taulu_card_version v = version("Kävelyryhmä", "Tule mukaan.");
    struct check_input in = input("Kävelyryhmä", "Tule mukaan.");
    struct srv_fit_ctx ctx = {sr, &c, &v, true, &p, 1};
    struct check_fit_report rep;
    const struct check_fit_issue *is;

    (void)state;
    v.summary = nine;
    in.summary = nine;
    in.summary_len = strlen(nine);
    srv_profile_set(&p, NULL, "Tuira", 1920, 1080, 55, 3);
    assert_int_equal(srv_fit_measure(&ctx, &in, &rep), 0);
    is = issue(&rep, CHECK_FIT_PAGES);
    assert_non_null(is);
    assert_int_equal(is->field, CHECK_FIELD_SUMMARY);
    assert_int_equal(is->byte_end, strlen(nine));
}

/* A compound wider than a narrow portrait screen's line: without soft
 * hyphens it is an error (broken at a syllable of the renderer's own);
 * with the server's soft hyphens it is shown whole, broken there, and the
 * warning's span is the word in the text as written (the soft hyphens
 * mapped away). */
static void long_word_with_and_without_soft_hyphens(void **state)
{
    static const char raw[] =
        "Tervetuloa Omaishoitajavalmennusryhmätapaamiseen "
        "kahville.";
    static const char soft[] =
        "Tervetuloa Omais\xc2\xadhoi\xc2\xadta\xc2\xadja\xc2\xadval\xc2\xadmen"
        "\xc2\xadnus\xc2\xadryh\xc2\xadmä\xc2\xadta\xc2\xadpaa\xc2\xadmi\xc2"
        "\xadseen kahville.";
    struct srv_profile p;
    struct render_card c = bulletin("Kahvila", raw);
    struct taulu_card_version v = version("Kahvila", raw);
    struct check_input in = input("Kahvila", raw);
    struct srv_fit_ctx ctx = {sr, &c, &v, false, &p, 1};
    struct check_fit_report rep;
    struct srv_fit_result f;
    const struct check_fit_issue *is;
    const char *word = strstr(raw, "Omais");

    (void)state;
    /* 43" portrait at 3.5 m: about 15 characters a line */
    srv_profile_set(&p, "Hissit", "Tuira", 1080, 1920, 43, 3.5);
    assert_int_equal(srv_fit_measure(&ctx, &in, &rep), 0);
    is = issue(&rep, CHECK_FIT_WORD);
    assert_non_null(is);
    assert_int_equal(is->field, CHECK_FIELD_BODY);
    assert_int_equal(is->byte_start, (size_t)(word - raw));
    assert_int_equal(is->byte_end, (size_t)(strstr(raw, " kahville") - raw));
    assert_null(find_issue(&rep, CHECK_FIT_WORD_SPLIT));

    c.body = soft;
    v.body = soft;
    assert_int_equal(srv_render_fit(sr, &p.rp, &c, &f), 0);
    assert_int_equal(render_verdict_gate(&f.verdict), RENDER_GATE_ONE_PAGE);
    assert_int_equal(srv_fit_measure(&ctx, &in, &rep), 0);
    assert_null(find_issue(&rep, CHECK_FIT_WORD));
    is = issue(&rep, CHECK_FIT_WORD_SPLIT);
    assert_non_null(is);
    assert_int_equal(is->byte_start, (size_t)(word - raw));
    assert_int_equal(is->byte_end, (size_t)(strstr(raw, " kahville") - raw));
    assert_non_null(strstr(is->what[CHECK_MSG_FI],
                           "Omaishoitajavalmennusryhmätapaamiseen"));
}

/* The checker turns the reports into findings with exact spans and what
 * to do. */
static void findings_of_the_checker(void **state)
{
    struct srv_profile p;
    struct render_card c = bulletin("Kävelyryhmä", nine);
    struct taulu_card_version v = version("Kävelyryhmä", nine);
    struct check_input in = input("Kävelyryhmä", nine);
    struct srv_fit_ctx ctx = {sr, &c, &v, false, &p, 1};
    struct check_fit fit = {srv_fit_measure, &ctx};
    struct check_fit_report rep;
    struct check_result res;
    const struct check_finding *hit = NULL;
    size_t i;

    (void)state;
    srv_profile_set(&p, "Aula", "Tuira", 1920, 1080, 55, 3);
    assert_int_equal(srv_fit_measure(&ctx, &in, &rep), 0);
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
    assert_int_equal(hit->span.byte_start, rep.issues[0].byte_start);
    assert_int_equal(hit->span.byte_end, strlen(nine));
    /* The screen in words in the message, its figures in the details. */
    assert_non_null(strstr(hit->message[CHECK_MSG_FI],
                           "Tuira, vaakanäyttö (55 tuumaa), luetaan 3 metrin "
                           "päästä"));
    assert_null(strstr(hit->message[CHECK_MSG_FI], p.name));
    assert_non_null(hit->details[CHECK_MSG_FI]);
    assert_non_null(strstr(hit->details[CHECK_MSG_FI], p.name));
    assert_non_null(
        strstr(hit->message[CHECK_MSG_FI], "näytöllä näkyvä teksti"));
    assert_non_null(strstr(hit->message[CHECK_MSG_EN], "text for the screen"));
    assert_int_equal(res.summary.light, CHECK_RED);
    check_result_release(&res);
}

/* What a profile holds, with the real fonts: the 55" 1080p screen at 3 m
 * holds a few lines under a one-line title, the 43" 4K screen at 4 m
 * fewer, and nearer means more. */
static void capacity_of_profiles(void **state)
{
    struct srv_profile l55, k43, k43near;
    struct srv_capacity a, b, c;

    (void)state;
    srv_profile_set(&l55, NULL, NULL, 1920, 1080, 55, 3);
    srv_profile_set(&k43, NULL, NULL, 3840, 2160, 43, 4);
    srv_profile_set(&k43near, NULL, NULL, 3840, 2160, 43, 2);
    assert_int_equal(srv_render_capacity(sr, &l55.rp, "fi", &a), 0);
    assert_int_equal(srv_render_capacity(sr, &k43.rp, "fi", &b), 0);
    assert_int_equal(srv_render_capacity(sr, &k43near.rp, "fi", &c), 0);
    print_message("capacity: 55\" 1080p 3 m %d lines of %d, 43\" 4K 4 m %d "
                  "of %d, 43\" 4K 2 m %d of %d\n",
                  a.body_lines, a.chars_per_line, b.body_lines,
                  b.chars_per_line, c.body_lines, c.chars_per_line);
    assert_true(a.body_lines >= 3 && a.body_lines <= RENDER_MAX_BODY_LINES);
    assert_true(a.chars_per_line >= 30 && a.chars_per_line <= 60);
    assert_true(b.body_lines < a.body_lines);
    assert_true(c.body_lines > b.body_lines);
    assert_true(c.chars_per_line > b.chars_per_line);
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
        cmocka_unit_test(verdict_from_layout),
        cmocka_unit_test(measure_names_the_screen),
        cmocka_unit_test(title_of_three_lines),
        cmocka_unit_test(summary_is_what_is_checked),
        cmocka_unit_test(long_word_with_and_without_soft_hyphens),
        cmocka_unit_test(findings_of_the_checker),
        cmocka_unit_test(capacity_of_profiles),
        cmocka_unit_test(profile_in_words),
        cmocka_unit_test(png_round_trip),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
