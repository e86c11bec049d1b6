/*
 * taulu_datefmt.h: dates and times as the screen and the web UI write them.
 *
 * The rules are those of ../shared/design/accessibility.md:
 *   Finnish:  "ti 24.11."     plain language: "tiistaina 24.11."
 *             "klo 14–16", "klo 9.30–11"   plain: "kello 14–16"
 *             "Tänään ti 24.11.", "Huomenna ke 25.11."
 *   Swedish:  "tis 24.11"     plain language: "tisdag 24.11"
 *             "kl. 14.00–16.00", "kl. 9.30–11.00"
 *             plain: "klockan 14.00–16.00" (no abbreviations)
 *             "I dag tis 24.11", "I morgon ons 25.11"
 *   English:  "Tue 24 Nov"    plain language: "Tuesday 24 November"
 *             "14.00–16.00" (24-hour clock, as Finland reads it)
 *             "Today Tue 24 Nov", "Tomorrow Wed 25 Nov"
 * No leading zero on the hour in any language (Finnish also drops ".00"
 * minutes), a full stop between hours and minutes, an en dash (U+2013)
 * without spaces between the ends of a range. Seconds are never shown. An
 * end exactly at a local midnight is 24 o'clock of the day before: "klo
 * 20–24". Everything is computed in the zone given (the centre's), from
 * instants, so summer-time changes never shift what is written.
 *
 * Every function appends UTF-8 text to a struct taulu_buf and returns 0,
 * TAULU_ELIMIT / TAULU_ENOMEM (buffer full) or TAULU_EINVAL (unknown
 * language, NULL buffer or zone, an instant outside years 1..9999, an end
 * before the start). On failure the buffer keeps what it held.
 */
#ifndef TAULU_DATEFMT_H
#define TAULU_DATEFMT_H

#include <stdbool.h>
#include <stdint.h>

#include "taulu_buf.h"
#include "taulu_recur.h"
#include "taulu_time.h"

enum taulu_lang {
    TAULU_LANG_FI = 0,
    TAULU_LANG_SV = 1,
    TAULU_LANG_EN = 2,
};
#define TAULU_LANG_COUNT 3

/* "fi", "sv", "en" -> the enum; -1 for anything else. */
int taulu_lang_from_code(const char *code);
/* The enum -> "fi", "sv", "en"; "?" if out of range. */
const char *taulu_lang_code(enum taulu_lang lang);

/* Weekday and date of t: "ti 24.11." / "tiistaina 24.11." / "tis 24.11" /
 * "tisdag 24.11" / "Tue 24 Nov" / "Tuesday 24 November". */
int taulu_fmt_date(struct taulu_buf *out, enum taulu_lang lang, bool plain,
                   int64_t t, const struct taulu_tz *tz);

/* Like taulu_fmt_date but prefixed with a relative day when t falls on the
 * day of `now` or the next: "Tänään ti 24.11.", "Huomenna ke 25.11.",
 * "I dag tis 24.11", "I morgon ...", "Today ...", "Tomorrow ...".
 * Otherwise the same as taulu_fmt_date. */
int taulu_fmt_day(struct taulu_buf *out, enum taulu_lang lang, bool plain,
                  int64_t t, int64_t now, const struct taulu_tz *tz);

/* A time of day: "14", "9.30" (fi), "14.00" (sv, en). No "klo". */
int taulu_fmt_clock(struct taulu_buf *out, enum taulu_lang lang, int64_t t,
                    const struct taulu_tz *tz);

/* The header clock: "14.05", "9.05" (no seconds, ever). */
int taulu_fmt_header_clock(struct taulu_buf *out, int64_t t,
                           const struct taulu_tz *tz);

/* A time range on one day: "klo 14–16", "klo 9.30–11", "kello 14–16",
 * "kl. 14.00–16.00", "14.00–16.00". `end` may equal `start` (or be 0) for
 * an event with only a start: "klo 14". An end on a later day is written
 * as its clock reading ("klo 22–2"); use taulu_fmt_event_when to show the
 * dates too. */
int taulu_fmt_time_range(struct taulu_buf *out, enum taulu_lang lang,
                         bool plain, int64_t start, int64_t end,
                         const struct taulu_tz *tz);

/* When an event is: day plus time range, "ti 24.11. klo 14–16" (or with
 * the relative day when `now` is given, i.e. not 0); an event over several
 * days: "ti 24.11. klo 14 – ke 25.11. klo 12" (en dash with spaces between
 * two whole dates; only the start gets a relative label). English has no
 * clock word: "Tue 24 Nov 14.00–16.00". */
int taulu_fmt_event_when(struct taulu_buf *out, enum taulu_lang lang,
                         bool plain, int64_t start, int64_t end, int64_t now,
                         const struct taulu_tz *tz);

/* An occurrence of a recurring event that is cancelled, as
 * taulu_fmt_event_when writes the event with the word first and the
 * relative day after it in lower case: "Peruttu tänään ti 24.11. klo
 * 14–16", "Inställt i morgon ons 25.11 kl. 14.00–16.00", "Cancelled Tue 1
 * Dec 14.00–16.00". The word is the first thing read, never a colour or a
 * line through the text alone. */
int taulu_fmt_cancelled_when(struct taulu_buf *out, enum taulu_lang lang,
                             bool plain, int64_t start, int64_t end,
                             int64_t now, const struct taulu_tz *tz);
/* The word alone: "Peruttu", "Inställt", "Cancelled" (unknown languages:
 * Finnish). A static string. */
const char *taulu_word_cancelled(enum taulu_lang lang);

/* A recurrence rule in plain words with its wall-clock times, as the
 * screen writes it under the next occurrence's date:
 *   fi  "joka tiistai klo 14–16", "joka toinen keskiviikko klo 9.30–11",
 *       "joka maanantai ja torstai klo 10–12",
 *       "kuukauden ensimmäinen maanantai klo 14–16",
 *       "kuukauden ensimmäinen ja kolmas tiistai klo 18–20",
 *       "kuukauden ensimmäinen maanantai ja viimeinen perjantai klo 14–16"
 *   sv  "varje tisdag kl. 14.00–16.00", "varannan onsdag kl. ...",
 *       "var tredje onsdag", "första måndagen i månaden kl. ...",
 *       "första och tredje tisdagen i månaden",
 *       "första måndagen och sista fredagen i månaden"
 *   en  "every Tuesday 14.00–16.00", "every other Wednesday 9.30–11.00",
 *       "every third Wednesday", "first Monday of the month 14.00–16.00",
 *       "first and third Tuesday of the month",
 *       "first Monday and last Friday of the month"
 * Plain language writes "kello" / "klockan" (weekdays are written in full
 * in every mode). start_min and end_min are the first occurrence's local
 * minutes after midnight (taulu_series_times()): end 1440 is "24", an end
 * before the start is on the next day ("klo 22–2"), end < 0 leaves the end
 * out, and start < 0 the whole time ("joka sunnuntai": for a card whose
 * "when" row already says "kello 14–16"). The until date and exceptions
 * are not part of the words.
 * TAULU_EINVAL also for a rule taulu_recur_check() refuses. */
int taulu_fmt_recur(struct taulu_buf *out, enum taulu_lang lang, bool plain,
                    const struct taulu_recur *r, int start_min, int end_min);

#endif
