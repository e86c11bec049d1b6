/*
 * test_tsupport_db.c: the store tests' database (tsupport_db.c), run twice
 * like the store tests themselves: as test_tsupport_db a SQLite path, as
 * its twin test_tsupport_db_pg a real, fresh, empty PostgreSQL database
 * per call, named within PostgreSQL's limits.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <setjmp.h>
#include <cmocka.h>

#include <libpq-fe.h>

#include "tsupport_db.h"

static PGconn *connect_to(const char *target)
{
    size_t n = strlen(TSUPPORT_PG_PREFIX);
    PGconn *conn;

    assert_int_equal(strncmp(target, TSUPPORT_PG_PREFIX, n), 0);
    conn = PQconnectdb(target + n);
    if (PQstatus(conn) != CONNECTION_OK) {
        fail_msg("%s: %s", target, PQerrorMessage(conn));
    }
    return conn;
}

static char *one_value(PGconn *conn, const char *sql, char *out, size_t size)
{
    PGresult *res = PQexec(conn, sql);

    if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) {
        fail_msg("%s: %s", sql, PQerrorMessage(conn));
    }
    snprintf(out, size, "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
    return out;
}

static void exec_ok(PGconn *conn, const char *sql)
{
    PGresult *res = PQexec(conn, sql);

    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        fail_msg("%s: %s", sql, PQerrorMessage(conn));
    }
    PQclear(res);
}

static void test_sqlite_path(void **state)
{
    char target[600];

    (void)state;
    if (tsupport_db_is_pg()) {
        skip();
    }
    assert_int_equal(
        tsupport_db_target("any", "/nowhere/x", target, sizeof target), 0);
    assert_string_equal(target, "/nowhere/x/taulu.db");
    /* too small a buffer is an error, not a cut path */
    assert_int_equal(tsupport_db_target("any", "/nowhere/x", target, 10), -1);
}

/* The name is folded to [a-z0-9_] and ends with the pid; a second call
 * gives an empty database again. */
static void test_fresh_database(void **state)
{
    char target[1024], want[64], got[128];
    PGconn *conn;

    (void)state;
    if (!tsupport_db_is_pg()) {
        skip();
    }
    assert_int_equal(
        tsupport_db_target("Store Test-1", "/unused", target, sizeof target),
        0);
    conn = connect_to(target);
    snprintf(want, sizeof want, "store_test_1_%ld", (long)getpid());
    assert_string_equal(
        one_value(conn, "SELECT current_database()", got, sizeof got), want);
    assert_string_equal(one_value(conn,
                                  "SELECT count(*) FROM pg_tables"
                                  " WHERE schemaname = 'public'",
                                  got, sizeof got),
                        "0");
    exec_ok(conn, "CREATE TABLE left_behind (x BIGINT)");
    PQfinish(conn);

    assert_int_equal(
        tsupport_db_target("Store Test-1", "/unused", target, sizeof target),
        0);
    conn = connect_to(target);
    assert_string_equal(one_value(conn,
                                  "SELECT count(*) FROM pg_tables"
                                  " WHERE schemaname = 'public'",
                                  got, sizeof got),
                        "0");
    PQfinish(conn);
}

static void test_long_name(void **state)
{
    char target[1024], name[200], got[128], pid[24];
    PGconn *conn;
    size_t n;

    (void)state;
    if (!tsupport_db_is_pg()) {
        skip();
    }
    memset(name, 'x', sizeof name - 1);
    name[sizeof name - 1] = '\0';
    name[0] = '9'; /* not a letter: a 't' goes first */
    assert_int_equal(tsupport_db_target(name, "/unused", target, sizeof target),
                     0);
    conn = connect_to(target);
    one_value(conn, "SELECT current_database()", got, sizeof got);
    PQfinish(conn);
    n = strlen(got);
    snprintf(pid, sizeof pid, "_%ld", (long)getpid());
    assert_int_equal(n, 63);
    assert_string_equal(got + n - strlen(pid), pid);
    assert_int_equal(strncmp(got, "t9xxx", 5), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sqlite_path),
        cmocka_unit_test(test_fresh_database),
        cmocka_unit_test(test_long_name),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
