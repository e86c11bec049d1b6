/*
 * player_cards.h: a schedule entry + the manifest + now -> the card the
 * renderer draws (struct render_card). Plain C. The header band over it is
 * render_map_header()'s, the same builder the server's preview uses.
 *
 * Dates and times come from common/taulu_datefmt ("Tänään ti 24.11. klo
 * 14–16") in the card's language, computed from `now` and the centre's zone
 * at the moment the card is mapped, so relative labels are right whenever a
 * card comes up (the player maps again at every card change and at
 * midnight). Meta rows are written in the card's language: "Maksuton" /
 * "Avgiftsfri" / "Free", "Esteetön" / "Hinderfri" / "Step-free",
 * "Induktiosilmukka" / "Induktionsslinga" / "Hearing loop",
 * "Ilmoittautuminen: ...". A language the player has no words for (say
 * "se") gets the Finnish ones, the county's language.
 *
 * Ownership: the render_card points into the manifest (borrowed: keep it
 * alive while the card is used) and into the player_card_buf's own
 * buffers, which keep their memory between calls, so mapping the next card
 * does not allocate once the buffers have grown.
 */
#ifndef PLAYER_CARDS_H
#define PLAYER_CARDS_H

#include <stddef.h>
#include <stdint.h>

#include "taulu_buf.h"
#include "taulu_manifest.h"
#include "taulu_time.h"

#include "player_schedule.h"
#include "render_map.h"
#include "render_model.h"

/* Where an asset's file is: writes the path of the asset with this sha256
 * and returns 0, or a negative code when it is not there (the image's alt
 * text is then shown in its place). */
struct player_assets {
    int (*path)(void *ctx, const char *sha256, char *buf, size_t size);
    void *ctx;
};

/* Texts the player writes itself (the closed card's body); a bulletin's or
 * an event's texts are in `map` (render_map.h). */
enum player_card_text { PLAYER_TXT_BODY = 0, PLAYER_TXT_COUNT };

struct player_card_buf {
    struct render_card card;
    struct render_agenda_row rows[PLAYER_AGENDA_MAX_ROWS];
    struct taulu_buf text[PLAYER_TXT_COUNT];
    struct taulu_buf day[PLAYER_AGENDA_MAX_ROWS];
    struct taulu_buf time[PLAYER_AGENDA_MAX_ROWS];
    struct taulu_buf title[PLAYER_AGENDA_MAX_ROWS]; /* "Peruttu: ..." */
    char image_path[1024];
    struct render_map_buf map; /* bulletin and event cards (render_map.h) */
};

/* What the loading card says. */
enum player_loading_state {
    PLAYER_LOADING_FETCHING = 0, /* fetching, with progress */
    PLAYER_LOADING_OFFLINE,      /* the network is down */
    PLAYER_LOADING_UNCONFIGURED, /* no server configured and no cache */
    PLAYER_LOADING_ERROR,        /* the server refused or sent bad data */
    PLAYER_LOADING_ENROL,        /* not set up: the enrolment code */
};

void player_card_buf_init(struct player_card_buf *b);
void player_card_buf_release(struct player_card_buf *b);

/* Maps one entry at `now`. `next_open` is the schedule's next opening (for
 * the closed card). `assets` may be NULL (no images). 0, TAULU_EINVAL (an
 * entry that does not match the manifest) or TAULU_ENOMEM / TAULU_ELIMIT. */
int player_cards_map(struct player_card_buf *out,
                     const struct taulu_manifest *m, const struct taulu_tz *tz,
                     const struct player_entry *e, int64_t now,
                     int64_t next_open, const struct player_assets *assets);

/* The loading card (start with an empty cache), in `lang`. */
int player_cards_loading(struct player_card_buf *out, const char *lang,
                         enum player_loading_state state, unsigned items_done,
                         unsigned items_total, uint64_t bytes_done,
                         uint64_t bytes_total);

/* The enrolment card of a screen not set up yet (player_enrol.h): the
 * code as the title, the largest text on the card; how to use it in
 * Finnish, Swedish and English; and `link` (the web UI's screens page
 * with the code, may be NULL) as a QR code, which the renderer draws at
 * its size floor or larger. `code` and `link` are borrowed. Without a
 * code yet (the server not reached), the card says it is waiting. */
int player_cards_enrol(struct player_card_buf *out, const char *code,
                       const char *link);

/* A pager for player_schedule that needs no fonts: every slot is one page
 * whose dwell is the renderer's dwell (render_dwell_ms) of the mapped card.
 * ctx must be a struct player_card_buf (initialised). Used by the tests and
 * as the fallback when the layout cannot be made. */
int player_cards_pager(void *ctx, const struct taulu_manifest *m,
                       const struct taulu_tz *tz,
                       const struct player_entry *slot, int64_t now,
                       unsigned dwell_ms[], size_t cap);

#endif
