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
 * followed since 1996. The rule is applied to every year: before 1996
 * summer time ended in September (and Finland had none before 1981), so
 * local times of instants before 1996 can differ from tzdata's. That does
 * not matter for a notice board, which shows the present and the future.
 *
 * A NULL zone is TAULU_EINVAL for the functions that return an error code
 * and is read as UTC by those that cannot report one.
 */
#ifndef TAULU_TIME_H
#define TAULU_TIME_H

#include <stdbool.h>
#include <stdint.h>

/* 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z: the instants civil time,
 * the RFC 3339 parser and the formatter handle. */
#define TAULU_TIME_MIN INT64_C(-62135596800)
#define TAULU_TIME_MAX INT64_C(253402300799)

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

/* Days since 1970-01-01 of a proleptic Gregorian date, and back (negative
 * before 1970). The date given must be valid (month 1..12, day within the
 * month); civil_from_days handles years -1000000..1000000 and clamps
 * `days` to them. These are the only calendar functions of the project:
 * everything that needs a date uses them. */
int64_t taulu_days_from_civil(int year, int month, int day);
void taulu_civil_from_days(int64_t days, int *year, int *month, int *day);
/* 28..31; month must be 1..12. */
int taulu_days_in_month(int year, int month);

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
 * that starts t's day. The day is 23 or 25 hours long on the days of the
 * summer-time changes. For t in years 1..9999 (other t are clamped). */
int64_t taulu_time_next_midnight(int64_t t, const struct taulu_tz *tz);
int64_t taulu_time_day_start(int64_t t, const struct taulu_tz *tz);

/* Whole local days from a's date to b's date (b's date minus a's date):
 * 0 = same day, 1 = b is tomorrow of a, -1 = yesterday. Dates, not
 * 24-hour periods: 23:59 and 00:01 the next day are 1 apart. */
int taulu_time_day_diff(int64_t a, int64_t b, const struct taulu_tz *tz);

/* RFC 3339 timestamps: the one parser and formatter of the project, in
 * two forms.
 *
 * TAULU_ISO_ANY (the HTTP API, configuration, logs): the parser accepts
 * exactly "YYYY-MM-DDTHH:MM:SSZ" or "YYYY-MM-DDTHH:MM:SS+HH:MM" / "-HH:MM"
 * (no fractions, no lowercase, no spaces), instants in years 1..9999 UTC;
 * "-00:00" is read as UTC.
 * TAULU_ISO_MANIFEST (manifests and MQTT payloads, docs/protocol.md): only
 * the "Z" form, and only from 1970-01-01T00:00:00Z on.
 *
 * The parser checks every field's range: 0, TAULU_EPARSE (wrong shape, or
 * an offset where the form wants "Z"), TAULU_EVALUE (a field out of range:
 * month 13, 31 November, hour 24, offset +24:00, second 60 as instants
 * ignore leap seconds, or an instant outside the form's years) or
 * TAULU_EINVAL (NULL). At most 26 bytes of s are read; *out is only
 * written on success. The formatter writes the "Z" form into a buffer of
 * at least TAULU_ISO_LEN bytes: taulu_time_format_iso_form() gives
 * TAULU_EVALUE (and "") for an instant outside the form's years, and
 * taulu_time_format_iso() clamps t to years 1..9999. So parse(format(t))
 * == t in either form for every t the formatter takes. */
#define TAULU_ISO_LEN 21 /* "2026-11-22T10:00:00Z" + NUL */
enum taulu_iso_form {
    TAULU_ISO_ANY,
    TAULU_ISO_MANIFEST,
};
int taulu_time_parse_iso_form(const char *s, enum taulu_iso_form form,
                              int64_t *out);
int taulu_time_format_iso_form(int64_t t, enum taulu_iso_form form,
                               char out[TAULU_ISO_LEN]);
/* TAULU_ISO_ANY. */
int taulu_time_parse_iso(const char *s, int64_t *out);
void taulu_time_format_iso(int64_t t, char out[TAULU_ISO_LEN]);

/* The system clock (CLOCK_REALTIME), seconds. Programs that need a test
 * clock take the current instant as a parameter instead of calling this. */
int64_t taulu_now(void);
/* A monotonic clock in milliseconds, for timeouts and frame timing. */
int64_t taulu_monotonic_ms(void);

#endif
