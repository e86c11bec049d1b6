/*
 * imp_ptv.h: a service location of the national service register PTV (API
 * v11, CC0, no key), read with cJSON: a centre's names and address in
 * each language and its opening hours. Plain C.
 *
 * Opening hours (serviceHours):
 *   - "DaysOfTheWeek" valid now (validForNow, or validFrom..validTo
 *     around today, or no dates): the regular week; each openingHour is
 *     dayFrom..dayTo (one day when dayTo is absent) from "from" to "to";
 *     a "to" not after "from" runs over midnight: with dayTo the day after
 *     dayFrom it is one night (Friday 22 to Saturday 2), otherwise every
 *     day of the range ends the next morning. isClosed: no hours.
 *   - "DaysOfTheWeek" valid from a later date, "Special" periods: their
 *     weekly hours become dated exceptions for the days of the period
 *     within the next IMP_PTV_DAYS days;
 *   - "Exceptional": validFrom..validTo (one day without validTo), closed
 *     (isClosed) or open at its hours: dated exceptions too.
 * Names: serviceChannelNames of type "Name" (else any) per language. The
 * address: the "Location" (else the first) street address as "Street 1,
 * 90100 OULU" per language (a language that has no street name of its
 * own takes the Finnish one).
 */
#ifndef IMP_PTV_H
#define IMP_PTV_H

#include <stddef.h>
#include <stdint.h>

#include "srv_pool.h"

/* Exceptions are kept for this many days ahead (the runner fetches at
 * least daily). */
#define IMP_PTV_DAYS 60

struct imp_ptv {
    const char *names;      /* JSON {"fi": "...", ...} */
    const char *addresses;  /* JSON {"fi": "...", ...} */
    const char *address_fi; /* the Finnish one (or the first), or NULL */
    const char *weekly;     /* JSON, srv_hours.h */
    const char *exceptions; /* JSON, srv_hours.h */
    size_t n_weekly, n_exceptions;
};

/* 0, or TAULU_EPARSE (err says why) when it is not a service location. */
int imp_ptv_parse(const char *json, size_t len, int64_t now, struct srv_pool *p,
                  struct imp_ptv *out, char *err, size_t err_size);

#endif
