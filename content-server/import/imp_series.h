/*
 * imp_series.h: occurrences a source lists (an RRULE expanded by libical,
 * a Linked Events super event's sub-events) expressed in the recurrence
 * model of common/taulu_recur.h, when they can be.
 *
 * The model says: every n weeks (1..4) on some weekdays, or monthly on the
 * first..fourth or last some weekday; one local start time and one length
 * (at most 12 hours); until a date; exception dates. So a list fits when
 * every occurrence starts at the same local wall-clock time and lasts as
 * long, and the dates are those of such a rule less at most
 * min(64, count) exception dates. Of the rules that fit, the simplest
 * wins: the fewest weekdays (or monthly entries) plus exception dates;
 * on a tie weekly before monthly and the smaller interval first. The result is
 * checked by expanding it again (taulu_series_expand must give exactly the
 * list).
 *
 * This decides COUNT (the list ends where it ends: UNTIL = the last date),
 * FREQ=DAILY (weekly on every day), BYMONTHDAY=... (fits only when the
 * dates happen to be a weekday rule; otherwise the event becomes separate
 * items or is refused, imp_item.c) in one place, for every kind of source.
 */
#ifndef IMP_SERIES_H
#define IMP_SERIES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "taulu_recur.h"
#include "taulu_time.h"

struct imp_occ {
    int64_t start, end;
    bool cancelled; /* the source cancelled this one (not part of a fit) */
};

/* Fits n >= 2 occurrences (sorted by start, distinct) in zone tz. true
 * with *rule (until = the last date, exdates filled, normalised) when
 * they fit; false otherwise, with *why (a static English phrase). */
bool imp_series_fit(const struct imp_occ *occ, size_t n,
                    const struct taulu_tz *tz, struct taulu_recur *rule,
                    const char **why);

#endif
