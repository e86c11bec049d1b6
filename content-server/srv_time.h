/*
 * srv_time.h: RFC 3339 instants at the API edge.
 *
 * A stop-gap with the same contract as taulu_time_parse_iso() and
 * taulu_time_format_iso() of common/taulu_time.h, which is being built in
 * parallel; when common/ has it, these two become thin wrappers (or go).
 * Kept in this one file so the switch touches nothing else.
 */
#ifndef SRV_TIME_H
#define SRV_TIME_H

#include <stdint.h>

#define SRV_ISO_LEN 21 /* "2026-11-22T10:00:00Z" + NUL */

/* Accepts exactly "YYYY-MM-DDTHH:MM:SSZ" or "...SS+HH:MM" / "-HH:MM" with
 * every field range-checked (years 1970..9999). 0 or TAULU_EPARSE. */
int srv_time_parse_iso(const char *s, int64_t *out);
/* Writes the "Z" form of t (t >= 0) into out. */
void srv_time_format_iso(int64_t t, char out[SRV_ISO_LEN]);
/* The system clock, seconds since the epoch. */
int64_t srv_now(void);

#endif
