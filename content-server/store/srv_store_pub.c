/*
 * srv_store_pub.c: the publisher's rows per screen (srv_store.h): manifest
 * state (pub_state), last status (pub_status), MQTT password hash
 * (pub_secret). Tables of migration 4 (srv_store_schema.c), on the same
 * pooled connections as everything else.
 */
#include "srv_store_int.h"

#include <stdio.h>
#include <string.h>

#include "taulu_buf.h"

/* Copies a text column into a fixed buffer ("" for NULL; cut to fit). */
static void copy_text(char *dst, size_t size, struct srv_stmt *s, int i)
{
    const char *t = srv_db_text_ref(s, i);

    snprintf(dst, size, "%s", t ? t : "");
}

/* ------------------------------------------------------------------ */
/* Manifest state */

static int read_state(struct srv_db *db, struct srv_pool *p, struct srv_stmt *s,
                      void *out, void *arg)
{
    struct srv_pub_state *v = out;

    (void)db;
    (void)p;
    (void)arg;
    v->screen_id = srv_db_int(s, 0);
    v->seq = srv_db_int(s, 1);
    v->built_at = srv_db_int(s, 2);
    copy_text(v->digest, sizeof(v->digest), s, 3);
    copy_text(v->sha256, sizeof(v->sha256), s, 4);
    v->has_manifest = srv_db_bool(s, 5);
    return 0;
}

static int read_manifest(struct srv_db *db, struct srv_pool *p,
                         struct srv_stmt *s, void *out, void *arg)
{
    struct srv_pub_state *v = out;
    const char *t;
    size_t len = 0;

    read_state(db, p, s, out, arg);
    t = s->drv->col_text(s, 6, &len);
    v->manifest = t ? srv_pool_strndup(p, t, len) : NULL;
    v->manifest_len = t ? len : 0;
    v->has_manifest = t != NULL;
    return t && !v->manifest ? TAULU_ENOMEM : 0;
}

int srv_store_pub_states(struct srv_store *st, struct srv_pool *p,
                         struct srv_pub_state **out, size_t *n)
{
    static const char sql[] =
        "SELECT screen_id, seq, built_at, digest, sha256,"
        " manifest IS NOT NULL FROM pub_state ORDER BY screen_id";
    struct srv_db *db = srv_db_acquire(st);
    struct srv_db_list l = {0};
    int rc;

    /* Read under the writers' lock: a save already in its transaction (a
     * deposed instance's that passed its check just before losing the
     * lock) is waited for and seen, so a new leader starts from it and
     * never gives the same seq to other bytes. */
    rc = srv_db_begin(db);
    if (!rc) {
        rc = srv_db_rows(db, p, srv_db_query(db, sql, ""), sizeof(**out),
                         read_state, NULL, &l);
    }
    rc = srv_db_finish(db, rc);
    srv_db_release(db);
    *out = l.v;
    *n = l.n;
    return rc;
}

int srv_store_pub_manifests(struct srv_store *st, struct srv_pool *p,
                            const int64_t *ids, size_t n_ids,
                            struct srv_pub_state **out, size_t *n)
{
    static const char sql[] =
        "SELECT screen_id, seq, built_at, digest, sha256, 1, manifest"
        " FROM pub_state WHERE manifest IS NOT NULL"
        " AND screen_id IN (SELECT value FROM json_each(?1))"
        " ORDER BY screen_id";
    struct srv_db *db = srv_db_acquire(st);
    struct srv_db_list l;
    int rc;

    rc = srv_db_rows(db, p, srv_db_query(db, sql, "j", ids, n_ids),
                     sizeof(**out), read_manifest, NULL, &l);
    srv_db_release(db);
    *out = l.v;
    *n = l.n;
    return rc;
}

int srv_store_pub_save_states(struct srv_store *st,
                              const struct srv_pub_state *s, size_t n)
{
    static const char sql[] =
        "INSERT INTO pub_state (screen_id, seq, built_at, digest, sha256,"
        " manifest) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (screen_id)"
        " DO UPDATE SET seq = excluded.seq, built_at = excluded.built_at,"
        " digest = excluded.digest, sha256 = excluded.sha256,"
        " manifest = excluded.manifest";
    struct srv_db *db = srv_db_acquire(st);
    size_t i;
    int rc = srv_db_begin(db);

    /* Fencing: in this transaction, under the write lock every writer
     * takes, so the answer holds until the commit. */
    if (!rc) {
        rc = srv_db_lead_held(db);
    }
    for (i = 0; !rc && i < n; i++) {
        rc =
            srv_db_exec(db, sql, "iiittt", s[i].screen_id, s[i].seq,
                        s[i].built_at, s[i].digest, s[i].sha256, s[i].manifest);
    }
    rc = srv_db_finish(db, rc);
    srv_db_release(db);
    return rc;
}

/* ------------------------------------------------------------------ */
/* What the publishing instance left out (pub_refusal, migration 15) */

static int read_refusal(struct srv_db *db, struct srv_pool *p,
                        struct srv_stmt *s, void *out, void *arg)
{
    struct srv_pub_refusal *v = out;

    (void)db;
    (void)arg;
    v->centre_id = srv_db_int(s, 0);
    v->alert = srv_db_bool(s, 1);
    v->id = srv_db_int(s, 2);
    v->placement_id = srv_db_int(s, 3);
    v->reason = srv_db_text(p, s, 4);
    return v->reason ? 0 : TAULU_ENOMEM;
}

int srv_store_pub_refusals(struct srv_store *st, struct srv_pool *p,
                           struct srv_pub_refusal **out, size_t *n)
{
    static const char sql[] =
        "SELECT centre_id, alert, ref_id, placement_id, reason"
        " FROM pub_refusal ORDER BY centre_id, n";
    struct srv_db *db = srv_db_acquire(st);
    struct srv_db_list l = {0};
    int rc;

    rc = srv_db_rows(db, p, srv_db_query(db, sql, ""), sizeof(**out),
                     read_refusal, NULL, &l);
    srv_db_release(db);
    *out = l.v;
    *n = l.n;
    return rc;
}

int srv_store_pub_save_refusals(struct srv_store *st, int64_t centre_id,
                                const struct srv_pub_refusal *v, size_t n)
{
    static const char del[] = "DELETE FROM pub_refusal WHERE centre_id = ?";
    static const char ins[] =
        "INSERT INTO pub_refusal (centre_id, n, alert, ref_id, placement_id,"
        " reason) VALUES (?, ?, ?, ?, ?, ?)";
    struct srv_db *db = srv_db_acquire(st);
    size_t i;
    int rc = srv_db_begin(db);

    /* Fenced as the states are: a deposed instance's list never replaces
     * the one its successor saved. */
    if (!rc) {
        rc = srv_db_lead_held(db);
    }
    if (!rc) {
        rc = srv_db_exec(db, del, "i", centre_id);
    }
    for (i = 0; !rc && i < n; i++) {
        rc = srv_db_exec(db, ins, "iibiit", centre_id, (int64_t)i,
                         (int)v[i].alert, v[i].id, v[i].placement_id,
                         v[i].reason ? v[i].reason : "");
    }
    rc = srv_db_finish(db, rc);
    srv_db_release(db);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Status */

/* Ids are [A-Za-z0-9_.-], so a space-separated list is exact. */
static int join_ids(struct taulu_buf *b,
                    const char (*ids)[TAULU_MANIFEST_MAX_ID + 1], size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if ((i && taulu_buf_putc(b, ' ') < 0) ||
            taulu_buf_puts(b, ids[i]) < 0) {
            return TAULU_ENOMEM;
        }
    }
    return taulu_buf_puts(b, "");
}

/* Splits a space-separated list into ids[], at most max. */
static size_t split_ids(const char *list,
                        char (*ids)[TAULU_MANIFEST_MAX_ID + 1], size_t max)
{
    size_t n = 0;

    while (list && *list && n < max) {
        size_t k = strcspn(list, " ");
        if (k > 0 && k <= TAULU_MANIFEST_MAX_ID) {
            memcpy(ids[n], list, k);
            ids[n][k] = '\0';
            n++;
        }
        list += k;
        while (*list == ' ') {
            list++;
        }
    }
    return n;
}

int srv_store_pub_save_status(struct srv_store *st, int64_t screen_id,
                              const struct srv_pub_status *s)
{
    static const char sql[] =
        "INSERT INTO pub_status (screen_id, online, last_seen, has_seq,"
        " applied_seq, applied_sha256, error, alert_ack, profile, unplaced,"
        " paged) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (screen_id) DO UPDATE"
        " SET online = excluded.online, last_seen = excluded.last_seen,"
        " has_seq = excluded.has_seq, applied_seq = excluded.applied_seq,"
        " applied_sha256 = excluded.applied_sha256, error = excluded.error,"
        " alert_ack = excluded.alert_ack, profile = excluded.profile,"
        " unplaced = excluded.unplaced, paged = excluded.paged";
    struct srv_db *db;
    struct taulu_buf acks, unplaced, paged;
    char profile[96] = "";
    int rc;

    taulu_buf_init(&acks, 4096);
    taulu_buf_init(&unplaced, 4096);
    taulu_buf_init(&paged, 4096);
    if (s->has_profile) {
        snprintf(profile, sizeof profile, "%d %d %d %d %d", s->profile.width_px,
                 s->profile.height_px, s->profile.orientation == TAULU_PORTRAIT,
                 s->profile.diagonal_in_x10, s->profile.distance_mm);
    }
    rc = join_ids(&acks, s->alert_ack, s->n_alert_ack);
    if (rc == 0) {
        rc = join_ids(&unplaced, s->unplaced, s->n_unplaced);
    }
    if (rc == 0) {
        rc = join_ids(&paged, s->paged, s->n_paged);
    }
    if (rc == 0) {
        db = srv_db_acquire(st);
        rc = srv_db_exec(db, sql, "ibibitttttt", screen_id, (int)s->online,
                         s->last_seen, (int)s->has_seq, s->applied_seq,
                         s->applied_sha256, s->error, acks.data, profile,
                         unplaced.data, paged.data);
        srv_db_release(db);
    }
    taulu_buf_release(&acks);
    taulu_buf_release(&unplaced);
    taulu_buf_release(&paged);
    return rc;
}

static int read_status(struct srv_db *db, struct srv_pool *p,
                       struct srv_stmt *s, void *out, void *arg)
{
    struct srv_pub_status_row *r = out;
    struct srv_pub_status *v = &r->status;
    const char *prof;
    int portrait = 0;

    (void)db;
    (void)p;
    (void)arg;
    r->screen_id = srv_db_int(s, 0);
    v->known = true;
    v->online = srv_db_bool(s, 1);
    v->last_seen = srv_db_int(s, 2);
    v->has_seq = srv_db_bool(s, 3);
    v->applied_seq = srv_db_int(s, 4);
    copy_text(v->applied_sha256, sizeof(v->applied_sha256), s, 5);
    copy_text(v->error, sizeof(v->error), s, 6);
    v->n_alert_ack = split_ids(srv_db_text_ref(s, 7), v->alert_ack,
                               TAULU_PROTO_MAX_ALERT_ACK);
    prof = srv_db_text_ref(s, 8);
    if (prof &&
        sscanf(prof, "%d %d %d %d %d", &v->profile.width_px,
               &v->profile.height_px, &portrait, &v->profile.diagonal_in_x10,
               &v->profile.distance_mm) == 5) {
        v->has_profile = true;
        v->profile.orientation = portrait ? TAULU_PORTRAIT : TAULU_LANDSCAPE;
    }
    v->n_unplaced =
        split_ids(srv_db_text_ref(s, 9), v->unplaced, TAULU_PROTO_MAX_CARD_IDS);
    v->n_paged =
        split_ids(srv_db_text_ref(s, 10), v->paged, TAULU_PROTO_MAX_CARD_IDS);
    r->record_agrees = srv_db_int(s, 11) == 1;
    return 0;
}

int srv_store_pub_statuses(struct srv_store *st, struct srv_pool *p,
                           struct srv_pub_status_row **out, size_t *n)
{
    static const char sql[] =
        "SELECT p.screen_id, p.online, p.last_seen, p.has_seq,"
        " p.applied_seq, p.applied_sha256, p.error, p.alert_ack, p.profile,"
        " p.unplaced, p.paged,"
        /* what be_save_screen_status() writes of it, compared */
        " CASE WHEN s.id IS NOT NULL AND s.online = p.online"
        "  AND s.last_seen = p.last_seen"
        "  AND s.applied_version ="
        "   CASE WHEN p.has_seq = 1 THEN p.applied_seq ELSE 0 END"
        "  AND COALESCE(s.last_error, '') = p.error"
        "  AND s.unplaced = p.unplaced AND s.paged = p.paged"
        "  THEN 1 ELSE 0 END"
        " FROM pub_status p LEFT JOIN screen s ON s.id = p.screen_id"
        " ORDER BY p.screen_id";
    struct srv_db *db = srv_db_acquire(st);
    struct srv_db_list l;
    int rc;

    rc = srv_db_rows(db, p, srv_db_query(db, sql, ""), sizeof(**out),
                     read_status, NULL, &l);
    srv_db_release(db);
    *out = l.v;
    *n = l.n;
    return rc;
}

/* ------------------------------------------------------------------ */
/* MQTT password hashes */

int srv_store_pub_set_mqtt_hash(struct srv_store *st, int64_t screen_id,
                                const char *hash)
{
    static const char sql[] =
        "INSERT INTO pub_secret (screen_id, mqtt_hash) VALUES (?, ?)"
        " ON CONFLICT (screen_id) DO UPDATE SET mqtt_hash = excluded.mqtt_hash";
    struct srv_db *db;
    int rc;

    if (strlen(hash) >= SRV_STORE_MQTT_HASH_MAX) {
        return TAULU_EINVAL;
    }
    db = srv_db_acquire(st);
    rc = srv_db_exec(db, sql, "it", screen_id, hash);
    srv_db_release(db);
    return rc;
}

static int read_hash(struct srv_db *db, struct srv_pool *p, struct srv_stmt *s,
                     void *out, void *arg)
{
    struct srv_mqtt_hash *h = out;

    (void)db;
    (void)arg;
    h->screen_id = srv_db_int(s, 0);
    h->hash = srv_db_text(p, s, 1);
    return 0;
}

int srv_store_pub_mqtt_hashes(struct srv_store *st, struct srv_pool *p,
                              struct srv_mqtt_hash **out, size_t *n)
{
    static const char sql[] =
        "SELECT screen_id, mqtt_hash FROM pub_secret ORDER BY screen_id";
    struct srv_db *db = srv_db_acquire(st);
    struct srv_db_list l;
    int rc;

    rc = srv_db_rows(db, p, srv_db_query(db, sql, ""), sizeof(**out), read_hash,
                     NULL, &l);
    srv_db_release(db);
    *out = l.v;
    *n = l.n;
    return rc;
}

/* ------------------------------------------------------------------ */

int srv_store_pub_forget(struct srv_store *st, int64_t screen_id)
{
    static const char *const sql[] = {
        "DELETE FROM pub_state WHERE screen_id = ?",
        "DELETE FROM pub_status WHERE screen_id = ?",
        "DELETE FROM pub_secret WHERE screen_id = ?",
    };
    struct srv_db *db = srv_db_acquire(st);
    size_t i;
    int rc = srv_db_begin(db);

    for (i = 0; !rc && i < sizeof(sql) / sizeof(sql[0]); i++) {
        rc = srv_db_exec(db, sql[i], "i", screen_id);
    }
    rc = srv_db_finish(db, rc);
    srv_db_release(db);
    return rc;
}
