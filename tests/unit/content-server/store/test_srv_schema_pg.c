/*
 * test_srv_schema_pg.c: the PostgreSQL schema (srv_store_schema_pg.c) is
 * the SQLite schema (srv_store_schema.c's migrations) in the other
 * dialect. It loads into a real PostgreSQL (the pg_cluster fixture's),
 * and both databases are described the same way, from their own catalogs,
 * and compared: tables, columns in order with their type family, NOT NULL
 * and default, primary keys, unique and other indexes (by their columns;
 * SQLite's COLLATE NOCASE is PostgreSQL's lower()), foreign keys with
 * their actions, the number of CHECKs and the row triggers. A migration
 * added to one backend and not the other fails here, naming the table and
 * the column.
 */
#include <sqlite3.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <setjmp.h>
#include <cmocka.h>

#include <libpq-fe.h>

#include "srv_store.h"
#include "srv_store_schema_pg.h"
#include "tsupport.h"
#include "tsupport_db.h"

/* One side's schema: one line per fact, sorted, so that two sides compare
 * line by line. */
struct facts {
    char **v;
    size_t n, cap;
};

static void facts_add(struct facts *f, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void facts_add(struct facts *f, const char *fmt, ...)
{
    char line[1024];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    assert_true(n > 0 && (size_t)n < sizeof line);
    if (f->n == f->cap) {
        f->cap = f->cap ? 2 * f->cap : 64;
        f->v = realloc(f->v, f->cap * sizeof *f->v);
        assert_non_null(f->v);
    }
    f->v[f->n] = strdup(line);
    assert_non_null(f->v[f->n]);
    f->n++;
}

static void facts_free(struct facts *f)
{
    size_t i;

    for (i = 0; i < f->n; i++) {
        free(f->v[i]);
    }
    free(f->v);
    memset(f, 0, sizeof *f);
}

static int cmp_line(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Prints every fact one side has and the other lacks; their number. */
static int facts_diff(struct facts *lite, struct facts *pg)
{
    size_t i = 0, j = 0;
    int diffs = 0;

    qsort(lite->v, lite->n, sizeof *lite->v, cmp_line);
    qsort(pg->v, pg->n, sizeof *pg->v, cmp_line);
    while (i < lite->n || j < pg->n) {
        int c = i == lite->n ? 1
                : j == pg->n ? -1
                             : strcmp(lite->v[i], pg->v[j]);
        if (c == 0) {
            i++;
            j++;
        } else if (c < 0) {
            fprintf(stderr, "only on SQLite:     %s\n", lite->v[i++]);
            diffs++;
        } else {
            fprintf(stderr, "only on PostgreSQL: %s\n", pg->v[j++]);
            diffs++;
        }
    }
    return diffs;
}

static bool facts_have(const struct facts *f, const char *needle)
{
    size_t i;

    for (i = 0; i < f->n; i++) {
        if (strstr(f->v[i], needle)) {
            return true;
        }
    }
    return false;
}

/* ---- SQLite, through its own catalog and pragmas ---- */

/* A case-insensitive strstr (strcasestr needs _GNU_SOURCE). */
static const char *find_ci(const char *hay, const char *needle)
{
    size_t n = strlen(needle);

    for (; *hay; hay++) {
        if (strncasecmp(hay, needle, n) == 0) {
            return hay;
        }
    }
    return NULL;
}

static const char *family_of_decl(const char *decl)
{
    /* SQLite's type affinity rules, in their order */
    if (find_ci(decl, "INT")) {
        return "integer";
    }
    if (find_ci(decl, "CHAR") || find_ci(decl, "CLOB") ||
        find_ci(decl, "TEXT")) {
        return "text";
    }
    if (*decl == '\0' || find_ci(decl, "BLOB")) {
        return "blob";
    }
    if (find_ci(decl, "REAL") || find_ci(decl, "FLOA") ||
        find_ci(decl, "DOUB")) {
        return "real";
    }
    return decl;
}

static const char *text_or(sqlite3_stmt *s, int col, const char *dflt)
{
    const unsigned char *t = sqlite3_column_text(s, col);

    return t ? (const char *)t : dflt;
}

static sqlite3_stmt *lite_prepare(sqlite3 *db, const char *sql, const char *arg)
{
    sqlite3_stmt *s = NULL;

    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) {
        fail_msg("sqlite: %s: %s", sql, sqlite3_errmsg(db));
    }
    if (arg) {
        sqlite3_bind_text(s, 1, arg, -1, SQLITE_TRANSIENT);
    }
    return s;
}

/* Appends ", word" (or "word" first) to buf. */
static void join(char *buf, size_t size, const char *word)
{
    size_t n = strlen(buf);

    assert_true(n + strlen(word) + 3 < size);
    snprintf(buf + n, size - n, "%s%s", n ? ", " : "", word);
}

static int count_checks(const char *sql)
{
    const char *p = sql;
    int n = 0;

    while ((p = find_ci(p, "CHECK")) != NULL) {
        const char *q = p + 5;
        while (*q == ' ') {
            q++;
        }
        if (*q == '(' && (p == sql || p[-1] == ' ' || p[-1] == ',')) {
            n++;
        }
        p += 5;
    }
    return n;
}

static void lite_table(sqlite3 *db, const char *t, const char *sql,
                       struct facts *f)
{
    char order[1024] = "", pk[256] = "";
    sqlite3_stmt *s, *s2;
    int k, npk = 0;

    facts_add(f, "table %s", t);
    facts_add(f, "checks on %s: %d", t, count_checks(sql));
    s = lite_prepare(db,
                     "SELECT name, type, \"notnull\", dflt_value, pk"
                     " FROM pragma_table_info(?1) ORDER BY cid",
                     t);
    while (sqlite3_step(s) == SQLITE_ROW) {
        const char *col = text_or(s, 0, "");
        /* a primary key column is never NULL (the rowid alias included,
         * which pragma table_info reports as nullable) */
        bool notnull = sqlite3_column_int(s, 2) || sqlite3_column_int(s, 4);
        facts_add(f, "column %s.%s: %s%s, default %s", t, col,
                  family_of_decl(text_or(s, 1, "")), notnull ? " not null" : "",
                  text_or(s, 3, "none"));
        join(order, sizeof order, col);
        if (sqlite3_column_int(s, 4) > npk) {
            npk = sqlite3_column_int(s, 4);
        }
    }
    sqlite3_finalize(s);
    facts_add(f, "columns of %s in order: %s", t, order);
    for (k = 1; k <= npk; k++) {
        s = lite_prepare(
            db, "SELECT name FROM pragma_table_info(?1) WHERE pk = ?2", t);
        sqlite3_bind_int(s, 2, k);
        assert_int_equal(sqlite3_step(s), SQLITE_ROW);
        join(pk, sizeof pk, text_or(s, 0, ""));
        sqlite3_finalize(s);
    }
    if (npk) {
        facts_add(f, "primary key of %s: (%s)", t, pk);
    }

    /* Indexes other than the primary key's, by their key columns; a
     * NOCASE column is what lower(column) is on PostgreSQL. */
    s = lite_prepare(
        db,
        "SELECT name, \"unique\", partial FROM pragma_index_list(?1)"
        " WHERE origin != 'pk'",
        t);
    while (sqlite3_step(s) == SQLITE_ROW) {
        char cols[512] = "";
        s2 = lite_prepare(db,
                          "SELECT name, coll FROM pragma_index_xinfo(?1)"
                          " WHERE key = 1 ORDER BY seqno",
                          text_or(s, 0, ""));
        while (sqlite3_step(s2) == SQLITE_ROW) {
            char expr[160];
            const char *col = text_or(s2, 0, "<expression>");
            if (strcasecmp(text_or(s2, 1, ""), "NOCASE") == 0) {
                snprintf(expr, sizeof expr, "lower(%s)", col);
                col = expr;
            }
            join(cols, sizeof cols, col);
        }
        sqlite3_finalize(s2);
        facts_add(f, "%s index on %s (%s)%s",
                  sqlite3_column_int(s, 1) ? "unique" : "plain", t, cols,
                  sqlite3_column_int(s, 2) ? " partial" : "");
    }
    sqlite3_finalize(s);

    s = lite_prepare(db,
                     "SELECT id, \"table\", \"from\", \"to\", on_delete,"
                     " on_update FROM pragma_foreign_key_list(?1)"
                     " ORDER BY id, seq",
                     t);
    k = sqlite3_step(s);
    while (k == SQLITE_ROW) {
        char from[256] = "", to[256] = "", ref[128], del[32], upd[32];
        int id = sqlite3_column_int(s, 0);
        snprintf(ref, sizeof ref, "%s", text_or(s, 1, ""));
        snprintf(del, sizeof del, "%s", text_or(s, 4, ""));
        snprintf(upd, sizeof upd, "%s", text_or(s, 5, ""));
        while (k == SQLITE_ROW && sqlite3_column_int(s, 0) == id) {
            join(from, sizeof from, text_or(s, 2, ""));
            join(to, sizeof to, text_or(s, 3, "<its primary key>"));
            k = sqlite3_step(s);
        }
        facts_add(f, "foreign key %s (%s) -> %s (%s) on delete %s on update %s",
                  t, from, ref, to, del, upd);
    }
    sqlite3_finalize(s);
}

static void lite_facts(const char *path, struct facts *f)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *s;

    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL),
                     SQLITE_OK);
    s = lite_prepare(db,
                     "SELECT name, sql FROM sqlite_schema WHERE type = 'table'"
                     " AND name NOT LIKE 'sqlite_%' ORDER BY name",
                     NULL);
    while (sqlite3_step(s) == SQLITE_ROW) {
        lite_table(db, text_or(s, 0, ""), text_or(s, 1, ""), f);
    }
    sqlite3_finalize(s);
    /* SQLite has row triggers only */
    s = lite_prepare(db,
                     "SELECT name, tbl_name FROM sqlite_schema"
                     " WHERE type = 'trigger'",
                     NULL);
    while (sqlite3_step(s) == SQLITE_ROW) {
        facts_add(f, "row trigger %s on %s", text_or(s, 0, ""),
                  text_or(s, 1, ""));
    }
    sqlite3_finalize(s);
    sqlite3_close(db);
}

/* ---- PostgreSQL, through pg_catalog and information_schema ---- */

/* Each query makes the fact lines themselves, worded as lite_table()
 * words them. */
static const char *const pg_fact_queries[] = {
    "SELECT 'table ' || c.relname FROM pg_class c"
    " JOIN pg_namespace n ON n.oid = c.relnamespace"
    " WHERE n.nspname = 'public' AND c.relkind = 'r'",
    /* type families; any other type (boolean, numeric...) stays itself
     * and so differs. Defaults lose their casts ('x'::text). */
    "SELECT format('column %s.%s: %s%s, default %s', table_name,"
    "  column_name,"
    "  CASE WHEN data_type IN ('bigint', 'integer', 'smallint')"
    "   THEN 'integer'"
    "   WHEN data_type IN ('text', 'character varying') THEN 'text'"
    "   WHEN data_type = 'bytea' THEN 'blob'"
    "   WHEN data_type IN ('double precision', 'real') THEN 'real'"
    "   ELSE data_type END,"
    "  CASE WHEN is_nullable = 'NO' THEN ' not null' ELSE '' END,"
    "  COALESCE(regexp_replace(column_default,"
    "   '::(text|bigint|integer|double precision)$', ''), 'none'))"
    " FROM information_schema.columns WHERE table_schema = 'public'",
    "SELECT format('columns of %s in order: %s', table_name,"
    "  string_agg(column_name, ', ' ORDER BY ordinal_position))"
    " FROM information_schema.columns WHERE table_schema = 'public'"
    " GROUP BY table_name",
    "SELECT format('checks on %s: %s', c.relname, (SELECT count(*)"
    "  FROM pg_constraint k WHERE k.conrelid = c.oid AND k.contype = 'c'))"
    " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
    " WHERE n.nspname = 'public' AND c.relkind = 'r'",
    "SELECT format('primary key of %s: (%s)', t.relname,"
    "  (SELECT string_agg(a.attname, ', ' ORDER BY k.ord)"
    "   FROM unnest(c.conkey) WITH ORDINALITY k(num, ord)"
    "   JOIN pg_attribute a ON a.attrelid = c.conrelid"
    "    AND a.attnum = k.num))"
    " FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid"
    " JOIN pg_namespace n ON n.oid = t.relnamespace"
    " WHERE n.nspname = 'public' AND c.contype = 'p'",
    "SELECT format('%s index on %s (%s)%s',"
    "  CASE WHEN i.indisunique THEN 'unique' ELSE 'plain' END, t.relname,"
    "  (SELECT string_agg(pg_get_indexdef(i.indexrelid, k, true), ', '"
    "   ORDER BY k) FROM generate_series(1, i.indnkeyatts) k),"
    "  CASE WHEN i.indpred IS NOT NULL THEN ' partial' ELSE '' END)"
    " FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid"
    " JOIN pg_namespace n ON n.oid = t.relnamespace"
    " WHERE n.nspname = 'public' AND NOT i.indisprimary",
    "SELECT format('foreign key %s (%s) -> %s (%s) on delete %s"
    " on update %s', t.relname,"
    "  (SELECT string_agg(a.attname, ', ' ORDER BY k.ord)"
    "   FROM unnest(c.conkey) WITH ORDINALITY k(num, ord)"
    "   JOIN pg_attribute a ON a.attrelid = c.conrelid"
    "    AND a.attnum = k.num),"
    "  r.relname,"
    "  (SELECT string_agg(a.attname, ', ' ORDER BY k.ord)"
    "   FROM unnest(c.confkey) WITH ORDINALITY k(num, ord)"
    "   JOIN pg_attribute a ON a.attrelid = c.confrelid"
    "    AND a.attnum = k.num),"
    "  CASE c.confdeltype WHEN 'a' THEN 'NO ACTION' WHEN 'r' THEN 'RESTRICT'"
    "   WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET NULL'"
    "   ELSE 'SET DEFAULT' END,"
    "  CASE c.confupdtype WHEN 'a' THEN 'NO ACTION' WHEN 'r' THEN 'RESTRICT'"
    "   WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET NULL'"
    "   ELSE 'SET DEFAULT' END)"
    " FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid"
    " JOIN pg_class r ON r.oid = c.confrelid"
    " JOIN pg_namespace n ON n.oid = t.relnamespace"
    " WHERE n.nspname = 'public' AND c.contype = 'f'",
    /* row triggers only: the TRUNCATE guard has no SQLite counterpart */
    "SELECT format('row trigger %s on %s', g.tgname, t.relname)"
    " FROM pg_trigger g JOIN pg_class t ON t.oid = g.tgrelid"
    " JOIN pg_namespace n ON n.oid = t.relnamespace"
    " WHERE n.nspname = 'public' AND NOT g.tgisinternal"
    " AND (g.tgtype & 1) = 1",
};

static void pg_facts(PGconn *conn, struct facts *f)
{
    size_t q;
    int i;

    for (q = 0; q < sizeof pg_fact_queries / sizeof *pg_fact_queries; q++) {
        PGresult *res = PQexec(conn, pg_fact_queries[q]);
        if (PQresultStatus(res) != PGRES_TUPLES_OK) {
            fail_msg("postgresql: %s: %s", pg_fact_queries[q],
                     PQerrorMessage(conn));
        }
        for (i = 0; i < PQntuples(res); i++) {
            facts_add(f, "%s", PQgetvalue(res, i, 0));
        }
        PQclear(res);
    }
}

/* ---- the two databases ---- */

static char lite_path[600];

/* A fresh PostgreSQL database made by the store itself (srv_store_open()
 * runs the driver's migration), and a plain connection to look at it. */
static PGconn *pg_fresh(const char *name)
{
    char dir[512], target[1024];
    struct srv_store *st = NULL;
    PGconn *conn;

    assert_true(tsupport_db_is_pg());
    assert_int_equal(tsupport_tmpdir("schema-pg", dir, sizeof dir), 0);
    assert_int_equal(tsupport_db_target(name, dir, target, sizeof target), 0);
    assert_int_equal(
        strncmp(target, TSUPPORT_PG_PREFIX, strlen(TSUPPORT_PG_PREFIX)), 0);
    assert_int_equal(srv_store_open(target, 1, &st), 0);
    srv_store_close(st);
    conn = PQconnectdb(target + strlen(TSUPPORT_PG_PREFIX));
    if (PQstatus(conn) != CONNECTION_OK) {
        fail_msg("%s: %s", target, PQerrorMessage(conn));
    }
    return conn;
}

static int64_t pg_int(PGconn *conn, const char *sql)
{
    PGresult *res = PQexec(conn, sql);
    int64_t v;

    if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) {
        fail_msg("%s: %s", sql, PQerrorMessage(conn));
    }
    v = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    PQclear(res);
    return v;
}

/* Runs sql, which must fail, and returns whether its error says `why`. */
static bool pg_refused(PGconn *conn, const char *sql, const char *why)
{
    PGresult *res = PQexec(conn, sql);
    bool refused = PQresultStatus(res) == PGRES_FATAL_ERROR &&
                   strstr(PQerrorMessage(conn), why) != NULL;

    if (!refused) {
        fprintf(stderr, "%s: %s\n", sql, PQerrorMessage(conn));
    }
    PQclear(res);
    return refused;
}

static void pg_exec(PGconn *conn, const char *sql)
{
    PGresult *res = PQexec(conn, sql);

    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        fail_msg("%s: %s", sql, PQerrorMessage(conn));
    }
    PQclear(res);
}

static int setup_lite(void **state)
{
    char dir[512];
    struct srv_store *st = NULL;

    (void)state;
    if (tsupport_tmpdir("schema-lite", dir, sizeof dir) ||
        (size_t)snprintf(lite_path, sizeof lite_path, "%s/taulu.db", dir) >=
            sizeof lite_path ||
        srv_store_open(lite_path, 1, &st) != 0) {
        return -1;
    }
    srv_store_close(st);
    return 0;
}

/* ---- tests ---- */

static void test_same_version(void **state)
{
    PGconn *conn = pg_fresh("schema_version");

    (void)state;
    assert_int_equal(srv_pg_schema_version(), srv_store_schema_version());
    assert_int_equal(pg_int(conn, "SELECT MAX(version) FROM schema_version"),
                     srv_store_schema_version());
    PQfinish(conn);
}

static void test_same_schema(void **state)
{
    struct facts lite = {0}, pg = {0};
    PGconn *conn = pg_fresh("schema_same");

    (void)state;
    lite_facts(lite_path, &lite);
    pg_facts(conn, &pg);
    /* the description is not empty by mistake */
    assert_true(facts_have(&lite, "column centre.loop_s: integer not null, "
                                  "default 300"));
    assert_true(facts_have(&lite, "unique index on account (lower(email))"));
    assert_true(facts_have(&lite, "foreign key centre_hours (source_id) -> "
                                  "import_source (id) on delete SET NULL"));
    assert_int_equal(facts_diff(&lite, &pg), 0);
    facts_free(&lite);
    facts_free(&pg);
    PQfinish(conn);
}

/* The comparison sees a column that one side lacks, and says which. */
static void test_missing_column_is_named(void **state)
{
    struct facts lite = {0}, pg = {0};
    PGconn *conn = pg_fresh("schema_missing");

    (void)state;
    pg_exec(conn, "ALTER TABLE centre DROP COLUMN loop_s");
    lite_facts(lite_path, &lite);
    pg_facts(conn, &pg);
    assert_true(facts_diff(&lite, &pg) > 0);
    assert_true(facts_have(&lite, "column centre.loop_s:"));
    assert_false(facts_have(&pg, "column centre.loop_s:"));
    facts_free(&lite);
    facts_free(&pg);
    PQfinish(conn);
}

/* What the catalogs do not show: the audit log refuses changes, flags
 * keep to 0/1, e-mail addresses are unique whatever their case, and an
 * explicit id is accepted where PostgreSQL numbers the rows. */
static void test_rules_hold(void **state)
{
    PGconn *conn = pg_fresh("schema_rules");

    (void)state;
    pg_exec(conn, "INSERT INTO audit (at, actor_kind, actor_id, action,"
                  " object_type, object_id, refused)"
                  " VALUES (1, 1, 1, 'create', 'item', 1, 0)");
    assert_true(
        pg_refused(conn, "UPDATE audit SET refused = 1", "append-only"));
    assert_true(pg_refused(conn, "DELETE FROM audit", "append-only"));
    assert_true(pg_refused(conn, "TRUNCATE audit", "append-only"));
    pg_exec(conn, "INSERT INTO account (id, email, name, pwhash, created_at)"
                  " VALUES (7, 'Liisa@Example.fi', 'Liisa', '', 1)");
    assert_true(pg_refused(conn,
                           "INSERT INTO account (email, name, pwhash,"
                           " created_at) VALUES ('liisa@example.FI', 'L',"
                           " '', 1)",
                           "account_email"));
    assert_true(pg_refused(conn, "UPDATE account SET disabled = 2",
                           "account_disabled_check"));
    assert_int_equal(pg_int(conn, "SELECT id FROM account"), 7);
    PQfinish(conn);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_version),
        cmocka_unit_test(test_same_schema),
        cmocka_unit_test(test_missing_column_is_named),
        cmocka_unit_test(test_rules_hold),
    };

    return cmocka_run_group_tests(tests, setup_lite, NULL);
}
