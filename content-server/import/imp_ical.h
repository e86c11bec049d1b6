/*
 * imp_ical.h: iCalendar feeds (RFC 5545) read with libical: the only file
 * that calls libical (imp_ical.c).
 *
 * Feeds in the wild are often not RFC-compliant; what is coped with, and
 * how (docs/importers.md has the same list for people):
 *   - a UTF-8 byte-order mark, CRLF, LF or CR line ends;
 *   - broken folding (a continuation line without its leading space): a
 *     line that is not "NAME[;params]:value" continues the one before,
 *     joined directly after a line of 70 or more bytes (folded at the
 *     limit), else as a line break of the text;
 *   - no UID: one is made from DTSTART and SUMMARY (so such an event
 *     whose time or title changes looks like a new one); no DTSTAMP;
 *   - floating times and unknown TZIDs are Helsinki time; all-day events
 *     (DATE values) run from local midnight to midnight;
 *   - no DTEND and no DURATION: an all-day event is one day; a timed one
 *     is skipped (its end is not known, and a made-up one would be shown);
 *   - RRULE with EXDATE, RDATE and RECURRENCE-ID overrides, expanded by
 *     libical within the run's window (imp_event.h) and fitted to the
 *     model (imp_series.h): COUNT, DAILY and the like become the model's
 *     rule when their dates are one; an override with STATUS:CANCELLED is
 *     a cancelled occurrence; a moved occurrence is an exception date of
 *     the series plus an event of its own; a rule that does not fit
 *     becomes at most IMP_MAX_SEPARATE separate events, or is skipped
 *     with the reason;
 *   - CLASS:PRIVATE and CLASS:CONFIDENTIAL events are never imported;
 *     STATUS:CANCELLED events are gone (their items are withdrawn);
 *   - at most IMP_MAX_EVENTS events are read, at most 5000 steps of a
 *     rule; HOURLY and finer rules are skipped.
 */
#ifndef IMP_ICAL_H
#define IMP_ICAL_H

#include <stddef.h>
#include <stdint.h>

#include "imp_event.h"
#include "srv_pool.h"

/*
 * Reads the `len` bytes of a feed into `out` (events in the pool), at
 * `now`; texts without a LANGUAGE are in `lang`. The batch is complete
 * (what a feed leaves out is gone). 0, or TAULU_EPARSE when it is not an
 * iCalendar file at all (err says why, in English).
 */
int imp_ical_parse(const char *data, size_t len, int64_t now, const char *lang,
                   struct srv_pool *p, struct imp_batch *out, char *err,
                   size_t err_size);

#endif
