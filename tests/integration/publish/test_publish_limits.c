/*
 * test_publish_limits.c: "nothing approved is lost, nothing hostile gets
 * through", with real parts: the real server on a loopback port, its
 * SQLite file, a real Mosquitto, the screen's own token, and the real
 * infotaulu-player drawing the screen's manifest headless.
 *
 *  - every text field at its limit in characters that take 2 to 3 bytes
 *    each (ä, ö, €, en and em dashes, Ukrainian, Sámi), in six languages,
 *    from an organisation whose name is at its limit, at a centre whose
 *    name is, with a 2,000-character link and an image: created (201),
 *    approved, and then in the screen's manifest with exactly the text
 *    that was sent (format 2), and drawn by the player in every language
 *    without a card left out; an alert at its limits likewise;
 *  - each boundary the outside battery found refused at submission with
 *    the field named (a link one character over, braces in a link, a link
 *    to 127.0.0.1, a title one over, an event in year 9999, an event that
 *    has ended, an event that ends before it is approved), and /preview
 *    answering 400, not 500, for a date it cannot draw;
 *  - a centre closed all week is closed on its screens; a missing centre
 *    has no live status (404);
 *  - content that still cannot be published (written to the database
 *    before these rules) is not dropped silently: the centre's live status
 *    and the item's placement say why, and /metrics counts it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include <SDL.h>
#include <SDL_image.h>

#include "itest.h"
#include "pubsys.h"
#include "taulu_crypto.h"
#include "taulu_fields.h"
#include "taulu_file.h"
#include "taulu_manifest.h"
#include "tsupport.h"

static struct itest_server srv;
static struct itest_world w;
static struct tsupport_broker broker;
static char screen_id[PUBSYS_ID_MAX], status_topic[PUBSYS_TOPIC_MAX],
    desired_topic[PUBSYS_TOPIC_MAX];

static int setup(void **state)
{
    (void)state;
    pubsys_setup(&srv, &broker, &w, "publish_limits", screen_id, status_topic,
                 desired_topic);
    return 0;
}

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

/* ---- text ---- */

/* Exactly `n` characters of `phrase` repeated (cut at a character). */
static char *fill(const char *phrase, size_t n)
{
    size_t plen = strlen(phrase), out = 0, chars = 0, i = 0;
    char *s = malloc(n * 4 + 1);

    assert_non_null(s);
    while (chars < n) {
        unsigned char c = (unsigned char)phrase[i % plen];
        size_t k = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
        memcpy(s + out, phrase + i % plen, k);
        out += k;
        i += k;
        chars++;
    }
    s[out] = '\0';
    return s;
}

/* The six languages of the test centre, and a text in each that passes
 * the checker (short plain sentences). */
#define NLANG 6
static const char *const LANGS[NLANG] = {"fi", "sv", "en", "se", "uk", "smn"};
static const char *const PHRASE[NLANG] = {
    "T\xc3\xa4m\xc3\xa4 on hyv\xc3\xa4 p\xc3\xa4iv\xc3\xa4. ",
    "Det h\xc3\xa4r \xc3\xa4r en bra dag. ",
    "This is a good day. ",
    "D\xc3\xa1t lea buorre beaivi \xc4\x8d\xc3\xa1ppa. ",
    /* (parenthesised: one literal written on several lines) */
    ("\xd0\xa6\xd0\xb5 \xd0\xb3\xd0\xb0\xd1\x80\xd0\xbd\xd0\xb8\xd0\xb9 "
     "\xd0\xb4\xd0\xb5\xd0\xbd\xd1\x8c \xd0\xb4\xd0\xbb\xd1\x8f "
     "\xd0\xb2\xd1\x81\xd1\x96\xd1\x85. "),
    ("T\xc3\xa1\xc3\xa1l\xc3\xa1\xc3\xa1 lii \xc5\xa1iev peivi "
     "\xc4\x91\xc5\x8b. "),
};
#define EN_DASH "\xe2\x80\x93"
#define EM_DASH "\xe2\x80\x94"
#define EURO    "\xe2\x82\xac"

/* One item's texts as sent, kept to compare with the manifest. */
struct sent {
    char *title[NLANG], *body[NLANG], *place, *price, *registration[NLANG],
        *contact, *alt;
};

static void sent_release(struct sent *s)
{
    for (int i = 0; i < NLANG; i++) {
        free(s->title[i]);
        free(s->body[i]);
        free(s->registration[i]);
    }
    free(s->place);
    free(s->price);
    free(s->contact);
    free(s->alt);
}

/* ---- requests ---- */

static cJSON *call_json(const struct itest_auth *as, long expect,
                        const char *method, const char *path, cJSON *body)
{
    char *text = cJSON_PrintUnformatted(body);
    cJSON *out;

    assert_non_null(text);
    out = itest_call(&srv, as, expect, method, path, "%s", text);
    cJSON_free(text);
    cJSON_Delete(body);
    return out;
}

/* A request that must be refused with `status`, `code` and `field`. */
static void refused(const struct itest_auth *as, const char *method,
                    const char *path, cJSON *body, long status,
                    const char *code, const char *field)
{
    cJSON *j = call_json(as, status, method, path, body);
    cJSON *err = cJSON_GetObjectItemCaseSensitive(j, "error");

    assert_non_null(err);
    assert_string_equal(itest_str(err, "code"), code);
    if (field) {
        assert_string_equal(itest_str(err, "field"), field);
    }
    cJSON_Delete(j);
}

static void approve_at(long long item, long long centre)
{
    char path[100];
    long long pl = itest_placement(&srv, &w.coord, item, centre);

    assert_true(pl > 0);
    snprintf(path, sizeof path, "/api/v1/placements/%lld/approve", pl);
    cJSON_Delete(
        itest_call(&srv, &w.coord, 200, "POST", path, "{\"item_version\":1}"));
}

static void read_pk(uint8_t pk[TAULU_SIGN_PK_LEN])
{
    char path[600];

    snprintf(path, sizeof path, "%s/data/keys/server.pub", srv.dir);
    assert_int_equal(taulu_read_public_key(path, pk), 0);
}

/* The screen's signed manifest once it holds every id of `want` (card or
 * alert ids), verified and parsed; the blob in *blob. */
static struct taulu_manifest *
wait_manifest(const char *sid, const struct itest_auth *token,
              const char *const *want, size_t n_want, struct taulu_buf *blob)
{
    uint8_t pk[TAULU_SIGN_PK_LEN];
    struct taulu_manifest *m = NULL;
    struct taulu_buf why;
    char path[200], needle[80];
    struct itest_resp r;
    size_t k, found = 0;
    int i;

    read_pk(pk);
    snprintf(path, sizeof path, "/api/v1/screens/%s/manifest", sid);
    for (i = 0; i < 200; i++) {
        assert_int_equal(itest_req(&srv, "GET", path, token, NULL, &r), 0);
        found = 0;
        for (k = 0; r.status == 200 && k < n_want; k++) {
            snprintf(needle, sizeof needle, "\"id\":\"%s\"", want[k]);
            found += r.body && strstr(r.body, needle) != NULL;
        }
        if (r.status == 200 && found == n_want) {
            break;
        }
        itest_resp_free(&r);
        usleep(50000);
    }
    assert_int_equal(found, n_want);
    assert_int_equal(r.status, 200);
    taulu_buf_reset(blob);
    assert_int_equal(taulu_buf_append(blob, r.body, r.len), 0);
    itest_resp_free(&r);
    taulu_buf_init(&why, 4096);
    if (taulu_manifest_load_signed(blob->data, blob->len, pk, NULL, sid, 0, &m,
                                   &why) != 0) {
        fail_msg("manifest refused: %s", why.data);
    }
    taulu_buf_release(&why);
    return m;
}

static const struct taulu_card *card_of(const struct taulu_manifest *m,
                                        long long item)
{
    char id[32];

    snprintf(id, sizeof id, "i%lld", item);
    for (size_t i = 0; i < m->n_cards; i++) {
        if (strcmp(m->cards[i].id, id) == 0) {
            return &m->cards[i];
        }
    }
    fail_msg("card %s not in the manifest", id);
    return NULL;
}

/* ---- the player ---- */

/* Runs the real player headless on the blob (and its image) at instant
 * `at`, every entry of the loop: returns its stdout (one line per entry:
 * file, id, page, language, dwell) and fails on any card it could not
 * map or draw. */
static char *player_all(const struct taulu_buf *blob, const char *image_sha,
                        const struct taulu_buf *image, const char *at)
{
    char dir[512], man[700], pub[700], out[700], log[700], assets[700];
    char pkarg[720];
    uint8_t pk[TAULU_SIGN_PK_LEN];
    struct taulu_buf text;
    pid_t pid;
    int st = -1;

    assert_int_equal(tsupport_tmpdir("limits-player", dir, sizeof dir), 0);
    snprintf(man, sizeof man, "%s/manifest.signed", dir);
    snprintf(pub, sizeof pub, "%s/server.pub", dir);
    snprintf(out, sizeof out, "%s/frame.png", dir);
    snprintf(log, sizeof log, "%s/player.log", dir);
    snprintf(pkarg, sizeof pkarg, "--server_pk_file=%s", pub);
    read_pk(pk);
    assert_int_equal(taulu_write_public_key(pub, pk), 0);
    assert_int_equal(taulu_file_write_atomic(man, blob->data, blob->len, 0644),
                     0);
    if (image_sha) {
        snprintf(assets, sizeof assets, "%s/assets", dir);
        assert_int_equal(taulu_mkdir_p(assets, 0755), 0);
        snprintf(assets, sizeof assets, "%s/assets/%s", dir, image_sha);
        assert_int_equal(
            taulu_file_write_atomic(assets, image->data, image->len, 0644), 0);
    }
    pid = fork();
    if (pid == 0) {
        if (!freopen(log, "w", stdout) || dup2(fileno(stdout), 2) < 0) {
            _exit(127);
        }
        execl(PLAYER_BIN, PLAYER_BIN, "--headless", "--manifest", man, pkarg,
              "--at", at, "--all", "--out", out, "--log_level=info",
              (char *)NULL);
        _exit(127);
    }
    assert_true(pid > 0);
    assert_int_equal(waitpid(pid, &st, 0), pid);
    taulu_buf_init(&text, 4 << 20);
    assert_int_equal(taulu_file_read(log, &text), 0);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0 ||
        strstr(text.data, "cannot map") || strstr(text.data, "cannot draw")) {
        fail_msg("the player left something out or failed:\n%.4000s",
                 text.data);
    }
    return taulu_buf_detach(&text, NULL);
}

/* Whether the player's output has a line for `id` in `lang`. */
static bool drawn(const char *output, const char *id, const char *lang)
{
    char needle[100];

    snprintf(needle, sizeof needle, "\t%s\t", id);
    for (const char *p = strstr(output, needle); p; p = strstr(p + 1, needle)) {
        const char *eol = strchr(p, '\n');
        const char *l = strstr(p + strlen(needle), "\t");
        /* "<page>/<n>\t<lang>\t" */
        if (l && (!eol || l < eol) && strncmp(l + 1, lang, strlen(lang)) == 0 &&
            l[1 + strlen(lang)] == '\t') {
            return true;
        }
    }
    return false;
}

/* A small PNG to attach, as a sender uploads it. */
static void upload_image(char sha[65])
{
    SDL_Surface *s =
        SDL_CreateRGBSurfaceWithFormat(0, 64, 48, 32, SDL_PIXELFORMAT_RGBA32);
    unsigned char *mem = malloc(1 << 20);
    SDL_RWops *rw = SDL_RWFromMem(mem, 1 << 20);
    struct itest_resp r;
    size_t len;

    assert_non_null(s);
    SDL_FillRect(s, NULL, SDL_MapRGBA(s->format, 30, 120, 200, 255));
    assert_int_equal(IMG_SavePNG_RW(s, rw, 0), 0);
    len = (size_t)SDL_RWtell(rw);
    SDL_RWclose(rw);
    SDL_FreeSurface(s);
    assert_int_equal(itest_req_raw(&srv, "POST", "/api/v1/images", &w.mem_a,
                                   (const char *)mem, len, "image/png", &r),
                     0);
    assert_true(r.status == 201 || r.status == 200);
    snprintf(sha, 65, "%s", itest_str(r.json, "sha256"));
    itest_resp_free(&r);
    free(mem);
}

/* ---- every field at its limit ---- */

static cJSON *texts_json(struct sent *s, bool image)
{
    cJSON *arr = cJSON_CreateArray();

    for (int i = 0; i < NLANG; i++) {
        cJSON *t = cJSON_CreateObject();
        cJSON_AddStringToObject(t, "lang", LANGS[i]);
        cJSON_AddBoolToObject(t, "plain", true);
        cJSON_AddStringToObject(t, "title", s->title[i]);
        cJSON_AddStringToObject(t, "body", s->body[i]);
        cJSON_AddStringToObject(t, "place", s->place);
        cJSON_AddStringToObject(t, "price", s->price);
        cJSON_AddStringToObject(t, "registration", s->registration[i]);
        cJSON_AddStringToObject(t, "contact", s->contact);
        if (image) {
            cJSON_AddStringToObject(t, "image_alt", s->alt);
        }
        cJSON_AddItemToArray(arr, t);
    }
    return arr;
}

static void make_texts(struct sent *s)
{
    memset(s, 0, sizeof *s);
    for (int i = 0; i < NLANG; i++) {
        s->title[i] = fill(PHRASE[i], TAULU_TITLE_MAX_CHARS);
        s->body[i] = fill(PHRASE[i], TAULU_BODY_MAX_CHARS);
        /* 300 "ä", Ukrainian or Sámi: the registrations the battery found
         * missing */
        s->registration[i] =
            strcmp(LANGS[i], "fi") == 0
                ? fill("\xc3\xa4", TAULU_REGISTRATION_MAX_CHARS)
                : fill(PHRASE[i], TAULU_REGISTRATION_MAX_CHARS);
    }
    s->place = fill(EURO, TAULU_PLACE_MAX_CHARS);
    s->price = fill(EN_DASH, TAULU_PRICE_MAX_CHARS);
    s->contact = fill(EM_DASH, TAULU_CONTACT_MAX_CHARS);
    s->alt = fill("\xc3\xb6", TAULU_IMAGE_ALT_MAX_CHARS);
}

static void same_texts(const struct taulu_card *c, const struct sent *s,
                       bool image)
{
    assert_int_equal(c->n_versions, NLANG);
    for (int i = 0; i < NLANG; i++) {
        const struct taulu_card_version *v =
            taulu_card_version_for(c, LANGS[i]);
        assert_non_null(v);
        assert_string_equal(v->title, s->title[i]);
        assert_string_equal(v->body, s->body[i]);
        assert_string_equal(v->place, s->place);
        assert_string_equal(v->price, s->price);
        assert_string_equal(v->registration, s->registration[i]);
        assert_string_equal(v->contact, s->contact);
        if (image) {
            assert_string_equal(v->image_alt, s->alt);
        } else {
            assert_null(v->image_alt);
        }
    }
}

static void test_every_field_at_its_limit(void **state)
{
    char *centre_name = fill(PHRASE[3], TAULU_CENTRE_NAME_MAX_CHARS);
    char *org_name = fill(EN_DASH, TAULU_ORG_NAME_MAX_CHARS);
    char *link = malloc(TAULU_LINK_MAX_CHARS + 1);
    char *atitle = fill(EN_DASH, TAULU_ALERT_TITLE_MAX_CHARS);
    char *abody = fill(EURO, TAULU_ALERT_BODY_MAX_CHARS);
    char image_sha[65], start[32], end[32], until[32], now_iso[32];
    char path[200], sid[PUBSYS_ID_MAX], card_a[32], card_b[32], alert_id[32];
    struct itest_auth token;
    struct taulu_buf blob, image;
    struct taulu_manifest *m;
    struct sent sa, sb;
    long long centre, org, item_a, item_b, screen, alert;
    const struct taulu_card *c;
    const char *want[3];
    cJSON *b, *j, *langs;
    char *out;

    (void)state;
    memset(&token, 0, sizeof token);
    taulu_buf_init(&blob, TAULU_MANIFEST_SIGNED_MAX_BYTES);
    taulu_buf_init(&image, 4 << 20);
    memcpy(link, "https://example.fi/", 19);
    memset(link + 19, 'a', TAULU_LINK_MAX_CHARS - 19);
    link[TAULU_LINK_MAX_CHARS] = '\0';

    /* A centre with a name at its limit, in six languages, no screen yet
     * (the checker's fit needs screens: texts this long only come from
     * centres that get their screens later, and must then be shown). */
    b = cJSON_CreateObject();
    cJSON_AddStringToObject(b, "name", centre_name);
    cJSON_AddStringToObject(b, "municipality", "564");
    /* The longest loop budget: two cards at their limits in six languages
     * take longer than the default 5 minutes, and would take turns; the
     * player below is to draw them all in one loop. */
    cJSON_AddNumberToObject(b, "loop_s", 3600);
    langs = cJSON_AddArrayToObject(b, "languages");
    for (int i = 0; i < NLANG; i++) {
        cJSON_AddItemToArray(langs, cJSON_CreateString(LANGS[i]));
    }
    j = call_json(&w.coord, 201, "POST", "/api/v1/centres", b);
    centre = itest_int(j, "id");
    cJSON_Delete(j);
    /* An organisation whose name is 200 en dashes, member A in it. */
    b = cJSON_CreateObject();
    cJSON_AddStringToObject(b, "name", org_name);
    cJSON_AddStringToObject(b, "kind", "ngo");
    j = call_json(&w.coord, 201, "POST", "/api/v1/organisations", b);
    org = itest_int(j, "id");
    cJSON_Delete(j);
    snprintf(path, sizeof path, "/api/v1/organisations/%lld/members", org);
    cJSON_Delete(itest_call(&srv, &w.coord, 204, "POST", path,
                            "{\"user_id\":%lld}", w.member_a));
    upload_image(image_sha);
    snprintf(path, sizeof path, "/api/v1/assets/%s", image_sha);
    {
        struct itest_resp r;
        assert_int_equal(itest_req(&srv, "GET", path, &w.mem_a, NULL, &r), 0);
        assert_int_equal(r.status, 200);
        assert_int_equal(taulu_buf_append(&image, r.body, r.len), 0);
        itest_resp_free(&r);
    }

    /* An event with everything, and a bulletin. */
    itest_iso(3600, start);
    itest_iso(3 * 3600, end);
    itest_iso(30 * 86400, until);
    make_texts(&sa);
    b = cJSON_CreateObject();
    cJSON_AddNumberToObject(b, "organisation_id", (double)org);
    cJSON_AddStringToObject(b, "kind", "event");
    cJSON_AddStringToObject(b, "category", "osallisuus");
    cJSON_AddStringToObject(b, "starts_at", start);
    cJSON_AddStringToObject(b, "ends_at", end);
    cJSON_AddBoolToObject(b, "free", true);
    cJSON_AddBoolToObject(b, "step_free", true);
    cJSON_AddBoolToObject(b, "induction_loop", true);
    cJSON_AddStringToObject(b, "link", link);
    cJSON_AddStringToObject(b, "image_sha256", image_sha);
    cJSON_AddStringToObject(b, "display_until", until);
    cJSON_AddItemToObject(b, "centres", cJSON_CreateArray());
    cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(b, "centres"),
                         cJSON_CreateNumber((double)centre));
    cJSON_AddItemToObject(b, "texts", texts_json(&sa, true));
    j = call_json(&w.mem_a, 201, "POST", "/api/v1/items", b);
    item_a = itest_int(j, "id");
    cJSON_Delete(j);
    make_texts(&sb);
    b = cJSON_CreateObject();
    cJSON_AddNumberToObject(b, "organisation_id", (double)org);
    cJSON_AddStringToObject(b, "kind", "bulletin");
    cJSON_AddStringToObject(b, "category", "toimeentulo");
    cJSON_AddStringToObject(b, "display_until", until);
    cJSON_AddItemToObject(b, "centres", cJSON_CreateArray());
    cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(b, "centres"),
                         cJSON_CreateNumber((double)centre));
    cJSON_AddItemToObject(b, "texts", texts_json(&sb, false));
    j = call_json(&w.mem_a, 201, "POST", "/api/v1/items", b);
    item_b = itest_int(j, "id");
    cJSON_Delete(j);

    /* The centre gets its screen; the contact person approves. */
    j = itest_call(&srv, &w.coord, 201, "POST", "/api/v1/screens",
                   "{\"centre_id\":%lld,\"name\":\"Aula\","
                   "\"orientation\":\"landscape\",\"width_px\":1920,"
                   "\"height_px\":1080,\"diagonal_in\":55,"
                   "\"viewing_distance_m\":3}",
                   centre);
    screen = itest_int(j, "id");
    snprintf(token.bearer, sizeof token.bearer, "%s", itest_str(j, "token"));
    cJSON_Delete(j);
    snprintf(sid, sizeof sid, "screen-%lld", screen);
    approve_at(item_a, centre);
    approve_at(item_b, centre);

    /* The screen's manifest has both, with exactly what was sent. */
    snprintf(card_a, sizeof card_a, "i%lld", item_a);
    snprintf(card_b, sizeof card_b, "i%lld", item_b);
    want[0] = card_a;
    want[1] = card_b;
    m = wait_manifest(sid, &token, want, 2, &blob);
    assert_int_equal(m->format_version, 2);
    assert_string_equal(m->centre.name[0].text, centre_name);
    assert_int_equal(m->centre.n_languages, NLANG);
    c = card_of(m, item_a);
    assert_string_equal(c->org, org_name);
    assert_string_equal(c->link, link);
    assert_true(c->has_event && c->has_image);
    assert_string_equal(c->image.sha256, image_sha);
    same_texts(c, &sa, true);
    c = card_of(m, item_b);
    assert_string_equal(c->org, org_name);
    same_texts(c, &sb, false);
    taulu_manifest_free(m);
    /* Nothing left out; nothing for the contact person to fix. */
    snprintf(path, sizeof path, "/api/v1/centres/%lld/live", centre);
    j = itest_call(&srv, &w.coord, 200, "GET", path, NULL);
    assert_int_equal(itest_int(j, "unpublished_count"), 0);
    cJSON_Delete(j);

    /* The real player draws every card in every language. */
    itest_iso(0, now_iso);
    out = player_all(&blob, image_sha, &image, now_iso);
    for (int i = 0; i < NLANG; i++) {
        if (!drawn(out, card_a, LANGS[i]) || !drawn(out, card_b, LANGS[i])) {
            fail_msg("%s not drawn in %s:\n%s", card_a, LANGS[i], out);
        }
    }
    free(out);

    /* An alert titled with 120 en dashes, its text at its limit too. */
    b = cJSON_CreateObject();
    cJSON_AddNumberToObject(b, "centre_id", (double)centre);
    itest_iso(86400, end);
    cJSON_AddStringToObject(b, "ends_at", end);
    {
        cJSON *t = cJSON_AddArrayToObject(b, "texts"), *x;
        for (int i = 0; i < NLANG; i++) {
            x = cJSON_CreateObject();
            cJSON_AddStringToObject(x, "lang", LANGS[i]);
            cJSON_AddStringToObject(x, "title", atitle);
            cJSON_AddStringToObject(x, "body", abody);
            cJSON_AddItemToArray(t, x);
        }
    }
    j = call_json(&w.coord, 201, "POST", "/api/v1/alerts", b);
    alert = itest_int(j, "id");
    cJSON_Delete(j);
    snprintf(alert_id, sizeof alert_id, "a%lld", alert);
    want[2] = alert_id;
    m = wait_manifest(sid, &token, want, 3, &blob);
    assert_int_equal(m->n_alerts, 1);
    itest_iso(1, now_iso); /* the alert is on from its creation */
    for (int i = 0; i < NLANG; i++) {
        const struct taulu_alert_version *v =
            taulu_alert_version_for(&m->alerts[0], LANGS[i]);
        assert_non_null(v);
        assert_string_equal(v->title, atitle);
        assert_string_equal(v->body, abody);
    }
    taulu_manifest_free(m);
    out = player_all(&blob, image_sha, &image, now_iso);
    for (int i = 0; i < NLANG; i++) {
        if (!drawn(out, alert_id, LANGS[i])) {
            fail_msg("%s not drawn in %s:\n%s", alert_id, LANGS[i], out);
        }
    }
    free(out);
    print_message("every field at its limit: 2 cards and an alert in %d "
                  "languages, %zu bytes of manifest, drawn by the player\n",
                  NLANG, blob.len);

    sent_release(&sa);
    sent_release(&sb);
    taulu_buf_release(&blob);
    taulu_buf_release(&image);
    free(centre_name);
    free(org_name);
    free(link);
    free(atitle);
    free(abody);
}

/* ---- the boundaries: refused at submission, with the field ---- */

/* A minimal valid item body at centre 1, to be spoilt. */
static cJSON *item_body(const char *kind)
{
    char until[32];
    cJSON *b = cJSON_CreateObject(), *t, *texts;

    itest_iso(7 * 86400, until);
    cJSON_AddNumberToObject(b, "organisation_id", (double)w.org_a);
    cJSON_AddStringToObject(b, "kind", kind);
    cJSON_AddStringToObject(b, "category", "osallisuus");
    cJSON_AddStringToObject(b, "display_until", until);
    cJSON_AddItemToObject(b, "centres", cJSON_CreateArray());
    cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(b, "centres"),
                         cJSON_CreateNumber((double)w.c1));
    texts = cJSON_AddArrayToObject(b, "texts");
    t = cJSON_CreateObject();
    cJSON_AddStringToObject(t, "lang", "fi");
    cJSON_AddBoolToObject(t, "plain", true);
    cJSON_AddStringToObject(t, "title", "Muistikahvila");
    cJSON_AddStringToObject(t, "body", "Tule juttelemaan.");
    cJSON_AddItemToArray(texts, t);
    return b;
}

static cJSON *first_text(cJSON *b)
{
    return cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(b, "texts"), 0);
}

static void test_boundaries_refused_with_reason(void **state)
{
    char *s, at[32], at2[32];
    cJSON *b, *j;
    long long item;
    int i;

    (void)state;
    /* A link of 2,001 and of 2,048 characters: too long (the API took up
     * to 2,048, the manifest 2,000). */
    for (i = 0; i < 2; i++) {
        size_t n = i ? 2048 : TAULU_LINK_MAX_CHARS + 1;
        s = malloc(n + 1);
        memcpy(s, "https://example.fi/", 19);
        memset(s + 19, 'a', n - 19);
        s[n] = '\0';
        b = item_body("bulletin");
        cJSON_AddStringToObject(b, "link", s);
        refused(&w.mem_a, "POST", "/api/v1/items", b, 400, "too_long", "link");
        free(s);
    }
    /* Characters the manifest refuses in a link. */
    b = item_body("bulletin");
    cJSON_AddStringToObject(b, "link", "https://example.fi/{x}|^");
    refused(&w.mem_a, "POST", "/api/v1/items", b, 400, "invalid_value", "link");
    /* A link the public cannot open: the checker refuses it. */
    b = item_body("bulletin");
    cJSON_AddStringToObject(b, "link", "https://127.0.0.1/admin");
    j = call_json(&w.mem_a, 422, "POST", "/api/v1/items", b);
    {
        char *text = cJSON_PrintUnformatted(j);
        assert_non_null(strstr(text, "\"code\":\"link_local\""));
        cJSON_free(text);
    }
    cJSON_Delete(j);
    /* One character over, in the widest characters. */
    b = item_body("bulletin");
    s = fill(EN_DASH, TAULU_TITLE_MAX_CHARS + 1);
    cJSON_ReplaceItemInObject(first_text(b), "title", cJSON_CreateString(s));
    free(s);
    refused(&w.mem_a, "POST", "/api/v1/items", b, 400, "too_long",
            "texts[0].title");
    b = item_body("bulletin");
    s = fill("\xc3\xa4", TAULU_REGISTRATION_MAX_CHARS + 1);
    cJSON_AddStringToObject(first_text(b), "registration", s);
    free(s);
    refused(&w.mem_a, "POST", "/api/v1/items", b, 400, "too_long",
            "texts[0].registration");
    /* An organisation name one over. */
    b = cJSON_CreateObject();
    s = fill(EN_DASH, TAULU_ORG_NAME_MAX_CHARS + 1);
    cJSON_AddStringToObject(b, "name", s);
    cJSON_AddStringToObject(b, "kind", "ngo");
    free(s);
    refused(&w.coord, "POST", "/api/v1/organisations", b, 400, "too_long",
            "name");
    /* An event in year 9999: nothing a screen can date. */
    b = item_body("event");
    cJSON_AddStringToObject(b, "starts_at", "9999-12-31T20:00:00Z");
    cJSON_AddStringToObject(b, "ends_at", "9999-12-31T23:59:59Z");
    refused(&w.mem_a, "POST", "/api/v1/items", b, 400, "out_of_range",
            "starts_at");
    /* An event that has already ended. */
    b = item_body("event");
    itest_iso(-3 * 3600, at);
    itest_iso(-3600, at2);
    cJSON_AddStringToObject(b, "starts_at", at);
    cJSON_AddStringToObject(b, "ends_at", at2);
    refused(&w.mem_a, "POST", "/api/v1/items", b, 400, "in_past", "ends_at");
    /* An event that ends while it waits for approval: the approval says
     * why it cannot be shown. */
    b = item_body("event");
    itest_iso(-60, at);
    itest_iso(3, at2);
    cJSON_AddStringToObject(b, "starts_at", at);
    cJSON_AddStringToObject(b, "ends_at", at2);
    j = call_json(&w.mem_a, 201, "POST", "/api/v1/items", b);
    item = itest_int(j, "id");
    cJSON_Delete(j);
    sleep(5);
    {
        char path[100];
        long long pl = itest_placement(&srv, &w.con_1, item, w.c1);
        snprintf(path, sizeof path, "/api/v1/placements/%lld/approve", pl);
        j = itest_call(&srv, &w.con_1, 400, "POST", path,
                       "{\"item_version\":1}");
        assert_string_equal(
            itest_str(cJSON_GetObjectItemCaseSensitive(j, "error"), "field"),
            "ends_at");
        assert_string_equal(
            itest_str(cJSON_GetObjectItemCaseSensitive(j, "error"), "code"),
            "in_past");
        cJSON_Delete(j);
    }
    /* The preview: a date it cannot draw is a 400 naming it, not a 500;
     * an event that has ended is drawn. */
    b = cJSON_CreateObject();
    cJSON_AddStringToObject(b, "lang", "fi");
    cJSON_AddStringToObject(b, "title", "Muistikahvila");
    cJSON_AddStringToObject(b, "body", "Tule.");
    cJSON_AddStringToObject(b, "kind", "event");
    cJSON_AddStringToObject(b, "starts_at", "9999-12-31T20:00:00Z");
    cJSON_AddStringToObject(b, "ends_at", "9999-12-31T23:59:59Z");
    cJSON_AddStringToObject(b, "orientation", "landscape");
    refused(&w.mem_a, "POST", "/api/v1/preview", b, 400, "out_of_range",
            "starts_at");
    {
        struct itest_resp r;
        char body[400];
        itest_iso(-3 * 3600, at);
        itest_iso(-3600, at2);
        snprintf(body, sizeof body,
                 "{\"lang\":\"fi\",\"title\":\"Muistikahvila\",\"body\":"
                 "\"Tule.\",\"kind\":\"event\",\"starts_at\":\"%s\","
                 "\"ends_at\":\"%s\",\"orientation\":\"landscape\"}",
                 at, at2);
        assert_int_equal(
            itest_req(&srv, "POST", "/api/v1/preview", &w.mem_a, body, &r), 0);
        assert_int_equal(r.status, 200);
        itest_resp_free(&r);
    }
    /* An alert one over, and one that would end more than a year out. */
    b = cJSON_CreateObject();
    itest_iso(86400, at);
    cJSON_AddNumberToObject(b, "centre_id", (double)w.c1);
    cJSON_AddStringToObject(b, "ends_at", at);
    j = cJSON_AddArrayToObject(b, "texts");
    {
        cJSON *t = cJSON_CreateObject();
        s = fill(EN_DASH, TAULU_ALERT_TITLE_MAX_CHARS + 1);
        cJSON_AddStringToObject(t, "lang", "fi");
        cJSON_AddStringToObject(t, "title", s);
        cJSON_AddStringToObject(t, "body", "Vesi on poikki.");
        cJSON_AddItemToArray(j, t);
        free(s);
    }
    refused(&w.coord, "POST", "/api/v1/alerts", b, 400, "too_long",
            "texts[0].title");
    b = cJSON_CreateObject();
    itest_iso(400LL * 86400, at);
    itest_iso(401LL * 86400, at2);
    cJSON_AddNumberToObject(b, "centre_id", (double)w.c1);
    cJSON_AddStringToObject(b, "starts_at", at);
    cJSON_AddStringToObject(b, "ends_at", at2);
    j = cJSON_AddArrayToObject(b, "texts");
    {
        cJSON *t = cJSON_CreateObject();
        cJSON_AddStringToObject(t, "lang", "fi");
        cJSON_AddStringToObject(t, "title", "Vesikatko");
        cJSON_AddStringToObject(t, "body", "Vesi on poikki.");
        cJSON_AddItemToArray(j, t);
    }
    refused(&w.coord, "POST", "/api/v1/alerts", b, 400, "out_of_range",
            "ends_at");
}

/* ---- opening hours and the live status ---- */

static void test_closed_all_week_and_missing_centre(void **state)
{
    static const char *const closed =
        "\"opening_hours\":[null,null,null,null,null,null,null]";
    struct itest_auth token;
    struct taulu_buf blob;
    struct taulu_manifest *m;
    char path[100], sid[PUBSYS_ID_MAX];
    long long screen;
    cJSON *j;
    int i;

    (void)state;
    memset(&token, 0, sizeof token);
    taulu_buf_init(&blob, TAULU_MANIFEST_SIGNED_MAX_BYTES);
    j = itest_call(&srv, &w.coord, 201, "POST", "/api/v1/screens",
                   "{\"centre_id\":%lld,\"name\":\"Aula\","
                   "\"orientation\":\"landscape\",\"width_px\":1920,"
                   "\"height_px\":1080,\"diagonal_in\":55,"
                   "\"viewing_distance_m\":3}",
                   w.c3);
    screen = itest_int(j, "id");
    snprintf(token.bearer, sizeof token.bearer, "%s", itest_str(j, "token"));
    cJSON_Delete(j);
    snprintf(sid, sizeof sid, "screen-%lld", screen);
    /* Closed every day: the screens are closed (format 2, an empty
     * week), the centre is not open, and an offline screen is no alarm. */
    snprintf(path, sizeof path, "/api/v1/centres/%lld", w.c3);
    cJSON_Delete(itest_call(&srv, &w.coord, 204, "PUT", path,
                            "{\"name\":\"Raahen sote-keskus\","
                            "\"municipality\":\"678\",%s}",
                            closed));
    j = itest_call(&srv, &w.coord, 200, "GET", path, NULL);
    assert_int_equal(cJSON_GetArraySize(
                         cJSON_GetObjectItemCaseSensitive(j, "opening_hours")),
                     7);
    cJSON_Delete(j);
    for (i = 0; i < 100; i++) {
        m = wait_manifest(sid, &token, NULL, 0, &blob);
        if (m->format_version == 2) {
            break;
        }
        taulu_manifest_free(m);
        m = NULL;
        usleep(50000);
    }
    assert_non_null(m);
    assert_true(taulu_centre_closed_all_week(&m->centre));
    assert_non_null(strstr(blob.data, "\"opening_hours\":[]"));
    taulu_manifest_free(m);
    snprintf(path, sizeof path, "/api/v1/screens/%lld/status", screen);
    j = itest_call(&srv, &w.coord, 200, "GET", path, NULL);
    assert_false(
        cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "centre_open")));
    assert_false(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "alarm")));
    cJSON_Delete(j);
    /* No hours given: always open, and a format 1 manifest again. */
    snprintf(path, sizeof path, "/api/v1/centres/%lld", w.c3);
    cJSON_Delete(itest_call(&srv, &w.coord, 204, "PUT", path,
                            "{\"name\":\"Raahen sote-keskus\","
                            "\"municipality\":\"678\"}"));
    j = itest_call(&srv, &w.coord, 200, "GET", path, NULL);
    assert_true(
        cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(j, "opening_hours")));
    cJSON_Delete(j);
    for (i = 0; i < 100; i++) {
        m = wait_manifest(sid, &token, NULL, 0, &blob);
        if (m->format_version == 1) {
            break;
        }
        taulu_manifest_free(m);
        m = NULL;
        usleep(50000);
    }
    assert_non_null(m);
    assert_true(taulu_centre_always_open(&m->centre));
    taulu_manifest_free(m);
    snprintf(path, sizeof path, "/api/v1/screens/%lld/status", screen);
    j = itest_call(&srv, &w.coord, 200, "GET", path, NULL);
    assert_true(
        cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "centre_open")));
    cJSON_Delete(j);
    /* A centre that does not exist has no live status. */
    cJSON_Delete(itest_call(&srv, &w.coord, 404, "GET",
                            "/api/v1/centres/99999/live", NULL));
    taulu_buf_release(&blob);
}

/* ---- what still cannot be published is not dropped silently ---- */

static void test_left_out_is_visible(void **state)
{
    char path[200];
    long long item;
    char *title = fill(EURO, 500);
    cJSON *j, *arr, *x;
    struct itest_resp r;
    int i, n = 0;

    (void)state;
    /* Approved while valid; then its title made longer than any manifest
     * takes, in the database, as content stored before these rules. */
    item = itest_item(&srv, &w.mem_a, w.org_a, "[1]", "Ruoka-apu");
    approve_at(item, w.c1);
    assert_int_equal(itest_db_write(&srv,
                                    "UPDATE item_text SET title = $1"
                                    " WHERE item_id = $2",
                                    title, item),
                     0);
    /* Anything that rebuilds the centre: an alert. */
    {
        char end[32];
        itest_iso(3600, end);
        j = itest_call(&srv, &w.con_1, 201, "POST", "/api/v1/alerts",
                       "{\"centre_id\":%lld,\"ends_at\":\"%s\",\"texts\":[{"
                       "\"lang\":\"fi\",\"title\":\"Hissi\",\"body\":"
                       "\"Hissi on rikki.\"}]}",
                       w.c1, end);
        cJSON_Delete(j);
    }
    /* The contact person sees it in the centre's live status... */
    snprintf(path, sizeof path, "/api/v1/centres/%lld/live", w.c1);
    for (i = 0; i < 100; i++) {
        j = itest_call(&srv, &w.con_1, 200, "GET", path, NULL);
        arr = cJSON_GetObjectItemCaseSensitive(j, "unpublished");
        n = 0;
        cJSON_ArrayForEach(x, arr)
        {
            if (itest_int(x, "item_id") == item) {
                assert_non_null(strstr(itest_str(x, "reason"), "title"));
                assert_non_null(strstr(itest_str(x, "reason"), "too long"));
                assert_true(itest_int(x, "placement_id") > 0);
                n++;
            }
        }
        cJSON_Delete(j);
        if (n) {
            break;
        }
        usleep(50000);
    }
    assert_int_equal(n, 1);
    /* ...on the item's placement... */
    snprintf(path, sizeof path, "/api/v1/items/%lld", item);
    j = itest_call(&srv, &w.con_1, 200, "GET", path, NULL);
    x = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(j, "placements"),
                           0);
    assert_non_null(strstr(itest_str(x, "publish_error"), "too long"));
    cJSON_Delete(j);
    /* ...and /metrics counts it. */
    assert_int_equal(itest_req(&srv, "GET", "/metrics", NULL, NULL, &r), 0);
    assert_non_null(strstr(r.body, "\ninfotaulu_publish_unpublished 1\n"));
    assert_non_null(
        strstr(r.body, "\ninfotaulu_publish_unpublished_total 1\n"));
    itest_resp_free(&r);
    free(title);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_field_at_its_limit),
        cmocka_unit_test(test_boundaries_refused_with_reason),
        cmocka_unit_test(test_closed_all_week_and_missing_centre),
        cmocka_unit_test(test_left_out_is_visible),
        cmocka_unit_test(server_stops_cleanly),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
