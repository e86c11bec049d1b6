/*
 * test_srv_publish.c: the publisher with a database of test rows (and the
 * publisher's real rows in the store's SQLite file): seq only grows when
 * something visible changes, restarts reproduce the same bytes, the worker
 * wakes by itself at a time boundary, ETag/304, token look-up, live counts, the
 * no-alarm-when-closed rule, and when a status is written to the database
 * (at once on a change, last_seen alone at most once a minute, a failed
 * write again later, the screen records brought up to date at start);
 * several instances: a follower serves the leader's saved bytes, builds,
 * writes and publishes nothing, and takes over without a new seq.
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

#include "srv_publish.h"
#include "srv_store.h"
#include "taulu_err.h"
#include "taulu_time.h"

struct testdb {
    pthread_mutex_t mu;
    struct srv_pub_screen screens[16];
    size_t n_screens;
    struct srv_snap_item items[4];
    struct srv_snap_placement placements[4];
    int64_t placement_centre[4];
    size_t n_placements;
    struct srv_snap_alert alerts[4];
    size_t n_alerts;
    struct srv_store *store;
    int64_t offset; /* test clock = real clock + offset */
    struct taulu_opening_interval hours[2];
    size_t n_hours;
    bool hours_given;
    /* The screen records (backend.save_screen_status), by screen id. */
    int rows_written[16];
    struct srv_pub_status row[16];
    bool rows_fail;
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
    snap->centre.hours_given = db->hours_given;
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

static int load_states(void *ctx, struct srv_pool *p,
                       struct srv_pub_state **out, size_t *n)
{
    return srv_store_pub_states(((struct testdb *)ctx)->store, p, out, n);
}

static int save_states(void *ctx, const struct srv_pub_state *s, size_t n)
{
    return srv_store_pub_save_states(((struct testdb *)ctx)->store, s, n);
}

static int save_status(void *ctx, int64_t id, const struct srv_pub_status *s)
{
    return srv_store_pub_save_status(((struct testdb *)ctx)->store, id, s);
}

static int load_statuses(void *ctx, struct srv_pool *p,
                         struct srv_pub_status_row **out, size_t *n)
{
    return srv_store_pub_statuses(((struct testdb *)ctx)->store, p, out, n);
}

static int save_screen_status(void *ctx, int64_t id,
                              const struct srv_pub_status *s)
{
    struct testdb *db = ctx;
    int rc = 0;

    pthread_mutex_lock(&db->mu);
    if (db->rows_fail) {
        rc = TAULU_EIO;
    } else if (id < 0 || id >= 16) {
        rc = TAULU_ENOTFOUND;
    } else {
        db->rows_written[id]++;
        db->row[id] = *s;
    }
    pthread_mutex_unlock(&db->mu);
    return rc;
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
        .save_screen_status = save_screen_status,
    };
    struct srv_publisher *p;

    memset(&cfg, 0, sizeof cfg);
    cfg.sign_sk = sk;
    cfg.now = clock_fn;
    cfg.now_ctx = &db;
    assert_int_equal(srv_store_open(dbpath, 1, &db.store), 0);
    assert_int_equal(srv_publisher_start(&cfg, &be, &p), 0);
    return p;
}

static void stop(struct srv_publisher *p)
{
    srv_publisher_free(p);
    srv_store_close(db.store);
    db.store = NULL;
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

/* Hours given for no day: closed all week, so never an alarm; and the
 * manifest says so (format 2), where "no hours" would read always open. */
static void test_closed_all_week(void **state)
{
    struct srv_publisher *p;
    struct taulu_proto_status st;
    struct srv_pub_view v;

    (void)state;
    pthread_mutex_lock(&db.mu);
    db.n_hours = 0;
    db.hours_given = true;
    db.n_alerts = 0;
    pthread_mutex_unlock(&db.mu);
    p = start();
    taulu_proto_status_init(&st); /* the last will: offline */
    srv_publisher_on_status(p, "screen-3", &st);
    assert_int_equal(srv_publisher_view(p, 3, &v), 0);
    assert_false(v.is_open);
    assert_false(v.alarm);
    {
        struct srv_pub_blob *b = NULL;
        char etag[TAULU_SHA256_HEX_LEN + 3];
        assert_int_equal(srv_publisher_manifest(p, 3, NULL, &b, etag), 200);
        assert_non_null(strstr(b->data, "\"format_version\":2,"));
        assert_non_null(strstr(b->data, "\"opening_hours\":[]"));
        srv_pub_blob_unref(b);
    }
    stop(p);
    /* No hours given: always open, an offline screen is an alarm. */
    pthread_mutex_lock(&db.mu);
    db.hours_given = false;
    pthread_mutex_unlock(&db.mu);
    p = start();
    srv_publisher_on_status(p, "screen-3", &st);
    assert_int_equal(srv_publisher_view(p, 3, &v), 0);
    assert_true(v.is_open);
    assert_true(v.alarm);
    stop(p);
}

/* Nothing changes for a month: the manifest is built anew anyway (new
 * seq and built_at), so no player's clock rule can mistake a right clock
 * for a wrong one; and the worker wakes up for it by itself. */
static void test_monthly_refresh(void **state)
{
    struct srv_publisher *p;
    int64_t s0, s1;
    int i;

    (void)state;
    pthread_mutex_lock(&db.mu);
    db.offset = 0;
    pthread_mutex_unlock(&db.mu);
    p = start();
    s0 = seq_of(p, 3, NULL);
    assert_true(s0 > 0);
    /* a day later: the same */
    pthread_mutex_lock(&db.mu);
    db.offset = 86400;
    pthread_mutex_unlock(&db.mu);
    srv_publisher_centre_changed(p, 2);
    srv_publisher_flush(p);
    assert_int_equal(seq_of(p, 3, NULL), s0);
    stop(p);
    /* a month and a day later, after a restart: a new build */
    pthread_mutex_lock(&db.mu);
    db.offset = SRV_PUB_REFRESH_S + 86400;
    pthread_mutex_unlock(&db.mu);
    p = start();
    s1 = seq_of(p, 3, NULL);
    assert_int_equal(s1, s0 + 1);
    /* and another month on, without a trigger: the worker's own wake-up
     * (it re-checks at least every SRV_PUB_MAX_SLEEP_S; a trigger-free
     * flush stands in for that here) */
    pthread_mutex_lock(&db.mu);
    db.offset = 2 * SRV_PUB_REFRESH_S + 2 * 86400;
    pthread_mutex_unlock(&db.mu);
    for (i = 0; i < 50 && seq_of(p, 3, NULL) == s1; i++) {
        srv_publisher_flush(p);
        usleep(20000);
    }
    assert_int_equal(seq_of(p, 3, NULL), s1 + 1);
    stop(p);
    pthread_mutex_lock(&db.mu);
    db.offset = 0;
    pthread_mutex_unlock(&db.mu);
}

/* The rule itself: what makes a status worth a write. */
static void test_status_due(void **state)
{
    struct srv_pub_status saved, cur;

    (void)state;
    memset(&cur, 0, sizeof cur);
    assert_false(srv_pub_status_due(NULL, &cur)); /* never heard */
    cur.known = true;
    cur.online = true;
    cur.last_seen = 1000;
    cur.has_seq = true;
    cur.applied_seq = 7;
    memset(cur.applied_sha256, 'a', 64);
    cur.n_alert_ack = 1;
    snprintf(cur.alert_ack[0], sizeof cur.alert_ack[0], "alert-1");
    assert_true(srv_pub_status_due(NULL, &cur)); /* nothing written yet */
    saved = cur;
    assert_false(srv_pub_status_due(&saved, &cur));

    /* last_seen alone: once a minute, or when the clock went back. */
    cur.last_seen = 1000 + SRV_PUB_SEEN_WRITE_S - 1;
    assert_false(srv_pub_status_due(&saved, &cur));
    cur.last_seen = 1000 + SRV_PUB_SEEN_WRITE_S;
    assert_true(srv_pub_status_due(&saved, &cur));
    cur.last_seen = 999;
    assert_true(srv_pub_status_due(&saved, &cur));

    /* Anything the screen says about itself: at once. */
    cur = saved;
    cur.last_seen = 1001;
    cur.online = false;
    assert_true(srv_pub_status_due(&saved, &cur));
    cur = saved;
    cur.applied_seq = 8;
    assert_true(srv_pub_status_due(&saved, &cur));
    cur = saved;
    cur.has_seq = false;
    assert_true(srv_pub_status_due(&saved, &cur));
    cur = saved;
    cur.applied_sha256[0] = 'b';
    assert_true(srv_pub_status_due(&saved, &cur));
    cur = saved;
    snprintf(cur.error, sizeof cur.error, "fetch: timeout");
    assert_true(srv_pub_status_due(&saved, &cur));
    cur = saved;
    cur.n_alert_ack = 0;
    assert_true(srv_pub_status_due(&saved, &cur));
    cur = saved;
    cur.alert_ack[0][6] = '2';
    assert_true(srv_pub_status_due(&saved, &cur));
    /* what the screen is, and the cards it cannot fit: at once too (the
     * fit check and the contact person read them from the record) */
    cur = saved;
    cur.has_profile = true;
    cur.profile.width_px = 1080;
    assert_true(srv_pub_status_due(&saved, &cur));
    saved = cur;
    assert_false(srv_pub_status_due(&saved, &cur));
    cur.profile.distance_mm = 4000;
    assert_true(srv_pub_status_due(&saved, &cur));
    cur = saved;
    snprintf(cur.unplaced[0], sizeof cur.unplaced[0], "i12");
    cur.n_unplaced = 1;
    assert_true(srv_pub_status_due(&saved, &cur));
    saved = cur;
    cur.unplaced[0][1] = '3';
    assert_true(srv_pub_status_due(&saved, &cur));
    cur = saved;
    cur.n_paged = 1;
    assert_true(srv_pub_status_due(&saved, &cur));
}

static void set_offset(int64_t offset)
{
    pthread_mutex_lock(&db.mu);
    db.offset = offset;
    pthread_mutex_unlock(&db.mu);
}

static struct srv_pub_status row_of(int64_t id, int *written)
{
    struct srv_pub_status r;

    pthread_mutex_lock(&db.mu);
    r = db.row[id];
    *written = db.rows_written[id];
    pthread_mutex_unlock(&db.mu);
    return r;
}

/* The publisher writes the screen's record when what the screen says
 * changes, and not for every message that only proves it is there. */
static void test_status_writes(void **state)
{
    struct srv_publisher *p;
    struct taulu_proto_status st;
    struct srv_pub_status row;
    struct srv_pub_view v;
    char sha[65];
    int64_t first_seen, last_online;
    int n, k;

    (void)state;
    add_screen(4, 1);
    set_offset(0);
    p = start();
    row_of(4, &n);
    assert_int_equal(n, 0); /* never reported: nothing to write */

    /* Online with the current manifest: written at once. */
    taulu_proto_status_init(&st);
    st.state = TAULU_SCREEN_ONLINE;
    st.has_seq = true;
    st.seq = seq_of(p, 4, sha);
    memcpy(st.sha256, sha, 65);
    snprintf(st.showing, sizeof st.showing, "i10");
    srv_publisher_on_status(p, "screen-4", &st);
    row = row_of(4, &n);
    assert_int_equal(n, 1);
    assert_true(row.online);
    assert_true(row.has_seq);
    assert_int_equal(row.applied_seq, st.seq);
    assert_int_equal(srv_publisher_view(p, 4, &v), 0);
    assert_int_equal(row.last_seen, v.status.last_seen);
    first_seen = row.last_seen;

    /* The card on screen changes every ten seconds: memory follows, the
     * database does not. */
    for (k = 1; k <= 5; k++) {
        set_offset(k * 10);
        snprintf(st.showing, sizeof st.showing, "i1%d", k);
        srv_publisher_on_status(p, "screen-4", &st);
    }
    row = row_of(4, &n);
    assert_int_equal(n, 1);
    assert_int_equal(row.last_seen, first_seen);
    assert_int_equal(srv_publisher_view(p, 4, &v), 0);
    assert_true(v.status.last_seen >= first_seen + 50);

    /* A minute after the last write, last_seen alone is written. */
    set_offset(70);
    srv_publisher_on_status(p, "screen-4", &st);
    row = row_of(4, &n);
    assert_int_equal(n, 2);
    assert_int_equal(srv_publisher_view(p, 4, &v), 0);
    assert_int_equal(row.last_seen, v.status.last_seen);

    /* An error: at once. */
    set_offset(75);
    snprintf(st.error, sizeof st.error, "fetch: timeout");
    srv_publisher_on_status(p, "screen-4", &st);
    row = row_of(4, &n);
    assert_int_equal(n, 3);
    assert_string_equal(row.error, "fetch: timeout");
    last_online = row.last_seen;

    /* The last will: offline at once; last seen stays when it was. */
    set_offset(80);
    taulu_proto_status_init(&st);
    srv_publisher_on_status(p, "screen-4", &st);
    row = row_of(4, &n);
    assert_int_equal(n, 4);
    assert_false(row.online);
    assert_int_equal(row.last_seen, last_online);
    assert_int_equal(row.applied_seq, seq_of(p, 4, NULL)); /* kept */

    /* A write that fails is not lost: the worker's next pass makes it. */
    pthread_mutex_lock(&db.mu);
    db.rows_fail = true;
    pthread_mutex_unlock(&db.mu);
    set_offset(90);
    st.state = TAULU_SCREEN_ONLINE;
    srv_publisher_on_status(p, "screen-4", &st);
    assert_int_equal(srv_publisher_view(p, 4, &v), 0);
    assert_true(v.status.online);
    row = row_of(4, &n);
    assert_int_equal(n, 4);
    assert_false(row.online);
    pthread_mutex_lock(&db.mu);
    db.rows_fail = false;
    pthread_mutex_unlock(&db.mu);
    srv_publisher_flush(p);
    row = row_of(4, &n);
    assert_int_equal(n, 5);
    assert_true(row.online);
    assert_int_equal(row.last_seen, v.status.last_seen);
    /* Nothing is pending any more: another pass writes nothing. */
    srv_publisher_flush(p);
    row_of(4, &n);
    assert_int_equal(n, 5);

    /* Restart: the saved status is written to the record once (it may
     * never have got there), and the broker's re-delivery of the same
     * retained status right after adds no write. */
    stop(p);
    p = start();
    row = row_of(4, &n);
    assert_int_equal(n, 6);
    assert_true(row.online);
    srv_publisher_on_status(p, "screen-4", &st);
    row_of(4, &n);
    assert_int_equal(n, 6);
    stop(p);
    set_offset(0);
}

/* A screen reported online that then says nothing (its last will lost with
 * the broker's retained messages) is taken as offline once it has been
 * silent for SRV_PUB_SILENT_S, in memory and in the record, with last_seen
 * kept; its next status brings it back. */
static void test_silent_screen_offline(void **state)
{
    struct srv_publisher *p;
    struct taulu_proto_status st;
    struct srv_pub_status row;
    struct srv_pub_view v;
    int n;

    (void)state;
    add_screen(6, 1);
    set_offset(0);
    p = start();
    taulu_proto_status_init(&st);
    st.state = TAULU_SCREEN_ONLINE;
    srv_publisher_on_status(p, "screen-6", &st);
    assert_int_equal(srv_publisher_view(p, 6, &v), 0);
    assert_true(v.status.online);
    int64_t seen = v.status.last_seen;

    set_offset(SRV_PUB_SILENT_S - 60);
    srv_publisher_flush(p);
    assert_int_equal(srv_publisher_view(p, 6, &v), 0);
    assert_true(v.status.online);

    set_offset(SRV_PUB_SILENT_S + 60);
    srv_publisher_flush(p);
    assert_int_equal(srv_publisher_view(p, 6, &v), 0);
    assert_false(v.status.online);
    assert_int_equal(v.status.last_seen, seen);
    assert_true(v.alarm || !v.is_open);
    row = row_of(6, &n);
    assert_false(row.online);
    assert_int_equal(row.last_seen, seen);

    srv_publisher_on_status(p, "screen-6", &st);
    assert_int_equal(srv_publisher_view(p, 6, &v), 0);
    assert_true(v.status.online);
    row = row_of(6, &n);
    assert_true(row.online);
    stop(p);
    set_offset(0);
}

/* The watchdog's probe (srv_publisher_alive()): an idle worker sleeping
 * until its next boundary answers each ask (it is woken for it); a worker
 * stuck in a build (here: the backend's snapshot waits on a lock the test
 * holds, as a hung database call would) answers no more, until it is free
 * again. */
static bool alive_within(struct srv_publisher *p, int ms)
{
    int64_t end = taulu_monotonic_ms() + ms;

    /* each call asks again; true once the previous ask was answered */
    for (;;) {
        usleep(20 * 1000);
        if (srv_publisher_alive(p)) {
            return true;
        }
        if (taulu_monotonic_ms() > end) {
            return false;
        }
    }
}

static void test_alive(void **state)
{
    struct srv_publisher *p;
    int i;

    (void)state;
    add_screen(7, 1);
    p = start();
    assert_true(srv_publisher_alive(p)); /* nothing asked yet */
    for (i = 0; i < 3; i++) {
        usleep(50 * 1000);
        assert_true(srv_publisher_alive(p));
    }

    pthread_mutex_lock(&db.mu);
    srv_publisher_centre_changed(p, 1);
    usleep(100 * 1000); /* the worker is now waiting in load_snapshot */
    srv_publisher_alive(p);
    for (i = 0; i < 5; i++) {
        usleep(100 * 1000);
        assert_false(srv_publisher_alive(p));
    }
    pthread_mutex_unlock(&db.mu);
    assert_true(alive_within(p, 2000));
    stop(p);
}

/* ---- several instances ---- */

/* Two publishers on one database, as two server instances: each asks
 * its own lead flag, and what one tells is heard by both (as PostgreSQL's
 * NOTIFY reaches every listener). */
static struct srv_publisher *inst[2];
static bool inst_lead[2];
static int inst_plays;

static int lead_of(int i, bool *leading)
{
    pthread_mutex_lock(&db.mu);
    *leading = inst_lead[i];
    pthread_mutex_unlock(&db.mu);
    return 0;
}

static int lead0(void *ctx, bool *leading)
{
    (void)ctx;
    return lead_of(0, leading);
}

static int lead1(void *ctx, bool *leading)
{
    (void)ctx;
    return lead_of(1, leading);
}

static int bus(void *ctx, const char *payload)
{
    size_t i;

    (void)ctx;
    for (i = 0; i < 2; i++) {
        if (inst[i]) {
            srv_publisher_heard(inst[i], payload);
        }
    }
    return 0;
}

static int load_manifests(void *ctx, struct srv_pool *p, const int64_t *ids,
                          size_t n_ids, struct srv_pub_state **out, size_t *n)
{
    return srv_store_pub_manifests(((struct testdb *)ctx)->store, p, ids, n_ids,
                                   out, n);
}

static int count_plays(void *ctx, const struct srv_pub_play *v, size_t n)
{
    (void)ctx;
    (void)v;
    pthread_mutex_lock(&db.mu);
    inst_plays += (int)n;
    pthread_mutex_unlock(&db.mu);
    return 0;
}

static struct srv_publisher *start_instance(int i)
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
        .save_screen_status = save_screen_status,
        .save_plays = count_plays,
        .lead = i == 0 ? lead0 : lead1,
        .notify = bus,
        .load_manifests = load_manifests,
    };
    struct srv_publisher *p;

    memset(&cfg, 0, sizeof cfg);
    cfg.sign_sk = sk;
    cfg.now = clock_fn;
    cfg.now_ctx = &db;
    assert_int_equal(srv_publisher_start(&cfg, &be, &p), 0);
    return p;
}

/* The manifest instance i serves to screen `id`: seq, and sha into sha. */
static int64_t served(int i, int64_t id, char *sha)
{
    struct srv_pub_blob *blob = NULL;
    char etag[TAULU_SHA256_HEX_LEN + 3];
    int64_t seq;

    assert_int_equal(srv_publisher_manifest(inst[i], id, NULL, &blob, etag),
                     200);
    seq = blob->seq;
    memcpy(sha, blob->sha256, 65);
    srv_pub_blob_unref(blob);
    blob = NULL;
    /* the 304 path, from memory */
    assert_int_equal(srv_publisher_manifest(inst[i], id, etag, &blob, etag),
                     304);
    return seq;
}

static void test_follower_and_takeover(void **state)
{
    struct srv_pub_stats st0, st1;
    struct taulu_proto_status ps;
    char sha_a[65], sha_b[65], sha_c[65];
    int64_t now = taulu_now(), seq_a, seq_b;
    int i, written;

    (void)state;
    set_offset(0);
    add_screen(8, 5);
    add_screen(9, 5);
    add_placement(12, 5, now - 60, now + 3600);
    assert_int_equal(srv_store_open(dbpath, 2, &db.store), 0);
    inst_lead[0] = true;
    inst_lead[1] = false;
    inst[0] = start_instance(0);
    inst[1] = start_instance(1);
    assert_true(srv_publisher_leading(inst[0]));
    assert_false(srv_publisher_leading(inst[1]));

    /* The follower serves the bytes the leader signed, and signed none. */
    seq_a = served(0, 8, sha_a);
    assert_int_equal(served(1, 8, sha_b), seq_a);
    assert_string_equal(sha_a, sha_b);
    srv_publisher_stats(inst[1], &st1);
    assert_int_equal(st1.signed_manifests, 0);
    assert_int_equal(st1.builds, 0);

    /* A change made through the follower: the leader builds it, and the
     * follower loads the result when the leader tells it. */
    add_placement(13, 5, now - 60, now + 7200);
    srv_publisher_centre_changed(inst[1], 5);
    srv_publisher_flush(inst[0]);
    srv_publisher_flush(inst[1]);
    seq_b = served(0, 9, sha_a);
    assert_int_equal(seq_b, seq_a + 1);
    assert_int_equal(served(1, 9, sha_b), seq_b);
    assert_string_equal(sha_a, sha_b);
    srv_publisher_stats(inst[1], &st1);
    assert_int_equal(st1.signed_manifests, 0);

    /* A status heard by both: only the leader writes it and credits its
     * plays. */
    taulu_proto_status_init(&ps);
    ps.state = TAULU_SCREEN_ONLINE;
    ps.has_seq = true;
    ps.seq = seq_b;
    memcpy(ps.sha256, sha_a, 65);
    snprintf(ps.showing, sizeof ps.showing, "i12");
    srv_publisher_on_status(inst[1], "screen-9", &ps);
    row_of(9, &written);
    assert_int_equal(written, 0);
    srv_publisher_on_status(inst[0], "screen-9", &ps);
    row_of(9, &written);
    assert_int_equal(written, 1);
    set_offset(30);
    srv_publisher_on_status(inst[1], "screen-9", &ps);
    assert_int_equal(inst_plays, 0);
    srv_publisher_on_status(inst[0], "screen-9", &ps);
    assert_int_equal(inst_plays, 1);

    /* The leader goes; the follower takes over within two seconds, keeps
     * the seq and bytes of unchanged content, and the old one follows. */
    srv_publisher_stats(inst[0], &st0);
    pthread_mutex_lock(&db.mu);
    inst_lead[0] = false;
    inst_lead[1] = true;
    pthread_mutex_unlock(&db.mu);
    for (i = 0; i < 30 && !(srv_publisher_leading(inst[1]) &&
                            !srv_publisher_leading(inst[0]));
         i++) {
        usleep(100 * 1000);
    }
    assert_true(srv_publisher_leading(inst[1]));
    assert_false(srv_publisher_leading(inst[0]));
    srv_publisher_flush(inst[1]);
    assert_int_equal(served(1, 9, sha_c), seq_b);
    assert_string_equal(sha_c, sha_a);
    srv_publisher_stats(inst[1], &st1);
    assert_true(st1.builds > 0); /* it built, and found nothing new */

    /* The new leader builds what the old one is asked to. */
    set_offset(0);
    db.placements[db.n_placements - 1].display_until = now + 1800;
    srv_publisher_centre_changed(inst[0], 5);
    srv_publisher_flush(inst[1]);
    srv_publisher_flush(inst[0]);
    assert_int_equal(served(1, 9, sha_b), seq_b + 1);
    assert_int_equal(served(0, 9, sha_c), seq_b + 1);
    assert_string_equal(sha_b, sha_c);
    srv_publisher_stats(inst[0], &st1);
    assert_int_equal(st1.signed_manifests, st0.signed_manifests);

    for (i = 1; i >= 0; i--) {
        srv_publisher_free(inst[i]);
        inst[i] = NULL;
    }
    srv_store_close(db.store);
    db.store = NULL;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pipeline),
        cmocka_unit_test(test_time_boundary),
        cmocka_unit_test(test_no_alarm_when_closed),
        cmocka_unit_test(test_closed_all_week),
        cmocka_unit_test(test_monthly_refresh),
        cmocka_unit_test(test_status_due),
        cmocka_unit_test(test_status_writes),
        cmocka_unit_test(test_silent_screen_offline),
        cmocka_unit_test(test_alive),
        cmocka_unit_test(test_follower_and_takeover),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
