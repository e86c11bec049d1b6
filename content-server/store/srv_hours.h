/*
 * srv_hours.h: a centre's opening hours as PTV gives them (the
 * centre_hours row, srv_store.h) turned into the week the manifest
 * carries. Plain C over the row's JSON texts: the publisher and the
 * public page read the same week.
 *
 * The manifest's opening hours are one week of intervals by weekday
 * (docs/protocol.md); a date is not expressible there. So the week given
 * to the screens is the coming seven days, today first: each weekday has
 * the hours of its date in that window, an exception's (a holiday, a
 * shorter day) where there is one, the regular hours otherwise. The week
 * changes at the midnight when an exception date enters or leaves the
 * window, and *valid_until says when that is, so the publisher builds a
 * new manifest then (srv_manifest_next_change()). A screen that has been
 * offline for more than a week repeats last week's exception on the same
 * weekday: docs/importers.md says so.
 *
 * Intervals whose close is not after their open run over midnight
 * ("22:00"-"02:00"): the part after midnight belongs to the next day of
 * the window (the regular week wraps from Sunday to Monday). Overlapping
 * intervals of a day are merged; at most TAULU_MANIFEST_MAX_HOURS are
 * kept, the earliest.
 */
#ifndef SRV_HOURS_H
#define SRV_HOURS_H

#include <stddef.h>
#include <stdint.h>

#include "taulu_manifest.h"
#include "taulu_time.h"

/* No change to come (no exception ahead). */
#define SRV_HOURS_FOREVER INT64_MAX

/*
 * The week of `weekly` ([{"day":1..7,"open":"HH:MM","close":"HH:MM"}])
 * and `exceptions` ([{"date":"YYYY-MM-DD","hours":[{"open","close"}]}],
 * empty hours = closed that day) for the seven local days from `now`'s
 * date, into c->hours / c->n_hours (replacing them), sorted by day and
 * time. *valid_until is the next instant the week changes (or
 * SRV_HOURS_FOREVER). Entries that cannot be read are skipped. 0, or
 * TAULU_EVALUE when `weekly` is not a JSON array (c untouched).
 */
int srv_hours_week(const char *weekly, const char *exceptions, int64_t now,
                   const struct taulu_tz *tz, struct taulu_centre *c,
                   int64_t *valid_until);

#endif
