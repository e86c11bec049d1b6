/*
 * test_srv_publish.c: the publisher with a database of test rows (and the
 * real SQLite rows of srv_pubdb): seq only grows when something visible
 * changes, restarts reproduce the same bytes, the worker wakes by itself
 * at a time boundary, ETag/304, token look-up, live counts and the
 * no-alarm-when-closed rule.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "srv_pubdb.h"
#include "srv_publish.h"
#include "taulu_err.h"
#include "taulu_time.h"

struct testdb {
    pthread_mutex_t mu;
    struct srv_pub_screen screens[8];
    size_t n_screens;
    struct srv_snap_item items[4];
    struct srv_snap_placement placements[4];
    int64_t placement_centre[4];
    size_t n_placements;
    struct srv_snap_alert alerts[4];
    size_t n_alerts;
    struct srv_pubdb *pub;
    int64_t offset; /* test clock = real clock + offset */
    struct taulu_opening_interval hours[2];
    size_t n_hours;
};

static const struct srv_snap_text text_fi[] = {
    {.lang = "fi", .title = "Ruoka-apu", .body = "Ilmaista ruokaa."}};

static int64_t clock_fn(void *ctx)
{
    struct testdb *db = ctx;
    return taulu_now() + db->offset;
}

static int list_screens(void *ctx, struct srv_pub_screen **out, size_t *n)
{
    struct testdb *db = ctx;

    pthread_mutex_lock(&db->mu);
    *out = malloc(sizeof **out * (db->n_screens + 1));
    memcpy(*out, db->screens, sizeof **out * db->n_screens);
    *n = db->n_screens;
    pthread_mutex_unlock(&db->mu);
    return 0;
}

struct holder {
    struct srv_snap_placement p[4];
    struct srv_snap_item it[4];
    struct srv_snap_alert a[4];
};

static int load_snapshot(void *ctx, int64_t centre, int64_t now,
                         struct srv_snapshot *snap, void **holder)
{
    struct testdb *db = ctx;
    struct holder *h = calloc(1, sizeof *h);
    size_t i, np = 0;

    (void)now;
    pthread_mutex_lock(&db->mu);
    memset(snap, 0, sizeof *snap);
    snap->centre_db_id = centre;
    snap->centre.id = centre == 1 ? "c1" : "c2";
    memcpy(snap->centre.name[0].lang, "fi", 3);
    snap->centre.name[0].text = centre == 1 ? "Tuira" : "Kaakkuri";
    snap->centre.n_name = 1;
    snap->centre.timezone = "Europe/Helsinki";
    memcpy(snap->centre.languages[0], "fi", 3);
    snap->centre.n_languages = 1;
    memcpy(snap->centre.hours, db->hours, sizeof db->hours);
    snap->centre.n_hours = db->n_hours;
    for (i = 0; i < db->n_placements; i++) {
        if (db->placement_centre[i] == centre) {
            h->it[np] = db->items[i];
            h->p[np] = db->placements[i];
            h->p[np].item = &h->it[np];
            np++;
        }
    }
    memcpy(h->a, db->alerts, sizeof h->a);
    snap->placements = h->p;
    snap->n_placements = np;
    snap->alerts = h->a;
    snap->n_alerts = db->n_alerts;
    pthread_mutex_unlock(&db->mu);
    *holder = h;
    return 0;
}

static void release_snapshot(void *ctx, void *holder)
{
    (void)ctx;
    free(holder);
}

static int load_states(void *ctx, struct srv_pub_state **out, size_t *n)
{
    return srv_pubdb_load_states(((struct testdb *)ctx)->pub, out, n);
}

static int save_states(void *ctx, const struct srv_pub_state *s, size_t n)
{
    return srv_pubdb_save_states(((struct testdb *)ctx)->pub, s, n);
}

static int save_status(void *ctx, int64_t id, const struct srv_pub_status *s)
{
    return srv_pubdb_save_status(((struct testdb *)ctx)->pub, id, s);
}

static int load_statuses(void *ctx, int64_t **ids, struct srv_pub_status **s,
                         size_t *n)
{
    return srv_pubdb_load_statuses(((struct testdb *)ctx)->pub, ids, s, n);
}

static struct testdb db;
static uint8_t pk[TAULU_SIGN_PK_LEN], sk[TAULU_SIGN_SK_LEN];
static char dbpath[600];

static void add_screen(int64_t id, int64_t centre)
{
    struct srv_pub_screen *s = &db.screens[db.n_screens++];
    char token[32];

    memset(s, 0, sizeof *s);
    s->id = id;
    s->centre_id = centre;
    s->profile.width_px = 1920;
    s->profile.height_px = 1080;
    s->profile.orientation = TAULU_LANDSCAPE;
    s->profile.diagonal_in_x10 = 550;
    s->profile.distance_mm = 3000;
    snprintf(token, sizeof token, "token-%lld", (long long)id);
    taulu_sha256(token, strlen(token), s->token_hash);
    s->has_token = true;
}

static void add_placement(int64_t item, int64_t centre, int64_t from,
                          int64_t until)
{
    size_t i = db.n_placements++;

    memset(&db.items[i], 0, sizeof db.items[i]);
    db.items[i].id = item;
    db.items[i].version = 1;
    db.items[i].kind = TAULU_CARD_BULLETIN;
    db.items[i].category = "livelihood";
    db.items[i].org_name = "Seurakunta";
    db.items[i].texts = text_fi;
    db.items[i].n_texts = 1;
    db.placements[i].id = (int64_t)i + 100;
    db.placements[i].approved = true;
    db.placements[i].approved_version = 1;
    db.placements[i].display_from = from;
    db.placements[i].display_until = until;
    db.placement_centre[i] = centre;
}

static struct srv_publisher *start(void)
{
    struct srv_pub_config cfg;
    struct srv_pub_backend be = {
        .ctx = &db,
        .list_screens = list_screens,
        .load_snapshot = load_snapshot,
        .release_snapshot = release_snapshot,
        .load_states = load_states,
        .save_states = save_states,
        .save_status = save_status,
        .load_statuses = load_statuses,
    };
    struct srv_publisher *p;

    memset(&cfg, 0, sizeof cfg);
    cfg.sign_sk = sk;
    cfg.now = clock_fn;
    cfg.now_ctx = &db;
    assert_int_equal(srv_pubdb_open(dbpath, &db.pub), 0);
    assert_int_equal(srv_publisher_start(&cfg, &be, &p), 0);
    return p;
}

static void stop(struct srv_publisher *p)
{
    srv_publisher_free(p);
    srv_pubdb_close(db.pub);
    db.pub = NULL;
}

static int setup(void **state)
{
    char dir[] = "/tmp/taulu-pub-XXXXXX";

    (void)state;
    assert_int_equal(taulu_crypto_init(), 0);
    assert_int_equal(taulu_sign_keypair(pk, sk), 0);
    assert_non_null(mkdtemp(dir));
    snprintf(dbpath, sizeof dbpath, "%s/pub.db", dir);
    memset(&db, 0, sizeof db);
    pthread_mutex_init(&db.mu, NULL);
    return 0;
}

static int64_t seq_of(struct srv_publisher *p, int64_t id, char *sha)
{
    struct srv_pub_view v;

    assert_int_equal(srv_publisher_view(p, id, &v), 0);
    if (sha) {
        memcpy(sha, v.sha256, 65);
    }
    return v.seq;
}

static void test_pipeline(void **state)
{
    struct srv_publisher *p;
    struct srv_pub_blob *blob;
    struct taulu_manifest *m = NULL;
    struct taulu_proto_status st;
    struct srv_pub_view v;
    char etag[67], sha1[65], sha2[65], inm[100];
    int64_t now = taulu_now(), id;
    uint8_t th[32];
    int live, total;

    (void)state;
    add_screen(1, 1);
    add_screen(2, 1);
    add_screen(3, 2);
    add_placement(10, 1, now - 60, now + 3600);
    p = start();

    /* Every screen has a signed manifest after start. */
    assert_int_equal(seq_of(p, 1, sha1), 1);
    assert_int_equal(seq_of(p, 3, NULL), 1);
    assert_int_equal(srv_publisher_manifest(p, 1, NULL, &blob, etag), 200);
    assert_int_equal(taulu_manifest_load_signed(blob->data, blob->len, pk, sha1,
                                                "screen-1", 0, &m, NULL),
                     0);
    assert_int_equal(m->n_cards, 1);
    assert_string_equal(m->cards[0].id, "i10");
    taulu_manifest_free(m);
    srv_pub_blob_unref(blob);
    /* ETag and 304, also in a list and as a weak validator. */
    assert_int_equal(srv_publisher_manifest(p, 1, etag, &blob, etag), 304);
    assert_null(blob);
    snprintf(inm, sizeof inm, "\"x\", W/%s", etag);
    assert_int_equal(srv_publisher_manifest(p, 1, inm, &blob, etag), 304);
    assert_int_equal(srv_publisher_manifest(p, 1, "\"nope\"", &blob, etag),
                     200);
    srv_pub_blob_unref(blob);
    assert_int_equal(srv_publisher_manifest(p, 99, NULL, &blob, etag), 404);

    /* A trigger with nothing changed: same seq, same bytes. */
    srv_publisher_centre_changed(p, 1);
    srv_publisher_flush(p);
    assert_int_equal(seq_of(p, 1, sha2), 1);
    assert_string_equal(sha1, sha2);

    /* Approval at centre 1: its screens get seq 2, centre 2 stays. */
    pthread_mutex_lock(&db.mu);
    add_placement(11, 1, now - 60, now + 7200);
    pthread_mutex_unlock(&db.mu);
    srv_publisher_centre_changed(p, 1);
    srv_publisher_flush(p);
    assert_int_equal(seq_of(p, 1, sha2), 2);
    assert_int_equal(seq_of(p, 2, NULL), 2);
    assert_int_equal(seq_of(p, 3, NULL), 1);
    assert_string_not_equal(sha1, sha2);

    /* Tokens. */
    taulu_sha256("token-2", 7, th);
    assert_int_equal(srv_publisher_screen_by_token(p, th, &id), 0);
    assert_int_equal(id, 2);
    taulu_sha256("token-9", 7, th);
    assert_int_equal(srv_publisher_screen_by_token(p, th, &id),
                     TAULU_ENOTFOUND);

    /* Status: screen 1 applied the current manifest. */
    srv_publisher_live(p, 1, 11, &live, &total);
    assert_int_equal(live, 0);
    assert_int_equal(total, 2);
    taulu_proto_status_init(&st);
    st.state = TAULU_SCREEN_ONLINE;
    st.has_seq = true;
    st.seq = 2;
    memcpy(st.sha256, sha2, 65);
    srv_publisher_on_status(p, "screen-1", &st);
    srv_publisher_on_status(p, "screen-77", &st); /* unknown: ignored */
    srv_publisher_live(p, 1, 11, &live, &total);
    assert_int_equal(live, 1);
    assert_int_equal(total, 2);
    srv_publisher_live(p, 1, 12345, &live, &total); /* not shown */
    assert_int_equal(live, 0);
    assert_int_equal(srv_publisher_view(p, 1, &v), 0);
    assert_true(v.live);
    assert_false(v.alarm);

    /* Restart: the same seq and the very same bytes. */
    stop(p);
    p = start();
    assert_int_equal(seq_of(p, 1, sha1), 2);
    assert_string_equal(sha1, sha2);
    assert_int_equal(seq_of(p, 3, NULL), 1);
    /* The saved status came back too. */
    srv_publisher_live(p, 1, 0, &live, &total);
    assert_int_equal(live, 1);

    /* A screen moves to centre 2: rebuilt for it. */
    pthread_mutex_lock(&db.mu);
    db.screens[1].centre_id = 2;
    pthread_mutex_unlock(&db.mu);
    srv_publisher_screens_changed(p);
    srv_publisher_flush(p);
    assert_int_equal(srv_publisher_manifest(p, 2, NULL, &blob, etag), 200);
    assert_int_equal(taulu_manifest_load_signed(blob->data, blob->len, pk, NULL,
                                                "screen-2", 0, &m, NULL),
                     0);
    assert_int_equal(m->n_cards, 0);
    assert_int_equal(m->seq, 3);
    taulu_manifest_free(m);
    srv_pub_blob_unref(blob);
    /* Screen 1 is untouched and still live with the item (the centre's
     * record of what it shows survives the screen reload). */
    srv_publisher_live(p, 1, 11, &live, &total);
    assert_int_equal(live, 1);
    assert_int_equal(total, 1);
    stop(p);
}

/* The worker wakes by itself when an alert ends (no trigger, no polling). */
static void test_time_boundary(void **state)
{
    static const struct srv_snap_text alert_fi[] = {
        {.lang = "fi", .title = "Vesi on poikki", .body = ""}};
    struct srv_publisher *p;
    int64_t now = taulu_now(), s0;
    struct srv_pub_view v;
    int i;

    (void)state;
    pthread_mutex_lock(&db.mu);
    db.alerts[0].id = 5;
    db.alerts[0].centre_id = 2;
    db.alerts[0].from = now - 10;
    db.alerts[0].until = now + 2;
    db.alerts[0].texts = alert_fi;
    db.alerts[0].n_texts = 1;
    db.n_alerts = 1;
    pthread_mutex_unlock(&db.mu);
    p = start();
    assert_int_equal(srv_publisher_view(p, 3, &v), 0);
    assert_int_equal(v.alerts, 1);
    s0 = v.seq;
    for (i = 0; i < 50; i++) {
        usleep(100000);
        assert_int_equal(srv_publisher_view(p, 3, &v), 0);
        if (v.seq != s0) {
            break;
        }
    }
    assert_int_equal(v.seq, s0 + 1);
    assert_int_equal(v.alerts, 0);
    assert_true(taulu_now() >= now + 2);
    stop(p);
}

/* Scenario 5: offline at night is not an alarm; offline by day is. */
static void test_no_alarm_when_closed(void **state)
{
    struct srv_publisher *p;
    struct taulu_proto_status st;
    struct srv_pub_view v;
    const struct taulu_tz *tz = taulu_tz_by_name("Europe/Helsinki");
    struct taulu_civil civ;
    int d;

    (void)state;
    assert_non_null(tz);
    /* Open 8-16 every day; move the test clock to 22.00 local today. */
    pthread_mutex_lock(&db.mu);
    db.n_hours = 0;
    for (d = 1; d <= 2; d++) {
        db.hours[d - 1].day = d;
    }
    pthread_mutex_unlock(&db.mu);
    assert_int_equal(taulu_time_to_civil(taulu_now(), tz, &civ), 0);
    {
        int64_t at22, at11;
        struct taulu_opening_interval h = {civ.wday, 8 * 60, 16 * 60};
        assert_int_equal(taulu_time_from_civil(tz, civ.year, civ.month, civ.day,
                                               22, 0, 0, &at22),
                         0);
        assert_int_equal(taulu_time_from_civil(tz, civ.year, civ.month, civ.day,
                                               11, 0, 0, &at11),
                         0);
        pthread_mutex_lock(&db.mu);
        db.hours[0] = h;
        db.n_hours = 1;
        db.n_alerts = 0;
        db.offset = at22 - taulu_now();
        pthread_mutex_unlock(&db.mu);
        p = start();
        taulu_proto_status_init(&st); /* the last will: offline */
        srv_publisher_on_status(p, "screen-3", &st);
        assert_int_equal(srv_publisher_view(p, 3, &v), 0);
        assert_false(v.status.online);
        assert_false(v.is_open);
        assert_false(v.alarm);
        pthread_mutex_lock(&db.mu);
        db.offset = at11 - taulu_now();
        pthread_mutex_unlock(&db.mu);
        assert_int_equal(srv_publisher_view(p, 3, &v), 0);
        assert_true(v.is_open);
        assert_true(v.alarm);
        stop(p);
        db.offset = 0;
        db.n_hours = 0;
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pipeline),
        cmocka_unit_test(test_time_boundary),
        cmocka_unit_test(test_no_alarm_when_closed),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
