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

#endif
