/*
 * srv_recur.c: an item's recurrence from its stored parts (see
 * srv_recur.h).
 */
#include "srv_recur.h"

#include <cjson/cJSON.h>
#include <string.h>

#include "taulu_err.h"

int srv_series_from(const char *rule_json, int64_t start, int64_t end,
                    const char *const *cancelled, size_t n_cancelled,
                    struct taulu_series *out)
{
    cJSON *o = rule_json ? cJSON_Parse(rule_json) : NULL;
    int64_t first_day;
    size_t i;
    int rc;

    memset(out, 0, sizeof *out);
    if (!o) {
        return TAULU_EVALUE;
    }
    rc = taulu_recur_from_json(o, "recurrence", &out->rule, NULL);
    cJSON_Delete(o);
    if (rc < 0 || out->rule.until == TAULU_RECUR_NO_DATE) {
        return TAULU_EVALUE;
    }
    out->start = start;
    out->end = end;
    first_day = taulu_recur_local_day(start, SRV_RECUR_TZ);
    for (i = 0; i < n_cancelled; i++) {
        int64_t d;
        size_t k;
        bool ex = false;

        if (out->n_cancelled == TAULU_RECUR_MAX_CANCELLED ||
            taulu_recur_date_parse(cancelled[i], &d) < 0 ||
            !taulu_recur_matches(&out->rule, first_day, d)) {
            continue;
        }
        for (k = 0; k < out->rule.n_exdates; k++) {
            ex = ex || out->rule.exdates[k] == d;
        }
        if (!ex) {
            out->cancelled[out->n_cancelled++] = d;
        }
    }
    return taulu_series_check(out, SRV_RECUR_TZ, NULL) < 0 ? TAULU_EVALUE
                                                           : TAULU_OK;
}

int srv_item_series(const struct srv_item *it, struct taulu_series *out)
{
    if (!it->recurrence) {
        memset(out, 0, sizeof *out);
        return TAULU_ENOTFOUND;
    }
    return srv_series_from(it->recurrence, it->starts_at, it->ends_at,
                           it->cancelled, it->n_cancelled, out);
}
