/*
 * imp_linkedevents.c: Linked Events answers as events (see
 * imp_linkedevents.h).
 */
#include "imp_linkedevents.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imp_text.h"
#include "taulu_buf.h"
#include "taulu_err.h"

#define MAX_ID 255

static const char *const langs[] = {"fi", "sv", "en", NULL};

/* ------------------------------------------------------------------ */
/* Times */

static int digits(const char *s, int n, int *out)
{
    int v = 0, i;

    for (i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return -1;
        }
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

int imp_iso_parse(const char *s, int64_t *out, bool *date_only)
{
    int y, mo, d, h = 0, mi = 0, se = 0, oh = 0, om = 0, sign = 0;
    const char *p;
    int64_t t;

    *date_only = false;
    if (!s || strlen(s) < 10 || digits(s, 4, &y) || s[4] != '-' ||
        digits(s + 5, 2, &mo) || s[7] != '-' || digits(s + 8, 2, &d) ||
        y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1 ||
        d > taulu_days_in_month(y, mo)) {
        return TAULU_EPARSE;
    }
    p = s + 10;
    if (*p == '\0') {
        *date_only = true;
        return taulu_time_from_civil(IMP_TZ, y, mo, d, 0, 0, 0, out) == 0
                   ? 0
                   : TAULU_EPARSE;
    }
    if ((*p != 'T' && *p != ' ') || digits(p + 1, 2, &h) || p[3] != ':' ||
        digits(p + 4, 2, &mi)) {
        return TAULU_EPARSE;
    }
    p += 6;
    if (*p == ':') {
        if (digits(p + 1, 2, &se)) {
            return TAULU_EPARSE;
        }
        p += 3;
        if (*p == '.' || *p == ',') {
            p++;
            while (*p >= '0' && *p <= '9') {
                p++;
            }
        }
    }
    if (h > 23 || mi > 59 || se > 59) {
        return TAULU_EPARSE;
    }
    if (*p == 'Z' || *p == 'z') {
        sign = 1;
        p++;
    } else if (*p == '+' || *p == '-') {
        sign = *p == '+' ? 1 : -1;
        if (digits(p + 1, 2, &oh)) {
            return TAULU_EPARSE;
        }
        p += 3;
        if (*p == ':') {
            p++;
        }
        if (digits(p, 2, &om)) {
            return TAULU_EPARSE;
        }
        p += 2;
        if (oh > 18 || om > 59) {
            return TAULU_EPARSE;
        }
    }
    if (*p != '\0') {
        return TAULU_EPARSE;
    }
    if (sign == 0) {
        /* no zone: Helsinki time */
        return taulu_time_from_civil(IMP_TZ, y, mo, d, h, mi, se, out) == 0
                   ? 0
                   : TAULU_EPARSE;
    }
    t = taulu_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
    *out = t - sign * (oh * 3600 + om * 60);
    return 0;
}

/* ------------------------------------------------------------------ */
/* Fields */

static const cJSON *get(const cJSON *o, const char *name)
{
    return cJSON_GetObjectItemCaseSensitive(o, name);
}

static const char *str(const cJSON *o, const char *name)
{
    const cJSON *v = get(o, name);

    return cJSON_IsString(v) && v->valuestring[0] ? v->valuestring : NULL;
}

/* A multilingual field ({"fi": "...", "sv": ...}) in `lang`, or NULL. */
static const char *ml(const cJSON *o, const char *name, const char *lang)
{
    const cJSON *v = get(o, name);

    if (cJSON_IsString(v)) {
        return v->valuestring[0] ? v->valuestring : NULL;
    }
    return cJSON_IsObject(v) ? str(v, lang) : NULL;
}

/* The same, falling back to Finnish, then to any of the three. */
static const char *ml_any(const cJSON *o, const char *name, const char *lang)
{
    const char *s = ml(o, name, lang);
    size_t i;

    for (i = 0; !s && langs[i]; i++) {
        s = ml(o, name, langs[i]);
    }
    return s;
}

static const char *pool_id(struct srv_pool *p, const char *s)
{
    size_t n = s ? strlen(s) : 0;

    return n ? srv_pool_strndup(p, s, n > MAX_ID ? MAX_ID : n) : NULL;
}

/* "espoo:146665" from an "@id" URL ".../event/espoo:146665/". */
static const char *id_of_ref(struct srv_pool *p, const cJSON *ref)
{
    const char *u = str(ref, "@id");
    const char *e, *b;

    if (!u) {
        return NULL;
    }
    e = u + strlen(u);
    while (e > u && e[-1] == '/') {
        e--;
    }
    b = e;
    while (b > u && b[-1] != '/') {
        b--;
    }
    return b < e
               ? srv_pool_strndup(
                     p, b, (size_t)(e - b) > MAX_ID ? MAX_ID : (size_t)(e - b))
               : NULL;
}

/* The place in words: "Mankkaan päiväkoti, Vanhan-Mankkaan kuja 2 B,
 * 02180 Espoo". */
static const char *place_of(struct srv_pool *p, const cJSON *loc,
                            const char *lang)
{
    struct taulu_buf b;
    const char *name = ml_any(loc, "name", lang);
    const char *street = ml_any(loc, "street_address", lang);
    const char *town = ml_any(loc, "address_locality", lang);
    const char *postal = str(loc, "postal_code");
    char *res;

    if (!cJSON_IsObject(loc)) {
        return NULL;
    }
    taulu_buf_init(&b, 2048);
    if (name) {
        taulu_buf_puts(&b, name);
    }
    if (street && (!name || strcmp(street, name) != 0)) {
        taulu_buf_puts(&b, b.len ? ", " : "");
        taulu_buf_puts(&b, street);
    }
    if (postal || town) {
        taulu_buf_puts(&b, b.len ? ", " : "");
        if (postal) {
            taulu_buf_puts(&b, postal);
            taulu_buf_puts(&b, town ? " " : "");
        }
        if (town) {
            taulu_buf_puts(&b, town);
        }
    }
    res = b.len ? imp_text_clean(p, b.data, b.len, IMP_PLACE_MAX, false) : NULL;
    taulu_buf_release(&b);
    return res;
}

/* The image the licence lets us show, with its credit. */
static void image_of(struct srv_pool *p, const cJSON *ev, struct imp_event *e)
{
    const cJSON *img;

    cJSON_ArrayForEach(img, get(ev, "images"))
    {
        const char *lic = str(img, "license");
        const char *url = str(img, "url");
        const char *alt = str(img, "alt_text");
        const char *who = str(img, "photographer_name");
        char credit[400];
        size_t i;

        if (!lic || (strcmp(lic, "cc_by") != 0 && strcmp(lic, "cc0") != 0 &&
                     strcmp(lic, "cc_0") != 0)) {
            continue; /* "event_only" and anything unknown: not ours */
        }
        if (!url || strncmp(url, "https://", 8) != 0 || !imp_link_ok(url)) {
            continue;
        }
        if (!cJSON_IsString(get(img, "alt_text"))) {
            const cJSON *a = get(img, "alt_text");
            alt = cJSON_IsObject(a) ? ml_any(img, "alt_text", "fi") : NULL;
        }
        alt = alt ? imp_text(p, alt, IMP_ALT_MAX, false) : NULL;
        if (!alt) {
            continue; /* an image needs its text alternative */
        }
        if (!who) {
            who = str(ev, "data_source");
        }
        snprintf(credit, sizeof credit, "%.200s%s%s",
                 who ? who : "Linked Events",
                 strcmp(lic, "cc_by") == 0 ? ", CC BY 4.0" : "",
                 strcmp(lic, "cc_by") == 0 ? "" : ", CC0");
        e->image_url = srv_pool_strdup(p, url);
        e->image_credit = imp_text(p, credit, 200, false);
        for (i = 0; i < e->n_v; i++) {
            e->v[i].image_alt = alt;
        }
        return;
    }
}

/* One event object into r. */
static void one(struct srv_pool *p, const cJSON *ev, struct imp_le_raw *r)
{
    struct imp_event *e = &r->ev;
    const cJSON *off = cJSON_GetArrayItem(get(ev, "offers"), 0);
    const cJSON *loc = get(ev, "location");
    const char *st = str(ev, "event_status");
    const char *set = str(ev, "super_event_type");
    const char *s, *link = NULL;
    bool d1 = false, d2 = false;
    size_t i;

    memset(r, 0, sizeof *r);
    e->free = -1;
    r->id = pool_id(p, str(ev, "id"));
    e->ext_id = r->id;
    r->super_id = id_of_ref(p, get(ev, "super_event"));
    r->recurring_super = set && strcmp(set, "recurring") == 0;
    if (cJSON_IsTrue(get(ev, "deleted")) ||
        (st && (strcmp(st, "EventCancelled") == 0 ||
                strcmp(st, "EventPostponed") == 0))) {
        e->gone = true;
    }
    for (i = 0; langs[i]; i++) {
        const char *name = ml(ev, "name", langs[i]);
        struct imp_version *v;
        if (!name) {
            continue;
        }
        v = imp_event_version(e, langs[i]);
        v->title = imp_text(p, name, IMP_TITLE_MAX, false);
        s = ml(ev, "description", langs[i]);
        v->body = s ? imp_text(p, s, IMP_BODY_MAX, true) : NULL;
        if (!v->body) {
            s = ml(ev, "short_description", langs[i]);
            v->body = s ? imp_text(p, s, IMP_BODY_MAX, true) : NULL;
        }
        if (!v->body) {
            v->body = v->title;
        }
        v->place = place_of(p, loc, langs[i]);
        s = off ? ml(off, "price", langs[i]) : NULL;
        v->price = s ? imp_text(p, s, IMP_PRICE_MAX, false) : NULL;
        if (!v->title) {
            e->n_v--; /* a name of only white space or markup */
        }
        if (!link) {
            link = ml(ev, "info_url", langs[i]);
        }
    }
    if (!link && off) {
        link = ml_any(off, "info_url", "fi");
    }
    if (!link) {
        link = str(cJSON_GetArrayItem(get(ev, "external_links"), 0), "link");
    }
    e->link = link ? imp_link(p, link) : NULL;
    if (off && cJSON_IsBool(get(off, "is_free"))) {
        e->free = cJSON_IsTrue(get(off, "is_free")) ? 1 : 0;
    }
    image_of(p, ev, e);
    r->has_start = imp_iso_parse(str(ev, "start_time"), &e->start, &d1) == 0;
    if (!r->has_start) {
        e->skip.code = "no_time";
        e->skip.detail = "the event has no start_time";
    } else if (imp_iso_parse(str(ev, "end_time"), &e->end, &d2) != 0) {
        if (d1) {
            /* a date without a time and no end: that day */
            e->end = e->start + 86400;
            e->all_day = true;
        } else {
            e->skip.code = "no_time";
            e->skip.detail = "the event has no end_time";
        }
    } else if (e->end <= e->start) {
        e->skip.code = "no_time";
        e->skip.detail = "the event ends before it starts";
    }
    if (e->n_v == 0 && !e->gone) {
        e->skip.code = "no_title";
        e->skip.detail = "the event has no name in Finnish, Swedish or English";
    }
}

int imp_le_parse(const char *json, size_t len, struct srv_pool *p,
                 struct imp_le_list *raw, const char **next, char *err,
                 size_t err_size)
{
    cJSON *root = cJSON_ParseWithLength(json, len);
    const cJSON *data, *ev;

    *next = NULL;
    err[0] = '\0';
    if (!cJSON_IsObject(root)) {
        snprintf(err, err_size, "the answer is not a JSON object");
        cJSON_Delete(root);
        return TAULU_EPARSE;
    }
    data = get(root, "data");
    if (data && !cJSON_IsArray(data)) {
        snprintf(err, err_size, "\"data\" is not a list");
        cJSON_Delete(root);
        return TAULU_EPARSE;
    }
    if (!data && !str(root, "id")) {
        snprintf(err, err_size, "neither a list of events nor an event");
        cJSON_Delete(root);
        return TAULU_EPARSE;
    }
    if (data) {
        const char *n = str(get(root, "meta"), "next");
        *next = n ? srv_pool_strdup(p, n) : NULL;
    }
    cJSON_ArrayForEach(ev, data)
    {
        if (!cJSON_IsObject(ev) || !str(ev, "id")) {
            continue;
        }
        if (raw->n == raw->cap) {
            raw->v = srv_pool_grow(p, raw->v, sizeof *raw->v, &raw->cap);
        }
        one(p, ev, &raw->v[raw->n++]);
    }
    if (!data) {
        if (raw->n == raw->cap) {
            raw->v = srv_pool_grow(p, raw->v, sizeof *raw->v, &raw->cap);
        }
        one(p, root, &raw->v[raw->n++]);
    }
    cJSON_Delete(root);
    return 0;
}

static const struct imp_le_raw *find(const struct imp_le_list *raw,
                                     const char *id)
{
    size_t i;

    for (i = 0; id && i < raw->n; i++) {
        if (raw->v[i].id && strcmp(raw->v[i].id, id) == 0) {
            return &raw->v[i];
        }
    }
    return NULL;
}

size_t imp_le_groups(const struct imp_le_list *raw, const char **ids,
                     size_t cap)
{
    size_t i, k, n = 0;

    for (i = 0; i < raw->n; i++) {
        const struct imp_le_raw *r = &raw->v[i];
        const struct imp_le_raw *sup = find(raw, r->super_id);
        const char *id = NULL;
        bool seen = false;

        if (r->recurring_super) {
            id = r->id;
        } else if (r->super_id && (!sup || sup->recurring_super)) {
            id = r->super_id;
        }
        for (k = 0; id && k < n; k++) {
            seen = seen || strcmp(ids[k], id) == 0;
        }
        if (id && !seen && n < cap) {
            ids[n++] = id;
        }
    }
    return n;
}

void imp_le_events(struct srv_pool *p, const struct imp_le_list *raw,
                   int64_t now, struct imp_batch *out)
{
    struct imp_window w;
    struct imp_occ *occ;
    size_t i, k;

    imp_window_at(now, &w);
    occ = calloc(TAULU_RECUR_MAX_OCCURRENCES, sizeof *occ);
    for (i = 0; i < raw->n; i++) {
        const struct imp_le_raw *r = &raw->v[i];
        const struct imp_le_raw *sup = find(raw, r->super_id);
        struct imp_event *e;
        size_t n = 0;

        if (sup && sup->recurring_super) {
            continue; /* an occurrence of its super event's series */
        }
        if (!r->recurring_super || r->ev.gone || r->ev.n_v == 0) {
            e = imp_batch_add(p, out);
            *e = r->ev;
            imp_event_check_window(e, now, &w);
            continue;
        }
        for (k = 0; occ && k < raw->n && n < TAULU_RECUR_MAX_OCCURRENCES; k++) {
            const struct imp_le_raw *s = &raw->v[k];
            if (s->super_id && strcmp(s->super_id, r->id) == 0 &&
                !s->ev.skip.code && !(s->ev.gone && !s->ev.end)) {
                occ[n].start = s->ev.start;
                occ[n].end = s->ev.end;
                occ[n].cancelled = s->ev.gone;
                n++;
            }
        }
        if (n == 0) {
            /* no sub-events (yet): the super event's own time */
            e = imp_batch_add(p, out);
            *e = r->ev;
            imp_event_check_window(e, now, &w);
            continue;
        }
        {
            struct imp_event proto = r->ev;
            proto.skip.code = NULL;
            imp_batch_occurrences(p, out, &proto, occ, n, now, &w);
        }
    }
    free(occ);
}
