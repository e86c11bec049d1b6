/*
 * test_srv_collation_pg.c: the store's check of a PostgreSQL database's
 * collation at open (srv_db_pg.c, pg_collation_ok). The store orders lists
 * by name the way SQLite does, by code point, only in a database whose
 * collation is C (or POSIX, C.UTF-8). Against the pg_cluster fixture's
 * server: the database tsupport_db_target() makes is C and opens without
 * a word; one made with an ICU locale (fi-FI) opens too, with one warning
 * that names the locale and the CREATE DATABASE that fixes it, and
 * /metrics' infotaulu_db_collation_ok says 0; the lists show why it
 * matters ("a" before "B" under fi-FI, after it under C).
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

#include <libpq-fe.h>

#include "srv_store.h"
#include "taulu_buf.h"
#include "taulu_log.h"
#include "tsupport.h"
#include "tsupport_db.h"

/* The warnings logged while the sink is in place. */
static char warnings[8][1024];
static int n_warnings;

static void sink(int level, const char *tag, const char *msg, void *ctx)
{
    (void)tag;
    (void)ctx;
    if (level <= TAULU_LOG_WARNING && n_warnings < 8) {
        snprintf(warnings[n_warnings++], sizeof warnings[0], "%s", msg);
    }
}

static char dir[512];
static char c_target[1200];

static int setup(void **state)
{
    (void)state;
    if (!tsupport_db_is_pg()) {
        fprintf(stderr, "test_srv_collation_pg: TAULU_TEST_PG_DIR not set\n");
        return -1;
    }
    snprintf(dir, sizeof dir, "/tmp/taulu-coll-XXXXXX");
    if (!mkdtemp(dir)) {
        return -1;
    }
    return tsupport_db_target("collation", dir, c_target, sizeof c_target);
}

/* A libpq connection to the target's database. */
static PGconn *connect_to(const char *target)
{
    PGconn *conn = PQconnectdb(target + strlen(TSUPPORT_PG_PREFIX));

    assert_int_equal(PQstatus(conn), CONNECTION_OK);
    return conn;
}

static void run(PGconn *conn, const char *sql)
{
    PGresult *res = PQexec(conn, sql);

    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        fail_msg("%s: %s", sql, PQerrorMessage(conn));
    }
    PQclear(res);
}

/* The store opened on `target`: its warnings, the gauge and the order of
 * three centres named so that C and fi-FI disagree. */
static void open_and_list(const char *target, bool *ok, int *gauge, char *order,
                          size_t size)
{
    static const char *const names[] = {"a-keskus", "B-keskus", "Ö-keskus"};
    struct srv_store *st = NULL;
    struct srv_centre *v = NULL;
    struct taulu_buf b;
    struct srv_pool pool;
    const char *line;
    size_t n = 0, i;

    n_warnings = 0;
    taulu_log_set_sink(sink, NULL);
    assert_int_equal(srv_store_open(target, 2, &st), 0);
    taulu_log_set_sink(NULL, NULL);
    *ok = srv_store_collation_ok(st);
    taulu_buf_init(&b, 4096);
    assert_int_equal(srv_store_metrics(st, &b), 0);
    assert_non_null(b.data);
    line = strstr(b.data, "\ninfotaulu_db_collation_ok ");
    assert_non_null(line);
    *gauge =
        (int)strtol(line + strlen("\ninfotaulu_db_collation_ok "), NULL, 10);
    taulu_buf_release(&b);

    for (i = 0; i < 3; i++) {
        struct srv_centre c;
        int64_t id;
        memset(&c, 0, sizeof c);
        c.name = names[i];
        c.municipality = "564";
        c.address = "Testikatu 1";
        c.opening_hours = "[null,null,null,null,null,null,null]";
        c.languages = "[\"fi\"]";
        assert_int_equal(srv_store_centre_create(st, 0, &c, &id), 0);
    }
    srv_pool_init(&pool);
    assert_int_equal(srv_store_centre_list(st, &pool, &v, &n), 0);
    order[0] = '\0';
    for (i = 0; i < n; i++) {
        size_t len = strlen(order);
        snprintf(order + len, size - len, "%s%s", len ? " " : "", v[i].name);
    }
    srv_pool_release(&pool);
    srv_store_close(st);
}

/* The database the tests get: libc's C, said so explicitly; no warning. */
static void test_c_database(void **state)
{
    PGconn *conn = connect_to(c_target);
    PGresult *res;
    char order[256];
    bool ok;
    int gauge;

    (void)state;
    res = PQexec(conn, "SELECT datcollate, datctype FROM pg_database"
                       " WHERE datname = current_database()");
    assert_int_equal(PQresultStatus(res), PGRES_TUPLES_OK);
    assert_string_equal(PQgetvalue(res, 0, 0), "C");
    assert_string_equal(PQgetvalue(res, 0, 1), "C");
    PQclear(res);
    if (PQserverVersion(conn) >= 150000) {
        res = PQexec(conn, "SELECT datlocprovider::text FROM pg_database"
                           " WHERE datname = current_database()");
        assert_int_equal(PQresultStatus(res), PGRES_TUPLES_OK);
        assert_string_equal(PQgetvalue(res, 0, 0), "c");
        PQclear(res);
    }
    PQfinish(conn);

    open_and_list(c_target, &ok, &gauge, order, sizeof order);
    assert_true(ok);
    assert_int_equal(gauge, 1);
    assert_int_equal(n_warnings, 0);
    assert_string_equal(order, "B-keskus a-keskus Ö-keskus");
}

/* A database `suffix` beside the C one, made by CREATE DATABASE with
 * `options`; its target into out. */
static void make_beside(const char *suffix, const char *options, char *out,
                        size_t size)
{
    PGconn *conn = connect_to(c_target);
    char name[128], sql[512];

    snprintf(name, sizeof name, "%s_%s", PQdb(conn), suffix);
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS \"%s\" WITH (FORCE)",
             name);
    run(conn, sql);
    snprintf(sql, sizeof sql, "CREATE DATABASE \"%s\" %s", name, options);
    run(conn, sql);
    PQfinish(conn);
    /* the C target's conninfo ends with dbname=<its name> */
    snprintf(out, size, "%s_%s", c_target, suffix);
    assert_non_null(strstr(out, name));
}

static void drop(const char *target)
{
    PGconn *conn = connect_to(c_target);
    const char *name = strstr(target, "dbname=") + strlen("dbname=");
    char sql[256];

    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS \"%s\" WITH (FORCE)",
             name);
    run(conn, sql);
    PQfinish(conn);
}

/* ICU's Finnish: opens, with one warning that says what it is and what
 * fixes it; the gauge says 0; and the list is in Finnish order. */
static void test_icu_database(void **state)
{
    char target[1300], order[256];
    PGconn *conn = connect_to(c_target);
    bool ok;
    int gauge, version = PQserverVersion(conn);

    (void)state;
    PQfinish(conn);
    if (version < 150000) {
        skip(); /* no ICU default collation before PostgreSQL 15 */
    }
    make_beside("icu",
                "TEMPLATE template0 ENCODING 'UTF8'"
                " LOCALE_PROVIDER icu ICU_LOCALE 'fi-FI' LOCALE 'C'",
                target, sizeof target);
    open_and_list(target, &ok, &gauge, order, sizeof order);
    assert_false(ok);
    assert_int_equal(gauge, 0);
    assert_int_equal(n_warnings, 1);
    print_message("the warning: %s\n", warnings[0]);
    assert_non_null(strstr(warnings[0], "ICU locale 'fi-FI'"));
    assert_non_null(strstr(warnings[0], "another order"));
    assert_non_null(strstr(warnings[0], "CREATE DATABASE"));
    assert_non_null(strstr(warnings[0], "TEMPLATE template0"));
    assert_non_null(strstr(warnings[0], "LOCALE_PROVIDER libc"));
    assert_non_null(strstr(warnings[0], "LC_COLLATE 'C'"));
    assert_null(strchr(warnings[0], '\n'));
    /* what the warning is about */
    assert_string_equal(order, "a-keskus B-keskus Ö-keskus");
    drop(target);
}

/* The other code-point spellings of libc: no warning. */
static void test_libc_codepoint_names(void **state)
{
    static const char *const names[] = {"POSIX", "C.UTF-8"};
    char target[1300], order[256], create[256], suffix[16];
    size_t i;
    bool ok;
    int gauge;

    (void)state;
    for (i = 0; i < 2; i++) {
        snprintf(create, sizeof create,
                 "TEMPLATE template0 ENCODING 'UTF8'"
                 " LC_COLLATE '%s' LC_CTYPE '%s'",
                 names[i], names[i]);
        snprintf(suffix, sizeof suffix, "l%zu", i);
        make_beside(suffix, create, target, sizeof target);
        open_and_list(target, &ok, &gauge, order, sizeof order);
        assert_true(ok);
        assert_int_equal(gauge, 1);
        assert_int_equal(n_warnings, 0);
        assert_string_equal(order, "B-keskus a-keskus Ö-keskus");
        drop(target);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_c_database),
        cmocka_unit_test(test_icu_database),
        cmocka_unit_test(test_libc_codepoint_names),
    };

    return cmocka_run_group_tests(tests, setup, NULL);
}
