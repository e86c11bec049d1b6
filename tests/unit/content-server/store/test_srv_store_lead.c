/*
 * test_srv_store_lead.c: several instances on one database (srv_store.h,
 * "Several instances"): the publishers' lock, the fencing of
 * srv_store_pub_save_states() and the signed manifests saved with it,
 * the left-out lists the publishing instance saves for the others (and
 * their fencing),
 * NOTIFY and LISTEN, the instances' broker accounts. Two stores opened on one
 * target stand for two server instances. On SQLite (one process owns the file)
 * a store always leads and nothing is sent; the _pg twin runs it on PostgreSQL,
 * where a deposed instance's save must be refused.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <setjmp.h>
#include <cmocka.h>

#include <libpq-fe.h>

#include "srv_pool.h"
#include "srv_store.h"
#include "taulu_err.h"
#include "tsupport_db.h"

static char db[600];

static int setup(void **state)
{
    const char *tmp = getenv("TAULU_TEST_TMP");
    char dir[300];

    (void)state;
    snprintf(dir, sizeof dir, "%s/store-lead.%d", tmp ? tmp : "/tmp",
             (int)getpid());
    mkdir(tmp ? tmp : "/tmp", 0700);
    mkdir(dir, 0700);
    if (tsupport_db_target("store_lead", dir, db, sizeof db) != 0) {
        return -1;
    }
    if (!tsupport_db_is_pg()) {
        unlink(db);
    }
    return 0;
}

static struct srv_pub_state state_of(int64_t screen, int64_t seq,
                                     const char *bytes)
{
    struct srv_pub_state s;

    memset(&s, 0, sizeof s);
    s.screen_id = screen;
    s.seq = seq;
    s.built_at = 1700000000 + seq;
    memset(s.digest, 'd', 64);
    memset(s.sha256, 'a' + (char)(seq % 6), 64);
    s.manifest = bytes;
    s.manifest_len = strlen(bytes);
    return s;
}

/* Ends the server processes holding the publishers' lock, as a crash or
 * a lost network would: the lock connection's store does not know. */
static void kill_lock_holder(void)
{
    PGconn *c = PQconnectdb(db + strlen(TSUPPORT_PG_PREFIX));
    PGresult *r;

    assert_int_equal(PQstatus(c), CONNECTION_OK);
    /* Advisory locks are per database: only this test's (the cluster
     * serves other tests' servers at the same time). */
    r = PQexec(c, "SELECT pg_terminate_backend(pid) FROM pg_locks"
                  " WHERE locktype = 'advisory' AND objid::bigint = 1413567824"
                  " AND objsubid = 1 AND database = (SELECT oid FROM"
                  " pg_database WHERE datname = current_database())");
    assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
    assert_int_equal(PQntuples(r), 1);
    PQclear(r);
    PQfinish(c);
}

static void test_one_leader_and_fencing(void **state)
{
    struct srv_store *a = NULL, *b = NULL;
    struct srv_pub_state s1 = state_of(7, 1, "signed one");
    struct srv_pub_state s2 = state_of(7, 2, "signed two");
    struct srv_pub_state *got = NULL;
    struct srv_pool pool;
    int64_t ids[] = {7, 8};
    size_t n = 0;
    bool la = false, lb = true;
    int i;

    (void)state;
    assert_int_equal(srv_store_open(db, 2, &a), 0);
    assert_int_equal(srv_store_open(db, 2, &b), 0);
    assert_int_equal(srv_store_lead(a, &la), 0);
    assert_true(la);
    assert_int_equal(srv_store_lead(a, &la), 0); /* kept */
    assert_true(la);
    assert_int_equal(srv_store_pub_save_states(a, &s1, 1), 0);

    srv_pool_init(&pool);
    assert_int_equal(srv_store_pub_manifests(b, &pool, ids, 2, &got, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(got[0].seq, 1);
    assert_int_equal(got[0].manifest_len, strlen("signed one"));
    assert_memory_equal(got[0].manifest, "signed one", got[0].manifest_len);
    assert_int_equal(srv_store_pub_states(b, &pool, &got, &n), 0);
    assert_int_equal(n, 1);
    assert_true(got[0].has_manifest);

    if (!tsupport_db_is_pg()) {
        /* one file, one process: every store leads */
        assert_int_equal(srv_store_lead(b, &lb), 0);
        assert_true(lb);
        goto out;
    }
    /* A second instance does not lead, and cannot write a seq. */
    assert_int_equal(srv_store_lead(b, &lb), 0);
    assert_false(lb);
    assert_int_equal(srv_store_pub_save_states(b, &s2, 1), TAULU_ECONFLICT);

    /* The leader's lock connection ends (a crash, a lost network): the
     * other takes over at its next try, and the deposed leader, which
     * has not noticed, is refused inside its transaction. */
    kill_lock_holder();
    /* The ended process lets its locks go as it exits, a moment later. */
    for (i = 0; i < 100; i++) {
        assert_int_equal(srv_store_lead(b, &lb), 0);
        if (lb) {
            break;
        }
        nanosleep(&(struct timespec){0, 20 * 1000000L}, NULL);
    }
    assert_true(lb);
    assert_int_equal(srv_store_pub_save_states(a, &s2, 1), TAULU_ECONFLICT);
    assert_int_equal(srv_store_pub_save_states(b, &s2, 1), 0);
    /* The deposed one finds out, and stays a follower. */
    assert_int_not_equal(srv_store_lead(a, &la), 0);
    assert_false(la);
    assert_int_equal(srv_store_lead(a, &la), 0);
    assert_false(la);

    /* Giving it up hands it over at once. */
    srv_store_unlead(b);
    assert_int_equal(srv_store_pub_save_states(b, &s1, 1), TAULU_ECONFLICT);
    assert_int_equal(srv_store_lead(a, &la), 0);
    assert_true(la);
    assert_int_equal(srv_store_pub_manifests(a, &pool, ids, 1, &got, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(got[0].seq, 2);
    assert_memory_equal(got[0].manifest, "signed two", got[0].manifest_len);
out:
    srv_pool_release(&pool);
    srv_store_close(a);
    srv_store_close(b);
}

/* What the publishing instance left out, per centre, as another instance
 * reads it: in order, a centre's list replaced as a whole (an empty one
 * removes it), and on PostgreSQL never by an instance without the lock. */
static void test_refusals_shared(void **state)
{
    struct srv_store *a = NULL, *b = NULL;
    struct srv_pub_refusal three[] = {
        {3, false, 41, 410, "versions[0].title: too long (600 > 300 bytes)"},
        {3, true, 9, 0, "over the manifest's limit of 16 alerts"},
    };
    struct srv_pub_refusal five[] = {
        {5, false, 12, 120, "over the manifest's limit of 256 cards"},
    };
    struct srv_pub_refusal *got = NULL;
    struct srv_pool pool;
    size_t n = 0;
    bool la = false, lb = true;

    (void)state;
    srv_pool_init(&pool);
    assert_int_equal(srv_store_open(db, 2, &a), 0);
    assert_int_equal(srv_store_open(db, 2, &b), 0);
    assert_int_equal(srv_store_lead(a, &la), 0);
    assert_true(la);
    assert_int_equal(srv_store_pub_save_refusals(a, 5, five, 1), 0);
    assert_int_equal(srv_store_pub_save_refusals(a, 3, three, 2), 0);
    assert_int_equal(srv_store_pub_refusals(b, &pool, &got, &n), 0);
    assert_int_equal(n, 3);
    assert_int_equal(got[0].centre_id, 3);
    assert_false(got[0].alert);
    assert_int_equal(got[0].id, 41);
    assert_int_equal(got[0].placement_id, 410);
    assert_string_equal(got[0].reason, three[0].reason);
    assert_int_equal(got[1].centre_id, 3);
    assert_true(got[1].alert);
    assert_int_equal(got[1].id, 9);
    assert_int_equal(got[1].placement_id, 0);
    assert_int_equal(got[2].centre_id, 5);
    assert_string_equal(got[2].reason, five[0].reason);

    /* Replaced as a whole: the alert alone, then nothing. */
    assert_int_equal(srv_store_pub_save_refusals(a, 3, three + 1, 1), 0);
    assert_int_equal(srv_store_pub_refusals(b, &pool, &got, &n), 0);
    assert_int_equal(n, 2);
    assert_true(got[0].alert);
    assert_int_equal(got[1].centre_id, 5);
    assert_int_equal(srv_store_pub_save_refusals(a, 3, NULL, 0), 0);
    assert_int_equal(srv_store_pub_refusals(b, &pool, &got, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(got[0].centre_id, 5);

    if (tsupport_db_is_pg()) {
        /* Fenced: the follower's save is refused and changes nothing. */
        assert_int_equal(srv_store_lead(b, &lb), 0);
        assert_false(lb);
        assert_int_equal(srv_store_pub_save_refusals(b, 5, NULL, 0),
                         TAULU_ECONFLICT);
        assert_int_equal(srv_store_pub_refusals(a, &pool, &got, &n), 0);
        assert_int_equal(n, 1);
    }
    assert_int_equal(srv_store_pub_save_refusals(a, 5, NULL, 0), 0);
    srv_pool_release(&pool);
    srv_store_close(a);
    srv_store_close(b);
}

struct heard {
    pthread_mutex_t mu;
    char last[64];
    int count;
};

static void on_note(void *arg, const char *payload)
{
    struct heard *h = arg;

    pthread_mutex_lock(&h->mu);
    if (payload) {
        snprintf(h->last, sizeof h->last, "%s", payload);
        h->count++;
    }
    pthread_mutex_unlock(&h->mu);
}

static void test_notify_listen(void **state)
{
    struct srv_store *a = NULL, *b = NULL;
    struct srv_store_listener *l = NULL;
    struct heard h = {PTHREAD_MUTEX_INITIALIZER, "", 0};
    int i, count = 0;

    (void)state;
    assert_int_equal(srv_store_open(db, 1, &a), 0);
    assert_int_equal(srv_store_open(db, 1, &b), 0);
    assert_int_equal(srv_store_listen(b, "taulu_test", on_note, &h, &l), 0);
    assert_int_equal(srv_store_notify(a, "taulu_test", "c 42"), 0);
    assert_int_equal(srv_store_notify(a, "other", "not this"), 0);
    if (!tsupport_db_is_pg()) {
        assert_null(l);
        assert_false(srv_store_shared(a));
        goto out;
    }
    assert_true(srv_store_shared(a));
    assert_non_null(l);
    for (i = 0; i < 100 && count == 0; i++) {
        struct timespec ts = {0, 20 * 1000000L};
        nanosleep(&ts, NULL);
        pthread_mutex_lock(&h.mu);
        count = h.count;
        pthread_mutex_unlock(&h.mu);
    }
    assert_int_equal(count, 1);
    assert_string_equal(h.last, "c 42");
out:
    srv_store_listen_stop(l);
    srv_store_close(a);
    srv_store_close(b);
}

/* The instances' broker accounts: seen, refreshed, listed since a time,
 * a stale one forgotten by another's beat, a clean stop's gone at once,
 * a name over the limit refused. */
static void test_instances(void **state)
{
    struct srv_store *a = NULL, *b = NULL;
    struct srv_pool pool;
    const char **names = NULL;
    char long_name[SRV_STORE_INSTANCE_NAME_MAX + 1];
    size_t n = 0;

    (void)state;
    assert_int_equal(srv_store_open(db, 1, &a), 0);
    assert_int_equal(srv_store_open(db, 1, &b), 0);
    srv_pool_init(&pool);
    assert_int_equal(srv_store_instance_seen(a, "srv-aaaa", 1000, 0), 0);
    assert_int_equal(srv_store_instance_seen(b, "srv-bbbb", 1010, 0), 0);
    assert_int_equal(srv_store_instance_names(a, &pool, 0, &names, &n), 0);
    assert_int_equal(n, 2);
    assert_string_equal(names[0], "srv-aaaa");
    assert_string_equal(names[1], "srv-bbbb");
    /* a's row refreshed; only what was seen since 1005 */
    assert_int_equal(srv_store_instance_seen(a, "srv-aaaa", 2000, 0), 0);
    assert_int_equal(srv_store_instance_names(b, &pool, 1500, &names, &n), 0);
    assert_int_equal(n, 1);
    assert_string_equal(names[0], "srv-aaaa");
    /* b not seen since 1010: forgotten by a's beat that forgets < 1500 */
    assert_int_equal(srv_store_instance_seen(a, "srv-aaaa", 3000, 1500), 0);
    assert_int_equal(srv_store_instance_names(a, &pool, 0, &names, &n), 0);
    assert_int_equal(n, 1);
    assert_string_equal(names[0], "srv-aaaa");
    /* a's own row is never forgotten by its own beat */
    assert_int_equal(srv_store_instance_seen(a, "srv-aaaa", 3001, 5000), 0);
    assert_int_equal(srv_store_instance_gone(a, "srv-aaaa"), 0);
    assert_int_equal(srv_store_instance_names(a, &pool, 0, &names, &n), 0);
    assert_int_equal(n, 0);
    memset(long_name, 'x', sizeof long_name - 1);
    long_name[sizeof long_name - 1] = '\0';
    assert_int_equal(srv_store_instance_seen(a, long_name, 1, 0), TAULU_EINVAL);
    assert_int_equal(srv_store_instance_seen(a, "", 1, 0), TAULU_EINVAL);
    srv_pool_release(&pool);
    srv_store_close(a);
    srv_store_close(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_leader_and_fencing),
        cmocka_unit_test(test_refusals_shared),
        cmocka_unit_test(test_notify_listen),
        cmocka_unit_test(test_instances),
    };

    return cmocka_run_group_tests(tests, setup, NULL);
}
