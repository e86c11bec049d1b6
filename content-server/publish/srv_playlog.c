/*
 * srv_playlog.c: status messages -> play spans -> per-day pieces (see
 * srv_playlog.h).
 */
#include "srv_playlog.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taulu_err.h"
#include "taulu_manifest.h"

int srv_play_item_of(const char *card_id, int64_t *item)
{
    char *end;
    long long v;
    size_t len;

    *item = 0;
    if (!card_id || card_id[0] != 'i' || card_id[1] < '1' || card_id[1] > '9') {
        return TAULU_EVALUE;
    }
    len = strnlen(card_id, TAULU_MANIFEST_MAX_ID + 1);
    if (len > 20) {
        return TAULU_EVALUE;
    }
    errno = 0;
    v = strtoll(card_id + 1, &end, 10);
    if (errno || *end != '\0' || v <= 0) {
        return TAULU_EVALUE;
    }
    *item = (int64_t)v;
    return 0;
}

/* The time since the previous message that this one credits, or 0 (see
 * the header): the server's time between the two arrivals, shortened by
 * the screen's own clock when it says less, capped, and cut at the card's
 * end. */
static int credit(const struct srv_play_screen *s, int64_t at, int64_t now,
                  struct srv_play_span *out)
{
    int64_t d, end;

    if (!s->showing) {
        return 0;
    }
    d = now - s->last_rx;
    if (at != TAULU_NO_TIME && s->last_at != TAULU_NO_TIME &&
        at - s->last_at < d) {
        d = at - s->last_at;
    }
    if (d <= 0) {
        return 0; /* the same second, or a clock that stepped back */
    }
    if (d > SRV_PLAY_BOUND_S) {
        d = SRV_PLAY_BOUND_S;
    }
    end = s->last_rx + d;
    if (end > s->until) {
        end = s->until;
    }
    if (end <= s->last_rx) {
        return 0;
    }
    out->item_id = s->item_id;
    out->centre_id = s->centre_id;
    out->start = s->last_rx;
    out->end = end;
    return 1;
}

int srv_play_observe(struct srv_play_screen *s, int64_t centre_id, bool online,
                     const char *showing, int64_t at, int64_t now,
                     const struct srv_play_items *items,
                     struct srv_play_span *out)
{
    int64_t item = 0, until = 0;
    int got;

    memset(out, 0, sizeof *out);
    /* The screen's clock is only believed near the server's. */
    if (at != TAULU_NO_TIME &&
        (at > now + SRV_PLAY_SKEW_S || at < now - SRV_PLAY_SKEW_S)) {
        at = TAULU_NO_TIME;
    }
    if (s->showing && at != TAULU_NO_TIME && at == s->last_at) {
        return 0; /* a duplicate: nothing new, nothing changes */
    }
    got = credit(s, at, now, out);
    if (at != TAULU_NO_TIME && s->last_at != TAULU_NO_TIME && at < s->last_at) {
        got = 0; /* stepped back, or replayed: restart from here */
        memset(out, 0, sizeof *out);
    }
    if (online && srv_play_item_of(showing, &item) == 0 && items &&
        items->shown && items->shown(items->ctx, item, now, &until) &&
        until > now) {
        s->showing = true;
        s->item_id = item;
        s->centre_id = centre_id;
        s->last_rx = now;
        s->last_at = at;
        s->until = until;
    } else {
        memset(s, 0, sizeof *s);
        s->last_at = TAULU_NO_TIME;
    }
    return got;
}

int srv_play_expire(struct srv_play_screen *s, int64_t now,
                    struct srv_play_span *out)
{
    int got;

    memset(out, 0, sizeof *out);
    if (!s->showing || now - s->last_rx <= SRV_PLAY_BOUND_S) {
        return 0;
    }
    got = credit(s, TAULU_NO_TIME, s->last_rx + SRV_PLAY_BOUND_S, out);
    memset(s, 0, sizeof *s);
    s->last_at = TAULU_NO_TIME;
    return got;
}

int64_t srv_play_split(int64_t start, int64_t end, const struct taulu_tz *tz,
                       char day[SRV_PLAY_DAY_LEN], int64_t *seconds)
{
    struct taulu_civil c;
    int64_t next;

    day[0] = '\0';
    *seconds = 0;
    if (end <= start || taulu_time_to_civil(start, tz, &c) < 0) {
        return end > start ? end : start;
    }
    next = taulu_time_next_midnight(start, tz);
    if (next > end || next <= start) {
        next = end;
    }
    snprintf(day, SRV_PLAY_DAY_LEN, "%04d-%02d-%02d", c.year, c.month, c.day);
    *seconds = next - start;
    return next;
}
