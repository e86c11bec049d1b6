/*
 * srv_import.h: the importers' runner and thread (docs/importers.md).
 *
 * A source (srv_store.h, struct srv_import_source) is run when it is due
 * (its interval after the last run; at once when added, edited or asked
 * for on demand): its address is fetched (srv_fetch.h), the answer read
 * (imp_ical.h, imp_linkedevents.h, imp_ptv.h) and what it says compared
 * with what the source brought before (its entries, by the source's own
 * id of each event):
 *   - a new event becomes an item, submitted to the source's centres
 *     (moderation as for any submission: the checker runs, the contact
 *     persons approve per centre);
 *   - a changed event (another hash of what it was made from) is an edit
 *     of its item: back to review, the diff shown to the approver;
 *   - an event the source deleted or cancelled, or that a complete
 *     listing no longer has, has its item withdrawn;
 *   - what the API's validation or the checker refuses is not stored;
 *     the entry keeps the API's answer (fi/sv/en) for the source's owner,
 *     and an item whose edit is refused is withdrawn (so the old text is
 *     not shown as if it were current);
 *   - a PTV source writes its centre's names, address and opening hours.
 * Each source runs alone: its fetches have timeouts and size limits, its
 * failure is its own (last error, failures in a row, the next try backed
 * off: interval x 2^failures, at most a day), and nothing of one source
 * waits for another beyond its bounded run.
 *
 * Items are made through the sink, which api/ provides: the very code of
 * POST and PUT /api/v1/items (validation, the checker with the fit on the
 * centres' screens, the store, the publisher's hooks). The runner does
 * not know HTTP.
 */
#ifndef SRV_IMPORT_H
#define SRV_IMPORT_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "srv_store.h"

struct srv_import_sink {
    void *ctx;
    /* Creates (item_id 0) or edits item `item_id` from `body`, an item
     * body of POST /api/v1/items without organisation_id (the sink adds
     * the source's, or the item's version for an edit), made as the
     * source's created_by. 0 and *id; TAULU_EVALUE when the validation
     * or the checker refused it: *why is the API's error answer (JSON
     * text, malloc'd, the caller frees); another code when it failed. */
    int (*submit)(void *ctx, const struct srv_import_source *src,
                  const cJSON *body, int64_t item_id, int64_t *id, char **why);
    /* Withdraws the item at every centre. */
    int (*withdraw)(void *ctx, const struct srv_import_source *src,
                    int64_t item_id);
    /* Cancels or restores one occurrence (local date "YYYY-MM-DD"). */
    int (*cancel)(void *ctx, const struct srv_import_source *src,
                  int64_t item_id, const char *day, bool cancel);
    /* An image the source allows: checked and stored like an upload;
     * 0 and its sha256, TAULU_EVALUE refused, TAULU_EUNAVAIL (no
     * publishing: images cannot be kept). */
    int (*image)(void *ctx, const void *data, size_t len, char sha256[65]);
    /* A centre's facts changed (PTV): its screens get a new manifest. */
    void (*centre_changed)(void *ctx, int64_t centre_id);
};

struct srv_import_options {
    bool allow_loopback;    /* tests only: srv_fetch.h */
    long timeout_s;         /* one fetch */
    size_t max_bytes;       /* one answer (images: 8 MiB) */
    const char *user_agent; /* "Infotaulu (+<public_url>)" */
    int64_t run_deadline_s; /* one source's run, all its pages */
};

/* What one run did (also its counts JSON). */
struct srv_import_counts {
    size_t events, created, updated, unchanged, withdrawn, refused, skipped,
        dropped;
    bool not_modified;
};

/* Runs one source now, at `now`, and records how it went
 * (srv_store_import_status). 0 when it ran (its own failure is recorded,
 * not returned); a code when the store failed. */
int srv_import_run(struct srv_store *st, const struct srv_import_sink *sink,
                   const struct srv_import_options *o,
                   const struct srv_import_source *src, int64_t now,
                   struct srv_import_counts *counts);

/* The thread: runs the sources as they fall due. */
struct srv_importer;
int srv_importer_start(struct srv_store *st, const struct srv_import_sink *sink,
                       const struct srv_import_options *o,
                       struct srv_importer **out);
/* A source was added, changed or asked to run: look again now. */
void srv_importer_wake(struct srv_importer *im);
/* Stops after the source being run (its fetch ends by its timeout). */
void srv_importer_stop(struct srv_importer *im);

/* Minutes between runs: the default per kind, and the bounds. */
#define SRV_IMPORT_INTERVAL_MIN    15
#define SRV_IMPORT_INTERVAL_MAX    10080
#define SRV_IMPORT_INTERVAL_EVENTS 60
#define SRV_IMPORT_INTERVAL_PTV    1440
#define SRV_IMPORT_IMAGE_MAX       (8u * 1024u * 1024u)

#endif
