/*
 * fuzz_recur.c: libFuzzer target for the recurrence rule's two text forms
 * (common/taulu_recur): the RRULE parser and the API's JSON reader, and
 * what is built on a rule they accept.
 *
 * The first byte picks the form: odd for JSON (the seeds begin with 'k'),
 * even for an RRULE (the seeds begin with 'r'). Whatever is accepted must
 * be a rule
 * taulu_recur_check() accepts, must write back to a text that reads back
 * as the same rule, and, as a series from a fixed first occurrence, must
 * expand to occurrences in order, each on a date of the rule, each as
 * long as the first, never more than the bound, and be said in words in
 * every language.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "taulu_datefmt.h"
#include "taulu_recur.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* 24.11.2026 14:00 in Helsinki, a Tuesday: the first occurrence. */
#define FIRST INT64_C(1795521600)

static void check_series(const struct taulu_recur *r)
{
    static struct taulu_occurrence occ[TAULU_RECUR_MAX_OCCURRENCES + 1];
    const struct taulu_tz *tz = &taulu_tz_helsinki;
    struct taulu_series s;
    struct taulu_buf b;
    int64_t first_day = taulu_recur_local_day(FIRST, tz);
    size_t n, i;
    int l, sm, em;

    memset(&s, 0, sizeof s);
    s.rule = *r;
    s.start = FIRST;
    s.end = FIRST + 7200;
    n = taulu_series_expand(&s, tz, TAULU_TIME_MIN, TAULU_TIME_MAX, occ,
                            TAULU_RECUR_MAX_OCCURRENCES + 1);
    if (n > TAULU_RECUR_MAX_OCCURRENCES + 1) {
        abort();
    }
    for (i = 0; i < n; i++) {
        int64_t day = taulu_recur_local_day(occ[i].start, tz);
        if (occ[i].end - occ[i].start != 7200 ||
            (i > 0 && occ[i].start <= occ[i - 1].start) ||
            !taulu_recur_matches(r, first_day, day)) {
            abort();
        }
    }
    taulu_series_times(&s, tz, &sm, &em);
    taulu_buf_init(&b, 512);
    for (l = 0; l < TAULU_LANG_COUNT; l++) {
        taulu_buf_reset(&b);
        if (taulu_fmt_recur(&b, (enum taulu_lang)l, l == 1, r, sm, em) != 0) {
            abort();
        }
    }
    taulu_buf_release(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const struct taulu_tz *tz = &taulu_tz_helsinki;
    struct taulu_recur r, back;
    char text[512];

    if (size < 1) {
        return 0;
    }
    size--;
    if (size >= sizeof text) {
        size = sizeof text - 1;
    }
    memcpy(text, data + 1, size);
    text[size] = '\0';
    if (data[0] & 1) {
        cJSON *o = cJSON_ParseWithLength(text, size), *again;
        if (o && taulu_recur_from_json(o, "recurrence", &r, NULL) == 0) {
            if (taulu_recur_check(&r, NULL) != 0) {
                abort();
            }
            again = taulu_recur_to_json(&r);
            if (!again ||
                taulu_recur_from_json(again, "recurrence", &back, NULL) != 0 ||
                !taulu_recur_equal(&r, &back)) {
                abort();
            }
            cJSON_Delete(again);
            if (r.until != TAULU_RECUR_NO_DATE) {
                check_series(&r);
            }
        }
        cJSON_Delete(o);
        return 0;
    }
    if (taulu_recur_from_rrule(text, FIRST, tz, &r, NULL) == 0) {
        struct taulu_buf b;
        if (taulu_recur_check(&r, NULL) != 0) {
            abort();
        }
        if (r.until != TAULU_RECUR_NO_DATE) {
            taulu_buf_init(&b, 256);
            if (taulu_recur_to_rrule(&r, tz, &b) != 0 ||
                taulu_recur_from_rrule(b.data, FIRST, tz, &back, NULL) != 0 ||
                !taulu_recur_equal(&r, &back)) {
                abort();
            }
            taulu_buf_release(&b);
            check_series(&r);
        }
    }
    return 0;
}
