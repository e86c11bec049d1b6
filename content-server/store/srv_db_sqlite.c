/*
 * srv_db_sqlite.c: the SQLite driver of the store (srv_store_int.h): one
 * file, one server.
 *
 * - WAL mode, foreign keys on, a busy timeout, synchronous=NORMAL (in WAL a
 *   power cut can lose the last commits but never corrupts the file; a
 *   killed process loses nothing that was committed).
 * - Every statement is a constant string prepared once per connection
 *   (SQLITE_PREPARE_PERSISTENT) and cached; values are always bound, never
 *   pasted into SQL. Lists of ids are bound as one JSON array text and
 *   expanded with json_each(), so even "IN (...)" needs no built SQL.
 * - The file is created readable by its owner only: it holds password and
 *   session hashes.
 */
#include "srv_store_int.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "taulu_buf.h"
#include "taulu_log.h"

#define TAG          SRV_DB_TAG
#define STMT_CACHE   200
#define BUSY_TIMEOUT 5000

struct lite_stmt {
    struct srv_stmt base;
    sqlite3_stmt *st;
};

struct stmt_slot {
    const char *sql; /* identity: the address of the constant */
    struct lite_stmt s;
};

struct lite_conn {
    sqlite3 *db;
    size_t nslots;
    struct stmt_slot slots[STMT_CACHE];
};

static sqlite3 *conn_of(struct srv_db *db)
{
    return db->conn ? ((struct lite_conn *)db->conn)->db : NULL;
}

static sqlite3_stmt *st_of(struct srv_stmt *s)
{
    return ((struct lite_stmt *)s)->st;
}

static const char *lite_errmsg(struct srv_db *db)
{
    return conn_of(db) ? sqlite3_errmsg(conn_of(db)) : "not open";
}

/* ------------------------------------------------------------------ */
/* Statements and binding */

/* The cached statement for `sql`, reset and unbound; NULL on failure
 * (logged). */
static struct lite_stmt *prep(struct srv_db *db, const char *sql)
{
    struct lite_conn *c = db->conn;
    sqlite3_stmt *s = NULL;
    size_t i;

    for (i = 0; i < c->nslots; i++) {
        if (c->slots[i].sql == sql) {
            sqlite3_reset(c->slots[i].s.st);
            sqlite3_clear_bindings(c->slots[i].s.st);
            return &c->slots[i].s;
        }
    }
    if (sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s,
                           NULL) != SQLITE_OK) {
        srv_db_fail(db, "prepare");
        return NULL;
    }
    if (c->nslots == STMT_CACHE) {
        /* Cannot happen with the fixed set of statements of the store;
         * finalise at once rather than leak. */
        taulu_err(TAG, "statement cache full");
        sqlite3_finalize(s);
        return NULL;
    }
    c->slots[c->nslots].sql = sql;
    c->slots[c->nslots].s.base.drv = &srv_db_sqlite;
    c->slots[c->nslots].s.st = s;
    return &c->slots[c->nslots++].s;
}

/* A JSON array text of ids, for json_each(). */
static char *ids_json(const int64_t *v, size_t n)
{
    struct taulu_buf b;
    size_t i;
    char *out;

    taulu_buf_init(&b, 64 + n * 21);
    if (taulu_buf_putc(&b, '[') < 0) {
        goto fail;
    }
    for (i = 0; i < n; i++) {
        if (taulu_buf_appendf(&b, "%s%lld", i ? "," : "", (long long)v[i]) <
            0) {
            goto fail;
        }
    }
    if (taulu_buf_putc(&b, ']') < 0) {
        goto fail;
    }
    out = taulu_buf_detach(&b, NULL);
    if (out) {
        return out;
    }
fail:
    taulu_buf_release(&b);
    abort(); /* program code: out of memory */
}

/* Binds values by the format of srv_db_query(). */
static int bindv(struct srv_db *db, sqlite3_stmt *s, const char *fmt,
                 va_list ap)
{
    int i = 1, rc = SQLITE_OK;
    const char *f;

    /* A format that does not match the statement is a programming error;
     * refuse it rather than bind garbage. */
    if ((int)strlen(fmt) != sqlite3_bind_parameter_count(s)) {
        taulu_err(TAG, "bind: %d values for %d parameters in \"%.60s\"",
                  (int)strlen(fmt), sqlite3_bind_parameter_count(s),
                  sqlite3_sql(s));
        return TAULU_EDB;
    }
    for (f = fmt; *f; f++, i++) {
        switch (*f) {
        case 'i':
            rc = sqlite3_bind_int64(s, i, va_arg(ap, int64_t));
            break;
        case 'z': {
            int64_t v = va_arg(ap, int64_t);
            rc = v ? sqlite3_bind_int64(s, i, v) : sqlite3_bind_null(s, i);
            break;
        }
        case 'b':
            rc = sqlite3_bind_int(s, i, va_arg(ap, int) ? 1 : 0);
            break;
        case 'd':
            rc = sqlite3_bind_double(s, i, va_arg(ap, double));
            break;
        case 't': {
            const char *t = va_arg(ap, const char *);
            rc = t ? sqlite3_bind_text(s, i, t, -1, SQLITE_TRANSIENT)
                   : sqlite3_bind_null(s, i);
            break;
        }
        case 'h':
            rc = sqlite3_bind_blob(s, i, va_arg(ap, const uint8_t *), 32,
                                   SQLITE_TRANSIENT);
            break;
        case 'j': {
            const int64_t *v = va_arg(ap, const int64_t *);
            char *json = ids_json(v, va_arg(ap, size_t));
            rc = sqlite3_bind_text(s, i, json, -1, SQLITE_TRANSIENT);
            free(json);
            break;
        }
        default:
            rc = SQLITE_MISUSE;
            break;
        }
        if (rc != SQLITE_OK) {
            return srv_db_fail(db, "bind");
        }
    }
    return 0;
}

static struct srv_stmt *lite_query(struct srv_db *db, const char *sql,
                                   const char *fmt, va_list ap)
{
    struct lite_stmt *s = prep(db, sql);

    if (!s) {
        return NULL;
    }
    return bindv(db, s->st, fmt, ap) ? NULL : &s->base;
}

static int lite_step(struct srv_db *db, struct srv_stmt *stmt)
{
    sqlite3_stmt *s = st_of(stmt);
    int rc = sqlite3_step(s), ext;
    char what[80];

    if (rc == SQLITE_ROW) {
        return 1;
    }
    if (rc == SQLITE_DONE) {
        return 0;
    }
    ext = sqlite3_extended_errcode(conn_of(db));
    if (ext == SQLITE_CONSTRAINT_UNIQUE ||
        ext == SQLITE_CONSTRAINT_PRIMARYKEY) {
        return TAULU_ECONFLICT;
    }
    if (ext == SQLITE_CONSTRAINT_FOREIGNKEY) {
        return TAULU_EREFERENCED;
    }
    snprintf(what, sizeof(what), "step \"%.60s\"", sqlite3_sql(s));
    return srv_db_fail(db, what);
}

static void lite_reset(struct srv_db *db, struct srv_stmt *s)
{
    (void)db;
    sqlite3_reset(st_of(s));
}

static int lite_exec_raw(struct srv_db *db, const char *sql)
{
    char *msg = NULL;

    if (sqlite3_exec(conn_of(db), sql, NULL, NULL, &msg) != SQLITE_OK) {
        taulu_err(TAG, "exec: %s", msg ? msg : "?");
        sqlite3_free(msg);
        return srv_db_fail(db, "exec");
    }
    return 0;
}

static int lite_begin(struct srv_db *db)
{
    return lite_exec_raw(db, "BEGIN IMMEDIATE");
}

static int lite_commit(struct srv_db *db)
{
    return lite_exec_raw(db, "COMMIT");
}

static void lite_rollback(struct srv_db *db)
{
    if (!sqlite3_get_autocommit(conn_of(db))) {
        lite_exec_raw(db, "ROLLBACK");
    }
}

static int lite_changes(struct srv_db *db)
{
    return sqlite3_changes(conn_of(db));
}

static int64_t lite_last_id(struct srv_db *db)
{
    return sqlite3_last_insert_rowid(conn_of(db));
}

static const char *lite_sql_of(struct srv_stmt *s)
{
    return sqlite3_sql(st_of(s));
}

/* ------------------------------------------------------------------ */
/* Columns */

static int lite_col_count(struct srv_stmt *s)
{
    return sqlite3_column_count(st_of(s));
}

static bool lite_col_null(struct srv_stmt *s, int i)
{
    return sqlite3_column_type(st_of(s), i) == SQLITE_NULL;
}

static const char *lite_col_text(struct srv_stmt *s, int i, size_t *len)
{
    const unsigned char *t = sqlite3_column_text(st_of(s), i);

    *len = t ? (size_t)sqlite3_column_bytes(st_of(s), i) : 0;
    return (const char *)t;
}

static int64_t lite_col_int(struct srv_stmt *s, int i)
{
    return sqlite3_column_int64(st_of(s), i);
}

static double lite_col_double(struct srv_stmt *s, int i)
{
    return sqlite3_column_double(st_of(s), i);
}

static const void *lite_col_blob(struct srv_stmt *s, int i, size_t *len)
{
    const void *b = sqlite3_column_blob(st_of(s), i);

    *len = b ? (size_t)sqlite3_column_bytes(st_of(s), i) : 0;
    return b;
}

/* ------------------------------------------------------------------ */
/* Open, close, check */

/* The database holds password hashes and session hashes: it is made
 * readable by its owner only, whatever the umask (outside systemd's
 * UMask=0027 it is usually 022). SQLite gives the -wal and -shm files the
 * database file's mode, so they follow. An existing file that others may
 * read is left as the administrator made it, with a warning. */
static int create_private(const char *path)
{
    struct stat sb;
    int fd;

    if (strcmp(path, ":memory:") == 0 || strncmp(path, "file:", 5) == 0) {
        return 0;
    }
    fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd >= 0) {
        close(fd);
        return 0;
    }
    if (errno != EEXIST) {
        taulu_err(TAG, "cannot create %s: %s", path, strerror(errno));
        return TAULU_EIO;
    }
    if (stat(path, &sb) == 0 && (sb.st_mode & 0077)) {
        taulu_warn(TAG,
                   "%s may be read by others (mode %03o); it holds password "
                   "hashes: chmod 600 it",
                   path, (unsigned)(sb.st_mode & 0777));
    }
    return 0;
}

static int lite_open(struct srv_db *db, const char *path)
{
    struct lite_conn *c;
    int rc = create_private(path);

    if (rc) {
        return rc;
    }
    c = calloc(1, sizeof(*c));
    if (!c) {
        return TAULU_ENOMEM;
    }
    db->conn = c;
    rc = sqlite3_open_v2(path, &c->db,
                         SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                             SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE,
                         NULL);
    if (rc != SQLITE_OK) {
        return srv_db_fail(db, "open");
    }
    sqlite3_busy_timeout(c->db, BUSY_TIMEOUT);
    sqlite3_extended_result_codes(c->db, 1);
    /* Defensive: no writable schema tricks, no attaching other files. */
    sqlite3_db_config(c->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
    sqlite3_db_config(c->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
    sqlite3_limit(c->db, SQLITE_LIMIT_ATTACHED, 0);
    return lite_exec_raw(db, "PRAGMA journal_mode=WAL;"
                             "PRAGMA synchronous=NORMAL;"
                             "PRAGMA foreign_keys=ON;"
                             "PRAGMA temp_store=MEMORY;");
}

static void lite_close(struct srv_db *db)
{
    struct lite_conn *c = db->conn;
    size_t k;

    if (!c) {
        return;
    }
    for (k = 0; k < c->nslots; k++) {
        sqlite3_finalize(c->slots[k].s.st);
    }
    if (c->db) {
        sqlite3_close(c->db);
    }
    free(c);
    db->conn = NULL;
}

/* integrity_check answers one row "ok", or one row per problem;
 * foreign_key_check one row per orphaned row. */
static int lite_check(struct srv_db *db)
{
    sqlite3_stmt *s = NULL;
    int found = 0, r;

    if (sqlite3_prepare_v2(conn_of(db), "PRAGMA integrity_check", -1, &s,
                           NULL) != SQLITE_OK) {
        return srv_db_fail(db, "integrity_check");
    }
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        const unsigned char *t = sqlite3_column_text(s, 0);
        if (!t || strcmp((const char *)t, "ok") != 0) {
            taulu_err(TAG, "integrity_check: %s", t ? (const char *)t : "?");
            found = 1;
        }
    }
    sqlite3_finalize(s);
    if (r != SQLITE_DONE) {
        return srv_db_fail(db, "integrity_check");
    }
    if (sqlite3_prepare_v2(conn_of(db), "PRAGMA foreign_key_check", -1, &s,
                           NULL) != SQLITE_OK) {
        return srv_db_fail(db, "foreign_key_check");
    }
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        taulu_err(TAG, "foreign_key_check: a row of %s is orphaned",
                  sqlite3_column_text(s, 0));
        found = 1;
    }
    sqlite3_finalize(s);
    if (r != SQLITE_DONE) {
        return srv_db_fail(db, "foreign_key_check");
    }
    return found ? TAULU_EDB : 0;
}

const struct srv_db_driver srv_db_sqlite = {
    .name = "sqlite",
    .first_version = 1,
    .migration = srv_db_sqlite_migration,
    .open = lite_open,
    .close = lite_close,
    .query = lite_query,
    .step = lite_step,
    .reset = lite_reset,
    .exec_raw = lite_exec_raw,
    .begin = lite_begin,
    .commit = lite_commit,
    .rollback = lite_rollback,
    .changes = lite_changes,
    .last_id = lite_last_id,
    .errmsg = lite_errmsg,
    .sql_of = lite_sql_of,
    .col_count = lite_col_count,
    .col_null = lite_col_null,
    .col_text = lite_col_text,
    .col_int = lite_col_int,
    .col_double = lite_col_double,
    .col_blob = lite_col_blob,
    .check = lite_check,
};
