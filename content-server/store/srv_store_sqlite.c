/*
 * srv_store_sqlite.c: the SQLite backend of srv_store.h. The only file with
 * SQL in it.
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
 * - Migrations: an ordered list below; schema_version says how many ran.
 *   Each runs in its own transaction.
 * - Every state change writes its audit entry in the same transaction.
 */
#include "srv_store.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taulu_time.h"
#include "taulu_buf.h"
#include "taulu_crypto.h"
#include "taulu_err.h"
#include "taulu_log.h"

#define TAG          "store"
#define STMT_CACHE   128
#define BUSY_TIMEOUT 5000

struct stmt_slot {
    const char *sql; /* identity: the address of the constant */
    sqlite3_stmt *st;
};

struct conn {
    sqlite3 *db;
    bool busy;
    size_t nslots;
    struct stmt_slot slots[STMT_CACHE];
};

struct srv_store {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    unsigned nconn;
    struct conn *conns;
    atomic_uint_fast64_t db_errors;
};

/* ------------------------------------------------------------------ */
/* Schema */

/* Each migration is a list of statements run in one transaction; the
 * version number is the index + 1 of the migration. Statements are kept
 * apart because C limits the length of one string constant. */
struct migration {
    const char *const *stmts; /* NULL-terminated */
};

static const char *const migration_1[] = {
    /* 1: the data model of architecture.md */
    "CREATE TABLE area ("
    " id INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL UNIQUE) STRICT;",
    "CREATE TABLE centre ("
    " id INTEGER PRIMARY KEY,"
    " area_id INTEGER REFERENCES area(id),"
    " name TEXT NOT NULL UNIQUE,"
    " municipality TEXT NOT NULL,"
    " address TEXT NOT NULL,"
    " opening_hours TEXT NOT NULL,"
    " languages TEXT NOT NULL,"
    " withdraw_on_edit INTEGER NOT NULL DEFAULT 1"
    "  CHECK (withdraw_on_edit IN (0, 1))) STRICT;",
    "CREATE TABLE screen ("
    " id INTEGER PRIMARY KEY,"
    " centre_id INTEGER NOT NULL REFERENCES centre(id),"
    " name TEXT NOT NULL,"
    " orientation TEXT NOT NULL"
    "  CHECK (orientation IN ('landscape', 'portrait')),"
    " width_px INTEGER NOT NULL, height_px INTEGER NOT NULL,"
    " diagonal_in REAL NOT NULL, viewing_distance_m REAL NOT NULL,"
    " token_hash BLOB NOT NULL UNIQUE,"
    " online INTEGER NOT NULL DEFAULT 0,"
    " last_seen INTEGER NOT NULL DEFAULT 0,"
    " applied_version INTEGER NOT NULL DEFAULT 0,"
    " last_error TEXT,"
    " created_at INTEGER NOT NULL,"
    " UNIQUE (centre_id, name)) STRICT;",
    "CREATE TABLE org ("
    " id INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL UNIQUE,"
    " kind TEXT NOT NULL"
    "  CHECK (kind IN ('ngo', 'parish', 'county', 'other'))) STRICT;",
    "CREATE TABLE account ("
    " id INTEGER PRIMARY KEY,"
    " email TEXT NOT NULL UNIQUE COLLATE NOCASE,"
    " name TEXT NOT NULL,"
    " pwhash TEXT NOT NULL,"
    " coordinator INTEGER NOT NULL DEFAULT 0 CHECK (coordinator IN (0, 1)),"
    " disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),"
    " created_at INTEGER NOT NULL) STRICT;",
    "CREATE TABLE member ("
    " org_id INTEGER NOT NULL REFERENCES org(id),"
    " user_id INTEGER NOT NULL REFERENCES account(id),"
    " PRIMARY KEY (org_id, user_id)) STRICT, WITHOUT ROWID;",
    "CREATE INDEX member_user ON member(user_id);",
    "CREATE TABLE contact ("
    " centre_id INTEGER NOT NULL REFERENCES centre(id) ON DELETE CASCADE,"
    " user_id INTEGER NOT NULL REFERENCES account(id),"
    " PRIMARY KEY (centre_id, user_id)) STRICT, WITHOUT ROWID;",
    "CREATE INDEX contact_user ON contact(user_id);",
    "CREATE TABLE session ("
    " hash BLOB PRIMARY KEY,"
    " user_id INTEGER NOT NULL REFERENCES account(id),"
    " csrf TEXT NOT NULL,"
    " created_at INTEGER NOT NULL,"
    " expires_at INTEGER NOT NULL) STRICT, WITHOUT ROWID;",
    "CREATE INDEX session_user ON session(user_id);",
    "CREATE TABLE api_token ("
    " id INTEGER PRIMARY KEY,"
    " user_id INTEGER NOT NULL REFERENCES account(id),"
    " name TEXT NOT NULL,"
    " hash BLOB NOT NULL UNIQUE,"
    " created_at INTEGER NOT NULL,"
    " expires_at INTEGER NOT NULL) STRICT;",
    "CREATE INDEX api_token_user ON api_token(user_id);",
    "CREATE TABLE item ("
    " id INTEGER PRIMARY KEY,"
    " org_id INTEGER NOT NULL REFERENCES org(id),"
    " kind TEXT NOT NULL CHECK (kind IN ('bulletin', 'event')),"
    " category TEXT NOT NULL,"
    " starts_at INTEGER NOT NULL DEFAULT 0,"
    " ends_at INTEGER NOT NULL DEFAULT 0,"
    " free INTEGER NOT NULL, step_free INTEGER NOT NULL,"
    " induction_loop INTEGER NOT NULL,"
    " link TEXT, image_sha256 TEXT,"
    " display_from INTEGER NOT NULL DEFAULT 0,"
    " display_until INTEGER NOT NULL,"
    " version INTEGER NOT NULL DEFAULT 1,"
    " created_by INTEGER NOT NULL REFERENCES account(id),"
    " created_at INTEGER NOT NULL,"
    " updated_at INTEGER NOT NULL) STRICT;",
    "CREATE INDEX item_org ON item(org_id, id);",
    "CREATE TABLE item_text ("
    " item_id INTEGER NOT NULL REFERENCES item(id),"
    " pos INTEGER NOT NULL,"
    " lang TEXT NOT NULL,"
    " plain INTEGER NOT NULL,"
    " title TEXT NOT NULL, body TEXT NOT NULL,"
    " place TEXT, price TEXT, registration TEXT, contact TEXT,"
    " image_alt TEXT,"
    " PRIMARY KEY (item_id, lang)) STRICT, WITHOUT ROWID;",
    "CREATE TABLE item_version ("
    " item_id INTEGER NOT NULL REFERENCES item(id),"
    " version INTEGER NOT NULL,"
    " snapshot TEXT NOT NULL,"
    " created_at INTEGER NOT NULL,"
    " created_by INTEGER NOT NULL,"
    " PRIMARY KEY (item_id, version)) STRICT, WITHOUT ROWID;",
    "CREATE TABLE placement ("
    " id INTEGER PRIMARY KEY,"
    " item_id INTEGER NOT NULL REFERENCES item(id),"
    " centre_id INTEGER NOT NULL REFERENCES centre(id),"
    " state TEXT NOT NULL CHECK (state IN ('submitted', 'approved',"
    "  'rejected', 'changes_requested', 'withdrawn', 'expired')),"
    " submitted_at INTEGER NOT NULL,"
    " decided_by INTEGER REFERENCES account(id),"
    " decided_at INTEGER NOT NULL DEFAULT 0,"
    " reason TEXT,"
    " display_from INTEGER NOT NULL DEFAULT 0,"
    " display_until INTEGER NOT NULL DEFAULT 0,"
    " approved_version INTEGER NOT NULL DEFAULT 0,"
    " UNIQUE (item_id, centre_id)) STRICT;",
    "CREATE INDEX placement_queue ON placement(centre_id, state, "
    "submitted_at);",
    "CREATE TABLE alert ("
    " id INTEGER PRIMARY KEY,"
    " centre_id INTEGER REFERENCES centre(id),"
    " starts_at INTEGER NOT NULL,"
    " ends_at INTEGER NOT NULL,"
    " ended_at INTEGER NOT NULL DEFAULT 0,"
    " created_by INTEGER NOT NULL REFERENCES account(id),"
    " created_at INTEGER NOT NULL,"
    " CHECK (ends_at > starts_at)) STRICT;",
    "CREATE TABLE alert_text ("
    " alert_id INTEGER NOT NULL REFERENCES alert(id),"
    " pos INTEGER NOT NULL,"
    " lang TEXT NOT NULL,"
    " title TEXT NOT NULL, body TEXT NOT NULL,"
    " PRIMARY KEY (alert_id, lang)) STRICT, WITHOUT ROWID;",
    "CREATE TABLE audit ("
    " id INTEGER PRIMARY KEY,"
    " at INTEGER NOT NULL,"
    " actor_kind INTEGER NOT NULL,"
    " actor_id INTEGER NOT NULL,"
    " action TEXT NOT NULL,"
    " object_type TEXT NOT NULL,"
    " object_id INTEGER NOT NULL,"
    " refused INTEGER NOT NULL,"
    " details TEXT) STRICT;",
    "CREATE INDEX audit_object ON audit(object_type, object_id);",
    "CREATE INDEX audit_actor ON audit(actor_id);",
    /* The audit log is never rewritten, whatever the code above does. */
    "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
    " BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;",
    "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
    " BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;",
    NULL,
};

static const char *const migration_2[] = {
    /* 2: the checker's findings kept with each version (JSON per language:
     * light, summary, warnings and notices); NULL for versions stored
     * before the checker was wired in. */
    "ALTER TABLE item_version ADD COLUMN findings TEXT;",
    NULL,
};

static const char *const migration_3[] = {
    /* 3: the play log, proof of play for the organisations' funders:
     * seconds an item was on one screen on one local day (Europe/Helsinki)
     * and the centre the screen was at. Summaries, not status messages.
     * No foreign keys on purpose: what was shown stays on the record after
     * a screen or centre is deleted. */
    "CREATE TABLE play ("
    " item_id INTEGER NOT NULL,"
    " centre_id INTEGER NOT NULL,"
    " day TEXT NOT NULL CHECK (length(day) = 10),"
    " screen_id INTEGER NOT NULL,"
    " seconds INTEGER NOT NULL CHECK (seconds >= 0),"
    " PRIMARY KEY (item_id, centre_id, day, screen_id)) STRICT, WITHOUT ROWID;",
    "CREATE INDEX play_day ON play(day);",
    NULL,
};

static const struct migration migrations[] = {
    {migration_1},
    {migration_2},
    {migration_3},
};

#define N_MIGRATIONS (int)(sizeof(migrations) / sizeof(migrations[0]))

int srv_store_schema_version(void)
{
    return N_MIGRATIONS;
}

static const char *const state_names[SRV_PL__COUNT] = {
    "submitted",         "approved",  "rejected",
    "changes_requested", "withdrawn", "expired",
};

const char *srv_placement_state_name(enum srv_placement_state s)
{
    return (unsigned)s < SRV_PL__COUNT ? state_names[s] : "?";
}

static enum srv_placement_state state_from_name(const char *s)
{
    int i;

    for (i = 0; i < SRV_PL__COUNT; i++) {
        if (s && strcmp(s, state_names[i]) == 0) {
            return (enum srv_placement_state)i;
        }
    }
    return SRV_PL_SUBMITTED;
}

/* ------------------------------------------------------------------ */
/* Connections, statements, errors */

static int db_fail(struct srv_store *st, struct conn *c, const char *what)
{
    atomic_fetch_add(&st->db_errors, 1);
    taulu_err(TAG, "%s: %s", what, c && c->db ? sqlite3_errmsg(c->db) : "?");
    return TAULU_EDB;
}

static struct conn *acquire(struct srv_store *st)
{
    unsigned i;
    struct conn *c = NULL;

    pthread_mutex_lock(&st->mu);
    for (;;) {
        for (i = 0; i < st->nconn; i++) {
            if (!st->conns[i].busy) {
                c = &st->conns[i];
                c->busy = true;
                break;
            }
        }
        if (c) {
            break;
        }
        pthread_cond_wait(&st->cv, &st->mu);
    }
    pthread_mutex_unlock(&st->mu);
    return c;
}

static void release(struct srv_store *st, struct conn *c)
{
    pthread_mutex_lock(&st->mu);
    c->busy = false;
    pthread_cond_signal(&st->cv);
    pthread_mutex_unlock(&st->mu);
}

/* The cached statement for `sql`, reset and unbound; NULL on failure
 * (logged). */
static sqlite3_stmt *prep(struct srv_store *st, struct conn *c, const char *sql)
{
    size_t i;
    sqlite3_stmt *s = NULL;

    for (i = 0; i < c->nslots; i++) {
        if (c->slots[i].sql == sql) {
            s = c->slots[i].st;
            sqlite3_reset(s);
            sqlite3_clear_bindings(s);
            return s;
        }
    }
    if (sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s,
                           NULL) != SQLITE_OK) {
        db_fail(st, c, "prepare");
        return NULL;
    }
    if (c->nslots < STMT_CACHE) {
        c->slots[c->nslots].sql = sql;
        c->slots[c->nslots].st = s;
        c->nslots++;
    } else {
        /* Cannot happen with the fixed set of statements below; finalise
         * at once rather than leak. */
        taulu_err(TAG, "statement cache full");
        sqlite3_finalize(s);
        return NULL;
    }
    return s;
}

/*
 * Binds values by a format: i = int64_t, b = bool (int), d = double,
 * t = text (NULL binds NULL), h = 32-byte blob, z = int64_t with 0 bound as
 * NULL. Parameters are numbered from 1 in order.
 */
static int bindv(struct srv_store *st, struct conn *c, sqlite3_stmt *s,
                 const char *fmt, va_list ap)
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
        default:
            rc = SQLITE_MISUSE;
            break;
        }
        if (rc != SQLITE_OK) {
            return db_fail(st, c, "bind");
        }
    }
    return 0;
}

/* Prepares and binds; NULL on failure. */
static sqlite3_stmt *query(struct srv_store *st, struct conn *c,
                           const char *sql, const char *fmt, ...)
{
    sqlite3_stmt *s = prep(st, c, sql);
    va_list ap;
    int rc;

    if (!s) {
        return NULL;
    }
    va_start(ap, fmt);
    rc = bindv(st, c, s, fmt, ap);
    va_end(ap);
    return rc ? NULL : s;
}

/* Maps the result of the last step of a write. */
static int step_result(struct srv_store *st, struct conn *c, sqlite3_stmt *s,
                       int rc)
{
    int ext;

    if (rc == SQLITE_DONE || rc == SQLITE_ROW) {
        return 0;
    }
    ext = sqlite3_extended_errcode(c->db);
    sqlite3_reset(s);
    if (ext == SQLITE_CONSTRAINT_UNIQUE ||
        ext == SQLITE_CONSTRAINT_PRIMARYKEY) {
        return TAULU_ECONFLICT;
    }
    if (ext == SQLITE_CONSTRAINT_FOREIGNKEY) {
        return TAULU_EREFERENCED;
    }
    return db_fail(st, c, "step");
}

/* Runs a write statement to completion. */
static int exec(struct srv_store *st, struct conn *c, const char *sql,
                const char *fmt, ...)
{
    sqlite3_stmt *s = prep(st, c, sql);
    va_list ap;
    int rc;

    if (!s) {
        return TAULU_EDB;
    }
    va_start(ap, fmt);
    rc = bindv(st, c, s, fmt, ap);
    va_end(ap);
    if (rc) {
        return rc;
    }
    rc = step_result(st, c, s, sqlite3_step(s));
    sqlite3_reset(s);
    return rc;
}

static int exec_raw(struct srv_store *st, struct conn *c, const char *sql)
{
    char *msg = NULL;

    if (sqlite3_exec(c->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        atomic_fetch_add(&st->db_errors, 1);
        taulu_err(TAG, "exec: %s", msg ? msg : "?");
        sqlite3_free(msg);
        return TAULU_EDB;
    }
    return 0;
}

static const char SQL_BEGIN[] = "BEGIN IMMEDIATE";
static const char SQL_COMMIT[] = "COMMIT";
static const char SQL_ROLLBACK[] = "ROLLBACK";

static int begin(struct srv_store *st, struct conn *c)
{
    return exec(st, c, SQL_BEGIN, "");
}

/* Commits if rc is 0, else rolls back; returns rc or the commit's error. */
static int finish(struct srv_store *st, struct conn *c, int rc)
{
    if (rc == 0) {
        rc = exec(st, c, SQL_COMMIT, "");
        if (rc == 0) {
            return 0;
        }
    }
    if (!sqlite3_get_autocommit(c->db)) {
        exec(st, c, SQL_ROLLBACK, "");
    }
    return rc;
}

static const char *col_text(struct srv_pool *p, sqlite3_stmt *s, int i)
{
    const unsigned char *t = sqlite3_column_text(s, i);

    if (!t) {
        return NULL;
    }
    return srv_pool_strndup(p, (const char *)t,
                            (size_t)sqlite3_column_bytes(s, i));
}

static int64_t col_i64(sqlite3_stmt *s, int i)
{
    return sqlite3_column_int64(s, i);
}

/* Collects one integer column of every row into ids. */
static int collect_ids(struct srv_store *st, struct conn *c, sqlite3_stmt *s,
                       struct srv_pool *p, struct srv_ids *out)
{
    size_t cap = 0;
    int rc;

    out->v = NULL;
    out->n = 0;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (out->n == cap) {
            out->v = srv_pool_grow(p, out->v, sizeof(*out->v), &cap);
        }
        out->v[out->n++] = col_i64(s, 0);
    }
    if (rc != SQLITE_DONE) {
        return db_fail(st, c, "step");
    }
    return 0;
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

static int audit_in(struct srv_store *st, struct conn *c, int64_t actor,
                    const char *action, const char *otype, int64_t oid,
                    const char *details)
{
    static const char sql[] =
        "INSERT INTO audit (at, actor_kind, actor_id, action, object_type,"
        " object_id, refused, details) VALUES (?, ?, ?, ?, ?, ?, 0, ?)";

    return exec(st, c, sql, "iiittit", taulu_now(),
                (int64_t)(actor ? SRV_ACTOR_USER : SRV_ACTOR_SYSTEM), actor,
                action, otype, oid, details);
}

/* ------------------------------------------------------------------ */
/* Open, migrate, close */

static int open_conn(struct srv_store *st, struct conn *c, const char *path)
{
    int rc;

    rc = sqlite3_open_v2(path, &c->db,
                         SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                             SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE,
                         NULL);
    if (rc != SQLITE_OK) {
        return db_fail(st, c, "open");
    }
    sqlite3_busy_timeout(c->db, BUSY_TIMEOUT);
    sqlite3_extended_result_codes(c->db, 1);
    /* Defensive: no writable schema tricks, no attaching other files. */
    sqlite3_db_config(c->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
    sqlite3_db_config(c->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
    sqlite3_limit(c->db, SQLITE_LIMIT_ATTACHED, 0);
    return exec_raw(st, c,
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA foreign_keys=ON;"
                    "PRAGMA temp_store=MEMORY;");
}

static int migrate(struct srv_store *st, struct conn *c)
{
    static const char sql_ver[] =
        "SELECT COALESCE(MAX(version), 0) FROM schema_version";
    static const char sql_set[] =
        "INSERT INTO schema_version (version, applied_at) VALUES (?, ?)";
    sqlite3_stmt *s;
    int have, v, rc;

    rc = exec_raw(st, c,
                  "CREATE TABLE IF NOT EXISTS schema_version ("
                  " version INTEGER PRIMARY KEY,"
                  " applied_at INTEGER NOT NULL) STRICT");
    if (rc) {
        return rc;
    }
    s = query(st, c, sql_ver, "");
    if (!s || sqlite3_step(s) != SQLITE_ROW) {
        return db_fail(st, c, "schema version");
    }
    have = sqlite3_column_int(s, 0);
    sqlite3_reset(s);
    if (have > N_MIGRATIONS) {
        taulu_err(TAG, "database schema %d is newer than this program (%d)",
                  have, N_MIGRATIONS);
        return TAULU_EDB;
    }
    for (v = have + 1; v <= N_MIGRATIONS; v++) {
        const char *const *stmt;
        rc = begin(st, c);
        for (stmt = migrations[v - 1].stmts; !rc && *stmt; stmt++) {
            rc = exec_raw(st, c, *stmt);
        }
        if (!rc) {
            rc = exec(st, c, sql_set, "ii", (int64_t)v, taulu_now());
        }
        rc = finish(st, c, rc);
        if (rc) {
            taulu_err(TAG, "migration %d failed", v);
            return rc;
        }
        taulu_info(TAG, "migrated the database to schema %d", v);
    }
    return 0;
}

int srv_store_open(const char *path, unsigned connections,
                   struct srv_store **out)
{
    struct srv_store *st;
    unsigned i;
    int rc;

    *out = NULL;
    if (connections < 1 || connections > 1024) {
        return TAULU_EINVAL;
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
    st->nconn = connections;
    for (i = 0; i < connections; i++) {
        rc = open_conn(st, &st->conns[i], path);
        if (rc) {
            goto fail;
        }
        if (i == 0) {
            rc = migrate(st, &st->conns[0]);
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
        struct conn *c = &st->conns[i];
        for (k = 0; k < c->nslots; k++) {
            sqlite3_finalize(c->slots[k].st);
        }
        if (c->db) {
            sqlite3_close(c->db);
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

int srv_store_check(struct srv_store *st)
{
    static const char sql_ic[] = "PRAGMA integrity_check";
    static const char sql_fk[] = "PRAGMA foreign_key_check";
    struct conn *c = acquire(st);
    sqlite3_stmt *s;
    int rc = 0, r;

    s = query(st, c, sql_ic, "");
    if (!s) {
        rc = TAULU_EDB;
        goto out;
    }
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        const unsigned char *t = sqlite3_column_text(s, 0);
        if (!t || strcmp((const char *)t, "ok") != 0) {
            taulu_err(TAG, "integrity_check: %s", t ? (const char *)t : "?");
            rc = TAULU_EDB;
        }
    }
    sqlite3_reset(s);
    s = query(st, c, sql_fk, "");
    if (!s) {
        rc = TAULU_EDB;
        goto out;
    }
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        taulu_err(TAG, "foreign_key_check: a row of %s is orphaned",
                  sqlite3_column_text(s, 0));
        rc = TAULU_EDB;
    }
    sqlite3_reset(s);
out:
    release(st, c);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Audit */

int srv_store_audit_add(struct srv_store *st, const struct srv_audit *e)
{
    static const char sql[] =
        "INSERT INTO audit (at, actor_kind, actor_id, action, object_type,"
        " object_id, refused, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    struct conn *c = acquire(st);
    int rc;

    rc = exec(st, c, sql, "iiittibt", e->at ? e->at : taulu_now(),
              (int64_t)e->actor_kind, e->actor_id, e->action, e->object_type,
              e->object_id, (int)e->refused, e->details);
    release(st, c);
    return rc;
}

int srv_store_audit_list(struct srv_store *st, struct srv_pool *p,
                         const struct srv_audit_filter *f,
                         struct srv_audit **out, size_t *n)
{
    static const char sql[] =
        "SELECT id, at, actor_kind, actor_id, action, object_type,"
        " object_id, refused, details FROM audit"
        " WHERE (?1 = 0 OR actor_id = ?1)"
        " AND (?2 IS NULL OR action = ?2)"
        " AND (?3 IS NULL OR object_type = ?3)"
        " AND (?4 = 0 OR object_id = ?4)"
        " AND (?5 < 0 OR refused = ?5)"
        " AND (?6 = 0 OR at >= ?6)"
        " AND (?7 = 0 OR at < ?7)"
        " AND (?8 = 0 OR id < ?8)"
        " ORDER BY id DESC LIMIT ?9";
    struct conn *c = acquire(st);
    sqlite3_stmt *s;
    size_t cap = 0;
    int rc = 0, r;

    *out = NULL;
    *n = 0;
    s = query(st, c, sql, "ittiiiiii", f->actor_id, f->action, f->object_type,
              f->object_id, (int64_t)f->refused, f->since, f->until,
              f->before_id, (int64_t)f->limit);
    if (!s) {
        rc = TAULU_EDB;
        goto out;
    }
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        struct srv_audit *a;
        if (*n == cap) {
            *out = srv_pool_grow(p, *out, sizeof(**out), &cap);
        }
        a = &(*out)[(*n)++];
        a->id = col_i64(s, 0);
        a->at = col_i64(s, 1);
        a->actor_kind = (enum srv_actor_kind)col_i64(s, 2);
        a->actor_id = col_i64(s, 3);
        a->action = col_text(p, s, 4);
        a->object_type = col_text(p, s, 5);
        a->object_id = col_i64(s, 6);
        a->refused = col_i64(s, 7) != 0;
        a->details = col_text(p, s, 8);
    }
    if (r != SQLITE_DONE) {
        rc = db_fail(st, c, "audit list");
    }
    sqlite3_reset(s);
out:
    release(st, c);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Areas */

int srv_store_area_list(struct srv_store *st, struct srv_pool *p,
                        struct srv_area **out, size_t *n)
{
    static const char sql[] = "SELECT id, name FROM area ORDER BY name";
    struct conn *c = acquire(st);
    sqlite3_stmt *s = query(st, c, sql, "");
    size_t cap = 0;
    int rc = 0, r;

    *out = NULL;
    *n = 0;
    if (!s) {
        rc = TAULU_EDB;
        goto out;
    }
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        if (*n == cap) {
            *out = srv_pool_grow(p, *out, sizeof(**out), &cap);
        }
        (*out)[*n].id = col_i64(s, 0);
        (*out)[*n].name = col_text(p, s, 1);
        (*n)++;
    }
    if (r != SQLITE_DONE) {
        rc = db_fail(st, c, "area list");
    }
    sqlite3_reset(s);
out:
    release(st, c);
    return rc;
}

/* Runs one insert plus its audit entry in a transaction. */
static int insert_audited(struct srv_store *st, struct conn *c, int rc,
                          int64_t actor, const char *action, const char *otype,
                          int64_t *id)
{
    if (!rc) {
        *id = sqlite3_last_insert_rowid(c->db);
        rc = audit_in(st, c, actor, action, otype, *id, NULL);
    }
    return finish(st, c, rc);
}

/* After an UPDATE/DELETE by id: ENOTFOUND if nothing matched, else the
 * audit entry. */
static int changed_audited(struct srv_store *st, struct conn *c, int rc,
                           int64_t actor, const char *action, const char *otype,
                           int64_t id)
{
    if (!rc && sqlite3_changes(c->db) == 0) {
        rc = TAULU_ENOTFOUND;
    }
    if (!rc) {
        rc = audit_in(st, c, actor, action, otype, id, NULL);
    }
    return finish(st, c, rc);
}

int srv_store_area_create(struct srv_store *st, int64_t actor, const char *name,
                          int64_t *id)
{
    static const char sql[] = "INSERT INTO area (name) VALUES (?)";
    struct conn *c = acquire(st);
    int rc = begin(st, c);

    if (!rc) {
        rc = exec(st, c, sql, "t", name);
    }
    rc = insert_audited(st, c, rc, actor, "area.create", "area", id);
    release(st, c);
    return rc;
}

int srv_store_area_update(struct srv_store *st, int64_t actor, int64_t id,
                          const char *name)
{
    static const char sql[] = "UPDATE area SET name = ? WHERE id = ?";
    struct conn *c = acquire(st);
    int rc = begin(st, c);

    if (!rc) {
        rc = exec(st, c, sql, "ti", name, id);
    }
    rc = changed_audited(st, c, rc, actor, "area.update", "area", id);
    release(st, c);
    return rc;
}

int srv_store_area_delete(struct srv_store *st, int64_t actor, int64_t id)
{
    static const char sql[] = "DELETE FROM area WHERE id = ?";
    struct conn *c = acquire(st);
    int rc = begin(st, c);

    if (!rc) {
        rc = exec(st, c, sql, "i", id);
    }
    rc = changed_audited(st, c, rc, actor, "area.delete", "area", id);
    release(st, c);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Centres */

#define CENTRE_COLS                                                            \
    "id, COALESCE(area_id, 0), name, municipality, address, opening_hours,"    \
    " languages, withdraw_on_edit"

static void read_centre(struct srv_pool *p, sqlite3_stmt *s,
                        struct srv_centre *o)
{
    o->id = col_i64(s, 0);
    o->area_id = col_i64(s, 1);
    o->name = col_text(p, s, 2);
    o->municipality = col_text(p, s, 3);
    o->address = col_text(p, s, 4);
    o->opening_hours = col_text(p, s, 5);
    o->languages = col_text(p, s, 6);
    o->withdraw_on_edit = col_i64(s, 7) != 0;
}

int srv_store_centre_list(struct srv_store *st, struct srv_pool *p,
                          struct srv_centre **out, size_t *n)
{
    static const char sql[] =
        "SELECT " CENTRE_COLS " FROM centre ORDER BY name";
    struct conn *c = acquire(st);
    sqlite3_stmt *s = query(st, c, sql, "");
    size_t cap = 0;
    int rc = 0, r;

    *out = NULL;
    *n = 0;
    if (!s) {
        rc = TAULU_EDB;
        goto out;
    }
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        if (*n == cap) {
            *out = srv_pool_grow(p, *out, sizeof(**out), &cap);
        }
        read_centre(p, s, &(*out)[(*n)++]);
    }
    if (r != SQLITE_DONE) {
        rc = db_fail(st, c, "centre list");
    }
    sqlite3_reset(s);
out:
    release(st, c);
    return rc;
}

int srv_store_centre_get(struct srv_store *st, struct srv_pool *p, int64_t id,
                         struct srv_centre *out)
{
    static const char sql[] = "SELECT " CENTRE_COLS " FROM centre WHERE id = ?";
    struct conn *c = acquire(st);
    sqlite3_stmt *s = query(st, c, sql, "i", id);
    int rc = 0, r;

    if (!s) {
        rc = TAULU_EDB;
        goto out;
    }
    r = sqlite3_step(s);
    if (r == SQLITE_ROW) {
        read_centre(p, s, out);
    } else if (r == SQLITE_DONE) {
        rc = TAULU_ENOTFOUND;
    } else {
        rc = db_fail(st, c, "centre get");
    }
    sqlite3_reset(s);
out:
    release(st, c);
    return rc;
}

int srv_store_centre_create(struct srv_store *st, int64_t actor,
                            const struct srv_centre *o, int64_t *id)
{
    static const char sql[] =
        "INSERT INTO centre (area_id, name, municipality, address,"
        " opening_hours, languages, withdraw_on_edit)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)";
    struct conn *c = acquire(st);
    int rc = begin(st, c);

    if (!rc) {
        rc = exec(st, c, sql, "ztttttb", o->area_id, o->name, o->municipality,
                  o->address, o->opening_hours, o->languages,
                  (int)o->withdraw_on_edit);
    }
    rc = insert_audited(st, c, rc, actor, "centre.create", "centre", id);
    release(st, c);
    return rc;
}

int srv_store_centre_update(struct srv_store *st, int64_t actor,
                            const struct srv_centre *o)
{
    static const char sql[] =
        "UPDATE centre SET area_id = ?, name = ?, municipality = ?,"
        " address = ?, opening_hours = ?, languages = ?,"
        " withdraw_on_edit = ? WHERE id = ?";
    struct conn *c = acquire(st);
    int rc = begin(st, c);

    if (!rc) {
        rc = exec(st, c, sql, "ztttttbi", o->area_id, o->name, o->municipality,
                  o->address, o->opening_hours, o->languages,
                  (int)o->withdraw_on_edit, o->id);
    }
    rc = changed_audited(st, c, rc, actor, "centre.update", "centre", o->id);
    release(st, c);
    return rc;
}

int srv_store_centre_delete(struct srv_store *st, int64_t actor, int64_t id)
{
    static const char sql[] = "DELETE FROM centre WHERE id = ?";
    struct conn *c = acquire(st);
    int rc = begin(st, c);

    if (!rc) {
        rc = exec(st, c, sql, "i", id);
    }
    rc = changed_audited(st, c, rc, actor, "centre.delete", "centre", id);
    release(st, c);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Screens */

#define SCREEN_COLS                                                            \
    "id, centre_id, name, orientation, width_px, height_px, diagonal_in,"      \
    " viewing_distance_m, online, last_seen, applied_version, last_error,"     \
    " created_at"

static void read_screen(struct srv_pool *p, sqlite3_stmt *s,
                        struct srv_screen *o)
{
    o->id = col_i64(s, 0);
    o->centre_id = col_i64(s, 1);
    o->name = col_text(p, s, 2);
    o->orientation = col_text(p, s, 3);
    o->width_px = (int)col_i64(s, 4);
    o->height_px = (int)col_i64(s, 5);
    o->diagonal_in = sqlite3_column_double(s, 6);
    o->viewing_distance_m = sqlite3_column_double(s, 7);
    o->online = col_i64(s, 8) != 0;
    o->last_seen = col_i64(s, 9);
    o->applied_version = col_i64(s, 10);
    o->last_error = col_text(p, s, 11);
    o->created_at = col_i64(s, 12);
}

int srv_store_screen_list(struct srv_store *st, struct srv_pool *p,
                          const struct srv_scope *centres,
                          struct srv_screen **out, size_t *n)
{
    static const char sql[] =
        "SELECT " SCREEN_COLS " FROM screen"
        " WHERE ?1 OR centre_id IN (SELECT value FROM json_each(?2))"
        " ORDER BY centre_id, name";
    struct conn *c = acquire(st);
    char *ids = ids_json(centres->ids, centres->n);
    sqlite3_stmt *s = query(st, c, sql, "bt", (int)centres->all, ids);
    size_t cap = 0;
    int rc = 0, r;

    *out = NULL;
    *n = 0;
    if (!s) {
        rc = TAULU_EDB;
        goto out;
    }
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        if (*n == cap) {
            *out = srv_pool_grow(p, *out, sizeof(**out), &cap);
        }
        read_screen(p, s, &(*out)[(*n)++]);
    }
    if (r != SQLITE_DONE) {
        rc = db_fail(st, c, "screen list");
    }
    sqlite3_reset(s);
out:
    free(ids);
    release(st, c);
    return rc;
}

static int screen_get_by(struct srv_store *st, struct srv_pool *p,
                         const char *sql, const char *fmt, int64_t id,
                         const uint8_t *hash, struct srv_screen *out)
{
    struct conn *c = acquire(st);
    sqlite3_stmt *s =
        hash ? query(st, c, sql, fmt, hash) : query(st, c, sql, fmt, id);
    int rc = 0, r;

    if (!s) {
        rc = TAULU_EDB;
        goto out;
    }
    r = sqlite3_step(s);
    if (r == SQLITE_ROW) {
        read_screen(p, s, out);
        if (hash) {
            /* Column 13 is the stored hash: compare in constant time
             * although the index look-up already matched. */
            const void *h = sqlite3_column_blob(s, 13);
            if (sqlite3_column_bytes(s, 13) != 32 || !h ||
                !taulu_secret_equal(h, hash, 32)) {
                rc = TAULU_ENOTFOUND;
            }
        }
    } else if (r == SQLITE_DONE) {
        rc = TAULU_ENOTFOUND;
    } else {
        rc = db_fail(st, c, "screen get");
    }
    sqlite3_reset(s);
out:
    release(st, c);
    return rc;
}

int srv_store_screen_get(struct srv_store *st, struct srv_pool *p, int64_t id,
                         struct srv_screen *out)
{
    static const char sql[] = "SELECT " SCREEN_COLS " FROM screen WHERE id = ?";
    return screen_get_by(st, p, sql, "i", id, NULL, out);
}

int srv_store_screen_by_token(struct srv_store *st, struct srv_pool *p,
                              const uint8_t token_hash[32],
                              struct srv_screen *out)
{
    static const char sql[] =
        "SELECT " SCREEN_COLS ", token_hash FROM screen WHERE token_hash = ?";
    return screen_get_by(st, p, sql, "h", 0, token_hash, out);
}

int srv_store_screen_create(struct srv_store *st, int64_t actor,
                            const struct srv_screen *o,
                            const uint8_t token_hash[32], int64_t *id)
{
    static const char sql[] =
        "INSERT INTO screen (centre_id, name, orientation, width_px,"
        " height_px, diagonal_in, viewing_distance_m, token_hash,"
        " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    struct conn *c = acquire(st);
    int rc = begin(st, c);

    if (!rc) {
        rc =
            exec(st, c, sql, "ittiiddhi", o->centre_id, o->name, o->orientation,
                 (int64_t)o->width_px, (int64_t)o->height_px, o->diagonal_in,
                 o->viewing_distance_m, token_hash, taulu_now());
    }
    rc = insert_audited(st, c, rc, actor, "screen.create", "screen", id);
    release(st, c);
    return rc;
}

int srv_store_screen_update(struct srv_store *st, int64_t actor,
                            const struct srv_screen *o)
{
    static const char sql[] =
        "UPDATE screen SET centre_id = ?, name = ?, orientation = ?,"
        " width_px = ?, height_px = ?, diagonal_in = ?,"
        " viewing_distance_m = ? WHERE id = ?";
    struct conn *c = acquire(st);
    int rc = begin(st, c);

    if (!rc) {
        rc = exec(st, c, sql, "ittiiddi", o->centre_id, o->name, o->orientation,
                  (int64_t)o->width_px, (int64_t)o->height_px, o->diagonal_in,
                  o->viewing_distance_m, o->id);
    }
    rc = changed_audited(st, c, rc, actor, "screen.update", "screen", o->id);
    release(st, c);
    return rc;
}

int srv_store_screen_delete(struct srv_store *st, int64_t actor, int64_t id)
{
    static const char sql[] = "DELETE FROM screen WHERE id = ?";
    struct conn *c = acquire(st);
    int rc = begin(st, c);

    if (!rc) {
        rc = exec(st, c, sql, "i", id);
    }
    rc = changed_audited(st, c, rc, actor, "screen.delete", "screen", id);
    release(st, c);
    return rc;
}

int srv_store_screen_set_status(struct srv_store *st,
                                const struct srv_screen *o)
{
    static const char sql[] =
        "UPDATE screen SET online = ?, last_seen = ?, applied_version = ?,"
        " last_error = ? WHERE id = ?";
    struct conn *c = acquire(st);
    const char *err = o->last_error && o->last_error[0] ? o->last_error : NULL;
    /* One statement in autocommit: its own transaction, no audit entry. */
    int rc = exec(st, c, sql, "biiti", (int)o->online, o->last_seen,
                  o->applied_version, err, o->id);

    if (!rc && sqlite3_changes(c->db) == 0) {
        rc = TAULU_ENOTFOUND;
    }
    release(st, c);
    return rc;
}

int srv_store_screen_counts(struct srv_store *st, int64_t *online,
                            int64_t *total)
{
    static const char sql[] =
        "SELECT COALESCE(SUM(online), 0), COUNT(*) FROM screen";
    struct conn *c = acquire(st);
    sqlite3_stmt *s = query(st, c, sql, "");
    int rc = 0;

    if (!s || sqlite3_step(s) != SQLITE_ROW) {
        rc = db_fail(st, c, "screen counts");
    } else {
        *online = col_i64(s, 0);
        *total = col_i64(s, 1);
    }
    if (s) {
        sqlite3_reset(s);
    }
    release(st, c);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Organisations and members */

static int org_members(struct srv_store *st, struct conn *c, struct srv_pool *p,
                       struct srv_org *o)
{
    static const char sql[] =
        "SELECT user_id FROM member WHERE org_id = ? ORDER BY user_id";
    sqlite3_stmt *s = query(st, c, sql, "i", o->id);
    int rc;

    if (!s) {
        return TAULU_EDB;
    }
    rc = collect_ids(st, c, s, p, &o->members);
    sqlite3_reset(s);
    return rc;
}

int srv_store_org_list(struct srv_store *st, struct srv_pool *p,
                       const struct srv_scope *scope, struct srv_org **out,
                       size_t *n)
{
    static const char sql[] =
        "SELECT id, name, kind FROM org"
        " WHERE ?1 OR id IN (SELECT value FROM json_each(?2)) ORDER BY name";
    struct conn *c = acquire(st);
    char *ids = ids_json(scope->ids, scope->n);
    sqlite3_stmt *s = query(st, c, sql, "bt", (int)scope->all, ids);
    size_t cap = 0, i;
    int rc = 0, r;

    *out = NULL;
    *n = 0;
    if (!s) {
        rc = TAULU_EDB;
        goto out;
    }
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        struct srv_org *o;
        if (*n == cap) {
            *out = srv_pool_grow(p, *out, sizeof(**out), &cap);
        }
        o = &(*out)[(*n)++];
        o->id = col_i64(s, 0);
        o->name = col_text(p, s, 1);
        o->kind = col_text(p, s, 2);
    }
    if (r != SQLITE_DONE) {
        rc = db_fail(st, c, "org list");
    }
    sqlite3_reset(s);
    for (i = 0; !rc && i < *n; i++) {
        rc = org_members(st, c, p, &(*out)[i]);
    }
out:
    free(ids);
    release(st, c);
    return rc;
}

int srv_store_org_get(struct srv_store *st, struct srv_pool *p, int64_t id,
                      struct srv_org *out)
{
    static const char sql[] = "SELECT id, name, kind FROM org WHERE id = ?";
    struct conn *c = acquire(st);
    sqlite3_stmt *s = query(st, c, sql, "i", id);
    int rc = 0, r;

    if (!s) {
        rc = TAULU_EDB;
        goto out;
    }
    r = sqlite3_step(s);
    if (r == SQLITE_ROW) {
        out->id = col_i64(s, 0);
        out->name = col_text(p, s, 1);
        out->kind = col_text(p, s, 2);
    } else if (r == SQLITE_DONE) {
        rc = TAULU_ENOTFOUND;
    } else {
        rc = db_fail(st, c, "org get");
    }
    sqlite3_reset(s);
    if (!rc) {
        rc = org_members(st, c, p, out);
    }
out:
    release(st, c);
    return rc;
}

int srv_store_org_create(struct srv_store *st, int64_t actor,
                         const struct srv_org *o, int64_t *id)
{
    static const char sql[] = "INSERT INTO org (name, kind) VALUES (?, ?)";
    struct conn *c = acquire(st);
    int rc = begin(st, c);

    if (!rc) {
        rc = exec(st, c, sql, "tt", o->name, o->kind);
    }
    rc = insert_audited(st, c, rc, actor, "org.create", "org", id);
    release(st, c);
    return rc;
}

int srv_store_org_update(struct srv_store *st, int64_t actor,
                         const struct srv_org *o)
{
    static const char sql[] = "UPDATE org SET name = ?, kind = ? WHERE id = ?";
    struct conn *c = acquire(st);
    int rc = begin(st, c);

    if (!rc) {
        rc = exec(st, c, sql, "tti", o->name, o->kind, o->id);
    }
    rc = changed_audited(st, c, rc, actor, "org.update", "org", o->id);
    release(st, c);
    return rc;
}

int srv_store_member_add(struct srv_store *st, int64_t actor, int64_t org_id,
                         int64_t user_id)
{
    static const char sql[] =
        "INSERT INTO member (org_id, user_id) VALUES (?, ?)";
    struct conn *c = acquire(st);
    char details[64];
    int rc = begin(st, c);

    if (!rc) {
        rc = exec(st, c, sql, "ii", org_id, user_id);
    }
    if (!rc) {
        snprintf(details, sizeof(details), "{\"user_id\":%lld}",
                 (long long)user_id);
        rc = audit_in(st, c, actor, "org.member_add", "org", org_id, details);
    }
    rc = finish(st, c, rc);
    release(st, c);
    return rc;
}

int srv_store_member_remove(struct srv_store *st, int64_t actor, int64_t org_id,
                            int64_t user_id)
{
    static const char sql[] =
        "DELETE FROM member WHERE org_id = ? AND user_id = ?";
    struct conn *c = acquire(st);
    char details[64];
    int rc = begin(st, c);

    if (!rc) {
        rc = exec(st, c, sql, "ii", org_id, user_id);
    }
    if (!rc && sqlite3_changes(c->db) == 0) {
        rc = TAULU_ENOTFOUND;
    }
    if (!rc) {
        snprintf(details, sizeof(details), "{\"user_id\":%lld}",
                 (long long)user_id);
        rc =
            audit_in(st, c, actor, "org.member_remove", "org", org_id, details);
    }
    rc = finish(st, c, rc);
    release(st, c);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Users */

static int user_roles(struct srv_store *st, struct conn *c, struct srv_pool *p,
                      struct srv_user *u)
{
    static const char sql_c[] =
        "SELECT centre_id FROM contact WHERE user_id = ? ORDER BY centre_id";
    static const char sql_m[] =
        "SELECT org_id FROM member WHERE user_id = ? ORDER BY org_id";
    sqlite3_stmt *s;
    int rc;

    s = query(st, c, sql_c, "i", u->id);
    if (!s) {
        return TAULU_EDB;
    }
    rc = collect_ids(st, c, s, p, &u->contact_centres);
    sqlite3_reset(s);
    if (rc) {
        return rc;
    }
    s = query(st, c, sql_m, "i", u->id);
    if (!s) {
        return TAULU_EDB;
    }
    rc = collect_ids(st, c, s, p, &u->orgs);
    sqlite3_reset(s);
    return rc;
}

static int set_roles(struct srv_store *st, struct conn *c,
                     const struct srv_user *u, int64_t id)
{
    static const char del_c[] = "DELETE FROM contact WHERE user_id = ?";
    static const char del_m[] = "DELETE FROM member WHERE user_id = ?";
    static const char ins_c[] =
        "INSERT INTO contact (centre_id, user_id) VALUES (?, ?)";
    static const char ins_m[] =
        "INSERT INTO member (org_id, user_id) VALUES (?, ?)";
    size_t i;
    int rc;

    rc = exec(st, c, del_c, "i", id);
    if (!rc) {
        rc = exec(st, c, del_m, "i", id);
    }
    for (i = 0; !rc && i < u->contact_centres.n; i++) {
        rc = exec(st, c, ins_c, "ii", u->contact_centres.v[i], id);
    }
    for (i = 0; !rc && i < u->orgs.n; i++) {
        rc = exec(st, c, ins_m, "ii", u->orgs.v[i], id);
    }
    return rc;
}

int srv_store_user_create(struct srv_store *st, int64_t actor,
                          const struct srv_user *u, const char *pwhash,
                          int64_t *id)
{
    static const char sql[] =
        "INSERT INTO account (email, name, pwhash, coordinator, disabled,"
        " created_at) VALUES (?, ?, ?, ?, ?, ?)";
    struct conn *c = acquire(st);
    int rc = begin(st, c);

    if (!rc) {
        rc = exec(st, c, sql, "tttbbi", u->email, u->name, pwhash,
                  (int)u->coordinator, (int)u->disabled, taulu_now());
    }
    if (!rc) {
        *id = sqlite3_last_insert_rowid(c->db);
        rc = set_roles(st, c, u, *id);
    }
    if (!rc) {
        rc = audit_in(st, c, actor, "user.create", "user", *id, NULL);
    }
    rc = finish(st, c, rc);
    release(st, c);
    return rc;
}

#define USER_COLS "id, email, name, coordinator, disabled, created_at"

static void read_user(struct srv_pool *p, sqlite3_stmt *s, struct srv_user *u)
{
    memset(u, 0, sizeof(*u));
    u->id = col_i64(s, 0);
    u->email = col_text(p, s, 1);
    u->name = col_text(p, s, 2);
    u->coordinator = col_i64(s, 3) != 0;
    u->disabled = col_i64(s, 4) != 0;
    u->created_at = col_i64(s, 5);
}

static int user_get_by(struct srv_store *st, struct srv_pool *p,
                       const char *sql, int64_t id, const char *email,
                       struct srv_user *out, const char **pwhash)
{
    struct conn *c = acquire(st);
    sqlite3_stmt *s =
        email ? query(st, c, sql, "t", email) : query(st, c, sql, "i", id);
    int rc = 0, r;

    if (!s) {
        rc = TAULU_EDB;
        goto out;
    }
    r = sqlite3_step(s);
    if (r == SQLITE_ROW) {
        read_user(p, s, out);
        if (pwhash) {
            *pwhash = col_text(p, s, 6);
        }
    } else if (r == SQLITE_DONE) {
        rc = TAULU_ENOTFOUND;
    } else {
        rc = db_fail(st, c, "user get");
    }
    sqlite3_reset(s);
    if (!rc) {
        rc = user_roles(st, c, p, out);
    }
out:
    release(st, c);
    return rc;
}

int srv_store_user_get(struct srv_store *st, struct srv_pool *p, int64_t id,
                       struct srv_user *out)
{
    static const char sql[] = "SELECT " USER_COLS " FROM account WHERE id = ?";
    return user_get_by(st, p, sql, id, NULL, out, NULL);
}

int srv_store_user_by_email(struct srv_store *st, struct srv_pool *p,
                            const char *email, struct srv_user *out,
                            const char **pwhash)
{
    static const char sql[] =
        "SELECT " USER_COLS ", pwhash FROM account WHERE email = ?";
    return user_get_by(st, p, sql, 0, email, out, pwhash);
}

int srv_store_user_list(struct srv_store *st, struct srv_pool *p,
                        struct srv_user **out, size_t *n)
{
    static const char sql[] = "SELECT " USER_COLS " FROM account ORDER BY id";
    struct conn *c = acquire(st);
    sqlite3_stmt *s = query(st, c, sql, "");
    size_t cap = 0, i;
    int rc = 0, r;

    *out = NULL;
    *n = 0;
    if (!s) {
        rc = TAULU_EDB;
        goto out;
    }
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        if (*n == cap) {
            *out = srv_pool_grow(p, *out, sizeof(**out), &cap);
        }
        read_user(p, s, &(*out)[(*n)++]);
    }
    if (r != SQLITE_DONE) {
        rc = db_fail(st, c, "user list");
    }
    sqlite3_reset(s);
    for (i = 0; !rc && i < *n; i++) {
        rc = user_roles(st, c, p, &(*out)[i]);
    }
out:
    release(st, c);
    return rc;
}

int srv_store_user_update(struct srv_store *st, int64_t actor,
                          const struct srv_user *u)
{
    static const char sql[] =
        "UPDATE account SET name = ?, coordinator = ?, disabled = ?"
        " WHERE id = ?";
    static const char del_s[] = "DELETE FROM session WHERE user_id = ?";
    static const char del_t[] = "DELETE FROM api_token WHERE user_id = ?";
    struct conn *c = acquire(st);
    int rc = begin(st, c);

    if (!rc) {
        rc = exec(st, c, sql, "tbbi", u->name, (int)u->coordinator,
                  (int)u->disabled, u->id);
    }
    if (!rc && sqlite3_changes(c->db) == 0) {
        rc = TAULU_ENOTFOUND;
    }
    if (!rc) {
        rc = set_roles(st, c, u, u->id);
    }
    if (!rc && u->disabled) {
        rc = exec(st, c, del_s, "i", u->id);
        if (!rc) {
            rc = exec(st, c, del_t, "i", u->id);
        }
    }
    if (!rc) {
        rc = audit_in(st, c, actor, "user.update", "user", u->id, NULL);
    }
    rc = finish(st, c, rc);
    release(st, c);
    return rc;
}

int srv_store_user_set_password(struct srv_store *st, int64_t actor, int64_t id,
                                const char *pwhash)
{
    static const char sql[] = "UPDATE account SET pwhash = ? WHERE id = ?";
    struct conn *c = acquire(st);
    int rc = begin(st, c);

    if (!rc) {
        rc = exec(st, c, sql, "ti", pwhash, id);
    }
    rc = changed_audited(st, c, rc, actor, "user.password", "user", id);
    release(st, c);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Sessions and tokens */

int srv_store_session_create(struct srv_store *st, const uint8_t hash[32],
                             int64_t user_id, const char *csrf,
                             int64_t expires_at)
{
    static const char sql[] =
        "INSERT INTO session (hash, user_id, csrf, created_at, expires_at)"
        " VALUES (?, ?, ?, ?, ?)";
    struct conn *c = acquire(st);
    int rc =
        exec(st, c, sql, "hitii", hash, user_id, csrf, taulu_now(), expires_at);

    release(st, c);
    return rc;
}

int srv_store_session_get(struct srv_store *st, struct srv_pool *p,
                          const uint8_t hash[32], int64_t now, int64_t *user_id,
                          const char **csrf)
{
    static const char sql[] =
        "SELECT s.user_id, s.csrf, s.hash FROM session s"
        " JOIN account a ON a.id = s.user_id"
        " WHERE s.hash = ? AND s.expires_at > ? AND a.disabled = 0";
    struct conn *c = acquire(st);
    sqlite3_stmt *s = query(st, c, sql, "hi", hash, now);
    int rc = 0, r;

    if (!s) {
        rc = TAULU_EDB;
        goto out;
    }
    r = sqlite3_step(s);
    if (r == SQLITE_ROW) {
        const void *h = sqlite3_column_blob(s, 2);
        if (sqlite3_column_bytes(s, 2) == 32 && h &&
            taulu_secret_equal(h, hash, 32)) {
            *user_id = col_i64(s, 0);
            *csrf = col_text(p, s, 1);
        } else {
            rc = TAULU_ENOTFOUND;
        }
    } else if (r == SQLITE_DONE) {
        rc = TAULU_ENOTFOUND;
    } else {
        rc = db_fail(st, c, "session get");
    }
    sqlite3_reset(s);
out:
    release(st, c);
    return rc;
}

int srv_store_session_delete(struct srv_store *st, const uint8_t hash[32])
{
    static const char sql[] = "DELETE FROM session WHERE hash = ?";
    struct conn *c = acquire(st);
    int rc = exec(st, c, sql, "h", hash);

    release(st, c);
    return rc;
}

int srv_store_token_create(struct srv_store *st, int64_t user_id,
                           const char *name, const uint8_t hash[32],
                           int64_t expires_at, int64_t *id)
{
    static const char sql[] =
        "INSERT INTO api_token (user_id, name, hash, created_at, expires_at)"
        " VALUES (?, ?, ?, ?, ?)";
    struct conn *c = acquire(st);
    int rc = begin(st, c);

    if (!rc) {
        rc = exec(st, c, sql, "ithii", user_id, name, hash, taulu_now(),
                  expires_at);
    }
    rc = insert_audited(st, c, rc, user_id, "token.create", "token", id);
    release(st, c);
    return rc;
}

int srv_store_token_user(struct srv_store *st, const uint8_t hash[32],
                         int64_t now, int64_t *user_id)
{
    static const char sql[] =
        "SELECT t.user_id, t.hash FROM api_token t"
        " JOIN account a ON a.id = t.user_id"
        " WHERE t.hash = ? AND t.expires_at > ? AND a.disabled = 0";
    struct conn *c = acquire(st);
    sqlite3_stmt *s = query(st, c, sql, "hi", hash, now);
    int rc = 0, r;

    if (!s) {
        rc = TAULU_EDB;
        goto out;
    }
    r = sqlite3_step(s);
    if (r == SQLITE_ROW) {
        const void *h = sqlite3_column_blob(s, 1);
        if (sqlite3_column_bytes(s, 1) == 32 && h &&
            taulu_secret_equal(h, hash, 32)) {
            *user_id = col_i64(s, 0);
        } else {
            rc = TAULU_ENOTFOUND;
        }
    } else if (r == SQLITE_DONE) {
        rc = TAULU_ENOTFOUND;
    } else {
        rc = db_fail(st, c, "token get");
    }
    sqlite3_reset(s);
out:
    release(st, c);
    return rc;
}

int srv_store_token_delete(struct srv_store *st, int64_t user_id, int64_t id)
{
    static const char sql[] =
        "DELETE FROM api_token WHERE id = ? AND user_id = ?";
    struct conn *c = acquire(st);
    int rc = begin(st, c);

    if (!rc) {
        rc = exec(st, c, sql, "ii", id, user_id);
    }
    rc = changed_audited(st, c, rc, user_id, "token.delete", "token", id);
    release(st, c);
    return rc;
}

int srv_store_purge_expired(struct srv_store *st, int64_t now)
{
    static const char sql_s[] = "DELETE FROM session WHERE expires_at <= ?";
    static const char sql_t[] = "DELETE FROM api_token WHERE expires_at <= ?";
    struct conn *c = acquire(st);
    int rc, n = 0;

    rc = exec(st, c, sql_s, "i", now);
    if (!rc) {
        n = sqlite3_changes(c->db);
        rc = exec(st, c, sql_t, "i", now);
    }
    if (!rc) {
        n += sqlite3_changes(c->db);
    }
    release(st, c);
    return rc ? rc : n;
}

/* ------------------------------------------------------------------ */
/* Items */

static int put_texts(struct srv_store *st, struct conn *c,
                     const struct srv_item *it, int64_t id)
{
    static const char del[] = "DELETE FROM item_text WHERE item_id = ?";
    static const char ins[] =
        "INSERT INTO item_text (item_id, pos, lang, plain, title, body,"
        " place, price, registration, contact, image_alt)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    size_t i;
    int rc = exec(st, c, del, "i", id);

    for (i = 0; !rc && i < it->n_texts; i++) {
        const struct srv_item_text *t = &it->texts[i];
        rc = exec(st, c, ins, "iitbttttttt", id, (int64_t)i, t->lang,
                  (int)t->plain, t->title, t->body, t->place, t->price,
                  t->registration, t->contact, t->image_alt);
    }
    return rc;
}

static int put_version(struct srv_store *st, struct conn *c, int64_t id,
                       int64_t version, const char *snapshot,
                       const char *findings, int64_t actor)
{
    static const char sql[] =
        "INSERT INTO item_version (item_id, version, snapshot, created_at,"
        " created_by, findings) VALUES (?, ?, ?, ?, ?, ?)";

    return exec(st, c, sql, "iitiit", id, version, snapshot, taulu_now(), actor,
                findings);
}

static int place(struct srv_store *st, struct conn *c, int64_t item_id,
                 int64_t centre_id, int64_t actor)
{
    static const char sql[] =
        "INSERT INTO placement (item_id, centre_id, state, submitted_at)"
        " VALUES (?, ?, 'submitted', ?)";
    char details[64];
    int rc = exec(st, c, sql, "iii", item_id, centre_id, taulu_now());

    if (!rc) {
        snprintf(details, sizeof(details), "{\"centre_id\":%lld}",
                 (long long)centre_id);
        rc = audit_in(st, c, actor, "placement.submit", "placement",
                      sqlite3_last_insert_rowid(c->db), details);
    }
    return rc;
}

int srv_store_item_create(struct srv_store *st, int64_t actor,
                          const struct srv_item *it, const int64_t *centres,
                          size_t n_centres, const char *snapshot, int64_t *id)
{
    static const char sql[] =
        "INSERT INTO item (org_id, kind, category, starts_at, ends_at, free,"
        " step_free, induction_loop, link, image_sha256, display_from,"
        " display_until, version, created_by, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)";
    struct conn *c = acquire(st);
    int64_t now = taulu_now();
    size_t i;
    int rc = begin(st, c);

    if (!rc) {
        rc = exec(st, c, sql, "ittiibbbttiiiii", it->org_id, it->kind,
                  it->category, it->starts_at, it->ends_at,
                  (int)it->free_of_charge, (int)it->step_free,
                  (int)it->induction_loop, it->link, it->image_sha256,
                  it->display_from, it->display_until, actor, now, now);
    }
    if (!rc) {
        *id = sqlite3_last_insert_rowid(c->db);
        rc = audit_in(st, c, actor, "item.create", "item", *id, NULL);
    }
    if (!rc) {
        rc = put_texts(st, c, it, *id);
    }
    if (!rc) {
        rc = put_version(st, c, *id, 1, snapshot, it->findings, actor);
    }
    for (i = 0; !rc && i < n_centres; i++) {
        rc = place(st, c, *id, centres[i], actor);
    }
    rc = finish(st, c, rc);
    release(st, c);
    return rc;
}

#define ITEM_COLS                                                              \
    "id, org_id, kind, category, starts_at, ends_at, free, step_free,"         \
    " induction_loop, link, image_sha256, display_from, display_until,"        \
    " version, created_by, created_at, updated_at,"                            \
    " (SELECT v.findings FROM item_version v WHERE v.item_id = i.id"           \
    "  AND v.version = i.version)"

static void read_item(struct srv_pool *p, sqlite3_stmt *s, struct srv_item *o)
{
    memset(o, 0, sizeof(*o));
    o->id = col_i64(s, 0);
    o->org_id = col_i64(s, 1);
    o->kind = col_text(p, s, 2);
    o->category = col_text(p, s, 3);
    o->starts_at = col_i64(s, 4);
    o->ends_at = col_i64(s, 5);
    o->free_of_charge = col_i64(s, 6) != 0;
    o->step_free = col_i64(s, 7) != 0;
    o->induction_loop = col_i64(s, 8) != 0;
    o->link = col_text(p, s, 9);
    o->image_sha256 = col_text(p, s, 10);
    o->display_from = col_i64(s, 11);
    o->display_until = col_i64(s, 12);
    o->version = col_i64(s, 13);
    o->created_by = col_i64(s, 14);
    o->created_at = col_i64(s, 15);
    o->updated_at = col_i64(s, 16);
    o->findings = col_text(p, s, 17);
}

#define PLACEMENT_COLS                                                         \
    "p.id, p.item_id, p.centre_id, i.org_id, p.state, p.submitted_at,"         \
    " COALESCE(p.decided_by, 0), p.decided_at, p.reason, p.display_from,"      \
    " p.display_until, p.approved_version, i.version,"                         \
    " (SELECT title FROM item_text t WHERE t.item_id = i.id"                   \
    "  ORDER BY pos LIMIT 1),"                                                 \
    " (SELECT v.findings FROM item_version v WHERE v.item_id = i.id"           \
    "  AND v.version = i.version)"

static void read_placement(struct srv_pool *p, sqlite3_stmt *s,
                           struct srv_placement *o)
{
    const unsigned char *state;

    memset(o, 0, sizeof(*o));
    o->id = col_i64(s, 0);
    o->item_id = col_i64(s, 1);
    o->centre_id = col_i64(s, 2);
    o->org_id = col_i64(s, 3);
    state = sqlite3_column_text(s, 4);
    o->state = state_from_name((const char *)state);
    o->submitted_at = col_i64(s, 5);
    o->decided_by = col_i64(s, 6);
    o->decided_at = col_i64(s, 7);
    o->reason = col_text(p, s, 8);
    o->display_from = col_i64(s, 9);
    o->display_until = col_i64(s, 10);
    o->approved_version = col_i64(s, 11);
    o->item_version = col_i64(s, 12);
    o->item_title = col_text(p, s, 13);
    o->item_findings = col_text(p, s, 14);
}

/* Texts and placements of an item just read. */
static int item_children(struct srv_store *st, struct conn *c,
                         struct srv_pool *p, struct srv_item *it)
{
    static const char sql_t[] =
        "SELECT lang, plain, title, body, place, price, registration,"
        " contact, image_alt FROM item_text WHERE item_id = ? ORDER BY pos";
    static const char sql_p[] =
        "SELECT " PLACEMENT_COLS " FROM placement p"
        " JOIN item i ON i.id = p.item_id WHERE p.item_id = ?"
        " ORDER BY p.centre_id";
    sqlite3_stmt *s;
    size_t cap = 0;
    int r, rc = 0;

    s = query(st, c, sql_t, "i", it->id);
    if (!s) {
        return TAULU_EDB;
    }
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        struct srv_item_text *t;
        if (it->n_texts == cap) {
            it->texts = srv_pool_grow(p, it->texts, sizeof(*t), &cap);
        }
        t = &it->texts[it->n_texts++];
        t->lang = col_text(p, s, 0);
        t->plain = col_i64(s, 1) != 0;
        t->title = col_text(p, s, 2);
        t->body = col_text(p, s, 3);
        t->place = col_text(p, s, 4);
        t->price = col_text(p, s, 5);
        t->registration = col_text(p, s, 6);
        t->contact = col_text(p, s, 7);
        t->image_alt = col_text(p, s, 8);
    }
    if (r != SQLITE_DONE) {
        rc = db_fail(st, c, "item texts");
    }
    sqlite3_reset(s);
    if (rc) {
        return rc;
    }
    cap = 0;
    s = query(st, c, sql_p, "i", it->id);
    if (!s) {
        return TAULU_EDB;
    }
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        if (it->n_placements == cap) {
            it->placements =
                srv_pool_grow(p, it->placements, sizeof(*it->placements), &cap);
        }
        read_placement(p, s, &it->placements[it->n_placements++]);
    }
    if (r != SQLITE_DONE) {
        rc = db_fail(st, c, "item placements");
    }
    sqlite3_reset(s);
    return rc;
}

int srv_store_item_get(struct srv_store *st, struct srv_pool *p, int64_t id,
                       struct srv_item *out)
{
    static const char sql[] = "SELECT " ITEM_COLS " FROM item i WHERE i.id = ?";
    struct conn *c = acquire(st);
    sqlite3_stmt *s = query(st, c, sql, "i", id);
    int rc = 0, r;

    if (!s) {
        rc = TAULU_EDB;
        goto out;
    }
    r = sqlite3_step(s);
    if (r == SQLITE_ROW) {
        read_item(p, s, out);
    } else if (r == SQLITE_DONE) {
        rc = TAULU_ENOTFOUND;
    } else {
        rc = db_fail(st, c, "item get");
    }
    sqlite3_reset(s);
    if (!rc) {
        rc = item_children(st, c, p, out);
    }
out:
    release(st, c);
    return rc;
}

int srv_store_item_list(struct srv_store *st, struct srv_pool *p,
                        const struct srv_scope *orgs,
                        const struct srv_scope *centres, unsigned limit,
                        unsigned offset, struct srv_item **out, size_t *n)
{
    static const char sql[] =
        "SELECT " ITEM_COLS " FROM item i"
        " WHERE ?1 OR i.org_id IN (SELECT value FROM json_each(?2))"
        " OR EXISTS (SELECT 1 FROM placement p WHERE p.item_id = i.id"
        "  AND p.centre_id IN (SELECT value FROM json_each(?3)))"
        " ORDER BY i.id DESC LIMIT ?4 OFFSET ?5";
    struct conn *c = acquire(st);
    char *oj = ids_json(orgs->ids, orgs->n);
    char *cj = ids_json(centres->ids, centres->n);
    sqlite3_stmt *s =
        query(st, c, sql, "bttii", (int)(orgs->all || centres->all), oj, cj,
              (int64_t)limit, (int64_t)offset);
    size_t cap = 0, i;
    int rc = 0, r;

    *out = NULL;
    *n = 0;
    if (!s) {
        rc = TAULU_EDB;
        goto out;
    }
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        if (*n == cap) {
            *out = srv_pool_grow(p, *out, sizeof(**out), &cap);
        }
        read_item(p, s, &(*out)[(*n)++]);
    }
    if (r != SQLITE_DONE) {
        rc = db_fail(st, c, "item list");
    }
    sqlite3_reset(s);
    for (i = 0; !rc && i < *n; i++) {
        rc = item_children(st, c, p, &(*out)[i]);
    }
out:
    free(oj);
    free(cj);
    release(st, c);
    return rc;
}

int srv_store_item_update(struct srv_store *st, int64_t actor,
                          const struct srv_item *it, int64_t expected_version,
                          const int64_t *centres, size_t n_centres,
                          const char *snapshot)
{
    static const char sql[] =
        "UPDATE item SET kind = ?, category = ?, starts_at = ?, ends_at = ?,"
        " free = ?, step_free = ?, induction_loop = ?, link = ?,"
        " image_sha256 = ?, display_from = ?, display_until = ?,"
        " version = version + 1, updated_at = ?"
        " WHERE id = ? AND version = ?";
    static const char sql_exists[] = "SELECT 1 FROM item WHERE id = ?";
    /* Re-review on edit: whatever was approved or waiting for the sender's
     * changes goes back to the queue. Rejected, withdrawn and expired
     * placements stay as they are. */
    static const char sql_back[] =
        "UPDATE placement SET state = 'submitted', submitted_at = ?,"
        " decided_by = NULL, decided_at = 0, reason = NULL"
        " WHERE item_id = ? AND state IN ('approved', 'changes_requested')";
    static const char sql_cur[] =
        "SELECT centre_id, state FROM placement WHERE item_id = ?";
    static const char sql_drop[] =
        "UPDATE placement SET state = 'withdrawn', decided_by = ?,"
        " decided_at = ? WHERE item_id = ? AND centre_id = ?"
        " AND state IN ('submitted', 'approved', 'changes_requested')";
    static const char sql_reopen[] =
        "UPDATE placement SET state = 'submitted', submitted_at = ?,"
        " decided_by = NULL, decided_at = 0, reason = NULL"
        " WHERE item_id = ? AND centre_id = ?"
        " AND state IN ('withdrawn', 'expired')";
    struct conn *c = acquire(st);
    int64_t now = taulu_now();
    int rc = begin(st, c);
    size_t i, k;

    if (!rc) {
        rc = exec(st, c, sql, "ttiibbbttiiiii", it->kind, it->category,
                  it->starts_at, it->ends_at, (int)it->free_of_charge,
                  (int)it->step_free, (int)it->induction_loop, it->link,
                  it->image_sha256, it->display_from, it->display_until, now,
                  it->id, expected_version);
    }
    if (!rc && sqlite3_changes(c->db) == 0) {
        sqlite3_stmt *s = query(st, c, sql_exists, "i", it->id);
        if (!s) {
            rc = TAULU_EDB;
        } else {
            int r = sqlite3_step(s);
            rc = r == SQLITE_ROW    ? TAULU_ECONFLICT
                 : r == SQLITE_DONE ? TAULU_ENOTFOUND
                                    : db_fail(st, c, "item exists");
            sqlite3_reset(s);
        }
    }
    if (!rc) {
        rc = put_texts(st, c, it, it->id);
    }
    if (!rc) {
        rc = put_version(st, c, it->id, expected_version + 1, snapshot,
                         it->findings, actor);
    }
    if (!rc) {
        rc = exec(st, c, sql_back, "ii", now, it->id);
    }
    if (!rc && centres) {
        /* Replace the set of centres: drop the ones not listed, add or
         * reopen the listed ones. */
        struct srv_pool tmp;
        struct srv_ids cur = {NULL, 0};
        sqlite3_stmt *s;

        srv_pool_init(&tmp);
        s = query(st, c, sql_cur, "i", it->id);
        rc = s ? collect_ids(st, c, s, &tmp, &cur) : TAULU_EDB;
        if (s) {
            sqlite3_reset(s);
        }
        for (i = 0; !rc && i < cur.n; i++) {
            bool keep = false;
            for (k = 0; k < n_centres; k++) {
                keep = keep || centres[k] == cur.v[i];
            }
            if (!keep) {
                rc =
                    exec(st, c, sql_drop, "iiii", actor, now, it->id, cur.v[i]);
            }
        }
        for (k = 0; !rc && k < n_centres; k++) {
            bool have = false;
            for (i = 0; i < cur.n; i++) {
                have = have || centres[k] == cur.v[i];
            }
            if (have) {
                rc = exec(st, c, sql_reopen, "iii", now, it->id, centres[k]);
            } else {
                rc = place(st, c, it->id, centres[k], actor);
            }
        }
        srv_pool_release(&tmp);
    }
    if (!rc) {
        char details[64];
        snprintf(details, sizeof(details), "{\"version\":%lld}",
                 (long long)(expected_version + 1));
        rc = audit_in(st, c, actor, "item.update", "item", it->id, details);
    }
    rc = finish(st, c, rc);
    release(st, c);
    return rc;
}

int srv_store_item_snapshot(struct srv_store *st, struct srv_pool *p,
                            int64_t item_id, int64_t version, const char **json)
{
    static const char sql[] = "SELECT snapshot FROM item_version"
                              " WHERE item_id = ? AND version = ?";
    struct conn *c = acquire(st);
    sqlite3_stmt *s = query(st, c, sql, "ii", item_id, version);
    int rc = 0, r;

    if (!s) {
        rc = TAULU_EDB;
        goto out;
    }
    r = sqlite3_step(s);
    if (r == SQLITE_ROW) {
        *json = col_text(p, s, 0);
    } else if (r == SQLITE_DONE) {
        rc = TAULU_ENOTFOUND;
    } else {
        rc = db_fail(st, c, "snapshot");
    }
    sqlite3_reset(s);
out:
    release(st, c);
    return rc;
}

int srv_store_item_withdraw(struct srv_store *st, int64_t actor,
                            int64_t item_id, int64_t centre_id)
{
    static const char sql_exists[] = "SELECT 1 FROM item WHERE id = ?";
    static const char sql[] =
        "UPDATE placement SET state = 'withdrawn', decided_by = ?,"
        " decided_at = ?"
        " WHERE item_id = ? AND (?4 = 0 OR centre_id = ?4)"
        " AND state IN ('submitted', 'approved', 'changes_requested')";
    struct conn *c = acquire(st);
    sqlite3_stmt *s;
    char details[64];
    int rc = begin(st, c), r;

    if (!rc) {
        s = query(st, c, sql_exists, "i", item_id);
        if (!s) {
            rc = TAULU_EDB;
        } else {
            r = sqlite3_step(s);
            rc = r == SQLITE_ROW    ? 0
                 : r == SQLITE_DONE ? TAULU_ENOTFOUND
                                    : db_fail(st, c, "item exists");
            sqlite3_reset(s);
        }
    }
    if (!rc) {
        rc = exec(st, c, sql, "iiii", actor, taulu_now(), item_id, centre_id);
    }
    if (!rc) {
        snprintf(details, sizeof(details),
                 "{\"centre_id\":%lld,\"placements\":%d}", (long long)centre_id,
                 sqlite3_changes(c->db));
        rc = audit_in(st, c, actor, "item.withdraw", "item", item_id, details);
    }
    rc = finish(st, c, rc);
    release(st, c);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Placements */

int srv_store_placement_get(struct srv_store *st, struct srv_pool *p,
                            int64_t id, struct srv_placement *out)
{
    static const char sql[] = "SELECT " PLACEMENT_COLS " FROM placement p"
                              " JOIN item i ON i.id = p.item_id"
                              " WHERE p.id = ?";
    struct conn *c = acquire(st);
    sqlite3_stmt *s = query(st, c, sql, "i", id);
    int rc = 0, r;

    if (!s) {
        rc = TAULU_EDB;
        goto out;
    }
    r = sqlite3_step(s);
    if (r == SQLITE_ROW) {
        read_placement(p, s, out);
    } else if (r == SQLITE_DONE) {
        rc = TAULU_ENOTFOUND;
    } else {
        rc = db_fail(st, c, "placement get");
    }
    sqlite3_reset(s);
out:
    release(st, c);
    return rc;
}

int srv_store_placement_queue(struct srv_store *st, struct srv_pool *p,
                              const struct srv_scope *centres, unsigned limit,
                              struct srv_placement **out, size_t *n)
{
    static const char sql[] =
        "SELECT " PLACEMENT_COLS " FROM placement p"
        " JOIN item i ON i.id = p.item_id"
        " WHERE p.state = 'submitted'"
        " AND (?1 OR p.centre_id IN (SELECT value FROM json_each(?2)))"
        " ORDER BY p.submitted_at, p.id LIMIT ?3";
    struct conn *c = acquire(st);
    char *ids = ids_json(centres->ids, centres->n);
    sqlite3_stmt *s =
        query(st, c, sql, "bti", (int)centres->all, ids, (int64_t)limit);
    size_t cap = 0;
    int rc = 0, r;

    *out = NULL;
    *n = 0;
    if (!s) {
        rc = TAULU_EDB;
        goto out;
    }
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        if (*n == cap) {
            *out = srv_pool_grow(p, *out, sizeof(**out), &cap);
        }
        read_placement(p, s, &(*out)[(*n)++]);
    }
    if (r != SQLITE_DONE) {
        rc = db_fail(st, c, "queue");
    }
    sqlite3_reset(s);
out:
    free(ids);
    release(st, c);
    return rc;
}

int srv_store_placement_decide(struct srv_store *st, int64_t actor, int64_t id,
                               enum srv_placement_state to,
                               int64_t item_version, const char *reason,
                               int64_t display_from, int64_t display_until)
{
    static const char sql[] =
        "UPDATE placement SET state = ?1, decided_by = ?2, decided_at = ?3,"
        " reason = ?4,"
        " display_from = CASE WHEN ?1 = 'approved' THEN ?5"
        "  ELSE display_from END,"
        " display_until = CASE WHEN ?1 = 'approved' THEN ?6"
        "  ELSE display_until END,"
        " approved_version = CASE WHEN ?1 = 'approved' THEN ?7"
        "  ELSE approved_version END"
        " WHERE id = ?8 AND state = 'submitted'"
        " AND (SELECT version FROM item WHERE item.id = placement.item_id)"
        "  = ?7";
    static const char sql_exists[] = "SELECT 1 FROM placement WHERE id = ?";
    struct conn *c = acquire(st);
    const char *name = srv_placement_state_name(to);
    char action[48];
    int rc;

    if (to != SRV_PL_APPROVED && to != SRV_PL_REJECTED &&
        to != SRV_PL_CHANGES_REQUESTED) {
        release(st, c);
        return TAULU_EINVAL;
    }
    rc = begin(st, c);
    if (!rc) {
        rc = exec(st, c, sql, "tiitiiii", name, actor, taulu_now(), reason,
                  display_from, display_until, item_version, id);
    }
    if (!rc && sqlite3_changes(c->db) == 0) {
        sqlite3_stmt *s = query(st, c, sql_exists, "i", id);
        if (!s) {
            rc = TAULU_EDB;
        } else {
            int r = sqlite3_step(s);
            rc = r == SQLITE_ROW    ? TAULU_ECONFLICT
                 : r == SQLITE_DONE ? TAULU_ENOTFOUND
                                    : db_fail(st, c, "placement exists");
            sqlite3_reset(s);
        }
    }
    if (!rc) {
        char details[96];
        snprintf(action, sizeof(action), "placement.%s",
                 to == SRV_PL_APPROVED   ? "approve"
                 : to == SRV_PL_REJECTED ? "reject"
                                         : "request_changes");
        snprintf(details, sizeof(details), "{\"item_version\":%lld}",
                 (long long)item_version);
        rc = audit_in(st, c, actor, action, "placement", id, details);
    }
    rc = finish(st, c, rc);
    release(st, c);
    return rc;
}

int srv_store_expire(struct srv_store *st, int64_t now)
{
    static const char sql_audit[] =
        "INSERT INTO audit (at, actor_kind, actor_id, action, object_type,"
        " object_id, refused, details)"
        " SELECT ?1, 3, 0, 'placement.expire', 'placement', id, 0, NULL"
        " FROM placement WHERE state = 'approved' AND display_until <= ?1";
    static const char sql[] =
        "UPDATE placement SET state = 'expired'"
        " WHERE state = 'approved' AND display_until <= ?1";
    struct conn *c = acquire(st);
    int rc = begin(st, c), n = 0;

    if (!rc) {
        rc = exec(st, c, sql_audit, "i", now);
    }
    if (!rc) {
        rc = exec(st, c, sql, "i", now);
        n = sqlite3_changes(c->db);
    }
    rc = finish(st, c, rc);
    release(st, c);
    return rc ? rc : n;
}

int srv_store_centre_current(struct srv_store *st, struct srv_pool *p,
                             int64_t centre_id, int64_t now,
                             struct srv_current **out, size_t *n)
{
    static const char sql[] =
        "SELECT p.id, p.item_id,"
        " CASE WHEN p.state = 'approved' THEN i.version"
        "  ELSE p.approved_version END,"
        " p.display_from, p.display_until"
        " FROM placement p JOIN item i ON i.id = p.item_id"
        " JOIN centre c ON c.id = p.centre_id"
        " WHERE p.centre_id = ?1 AND p.display_from <= ?2"
        " AND p.display_until > ?2"
        " AND (i.kind = 'bulletin' OR i.ends_at > ?2)"
        " AND (p.state = 'approved' OR (p.state = 'submitted'"
        "  AND c.withdraw_on_edit = 0 AND p.approved_version > 0))"
        " ORDER BY p.display_from, p.id";
    struct conn *c = acquire(st);
    sqlite3_stmt *s = query(st, c, sql, "ii", centre_id, now);
    size_t cap = 0;
    int rc = 0, r;

    *out = NULL;
    *n = 0;
    if (!s) {
        rc = TAULU_EDB;
        goto out;
    }
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        struct srv_current *cur;
        if (*n == cap) {
            *out = srv_pool_grow(p, *out, sizeof(**out), &cap);
        }
        cur = &(*out)[(*n)++];
        cur->placement_id = col_i64(s, 0);
        cur->item_id = col_i64(s, 1);
        cur->version = col_i64(s, 2);
        cur->display_from = col_i64(s, 3);
        cur->display_until = col_i64(s, 4);
    }
    if (r != SQLITE_DONE) {
        rc = db_fail(st, c, "centre current");
    }
    sqlite3_reset(s);
out:
    release(st, c);
    return rc;
}

int srv_store_screens_of_item(struct srv_store *st, struct srv_pool *p,
                              int64_t item_id, struct srv_ids *out)
{
    static const char sql[] = "SELECT DISTINCT s.id FROM screen s"
                              " JOIN placement p ON p.centre_id = s.centre_id"
                              " WHERE p.item_id = ? ORDER BY s.id";
    struct conn *c = acquire(st);
    sqlite3_stmt *s = query(st, c, sql, "i", item_id);
    int rc;

    rc = s ? collect_ids(st, c, s, p, out) : TAULU_EDB;
    if (s) {
        sqlite3_reset(s);
    }
    release(st, c);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Alerts */

int srv_store_alert_create(struct srv_store *st, int64_t actor,
                           const struct srv_alert *a, int64_t *id)
{
    static const char sql[] =
        "INSERT INTO alert (centre_id, starts_at, ends_at, created_by,"
        " created_at) VALUES (?, ?, ?, ?, ?)";
    static const char sql_t[] =
        "INSERT INTO alert_text (alert_id, pos, lang, title, body)"
        " VALUES (?, ?, ?, ?, ?)";
    struct conn *c = acquire(st);
    size_t i;
    int rc = begin(st, c);

    if (!rc) {
        rc = exec(st, c, sql, "ziiii", a->centre_id, a->starts_at, a->ends_at,
                  actor, taulu_now());
    }
    if (!rc) {
        *id = sqlite3_last_insert_rowid(c->db);
    }
    for (i = 0; !rc && i < a->n_texts; i++) {
        rc = exec(st, c, sql_t, "iittt", *id, (int64_t)i, a->texts[i].lang,
                  a->texts[i].title, a->texts[i].body);
    }
    if (!rc) {
        rc = audit_in(st, c, actor, "alert.create", "alert", *id, NULL);
    }
    rc = finish(st, c, rc);
    release(st, c);
    return rc;
}

#define ALERT_COLS                                                             \
    "id, COALESCE(centre_id, 0), starts_at, ends_at, ended_at, created_by,"    \
    " created_at"

static int read_alert(struct srv_store *st, struct conn *c, struct srv_pool *p,
                      sqlite3_stmt *s, struct srv_alert *a)
{
    static const char sql_t[] = "SELECT lang, title, body FROM alert_text"
                                " WHERE alert_id = ? ORDER BY pos";
    sqlite3_stmt *t;
    size_t cap = 0;
    int r, rc = 0;

    memset(a, 0, sizeof(*a));
    a->id = col_i64(s, 0);
    a->centre_id = col_i64(s, 1);
    a->starts_at = col_i64(s, 2);
    a->ends_at = col_i64(s, 3);
    a->ended_at = col_i64(s, 4);
    a->created_by = col_i64(s, 5);
    a->created_at = col_i64(s, 6);
    t = query(st, c, sql_t, "i", a->id);
    if (!t) {
        return TAULU_EDB;
    }
    while ((r = sqlite3_step(t)) == SQLITE_ROW) {
        if (a->n_texts == cap) {
            a->texts = srv_pool_grow(p, a->texts, sizeof(*a->texts), &cap);
        }
        a->texts[a->n_texts].lang = col_text(p, t, 0);
        a->texts[a->n_texts].title = col_text(p, t, 1);
        a->texts[a->n_texts].body = col_text(p, t, 2);
        a->n_texts++;
    }
    if (r != SQLITE_DONE) {
        rc = db_fail(st, c, "alert texts");
    }
    sqlite3_reset(t);
    return rc;
}

int srv_store_alert_get(struct srv_store *st, struct srv_pool *p, int64_t id,
                        struct srv_alert *out)
{
    static const char sql[] = "SELECT " ALERT_COLS " FROM alert WHERE id = ?";
    struct conn *c = acquire(st);
    sqlite3_stmt *s = query(st, c, sql, "i", id);
    int rc = 0, r;

    if (!s) {
        rc = TAULU_EDB;
        goto out;
    }
    r = sqlite3_step(s);
    if (r == SQLITE_ROW) {
        /* The texts query uses another statement, so copy the row first. */
        rc = read_alert(st, c, p, s, out);
    } else if (r == SQLITE_DONE) {
        rc = TAULU_ENOTFOUND;
    } else {
        rc = db_fail(st, c, "alert get");
    }
    sqlite3_reset(s);
out:
    release(st, c);
    return rc;
}

int srv_store_alert_list(struct srv_store *st, struct srv_pool *p,
                         const struct srv_scope *centres, int64_t now,
                         struct srv_alert **out, size_t *n)
{
    static const char sql[] =
        "SELECT " ALERT_COLS " FROM alert"
        " WHERE ended_at = 0 AND ends_at > ?1"
        " AND (?2 OR centre_id IS NULL"
        "  OR centre_id IN (SELECT value FROM json_each(?3)))"
        " ORDER BY starts_at, id";
    struct conn *c = acquire(st);
    char *ids = ids_json(centres->ids, centres->n);
    sqlite3_stmt *s = query(st, c, sql, "ibt", now, (int)centres->all, ids);
    size_t cap = 0;
    int rc = 0, r;

    *out = NULL;
    *n = 0;
    if (!s) {
        rc = TAULU_EDB;
        goto out;
    }
    while (!rc && (r = sqlite3_step(s)) == SQLITE_ROW) {
        if (*n == cap) {
            *out = srv_pool_grow(p, *out, sizeof(**out), &cap);
        }
        rc = read_alert(st, c, p, s, &(*out)[(*n)++]);
    }
    if (!rc && r != SQLITE_DONE) {
        rc = db_fail(st, c, "alert list");
    }
    sqlite3_reset(s);
out:
    free(ids);
    release(st, c);
    return rc;
}

int srv_store_alert_end(struct srv_store *st, int64_t actor, int64_t id,
                        int64_t now)
{
    static const char sql[] =
        "UPDATE alert SET ended_at = ? WHERE id = ? AND ended_at = 0";
    static const char sql_exists[] = "SELECT 1 FROM alert WHERE id = ?";
    struct conn *c = acquire(st);
    int rc = begin(st, c);

    if (!rc) {
        rc = exec(st, c, sql, "ii", now, id);
    }
    if (!rc && sqlite3_changes(c->db) == 0) {
        sqlite3_stmt *s = query(st, c, sql_exists, "i", id);
        if (!s) {
            rc = TAULU_EDB;
        } else {
            int r = sqlite3_step(s);
            rc = r == SQLITE_ROW    ? TAULU_ECONFLICT
                 : r == SQLITE_DONE ? TAULU_ENOTFOUND
                                    : db_fail(st, c, "alert exists");
            sqlite3_reset(s);
        }
    }
    if (!rc) {
        rc = audit_in(st, c, actor, "alert.end", "alert", id, NULL);
    }
    rc = finish(st, c, rc);
    release(st, c);
    return rc;
}

/* ------------------------------------------------------------------ */
/* The play log */

int srv_store_play_add(struct srv_store *st, const struct srv_play_row *rows,
                       size_t n)
{
    /* Plays of ids that are no item (a screen's junk) are skipped; a day
     * never holds more than 25 hours of one screen. */
    static const char sql[] =
        "INSERT INTO play (item_id, centre_id, day, screen_id, seconds)"
        " SELECT ?1, ?2, ?3, ?4, ?5"
        " WHERE EXISTS (SELECT 1 FROM item WHERE id = ?1)"
        " ON CONFLICT (item_id, centre_id, day, screen_id) DO UPDATE"
        " SET seconds = MIN(seconds + excluded.seconds, 90000)";
    struct conn *c;
    size_t i;
    int rc;

    if (n == 0) {
        return 0;
    }
    for (i = 0; i < n; i++) {
        if (!rows[i].day || strlen(rows[i].day) != 10 || rows[i].seconds < 0 ||
            rows[i].seconds > 90000) {
            return TAULU_EINVAL;
        }
    }
    c = acquire(st);
    rc = begin(st, c);
    for (i = 0; !rc && i < n; i++) {
        rc = exec(st, c, sql, "iitii", rows[i].item_id, rows[i].centre_id,
                  rows[i].day, rows[i].screen_id, rows[i].seconds);
    }
    rc = finish(st, c, rc);
    release(st, c);
    return rc;
}

int srv_store_play_report(struct srv_store *st, struct srv_pool *p,
                          const struct srv_play_filter *f, unsigned limit,
                          struct srv_play_report **out, size_t *n)
{
    static const char sql[] =
        "SELECT pl.item_id,"
        " COALESCE((SELECT t.title FROM item_text t WHERE t.item_id ="
        "  pl.item_id ORDER BY t.pos LIMIT 1), ''),"
        " i.org_id, o.name, pl.centre_id, COALESCE(c.name, ''),"
        " SUM(pl.seconds), COUNT(DISTINCT pl.screen_id), MIN(pl.day),"
        " MAX(pl.day)"
        " FROM play pl JOIN item i ON i.id = pl.item_id"
        " JOIN org o ON o.id = i.org_id"
        " LEFT JOIN centre c ON c.id = pl.centre_id"
        " WHERE (?1 = 0 OR i.org_id = ?1)"
        " AND (?2 OR pl.centre_id IN (SELECT value FROM json_each(?3)))"
        " AND (?4 IS NULL OR pl.day >= ?4)"
        " AND (?5 IS NULL OR pl.day <= ?5)"
        " GROUP BY pl.item_id, pl.centre_id"
        " ORDER BY o.name, 2, 6, pl.item_id, pl.centre_id LIMIT ?6";
    struct conn *c = acquire(st);
    char *cj = ids_json(f->centres.ids, f->centres.n);
    sqlite3_stmt *s =
        query(st, c, sql, "ibttti", f->org_id, (int)f->centres.all, cj,
              f->from_day, f->to_day, (int64_t)limit);
    size_t cap = 0;
    int rc = 0, r;

    *out = NULL;
    *n = 0;
    if (!s) {
        rc = TAULU_EDB;
        goto out;
    }
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        struct srv_play_report *e;
        if (*n == cap) {
            *out = srv_pool_grow(p, *out, sizeof(**out), &cap);
        }
        e = &(*out)[(*n)++];
        e->item_id = col_i64(s, 0);
        e->item_title = col_text(p, s, 1);
        e->org_id = col_i64(s, 2);
        e->org_name = col_text(p, s, 3);
        e->centre_id = col_i64(s, 4);
        e->centre_name = col_text(p, s, 5);
        e->seconds = col_i64(s, 6);
        e->screens = col_i64(s, 7);
        e->first_day = col_text(p, s, 8);
        e->last_day = col_text(p, s, 9);
    }
    if (r != SQLITE_DONE) {
        rc = db_fail(st, c, "play report");
    }
    sqlite3_reset(s);
out:
    free(cj);
    release(st, c);
    return rc;
}
