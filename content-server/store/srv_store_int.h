/*
 * srv_store_int.h: what the files of the store behind srv_store.h share;
 * nothing outside content-server/store/ includes it.
 *
 * The store is one set of queries on one of two databases:
 *   srv_store_db.c        the core: the connection pool, the row loops,
 *                         transactions, errors; open and close
 *   srv_db_sqlite.c       the SQLite driver (a file; one server)
 *   srv_db_pg.c           the PostgreSQL driver (several servers on one
 *                         database)
 * and one file per part of the data model, whose SQL runs on both:
 *   srv_store_schema.c    the versioned migrations (SQLite), and
 *   srv_store_schema_pg.c the same schema in PostgreSQL's words
 *   srv_store_audit.c     the audit log, and the entry every change writes
 *   srv_store_centre.c    areas and centres
 *   srv_store_screen.c    screens and their status
 *   srv_store_org.c       organisations and members
 *   srv_store_user.c      users, sessions, API tokens
 *   srv_store_item.c      items, their texts and version snapshots
 *   srv_store_placement.c placements, the queue, decisions, expiry, what a
 *                         centre shows now
 *   srv_store_alert.c     alerts
 *   srv_store_play.c      the play log
 *   srv_store_pub.c       the publisher's rows per screen
 *   srv_store_account.c   invitations, resets, set-password links, the
 *                         account's own settings and password
 *   srv_store_mail.c      the mail queue and the "waiting" digests
 *   srv_store_names.c     the names audit entries refer to
 *   srv_store_form.c      drafts, organisations' defaults, duplicates
 *   srv_store_import.c    import sources, their items, centres' hours
 *
 * A call takes a connection with srv_db_acquire(), runs its statements
 * through srv_db_query() / srv_db_exec() (constant SQL, values bound by a
 * format string, never pasted in), reads rows with srv_db_rows() (a list)
 * or srv_db_one() (one record), and gives the connection back with
 * srv_db_release(). Writes run between srv_db_begin() and srv_db_finish()
 * together with their audit entry (srv_db_audit()).
 *
 * The SQL is written once for both databases: parameters as ?N, values as
 * integers (booleans 0/1, times in seconds), "?N <> 0" where a bound flag
 * is a condition, ON CONFLICT for upserts, LEAST/GREATEST spelt as CASE.
 * Lists of ids are "IN (SELECT value FROM json_each(?N))" with a `j`
 * value; the PostgreSQL driver reads that as an array. Where the two
 * really differ (JSON functions, random tokens) a file picks its text by
 * srv_db_is_pg().
 */
#ifndef SRV_STORE_INT_H
#define SRV_STORE_INT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "srv_pool.h"
#include "srv_store.h"
#include "taulu_err.h"

#define SRV_DB_TAG "store"

struct srv_db;

/* A statement of either driver: each driver's own statement begins with
 * this. */
struct srv_stmt {
    const struct srv_db_driver *drv;
};

/*
 * A database driver: the only code that calls SQLite or libpq. Errors are
 * logged through srv_db_fail() and returned as taulu_err codes.
 */
struct srv_db_driver {
    const char *name; /* "sqlite", "postgresql" */
    /* The schema versions it can be at: a new database starts at `first`
     * (PostgreSQL has no installations older than its first schema). The
     * statements of migration `version`, NULL-terminated; NULL if none. */
    int first_version;
    const char *const *(*migration)(int version);
    /* Opens db->conn for `target` (a file path, or a libpq conninfo). */
    int (*open)(struct srv_db *db, const char *target);
    void (*close)(struct srv_db *db);
    /* The statement of constant `sql` (its address is the cache key),
     * reset, bound by the letters of srv_db_query(). NULL: logged. */
    struct srv_stmt *(*query)(struct srv_db *db, const char *sql,
                              const char *fmt, va_list ap);
    /* The next row: 1 a row, 0 the end, or TAULU_ECONFLICT (a unique or
     * primary key taken), TAULU_EREFERENCED (a foreign key), TAULU_EDB
     * (logged). */
    int (*step)(struct srv_db *db, struct srv_stmt *s);
    /* Done with `s` (results freed; ready for the next query). */
    void (*reset)(struct srv_db *db, struct srv_stmt *s);
    int (*exec_raw)(struct srv_db *db, const char *sql);
    /* A write transaction that excludes every other writer (SQLite's BEGIN
     * IMMEDIATE; one advisory lock on PostgreSQL), so both databases run
     * the same check-then-write logic the same way. */
    int (*begin)(struct srv_db *db);
    int (*commit)(struct srv_db *db);
    void (*rollback)(struct srv_db *db);
    int (*changes)(struct srv_db *db);
    int64_t (*last_id)(struct srv_db *db);
    const char *(*errmsg)(struct srv_db *db);
    const char *(*sql_of)(struct srv_stmt *s);
    /* Columns of the current row. Text and blobs stay valid until the
     * next step or reset; NULL for SQL NULL. */
    int (*col_count)(struct srv_stmt *s);
    bool (*col_null)(struct srv_stmt *s, int i);
    const char *(*col_text)(struct srv_stmt *s, int i, size_t *len);
    int64_t (*col_int)(struct srv_stmt *s, int i);
    double (*col_double)(struct srv_stmt *s, int i);
    const void *(*col_blob)(struct srv_stmt *s, int i, size_t *len);
    /* Integrity of the whole database: 0, or TAULU_EDB with each problem
     * logged. */
    int (*check)(struct srv_db *db);
    /* Whether the database orders text by code point, as SQLite's BINARY
     * does (PostgreSQL: a C / POSIX / C.UTF-8 collation); when not, one
     * warning saying what it is and how to make one that does. NULL: it
     * always does (SQLite). 1 yes, 0 no, TAULU_EDB if it cannot say. */
    int (*collation_ok)(struct srv_db *db);
    /* Several instances on one database (NULL on SQLite, whose file one
     * process owns). The publishers' lock on a connection of its own,
     * opened for `target` into *conn when NULL: *leading whether it is
     * held (taken now or still held), *pid the lock connection's server
     * process (for srv_db_lead_held()). A connection found lost is closed
     * and *conn set NULL (not leading). lead_close() accepts NULL. */
    int (*lead)(void **conn, const char *target, bool *leading, int64_t *pid);
    void (*lead_close)(void *conn);
    /* LISTEN on `channel` on a connection of its own, a thread calling
     * fn(arg, payload) per notification and fn(arg, NULL) after the
     * connection was lost and made again (notifications may have been
     * missed). */
    int (*listen)(const char *target, const char *channel,
                  void (*fn)(void *arg, const char *payload), void *arg,
                  void **out);
    void (*listen_stop)(void *l);
};

/* The key of the publishers' session-level advisory lock (two int4
 * halves in pg_locks: classid 0, objid this, objsubid 1). */
#define SRV_DB_LEAD_KEY 0x54415550LL /* "TAUP" */

/* Inside a write transaction on `db`: 0 if this store's instance holds
 * the publishers' lock now (always on SQLite), else TAULU_ECONFLICT: a
 * deposed leader's write is refused (fencing). */
int srv_db_lead_held(struct srv_db *db);

extern const struct srv_db_driver srv_db_sqlite;
extern const struct srv_db_driver srv_db_pg;

/* One pooled connection, held by one call at a time. */
struct srv_db {
    struct srv_store *store;
    const struct srv_db_driver *drv;
    void *conn; /* the driver's connection */
    bool busy;
    bool mail_queued; /* this transaction queued a message */
};

struct srv_db *srv_db_acquire(struct srv_store *st);
void srv_db_release(struct srv_db *db);

/* Whether the connection is PostgreSQL's (for the few texts that differ). */
static inline bool srv_db_is_pg(const struct srv_db *db)
{
    return db->drv == &srv_db_pg;
}

/* Logs the connection's last error, counts it for /metrics and returns
 * TAULU_EDB. */
int srv_db_fail(struct srv_db *db, const char *what);

/*
 * The cached statement for `sql` (a constant: its address is the key),
 * reset, with values bound by `fmt`, one letter a parameter, numbered from
 * 1 in order:
 *   i  int64_t
 *   z  int64_t, 0 bound as NULL
 *   b  bool (passed as int)
 *   d  double
 *   t  const char * (NULL binds NULL)
 *   h  const uint8_t * to 32 bytes (a hash)
 *   j  const int64_t *, size_t: a list of ids as one JSON array text, for
 *      "IN (SELECT value FROM json_each(?))"
 * NULL if it cannot be prepared or bound (logged). A format that does not
 * match the statement's parameters is refused.
 */
struct srv_stmt *srv_db_query(struct srv_db *db, const char *sql,
                              const char *fmt, ...);
/* Runs a write to completion: 0, TAULU_ECONFLICT (a unique or primary
 * key taken), TAULU_EREFERENCED (a foreign key), TAULU_EDB. */
int srv_db_exec(struct srv_db *db, const char *sql, const char *fmt, ...);
/* Runs SQL text as it is (schema statements). */
int srv_db_exec_raw(struct srv_db *db, const char *sql);

/* Rows changed by the last write, and the rowid of the last insert. */
int srv_db_changes(struct srv_db *db);
int64_t srv_db_last_id(struct srv_db *db);

/* A write transaction (see begin above); then srv_db_finish() commits if rc is
 * 0, else rolls back, and returns rc or the commit's error. */
int srv_db_begin(struct srv_db *db);
int srv_db_finish(struct srv_db *db, int rc);

/*
 * Reading rows. A row function fills the record `out` from the current row
 * of `s` (strings copied into `p`) and returns 0 or a code; it may run
 * other statements on `db` (a record's children). `arg` is passed through.
 */
typedef int (*srv_db_row_fn)(struct srv_db *db, struct srv_pool *p,
                             struct srv_stmt *s, void *out, void *arg);

/* A list read into the pool. */
struct srv_db_list {
    void *v; /* n records of the size given to srv_db_rows() */
    size_t n;
};

/* Steps `s` to its end, one record of `size` bytes (zeroed) per row in an
 * array grown in `p`, each filled by `row`. `s` NULL (the query failed)
 * gives TAULU_EDB. Stops at the first error; resets `s`. */
int srv_db_rows(struct srv_db *db, struct srv_pool *p, struct srv_stmt *s,
                size_t size, srv_db_row_fn row, void *arg,
                struct srv_db_list *out);
/* The first row of `s` into `out` (`row` NULL: only whether there is
 * one): 0, TAULU_ENOTFOUND (no row), TAULU_EDB. Resets `s`. */
int srv_db_one(struct srv_db *db, struct srv_pool *p, struct srv_stmt *s,
               srv_db_row_fn row, void *arg, void *out);
/* Every row of `s` handed to `fn` (no records kept): integrity reports.
 * Stops at the first non-zero result; resets `s`. */
int srv_db_each(struct srv_db *db, struct srv_stmt *s,
                int (*fn)(struct srv_stmt *s, void *arg), void *arg);
/* The first column of every row of `s` as ids. */
int srv_db_ids(struct srv_db *db, struct srv_pool *p, struct srv_stmt *s,
               struct srv_ids *out);

/* Why an UPDATE guarded by a state or version changed nothing:
 * `sql_exists` ("SELECT 1 FROM t WHERE id = ?") finds the row:
 * TAULU_ECONFLICT (it is there, in another state), TAULU_ENOTFOUND, or
 * TAULU_EDB. */
int srv_db_why_unchanged(struct srv_db *db, const char *sql_exists, int64_t id);

/* Columns of the current row; text copied into the pool (NULL stays
 * NULL). */
static inline const char *srv_db_text(struct srv_pool *p, struct srv_stmt *s,
                                      int i)
{
    size_t n = 0;
    const char *t = s->drv->col_text(s, i, &n);

    return t ? srv_pool_strndup(p, t, n) : NULL;
}

/* Text of column i as it is, valid until the next step (NULL: NULL). */
static inline const char *srv_db_text_ref(struct srv_stmt *s, int i)
{
    size_t n;

    return s->drv->col_text(s, i, &n);
}

static inline int64_t srv_db_int(struct srv_stmt *s, int i)
{
    return s->drv->col_int(s, i);
}

static inline bool srv_db_bool(struct srv_stmt *s, int i)
{
    return s->drv->col_int(s, i) != 0;
}

static inline double srv_db_double(struct srv_stmt *s, int i)
{
    return s->drv->col_double(s, i);
}

static inline int srv_db_columns(struct srv_stmt *s)
{
    return s->drv->col_count(s);
}

/* Whether column i is the 32-byte `hash`, compared in constant time (a
 * secret's look-up already matched it by index; this keeps the final
 * comparison free of timing). */
bool srv_db_hash_equal(struct srv_stmt *s, int i, const uint8_t hash[32]);

/* Migrations (srv_store_schema.c): brings the database on `db` to
 * `version` (its driver's steps), each step in its own transaction. */
int srv_db_migrate_to(struct srv_db *db, int version);
/* SQLite's migration `version` (srv_db_sqlite.migration). */
const char *const *srv_db_sqlite_migration(int version);
/* PostgreSQL's (srv_store_schema_pg.c): a new database is made at
 * SRV_PG_FIRST_VERSION in one step, the schema SQLite reaches by then;
 * later versions are a migration in each file. */
#define SRV_PG_FIRST_VERSION 11
const char *const *srv_db_pg_migration(int version);

/*
 * The audit entry of a change (srv_store_audit.c), written on `db` inside
 * the change's transaction. `actor` 0 is the system.
 */
int srv_db_audit(struct srv_db *db, int64_t actor, const char *action,
                 const char *otype, int64_t oid, const char *details);
/* After the INSERT whose result is rc: the new id into *id, its audit
 * entry, and the end of the transaction (srv_db_finish()). */
int srv_db_insert_audited(struct srv_db *db, int rc, int64_t actor,
                          const char *action, const char *otype, int64_t *id);
/* After an UPDATE or DELETE by id whose result is rc: TAULU_ENOTFOUND if
 * it matched nothing, else the audit entry; then srv_db_finish(). */
int srv_db_changed_audited(struct srv_db *db, int rc, int64_t actor,
                           const char *action, const char *otype, int64_t id);

/* Replaces account id's contact centres and memberships by u's
 * (srv_store_user.c). */
int srv_db_user_roles(struct srv_db *db, const struct srv_user *u, int64_t id);

/* The mail queue (srv_store_mail.c). srv_db_mail_queued() marks the
 * running transaction as having queued a message, so that its commit
 * wakes the mailer; srv_db_mail_max() is the queue's bound. */
void srv_db_mail_queued(struct srv_db *db);
int64_t srv_db_mail_max(struct srv_db *db);
/* Queues one message inside the caller's transaction: kind, the
 * recipient (user_id, or 0 with to_addr), and `by`, the account whose
 * name the message gives as its cause (0 = none). TAULU_ELIMIT when the
 * queue is full (logged). */
int srv_db_mail_add(struct srv_db *db, const char *kind, int64_t user_id,
                    const char *to_addr, int64_t by);
/* The decision message of placement `id` just decided (inside the
 * decision's transaction): to the item's maker if they want
 * notifications and did not decide it themselves. A full queue only
 * skips it (logged). */
int srv_db_mail_decision(struct srv_db *db, int64_t placement_id);

/* Placements as items and the queue read them (srv_store_placement.c):
 * the columns of "placement p JOIN item i" and their row function. */
#define SRV_DB_PLACEMENT_COLS                                                  \
    "p.id, p.item_id, p.centre_id, i.org_id, p.state, p.submitted_at,"         \
    " COALESCE(p.decided_by, 0), p.decided_at, p.reason, p.display_from,"      \
    " p.display_until, p.approved_version, i.version,"                         \
    " (SELECT title FROM item_text t WHERE t.item_id = i.id"                   \
    "  ORDER BY pos LIMIT 1),"                                                 \
    " (SELECT v.findings FROM item_version v WHERE v.item_id = i.id"           \
    "  AND v.version = i.version)"
int srv_db_read_placement(struct srv_db *db, struct srv_pool *p,
                          struct srv_stmt *s, void *out, void *arg);

/* An organisation's defaults for new items (srv_store_form.c): the JSON
 * text into *out, NULL when it has none. */
int srv_db_org_defaults(struct srv_db *db, struct srv_pool *p, int64_t org_id,
                        const char **out);

#endif
