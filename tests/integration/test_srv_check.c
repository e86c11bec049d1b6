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

#include <setjmp.h>
#include <cmocka.h>

#include <SDL2/SDL.h>
#include <SDL2/SDL_image.h>

#include "headless.h"
#include "itest.h"
#include "render_map.h"
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

static void preview_png(void **state)
{
    struct itest_resp r;
    SDL_Surface *land, *port, *tuira;
    char extra[64];
    struct render_map_buf mb;
    struct render_map_header hb;
    struct taulu_card c;
    struct taulu_card_version v;
    struct render_headless *h = NULL;
    struct render_profile prof = {1920, 1080, 55.0, 3.0};
    const uint8_t *px;
    int pw, ph, pitch, y, diff_rows = 0;
    long long now;
    char fonts[1024];
    const char *slash;

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

    memset(&c, 0, sizeof(c));
    memset(&v, 0, sizeof(v));
    snprintf(v.lang, sizeof(v.lang), "fi");
    v.plain = true;
    v.title = "Kävelyryhmä";
    v.body = "Lähdemme kävelylle joka tiistai. Tule mukaan!";
    c.id = "preview";
    /* the sender's one organisation: the credit line the screens show */
    c.org = "Oulun Muistiyhdistys";
    c.kind = TAULU_CARD_BULLETIN;
    c.category = TAULU_CATEGORY_LIFESTYLE; /* "elintavat" */
    c.versions = &v;
    c.n_versions = 1;
    render_map_buf_init(&mb);
    render_map_header_init(&hb);
    assert_int_equal(
        render_map_card(&mb, &c, &v, &taulu_tz_helsinki, now, NULL), 0);
    assert_int_equal(render_map_header(&hb, "Tuiran hyvinvointikeskus", NULL,
                                       "fi", &taulu_tz_helsinki, now, 1, 1),
                     0);
    /* the repository's fonts/, from this file's place in it */
    slash = strstr(__FILE__, "/tests/integration/");
    assert_non_null(slash);
    snprintf(fonts, sizeof(fonts), "%.*s/fonts", (int)(slash - __FILE__),
             __FILE__);
    assert_int_equal(render_headless_new(fonts, &prof, NULL, &h), 0);
    assert_int_equal(render_headless_draw(h, &mb.card, &hb.header, 0, NULL), 0);
    render_headless_pixels(h, &px, &pw, &ph, &pitch);
    assert_int_equal(pw, tuira->w);
    assert_int_equal(ph, tuira->h);
    for (y = 0; y < ph; y++) {
        if (memcmp(px + (size_t)y * (size_t)pitch,
                   (const uint8_t *)tuira->pixels +
                       (size_t)y * (size_t)tuira->pitch,
                   (size_t)pw * 4) != 0) {
            diff_rows++;
        }
    }
    assert_int_equal(diff_rows, 0); /* pixel-identical */
    render_headless_free(h);
    render_map_buf_release(&mb);
    render_map_header_release(&hb);

    /* landscape and portrait are different pictures, not one resized */
    assert_true(land->w != port->w);
    SDL_FreeSurface(land);
    SDL_FreeSurface(port);
    SDL_FreeSurface(tuira);
}

static void preview_refusals(void **state)
{
    char *body;
    struct itest_resp r;

    (void)state;
    /* neither or both of orientation and profile */
    body = text_body("Kävelyryhmä", "Tule mukaan.", "");
    assert_int_equal(
        itest_req(&srv, "POST", "/api/v1/preview", &w.mem_a, body, &r), 0);
    assert_int_equal(r.status, 400);
    itest_resp_free(&r);
    free(body);
    body = text_body("Kävelyryhmä", "Tule mukaan.",
                     "\"orientation\":\"portrait\",\"profile\":0");
    assert_int_equal(
        itest_req(&srv, "POST", "/api/v1/preview", &w.mem_a, body, &r), 0);
    assert_int_equal(r.status, 400);
    itest_resp_free(&r);
    free(body);
    /* a profile the centres do not have */
    body = text_body("Kävelyryhmä", "Tule mukaan.", "\"profile\":3");
    assert_int_equal(
        itest_req(&srv, "POST", "/api/v1/preview", &w.mem_a, body, &r), 0);
    assert_int_equal(r.status, 400);
    itest_resp_free(&r);
    free(body);
    /* a page the card does not have */
    body = text_body("Kävelyryhmä", "Tule mukaan.",
                     "\"orientation\":\"portrait\",\"page\":3");
    assert_int_equal(
        itest_req(&srv, "POST", "/api/v1/preview", &w.mem_a, body, &r), 0);
    assert_int_equal(r.status, 400);
    itest_resp_free(&r);
    free(body);
    body = text_body("Kävelyryhmä", "Tule mukaan.",
                     "\"orientation\":\"portrait\"");
    assert_int_equal(
        itest_req(&srv, "POST", "/api/v1/preview", &w.anon, body, &r), 0);
    assert_int_equal(r.status, 401);
    itest_resp_free(&r);
    free(body);
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
        cmocka_unit_test(server_stops_cleanly),
    };
    (void)s_portrait;
    (void)s_near;
    return cmocka_run_group_tests(tests, setup, teardown);
}
