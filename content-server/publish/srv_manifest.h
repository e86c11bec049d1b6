/*
 * srv_manifest.h: the manifest builder, a pure function from what the
 * database says about one centre (a "snapshot") to the manifest its screens
 * get, and the signer that turns a screen's manifest into the signed blob.
 *
 * Nothing here touches the database, the clock or the network: the caller
 * passes `now` and the snapshot, so the same input always gives the same
 * bytes (tests rely on it, and so does change detection).
 *
 * Building is split in two because every screen of a centre shows the same
 * cards: srv_manifest_build_content() makes the centre's part once (cards,
 * alerts, assets, centre facts); srv_manifest_for_screen() puts a screen's
 * id, profile, seq and build time around it without copying anything.
 *
 * What goes in (and nothing else):
 *   - placements that are approved, whose item version is the approved one
 *     (so a link, or any text, that no contact person has seen never
 *     reaches a screen: scenario 8), and whose display window contains
 *     `now`; events also only until they end (a recurring one: until its
 *     last occurrence ends);
 *   - for a recurring event, its rule and the occurrences that end after
 *     `now` and start before the display window closes, at most
 *     TAULU_MANIFEST_MAX_OCCURRENCES of them (the earliest), cancelled
 *     ones marked: what a screen needs for weeks offline. The card's
 *     event spans them. When more are to come than fit, the end of the
 *     first listed one is a change (srv_manifest_next_change()), so the
 *     list moves on;
 *   - alerts for this centre or for all centres that are current at `now`
 *     and have not been ended by hand;
 *   - the image of a card only if the asset is known (size, dimensions).
 * Cards are ordered: events by start (then end, then id), then bulletins
 * newest display start first (then id). Alerts by start, then id.
 */
#ifndef SRV_MANIFEST_H
#define SRV_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "taulu_buf.h"
#include "taulu_crypto.h"
#include "taulu_manifest.h"
#include "taulu_recur.h"

/* One language version of an item or alert (borrowed strings; optional
 * ones NULL or ""). */
struct srv_snap_text {
    const char *lang;
    bool plain;
    const char *title;
    const char *body;
    const char *summary; /* the short screen text; NULL or "" = none */
    const char *place;
    const char *price;
    const char *registration;
    const char *contact;
    const char *image_alt;
};

/* An item as of the version a placement shows. */
struct srv_snap_item {
    int64_t id;
    int64_t version;
    enum taulu_card_kind kind;
    const char *category; /* wire key, "health" */
    const char *org_name;
    int64_t event_start, event_end; /* events only */
    enum taulu_flag free, step_free, induction_loop;
    const char *link;         /* NULL = none */
    const char *image_sha256; /* NULL = none */
    const struct srv_snap_text *texts;
    size_t n_texts;
    /* A recurring event: its series (first occurrence = event_start,
     * event_end; cancelled dates included), in the zone `tz`; NULL for
     * anything else. */
    const struct taulu_series *series;
};

struct srv_snap_placement {
    int64_t id;
    bool approved;            /* state is "approved" */
    int64_t approved_version; /* the item version the approver saw */
    int64_t display_from, display_until;
    const struct srv_snap_item *item;
};

struct srv_snap_alert {
    int64_t id;
    int64_t centre_id; /* 0 = every centre */
    int64_t from, until;
    int64_t ended_at;                  /* 0 = not ended by hand */
    const struct srv_snap_text *texts; /* title and body used */
    size_t n_texts;
};

struct srv_snap_asset {
    char sha256[TAULU_SHA256_HEX_LEN + 1];
    int64_t size;
    enum taulu_media_type type;
    int width, height;
};

/* Soft hyphens for the screens (content-server/check/check_hyph.h behind a
 * function pointer, so that the builder stays free of dictionaries):
 * appends `s` with soft hyphens in its long words, the whole at most `max`
 * bytes. 0 or a negative code (then the text is used as it is). */
struct srv_soften {
    int (*text)(void *ctx, const char *lang, const char *s, size_t max,
                struct taulu_buf *out);
    void *ctx;
};

/* The item's public page at its short address, "<base>/p/<centre>/<item>"
 * (the same page as /public/centres/<centre>/items/<item>; base without
 * its trailing '/'), into out: what a card's link (its QR
 * code) is when public_url is set. 0, TAULU_EINVAL (no base), TAULU_ELIMIT
 * (does not fit `size`). The fit check lays cards out with the same
 * link, so the QR code it leaves room for is the one the screens get. */
int srv_manifest_public_link(const char *base, int64_t centre_id,
                             int64_t item_id, char *out, size_t size);

/* The texts of a card version as the screens get them: each text the card
 * shows (title, body, summary, place, price, registration, contact) with
 * soft hyphens in its long words, within the manifest's limit for that
 * field. The one place that decides it, for the manifests and for the
 * fit check at submission (which must lay out what a screen will get).
 * A changed text is kept with keep(keep_ctx, bytes, len), which returns a
 * NUL-terminated copy or NULL (out of memory). sf NULL or without text():
 * nothing changes. 0 or TAULU_ENOMEM. */
int srv_manifest_soften(
    const struct srv_soften *sf, struct taulu_card_version *v,
    const char *(*keep)(void *ctx, const char *s, size_t len), void *keep_ctx);

/* Everything about one centre that its screens' manifests depend on. The
 * centre's own part of the manifest (`centre`) is copied as given; its
 * strings are borrowed until the content is freed. */
struct srv_snapshot {
    int64_t centre_db_id;
    struct taulu_centre centre;
    const struct srv_snap_placement *placements;
    size_t n_placements;
    const struct srv_snap_alert *alerts;
    size_t n_alerts;
    const struct srv_snap_asset *assets; /* lookup table for images */
    size_t n_assets;
    struct srv_soften soften; /* soft hyphens; text NULL: none */
    /* The public web pages' base URL (public_url, no trailing '/'), or
     * NULL: with it, every card's link (its QR code) is the item's public
     * page, <base>/p/<centre>/<item> (srv_manifest_public_link()), where the
     * item's own link is shown; without it, the item's own link. */
    const char *public_base;
    /* When the centre's opening hours change by themselves (a dated
     * exception enters or leaves the week: srv_hours.h); 0 = never. A
     * change for srv_manifest_next_change(). */
    int64_t hours_until;
};

/* Wire ids of database rows: "i<id>" for items, "a<id>" for alerts,
 * "c<id>" for centres and "screen-<id>" for screens (also the MQTT user
 * name). 0 or TAULU_EINVAL for id <= 0. */
#define SRV_WIRE_ID_MAX 32
int srv_item_wire_id(int64_t id, char out[SRV_WIRE_ID_MAX]);
int srv_alert_wire_id(int64_t id, char out[SRV_WIRE_ID_MAX]);
int srv_centre_wire_id(int64_t id, char out[SRV_WIRE_ID_MAX]);
int srv_screen_wire_id(int64_t id, char out[SRV_WIRE_ID_MAX]);
/* The other way: "screen-17" -> 17. 0 or TAULU_EVALUE. */
int srv_screen_id_parse(const char *s, int64_t *id);

/* Why an approved card or a current alert is not in the manifest. The API
 * refuses what the manifest cannot carry, so this is for what was stored
 * before that, or over the manifest's counts; nothing is left out
 * silently: the publisher shows these to the contact person (the centre's
 * live status, the item's placements) and counts them in /metrics. */
#define SRV_REFUSAL_REASON_MAX 200
struct srv_manifest_refusal {
    bool alert;           /* an alert; else an item's card */
    int64_t id;           /* the item's or the alert's id */
    int64_t placement_id; /* cards: the placement (0 for alerts) */
    char reason[SRV_REFUSAL_REASON_MAX]; /* "versions[0].title: too long" */
};

/* A growing list (malloc'd); zero-initialised is empty. */
struct srv_manifest_refusals {
    struct srv_manifest_refusal *v;
    size_t n, cap;
};
void srv_manifest_refusals_release(struct srv_manifest_refusals *r);

/* Fills `content` (a manifest from taulu_manifest_new(), empty) with the
 * centre, cards, alerts and assets current at `now`. Strings are copied
 * into content's arena, so the snapshot may go away afterwards. screen_id,
 * profile, seq and built_at are left for srv_manifest_for_screen(). A card
 * or alert that a player would refuse (checked alone with the manifest's
 * own rules), or that is over the manifest's counts, is left out, never
 * the whole centre, and added to `refused` (may be NULL) with the reason.
 * 0 or TAULU_ENOMEM. */
int srv_manifest_build_content(const struct srv_snapshot *snap, int64_t now,
                               struct taulu_manifest *content,
                               struct srv_manifest_refusals *refused);

/* The next instant after `now` at which the content of this snapshot
 * changes by itself (a window opens or closes, an event ends, an alert
 * starts or ends), or INT64_MAX if none. The publisher's timer sleeps
 * until the earliest of these over all centres. */
int64_t srv_manifest_next_change(const struct srv_snapshot *snap, int64_t now);

/* A screen's manifest: a shallow copy of `content` (pointers shared: do not
 * free `out`, and keep `content` alive while `out` is used) with the
 * screen's own fields. */
void srv_manifest_for_screen(const struct taulu_manifest *content,
                             const char *screen_id,
                             const struct taulu_profile *profile, int64_t seq,
                             int64_t built_at, struct taulu_manifest *out);

/* A digest of what a screen would be shown: sha256 of the manifest written
 * with seq 0 and built_at 0. Equal digests mean nothing visible changed, so
 * no new seq and no new pointer are needed. `scratch` is a work buffer
 * (reset here). 0 or the code of taulu_manifest_write(); on a validation
 * error `why` (may be NULL) says which field. */
int srv_manifest_digest(const struct taulu_manifest *m,
                        struct taulu_buf *scratch,
                        char out[TAULU_SHA256_HEX_LEN + 1],
                        struct taulu_buf *why);

/* Writes and signs: `signed_out` receives the signed blob and `sha256` the
 * hex sha256 of the whole blob (the ETag and the pointer's hash).
 * `scratch` is a work buffer. 0 or the code of taulu_manifest_write() /
 * taulu_manifest_sign(). */
int srv_manifest_sign(const struct taulu_manifest *m,
                      const uint8_t sk[TAULU_SIGN_SK_LEN],
                      struct taulu_buf *scratch, struct taulu_buf *signed_out,
                      char sha256[TAULU_SHA256_HEX_LEN + 1],
                      struct taulu_buf *why);

#endif
