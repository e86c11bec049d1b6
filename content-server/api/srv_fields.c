/*
 * srv_fields.c: text fields and time bounds of requests, and
 * GET /api/v1/limits (see srv_fields.h).
 */
#include "srv_fields.h"

#include <string.h>

int srv_field_str(const cJSON *obj, const char *name, bool required,
                  enum taulu_field f, bool nonempty, const char *prefix,
                  const char **out, struct srv_verr *e)
{
    const struct taulu_field_def *d = taulu_field_get(f);

    if (srv_json_str(obj, name, required, nonempty ? 1 : 0, d->max_chars,
                     d->newlines ? "\n" : "", prefix, out, e) < 0) {
        return -1;
    }
    /* The characters fit; the bytes then fit too (4 per character), but
     * the manifest's own limit is checked, not assumed. */
    if (*out && strlen(*out) > d->max_bytes) {
        return srv_verr_set(e, 400, "too_long", prefix, name);
    }
    return 0;
}

int srv_field_time(int64_t t, int64_t now, int64_t past_s, int64_t ahead_s,
                   const char *prefix, const char *name, struct srv_verr *e)
{
    if (t != 0 && (t < now - past_s || t > now + ahead_s)) {
        return srv_verr_set(e, 400, "out_of_range", prefix, name);
    }
    return 0;
}

void srv_h_limits(struct srv_req *r)
{
    const struct taulu_field_def *t;
    cJSON *out = cJSON_CreateObject(), *fields;
    size_t n, i;

    t = taulu_field_table(&n);
    fields = cJSON_AddObjectToObject(out, "fields");
    for (i = 0; i < n; i++) {
        cJSON *o = cJSON_AddObjectToObject(fields, t[i].key);
        cJSON_AddNumberToObject(o, "max_chars", (double)t[i].max_chars);
        cJSON_AddNumberToObject(o, "max_bytes", (double)t[i].max_bytes);
        cJSON_AddBoolToObject(o, "newlines", t[i].newlines);
    }
    cJSON_AddNumberToObject(out, "display_max_days", SRV_MAX_AHEAD_S / 86400);
    cJSON_AddNumberToObject(out, "event_max_past_days",
                            SRV_EVENT_MAX_PAST_S / 86400);
    cJSON_AddNumberToObject(out, "event_max_ahead_days",
                            SRV_EVENT_MAX_AHEAD_S / 86400);
    cJSON_AddNumberToObject(out, "alert_max_days", SRV_ALERT_MAX_S / 86400);
    srv_reply_json(r, 200, out);
}
