/*
 * test_loop_preview.c: the loop budget and the preview of the real target
 * screens, through the real parts: the real infotaulu-server with its
 * SQLite file and fonts, a real Mosquitto, a screen as a real MQTT client.
 *
 *   - a centre's loop budget: 5 minutes unless set, set through the API
 *     (60..3600 s), carried in its screens' manifests as centre.loop_s;
 *   - the loop a screen reports in its status (its length, everything in
 *     one pass, the cards taking turns and how many a loop) reaches the
 *     centre's live status API;
 *   - POST /api/v1/preview/screens: every distinct real profile of the
 *     chosen centres (the reported one where the player said so), every
 *     page as a PNG no longer than asked on its longer side, and the fit
 *     gate's verdict per screen in words; a text that does not fit one
 *     screen is said so there and not on the others; the answer is
 *     bounded (at most 6 screens: the rest counted), refused to the
 *     anonymous and to a screen's token. Prints its time and size.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "itest.h"
#include "mqttc.h"
#include "pubsys.h"
#include "taulu_buf.h"
#include "taulu_crypto.h"
#include "taulu_proto.h"
#include "tsupport.h"

static struct itest_server srv;
static struct itest_world w;
static struct tsupport_broker broker;
static char screen_id[PUBSYS_ID_MAX], status_topic[PUBSYS_TOPIC_MAX],
    desired_topic[PUBSYS_TOPIC_MAX];

static int setup(void **state)
{
    (void)state;
    pubsys_setup(&srv, &broker, &w, "loop_preview", screen_id, status_topic,
                 desired_topic);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    pubsys_teardown(&srv, &broker);
    return 0;
}

static void new_screen(long long centre, const char *name, int w_px, int h_px,
                       double diag, double dist)
{
    cJSON_Delete(
        itest_call(&srv, &w.coord, 201, "POST", "/api/v1/screens",
                   "{\"centre_id\":%lld,\"name\":\"%s\",\"orientation\":\"%s\","
                   "\"width_px\":%d,\"height_px\":%d,\"diagonal_in\":%g,"
                   "\"viewing_distance_m\":%g}",
                   centre, name, w_px >= h_px ? "landscape" : "portrait", w_px,
                   h_px, diag, dist));
}

/* ---- the loop budget ---- */

static bool manifest_has(const char *needle)
{
    char path[96];
    int i;

    snprintf(path, sizeof path, "/api/v1/screens/%s/manifest", screen_id);
    for (i = 0; i < 50; i++) {
        struct itest_resp r;
        bool found;

        assert_int_equal(itest_req(&srv, "GET", path, &w.screen, NULL, &r), 0);
        found = r.status == 200 && r.body && strstr(r.body, needle);
        itest_resp_free(&r);
        if (found) {
            return true;
        }
        usleep(100000);
    }
    return false;
}

static void loop_budget(void **state)
{
    char path[64];
    cJSON *c;
    struct itest_resp r;

    (void)state;
    snprintf(path, sizeof path, "/api/v1/centres/%lld", w.c1);
    c = itest_call(&srv, &w.coord, 200, "GET", path, NULL);
    assert_int_equal(itest_int(c, "loop_s"), 300);
    cJSON_Delete(c);
    /* the manifest says nothing or 300 until it is set: the default */
    assert_true(manifest_has("\"loop_s\":300"));

    cJSON_Delete(itest_call(&srv, &w.coord, 204, "PUT", path,
                            "{\"name\":\"Tuiran hyvinvointikeskus\","
                            "\"municipality\":\"564\",\"area_id\":%lld,"
                            "\"languages\":[\"fi\",\"sv\"],\"loop_s\":240}",
                            w.area));
    c = itest_call(&srv, &w.coord, 200, "GET", path, NULL);
    assert_int_equal(itest_int(c, "loop_s"), 240);
    cJSON_Delete(c);
    assert_true(manifest_has("\"closed_behaviour\":\"dark\",\"loop_s\":240}"));

    /* out of range: refused with the field named */
    assert_int_equal(itest_req(&srv, "PUT", path, &w.coord,
                               "{\"name\":\"Tuiran hyvinvointikeskus\","
                               "\"municipality\":\"564\",\"loop_s\":59}",
                               &r),
                     0);
    assert_int_equal(r.status, 400);
    assert_non_null(strstr(r.body, "loop_s"));
    itest_resp_free(&r);
    /* a contact person may not set it */
    assert_int_equal(itest_req(&srv, "PUT", path, &w.con_1,
                               "{\"name\":\"Tuiran hyvinvointikeskus\","
                               "\"municipality\":\"564\",\"loop_s\":600}",
                               &r),
                     0);
    assert_int_equal(r.status, 403);
    itest_resp_free(&r);
}

/* ---- the loop a screen reports, in the live status ---- */

static void live_loop(void **state)
{
    struct taulu_proto_status st;
    struct taulu_buf b;
    struct mqttc *c = NULL;
    char path[64];
    const cJSON *loop = NULL;
    int i;

    (void)state;
    for (i = 0; i < 50 && !c; i++) {
        c = mqttc_connect_will(broker.port, screen_id, w.screen.bearer,
                               status_topic, "{\"v\":1,\"state\":\"offline\"}",
                               NULL);
        if (!c) {
            usleep(100000);
        }
    }
    assert_non_null(c);
    taulu_proto_status_init(&st);
    st.state = TAULU_SCREEN_ONLINE;
    st.has_loop = true;
    st.loop_s = 280;
    st.loop_all_s = 1000;
    st.loop_turns = 12;
    st.loop_window = 3;
    taulu_buf_init(&b, TAULU_PROTO_MAX_PAYLOAD);
    assert_int_equal(taulu_proto_status_write(&st, &b), 0);
    assert_int_equal(mqttc_publish(c, status_topic, b.data, 1), 0);
    taulu_buf_release(&b);

    snprintf(path, sizeof path, "/api/v1/centres/%lld/live", w.c1);
    for (i = 0; i < 50; i++) {
        cJSON *live = itest_call(&srv, &w.con_1, 200, "GET", path, NULL);
        const cJSON *s = cJSON_GetArrayItem(
            cJSON_GetObjectItemCaseSensitive(live, "screens"), 0);
        const cJSON *l = cJSON_GetObjectItemCaseSensitive(s, "loop");

        if (cJSON_IsObject(l)) {
            assert_int_equal(itest_int(l, "seconds"), 280);
            assert_int_equal(itest_int(l, "all_seconds"), 1000);
            assert_int_equal(itest_int(l, "turns"), 12);
            assert_int_equal(itest_int(l, "window"), 3);
            loop = l;
        }
        cJSON_Delete(live);
        if (loop) {
            break;
        }
        usleep(100000);
    }
    assert_non_null(loop);
    mqttc_close(c);
}

/* ---- the preview of the real targets ---- */

static const char png_sig[8] = {'\x89', 'P',  'N',    'G',
                                '\r',   '\n', '\x1a', '\n'};

/* The PNG of a data URL decodes and is w x h (from its IHDR). */
static void check_png(const char *url, int w_px, int h_px)
{
    static const char prefix[] = "data:image/png;base64,";
    const char *b64;
    size_t len, n;
    uint8_t *png;

    assert_int_equal(strncmp(url, prefix, sizeof prefix - 1), 0);
    b64 = url + sizeof prefix - 1;
    len = strlen(b64);
    n = len / 4 * 3 - (len >= 1 && b64[len - 1] == '=') -
        (len >= 2 && b64[len - 2] == '=');
    png = malloc(n);
    assert_non_null(png);
    assert_int_equal(taulu_base64_decode(b64, png, n), 0);
    assert_memory_equal(png, png_sig, 8);
    assert_int_equal(
        (png[16] << 24) | (png[17] << 16) | (png[18] << 8) | png[19], w_px);
    assert_int_equal(
        (png[20] << 24) | (png[21] << 16) | (png[22] << 8) | png[23], h_px);
    free(png);
}

static cJSON *screens_preview(const struct itest_auth *as, long want,
                              const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static cJSON *screens_preview(const struct itest_auth *as, long want,
                              const char *fmt, ...)
{
    struct itest_resp r;
    char body[4096];
    va_list ap;
    cJSON *j;

    va_start(ap, fmt);
    vsnprintf(body, sizeof body, fmt, ap);
    va_end(ap);
    assert_int_equal(
        itest_req(&srv, "POST", "/api/v1/preview/screens", as, body, &r), 0);
    if (r.status != want) {
        fail_msg("preview/screens -> %ld: %s", r.status, r.body);
    }
    print_message("preview/screens: %ld, %zu bytes\n", r.status,
                  r.body ? strlen(r.body) : 0);
    j = r.json;
    r.json = NULL;
    itest_resp_free(&r);
    return j;
}

static const cJSON *screen_named(const cJSON *ans, const char *part)
{
    const cJSON *s;

    cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(ans, "screens"))
    {
        if (strstr(itest_str(s, "name"), part)) {
            return s;
        }
    }
    fail_msg("no screen named %s", part);
    return NULL;
}

static void preview_screens(void **state)
{
    cJSON *ans;
    const cJSON *s, *im, *lim;
    int n = 0, k;

    (void)state;
    /* Tuira: Aula 1 (55" 1080p, 3 m); Raahe: a portrait 43" read from
     * 2.5 m and a 43" 4K panel read from 4 m */
    new_screen(w.c3, "Raahe, käytävä", 1080, 1920, 43, 2.5);
    new_screen(w.c3, "Raahe, odotus", 3840, 2160, 43, 4);
    ans = screens_preview(
        &w.mem_a, 200,
        "{\"lang\":\"fi\",\"plain\":true,\"title\":\"Kävelyryhmä\","
        "\"body\":\"Lähdemme kävelylle pihalta. Tule mukaan!\","
        "\"category\":\"elintavat\",\"centres\":[%lld,%lld],"
        "\"image_px\":480}",
        w.c1, w.c3);
    print_message("elapsed %lld us, %lld PNG bytes\n",
                  itest_int(ans, "elapsed_us"), itest_int(ans, "png_bytes"));
    cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(ans, "screens"))
    {
        const cJSON *imgs = cJSON_GetObjectItemCaseSensitive(s, "images");
        int wp = (int)itest_int(s, "width_px"),
            hp = (int)itest_int(s, "height_px");
        int iw, ih;

        n++;
        assert_false(
            cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(s, "default")));
        assert_true(itest_int(s, "pages") >= 1);
        assert_int_equal(cJSON_GetArraySize(imgs), itest_int(s, "pages"));
        assert_int_equal(itest_int(s, "pages_left_out"), 0);
        im = cJSON_GetArrayItem(imgs, 0);
        iw = (int)itest_int(im, "width");
        ih = (int)itest_int(im, "height");
        /* the longer side brought to 480, the screen's shape kept */
        assert_int_equal(iw > ih ? iw : ih, 480);
        assert_true(abs(iw * hp - ih * wp) <= (wp > hp ? wp : hp));
        check_png(itest_str(im, "png"), iw, ih);
        assert_non_null(
            itest_str(cJSON_GetObjectItemCaseSensitive(s, "verdict"), "fi"));
        assert_non_null(
            itest_str(cJSON_GetObjectItemCaseSensitive(s, "words"), "sv"));
    }
    assert_int_equal(n, 3);
    assert_int_equal(itest_int(ans, "screens_left_out"), 0);
    s = screen_named(ans, "Aula 1");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(s, "fits")));
    assert_string_equal(
        itest_str(cJSON_GetObjectItemCaseSensitive(s, "verdict"), "fi"),
        "Mahtuu näytölle yhdelle sivulle.");
    cJSON_Delete(ans);

    /* the same text does not fit one page of the 4K panel read from 4 m
     * (test_fit_gate.c): said so in words naming that screen; it fits
     * Aula 1 */
    ans = screens_preview(&w.mem_a, 200,
                          "{\"lang\":\"fi\",\"plain\":true,"
                          "\"title\":\"Kävelyryhmä\",\"body\":\"Lähdemme "
                          "kävelylle pihalta. Tule mukaan!\","
                          "\"centres\":[%lld,%lld]}",
                          w.c1, w.c3);
    s = screen_named(ans, "Raahe, odotus");
    assert_false(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(s, "fits")));
    assert_non_null(
        strstr(itest_str(cJSON_GetObjectItemCaseSensitive(s, "verdict"), "fi"),
               "Raahe, odotus"));
    {
        const char *code =
            itest_str(cJSON_GetArrayItem(
                          cJSON_GetObjectItemCaseSensitive(s, "findings"), 0),
                      "code");
        /* continuation pages, or more than a card's pages: either way
         * not one card, one page, which the gate refuses */
        assert_true(strcmp(code, "text_does_not_fit") == 0 ||
                    strcmp(code, "text_not_shown") == 0);
    }
    /* the default image size: 640 on the longer side */
    im = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(s, "images"), 0);
    assert_int_equal(itest_int(im, "width"), 640);
    s = screen_named(ans, "Aula 1");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(s, "fits")));
    cJSON_Delete(ans);

    /* no centre: the usual lobby screen, said to be that */
    ans = screens_preview(&w.mem_a, 200,
                          "{\"lang\":\"sv\",\"title\":\"Promenad\","
                          "\"body\":\"Välkommen.\"}");
    s = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(ans, "screens"), 0);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(s, "default")));
    assert_int_equal(
        cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(ans, "screens")),
        1);
    cJSON_Delete(ans);

    /* bounded: 8 distinct profiles at Kaakkuri, 6 previewed, 2 counted */
    for (k = 0; k < 8; k++) {
        char name[32];
        snprintf(name, sizeof name, "Kaakkuri %d", k + 1);
        new_screen(w.c2, name, 1280, 720, 32 + k, 2);
    }
    ans = screens_preview(&w.coord, 200,
                          "{\"lang\":\"fi\",\"title\":\"Kerho\","
                          "\"body\":\"Tervetuloa.\",\"centres\":[%lld],"
                          "\"image_px\":160}",
                          w.c2);
    assert_int_equal(
        cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(ans, "screens")),
        6);
    assert_int_equal(itest_int(ans, "screens_left_out"), 2);
    lim = cJSON_GetObjectItemCaseSensitive(ans, "limits");
    assert_int_equal(itest_int(lim, "screens"), 6);
    assert_int_equal(itest_int(lim, "image_px"), 160);
    cJSON_Delete(ans);

    /* refusals: out-of-range size, an unknown centre, anonymous, a
     * screen's token */
    cJSON_Delete(screens_preview(&w.mem_a, 400,
                                 "{\"lang\":\"fi\",\"title\":\"x\","
                                 "\"image_px\":5000}"));
    cJSON_Delete(screens_preview(&w.mem_a, 400,
                                 "{\"lang\":\"fi\",\"title\":\"x\","
                                 "\"centres\":[99999]}"));
    cJSON_Delete(
        screens_preview(&w.anon, 401, "{\"lang\":\"fi\",\"title\":\"x\"}"));
    cJSON_Delete(
        screens_preview(&w.screen, 403, "{\"lang\":\"fi\",\"title\":\"x\"}"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(loop_budget),
        cmocka_unit_test(live_loop),
        cmocka_unit_test(preview_screens),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
