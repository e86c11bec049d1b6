/*
 * test_srv_check.c: the checker and the renderer through the real server:
 * POST /api/v1/check (scenario 2's text, a green text, auth, CSRF, bad
 * input, its latency), findings on item create (422 for errors, warnings
 * stored and shown in the contact person's queue), markup in the short
 * texts (place, price, registration, contact), the fit against the
 * centres' screen profiles, and POST /api/v1/preview (PNG of the profile's
 * size, pixel-identical to render_headless of the same card). Last, the
 * server stops cleanly: in the sanitizer build, with no leak reported
 * (previews once left SDL's per-thread state behind in every worker).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <setjmp.h>
#include <cmocka.h>

#include <SDL2/SDL.h>
#include <SDL2/SDL_image.h>

#include "headless.h"
#include "imgmake.h"
#include "itest.h"
#include "render_map.h"
#include "taulu_crypto.h"
#include "taulu_time.h"

static struct itest_server srv;
static struct itest_world w;
static char until[32];
static long long s_portrait, s_near;

/* Scenario 2: the annual plan Matti pastes (tests/data/checker/
 * fi_vuosisuunnitelma.fi.txt, title and first paragraph). */
static const char plan_title[] = "Toimintasuunnitelma vuodelle 2025";
static const char plan_body[] =
    "Yhdistyksemme keskeisenä tavoitteena toimintavuonna 2025 on edistää "
    "jäsenistön ja heidän läheistensä osallisuutta, hyvinvointia ja "
    "yhdenvertaisuutta tarjoamalla mm. monipuolisia "
    "vertaistukitoimintamahdollisuuksista kiinnostuneille suunnattuja "
    "ryhmiä ja tapahtumia, joita toteutetaan yhteistyössä alueen muiden "
    "toimijoiden kanssa.";

/* About nine lines at 55" 1080p from 3 m, six from 1.5 m. */
static const char nine[] =
    "Tule mukaan kävelylle. Lähdemme pihalta yhdessä. Kävelemme puistoon "
    "ja takaisin. Matka on noin kaksi kilometriä. Voit kävellä omaan "
    "tahtiin. Kukaan ei jää yksin. Ota mukaan hyvät kengät ja vettä. Sade "
    "ei haittaa. Juomme lopuksi mehua. Ryhmään ei tarvitse ilmoittautua. "
    "Ohjaaja on paikalla aina ennen lähtöä. Kysy häneltä lisää. Tervetuloa "
    "mukaan!";

static long long screen(const char *name, long long centre, int w_px, int h_px,
                        double diag, double dist)
{
    cJSON *j =
        itest_call(&srv, &w.coord, 201, "POST", "/api/v1/screens",
                   "{\"centre_id\":%lld,\"name\":\"%s\",\"orientation\":\"%s\","
                   "\"width_px\":%d,\"height_px\":%d,\"diagonal_in\":%g,"
                   "\"viewing_distance_m\":%g}",
                   centre, name, w_px > h_px ? "landscape" : "portrait", w_px,
                   h_px, diag, dist);
    long long id = itest_int(j, "id");

    cJSON_Delete(j);
    return id;
}

static int setup(void **state)
{
    (void)state;
    itest_setup_dir(&srv, "check");
    itest_world_setup(&srv, &w);
    itest_iso(20 * 86400, until);
    /* c1 has "Aula 1": 55" 1920x1080 at 3 m. */
    s_portrait = screen("Aula", w.c2, 1080, 1920, 55, 3);
    s_near = screen("Odotustila", w.c3, 1920, 1080, 55, 1.5);
    return 0;
}

/* Last: a clean stop, with no leak reported in a sanitizer build. */
static void server_stops_cleanly(void **state)
{
    (void)state;
    assert_int_equal(itest_stop(&srv), 0);
}

/* After a failed test the server may still run. */
static int teardown(void **state)
{
    (void)state;
    itest_kill9(&srv);
    return 0;
}

/* A /check or /preview body: one text plus the given extra members
 * (a JSON fragment without braces, or ""). Caller frees. */
static char *text_body(const char *title, const char *body, const char *extra)
{
    cJSON *o = cJSON_CreateObject();
    char *s, *out;
    size_t n;

    cJSON_AddStringToObject(o, "lang", "fi");
    cJSON_AddBoolToObject(o, "plain", 1);
    cJSON_AddStringToObject(o, "title", title);
    cJSON_AddStringToObject(o, "body", body);
    cJSON_AddStringToObject(o, "category", "elintavat");
    cJSON_AddStringToObject(o, "display_until", until);
    s = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    n = strlen(s) + strlen(extra) + 4;
    out = malloc(n);
    assert_non_null(out);
    /* "{...}" -> "{...,extra}" */
    snprintf(out, n, "%.*s%s%s}", (int)strlen(s) - 1, s, *extra ? "," : "",
             extra);
    cJSON_free(s);
    return out;
}

static cJSON *check(const struct itest_auth *as, const char *body, long expect)
{
    struct itest_resp r;
    cJSON *j;

    assert_int_equal(itest_req(&srv, "POST", "/api/v1/check", as, body, &r), 0);
    if (r.status != expect) {
        fprintf(stderr, "check -> %ld: %s\n", r.status, r.body);
    }
    assert_int_equal(r.status, expect);
    j = r.json;
    r.json = NULL;
    itest_resp_free(&r);
    return j;
}

/* The first finding with `code` (and `severity` if not NULL). */
static const cJSON *finding(const cJSON *res, const char *code,
                            const char *severity)
{
    const cJSON *f;

    cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(res, "findings"))
    {
        if (strcmp(itest_str(f, "code"), code) == 0 &&
            (!severity || strcmp(itest_str(f, "severity"), severity) == 0)) {
            return f;
        }
    }
    return NULL;
}

static void assert_span(const cJSON *f, long long b0, long long b1,
                        long long c0, long long c1)
{
    const cJSON *sp = cJSON_GetObjectItemCaseSensitive(f, "span");

    assert_non_null(sp);
    assert_int_equal(itest_int(sp, "byte_start"), b0);
    assert_int_equal(itest_int(sp, "byte_end"), b1);
    assert_int_equal(itest_int(sp, "cp_start"), c0);
    assert_int_equal(itest_int(sp, "cp_end"), c1);
}

static const char *msg(const cJSON *f, const char *lang)
{
    return itest_str(cJSON_GetObjectItemCaseSensitive(f, "message"), lang);
}

static const cJSON *summary(const cJSON *res)
{
    return cJSON_GetObjectItemCaseSensitive(res, "summary");
}

static bool flag(const cJSON *o, const char *name)
{
    return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, name));
}

/* Scenario 2: the 31-word sentence, the compound and "mm.". */
static void check_scenario_2(void **state)
{
    char *body = text_body(plan_title, plan_body, "");
    cJSON *res = check(&w.mem_a, body, 200);
    const cJSON *f;

    (void)state;
    assert_string_equal(itest_str(res, "light"), "red");
    f = finding(res, "sentence_long", "error");
    assert_non_null(f);
    assert_string_equal(itest_str(f, "field"), "body");
    assert_span(f, 0, 340, 0, 329);
    assert_string_equal(
        msg(f, "fi"),
        "Lause on pitkä: 31 sanaa. Jaa se kahdeksi tai kolmeksi lauseeksi.");
    /* the words to fix are underlined; the figures are for the approver */
    assert_string_equal(itest_str(f, "scope"), "text");
    assert_string_equal(
        itest_str(cJSON_GetObjectItemCaseSensitive(f, "details"), "fi"),
        "Lauseessa 31 sanaa. Rajat: huomautus yli 16, virhe yli 20 sanaa.");
    /* the paragraph as a whole is not plain language: a rate, pointed at */
    {
        const cJSON *h = finding(res, "hard_to_read", "error");

        assert_non_null(h);
        assert_string_equal(itest_str(h, "scope"), "paragraph");
        assert_non_null(cJSON_GetObjectItemCaseSensitive(h, "details"));
    }
    assert_int_equal(itest_int(summary(res), "longest_sentence"), 31);
    f = finding(res, "abbreviation", NULL);
    assert_non_null(f);
    assert_span(f, 169, 172, 161, 164);
    assert_string_equal(msg(f, "fi"), "Kirjoita lyhenne auki: muun muassa");
    /* the compound, and where it splits when Voikko is installed */
    {
        const cJSON *x;
        bool seen = false;
        cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(res, "findings"))
        {
            const cJSON *sp = cJSON_GetObjectItemCaseSensitive(x, "span");
            if (strcmp(itest_str(x, "code"), "word_long") == 0 &&
                itest_int(sp, "byte_start") == 186) {
                assert_span(x, 186, 222, 178, 214);
                if (flag(summary(res), "morphology")) {
                    assert_non_null(
                        strstr(msg(x, "fi"),
                               "vertais|tuki|toiminta|mahdollisuuksista"));
                }
                seen = true;
            }
        }
        assert_true(seen);
    }
    assert_false(flag(summary(res), "fit_checked")); /* no centres */
    cJSON_Delete(res);
    free(body);
}

/* Four short sentences, as Matti rewrote it: green, and it fits Tuira's
 * screen. */
static void check_green(void **state)
{
    char extra[64];
    char *body;
    cJSON *res;

    (void)state;
    snprintf(extra, sizeof(extra), "\"centres\":[%lld]", w.c1);
    body = text_body("Ryhmä läheisille",
                     "Yhdistys järjestää ryhmiä. Ryhmissä saat tukea. Voit "
                     "tuoda läheisen mukaan. Tule mukaan!",
                     extra);
    res = check(&w.mem_a, body, 200);
    if (strcmp(itest_str(res, "light"), "green") != 0) {
        char *t = cJSON_PrintUnformatted(res);
        fprintf(stderr, "%s\n", t);
        cJSON_free(t);
    }
    assert_string_equal(itest_str(res, "light"), "green");
    assert_true(flag(summary(res), "fit_checked"));
    assert_int_equal(
        cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(res, "profiles")),
        1);
    cJSON_Delete(res);
    free(body);
}

static void check_auth_and_bad_input(void **state)
{
    struct itest_auth cookie;
    struct itest_resp r;
    char *body = text_body("Kävelyryhmä", "Lähde mukaan.", "");
    char *huge;
    static const char bad_utf8[] =
        "{\"lang\":\"fi\",\"title\":\"K\xe4velyryhm\xe4\",\"body\":\"x\"}";

    (void)state;
    cJSON_Delete(check(&w.anon, body, 401));
    assert_int_equal(
        itest_login(&srv, "aino@muisti.fi", ITEST_PASSWORD, &cookie), 0);
    cJSON_Delete(check(&cookie, body, 200));
    cookie.no_csrf = true;
    cJSON_Delete(check(&cookie, body, 403));
    cookie.no_csrf = false;
    cJSON_Delete(check(&w.screen, body, 403));

    cJSON_Delete(check(&w.mem_a, "{\"lang\":\"fi\",", 400));
    cJSON_Delete(check(&w.mem_a, "[1,2]", 400));
    cJSON_Delete(check(&w.mem_a, "{\"lang\":\"fi\",\"nope\":1}", 400));
    cJSON_Delete(check(&w.mem_a, "{\"lang\":\"fi\",\"title\":7}", 400));
    cJSON_Delete(
        check(&w.mem_a, "{\"lang\":\"fi\",\"centres\":[999999]}", 400));
    assert_int_equal(itest_req_raw(&srv, "POST", "/api/v1/check", &w.mem_a,
                                   bad_utf8, sizeof(bad_utf8) - 1, NULL, &r),
                     0);
    assert_int_equal(r.status, 400);
    itest_resp_free(&r);
    huge = malloc(200000);
    assert_non_null(huge);
    memset(huge, ' ', 200000);
    memcpy(huge, "{\"lang\":\"fi\",\"body\":\"", 21);
    memcpy(huge + 200000 - 2, "\"}", 2);
    assert_int_equal(itest_req_raw(&srv, "POST", "/api/v1/check", &w.mem_a,
                                   huge, 200000, NULL, &r),
                     0);
    assert_int_equal(r.status, 413);
    itest_resp_free(&r);
    free(huge);
    free(body);
}

static int cmp_ll(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;
    return x < y ? -1 : x > y;
}

/* Runs on every pause in typing: how long one takes, seen by a client
 * (scenario 1's text against both centres' screens). Printed, not
 * asserted: timing depends on the machine. */
static void check_latency(void **state)
{
    enum { N = 30 };
    long long us[N];
    char extra[256];
    char *body;
    int i;

    (void)state;
    snprintf(extra, sizeof(extra),
             "\"kind\":\"event\",\"starts_at\":\"2026-12-01T12:00:00Z\","
             "\"ends_at\":\"2026-12-01T14:00:00Z\",\"centres\":[%lld,%lld]",
             w.c1, w.c2);
    body = text_body("Muistikahvila",
                     "Tule juttelemaan ja juomaan kahvia. Voit tuoda läheisen "
                     "mukaan.",
                     extra);
    for (i = 0; i < N; i++) {
        struct itest_resp r;
        struct timespec a, b;
        clock_gettime(CLOCK_MONOTONIC, &a);
        assert_int_equal(
            itest_req(&srv, "POST", "/api/v1/check", &w.mem_a, body, &r), 0);
        clock_gettime(CLOCK_MONOTONIC, &b);
        assert_int_equal(r.status, 200);
        itest_resp_free(&r);
        us[i] = (long long)(b.tv_sec - a.tv_sec) * 1000000 +
                (b.tv_nsec - a.tv_nsec) / 1000;
    }
    qsort(us, N, sizeof(us[0]), cmp_ll);
    printf("POST /api/v1/check latency over %d calls (2 profiles, Voikko): "
           "median %.2f ms, p90 %.2f ms, max %.2f ms\n",
           N, us[N / 2] / 1000.0, us[N * 9 / 10] / 1000.0, us[N - 1] / 1000.0);
    free(body);
}

static long long items_of_org_a(void)
{
    char path[64];
    cJSON *j;
    long long n;

    snprintf(path, sizeof(path), "/api/v1/items?organisation_id=%lld", w.org_a);
    j = itest_call(&srv, &w.coord, 200, "GET", path, NULL);
    n = cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(j, "items"));
    cJSON_Delete(j);
    return n;
}

/* An item with one Finnish version; `field` (may be NULL) = `value` is
 * added to the version. Caller frees with cJSON_free. */
static char *item_body_with(const char *title, const char *body,
                            long long centre, const char *field,
                            const char *value)
{
    cJSON *o = cJSON_CreateObject(), *texts, *t, *c;
    char *s;

    cJSON_AddNumberToObject(o, "organisation_id", (double)w.org_a);
    cJSON_AddStringToObject(o, "kind", "bulletin");
    cJSON_AddStringToObject(o, "category", "osallisuus");
    cJSON_AddStringToObject(o, "display_until", until);
    c = cJSON_AddArrayToObject(o, "centres");
    cJSON_AddItemToArray(c, cJSON_CreateNumber((double)centre));
    texts = cJSON_AddArrayToObject(o, "texts");
    t = cJSON_CreateObject();
    cJSON_AddStringToObject(t, "lang", "fi");
    cJSON_AddBoolToObject(t, "plain", 1);
    cJSON_AddStringToObject(t, "title", title);
    cJSON_AddStringToObject(t, "body", body);
    if (field) {
        cJSON_AddStringToObject(t, field, value);
    }
    cJSON_AddItemToArray(texts, t);
    s = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return s;
}

static char *item_body(const char *title, const char *body, long long centre)
{
    return item_body_with(title, body, centre, NULL, NULL);
}

/* Errors refuse the submission with what to fix; warnings are stored and
 * the contact person sees them in the queue. */
static void submission_findings(void **state)
{
    struct itest_resp r;
    char *b;
    long long before = items_of_org_a(), id;
    const cJSON *checks, *pl, *x, *fi;
    cJSON *q;
    bool found = false;

    (void)state;
    b = item_body(plan_title, plan_body, w.c1);
    assert_int_equal(itest_req(&srv, "POST", "/api/v1/items", &w.mem_a, b, &r),
                     0);
    assert_int_equal(r.status, 422);
    assert_string_equal(
        itest_str(cJSON_GetObjectItemCaseSensitive(r.json, "error"), "code"),
        "check_failed");
    checks = cJSON_GetObjectItemCaseSensitive(r.json, "checks");
    assert_int_equal(cJSON_GetArraySize(checks), 1);
    assert_string_equal(itest_str(cJSON_GetArrayItem(checks, 0), "light"),
                        "red");
    assert_non_null(
        finding(cJSON_GetArrayItem(checks, 0), "sentence_long", "error"));
    itest_resp_free(&r);
    cJSON_free(b);
    assert_int_equal(items_of_org_a(), before);

    /* Warnings only (a long word, "esim."): stored with the version. */
    b = item_body("Kävelyryhmä",
                  "Tule kävelemään. Kävelemme esim. puistossa. "
                  "Ryhmä on maksuton. Vertaistukiryhmätoimintamme odottaa "
                  "sinua.",
                  w.c1);
    assert_int_equal(itest_req(&srv, "POST", "/api/v1/items", &w.mem_a, b, &r),
                     0);
    if (r.status != 201) {
        fprintf(stderr, "%s\n", r.body);
    }
    assert_int_equal(r.status, 201);
    id = itest_int(r.json, "id");
    fi = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(r.json, "findings"), "fi");
    assert_string_equal(itest_str(fi, "light"), "yellow");
    assert_non_null(finding(fi, "abbreviation", "warning"));
    itest_resp_free(&r);
    cJSON_free(b);
    assert_int_equal(items_of_org_a(), before + 1);

    q = itest_call(&srv, &w.con_1, 200, "GET", "/api/v1/queue", NULL);
    cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(q, "placements"))
    {
        if (itest_int(x, "item_id") != id) {
            continue;
        }
        pl = cJSON_GetObjectItemCaseSensitive(
            cJSON_GetObjectItemCaseSensitive(x, "findings"), "fi");
        assert_non_null(pl);
        assert_non_null(finding(pl, "abbreviation", "warning"));
        assert_non_null(finding(pl, "word_long", "warning"));
        found = true;
    }
    assert_true(found);
    cJSON_Delete(q);
}

/* Place, price, registration and contact are shown as plain text: an
 * HTML tag or a bidi override in any of them is an error finding in that
 * field (the form underlines it there) from /check, and refuses the
 * submission with 422; plain text in them is green and is stored. */
static void short_texts(void **state)
{
    static const char *const fields[] = {"place", "price", "registration",
                                         "contact"};
    static const char green_body[] =
        "Yhdistys järjestää ryhmiä. Ryhmissä saat tukea. Voit tuoda läheisen "
        "mukaan. Tule mukaan!";
    struct itest_resp r;
    long long before = items_of_org_a();
    char extra[256], *body;
    const cJSON *f, *checks;
    cJSON *res;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
        /* /check: the tag, with its span in the field */
        snprintf(extra, sizeof(extra),
                 "\"kind\":\"event\",\"starts_at\":\"2026-12-01T12:00:00Z\","
                 "\"ends_at\":\"2026-12-01T14:00:00Z\",\"%s\":\"Sali "
                 "<b>2</b>\"",
                 fields[i]);
        body = text_body("Ryhmä läheisille", green_body, extra);
        res = check(&w.mem_a, body, 200);
        free(body);
        f = finding(res, "markup_tag", "error");
        assert_non_null(f);
        assert_string_equal(itest_str(f, "field"), fields[i]);
        assert_span(f, 5, 8, 5, 8);
        assert_string_equal(itest_str(res, "light"), "red");
        cJSON_Delete(res);

        /* a right-to-left override (U+202E) */
        snprintf(extra, sizeof(extra),
                 "\"%s\":\"Hinta \xe2\x80\xae"
                 "05\"",
                 fields[i]);
        body = text_body("Ryhmä läheisille", green_body, extra);
        res = check(&w.mem_a, body, 200);
        free(body);
        f = finding(res, "control_char", "error");
        assert_non_null(f);
        assert_string_equal(itest_str(f, "field"), fields[i]);
        assert_span(f, 6, 9, 6, 7);
        cJSON_Delete(res);

        /* submission: 422 check_failed, nothing stored */
        body = item_body_with("Ryhmä läheisille", green_body, w.c1, fields[i],
                              "<script>alert(1)</script>");
        assert_int_equal(
            itest_req(&srv, "POST", "/api/v1/items", &w.mem_a, body, &r), 0);
        cJSON_free(body);
        if (r.status != 422) {
            fprintf(stderr, "%s\n", r.body);
        }
        assert_int_equal(r.status, 422);
        assert_string_equal(
            itest_str(cJSON_GetObjectItemCaseSensitive(r.json, "error"),
                      "code"),
            "check_failed");
        checks = cJSON_GetObjectItemCaseSensitive(r.json, "checks");
        f = finding(cJSON_GetArrayItem(checks, 0), "markup_script", "error");
        assert_non_null(f);
        assert_string_equal(itest_str(f, "field"), fields[i]);
        itest_resp_free(&r);
        assert_int_equal(items_of_org_a(), before);
    }

    /* /check: the contact given as text; still a yes/no otherwise */
    cJSON_Delete(check(&w.mem_a, "{\"lang\":\"fi\",\"contact\":7}", 400));
    body = text_body("Ryhmä läheisille", green_body, "\"contact\":false");
    res = check(&w.mem_a, body, 200);
    free(body);
    assert_non_null(finding(res, "contact_missing", "error"));
    cJSON_Delete(res);

    /* Plain text in all four: green, and the submission is stored. */
    body =
        text_body("Ryhmä läheisille", green_body,
                  "\"kind\":\"event\",\"starts_at\":\"2026-12-01T12:00:00Z\","
                  "\"ends_at\":\"2026-12-01T14:00:00Z\","
                  "\"place\":\"Seurakuntatalo, sali 2\","
                  "\"price\":\"5 \u20ac, j\u00e4senet 3 \u20ac\","
                  "\"registration\":\"Ei ilmoittautumista\","
                  "\"contact\":\"Aino, p. 040 123 4567 & Tom\"");
    res = check(&w.mem_a, body, 200);
    free(body);
    if (strcmp(itest_str(res, "light"), "green") != 0) {
        char *t = cJSON_PrintUnformatted(res);
        fprintf(stderr, "%s\n", t);
        cJSON_free(t);
    }
    assert_string_equal(itest_str(res, "light"), "green");
    cJSON_Delete(res);
    for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
        body = item_body_with("Ryhmä läheisille", green_body, w.c1, fields[i],
                              "Seurakuntatalo, p. 040 123 4567 & muut");
        assert_int_equal(
            itest_req(&srv, "POST", "/api/v1/items", &w.mem_a, body, &r), 0);
        cJSON_free(body);
        if (r.status != 201) {
            fprintf(stderr, "%s\n", r.body);
        }
        assert_int_equal(r.status, 201);
        itest_resp_free(&r);
    }
    assert_int_equal(items_of_org_a(), before + 4);
}

static void fit_profiles(void **state)
{
    char extra[512];
    char *body;
    cJSON *res;
    const cJSON *f;

    (void)state;
    /* Tuira, 55" 1080p from 3 m: the card does not fit one page; the
     * finding names the screen and says what to do. */
    snprintf(extra, sizeof(extra), "\"centres\":[%lld]", w.c1);
    body = text_body("Kävelyryhmä", nine, extra);
    res = check(&w.mem_a, body, 200);
    f = finding(res, "text_does_not_fit", "error");
    assert_non_null(f);
    assert_string_equal(itest_str(f, "field"), "body");
    /* The screen in words for the volunteer; its figures are the
     * approver's, in the details. */
    assert_non_null(strstr(msg(f, "fi"),
                           "Aula 1 (Tuiran hyvinvointikeskus, vaakanäyttö (55 "
                           "tuumaa), luetaan 3 metrin päästä)"));
    assert_null(strstr(msg(f, "fi"), "1920"));
    assert_non_null(
        strstr(itest_str(cJSON_GetObjectItemCaseSensitive(f, "details"), "fi"),
               "Aula 1 (Tuiran hyvinvointikeskus, 55\" "
               "1920\xc3\x97"
               "1080, 3 m)"));
    assert_non_null(strstr(msg(f, "fi"), "jatkuu sivulle 2"));
    assert_non_null(strstr(msg(f, "fi"), "näytöllä näkyvä teksti"));
    assert_non_null(strstr(msg(f, "sv"), "text för skärmen"));
    assert_int_equal(
        itest_int(cJSON_GetObjectItemCaseSensitive(f, "span"), "byte_end"),
        (long long)strlen(nine));
    assert_string_equal(itest_str(res, "light"), "red");
    cJSON_Delete(res);
    free(body);

    /* Raahe's screen is read from 1.5 m: the same text fits. */
    snprintf(extra, sizeof(extra), "\"centres\":[%lld]", w.c3);
    body = text_body("Kävelyryhmä", nine, extra);
    res = check(&w.mem_a, body, 200);
    assert_true(flag(summary(res), "fit_checked"));
    assert_null(finding(res, "text_does_not_fit", NULL));
    assert_null(finding(res, "card_continues", NULL));
    cJSON_Delete(res);
    free(body);

    /* A long event card on Kaakkuri's portrait screen: the event rows and
     * the QR code leave room for only part of its body on the first page,
     * so it would continue on a second: refused (one card, one page). */
    snprintf(extra, sizeof(extra),
             "\"kind\":\"event\",\"starts_at\":\"2026-12-01T12:00:00Z\","
             "\"ends_at\":\"2026-12-01T14:00:00Z\",\"place\":\"Tuiran "
             "seurakuntatalo, Kirkkotie 5, sali 2\",\"free\":true,"
             "\"step_free\":true,\"induction_loop\":true,"
             "\"registration\":\"ei tarvitse\",\"link\":\"https://"
             "muisti.example.fi/kahvila\",\"centres\":[%lld]",
             w.c2);
    body = text_body("Muistikahvila",
                     "Tule juttelemaan ja juomaan kahvia. Voit tuoda läheisen "
                     "mukaan. Kahvi on valmiina. Vapaaehtoiset auttavat "
                     "tarvittaessa.",
                     extra);
    res = check(&w.mem_a, body, 200);
    f = finding(res, "text_does_not_fit", "error");
    assert_non_null(f);
    assert_non_null(strstr(msg(f, "en"),
                           "Kaakkurin sote-keskus, portrait screen (55 "
                           "inches), read from 3 metres away"));
    assert_non_null(strstr(msg(f, "sv"), "stående skärm (55 tum), läses på "
                                         "3 meters avstånd"));
    assert_non_null(
        strstr(itest_str(cJSON_GetObjectItemCaseSensitive(f, "details"), "en"),
               "Kaakkurin sote-keskus, 55\" "
               "1080\xc3\x97"
               "1920, 3 m"));
    assert_string_equal(itest_str(res, "light"), "red");
    cJSON_Delete(res);
    free(body);
}

static const char *header_value(const char *headers, const char *name)
{
    const char *p = headers;
    size_t n = strlen(name);

    while (p && *p) {
        if (strncasecmp(p, name, n) == 0 && p[n] == ':') {
            p += n + 1;
            while (*p == ' ') {
                p++;
            }
            return p;
        }
        p = strchr(p, '\n');
        if (p) {
            p++;
        }
    }
    return NULL;
}

static SDL_Surface *decode_png(const struct itest_resp *r)
{
    SDL_RWops *rw = SDL_RWFromConstMem(r->body, (int)r->len);
    SDL_Surface *s = rw ? IMG_LoadTyped_RW(rw, 1, "PNG") : NULL;
    SDL_Surface *rgba;

    assert_non_null(s);
    rgba = SDL_ConvertSurfaceFormat(s, SDL_PIXELFORMAT_RGBA32, 0);
    SDL_FreeSurface(s);
    assert_non_null(rgba);
    return rgba;
}

static SDL_Surface *preview(const char *extra, struct itest_resp *r)
{
    char *body = text_body(
        "Kävelyryhmä", "Lähdemme kävelylle joka tiistai. Tule mukaan!", extra);
    SDL_Surface *s;

    assert_int_equal(
        itest_req(&srv, "POST", "/api/v1/preview", &w.mem_a, body, r), 0);
    free(body);
    if (r->status != 200) {
        fprintf(stderr, "preview -> %ld: %s\n", r->status, r->body);
    }
    assert_int_equal(r->status, 200);
    assert_non_null(header_value(r->headers, "Content-Type"));
    assert_int_equal(
        strncmp(header_value(r->headers, "Content-Type"), "image/png", 9), 0);
    s = decode_png(r);
    return s;
}

static void as_the_player(const SDL_Surface *server, long long now,
                          const char *sha, const char *path, const char *alt,
                          struct render_box *box);

static void preview_png(void **state)
{
    struct itest_resp r;
    SDL_Surface *land, *port, *tuira;
    char extra[64];
    long long now;

    (void)state;
    land = preview("\"orientation\":\"landscape\"", &r);
    itest_resp_free(&r);
    port = preview("\"orientation\":\"portrait\"", &r);
    itest_resp_free(&r);
    assert_int_equal(land->w, 1920);
    assert_int_equal(land->h, 1080);
    assert_int_equal(port->w, 1080);
    assert_int_equal(port->h, 1920);

    /* Tuira's own screen, then the same card drawn here directly. Its
     * profile is the landscape default's: the server draws it on the
     * canvas it kept from that preview, over another header. */
    snprintf(extra, sizeof(extra), "\"centres\":[%lld],\"profile\":0", w.c1);
    tuira = preview(extra, &r);
    assert_int_equal(tuira->w, 1920);
    assert_int_equal(tuira->h, 1080);
    assert_non_null(header_value(r.headers, "X-Preview-Time"));
    now = strtoll(header_value(r.headers, "X-Preview-Time"), NULL, 10);
    assert_true(now > 0);
    itest_resp_free(&r);

    /* pixel-identical to a player's drawing of the same card */
    as_the_player(tuira, now, NULL, NULL, NULL, NULL);

    /* landscape and portrait are different pictures, not one resized */
    assert_true(land->w != port->w);
    SDL_FreeSurface(land);
    SDL_FreeSurface(port);
    SDL_FreeSurface(tuira);
}

/* POST /api/v1/preview of a walking group's text with `extra` fields, as
 * `as`: the status it gets. */
static long preview_status(const struct itest_auth *as, const char *extra)
{
    char *body = text_body("Kävelyryhmä", "Tule mukaan.", extra);
    struct itest_resp r;
    long status;

    assert_int_equal(itest_req(&srv, "POST", "/api/v1/preview", as, body, &r),
                     0);
    status = r.status;
    itest_resp_free(&r);
    free(body);
    return status;
}

static void preview_refusals(void **state)
{
    (void)state;
    /* neither or both of orientation and profile */
    assert_int_equal(preview_status(&w.mem_a, ""), 400);
    assert_int_equal(
        preview_status(&w.mem_a, "\"orientation\":\"portrait\",\"profile\":0"),
        400);
    /* a profile the centres do not have */
    assert_int_equal(preview_status(&w.mem_a, "\"profile\":3"), 400);
    /* a page the card does not have */
    assert_int_equal(
        preview_status(&w.mem_a, "\"orientation\":\"portrait\",\"page\":3"),
        400);
    /* nobody signed in */
    assert_int_equal(preview_status(&w.anon, "\"orientation\":\"portrait\""),
                     401);
}

/* ---- The uploaded picture in the previews ---- */

/* Uploads a PNG of w x h made here (RGB, `pat`); its name into sha. */
static void upload_png(int wpx, int hpx, enum imgmake_pattern pat, char sha[65])
{
    struct imgmake_buf b;
    struct itest_resp r;

    assert_int_equal(imgmake_png(wpx, hpx, 2, 8, 0, pat, &b), 0);
    assert_int_equal(itest_req_raw(&srv, "POST", "/api/v1/images", &w.mem_a,
                                   (const char *)b.data, b.len, "image/png",
                                   &r),
                     0);
    assert_true(r.status == 201 || r.status == 200);
    snprintf(sha, 65, "%s", itest_str(r.json, "sha256"));
    assert_int_equal(strlen(sha), 64);
    itest_resp_free(&r);
    imgmake_free(&b);
}

/* The stored file of asset `sha`, as a screen downloads it, saved at
 * `path`. */
static void fetch_asset(const char *sha, const char *path)
{
    struct itest_resp r;
    char url[128];
    FILE *f;

    snprintf(url, sizeof url, "/api/v1/assets/%s", sha);
    assert_int_equal(itest_req(&srv, "GET", url, &w.mem_a, NULL, &r), 0);
    assert_int_equal(r.status, 200);
    f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(r.body, 1, r.len, f), r.len);
    fclose(f);
    itest_resp_free(&r);
}

static void rgb_at(const SDL_Surface *s, int x, int y, uint8_t out[3])
{
    const uint8_t *p =
        (const uint8_t *)s->pixels + (size_t)y * (size_t)s->pitch + x * 4;

    memcpy(out, p, 3);
}

static bool near(const uint8_t px[3], int r, int g, int b)
{
    return abs(px[0] - r) <= 3 && abs(px[1] - g) <= 3 && abs(px[2] - b) <= 3;
}

/* Where the card starts under the header (as_the_player sets it). */
static int card_top;

/* Rows of a and b (same size) that differ outside the rectangle. */
static int differ_outside(const SDL_Surface *a, const SDL_Surface *b, int bx,
                          int by, int bw, int bh)
{
    int x, y, n = 0;

    /* below the header band: its clock may turn a minute between two
     * previews */
    for (y = card_top; y < a->h; y++) {
        const uint32_t *ra = (const uint32_t *)((const uint8_t *)a->pixels +
                                                (size_t)y * (size_t)a->pitch);
        const uint32_t *rb = (const uint32_t *)((const uint8_t *)b->pixels +
                                                (size_t)y * (size_t)b->pitch);
        for (x = 0; x < a->w; x++) {
            bool inside = x >= bx && x < bx + bw && y >= by && y < by + bh;
            if (!inside && ra[x] != rb[x]) {
                n++;
                break;
            }
        }
    }
    return n;
}

/* The server's frame drawn here as a player draws it: the same card (sha
 * NULL: without a picture; box NULL: not asked for) with
 * the picture read from its file (render_map_card's image_path, IMG_Load
 * in the renderer), on Tuira's 55" 1080p screen. Asserts the two are
 * pixel-identical and gives the image box of the layout. */
static void as_the_player(const SDL_Surface *server, long long now,
                          const char *sha, const char *path, const char *alt,
                          struct render_box *box)
{
    struct render_map_buf mb;
    struct render_map_header hb;
    struct taulu_card c;
    struct taulu_card_version v;
    struct render_headless *h = NULL;
    struct render_profile prof = {1920, 1080, 55.0, 3.0};
    const struct render_layout *lay;
    const uint8_t *px;
    int pw, ph, pitch, y, diff_rows = 0;
    char fonts[1024];
    const char *slash;
    size_t i;
    bool found = false;

    memset(&c, 0, sizeof(c));
    memset(&v, 0, sizeof(v));
    snprintf(v.lang, sizeof(v.lang), "fi");
    v.plain = true;
    v.title = "Kävelyryhmä";
    v.body = "Lähdemme kävelylle joka tiistai. Tule mukaan!";
    v.image_alt = alt;
    c.id = "preview";
    c.org = "Oulun Muistiyhdistys";
    c.kind = TAULU_CARD_BULLETIN;
    c.category = TAULU_CATEGORY_LIFESTYLE;
    c.versions = &v;
    c.n_versions = 1;
    if (sha) {
        c.has_image = true;
        snprintf(c.image.sha256, sizeof c.image.sha256, "%s", sha);
    }
    render_map_buf_init(&mb);
    render_map_header_init(&hb);
    assert_int_equal(
        render_map_card(&mb, &c, &v, &taulu_tz_helsinki, now, path), 0);
    assert_int_equal(render_map_header(&hb, "Tuiran hyvinvointikeskus", NULL,
                                       "fi", &taulu_tz_helsinki, now, 1, 1),
                     0);
    slash = strstr(__FILE__, "/tests/integration/");
    assert_non_null(slash);
    snprintf(fonts, sizeof(fonts), "%.*s/fonts", (int)(slash - __FILE__),
             __FILE__);
    assert_int_equal(render_headless_new(fonts, &prof, NULL, &h), 0);
    assert_int_equal(render_headless_draw(h, &mb.card, &hb.header, 0, NULL), 0);
    render_headless_pixels(h, &px, &pw, &ph, &pitch);
    assert_int_equal(pw, server->w);
    assert_int_equal(ph, server->h);
    for (y = 0; y < ph; y++) {
        if (memcmp(px + (size_t)y * (size_t)pitch,
                   (const uint8_t *)server->pixels +
                       (size_t)y * (size_t)server->pitch,
                   (size_t)pw * 4) != 0) {
            diff_rows++;
        }
    }
    assert_int_equal(diff_rows, 0); /* the player's very pixels */
    lay = render_headless_layout(h);
    card_top = lay->pages[0].y;
    assert_true(card_top > 0 && card_top < ph / 4);
    for (i = 0; box && i < lay->pages[0].n; i++) {
        if (lay->pages[0].boxes[i].kind == RENDER_BOX_IMAGE) {
            *box = lay->pages[0].boxes[i];
            found = true;
        }
    }
    assert_true(found || !box);
    render_headless_free(h);
    render_map_buf_release(&mb);
    render_map_header_release(&hb);
}

/* A preview on Tuira's screen with `extra` after the centre and profile. */
static SDL_Surface *tuira_preview(const char *extra, long long *now)
{
    struct itest_resp r;
    char all[512];
    SDL_Surface *s;

    snprintf(all, sizeof all, "\"centres\":[%lld],\"profile\":0%s%s", w.c1,
             *extra ? "," : "", extra);
    s = preview(all, &r);
    if (now) {
        *now = strtoll(header_value(r.headers, "X-Preview-Time"), NULL, 10);
    }
    itest_resp_free(&r);
    return s;
}

/* With TAULU_PREVIEW_SAVE=<dir>, the frames are saved there to be looked
 * at. */
static void keep_frame(const SDL_Surface *s, const char *name)
{
    const char *dir = getenv("TAULU_PREVIEW_SAVE");
    char path[1024];

    if (dir && *dir) {
        snprintf(path, sizeof path, "%s/%s.png", dir, name);
        IMG_SavePNG((SDL_Surface *)(uintptr_t)s, path);
    }
}

static void preview_draws_the_picture(void **state)
{
    char quarters[65], tall[65], broken[65], extra[256], path[512];
    SDL_Surface *pic, *alt_only, *tall_pic, *missing, *damaged;
    struct render_box box = {0};
    long long now;
    uint8_t c[3];
    int sc_w, sc_h, x0, y0;
    double sc;
    FILE *f;

    (void)state;
    /* four solid quarters: red, green / blue, white */
    upload_png(800, 600, IMG_QUARTERS, quarters);
    snprintf(extra, sizeof extra,
             "\"image_sha256\":\"%s\",\"image_alt\":\"Neljä väriä\"", quarters);
    pic = tuira_preview(extra, &now);
    snprintf(path, sizeof path, "%s/quarters.png", srv.dir);
    fetch_asset(quarters, path);
    as_the_player(pic, now, quarters, path, "Neljä väriä", &box);

    /* In the box, scaled as draw.c does (aspect kept, left, at the
     * bottom), each quarter's middle has its colour. */
    sc = (double)box.w / 800 < (double)box.h / 600 ? (double)box.w / 800
                                                   : (double)box.h / 600;
    sc_w = (int)(800 * sc);
    sc_h = (int)(600 * sc);
    x0 = box.x;
    y0 = box.y + box.h - sc_h;
    printf("  image box %dx%d at %d,%d; picture %dx%d\n", box.w, box.h, box.x,
           box.y, sc_w, sc_h);
    assert_true(sc_w > 100 && sc_h > 100);
    rgb_at(pic, x0 + sc_w / 4, y0 + sc_h / 4, c);
    assert_true(near(c, 255, 0, 0));
    rgb_at(pic, x0 + 3 * sc_w / 4, y0 + sc_h / 4, c);
    assert_true(near(c, 0, 255, 0));
    rgb_at(pic, x0 + sc_w / 4, y0 + 3 * sc_h / 4, c);
    assert_true(near(c, 0, 0, 255));
    rgb_at(pic, x0 + 3 * sc_w / 4, y0 + 3 * sc_h / 4, c);
    assert_true(near(c, 255, 255, 255));

    /* "image": true without a name: the text alternative in the same box,
     * everything around it the same pixels (the box is the profile's). */
    alt_only =
        tuira_preview("\"image\":true,\"image_alt\":\"Neljä väriä\"", NULL);
    rgb_at(alt_only, x0 + sc_w / 4, y0 + sc_h / 4, c);
    assert_false(near(c, 255, 0, 0));
    assert_int_equal(differ_outside(pic, alt_only, box.x, box.y, box.w, box.h),
                     0);

    /* A picture of another shape lays out alike: only the box differs. */
    upload_png(200, 1200, IMG_QUARTERS, tall);
    snprintf(extra, sizeof extra,
             "\"image_sha256\":\"%s\",\"image_alt\":\"Neljä väriä\"", tall);
    tall_pic = tuira_preview(extra, NULL);
    assert_int_equal(differ_outside(pic, tall_pic, box.x, box.y, box.w, box.h),
                     0);
    rgb_at(tall_pic, box.x + 2, box.y + box.h - 2, c);
    assert_true(near(c, 0, 0, 255)); /* its blue quarter, bottom left */

    /* No such file: the text alternative, as a screen draws it. */
    snprintf(
        extra, sizeof extra,
        "\"image_sha256\":\"%s\",\"image_alt\":\"Neljä väriä\"",
        "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
    missing = tuira_preview(extra, NULL);
    assert_int_equal(differ_outside(missing, alt_only, 0, 0, 0, 0), 0);

    /* A stored file damaged on disk (one byte changed: not the file of its
     * name) is not decoded: the text alternative, no crash. */
    upload_png(640, 480, IMG_GRADIENT, broken);
    snprintf(path, sizeof path, "%s/data/assets/%s", srv.dir, broken);
    f = fopen(path, "r+b");
    assert_non_null(f);
    assert_int_equal(fseek(f, 200, SEEK_SET), 0);
    assert_int_equal(fputc(0x55, f), 0x55);
    fclose(f);
    snprintf(extra, sizeof extra,
             "\"image_sha256\":\"%s\",\"image_alt\":\"Neljä väriä\"", broken);
    damaged = tuira_preview(extra, NULL);
    assert_int_equal(differ_outside(damaged, alt_only, 0, 0, 0, 0), 0);
    keep_frame(damaged, "damaged_file");
    /* and cut short */
    assert_int_equal(truncate(path, 100), 0);
    SDL_FreeSurface(damaged);
    damaged = tuira_preview(extra, NULL);
    assert_int_equal(differ_outside(damaged, alt_only, 0, 0, 0, 0), 0);

    keep_frame(pic, "picture");
    SDL_FreeSurface(pic);
    keep_frame(alt_only, "text_alternative");
    SDL_FreeSurface(alt_only);
    keep_frame(tall_pic, "tall_picture");
    SDL_FreeSurface(tall_pic);
    keep_frame(missing, "missing_file");
    SDL_FreeSurface(missing);
    SDL_FreeSurface(damaged);
}

/* A PNG of a data URL, decoded. */
static SDL_Surface *data_url_png(const char *url)
{
    static const char prefix[] = "data:image/png;base64,";
    const char *b64;
    size_t n, len;
    uint8_t *bytes;
    SDL_RWops *rw;
    SDL_Surface *s, *rgba;

    assert_int_equal(strncmp(url, prefix, sizeof prefix - 1), 0);
    b64 = url + sizeof prefix - 1;
    n = strlen(b64);
    len =
        n / 4 * 3 - (n > 0 && b64[n - 1] == '=') - (n > 1 && b64[n - 2] == '=');
    bytes = malloc(len);
    assert_non_null(bytes);
    assert_int_equal(taulu_base64_decode(b64, bytes, len), 0);
    rw = SDL_RWFromConstMem(bytes, (int)len);
    s = rw ? IMG_LoadTyped_RW(rw, 1, "PNG") : NULL;
    assert_non_null(s);
    rgba = SDL_ConvertSurfaceFormat(s, SDL_PIXELFORMAT_RGBA32, 0);
    SDL_FreeSurface(s);
    free(bytes);
    assert_non_null(rgba);
    return rgba;
}

/* Pure red pixels on every page of every screen of a screens answer. */
static int red_pixels(const cJSON *screens)
{
    const cJSON *sc, *im;
    int red = 0, x, y;

    cJSON_ArrayForEach(sc, screens)
    {
        cJSON_ArrayForEach(im, cJSON_GetObjectItemCaseSensitive(sc, "images"))
        {
            SDL_Surface *img = data_url_png(itest_str(im, "png"));
            for (y = 0; y < img->h; y++) {
                for (x = 0; x < img->w; x++) {
                    uint8_t c[3];
                    rgb_at(img, x, y, c);
                    red += c[0] == 255 && c[1] == 0 && c[2] == 0;
                }
            }
            SDL_FreeSurface(img);
        }
    }
    return red;
}

static cJSON *screens_of(const char *extra)
{
    char *body = text_body("Kävelyryhmä", nine, extra);
    cJSON *j = itest_call(&srv, &w.mem_a, 200, "POST",
                          "/api/v1/preview/screens", "%s", body);

    free(body);
    return j;
}

/* The fit verdicts do not depend on the picture, and the screens' preview
 * draws it too; /check takes its name; a malformed name is refused. */
static void picture_keeps_the_verdicts(void **state)
{
    char sha[65], extra[256], *body;
    cJSON *with, *without, *sw, *so, *res_with, *res_without;
    const cJSON *a, *b;
    struct itest_resp r;
    int i, n, red;

    (void)state;
    upload_png(800, 600, IMG_QUARTERS, sha);
    /* Tuira (1080p, 3 m) and Kaakkuri (portrait), where the nine lines
     * and the picture do not fit one page, and the waiting room at 1.5 m
     * where they do */
    snprintf(extra, sizeof extra,
             "\"centres\":[%lld,%lld,%lld],\"image_sha256\":\"%s\","
             "\"image_alt\":\"Neljä väriä\"",
             w.c1, w.c2, w.c3, sha);
    with = screens_of(extra);
    snprintf(extra, sizeof extra,
             "\"centres\":[%lld,%lld,%lld],\"image\":true,"
             "\"image_alt\":\"Neljä väriä\"",
             w.c1, w.c2, w.c3);
    without = screens_of(extra);
    sw = cJSON_GetObjectItemCaseSensitive(with, "screens");
    so = cJSON_GetObjectItemCaseSensitive(without, "screens");
    n = cJSON_GetArraySize(sw);
    assert_int_equal(n, 3);
    assert_int_equal(cJSON_GetArraySize(so), n);
    for (i = 0; i < n; i++) {
        char *fa, *fb;
        a = cJSON_GetArrayItem(sw, i);
        b = cJSON_GetArrayItem(so, i);
        assert_int_equal(
            cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(a, "fits")),
            cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(b, "fits")));
        assert_int_equal(itest_int(a, "pages"), itest_int(b, "pages"));
        fa = cJSON_PrintUnformatted(
            cJSON_GetObjectItemCaseSensitive(a, "findings"));
        fb = cJSON_PrintUnformatted(
            cJSON_GetObjectItemCaseSensitive(b, "findings"));
        assert_string_equal(fa, fb);
        cJSON_free(fa);
        cJSON_free(fb);
        printf("  %s: fits %d, pages %lld\n", itest_str(a, "name"),
               cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(a, "fits")),
               itest_int(a, "pages"));
    }
    /* some fit and some do not, with or without the picture */
    {
        int unfit = 0;
        for (i = 0; i < n; i++) {
            unfit += !cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(
                cJSON_GetArrayItem(sw, i), "fits"));
        }
        assert_true(unfit >= 1 && unfit < n);
    }
    /* the pages show the picture's red quarter (where the layout puts
     * it: beside the text, or on a page of its own); never without it */
    red = red_pixels(sw);
    printf("  screens preview: %d pure red pixels\n", red);
    assert_true(red > 1000);
    assert_int_equal(red_pixels(so), 0);
    cJSON_Delete(with);
    cJSON_Delete(without);

    /* /check: the name is taken and the findings are those of "image" */
    snprintf(extra, sizeof extra,
             "\"centres\":[%lld],\"image_sha256\":\"%s\","
             "\"image_alt\":\"Neljä väriä\"",
             w.c1, sha);
    body = text_body("Kävelyryhmä", nine, extra);
    res_with = check(&w.mem_a, body, 200);
    free(body);
    snprintf(extra, sizeof extra,
             "\"centres\":[%lld],\"image\":true,\"image_alt\":\"Neljä väriä\"",
             w.c1);
    body = text_body("Kävelyryhmä", nine, extra);
    res_without = check(&w.mem_a, body, 200);
    free(body);
    {
        char *fa = cJSON_PrintUnformatted(
            cJSON_GetObjectItemCaseSensitive(res_with, "findings"));
        char *fb = cJSON_PrintUnformatted(
            cJSON_GetObjectItemCaseSensitive(res_without, "findings"));
        assert_string_equal(fa, fb);
        assert_non_null(strstr(fa, "text_does_not_fit"));
        cJSON_free(fa);
        cJSON_free(fb);
    }
    cJSON_Delete(res_with);
    cJSON_Delete(res_without);

    /* a name that is not a sha256 */
    body = text_body("Kävelyryhmä", "Tule mukaan.",
                     "\"orientation\":\"landscape\",\"image_sha256\":"
                     "\"zz23456789abcdef0123456789abcdef0123456789abcdef01234"
                     "56789abcdef\"");
    assert_int_equal(
        itest_req(&srv, "POST", "/api/v1/preview", &w.mem_a, body, &r), 0);
    assert_int_equal(r.status, 400);
    itest_resp_free(&r);
    free(body);
}

static double ms_since(const struct timespec *t0)
{
    struct timespec t1;

    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) * 1e3 +
           (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* One 1920x1080 preview, in ms. */
static double timed_preview(const char *extra)
{
    struct itest_resp r;
    struct timespec t0;
    double ms;
    char *body = text_body(
        "Kävelyryhmä", "Lähdemme kävelylle joka tiistai. Tule mukaan!", extra);

    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(
        itest_req(&srv, "POST", "/api/v1/preview", &w.mem_a, body, &r), 0);
    ms = ms_since(&t0);
    assert_int_equal(r.status, 200);
    itest_resp_free(&r);
    free(body);
    return ms;
}

/* Prints what a picture costs a 1920x1080 preview: none, the first (the
 * stored file read, checked and decoded), and again (kept). */
static void picture_cost(void **state)
{
    enum { RUNS = 7 };
    double plain[RUNS], kept[RUNS], first[3];
    char sha[65], extra[256];
    int i;

    (void)state;
    for (i = 0; i < RUNS; i++) {
        plain[i] = timed_preview("\"orientation\":\"landscape\",\"image\":true,"
                                 "\"image_alt\":\"Kuva\"");
    }
    for (i = 0; i < 3; i++) {
        /* a photo-sized picture, new each time: read, hashed, decoded */
        upload_png(1920, 1080 - i, IMG_GRADIENT, sha);
        snprintf(extra, sizeof extra,
                 "\"orientation\":\"landscape\",\"image_sha256\":\"%s\","
                 "\"image_alt\":\"Kuva\"",
                 sha);
        first[i] = timed_preview(extra);
    }
    for (i = 0; i < RUNS; i++) {
        kept[i] = timed_preview(extra);
    }
    qsort(plain, RUNS, sizeof plain[0], by_value);
    qsort(kept, RUNS, sizeof kept[0], by_value);
    qsort(first, 3, sizeof first[0], by_value);
    printf("  1920x1080 preview, median ms: text alternative %.1f, picture "
           "first time %.1f, picture kept %.1f\n",
           plain[RUNS / 2], first[1], kept[RUNS / 2]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(check_scenario_2),
        cmocka_unit_test(check_green),
        cmocka_unit_test(check_auth_and_bad_input),
        cmocka_unit_test(check_latency),
        cmocka_unit_test(submission_findings),
        cmocka_unit_test(short_texts),
        cmocka_unit_test(fit_profiles),
        cmocka_unit_test(preview_png),
        cmocka_unit_test(preview_refusals),
        cmocka_unit_test(preview_draws_the_picture),
        cmocka_unit_test(picture_keeps_the_verdicts),
        cmocka_unit_test(picture_cost),
        cmocka_unit_test(server_stops_cleanly),
    };
    (void)s_portrait;
    (void)s_near;
    return cmocka_run_group_tests(tests, setup, teardown);
}
