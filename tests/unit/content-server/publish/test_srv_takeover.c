/*
 * test_srv_takeover.c: what an instance taking over publishing writes.
 * 2,000 screens in the store (tsupport_db_target: a SQLite file, or a
 * PostgreSQL database in the _pg twin), the real backend over it
 * (srv_pubstore), two publishers on it as two server instances with a
 * store each (on PostgreSQL each takes the real publishers' lock, which
 * fences the saves), which of them may lead in the test's hands. Every screen
 * reports online to both (every instance hears every status over MQTT); the
 * leader writes the statuses, the follower none. Then the follower takes over.
 * Nothing any screen said has changed, so the new leader writes no status at
 * all: the publisher's rows and the screen records already hold what it heard.
 * A status that did change while it followed is written once, and a screen
 * record that does not hold its saved status (an earlier run died between
 * the two writes) is brought up to date. The figures (writes, the
 * takeover's time as the publisher logs it) are printed.
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
#include "srv_pubstore.h"
#include "srv_store.h"
#include "taulu_crypto.h"
#include "taulu_err.h"
#include "taulu_log.h"
#include "taulu_time.h"
#include "tsupport_db.h"

#define SCREENS 2000

static struct srv_store *stores[2], *store;
static struct srv_pubstore ps[2];
static uint8_t sk[TAULU_SIGN_SK_LEN];
static int64_t ids[SCREENS];

/* Two instances: their lead flags, and the status writes each made (the
 * publisher's row and the screen record). */
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static struct srv_publisher *inst[2];
static bool lead_flag[2];
static int writes_row[2], writes_record[2];
static long long took_ms = -1;

static struct srv_pub_backend real[2];

/* The instance's real lock when it may lead (always held on SQLite),
 * given up when it may not: as an instance that died. */
static int lead_of(int i, bool *leading)
{
    bool may;

    pthread_mutex_lock(&mu);
    may = lead_flag[i];
    pthread_mutex_unlock(&mu);
    if (!may) {
        srv_store_unlead(stores[i]);
        *leading = false;
        return 0;
    }
    return srv_store_lead(stores[i], leading);
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

static int count(int *v, int i)
{
    pthread_mutex_lock(&mu);
    v[i]++;
    pthread_mutex_unlock(&mu);
    return 0;
}
static int row0(void *ctx, int64_t id, const struct srv_pub_status *s)
{
    count(writes_row, 0);
    return real[0].save_status(ctx, id, s);
}
static int row1(void *ctx, int64_t id, const struct srv_pub_status *s)
{
    count(writes_row, 1);
    return real[1].save_status(ctx, id, s);
}
static int record0(void *ctx, int64_t id, const struct srv_pub_status *s)
{
    count(writes_record, 0);
    return real[0].save_screen_status(ctx, id, s);
}
static int record1(void *ctx, int64_t id, const struct srv_pub_status *s)
{
    count(writes_record, 1);
    return real[1].save_screen_status(ctx, id, s);
}

/* The publisher's "publishing (took over in N ms)". */
static void sink(int level, const char *tag, const char *msg, void *ctx)
{
    const char *p = strstr(msg, "took over in ");

    (void)level;
    (void)tag;
    (void)ctx;
    if (p) {
        pthread_mutex_lock(&mu);
        took_ms = strtoll(p + strlen("took over in "), NULL, 10);
        pthread_mutex_unlock(&mu);
    }
}

static struct srv_publisher *start_instance(int i)
{
    struct srv_pub_config cfg;
    struct srv_pub_backend be = real[i];
    struct srv_publisher *p;

    be.lead = i == 0 ? lead0 : lead1;
    be.save_status = i == 0 ? row0 : row1;
    be.save_screen_status = i == 0 ? record0 : record1;
    be.notify = NULL; /* each reloads what it needs when it leads */
    memset(&cfg, 0, sizeof cfg);
    cfg.sign_sk = sk;
    assert_int_equal(srv_publisher_start(&cfg, &be, &p), 0);
    return p;
}

static int setup(void **state)
{
    uint8_t pk[TAULU_SIGN_PK_LEN];
    char dir[] = "/tmp/taulu-takeover-XXXXXX", target[1200];
    struct srv_centre c;
    struct srv_screen *s;
    char(*names)[32];
    uint8_t(*hashes)[32];
    int64_t centre;
    size_t i, bad = 0;

    (void)state;
    if (taulu_crypto_init() || taulu_sign_keypair(pk, sk) || !mkdtemp(dir) ||
        tsupport_db_target("takeover", dir, target, sizeof target) ||
        srv_store_open(target, 4, &stores[0]) ||
        srv_store_open(target, 4, &stores[1])) {
        return -1;
    }
    store = stores[0];
    memset(&c, 0, sizeof c);
    c.name = "Tuiran hyvinvointikeskus";
    c.municipality = "564";
    c.address = "Tuira";
    c.opening_hours = "[null,null,null,null,null,null,null]";
    c.languages = "[\"fi\"]";
    if (srv_store_centre_create(store, 0, &c, &centre)) {
        return -1;
    }
    s = calloc(SCREENS, sizeof *s);
    hashes = calloc(SCREENS, sizeof *hashes);
    names = calloc(SCREENS, sizeof *names);
    if (!s || !hashes || !names) {
        return -1;
    }
    for (i = 0; i < SCREENS; i++) {
        char token[32];
        snprintf(names[i], sizeof names[i], "Näyttö %zu", i);
        s[i].centre_id = centre;
        s[i].name = names[i];
        s[i].orientation = "landscape";
        s[i].width_px = 1920;
        s[i].height_px = 1080;
        s[i].diagonal_in = 55;
        s[i].viewing_distance_m = 3;
        snprintf(token, sizeof token, "token-%zu", i);
        taulu_sha256(token, strlen(token), hashes[i]);
    }
    if (srv_store_screen_create_many(store, 0, s, SCREENS,
                                     (const uint8_t(*)[32])hashes, ids, &bad)) {
        return -1;
    }
    free(names);
    free(s);
    free(hashes);
    for (i = 0; i < 2; i++) {
        memset(&ps[i], 0, sizeof ps[i]);
        ps[i].store = stores[i];
        srv_pubstore_backend(&ps[i], &real[i]);
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    srv_store_close(stores[1]);
    srv_store_close(stores[0]);
    return 0;
}

/* Screen i's status as both instances hear it. */
static void report(int64_t id, bool online, const char *error)
{
    struct taulu_proto_status st;
    struct srv_pub_view v;
    char wire[SRV_WIRE_ID_MAX];
    int k;

    assert_int_equal(srv_publisher_view(inst[0], id, &v), 0);
    taulu_proto_status_init(&st);
    st.state = online ? TAULU_SCREEN_ONLINE : TAULU_SCREEN_OFFLINE;
    st.has_seq = true;
    st.seq = v.seq;
    memcpy(st.sha256, v.sha256, sizeof st.sha256);
    snprintf(st.error, sizeof st.error, "%s", error);
    assert_int_equal(srv_screen_wire_id(id, wire), 0);
    for (k = 0; k < 2; k++) {
        srv_publisher_on_status(inst[k], wire, &st);
    }
}

/* Hands the lead to instance `to` and waits until it publishes. */
static long long hand_over(int to)
{
    int64_t t0 = taulu_monotonic_ms();
    long long ms;
    int i;

    pthread_mutex_lock(&mu);
    lead_flag[to] = true;
    lead_flag[!to] = false;
    took_ms = -1;
    pthread_mutex_unlock(&mu);
    for (i = 0; i < 600; i++) {
        pthread_mutex_lock(&mu);
        ms = took_ms;
        pthread_mutex_unlock(&mu);
        if (ms >= 0 && !srv_publisher_leading(inst[!to])) {
            break;
        }
        usleep(50 * 1000);
    }
    assert_true(srv_publisher_leading(inst[to]));
    assert_false(srv_publisher_leading(inst[!to]));
    srv_publisher_flush(inst[to]);
    (void)t0;
    return ms;
}

static void writes_of(int i, int *row, int *record)
{
    pthread_mutex_lock(&mu);
    *row = writes_row[i];
    *record = writes_record[i];
    writes_row[i] = writes_record[i] = 0;
    pthread_mutex_unlock(&mu);
}

static void test_takeover_writes(void **state)
{
    struct srv_pub_view v;
    int row, record;
    long long ms;
    size_t i;

    (void)state;
    lead_flag[0] = true;
    inst[0] = start_instance(0);
    inst[1] = start_instance(1);
    taulu_log_set_sink(sink, NULL);
    for (i = 0; i < SCREENS; i++) {
        report(ids[i], true, "");
    }
    srv_publisher_flush(inst[0]);
    srv_publisher_flush(inst[1]);
    writes_of(0, &row, &record);
    assert_int_equal(row, SCREENS);
    assert_int_equal(record, SCREENS);
    writes_of(1, &row, &record);
    assert_int_equal(row + record, 0); /* a follower writes nothing */

    /* The takeover: nothing changed, nothing is written. */
    ms = hand_over(1);
    writes_of(1, &row, &record);
    print_message("takeover with %d screens, %s: %d status writes "
                  "(%d rows, %d screen records), took over in %lld ms\n",
                  SCREENS, tsupport_db_is_pg() ? "PostgreSQL" : "SQLite",
                  row + record, row, record, ms);
    assert_int_equal(row, 0);
    assert_int_equal(record, 0);
    /* and what it holds is what the screens said */
    assert_int_equal(srv_publisher_view(inst[1], ids[7], &v), 0);
    assert_true(v.status.online);

    /* Back, with three screens changed while instance 0 followed: their
     * three statuses are written, once each. */
    report(ids[1], false, "");
    report(ids[2], true, "fetch: timeout");
    report(ids[3], false, "");
    srv_publisher_flush(inst[1]);
    writes_of(1, &row, &record);
    assert_int_equal(row, 3);
    assert_int_equal(record, 3);
    /* instance 0 heard them too; the database has them now */
    ms = hand_over(0);
    writes_of(0, &row, &record);
    assert_int_equal(row + record, 0);

    /* A screen record that lost its write (an instance died between the
     * publisher's row and the record): the next leader puts it right. */
    {
        struct srv_screen rec;
        memset(&rec, 0, sizeof rec);
        rec.id = ids[5];
        rec.online = false;
        rec.last_seen = 1;
        rec.unplaced = "";
        rec.paged = "";
        assert_int_equal(srv_store_screen_set_status(store, &rec), 0);
    }
    ms = hand_over(1);
    writes_of(1, &row, &record);
    assert_int_equal(row, 1);
    assert_int_equal(record, 1);
    {
        struct srv_pool pool;
        struct srv_screen got;
        srv_pool_init(&pool);
        assert_int_equal(srv_store_screen_get(store, &pool, ids[5], &got), 0);
        assert_true(got.online);
        assert_true(got.last_seen > 1);
        srv_pool_release(&pool);
    }
    (void)ms;
    taulu_log_set_sink(NULL, NULL);
    for (i = 0; i < 2; i++) {
        srv_publisher_free(inst[1 - i]);
        inst[1 - i] = NULL;
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_takeover_writes),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
