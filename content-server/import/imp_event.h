/*
 * imp_event.h: what a source says, in one shape for every kind of source:
 * the events a feed or an API answer holds (imp_ical.c, imp_linkedevents.c
 * read them), before they become items (imp_item.c). Strings live in the
 * run's pool; texts are already plain text within the API's limits
 * (imp_text.h).
 *
 * The window. An item is shown at most a year ahead (the API's
 * display_until), and a series holds at most 400 occurrences, so a source
 * is read within a window: from the start of the current calendar quarter
 * (Helsinki) to the end of the third quarter after it. Both ends move
 * only four times a year, so an unchanged weekly series gives the very
 * same item at every run (no edit, no new review) until the window moves
 * on; then it comes back for review once, with its new until. Occurrences
 * before the window are left out, and so are those after it (they come
 * in with a later window).
 */
#ifndef IMP_EVENT_H
#define IMP_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "imp_series.h"
#include "srv_pool.h"
#include "taulu_recur.h"
#include "taulu_time.h"

#define IMP_MAX_TEXTS 6 /* the API's language versions */
/* Occurrences a rule that does not fit the model may become as separate
 * items at most (beyond that the event is refused, with the reason). */
#define IMP_MAX_SEPARATE 12
/* A feed's events read at most (the rest are counted and left). */
#define IMP_MAX_EVENTS 2000

/* The zone of the items' times (every centre's). */
#define IMP_TZ (&taulu_tz_helsinki)

struct imp_window {
    int64_t from;     /* the start of the current quarter, an instant */
    int64_t cap_day;  /* the last local date an occurrence may start on */
    int64_t cap_time; /* the end of that day, an instant */
};
void imp_window_at(int64_t now, struct imp_window *w);

struct imp_version {
    char lang[8];
    const char *title;
    const char *body;
    const char *place, *price, *registration, *contact;
    const char *image_alt; /* when the event has an image */
};

/* Why an event is not imported: a code the web UI words (fi, sv, en), and
 * a detail in English for the log and the owner. */
struct imp_skip {
    const char *code; /* NULL = imported; "ended", "too_far_ahead",
                         "no_time", "no_title", "rule_not_supported",
                         "too_long", "duplicate_id", "too_many_events" */
    const char *detail;
};

struct imp_event {
    const char *ext_id; /* stable at the source (UID, Linked Events id) */
    int64_t start, end; /* the first occurrence, instants; end > start */
    bool all_day;
    struct imp_version v[IMP_MAX_TEXTS];
    size_t n_v;
    const char *link; /* imp_link() form, or NULL */
    int free;         /* -1 not known, 0 no, 1 yes */
    /* A series in the model's terms (imp_series.h): rule with its until. */
    bool series;
    struct taulu_recur rule;
    /* Occurrences the source cancelled (local dates): the item's
     * cancellations, shown with "peruttu". */
    int64_t cancelled[TAULU_RECUR_MAX_CANCELLED];
    size_t n_cancelled;
    /* An image the source allows us to show, with its credit line (kept
     * in the body) and its alt text in each version. */
    const char *image_url;
    const char *image_credit;
    bool gone; /* deleted or cancelled at the source: withdraw the item */
    struct imp_skip skip;
};

/* What one fetch of a source says. */
struct imp_batch {
    struct imp_event *v;
    size_t n, cap;
    /* The whole listing (an iCalendar feed, a full Linked Events run):
     * what is absent was deleted at the source. An incremental run says
     * only what changed. */
    bool complete;
    size_t dropped; /* events past IMP_MAX_EVENTS */
};

/* A new zeroed event at the end of the batch (pool memory). */
struct imp_event *imp_batch_add(struct srv_pool *p, struct imp_batch *b);

/*
 * An event that happens more than once: `proto` (its texts, link, flags
 * and ext_id) with its occurrences `occ` (n, sorted by start; the array
 * is reordered), at `now` in window `w`. Adds to the batch:
 *   - nothing left in the window: one skipped event ("ended", or
 *     "too_far_ahead" when they are all after it);
 *   - one occurrence: a one-off event (gone when it is cancelled);
 *   - a list that fits the model (imp_series.h): one series, its
 *     cancelled occurrences as cancellations;
 *   - else at most IMP_MAX_SEPARATE occurrences still to come as events
 *     of their own (ext_id + "/" + the local start "YYYYMMDDTHHMM"), or
 *     one skipped event ("rule_not_supported" with the reason).
 */
void imp_batch_occurrences(struct srv_pool *p, struct imp_batch *b,
                           const struct imp_event *proto, struct imp_occ *occ,
                           size_t n, int64_t now, const struct imp_window *w);

/* Marks a one-off event skipped when it has ended at `now` or starts
 * after the window. */
void imp_event_check_window(struct imp_event *e, int64_t now,
                            const struct imp_window *w);

/* Adds a language version (or returns the one of that language). NULL
 * when the event has IMP_MAX_TEXTS already. */
struct imp_version *imp_event_version(struct imp_event *e, const char *lang);

#endif
