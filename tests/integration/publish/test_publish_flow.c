/*
 * test_publish_flow.c: the publishing pipeline end to end with real parts:
 * the real infotaulu-server on a loopback port, its SQLite file, a REAL
 * Mosquitto whose password and ACL files the server writes, and the screen
 * as a real MQTT client with its own credentials.
 *
 *   approve -> the screen receives the retained pointer -> fetches the
 *   signed manifest with its token -> taulu_manifest_load_signed() with the
 *   server's public key -> the card is there; 304 when unchanged; another
 *   screen's token -> 403; status -> "live on 1/1"; edit -> back to review
 *   -> new pointer, card withdrawn; alert for the centre appears and
 *   disappears by itself at its end; an uploaded image is served immutable,
 *   and a phone's portrait photo (Exif Orientation 6) is stored upright.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <curl/curl.h>

#include <SDL.h>
#include <SDL_image.h>

#include "itest.h"
#include "mqttc.h"
#include "pubsys.h"
#include "taulu_crypto.h"
#include "taulu_manifest.h"
#include "taulu_proto.h"
#include "tsupport.h"

static struct itest_server srv;
static struct itest_world w;
static struct tsupport_broker broker;
static char screen_id[PUBSYS_ID_MAX], status_topic[PUBSYS_TOPIC_MAX],
    desired_topic[PUBSYS_TOPIC_MAX];

struct got {
    long status;
    struct taulu_buf body;
    char etag[100];
    char cache_control[200];
};

static size_t on_body(char *p, size_t size, size_t n, void *ctx)
{
    struct got *g = ctx;
    return taulu_buf_append(&g->body, p, size * n) == 0 ? size * n : 0;
}

static size_t on_header(char *p, size_t size, size_t n, void *ctx)
{
    struct got *g = ctx;
    size_t len = size * n;

    if (len > 6 && strncasecmp(p, "ETag: ", 6) == 0) {
        snprintf(g->etag, sizeof g->etag, "%.*s", (int)(len - 8), p + 6);
    }
    if (len > 15 && strncasecmp(p, "Cache-Control: ", 15) == 0) {
        snprintf(g->cache_control, sizeof g->cache_control, "%.*s",
                 (int)(len - 17), p + 15);
    }
    return len;
}

/* GET with a bearer token and an optional If-None-Match. */
static void get(const char *path, const char *bearer, const char *inm,
                struct got *g)
{
    CURL *c = curl_easy_init();
    struct curl_slist *h = NULL;
    char url[400], hdr[300];

    memset(g, 0, sizeof *g);
    taulu_buf_init(&g->body, TAULU_MANIFEST_SIGNED_MAX_BYTES);
    snprintf(url, sizeof url, "http://127.0.0.1:%u%s", srv.port, path);
    snprintf(hdr, sizeof hdr, "Authorization: Bearer %s", bearer);
    h = curl_slist_append(h, hdr);
    if (inm) {
        snprintf(hdr, sizeof hdr, "If-None-Match: %s", inm);
        h = curl_slist_append(h, hdr);
    }
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, g);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, g);
    assert_int_equal(curl_easy_perform(c), CURLE_OK);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &g->status);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
}

static void read_pk(uint8_t pk[TAULU_SIGN_PK_LEN])
{
    char path[600];

    snprintf(path, sizeof path, "%s/data/keys/server.pub", srv.dir);
    assert_int_equal(taulu_read_public_key(path, pk), 0);
}

/* Waits for a pointer with seq > after; fills it. */
static void wait_pointer(struct mqttc *c, int64_t after,
                         struct taulu_proto_desired *d, int timeout_ms)
{
    double until = mqttc_now_ms() + timeout_ms;
    size_t i;

    while (mqttc_now_ms() < until) {
        size_t n = mqttc_count(c);
        for (i = 0; i < n; i++) {
            struct mqttc_msg m;
            mqttc_get(c, i, &m);
            if (strcmp(m.topic, desired_topic) == 0 &&
                taulu_proto_desired_parse(m.payload, strlen(m.payload), d,
                                          NULL) == 0 &&
                d->seq > after) {
                return;
            }
        }
        mqttc_wait(c, n + 1, 100);
    }
    fail_msg("no pointer with seq > %lld within %d ms", (long long)after,
             timeout_ms);
}

/* Fetches and verifies the screen's manifest; checks it is the one the
 * pointer names. */
static struct taulu_manifest *fetch(const struct taulu_proto_desired *d,
                                    char etag[100])
{
    uint8_t pk[TAULU_SIGN_PK_LEN];
    struct taulu_manifest *m = NULL;
    struct taulu_buf why;
    struct got g;
    char path[200];

    read_pk(pk);
    snprintf(path, sizeof path, "/api/v1/screens/%s/manifest", screen_id);
    get(path, w.screen.bearer, NULL, &g);
    assert_int_equal(g.status, 200);
    taulu_buf_init(&why, 1024);
    if (taulu_manifest_load_signed(g.body.data, g.body.len, pk, d->sha256,
                                   screen_id, d->seq, &m, &why) != 0) {
        fail_msg("manifest refused: %s", why.data);
    }
    taulu_buf_release(&why);
    assert_int_equal(m->seq, d->seq);
    snprintf(etag, 100, "%s", g.etag);
    taulu_buf_release(&g.body);
    return m;
}

static int has_card(const struct taulu_manifest *m, long long item)
{
    char id[32];
    size_t i;

    snprintf(id, sizeof id, "i%lld", item);
    for (i = 0; i < m->n_cards; i++) {
        if (strcmp(m->cards[i].id, id) == 0) {
            return 1;
        }
    }
    return 0;
}

static int setup(void **state)
{
    (void)state;
    pubsys_setup(&srv, &broker, &w, "publish_flow", screen_id, status_topic,
                 desired_topic);
    return 0;
}

/* Last in the group: a sanitizer build reports leaks at exit and exits
 * non-zero, which a group teardown could not fail on. */
static void server_stops_cleanly(void **state)
{
    (void)state;
    assert_int_equal(itest_stop(&srv), 0);
}

static int teardown(void **state)
{
    (void)state;
    pubsys_teardown(&srv, &broker);
    return 0;
}

/* The screen connects with its own id and token (the broker reloaded the
 * files the server wrote when the screen was created). */
static struct mqttc *screen_client(void)
{
    struct mqttc *c = NULL;
    char topic[160];
    int i;

    for (i = 0; i < 50 && !c; i++) {
        c = mqttc_connect(broker.port, screen_id, w.screen.bearer, NULL);
        if (!c) {
            usleep(100000);
        }
    }
    assert_non_null(c);
    snprintf(topic, sizeof topic, "pohde/v1/screens/%s/desired", screen_id);
    assert_int_equal(mqttc_subscribe(c, topic), 0);
    return c;
}

static void test_flow(void **state)
{
    struct mqttc *scr = screen_client();
    struct taulu_proto_desired d0, d1, d2, d3, d4;
    struct taulu_manifest *m;
    struct got g;
    char path[300], etag[100], payload[300], other[128], body[600];
    long long item, pl, s2;
    cJSON *j, *c;
    int64_t seq0;

    (void)state;
    /* The retained pointer of the empty screen is there at once. */
    wait_pointer(scr, 0, &d0, 5000);
    seq0 = d0.seq;
    m = fetch(&d0, etag);
    assert_int_equal(m->n_cards, 0);
    taulu_manifest_free(m);

    /* Aino submits, Tuula approves: a new pointer, the card is on it. */
    item = itest_item(&srv, &w.mem_a, w.org_a, "[1]", "Muistikahvila");
    pl = itest_placement(&srv, &w.con_1, item, w.c1);
    snprintf(path, sizeof path, "/api/v1/placements/%lld/approve", pl);
    cJSON_Delete(
        itest_call(&srv, &w.con_1, 200, "POST", path, "{\"item_version\":1}"));
    wait_pointer(scr, seq0, &d1, 2000);
    m = fetch(&d1, etag);
    assert_true(has_card(m, item));
    taulu_manifest_free(m);

    /* Unchanged: 304 with the same ETag, which is the pointer's hash. */
    snprintf(path, sizeof path, "/api/v1/screens/%s/manifest", screen_id);
    get(path, w.screen.bearer, etag, &g);
    assert_int_equal(g.status, 304);
    assert_int_equal(g.body.len, 0);
    taulu_buf_release(&g.body);
    assert_memory_equal(etag + 1, d1.sha256, 64);

    /* Another screen's token: 403. No token: 401. */
    j = itest_call(&srv, &w.coord, 201, "POST", "/api/v1/screens",
                   "{\"centre_id\":%lld,\"name\":\"Kaakkuri 2\","
                   "\"orientation\":\"landscape\",\"width_px\":1920,"
                   "\"height_px\":1080,\"diagonal_in\":55,"
                   "\"viewing_distance_m\":3}",
                   w.c2);
    s2 = itest_int(j, "id");
    snprintf(other, sizeof other, "%s", itest_str(j, "token"));
    /* Provisioning answer: public key and a ready player config. */
    assert_non_null(itest_str(j, "server_public_key"));
    assert_non_null(strstr(itest_str(j, "player_config"), "screen_id = "));
    assert_non_null(strstr(itest_str(j, "player_config"), "mqtt_prefix = "
                                                          "pohde"));
    cJSON_Delete(j);
    get(path, other, NULL, &g);
    assert_int_equal(g.status, 403);
    taulu_buf_release(&g.body);
    get(path, "tss_0000", NULL, &g);
    assert_int_equal(g.status, 401);
    taulu_buf_release(&g.body);
    (void)s2;

    /* The screen reports it applied the manifest: live on 1/1. */
    snprintf(payload, sizeof payload,
             "{\"v\":1,\"state\":\"online\",\"seq\":%lld,\"sha256\":\"%s\"}",
             (long long)d1.seq, d1.sha256);
    snprintf(body, sizeof body, "pohde/v1/screens/%s/status", screen_id);
    assert_int_equal(mqttc_publish(scr, body, payload, 1), 0);
    usleep(300000);
    snprintf(path, sizeof path, "/api/v1/items/%lld/live", item);
    j = itest_call(&srv, &w.mem_a, 200, "GET", path, NULL);
    c = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(j, "centres"), 0);
    assert_int_equal(itest_int(c, "live"), 1);
    assert_int_equal(itest_int(c, "total"), 1);
    cJSON_Delete(j);

    /* Edited: back to review; the centre withdraws it (the default). */
    snprintf(path, sizeof path, "/api/v1/items/%lld", item);
    {
        char until[32];
        itest_iso(7 * 86400, until);
        cJSON_Delete(itest_call(
            &srv, &w.mem_a, 200, "PUT", path,
            "{\"version\":1,\"kind\":\"bulletin\",\"category\":\"elintavat\","
            "\"display_until\":\"%s\",\"texts\":[{\"lang\":\"fi\","
            "\"plain\":true,\"title\":\"Muistikahvila\",\"body\":\"Klo 18.\"}]"
            "}",
            until));
    }
    wait_pointer(scr, d1.seq, &d2, 2000);
    m = fetch(&d2, etag);
    assert_false(has_card(m, item));
    taulu_manifest_free(m);

    /* An alert for Tuira, ending in 3 s: on the screen at once, gone by
     * itself at its end (nobody asks the server to rebuild). */
    {
        char ends[32];
        itest_iso(3, ends);
        cJSON_Delete(itest_call(
            &srv, &w.con_1, 201, "POST", "/api/v1/alerts",
            "{\"centre_id\":%lld,\"ends_at\":\"%s\",\"texts\":[{\"lang\":"
            "\"fi\",\"title\":\"Vesi on poikki\",\"body\":\"Vesi palaa "
            "kello 13.\"}]}",
            w.c1, ends));
    }
    wait_pointer(scr, d2.seq, &d3, 2000);
    m = fetch(&d3, etag);
    assert_int_equal(m->n_alerts, 1);
    assert_string_equal(m->alerts[0].versions[0].title, "Vesi on poikki");
    taulu_manifest_free(m);
    wait_pointer(scr, d3.seq, &d4, 6000);
    m = fetch(&d4, etag);
    assert_int_equal(m->n_alerts, 0);
    taulu_manifest_free(m);

    mqttc_close(scr);
}

/* An image: uploaded by a member, served to the screen immutable. */
static void test_image(void **state)
{
    SDL_Surface *s =
        SDL_CreateRGBSurfaceWithFormat(0, 64, 64, 32, SDL_PIXELFORMAT_RGBA32);
    unsigned char *mem = malloc(1 << 20);
    SDL_RWops *rw = SDL_RWFromMem(mem, 1 << 20);
    struct itest_resp r;
    struct got g;
    char path[200], hex[65];
    size_t len;

    (void)state;
    assert_non_null(s);
    SDL_FillRect(s, NULL, SDL_MapRGBA(s->format, 200, 30, 30, 255));
    assert_int_equal(IMG_SaveJPG_RW(s, rw, 0, 90), 0);
    len = (size_t)SDL_RWtell(rw);
    SDL_RWclose(rw);
    SDL_FreeSurface(s);
    assert_int_equal(itest_req_raw(&srv, "POST", "/api/v1/images", &w.mem_a,
                                   (const char *)mem, len, "image/jpeg", &r),
                     0);
    assert_int_equal(r.status, 201);
    snprintf(path, sizeof path, "/api/v1/assets/%s",
             itest_str(r.json, "sha256"));
    itest_resp_free(&r);
    get(path, w.screen.bearer, NULL, &g);
    assert_int_equal(g.status, 200);
    assert_string_equal(g.cache_control, "public, max-age=31536000, immutable");
    taulu_sha256_hex(g.body.data, g.body.len, hex);
    assert_string_equal(hex, path + strlen("/api/v1/assets/"));
    taulu_buf_release(&g.body);
    /* Truncated upload: 422 with the catalogue's message. */
    assert_int_equal(itest_req_raw(&srv, "POST", "/api/v1/images", &w.mem_a,
                                   (const char *)mem, len / 2, "image/jpeg",
                                   &r),
                     0);
    assert_int_equal(r.status, 422);
    assert_string_equal(
        itest_str(cJSON_GetObjectItemCaseSensitive(r.json, "error"), "code"),
        "image_corrupt");
    itest_resp_free(&r);
    free(mem);

    /* Over 8 MiB: 413 from the Content-Length, before the body is read;
     * without credentials: 401, also before the body is read. */
    {
        size_t big = 8u * 1024u * 1024u + 1;
        char *junk = calloc(1, big);
        struct itest_auth anon;

        assert_non_null(junk);
        memset(&anon, 0, sizeof anon);
        if (itest_req_raw(&srv, "POST", "/api/v1/images", &w.mem_a, junk, big,
                          "image/png", &r) == 0) {
            assert_int_equal(r.status, 413);
            itest_resp_free(&r);
        }
        if (itest_req_raw(&srv, "POST", "/api/v1/images", &anon, junk,
                          1024 * 1024, "image/png", &r) == 0) {
            assert_int_equal(r.status, 401);
            itest_resp_free(&r);
        }
        free(junk);
    }
    /* The server keeps serving. */
    get(path, w.screen.bearer, NULL, &g);
    assert_int_equal(g.status, 200);
    taulu_buf_release(&g.body);
}

/* A phone's portrait photo: stored as a 64 x 32 frame with Exif
 * Orientation 6 ("turn 90° clockwise"). The stored PNG is 32 x 64 and the
 * frame's top-left corner (red) is at its top right. */
static void test_image_exif_orientation(void **state)
{
    /* APP1: "Exif\0\0", TIFF "MM", IFD0 at 8 with one entry, Orientation
     * (0x0112) SHORT 1 = 6, no next IFD. */
    static const unsigned char app1[] = {
        0xff, 0xe1, 0x00, 0x22, 'E',  'x',  'i',  'f',  0x00, 0x00, 'M',  'M',
        0x00, 0x2a, 0x00, 0x00, 0x00, 0x08, 0x00, 0x01, 0x01, 0x12, 0x00, 0x03,
        0x00, 0x00, 0x00, 0x01, 0x00, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
    SDL_Surface *s =
        SDL_CreateRGBSurfaceWithFormat(0, 64, 32, 32, SDL_PIXELFORMAT_RGBA32);
    unsigned char *mem = malloc(1 << 20), *up;
    SDL_RWops *rw = SDL_RWFromMem(mem, 1 << 20);
    SDL_Rect tl = {0, 0, 32, 16};
    struct itest_resp r;
    struct got g;
    char path[200];
    size_t len;

    (void)state;
    assert_non_null(s);
    assert_non_null(mem);
    SDL_FillRect(s, NULL, SDL_MapRGBA(s->format, 0, 0, 255, 255));
    SDL_FillRect(s, &tl, SDL_MapRGBA(s->format, 255, 0, 0, 255));
    assert_int_equal(IMG_SaveJPG_RW(s, rw, 0, 95), 0);
    len = (size_t)SDL_RWtell(rw);
    SDL_RWclose(rw);
    SDL_FreeSurface(s);
    /* SOI, the Exif segment, then the rest of the encoder's file */
    up = malloc(len + sizeof app1);
    assert_non_null(up);
    memcpy(up, mem, 2);
    memcpy(up + 2, app1, sizeof app1);
    memcpy(up + 2 + sizeof app1, mem + 2, len - 2);

    assert_int_equal(itest_req_raw(&srv, "POST", "/api/v1/images", &w.mem_a,
                                   (const char *)up, len + sizeof app1,
                                   "image/jpeg", &r),
                     0);
    assert_int_equal(r.status, 201);
    assert_int_equal(itest_int(r.json, "width"), 32);
    assert_int_equal(itest_int(r.json, "height"), 64);
    assert_int_equal(itest_int(r.json, "original_width"), 64);
    assert_int_equal(itest_int(r.json, "original_height"), 32);
    snprintf(path, sizeof path, "/api/v1/assets/%s",
             itest_str(r.json, "sha256"));
    itest_resp_free(&r);

    /* What a screen downloads. */
    get(path, w.screen.bearer, NULL, &g);
    assert_int_equal(g.status, 200);
    rw = SDL_RWFromConstMem(g.body.data, (int)g.body.len);
    assert_non_null(rw);
    s = IMG_Load_RW(rw, 1);
    assert_non_null(s);
    {
        SDL_Surface *rgba =
            SDL_ConvertSurfaceFormat(s, SDL_PIXELFORMAT_RGBA32, 0);
        const unsigned char *top_right, *top_left, *bottom_right;

        assert_non_null(rgba);
        assert_int_equal(rgba->w, 32);
        assert_int_equal(rgba->h, 64);
        top_right = (const unsigned char *)rgba->pixels + 4 * rgba->pitch +
                    (rgba->w - 5) * 4;
        top_left =
            (const unsigned char *)rgba->pixels + 4 * rgba->pitch + 4 * 4;
        bottom_right = (const unsigned char *)rgba->pixels +
                       (size_t)(rgba->h - 5) * rgba->pitch + (rgba->w - 5) * 4;
        assert_true(top_right[0] > 200 && top_right[2] < 60); /* red */
        assert_true(top_left[2] > 200 && top_left[0] < 60);   /* blue */
        assert_true(bottom_right[2] > 200 && bottom_right[0] < 60);
        SDL_FreeSurface(rgba);
    }
    SDL_FreeSurface(s);
    taulu_buf_release(&g.body);
    free(up);
    free(mem);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_flow),
        cmocka_unit_test(test_image),
        cmocka_unit_test(test_image_exif_orientation),
        cmocka_unit_test(server_stops_cleanly),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
