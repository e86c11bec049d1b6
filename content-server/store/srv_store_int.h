/*
 * srv_store_int.h: what the files of the SQLite backend of srv_store.h
 * share; nothing outside content-server/store/ includes it.
 *
 * The backend is a small core and one file per part of the data model:
 *   srv_store_db.c        connections, cached statements, binding, the
 *                         row loops, transactions, errors; open and close
 *   srv_store_schema.c    the versioned migrations
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
 *
 * A call takes a connection with srv_db_acquire(), runs its statements
 * through srv_db_query() / srv_db_exec() (constant SQL, values bound by a
 * format string, never pasted in), reads rows with srv_db_rows() (a list)
 * or srv_db_one() (one record), and gives the connection back with
 * srv_db_release(). Writes run between srv_db_begin() and srv_db_finish()
 * together with their audit entry (srv_db_audit()).
 */
#ifndef SRV_STORE_INT_H
#define SRV_STORE_INT_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "srv_pool.h"
#include "srv_store.h"
#include "taulu_err.h"

#define SRV_DB_TAG "store"

/* One pooled connection, held by one call at a time. */
struct srv_db;

struct srv_db *srv_db_acquire(struct srv_store *st);
void srv_db_release(struct srv_db *db);

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
sqlite3_stmt *srv_db_query(struct srv_db *db, const char *sql, const char *fmt,
                           ...);
/* Runs a write to completion: 0, TAULU_ECONFLICT (a unique or primary
 * key taken), TAULU_EREFERENCED (a foreign key), TAULU_EDB. */
int srv_db_exec(struct srv_db *db, const char *sql, const char *fmt, ...);
/* Runs SQL text as it is (schema statements, pragmas). */
int srv_db_exec_raw(struct srv_db *db, const char *sql);

/* Rows changed by the last write, and the rowid of the last insert. */
int srv_db_changes(struct srv_db *db);
int64_t srv_db_last_id(struct srv_db *db);

/* BEGIN IMMEDIATE; then srv_db_finish() commits if rc is 0, else rolls
 * back, and returns rc or the commit's error. */
int srv_db_begin(struct srv_db *db);
int srv_db_finish(struct srv_db *db, int rc);

/*
 * Reading rows. A row function fills the record `out` from the current row
 * of `s` (strings copied into `p`) and returns 0 or a code; it may run
 * other statements on `db` (a record's children). `arg` is passed through.
 */
typedef int (*srv_db_row_fn)(struct srv_db *db, struct srv_pool *p,
                             sqlite3_stmt *s, void *out, void *arg);

/* A list read into the pool. */
struct srv_db_list {
    void *v; /* n records of the size given to srv_db_rows() */
    size_t n;
};

/* Steps `s` to its end, one record of `size` bytes (zeroed) per row in an
 * array grown in `p`, each filled by `row`. `s` NULL (the query failed)
 * gives TAULU_EDB. Stops at the first error; resets `s`. */
int srv_db_rows(struct srv_db *db, struct srv_pool *p, sqlite3_stmt *s,
                size_t size, srv_db_row_fn row, void *arg,
                struct srv_db_list *out);
/* The first row of `s` into `out` (`row` NULL: only whether there is
 * one): 0, TAULU_ENOTFOUND (no row), TAULU_EDB. Resets `s`. */
int srv_db_one(struct srv_db *db, struct srv_pool *p, sqlite3_stmt *s,
               srv_db_row_fn row, void *arg, void *out);
/* Every row of `s` handed to `fn` (no records kept): integrity reports.
 * Stops at the first non-zero result; resets `s`. */
int srv_db_each(struct srv_db *db, sqlite3_stmt *s,
                int (*fn)(sqlite3_stmt *s, void *arg), void *arg);
/* The first column of every row of `s` as ids. */
int srv_db_ids(struct srv_db *db, struct srv_pool *p, sqlite3_stmt *s,
               struct srv_ids *out);

/* Why an UPDATE guarded by a state or version changed nothing:
 * `sql_exists` ("SELECT 1 FROM t WHERE id = ?") finds the row:
 * TAULU_ECONFLICT (it is there, in another state), TAULU_ENOTFOUND, or
 * TAULU_EDB. */
int srv_db_why_unchanged(struct srv_db *db, const char *sql_exists, int64_t id);

/* Columns of the current row; text copied into the pool (NULL stays
 * NULL). */
static inline const char *srv_db_text(struct srv_pool *p, sqlite3_stmt *s,
                                      int i)
{
    const unsigned char *t = sqlite3_column_text(s, i);

    return t ? srv_pool_strndup(p, (const char *)t,
                                (size_t)sqlite3_column_bytes(s, i))
             : NULL;
}

static inline int64_t srv_db_int(sqlite3_stmt *s, int i)
{
    return sqlite3_column_int64(s, i);
}

static inline bool srv_db_bool(sqlite3_stmt *s, int i)
{
    return sqlite3_column_int64(s, i) != 0;
}

/* Whether column i is the 32-byte `hash`, compared in constant time (a
 * secret's look-up already matched it by index; this keeps the final
 * comparison free of timing). */
bool srv_db_hash_equal(sqlite3_stmt *s, int i, const uint8_t hash[32]);

/* Migrations (srv_store_schema.c): brings the database on `db` to the
 * current schema, each step in its own transaction. */
int srv_db_migrate(struct srv_db *db);
/* Migrates up to `version` only (srv_store_migrate_to()). */
int srv_db_migrate_to(struct srv_db *db, int version);

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
                          sqlite3_stmt *s, void *out, void *arg);

/* An organisation's defaults for new items (srv_store_form.c): the JSON
 * text into *out, NULL when it has none. */
int srv_db_org_defaults(struct srv_db *db, struct srv_pool *p, int64_t org_id,
                        const char **out);

#endif
