/*
 * srv_db_pg.c: the PostgreSQL driver of the store (srv_store_int.h): one
 * database for several server instances.
 *
 * The store's SQL is written once (srv_store_int.h); this driver makes
 * SQLite's spelling PostgreSQL's at prepare time, in two ways only:
 *   - parameters: ?N becomes $N (a bare ? the next number);
 *   - id lists: json_each(?N) bound with `j` becomes
 *     unnest($N::bigint[]) AS value, the list sent as an array.
 * Everything else the queries say means the same on both databases.
 *
 * Behaviour kept from SQLite where the two differ:
 *   - one writer at a time: a write transaction takes one transaction-level
 *     advisory lock first, so check-then-write logic runs as it does under
 *     SQLite's BEGIN IMMEDIATE, across every server instance;
 *   - a write that breaks a constraint inside a transaction fails alone (a
 *     savepoint around each write), where PostgreSQL would otherwise abort
 *     the whole transaction: callers that answer a taken name with another
 *     try go on as they do on SQLite;
 *   - results are text; a boolean expression reads as 1/0, bytea from its
 *     hex form.
 * Statements are prepared once per connection and cached by the address of
 * their constant text; a lost connection is reset and its statements
 * prepared again.
 *
 * Besides the pool, two connections of their own for several instances
 * (srv_store.h, "Several instances"): the publishers' session-level
 * advisory lock, which PostgreSQL lets go the moment the connection
 * closes (a killed instance's with it), and LISTEN, on a thread that
 * waits on the socket.
 */
#include "srv_store_int.h"

#include <ctype.h>
#include <libpq-fe.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "taulu_buf.h"
#include "taulu_log.h"

#define TAG        SRV_DB_TAG
#define STMT_CACHE 200
#define MAX_PARAMS 32

/* Type OIDs of the parameters (pg_type.h, stable across versions). */
#define OID_BYTEA      17
#define OID_INT8       20
#define OID_TEXT       25
#define OID_FLOAT8     701
#define OID_INT8_ARRAY 1016

/* The advisory lock every write transaction takes ("TAUL"). */
#define WRITE_LOCK_KEY 0x5441554cLL

struct pg_stmt {
    struct srv_stmt base;
    struct pg_conn *c;
    const char *sql; /* identity: the address of the constant */
    char name[16];
    char *text; /* as sent to PostgreSQL */
    bool write; /* INSERT, UPDATE, DELETE */
    int nparams;
    char fmt[MAX_PARAMS + 1];
    /* the bound values of the next run */
    char *values[MAX_PARAMS];
    int lengths[MAX_PARAMS];
    int formats[MAX_PARAMS];
    /* the run */
    PGresult *res;
    int row, nrows;
    bool ran;
    unsigned char *blob; /* col_blob's decoded bytes */
    size_t blob_cap;
};

struct pg_conn {
    PGconn *pg;
    bool in_tx;
    int changes;
    char err[256];
    size_t nslots;
    struct pg_stmt slots[STMT_CACHE];
};

static struct pg_conn *conn_of(struct srv_db *db)
{
    return db->conn;
}

static struct pg_stmt *st_of(struct srv_stmt *s)
{
    return (struct pg_stmt *)s;
}

static const char *pg_errmsg(struct srv_db *db)
{
    struct pg_conn *c = conn_of(db);

    if (!c) {
        return "not open";
    }
    if (c->err[0]) {
        return c->err;
    }
    return c->pg ? PQerrorMessage(c->pg) : "not open";
}

/* Keeps the message of a failed result (one line) for srv_db_fail(). */
static void keep_error(struct pg_conn *c, const PGresult *res)
{
    const char *m = res ? PQresultErrorMessage(res) : NULL;
    size_t n;

    if (!m || !*m) {
        m = PQerrorMessage(c->pg);
    }
    snprintf(c->err, sizeof c->err, "%s", m ? m : "?");
    n = strcspn(c->err, "\n");
    c->err[n] = '\0';
}

/* ------------------------------------------------------------------ */
/* SQLite's spelling made PostgreSQL's */

/* The text of `sql` for PostgreSQL (see the top), and the number of
 * parameters it has (the highest ?N). NULL: out of memory. */
static char *translate(const char *sql, const char *fmt, int *nparams)
{
    struct taulu_buf b;
    const char *p = sql;
    int next = 1, top = 0;

    taulu_buf_init(&b, strlen(sql) + 64);
    while (*p) {
        if (*p == '\'') {
            /* a string literal, '' inside it included, as it is */
            const char *e = p + 1;
            while (*e && !(*e == '\'' && e[1] != '\'')) {
                e += *e == '\'' ? 2 : 1;
            }
            if (*e) {
                e++;
            }
            taulu_buf_append(&b, p, (size_t)(e - p));
            p = e;
            continue;
        }
        if (strncmp(p, "json_each(?", 11) == 0) {
            char *end;
            long n = strtol(p + 11, &end, 10);
            if (end != p + 11 && *end == ')' && n >= 1 &&
                n <= (long)strlen(fmt) && fmt[n - 1] == 'j') {
                taulu_buf_appendf(&b, "unnest($%ld::bigint[]) AS value", n);
                top = (int)n > top ? (int)n : top;
                p = end + 1;
                continue;
            }
        }
        if (*p == '?') {
            long n;
            char *end;
            if (isdigit((unsigned char)p[1])) {
                n = strtol(p + 1, &end, 10);
                p = end;
            } else {
                n = next;
                p++;
            }
            next = (int)n + 1;
            top = (int)n > top ? (int)n : top;
            taulu_buf_appendf(&b, "$%ld", n);
            continue;
        }
        taulu_buf_putc(&b, *p++);
    }
    *nparams = top;
    return taulu_buf_detach(&b, NULL);
}

static bool is_write(const char *sql)
{
    while (isspace((unsigned char)*sql)) {
        sql++;
    }
    return strncasecmp(sql, "INSERT", 6) == 0 ||
           strncasecmp(sql, "UPDATE", 6) == 0 ||
           strncasecmp(sql, "DELETE", 6) == 0 ||
           strncasecmp(sql, "REPLACE", 7) == 0;
}

static Oid oid_of(char letter)
{
    switch (letter) {
    case 'd':
        return OID_FLOAT8;
    case 't':
        return OID_TEXT;
    case 'h':
        return OID_BYTEA;
    case 'j':
        return OID_INT8_ARRAY;
    default:
        return OID_INT8;
    }
}

/* ------------------------------------------------------------------ */
/* Statements and binding */

static void clear_values(struct pg_stmt *s)
{
    int i;

    for (i = 0; i < MAX_PARAMS; i++) {
        free(s->values[i]);
        s->values[i] = NULL;
    }
}

static void pg_reset(struct srv_db *db, struct srv_stmt *stmt)
{
    struct pg_stmt *s = st_of(stmt);

    (void)db;
    PQclear(s->res);
    s->res = NULL;
    s->ran = false;
    s->row = s->nrows = 0;
}

static void forget_statements(struct pg_conn *c)
{
    size_t i;

    for (i = 0; i < c->nslots; i++) {
        PQclear(c->slots[i].res);
        clear_values(&c->slots[i]);
        free(c->slots[i].text);
        free(c->slots[i].blob);
    }
    memset(c->slots, 0, sizeof c->slots);
    c->nslots = 0;
}

/* A lost connection (the database restarted, a failover) is made again
 * between transactions; its prepared statements went with it. */
static int ensure_connected(struct srv_db *db)
{
    struct pg_conn *c = conn_of(db);

    if (PQstatus(c->pg) == CONNECTION_OK) {
        return 0;
    }
    if (c->in_tx) {
        return srv_db_fail(db, "connection lost in a transaction");
    }
    taulu_warn(TAG, "the database connection was lost; connecting again");
    forget_statements(c);
    PQreset(c->pg);
    if (PQstatus(c->pg) != CONNECTION_OK) {
        c->err[0] = '\0';
        return srv_db_fail(db, "connect");
    }
    return 0;
}

static struct pg_stmt *prep(struct srv_db *db, const char *sql, const char *fmt)
{
    struct pg_conn *c = conn_of(db);
    struct pg_stmt *s;
    Oid types[MAX_PARAMS];
    PGresult *res;
    size_t i;
    int k;

    for (i = 0; i < c->nslots; i++) {
        if (c->slots[i].sql == sql) {
            s = &c->slots[i];
            pg_reset(db, &s->base);
            if (strcmp(s->fmt, fmt) != 0) {
                taulu_err(TAG,
                          "bind: format \"%s\" for a statement prepared "
                          "with \"%s\" (\"%.60s\")",
                          fmt, s->fmt, sql);
                return NULL;
            }
            return s;
        }
    }
    if (ensure_connected(db) < 0) {
        return NULL;
    }
    if (c->nslots == STMT_CACHE) {
        taulu_err(TAG, "statement cache full");
        return NULL;
    }
    if (strlen(fmt) > MAX_PARAMS) {
        taulu_err(TAG, "bind: %zu parameters is too many", strlen(fmt));
        return NULL;
    }
    s = &c->slots[c->nslots];
    memset(s, 0, sizeof *s);
    s->base.drv = &srv_db_pg;
    s->c = c;
    s->sql = sql;
    s->text = translate(sql, fmt, &s->nparams);
    if (!s->text) {
        return NULL;
    }
    /* As SQLite's bind_parameter_count: a format that does not match the
     * statement is a programming error, refused rather than run. */
    if (s->nparams != (int)strlen(fmt)) {
        taulu_err(TAG, "bind: %d values for %d parameters in \"%.60s\"",
                  (int)strlen(fmt), s->nparams, sql);
        free(s->text);
        return NULL;
    }
    snprintf(s->fmt, sizeof s->fmt, "%s", fmt);
    snprintf(s->name, sizeof s->name, "s%zu", c->nslots);
    s->write = is_write(sql);
    for (k = 0; k < s->nparams; k++) {
        types[k] = oid_of(fmt[k]);
    }
    res = PQprepare(c->pg, s->name, s->text, s->nparams, types);
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        char what[100];
        keep_error(c, res);
        PQclear(res);
        free(s->text);
        snprintf(what, sizeof what, "prepare \"%.60s\"", sql);
        srv_db_fail(db, what);
        c->err[0] = '\0';
        return NULL;
    }
    PQclear(res);
    c->nslots++;
    return s;
}

static char *ids_array(const int64_t *v, size_t n)
{
    struct taulu_buf b;
    size_t i;
    char *out;

    taulu_buf_init(&b, 8 + n * 21);
    taulu_buf_putc(&b, '{');
    for (i = 0; i < n; i++) {
        taulu_buf_appendf(&b, "%s%lld", i ? "," : "", (long long)v[i]);
    }
    taulu_buf_putc(&b, '}');
    out = taulu_buf_detach(&b, NULL);
    if (!out) {
        abort(); /* program code: out of memory */
    }
    return out;
}

__attribute__((format(printf, 1, 2))) static char *text_of(const char *fmt, ...)
{
    char tmp[64];
    va_list ap;
    char *out;

    va_start(ap, fmt);
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    out = strdup(tmp);
    if (!out) {
        abort(); /* program code: out of memory */
    }
    return out;
}

static struct srv_stmt *pg_query(struct srv_db *db, const char *sql,
                                 const char *fmt, va_list ap)
{
    struct pg_stmt *s = prep(db, sql, fmt);
    int i;

    if (!s) {
        return NULL;
    }
    clear_values(s);
    for (i = 0; i < s->nparams; i++) {
        s->lengths[i] = 0;
        s->formats[i] = 0;
        switch (fmt[i]) {
        case 'i':
            s->values[i] = text_of("%lld", (long long)va_arg(ap, int64_t));
            break;
        case 'z': {
            int64_t v = va_arg(ap, int64_t);
            s->values[i] = v ? text_of("%lld", (long long)v) : NULL;
            break;
        }
        case 'b':
            s->values[i] = text_of("%d", va_arg(ap, int) ? 1 : 0);
            break;
        case 'd':
            s->values[i] = text_of("%.17g", va_arg(ap, double));
            break;
        case 't': {
            const char *t = va_arg(ap, const char *);
            s->values[i] = t ? strdup(t) : NULL;
            if (t && !s->values[i]) {
                abort(); /* program code: out of memory */
            }
            break;
        }
        case 'h': {
            const uint8_t *h = va_arg(ap, const uint8_t *);
            s->values[i] = malloc(32);
            if (!s->values[i]) {
                abort(); /* program code: out of memory */
            }
            memcpy(s->values[i], h, 32);
            s->lengths[i] = 32;
            s->formats[i] = 1;
            break;
        }
        case 'j': {
            const int64_t *v = va_arg(ap, const int64_t *);
            s->values[i] = ids_array(v, va_arg(ap, size_t));
            break;
        }
        default:
            taulu_err(TAG, "bind: unknown format letter '%c'", fmt[i]);
            return NULL;
        }
    }
    return &s->base;
}

/* Runs a command that returns no rows (BEGIN, SAVEPOINT, ...). */
static int command(struct srv_db *db, const char *sql)
{
    struct pg_conn *c = conn_of(db);
    PGresult *res = PQexec(c->pg, sql);
    int rc = 0;

    if (PQresultStatus(res) != PGRES_COMMAND_OK &&
        PQresultStatus(res) != PGRES_TUPLES_OK) {
        keep_error(c, res);
        rc = srv_db_fail(db, sql);
        c->err[0] = '\0';
    }
    PQclear(res);
    return rc;
}

/* A failed run: a taken key and a missing reference are answers, the rest
 * an error of the database. */
static int failed(struct srv_db *db, struct pg_stmt *s, const PGresult *res)
{
    const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    char what[100];
    int rc;

    if (state && strcmp(state, "23505") == 0) {
        return TAULU_ECONFLICT;
    }
    if (state && strcmp(state, "23503") == 0) {
        return TAULU_EREFERENCED;
    }
    keep_error(s->c, res);
    snprintf(what, sizeof what, "step \"%.60s\"", s->sql);
    rc = srv_db_fail(db, what);
    s->c->err[0] = '\0';
    return rc;
}

static int run(struct srv_db *db, struct pg_stmt *s)
{
    struct pg_conn *c = s->c;
    bool guard = c->in_tx && s->write;
    ExecStatusType st;
    int rc;

    if (!c->in_tx && ensure_connected(db) < 0) {
        return TAULU_EDB;
    }
    if (guard && command(db, "SAVEPOINT w") < 0) {
        return TAULU_EDB;
    }
    s->res = PQexecPrepared(c->pg, s->name, s->nparams,
                            (const char *const *)s->values, s->lengths,
                            s->formats, 0);
    s->ran = true;
    st = PQresultStatus(s->res);
    if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK) {
        const char *n = PQcmdTuples(s->res);
        if (s->write) {
            c->changes = n && *n ? (int)strtol(n, NULL, 10) : 0;
        }
        s->nrows = PQntuples(s->res);
        return guard ? command(db, "RELEASE SAVEPOINT w") : 0;
    }
    rc = failed(db, s, s->res);
    if (guard) {
        command(db, "ROLLBACK TO SAVEPOINT w");
        command(db, "RELEASE SAVEPOINT w");
    }
    return rc;
}

static int pg_step(struct srv_db *db, struct srv_stmt *stmt)
{
    struct pg_stmt *s = st_of(stmt);

    if (!s->ran) {
        int rc = run(db, s);
        if (rc < 0) {
            return rc;
        }
        s->row = -1;
    }
    if (s->row + 1 < s->nrows) {
        s->row++;
        return 1;
    }
    return 0;
}

static int pg_exec_raw(struct srv_db *db, const char *sql)
{
    if (ensure_connected(db) < 0) {
        return TAULU_EDB;
    }
    return command(db, sql);
}

static int pg_begin(struct srv_db *db)
{
    struct pg_conn *c = conn_of(db);
    char lock[80];

    if (ensure_connected(db) < 0) {
        return TAULU_EDB;
    }
    snprintf(lock, sizeof lock, "SELECT pg_advisory_xact_lock(%lld)",
             WRITE_LOCK_KEY);
    if (command(db, "BEGIN") < 0) {
        return TAULU_EDB;
    }
    c->in_tx = true;
    if (command(db, lock) < 0) {
        command(db, "ROLLBACK");
        c->in_tx = false;
        return TAULU_EDB;
    }
    return 0;
}

static int pg_commit(struct srv_db *db)
{
    struct pg_conn *c = conn_of(db);
    PGresult *res = PQexec(c->pg, "COMMIT");
    int rc = 0;

    /* A transaction a failed statement aborted answers COMMIT with
     * ROLLBACK: nothing was written. */
    if (PQresultStatus(res) != PGRES_COMMAND_OK ||
        strcmp(PQcmdStatus(res), "COMMIT") != 0) {
        keep_error(c, res);
        rc = srv_db_fail(db, "commit");
        c->err[0] = '\0';
    }
    PQclear(res);
    c->in_tx = false;
    return rc;
}

static void pg_rollback(struct srv_db *db)
{
    struct pg_conn *c = conn_of(db);

    if (c->in_tx || PQtransactionStatus(c->pg) != PQTRANS_IDLE) {
        PQclear(PQexec(c->pg, "ROLLBACK"));
    }
    c->in_tx = false;
}

static int pg_changes(struct srv_db *db)
{
    return conn_of(db)->changes;
}

/* The id the last INSERT drew from its table's identity (the session's
 * own, whatever other instances insert meanwhile). */
static int64_t pg_last_id(struct srv_db *db)
{
    struct pg_conn *c = conn_of(db);
    PGresult *res = PQexec(c->pg, "SELECT lastval()");
    int64_t id = 0;

    if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1) {
        id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    } else {
        keep_error(c, res);
        srv_db_fail(db, "lastval");
        c->err[0] = '\0';
    }
    PQclear(res);
    return id;
}

static const char *pg_sql_of(struct srv_stmt *s)
{
    return st_of(s)->sql;
}

/* ------------------------------------------------------------------ */
/* Columns */

static int pg_col_count(struct srv_stmt *stmt)
{
    struct pg_stmt *s = st_of(stmt);

    return s->res ? PQnfields(s->res) : 0;
}

static bool pg_col_null(struct srv_stmt *stmt, int i)
{
    struct pg_stmt *s = st_of(stmt);

    return !s->res || PQgetisnull(s->res, s->row, i);
}

static const char *pg_col_text(struct srv_stmt *stmt, int i, size_t *len)
{
    struct pg_stmt *s = st_of(stmt);

    if (pg_col_null(stmt, i)) {
        *len = 0;
        return NULL;
    }
    *len = (size_t)PQgetlength(s->res, s->row, i);
    return PQgetvalue(s->res, s->row, i);
}

/* Integers as SQLite gives them: a boolean expression is 1 or 0, NULL 0,
 * a numeric (SUM of bigints) its whole part. */
static int64_t pg_col_int(struct srv_stmt *stmt, int i)
{
    size_t n;
    const char *t = pg_col_text(stmt, i, &n);

    if (!t) {
        return 0;
    }
    if (t[0] == 't' && t[1] == '\0') {
        return 1;
    }
    if (t[0] == 'f' && t[1] == '\0') {
        return 0;
    }
    return strtoll(t, NULL, 10);
}

static double pg_col_double(struct srv_stmt *stmt, int i)
{
    size_t n;
    const char *t = pg_col_text(stmt, i, &n);

    return t ? strtod(t, NULL) : 0.0;
}

static int hexval(int ch)
{
    if (ch >= '0' && ch <= '9') {
        return ch - '0';
    }
    if (ch >= 'a' && ch <= 'f') {
        return ch - 'a' + 10;
    }
    if (ch >= 'A' && ch <= 'F') {
        return ch - 'A' + 10;
    }
    return -1;
}

/* bytea in text form is "\x" and hex (bytea_output's default). */
static const void *pg_col_blob(struct srv_stmt *stmt, int i, size_t *len)
{
    struct pg_stmt *s = st_of(stmt);
    size_t n, k;
    const char *t = pg_col_text(stmt, i, &n);

    *len = 0;
    if (!t || n < 2 || t[0] != '\\' || t[1] != 'x' || n % 2) {
        return NULL;
    }
    n = (n - 2) / 2;
    if (n > s->blob_cap) {
        unsigned char *b = realloc(s->blob, n);
        if (!b) {
            return NULL;
        }
        s->blob = b;
        s->blob_cap = n;
    }
    for (k = 0; k < n; k++) {
        int hi = hexval(t[2 + 2 * k]), lo = hexval(t[3 + 2 * k]);
        if (hi < 0 || lo < 0) {
            return NULL;
        }
        s->blob[k] = (unsigned char)(hi * 16 + lo);
    }
    *len = n;
    return s->blob;
}

/* ------------------------------------------------------------------ */
/* Open, close, check */

static void notice_quiet(void *arg, const char *message)
{
    (void)arg;
    taulu_debug(TAG, "postgresql: %s", message);
}

static int pg_open(struct srv_db *db, const char *conninfo)
{
    struct pg_conn *c = calloc(1, sizeof(*c));

    if (!c) {
        return TAULU_ENOMEM;
    }
    db->conn = c;
    c->pg = PQconnectdb(conninfo);
    if (!c->pg || PQstatus(c->pg) != CONNECTION_OK) {
        /* The message names host and database, never the password. */
        return srv_db_fail(db, "connect");
    }
    PQsetNoticeProcessor(c->pg, notice_quiet, NULL);
    /* Times are seconds in integers and texts are UTF-8 everywhere. */
    return command(db, "SET client_encoding = 'UTF8'");
}

static void pg_close(struct srv_db *db)
{
    struct pg_conn *c = conn_of(db);

    if (!c) {
        return;
    }
    forget_statements(c);
    PQfinish(c->pg);
    free(c);
    db->conn = NULL;
}

/* PostgreSQL keeps its constraints itself; what can still be wrong is a
 * constraint added NOT VALID and never validated. */
static int pg_check(struct srv_db *db)
{
    struct pg_conn *c = conn_of(db);
    PGresult *res;
    int found = 0, k;

    if (ensure_connected(db) < 0) {
        return TAULU_EDB;
    }
    res = PQexec(c->pg, "SELECT conrelid::regclass::text, conname"
                        " FROM pg_constraint WHERE NOT convalidated"
                        " AND connamespace = current_schema()::regnamespace");
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        keep_error(c, res);
        PQclear(res);
        k = srv_db_fail(db, "check");
        c->err[0] = '\0';
        return k;
    }
    for (k = 0; k < PQntuples(res); k++) {
        taulu_err(TAG, "constraint %s of %s is not validated",
                  PQgetvalue(res, k, 1), PQgetvalue(res, k, 0));
        found = 1;
    }
    PQclear(res);
    return found ? TAULU_EDB : 0;
}

/* Whether a libc locale name collates by code point (byte order of
 * UTF-8 is code point order). */
static bool codepoint_libc(const char *name)
{
    return strcmp(name, "C") == 0 || strcmp(name, "POSIX") == 0 ||
           strcmp(name, "C.UTF-8") == 0 || strcmp(name, "C.utf8") == 0;
}

/* The store's lists come out ordered by name (centres, organisations:
 * ORDER BY name) and the tests and SQLite order by code point. A database
 * made with the cluster's default locale (fi_FI.UTF-8, or an ICU locale
 * since PostgreSQL 15) orders them otherwise: "Ä" among the A's,
 * lower case beside upper case. Only order changes (the store keys no
 * pages on text and ICU's default collations are deterministic, so
 * uniqueness holds), so this is a warning, not a refusal. The provider
 * and its locale are datlocprovider / daticulocale from 15 on, datlocale
 * from 17 on (whose "builtin" provider orders by code point). */
static int pg_collation_ok(struct srv_db *db)
{
    struct pg_conn *c = conn_of(db);
    int version = PQserverVersion(c->pg);
    const char *sql, *collate, *provider, *locale;
    PGresult *res;
    char shown[160];
    bool ok;

    if (version >= 170000) {
        sql = "SELECT datcollate, datlocprovider::text,"
              " COALESCE(datlocale, '') FROM pg_database"
              " WHERE datname = current_database()";
    } else if (version >= 150000) {
        sql = "SELECT datcollate, datlocprovider::text,"
              " COALESCE(daticulocale, '') FROM pg_database"
              " WHERE datname = current_database()";
    } else {
        sql = "SELECT datcollate, 'c', '' FROM pg_database"
              " WHERE datname = current_database()";
    }
    res = PQexec(c->pg, sql);
    if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) {
        int k;
        keep_error(c, res);
        PQclear(res);
        k = srv_db_fail(db, "collation");
        c->err[0] = '\0';
        return k;
    }
    collate = PQgetvalue(res, 0, 0);
    provider = PQgetvalue(res, 0, 1);
    locale = PQgetvalue(res, 0, 2);
    if (provider[0] == 'i') {
        ok = false; /* no ICU collation is code point order */
        snprintf(shown, sizeof shown, "ICU locale '%s'", locale);
    } else if (provider[0] == 'b') {
        ok = true; /* builtin: C, C.UTF-8, PG_UNICODE_FAST by code point */
        snprintf(shown, sizeof shown, "builtin locale '%s'", locale);
    } else {
        ok = codepoint_libc(collate);
        snprintf(shown, sizeof shown, "LC_COLLATE '%s'", collate);
    }
    if (!ok) {
        taulu_warn(TAG,
                   "postgresql: database \"%s\" collates text by %s, not by "
                   "code point (C): lists ordered by name (centres, "
                   "organisations) come out in another order than on "
                   "SQLite; to fix, make a database with CREATE DATABASE "
                   "<name> TEMPLATE template0 %sLC_COLLATE 'C' LC_CTYPE 'C' "
                   "ENCODING 'UTF8' and restore a dump of this one into it",
                   PQdb(c->pg), shown,
                   version >= 150000 ? "LOCALE_PROVIDER libc " : "");
    }
    PQclear(res);
    return ok ? 1 : 0;
}

/* ------------------------------------------------------------------ */
/* The publishers' lock and notifications */

/* A libpq message as one line, for the log. */
static void log_conn_error(const char *what, PGconn *pg)
{
    char line[256];

    snprintf(line, sizeof line, "%s",
             pg ? PQerrorMessage(pg) : "out of memory");
    line[strcspn(line, "\n")] = '\0';
    taulu_warn(TAG, "%s: %s", what, line);
}

static PGconn *side_connect(const char *target, const char *what)
{
    PGconn *pg = PQconnectdb(target);

    if (!pg || PQstatus(pg) != CONNECTION_OK) {
        log_conn_error(what, pg);
        PQfinish(pg);
        return NULL;
    }
    PQsetNoticeProcessor(pg, notice_quiet, NULL);
    return pg;
}

static int pg_lead(void **conn, const char *target, bool *leading, int64_t *pid)
{
    /* Held already (this session's row in pg_locks), else tried; CASE
     * evaluates in order, so a held lock is not taken twice (session
     * locks stack). The query also finds a lost connection. */
    static const char sql[] =
        "SELECT CASE WHEN EXISTS (SELECT 1 FROM pg_locks"
        " WHERE locktype = 'advisory' AND granted"
        " AND pid = pg_backend_pid() AND classid = 0"
        " AND database = (SELECT oid FROM pg_database"
        " WHERE datname = current_database())"
        " AND objid::bigint = 1413567824 AND objsubid = 1)"
        " THEN 1 WHEN pg_try_advisory_lock(1413567824) THEN 1 ELSE 0 END";
    PGconn *pg = *conn;
    PGresult *res;
    int rc = 0;

    _Static_assert(SRV_DB_LEAD_KEY == 1413567824LL, "the key in the SQL");
    *leading = false;
    *pid = 0;
    if (!pg) {
        pg = side_connect(target, "publishers' lock: cannot connect");
        if (!pg) {
            return TAULU_EDB;
        }
        *conn = pg;
    }
    res = PQexec(pg, sql);
    if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) {
        /* Lost (or the server refuses): whatever this session held is
         * gone with it, or goes when it is closed now. */
        log_conn_error("publishers' lock: lost", pg);
        PQfinish(pg);
        *conn = NULL;
        rc = TAULU_EDB;
    } else {
        *leading = strcmp(PQgetvalue(res, 0, 0), "1") == 0;
        *pid = PQbackendPID(pg);
    }
    PQclear(res);
    return rc;
}

static void pg_lead_close(void *conn)
{
    PQfinish(conn); /* accepts NULL */
}

struct pg_listen {
    pthread_t thread;
    atomic_bool stop;
    char *target;
    char *channel;
    void (*fn)(void *arg, const char *payload);
    void *arg;
    PGconn *pg;
};

static PGconn *listen_connect(struct pg_listen *l)
{
    PGconn *pg = side_connect(l->target, "LISTEN: cannot connect");
    char *id, *q = NULL;
    PGresult *res;
    size_t n;

    if (!pg) {
        return NULL;
    }
    id = PQescapeIdentifier(pg, l->channel, strlen(l->channel));
    n = id ? strlen(id) + 8 : 0;
    q = id ? malloc(n) : NULL;
    if (!q) {
        PQfreemem(id);
        PQfinish(pg);
        return NULL;
    }
    snprintf(q, n, "LISTEN %s", id);
    PQfreemem(id);
    res = PQexec(pg, q);
    free(q);
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        log_conn_error("LISTEN", pg);
        PQclear(res);
        PQfinish(pg);
        return NULL;
    }
    PQclear(res);
    return pg;
}

static void pause_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

    nanosleep(&ts, NULL);
}

static void *listen_main(void *arg)
{
    struct pg_listen *l = arg;

    while (!atomic_load(&l->stop)) {
        struct pollfd pfd;
        PGnotify *nt;

        if (!l->pg) {
            l->pg = listen_connect(l);
            if (!l->pg) {
                pause_ms(500);
                continue;
            }
            taulu_info(TAG, "listening on %s again", l->channel);
            l->fn(l->arg, NULL); /* some may have been missed */
        }
        pfd.fd = PQsocket(l->pg);
        pfd.events = POLLIN;
        pfd.revents = 0;
        /* Short, so that stop is seen soon. */
        if (pfd.fd < 0 || poll(&pfd, 1, 200) < 0 ||
            (pfd.revents && !PQconsumeInput(l->pg)) ||
            PQstatus(l->pg) != CONNECTION_OK) {
            log_conn_error("LISTEN: the connection was lost", l->pg);
            PQfinish(l->pg);
            l->pg = NULL;
            continue;
        }
        while ((nt = PQnotifies(l->pg)) != NULL) {
            l->fn(l->arg, nt->extra ? nt->extra : "");
            PQfreemem(nt);
        }
    }
    return NULL;
}

static void listen_free(struct pg_listen *l)
{
    if (l) {
        PQfinish(l->pg);
        free(l->target);
        free(l->channel);
        free(l);
    }
}

static int pg_listen(const char *target, const char *channel,
                     void (*fn)(void *arg, const char *payload), void *arg,
                     void **out)
{
    struct pg_listen *l = calloc(1, sizeof *l);

    *out = NULL;
    if (!l) {
        return TAULU_ENOMEM;
    }
    atomic_init(&l->stop, false);
    l->target = strdup(target);
    l->channel = strdup(channel);
    l->fn = fn;
    l->arg = arg;
    if (!l->target || !l->channel) {
        listen_free(l);
        return TAULU_ENOMEM;
    }
    /* Listening before this returns: nothing sent after is missed. */
    l->pg = listen_connect(l);
    if (!l->pg) {
        listen_free(l);
        return TAULU_EDB;
    }
    if (pthread_create(&l->thread, NULL, listen_main, l) != 0) {
        listen_free(l);
        return TAULU_ENOMEM;
    }
    *out = l;
    return 0;
}

static void pg_listen_stop(void *arg)
{
    struct pg_listen *l = arg;

    if (l) {
        atomic_store(&l->stop, true);
        pthread_join(l->thread, NULL);
        listen_free(l);
    }
}

const struct srv_db_driver srv_db_pg = {
    .name = "postgresql",
    .first_version = SRV_PG_FIRST_VERSION,
    .migration = srv_db_pg_migration,
    .open = pg_open,
    .close = pg_close,
    .query = pg_query,
    .step = pg_step,
    .reset = pg_reset,
    .exec_raw = pg_exec_raw,
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .changes = pg_changes,
    .last_id = pg_last_id,
    .errmsg = pg_errmsg,
    .sql_of = pg_sql_of,
    .col_count = pg_col_count,
    .col_null = pg_col_null,
    .col_text = pg_col_text,
    .col_int = pg_col_int,
    .col_double = pg_col_double,
    .col_blob = pg_col_blob,
    .check = pg_check,
    .collation_ok = pg_collation_ok,
    .lead = pg_lead,
    .lead_close = pg_lead_close,
    .listen = pg_listen,
    .listen_stop = pg_listen_stop,
};
