/*
 * srv_api_report.c: GET /api/v1/reports/plays, the proof of play for the
 * organisations' funders ("N hours on M screens"), as JSON or as CSV for
 * Finnish Excel. The rows come from the play log (srv_playlog.h, table
 * `play`); nothing here is about people, only what screens showed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "srv_api.h"
#include "taulu_err.h"
#include "taulu_time.h"

#define REPORT_MAX_ROWS 5000
#define DAY_LEN         10

/* "YYYY-MM-DD", a real date; NULL (absent) is fine. 0 or -1. */
static int check_day(const char *s)
{
    int y, m, d, y2, m2, d2, i;

    if (!s) {
        return 0;
    }
    if (strnlen(s, DAY_LEN + 1) != DAY_LEN || s[4] != '-' || s[7] != '-') {
        return -1;
    }
    for (i = 0; i < DAY_LEN; i++) {
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) {
            return -1;
        }
    }
    y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
        (s[3] - '0');
    m = (s[5] - '0') * 10 + (s[6] - '0');
    d = (s[8] - '0') * 10 + (s[9] - '0');
    if (y < 2000 || m < 1 || m > 12 || d < 1 || d > 31) {
        return -1;
    }
    taulu_civil_from_days(taulu_days_from_civil(y, m, d), &y2, &m2, &d2);
    return (y2 == y && m2 == m && d2 == d) ? 0 : -1;
}

int srv_csv_cell(struct taulu_buf *out, const char *text)
{
    const char *p;
    bool quote;
    int rc = 0;

    if (!text) {
        text = "";
    }
    quote = strpbrk(text, ";\"\r\n") != NULL;
    if (quote) {
        rc = taulu_buf_putc(out, '"');
    }
    if (!rc && text[0] && strchr("=+-@\t\r", text[0])) {
        rc = taulu_buf_putc(out, '\'');
    }
    for (p = text; !rc && *p; p++) {
        if (*p == '"') {
            rc = taulu_buf_putc(out, '"');
        }
        if (!rc) {
            rc = taulu_buf_putc(out, *p);
        }
    }
    if (!rc && quote) {
        rc = taulu_buf_putc(out, '"');
    }
    return rc;
}

/* Hours with one decimal and a decimal comma ("12,5"). */
static int put_hours(struct taulu_buf *out, int64_t seconds)
{
    int64_t tenths = (seconds * 10 + 1800) / 3600;

    return taulu_buf_appendf(out, "%lld,%lld", (long long)(tenths / 10),
                             (long long)(tenths % 10));
}

static void reply_csv(struct srv_req *r, const struct srv_play_report *v,
                      size_t n)
{
    /* UTF-8 BOM: Excel opens the file as UTF-8 only with it. */
    static const char head[] =
        "\xEF\xBB\xBF"
        "Ilmoitus;Ilmoituksen nro;J\xC3\xA4rjest\xC3\xB6;Toimipiste;"
        "Tunnit;Sekunnit;N\xC3\xA4yt\xC3\xB6t;Ensimm\xC3\xA4inen "
        "p\xC3\xA4iv\xC3\xA4;Viimeinen p\xC3\xA4iv\xC3\xA4\r\n";
    struct taulu_buf b;
    size_t i;
    int rc;

    taulu_buf_init(&b, 16u * 1024u * 1024u);
    rc = taulu_buf_puts(&b, head);
    for (i = 0; !rc && i < n; i++) {
        rc = srv_csv_cell(&b, v[i].item_title);
        if (!rc) {
            rc = taulu_buf_appendf(&b, ";%lld;", (long long)v[i].item_id);
        }
        if (!rc) {
            rc = srv_csv_cell(&b, v[i].org_name);
        }
        if (!rc) {
            rc = taulu_buf_putc(&b, ';');
        }
        if (!rc) {
            rc = srv_csv_cell(&b, v[i].centre_name);
        }
        if (!rc) {
            rc = taulu_buf_putc(&b, ';');
        }
        if (!rc) {
            rc = put_hours(&b, v[i].seconds);
        }
        if (!rc) {
            rc = taulu_buf_appendf(
                &b, ";%lld;%lld;%s;%s\r\n", (long long)v[i].seconds,
                (long long)v[i].screens, v[i].first_day, v[i].last_day);
        }
    }
    if (rc) {
        taulu_buf_release(&b);
        srv_reply_error(r, 500, "internal", NULL);
        return;
    }
    srv_reply_text(r, 200, "text/csv; charset=utf-8", b.data, b.len);
    srv_reply_header(r, "Content-Disposition",
                     "attachment; filename=\"raportti.csv\"");
    r->no_store = true;
    taulu_buf_release(&b);
}

static void reply_json(struct srv_req *r, const struct srv_play_filter *f,
                       const struct srv_play_report *v, size_t n,
                       bool truncated)
{
    cJSON *out = cJSON_CreateObject(), *arr;
    int64_t total = 0;
    size_t i;

    if (f->org_id) {
        cJSON_AddNumberToObject(out, "organisation_id", (double)f->org_id);
    } else {
        cJSON_AddNullToObject(out, "organisation_id");
    }
    if (f->from_day) {
        cJSON_AddStringToObject(out, "from", f->from_day);
    } else {
        cJSON_AddNullToObject(out, "from");
    }
    if (f->to_day) {
        cJSON_AddStringToObject(out, "to", f->to_day);
    } else {
        cJSON_AddNullToObject(out, "to");
    }
    cJSON_AddBoolToObject(out, "all_centres", f->centres.all);
    arr = cJSON_AddArrayToObject(out, "rows");
    for (i = 0; i < n; i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "item_id", (double)v[i].item_id);
        cJSON_AddStringToObject(o, "title", v[i].item_title);
        cJSON_AddNumberToObject(o, "organisation_id", (double)v[i].org_id);
        cJSON_AddStringToObject(o, "organisation", v[i].org_name);
        cJSON_AddNumberToObject(o, "centre_id", (double)v[i].centre_id);
        cJSON_AddStringToObject(o, "centre", v[i].centre_name);
        cJSON_AddNumberToObject(o, "seconds", (double)v[i].seconds);
        cJSON_AddNumberToObject(o, "screens", (double)v[i].screens);
        cJSON_AddStringToObject(o, "first_day", v[i].first_day);
        cJSON_AddStringToObject(o, "last_day", v[i].last_day);
        cJSON_AddItemToArray(arr, o);
        total += v[i].seconds;
    }
    cJSON_AddNumberToObject(out, "total_seconds", (double)total);
    cJSON_AddBoolToObject(out, "truncated", truncated);
    srv_reply_json(r, 200, out);
}

void srv_h_report_plays(struct srv_req *r)
{
    struct srv_play_filter f;
    struct srv_object o;
    struct srv_play_report *v = NULL;
    const char *format = srv_req_query(r, "format");
    bool csv = false, truncated = false;
    size_t n = 0;
    int rc;

    memset(&f, 0, sizeof f);
    memset(&o, 0, sizeof o);
    f.org_id = srv_api_query_id(r, "organisation_id");
    if (f.org_id < 0) {
        srv_reply_error(r, 400, "invalid_value", "organisation_id");
        return;
    }
    f.from_day = srv_req_query(r, "from");
    f.to_day = srv_req_query(r, "to");
    if (f.from_day && !f.from_day[0]) {
        f.from_day = NULL;
    }
    if (f.to_day && !f.to_day[0]) {
        f.to_day = NULL;
    }
    if (check_day(f.from_day) < 0) {
        srv_reply_error(r, 400, "invalid_value", "from");
        return;
    }
    if (check_day(f.to_day) < 0 ||
        (f.from_day && f.to_day && strcmp(f.from_day, f.to_day) > 0)) {
        srv_reply_error(r, 400, "invalid_value", "to");
        return;
    }
    if (format && strcmp(format, "csv") == 0) {
        csv = true;
    } else if (format && strcmp(format, "json") != 0) {
        srv_reply_error(r, 400, "invalid_value", "format");
        return;
    }
    /* The whole organisation (coordinator, member), or else only the
     * actor's own centres (contact person); otherwise refused. */
    o.id = f.org_id;
    o.org_id = f.org_id;
    if (srv_can(&r->actor, SRV_A_REPORT_READ, &o)) {
        f.centres.all = true;
    } else if (r->actor.n_centres > 0) {
        f.centres.ids = r->actor.centres;
        f.centres.n = r->actor.n_centres;
        o.centre_id = r->actor.centres[0];
    }
    if (srv_authorize(r, SRV_A_REPORT_READ, &o, "organisation", f.org_id) ==
        TAULU_EANSWERED) {
        return;
    }
    rc = srv_store_play_report(r->app->store, &r->pool, &f, REPORT_MAX_ROWS + 1,
                               &v, &n);
    if (rc) {
        srv_api_store_error(r, rc);
        return;
    }
    if (n > REPORT_MAX_ROWS) {
        n = REPORT_MAX_ROWS;
        truncated = true;
    }
    if (csv) {
        reply_csv(r, v, n);
    } else {
        reply_json(r, &f, v, n, truncated);
    }
}
