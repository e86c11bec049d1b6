/*
 * taulu_time.h: instants, civil time and the Finnish time zone.
 *
 * An instant is an int64_t count of seconds since 1970-01-01T00:00:00Z
 * (leap seconds ignored, as POSIX does). Instants are what is stored and
 * sent; local civil time is only for display and for "today".
 *
 * Time zones are computed here, not looked up in the system's tzdata, so the
 * result does not depend on the machine's TZ setting or its tzdata version
 * and is safe from any thread. A zone is a standard offset plus, optionally,
 * the EU summer-time rule (from 01:00 UTC on the last Sunday of March to
 * 01:00 UTC on the last Sunday of October), which Finland and Sweden have
 * followed since 1996 (and Finland since 1981 with the same Sundays).
 */
#ifndef TAULU_TIME_H
#define TAULU_TIME_H

#include <stdbool.h>
#include <stdint.h>

struct taulu_tz {
    const char *name;   /* "Europe/Helsinki" */
    int std_offset_min; /* minutes east of UTC in winter: 120 */
    bool eu_dst;        /* follows the EU summer-time rule */
};

/* Europe/Helsinki: UTC+2, UTC+3 in summer. */
extern const struct taulu_tz taulu_tz_helsinki;
/* UTC, for tests and logs. */
extern const struct taulu_tz taulu_tz_utc;

/* The zone of an IANA name Infotaulu knows ("Europe/Helsinki",
 * "Europe/Stockholm", "Europe/Mariehamn", "UTC"); NULL otherwise. */
const struct taulu_tz *taulu_tz_by_name(const char *name);

/* Civil (wall-clock) time in some zone. */
struct taulu_civil {
    int year;       /* e.g. 2026 */
    int month;      /* 1..12 */
    int day;        /* 1..31 */
    int hour;       /* 0..23 */
    int min;        /* 0..59 */
    int sec;        /* 0..59 */
    int wday;       /* ISO weekday: 1 = Monday .. 7 = Sunday */
    int yday;       /* 1..366 */
    int offset_min; /* offset from UTC in force, minutes east */
};

/* Days since 1970-01-01 of a proleptic Gregorian date, and back. */
int64_t taulu_days_from_civil(int year, int month, int day);
void taulu_civil_from_days(int64_t days, int *year, int *month, int *day);

/* The offset from UTC (minutes east) in force at instant t. */
int taulu_tz_offset_at(const struct taulu_tz *tz, int64_t t);

/* Instant -> local civil time. Works for years 1..9999; TAULU_EVALUE
 * outside them. */
int taulu_time_to_civil(int64_t t, const struct taulu_tz *tz,
                        struct taulu_civil *out);

/* Local civil time (year, month, day, hour, min, sec) -> instant. A wall
 * time that does not exist (the spring gap, 03:00-03:59 in Helsinki) is
 * moved forward by the gap; a wall time that occurs twice (the autumn
 * overlap) gives the earlier instant. TAULU_EVALUE for an invalid date. */
int taulu_time_from_civil(const struct taulu_tz *tz, int year, int month,
                          int day, int hour, int min, int sec, int64_t *out);

/* The instant of the next local midnight strictly after t (the moment
 * relative labels like "Tänään" must be recomputed), and the local midnight
 * that starts t's day. */
int64_t taulu_time_next_midnight(int64_t t, const struct taulu_tz *tz);
int64_t taulu_time_day_start(int64_t t, const struct taulu_tz *tz);

/* Whole local days from a's date to b's date (b's date minus a's date):
 * 0 = same day, 1 = b is tomorrow of a, -1 = yesterday. */
int taulu_time_day_diff(int64_t a, int64_t b, const struct taulu_tz *tz);

/* RFC 3339 timestamps. The parser accepts exactly
 * "YYYY-MM-DDTHH:MM:SSZ" or "YYYY-MM-DDTHH:MM:SS+HH:MM" / "-HH:MM" (no
 * fractions, no lowercase, no spaces) and checks every field's range:
 * 0 or TAULU_EPARSE / TAULU_EVALUE. The formatter writes the "Z" form into
 * a buffer of at least TAULU_ISO_LEN bytes. */
#define TAULU_ISO_LEN 21 /* "2026-11-22T10:00:00Z" + NUL */
int taulu_time_parse_iso(const char *s, int64_t *out);
void taulu_time_format_iso(int64_t t, char out[TAULU_ISO_LEN]);

/* The system clock (CLOCK_REALTIME), seconds. Programs that need a test
 * clock take the current instant as a parameter instead of calling this. */
int64_t taulu_now(void);
/* A monotonic clock in milliseconds, for timeouts and frame timing. */
int64_t taulu_monotonic_ms(void);

#endif
