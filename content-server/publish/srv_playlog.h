/*
 * srv_playlog.h: the play log's arithmetic, pure (no clock, no database):
 * a screen's status messages in, play spans out, and spans cut at local
 * midnights into per-day pieces. The publisher feeds it; srv_store keeps
 * the summarised rows (screen, item, centre, day, seconds).
 *
 * How time is credited: every status message credits the time since the
 * screen's previous message to the item that message said was on screen,
 * so a crash of the server loses at most one republish interval. What a
 * screen says is not taken on trust (a screen's account can publish
 * anything on its own status topic):
 *
 *   - only an item of the manifest the screen was last sent is credited,
 *     and only within that card's display window (and before its event
 *     ended): the publisher answers with a look-up (struct srv_play_items);
 *   - the duration is the SERVER's: the time between the arrival of the
 *     two messages, never more, so a flood of statuses with made-up `at`
 *     values credits no more than the seconds the flood took. The
 *     screen's `at` (when within SRV_PLAY_SKEW_S of the server's clock)
 *     can only make it shorter (a message queued in the network);
 *   - a credit is at most SRV_PLAY_BOUND_S (the players republish at
 *     least every 5 minutes, docs/protocol.md, plus slack): a screen that
 *     died without its last will, or lost its network, accrues at most
 *     that bound;
 *   - a message whose `at` equals the previous one's is a duplicate (QoS
 *     1 may deliver twice, or a replay) and is ignored; an `at` that goes
 *     back (a clock stepped back, a replay of an older message) credits
 *     nothing and counting starts again from it.
 *
 * An offline status (the last will), an alert on screen, or a card that
 * is not a current item of the screen's manifest closes the interval.
 * Spans are placed at the server's times.
 */
#ifndef SRV_PLAYLOG_H
#define SRV_PLAYLOG_H

#include <stdbool.h>
#include <stdint.h>

#include "taulu_time.h"

#define SRV_PLAY_REPUBLISH_S 300
#define SRV_PLAY_SLACK_S     60
#define SRV_PLAY_BOUND_S     (SRV_PLAY_REPUBLISH_S + SRV_PLAY_SLACK_S)
#define SRV_PLAY_SKEW_S      86400

/* One screen's open interval; zero-initialised = nothing on screen. */
struct srv_play_screen {
    bool showing;      /* an item is on screen and is being counted */
    int64_t item_id;   /* what is on screen */
    int64_t centre_id; /* where the screen was */
    int64_t last_rx;   /* server time the last status arrived */
    int64_t last_at;   /* its `at`, if believed; TAULU_NO_TIME otherwise */
    int64_t until;     /* the card stops being current then: no credit past */
};

/* Whether item `item` is a current card of the manifest the screen was
 * last sent, at `now`; if so *until is when it stops being current (its
 * display_until, or its event's end if earlier). The publisher answers
 * from what it built for the screen's centre. */
struct srv_play_items {
    bool (*shown)(void *ctx, int64_t item, int64_t now, int64_t *until);
    void *ctx;
};

/* Time shown: [start, end) on one screen. */
struct srv_play_span {
    int64_t item_id;
    int64_t centre_id;
    int64_t start, end;
};

/* A card id of a manifest ("i42", srv_item_wire_id()) -> item id. 0 and
 * *item, or TAULU_EVALUE for anything else (alerts "a7", "", junk). */
int srv_play_item_of(const char *card_id, int64_t *item);

/* One status message of a screen at centre `centre_id`: `online`, the card
 * on screen (may be "" or NULL), its `at` (TAULU_NO_TIME = absent), the
 * server's time `now` when it arrived, and what the screen's manifest
 * shows (`items`; NULL: nothing is credited). Returns 1 and fills *out
 * when time is credited, else 0. */
int srv_play_observe(struct srv_play_screen *s, int64_t centre_id, bool online,
                     const char *showing, int64_t at, int64_t now,
                     const struct srv_play_items *items,
                     struct srv_play_span *out);

/* Closes the interval of a screen not heard of for longer than the bound
 * (at most the bound is credited). 1 and *out, or 0. */
int srv_play_expire(struct srv_play_screen *s, int64_t now,
                    struct srv_play_span *out);

/* The first piece of `span` that lies within one local day of `tz`:
 * *day = "YYYY-MM-DD", *seconds; returns the start of the rest (== end
 * when done). Loop: `for (t = s.start; t < s.end;) t = split(...)`. */
#define SRV_PLAY_DAY_LEN 11
int64_t srv_play_split(int64_t start, int64_t end, const struct taulu_tz *tz,
                       char day[SRV_PLAY_DAY_LEN], int64_t *seconds);

#endif
