/*
 * srv_pubapp.c: publishing wired into the server (see srv_pubapp.h): the
 * publisher's backend over srv_store, the hooks, the broker files, the
 * player configuration and the publishing routes.
 */
#include "srv_pubapp.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "srv_api.h"
#include "srv_auth.h"
#include "srv_broker.h"
#include "srv_domain.h"
#include "srv_image.h"
#include "srv_json.h"
#include "srv_pubdb.h"
#include "srv_store.h"
#include "taulu_time.h"
#include "taulu_err.h"
#include "taulu_file.h"
#include "taulu_log.h"

#define TAG "pubapp"

struct srv_pubapp {
    struct srv_app *app;
    struct srv_store *store;
    struct srv_pubdb *db;
    struct srv_publisher *pub;
    struct srv_mqtt *mqtt;
    uint8_t pk[TAULU_SIGN_PK_LEN];
    char pk_b64[64];
    char assets_dir[600];
    char public_url[300];
    unsigned port;
    char mqtt_password[128]; /* the server's own; a secret */
    pthread_mutex_t broker_mu;
};

static const char *category_key(const char *slug)
{
    enum taulu_category c;

    return taulu_category_from_slug(slug, &c) == 0 ? taulu_category_key(c)
                                                   : NULL;
}

/* ------------------------------------------------------------------ */
/* The publisher's backend over srv_store */

static int be_list_screens(void *ctx, struct srv_pub_screen **out, size_t *n)
{
    struct srv_pubapp *pa = ctx;
    struct srv_scope all = {true, NULL, 0};
    struct srv_pool pool;
    struct srv_screen *s = NULL;
    size_t ns = 0, i;
    int rc;

    *out = NULL;
    *n = 0;
    srv_pool_init(&pool);
    rc = srv_store_screen_list(pa->store, &pool, &all, &s, &ns);
    if (rc == 0) {
        *out = calloc(ns ? ns : 1, sizeof **out);
        if (!*out) {
            rc = TAULU_ENOMEM;
        }
    }
    for (i = 0; rc == 0 && i < ns; i++) {
        struct taulu_profile *pr = &(*out)[i].profile;
        (*out)[i].id = s[i].id;
        (*out)[i].centre_id = s[i].centre_id;
        pr->width_px =
            s[i].width_px > 0 && s[i].width_px <= 16384 ? s[i].width_px : 1920;
        pr->height_px = s[i].height_px > 0 && s[i].height_px <= 16384
                            ? s[i].height_px
                            : 1080;
        pr->orientation =
            s[i].orientation && strcmp(s[i].orientation, "portrait") == 0
                ? TAULU_PORTRAIT
                : TAULU_LANDSCAPE;
        pr->diagonal_in_x10 = (int)(s[i].diagonal_in * 10.0 + 0.5);
        if (pr->diagonal_in_x10 < 50 || pr->diagonal_in_x10 > 3000) {
            pr->diagonal_in_x10 = 550;
        }
        pr->distance_mm = (int)(s[i].viewing_distance_m * 1000.0 + 0.5);
        if (pr->distance_mm < 300 || pr->distance_mm > 100000) {
            pr->distance_mm = 3000;
        }
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

/* Opening hours JSON (7 x null | {"open","close"}) into the manifest's
 * intervals. */
static void parse_hours(const char *json, struct taulu_centre *c)
{
    cJSON *a = json ? cJSON_Parse(json) : NULL;
    int d;

    c->n_hours = 0;
    if (!cJSON_IsArray(a) || cJSON_GetArraySize(a) != 7) {
        cJSON_Delete(a);
        return;
    }
    for (d = 0; d < 7; d++) {
        const cJSON *day = cJSON_GetArrayItem(a, d);
        const cJSON *o = cJSON_GetObjectItemCaseSensitive(day, "open");
        const cJSON *cl = cJSON_GetObjectItemCaseSensitive(day, "close");
        int om, cm;

        if (!cJSON_IsString(o) || !cJSON_IsString(cl)) {
            continue;
        }
        om = srv_hhmm(o->valuestring);
        cm = srv_hhmm(cl->valuestring);
        if (om < 0 || cm <= om || cm > 1440 ||
            c->n_hours >= TAULU_MANIFEST_MAX_HOURS) {
            continue;
        }
        c->hours[c->n_hours].day = d + 1;
        c->hours[c->n_hours].open_min = om;
        c->hours[c->n_hours].close_min = cm;
        c->n_hours++;
    }
    /* Hours given for no day at all: a centre that is never open would
     * keep its screens dark for ever; treat it as "not set". */
    cJSON_Delete(a);
}

static void parse_languages(const char *json, struct taulu_centre *c)
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

static enum taulu_flag flag(bool b)
{
    return b ? TAULU_FLAG_YES : TAULU_FLAG_NO;
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
                              int64_t id, int64_t version, const char *org_name,
                              struct srv_snap_item *out)
{
    cJSON *o = cJSON_Parse(json), *texts, *t;
    struct srv_snap_text *tv;
    size_t n = 0, i = 0;

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
        tv[i].place = jstr(pool, t, "place");
        tv[i].price = jstr(pool, t, "price");
        tv[i].registration = jstr(pool, t, "registration");
        tv[i].contact = jstr(pool, t, "contact");
        tv[i].image_alt = jstr(pool, t, "image_alt");
        i++;
    }
    out->texts = tv;
    out->n_texts = n;
    cJSON_Delete(o);
    return 0;
}

/* Size and dimensions of a stored asset (our assets are all PNG). */
static int asset_info(struct srv_pubapp *pa, const char *sha,
                      struct srv_snap_asset *out)
{
    char path[700];
    unsigned char head[32];
    struct stat st;
    ssize_t got;
    int fd;

    if (!sha || !taulu_is_sha256_hex(sha)) {
        return TAULU_EVALUE;
    }
    snprintf(path, sizeof path, "%s/%s", pa->assets_dir, sha);
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return TAULU_ENOTFOUND;
    }
    got = read(fd, head, sizeof head);
    if (fstat(fd, &st) != 0 || got < 24 ||
        srv_png_size(head, (size_t)got, &out->width, &out->height) < 0) {
        close(fd);
        return TAULU_EPARSE;
    }
    close(fd);
    memcpy(out->sha256, sha, TAULU_SHA256_HEX_LEN + 1);
    out->size = (int64_t)st.st_size;
    out->type = TAULU_MEDIA_PNG;
    return 0;
}

static const char *org_name_of(struct srv_pubapp *pa, struct srv_pool *pool,
                               int64_t org_id)
{
    struct srv_org o;

    if (srv_store_org_get(pa->store, pool, org_id, &o) == 0 && o.name) {
        return o.name;
    }
    return "?";
}

static int be_load_snapshot(void *ctx, int64_t centre_id, int64_t now,
                            struct srv_snapshot *snap, void **holder_out)
{
    struct srv_pubapp *pa = ctx;
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
    rc = srv_store_centre_get(pa->store, pool, centre_id, &c);
    if (rc == 0) {
        rc = srv_store_centre_current(pa->store, pool, centre_id, now, &cur,
                                      &ncur);
    }
    if (rc == 0) {
        rc = srv_store_alert_list(pa->store, pool, &scope, now, &al, &nal);
    }
    /* Approved placements whose window opens later: not shown yet, but
     * their opening is a boundary the publisher must wake up for. */
    if (rc == 0) {
        rc = srv_store_item_list(pa->store, pool, &all, &scope, 1000, 0,
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
    parse_languages(c.languages, &snap->centre);
    memcpy(snap->centre.name[0].lang, snap->centre.languages[0],
           sizeof snap->centre.name[0].lang);
    snap->centre.name[0].text = c.name;
    snap->centre.n_name = 1;
    snap->centre.timezone = "Europe/Helsinki";
    parse_hours(c.opening_hours, &snap->centre);
    snap->centre.closed_behaviour = TAULU_CLOSED_DARK;

    pl = srv_pool_alloc(pool, sizeof *pl * (ncur + nlisted + 1));
    assets = srv_pool_alloc(pool, sizeof *assets * (ncur + 1));
    for (i = 0; i < ncur; i++) {
        struct srv_item it;
        struct srv_snap_item *si = srv_pool_alloc(pool, sizeof *si);
        const char *org;

        if (srv_store_item_get(pa->store, pool, cur[i].item_id, &it) != 0) {
            continue;
        }
        org = org_name_of(pa, pool, it.org_id);
        if (cur[i].version == it.version) {
            item_from_store(pool, &it, org, si);
        } else {
            /* The centre keeps showing the approved version while an
             * edit waits for review: show exactly what was approved. */
            const char *json = NULL;
            if (srv_store_item_snapshot(pa->store, pool, it.id, cur[i].version,
                                        &json) != 0 ||
                item_from_snapshot(pool, json, it.id, cur[i].version, org,
                                   si) != 0) {
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
        if (si->image_sha256 &&
            asset_info(pa, si->image_sha256, &assets[nas]) == 0) {
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
            si->event_end = listed[i].ends_at;
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

static int be_load_states(void *ctx, struct srv_pub_state **out, size_t *n)
{
    return srv_pubdb_load_states(((struct srv_pubapp *)ctx)->db, out, n);
}

static int be_save_states(void *ctx, const struct srv_pub_state *s, size_t n)
{
    return srv_pubdb_save_states(((struct srv_pubapp *)ctx)->db, s, n);
}

static int be_save_status(void *ctx, int64_t id, const struct srv_pub_status *s)
{
    return srv_pubdb_save_status(((struct srv_pubapp *)ctx)->db, id, s);
}

/* The screen's record in the store: what GET /api/v1/screens and /metrics
 * read. */
static int be_save_screen_status(void *ctx, int64_t id,
                                 const struct srv_pub_status *s)
{
    struct srv_pubapp *pa = ctx;
    struct srv_screen row;

    memset(&row, 0, sizeof row);
    row.id = id;
    row.online = s->online;
    row.last_seen = s->last_seen;
    row.applied_version = s->has_seq ? s->applied_seq : 0;
    row.last_error = s->error[0] ? s->error : NULL;
    return srv_store_screen_set_status(pa->store, &row);
}

static int be_save_plays(void *ctx, const struct srv_pub_play *v, size_t n)
{
    struct srv_pubapp *pa = ctx;
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
    rc = srv_store_play_add(pa->store, rows, n);
    free(rows);
    return rc;
}

static int be_load_statuses(void *ctx, int64_t **ids, struct srv_pub_status **s,
                            size_t *n)
{
    return srv_pubdb_load_statuses(((struct srv_pubapp *)ctx)->db, ids, s, n);
}

/* ------------------------------------------------------------------ */
/* Keys, secrets, broker files */

static int path_join(char *out, size_t size, const char *dir, const char *name)
{
    int n = snprintf(out, size, "%s/%s", dir, name);
    return (n > 0 && (size_t)n < size) ? 0 : TAULU_ELIMIT;
}

int srv_pubapp_init_keys(const char *dir)
{
    uint8_t pk[TAULU_SIGN_PK_LEN], sk[TAULU_SIGN_SK_LEN];
    char skp[600], pkp[600], id[17];
    struct stat st;
    int rc;

    if (taulu_crypto_init() < 0) {
        return TAULU_ECRYPTO;
    }
    if (path_join(skp, sizeof skp, dir, "server.key") < 0 ||
        path_join(pkp, sizeof pkp, dir, "server.pub") < 0) {
        return TAULU_ELIMIT;
    }
    if (stat(skp, &st) == 0) {
        taulu_err(TAG, "%s exists already; not replacing a signing key", skp);
        return TAULU_ECONFIG;
    }
    rc = taulu_mkdir_p(dir, 0700);
    if (rc == 0) {
        rc = taulu_sign_keypair(pk, sk);
    }
    if (rc == 0) {
        rc = taulu_write_secret_key(skp, sk);
    }
    if (rc == 0) {
        rc = taulu_write_public_key(pkp, pk);
    }
    taulu_wipe(sk, sizeof sk);
    if (rc == 0) {
        taulu_key_id(pk, id);
        taulu_info(TAG, "created signing key %s in %s", id, dir);
    }
    return rc;
}

/* The server's MQTT password: from the file, or a new random one written
 * there (0600) on first start. */
static int load_mqtt_password(struct srv_pubapp *pa, const char *path)
{
    struct taulu_buf b;
    uint8_t raw[24];
    int rc;

    taulu_buf_init(&b, sizeof pa->mqtt_password - 1);
    rc = taulu_file_read(path, &b);
    if (rc == TAULU_ENOTFOUND) {
        taulu_random_bytes(raw, sizeof raw);
        rc = taulu_hex_encode(raw, sizeof raw, pa->mqtt_password,
                              sizeof pa->mqtt_password);
        taulu_wipe(raw, sizeof raw);
        if (rc == 0) {
            rc = taulu_file_write_atomic(path, pa->mqtt_password,
                                         strlen(pa->mqtt_password), 0600);
        }
        taulu_buf_release(&b);
        return rc;
    }
    if (rc == 0) {
        b.data[strcspn(b.data, "\r\n")] = '\0';
        snprintf(pa->mqtt_password, sizeof pa->mqtt_password, "%s", b.data);
        if (!pa->mqtt_password[0]) {
            rc = TAULU_ECONFIG;
        }
    }
    taulu_wipe(b.data, b.len);
    taulu_buf_release(&b);
    return rc;
}

/* Writes Mosquitto's password and ACL files from every screen that has an
 * MQTT hash, then signals the broker. */
static int write_broker_files(struct srv_pubapp *pa)
{
    const struct srv_config *cfg = &pa->app->cfg;
    struct srv_broker_account server, *acc = NULL;
    char server_hash[SRV_MOSQ_HASH_MAX];
    char(*hashes)[SRV_PUBDB_HASH_MAX] = NULL;
    char(*names)[SRV_WIRE_ID_MAX] = NULL;
    const char **ids = NULL;
    int64_t *sids = NULL;
    struct taulu_buf pw, acl;
    size_t n = 0, i;
    int rc;

    if (!cfg->broker_passwd[0] || !cfg->broker_acl[0]) {
        return 0;
    }
    taulu_buf_init(&pw, 16u * 1024u * 1024u);
    taulu_buf_init(&acl, 64u * 1024u * 1024u);
    pthread_mutex_lock(&pa->broker_mu);
    rc = srv_pubdb_mqtt_hashes(pa->db, &sids, &hashes, &n);
    if (rc < 0) {
        goto out;
    }
    acc = calloc(n ? n : 1, sizeof *acc);
    names = calloc(n ? n : 1, sizeof *names);
    ids = calloc(n ? n : 1, sizeof *ids);
    if (!acc || !names || !ids) {
        rc = TAULU_ENOMEM;
        goto out;
    }
    for (i = 0; i < n; i++) {
        srv_screen_wire_id(sids[i], names[i]);
        acc[i].user = names[i];
        acc[i].hash = hashes[i];
        ids[i] = names[i];
    }
    rc = srv_mosq_hash(pa->mqtt_password, server_hash);
    server.user = cfg->mqtt_user;
    server.hash = server_hash;
    if (rc == 0) {
        rc = srv_broker_passwd_text(&server, acc, n, &pw);
    }
    if (rc == 0) {
        rc =
            srv_broker_acl_text(cfg->mqtt_prefix, cfg->mqtt_user, ids, n, &acl);
    }
    if (rc == 0) {
        rc = srv_broker_write_files(
            cfg->broker_passwd, pw.data, cfg->broker_acl, acl.data,
            cfg->broker_pid_file[0] ? cfg->broker_pid_file : NULL);
    }
    if (rc < 0) {
        taulu_err(TAG, "cannot write the broker's files: %s",
                  taulu_strerror(rc));
    }
out:
    pthread_mutex_unlock(&pa->broker_mu);
    free(acc);
    free(names);
    free(ids);
    free(sids);
    free(hashes);
    taulu_buf_release(&pw);
    taulu_buf_release(&acl);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Start and stop */

int srv_pubapp_start(struct srv_app *app, struct srv_pubapp **out)
{
    const struct srv_config *cfg = &app->cfg;
    struct srv_pubapp *pa;
    struct srv_pub_config pc;
    struct srv_pub_backend be;
    struct srv_mqtt_handlers mh;
    struct srv_mqtt_config mc;
    uint8_t sk[TAULU_SIGN_SK_LEN];
    char path[600], dir[600];
    int rc;

    *out = NULL;
    if (!cfg->data_dir[0]) {
        taulu_err(TAG, "publishing needs --data-dir");
        return TAULU_ECONFIG;
    }
    pa = calloc(1, sizeof *pa);
    if (!pa) {
        return TAULU_ENOMEM;
    }
    pa->app = app;
    pa->store = app->store;
    pthread_mutex_init(&pa->broker_mu, NULL);
    if (srv_image_init() < 0) {
        taulu_err(TAG, "SDL2_image cannot read PNG and JPEG");
        rc = TAULU_EUNAVAIL;
        goto fail;
    }
    if (path_join(pa->assets_dir, sizeof pa->assets_dir, cfg->data_dir,
                  "assets") < 0 ||
        taulu_mkdir_p(pa->assets_dir, 0750) < 0) {
        taulu_err(TAG, "cannot create %s/assets", cfg->data_dir);
        rc = TAULU_EIO;
        goto fail;
    }
    /* The signing key (--sign-key, or keys/server.key in the data dir). */
    if (cfg->sign_key[0]) {
        snprintf(path, sizeof path, "%s", cfg->sign_key);
    } else {
        path_join(path, sizeof path, cfg->data_dir, "keys/server.key");
    }
    rc = taulu_read_secret_key(path, sk);
    path_join(dir, sizeof dir, cfg->data_dir, "keys");
    if (rc == TAULU_ENOTFOUND && !cfg->sign_key[0] && access(dir, F_OK) != 0) {
        /* First start with this data dir: make the key pair. A keys/
         * folder without the key is an error (a lost key is noticed, not
         * silently replaced: every screen holds the public half). */
        rc = srv_pubapp_init_keys(dir);
        if (rc == 0) {
            rc = taulu_read_secret_key(path, sk);
        }
    }
    if (rc < 0) {
        taulu_err(TAG,
                  "cannot read the signing key %s: %s (create one with "
                  "--init-keys DIR)",
                  path, taulu_strerror(rc));
        goto fail;
    }
    taulu_sign_sk_to_pk(sk, pa->pk);
    taulu_base64_encode(pa->pk, sizeof pa->pk, pa->pk_b64, sizeof pa->pk_b64);
    if (cfg->public_url[0]) {
        snprintf(pa->public_url, sizeof pa->public_url, "%s", cfg->public_url);
    }

    /* The publisher's rows live in the server's database file. */
    rc = srv_pubdb_open(cfg->db_path, &pa->db);
    if (rc < 0) {
        goto fail;
    }
    if (cfg->mqtt_password_file[0]) {
        snprintf(path, sizeof path, "%s", cfg->mqtt_password_file);
    } else {
        path_join(path, sizeof path, cfg->data_dir, "mqtt-server.secret");
    }
    rc = load_mqtt_password(pa, path);
    if (rc < 0) {
        taulu_err(TAG, "cannot read or create the MQTT password file %s", path);
        goto fail;
    }
    write_broker_files(pa);

    memset(&be, 0, sizeof be);
    be.ctx = pa;
    be.list_screens = be_list_screens;
    be.load_snapshot = be_load_snapshot;
    be.release_snapshot = be_release_snapshot;
    be.load_states = be_load_states;
    be.save_states = be_save_states;
    be.save_status = be_save_status;
    be.save_screen_status = be_save_screen_status;
    be.load_statuses = be_load_statuses;
    be.save_plays = be_save_plays;
    memset(&pc, 0, sizeof pc);
    pc.sign_sk = sk;
    rc = srv_publisher_start(&pc, &be, &pa->pub);
    taulu_wipe(sk, sizeof sk);
    if (rc < 0) {
        goto fail;
    }
    if (cfg->mqtt_host[0]) {
        memset(&mc, 0, sizeof mc);
        mc.host = cfg->mqtt_host;
        mc.port = (int)cfg->mqtt_port;
        mc.user = cfg->mqtt_user;
        mc.password = pa->mqtt_password;
        mc.prefix = cfg->mqtt_prefix;
        mc.cafile = cfg->mqtt_cafile[0] ? cfg->mqtt_cafile : NULL;
        srv_publisher_mqtt_handlers(pa->pub, &mh);
        rc = srv_mqtt_start(&mc, &mh, &pa->mqtt);
        if (rc < 0) {
            taulu_err(TAG, "cannot start the MQTT client: %s",
                      taulu_strerror(rc));
            goto fail;
        }
        srv_publisher_set_mqtt(pa->pub, pa->mqtt);
    }
    app->pub = pa;
    *out = pa;
    return 0;
fail:
    taulu_wipe(sk, sizeof sk);
    srv_pubapp_stop(pa);
    return rc;
}

void srv_pubapp_stop(struct srv_pubapp *pa)
{
    if (!pa) {
        return;
    }
    if (pa->app && pa->app->pub == pa) {
        pa->app->pub = NULL;
    }
    if (pa->pub) {
        srv_publisher_set_mqtt(pa->pub, NULL);
    }
    srv_mqtt_stop(pa->mqtt);
    srv_publisher_free(pa->pub);
    srv_pubdb_close(pa->db);
    taulu_wipe(pa->mqtt_password, sizeof pa->mqtt_password);
    pthread_mutex_destroy(&pa->broker_mu);
    free(pa);
}

void srv_pubapp_set_port(struct srv_pubapp *pa, unsigned port)
{
    pa->port = port;
    if (!pa->public_url[0]) {
        snprintf(pa->public_url, sizeof pa->public_url, "http://%s:%u",
                 pa->app->cfg.listen_addr, port);
    }
}

struct srv_publisher *srv_pubapp_publisher(struct srv_pubapp *pa)
{
    return pa ? pa->pub : NULL;
}

const char *srv_pub_public_key_b64(struct srv_pubapp *pa)
{
    return pa->pk_b64;
}

/* ------------------------------------------------------------------ */
/* Hooks */

int srv_pub_player_config(struct srv_pubapp *pa, int64_t screen_id,
                          const char *token, const char *pk_file,
                          const char *cache_dir, struct taulu_buf *out)
{
    const struct srv_config *cfg = &pa->app->cfg;
    char id[SRV_WIRE_ID_MAX];

    srv_screen_wire_id(screen_id, id);
    return taulu_buf_appendf(
        out,
        "# Infotaulu player for %s. Keep this file private (mode 0600):\n"
        "# it holds the screen's token.\n"
        "server_url = %s\n"
        "screen_id = %s\n"
        "screen_token = %s\n"
        "# The server's public key (base64): %s\n"
        "server_pk_file = %s\n"
        "mqtt_host = %s\n"
        "mqtt_port = %lld\n"
        "mqtt_prefix = %s\n"
        "cache_dir = %s\n",
        id, pa->public_url, id, token, pa->pk_b64, pk_file,
        cfg->mqtt_host[0] ? cfg->mqtt_host : "", cfg->mqtt_port,
        cfg->mqtt_prefix, cache_dir);
}

int srv_pub_set_screen_secret(struct srv_pubapp *pa, int64_t screen_id,
                              const char *token)
{
    char hash[SRV_MOSQ_HASH_MAX], id[SRV_WIRE_ID_MAX];
    int rc;

    srv_screen_wire_id(screen_id, id);
    /* The screen's MQTT password is its token; the broker gets only the
     * PBKDF2 hash. */
    rc = srv_mosq_hash(token, hash);
    if (rc == 0) {
        rc = srv_pubdb_set_mqtt_hash(pa->db, screen_id, hash);
    }
    if (rc == 0) {
        rc = write_broker_files(pa);
    } else {
        taulu_err(TAG, "cannot store the MQTT credentials of %s", id);
    }
    srv_publisher_screens_changed(pa->pub);
    return rc;
}

void srv_pub_screen_created(struct srv_req *r, int64_t screen_id,
                            const char *token, cJSON *out)
{
    struct srv_pubapp *pa = r->app->pub;
    char id[SRV_WIRE_ID_MAX];
    struct taulu_buf conf;
    cJSON *mq;

    if (!pa) {
        return;
    }
    srv_screen_wire_id(screen_id, id);
    srv_pub_set_screen_secret(pa, screen_id, token);
    cJSON_AddStringToObject(out, "screen_id", id);
    cJSON_AddStringToObject(out, "server_public_key", pa->pk_b64);
    mq = cJSON_AddObjectToObject(out, "mqtt");
    cJSON_AddStringToObject(mq, "host", r->app->cfg.mqtt_host);
    cJSON_AddNumberToObject(mq, "port", r->app->cfg.mqtt_port);
    cJSON_AddStringToObject(mq, "prefix", r->app->cfg.mqtt_prefix);
    cJSON_AddStringToObject(mq, "user", id);
    taulu_buf_init(&conf, 8192);
    if (srv_pub_player_config(pa, screen_id, token, "/etc/infotaulu/server.pub",
                              "/var/lib/infotaulu/cache", &conf) == 0) {
        cJSON_AddStringToObject(out, "player_config", conf.data);
    }
    taulu_wipe(conf.data, conf.len);
    taulu_buf_release(&conf);
}

void srv_pub_screens_changed(struct srv_app *app, int64_t deleted_id)
{
    struct srv_pubapp *pa = app->pub;

    if (!pa) {
        return;
    }
    if (deleted_id > 0) {
        srv_pubdb_forget(pa->db, deleted_id);
        write_broker_files(pa);
        if (pa->mqtt) {
            char id[SRV_WIRE_ID_MAX];
            srv_screen_wire_id(deleted_id, id);
            srv_mqtt_clear_desired(pa->mqtt, id);
        }
    }
    srv_publisher_screens_changed(pa->pub);
}

void srv_pub_centre_changed(struct srv_app *app, int64_t centre_id)
{
    if (app->pub) {
        srv_publisher_centre_changed(app->pub->pub, centre_id);
    }
}

void srv_pub_item_changed(struct srv_app *app, int64_t item_id)
{
    struct srv_pubapp *pa = app->pub;
    struct srv_pool pool;
    struct srv_item it;
    size_t i;

    if (!pa) {
        return;
    }
    srv_pool_init(&pool);
    if (srv_store_item_get(pa->store, &pool, item_id, &it) == 0) {
        for (i = 0; i < it.n_placements; i++) {
            srv_publisher_centre_changed(pa->pub, it.placements[i].centre_id);
        }
    } else {
        srv_publisher_all_changed(pa->pub);
    }
    srv_pool_release(&pool);
}

void srv_pub_alert_changed(struct srv_app *app, int64_t centre_id)
{
    if (!app->pub) {
        return;
    }
    if (centre_id > 0) {
        srv_publisher_centre_changed(app->pub->pub, centre_id);
    } else {
        srv_publisher_all_changed(app->pub->pub);
    }
}

/* ------------------------------------------------------------------ */
/* Handlers */

static void unavailable(struct srv_req *r)
{
    srv_reply_error(r, 503, "publishing_unavailable", NULL);
}

void srv_h_screen_manifest(struct srv_req *r)
{
    struct srv_pubapp *pa = r->app->pub;
    const char *authz, *tok;
    struct srv_object o = {0, 0, 0, NULL, 0};
    struct srv_pub_blob *blob = NULL;
    char etag[TAULU_SHA256_HEX_LEN + 3];
    uint8_t hash[32];
    int64_t want, sid;
    int status;

    if (!pa) {
        unavailable(r);
        return;
    }
    /* Screen authentication from memory: the 304 path touches no
     * database. A token not yet seen is checked in the store once. */
    authz = srv_req_header(r, "Authorization");
    if (!authz || strncmp(authz, "Bearer " SRV_TOKEN_SCREEN, 11) != 0 ||
        strlen(authz + 7) != SRV_TOKEN_LEN) {
        srv_reply_header(r, "WWW-Authenticate", "Bearer");
        srv_reply_error(r, 401, "unauthorized", NULL);
        return;
    }
    tok = authz + 7;
    srv_auth_secret_hash(tok, hash);
    if (srv_publisher_screen_by_token(pa->pub, hash, &sid) != 0) {
        struct srv_screen s;
        int rc = srv_store_screen_by_token(pa->store, &r->pool, hash, &s);
        if (rc == TAULU_ENOTFOUND) {
            srv_reply_header(r, "WWW-Authenticate", "Bearer");
            srv_reply_error(r, 401, "unauthorized", NULL);
            return;
        }
        if (rc != 0) {
            srv_reply_error(r, 500, "internal", NULL);
            return;
        }
        sid = s.id;
        srv_publisher_remember_token(pa->pub, hash, sid);
    }
    r->actor.kind = SRV_ACTOR_SCREEN;
    r->actor.id = sid;
    if (srv_screen_id_parse(r->keys[0], &want) != 0) {
        srv_reply_error(r, 404, "not_found", NULL);
        return;
    }
    if (want != sid) {
        /* Another screen's manifest: a screen knows the others exist
         * (ids are not secret), so this is an honest 403, and logged. */
        srv_audit_refusal(r, "screen.self", "screen", want, NULL);
        srv_reply_error(r, 403, "forbidden", NULL);
        return;
    }
    o.id = want;
    if (srv_authorize(r, SRV_A_SCREEN_SELF, &o, "screen", want) ==
        TAULU_EANSWERED) {
        return;
    }
    status = srv_publisher_manifest(
        pa->pub, sid, srv_req_header(r, "If-None-Match"), &blob, etag);
    if (status == 404) {
        srv_reply_error(r, 404, "no_manifest_yet", NULL);
        return;
    }
    srv_reply_header(r, "ETag", etag);
    if (status == 304) {
        srv_reply_empty(r, 304);
        return;
    }
    srv_reply_text(r, 200, "application/vnd.infotaulu.manifest", blob->data,
                   blob->len);
    srv_pub_blob_unref(blob);
}

void srv_h_asset_get(struct srv_req *r)
{
    struct srv_pubapp *pa = r->app->pub;
    const char *sha = r->keys[0];
    char path[700];
    struct stat st;
    int fd;

    if (!pa) {
        unavailable(r);
        return;
    }
    if (srv_api_authenticate(r) == TAULU_EANSWERED) {
        return;
    }
    if (r->actor.kind == SRV_ACTOR_ANON) {
        srv_reply_header(r, "WWW-Authenticate", "Bearer");
        srv_reply_error(r, 401, "unauthorized", NULL);
        return;
    }
    if (!taulu_is_sha256_hex(sha)) {
        srv_reply_error(r, 404, "not_found", NULL);
        return;
    }
    /* If-None-Match on an immutable asset: the name is the content. */
    {
        const char *inm = srv_req_header(r, "If-None-Match");
        if (inm && strlen(inm) == TAULU_SHA256_HEX_LEN + 2 && inm[0] == '"' &&
            memcmp(inm + 1, sha, TAULU_SHA256_HEX_LEN) == 0) {
            r->cache_control = "public, max-age=31536000, immutable";
            srv_reply_header(r, "ETag", inm);
            srv_reply_empty(r, 304);
            return;
        }
    }
    snprintf(path, sizeof path, "%s/%s", pa->assets_dir, sha);
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        if (fd >= 0) {
            close(fd);
        }
        srv_reply_error(r, 404, "not_found", NULL);
        return;
    }
    {
        char etag[TAULU_SHA256_HEX_LEN + 3];
        snprintf(etag, sizeof etag, "\"%s\"", sha);
        srv_reply_header(r, "ETag", etag);
    }
    r->status = 200;
    r->content_type = "image/png";
    r->resp_fd = fd;
    r->resp_fd_size = (uint64_t)st.st_size;
    r->cache_control = "public, max-age=31536000, immutable";
}

void srv_h_image_upload(struct srv_req *r)
{
    struct srv_pubapp *pa = r->app->pub;
    struct srv_object o = {0, 0, 0, NULL, 0};
    struct srv_image_result res;
    enum srv_image_error e;
    struct taulu_buf why;
    const char *ctype = srv_req_header(r, "Content-Type");
    char path[700];
    struct stat st;
    bool existed;
    cJSON *out;

    if (!pa) {
        unavailable(r);
        return;
    }
    /* Whoever may submit items for an organisation may upload images. */
    o.org_id = r->actor.n_orgs ? r->actor.orgs[0] : 0;
    if (!srv_can(&r->actor, SRV_A_ITEM_CREATE, &o)) {
        /* Images are not secret objects: an honest 403, and logged. */
        srv_audit_refusal(r, "image.upload", "image", 0, NULL);
        srv_reply_error(r, 403, "forbidden", NULL);
        return;
    }
    if (srv_authorize(r, SRV_A_ITEM_CREATE, &o, "image", 0) ==
        TAULU_EANSWERED) {
        return;
    }
    if (!ctype) {
        srv_reply_error(r, 415, "unsupported_media_type", NULL);
        return;
    }
    if (strncasecmp(ctype, "multipart/", 10) == 0) {
        /* A browser form's upload. The image is sent as the body itself
         * (the web UI does so); a second parser of untrusted framing in
         * front of the image checks would be attack surface for nothing. */
        srv_reply_error(r, 415, "multipart_not_supported", NULL);
        return;
    }
    taulu_buf_init(&why, 512);
    e = srv_image_ingest(r->body.data, r->body.len, ctype, &res, &why);
    if (e != SRV_IMG_OK) {
        static const char *const codes[] = {
            [SRV_IMG_TOO_BIG] = "image_too_large",
            [SRV_IMG_UNSUPPORTED] = "unsupported_image_type",
            [SRV_IMG_TYPE_MISMATCH] = "image_type_mismatch",
            [SRV_IMG_CORRUPT] = "image_corrupt",
            [SRV_IMG_TOO_MANY_PIXELS] = "image_too_many_pixels",
            [SRV_IMG_DECODE] = "image_unreadable",
            [SRV_IMG_INTERNAL] = "internal",
        };
        /* The detailed reason goes to the log; the caller gets the
         * catalogue's sentence in three languages. */
        taulu_info(TAG, "image refused: %s", why.data);
        srv_reply_error(r, srv_image_http_status(e), codes[e], "image");
        taulu_buf_release(&why);
        return;
    }
    taulu_buf_release(&why);
    snprintf(path, sizeof path, "%s/%s", pa->assets_dir, res.sha256);
    existed = stat(path, &st) == 0;
    if (!existed &&
        taulu_file_write_atomic(path, res.png.data, res.png.len, 0640) != 0) {
        taulu_buf_release(&res.png);
        srv_reply_error(r, 500, "internal", NULL);
        return;
    }
    out = cJSON_CreateObject();
    cJSON_AddStringToObject(out, "sha256", res.sha256);
    cJSON_AddStringToObject(out, "media_type", "image/png");
    cJSON_AddNumberToObject(out, "size", (double)res.png.len);
    cJSON_AddNumberToObject(out, "width", res.width);
    cJSON_AddNumberToObject(out, "height", res.height);
    cJSON_AddNumberToObject(out, "original_width", res.orig_width);
    cJSON_AddNumberToObject(out, "original_height", res.orig_height);
    taulu_buf_release(&res.png);
    srv_reply_json(r, existed ? 200 : 201, out);
}

static cJSON *view_json(const struct srv_pub_view *v)
{
    cJSON *o = cJSON_CreateObject();
    char id[SRV_WIRE_ID_MAX];

    srv_screen_wire_id(v->screen_id, id);
    cJSON_AddNumberToObject(o, "id", (double)v->screen_id);
    cJSON_AddStringToObject(o, "screen_id", id);
    cJSON_AddNumberToObject(o, "centre_id", (double)v->centre_id);
    cJSON_AddNumberToObject(o, "seq", (double)v->seq);
    cJSON_AddStringToObject(o, "sha256", v->sha256);
    cJSON_AddBoolToObject(o, "online", v->status.online);
    srv_json_add_time(o, "last_seen", v->status.last_seen);
    if (v->status.has_seq) {
        cJSON_AddNumberToObject(o, "applied_seq",
                                (double)v->status.applied_seq);
    } else {
        cJSON_AddNullToObject(o, "applied_seq");
    }
    cJSON_AddBoolToObject(o, "live", v->live);
    cJSON_AddBoolToObject(o, "centre_open", v->is_open);
    cJSON_AddBoolToObject(o, "alarm", v->alarm);
    cJSON_AddNumberToObject(o, "alerts", (double)v->alerts);
    cJSON_AddNumberToObject(o, "alerts_acknowledged", (double)v->acked_alerts);
    if (v->status.error[0]) {
        cJSON_AddStringToObject(o, "error", v->status.error);
    }
    return o;
}

void srv_h_screen_status(struct srv_req *r)
{
    struct srv_pubapp *pa = r->app->pub;
    struct srv_object o = {0, 0, 0, NULL, 0};
    struct srv_pub_view v;

    if (!pa) {
        unavailable(r);
        return;
    }
    if (srv_publisher_view(pa->pub, r->params[0], &v) != 0) {
        srv_reply_error(r, 404, "not_found", NULL);
        return;
    }
    o.id = v.screen_id;
    o.centre_id = v.centre_id;
    if (srv_authorize(r, SRV_A_SCREEN_READ, &o, "screen", v.screen_id) ==
        TAULU_EANSWERED) {
        return;
    }
    srv_reply_json(r, 200, view_json(&v));
}

void srv_h_centre_live(struct srv_req *r)
{
    struct srv_pubapp *pa = r->app->pub;
    struct srv_object o = {0, 0, 0, NULL, 0};
    struct srv_scope scope = {false, NULL, 1};
    struct srv_screen *s = NULL;
    int64_t cid = r->params[0];
    size_t n = 0, i, acked_all = 0, alerts = 0;
    int live, total, alarms = 0;
    cJSON *out, *arr;

    if (!pa) {
        unavailable(r);
        return;
    }
    o.id = cid;
    o.centre_id = cid;
    if (srv_authorize(r, SRV_A_SCREEN_READ, &o, "centre", cid) ==
        TAULU_EANSWERED) {
        return;
    }
    scope.ids = &cid;
    if (srv_store_screen_list(pa->store, &r->pool, &scope, &s, &n) != 0) {
        srv_reply_error(r, 500, "internal", NULL);
        return;
    }
    srv_publisher_live(pa->pub, cid, 0, &live, &total);
    out = cJSON_CreateObject();
    cJSON_AddNumberToObject(out, "centre_id", (double)cid);
    arr = cJSON_AddArrayToObject(out, "screens");
    for (i = 0; i < n; i++) {
        struct srv_pub_view v;
        cJSON *j;
        if (srv_publisher_view(pa->pub, s[i].id, &v) != 0) {
            continue;
        }
        j = view_json(&v);
        cJSON_AddStringToObject(j, "name", s[i].name);
        cJSON_AddItemToArray(arr, j);
        alarms += v.alarm;
        alerts = v.alerts;
        acked_all += v.alerts > 0 && v.acked_alerts == v.alerts;
    }
    cJSON_AddNumberToObject(out, "live", live);
    cJSON_AddNumberToObject(out, "total", total);
    cJSON_AddNumberToObject(out, "alarms", alarms);
    cJSON_AddNumberToObject(out, "alerts", (double)alerts);
    /* "acknowledged by 3/3": screens that showed every current alert. */
    cJSON_AddNumberToObject(out, "alerts_acknowledged_by", (double)acked_all);
    srv_reply_json(r, 200, out);
}

void srv_h_item_live(struct srv_req *r)
{
    struct srv_pubapp *pa = r->app->pub;
    struct srv_object o = {0, 0, 0, NULL, 0};
    struct srv_item it;
    int64_t *centres;
    size_t i;
    cJSON *out, *arr;
    int rc;

    if (!pa) {
        unavailable(r);
        return;
    }
    rc = srv_store_item_get(pa->store, &r->pool, r->params[0], &it);
    if (rc != 0) {
        srv_api_store_error(r, rc);
        return;
    }
    centres = srv_pool_alloc(&r->pool, sizeof *centres * (it.n_placements + 1));
    for (i = 0; i < it.n_placements; i++) {
        centres[i] = it.placements[i].centre_id;
    }
    o.id = it.id;
    o.org_id = it.org_id;
    o.centres = centres;
    o.n_centres = it.n_placements;
    if (srv_authorize(r, SRV_A_ITEM_READ, &o, "item", it.id) ==
        TAULU_EANSWERED) {
        return;
    }
    out = cJSON_CreateObject();
    cJSON_AddNumberToObject(out, "item_id", (double)it.id);
    arr = cJSON_AddArrayToObject(out, "centres");
    for (i = 0; i < it.n_placements; i++) {
        const struct srv_placement *p = &it.placements[i];
        struct srv_object po = {p->id, p->org_id, p->centre_id, NULL, 0};
        struct srv_centre c;
        int live, total;
        cJSON *j;

        if (!srv_can(&r->actor, SRV_A_PLACEMENT_READ, &po)) {
            continue;
        }
        srv_publisher_live(pa->pub, p->centre_id, it.id, &live, &total);
        j = cJSON_CreateObject();
        cJSON_AddNumberToObject(j, "centre_id", (double)p->centre_id);
        if (srv_store_centre_get(pa->store, &r->pool, p->centre_id, &c) == 0) {
            cJSON_AddStringToObject(j, "centre", c.name);
        }
        cJSON_AddStringToObject(j, "state", srv_placement_state_name(p->state));
        cJSON_AddNumberToObject(j, "live", live);
        cJSON_AddNumberToObject(j, "total", total);
        cJSON_AddItemToArray(arr, j);
    }
    srv_reply_json(r, 200, out);
}
