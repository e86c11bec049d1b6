/*
 * test_srv_store_pub.c: the publisher's rows in the store (srv_store_pub.c)
 * against a real file: their round trip, and above all the adoption of the
 * tables that the earlier code (srv_pubdb.c, a connection of its own)
 * created outside the versioned migrations. A database of that time must
 * keep its screens' MQTT password hashes and manifest seq numbers when the
 * new store opens it, and end at the current schema with the same tables
 * as a new database.
 */
#include <sqlite3.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <setjmp.h>
#include <cmocka.h>

#include "srv_store.h"
#include "taulu_err.h"

/* The schema exactly as srv_pubdb.c created it, before migration 4. */
static const char old_schema[] =
    "CREATE TABLE IF NOT EXISTS pub_state ("
    " screen_id INTEGER PRIMARY KEY,"
    " seq INTEGER NOT NULL CHECK (seq >= 0),"
    " built_at INTEGER NOT NULL,"
    " digest TEXT NOT NULL CHECK (length(digest) = 64),"
    " sha256 TEXT NOT NULL CHECK (length(sha256) = 64));"
    "CREATE TABLE IF NOT EXISTS pub_status ("
    " screen_id INTEGER PRIMARY KEY,"
    " online INTEGER NOT NULL,"
    " last_seen INTEGER NOT NULL,"
    " has_seq INTEGER NOT NULL,"
    " applied_seq INTEGER NOT NULL,"
    " applied_sha256 TEXT NOT NULL,"
    " error TEXT NOT NULL,"
    " alert_ack TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS pub_secret ("
    " screen_id INTEGER PRIMARY KEY,"
    " mqtt_hash TEXT NOT NULL);";

#define DIGEST_A                                                               \
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define SHA_B "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
#define SHA_C "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc"
#define HASH_5                                                                 \
    "$7$101$c2FsdHNhbHRzYWx0c2FsdA==$"                                         \
    "aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g="

/* Rows as the old code wrote them (bound the same way: integers, text). */
static const char old_rows[] =
    "INSERT INTO pub_state VALUES (5, 41, 1700000000, '" DIGEST_A "', '" SHA_B
    "');"
    "INSERT INTO pub_state VALUES (9, 7, 1700000100, '" DIGEST_A "', '" SHA_C
    "');"
    "INSERT INTO pub_status VALUES (5, 1, 1700000200, 1, 41, '" SHA_B
    "', '', 'vesikatko-1 palo.2');"
    "INSERT INTO pub_status VALUES (9, 0, 1700000300, 0, 0, '', 'fetch: "
    "timeout', '');"
    "INSERT INTO pub_secret VALUES (5, '" HASH_5 "');"
    "INSERT INTO pub_secret VALUES (9, '$7$101$other');";

static char path[300];

static void tmp_path(const char *name)
{
    const char *tmp = getenv("TAULU_TEST_TMP");
    char cmd[400];

    snprintf(cmd, sizeof(cmd), "mkdir -p '%s'", tmp ? tmp : "/tmp");
    assert_int_equal(system(cmd), 0);
    snprintf(path, sizeof(path), "%s/%s.%d.db", tmp ? tmp : "/tmp", name,
             (int)getpid());
    unlink(path);
}

static void exec_raw(sqlite3 *db, const char *sql)
{
    char *msg = NULL;

    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        fail_msg("%s", msg ? msg : "?");
    }
}

static int64_t query_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *s;
    int64_t v;

    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

/* What the old server left: the store's tables at schema 3 (migrations
 * 1-3 are the same today) and, beside them, the publisher's tables made
 * by its own connection, with rows. */
static void make_old_database(void)
{
    struct srv_store *st;
    sqlite3 *db;

    assert_int_equal(srv_store_open(path, 1, &st), 0);
    srv_store_close(st);
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    /* Back to schema 3: what migration 4 made, and what the migrations
     * after it added (accounts' settings, links and the mail queue: 5;
     * recurring items: 6; import sources and PTV hours: 7). */
    exec_raw(db, "DROP TABLE centre_hours; DROP TABLE import_item;"
                 " DROP TABLE import_source;");
    exec_raw(db, "DROP TABLE pub_state; DROP TABLE pub_status;"
                 " DROP TABLE pub_secret;"
                 " DROP TABLE account_link; DROP TABLE mail;"
                 " DROP TABLE notify_state;"
                 " ALTER TABLE account DROP COLUMN lang;"
                 " ALTER TABLE account DROP COLUMN notify;"
                 " DROP TABLE item_cancel;"
                 " ALTER TABLE item DROP COLUMN recurrence;"
                 " ALTER TABLE item DROP COLUMN series_end;"
                 " DELETE FROM schema_version WHERE version > 3;");
    assert_int_equal(query_int(db, "SELECT MAX(version) FROM schema_version"),
                     3);
    exec_raw(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;");
    exec_raw(db, old_schema);
    exec_raw(db, old_rows);
    sqlite3_close(db);
}

/* The rows of old_rows, read through the store. */
static void check_old_rows(struct srv_store *st)
{
    struct srv_pool p;
    struct srv_pub_state *states;
    struct srv_pub_status_row *statuses;
    struct srv_mqtt_hash *hashes;
    size_t n;

    srv_pool_init(&p);
    assert_int_equal(srv_store_pub_states(st, &p, &states, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(states[0].screen_id, 5);
    assert_int_equal(states[0].seq, 41);
    assert_int_equal(states[0].built_at, 1700000000);
    assert_string_equal(states[0].digest, DIGEST_A);
    assert_string_equal(states[0].sha256, SHA_B);
    assert_int_equal(states[1].screen_id, 9);
    assert_int_equal(states[1].seq, 7);
    assert_string_equal(states[1].sha256, SHA_C);

    assert_int_equal(srv_store_pub_statuses(st, &p, &statuses, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(statuses[0].screen_id, 5);
    assert_true(statuses[0].status.known);
    assert_true(statuses[0].status.online);
    assert_int_equal(statuses[0].status.last_seen, 1700000200);
    assert_true(statuses[0].status.has_seq);
    assert_int_equal(statuses[0].status.applied_seq, 41);
    assert_string_equal(statuses[0].status.applied_sha256, SHA_B);
    assert_int_equal(statuses[0].status.n_alert_ack, 2);
    assert_string_equal(statuses[0].status.alert_ack[0], "vesikatko-1");
    assert_string_equal(statuses[0].status.alert_ack[1], "palo.2");
    assert_false(statuses[1].status.online);
    assert_false(statuses[1].status.has_seq);
    assert_string_equal(statuses[1].status.error, "fetch: timeout");
    assert_int_equal(statuses[1].status.n_alert_ack, 0);

    assert_int_equal(srv_store_pub_mqtt_hashes(st, &p, &hashes, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(hashes[0].screen_id, 5);
    assert_string_equal(hashes[0].hash, HASH_5);
    assert_string_equal(hashes[1].hash, "$7$101$other");
    srv_pool_release(&p);
}

/* The schema is current and the publisher's tables are the same STRICT
 * tables a new database gets. */
static void check_schema(void)
{
    sqlite3 *db;

    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(query_int(db, "SELECT MAX(version) FROM schema_version"),
                     srv_store_schema_version());
    assert_int_equal(query_int(db, "SELECT COUNT(*) FROM pragma_table_list"
                                   " WHERE name IN ('pub_state',"
                                   " 'pub_status', 'pub_secret') AND strict"),
                     3);
    /* Nothing of the copy is left behind. */
    assert_int_equal(query_int(db, "SELECT COUNT(*) FROM sqlite_schema"
                                   " WHERE name LIKE 'pub_%_4'"),
                     0);
    sqlite3_close(db);
}

static void adopts_the_old_tables(void **state)
{
    struct srv_store *st;
    struct srv_pub_state next, *states;
    struct srv_pool p;
    size_t n;

    (void)state;
    tmp_path("store-pub-old");
    make_old_database();
    assert_int_equal(srv_store_open(path, 2, &st), 0);
    check_old_rows(st);
    assert_int_equal(srv_store_check(st), 0);
    /* The publisher goes on from the seq it had: 42 next for screen 5. */
    memset(&next, 0, sizeof(next));
    next.screen_id = 5;
    next.seq = 42;
    next.built_at = 1700000400;
    memcpy(next.digest, DIGEST_A, sizeof(next.digest));
    memcpy(next.sha256, SHA_C, sizeof(next.sha256));
    assert_int_equal(srv_store_pub_save_states(st, &next, 1), 0);
    srv_store_close(st);
    check_schema();
    /* Opening again migrates nothing and loses nothing. */
    assert_int_equal(srv_store_open(path, 1, &st), 0);
    srv_pool_init(&p);
    assert_int_equal(srv_store_pub_states(st, &p, &states, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(states[0].seq, 42);
    assert_string_equal(states[0].sha256, SHA_C);
    srv_pool_release(&p);
    srv_store_close(st);
    unlink(path);
}

/* The publisher's tables made before the store ever ran on the file (the
 * old publisher opened its connection on its own): still adopted. */
static void adopts_tables_older_than_the_store(void **state)
{
    struct srv_store *st;
    sqlite3 *db;

    (void)state;
    tmp_path("store-pub-first");
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    exec_raw(db, old_schema);
    exec_raw(db, old_rows);
    sqlite3_close(db);
    assert_int_equal(srv_store_open(path, 1, &st), 0);
    check_old_rows(st);
    srv_store_close(st);
    check_schema();
    unlink(path);
}

static void round_trip_and_forget(void **state)
{
    struct srv_store *st;
    struct srv_pool p;
    struct srv_pub_state s, *states;
    struct srv_pub_status status;
    struct srv_pub_status_row *statuses;
    struct srv_mqtt_hash *hashes;
    char long_hash[SRV_STORE_MQTT_HASH_MAX + 1];
    size_t n;

    (void)state;
    tmp_path("store-pub-new");
    assert_int_equal(srv_store_open(path, 1, &st), 0);
    srv_pool_init(&p);
    check_schema();

    memset(&s, 0, sizeof(s));
    s.screen_id = 3;
    s.seq = 1;
    memcpy(s.digest, DIGEST_A, sizeof(s.digest));
    memcpy(s.sha256, SHA_B, sizeof(s.sha256));
    assert_int_equal(srv_store_pub_save_states(st, &s, 1), 0);
    /* A batch is all or nothing: a bad digest fails the whole of it. */
    s.seq = 2;
    s.digest[10] = '\0';
    assert_int_equal(srv_store_pub_save_states(st, &s, 1), TAULU_EDB);
    assert_int_equal(srv_store_pub_states(st, &p, &states, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(states[0].seq, 1);

    memset(&status, 0, sizeof(status));
    status.online = true;
    status.last_seen = 1234;
    snprintf(status.alert_ack[0], sizeof(status.alert_ack[0]), "a-1");
    snprintf(status.alert_ack[1], sizeof(status.alert_ack[1]), "b_2");
    status.n_alert_ack = 2;
    assert_int_equal(srv_store_pub_save_status(st, 3, &status), 0);
    status.online = false;
    assert_int_equal(srv_store_pub_save_status(st, 3, &status), 0);
    assert_int_equal(srv_store_pub_statuses(st, &p, &statuses, &n), 0);
    assert_int_equal(n, 1);
    assert_false(statuses[0].status.online);
    assert_int_equal(statuses[0].status.n_alert_ack, 2);
    assert_string_equal(statuses[0].status.alert_ack[1], "b_2");

    memset(long_hash, 'x', sizeof(long_hash) - 1);
    long_hash[sizeof(long_hash) - 1] = '\0';
    assert_int_equal(srv_store_pub_set_mqtt_hash(st, 3, long_hash),
                     TAULU_EINVAL);
    assert_int_equal(srv_store_pub_set_mqtt_hash(st, 3, "$7$1"), 0);
    assert_int_equal(srv_store_pub_set_mqtt_hash(st, 3, "$7$2"), 0);
    assert_int_equal(srv_store_pub_mqtt_hashes(st, &p, &hashes, &n), 0);
    assert_int_equal(n, 1);
    assert_string_equal(hashes[0].hash, "$7$2");

    assert_int_equal(srv_store_pub_forget(st, 3), 0);
    assert_int_equal(srv_store_pub_states(st, &p, &states, &n), 0);
    assert_int_equal(n, 0);
    assert_int_equal(srv_store_pub_statuses(st, &p, &statuses, &n), 0);
    assert_int_equal(n, 0);
    assert_int_equal(srv_store_pub_mqtt_hashes(st, &p, &hashes, &n), 0);
    assert_int_equal(n, 0);
    srv_pool_release(&p);
    srv_store_close(st);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(adopts_the_old_tables),
        cmocka_unit_test(adopts_tables_older_than_the_store),
        cmocka_unit_test(round_trip_and_forget),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
