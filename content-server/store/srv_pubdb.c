/*
 * srv_pubdb.c: the publisher's rows in SQLite (see srv_pubdb.h).
 */
#include "srv_pubdb.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taulu_err.h"
#include "taulu_log.h"

struct srv_pubdb {
    sqlite3 *db;
    pthread_mutex_t mu;
};

static const char schema[] =
    "CREATE TABLE IF NOT EXISTS pub_state ("
    " screen_id INTEGER PRIMARY KEY,"
    " seq INTEGER NOT NULL CHECK (seq >= 0),"
    " built_at INTEGER NOT NULL,"
    " digest TEXT NOT NULL CHECK (length(digest) = 64),"
    " sha256 TEXT NOT NULL CHECK (length(sha256) = 64));"
    "CREATE TABLE IF NOT EXISTS pub_status ("
    " screen_id INTEGER PRIMARY KEY,"
    " online INTEGER NOT NULL,"
    " last_seen INTEGER NOT NULL,"
    " has_seq INTEGER NOT NULL,"
    " applied_seq INTEGER NOT NULL,"
    " applied_sha256 TEXT NOT NULL,"
    " error TEXT NOT NULL,"
    " alert_ack TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS pub_secret ("
    " screen_id INTEGER PRIMARY KEY,"
    " mqtt_hash TEXT NOT NULL);";

static int db_fail(struct srv_pubdb *db, const char *what)
{
    taulu_err("pubdb", "%s: %s", what, sqlite3_errmsg(db->db));
    return TAULU_EIO;
}

int srv_pubdb_open(const char *path, struct srv_pubdb **out)
{
    struct srv_pubdb *db;

    *out = NULL;
    db = calloc(1, sizeof *db);
    if (!db) {
        return TAULU_ENOMEM;
    }
    pthread_mutex_init(&db->mu, NULL);
    if (sqlite3_open_v2(path, &db->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                            SQLITE_OPEN_FULLMUTEX,
                        NULL) != SQLITE_OK) {
        if (db->db) {
            db_fail(db, "open");
        }
        srv_pubdb_close(db);
        return TAULU_EIO;
    }
    sqlite3_busy_timeout(db->db, 5000);
    if (sqlite3_exec(db->db,
                     "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                     NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_exec(db->db, schema, NULL, NULL, NULL) != SQLITE_OK) {
        db_fail(db, "schema");
        srv_pubdb_close(db);
        return TAULU_EIO;
    }
    *out = db;
    return 0;
}

void srv_pubdb_close(struct srv_pubdb *db)
{
    if (!db) {
        return;
    }
    sqlite3_close(db->db);
    pthread_mutex_destroy(&db->mu);
    free(db);
}

static void copy_text(char *dst, size_t size, const unsigned char *src)
{
    snprintf(dst, size, "%s", src ? (const char *)src : "");
}

int srv_pubdb_load_states(struct srv_pubdb *db, struct srv_pub_state **out,
                          size_t *n)
{
    sqlite3_stmt *st = NULL;
    struct srv_pub_state *v = NULL, *nv;
    size_t cap = 0, len = 0;
    int rc = 0, r;

    *out = NULL;
    *n = 0;
    pthread_mutex_lock(&db->mu);
    if (sqlite3_prepare_v2(db->db,
                           "SELECT screen_id, seq, built_at, digest, sha256 "
                           "FROM pub_state ORDER BY screen_id",
                           -1, &st, NULL) != SQLITE_OK) {
        rc = db_fail(db, "load states");
        goto out;
    }
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        if (len == cap) {
            cap = cap ? cap * 2 : 64;
            nv = realloc(v, cap * sizeof *v);
            if (!nv) {
                rc = TAULU_ENOMEM;
                goto out;
            }
            v = nv;
        }
        memset(&v[len], 0, sizeof v[len]);
        v[len].screen_id = sqlite3_column_int64(st, 0);
        v[len].seq = sqlite3_column_int64(st, 1);
        v[len].built_at = sqlite3_column_int64(st, 2);
        copy_text(v[len].digest, sizeof v[len].digest,
                  sqlite3_column_text(st, 3));
        copy_text(v[len].sha256, sizeof v[len].sha256,
                  sqlite3_column_text(st, 4));
        len++;
    }
    if (r != SQLITE_DONE) {
        rc = db_fail(db, "load states");
    }
out:
    sqlite3_finalize(st);
    pthread_mutex_unlock(&db->mu);
    if (rc < 0) {
        free(v);
        return rc;
    }
    *out = v;
    *n = len;
    return 0;
}

int srv_pubdb_save_states(struct srv_pubdb *db, const struct srv_pub_state *s,
                          size_t n)
{
    sqlite3_stmt *st = NULL;
    size_t i;
    int rc = 0;

    pthread_mutex_lock(&db->mu);
    if (sqlite3_exec(db->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) !=
        SQLITE_OK) {
        rc = db_fail(db, "begin");
        goto out;
    }
    if (sqlite3_prepare_v2(db->db,
                           "INSERT INTO pub_state (screen_id, seq, built_at, "
                           "digest, sha256) VALUES (?,?,?,?,?) ON CONFLICT "
                           "(screen_id) DO UPDATE SET seq=excluded.seq, "
                           "built_at=excluded.built_at, "
                           "digest=excluded.digest, sha256=excluded.sha256",
                           -1, &st, NULL) != SQLITE_OK) {
        rc = db_fail(db, "save states");
        goto rollback;
    }
    for (i = 0; i < n; i++) {
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, s[i].screen_id);
        sqlite3_bind_int64(st, 2, s[i].seq);
        sqlite3_bind_int64(st, 3, s[i].built_at);
        sqlite3_bind_text(st, 4, s[i].digest, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 5, s[i].sha256, -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE) {
            rc = db_fail(db, "save state");
            goto rollback;
        }
    }
    if (sqlite3_exec(db->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        rc = db_fail(db, "commit");
        goto rollback;
    }
    goto out;
rollback:
    sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
out:
    sqlite3_finalize(st);
    pthread_mutex_unlock(&db->mu);
    return rc;
}

int srv_pubdb_save_status(struct srv_pubdb *db, int64_t screen_id,
                          const struct srv_pub_status *s)
{
    sqlite3_stmt *st = NULL;
    struct taulu_buf acks;
    size_t i;
    int rc = 0;

    /* Alert ids are [A-Za-z0-9_.-], so a space-separated list is exact. */
    taulu_buf_init(&acks, 4096);
    for (i = 0; i < s->n_alert_ack; i++) {
        if ((i && taulu_buf_putc(&acks, ' ') < 0) ||
            taulu_buf_puts(&acks, s->alert_ack[i]) < 0) {
            taulu_buf_release(&acks);
            return TAULU_ENOMEM;
        }
    }
    pthread_mutex_lock(&db->mu);
    if (sqlite3_prepare_v2(
            db->db,
            "INSERT INTO pub_status (screen_id, online, last_seen, has_seq, "
            "applied_seq, applied_sha256, error, alert_ack) VALUES "
            "(?,?,?,?,?,?,?,?) ON CONFLICT (screen_id) DO UPDATE SET "
            "online=excluded.online, last_seen=excluded.last_seen, "
            "has_seq=excluded.has_seq, applied_seq=excluded.applied_seq, "
            "applied_sha256=excluded.applied_sha256, error=excluded.error, "
            "alert_ack=excluded.alert_ack",
            -1, &st, NULL) != SQLITE_OK) {
        rc = db_fail(db, "save status");
        goto out;
    }
    sqlite3_bind_int64(st, 1, screen_id);
    sqlite3_bind_int(st, 2, s->online);
    sqlite3_bind_int64(st, 3, s->last_seen);
    sqlite3_bind_int(st, 4, s->has_seq);
    sqlite3_bind_int64(st, 5, s->applied_seq);
    sqlite3_bind_text(st, 6, s->applied_sha256, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, s->error, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 8, acks.data, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE) {
        rc = db_fail(db, "save status");
    }
out:
    sqlite3_finalize(st);
    pthread_mutex_unlock(&db->mu);
    taulu_buf_release(&acks);
    return rc;
}

int srv_pubdb_load_statuses(struct srv_pubdb *db, int64_t **ids,
                            struct srv_pub_status **out, size_t *n)
{
    sqlite3_stmt *st = NULL;
    struct srv_pub_status *v = NULL, *nv;
    int64_t *iv = NULL, *niv;
    size_t cap = 0, len = 0;
    int rc = 0, r;

    *ids = NULL;
    *out = NULL;
    *n = 0;
    pthread_mutex_lock(&db->mu);
    if (sqlite3_prepare_v2(db->db,
                           "SELECT screen_id, online, last_seen, has_seq, "
                           "applied_seq, applied_sha256, error, alert_ack "
                           "FROM pub_status ORDER BY screen_id",
                           -1, &st, NULL) != SQLITE_OK) {
        rc = db_fail(db, "load statuses");
        goto out;
    }
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        struct srv_pub_status *s;
        const char *acks;

        if (len == cap) {
            cap = cap ? cap * 2 : 64;
            nv = realloc(v, cap * sizeof *v);
            if (nv) {
                v = nv;
            }
            niv = realloc(iv, cap * sizeof *iv);
            if (niv) {
                iv = niv;
            }
            if (!nv || !niv) {
                rc = TAULU_ENOMEM;
                goto out;
            }
        }
        s = &v[len];
        memset(s, 0, sizeof *s);
        iv[len] = sqlite3_column_int64(st, 0);
        s->known = true;
        s->online = sqlite3_column_int(st, 1) != 0;
        s->last_seen = sqlite3_column_int64(st, 2);
        s->has_seq = sqlite3_column_int(st, 3) != 0;
        s->applied_seq = sqlite3_column_int64(st, 4);
        copy_text(s->applied_sha256, sizeof s->applied_sha256,
                  sqlite3_column_text(st, 5));
        copy_text(s->error, sizeof s->error, sqlite3_column_text(st, 6));
        acks = (const char *)sqlite3_column_text(st, 7);
        while (acks && *acks && s->n_alert_ack < TAULU_PROTO_MAX_ALERT_ACK) {
            size_t k = strcspn(acks, " ");
            if (k > 0 && k <= TAULU_MANIFEST_MAX_ID) {
                memcpy(s->alert_ack[s->n_alert_ack], acks, k);
                s->alert_ack[s->n_alert_ack][k] = '\0';
                s->n_alert_ack++;
            }
            acks += k;
            while (*acks == ' ') {
                acks++;
            }
        }
        len++;
    }
    if (r != SQLITE_DONE) {
        rc = db_fail(db, "load statuses");
    }
out:
    sqlite3_finalize(st);
    pthread_mutex_unlock(&db->mu);
    if (rc < 0) {
        free(v);
        free(iv);
        return rc;
    }
    *ids = iv;
    *out = v;
    *n = len;
    return 0;
}

int srv_pubdb_forget(struct srv_pubdb *db, int64_t screen_id)
{
    sqlite3_stmt *st = NULL;
    int rc = 0;
    static const char *const sql[] = {
        "DELETE FROM pub_state WHERE screen_id = ?",
        "DELETE FROM pub_status WHERE screen_id = ?",
        "DELETE FROM pub_secret WHERE screen_id = ?",
    };
    size_t i;

    pthread_mutex_lock(&db->mu);
    for (i = 0; i < 3 && rc == 0; i++) {
        if (sqlite3_prepare_v2(db->db, sql[i], -1, &st, NULL) != SQLITE_OK) {
            rc = db_fail(db, "forget");
            break;
        }
        sqlite3_bind_int64(st, 1, screen_id);
        if (sqlite3_step(st) != SQLITE_DONE) {
            rc = db_fail(db, "forget");
        }
        sqlite3_finalize(st);
        st = NULL;
    }
    pthread_mutex_unlock(&db->mu);
    return rc;
}

int srv_pubdb_set_mqtt_hash(struct srv_pubdb *db, int64_t screen_id,
                            const char *hash)
{
    sqlite3_stmt *st = NULL;
    int rc = 0;

    if (strlen(hash) >= SRV_PUBDB_HASH_MAX) {
        return TAULU_EINVAL;
    }
    pthread_mutex_lock(&db->mu);
    if (sqlite3_prepare_v2(db->db,
                           "INSERT INTO pub_secret (screen_id, mqtt_hash) "
                           "VALUES (?,?) ON CONFLICT (screen_id) DO UPDATE "
                           "SET mqtt_hash=excluded.mqtt_hash",
                           -1, &st, NULL) != SQLITE_OK) {
        rc = db_fail(db, "save mqtt hash");
        goto out;
    }
    sqlite3_bind_int64(st, 1, screen_id);
    sqlite3_bind_text(st, 2, hash, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE) {
        rc = db_fail(db, "save mqtt hash");
    }
out:
    sqlite3_finalize(st);
    pthread_mutex_unlock(&db->mu);
    return rc;
}

int srv_pubdb_mqtt_hashes(struct srv_pubdb *db, int64_t **ids,
                          char (**hashes)[SRV_PUBDB_HASH_MAX], size_t *n)
{
    sqlite3_stmt *st = NULL;
    char(*hv)[SRV_PUBDB_HASH_MAX] = NULL, (*nhv)[SRV_PUBDB_HASH_MAX];
    int64_t *iv = NULL, *niv;
    size_t cap = 0, len = 0;
    int rc = 0, r;

    *ids = NULL;
    *hashes = NULL;
    *n = 0;
    pthread_mutex_lock(&db->mu);
    if (sqlite3_prepare_v2(db->db,
                           "SELECT screen_id, mqtt_hash FROM pub_secret "
                           "ORDER BY screen_id",
                           -1, &st, NULL) != SQLITE_OK) {
        rc = db_fail(db, "load mqtt hashes");
        goto out;
    }
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        if (len == cap) {
            cap = cap ? cap * 2 : 64;
            nhv = realloc(hv, cap * sizeof *hv);
            if (nhv) {
                hv = nhv;
            }
            niv = realloc(iv, cap * sizeof *iv);
            if (niv) {
                iv = niv;
            }
            if (!nhv || !niv) {
                rc = TAULU_ENOMEM;
                goto out;
            }
        }
        iv[len] = sqlite3_column_int64(st, 0);
        copy_text(hv[len], SRV_PUBDB_HASH_MAX, sqlite3_column_text(st, 1));
        len++;
    }
    if (r != SQLITE_DONE) {
        rc = db_fail(db, "load mqtt hashes");
    }
out:
    sqlite3_finalize(st);
    pthread_mutex_unlock(&db->mu);
    if (rc < 0) {
        free(hv);
        free(iv);
        return rc;
    }
    *ids = iv;
    *hashes = hv;
    *n = len;
    return 0;
}
