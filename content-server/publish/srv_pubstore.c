/*
 * srv_pubstore.c: the publisher's backend over the server's store (see
 * srv_pubstore.h).
 */
#include "srv_pubstore.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_hyph.h"
#include "srv_hours.h"
#include "srv_provision.h"
#include "srv_recur.h"
#include "srv_store.h"
#include "taulu_category.h"
#include "taulu_log.h"
#include "taulu_err.h"
#include "taulu_manifest.h"
#include "taulu_time.h"

static const char *category_key(const char *slug)
{
    enum taulu_category c;

    return taulu_category_from_slug(slug, &c) == 0 ? taulu_category_key(c)
                                                   : NULL;
}

void srv_pubstore_screen_profile(const struct srv_screen *s,
                                 struct taulu_profile *pr)
{
    pr->width_px = s->width_px > 0 && s->width_px <= 16384 ? s->width_px : 1920;
    pr->height_px =
        s->height_px > 0 && s->height_px <= 16384 ? s->height_px : 1080;
    pr->orientation = s->orientation && strcmp(s->orientation, "portrait") == 0
                          ? TAULU_PORTRAIT
                          : TAULU_LANDSCAPE;
    pr->diagonal_in_x10 = (int)(s->diagonal_in * 10.0 + 0.5);
    if (pr->diagonal_in_x10 < 50 || pr->diagonal_in_x10 > 3000) {
        pr->diagonal_in_x10 = 550;
    }
    pr->distance_mm = (int)(s->viewing_distance_m * 1000.0 + 0.5);
    if (pr->distance_mm < 300 || pr->distance_mm > 100000) {
        pr->distance_mm = 3000;
    }
}

void srv_pubstore_centre_names(struct srv_pool *pool,
                               const struct srv_centre *src,
                               struct taulu_centre *c)
{
    cJSON *names = src->names ? cJSON_Parse(src->names) : NULL;
    size_t i;

    c->n_name = 0;
    c->n_short_name = 0;
    for (i = 0; i < c->n_languages; i++) {
        const cJSON *o =
            cJSON_GetObjectItemCaseSensitive(names, c->languages[i]);
        const char *name = NULL, *short_name = NULL;

        if (i == 0) {
            name = src->name;
            short_name = src->short_name;
        } else if (cJSON_IsObject(o)) {
            const cJSON *n = cJSON_GetObjectItemCaseSensitive(o, "name");
            const cJSON *sh = cJSON_GetObjectItemCaseSensitive(o, "short");
            name = cJSON_IsString(n) ? n->valuestring : NULL;
            short_name = cJSON_IsString(sh) ? sh->valuestring : NULL;
        }
        if (!name || !*name) {
            continue;
        }
        memcpy(c->name[c->n_name].lang, c->languages[i],
               sizeof c->name[0].lang);
        c->name[c->n_name++].text = srv_pool_strdup(pool, name);
        if (short_name && *short_name) {
            memcpy(c->short_name[c->n_short_name].lang, c->languages[i],
                   sizeof c->short_name[0].lang);
            c->short_name[c->n_short_name++].text =
                srv_pool_strdup(pool, short_name);
        }
    }
    cJSON_Delete(names);
}

/* srv_snapshot.soften over check_hyph_text(). */
static int soften_text(void *ctx, const char *lang, const char *s, size_t max,
                       struct taulu_buf *out)
{
    struct srv_pubstore *ps = ctx;

    return check_hyph_text(ps->hyph, lang, s, max, out, NULL);
}

static int be_list_screens(void *ctx, struct srv_pub_screen **out, size_t *n)
{
    struct srv_pubstore *ps = ctx;
    struct srv_scope all = {true, NULL, 0};
    struct srv_pool pool;
    struct srv_screen *s = NULL;
    size_t ns = 0, i;
    int rc;

    *out = NULL;
    *n = 0;
    srv_pool_init(&pool);
    rc = srv_store_screen_list(ps->store, &pool, &all, &s, &ns);
    if (rc == 0) {
        *out = calloc(ns ? ns : 1, sizeof **out);
        if (!*out) {
            rc = TAULU_ENOMEM;
        }
    }
    for (i = 0; rc == 0 && i < ns; i++) {
        (*out)[i].id = s[i].id;
        (*out)[i].centre_id = s[i].centre_id;
        srv_pubstore_screen_profile(&s[i], &(*out)[i].profile);
    }
    if (rc == 0) {
        *n = ns;
    } else {
        free(*out);
        *out = NULL;
    }
    srv_pool_release(&pool);
    return rc;
}

struct holder {
    struct srv_pool pool;
};

/* Opening hours JSON into the manifest's intervals: 7 x (null |
 * {"open","close"}) is the week as given (seven nulls: closed all week);
 * JSON null, no hours given, is always open (srv_api_admin.c). */
static void parse_hours(const char *json, struct taulu_centre *c)
{
    cJSON *a = json ? cJSON_Parse(json) : NULL;
    int d;

    c->n_hours = 0;
    c->hours_given = false;
    if (!cJSON_IsArray(a) || cJSON_GetArraySize(a) != 7) {
        cJSON_Delete(a);
        return;
    }
    c->hours_given = true;
    for (d = 0; d < 7; d++) {
        const cJSON *day = cJSON_GetArrayItem(a, d);
        const cJSON *o = cJSON_GetObjectItemCaseSensitive(day, "open");
        const cJSON *cl = cJSON_GetObjectItemCaseSensitive(day, "close");
        int om, cm;

        if (!cJSON_IsString(o) || !cJSON_IsString(cl)) {
            continue;
        }
        om = taulu_manifest_hhmm_parse(o->valuestring, false);
        cm = taulu_manifest_hhmm_parse(cl->valuestring, true);
        if (om < 0 || cm <= om || cm > 1440 ||
            c->n_hours >= TAULU_MANIFEST_MAX_HOURS) {
            continue;
        }
        c->hours[c->n_hours].day = d + 1;
        c->hours[c->n_hours].open_min = om;
        c->hours[c->n_hours].close_min = cm;
        c->n_hours++;
    }
    cJSON_Delete(a);
}

void srv_pubstore_centre_languages(const char *json, struct taulu_centre *c)
{
    cJSON *a = json ? cJSON_Parse(json) : NULL, *x;

    c->n_languages = 0;
    cJSON_ArrayForEach(x, a)
    {
        if (cJSON_IsString(x) && taulu_lang_valid(x->valuestring) &&
            c->n_languages < TAULU_MANIFEST_MAX_LANGUAGES) {
            snprintf(c->languages[c->n_languages], sizeof c->languages[0], "%s",
                     x->valuestring);
            c->n_languages++;
        }
    }
    cJSON_Delete(a);
    if (c->n_languages == 0) {
        memcpy(c->languages[0], "fi", 3);
        c->n_languages = 1;
    }
}

/* A yes/no the sender did not tick is not known, not "no": a card never
 * claims stairs nobody named (the fit check at submission reads the flags
 * so too, srv_check.c). */
static enum taulu_flag flag(bool b)
{
    return b ? TAULU_FLAG_YES : TAULU_FLAG_UNKNOWN;
}

/* The series of a recurring item into the pool; 0 and NULL when it does
 * not recur, TAULU_EVALUE when its stored rule cannot be read (logged: the
 * card is left out rather than shown as its first occurrence alone). */
static int series_of(struct srv_pool *pool, const char *rule_json, int64_t id,
                     int64_t start, int64_t end, const struct srv_item *current,
                     const struct taulu_series **out)
{
    struct taulu_series *s;

    *out = NULL;
    if (!rule_json) {
        return 0;
    }
    s = srv_pool_alloc(pool, sizeof *s);
    if (srv_series_from(rule_json, start, end, current->cancelled,
                        current->n_cancelled, s) < 0) {
        taulu_warn("publish", "item %lld: its recurrence cannot be read",
                   (long long)id);
        return TAULU_EVALUE;
    }
    *out = s;
    return 0;
}

static void item_from_store(struct srv_pool *pool, const struct srv_item *it,
                            const char *org_name, struct srv_snap_item *out)
{
    struct srv_snap_text *t;
    size_t i;

    memset(out, 0, sizeof *out);
    out->id = it->id;
    out->version = it->version;
    out->kind = it->kind && strcmp(it->kind, "event") == 0
                    ? TAULU_CARD_EVENT
                    : TAULU_CARD_BULLETIN;
    out->category = category_key(it->category);
    out->org_name = org_name;
    out->event_start = it->starts_at;
    out->event_end = it->ends_at;
    out->free = flag(it->free_of_charge);
    out->step_free = flag(it->step_free);
    out->induction_loop = flag(it->induction_loop);
    out->link = it->link;
    out->image_sha256 = it->image_sha256;
    t = srv_pool_alloc(pool, sizeof *t * (it->n_texts ? it->n_texts : 1));
    for (i = 0; i < it->n_texts; i++) {
        t[i].lang = it->texts[i].lang;
        t[i].plain = it->texts[i].plain;
        t[i].title = it->texts[i].title;
        t[i].body = it->texts[i].body;
        t[i].summary = it->texts[i].summary;
        t[i].place = it->texts[i].place;
        t[i].price = it->texts[i].price;
        t[i].registration = it->texts[i].registration;
        t[i].contact = it->texts[i].contact;
        t[i].image_alt = it->texts[i].image_alt;
    }
    out->texts = t;
    out->n_texts = it->n_texts;
}

static const char *jstr(struct srv_pool *pool, const cJSON *o, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    return cJSON_IsString(v) ? srv_pool_strdup(pool, v->valuestring) : NULL;
}

static int64_t jtime(const cJSON *o, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    int64_t t = 0;

    if (cJSON_IsString(v) && taulu_time_parse_iso(v->valuestring, &t) == 0) {
        return t;
    }
    return 0;
}

static bool jbool(const cJSON *o, const char *name)
{
    return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, name));
}

/* An earlier version of an item, from its snapshot (the shape of
 * srv_api_items.c's item_content_json()). */
static int item_from_snapshot(struct srv_pool *pool, const char *json,
                              const struct srv_item *current, int64_t version,
                              const char *org_name, struct srv_snap_item *out)
{
    cJSON *o = cJSON_Parse(json), *texts, *t, *rec;
    struct srv_snap_text *tv;
    size_t n = 0, i = 0;
    int64_t id = current->id;

    memset(out, 0, sizeof *out);
    if (!cJSON_IsObject(o)) {
        cJSON_Delete(o);
        return TAULU_EPARSE;
    }
    out->id = id;
    out->version = version;
    out->kind =
        jstr(pool, o, "kind") && strcmp(jstr(pool, o, "kind"), "event") == 0
            ? TAULU_CARD_EVENT
            : TAULU_CARD_BULLETIN;
    out->category = category_key(jstr(pool, o, "category"));
    out->org_name = org_name;
    out->event_start = jtime(o, "starts_at");
    out->event_end = jtime(o, "ends_at");
    out->free = flag(jbool(o, "free"));
    out->step_free = flag(jbool(o, "step_free"));
    out->induction_loop = flag(jbool(o, "induction_loop"));
    out->link = jstr(pool, o, "link");
    out->image_sha256 = jstr(pool, o, "image_sha256");
    texts = cJSON_GetObjectItemCaseSensitive(o, "texts");
    cJSON_ArrayForEach(t, texts)
    {
        n++;
    }
    tv = srv_pool_alloc(pool, sizeof *tv * (n ? n : 1));
    cJSON_ArrayForEach(t, texts)
    {
        tv[i].lang = srv_pool_strdup(pool, t->string);
        tv[i].plain = jbool(t, "plain");
        tv[i].title = jstr(pool, t, "title");
        tv[i].body = jstr(pool, t, "body");
        tv[i].summary = jstr(pool, t, "summary");
        tv[i].place = jstr(pool, t, "place");
        tv[i].price = jstr(pool, t, "price");
        tv[i].registration = jstr(pool, t, "registration");
        tv[i].contact = jstr(pool, t, "contact");
        tv[i].image_alt = jstr(pool, t, "image_alt");
        i++;
    }
    out->texts = tv;
    out->n_texts = n;
    /* The approved version's rule, with today's cancellations. */
    rec = cJSON_GetObjectItemCaseSensitive(o, "recurrence");
    if (cJSON_IsObject(rec)) {
        char *rj = cJSON_PrintUnformatted(rec);
        int rc = rj ? series_of(pool, rj, id, out->event_start, out->event_end,
                                current, &out->series)
                    : TAULU_ENOMEM;
        cJSON_free(rj);
        if (rc < 0) {
            cJSON_Delete(o);
            return rc;
        }
    }
    cJSON_Delete(o);
    return 0;
}

static const char *org_name_of(struct srv_pubstore *ps, struct srv_pool *pool,
                               int64_t org_id)
{
    struct srv_org o;

    if (srv_store_org_get(ps->store, pool, org_id, &o) == 0 && o.name) {
        return o.name;
    }
    return "?";
}

static int be_load_snapshot(void *ctx, int64_t centre_id, int64_t now,
                            struct srv_snapshot *snap, void **holder_out)
{
    struct srv_pubstore *ps = ctx;
    struct holder *h = calloc(1, sizeof *h);
    struct srv_pool *pool;
    struct srv_centre c;
    struct srv_current *cur = NULL;
    struct srv_alert *al = NULL;
    struct srv_item *listed = NULL;
    struct srv_snap_placement *pl;
    struct srv_snap_alert *sa;
    struct srv_snap_asset *assets;
    struct srv_scope scope = {false, &centre_id, 1};
    struct srv_scope all = {true, NULL, 0};
    char cid[SRV_WIRE_ID_MAX];
    size_t ncur = 0, nal = 0, nlisted = 0, i, k, np = 0, nas = 0;
    int rc;

    *holder_out = NULL;
    if (!h) {
        return TAULU_ENOMEM;
    }
    pool = &h->pool;
    srv_pool_init(pool);
    memset(snap, 0, sizeof *snap);
    rc = srv_store_centre_get(ps->store, pool, centre_id, &c);
    if (rc == 0) {
        rc = srv_store_centre_current(ps->store, pool, centre_id, now, &cur,
                                      &ncur);
    }
    if (rc == 0) {
        rc = srv_store_alert_list(ps->store, pool, &scope, now, &al, &nal);
    }
    /* Approved placements whose window opens later: not shown yet, but
     * their opening is a boundary the publisher must wake up for. */
    if (rc == 0) {
        rc = srv_store_item_list(ps->store, pool, &all, &scope, 1000, 0,
                                 &listed, &nlisted);
    }
    if (rc < 0) {
        srv_pool_release(pool);
        free(h);
        return rc;
    }
    snap->centre_db_id = centre_id;
    srv_centre_wire_id(centre_id, cid);
    snap->centre.id = srv_pool_strdup(pool, cid);
    srv_pubstore_centre_languages(c.languages, &snap->centre);
    srv_pubstore_centre_names(pool, &c, &snap->centre);
    if (ps->hyph) {
        snap->soften.text = soften_text;
        snap->soften.ctx = ps;
    }
    snap->centre.timezone = "Europe/Helsinki";
    parse_hours(c.opening_hours, &snap->centre);
    snap->centre.closed_behaviour = TAULU_CLOSED_DARK;
    snap->public_base = ps->public_base;
    {
        /* Opening hours from PTV, when a source gives them: the coming
         * week with its dated exceptions (srv_hours.h). */
        struct srv_centre_hours ch;
        int64_t until;
        if (srv_store_centre_hours_get(ps->store, pool, centre_id, &ch) == 0 &&
            srv_hours_week(ch.weekly, ch.exceptions, now, &taulu_tz_helsinki,
                           &snap->centre, &until) == 0) {
            snap->hours_until = until == SRV_HOURS_FOREVER ? 0 : until;
        }
    }
    snap->centre.loop_s = c.loop_s;

    pl = srv_pool_alloc(pool, sizeof *pl * (ncur + nlisted + 1));
    assets = srv_pool_alloc(pool, sizeof *assets * (ncur + 1));
    for (i = 0; i < ncur; i++) {
        struct srv_item it;
        struct srv_snap_item *si = srv_pool_alloc(pool, sizeof *si);
        const char *org;

        if (srv_store_item_get(ps->store, pool, cur[i].item_id, &it) != 0) {
            continue;
        }
        org = org_name_of(ps, pool, it.org_id);
        if (cur[i].version == it.version) {
            item_from_store(pool, &it, org, si);
            if (series_of(pool, it.recurrence, it.id, it.starts_at, it.ends_at,
                          &it, &si->series) < 0) {
                continue;
            }
        } else {
            /* The centre keeps showing the approved version while an
             * edit waits for review: show exactly what was approved. */
            const char *json = NULL;
            if (srv_store_item_snapshot(ps->store, pool, it.id, cur[i].version,
                                        &json) != 0 ||
                item_from_snapshot(pool, json, &it, cur[i].version, org, si) !=
                    0) {
                continue;
            }
        }
        pl[np].id = cur[i].placement_id;
        pl[np].approved = true;
        pl[np].approved_version = cur[i].version;
        pl[np].display_from = cur[i].display_from;
        pl[np].display_until = cur[i].display_until;
        pl[np].item = si;
        np++;
        if (si->image_sha256 && ps->assets &&
            srv_assets_info(ps->assets, si->image_sha256, &assets[nas]) == 0) {
            nas++;
        }
    }
    for (i = 0; i < nlisted; i++) {
        for (k = 0; k < listed[i].n_placements; k++) {
            const struct srv_placement *p = &listed[i].placements[k];
            struct srv_snap_item *si;

            if (p->centre_id != centre_id || p->state != SRV_PL_APPROVED ||
                p->display_from <= now) {
                continue;
            }
            si = srv_pool_alloc(pool, sizeof *si);
            memset(si, 0, sizeof *si);
            si->id = listed[i].id;
            si->version = p->approved_version;
            si->kind = strcmp(listed[i].kind, "event") == 0
                           ? TAULU_CARD_EVENT
                           : TAULU_CARD_BULLETIN;
            si->event_end =
                listed[i].series_end ? listed[i].series_end : listed[i].ends_at;
            pl[np].id = p->id;
            pl[np].approved = true;
            pl[np].approved_version = p->approved_version;
            pl[np].display_from = p->display_from;
            pl[np].display_until = p->display_until;
            pl[np].item = si;
            np++;
        }
    }
    sa = srv_pool_alloc(pool, sizeof *sa * (nal + 1));
    for (i = 0; i < nal; i++) {
        struct srv_snap_text *t =
            srv_pool_alloc(pool, sizeof *t * (al[i].n_texts + 1));
        for (k = 0; k < al[i].n_texts; k++) {
            memset(&t[k], 0, sizeof t[k]);
            t[k].lang = al[i].texts[k].lang;
            t[k].title = al[i].texts[k].title;
            t[k].body = al[i].texts[k].body;
        }
        sa[i].id = al[i].id;
        sa[i].centre_id = al[i].centre_id;
        sa[i].from = al[i].starts_at;
        sa[i].until = al[i].ends_at;
        sa[i].ended_at = al[i].ended_at;
        sa[i].texts = t;
        sa[i].n_texts = al[i].n_texts;
    }
    snap->placements = pl;
    snap->n_placements = np;
    snap->alerts = sa;
    snap->n_alerts = nal;
    snap->assets = assets;
    snap->n_assets = nas;
    *holder_out = h;
    return 0;
}

static void be_release_snapshot(void *ctx, void *holder)
{
    struct holder *h = holder;

    (void)ctx;
    if (h) {
        srv_pool_release(&h->pool);
        free(h);
    }
}

static int be_load_states(void *ctx, struct srv_pool *p,
                          struct srv_pub_state **out, size_t *n)
{
    return srv_store_pub_states(((struct srv_pubstore *)ctx)->store, p, out, n);
}

static int be_save_states(void *ctx, const struct srv_pub_state *s, size_t n)
{
    return srv_store_pub_save_states(((struct srv_pubstore *)ctx)->store, s, n);
}

static int be_save_status(void *ctx, int64_t id, const struct srv_pub_status *s)
{
    return srv_store_pub_save_status(((struct srv_pubstore *)ctx)->store, id,
                                     s);
}

/* Ids separated by spaces into out[size] (which holds them all). */
static void join_ids(char *out, size_t size,
                     const char (*ids)[TAULU_MANIFEST_MAX_ID + 1], size_t n)
{
    size_t i, len = 0;

    out[0] = '\0';
    for (i = 0; i < n; i++) {
        int w = snprintf(out + len, size - len, "%s%s", i ? " " : "", ids[i]);
        if (w < 0 || (size_t)w >= size - len) {
            break;
        }
        len += (size_t)w;
    }
}

/* The screen's record in the store: what GET /api/v1/screens and /metrics
 * read. */
static int be_save_screen_status(void *ctx, int64_t id,
                                 const struct srv_pub_status *s)
{
    struct srv_pubstore *ps = ctx;
    struct srv_screen row;
    char unplaced[TAULU_PROTO_MAX_CARD_IDS * (TAULU_MANIFEST_MAX_ID + 1) + 1];
    char paged[sizeof unplaced];

    memset(&row, 0, sizeof row);
    row.id = id;
    row.online = s->online;
    row.last_seen = s->last_seen;
    row.applied_version = s->has_seq ? s->applied_seq : 0;
    row.last_error = s->error[0] ? s->error : NULL;
    if (s->has_profile) {
        row.reported_width_px = s->profile.width_px;
        row.reported_height_px = s->profile.height_px;
        row.reported_diagonal_in = s->profile.diagonal_in_x10 / 10.0;
        row.reported_distance_m = s->profile.distance_mm / 1000.0;
    }
    join_ids(unplaced, sizeof unplaced, s->unplaced, s->n_unplaced);
    join_ids(paged, sizeof paged, s->paged, s->n_paged);
    row.unplaced = unplaced;
    row.paged = paged;
    return srv_store_screen_set_status(ps->store, &row);
}

static int be_save_plays(void *ctx, const struct srv_pub_play *v, size_t n)
{
    struct srv_pubstore *ps = ctx;
    struct srv_play_row *rows;
    size_t i;
    int rc;

    rows = calloc(n, sizeof *rows);
    if (!rows) {
        return TAULU_ENOMEM;
    }
    for (i = 0; i < n; i++) {
        rows[i].item_id = v[i].item_id;
        rows[i].centre_id = v[i].centre_id;
        rows[i].screen_id = v[i].screen_id;
        rows[i].day = v[i].day;
        rows[i].seconds = v[i].seconds;
    }
    rc = srv_store_play_add(ps->store, rows, n);
    free(rows);
    return rc;
}

static int be_lead(void *ctx, bool *leading)
{
    struct srv_pubstore *ps = ctx;
    int64_t now;

    if (ps->instance &&
        (now = taulu_now()) - ps->instance_seen >= SRV_INSTANCE_BEAT_S) {
        /* Not fatal: the account stays in the files for a day. */
        if (srv_store_instance_seen(ps->store, ps->instance, now,
                                    now - SRV_INSTANCE_STALE_S) == 0) {
            ps->instance_seen = now;
        }
    }
    return srv_store_lead(ps->store, leading);
}

static int be_notify(void *ctx, const char *payload)
{
    return srv_store_notify(((struct srv_pubstore *)ctx)->store,
                            SRV_PUBSTORE_CHANNEL, payload);
}

static int be_load_manifests(void *ctx, struct srv_pool *p, const int64_t *ids,
                             size_t n_ids, struct srv_pub_state **out,
                             size_t *n)
{
    return srv_store_pub_manifests(((struct srv_pubstore *)ctx)->store, p, ids,
                                   n_ids, out, n);
}

static int be_save_refusals(void *ctx, int64_t centre_id,
                            const struct srv_pub_refusal *v, size_t n)
{
    return srv_store_pub_save_refusals(((struct srv_pubstore *)ctx)->store,
                                       centre_id, v, n);
}

static int be_load_refusals(void *ctx, struct srv_pool *p,
                            struct srv_pub_refusal **out, size_t *n)
{
    return srv_store_pub_refusals(((struct srv_pubstore *)ctx)->store, p, out,
                                  n);
}

static int be_load_statuses(void *ctx, struct srv_pool *p,
                            struct srv_pub_status_row **out, size_t *n)
{
    return srv_store_pub_statuses(((struct srv_pubstore *)ctx)->store, p, out,
                                  n);
}

void srv_pubstore_backend(struct srv_pubstore *ps, struct srv_pub_backend *be)
{
    memset(be, 0, sizeof *be);
    be->ctx = ps;
    be->list_screens = be_list_screens;
    be->load_snapshot = be_load_snapshot;
    be->release_snapshot = be_release_snapshot;
    be->load_states = be_load_states;
    be->save_states = be_save_states;
    be->save_status = be_save_status;
    be->save_screen_status = be_save_screen_status;
    be->load_statuses = be_load_statuses;
    be->save_plays = be_save_plays;
    /* several instances: only on a database they can share */
    if (srv_store_shared(ps->store)) {
        be->lead = be_lead;
        be->notify = be_notify;
        be->load_manifests = be_load_manifests;
        /* the left-out lists, which the others cannot derive */
        be->save_refusals = be_save_refusals;
        be->load_refusals = be_load_refusals;
    }
}
