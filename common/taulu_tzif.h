/*
 * taulu_tzif.h: time zone rules read from the system's tzdata (TZif files,
 * RFC 8536 and 9636) and from POSIX TZ strings.
 *
 * A TZif file lists the instants at which a zone's offset from UTC changed
 * and, from version 2 on, ends with a POSIX TZ string such as
 * "EET-2EEST,M3.5.0/3,M10.5.0/4" that gives the offset of every instant
 * after the last listed one. taulu_time.c reads the file of each zone it
 * knows once per process and uses these functions on the result; nothing
 * here looks at TZ, localtime_r or any other process-wide state.
 *
 * The parser is strict and bounded. It takes versions 1 to 4 (4 differs
 * from 3 only in its leap-second table, which is refused anyway: files
 * with leap seconds count them in their instants, and Infotaulu's instants
 * do not). For version 2 and later the 64-bit data and the footer are read
 * and the 32-bit block is only stepped over, as RFC 8536 advises. Every
 * count is checked against the bytes that are really there before anything
 * is allocated, transitions must be strictly ascending, every type index,
 * offset, flag and designation must be in range, the footer must be a TZ
 * string this file can evaluate, and nothing may follow it. A parsed zone
 * is immutable, so any number of threads may read it.
 */
#ifndef TAULU_TZIF_H
#define TAULU_TZIF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The largest TZif file read (the biggest in tzdata are about 4 KiB). */
#define TAULU_TZIF_MAX_BYTES 65536

/* Where tzdata is unless $TZDIR says otherwise (glibc's default too). */
#define TAULU_TZDIR_DEFAULT "/usr/share/zoneinfo"

/* One yearly date of a TZ rule and the local time of the change on it, in
 * the offset in force just before the change. */
struct taulu_tz_date {
    char kind;    /* 'J' Julian day 1..365 (29 February never counted),
                     'D' zero-based day 0..365 (counted),
                     'M' day `wday` of week `week` (5 = last) of `month` */
    int day;      /* 'J' and 'D' */
    int month;    /* 'M': 1..12 */
    int week;     /* 'M': 1..5 */
    int wday;     /* 'M': 0 = Sunday .. 6 */
    int32_t secs; /* seconds after local midnight (may be negative or past
                     24 h in version 3 footers) */
};

/* A POSIX TZ rule: a standard offset and, optionally, daylight saving time
 * from `start` to `end` every year. */
struct taulu_tz_rule {
    int32_t std_utoff; /* seconds east of UTC (the TZ string's sign is the
                          other way round: "EET-2" is +7200) */
    int32_t dst_utoff; /* seconds east of UTC in daylight saving time */
    bool has_dst;
    struct taulu_tz_date start, end; /* when has_dst */
};

/* Parses a POSIX TZ string of `len` bytes (no NUL needed) as a TZif footer
 * of the given version allows it: "std offset [dst [offset] ,start[/time]
 * ,end[/time]]" with names of three or more letters or <quoted> ones,
 * offsets up to 24:59:59, and rule times of 0..24 hours (-167..167 from
 * version 3). A daylight name without a rule is refused (POSIX leaves its
 * meaning to the implementation). 0, TAULU_EPARSE or TAULU_EINVAL (NULL);
 * *out is written only on success. */
int taulu_tz_rule_parse(const char *s, size_t len, int version,
                        struct taulu_tz_rule *out);

/* The offset (seconds east of UTC) a rule gives at instant t. Any t is
 * accepted; instants beyond years 1..9999 get the offset of the nearest
 * end of that range. */
int32_t taulu_tz_rule_utoff(const struct taulu_tz_rule *r, int64_t t);

/* A parsed TZif file (opaque). */
struct taulu_tzif;

/* Parses `len` bytes of a TZif file into a new zone. 0, TAULU_EPARSE (bad
 * magic, a count that does not fit the data, unsorted transitions, a bad
 * footer, trailing bytes), TAULU_EVERSION (unknown version byte),
 * TAULU_EVALUE (an offset, index or flag out of range, leap seconds),
 * TAULU_ELIMIT (more than TAULU_TZIF_MAX_BYTES), TAULU_ENOMEM or
 * TAULU_EINVAL (NULL). The caller frees *out with taulu_tzif_free(). */
int taulu_tzif_parse(const void *data, size_t len, struct taulu_tzif **out);

/* Reads the file at `path` (at most TAULU_TZIF_MAX_BYTES) and parses it:
 * the codes of taulu_tzif_parse() and of taulu_file_read() (TAULU_ENOTFOUND,
 * TAULU_EIO). */
int taulu_tzif_read(const char *path, struct taulu_tzif **out);

/* The tzdata directory: $TZDIR if it is set and not empty, otherwise
 * TAULU_TZDIR_DEFAULT. Not thread-safe against setenv(), like getenv(). */
const char *taulu_tzif_system_dir(void);

/* Reads zone `name` ("Europe/Helsinki") from directory `dir`. The name
 * must be relative and plain (letters, digits, "_+-" and "/" between
 * parts, no "." or ".." part): TAULU_EINVAL otherwise, or when the path
 * would not fit; else as taulu_tzif_read(). */
int taulu_tzif_load_zone(const char *dir, const char *name,
                         struct taulu_tzif **out);

void taulu_tzif_free(struct taulu_tzif *z);

/* The offset (seconds east of UTC) in force at instant t: that of the last
 * transition at or before t; before the first one, that of time type 0;
 * from the last one on, the footer's rule if there is one. */
int32_t taulu_tzif_utoff(const struct taulu_tzif *z, int64_t t);

/* For log lines: the file's version (1..4), its number of transitions and
 * whether it has a footer rule. */
int taulu_tzif_version(const struct taulu_tzif *z);
size_t taulu_tzif_transition_count(const struct taulu_tzif *z);
bool taulu_tzif_has_rule(const struct taulu_tzif *z);

#endif
