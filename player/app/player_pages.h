/*
 * player_pages.h: the pager of the player's schedule (struct player_pager,
 * player_schedule.h) with the real fonts: how many pages a slot (one card
 * in one language) needs and how long each stays, from the card laid out
 * for this screen. The loop is paged again at every card change, so the
 * answer is kept per slot until the local day changes (a card's dates,
 * and so its length, can only change at midnight) or the fonts change.
 *
 * Without a render context (no fonts yet) it answers as
 * player_cards_pager() does: one page per slot with the text's dwell.
 *
 * It also keeps each card's verdict (one page, pages, or not shown whole
 * on this screen), which the player reports in its status
 * (player_pages_fit()).
 *
 * Ownership: the render context and the assets are borrowed (set them
 * again with player_pages_use() when the context is made anew); the
 * rest is the struct's own, freed by player_pages_release().
 */
#ifndef PLAYER_PAGES_H
#define PLAYER_PAGES_H

#include <stddef.h>
#include <stdint.h>

#include "taulu_manifest.h"
#include "taulu_time.h"

#include "layout/card_layout.h"
#include "player_cards.h"
#include "player_schedule.h"
#include "sdl/draw.h"

#define PLAYER_PAGES_SLOTS 2048 /* open addressing, 8 probes */

struct player_pages_slot;

struct player_pages {
    struct player_pages_slot *slots;    /* PLAYER_PAGES_SLOTS */
    int64_t day;                        /* local midnight the slots are for */
    struct render_layout *scratch;      /* the layout being measured */
    struct player_card_buf buf;         /* the card being measured */
    struct render_ctx *rctx;            /* borrowed; NULL: no fonts */
    const struct player_assets *assets; /* borrowed (images' sizes) */
};

/* 0 or TAULU_ENOMEM (then release it). */
int player_pages_init(struct player_pages *p,
                      const struct player_assets *assets);
/* Accepts an only-initialised (or zeroed) struct. */
void player_pages_release(struct player_pages *p);

/* Forgets every slot (the options or the fonts changed). */
void player_pages_clear(struct player_pages *p);

/* The render context to lay out with from now on (NULL: none); clears. */
void player_pages_use(struct player_pages *p, struct render_ctx *rctx);

/* The pager function: ctx is a struct player_pages. A slot that cannot be
 * laid out is logged and left out of the loop (a negative code); one
 * longer than RENDER_MAX_PAGES is cut, with a log line. */
int player_pages_count(void *ctx, const struct taulu_manifest *m,
                       const struct taulu_tz *tz,
                       const struct player_entry *slot, int64_t now,
                       unsigned dwell_ms[], size_t cap);

/* The cards of `m` (the manifest paged since the last clear) that the
 * layouts made so far do not show as one card, one page
 * (render_verdict_gate(): the reading the server's gate uses): into
 * lost[] the ids of those not shown whole in some language, into paged[]
 * those shown whole but on pages (or with a word broken at a syllable).
 * Each card once, in manifest order, at most `cap` each; the ids are
 * borrowed from m. Returns nothing: *n_lost and *n_paged say how many. */
void player_pages_fit(const struct player_pages *p,
                      const struct taulu_manifest *m, const char *lost[],
                      size_t *n_lost, const char *paged[], size_t *n_paged,
                      size_t cap);

#endif
