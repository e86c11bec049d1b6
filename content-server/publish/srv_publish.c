/*
 * srv_publish.c: the publisher (see srv_publish.h): in-memory signed
 * manifests, the rebuild worker with its time boundaries, pointers, status.
 */
#include "srv_publish.h"
#include "srv_playlog.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "taulu_crypto.h"
#include "taulu_err.h"
#include "taulu_log.h"
#include "taulu_time.h"

/* An item card on a centre's screens: when it is current (the play log
 * credits nothing outside that). */
struct shown_item {
    int64_t id; /* first: compared as an int64_t by cmp_i64 */
    int64_t from, until;
};

/* What a centre's screens show and what was left out, as the views read
 * it ("live on N of M", the alerts, the opening hours, the left-out
 * list). The leader learns it from its builds; a follower, which builds
 * nothing, from what the leader saved: the cards, alerts and hours from
 * the signed manifests it loaded (centre_facts(), the same derivation as
 * the leader's, from the very bytes the screens are given), the left-out
 * list from the leader's saved copy (backend.load_refusals()). So every
 * instance answers the views alike. */
struct centre_info {
    int64_t id;
    int64_t next_change; /* INT64_MAX: none */
    /* content built at least once (a follower: read from a manifest) */
    bool built;
    /* A follower: the sha256 of the manifest its view data were read
     * from ("": from a build), so one read again is not parsed again. */
    char facts_sha[TAULU_SHA256_HEX_LEN + 1];
    char tz[TAULU_MANIFEST_MAX_TZ + 1];
    struct taulu_opening_interval hours[TAULU_MANIFEST_MAX_HOURS];
    size_t n_hours;
    bool hours_given;         /* with no hours: closed all week */
    struct shown_item *items; /* item cards on the screens now, by id */
    size_t n_items;
    char (*alerts)[SRV_WIRE_ID_MAX]; /* current alert ids */
    size_t n_alerts;
    /* What the last build had to leave out, and why (srv_manifest.h). */
    struct srv_manifest_refusals refused;
    /* The list the database holds (backend.save_refusals()), when
     * stored_known: the leader saves only a list that differs. */
    struct srv_manifest_refusals stored;
    bool stored_known;
};

struct entry {
    int64_t id;
    char wire[SRV_WIRE_ID_MAX];
    int64_t centre_id;
    struct taulu_profile profile;
    bool has_token;
    uint8_t token_hash[TAULU_SHA256_LEN];
    struct srv_pub_blob *blob; /* NULL until built */
    bool has_state;
    struct srv_pub_state st; /* st.manifest is NULL: the bytes are blob's */
    bool stored;             /* the database holds the signed bytes too */
    struct srv_pub_status status;
    /* What the database holds of `status` (see srv_pub_status_due()), as
     * written or as read at start and takeover; has_saved false: nothing
     * there, or its screen record does not agree (written again). */
    bool has_saved;
    struct srv_pub_status saved;
    struct srv_play_screen play; /* the open play interval */
};

struct blob_ref {
    struct srv_pub_blob *b;
};

struct srv_publisher {
    struct srv_pub_backend be;
    uint8_t sk[TAULU_SIGN_SK_LEN];
    int64_t (*now_fn)(void *);
    void *now_ctx;
    _Atomic(struct srv_mqtt *) mqtt;

    /* Guarded by `lock`: readers are HTTP and MQTT threads; the worker is
     * the only writer of the arrays and blobs. */
    pthread_rwlock_t lock;
    struct entry *e; /* sorted by id */
    size_t n;
    struct entry **by_token; /* entries with a token, by token hash */
    size_t n_tokens;
    struct centre_info *c; /* sorted by id */
    size_t nc;

    /* Held while a status is ingested and written, so that the writes of
     * one screen reach the database in the order the statuses came, also
     * when the worker retries a failed one. Taken before `lock`, never
     * while holding it. */
    pthread_mutex_t save_mu;

    /* The worker's queue, guarded by `mu`. */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pthread_t thread;
    bool thread_started;
    bool stop;
    bool all_dirty, screens_dirty;
    /* A follower: the leader said a left-out list changed ("b <centre>
     * r"); refused_pass is the worker's copy for the pass it runs. */
    bool refused_dirty, refused_pass;
    int64_t *dirty;
    size_t ndirty, capdirty;
    uint64_t requested, done;
    /* A follower: the request that loads what the publishing instance
     * last said it saved ('b'); GETs wait for it (wait_followed()). */
    uint64_t follow_due;
    /* The watchdog's probe (srv_publisher_alive()): asked by the main
     * thread, answered by the worker at the top of each turn. */
    uint64_t probe_asked, probe_seen;

    /* Worker-only scratch. */
    struct taulu_buf scratch, signed_buf;

    /* Several instances (srv_publish.h): whether this one publishes, when
     * the worker asks backend.lead() next (monotonic ms; worker only), and
     * the mark this instance puts on its notifications. */
    atomic_bool leading;
    int64_t next_lead_ms;
    char tag[13];

    atomic_uint_fast64_t builds, signed_count, pointers, failures;
    atomic_uint_fast64_t refused_total; /* refusals newly seen */
    _Atomic int64_t last_build_ms;
};

static void republish(struct srv_publisher *p);

static int64_t now_of(struct srv_publisher *p)
{
    return p->now_fn ? p->now_fn(p->now_ctx) : taulu_now();
}

void srv_pub_blob_unref(struct srv_pub_blob *b)
{
    /* The count lives just before the blob (see blob_new). */
    if (b) {
        atomic_int *refs = (atomic_int *)((char *)b - sizeof(max_align_t));
        if (atomic_fetch_sub(refs, 1) == 1) {
            free(refs);
        }
    }
}

static struct srv_pub_blob *blob_ref(struct srv_pub_blob *b)
{
    atomic_int *refs = (atomic_int *)((char *)b - sizeof(max_align_t));
    atomic_fetch_add(refs, 1);
    return b;
}

static struct srv_pub_blob *blob_new(const char *data, size_t len, int64_t seq,
                                     const char *sha)
{
    char *mem =
        malloc(sizeof(max_align_t) + sizeof(struct srv_pub_blob) + len + 1);
    struct srv_pub_blob *b;

    if (!mem) {
        return NULL;
    }
    atomic_init((atomic_int *)mem, 1);
    b = (struct srv_pub_blob *)(mem + sizeof(max_align_t));
    b->len = len;
    b->seq = seq;
    memcpy(b->sha256, sha, TAULU_SHA256_HEX_LEN + 1);
    b->etag[0] = '"';
    memcpy(b->etag + 1, sha, TAULU_SHA256_HEX_LEN);
    b->etag[TAULU_SHA256_HEX_LEN + 1] = '"';
    b->etag[TAULU_SHA256_HEX_LEN + 2] = '\0';
    memcpy(b->data, data, len);
    b->data[len] = '\0';
    return b;
}

/* ---- lookups (callers hold `lock`) ---- */

static struct entry *find_entry(struct srv_publisher *p, int64_t id)
{
    size_t lo = 0, hi = p->n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (p->e[mid].id == id) {
            return &p->e[mid];
        }
        if (p->e[mid].id < id) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return NULL;
}

static struct centre_info *find_centre(struct srv_publisher *p, int64_t id)
{
    size_t lo = 0, hi = p->nc;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (p->c[mid].id == id) {
            return &p->c[mid];
        }
        if (p->c[mid].id < id) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return NULL;
}

static int cmp_entry_id(const void *a, const void *b)
{
    const struct entry *x = a, *y = b;
    return x->id < y->id ? -1 : x->id > y->id;
}

static int cmp_token(const void *a, const void *b)
{
    const struct entry *x = *(const struct entry *const *)a;
    const struct entry *y = *(const struct entry *const *)b;
    return memcmp(x->token_hash, y->token_hash, TAULU_SHA256_LEN);
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static int cmp_centre(const void *a, const void *b)
{
    const struct centre_info *x = a, *y = b;
    return x->id < y->id ? -1 : x->id > y->id;
}

/* ---- the worker ---- */

static void centre_info_release(struct centre_info *c)
{
    free(c->items);
    free(c->alerts);
    c->items = NULL;
    c->alerts = NULL;
    c->n_items = c->n_alerts = 0;
    srv_manifest_refusals_release(&c->refused);
    srv_manifest_refusals_release(&c->stored);
    c->stored_known = false;
}

/* Appends x to r. 0 or TAULU_ENOMEM. */
static int refusal_add(struct srv_manifest_refusals *r,
                       const struct srv_manifest_refusal *x)
{
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 8;
        struct srv_manifest_refusal *v = realloc(r->v, cap * sizeof *v);
        if (!v) {
            return TAULU_ENOMEM;
        }
        r->v = v;
        r->cap = cap;
    }
    r->v[r->n++] = *x;
    return 0;
}

/* A copy of src into *dst (released first). 0 or TAULU_ENOMEM (then
 * *dst is empty). */
static int refusals_copy(struct srv_manifest_refusals *dst,
                         const struct srv_manifest_refusals *src)
{
    size_t i;

    srv_manifest_refusals_release(dst);
    for (i = 0; i < src->n; i++) {
        if (refusal_add(dst, &src->v[i]) < 0) {
            srv_manifest_refusals_release(dst);
            return TAULU_ENOMEM;
        }
    }
    return 0;
}

/* Whether two lists are the same, in the same order (the views list them
 * in it). */
static bool refusals_same(const struct srv_manifest_refusals *a,
                          const struct srv_manifest_refusals *b)
{
    size_t i;

    if (a->n != b->n) {
        return false;
    }
    for (i = 0; i < a->n; i++) {
        if (a->v[i].alert != b->v[i].alert || a->v[i].id != b->v[i].id ||
            a->v[i].placement_id != b->v[i].placement_id ||
            strcmp(a->v[i].reason, b->v[i].reason) != 0) {
            return false;
        }
    }
    return true;
}

/* What the views read of a centre's manifest (struct centre_info): its
 * item cards by id with when each is current, its alert ids, its zone
 * and opening hours. The leader takes them from the content it built,
 * a follower from a signed manifest it loaded: one function, so both
 * read the same bytes alike. Fills the arrays (malloc'd, *items sorted
 * by id); 0 or TAULU_ENOMEM. */
struct centre_facts {
    struct shown_item *items;
    size_t n_items;
    char (*alerts)[SRV_WIRE_ID_MAX];
    size_t n_alerts;
    char tz[TAULU_MANIFEST_MAX_TZ + 1];
    struct taulu_opening_interval hours[TAULU_MANIFEST_MAX_HOURS];
    size_t n_hours;
    bool hours_given;
};

static int cmp_i64(const void *a, const void *b);

static int centre_facts_of(const struct taulu_manifest *m,
                           struct centre_facts *f)
{
    size_t i;

    memset(f, 0, sizeof *f);
    f->items = calloc(m->n_cards ? m->n_cards : 1, sizeof *f->items);
    f->alerts = calloc(m->n_alerts ? m->n_alerts : 1, sizeof *f->alerts);
    if (!f->items || !f->alerts) {
        free(f->items);
        free(f->alerts);
        f->items = NULL;
        f->alerts = NULL;
        return TAULU_ENOMEM;
    }
    for (i = 0; i < m->n_cards; i++) {
        const struct taulu_card *c = &m->cards[i];
        f->items[i].id = strtoll(c->id + 1, NULL, 10);
        f->items[i].from = c->display_from;
        f->items[i].until = c->display_until;
        if (c->has_event && c->event.end < f->items[i].until) {
            f->items[i].until = c->event.end;
        }
    }
    f->n_items = m->n_cards;
    if (f->n_items > 1) {
        qsort(f->items, f->n_items, sizeof *f->items, cmp_i64);
    }
    for (i = 0; i < m->n_alerts; i++) {
        snprintf(f->alerts[i], SRV_WIRE_ID_MAX, "%s", m->alerts[i].id);
    }
    f->n_alerts = m->n_alerts;
    snprintf(f->tz, sizeof f->tz, "%s",
             m->centre.timezone ? m->centre.timezone : "");
    f->n_hours = m->centre.n_hours;
    f->hours_given = m->centre.hours_given;
    memcpy(f->hours, m->centre.hours, sizeof f->hours);
    return 0;
}

/* Puts f, read from the manifest whose sha256 is `sha` (NULL: built),
 * into ci (the caller holds `lock` for writing); f's arrays are ci's
 * now. */
static void centre_facts_install(struct centre_info *ci, struct centre_facts *f,
                                 const char *sha)
{
    snprintf(ci->facts_sha, sizeof ci->facts_sha, "%s", sha ? sha : "");
    free(ci->items);
    free(ci->alerts);
    ci->items = f->items;
    ci->n_items = f->n_items;
    ci->alerts = f->alerts;
    ci->n_alerts = f->n_alerts;
    f->items = NULL;
    f->alerts = NULL;
    memcpy(ci->tz, f->tz, sizeof ci->tz);
    memcpy(ci->hours, f->hours, sizeof ci->hours);
    ci->n_hours = f->n_hours;
    ci->hours_given = f->hours_given;
    ci->built = true;
}

static bool refusal_listed(const struct srv_manifest_refusals *r,
                           const struct srv_manifest_refusal *x)
{
    size_t i;

    for (i = 0; i < r->n; i++) {
        if (r->v[i].alert == x->alert && r->v[i].id == x->id &&
            r->v[i].placement_id == x->placement_id &&
            strcmp(r->v[i].reason, x->reason) == 0) {
            return true;
        }
    }
    return false;
}

/* Reloads the screen list; keeps what is known of screens that remain.
 * Rebuilds the centre list from the screens' centres. */
static int reload_screens(struct srv_publisher *p)
{
    struct srv_pub_screen *s = NULL;
    struct entry *ne = NULL, **nt = NULL, *olde;
    struct centre_info *nc = NULL, *oldc;
    struct entry **oldt;
    size_t n = 0, i, k, nnc = 0, oldn, oldnc, ntok = 0;
    int rc;

    rc = p->be.list_screens(p->be.ctx, &s, &n);
    if (rc < 0) {
        taulu_err("publish", "cannot list screens: %s", taulu_strerror(rc));
        return rc;
    }
    ne = calloc(n ? n : 1, sizeof *ne);
    nt = calloc(n ? n : 1, sizeof *nt);
    nc = calloc(n ? n : 1, sizeof *nc);
    if (!ne || !nt || !nc) {
        rc = TAULU_ENOMEM;
        goto fail;
    }
    for (i = 0; i < n; i++) {
        ne[i].id = s[i].id;
        ne[i].centre_id = s[i].centre_id;
        ne[i].profile = s[i].profile;
        ne[i].has_token = s[i].has_token;
        memcpy(ne[i].token_hash, s[i].token_hash, TAULU_SHA256_LEN);
        if (srv_screen_wire_id(s[i].id, ne[i].wire) < 0) {
            rc = TAULU_EVALUE;
            goto fail;
        }
    }
    if (n > 1) {
        qsort(ne, n, sizeof *ne, cmp_entry_id);
    }

    pthread_rwlock_rdlock(&p->lock);
    for (i = 0; i < n; i++) {
        struct entry *old = find_entry(p, ne[i].id);
        if (old) {
            ne[i].has_state = old->has_state;
            ne[i].st = old->st;
            ne[i].stored = old->stored;
            ne[i].status = old->status;
            ne[i].has_saved = old->has_saved;
            ne[i].saved = old->saved;
            ne[i].play = old->play;
            if (old->blob && old->centre_id == ne[i].centre_id) {
                ne[i].blob = blob_ref(old->blob);
            }
        }
        if (ne[i].has_token) {
            nt[ntok++] = &ne[i];
        }
        /* centres, deduplicated below */
        for (k = 0; k < nnc && nc[k].id != ne[i].centre_id; k++) {
        }
        if (k == nnc) {
            struct centre_info *oc = find_centre(p, ne[i].centre_id);
            nc[nnc].id = ne[i].centre_id;
            nc[nnc].next_change = INT64_MAX;
            if (oc) {
                /* Keep what the last build learnt; it is rebuilt anyway. */
                nc[nnc].next_change = oc->next_change;
                nc[nnc].built = oc->built;
                memcpy(nc[nnc].facts_sha, oc->facts_sha, sizeof oc->facts_sha);
                memcpy(nc[nnc].tz, oc->tz, sizeof oc->tz);
                memcpy(nc[nnc].hours, oc->hours, sizeof oc->hours);
                nc[nnc].n_hours = oc->n_hours;
                nc[nnc].hours_given = oc->hours_given;
            }
            nnc++;
        }
    }
    pthread_rwlock_unlock(&p->lock);
    if (ntok > 1) {
        qsort(nt, ntok, sizeof *nt, cmp_token);
    }
    if (nnc > 1) {
        qsort(nc, nnc, sizeof *nc, cmp_centre);
    }

    pthread_rwlock_wrlock(&p->lock);
    /* What the views read of each centre goes with it (a follower has no
     * build to learn it again from; the leader's next build replaces it,
     * and a refusal it keeps is then not counted as new again). */
    for (i = 0; i < nnc; i++) {
        struct centre_info *oc = find_centre(p, nc[i].id);
        if (oc) {
            nc[i].items = oc->items;
            nc[i].n_items = oc->n_items;
            nc[i].alerts = oc->alerts;
            nc[i].n_alerts = oc->n_alerts;
            nc[i].refused = oc->refused;
            nc[i].stored = oc->stored;
            nc[i].stored_known = oc->stored_known;
            oc->items = NULL;
            oc->alerts = NULL;
            oc->n_items = oc->n_alerts = 0;
            memset(&oc->refused, 0, sizeof oc->refused);
            memset(&oc->stored, 0, sizeof oc->stored);
        }
    }
    olde = p->e;
    oldn = p->n;
    oldt = p->by_token;
    oldc = p->c;
    oldnc = p->nc;
    p->e = ne;
    p->n = n;
    p->by_token = nt;
    p->n_tokens = ntok;
    p->c = nc;
    p->nc = nnc;
    pthread_rwlock_unlock(&p->lock);

    for (i = 0; i < oldn; i++) {
        srv_pub_blob_unref(olde[i].blob);
    }
    for (i = 0; i < oldnc; i++) {
        centre_info_release(&oldc[i]);
    }
    free(olde);
    free(oldt);
    free(oldc);
    free(s);
    return 0;
fail:
    if (ne) {
        for (i = 0; i < n; i++) {
            srv_pub_blob_unref(ne[i].blob);
        }
    }
    free(ne);
    free(nt);
    free(nc);
    free(s);
    return rc;
}

struct change {
    struct entry *e;
    struct srv_pub_blob *blob;
    struct srv_pub_state st;
    bool save;
};

static void publish_pointer(struct srv_publisher *p, const char *wire,
                            int64_t seq, const char *sha)
{
    struct srv_mqtt *m = atomic_load(&p->mqtt);

    /* A follower never publishes, nor one that just lost the lead. */
    if (!atomic_load(&p->leading)) {
        return;
    }
    if (m && srv_mqtt_publish_desired(m, wire, seq, sha) == 0) {
        atomic_fetch_add(&p->pointers, 1);
    }
}

/* Saves ci's left-out list if the database holds another
 * (backend.save_refusals()); whether it saved one. Worker (the only
 * writer of ci's lists), without `lock`. */
static bool save_refused(struct srv_publisher *p, struct centre_info *ci,
                         int64_t now)
{
    struct srv_manifest_refusals copy = {0};
    struct srv_pub_refusal *v = NULL;
    size_t i;
    int rc;

    if (!p->be.save_refusals || !atomic_load(&p->leading) ||
        (ci->stored_known && refusals_same(&ci->stored, &ci->refused))) {
        return false;
    }
    if (refusals_copy(&copy, &ci->refused) < 0 ||
        !(v = calloc(copy.n ? copy.n : 1, sizeof *v))) {
        rc = TAULU_ENOMEM;
        goto out;
    }
    for (i = 0; i < copy.n; i++) {
        v[i].centre_id = ci->id;
        v[i].alert = copy.v[i].alert;
        v[i].id = copy.v[i].id;
        v[i].placement_id = copy.v[i].placement_id;
        v[i].reason = copy.v[i].reason;
    }
    rc = p->be.save_refusals(p->be.ctx, ci->id, v, copy.n);
    if (rc == TAULU_ECONFLICT && p->be.lead) {
        atomic_store(&p->leading, false); /* fenced, as in rebuild_centre */
    }
out:
    if (rc < 0) {
        taulu_warn("publish",
                   "cannot save what centre %lld left out: %s; trying "
                   "again shortly",
                   (long long)ci->id, taulu_strerror(rc));
        ci->next_change = now + 5;
        srv_manifest_refusals_release(&copy);
    } else {
        pthread_rwlock_wrlock(&p->lock);
        srv_manifest_refusals_release(&ci->stored);
        ci->stored = copy;
        ci->stored_known = true;
        pthread_rwlock_unlock(&p->lock);
    }
    free(v);
    return rc == 0;
}

/* Rebuilds one centre's screens. Worker thread only. */
static void rebuild_centre(struct srv_publisher *p, struct centre_info *ci,
                           int64_t now)
{
    struct srv_snapshot snap;
    struct taulu_manifest *content = NULL;
    struct change *ch = NULL;
    struct srv_pub_state *states = NULL;
    struct srv_manifest_refusals refused = {0};
    struct centre_facts facts = {0};
    void *holder = NULL;
    size_t i, nch = 0, nsave = 0, count = 0, fresh = 0;
    bool told = false;
    int rc, save_rc = 0;

    memset(&snap, 0, sizeof snap);
    rc = p->be.load_snapshot(p->be.ctx, ci->id, now, &snap, &holder);
    if (rc < 0) {
        taulu_err("publish", "cannot load centre %lld: %s", (long long)ci->id,
                  taulu_strerror(rc));
        atomic_fetch_add(&p->failures, 1);
        /* Try again soon rather than waiting for the next trigger. */
        ci->next_change = now + 5;
        return;
    }
    content = taulu_manifest_new();
    if (!content ||
        srv_manifest_build_content(&snap, now, content, &refused) < 0) {
        taulu_err("publish", "cannot build centre %lld: out of memory",
                  (long long)ci->id);
        atomic_fetch_add(&p->failures, 1);
        ci->next_change = now + 5;
        goto out;
    }
    /* Left out: logged when first seen, kept for the contact person's
     * views and counted (srv_publisher_refusals(), /metrics). */
    for (i = 0; i < refused.n; i++) {
        if (!refusal_listed(&ci->refused, &refused.v[i])) {
            fresh++;
            taulu_warn("publish", "centre %lld: %s %lld left out: %s",
                       (long long)ci->id, refused.v[i].alert ? "alert" : "item",
                       (long long)refused.v[i].id, refused.v[i].reason);
        }
    }
    atomic_fetch_add(&p->refused_total, fresh);
    ci->next_change = srv_manifest_next_change(&snap, now);
    atomic_fetch_add(&p->builds, 1);

    for (i = 0; i < p->n; i++) {
        count += p->e[i].centre_id == ci->id;
    }
    ch = calloc(count ? count : 1, sizeof *ch);
    states = calloc(count ? count : 1, sizeof *states);
    if (!ch || !states || centre_facts_of(content, &facts) < 0) {
        atomic_fetch_add(&p->failures, 1);
        ci->next_change = now + 5;
        goto out;
    }

    for (i = 0; i < p->n; i++) {
        struct entry *e = &p->e[i];
        struct taulu_manifest m;
        struct srv_pub_state st;
        char digest[TAULU_SHA256_HEX_LEN + 1], sha[TAULU_SHA256_HEX_LEN + 1];
        struct taulu_buf why;
        bool same;

        if (e->centre_id != ci->id) {
            continue;
        }
        srv_manifest_for_screen(content, e->wire, &e->profile, e->st.seq,
                                e->st.built_at, &m);
        taulu_buf_init(&why, 512);
        rc = srv_manifest_digest(&m, &p->scratch, digest, &why);
        if (rc < 0) {
            taulu_err("publish", "manifest of %s is not valid: %s", e->wire,
                      why.data);
            taulu_buf_release(&why);
            atomic_fetch_add(&p->failures, 1);
            continue;
        }
        taulu_buf_release(&why);
        /* Unchanged, unless the build is a month old: then a new one,
         * so a screen's built_at never gets old enough for its clock rule
         * (docs/player.md) to take a right clock for a wrong one. */
        same = e->has_state && strcmp(digest, e->st.digest) == 0 &&
               now - e->st.built_at < SRV_PUB_REFRESH_S;
        if (same && e->blob) {
            continue; /* nothing visible changed */
        }
        st = e->st;
        st.screen_id = e->id;
        if (!same) {
            /* A new version: seq up by one, built now. */
            st.seq = e->has_state ? e->st.seq + 1 : 1;
            if (st.seq > TAULU_MANIFEST_MAX_SEQ) {
                st.seq = TAULU_MANIFEST_MAX_SEQ;
            }
            st.built_at = now;
            memcpy(st.digest, digest, sizeof digest);
            m.seq = st.seq;
            m.built_at = st.built_at;
        }
        /* else: rebuilt after a restart with the saved seq and time, so
         * the bytes, and the sha256 the screens hold, are the same. */
        rc = srv_manifest_sign(&m, p->sk, &p->scratch, &p->signed_buf, sha,
                               NULL);
        if (rc < 0) {
            taulu_err("publish", "cannot sign the manifest of %s: %s", e->wire,
                      taulu_strerror(rc));
            atomic_fetch_add(&p->failures, 1);
            continue;
        }
        atomic_fetch_add(&p->signed_count, 1);
        memcpy(st.sha256, sha, sizeof sha);
        ch[nch].e = e;
        /* Saved also when the database lacks the bytes (a state saved
         * before they were kept): the other instances serve them. */
        ch[nch].save = !same || strcmp(e->st.sha256, sha) != 0 || !e->stored;
        ch[nch].blob =
            blob_new(p->signed_buf.data, p->signed_buf.len, st.seq, sha);
        if (!ch[nch].blob) {
            atomic_fetch_add(&p->failures, 1);
            continue;
        }
        st.manifest = NULL;
        ch[nch].st = st;
        if (ch[nch].save) {
            states[nsave] = st;
            states[nsave].manifest = ch[nch].blob->data;
            states[nsave].manifest_len = ch[nch].blob->len;
            nsave++;
        }
        nch++;
    }

    /* Persist first: a seq that a screen may have seen is never given out
     * again, even if we crash right after publishing. */
    if (nsave) {
        rc = save_rc = p->be.save_states(p->be.ctx, states, nsave);
        if (rc == TAULU_ECONFLICT && p->be.lead) {
            /* Fenced: another instance holds the lock. Stop publishing
             * now; the worker's next check makes this a follower. */
            atomic_store(&p->leading, false);
            taulu_warn("publish",
                       "centre %lld: no longer the publishing "
                       "instance; its manifests were not saved",
                       (long long)ci->id);
        }
        if (rc < 0) {
            taulu_err("publish",
                      "cannot save manifest versions of centre "
                      "%lld: %s; keeping the previous ones",
                      (long long)ci->id, taulu_strerror(rc));
            atomic_fetch_add(&p->failures, 1);
            for (i = 0; i < nch; i++) {
                srv_pub_blob_unref(ch[i].blob);
            }
            nch = 0;
            ci->next_change = now + 5;
        }
    }

    pthread_rwlock_wrlock(&p->lock);
    for (i = 0; i < nch; i++) {
        struct srv_pub_blob *old = ch[i].e->blob;
        ch[i].e->blob = ch[i].blob;
        ch[i].e->st = ch[i].st;
        ch[i].e->has_state = true;
        ch[i].e->stored |= ch[i].save;
        ch[i].blob = old; /* unref'd below, outside the lock */
    }
    /* Wake up again when the oldest build of the centre needs renewing. */
    for (i = 0; i < p->n; i++) {
        if (p->e[i].centre_id == ci->id && p->e[i].has_state &&
            p->e[i].st.built_at + SRV_PUB_REFRESH_S < ci->next_change) {
            ci->next_change = p->e[i].st.built_at + SRV_PUB_REFRESH_S;
        }
    }
    /* What the centre's screens show now, read from the content as a
     * follower reads it from the manifests (centre_facts_of()). */
    centre_facts_install(ci, &facts, NULL);
    srv_manifest_refusals_release(&ci->refused);
    ci->refused = refused;
    memset(&refused, 0, sizeof refused);
    pthread_rwlock_unlock(&p->lock);
    /* The left-out list for the other instances, when it changed (they
     * have no build to learn it from); after the states, so a fenced
     * instance has stopped by now. */
    if (save_rc == 0 && save_refused(p, ci, now)) {
        told = true;
    }

    if (nsave) {
        taulu_info("publish",
                   "centre %lld: %zu of %zu screens have a new "
                   "manifest",
                   (long long)ci->id, nsave, count);
    }
    if (((nsave && nch > 0) || told) && p->be.notify) {
        /* The other instances load the saved bytes. Told before the
         * pointers go out: a screen's GET on its new pointer may reach
         * another instance, which then waits for its load
         * (wait_followed()) instead of serving the manifest before.
         * " r": the left-out list changed too (they load it then). */
        char note[40];
        snprintf(note, sizeof note, "b %lld%s", (long long)ci->id,
                 told ? " r" : "");
        if (p->be.notify(p->be.ctx, note) < 0) {
            taulu_warn("publish",
                       "cannot tell the other instances "
                       "about centre %lld",
                       (long long)ci->id);
        }
    }
    for (i = 0; i < nch; i++) {
        srv_pub_blob_unref(ch[i].blob);
        publish_pointer(p, ch[i].e->wire, ch[i].e->st.seq, ch[i].e->st.sha256);
    }
out:
    srv_manifest_refusals_release(&refused);
    free(facts.items);
    free(facts.alerts);
    free(ch);
    free(states);
    taulu_manifest_free(content);
    p->be.release_snapshot(p->be.ctx, holder);
}

/* ---- status in the database ---- */

bool srv_pub_status_due(const struct srv_pub_status *saved,
                        const struct srv_pub_status *cur)
{
    size_t i;

    if (!cur->known) {
        return false;
    }
    if (!saved || !saved->known) {
        return true;
    }
    if (saved->online != cur->online || saved->has_seq != cur->has_seq ||
        saved->applied_seq != cur->applied_seq ||
        strcmp(saved->applied_sha256, cur->applied_sha256) != 0 ||
        strcmp(saved->error, cur->error) != 0 ||
        saved->n_alert_ack != cur->n_alert_ack) {
        return true;
    }
    for (i = 0; i < cur->n_alert_ack; i++) {
        if (strcmp(saved->alert_ack[i], cur->alert_ack[i]) != 0) {
            return true;
        }
    }
    if (saved->has_profile != cur->has_profile ||
        (cur->has_profile &&
         memcmp(&saved->profile, &cur->profile, sizeof cur->profile) != 0) ||
        saved->n_unplaced != cur->n_unplaced ||
        saved->n_paged != cur->n_paged) {
        return true;
    }
    for (i = 0; i < cur->n_unplaced; i++) {
        if (strcmp(saved->unplaced[i], cur->unplaced[i]) != 0) {
            return true;
        }
    }
    for (i = 0; i < cur->n_paged; i++) {
        if (strcmp(saved->paged[i], cur->paged[i]) != 0) {
            return true;
        }
    }
    /* Only last_seen can differ now: heartbeats and card changes. */
    return cur->last_seen < saved->last_seen ||
           cur->last_seen - saved->last_seen >= SRV_PUB_SEEN_WRITE_S;
}

static bool entry_due(const struct entry *e)
{
    return srv_pub_status_due(e->has_saved ? &e->saved : NULL, &e->status);
}

/* Writes one screen's status (the publisher's row, then the screen's
 * record) and remembers it as written. The caller holds save_mu, not
 * lock. 0 or the backend's code. */
static int save_one(struct srv_publisher *p, int64_t id,
                    const struct srv_pub_status *st)
{
    struct entry *e;
    int rc = 0;

    if (p->be.save_status) {
        rc = p->be.save_status(p->be.ctx, id, st);
    }
    if (rc == 0 && p->be.save_screen_status) {
        rc = p->be.save_screen_status(p->be.ctx, id, st);
        if (rc == TAULU_ENOTFOUND) {
            rc = 0; /* deleted meanwhile: nothing to keep */
        }
    }
    if (rc < 0) {
        return rc;
    }
    pthread_rwlock_wrlock(&p->lock);
    e = find_entry(p, id);
    if (e) {
        e->saved = *st;
        e->has_saved = true;
    }
    pthread_rwlock_unlock(&p->lock);
    return 0;
}

/* Writes every status the database does not have yet: those whose write
 * failed, those that changed while this instance followed, and after
 * start or a takeover the saved ones whose screen record disagrees (an
 * earlier run could not write it). Worker. */
static void save_pending(struct srv_publisher *p)
{
    struct pending {
        int64_t id;
        struct srv_pub_status st;
    } *v = NULL;
    size_t i, n = 0, k = 0, failed = 0;
    int rc = 0;

    pthread_mutex_lock(&p->save_mu);
    pthread_rwlock_rdlock(&p->lock);
    for (i = 0; i < p->n; i++) {
        n += entry_due(&p->e[i]);
    }
    if (n > 0) {
        v = malloc(n * sizeof *v);
    }
    for (i = 0; v && i < p->n && k < n; i++) {
        if (entry_due(&p->e[i])) {
            v[k].id = p->e[i].id;
            v[k].st = p->e[i].status;
            k++;
        }
    }
    pthread_rwlock_unlock(&p->lock);
    for (i = 0; i < k; i++) {
        int r = save_one(p, v[i].id, &v[i].st);
        if (r < 0) {
            failed++;
            rc = r;
        }
    }
    pthread_mutex_unlock(&p->save_mu);
    if (failed > 0) {
        taulu_warn("publish",
                   "cannot save the status of %zu screens: %s; trying again "
                   "on the next pass",
                   failed, taulu_strerror(rc));
    }
    free(v);
}

/* The left-out lists the database holds, as each centre's `stored` (the
 * leader then saves only a list that differs) and, `shown` (a follower),
 * as the list its views show. Worker, or start. */
static void load_refused(struct srv_publisher *p, bool shown)
{
    struct srv_pub_refusal *v = NULL;
    struct srv_pool pool;
    size_t n = 0, i;
    int rc;

    if (!p->be.load_refusals) {
        return;
    }
    srv_pool_init(&pool);
    rc = p->be.load_refusals(p->be.ctx, &pool, &v, &n);
    if (rc < 0) {
        taulu_warn("publish", "cannot load the left-out lists: %s",
                   taulu_strerror(rc));
        srv_pool_release(&pool);
        return;
    }
    pthread_rwlock_wrlock(&p->lock);
    for (i = 0; i < p->nc; i++) {
        srv_manifest_refusals_release(&p->c[i].stored);
        p->c[i].stored_known = true;
    }
    for (i = 0; i < n; i++) {
        struct centre_info *ci = find_centre(p, v[i].centre_id);
        struct srv_manifest_refusal x;

        if (!ci) {
            continue; /* a centre without screens now */
        }
        memset(&x, 0, sizeof x);
        x.alert = v[i].alert;
        x.id = v[i].id;
        x.placement_id = v[i].placement_id;
        snprintf(x.reason, sizeof x.reason, "%s",
                 v[i].reason ? v[i].reason : "");
        if (refusal_add(&ci->stored, &x) < 0) {
            ci->stored_known = false; /* saved again at the next build */
        }
    }
    for (i = 0; shown && i < p->nc; i++) {
        if (refusals_copy(&p->c[i].refused, &p->c[i].stored) < 0) {
            p->c[i].stored_known = false;
        }
    }
    pthread_rwlock_unlock(&p->lock);
    srv_pool_release(&pool);
}

static void load_saved(struct srv_publisher *p)
{
    struct srv_pub_state *st = NULL;
    struct srv_pub_status_row *ss = NULL;
    struct srv_pool pool;
    size_t n = 0, i;

    srv_pool_init(&pool);
    if (p->be.load_states &&
        p->be.load_states(p->be.ctx, &pool, &st, &n) == 0) {
        pthread_rwlock_wrlock(&p->lock);
        for (i = 0; i < n; i++) {
            struct entry *e = find_entry(p, st[i].screen_id);
            if (e) {
                e->st = st[i];
                e->st.manifest = NULL;
                e->has_state = true;
                e->stored = st[i].has_manifest;
            }
        }
        pthread_rwlock_unlock(&p->lock);
    }
    n = 0;
    if (p->be.load_statuses &&
        p->be.load_statuses(p->be.ctx, &pool, &ss, &n) == 0) {
        pthread_rwlock_wrlock(&p->lock);
        for (i = 0; i < n; i++) {
            struct entry *e = find_entry(p, ss[i].screen_id);
            if (!e) {
                continue;
            }
            /* What a follower heard over MQTT is newer than the rows. */
            if (!e->status.known) {
                e->status = ss[i].status;
            }
            /* What the database holds: save_pending() writes only a
             * status that differs from it (one a follower heard since),
             * or one whose screen record missed its write. Not every
             * screen once, as a takeover did before (two writes each). */
            e->saved = ss[i].status;
            e->has_saved = ss[i].record_agrees;
        }
        pthread_rwlock_unlock(&p->lock);
    }
    srv_pool_release(&pool);
    load_refused(p, !atomic_load(&p->leading));
}

/* Screens reported online but silent for more than SRV_PUB_SILENT_S: taken
 * as offline (save_pending then writes them). Worker. */
static void mark_silent(struct srv_publisher *p, int64_t now)
{
    size_t i;

    pthread_rwlock_wrlock(&p->lock);
    for (i = 0; i < p->n; i++) {
        struct srv_pub_status *st = &p->e[i].status;
        if (st->online && now - st->last_seen > SRV_PUB_SILENT_S) {
            st->online = false;
            taulu_notice(
                "publish", "screen %lld silent for %lld s: taken as offline",
                (long long)p->e[i].id, (long long)(now - st->last_seen));
        }
    }
    pthread_rwlock_unlock(&p->lock);
}

static bool listed(const int64_t *v, size_t n, int64_t x)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (v[i] == x) {
            return true;
        }
    }
    return false;
}

/* Of `ids`, those whose saved sha256 differs from the blob in memory
 * (all: every screen's saved state read without its bytes). Worker. */
static size_t follow_changed(struct srv_publisher *p, int64_t *ids, size_t n)
{
    struct srv_pub_state *st = NULL;
    struct srv_pool pool;
    size_t ns = 0, i, k = 0;

    srv_pool_init(&pool);
    if (p->be.load_states(p->be.ctx, &pool, &st, &ns) < 0) {
        srv_pool_release(&pool);
        return n; /* cannot tell: load them all */
    }
    pthread_rwlock_rdlock(&p->lock);
    for (i = 0; i < ns; i++) {
        struct entry *e = find_entry(p, st[i].screen_id);
        if (e && st[i].has_manifest &&
            (!e->blob || strcmp(e->blob->sha256, st[i].sha256) != 0) && k < n) {
            ids[k++] = e->id;
        }
    }
    pthread_rwlock_unlock(&p->lock);
    srv_pool_release(&pool);
    return k;
}

/* A follower's views of the centres `dirty` (all: every centre) and of
 * those it has not read yet (struct centre_info): the cards, alerts and
 * hours from the signed manifest of the centre's screen built last (the
 * one that shows the current content: an unchanged screen keeps its
 * older build of the same content), the left-out lists from the leader's
 * saved copy. Worker. */
static void follow_views(struct srv_publisher *p, bool all,
                         const int64_t *dirty, size_t ndirty,
                         const int64_t *ids, size_t nids)
{
    struct pick {
        bool want;
        const struct entry *best;
        struct srv_pub_blob *blob;
    } * v;
    size_t i, nc, count;
    bool unread = false, scan;

    pthread_rwlock_rdlock(&p->lock);
    nc = p->nc;
    v = calloc(nc ? nc : 1, sizeof *v);
    for (i = 0; v && i < nc; i++) {
        v[i].want = all || !p->c[i].built || listed(dirty, ndirty, p->c[i].id);
        unread |= !p->c[i].built;
    }
    /* One centre's notification: only its screens (`ids`), not a pass
     * over the county's. */
    scan = all || unread || !ids;
    count = scan ? p->n : nids;
    for (i = 0; v && i < count; i++) {
        const struct entry *e = scan ? &p->e[i] : find_entry(p, ids[i]);
        struct centre_info *ci;
        struct pick *k;

        if (!e) {
            continue;
        }
        ci = find_centre(p, e->centre_id);
        k = ci ? &v[ci - p->c] : NULL;

        if (!k || !k->want || !e->blob) {
            continue;
        }
        if (!k->best || e->st.built_at > k->best->st.built_at ||
            (e->st.built_at == k->best->st.built_at &&
             e->st.seq > k->best->st.seq)) {
            k->best = e;
        }
    }
    for (i = 0; v && i < nc; i++) {
        /* the one read last time: nothing to read again */
        if (v[i].best &&
            strcmp(v[i].best->blob->sha256, p->c[i].facts_sha) != 0) {
            v[i].blob = blob_ref(v[i].best->blob);
        }
    }
    pthread_rwlock_unlock(&p->lock);
    if (!v) {
        return;
    }
    for (i = 0; i < nc; i++) {
        struct taulu_manifest *m = NULL;
        struct centre_facts f;
        const char *json;

        if (!v[i].blob) {
            continue;
        }
        /* The signed blob is a header line, then the manifest's JSON:
         * bytes this store's leader signed, so not verified again. */
        json = memchr(v[i].blob->data, '\n', v[i].blob->len);
        if (json &&
            taulu_manifest_parse(
                json + 1, v[i].blob->len - (size_t)(json + 1 - v[i].blob->data),
                &m, NULL) == 0 &&
            centre_facts_of(m, &f) == 0) {
            pthread_rwlock_wrlock(&p->lock);
            /* the worker alone changes the centres: index i is the same */
            centre_facts_install(&p->c[i], &f, v[i].blob->sha256);
            pthread_rwlock_unlock(&p->lock);
        } else {
            taulu_warn("publish", "cannot read the saved manifest of %s",
                       v[i].best->wire);
        }
        taulu_manifest_free(m);
        srv_pub_blob_unref(v[i].blob);
    }
    free(v);
    /* Only when the leader said one changed (or all may have): a
     * notification for new manifests alone costs no query more. */
    if (all || p->refused_pass) {
        load_refused(p, true);
    }
}

/* A follower's pass: the manifests the leader saved for the screens of
 * the centres `dirty` (all: every screen), loaded into memory, so that
 * GET and its 304 are served here as on the leader. Worker. */
static void follow(struct srv_publisher *p, bool screens, bool all,
                   const int64_t *dirty, size_t ndirty)
{
    struct srv_pub_state *st = NULL;
    struct srv_pub_blob **blobs = NULL;
    struct srv_pool pool;
    int64_t *ids = NULL;
    size_t nids = 0, n = 0, i;
    int rc;

    if (screens && reload_screens(p) == 0) {
        all = true;
    }
    if (!p->be.load_manifests) {
        return;
    }
    srv_pool_init(&pool);
    pthread_rwlock_rdlock(&p->lock);
    ids = malloc((p->n ? p->n : 1) * sizeof *ids);
    for (i = 0; ids && i < p->n; i++) {
        if (all || listed(dirty, ndirty, p->e[i].centre_id)) {
            ids[nids++] = p->e[i].id;
        }
    }
    pthread_rwlock_unlock(&p->lock);
    if (all && nids > 0) {
        /* only what differs: a county's bytes are not read for nothing */
        nids = follow_changed(p, ids, nids);
    }
    if (nids == 0) {
        goto out;
    }
    rc = p->be.load_manifests(p->be.ctx, &pool, ids, nids, &st, &n);
    if (rc < 0) {
        taulu_warn("publish", "cannot load the saved manifests: %s",
                   taulu_strerror(rc));
        atomic_fetch_add(&p->failures, 1);
        goto out;
    }
    blobs = calloc(n ? n : 1, sizeof *blobs);
    for (i = 0; blobs && i < n; i++) {
        blobs[i] = blob_new(st[i].manifest, st[i].manifest_len, st[i].seq,
                            st[i].sha256);
    }
    if (!blobs) {
        goto out;
    }
    pthread_rwlock_wrlock(&p->lock);
    for (i = 0; i < n; i++) {
        struct entry *e = find_entry(p, st[i].screen_id);
        struct srv_pub_blob *old;

        if (!e || !blobs[i] ||
            (e->blob && strcmp(e->blob->sha256, st[i].sha256) == 0)) {
            continue;
        }
        old = e->blob;
        e->blob = blobs[i];
        blobs[i] = old; /* unref'd below, outside the lock */
        e->st = st[i];
        e->st.manifest = NULL;
        e->has_state = true;
        e->stored = true;
    }
    pthread_rwlock_unlock(&p->lock);
    for (i = 0; i < n; i++) {
        srv_pub_blob_unref(blobs[i]);
    }
out:
    /* also when no bytes changed: a left-out list may have; `ids` are
     * still the screens of `dirty` unless `all` */
    follow_views(p, all, dirty, ndirty, ids, nids);
    free(blobs);
    free(ids);
    srv_pool_release(&pool);
}

/* One pass of work: what was asked for plus every centre whose boundary
 * has come; a follower's instead (follow()). */
static void work(struct srv_publisher *p, bool screens, bool all,
                 const int64_t *dirty, size_t ndirty)
{
    int64_t now = now_of(p), t0 = taulu_monotonic_ms();
    size_t i, k;

    if (!atomic_load(&p->leading)) {
        follow(p, screens, all, dirty, ndirty);
        return;
    }
    if (screens) {
        if (reload_screens(p) == 0) {
            all = true;
        }
    }
    for (i = 0; i < p->nc; i++) {
        struct centre_info *ci = &p->c[i];
        bool go = all || !ci->built || ci->next_change <= now;

        for (k = 0; !go && k < ndirty; k++) {
            go = dirty[k] == ci->id;
        }
        if (!atomic_load(&p->leading)) {
            return; /* fenced meanwhile: nothing more, not even statuses */
        }
        if (go) {
            rebuild_centre(p, ci, now);
        }
    }
    atomic_store(&p->last_build_ms, taulu_monotonic_ms() - t0);
    mark_silent(p, now);
    save_pending(p);
}

static int64_t next_wake(struct srv_publisher *p, int64_t now)
{
    int64_t best = now + SRV_PUB_MAX_SLEEP_S;
    size_t i;

    for (i = 0; i < p->nc; i++) {
        if (p->c[i].next_change < best) {
            best = p->c[i].next_change;
        }
    }
    /* and when an online screen will have been silent too long */
    pthread_rwlock_rdlock(&p->lock);
    for (i = 0; i < p->n; i++) {
        const struct srv_pub_status *st = &p->e[i].status;
        if (st->online && st->last_seen + SRV_PUB_SILENT_S + 1 < best) {
            best = st->last_seen + SRV_PUB_SILENT_S + 1;
        }
    }
    pthread_rwlock_unlock(&p->lock);
    return best;
}

/* Asks backend.lead() whether this instance publishes. Taking over: the
 * saved states and every centre built as at start, then every pointer
 * published again (the old leader may have died between its save and its
 * pointers). Worker, without `mu`. */
static void check_lead(struct srv_publisher *p)
{
    bool was = atomic_load(&p->leading), now = false;
    int64_t t0 = taulu_monotonic_ms();

    if (p->be.lead(p->be.ctx, &now) < 0) {
        now = false;
    }
    if (now == was) {
        return;
    }
    if (!now) {
        atomic_store(&p->leading, false);
        taulu_warn("publish", "no longer the publishing instance: following");
        return;
    }
    taulu_notice("publish", "taking over publishing");
    atomic_store(&p->leading, true);
    if (reload_screens(p) == 0) {
        load_saved(p);
        work(p, false, true, NULL, 0);
        republish(p);
    }
    taulu_notice("publish", "publishing (took over in %lld ms)",
                 (long long)(taulu_monotonic_ms() - t0));
}

static void *worker(void *arg)
{
    struct srv_publisher *p = arg;

    pthread_mutex_lock(&p->mu);
    while (!p->stop) {
        bool screens, all;
        int64_t *dirty;
        size_t ndirty;
        uint64_t gen;

        /* a turn of the loop: the watchdog's probe is answered */
        p->probe_seen = p->probe_asked;
        if (p->be.lead && taulu_monotonic_ms() >= p->next_lead_ms) {
            p->next_lead_ms = taulu_monotonic_ms() + 1000;
            pthread_mutex_unlock(&p->mu);
            check_lead(p);
            pthread_mutex_lock(&p->mu);
            continue;
        }
        if (!p->all_dirty && !p->screens_dirty && p->ndirty == 0 &&
            p->requested == p->done) {
            int64_t now = now_of(p);
            /* a follower has no boundaries of its own */
            int64_t wake = atomic_load(&p->leading) ? next_wake(p, now)
                                                    : now + SRV_PUB_MAX_SLEEP_S;

            if (p->be.lead && wake > now + 1) {
                wake = now + 1; /* the lock is asked about every second */
            }

            if (wake > now) {
                struct timespec ts;
                clock_gettime(CLOCK_REALTIME, &ts);
                /* Sleep by the wall clock (boundaries are wall instants);
                 * with a test clock the distance is what counts. */
                ts.tv_sec += (time_t)(wake - now);
                pthread_cond_timedwait(&p->cv, &p->mu, &ts);
                continue;
            }
        }
        screens = p->screens_dirty;
        all = p->all_dirty;
        p->refused_pass = p->refused_dirty;
        p->refused_dirty = false;
        dirty = p->dirty;
        ndirty = p->ndirty;
        gen = p->requested;
        p->screens_dirty = p->all_dirty = false;
        p->dirty = NULL;
        p->ndirty = p->capdirty = 0;
        pthread_mutex_unlock(&p->mu);

        work(p, screens, all, dirty, ndirty);
        free(dirty);

        pthread_mutex_lock(&p->mu);
        p->done = gen;
        pthread_cond_broadcast(&p->cv);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

static uint64_t request(struct srv_publisher *p, int64_t centre, bool all,
                        bool screens)
{
    uint64_t gen;

    pthread_mutex_lock(&p->mu);
    if (centre > 0) {
        if (p->ndirty == p->capdirty) {
            size_t cap = p->capdirty ? p->capdirty * 2 : 16;
            int64_t *d = realloc(p->dirty, cap * sizeof *d);
            if (d) {
                p->dirty = d;
                p->capdirty = cap;
            } else {
                all = true; /* cannot remember which: do them all */
            }
        }
        if (p->ndirty < p->capdirty) {
            p->dirty[p->ndirty++] = centre;
        }
    }
    p->all_dirty |= all;
    p->screens_dirty |= screens;
    gen = ++p->requested;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    return gen;
}

/* Tells the other instances of a trigger: "<kind>[ <centre>] <tag>". The
 * leader builds what it hears; this instance's own worker has it
 * already. */
static void tell(struct srv_publisher *p, char kind, int64_t centre)
{
    char note[64];

    if (!p->be.notify) {
        return;
    }
    if (centre > 0) {
        snprintf(note, sizeof note, "%c %lld %s", kind, (long long)centre,
                 p->tag);
    } else {
        snprintf(note, sizeof note, "%c %s", kind, p->tag);
    }
    if (p->be.notify(p->be.ctx, note) < 0) {
        /* The change is in the database: a leader taking over or its
         * next pass over that centre finds it. */
        taulu_warn("publish", "cannot tell the other instances (%s)", note);
    }
}

void srv_publisher_centre_changed(struct srv_publisher *p, int64_t centre_id)
{
    request(p, centre_id, false, false);
    tell(p, 'c', centre_id);
}

void srv_publisher_all_changed(struct srv_publisher *p)
{
    request(p, 0, true, false);
    tell(p, 'a', 0);
}

void srv_publisher_screens_changed(struct srv_publisher *p)
{
    request(p, 0, false, true);
    tell(p, 's', 0);
}

bool srv_publisher_leading(struct srv_publisher *p)
{
    return atomic_load(&p->leading);
}

void srv_publisher_heard(struct srv_publisher *p, const char *payload)
{
    bool leading = atomic_load(&p->leading);
    char kind, *end;
    const char *rest;
    int64_t centre = 0;

    if (!payload) {
        /* some may have been missed: everything again */
        request(p, 0, true, true);
        return;
    }
    kind = payload[0];
    rest = payload[0] ? payload + 1 : payload;
    while (*rest == ' ') {
        rest++;
    }
    if (kind == 'c' || kind == 'b') {
        centre = strtoll(rest, &end, 10);
        if (end == rest || centre <= 0) {
            return;
        }
        rest = end;
        while (*rest == ' ') {
            rest++;
        }
    }
    switch (kind) {
    case 'b': /* the leader saved a centre's manifests */
        if (!leading) {
            uint64_t gen;
            pthread_mutex_lock(&p->mu);
            p->refused_dirty |= rest[0] == 'r';
            pthread_mutex_unlock(&p->mu);
            gen = request(p, centre, false, false);
            pthread_mutex_lock(&p->mu);
            if (gen > p->follow_due) {
                p->follow_due = gen;
            }
            pthread_mutex_unlock(&p->mu);
        }
        break;
    case 'c':
    case 'a':
        /* this instance's own request is queued already */
        if (leading && strcmp(rest, p->tag) != 0) {
            request(p, centre, kind == 'a', false);
        }
        break;
    case 's':
        if (strcmp(rest, p->tag) != 0) {
            request(p, 0, false, true);
        }
        break;
    default:
        taulu_debug("publish", "unknown notification \"%.40s\"", payload);
        break;
    }
}

bool srv_publisher_alive(struct srv_publisher *p)
{
    bool answered;

    pthread_mutex_lock(&p->mu);
    answered = p->probe_seen == p->probe_asked;
    p->probe_asked++;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    return answered;
}

void srv_publisher_flush(struct srv_publisher *p)
{
    uint64_t gen;

    pthread_mutex_lock(&p->mu);
    gen = ++p->requested;
    pthread_cond_broadcast(&p->cv);
    while (p->done < gen && !p->stop) {
        pthread_cond_wait(&p->cv, &p->mu);
    }
    pthread_mutex_unlock(&p->mu);
}

int srv_publisher_start(const struct srv_pub_config *cfg,
                        const struct srv_pub_backend *be,
                        struct srv_publisher **out)
{
    struct srv_publisher *p;
    int rc;

    *out = NULL;
    p = calloc(1, sizeof *p);
    if (!p) {
        return TAULU_ENOMEM;
    }
    p->be = *be;
    memcpy(p->sk, cfg->sign_sk, sizeof p->sk);
    p->now_fn = cfg->now;
    p->now_ctx = cfg->now_ctx;
    atomic_init(&p->mqtt, cfg->mqtt);
    pthread_rwlock_init(&p->lock, NULL);
    pthread_mutex_init(&p->save_mu, NULL);
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    taulu_buf_init(&p->scratch, TAULU_MANIFEST_MAX_BYTES);
    taulu_buf_init(&p->signed_buf, TAULU_MANIFEST_SIGNED_MAX_BYTES);
    {
        uint8_t r[6];
        bool lead = true;
        size_t i;

        taulu_random_bytes(r, sizeof r);
        for (i = 0; i < sizeof r; i++) {
            snprintf(p->tag + 2 * i, 3, "%02x", r[i]);
        }
        if (p->be.lead && p->be.lead(p->be.ctx, &lead) < 0) {
            lead = false;
        }
        atomic_init(&p->leading, lead);
        p->next_lead_ms = taulu_monotonic_ms() + 1000;
        if (p->be.lead) {
            taulu_notice("publish", "%s",
                         lead ? "the publishing instance"
                              : "following the publishing "
                                "instance");
        }
    }

    rc = reload_screens(p);
    if (rc < 0) {
        srv_publisher_free(p);
        return rc;
    }
    load_saved(p);
    work(p, false, true, NULL, 0);
    if (pthread_create(&p->thread, NULL, worker, p) != 0) {
        srv_publisher_free(p);
        return TAULU_ENOMEM;
    }
    p->thread_started = true;
    *out = p;
    return 0;
}

void srv_publisher_free(struct srv_publisher *p)
{
    size_t i;

    if (!p) {
        return;
    }
    if (p->thread_started) {
        pthread_mutex_lock(&p->mu);
        p->stop = true;
        pthread_cond_broadcast(&p->cv);
        pthread_mutex_unlock(&p->mu);
        pthread_join(p->thread, NULL);
    }
    for (i = 0; i < p->n; i++) {
        srv_pub_blob_unref(p->e[i].blob);
    }
    for (i = 0; i < p->nc; i++) {
        centre_info_release(&p->c[i]);
    }
    free(p->e);
    free(p->by_token);
    free(p->c);
    free(p->dirty);
    taulu_buf_release(&p->scratch);
    taulu_buf_release(&p->signed_buf);
    taulu_wipe(p->sk, sizeof p->sk);
    pthread_rwlock_destroy(&p->lock);
    pthread_mutex_destroy(&p->save_mu);
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->cv);
    free(p);
}

/* ---- MQTT ---- */

static void on_connect(void *ctx)
{
    republish(ctx);
}

/* Every current pointer published again (a leader only: publish_pointer
 * says nothing for a follower). */
static void republish(struct srv_publisher *p)
{
    struct {
        char wire[SRV_WIRE_ID_MAX];
        int64_t seq;
        char sha[TAULU_SHA256_HEX_LEN + 1];
    } * list;
    size_t n = 0, i;

    /* The broker may have lost its retained messages (restart without
     * persistence): publish every current pointer again. */
    pthread_rwlock_rdlock(&p->lock);
    list = calloc(p->n ? p->n : 1, sizeof *list);
    for (i = 0; list && i < p->n; i++) {
        if (p->e[i].blob) {
            memcpy(list[n].wire, p->e[i].wire, SRV_WIRE_ID_MAX);
            list[n].seq = p->e[i].blob->seq;
            memcpy(list[n].sha, p->e[i].blob->sha256, sizeof list[n].sha);
            n++;
        }
    }
    pthread_rwlock_unlock(&p->lock);
    for (i = 0; i < n; i++) {
        publish_pointer(p, list[i].wire, list[i].seq, list[i].sha);
    }
    free(list);
}

/* ---- the play log ---- */

struct play_span {
    int64_t screen_id;
    struct srv_play_span sp;
};

/* The play log's look-up (srv_play_items): whether `item` is a current
 * card of the manifest built for the centre (`ctx`, a centre_info, read
 * under the publisher's lock), and until when. */
static bool play_item_shown(void *ctx, int64_t item, int64_t now,
                            int64_t *until)
{
    const struct centre_info *ci = ctx;
    const struct shown_item *it;

    if (!ci || ci->n_items == 0) {
        return false;
    }
    it = bsearch(&item, ci->items, ci->n_items, sizeof *ci->items, cmp_i64);
    if (!it || now < it->from || now >= it->until) {
        return false;
    }
    *until = it->until;
    return true;
}

/* Under the write lock: the span this status credits, and those of
 * screens silent for longer than the bound. malloc'd (NULL if none). */
static struct play_span *play_collect(struct srv_publisher *p, struct entry *e,
                                      const struct taulu_proto_status *st,
                                      int64_t now, size_t *n)
{
    struct play_span *v = NULL, *nv;
    struct srv_play_span sp;
    size_t cap = 0, i;

    *n = 0;
    if (!p->be.save_plays) {
        return NULL;
    }
    for (i = 0; i <= p->n; i++) {
        struct entry *x = i < p->n ? &p->e[i] : e;
        int got;

        if (i < p->n) {
            if (x == e) {
                continue;
            }
            got = srv_play_expire(&x->play, now, &sp);
        } else {
            struct srv_play_items items = {play_item_shown,
                                           find_centre(p, x->centre_id)};
            got = srv_play_observe(&x->play, x->centre_id,
                                   st->state == TAULU_SCREEN_ONLINE,
                                   st->showing, st->at, now, &items, &sp);
        }
        if (!got) {
            continue;
        }
        if (*n == cap) {
            cap = cap ? cap * 2 : 4;
            nv = realloc(v, cap * sizeof *v);
            if (!nv) {
                abort(); /* program code: out of memory */
            }
            v = nv;
        }
        v[*n].screen_id = x->id;
        v[*n].sp = sp;
        (*n)++;
    }
    return v;
}

/* Cuts the spans at local midnights and saves them (no lock held). */
static void play_save(struct srv_publisher *p, const struct play_span *v,
                      size_t n)
{
    const struct taulu_tz *tz = taulu_tz_by_name("Europe/Helsinki");
    struct srv_pub_play *rows = NULL, *nr;
    size_t i, nrows = 0, cap = 0;
    int rc;

    for (i = 0; i < n; i++) {
        int64_t t = v[i].sp.start;
        while (t < v[i].sp.end) {
            struct srv_pub_play row;
            memset(&row, 0, sizeof row);
            t = srv_play_split(t, v[i].sp.end, tz, row.day, &row.seconds);
            if (row.seconds <= 0) {
                break;
            }
            row.screen_id = v[i].screen_id;
            row.item_id = v[i].sp.item_id;
            row.centre_id = v[i].sp.centre_id;
            if (nrows == cap) {
                cap = cap ? cap * 2 : 4;
                nr = realloc(rows, cap * sizeof *rows);
                if (!nr) {
                    abort(); /* program code: out of memory */
                }
                rows = nr;
            }
            rows[nrows++] = row;
        }
    }
    if (nrows > 0) {
        rc = p->be.save_plays(p->be.ctx, rows, nrows);
        if (rc < 0) {
            taulu_warn("publish", "cannot save %zu play-log rows: %s", nrows,
                       taulu_strerror(rc));
        }
    }
    free(rows);
}

void srv_publisher_on_status(void *ctx, const char *screen_id,
                             const struct taulu_proto_status *st)
{
    struct srv_publisher *p = ctx;
    struct srv_pub_status copy;
    struct entry *e;
    int64_t id, now = now_of(p);
    struct play_span *spans;
    size_t i, nspans = 0;
    bool due;

    if (srv_screen_id_parse(screen_id, &id) < 0) {
        return;
    }
    pthread_mutex_lock(&p->save_mu);
    pthread_rwlock_wrlock(&p->lock);
    e = find_entry(p, id);
    if (!e) {
        pthread_rwlock_unlock(&p->lock);
        pthread_mutex_unlock(&p->save_mu);
        taulu_debug("publish", "status from unknown screen %s", screen_id);
        return;
    }
    e->status.known = true;
    e->status.online = st->state == TAULU_SCREEN_ONLINE;
    if (e->status.online) {
        e->status.last_seen = now;
    }
    if (st->has_seq) {
        e->status.has_seq = true;
        e->status.applied_seq = st->seq;
        memcpy(e->status.applied_sha256, st->sha256,
               sizeof e->status.applied_sha256);
    }
    e->status.display = e->status.online ? (int)st->display : 0;
    if (e->status.online) {
        memcpy(e->status.error, st->error, sizeof e->status.error);
        e->status.n_alert_ack = st->n_alert_ack;
        for (i = 0; i < st->n_alert_ack; i++) {
            memcpy(e->status.alert_ack[i], st->alert_ack[i],
                   sizeof e->status.alert_ack[i]);
        }
        /* What the screen is and what it cannot show as one page: an
         * older player omits them (then the configured profile stays what
         * the fit check knows). */
        if (st->has_profile) {
            e->status.has_profile = true;
            e->status.profile = st->profile;
        }
        e->status.n_unplaced = st->n_unplaced;
        memcpy(e->status.unplaced, st->unplaced,
               st->n_unplaced * sizeof st->unplaced[0]);
        e->status.n_paged = st->n_paged;
        memcpy(e->status.paged, st->paged, st->n_paged * sizeof st->paged[0]);
        e->status.has_loop = st->has_loop;
        e->status.loop_s = st->loop_s;
        e->status.loop_all_s = st->loop_all_s;
        e->status.loop_turns = st->loop_turns;
        e->status.loop_window = st->loop_window;
    }
    copy = e->status;
    /* Only the publishing instance writes statuses and credits plays:
     * every instance hears every status, and the play log must not count
     * a second twice. A follower's memory is current all the same. */
    due = atomic_load(&p->leading) && entry_due(e);
    spans =
        atomic_load(&p->leading) ? play_collect(p, e, st, now, &nspans) : NULL;
    pthread_rwlock_unlock(&p->lock);
    /* Written from this thread, outside `lock` (readers of the status in
     * memory do not wait for the database). */
    if (due) {
        int rc = save_one(p, id, &copy);
        if (rc < 0) {
            taulu_warn("publish",
                       "cannot save the status of %s: %s; trying again later",
                       screen_id, taulu_strerror(rc));
        }
    }
    pthread_mutex_unlock(&p->save_mu);
    play_save(p, spans, nspans);
    free(spans);
}

void srv_publisher_mqtt_handlers(struct srv_publisher *p,
                                 struct srv_mqtt_handlers *h)
{
    memset(h, 0, sizeof *h);
    h->on_status = srv_publisher_on_status;
    h->on_connect = on_connect;
    h->ctx = p;
}

void srv_publisher_set_mqtt(struct srv_publisher *p, struct srv_mqtt *m)
{
    atomic_store(&p->mqtt, m);
    if (m && srv_mqtt_connected(m)) {
        on_connect(p);
    }
}

/* ---- hot path ---- */

int srv_publisher_screen_by_token(struct srv_publisher *p,
                                  const uint8_t token_hash[TAULU_SHA256_LEN],
                                  int64_t *screen_id)
{
    size_t lo = 0, hi;
    int rc = TAULU_ENOTFOUND;

    pthread_rwlock_rdlock(&p->lock);
    hi = p->n_tokens;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c =
            memcmp(p->by_token[mid]->token_hash, token_hash, TAULU_SHA256_LEN);
        if (c == 0) {
            /* The search compares hashes of tokens, not tokens, so its
             * timing says nothing useful; confirm in constant time. */
            if (taulu_secret_equal(p->by_token[mid]->token_hash, token_hash,
                                   TAULU_SHA256_LEN)) {
                *screen_id = p->by_token[mid]->id;
                rc = 0;
            }
            break;
        }
        if (c < 0) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    pthread_rwlock_unlock(&p->lock);
    return rc;
}

void srv_publisher_remember_token(struct srv_publisher *p,
                                  const uint8_t token_hash[TAULU_SHA256_LEN],
                                  int64_t screen_id)
{
    struct entry *e;

    pthread_rwlock_wrlock(&p->lock);
    e = find_entry(p, screen_id);
    if (e && !(e->has_token &&
               memcmp(e->token_hash, token_hash, TAULU_SHA256_LEN) == 0)) {
        bool listed = e->has_token;
        memcpy(e->token_hash, token_hash, TAULU_SHA256_LEN);
        e->has_token = true;
        if (!listed && p->n_tokens < p->n) {
            p->by_token[p->n_tokens++] = e;
        }
        /* Keep the index sorted (a few thousand pointers at most, and
         * each screen is learnt once). */
        if (p->n_tokens > 1) {
            qsort(p->by_token, p->n_tokens, sizeof *p->by_token, cmp_token);
        }
    }
    pthread_rwlock_unlock(&p->lock);
}

/* Whether an If-None-Match header names `etag` (a list, or "*"; weak
 * validators compare equal for GET, RFC 9110 13.1.2). */
static bool inm_matches(const char *inm, const char *etag)
{
    size_t elen = strlen(etag);

    while (inm && *inm) {
        size_t n;

        while (*inm == ' ' || *inm == '\t' || *inm == ',') {
            inm++;
        }
        if (*inm == '*') {
            return true;
        }
        if (inm[0] == 'W' && inm[1] == '/') {
            inm += 2;
        }
        n = strcspn(inm, ",");
        while (n > 0 && (inm[n - 1] == ' ' || inm[n - 1] == '\t')) {
            n--;
        }
        if (n == elen && memcmp(inm, etag, n) == 0) {
            return true;
        }
        inm += strcspn(inm, ",");
    }
    return false;
}

/* A follower heard that the publishing instance saved new manifests and
 * is loading them. The publishing instance sends that notification
 * before the pointers, so a screen's GET on the new pointer can reach
 * this instance (through the load balancer) while the load is still
 * running: it waits for the load, at most 2 s, rather than be given the
 * manifest before, which the player would refuse (the pointer's hash)
 * and ask for again only after its back-off. */
static void wait_followed(struct srv_publisher *p)
{
    struct timespec until;

    pthread_mutex_lock(&p->mu);
    if (p->done < p->follow_due) {
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += 2;
        while (p->done < p->follow_due && !p->stop) {
            if (pthread_cond_timedwait(&p->cv, &p->mu, &until) != 0) {
                break;
            }
        }
    }
    pthread_mutex_unlock(&p->mu);
}

int srv_publisher_manifest(struct srv_publisher *p, int64_t screen_id,
                           const char *if_none_match,
                           struct srv_pub_blob **blob,
                           char etag[TAULU_SHA256_HEX_LEN + 3])
{
    struct entry *e;
    int status;

    *blob = NULL;
    etag[0] = '\0';
    if (!atomic_load(&p->leading)) {
        wait_followed(p);
    }
    pthread_rwlock_rdlock(&p->lock);
    e = find_entry(p, screen_id);
    if (!e || !e->blob) {
        status = 404;
    } else {
        memcpy(etag, e->blob->etag, TAULU_SHA256_HEX_LEN + 3);
        if (if_none_match && inm_matches(if_none_match, e->blob->etag)) {
            status = 304;
        } else {
            *blob = blob_ref(e->blob);
            status = 200;
        }
    }
    pthread_rwlock_unlock(&p->lock);
    return status;
}

/* ---- views ---- */

bool srv_centre_is_open(const struct taulu_centre *c, int64_t now)
{
    const struct taulu_tz *tz;
    struct taulu_civil civ;
    int minute;
    size_t i;

    if (taulu_centre_always_open(c)) {
        return true;
    }
    tz = taulu_tz_by_name(c->timezone ? c->timezone : "Europe/Helsinki");
    if (!tz) {
        tz = taulu_tz_by_name("Europe/Helsinki");
    }
    if (!tz || taulu_time_to_civil(now, tz, &civ) < 0) {
        return true; /* cannot tell: assume open, so alarms are not lost */
    }
    minute = civ.hour * 60 + civ.min;
    for (i = 0; i < c->n_hours; i++) {
        if (c->hours[i].day == civ.wday && c->hours[i].open_min <= minute &&
            minute < c->hours[i].close_min) {
            return true;
        }
    }
    return false;
}

static bool entry_live(const struct entry *e)
{
    return e->blob && e->status.online && e->status.has_seq &&
           strcmp(e->status.applied_sha256, e->blob->sha256) == 0;
}

int srv_publisher_view(struct srv_publisher *p, int64_t screen_id,
                       struct srv_pub_view *out)
{
    struct entry *e;
    struct centre_info *ci;
    int64_t now = now_of(p);
    size_t i, k;

    memset(out, 0, sizeof *out);
    pthread_rwlock_rdlock(&p->lock);
    e = find_entry(p, screen_id);
    if (!e) {
        pthread_rwlock_unlock(&p->lock);
        return TAULU_ENOTFOUND;
    }
    out->screen_id = e->id;
    out->centre_id = e->centre_id;
    if (e->blob) {
        out->seq = e->blob->seq;
        memcpy(out->sha256, e->blob->sha256, sizeof out->sha256);
    }
    out->status = e->status;
    out->live = entry_live(e);
    out->is_open = true;
    ci = find_centre(p, e->centre_id);
    if (ci) {
        struct taulu_centre c;
        memset(&c, 0, sizeof c);
        c.timezone = ci->tz[0] ? ci->tz : NULL;
        memcpy(c.hours, ci->hours, sizeof c.hours);
        c.n_hours = ci->n_hours;
        c.hours_given = ci->hours_given;
        out->is_open = srv_centre_is_open(&c, now);
        out->alerts = ci->n_alerts;
        for (i = 0; i < ci->n_alerts; i++) {
            for (k = 0; k < e->status.n_alert_ack; k++) {
                if (strcmp(ci->alerts[i], e->status.alert_ack[k]) == 0) {
                    out->acked_alerts++;
                    break;
                }
            }
        }
    }
    out->alarm = !e->status.online && out->is_open;
    pthread_rwlock_unlock(&p->lock);
    return 0;
}

void srv_publisher_live(struct srv_publisher *p, int64_t centre_id,
                        int64_t item_id, int *live, int *total)
{
    struct centre_info *ci;
    bool shown = true;
    size_t i;

    *live = *total = 0;
    pthread_rwlock_rdlock(&p->lock);
    ci = find_centre(p, centre_id);
    if (item_id != 0) {
        /* bsearch on an empty (NULL) array is undefined behaviour. */
        shown = ci && ci->n_items > 0 &&
                bsearch(&item_id, ci->items, ci->n_items, sizeof *ci->items,
                        cmp_i64) != NULL;
    }
    for (i = 0; i < p->n; i++) {
        if (p->e[i].centre_id != centre_id) {
            continue;
        }
        (*total)++;
        if (shown && entry_live(&p->e[i])) {
            (*live)++;
        }
    }
    pthread_rwlock_unlock(&p->lock);
}

size_t srv_publisher_refusals(struct srv_publisher *p, int64_t centre_id,
                              int64_t item_id, struct srv_manifest_refusal *out,
                              size_t cap)
{
    struct centre_info *ci;
    size_t i, n = 0;

    pthread_rwlock_rdlock(&p->lock);
    ci = find_centre(p, centre_id);
    for (i = 0; ci && i < ci->refused.n; i++) {
        const struct srv_manifest_refusal *x = &ci->refused.v[i];
        if (item_id != 0 && (x->alert || x->id != item_id)) {
            continue;
        }
        if (n < cap) {
            out[n] = *x;
        }
        n++;
    }
    pthread_rwlock_unlock(&p->lock);
    return n;
}

void srv_publisher_stats(struct srv_publisher *p, struct srv_pub_stats *out)
{
    size_t i;

    memset(out, 0, sizeof *out);
    out->builds = atomic_load(&p->builds);
    out->signed_manifests = atomic_load(&p->signed_count);
    out->pointers = atomic_load(&p->pointers);
    out->build_failures = atomic_load(&p->failures);
    out->last_build_ms = atomic_load(&p->last_build_ms);
    out->refused_total = atomic_load(&p->refused_total);
    pthread_rwlock_rdlock(&p->lock);
    out->screens = p->n;
    for (i = 0; i < p->nc; i++) {
        out->refused += p->c[i].refused.n;
    }
    pthread_rwlock_unlock(&p->lock);
}
