/*
 * srv_manifest.c: building and signing screen manifests (see
 * srv_manifest.h). Pure: no database, clock or network in here.
 */
#include "srv_manifest.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taulu_category.h"
#include "taulu_err.h"
#include "taulu_fields.h"
#include "taulu_proto.h"

/* The zone of the series' wall-clock times: the county's, as the centre's
 * timezone in every manifest (srv_pubstore.c). */
#define SRV_MANIFEST_TZ (&taulu_tz_helsinki)

static int wire_id(const char *prefix, int64_t id, char out[SRV_WIRE_ID_MAX])
{
    int n;

    out[0] = '\0';
    if (id <= 0) {
        return TAULU_EINVAL;
    }
    n = snprintf(out, SRV_WIRE_ID_MAX, "%s%lld", prefix, (long long)id);
    return (n > 0 && n < SRV_WIRE_ID_MAX) ? 0 : TAULU_EINVAL;
}

int srv_item_wire_id(int64_t id, char out[SRV_WIRE_ID_MAX])
{
    return wire_id("i", id, out);
}

int srv_alert_wire_id(int64_t id, char out[SRV_WIRE_ID_MAX])
{
    return wire_id("a", id, out);
}

int srv_centre_wire_id(int64_t id, char out[SRV_WIRE_ID_MAX])
{
    return wire_id("c", id, out);
}

int srv_screen_wire_id(int64_t id, char out[SRV_WIRE_ID_MAX])
{
    return wire_id("screen-", id, out);
}

int srv_screen_id_parse(const char *s, int64_t *id)
{
    char *end;
    long long v;

    if (!s || strncmp(s, "screen-", 7) != 0 || s[7] < '1' || s[7] > '9') {
        return TAULU_EVALUE;
    }
    errno = 0;
    v = strtoll(s + 7, &end, 10);
    if (errno || *end != '\0' || v <= 0) {
        return TAULU_EVALUE;
    }
    *id = (int64_t)v;
    return 0;
}

/* A copy in m's arena; NULL stays NULL and "" becomes NULL (absent). Sets
 * *oom on allocation failure. */
static const char *opt_dup(struct taulu_manifest *m, const char *s, int *oom)
{
    char *c;

    if (!s || !*s) {
        return NULL;
    }
    c = taulu_manifest_strdup(m, s);
    if (!c) {
        *oom = 1;
    }
    return c;
}

static const char *req_dup(struct taulu_manifest *m, const char *s, int *oom)
{
    char *c = taulu_manifest_strdup(m, s ? s : "");

    if (!c) {
        *oom = 1;
    }
    return c;
}

static const struct srv_snap_asset *find_asset(const struct srv_snapshot *snap,
                                               const char *sha)
{
    size_t i;

    for (i = 0; sha && i < snap->n_assets; i++) {
        if (strcmp(snap->assets[i].sha256, sha) == 0) {
            return &snap->assets[i];
        }
    }
    return NULL;
}

/* The time an event covers at `now`: a one-off event's start and end; a
 * series' next occurrence's start (the first one not ended) and its last
 * one's end. *start is TAULU_NO_TIME when a series has nothing to come. */
static void event_span(const struct srv_snap_item *it, int64_t now,
                       int64_t *start, int64_t *end)
{
    struct taulu_occurrence o;

    *start = it->event_start;
    *end = it->event_end;
    if (!it->series) {
        return;
    }
    *end = taulu_series_last_end(it->series, SRV_MANIFEST_TZ);
    if (*end == TAULU_RECUR_NO_DATE) {
        *end = TAULU_NO_TIME;
    }
    *start = taulu_series_expand(it->series, SRV_MANIFEST_TZ, now,
                                 TAULU_TIME_MAX, &o, 1) > 0
                 ? o.start
                 : TAULU_NO_TIME;
}

static bool placement_shown(const struct srv_snap_placement *p, int64_t now)
{
    const struct srv_snap_item *it = p->item;
    int64_t start, end;

    if (!p->approved || !it || it->version != p->approved_version) {
        return false;
    }
    if (!(p->display_from <= now && now < p->display_until)) {
        return false;
    }
    if (it->kind == TAULU_CARD_EVENT) {
        event_span(it, now, &start, &end);
        if (now >= end || (it->series && start == TAULU_NO_TIME)) {
            return false;
        }
    }
    return true;
}

static bool alert_shown(const struct srv_snap_alert *a, int64_t centre_id,
                        int64_t now)
{
    if (a->centre_id != 0 && a->centre_id != centre_id) {
        return false;
    }
    if (a->ended_at != 0 && a->ended_at <= now) {
        return false;
    }
    return a->from <= now && now < a->until;
}

/* The instant the cards are sorted at (qsort has no context). Set by
 * the builder just before it sorts; the builder runs on one thread. */
static _Thread_local int64_t sort_now;

static int cmp_placement(const void *pa, const void *pb)
{
    const struct srv_snap_placement *a =
        *(const struct srv_snap_placement *const *)pa;
    const struct srv_snap_placement *b =
        *(const struct srv_snap_placement *const *)pb;
    const struct srv_snap_item *x = a->item, *y = b->item;

    if (x->kind != y->kind) {
        return x->kind == TAULU_CARD_EVENT ? -1 : 1;
    }
    if (x->kind == TAULU_CARD_EVENT) {
        /* a series by its next occurrence */
        int64_t xs, xe, ys, ye;
        event_span(x, sort_now, &xs, &xe);
        event_span(y, sort_now, &ys, &ye);
        if (xs != ys) {
            return xs < ys ? -1 : 1;
        }
        if (xe != ye) {
            return xe < ye ? -1 : 1;
        }
    } else if (a->display_from != b->display_from) {
        return a->display_from > b->display_from ? -1 : 1;
    }
    if (x->id != y->id) {
        return x->id < y->id ? -1 : 1;
    }
    return a->id < b->id ? -1 : (a->id > b->id);
}

static int cmp_alert(const void *pa, const void *pb)
{
    const struct srv_snap_alert *a = *(const struct srv_snap_alert *const *)pa;
    const struct srv_snap_alert *b = *(const struct srv_snap_alert *const *)pb;

    if (a->from != b->from) {
        return a->from < b->from ? -1 : 1;
    }
    return a->id < b->id ? -1 : (a->id > b->id);
}

/* Position of lang in the centre's languages, or -1. */
static int lang_rank(const struct taulu_centre *c, const char *lang)
{
    size_t i;

    for (i = 0; lang && i < c->n_languages; i++) {
        if (strcmp(c->languages[i], lang) == 0) {
            return (int)i;
        }
    }
    return -1;
}

/* A recurring card's rule and occurrences (format 2): those that end
 * after `now` and start before the display window closes, the earliest
 * MAX_OCCURRENCES; the event spans them. TAULU_EVALUE when none is left
 * (the card is then not shown), TAULU_ENOMEM. */
static int fill_recur(struct taulu_manifest *m, const struct srv_snap_item *it,
                      const struct srv_snap_placement *p, int64_t now,
                      struct taulu_card *card)
{
    struct taulu_card_recur *r = taulu_manifest_alloc(m, sizeof *r);
    size_t n;

    card->occurrences = taulu_manifest_alloc(m, TAULU_MANIFEST_MAX_OCCURRENCES *
                                                    sizeof *card->occurrences);
    if (!r || !card->occurrences) {
        return TAULU_ENOMEM;
    }
    n = taulu_series_expand(it->series, SRV_MANIFEST_TZ, now, p->display_until,
                            card->occurrences, TAULU_MANIFEST_MAX_OCCURRENCES);
    if (n == 0) {
        return TAULU_EVALUE;
    }
    card->n_occurrences =
        n < TAULU_MANIFEST_MAX_OCCURRENCES ? n : TAULU_MANIFEST_MAX_OCCURRENCES;
    r->rule = it->series->rule;
    r->rule.n_exdates = 0; /* the occurrences leave them out */
    taulu_series_times(it->series, SRV_MANIFEST_TZ, &r->start_min, &r->end_min);
    card->recur = r;
    card->event.start = card->occurrences[0].start;
    card->event.end = card->occurrences[card->n_occurrences - 1].end;
    return 0;
}

/* srv_manifest_soften()'s keep: a copy in the manifest's arena. */
static const char *keep_in_arena(void *ctx, const char *s, size_t len)
{
    struct taulu_manifest *m = ctx;
    char *c = taulu_manifest_alloc(m, len + 1);

    if (c) {
        memcpy(c, s, len);
        c[len] = '\0';
    }
    return c;
}

int srv_manifest_public_link(const char *base, int64_t centre_id,
                             int64_t item_id, char *out, size_t size)
{
    size_t bl = base ? strlen(base) : 0;
    int w;

    while (bl > 0 && base[bl - 1] == '/') {
        bl--;
    }
    if (bl == 0) {
        return TAULU_EINVAL;
    }
    w = snprintf(out, size, "%.*s/p/%lld/%lld", (int)bl, base,
                 (long long)centre_id, (long long)item_id);
    return w > 0 && (size_t)w < size ? 0 : TAULU_ELIMIT;
}

int srv_manifest_soften(
    const struct srv_soften *sf, struct taulu_card_version *v,
    const char *(*keep)(void *ctx, const char *s, size_t len), void *keep_ctx)
{
    /* Each within its field's manifest limit (common/taulu_fields.h). */
    struct {
        const char **s;
        enum taulu_field f;
    } fields[] = {
        {&v->title, TAULU_F_TITLE},
        {&v->body, TAULU_F_BODY},
        {&v->summary, TAULU_F_SUMMARY},
        {&v->place, TAULU_F_PLACE},
        {&v->price, TAULU_F_PRICE},
        {&v->registration, TAULU_F_REGISTRATION},
        {&v->contact, TAULU_F_CONTACT},
    };
    struct taulu_buf b;
    size_t i;
    int rc = 0;

    if (!sf || !sf->text) {
        return 0;
    }
    taulu_buf_init(&b, TAULU_MANIFEST_MAX_BODY + 1);
    for (i = 0; i < sizeof fields / sizeof fields[0] && rc == 0; i++) {
        const char *s = *fields[i].s;
        size_t max = taulu_field_get(fields[i].f)->max_bytes;
        if (!s || !*s) {
            continue;
        }
        taulu_buf_reset(&b);
        if (sf->text(sf->ctx, v->lang, s, max, &b) < 0 || b.len > max ||
            (b.len == strlen(s) && memcmp(b.data, s, b.len) == 0)) {
            continue; /* as it is: unchanged, or the hyphenator failed */
        }
        *fields[i].s = keep(keep_ctx, b.data, b.len);
        if (!*fields[i].s) {
            *fields[i].s = s;
            rc = TAULU_ENOMEM;
        }
    }
    taulu_buf_release(&b);
    return rc;
}

/* Fills card from placement p. Versions: those in the centre's languages,
 * in the centre's order; if the item has none of them, all of its versions
 * (a contact person approved it for this centre, so it is shown). */
static int fill_card(struct taulu_manifest *m, const struct srv_snapshot *snap,
                     const struct srv_snap_placement *p, int64_t now,
                     struct taulu_card *card, struct taulu_asset_ref *asset,
                     bool *has_asset)
{
    const struct srv_snap_item *it = p->item;
    const struct srv_snap_asset *a = find_asset(snap, it->image_sha256);
    char id[SRV_WIRE_ID_MAX];
    size_t i, n = 0, matching = 0;
    int oom = 0, r;

    memset(card, 0, sizeof *card);
    *has_asset = false;
    if (srv_item_wire_id(it->id, id) < 0 || it->n_texts == 0) {
        return TAULU_EVALUE;
    }
    card->id = req_dup(m, id, &oom);
    card->kind = it->kind;
    if (taulu_category_from_key(it->category, &card->category) < 0) {
        return TAULU_EVALUE;
    }
    card->org = req_dup(m, it->org_name, &oom);
    card->display_from = p->display_from;
    card->display_until = p->display_until;
    if (snap->public_base && snap->public_base[0]) {
        /* The QR code opens the item's public page (its full text and
         * its own link), which a contact person's approval put there. */
        char url[TAULU_MANIFEST_MAX_LINK + 1];
        card->link =
            srv_manifest_public_link(snap->public_base, snap->centre_db_id,
                                     it->id, url, sizeof url) == 0
                ? req_dup(m, url, &oom)
                : NULL;
    } else {
        card->link = opt_dup(m, it->link, &oom);
    }
    if (it->kind == TAULU_CARD_EVENT) {
        card->has_event = true;
        card->event.start = it->event_start;
        card->event.end = it->event_end;
        card->event.free = it->free;
        card->event.step_free = it->step_free;
        card->event.induction_loop = it->induction_loop;
        if (it->series && (r = fill_recur(m, it, p, now, card)) < 0) {
            return r;
        }
    }
    if (a) {
        card->has_image = true;
        memcpy(card->image.sha256, a->sha256, sizeof a->sha256);
        card->image.size = a->size;
        card->image.type = a->type;
        card->image.width = a->width;
        card->image.height = a->height;
        memcpy(asset->sha256, a->sha256, sizeof a->sha256);
        asset->size = a->size;
        asset->type = a->type;
        *has_asset = true;
    }
    for (i = 0; i < it->n_texts; i++) {
        if (lang_rank(&snap->centre, it->texts[i].lang) >= 0) {
            matching++;
        }
    }
    if (matching > TAULU_MANIFEST_MAX_VERSIONS ||
        (matching == 0 && it->n_texts > TAULU_MANIFEST_MAX_VERSIONS)) {
        return TAULU_ELIMIT;
    }
    card->versions = taulu_manifest_alloc(
        m, sizeof *card->versions * (matching ? matching : it->n_texts));
    if (!card->versions) {
        return TAULU_ENOMEM;
    }
    for (r = matching ? 0 : -1;
         r < (matching ? (int)snap->centre.n_languages : 0); r++) {
        for (i = 0; i < it->n_texts; i++) {
            const struct srv_snap_text *t = &it->texts[i];
            struct taulu_card_version *v;
            int n_lang;

            if (matching && lang_rank(&snap->centre, t->lang) != r) {
                continue;
            }
            v = &card->versions[n++];
            n_lang =
                snprintf(v->lang, sizeof v->lang, "%s", t->lang ? t->lang : "");
            if (n_lang <= 0 || (size_t)n_lang >= sizeof v->lang) {
                return TAULU_EVALUE;
            }
            v->plain = t->plain;
            v->title = req_dup(m, t->title, &oom);
            v->body = req_dup(m, t->body, &oom);
            v->place = opt_dup(m, t->place, &oom);
            v->price = opt_dup(m, t->price, &oom);
            v->registration = opt_dup(m, t->registration, &oom);
            v->contact = opt_dup(m, t->contact, &oom);
            v->image_alt = a ? req_dup(m, t->image_alt, &oom) : NULL;
            v->summary = opt_dup(m, t->summary, &oom);
            if (!oom &&
                srv_manifest_soften(&snap->soften, v, keep_in_arena, m) < 0) {
                oom = 1;
            }
            if (matching) {
                break; /* one version per language */
            }
        }
    }
    card->n_versions = n;
    return oom ? TAULU_ENOMEM : 0;
}

static int fill_alert(struct taulu_manifest *m, const struct srv_snap_alert *a,
                      struct taulu_alert *out)
{
    char id[SRV_WIRE_ID_MAX];
    size_t i;
    int oom = 0;

    memset(out, 0, sizeof *out);
    if (srv_alert_wire_id(a->id, id) < 0 || a->n_texts == 0 ||
        a->n_texts > TAULU_MANIFEST_MAX_VERSIONS) {
        return TAULU_EVALUE;
    }
    out->id = req_dup(m, id, &oom);
    out->from = a->from;
    out->until = a->until;
    out->versions = taulu_manifest_alloc(m, sizeof *out->versions * a->n_texts);
    if (!out->versions) {
        return TAULU_ENOMEM;
    }
    for (i = 0; i < a->n_texts; i++) {
        struct taulu_alert_version *v = &out->versions[i];
        int n = snprintf(v->lang, sizeof v->lang, "%s",
                         a->texts[i].lang ? a->texts[i].lang : "");

        if (n <= 0 || (size_t)n >= sizeof v->lang) {
            return TAULU_EVALUE;
        }
        v->title = req_dup(m, a->texts[i].title, &oom);
        v->body = req_dup(m, a->texts[i].body, &oom);
    }
    out->n_versions = a->n_texts;
    return oom ? TAULU_ENOMEM : 0;
}

void srv_manifest_refusals_release(struct srv_manifest_refusals *r)
{
    if (r) {
        free(r->v);
        memset(r, 0, sizeof *r);
    }
}

/* Adds one refusal; `why` is the reader's message about the probe, whose
 * one card or alert is at index 0 ("cards[0].versions[1].title: too
 * long"), so that prefix is dropped. TAULU_ENOMEM. */
static int refuse(struct srv_manifest_refusals *r, bool alert, int64_t id,
                  int64_t placement_id, const char *why)
{
    struct srv_manifest_refusal *x;
    const char *prefix = alert ? "alerts[0]" : "cards[0]";

    if (!r) {
        return 0;
    }
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 8;
        void *v = realloc(r->v, cap * sizeof *r->v);
        if (!v) {
            return TAULU_ENOMEM;
        }
        r->v = v;
        r->cap = cap;
    }
    x = &r->v[r->n++];
    memset(x, 0, sizeof *x);
    x->alert = alert;
    x->id = id;
    x->placement_id = placement_id;
    if (strncmp(why, prefix, strlen(prefix)) == 0) {
        why += strlen(prefix);
        if (*why == '.') {
            why++;
        }
    }
    snprintf(x->reason, sizeof x->reason, "%s", why);
    return 0;
}

/* A stand-in screen so that one card or alert can be validated alone. */
static void probe_frame(const struct taulu_manifest *content,
                        struct taulu_manifest *probe)
{
    memset(probe, 0, sizeof *probe);
    probe->screen_id = "probe";
    probe->seq = 0;
    probe->built_at = 0;
    probe->centre = content->centre;
    probe->profile.width_px = 1920;
    probe->profile.height_px = 1080;
    probe->profile.orientation = TAULU_LANDSCAPE;
    probe->profile.diagonal_in_x10 = 550;
    probe->profile.distance_mm = 3000;
}

int srv_manifest_build_content(const struct srv_snapshot *snap, int64_t now,
                               struct taulu_manifest *content,
                               struct srv_manifest_refusals *refused)
{
    const struct srv_snap_placement **ps = NULL;
    const struct srv_snap_alert **as = NULL;
    struct taulu_manifest probe;
    struct taulu_buf why;
    size_t i, np = 0, na = 0;
    int rc = 0, oom = 0;

    taulu_buf_init(&why, 1024);
    /* The centre, deep-copied into the arena. */
    content->centre = snap->centre;
    content->centre.id = req_dup(content, snap->centre.id, &oom);
    content->centre.timezone = req_dup(content, snap->centre.timezone, &oom);
    for (i = 0; i < snap->centre.n_name && i < TAULU_MANIFEST_MAX_LANGUAGES;
         i++) {
        content->centre.name[i].text =
            req_dup(content, snap->centre.name[i].text, &oom);
    }
    if (oom) {
        return TAULU_ENOMEM;
    }

    ps = calloc(snap->n_placements ? snap->n_placements : 1, sizeof *ps);
    as = calloc(snap->n_alerts ? snap->n_alerts : 1, sizeof *as);
    if (!ps || !as) {
        rc = TAULU_ENOMEM;
        goto out;
    }
    for (i = 0; i < snap->n_placements; i++) {
        if (placement_shown(&snap->placements[i], now)) {
            ps[np++] = &snap->placements[i];
        }
    }
    for (i = 0; i < snap->n_alerts; i++) {
        if (alert_shown(&snap->alerts[i], snap->centre_db_id, now)) {
            as[na++] = &snap->alerts[i];
        }
    }
    if (np > 1) {
        sort_now = now;
        qsort(ps, np, sizeof *ps, cmp_placement);
    }
    if (na > 1) {
        qsort(as, na, sizeof *as, cmp_alert);
    }

    content->cards = taulu_manifest_alloc(
        content, sizeof *content->cards * (np < TAULU_MANIFEST_MAX_CARDS
                                               ? (np ? np : 1)
                                               : TAULU_MANIFEST_MAX_CARDS));
    content->assets = taulu_manifest_alloc(
        content, sizeof *content->assets * (np < TAULU_MANIFEST_MAX_ASSETS
                                                ? (np ? np : 1)
                                                : TAULU_MANIFEST_MAX_ASSETS));
    content->alerts = taulu_manifest_alloc(
        content, sizeof *content->alerts * TAULU_MANIFEST_MAX_ALERTS);
    if (!content->cards || !content->assets || !content->alerts) {
        rc = TAULU_ENOMEM;
        goto out;
    }
    content->n_cards = content->n_assets = content->n_alerts = 0;

    probe_frame(content, &probe);
    for (i = 0; i < np; i++) {
        struct taulu_card *card = &content->cards[content->n_cards];
        struct taulu_asset_ref asset;
        bool has_asset, seen = false;
        size_t k;
        int r;

        taulu_buf_reset(&why);
        if (content->n_cards == TAULU_MANIFEST_MAX_CARDS) {
            /* The oldest go: events last to start, bulletins oldest. */
            rc = refuse(refused, false, ps[i]->item->id, ps[i]->id,
                        "over the manifest's limit of 256 cards");
            if (rc < 0) {
                goto out;
            }
            continue;
        }
        r = fill_card(content, snap, ps[i], now, card, &asset, &has_asset);
        if (r == TAULU_ENOMEM) {
            rc = r;
            goto out;
        }
        if (r < 0) {
            taulu_buf_puts(&why, r == TAULU_ELIMIT
                                     ? "versions: more languages than a "
                                       "manifest holds"
                                     : "the item cannot be made a card");
        } else {
            /* One card that a player would refuse must not take the whole
             * centre's screens down with it: check it alone first. */
            probe.cards = card;
            probe.n_cards = 1;
            probe.assets = &asset;
            probe.n_assets = has_asset ? 1 : 0;
            r = taulu_manifest_validate(&probe, &why);
        }
        if (r != 0) {
            rc = refuse(refused, false, ps[i]->item->id, ps[i]->id, why.data);
            if (rc < 0) {
                goto out;
            }
            continue;
        }
        for (k = 0; has_asset && k < content->n_assets; k++) {
            if (strcmp(content->assets[k].sha256, asset.sha256) == 0) {
                seen = true;
            }
        }
        if (has_asset && !seen) {
            if (content->n_assets == TAULU_MANIFEST_MAX_ASSETS) {
                rc = refuse(refused, false, ps[i]->item->id, ps[i]->id,
                            "over the manifest's limit of 512 images");
                if (rc < 0) {
                    goto out;
                }
                continue;
            }
            content->assets[content->n_assets++] = asset;
        }
        content->n_cards++;
    }
    probe.cards = NULL;
    probe.n_cards = 0;
    probe.assets = NULL;
    probe.n_assets = 0;
    for (i = 0; i < na; i++) {
        struct taulu_alert *al = &content->alerts[content->n_alerts];
        int r;

        taulu_buf_reset(&why);
        if (content->n_alerts == TAULU_MANIFEST_MAX_ALERTS) {
            rc = refuse(refused, true, as[i]->id, 0,
                        "over the manifest's limit of 16 alerts");
            if (rc < 0) {
                goto out;
            }
            continue;
        }
        r = fill_alert(content, as[i], al);
        if (r == TAULU_ENOMEM) {
            rc = r;
            goto out;
        }
        if (r < 0) {
            taulu_buf_puts(&why, "versions: none, or more than a manifest "
                                 "holds");
        } else {
            probe.alerts = al;
            probe.n_alerts = 1;
            r = taulu_manifest_validate(&probe, &why);
        }
        if (r != 0) {
            rc = refuse(refused, true, as[i]->id, 0, why.data);
            if (rc < 0) {
                goto out;
            }
            continue;
        }
        content->n_alerts++;
    }
out:
    taulu_buf_release(&why);
    free(ps);
    free(as);
    return rc;
}

static void earliest(int64_t *best, int64_t t, int64_t now)
{
    if (t > now && t < *best) {
        *best = t;
    }
}

int64_t srv_manifest_next_change(const struct srv_snapshot *snap, int64_t now)
{
    int64_t best = INT64_MAX;
    size_t i;

    for (i = 0; i < snap->n_placements; i++) {
        const struct srv_snap_placement *p = &snap->placements[i];

        if (!p->approved || !p->item ||
            p->item->version != p->approved_version) {
            continue;
        }
        earliest(&best, p->display_from, now);
        earliest(&best, p->display_until, now);
        if (p->item->kind == TAULU_CARD_EVENT && !p->item->series) {
            earliest(&best, p->item->event_end, now);
        } else if (p->item->kind == TAULU_CARD_EVENT) {
            /* A series' last end; and, when more occurrences are to come
             * than a manifest lists, the end of the first listed one, so
             * that the list moves on. The players move from occurrence to
             * occurrence by themselves. */
            struct taulu_occurrence o;
            int64_t from = now > p->display_from ? now : p->display_from;
            size_t n = taulu_series_expand(p->item->series, SRV_MANIFEST_TZ,
                                           from, p->display_until, &o, 1);
            int64_t start, end;
            event_span(p->item, now, &start, &end);
            earliest(&best, end, now);
            if (n > TAULU_MANIFEST_MAX_OCCURRENCES) {
                earliest(&best, o.end, now);
            }
        }
    }
    if (snap->hours_until > 0) {
        earliest(&best, snap->hours_until, now);
    }
    for (i = 0; i < snap->n_alerts; i++) {
        const struct srv_snap_alert *a = &snap->alerts[i];

        if (a->centre_id != 0 && a->centre_id != snap->centre_db_id) {
            continue;
        }
        earliest(&best, a->from, now);
        earliest(&best, a->until, now);
        if (a->ended_at) {
            earliest(&best, a->ended_at, now);
        }
    }
    return best;
}

void srv_manifest_for_screen(const struct taulu_manifest *content,
                             const char *screen_id,
                             const struct taulu_profile *profile, int64_t seq,
                             int64_t built_at, struct taulu_manifest *out)
{
    *out = *content;
    out->arena = NULL; /* borrowed: never freed through `out` */
    out->screen_id = screen_id;
    out->profile = *profile;
    out->seq = seq;
    out->built_at = built_at;
}

int srv_manifest_digest(const struct taulu_manifest *m,
                        struct taulu_buf *scratch,
                        char out[TAULU_SHA256_HEX_LEN + 1],
                        struct taulu_buf *why)
{
    struct taulu_manifest z = *m;
    int rc;

    z.seq = 0;
    z.built_at = 0;
    taulu_buf_reset(scratch);
    rc = taulu_manifest_write(&z, scratch);
    if (rc < 0) {
        if (why) {
            taulu_manifest_validate(&z, why);
        }
        return rc;
    }
    taulu_sha256_hex(scratch->data, scratch->len, out);
    return 0;
}

int srv_manifest_sign(const struct taulu_manifest *m,
                      const uint8_t sk[TAULU_SIGN_SK_LEN],
                      struct taulu_buf *scratch, struct taulu_buf *signed_out,
                      char sha256[TAULU_SHA256_HEX_LEN + 1],
                      struct taulu_buf *why)
{
    int rc;

    taulu_buf_reset(scratch);
    taulu_buf_reset(signed_out);
    rc = taulu_manifest_write(m, scratch);
    if (rc < 0) {
        if (why) {
            taulu_manifest_validate(m, why);
        }
        return rc;
    }
    rc = taulu_manifest_sign(scratch->data, scratch->len, sk, signed_out);
    if (rc < 0) {
        return rc;
    }
    taulu_sha256_hex(signed_out->data, signed_out->len, sha256);
    return 0;
}
