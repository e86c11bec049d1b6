/*
 * srv_store_db.c: the core of the SQLite backend of srv_store.h (see
 * srv_store_int.h for how the other files use it).
 *
 * - WAL mode, foreign keys on, a busy timeout, synchronous=NORMAL (in WAL a
 *   power cut can lose the last commits but never corrupts the file; a
 *   killed process loses nothing that was committed).
 * - Every statement is a constant string prepared once per connection
 *   (SQLITE_PREPARE_PERSISTENT) and cached; values are always bound, never
 *   pasted into SQL. Lists of ids are bound as one JSON array text and
 *   expanded with json_each(), so even "IN (...)" needs no built SQL.
 * - Connections: a fixed pool, one per HTTP worker, handed out under a
 *   mutex. A call holds one connection for its duration.
 * - Rows are read by one loop (srv_db_each()) for the whole backend; lists
 *   grow their arrays in the caller's pool.
 */
#include "srv_store_int.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "taulu_buf.h"
#include "taulu_crypto.h"
#include "taulu_log.h"

#define TAG          SRV_DB_TAG
#define STMT_CACHE   160
#define BUSY_TIMEOUT 5000

struct stmt_slot {
    const char *sql; /* identity: the address of the constant */
    sqlite3_stmt *st;
};

struct srv_db {
    struct srv_store *store;
    sqlite3 *conn;
    bool busy;
    bool mail_queued; /* this transaction queued a message */
    size_t nslots;
    struct stmt_slot slots[STMT_CACHE];
};

struct srv_store {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    unsigned nconn;
    struct srv_db *conns;
    atomic_uint_fast64_t db_errors;
    /* the mail queue's bound and the mailer's wake-up (srv_store.h) */
    atomic_int_fast64_t mail_max;
    void (*mail_fn)(void *);
    void *mail_arg;
};

/* ------------------------------------------------------------------ */
/* Connections and errors */

int srv_db_fail(struct srv_db *db, const char *what)
{
    atomic_fetch_add(&db->store->db_errors, 1);
    taulu_err(TAG, "%s: %s", what, db->conn ? sqlite3_errmsg(db->conn) : "?");
    return TAULU_EDB;
}

struct srv_db *srv_db_acquire(struct srv_store *st)
{
    unsigned i;
    struct srv_db *db = NULL;

    pthread_mutex_lock(&st->mu);
    for (;;) {
        for (i = 0; i < st->nconn; i++) {
            if (!st->conns[i].busy) {
                db = &st->conns[i];
                db->busy = true;
                break;
            }
        }
        if (db) {
            break;
        }
        pthread_cond_wait(&st->cv, &st->mu);
    }
    pthread_mutex_unlock(&st->mu);
    return db;
}

void srv_db_release(struct srv_db *db)
{
    struct srv_store *st = db->store;

    pthread_mutex_lock(&st->mu);
    db->busy = false;
    pthread_cond_signal(&st->cv);
    pthread_mutex_unlock(&st->mu);
}

int srv_db_changes(struct srv_db *db)
{
    return sqlite3_changes(db->conn);
}

int64_t srv_db_last_id(struct srv_db *db)
{
    return sqlite3_last_insert_rowid(db->conn);
}

/* ------------------------------------------------------------------ */
/* Statements and binding */

/* The cached statement for `sql`, reset and unbound; NULL on failure
 * (logged). */
static sqlite3_stmt *prep(struct srv_db *db, const char *sql)
{
    size_t i;
    sqlite3_stmt *s = NULL;

    for (i = 0; i < db->nslots; i++) {
        if (db->slots[i].sql == sql) {
            s = db->slots[i].st;
            sqlite3_reset(s);
            sqlite3_clear_bindings(s);
            return s;
        }
    }
    if (sqlite3_prepare_v3(db->conn, sql, -1, SQLITE_PREPARE_PERSISTENT, &s,
                           NULL) != SQLITE_OK) {
        srv_db_fail(db, "prepare");
        return NULL;
    }
    if (db->nslots == STMT_CACHE) {
        /* Cannot happen with the fixed set of statements of the backend;
         * finalise at once rather than leak. */
        taulu_err(TAG, "statement cache full");
        sqlite3_finalize(s);
        return NULL;
    }
    db->slots[db->nslots].sql = sql;
    db->slots[db->nslots].st = s;
    db->nslots++;
    return s;
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

sqlite3_stmt *srv_db_query(struct srv_db *db, const char *sql, const char *fmt,
                           ...)
{
    sqlite3_stmt *s = prep(db, sql);
    va_list ap;
    int rc;

    if (!s) {
        return NULL;
    }
    va_start(ap, fmt);
    rc = bindv(db, s, fmt, ap);
    va_end(ap);
    return rc ? NULL : s;
}

/* Maps the result of the last step of a write. */
static int step_result(struct srv_db *db, sqlite3_stmt *s, int rc)
{
    int ext;

    if (rc == SQLITE_DONE || rc == SQLITE_ROW) {
        return 0;
    }
    ext = sqlite3_extended_errcode(db->conn);
    sqlite3_reset(s);
    if (ext == SQLITE_CONSTRAINT_UNIQUE ||
        ext == SQLITE_CONSTRAINT_PRIMARYKEY) {
        return TAULU_ECONFLICT;
    }
    if (ext == SQLITE_CONSTRAINT_FOREIGNKEY) {
        return TAULU_EREFERENCED;
    }
    return srv_db_fail(db, "step");
}

int srv_db_exec(struct srv_db *db, const char *sql, const char *fmt, ...)
{
    sqlite3_stmt *s = prep(db, sql);
    va_list ap;
    int rc;

    if (!s) {
        return TAULU_EDB;
    }
    va_start(ap, fmt);
    rc = bindv(db, s, fmt, ap);
    va_end(ap);
    if (rc) {
        return rc;
    }
    rc = step_result(db, s, sqlite3_step(s));
    sqlite3_reset(s);
    return rc;
}

int srv_db_exec_raw(struct srv_db *db, const char *sql)
{
    char *msg = NULL;

    if (sqlite3_exec(db->conn, sql, NULL, NULL, &msg) != SQLITE_OK) {
        atomic_fetch_add(&db->store->db_errors, 1);
        taulu_err(TAG, "exec: %s", msg ? msg : "?");
        sqlite3_free(msg);
        return TAULU_EDB;
    }
    return 0;
}

static const char SQL_BEGIN[] = "BEGIN IMMEDIATE";
static const char SQL_COMMIT[] = "COMMIT";
static const char SQL_ROLLBACK[] = "ROLLBACK";

int srv_db_begin(struct srv_db *db)
{
    return srv_db_exec(db, SQL_BEGIN, "");
}

int srv_db_finish(struct srv_db *db, int rc)
{
    bool queued = db->mail_queued;

    db->mail_queued = false;
    if (rc == 0) {
        rc = srv_db_exec(db, SQL_COMMIT, "");
        if (rc == 0) {
            if (queued && db->store->mail_fn) {
                db->store->mail_fn(db->store->mail_arg);
            }
            return 0;
        }
    }
    if (!sqlite3_get_autocommit(db->conn)) {
        srv_db_exec(db, SQL_ROLLBACK, "");
    }
    return rc;
}

void srv_db_mail_queued(struct srv_db *db)
{
    db->mail_queued = true;
}

int64_t srv_db_mail_max(struct srv_db *db)
{
    return atomic_load(&db->store->mail_max);
}

void srv_store_mail_limit(struct srv_store *st, int64_t max_queued)
{
    atomic_store(&st->mail_max, max_queued);
}

/* Set before the threads that commit start (srv_store.h). */
void srv_store_mail_hook(struct srv_store *st, void (*fn)(void *), void *arg)
{
    pthread_mutex_lock(&st->mu);
    st->mail_fn = fn;
    st->mail_arg = arg;
    pthread_mutex_unlock(&st->mu);
}

/* ------------------------------------------------------------------ */
/* Rows */

int srv_db_each(struct srv_db *db, sqlite3_stmt *s,
                int (*fn)(sqlite3_stmt *s, void *arg), void *arg)
{
    int r, rc = 0;

    if (!s) {
        return TAULU_EDB;
    }
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        rc = fn(s, arg);
        if (rc) {
            break;
        }
    }
    if (!rc && r != SQLITE_DONE) {
        char what[80];
        snprintf(what, sizeof(what), "step \"%.60s\"", sqlite3_sql(s));
        rc = srv_db_fail(db, what);
    }
    sqlite3_reset(s);
    return rc;
}

/* What srv_db_rows() hands srv_db_each() per row. */
struct rows_ctx {
    struct srv_db *db;
    struct srv_pool *p;
    size_t size, cap;
    srv_db_row_fn row;
    void *arg;
    struct srv_db_list *out;
};

static int add_row(sqlite3_stmt *s, void *arg)
{
    struct rows_ctx *x = arg;
    struct srv_db_list *l = x->out;

    if (l->n == x->cap) {
        l->v = srv_pool_grow(x->p, l->v, x->size, &x->cap);
    }
    /* The grown part of the array is zeroed by the pool. */
    return x->row(x->db, x->p, s, (char *)l->v + l->n++ * x->size, x->arg);
}

int srv_db_rows(struct srv_db *db, struct srv_pool *p, sqlite3_stmt *s,
                size_t size, srv_db_row_fn row, void *arg,
                struct srv_db_list *out)
{
    struct rows_ctx x = {db, p, size, 0, row, arg, out};

    out->v = NULL;
    out->n = 0;
    return srv_db_each(db, s, add_row, &x);
}

int srv_db_one(struct srv_db *db, struct srv_pool *p, sqlite3_stmt *s,
               srv_db_row_fn row, void *arg, void *out)
{
    int r, rc;

    if (!s) {
        return TAULU_EDB;
    }
    r = sqlite3_step(s);
    if (r == SQLITE_ROW) {
        rc = row ? row(db, p, s, out, arg) : 0;
    } else if (r == SQLITE_DONE) {
        rc = TAULU_ENOTFOUND;
    } else {
        char what[80];
        snprintf(what, sizeof(what), "step \"%.60s\"", sqlite3_sql(s));
        rc = srv_db_fail(db, what);
    }
    sqlite3_reset(s);
    return rc;
}

static int read_id(struct srv_db *db, struct srv_pool *p, sqlite3_stmt *s,
                   void *out, void *arg)
{
    (void)db;
    (void)p;
    (void)arg;
    *(int64_t *)out = srv_db_int(s, 0);
    return 0;
}

int srv_db_ids(struct srv_db *db, struct srv_pool *p, sqlite3_stmt *s,
               struct srv_ids *out)
{
    struct srv_db_list l;
    int rc = srv_db_rows(db, p, s, sizeof(*out->v), read_id, NULL, &l);

    out->v = l.v;
    out->n = l.n;
    return rc;
}

int srv_db_why_unchanged(struct srv_db *db, const char *sql_exists, int64_t id)
{
    int rc = srv_db_one(db, NULL, srv_db_query(db, sql_exists, "i", id), NULL,
                        NULL, NULL);

    return rc == 0 ? TAULU_ECONFLICT : rc;
}

bool srv_db_hash_equal(sqlite3_stmt *s, int i, const uint8_t hash[32])
{
    const void *h = sqlite3_column_blob(s, i);

    return sqlite3_column_bytes(s, i) == 32 && h &&
           taulu_secret_equal(h, hash, 32);
}

/* ------------------------------------------------------------------ */
/* Open, close, check */

static int open_conn(struct srv_db *db, const char *path)
{
    int rc;

    rc = sqlite3_open_v2(path, &db->conn,
                         SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                             SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE,
                         NULL);
    if (rc != SQLITE_OK) {
        return srv_db_fail(db, "open");
    }
    sqlite3_busy_timeout(db->conn, BUSY_TIMEOUT);
    sqlite3_extended_result_codes(db->conn, 1);
    /* Defensive: no writable schema tricks, no attaching other files. */
    sqlite3_db_config(db->conn, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
    sqlite3_db_config(db->conn, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
    sqlite3_limit(db->conn, SQLITE_LIMIT_ATTACHED, 0);
    return srv_db_exec_raw(db, "PRAGMA journal_mode=WAL;"
                               "PRAGMA synchronous=NORMAL;"
                               "PRAGMA foreign_keys=ON;"
                               "PRAGMA temp_store=MEMORY;");
}

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

static int open_store(const char *path, unsigned connections, int version,
                      struct srv_store **out);

int srv_store_open(const char *path, unsigned connections,
                   struct srv_store **out)
{
    return open_store(path, connections, srv_store_schema_version(), out);
}

int srv_store_migrate_to(const char *path, int version)
{
    struct srv_store *st = NULL;
    int rc;

    if (version < 1 || version > srv_store_schema_version()) {
        return TAULU_EINVAL;
    }
    rc = open_store(path, 1, version, &st);
    srv_store_close(st);
    return rc;
}

static int open_store(const char *path, unsigned connections, int version,
                      struct srv_store **out)
{
    struct srv_store *st;
    unsigned i;
    int rc;

    *out = NULL;
    if (connections < 1 || connections > 1024) {
        return TAULU_EINVAL;
    }
    rc = create_private(path);
    if (rc) {
        return rc;
    }
    st = calloc(1, sizeof(*st));
    if (!st) {
        return TAULU_ENOMEM;
    }
    st->conns = calloc(connections, sizeof(*st->conns));
    if (!st->conns) {
        free(st);
        return TAULU_ENOMEM;
    }
    pthread_mutex_init(&st->mu, NULL);
    pthread_cond_init(&st->cv, NULL);
    atomic_init(&st->db_errors, 0);
    atomic_init(&st->mail_max, SRV_MAIL_QUEUE_DEFAULT);
    st->nconn = connections;
    for (i = 0; i < connections; i++) {
        st->conns[i].store = st;
        rc = open_conn(&st->conns[i], path);
        if (rc) {
            goto fail;
        }
        if (i == 0) {
            rc = srv_db_migrate_to(&st->conns[0], version);
            if (rc) {
                goto fail;
            }
        }
    }
    *out = st;
    return 0;
fail:
    srv_store_close(st);
    return rc;
}

void srv_store_close(struct srv_store *st)
{
    unsigned i;
    size_t k;

    if (!st) {
        return;
    }
    for (i = 0; i < st->nconn; i++) {
        struct srv_db *db = &st->conns[i];
        for (k = 0; k < db->nslots; k++) {
            sqlite3_finalize(db->slots[k].st);
        }
        if (db->conn) {
            sqlite3_close(db->conn);
        }
    }
    pthread_mutex_destroy(&st->mu);
    pthread_cond_destroy(&st->cv);
    free(st->conns);
    free(st);
}

uint64_t srv_store_db_errors(struct srv_store *st)
{
    return atomic_load(&st->db_errors);
}

/* integrity_check answers one row "ok", or one row per problem. */
static int integrity_row(sqlite3_stmt *s, void *arg)
{
    const unsigned char *t = sqlite3_column_text(s, 0);

    if (!t || strcmp((const char *)t, "ok") != 0) {
        taulu_err(TAG, "integrity_check: %s", t ? (const char *)t : "?");
        *(int *)arg = TAULU_EDB;
    }
    return 0;
}

/* foreign_key_check answers one row per orphaned row. */
static int foreign_key_row(sqlite3_stmt *s, void *arg)
{
    taulu_err(TAG, "foreign_key_check: a row of %s is orphaned",
              sqlite3_column_text(s, 0));
    *(int *)arg = TAULU_EDB;
    return 0;
}

int srv_store_check(struct srv_store *st)
{
    static const char sql_ic[] = "PRAGMA integrity_check";
    static const char sql_fk[] = "PRAGMA foreign_key_check";
    struct srv_db *db = srv_db_acquire(st);
    int found = 0, rc;

    rc = srv_db_each(db, srv_db_query(db, sql_ic, ""), integrity_row, &found);
    if (!rc) {
        rc = srv_db_each(db, srv_db_query(db, sql_fk, ""), foreign_key_row,
                         &found);
    }
    srv_db_release(db);
    return rc ? rc : found;
}
