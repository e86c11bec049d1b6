/*
 * taulu_recur.h: recurring events. A rule (a subset of RFC 5545's RRULE
 * with EXDATE), the series it makes from a first occurrence, and the
 * rule's text forms: the API's JSON object and the RRULE string.
 *
 * The model, and how it maps to RFC 5545 (docs/api.md, "Recurring
 * events", says the same for people):
 *
 *   weekly, on chosen weekdays, every n weeks
 *       FREQ=WEEKLY;INTERVAL=n;BYDAY=TU,TH          (WKST=MO)
 *   monthly, on the first..fourth or last weekday of the month
 *       FREQ=MONTHLY;BYDAY=1TU,-1FR
 *   until a local date (inclusive: the last day an occurrence may start)
 *       UNTIL=<that day 23:59:59 local, in UTC>
 *   exception dates: no occurrence on these local dates, silently
 *       EXDATE;TZID=Europe/Helsinki:<date>T<the first occurrence's time>
 *   the first occurrence is DTSTART/DTEND (the item's starts_at, ends_at)
 *
 * Every occurrence starts at the first occurrence's local wall-clock time
 * on its own date in the centre's zone (14:00 on every Tuesday, summer or
 * winter) and lasts the first occurrence's exact length (RFC 5545 3.8.5.3
 * for DTEND). A wall time that does not exist on its date (03:30 on the
 * night clocks spring forward, in Helsinki 03:00-03:59 on the last Sunday
 * of March) is moved forward by the gap, to 04:30 summer time: RFC 5545
 * 3.3.5's rule, and taulu_time_from_civil()'s. A wall time that occurs
 * twice (the autumn night) is the first of the two.
 *
 * A cancellation is not part of the rule: it marks one occurrence, which
 * stays in the series and is shown with the word "peruttu" / "inställt" /
 * "cancelled". An exception date removes the occurrence: nothing is shown.
 *
 * Dates are local calendar days as counts of days since 1970-01-01
 * (taulu_days_from_civil()), written "YYYY-MM-DD".
 *
 * Everything here is plain data and pure functions: thread-safe.
 */
#ifndef TAULU_RECUR_H
#define TAULU_RECUR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "taulu_buf.h"
#include "taulu_time.h"

#define TAULU_RECUR_MAX_INTERVAL    4   /* weekly: every 1..4 weeks */
#define TAULU_RECUR_MAX_MONTHLY     4   /* entries of a monthly rule */
#define TAULU_RECUR_MAX_EXDATES     64  /* exception dates of a rule */
#define TAULU_RECUR_MAX_CANCELLED   64  /* cancelled dates of a series */
#define TAULU_RECUR_MAX_OCCURRENCES 400 /* in a whole series */
#define TAULU_RECUR_MAX_DURATION    (12 * 3600) /* one occurrence, seconds */
/* "YYYY-MM-DD" and a NUL */
#define TAULU_RECUR_DATE_LEN 11
/* No date: an until not given (yet). */
#define TAULU_RECUR_NO_DATE INT64_MIN

enum taulu_recur_freq {
    TAULU_RECUR_WEEKLY = 0,  /* "weekly",  FREQ=WEEKLY */
    TAULU_RECUR_MONTHLY = 1, /* "monthly", FREQ=MONTHLY */
};

/* One BYDAY entry: "TU" (weekly), "1TU" / "-1FR" (monthly). */
struct taulu_recur_day {
    int ord;  /* weekly: 0; monthly: 1..4 (first..fourth) or -1 (last) */
    int wday; /* ISO weekday, 1 = Monday .. 7 = Sunday */
};

struct taulu_recur {
    enum taulu_recur_freq freq;
    int interval; /* weekly 1..MAX_INTERVAL; monthly 1 */
    /* weekly: 1..7 distinct weekdays; monthly: 1..MAX_MONTHLY distinct
     * entries. taulu_recur_normalize() sorts them (weekdays Monday first;
     * monthly by ordinal, "last" after the fourth, then weekday). */
    struct taulu_recur_day days[7];
    size_t n_days;
    int64_t until; /* last local date an occurrence may start on, or
                      TAULU_RECUR_NO_DATE while not given */
    int64_t exdates[TAULU_RECUR_MAX_EXDATES]; /* local dates, sorted */
    size_t n_exdates;
};

/* A rule and its first occurrence, plus the cancelled dates. */
struct taulu_series {
    struct taulu_recur rule;
    int64_t start, end; /* the first occurrence (DTSTART, DTEND): instants,
                           end > start */
    int64_t cancelled[TAULU_RECUR_MAX_CANCELLED]; /* local dates */
    size_t n_cancelled;
};

/* One occurrence. */
struct taulu_occurrence {
    int64_t start, end; /* instants */
    bool cancelled;     /* shown with "peruttu" / "inställt" / "cancelled" */
};

/* What is wrong with a rule or series, for the API's answer: the field
 * ("recurrence.byday[1]", "starts_at", "ends_at") and a code of its
 * error catalogue (invalid_value, out_of_range, missing_field,
 * wrong_type, duplicate_value, bad_window, not_an_occurrence,
 * start_not_in_rule, too_many_occurrences), plus a reason in English for
 * logs and tests. */
struct taulu_recur_err {
    char field[64];
    const char *code;
    const char *reason;
};

/* ---- dates ---- */

/* "YYYY-MM-DD" (a real date, years 1..9999) -> days since 1970-01-01. 0 or
 * TAULU_EVALUE. */
int taulu_recur_date_parse(const char *s, int64_t *day);
/* Writes "YYYY-MM-DD"; "" and TAULU_EVALUE outside years 1..9999. */
int taulu_recur_date_format(int64_t day, char out[TAULU_RECUR_DATE_LEN]);
/* The local date of instant t in tz (days since 1970-01-01). */
int64_t taulu_recur_local_day(int64_t t, const struct taulu_tz *tz);
/* ISO weekday (1..7) of a date. */
int taulu_recur_wday(int64_t day);

/* A BYDAY entry "TU" (ord 0), "1TU".."4TU", "-1TU"; true if it is one
 * (len bytes at s, upper case). */
bool taulu_recur_day_parse(const char *s, size_t len,
                           struct taulu_recur_day *out);
/* Writes a BYDAY entry (at most 4 characters and a NUL). */
void taulu_recur_day_format(const struct taulu_recur_day *d, char out[5]);

/* ---- the rule ---- */

/* Sorts days and exdates into their one order (so equal rules are equal
 * bytes in every text form). */
void taulu_recur_normalize(struct taulu_recur *r);

/* Checks a rule alone (not its until against a start: see
 * taulu_series_check): frequency, interval, days, exdates. 0 or
 * TAULU_EVALUE with `err` (may be NULL) filled. */
int taulu_recur_check(const struct taulu_recur *r, struct taulu_recur_err *err);

/* Whether two rules say the same (after normalising both). */
bool taulu_recur_equal(const struct taulu_recur *a,
                       const struct taulu_recur *b);

/* Whether local date `day` is a date of the rule counted from the first
 * occurrence's date `first_day` (weekday, the n-week phase, the ordinal in
 * the month, not before first_day, not after until), exdates ignored. */
bool taulu_recur_matches(const struct taulu_recur *r, int64_t first_day,
                         int64_t day);

/* ---- the series ---- */

/* Every rule on a series: the rule (taulu_recur_check), an until
 * (given), start < end and end - start <= MAX_DURATION, the first
 * occurrence's date is one of the rule's (start_not_in_rule), until not
 * before it (bad_window), exdates and cancelled dates are dates of the
 * series (not_an_occurrence; a cancelled date is not an exdate either),
 * and 1..MAX_OCCURRENCES occurrences (too_many_occurrences). 0, or
 * TAULU_EVALUE with `err` (may be NULL) filled. */
int taulu_series_check(const struct taulu_series *s, const struct taulu_tz *tz,
                       struct taulu_recur_err *err);

/* The occurrences that end after `from` and start before `to`, in order,
 * exdates left out and cancelled ones marked: writes at most `cap` to
 * `out` (which may be NULL with cap 0) and returns how many there are in
 * all, also beyond cap (a count is at most MAX_OCCURRENCES + 1: counting
 * stops there). A series that fails taulu_series_check gives whatever its
 * rule yields within those bounds (never more than that count). */
size_t taulu_series_expand(const struct taulu_series *s,
                           const struct taulu_tz *tz, int64_t from, int64_t to,
                           struct taulu_occurrence *out, size_t cap);

/* The end of the last occurrence (cancelled or not), or TAULU_RECUR_NO_DATE
 * if the series has none. */
int64_t taulu_series_last_end(const struct taulu_series *s,
                              const struct taulu_tz *tz);

/* The local wall-clock times of the first occurrence, for the rule in
 * words: start 0..1439 minutes after midnight, end 1..1440 (an end at
 * midnight is 1440, "24"); an end on the next day is written as its
 * clock reading, so end may be less than start. */
void taulu_series_times(const struct taulu_series *s, const struct taulu_tz *tz,
                        int *start_min, int *end_min);

/* Whether local date `day` is cancelled in the series. */
bool taulu_series_is_cancelled(const struct taulu_series *s, int64_t day);

/* ---- text forms ---- */

/* The API's form (docs/api.md):
 *   {"freq": "weekly"|"monthly", "interval": 1..4 (default 1),
 *    "byday": ["TU"] | ["1TU", "-1FR"], "until": "YYYY-MM-DD" (optional
 *    here: TAULU_RECUR_NO_DATE when absent), "exdates": ["YYYY-MM-DD"]}
 * Unknown members, wrong types, bad values: TAULU_EVALUE with `err` whose
 * field starts with `path` ("recurrence"). The rule is normalised and
 * checked (taulu_recur_check) before it is returned. */
int taulu_recur_from_json(const cJSON *obj, const char *path,
                          struct taulu_recur *out, struct taulu_recur_err *err);
/* The same form, every member written (interval too); NULL on out of
 * memory. Caller frees with cJSON_Delete(). */
cJSON *taulu_recur_to_json(const struct taulu_recur *r);

/* The RRULE value of a rule with an until, e.g.
 * "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;UNTIL=20270525T205959Z" (INTERVAL
 * only when not 1; UNTIL is the end of the until day in tz, in UTC).
 * Exdates are not part of an RRULE. Appends to out: 0, TAULU_EINVAL (no
 * until), TAULU_ELIMIT / TAULU_ENOMEM. */
int taulu_recur_to_rrule(const struct taulu_recur *r, const struct taulu_tz *tz,
                         struct taulu_buf *out);

/* Parses an RRULE value of the subset above (parts in any order, each
 * once; WKST only MO; UNTIL as a date "20270525", a UTC date-time
 * "20270525T205959Z", or a local one "20270525T235959"). `first` is the
 * first occurrence (DTSTART): an UNTIL date-time before that day's
 * occurrence leaves the day out. COUNT, BYMONTHDAY, BYSETPOS and the
 * other frequencies are refused (TAULU_EVALUE, `why` says which: a later
 * importer may turn a COUNT into an UNTIL by expanding). Without UNTIL the
 * rule's until is TAULU_RECUR_NO_DATE. The rule is normalised and
 * checked. `why` may be NULL. */
int taulu_recur_from_rrule(const char *s, int64_t first,
                           const struct taulu_tz *tz, struct taulu_recur *out,
                           const char **why);

#endif
