/*
 * taulu_time.h: instants, civil time and the Finnish time zone.
 *
 * An instant is an int64_t count of seconds since 1970-01-01T00:00:00Z
 * (leap seconds ignored, as POSIX does). Instants are what is stored and
 * sent; local civil time is only for display and for "today".
 *
 * A zone's rules come from the system's tzdata: the TZif file of each zone
 * Infotaulu knows is read once per process ($TZDIR or /usr/share/zoneinfo,
 * taulu_tzif.h), on the first use of a zone or at taulu_tz_init(), and is
 * only read afterwards, so every function here is thread-safe and none
 * depends on the process's TZ or calls localtime_r. If a zone's file is
 * missing or not valid, the zone falls back to a computed rule: its
 * standard offset plus, optionally, the EU summer-time rule (from 01:00 UTC
 * on the last Sunday of March to 01:00 UTC on the last Sunday of October),
 * which Finland and Sweden have followed since 1996. Which of the two a
 * zone uses is logged once. The two agree from 1996 on (until the EU
 * changes its rule, when only tzdata will follow); before 1996 only
 * tzdata's history is right (summer time ended in September, Finland had
 * none before 1981).
 *
 * A NULL zone is TAULU_EINVAL for the functions that return an error code
 * and is read as UTC by those that cannot report one.
 */
#ifndef TAULU_TIME_H
#define TAULU_TIME_H

#include <stdbool.h>
#include <stdint.h>

struct taulu_tzif;

/* 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z: the instants civil time,
 * the RFC 3339 parser and the formatter handle. */
#define TAULU_TIME_MIN INT64_C(-62135596800)
#define TAULU_TIME_MAX INT64_C(253402300799)

/* A zone. The built-in ones below take their rules from tzdata (read once)
 * and the two fallback fields only if that fails; a zone a caller makes
 * (a test) uses `tzif` if it is set and the fallback fields otherwise. */
struct taulu_tz {
    const char *name;   /* "Europe/Helsinki" */
    int std_offset_min; /* fallback: minutes east of UTC in winter: 120 */
    bool eu_dst;        /* fallback: follows the EU summer-time rule */
    const struct taulu_tzif *tzif; /* rules from a TZif file, or NULL; not
                                      owned */
};

/* Europe/Helsinki: UTC+2, UTC+3 in summer. */
extern const struct taulu_tz taulu_tz_helsinki;
/* UTC, for tests and logs. */
extern const struct taulu_tz taulu_tz_utc;

/* The zone of an IANA name Infotaulu knows ("Europe/Helsinki",
 * "Europe/Stockholm", "Europe/Mariehamn", "UTC"); NULL otherwise. */
const struct taulu_tz *taulu_tz_by_name(const char *name);

/* Reads the tzdata of the built-in zones now (and logs which rules each
 * uses) instead of at the first use of a zone, in whatever thread that
 * is. Only the first call in a process does anything; any thread may call
 * it. A program should call it at start-up, next to reading its
 * configuration, so the read and its log line come at a known moment.
 * UTC reads nothing. */
void taulu_tz_init(void);

/* Whether a zone's rules come from a TZif file (true) or from the
 * fallback rule (false; also for UTC and NULL). Loads as taulu_tz_init()
 * does for a built-in zone. */
bool taulu_tz_uses_tzdata(const struct taulu_tz *tz);

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
    int offset_min; /* offset from UTC in force, minutes east (rounded
                       down, as taulu_tz_offset_at) */
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

/* The offset from UTC in force at instant t: in seconds east, and in
 * minutes east (rounded down: only local mean times before about 1921 are
 * not whole minutes). */
int32_t taulu_tz_utoff_at(const struct taulu_tz *tz, int64_t t);
int taulu_tz_offset_at(const struct taulu_tz *tz, int64_t t);

/* Instant -> local civil time. Works for years 1..9999; TAULU_EVALUE
 * outside them. */
int taulu_time_to_civil(int64_t t, const struct taulu_tz *tz,
                        struct taulu_civil *out);

/* Local civil time (year, month, day, hour, min, sec) -> instant. A wall
 * time that does not exist (the spring gap, 03:00-03:59 in Helsinki) is
 * moved forward by the gap; a wall time that occurs twice (the autumn
 * overlap) gives the earlier instant. TAULU_EVALUE for an invalid date.
 * (Gaps and overlaps are found within a day of the wall time, which holds
 * for every zone whose changes are more than two days apart.) */
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
