/*
 * imp_ical.c: the libical edge of the importers (see imp_ical.h).
 */
#include "imp_ical.h"

#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imp_text.h"
#include "taulu_buf.h"
#include "taulu_crypto.h"
#include "taulu_err.h"

#define MAX_STEPS  5000 /* of one rule's iterator */
#define MAX_OCC    TAULU_RECUR_MAX_OCCURRENCES
#define MAX_EXT_ID 255
#define MAX_FEED   (8u * 1024u * 1024u)

/* ------------------------------------------------------------------ */
/* The text before libical sees it */

/* Whether a line looks like a content line: a name of letters, digits
 * and '-', then ';' or ':'. */
static bool content_line(const char *s, size_t n)
{
    size_t i = 0;

    while (i < n &&
           ((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') ||
            (s[i] >= '0' && s[i] <= '9') || s[i] == '-')) {
        i++;
    }
    return i > 0 && i < n && (s[i] == ':' || s[i] == ';');
}

/* One feed as libical can read it: no BOM, LF line ends, broken folding
 * mended (imp_ical.h). */
static int mend(const char *data, size_t len, struct taulu_buf *out)
{
    size_t i = 0, prev_len = 0;
    int rc = 0;

    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
        i = 3;
    }
    while (i < len && rc == 0) {
        size_t e = i, n;
        while (e < len && data[e] != '\n' && data[e] != '\r') {
            e++;
        }
        n = e - i;
        if (n == 0) {
            /* blank lines are not content lines: dropped */
        } else if (data[i] == ' ' || data[i] == '\t' ||
                   content_line(data + i, n) || out->len == 0) {
            if (out->len > 0) {
                rc = taulu_buf_putc(out, '\n');
            }
            if (rc == 0) {
                rc = taulu_buf_append(out, data + i, n);
            }
            prev_len = n;
        } else {
            /* A continuation that lost its leading space. */
            if (prev_len < 70) {
                rc = taulu_buf_puts(out, "\\n");
            }
            if (rc == 0) {
                rc = taulu_buf_append(out, data + i, n);
            }
            prev_len = n;
        }
        if (e < len && data[e] == '\r' && e + 1 < len && data[e + 1] == '\n') {
            e++;
        }
        i = e + 1;
    }
    if (rc == 0) {
        rc = taulu_buf_putc(out, '\n');
    }
    return rc;
}

/* ------------------------------------------------------------------ */
/* Times */

/* An icaltimetype as an instant: UTC and zoned times as they say,
 * floating times and unknown zones in Helsinki, dates at local midnight. */
static bool instant_of(struct icaltimetype t, int64_t *out)
{
    if (icaltime_is_null_time(t) || !icaltime_is_valid_time(t)) {
        return false;
    }
    if (icaltime_is_date(t)) {
        return taulu_time_from_civil(IMP_TZ, t.year, t.month, t.day, 0, 0, 0,
                                     out) == 0;
    }
    if (!icaltime_is_utc(t) && t.zone) {
        t = icaltime_convert_to_zone(t, icaltimezone_get_utc_timezone());
    } else if (!icaltime_is_utc(t)) {
        return taulu_time_from_civil(IMP_TZ, t.year, t.month, t.day, t.hour,
                                     t.minute, t.second, out) == 0;
    }
    if (t.year < 1970 || t.year > 9999 || t.month < 1 || t.month > 12 ||
        t.day < 1 || t.day > taulu_days_in_month(t.year, t.month)) {
        return false;
    }
    *out = taulu_days_from_civil(t.year, t.month, t.day) * 86400 +
           t.hour * 3600 + t.minute * 60 + t.second;
    return true;
}

/* ------------------------------------------------------------------ */
/* One event */

/* The text of a property (unescaped by libical), or NULL. */
static const char *text_of(icalcomponent *ev, icalproperty_kind k)
{
    icalproperty *pr = icalcomponent_get_first_property(ev, k);
    icalvalue *v = pr ? icalproperty_get_value(pr) : NULL;

    if (!v) {
        return NULL;
    }
    switch (icalvalue_isa(v)) {
    case ICAL_TEXT_VALUE:
        return icalvalue_get_text(v);
    case ICAL_URI_VALUE:
        return icalvalue_get_uri(v);
    default:
        return NULL;
    }
}

/* The LANGUAGE parameter of the SUMMARY ("fi-FI" -> "fi"), or NULL. */
static const char *summary_lang(icalcomponent *ev, char out[8])
{
    icalproperty *pr =
        icalcomponent_get_first_property(ev, ICAL_SUMMARY_PROPERTY);
    icalparameter *pa =
        pr ? icalproperty_get_first_parameter(pr, ICAL_LANGUAGE_PARAMETER)
           : NULL;
    const char *l = pa ? icalparameter_get_language(pa) : NULL;
    size_t n = 0;

    if (!l) {
        return NULL;
    }
    while (n < 3 && l[n] >= 'A' && ((l[n] | 32) >= 'a' && (l[n] | 32) <= 'z')) {
        out[n] = (char)(l[n] | 32);
        n++;
    }
    out[n] = '\0';
    return n >= 2 && (l[n] == '\0' || l[n] == '-' || l[n] == '_') ? out : NULL;
}

/* The UID, or one made of DTSTART and SUMMARY for a feed without. */
static const char *uid_of(struct srv_pool *p, icalcomponent *ev)
{
    const char *uid = icalcomponent_get_uid(ev);
    char hex[TAULU_SHA256_HEX_LEN + 1], id[40];
    struct taulu_buf b;

    if (uid && *uid) {
        size_t n = strlen(uid);
        return srv_pool_strndup(p, uid, n > MAX_EXT_ID ? MAX_EXT_ID : n);
    }
    taulu_buf_init(&b, 4096);
    taulu_buf_puts(&b, icaltime_as_ical_string(icalcomponent_get_dtstart(ev)));
    taulu_buf_putc(&b, '\n');
    taulu_buf_puts(
        &b, icalcomponent_get_summary(ev) ? icalcomponent_get_summary(ev) : "");
    taulu_sha256_hex(b.data, b.len, hex);
    taulu_buf_release(&b);
    snprintf(id, sizeof id, "nouid-%.24s", hex);
    return srv_pool_strdup(p, id);
}

/* The texts, link and flags of an event into e (no times). */
static void fill_texts(struct srv_pool *p, icalcomponent *ev, const char *lang,
                       struct imp_event *e)
{
    char l[8];
    const char *vl = summary_lang(ev, l);
    struct imp_version *v = imp_event_version(e, vl ? vl : lang);
    const char *url = text_of(ev, ICAL_URL_PROPERTY);

    if (!v) {
        return;
    }
    v->title = imp_text(p, icalcomponent_get_summary(ev), IMP_TITLE_MAX, false);
    v->body =
        imp_text(p, icalcomponent_get_description(ev), IMP_BODY_MAX, true);
    v->place =
        imp_text(p, icalcomponent_get_location(ev), IMP_PLACE_MAX, false);
    if (!v->body && v->title) {
        v->body = v->title;
    }
    e->link = url ? imp_link(p, url) : NULL;
    if (!v->title) {
        e->skip.code = "no_title";
        e->skip.detail = "the event has no SUMMARY";
    }
}

static bool private_class(icalcomponent *ev)
{
    icalproperty *pr =
        icalcomponent_get_first_property(ev, ICAL_CLASS_PROPERTY);
    enum icalproperty_class c =
        pr ? icalproperty_get_class(pr) : ICAL_CLASS_NONE;

    return c == ICAL_CLASS_PRIVATE || c == ICAL_CLASS_CONFIDENTIAL;
}

/* The start and end of an event; false (and e skipped) when unknown. */
static bool times_of(icalcomponent *ev, struct imp_event *e,
                     struct icaltimetype *dtstart, int64_t *len)
{
    struct icaltimetype s = icalcomponent_get_dtstart(ev);
    struct icaltimetype en = icalcomponent_get_dtend(ev);
    int64_t a, b;

    *dtstart = s;
    if (!instant_of(s, &a)) {
        e->skip.code = "no_time";
        e->skip.detail = "the event has no DTSTART that can be read";
        return false;
    }
    e->all_day = icaltime_is_date(s);
    if (!instant_of(en, &b)) {
        if (!e->all_day) {
            e->skip.code = "no_time";
            e->skip.detail = "the event has no DTEND or DURATION";
            return false;
        }
        b = a + 86400; /* a day: RFC 5545 3.6.1 */
        {
            int64_t day = taulu_recur_local_day(a, IMP_TZ) + 1;
            int y, m, d;
            taulu_civil_from_days(day, &y, &m, &d);
            taulu_time_from_civil(IMP_TZ, y, m, d, 0, 0, 0, &b);
        }
    }
    if (b <= a) {
        e->skip.code = "no_time";
        e->skip.detail = "the event ends before it starts";
        return false;
    }
    e->start = a;
    e->end = b;
    *len = b - a;
    return true;
}

/* ------------------------------------------------------------------ */
/* Overrides (RECURRENCE-ID) */

struct override {
    const char *uid;
    int64_t orig; /* the occurrence it replaces (its original start) */
    icalcomponent *ev;
    bool used;
};

struct overrides {
    struct override *v;
    size_t n, cap;
};

/* The override of occurrence `orig` of `uid`, or NULL. */
static struct override *override_of(struct overrides *o, const char *uid,
                                    int64_t orig)
{
    size_t i;

    for (i = 0; i < o->n; i++) {
        if (o->v[i].orig == orig && strcmp(o->v[i].uid, uid) == 0) {
            return &o->v[i];
        }
    }
    return NULL;
}

/* ------------------------------------------------------------------ */
/* A repeating event */

static bool exdate_hit(icalcomponent *ev, int64_t start)
{
    icalproperty *pr;

    for (pr = icalcomponent_get_first_property(ev, ICAL_EXDATE_PROPERTY); pr;
         pr = icalcomponent_get_next_property(ev, ICAL_EXDATE_PROPERTY)) {
        struct icaltimetype t =
            icalproperty_get_datetime_with_component(pr, ev);
        int64_t x;
        if (!instant_of(t, &x)) {
            continue;
        }
        /* A DATE exception takes the whole day; a date-time one the
         * occurrence that starts then. */
        if (icaltime_is_date(t) ? taulu_recur_local_day(x, IMP_TZ) ==
                                      taulu_recur_local_day(start, IMP_TZ)
                                : x == start) {
            return true;
        }
    }
    return false;
}

/* The occurrences of a master event within the window, into occ (at most
 * MAX_OCC); false (and e skipped) when its rule cannot be expanded. */
static bool expand(icalcomponent *ev, struct icaltimetype dtstart, int64_t len,
                   const struct imp_window *w, struct imp_occ *occ, size_t *n,
                   struct imp_event *e)
{
    icalproperty *pr;

    *n = 0;
    for (pr = icalcomponent_get_first_property(ev, ICAL_RRULE_PROPERTY); pr;
         pr = icalcomponent_get_next_property(ev, ICAL_RRULE_PROPERTY)) {
        struct icalrecurrencetype r = icalproperty_get_rrule(pr);
        icalrecur_iterator *it;
        struct icaltimetype t;
        int steps = 0;

        if (r.freq == ICAL_NO_RECURRENCE || r.freq < ICAL_DAILY_RECURRENCE) {
            e->skip.code = "rule_not_supported";
            e->skip.detail = "a rule that repeats more often than daily";
            return false;
        }
        it = icalrecur_iterator_new(r, dtstart);
        if (!it) {
            e->skip.code = "rule_not_supported";
            e->skip.detail = "the RRULE cannot be read";
            return false;
        }
        while (steps++ < MAX_STEPS) {
            int64_t s;
            t = icalrecur_iterator_next(it);
            if (icaltime_is_null_time(t) || !instant_of(t, &s) ||
                s >= w->cap_time) {
                break;
            }
            if (s + len <= w->from || exdate_hit(ev, s)) {
                continue;
            }
            if (*n == MAX_OCC) {
                break;
            }
            occ[*n].start = s;
            occ[*n].end = s + len;
            occ[*n].cancelled = false;
            (*n)++;
        }
        icalrecur_iterator_free(it);
    }
    for (pr = icalcomponent_get_first_property(ev, ICAL_RDATE_PROPERTY);
         pr && *n < MAX_OCC;
         pr = icalcomponent_get_next_property(ev, ICAL_RDATE_PROPERTY)) {
        struct icaldatetimeperiodtype d = icalproperty_get_rdate(pr);
        int64_t s;
        if (instant_of(d.time, &s) && s + len > w->from && s < w->cap_time &&
            !exdate_hit(ev, s)) {
            occ[*n].start = s;
            occ[*n].end = s + len;
            occ[*n].cancelled = false;
            (*n)++;
        }
    }
    return true;
}

/* ------------------------------------------------------------------ */

struct ctx {
    struct srv_pool *p;
    struct imp_batch *out;
    int64_t now;
    struct imp_window w;
    const char *lang;
    struct overrides ovr;
    struct imp_occ *occ; /* MAX_OCC */
};

static bool seen_uid(const struct imp_batch *b, size_t from, const char *uid)
{
    size_t i;

    for (i = from; i < b->n; i++) {
        if (strcmp(b->v[i].ext_id, uid) == 0) {
            return true;
        }
    }
    return false;
}

static void one_event(struct ctx *c, icalcomponent *ev, size_t batch_start)
{
    struct imp_event proto, *e;
    struct icaltimetype dtstart;
    int64_t len;
    size_t n = 0, i;
    bool repeats;

    memset(&proto, 0, sizeof proto);
    proto.free = -1;
    proto.ext_id = uid_of(c->p, ev);
    if (seen_uid(c->out, batch_start, proto.ext_id)) {
        char id[MAX_EXT_ID + 16];
        snprintf(id, sizeof id, "%s#%zu", proto.ext_id, c->out->n);
        proto.ext_id = srv_pool_strdup(c->p, id);
        proto.skip.code = "duplicate_id";
        proto.skip.detail = "another event of the feed has the same UID";
    }
    fill_texts(c->p, ev, c->lang, &proto);
    if (private_class(ev)) {
        proto.skip.code = "private";
        proto.skip.detail = "CLASS:PRIVATE or CONFIDENTIAL";
    }
    if (icalcomponent_get_status(ev) == ICAL_STATUS_CANCELLED) {
        proto.gone = true;
    }
    repeats = icalcomponent_get_first_property(ev, ICAL_RRULE_PROPERTY) ||
              icalcomponent_get_first_property(ev, ICAL_RDATE_PROPERTY);
    if (proto.skip.code || proto.gone ||
        !times_of(ev, &proto, &dtstart, &len) || !repeats) {
        e = imp_batch_add(c->p, c->out);
        *e = proto;
        imp_event_check_window(e, c->now, &c->w);
        return;
    }
    if (!expand(ev, dtstart, len, &c->w, c->occ, &n, &proto)) {
        e = imp_batch_add(c->p, c->out);
        *e = proto;
        return;
    }
    /* Overrides: a cancelled occurrence stays and is marked; a moved one
     * leaves the list and becomes an event of its own. */
    for (i = 0; i < n; i++) {
        struct override *o =
            override_of(&c->ovr, proto.ext_id, c->occ[i].start);
        struct imp_event moved;
        struct icaltimetype ds;
        int64_t l2;

        if (!o) {
            continue;
        }
        o->used = true;
        if (icalcomponent_get_status(o->ev) == ICAL_STATUS_CANCELLED) {
            c->occ[i].cancelled = true;
            continue;
        }
        memset(&moved, 0, sizeof moved);
        moved.free = -1;
        fill_texts(c->p, o->ev, c->lang, &moved);
        if (!times_of(o->ev, &moved, &ds, &l2) ||
            (moved.start == c->occ[i].start && moved.end == c->occ[i].end)) {
            continue; /* the same time: the series covers it */
        }
        {
            struct taulu_civil cv;
            char id[MAX_EXT_ID + 32];
            taulu_time_to_civil(c->occ[i].start, IMP_TZ, &cv);
            snprintf(id, sizeof id, "%s/moved-%04d%02d%02dT%02d%02d",
                     proto.ext_id, cv.year, cv.month, cv.day, cv.hour, cv.min);
            moved.ext_id = srv_pool_strdup(c->p, id);
        }
        e = imp_batch_add(c->p, c->out);
        *e = moved;
        imp_event_check_window(e, c->now, &c->w);
        c->occ[i] = c->occ[--n]; /* out of the series */
        i--;
    }
    imp_batch_occurrences(c->p, c->out, &proto, c->occ, n, c->now, &c->w);
}

int imp_ical_parse(const char *data, size_t len, int64_t now, const char *lang,
                   struct srv_pool *p, struct imp_batch *out, char *err,
                   size_t err_size)
{
    struct taulu_buf text;
    struct ctx c;
    icalcomponent *root = NULL, *cal, *ev;
    size_t seen = 0;
    int rc = 0;

    memset(out, 0, sizeof *out);
    memset(&c, 0, sizeof c);
    out->complete = true;
    err[0] = '\0';
    taulu_buf_init(&text, MAX_FEED + MAX_FEED / 8);
    if (len > MAX_FEED || mend(data, len, &text) != 0) {
        snprintf(err, err_size, "the feed is larger than %u bytes", MAX_FEED);
        rc = TAULU_EPARSE;
        goto out;
    }
    icalerror_set_errors_are_fatal(0);
    root = icalparser_parse_string(text.data);
    cal = root;
    if (cal && icalcomponent_isa(cal) == ICAL_XROOT_COMPONENT) {
        cal = icalcomponent_get_first_component(root, ICAL_VCALENDAR_COMPONENT);
    }
    if (!cal || icalcomponent_isa(cal) != ICAL_VCALENDAR_COMPONENT) {
        snprintf(err, err_size, "not an iCalendar file (no VCALENDAR)");
        rc = TAULU_EPARSE;
        goto out;
    }
    c.p = p;
    c.out = out;
    c.now = now;
    c.lang = lang && *lang ? lang : "fi";
    imp_window_at(now, &c.w);
    c.occ = calloc(MAX_OCC, sizeof *c.occ);
    if (!c.occ) {
        rc = TAULU_ENOMEM;
        goto out;
    }
    /* First the overrides, which the masters look up. */
    for (ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT); ev;
         ev = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
        struct icaltimetype rid = icalcomponent_get_recurrenceid(ev);
        int64_t t;
        if (icaltime_is_null_time(rid) || !instant_of(rid, &t) ||
            !icalcomponent_get_uid(ev)) {
            continue;
        }
        if (c.ovr.n == c.ovr.cap) {
            c.ovr.v = srv_pool_grow(p, c.ovr.v, sizeof *c.ovr.v, &c.ovr.cap);
        }
        c.ovr.v[c.ovr.n].uid = uid_of(p, ev);
        c.ovr.v[c.ovr.n].orig = t;
        c.ovr.v[c.ovr.n].ev = ev;
        c.ovr.v[c.ovr.n].used = false;
        c.ovr.n++;
    }
    for (ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT); ev;
         ev = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
        if (!icaltime_is_null_time(icalcomponent_get_recurrenceid(ev))) {
            continue;
        }
        if (seen++ >= IMP_MAX_EVENTS) {
            out->dropped++;
            continue;
        }
        one_event(&c, ev, 0);
    }
out:
    free(c.occ);
    if (root) {
        icalcomponent_free(root);
    }
    taulu_buf_release(&text);
    return rc;
}
