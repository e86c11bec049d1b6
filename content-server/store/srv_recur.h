/*
 * srv_recur.h: an item's recurrence between its stored form and the
 * common model (taulu_recur.h): the rule as the API's JSON text (the
 * item's `recurrence` column and its snapshots), the first occurrence
 * (starts_at, ends_at) and the cancelled dates become a struct
 * taulu_series. Shared by the API (the answers, cancelling) and the
 * publisher (the manifest's occurrences): no SQL, no HTTP.
 *
 * Every centre's zone is Europe/Helsinki (the county's); SRV_RECUR_TZ
 * names it in one place.
 */
#ifndef SRV_RECUR_H
#define SRV_RECUR_H

#include <stddef.h>
#include <stdint.h>

#include "srv_store.h"
#include "taulu_recur.h"

#define SRV_RECUR_TZ (&taulu_tz_helsinki)

/* The series of a rule's JSON text with its first occurrence and the
 * cancelled local dates ("YYYY-MM-DD"). Cancelled dates that are not (or
 * no longer, after an edit of the rule) occurrences of the series are
 * left out: they stay stored but mean nothing. 0, or TAULU_EVALUE for a
 * text that is not a rule with an until, or a series that
 * taulu_series_check() refuses. */
int srv_series_from(const char *rule_json, int64_t start, int64_t end,
                    const char *const *cancelled, size_t n_cancelled,
                    struct taulu_series *out);

/* The same for a stored item. TAULU_ENOTFOUND if it does not recur. */
int srv_item_series(const struct srv_item *it, struct taulu_series *out);

#endif
