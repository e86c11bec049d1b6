/*
 * imp_linkedevents.h: the Linked Events API (JSON-LD; Helsinki, Espoo,
 * Turku, Tampere and others), read with cJSON. Plain C: the fetching and
 * the paging are the runner's (srv_importer.c).
 *
 * An answer is a list page ({"meta": {"count", "next"}, "data": [...]})
 * or one event. Of each event:
 *   - name, description (HTML, made plain text) or short_description,
 *     per language (fi, sv, en): a text version each;
 *   - start_time, end_time (an event without an end is skipped, as in
 *     iCalendar feeds: a made-up end would be shown);
 *   - location: its name, street address, postal code and locality;
 *   - offers[0]: is_free and the price text; info_url (else the first
 *     external link) as the card's link;
 *   - images: the first whose licence allows showing it here ("cc_by",
 *     "cc0"; not "event_only"), with an alt text; its credit ("Kuva:
 *     photographer, CC BY 4.0") ends the body;
 *   - deleted (show_deleted=true) and event_status EventCancelled or
 *     EventPostponed: gone, its item is withdrawn;
 *   - super events: the sub-events of a "recurring" super event are the
 *     occurrences of one series (the super event's id and texts),
 *     fitted to the recurrence model (imp_series.h); an "umbrella" and
 *     its sub-events are events of their own.
 */
#ifndef IMP_LINKEDEVENTS_H
#define IMP_LINKEDEVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "imp_event.h"
#include "srv_pool.h"

/* One event of an answer, before the grouping into series. */
struct imp_le_raw {
    const char *id;
    const char *super_id; /* the super event's id, or NULL */
    bool recurring_super; /* super_event_type "recurring" */
    bool has_start;
    struct imp_event ev; /* texts, link, times, image; gone; skip */
};

struct imp_le_list {
    struct imp_le_raw *v;
    size_t n, cap;
};

/*
 * Reads one answer (a page or one event) into `raw` (appended). *next is
 * meta.next (NULL on the last page or for one event). Texts without a
 * language of fi, sv or en are left out; `lang` orders nothing here.
 * 0, or TAULU_EPARSE (err says why) when it is not such an answer.
 */
int imp_le_parse(const char *json, size_t len, struct srv_pool *p,
                 struct imp_le_list *raw, const char **next, char *err,
                 size_t err_size);

/* The recurring super events of `raw` whose sub-events it holds, or
 * whose sub-events it holds without their super event: the ids to fetch
 * whole (?super_event=ID) in an incremental run. At most `cap`. */
size_t imp_le_groups(const struct imp_le_list *raw, const char **ids,
                     size_t cap);

/* The events of `raw` as a batch at `now`: recurring super events with
 * their sub-events as series (imp_batch_occurrences), the rest one by
 * one. `complete` is set by the caller. */
void imp_le_events(struct srv_pool *p, const struct imp_le_list *raw,
                   int64_t now, struct imp_batch *out);

/* An ISO 8601 time as Linked Events writes it ("2026-12-01T14:00:00Z",
 * "...+02:00", fractions of a second, a date alone at Helsinki
 * midnight). 0 or TAULU_EPARSE. */
int imp_iso_parse(const char *s, int64_t *out, bool *date_only);

#endif
