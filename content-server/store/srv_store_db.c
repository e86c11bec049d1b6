/*
 * srv_store_db.c: the core of the store behind srv_store.h (see
 * srv_store_int.h for how the other files use it): the connection pool,
 * binding through the driver, the row loops, transactions and errors; open
 * and close. The database itself is the driver's (srv_db_sqlite.c,
 * srv_db_pg.c), chosen by the target: "postgresql:<conninfo>" or a path.
 *
 * - Connections: a fixed pool, one per HTTP worker, handed out under a
 *   mutex. A call holds one connection for its duration.
 * - Rows are read by one loop (srv_db_each()) for the whole store; lists
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

#define TAG SRV_DB_TAG

struct srv_store {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    unsigned nconn;
    struct srv_db *conns;
    atomic_uint_fast64_t db_errors;
    /* text ordered by code point, as on SQLite (driver's collation_ok);
     * set at open, read only after */
    bool collation_ok;
    /* the mail queue's bound and the mailer's wake-up (srv_store.h) */
    atomic_int_fast64_t mail_max;
    void (*mail_fn)(void *);
    void *mail_arg;
    /* several instances (PostgreSQL): the target, and the publishers'
     * lock connection with its server process while it is held (0: not
     * leading), guarded by lead_mu */
    char *target;
    pthread_mutex_t lead_mu;
    void *lead_conn;
    _Atomic int64_t lead_pid;
};

/* ------------------------------------------------------------------ */
/* Connections and errors */

int srv_db_fail(struct srv_db *db, const char *what)
{
    atomic_fetch_add(&db->store->db_errors, 1);
    taulu_err(TAG, "%s: %s", what, db->conn ? db->drv->errmsg(db) : "?");
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
    return db->drv->changes(db);
}

int64_t srv_db_last_id(struct srv_db *db)
{
    return db->drv->last_id(db);
}

/* ------------------------------------------------------------------ */
/* Statements */

struct srv_stmt *srv_db_query(struct srv_db *db, const char *sql,
                              const char *fmt, ...)
{
    struct srv_stmt *s;
    va_list ap;

    va_start(ap, fmt);
    s = db->drv->query(db, sql, fmt, ap);
    va_end(ap);
    return s;
}

int srv_db_exec(struct srv_db *db, const char *sql, const char *fmt, ...)
{
    struct srv_stmt *s;
    va_list ap;
    int rc;

    va_start(ap, fmt);
    s = db->drv->query(db, sql, fmt, ap);
    va_end(ap);
    if (!s) {
        return TAULU_EDB;
    }
    while ((rc = db->drv->step(db, s)) == 1) {
        /* a write's RETURNING rows, if any, are not wanted here */
    }
    db->drv->reset(db, s);
    return rc;
}

int srv_db_exec_raw(struct srv_db *db, const char *sql)
{
    return db->drv->exec_raw(db, sql);
}

int srv_db_begin(struct srv_db *db)
{
    return db->drv->begin(db);
}

int srv_db_finish(struct srv_db *db, int rc)
{
    bool queued = db->mail_queued;

    db->mail_queued = false;
    if (rc == 0) {
        rc = db->drv->commit(db);
        if (rc == 0) {
            if (queued && db->store->mail_fn) {
                db->store->mail_fn(db->store->mail_arg);
            }
            return 0;
        }
    }
    db->drv->rollback(db);
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

int srv_db_each(struct srv_db *db, struct srv_stmt *s,
                int (*fn)(struct srv_stmt *s, void *arg), void *arg)
{
    int r, rc = 0;

    if (!s) {
        return TAULU_EDB;
    }
    while ((r = db->drv->step(db, s)) == 1) {
        rc = fn(s, arg);
        if (rc) {
            break;
        }
    }
    if (!rc && r < 0) {
        rc = r;
    }
    db->drv->reset(db, s);
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

static int add_row(struct srv_stmt *s, void *arg)
{
    struct rows_ctx *x = arg;
    struct srv_db_list *l = x->out;

    if (l->n == x->cap) {
        l->v = srv_pool_grow(x->p, l->v, x->size, &x->cap);
    }
    /* The grown part of the array is zeroed by the pool. */
    return x->row(x->db, x->p, s, (char *)l->v + l->n++ * x->size, x->arg);
}

int srv_db_rows(struct srv_db *db, struct srv_pool *p, struct srv_stmt *s,
                size_t size, srv_db_row_fn row, void *arg,
                struct srv_db_list *out)
{
    struct rows_ctx x = {db, p, size, 0, row, arg, out};

    out->v = NULL;
    out->n = 0;
    return srv_db_each(db, s, add_row, &x);
}

int srv_db_one(struct srv_db *db, struct srv_pool *p, struct srv_stmt *s,
               srv_db_row_fn row, void *arg, void *out)
{
    int r, rc;

    if (!s) {
        return TAULU_EDB;
    }
    r = db->drv->step(db, s);
    if (r == 1) {
        rc = row ? row(db, p, s, out, arg) : 0;
    } else if (r == 0) {
        rc = TAULU_ENOTFOUND;
    } else {
        rc = r;
    }
    db->drv->reset(db, s);
    return rc;
}

static int read_id(struct srv_db *db, struct srv_pool *p, struct srv_stmt *s,
                   void *out, void *arg)
{
    (void)db;
    (void)p;
    (void)arg;
    *(int64_t *)out = srv_db_int(s, 0);
    return 0;
}

int srv_db_ids(struct srv_db *db, struct srv_pool *p, struct srv_stmt *s,
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

bool srv_db_hash_equal(struct srv_stmt *s, int i, const uint8_t hash[32])
{
    size_t n = 0;
    const void *h = s->drv->col_blob(s, i, &n);

    return n == 32 && h && taulu_secret_equal(h, hash, 32);
}

/* ------------------------------------------------------------------ */
/* Open, close, check */

/* "postgresql:<conninfo>" (or "postgres:") is PostgreSQL's; anything
 * else is a SQLite file. The conninfo is libpq's: "host=... dbname=..." or
 * a "postgresql://" URI. */
static const struct srv_db_driver *driver_of(const char *target,
                                             const char **rest)
{
    if (strncmp(target, "postgresql:", 11) == 0) {
        *rest =
            strncmp(target, "postgresql://", 13) == 0 ? target : target + 11;
        return &srv_db_pg;
    }
    if (strncmp(target, "postgres:", 9) == 0) {
        *rest = strncmp(target, "postgres://", 11) == 0 ? target : target + 9;
        return &srv_db_pg;
    }
    *rest = target;
    return &srv_db_sqlite;
}

static int open_store(const char *path, unsigned connections, int version,
                      struct srv_store **out);

int srv_store_open(const char *path, unsigned connections,
                   struct srv_store **out)
{
    return open_store(path, connections, srv_store_schema_version(), out);
}

int srv_store_first_version(const char *target)
{
    const char *rest;

    return driver_of(target, &rest)->first_version;
}

int srv_store_migrate_to(const char *path, int version)
{
    struct srv_store *st = NULL;
    int rc;

    const char *rest;

    if (version < driver_of(path, &rest)->first_version ||
        version > srv_store_schema_version()) {
        return TAULU_EINVAL;
    }
    rc = open_store(path, 1, version, &st);
    srv_store_close(st);
    return rc;
}

static int open_store(const char *path, unsigned connections, int version,
                      struct srv_store **out)
{
    const char *target;
    const struct srv_db_driver *drv = driver_of(path, &target);
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
    pthread_mutex_init(&st->lead_mu, NULL);
    atomic_init(&st->lead_pid, 0);
    st->target = strdup(target);
    if (!st->target) {
        rc = TAULU_ENOMEM;
        st->nconn = 0;
        goto fail;
    }
    atomic_init(&st->db_errors, 0);
    atomic_init(&st->mail_max, SRV_MAIL_QUEUE_DEFAULT);
    st->nconn = connections;
    for (i = 0; i < connections; i++) {
        st->conns[i].store = st;
        st->conns[i].drv = drv;
        rc = drv->open(&st->conns[i], target);
        if (rc) {
            goto fail;
        }
        if (i == 0) {
            rc = srv_db_migrate_to(&st->conns[0], version);
            if (rc) {
                goto fail;
            }
            /* Not a reason to refuse the database: only order differs
             * (warned about by the driver; /metrics shows it). One that
             * cannot say is not vouched for. */
            st->collation_ok =
                !drv->collation_ok || drv->collation_ok(&st->conns[0]) == 1;
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

    if (!st) {
        return;
    }
    srv_store_unlead(st);
    for (i = 0; i < st->nconn; i++) {
        if (st->conns[i].drv) {
            st->conns[i].drv->close(&st->conns[i]);
        }
    }
    free(st->target);
    pthread_mutex_destroy(&st->lead_mu);
    pthread_mutex_destroy(&st->mu);
    pthread_cond_destroy(&st->cv);
    free(st->conns);
    free(st);
}

bool srv_store_shared(const struct srv_store *st)
{
    return st->nconn > 0 && st->conns[0].drv == &srv_db_pg;
}

uint64_t srv_store_db_errors(struct srv_store *st)
{
    return atomic_load(&st->db_errors);
}

bool srv_store_collation_ok(const struct srv_store *st)
{
    return st->collation_ok;
}

int srv_store_metrics(struct srv_store *st, struct taulu_buf *out)
{
    return taulu_buf_appendf(
        out,
        "# HELP infotaulu_db_collation_ok 1 if the database orders text by"
        " code point (C collation, as SQLite), so lists come out as on"
        " SQLite.\n"
        "# TYPE infotaulu_db_collation_ok gauge\n"
        "infotaulu_db_collation_ok %d\n",
        st->collation_ok ? 1 : 0);
}

int srv_store_check(struct srv_store *st)
{
    struct srv_db *db = srv_db_acquire(st);
    int rc = db->drv->check(db);

    srv_db_release(db);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Several instances */

int srv_store_lead(struct srv_store *st, bool *leading)
{
    const struct srv_db_driver *drv = st->conns[0].drv;
    int64_t pid = 0;
    int rc;

    if (!drv->lead) {
        *leading = true; /* one process owns the file */
        return 0;
    }
    pthread_mutex_lock(&st->lead_mu);
    rc = drv->lead(&st->lead_conn, st->target, leading, &pid);
    atomic_store(&st->lead_pid, *leading ? pid : 0);
    pthread_mutex_unlock(&st->lead_mu);
    return rc;
}

void srv_store_unlead(struct srv_store *st)
{
    const struct srv_db_driver *drv;

    if (!st || st->nconn == 0) {
        return;
    }
    drv = st->conns[0].drv;
    pthread_mutex_lock(&st->lead_mu);
    atomic_store(&st->lead_pid, 0);
    if (drv->lead_close && st->lead_conn) {
        drv->lead_close(st->lead_conn);
    }
    st->lead_conn = NULL;
    pthread_mutex_unlock(&st->lead_mu);
}

int srv_db_lead_held(struct srv_db *db)
{
    /* The lock granted to the lock connection's server process, read in
     * the caller's transaction: if that process is gone, so is the lock,
     * and another instance may lead. */
    static const char sql[] =
        "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted"
        " AND pid = ?1 AND classid = 0 AND objid::bigint = ?2"
        " AND objsubid = 1 AND database = (SELECT oid FROM pg_database"
        " WHERE datname = current_database())";
    int64_t pid;
    int rc;

    if (!db->drv->lead) {
        return 0;
    }
    pid = atomic_load(&db->store->lead_pid);
    if (pid == 0) {
        taulu_warn(TAG, "not the publishing instance: write refused");
        return TAULU_ECONFLICT;
    }
    rc = srv_db_one(db, NULL, srv_db_query(db, sql, "ii", pid, SRV_DB_LEAD_KEY),
                    NULL, NULL, NULL);
    if (rc == TAULU_ENOTFOUND) {
        taulu_warn(TAG, "the publishers' lock is no longer held by this "
                        "instance: write refused");
        return TAULU_ECONFLICT;
    }
    return rc;
}

int srv_store_notify(struct srv_store *st, const char *channel,
                     const char *payload)
{
    static const char sql[] = "SELECT pg_notify(?1, ?2)";
    struct srv_db *db;
    int rc;

    if (!srv_store_shared(st)) {
        return 0; /* one instance: nobody else to tell */
    }
    db = srv_db_acquire(st);
    rc = srv_db_one(db, NULL, srv_db_query(db, sql, "tt", channel, payload),
                    NULL, NULL, NULL);
    srv_db_release(db);
    return rc;
}

struct srv_store_listener {
    const struct srv_db_driver *drv;
    void *l;
};

int srv_store_listen(struct srv_store *st, const char *channel,
                     void (*fn)(void *arg, const char *payload), void *arg,
                     struct srv_store_listener **out)
{
    const struct srv_db_driver *drv = st->conns[0].drv;
    struct srv_store_listener *sl;
    int rc;

    *out = NULL;
    if (!drv->listen) {
        return 0;
    }
    sl = calloc(1, sizeof *sl);
    if (!sl) {
        return TAULU_ENOMEM;
    }
    sl->drv = drv;
    rc = drv->listen(st->target, channel, fn, arg, &sl->l);
    if (rc < 0) {
        free(sl);
        return rc;
    }
    *out = sl;
    return 0;
}

void srv_store_listen_stop(struct srv_store_listener *sl)
{
    if (sl) {
        sl->drv->listen_stop(sl->l);
        free(sl);
    }
}
