/*
 * srv_playlog.h: the play log's arithmetic, pure (no clock, no database):
 * a screen's status messages in, play spans out, and spans cut at local
 * midnights into per-day pieces. The publisher feeds it; srv_store keeps
 * the summarised rows (screen, item, centre, day, seconds).
 *
 * How time is credited: every status message credits the time since the
 * screen's previous message to the item that message said was on screen,
 * so a crash of the server loses at most one republish interval. A credit
 * is never negative and never longer than SRV_PLAY_BOUND_S (the players
 * republish at least every 5 minutes, docs/protocol.md, plus slack): a
 * screen that died without its last will, or lost its network, accrues
 * at most that bound. An offline status (the last will), an alert on
 * screen, or a card that is not an item closes the interval.
 *
 * Clock: the status's own `at` when present and within SRV_PLAY_SKEW_S of
 * the server's clock (durations then come from one clock, the player's);
 * otherwise the server's time of arrival, carried forward from the last
 * `at` so the two clocks are never subtracted from each other.
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
    int64_t last;      /* time of the last status (the clock above) */
    int64_t last_rx;   /* server time that status arrived */
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
 * server's time `now`. Returns 1 and fills *out when time is credited,
 * else 0. */
int srv_play_observe(struct srv_play_screen *s, int64_t centre_id, bool online,
                     const char *showing, int64_t at, int64_t now,
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
