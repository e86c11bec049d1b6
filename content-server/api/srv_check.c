/*
 * srv_check.c: POST /api/v1/check, POST /api/v1/preview and
 * /preview/screens, and the check of every text version on item create
 * and edit (see srv_check.h).
 */
#include "srv_check.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "check_hyph.h"
#include "render_map.h"
#include "srv_api.h"
#include "srv_domain.h"
#include "srv_fields.h"
#include "srv_image.h"
#include "srv_recur.h"
#include "srv_msg.h"
#include "srv_manifest.h"
#include "srv_pubapp.h"
#include "srv_pubstore.h"
#include "srv_render.h"
#include "taulu_crypto.h"
#include "taulu_time.h"
#include "taulu_err.h"
#include "taulu_log.h"

#define TAG          "check"
#define MAX_CENTRES  100 /* as many as an item may be placed at */
#define MAX_PROFILES 32  /* distinct screen profiles checked per request */
#define MAX_PAGE     8   /* RENDER_MAX_PAGES */
/* Findings kept with a stored version, per language: the approver needs
 * the gist, not a flood (the summary still counts them all). */
#define STORED_FINDINGS 100

/* The defaults when a preview names no screen: a 55" 1080p panel read
 * from 3 m, the county's usual lobby screen. */
#define DEFAULT_DIAGONAL 55.0
#define DEFAULT_DISTANCE 3.0

/* POST /api/v1/preview/screens keeps its answer bounded: at most this many
 * screens (the distinct real profiles), pages of each and PNG bytes in
 * all, each image at most PREVIEW_IMAGE_PX on its longer side (the
 * caller may ask for PREVIEW_IMAGE_MIN..MAX); the answer says what it
 * left out. A whole page of a 4K frame at 640 px is some 30-80 KB. */
#define PREVIEW_SCREENS   6
#define PREVIEW_PAGES     4
#define PREVIEW_BYTES     (3u * 1024u * 1024u)
#define PREVIEW_IMAGE_PX  640
#define PREVIEW_IMAGE_MIN 160
#define PREVIEW_IMAGE_MAX 1280

struct preview_slot {
    bool used;
    uint8_t key[32]; /* session hash, or the user id for token callers */
};

struct srv_checker {
    struct check_engine *eng;
    struct srv_render *render;
    struct check_hyph *hyph; /* the screens' soft hyphens, as the manifests
                                get them (srv_pubapp.c has its own) */
    /* the uploaded pictures the previews draw, decoded once each */
    struct srv_image_cache *images;
    pthread_mutex_t mu; /* the preview slots */
    unsigned max_previews;
    struct preview_slot *slots;
};

int srv_checker_new(const char *font_dir, unsigned max_previews,
                    struct srv_checker **out)
{
    struct srv_checker *c;
    int rc;

    if (!font_dir || !out || max_previews == 0) {
        return TAULU_EINVAL;
    }
    c = calloc(1, sizeof(*c));
    if (!c) {
        return TAULU_ENOMEM;
    }
    pthread_mutex_init(&c->mu, NULL);
    c->max_previews = max_previews;
    c->slots = calloc(max_previews, sizeof(*c->slots));
    if (!c->slots) {
        rc = TAULU_ENOMEM;
        goto out;
    }
    c->eng = check_engine_new(NULL, &rc);
    if (!c->eng) {
        goto out;
    }
    c->hyph = check_hyph_new(NULL, &rc);
    if (!c->hyph) {
        goto out;
    }
    rc = srv_image_cache_new(SRV_IMAGE_CACHE_BYTES, SRV_IMAGE_CACHE_ENTRIES,
                             &c->images);
    if (rc < 0) {
        goto out;
    }
    rc = srv_render_new(font_dir, &c->render);
out:
    if (rc < 0) {
        srv_checker_free(c);
        return rc;
    }
    *out = c;
    return 0;
}

void srv_checker_free(struct srv_checker *c)
{
    if (!c) {
        return;
    }
    check_engine_free(c->eng);
    check_hyph_free(c->hyph);
    srv_image_cache_free(c->images);
    srv_render_free(c->render);
    free(c->slots);
    pthread_mutex_destroy(&c->mu);
    free(c);
}

/* ------------------------------------------------------------------ */
/* What one check is about */

/* One text version with the item fields around it, from a stored item or
 * from a /check body. */
struct version_src {
    const struct srv_item *it;
    const struct srv_item_text *t;
    bool has_org, has_contact, has_image;
    /* the organisation's name, for the card's credit line as the
     * manifest writes it (NULL: not known, no credit line) */
    const char *org_name;
};

/* The name of organisation `id`, or NULL. */
static const char *org_name_of(struct srv_req *r, int64_t id)
{
    struct srv_org o;

    if (id > 0 && srv_store_org_get(r->app->store, &r->pool, id, &o) == 0) {
        return o.name;
    }
    return NULL;
}

/* The category of a stored slug, or -1. */
static int category_index(const char *slug)
{
    enum taulu_category c;

    return taulu_category_from_slug(slug, &c) == 0 ? (int)c : -1;
}

/* The manifest card a screen would get for this version (what the
 * publishing side builds), for the renderer. A yes/no the sender did not
 * tick is unknown, not "no": the card never claims stairs nobody named. */
static void card_of(const struct version_src *v, struct taulu_card *c,
                    struct taulu_card_version *cv)
{
    const struct srv_item *it = v->it;
    const struct srv_item_text *t = v->t;
    int cat = category_index(it->category);

    memset(c, 0, sizeof(*c));
    memset(cv, 0, sizeof(*cv));
    snprintf(cv->lang, sizeof(cv->lang), "%s", t->lang ? t->lang : "fi");
    cv->plain = t->plain;
    cv->title = t->title ? t->title : "";
    cv->body = t->body ? t->body : "";
    cv->summary = t->summary && *t->summary ? t->summary : NULL;
    cv->place = t->place && *t->place ? t->place : NULL;
    cv->price = t->price && *t->price ? t->price : NULL;
    cv->registration =
        t->registration && *t->registration ? t->registration : NULL;
    cv->contact = t->contact && *t->contact ? t->contact : NULL;
    cv->image_alt = t->image_alt && *t->image_alt ? t->image_alt : NULL;
    c->id = "preview";
    /* the credit line: who it is from, as the manifest builder writes it */
    c->org = v->org_name && *v->org_name ? v->org_name : NULL;
    c->kind = it->kind && strcmp(it->kind, "event") == 0 ? TAULU_CARD_EVENT
                                                         : TAULU_CARD_BULLETIN;
    c->category = cat >= 0 ? (enum taulu_category)cat : TAULU_CATEGORY_COUNT;
    c->display_from = it->display_from;
    c->display_until = it->display_until;
    c->versions = cv;
    c->n_versions = 1;
    c->link = it->link && *it->link ? it->link : NULL;
    if (c->kind == TAULU_CARD_EVENT) {
        c->has_event = true;
        c->event.start = it->starts_at;
        c->event.end = it->ends_at ? it->ends_at : it->starts_at;
        c->event.free =
            it->free_of_charge ? TAULU_FLAG_YES : TAULU_FLAG_UNKNOWN;
        c->event.step_free =
            it->step_free ? TAULU_FLAG_YES : TAULU_FLAG_UNKNOWN;
        c->event.induction_loop =
            it->induction_loop ? TAULU_FLAG_YES : TAULU_FLAG_UNKNOWN;
    }
    c->has_image = v->has_image;
    if (v->has_image && it->image_sha256) {
        snprintf(c->image.sha256, sizeof(c->image.sha256), "%s",
                 it->image_sha256);
    }
}

/* A recurring event's rule and next occurrences on the card, as the
 * manifest builder lists them, so that the preview shows the rule's row
 * and the fit check counts it. The card is used within this thread's
 * call only. */
static void attach_recur(const struct srv_item *it, struct taulu_card *c,
                         int64_t now)
{
    static _Thread_local struct taulu_card_recur rec;
    static _Thread_local struct taulu_occurrence
        occ[TAULU_MANIFEST_MAX_OCCURRENCES];
    struct taulu_series s;
    size_t n;

    if (!c->has_event || srv_item_series(it, &s) != 0) {
        return;
    }
    n = taulu_series_expand(&s, SRV_RECUR_TZ, now,
                            it->display_until ? it->display_until
                                              : TAULU_TIME_MAX,
                            occ, TAULU_MANIFEST_MAX_OCCURRENCES);
    if (n == 0) {
        return;
    }
    rec.rule = s.rule;
    rec.rule.n_exdates = 0;
    taulu_series_times(&s, SRV_RECUR_TZ, &rec.start_min, &rec.end_min);
    c->recur = &rec;
    c->occurrences = occ;
    c->n_occurrences =
        n < TAULU_MANIFEST_MAX_OCCURRENCES ? n : TAULU_MANIFEST_MAX_OCCURRENCES;
    c->event.start = occ[0].start;
    c->event.end = occ[c->n_occurrences - 1].end;
}

/* srv_manifest_soften's hyphenator: the checker's own check_hyph. */
static int soften_text(void *ctx, const char *lang, const char *s, size_t max,
                       struct taulu_buf *out)
{
    return check_hyph_text(ctx, lang, s, max, out, NULL);
}

/* srv_manifest_soften's keep: a copy in the request's pool. */
static const char *keep_in_pool(void *ctx, const char *s, size_t len)
{
    char *c = srv_pool_alloc(ctx, len + 1);

    memcpy(c, s, len);
    c[len] = '\0';
    return c;
}

/* The card a screen gets for this version: the manifest's texts, with the
 * soft hyphens the manifest builder puts in long words
 * (srv_manifest_soften: the same function, the same dictionaries), so
 * that the fit check and the preview lay out what the screens will. An
 * event without times yet (being typed) still lays out: the "when" row is
 * left out rather than the card refused. */
static int map_card(struct srv_req *r, struct render_map_buf *mb,
                    const struct version_src *v, struct taulu_card *c,
                    struct taulu_card_version *cv, int64_t now,
                    const char *image_path)
{
    struct srv_soften sf = {soften_text, r->app->checker->hyph};

    card_of(v, c, cv);
    if (r->app->public_url && r->app->public_url[0]) {
        /* The screens' cards link to the item's public page (srv_manifest.c).
         * An id not known yet (a new item; which centre's page) is taken at
         * 7 and 5 digits, more than this server will hold: the QR code laid
         * out is never smaller than the one the screens get. */
        char url[TAULU_MANIFEST_MAX_LINK + 1];
        int64_t id = v->it->id > 0 ? v->it->id : 9999999;
        if (srv_manifest_public_link(r->app->public_url, 99999, id, url,
                                     sizeof url) == 0) {
            c->link = srv_pool_strdup(&r->pool, url);
        }
    }
    if (c->has_event && (!c->event.start || c->event.end < c->event.start)) {
        c->has_event = false;
    }
    attach_recur(v->it, c, now);
    if (srv_manifest_soften(&sf, cv, keep_in_pool, &r->pool) < 0) {
        return TAULU_ENOMEM;
    }
    return render_map_card(mb, c, cv, &taulu_tz_helsinki, now, image_path);
}

/* The fit check does not decode the uploaded image: it is given to the
 * renderer as pixels of no size, so the layout keeps the image's room (its
 * box is sized by the profile, not by the picture, so the verdict is the
 * screen's with any picture). Drawn, this shows the text alternative
 * there, as a screen does for an image it cannot load: no key, so no
 * picture a canvas kept is drawn instead. */
static void image_placeholder(struct render_card *card)
{
    static const uint8_t none[4];

    card->image.rgba = none;
    card->image.width = 0;
    card->image.height = 0;
    card->image.stride = 0;
    card->image.path = NULL;
    card->image.key = NULL;
}

/* The previews draw the uploaded picture itself: the stored file
 * (assets/<sha256>, made by the upload) decoded once and kept
 * (srv_image_cache), given to the renderer as pixels under its sha256,
 * which scales it into the layout's box as a screen does with the same
 * file. Where it cannot be had (no such file, a damaged one, publishing
 * not started, the decoders busy) the text alternative is drawn, as on a
 * screen. *held gets the reference to give back (srv_image_cache_put)
 * once the drawing is done, or NULL. */
static void image_attach(struct srv_req *r, const struct version_src *v,
                         struct render_card *card,
                         const struct srv_pixels **held)
{
    struct srv_image_cache *cache = r->app->checker->images;
    const char *sha = v->it->image_sha256;
    const char *key = card->image.key;
    const struct srv_pixels *px;
    enum srv_image_error e;
    struct taulu_buf why;
    uint64_t size;
    int fd;

    *held = NULL;
    image_placeholder(card);
    if (!sha || !key || !r->app->pub) {
        return;
    }
    px = srv_image_cache_get(cache, sha);
    if (!px) {
        if (srv_pub_asset_open(r->app->pub, sha, &fd, &size) != 0) {
            taulu_info(TAG, "preview: no stored image %.12s", sha);
            return;
        }
        taulu_buf_init(&why, 256);
        e = srv_image_cache_load(cache, sha, fd, size, &px, &why);
        close(fd);
        if (e != SRV_IMG_OK) {
            taulu_warn(TAG, "preview: stored image %.12s not drawn: %s", sha,
                       why.data);
        }
        taulu_buf_release(&why);
        if (!px) {
            return;
        }
    }
    card->image.rgba = px->rgba;
    card->image.width = px->width;
    card->image.height = px->height;
    card->image.stride = px->stride;
    card->image.key = key;
    *held = px;
}

/* What a screen really is: the profile its player last reported (its own
 * settings over the configured one), else the configured one as its
 * manifest carries it; in the layout's terms (render_map_profile, as the
 * player reads its manifest). */
static void screen_profile(const struct srv_screen *s,
                           struct render_profile *out)
{
    struct taulu_profile tp;

    if (s->reported_width_px > 0 && s->reported_height_px > 0 &&
        s->reported_diagonal_in > 0 && s->reported_distance_m > 0) {
        tp.width_px = s->reported_width_px;
        tp.height_px = s->reported_height_px;
        tp.orientation = s->reported_height_px > s->reported_width_px
                             ? TAULU_PORTRAIT
                             : TAULU_LANDSCAPE;
        tp.diagonal_in_x10 = (int)(s->reported_diagonal_in * 10.0 + 0.5);
        tp.distance_mm = (int)(s->reported_distance_m * 1000.0 + 0.5);
    } else {
        srv_pubstore_screen_profile(s, &tp);
    }
    render_map_profile(&tp, out);
}

static bool same_rp(const struct render_profile *a,
                    const struct render_profile *b)
{
    return a->width == b->width && a->height == b->height &&
           a->diagonal_in == b->diagonal_in && a->distance_m == b->distance_m;
}

/* The distinct screen profiles of the centres (what each screen really
 * is), named by their screens and centre: "Tuira, aula (Tuiran
 * hyvinvointikeskus, 55" 1920×1080, 4 m)". 0, or TAULU_EANSWERED (an
 * unknown centre is answered 400). */
static int load_profiles(struct srv_req *r, const int64_t *centres, size_t n,
                         struct srv_profile **out, size_t *n_out)
{
    struct srv_scope scope = {false, centres, n};
    struct srv_screen *s = NULL;
    struct srv_profile *p;
    char(*names)[CHECK_FIT_PROFILE_MAX];
    size_t ns = 0, i, k, np = 0;
    int rc;

    *out = NULL;
    *n_out = 0;
    if (n == 0) {
        return 0;
    }
    p = srv_pool_alloc(&r->pool, MAX_PROFILES * sizeof(*p));
    names = srv_pool_alloc(&r->pool, MAX_PROFILES * sizeof(*names));
    for (i = 0; i < n; i++) {
        struct srv_centre c;
        rc = srv_store_centre_get(r->app->store, &r->pool, centres[i], &c);
        if (rc == TAULU_ENOTFOUND) {
            srv_reply_error(r, 400, "invalid_reference", "centres");
            return TAULU_EANSWERED;
        }
        if (rc) {
            srv_api_store_error(r, rc);
            return TAULU_EANSWERED;
        }
    }
    rc = srv_store_screen_list(r->app->store, &r->pool, &scope, &s, &ns);
    if (rc) {
        srv_api_store_error(r, rc);
        return TAULU_EANSWERED;
    }
    for (i = 0; i < ns; i++) {
        struct render_profile rp;
        bool dup = false;

        screen_profile(&s[i], &rp);
        for (k = 0; k < np; k++) {
            if (p[k].centre_id == s[i].centre_id && same_rp(&p[k].rp, &rp)) {
                /* another screen of the same kind: named with the first */
                size_t len = strlen(names[k]);
                snprintf(names[k] + len, sizeof names[k] - len, ", %s",
                         s[i].name);
                dup = true;
                break;
            }
        }
        if (dup || np == MAX_PROFILES) {
            continue;
        }
        memset(&p[np], 0, sizeof p[np]);
        p[np].rp = rp;
        p[np].centre_id = s[i].centre_id;
        snprintf(names[np], sizeof names[np], "%s", s[i].name);
        np++;
    }
    for (k = 0; k < np; k++) {
        struct srv_centre c;
        const char *cname = NULL;
        int64_t cid = p[k].centre_id;
        struct render_profile rp = p[k].rp;

        if (srv_store_centre_get(r->app->store, &r->pool, cid, &c) == 0) {
            cname = c.name;
        }
        srv_profile_set(&p[k], names[k], cname, rp.width, rp.height,
                        rp.diagonal_in, rp.distance_m);
        p[k].centre_id = cid;
    }
    *out = p;
    *n_out = np;
    return 0;
}

/* The checker's input for one version at `now` (no fit hook yet). */
static void fill_input(const struct version_src *v, int64_t now,
                       struct check_input *in)
{
    const struct srv_item *it = v->it;
    const struct srv_item_text *t = v->t;

    memset(in, 0, sizeof(*in));
    in->lang = t->lang;
    in->plain_language = t->plain;
    in->kind = it->kind && strcmp(it->kind, "event") == 0 ? CHECK_KIND_EVENT
                                                          : CHECK_KIND_BULLETIN;
    in->title = t->title;
    in->title_len = t->title ? strlen(t->title) : 0;
    in->body = t->body;
    in->body_len = t->body ? strlen(t->body) : 0;
    in->summary = t->summary && *t->summary ? t->summary : NULL;
    in->summary_len = in->summary ? strlen(in->summary) : 0;
    in->has_organisation = v->has_org;
    in->has_contact = v->has_contact;
    in->event_start = it->starts_at;
    in->event_end = it->ends_at;
    in->display_from = it->display_from;
    in->display_until = it->display_until;
    in->now = now;
    in->has_image = v->has_image;
    in->image_alt = t->image_alt;
    in->image_alt_len = t->image_alt ? strlen(t->image_alt) : 0;
    in->link = it->link;
    in->link_len = it->link ? strlen(it->link) : 0;
    in->place = t->place;
    in->place_len = t->place ? strlen(t->place) : 0;
    in->price = t->price;
    in->price_len = t->price ? strlen(t->price) : 0;
    in->registration = t->registration;
    in->registration_len = t->registration ? strlen(t->registration) : 0;
    in->contact = t->contact;
    in->contact_len = t->contact ? strlen(t->contact) : 0;
}

/* Runs the checker on one version. 0 or a taulu_err (then res is empty). */
static int run_check(struct srv_req *r, const struct version_src *v,
                     const struct srv_profile *profiles, size_t n_profiles,
                     struct check_result *res)
{
    struct srv_checker *ck = r->app->checker;
    struct render_map_buf mb;
    struct taulu_card c;
    struct taulu_card_version cv;
    struct srv_fit_ctx fctx;
    struct check_fit fit = {srv_fit_measure, &fctx};
    struct check_input in;
    int64_t now = taulu_now();
    int rc;

    render_map_buf_init(&mb);
    fill_input(v, now, &in);
    if (n_profiles > 0 && map_card(r, &mb, v, &c, &cv, now, NULL) == 0) {
        if (v->has_image) {
            image_placeholder(&mb.card);
        }
        fctx.sr = ck->render;
        fctx.card = &mb.card;
        fctx.shown = &cv;
        fctx.shows_summary = mb.shows_summary;
        fctx.profiles = profiles;
        fctx.n_profiles = n_profiles;
        in.fit = &fit;
    }
    rc = check_run(ck->eng, &in, res);
    render_map_buf_release(&mb);
    return rc;
}

/* ------------------------------------------------------------------ */
/* JSON */

static cJSON *summary_json(const struct check_summary *s)
{
    cJSON *o = cJSON_CreateObject(), *ix;

    cJSON_AddNumberToObject(o, "errors", s->errors);
    cJSON_AddNumberToObject(o, "warnings", s->warnings);
    cJSON_AddNumberToObject(o, "notices", s->notices);
    cJSON_AddNumberToObject(o, "sentences", s->sentences);
    cJSON_AddNumberToObject(o, "words", s->words);
    cJSON_AddNumberToObject(o, "words_per_sentence", s->words_per_sentence);
    cJSON_AddNumberToObject(o, "longest_sentence", s->longest_sentence);
    cJSON_AddNumberToObject(o, "long_word_share", s->long_word_share);
    cJSON_AddNumberToObject(o, "letters_per_word", s->letters_per_word);
    cJSON_AddNumberToObject(o, "subclauses", s->subclauses);
    cJSON_AddNumberToObject(o, "negations", s->negations);
    cJSON_AddNumberToObject(o, "passives", s->passives);
    cJSON_AddNumberToObject(o, "finite_verbs", s->finite_verbs);
    cJSON_AddNumberToObject(o, "nominals", s->nominals);
    cJSON_AddNumberToObject(o, "participials", s->participials);
    if (s->index_kind == CHECK_INDEX_NONE) {
        cJSON_AddNullToObject(o, "index");
    } else {
        ix = cJSON_AddObjectToObject(o, "index");
        cJSON_AddStringToObject(
            ix, "kind", s->index_kind == CHECK_INDEX_WIIO ? "wiio" : "lix");
        cJSON_AddNumberToObject(ix, "value", s->index_value);
    }
    cJSON_AddBoolToObject(o, "morphology", s->morphology);
    cJSON_AddBoolToObject(o, "language_checked", s->language_checked);
    cJSON_AddBoolToObject(o, "fit_checked", s->fit_checked);
    cJSON_AddBoolToObject(o, "truncated", s->truncated);
    return o;
}

static cJSON *finding_json(const struct check_finding *f)
{
    cJSON *o = cJSON_CreateObject(), *sp, *m;

    cJSON_AddStringToObject(o, "code", f->code);
    cJSON_AddStringToObject(o, "severity", check_severity_name(f->severity));
    cJSON_AddStringToObject(o, "field", check_field_name(f->field));
    /* "paragraph": a rate over the span (too many long words), for the
     * form to point at, not words to underline */
    cJSON_AddStringToObject(o, "scope", check_scope_name(f->scope));
    sp = cJSON_AddObjectToObject(o, "span");
    cJSON_AddNumberToObject(sp, "byte_start", (double)f->span.byte_start);
    cJSON_AddNumberToObject(sp, "byte_end", (double)f->span.byte_end);
    cJSON_AddNumberToObject(sp, "cp_start", (double)f->span.cp_start);
    cJSON_AddNumberToObject(sp, "cp_end", (double)f->span.cp_end);
    m = cJSON_AddObjectToObject(o, "message");
    cJSON_AddStringToObject(m, "fi", f->message[CHECK_MSG_FI]);
    cJSON_AddStringToObject(m, "sv", f->message[CHECK_MSG_SV]);
    cJSON_AddStringToObject(m, "en", f->message[CHECK_MSG_EN]);
    if (f->details[CHECK_MSG_FI]) {
        /* the figures behind it, for the approver */
        m = cJSON_AddObjectToObject(o, "details");
        cJSON_AddStringToObject(m, "fi", f->details[CHECK_MSG_FI]);
        cJSON_AddStringToObject(m, "sv", f->details[CHECK_MSG_SV]);
        cJSON_AddStringToObject(m, "en", f->details[CHECK_MSG_EN]);
    }
    return o;
}

/* {"lang", "light", "summary", "findings"}; `min_sev` filters, `max`
 * bounds the list (0 = all). */
static cJSON *result_json(const char *lang, const struct check_result *res,
                          enum check_severity min_sev, size_t max)
{
    cJSON *o = cJSON_CreateObject(), *arr;
    size_t i, n = 0;

    cJSON_AddStringToObject(o, "lang", lang);
    cJSON_AddStringToObject(o, "light", check_light_name(res->summary.light));
    cJSON_AddItemToObject(o, "summary", summary_json(&res->summary));
    arr = cJSON_AddArrayToObject(o, "findings");
    for (i = 0; i < res->count; i++) {
        if (res->findings[i].severity < min_sev) {
            continue;
        }
        if (max && n == max) {
            cJSON_AddBoolToObject(o, "findings_cut", true);
            break;
        }
        cJSON_AddItemToArray(arr, finding_json(&res->findings[i]));
        n++;
    }
    return o;
}

static cJSON *profiles_json(const struct srv_profile *p, size_t n)
{
    cJSON *arr = cJSON_CreateArray();
    size_t i;

    for (i = 0; i < n; i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "index", (double)i);
        cJSON_AddStringToObject(o, "name", p[i].name);
        cJSON_AddNumberToObject(o, "width_px", p[i].rp.width);
        cJSON_AddNumberToObject(o, "height_px", p[i].rp.height);
        cJSON_AddNumberToObject(o, "diagonal_in", p[i].rp.diagonal_in);
        cJSON_AddNumberToObject(o, "viewing_distance_m", p[i].rp.distance_m);
        cJSON_AddItemToArray(arr, o);
    }
    return arr;
}

/* ------------------------------------------------------------------ */
/* Item create / edit */

int srv_check_item(struct srv_req *r, const struct srv_item *it,
                   const int64_t *centres, size_t n_centres,
                   const char **findings)
{
    struct srv_profile *profiles;
    size_t n_profiles, i;
    cJSON *stored = NULL, *all = NULL;
    bool refused = false;
    char *s;
    int rc = 0;

    *findings = NULL;
    if (!r->app->checker) {
        return 0;
    }
    if (load_profiles(r, centres, n_centres, &profiles, &n_profiles) ==
        TAULU_EANSWERED) {
        return TAULU_EANSWERED;
    }
    stored = cJSON_CreateObject();
    all = cJSON_CreateArray();
    for (i = 0; i < it->n_texts; i++) {
        const struct srv_item_text *t = &it->texts[i];
        /* The organisation is always known here; the contact is the
         * text's own contact or else the signed-in sender's account, which
         * the approver can always reach. */
        struct version_src v = {it,
                                t,
                                it->org_id > 0,
                                (t->contact && *t->contact) || r->user.id > 0,
                                it->image_sha256 != NULL,
                                org_name_of(r, it->org_id)};
        struct check_result res;

        check_result_init(&res);
        rc = run_check(r, &v, profiles, n_profiles, &res);
        if (rc < 0) {
            check_result_release(&res);
            break;
        }
        if (res.summary.light == CHECK_RED) {
            refused = true;
        }
        cJSON_AddItemToArray(all, result_json(t->lang, &res, CHECK_NOTICE, 0));
        cJSON_AddItemToObject(
            stored, t->lang,
            result_json(t->lang, &res, CHECK_NOTICE, STORED_FINDINGS));
        check_result_release(&res);
    }
    if (rc < 0) {
        taulu_err(TAG, "check failed: %s", taulu_strerror(rc));
        srv_reply_error(r, 500, "internal", NULL);
        goto fail;
    }
    if (refused) {
        /* What to fix, for every version; nothing is stored. */
        cJSON *root = cJSON_CreateObject(), *err, *msg;
        const struct srv_msg *m = srv_msg_find("check_failed");
        err = cJSON_AddObjectToObject(root, "error");
        cJSON_AddStringToObject(err, "code", m->code);
        msg = cJSON_AddObjectToObject(err, "message");
        cJSON_AddStringToObject(msg, "fi", m->fi);
        cJSON_AddStringToObject(msg, "sv", m->sv);
        cJSON_AddStringToObject(msg, "en", m->en);
        cJSON_AddStringToObject(err, "field", "texts");
        cJSON_AddItemToObject(root, "checks", all);
        all = NULL;
        cJSON_AddItemToObject(root, "profiles",
                              profiles_json(profiles, n_profiles));
        srv_reply_json(r, 422, root);
        goto fail;
    }
    s = cJSON_PrintUnformatted(stored);
    if (!s) {
        abort();
    }
    *findings = srv_pool_strdup(&r->pool, s);
    cJSON_free(s);
    cJSON_Delete(stored);
    cJSON_Delete(all);
    return 0;
fail:
    cJSON_Delete(stored);
    cJSON_Delete(all);
    return TAULU_EANSWERED;
}

int srv_check_fits(struct srv_req *r, const struct srv_item *it, size_t text,
                   const int64_t *centres, size_t n_centres, bool *fits)
{
    struct srv_profile *profiles;
    size_t n_profiles, i;
    struct render_map_buf mb;
    struct taulu_card c;
    struct taulu_card_version cv;
    int rc;

    *fits = true;
    if (!r->app->checker || text >= it->n_texts) {
        return 0;
    }
    if (load_profiles(r, centres, n_centres, &profiles, &n_profiles) ==
        TAULU_EANSWERED) {
        return TAULU_EANSWERED;
    }
    if (n_profiles == 0) {
        return 0;
    }
    {
        /* the same version source as srv_check_item's */
        const struct srv_item_text *t = &it->texts[text];
        struct version_src v = {it,
                                t,
                                it->org_id > 0,
                                (t->contact && *t->contact) || r->user.id > 0,
                                it->image_sha256 != NULL,
                                org_name_of(r, it->org_id)};
        render_map_buf_init(&mb);
        rc = map_card(r, &mb, &v, &c, &cv, taulu_now(), NULL);
        if (rc == 0 && v.has_image) {
            image_placeholder(&mb.card);
        }
    }
    for (i = 0; rc == 0 && i < n_profiles && *fits; i++) {
        struct srv_fit_result res;
        rc = srv_render_fit(r->app->checker->render, &profiles[i].rp, &mb.card,
                            &res);
        if (rc == 0 &&
            render_verdict_gate(&res.verdict) != RENDER_GATE_ONE_PAGE) {
            *fits = false;
        }
    }
    render_map_buf_release(&mb);
    return rc;
}

/* ------------------------------------------------------------------ */
/* POST /api/v1/check and /api/v1/preview: the request */

struct check_req {
    struct srv_item it;
    struct srv_item_text t;
    struct version_src v;
    struct srv_ids centres;
    const char *orientation; /* preview: "landscape" | "portrait" */
    int64_t profile;         /* preview: index into the profiles, or -1 */
    int64_t page;            /* preview: 0-based */
    int64_t image_px;        /* preview/screens: an image's longer side */
};

enum check_mode { MODE_CHECK = 0, MODE_PREVIEW, MODE_SCREENS };

static const char *const check_keys[] = {
    "lang",      "plain",          "title",     "body",         "kind",
    "category",  "starts_at",      "ends_at",   "display_from", "display_until",
    "image",     "image_sha256",   "image_alt", "link",         "organisation",
    "contact",   "place",          "price",     "registration", "free",
    "step_free", "induction_loop", "centres",   "recurrence",   "summary",
    NULL};

static const char *const preview_keys[] = {
    "lang",           "plain",   "title",
    "body",           "kind",    "category",
    "starts_at",      "ends_at", "display_from",
    "display_until",  "image",   "image_sha256",
    "image_alt",      "link",    "organisation",
    "contact",        "place",   "price",
    "registration",   "free",    "step_free",
    "induction_loop", "centres", "orientation",
    "profile",        "page",    "recurrence",
    "summary",        NULL};

/* POST /api/v1/preview/screens: the check's body and the images' size. */
static const char *const screens_keys[] = {
    "lang",           "plain",    "title",
    "body",           "kind",     "category",
    "starts_at",      "ends_at",  "display_from",
    "display_until",  "image",    "image_sha256",
    "image_alt",      "link",     "organisation",
    "contact",        "place",    "price",
    "registration",   "free",     "step_free",
    "induction_loop", "centres",  "recurrence",
    "summary",        "image_px", NULL};

/* "contact": true/false says whether the item will have a contact; a
 * string is the version's contact text (limits as in the item API), which
 * is checked like the other short texts. With a string the contact is
 * present, as on submission, where the signed-in sender is the contact
 * when the text is empty. */
static int read_contact(const cJSON *in, struct check_req *q, bool *contact,
                        struct srv_verr *e)
{
    if (cJSON_IsString(cJSON_GetObjectItemCaseSensitive(in, "contact"))) {
        *contact = true;
        return srv_field_str(in, "contact", false, TAULU_F_CONTACT, false, "",
                             &q->t.contact, e);
    }
    return srv_json_bool(in, "contact", false, "", contact, e);
}

/* "organisation": true/false says whether the item will name its
 * organisation; a number is the organisation's id (one of the sender's,
 * any for a coordinator), whose name the card's credit line shows, as on
 * the screens. With true, a sender of exactly one organisation gets its
 * name. */
static int read_organisation(struct srv_req *r, const cJSON *in,
                             struct check_req *q, bool *org, struct srv_verr *e)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(in, "organisation");
    int64_t id = 0;
    size_t i;
    bool mine = r->actor.coordinator;

    if (cJSON_IsNumber(v)) {
        if (srv_json_int(in, "organisation", false, 1, INT64_MAX / 2, "", &id,
                         e) < 0) {
            return -1;
        }
        for (i = 0; i < r->actor.n_orgs; i++) {
            mine = mine || r->actor.orgs[i] == id;
        }
        q->v.org_name = mine ? org_name_of(r, id) : NULL;
        if (!q->v.org_name) {
            return srv_verr_set(e, 400, "invalid_reference", NULL,
                                "organisation");
        }
        *org = true;
        return 0;
    }
    if (srv_json_bool(in, "organisation", false, "", org, e) < 0) {
        return -1;
    }
    if (*org && r->actor.n_orgs == 1) {
        q->v.org_name = org_name_of(r, r->actor.orgs[0]);
    }
    return 0;
}

/* Reads the body. The limits are the item API's, so that what the check
 * accepts is what a submission accepts; an empty title or body is a
 * finding, not a refusal, because the volunteer is still typing. Answers
 * a failure and returns TAULU_EANSWERED. */
static int read_check_req(struct srv_req *r, enum check_mode mode, cJSON **in,
                          struct check_req *q)
{
    bool preview = mode == MODE_PREVIEW;
    struct srv_verr e;
    bool image = false, org = true, contact = true;

    memset(q, 0, sizeof(*q));
    q->profile = -1;
    q->image_px = PREVIEW_IMAGE_PX;
    if (srv_req_json(r, in) == TAULU_EANSWERED) {
        return TAULU_EANSWERED;
    }
    q->it.kind = "bulletin";
    if (srv_json_keys(*in,
                      preview                ? preview_keys
                      : mode == MODE_SCREENS ? screens_keys
                                             : check_keys,
                      "", &e) < 0 ||
        srv_json_str(*in, "lang", true, 2, 3, "", "", &q->t.lang, &e) < 0 ||
        srv_json_bool(*in, "plain", false, "", &q->t.plain, &e) < 0 ||
        srv_field_str(*in, "title", false, TAULU_F_TITLE, false, "",
                      &q->t.title, &e) < 0 ||
        srv_field_str(*in, "body", false, TAULU_F_BODY, false, "", &q->t.body,
                      &e) < 0 ||
        srv_field_str(*in, "summary", false, TAULU_F_SUMMARY, false, "",
                      &q->t.summary, &e) < 0 ||
        srv_json_enum(*in, "kind", false, srv_item_kinds, "", &q->it.kind, &e) <
            0 ||
        srv_json_enum(*in, "category", false, srv_categories, "",
                      &q->it.category, &e) < 0 ||
        srv_json_time(*in, "starts_at", false, "", &q->it.starts_at, &e) < 0 ||
        srv_json_time(*in, "ends_at", false, "", &q->it.ends_at, &e) < 0 ||
        srv_json_time(*in, "display_from", false, "", &q->it.display_from, &e) <
            0 ||
        srv_json_time(*in, "display_until", false, "", &q->it.display_until,
                      &e) < 0 ||
        srv_json_bool(*in, "image", false, "", &image, &e) < 0 ||
        srv_json_str(*in, "image_sha256", false, 64, 64, "", "",
                     &q->it.image_sha256, &e) < 0 ||
        srv_field_str(*in, "image_alt", false, TAULU_F_IMAGE_ALT, false, "",
                      &q->t.image_alt, &e) < 0 ||
        srv_field_str(*in, "link", false, TAULU_F_LINK, false, "", &q->it.link,
                      &e) < 0 ||
        read_organisation(r, *in, q, &org, &e) < 0 ||
        read_contact(*in, q, &contact, &e) < 0 ||
        srv_field_str(*in, "place", false, TAULU_F_PLACE, false, "",
                      &q->t.place, &e) < 0 ||
        srv_field_str(*in, "price", false, TAULU_F_PRICE, false, "",
                      &q->t.price, &e) < 0 ||
        srv_field_str(*in, "registration", false, TAULU_F_REGISTRATION, false,
                      "", &q->t.registration, &e) < 0 ||
        srv_json_bool(*in, "free", false, "", &q->it.free_of_charge, &e) < 0 ||
        srv_json_bool(*in, "step_free", false, "", &q->it.step_free, &e) < 0 ||
        srv_json_bool(*in, "induction_loop", false, "", &q->it.induction_loop,
                      &e) < 0 ||
        srv_json_ids(*in, "centres", false, 0, MAX_CENTRES, &r->pool, "",
                     &q->centres, &e) < 0 ||
        (preview && (srv_json_enum(*in, "orientation", false, srv_orientations,
                                   "", &q->orientation, &e) < 0 ||
                     srv_json_int(*in, "profile", false, 0, MAX_PROFILES - 1,
                                  "", &q->profile, &e) < 0 ||
                     srv_json_int(*in, "page", false, 0, MAX_PAGE - 1, "",
                                  &q->page, &e) < 0)) ||
        (mode == MODE_SCREENS &&
         srv_json_int(*in, "image_px", false, PREVIEW_IMAGE_MIN,
                      PREVIEW_IMAGE_MAX, "", &q->image_px, &e) < 0)) {
        srv_reply_verr(r, &e);
        return TAULU_EANSWERED;
    }
    /* The dates a submission may have (srv_item_read()): nothing the
     * screens could not date, so the preview never fails on them. */
    {
        int64_t now = taulu_now();
        if (srv_field_time(q->it.starts_at, now, SRV_EVENT_MAX_PAST_S,
                           SRV_EVENT_MAX_AHEAD_S, "", "starts_at", &e) < 0 ||
            srv_field_time(q->it.ends_at, now, SRV_EVENT_MAX_PAST_S,
                           SRV_EVENT_MAX_AHEAD_S, "", "ends_at", &e) < 0 ||
            srv_field_time(q->it.display_from, now, SRV_MAX_AHEAD_S,
                           SRV_MAX_AHEAD_S, "", "display_from", &e) < 0 ||
            srv_field_time(q->it.display_until, now, SRV_MAX_AHEAD_S,
                           SRV_MAX_AHEAD_S, "", "display_until", &e) < 0) {
            srv_reply_verr(r, &e);
            return TAULU_EANSWERED;
        }
    }
    if (!srv_lang_valid(q->t.lang)) {
        srv_reply_error(r, 400, "invalid_value", "lang");
        return TAULU_EANSWERED;
    }
    if (q->it.image_sha256 && !taulu_is_sha256_hex(q->it.image_sha256)) {
        srv_reply_error(r, 400, "invalid_value", "image_sha256");
        return TAULU_EANSWERED;
    }
    /* A rule still being filled in is no refusal here (the form's own
     * summary, POST /recurrence, says what is wrong with it): a valid one
     * adds its row to the card, anything else none. */
    if (q->it.starts_at && q->it.ends_at > q->it.starts_at &&
        srv_item_read_recurrence(*in, &r->pool, &q->it, &e) < 0) {
        q->it.recurrence = NULL;
    }
    if (preview && (q->orientation != NULL) == (q->profile >= 0)) {
        /* exactly one of the two */
        srv_reply_error(r, 400,
                        q->orientation ? "invalid_value" : "missing_field",
                        "profile");
        return TAULU_EANSWERED;
    }
    if (!q->t.title) {
        q->t.title = "";
    }
    if (!q->t.body) {
        q->t.body = "";
    }
    q->it.n_texts = 1;
    q->it.texts = &q->t;
    q->v.it = &q->it;
    q->v.t = &q->t;
    q->v.has_org = org;
    q->v.has_contact = contact;
    /* the uploaded picture's name: the previews draw it */
    q->v.has_image = image || q->it.image_sha256 != NULL;
    return 0;
}

void srv_h_check(struct srv_req *r)
{
    struct check_req q;
    struct check_result res;
    struct srv_profile *profiles;
    size_t n_profiles;
    cJSON *in = NULL, *out;
    int64_t t0 = srv_monotonic_us();
    int rc;

    /* The route is open to every signed-in user (the router checked
     * SRV_A_CENTRE_READ): centres and their panels are what a sender
     * chooses from. */
    check_result_init(&res);
    if (!r->app->checker) {
        srv_reply_error(r, 503, "unavailable", NULL);
        return;
    }
    if (read_check_req(r, MODE_CHECK, &in, &q) == TAULU_EANSWERED ||
        load_profiles(r, q.centres.v, q.centres.n, &profiles, &n_profiles) ==
            TAULU_EANSWERED) {
        goto out;
    }
    rc = run_check(r, &q.v, profiles, n_profiles, &res);
    if (rc < 0) {
        taulu_err(TAG, "check failed: %s", taulu_strerror(rc));
        srv_reply_error(r, 500, "internal", NULL);
        goto out;
    }
    out = result_json(q.t.lang, &res, CHECK_NOTICE, 0);
    cJSON_AddItemToObject(out, "profiles", profiles_json(profiles, n_profiles));
    cJSON_AddNumberToObject(out, "elapsed_us",
                            (double)(srv_monotonic_us() - t0));
    srv_reply_json(r, 200, out);
out:
    check_result_release(&res);
    cJSON_Delete(in);
}

/* ------------------------------------------------------------------ */
/* Preview */

static void preview_key(const struct srv_req *r, uint8_t key[32])
{
    memset(key, 0, 32);
    if (r->via_cookie) {
        memcpy(key, r->session_hash, 32);
    } else {
        /* an API token: one preview at a time per user */
        key[0] = 1;
        memcpy(key + 1, &r->user.id, sizeof(r->user.id));
    }
}

/* 0 and the slot taken, or the status to answer (429, 503). */
static int preview_enter(struct srv_checker *c, const uint8_t key[32],
                         unsigned *slot)
{
    unsigned i, free_slot = c->max_previews;
    int rc = 0;

    pthread_mutex_lock(&c->mu);
    for (i = 0; i < c->max_previews; i++) {
        if (c->slots[i].used && memcmp(c->slots[i].key, key, 32) == 0) {
            rc = 429;
            break;
        }
        if (!c->slots[i].used && free_slot == c->max_previews) {
            free_slot = i;
        }
    }
    if (rc == 0 && free_slot == c->max_previews) {
        rc = 503;
    }
    if (rc == 0) {
        c->slots[free_slot].used = true;
        memcpy(c->slots[free_slot].key, key, 32);
        *slot = free_slot;
    }
    pthread_mutex_unlock(&c->mu);
    return rc;
}

static void preview_leave(struct srv_checker *c, unsigned slot)
{
    pthread_mutex_lock(&c->mu);
    c->slots[slot].used = false;
    pthread_mutex_unlock(&c->mu);
}

/* The header as the screen shows it: the name of centre `cid` (none: no
 * name) in the page's language, with its short form where the name does
 * not fit. 0 or a code of render_map_header(). */
static int preview_header(struct srv_req *r, int64_t cid, const char *lang,
                          int64_t now, struct render_map_header *hb)
{
    struct srv_centre sc;
    struct taulu_centre tc;
    const char *name = NULL, *short_name = NULL;

    memset(&tc, 0, sizeof tc);
    if (cid && srv_store_centre_get(r->app->store, &r->pool, cid, &sc) == 0) {
        srv_pubstore_centre_languages(sc.languages, &tc);
        srv_pubstore_centre_names(&r->pool, &sc, &tc);
        name = render_map_centre_name(&tc, lang);
        short_name = render_map_centre_short(&tc, lang);
    }
    return render_map_header(hb, name, short_name, lang, &taulu_tz_helsinki,
                             now, 1, 1);
}

void srv_h_preview(struct srv_req *r)
{
    struct srv_checker *ck = r->app->checker;
    struct check_req q;
    struct srv_profile *profiles, def;
    const struct srv_profile *prof;
    size_t n_profiles, n_pages = 0;
    struct render_map_buf mb;
    struct render_map_header hb;
    struct taulu_card c;
    struct taulu_card_version cv;
    struct taulu_buf png;
    const struct srv_pixels *picture = NULL;
    cJSON *in = NULL;
    uint8_t key[32];
    unsigned slot = 0;
    bool entered = false;
    int64_t now;
    char hdr[32];
    int rc;

    render_map_buf_init(&mb);
    render_map_header_init(&hb);
    /* A 4K frame compresses to a few MB at most; refuse beyond that. */
    taulu_buf_init(&png, 16u * 1024u * 1024u);
    if (!ck) {
        srv_reply_error(r, 503, "unavailable", NULL);
        goto out;
    }
    if (read_check_req(r, MODE_PREVIEW, &in, &q) == TAULU_EANSWERED ||
        load_profiles(r, q.centres.v, q.centres.n, &profiles, &n_profiles) ==
            TAULU_EANSWERED) {
        goto out;
    }
    if (q.orientation) {
        bool portrait = strcmp(q.orientation, "portrait") == 0;
        srv_profile_set(&def, NULL, NULL, portrait ? 1080 : 1920,
                        portrait ? 1920 : 1080, DEFAULT_DIAGONAL,
                        DEFAULT_DISTANCE);
        prof = &def;
    } else if ((size_t)q.profile < n_profiles) {
        prof = &profiles[q.profile];
    } else {
        srv_reply_error(r, 400, "invalid_reference", "profile");
        goto out;
    }
    preview_key(r, key);
    rc = preview_enter(ck, key, &slot);
    if (rc == 429) {
        srv_reply_error(r, 429, "preview_busy", NULL);
        goto out;
    }
    if (rc == 503) {
        srv_reply_header(r, "Retry-After", "1");
        srv_reply_error(r, 503, "preview_busy", NULL);
        goto out;
    }
    entered = true;
    now = taulu_now();
    rc = map_card(r, &mb, &q.v, &c, &cv, now, NULL);
    if (rc == 0) {
        rc = preview_header(r,
                            prof->centre_id ? prof->centre_id
                            : n_profiles    ? profiles[0].centre_id
                                            : 0,
                            q.t.lang, now, &hb);
    }
    if (rc == 0) {
        if (q.v.has_image) {
            image_attach(r, &q.v, &mb.card, &picture);
        }
        rc = srv_render_png(ck->render, &prof->rp, &mb.card, &hb.header,
                            (size_t)q.page, &n_pages, &png);
    }
    if (rc == TAULU_EINVAL && n_pages > 0 && (size_t)q.page >= n_pages) {
        srv_reply_error(r, 400, "out_of_range", "page");
        goto out;
    }
    if (rc == TAULU_EUTF8) {
        srv_reply_error(r, 400, "invalid_value", "body");
        goto out;
    }
    if (rc < 0) {
        taulu_err(TAG, "preview failed: %s", taulu_strerror(rc));
        srv_reply_error(r, 500, "internal", NULL);
        goto out;
    }
    /* The instant drawn (relative days, the clock) and the page count, so
     * the form can page and a test can draw the same frame. */
    snprintf(hdr, sizeof(hdr), "%lld", (long long)now);
    srv_reply_header(r, "X-Preview-Time", hdr);
    snprintf(hdr, sizeof(hdr), "%zu", n_pages);
    srv_reply_header(r, "X-Preview-Pages", hdr);
    srv_reply_text(r, 200, "image/png", (const char *)png.data, png.len);
out:
    if (entered) {
        preview_leave(ck, slot);
    }
    srv_image_cache_put(ck ? ck->images : NULL, picture);
    taulu_buf_release(&png);
    render_map_header_release(&hb);
    render_map_buf_release(&mb);
    cJSON_Delete(in);
}

/* ------------------------------------------------------------------ */
/* POST /api/v1/preview/screens */

static const char *const fit_codes[] = {
    [CHECK_FIT_PAGES] = "text_does_not_fit",
    [CHECK_FIT_TITLE] = "title_does_not_fit",
    [CHECK_FIT_WORD] = "word_too_wide",
    [CHECK_FIT_WORD_SPLIT] = "word_split",
    [CHECK_FIT_LOST] = "text_not_shown",
    [CHECK_FIT_NO_ROOM] = "screen_too_small",
};

static const char *const msg_langs[CHECK_MSG_LANGS] = {"fi", "sv", "en"};

/* {"fi": ..., "sv": ..., "en": ...} */
static cJSON *words_json(const char *const text[CHECK_MSG_LANGS])
{
    cJSON *o = cJSON_CreateObject();
    int l;

    for (l = 0; l < CHECK_MSG_LANGS; l++) {
        cJSON_AddStringToObject(o, msg_langs[l], text[l]);
    }
    return o;
}

/* The verdict on one screen, in words: the fit gate's own reading of the
 * card there (srv_fit_measure on this one profile: the sentences the
 * submission's refusal would give, with the screen's name), or "fits on
 * one page". Adds "fits", "verdict" and "findings" to `o`. */
static int screen_verdict(struct srv_req *r, const struct check_req *q,
                          struct render_map_buf *mb,
                          const struct taulu_card_version *cv,
                          const struct srv_profile *prof, int64_t now, cJSON *o)
{
    static const char *const fits[CHECK_MSG_LANGS] = {
        "Mahtuu näytölle yhdelle sivulle.", "Ryms på skärmen på en sida.",
        "Fits the screen on one page."};
    struct srv_fit_ctx fctx;
    struct check_input in;
    struct check_fit_report *rep;
    cJSON *arr;
    bool ok = true;
    size_t i;
    int l, rc;

    rep = srv_pool_alloc(&r->pool, sizeof *rep);
    memset(rep, 0, sizeof *rep);
    fill_input(&q->v, now, &in);
    fctx.sr = r->app->checker->render;
    fctx.card = &mb->card;
    fctx.shown = cv;
    fctx.shows_summary = mb->shows_summary;
    fctx.profiles = prof;
    fctx.n_profiles = 1;
    rc = srv_fit_measure(&fctx, &in, rep);
    if (rc < 0) {
        return rc;
    }
    arr = cJSON_CreateArray();
    for (i = 0; i < rep->n_issues; i++) {
        const struct check_fit_issue *is = &rep->issues[i];
        const char *what[CHECK_MSG_LANGS];
        cJSON *f = cJSON_CreateObject();

        ok = ok && is->kind == CHECK_FIT_WORD_SPLIT;
        for (l = 0; l < CHECK_MSG_LANGS; l++) {
            what[l] = is->what[l];
        }
        cJSON_AddStringToObject(f, "code",
                                (size_t)is->kind <
                                        sizeof fit_codes / sizeof fit_codes[0]
                                    ? fit_codes[is->kind]
                                    : "fit");
        cJSON_AddStringToObject(f, "severity",
                                is->kind == CHECK_FIT_WORD_SPLIT ? "warning"
                                                                 : "error");
        cJSON_AddItemToObject(f, "message", words_json(what));
        cJSON_AddItemToArray(arr, f);
    }
    cJSON_AddBoolToObject(o, "fits", ok);
    if (ok) {
        cJSON_AddItemToObject(o, "verdict", words_json(fits));
    } else {
        /* the first refusing finding says it; the list has them all */
        for (i = 0; i < rep->n_issues; i++) {
            if (rep->issues[i].kind != CHECK_FIT_WORD_SPLIT) {
                const char *what[CHECK_MSG_LANGS];
                for (l = 0; l < CHECK_MSG_LANGS; l++) {
                    what[l] = rep->issues[i].what[l];
                }
                cJSON_AddItemToObject(o, "verdict", words_json(what));
                break;
            }
        }
    }
    cJSON_AddItemToObject(o, "findings", arr);
    return 0;
}

/* "data:image/png;base64,..." of the PNG in the pool. */
static const char *png_data_url(struct srv_req *r, const struct taulu_buf *png)
{
    static const char prefix[] = "data:image/png;base64,";
    size_t n = taulu_base64_encoded_size(png->len);
    char *out = srv_pool_alloc(&r->pool, sizeof prefix - 1 + n);

    memcpy(out, prefix, sizeof prefix - 1);
    if (taulu_base64_encode((const uint8_t *)png->data, png->len,
                            out + sizeof prefix - 1, n) < 0) {
        return NULL;
    }
    return out;
}

void srv_h_preview_screens(struct srv_req *r)
{
    struct srv_checker *ck = r->app->checker;
    struct check_req q;
    struct srv_profile *profiles = NULL, def;
    size_t n_profiles = 0, n_show, i, bytes = 0;
    struct render_map_buf mb;
    struct render_map_header hb;
    struct taulu_card c;
    struct taulu_card_version cv;
    struct taulu_buf png;
    const struct srv_pixels *picture = NULL;
    cJSON *in = NULL, *out = NULL, *arr, *lim;
    uint8_t key[32];
    unsigned slot = 0;
    bool entered = false, is_default = false;
    int64_t now, t0 = srv_monotonic_us();
    int rc;

    render_map_buf_init(&mb);
    render_map_header_init(&hb);
    taulu_buf_init(&png, PREVIEW_BYTES);
    if (!ck) {
        srv_reply_error(r, 503, "unavailable", NULL);
        goto out;
    }
    if (read_check_req(r, MODE_SCREENS, &in, &q) == TAULU_EANSWERED ||
        load_profiles(r, q.centres.v, q.centres.n, &profiles, &n_profiles) ==
            TAULU_EANSWERED) {
        goto out;
    }
    if (n_profiles == 0) {
        /* no centre chosen, or its centres have no screens yet: the
         * county's usual lobby screen, said to be that */
        srv_profile_set(&def, NULL, NULL, 1920, 1080, DEFAULT_DIAGONAL,
                        DEFAULT_DISTANCE);
        profiles = &def;
        n_profiles = 1;
        is_default = true;
    }
    preview_key(r, key);
    rc = preview_enter(ck, key, &slot);
    if (rc == 429) {
        srv_reply_error(r, 429, "preview_busy", NULL);
        goto out;
    }
    if (rc == 503) {
        srv_reply_header(r, "Retry-After", "1");
        srv_reply_error(r, 503, "preview_busy", NULL);
        goto out;
    }
    entered = true;
    now = taulu_now();
    rc = map_card(r, &mb, &q.v, &c, &cv, now, NULL);
    if (rc == TAULU_EUTF8) {
        srv_reply_error(r, 400, "invalid_value", "body");
        goto out;
    }
    if (rc < 0) {
        goto fail;
    }
    if (q.v.has_image) {
        /* once for every screen and page of the answer */
        image_attach(r, &q.v, &mb.card, &picture);
    }
    out = cJSON_CreateObject();
    cJSON_AddNumberToObject(out, "time", (double)now);
    arr = cJSON_AddArrayToObject(out, "screens");
    n_show = n_profiles < PREVIEW_SCREENS ? n_profiles : PREVIEW_SCREENS;
    for (i = 0; i < n_show; i++) {
        const struct srv_profile *p = &profiles[i];
        char words[CHECK_MSG_LANGS][CHECK_FIT_PROFILE_MAX];
        const char *w[CHECK_MSG_LANGS];
        cJSON *o = cJSON_CreateObject(), *imgs;
        size_t n_pages = 0, pg;
        int l, left = 0;

        cJSON_AddItemToArray(arr, o);
        cJSON_AddNumberToObject(o, "index", (double)i);
        cJSON_AddStringToObject(o, "name", p->name);
        srv_profile_words(p, words);
        for (l = 0; l < CHECK_MSG_LANGS; l++) {
            w[l] = words[l];
        }
        cJSON_AddItemToObject(o, "words", words_json(w));
        cJSON_AddNumberToObject(o, "width_px", p->rp.width);
        cJSON_AddNumberToObject(o, "height_px", p->rp.height);
        cJSON_AddNumberToObject(o, "diagonal_in", p->rp.diagonal_in);
        cJSON_AddNumberToObject(o, "viewing_distance_m", p->rp.distance_m);
        cJSON_AddBoolToObject(o, "default", is_default);
        if (is_default) {
            cJSON_AddBoolToObject(o, "fits", true);
            cJSON_AddNullToObject(o, "verdict");
            cJSON_AddItemToObject(o, "findings", cJSON_CreateArray());
        } else if ((rc = screen_verdict(r, &q, &mb, &cv, p, now, o)) < 0) {
            goto fail;
        }
        render_map_header_release(&hb);
        render_map_header_init(&hb);
        rc = preview_header(r, p->centre_id, q.t.lang, now, &hb);
        if (rc < 0) {
            goto fail;
        }
        imgs = cJSON_AddArrayToObject(o, "images");
        for (pg = 0; pg == 0 || pg < n_pages; pg++) {
            int iw = 0, ih = 0;
            const char *url;
            cJSON *im;

            if (pg >= PREVIEW_PAGES || bytes >= PREVIEW_BYTES) {
                left++;
                continue;
            }
            taulu_buf_reset(&png);
            rc = srv_render_png_scaled(ck->render, &p->rp, &mb.card, &hb.header,
                                       pg, (int)q.image_px, &n_pages, &png, &iw,
                                       &ih);
            if (rc == TAULU_ELIMIT || rc == TAULU_ENOMEM) {
                left++;
                continue;
            }
            if (rc < 0) {
                goto fail;
            }
            if (bytes + png.len > PREVIEW_BYTES ||
                !(url = png_data_url(r, &png))) {
                bytes = PREVIEW_BYTES;
                left++;
                continue;
            }
            bytes += png.len;
            im = cJSON_CreateObject();
            cJSON_AddNumberToObject(im, "page", (double)pg);
            cJSON_AddNumberToObject(im, "width", iw);
            cJSON_AddNumberToObject(im, "height", ih);
            cJSON_AddStringToObject(im, "png", url);
            cJSON_AddItemToArray(imgs, im);
            if (n_pages == 0) {
                break;
            }
        }
        cJSON_AddNumberToObject(o, "pages", (double)n_pages);
        cJSON_AddNumberToObject(o, "pages_left_out", left);
    }
    cJSON_AddNumberToObject(out, "screens_left_out",
                            (double)(n_profiles - n_show));
    lim = cJSON_AddObjectToObject(out, "limits");
    cJSON_AddNumberToObject(lim, "screens", PREVIEW_SCREENS);
    cJSON_AddNumberToObject(lim, "pages", PREVIEW_PAGES);
    cJSON_AddNumberToObject(lim, "png_bytes", PREVIEW_BYTES);
    cJSON_AddNumberToObject(lim, "image_px", (double)q.image_px);
    cJSON_AddNumberToObject(out, "png_bytes", (double)bytes);
    cJSON_AddNumberToObject(out, "elapsed_us",
                            (double)(srv_monotonic_us() - t0));
    srv_reply_json(r, 200, out);
    out = NULL;
    goto out;
fail:
    taulu_err(TAG, "preview of the screens failed: %s", taulu_strerror(rc));
    srv_reply_error(r, 500, "internal", NULL);
out:
    cJSON_Delete(out);
    if (entered) {
        preview_leave(ck, slot);
    }
    srv_image_cache_put(ck ? ck->images : NULL, picture);
    taulu_buf_release(&png);
    render_map_header_release(&hb);
    render_map_buf_release(&mb);
    cJSON_Delete(in);
}

/* ------------------------------------------------------------------ */
/* POST /api/v1/screens/profile-check */

/* "2,5" / "2.5": a decimal in the language's way, one decimal at most. */
static void decimal(char *out, size_t size, double v, bool comma)
{
    if (fabs(v - round(v)) < 0.005) {
        snprintf(out, size, "%.0f", v);
    } else {
        snprintf(out, size, "%.1f", v);
        if (comma) {
            char *dot = strchr(out, '.');
            if (dot) {
                *dot = ',';
            }
        }
    }
}

struct remedy {
    const char *kind; /* "closer", "larger", "portrait", "landscape" */
    double value;     /* distance m, diagonal in; 0 for a turn */
    int lines;
};

/* The advice in words: what the profile holds and, when that is too
 * little, the measured remedies. */
static cJSON *advice_json(const struct srv_capacity *cap,
                          const struct remedy *rm, size_t n)
{
    static const char *const few[3] = {
        " Se on vähän: ilmoitus, sen aika ja paikka eivät mahdu yhdelle "
        "sivulle.",
        " Det är lite: ett meddelande med tid och plats ryms inte på en "
        "sida.",
        " That is little: a notice with its time and place does not fit "
        "one page."};
    static const char *const intro[3] = {
        " Näin mahtuu enemmän:", " Så ryms mer:", " To hold more:"};
    static const char *const langs[3] = {"fi", "sv", "en"};
    cJSON *o = cJSON_CreateObject();
    int l;

    for (l = 0; l < 3; l++) {
        char text[1024], num[32];
        size_t k, len;
        int w = snprintf(
            text, sizeof text,
            l == 0   ? "Näytölle mahtuu %d riviä tekstiä (noin %d merkkiä "
                       "rivillä) yhden rivin otsikon alle."
            : l == 1 ? "Skärmen rymmer %d rader text (cirka %d tecken per "
                       "rad) under en rubrik på en rad."
                     : "The screen holds %d lines of text (about %d "
                       "characters a line) under a one-line title.",
            cap->body_lines, cap->chars_per_line);

        len = w > 0 ? (size_t)w : 0;
        if (cap->body_lines < SRV_PROFILE_MIN_LINES) {
            len +=
                (size_t)snprintf(text + len, sizeof text - len, "%s", few[l]);
            if (n > 0) {
                len += (size_t)snprintf(text + len, sizeof text - len, "%s",
                                        intro[l]);
            }
            for (k = 0; k < n && len < sizeof text; k++) {
                const char *sep = k == 0 ? " " : "; ";
                decimal(num, sizeof num, rm[k].value, l < 2);
                if (strcmp(rm[k].kind, "closer") == 0) {
                    w = snprintf(text + len, sizeof text - len,
                                 l == 0   ? "%skatselupaikka lähemmäs, %s m "
                                            "(%d riviä)"
                                 : l == 1 ? "%splatsen närmare, %s m (%d "
                                            "rader)"
                                          : "%sthe viewers closer, %s m (%d "
                                            "lines)",
                                 sep, num, rm[k].lines);
                } else if (strcmp(rm[k].kind, "larger") == 0) {
                    w = snprintf(text + len, sizeof text - len,
                                 l == 0 ? "%ssuurempi näyttö, %s tuumaa (%d "
                                          "riviä)"
                                 : l == 1 ? "%sen större skärm, %s tum (%d "
                                            "rader)"
                                          : "%sa larger screen, %s inches "
                                            "(%d lines)",
                                 sep, num, rm[k].lines);
                } else {
                    bool up = strcmp(rm[k].kind, "portrait") == 0;
                    w = snprintf(text + len, sizeof text - len,
                                 l == 0   ? "%snäyttö %s (%d riviä)"
                                 : l == 1 ? "%sskärmen %s (%d rader)"
                                          : "%sthe screen turned %s (%d "
                                            "lines)",
                                 sep,
                                 l == 0   ? (up ? "pystyyn" : "vaakaan")
                                 : l == 1 ? (up ? "på högkant" : "på bredden")
                                          : (up ? "upright" : "on its side"),
                                 rm[k].lines);
                }
                len += w > 0 ? (size_t)w : 0;
            }
            if (n > 0 && len + 1 < sizeof text) {
                text[len++] = '.';
                text[len] = '\0';
            }
        }
        cJSON_AddStringToObject(o, langs[l], text);
    }
    return o;
}

void srv_h_profile_check(struct srv_req *r)
{
    static const char *const keys[] = {
        "width_px",           "height_px", "orientation", "diagonal_in",
        "viewing_distance_m", "lang",      NULL};
    static const double diagonals[] = {43, 50, 55, 65, 75, 86, 98};
    struct srv_checker *ck = r->app->checker;
    struct srv_screen s;
    struct srv_capacity cap, c2;
    struct render_profile rp, alt;
    struct taulu_profile tp;
    struct remedy rm[3];
    struct srv_verr e;
    const char *lang = "fi";
    cJSON *in = NULL, *out, *arr;
    int64_t w = 0, h = 0;
    size_t n = 0, i;
    double d;

    if (!ck) {
        srv_reply_error(r, 503, "unavailable", NULL);
        return;
    }
    memset(&s, 0, sizeof s);
    if (srv_req_json(r, &in) == TAULU_EANSWERED) {
        return;
    }
    if (srv_json_keys(in, keys, "", &e) < 0 ||
        srv_json_enum(in, "orientation", true, srv_orientations, "",
                      &s.orientation, &e) < 0 ||
        srv_json_int(in, "width_px", true, 320, 16384, "", &w, &e) < 0 ||
        srv_json_int(in, "height_px", true, 240, 16384, "", &h, &e) < 0 ||
        srv_json_num(in, "diagonal_in", true, 7, 200, "", &s.diagonal_in, &e) <
            0 ||
        srv_json_num(in, "viewing_distance_m", true, 0.3, 30, "",
                     &s.viewing_distance_m, &e) < 0 ||
        srv_json_str(in, "lang", false, 2, 3, "", "", &lang, &e) < 0) {
        srv_reply_verr(r, &e);
        goto out;
    }
    if (!lang) {
        lang = "fi";
    }
    s.width_px = (int)w;
    s.height_px = (int)h;
    /* the profile as the screen's manifest carries it, read as a player
     * reads it */
    srv_pubstore_screen_profile(&s, &tp);
    render_map_profile(&tp, &rp);
    if (srv_render_capacity(ck->render, &rp, lang, &cap) < 0) {
        srv_reply_error(r, 500, "internal", NULL);
        goto out;
    }
    if (cap.body_lines < SRV_PROFILE_MIN_LINES) {
        /* measured remedies: nearer (half a metre at a time, to 1 m), a
         * larger panel of the same resolution, the panel turned */
        for (d = rp.distance_m - 0.5; d >= 1.0 - 1e-9; d -= 0.5) {
            alt = rp;
            alt.distance_m = d;
            if (srv_render_capacity(ck->render, &alt, lang, &c2) == 0 &&
                c2.body_lines >= SRV_PROFILE_MIN_LINES) {
                rm[n++] = (struct remedy){"closer", d, c2.body_lines};
                break;
            }
        }
        for (i = 0; i < sizeof diagonals / sizeof diagonals[0]; i++) {
            if (diagonals[i] <= rp.diagonal_in) {
                continue;
            }
            alt = rp;
            alt.diagonal_in = diagonals[i];
            if (srv_render_capacity(ck->render, &alt, lang, &c2) == 0 &&
                c2.body_lines >= SRV_PROFILE_MIN_LINES) {
                rm[n++] =
                    (struct remedy){"larger", diagonals[i], c2.body_lines};
                break;
            }
        }
        alt = rp;
        alt.width = rp.height;
        alt.height = rp.width;
        if (srv_render_capacity(ck->render, &alt, lang, &c2) == 0 &&
            c2.body_lines > cap.body_lines) {
            rm[n++] = (struct remedy){alt.height > alt.width ? "portrait"
                                                             : "landscape",
                                      0, c2.body_lines};
        }
    }
    out = cJSON_CreateObject();
    cJSON_AddNumberToObject(out, "body_lines", cap.body_lines);
    cJSON_AddNumberToObject(out, "chars_per_line", cap.chars_per_line);
    cJSON_AddNumberToObject(out, "min_lines", SRV_PROFILE_MIN_LINES);
    cJSON_AddBoolToObject(out, "enough",
                          cap.body_lines >= SRV_PROFILE_MIN_LINES);
    arr = cJSON_AddArrayToObject(out, "remedies");
    for (i = 0; i < n; i++) {
        cJSON *x = cJSON_CreateObject();
        cJSON_AddStringToObject(x, "kind", rm[i].kind);
        if (strcmp(rm[i].kind, "closer") == 0) {
            cJSON_AddNumberToObject(x, "viewing_distance_m", rm[i].value);
        } else if (strcmp(rm[i].kind, "larger") == 0) {
            cJSON_AddNumberToObject(x, "diagonal_in", rm[i].value);
        }
        cJSON_AddNumberToObject(x, "body_lines", rm[i].lines);
        cJSON_AddItemToArray(arr, x);
    }
    cJSON_AddItemToObject(out, "advice", advice_json(&cap, rm, n));
    srv_reply_json(r, 200, out);
out:
    cJSON_Delete(in);
}
