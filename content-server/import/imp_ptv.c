/*
 * imp_ptv.c: a PTV service location as a centre's names, addresses and
 * opening hours (see imp_ptv.h).
 */
#include "imp_ptv.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "imp_event.h"
#include "imp_text.h"
#include "taulu_buf.h"
#include "taulu_err.h"
#include "taulu_recur.h"

#define MAX_EXCEPTIONS 120

static const char *const day_names[] = {"Monday",   "Tuesday", "Wednesday",
                                        "Thursday", "Friday",  "Saturday",
                                        "Sunday"};

static const cJSON *get(const cJSON *o, const char *name)
{
    return cJSON_GetObjectItemCaseSensitive(o, name);
}

static const char *str(const cJSON *o, const char *name)
{
    const cJSON *v = get(o, name);

    return cJSON_IsString(v) && v->valuestring[0] ? v->valuestring : NULL;
}

/* [{"language": "fi", "value": "..."}] in `lang`, or NULL. */
static const char *in_lang(const cJSON *arr, const char *lang)
{
    const cJSON *x;

    cJSON_ArrayForEach(x, arr)
    {
        const char *l = str(x, "language");
        if (l && strcmp(l, lang) == 0 && str(x, "value")) {
            return str(x, "value");
        }
    }
    return NULL;
}

static int day_index(const char *name)
{
    int i;

    for (i = 0; name && i < 7; i++) {
        if (strcmp(day_names[i], name) == 0) {
            return i + 1;
        }
    }
    return 0;
}

/* "08:00:00" or "08:00" -> "08:00"; false when it is not a time. */
static bool hhmm(const char *s, char out[6])
{
    if (!s || strlen(s) < 5 || s[2] != ':' || s[0] < '0' || s[0] > '2' ||
        s[1] < '0' || s[1] > '9' || s[3] < '0' || s[3] > '5' || s[4] < '0' ||
        s[4] > '9') {
        return false;
    }
    memcpy(out, s, 5);
    out[5] = '\0';
    if (strcmp(out, "24:00") > 0) {
        return false;
    }
    return true;
}

/* A PTV date ("2026-12-24T00:00:00", "2026-12-24") as a local day. */
static bool date_of(const char *s, int64_t *day)
{
    char d[11];

    if (!s || strlen(s) < 10) {
        return false;
    }
    memcpy(d, s, 10);
    d[10] = '\0';
    return taulu_recur_date_parse(d, day) == 0;
}

/* The weekly intervals of one service hour: into `week` (a JSON array).
 * Over midnight: see imp_ptv.h. */
static void add_week(cJSON *week, const cJSON *sh)
{
    const cJSON *oh;

    cJSON_ArrayForEach(oh, get(sh, "openingHour"))
    {
        int from = day_index(str(oh, "dayFrom"));
        int to = day_index(str(oh, "dayTo"));
        char a[6], b[6];
        int d, n;

        if (!from || !hhmm(str(oh, "from"), a) || !hhmm(str(oh, "to"), b)) {
            continue;
        }
        if (!to) {
            to = from;
        }
        n = (to - from + 7) % 7;
        if (strcmp(b, a) <= 0 && n == 1) {
            n = 0; /* one night: dayFrom evening to dayTo morning */
        }
        for (d = 0; d <= n; d++) {
            cJSON *iv = cJSON_CreateObject();
            cJSON_AddNumberToObject(iv, "day", (from - 1 + d) % 7 + 1);
            cJSON_AddStringToObject(iv, "open", a);
            cJSON_AddStringToObject(iv, "close", b);
            cJSON_AddItemToArray(week, iv);
        }
    }
}

/* The intervals of `week` on weekday wday, as exception hours. */
static cJSON *hours_of_day(const cJSON *week, int wday)
{
    cJSON *out = cJSON_CreateArray();
    const cJSON *iv;

    cJSON_ArrayForEach(iv, week)
    {
        if (cJSON_GetObjectItemCaseSensitive(iv, "day")->valueint == wday) {
            cJSON *x = cJSON_CreateObject();
            cJSON_AddStringToObject(x, "open", str(iv, "open"));
            cJSON_AddStringToObject(x, "close", str(iv, "close"));
            cJSON_AddItemToArray(out, x);
        }
    }
    return out;
}

/* An exception for `day` (replacing one there may be already). */
static void put_exception(cJSON *ex, int64_t day, cJSON *hours)
{
    char d[TAULU_RECUR_DATE_LEN];
    cJSON *x, *e;
    int i = 0;

    taulu_recur_date_format(day, d);
    cJSON_ArrayForEach(x, ex)
    {
        if (strcmp(str(x, "date"), d) == 0) {
            cJSON_DeleteItemFromArray(ex, i);
            break;
        }
        i++;
    }
    if (cJSON_GetArraySize(ex) >= MAX_EXCEPTIONS) {
        cJSON_Delete(hours);
        return;
    }
    e = cJSON_CreateObject();
    cJSON_AddStringToObject(e, "date", d);
    cJSON_AddItemToObject(e, "hours", hours);
    cJSON_AddItemToArray(ex, e);
}

static char *print(struct srv_pool *p, cJSON *o)
{
    char *s = cJSON_PrintUnformatted(o);
    char *r = srv_pool_strdup(p, s ? s : "null");

    cJSON_free(s);
    return r;
}

static void names_of(struct srv_pool *p, const cJSON *root, struct imp_ptv *out)
{
    cJSON *names = cJSON_CreateObject();
    const cJSON *x;
    int pass;

    for (pass = 0; pass < 2; pass++) {
        cJSON_ArrayForEach(x, get(root, "serviceChannelNames"))
        {
            const char *l = str(x, "language"), *t = str(x, "type");
            const char *v = imp_text(p, str(x, "value"), 120, false);
            if (!l || !v || strlen(l) > 3 || get(names, l) ||
                (pass == 0 && (!t || strcmp(t, "Name") != 0))) {
                continue;
            }
            cJSON_AddStringToObject(names, l, v);
        }
    }
    out->names = print(p, names);
    cJSON_Delete(names);
}

static void addresses_of(struct srv_pool *p, const cJSON *root,
                         struct imp_ptv *out)
{
    cJSON *addrs = cJSON_CreateObject();
    const cJSON *a, *use = NULL, *sa;
    static const char *const langs[] = {"fi", "sv", "en", NULL};
    size_t i;

    cJSON_ArrayForEach(a, get(root, "addresses"))
    {
        const char *t = str(a, "type");
        if (!use || (t && strcmp(t, "Location") == 0 &&
                     !(str(use, "type") &&
                       strcmp(str(use, "type"), "Location") == 0))) {
            use = a;
        }
    }
    sa = use ? get(use, "streetAddress") : NULL;
    for (i = 0; sa && langs[i]; i++) {
        const char *street = in_lang(get(sa, "street"), langs[i]);
        const char *post = in_lang(get(sa, "postOffice"), langs[i]);
        const char *num = str(sa, "streetNumber");
        const char *code = str(sa, "postalCode");
        char buf[400];
        const char *clean;

        if (!street && i > 0 && !in_lang(get(sa, "postOffice"), langs[i])) {
            continue; /* nothing of its own in this language */
        }
        if (!street) {
            street = in_lang(get(sa, "street"), "fi");
        }
        if (!post) {
            post = in_lang(get(sa, "postOffice"), "fi");
        }
        if (!street) {
            continue;
        }
        snprintf(buf, sizeof buf, "%.150s%s%.20s%s%.10s%s%.100s", street,
                 num ? " " : "", num ? num : "", code || post ? ", " : "",
                 code ? code : "", code && post ? " " : "", post ? post : "");
        clean = imp_text(p, buf, 200, false);
        if (clean) {
            cJSON_AddStringToObject(addrs, langs[i], clean);
            if (!out->address_fi) {
                out->address_fi = clean;
            }
        }
    }
    out->addresses = print(p, addrs);
    cJSON_Delete(addrs);
}

/* Whether today is within validFrom..validTo (absent ends are open). */
static bool valid_today(const cJSON *sh, int64_t today, int64_t *from)
{
    int64_t a = 0, b = 0;
    bool has_a = date_of(str(sh, "validFrom"), &a);
    bool has_b = date_of(str(sh, "validTo"), &b);

    *from = has_a ? a : today;
    if (cJSON_IsTrue(get(sh, "validForNow"))) {
        return true;
    }
    return (!has_a || a <= today) && (!has_b || today <= b);
}

int imp_ptv_parse(const char *json, size_t len, int64_t now, struct srv_pool *p,
                  struct imp_ptv *out, char *err, size_t err_size)
{
    cJSON *root = cJSON_ParseWithLength(json, len);
    cJSON *week = NULL, *ex = NULL;
    const cJSON *sh;
    int64_t today = taulu_recur_local_day(now, IMP_TZ),
            last = today + IMP_PTV_DAYS;
    int pass;

    memset(out, 0, sizeof *out);
    err[0] = '\0';
    if (!cJSON_IsObject(root) ||
        (!get(root, "serviceChannelNames") && !get(root, "serviceHours"))) {
        snprintf(err, err_size,
                 "not a PTV service location (no "
                 "serviceChannelNames or serviceHours)");
        cJSON_Delete(root);
        return TAULU_EPARSE;
    }
    names_of(p, root, out);
    addresses_of(p, root, out);
    week = cJSON_CreateArray();
    ex = cJSON_CreateArray();
    /* The regular week first; then the periods and days that differ. */
    cJSON_ArrayForEach(sh, get(root, "serviceHours"))
    {
        const char *t = str(sh, "serviceHourType");
        int64_t from;
        if (t && strcmp(t, "DaysOfTheWeek") == 0 &&
            valid_today(sh, today, &from) &&
            !cJSON_IsTrue(get(sh, "isClosed"))) {
            add_week(week, sh);
        }
    }
    for (pass = 0; pass < 2; pass++) {
        cJSON_ArrayForEach(sh, get(root, "serviceHours"))
        {
            const char *t = str(sh, "serviceHourType");
            int64_t a, b, d;
            bool closed = cJSON_IsTrue(get(sh, "isClosed"));
            cJSON *pw;

            if (!t) {
                continue;
            }
            if (!date_of(str(sh, "validFrom"), &a)) {
                continue;
            }
            if (!date_of(str(sh, "validTo"), &b)) {
                b = strcmp(t, "Exceptional") == 0 ? a : last;
            }
            if (b > last) {
                b = last;
            }
            if (a < today) {
                a = today;
            }
            /* Periods (a later week, "Special") first, days on top. */
            if (pass == 0 && ((strcmp(t, "DaysOfTheWeek") == 0 &&
                               !valid_today(sh, today, &d)) ||
                              strcmp(t, "Special") == 0)) {
                pw = cJSON_CreateArray();
                if (!closed) {
                    add_week(pw, sh);
                }
                for (d = a; d <= b; d++) {
                    put_exception(ex, d, hours_of_day(pw, taulu_recur_wday(d)));
                }
                cJSON_Delete(pw);
            } else if (pass == 1 && (strcmp(t, "Exceptional") == 0 ||
                                     strcmp(t, "Exception") == 0)) {
                for (d = a; d <= b; d++) {
                    cJSON *hours = cJSON_CreateArray();
                    const cJSON *oh, *ohs = get(sh, "openingHour");
                    if (closed) {
                        ohs = NULL;
                    }
                    cJSON_ArrayForEach(oh, ohs)
                    {
                        char x[6], y[6];
                        if (hhmm(str(oh, "from"), x) &&
                            hhmm(str(oh, "to"), y)) {
                            cJSON *iv = cJSON_CreateObject();
                            cJSON_AddStringToObject(iv, "open", x);
                            cJSON_AddStringToObject(iv, "close", y);
                            cJSON_AddItemToArray(hours, iv);
                        }
                    }
                    put_exception(ex, d, hours);
                }
            }
        }
    }
    out->n_weekly = (size_t)cJSON_GetArraySize(week);
    out->n_exceptions = (size_t)cJSON_GetArraySize(ex);
    out->weekly = print(p, week);
    out->exceptions = print(p, ex);
    cJSON_Delete(week);
    cJSON_Delete(ex);
    cJSON_Delete(root);
    return 0;
}
