/*
 * player_pages.c: the schedule's pager with the real fonts, cached per
 * local day (see player_pages.h).
 */
#include "player_pages.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "taulu_err.h"
#include "taulu_log.h"

#include "layout/dwell.h"

#define TAG "player"

/* A slot's pages as the layout made them, for the day they were made. */
struct player_pages_slot {
    bool used;
    enum player_entry_kind kind;
    int index;
    char lang[TAULU_LANG_MAX + 1];
    int n;
    unsigned dwell[PLAYER_MAX_PAGES];
    enum render_gate gate; /* the layout's verdict, as one card, one page */
};

static uint32_t slot_hash(const struct player_entry *e)
{
    uint32_t h = 2166136261u;
    const char *p;

    h = (h ^ (uint32_t)e->kind) * 16777619u;
    h = (h ^ (uint32_t)(e->index + 1)) * 16777619u;
    for (p = e->lang; *p; p++) {
        h = (h ^ (unsigned char)*p) * 16777619u;
    }
    return h;
}

int player_pages_init(struct player_pages *p,
                      const struct player_assets *assets)
{
    memset(p, 0, sizeof *p);
    player_card_buf_init(&p->buf);
    p->day = INT64_MIN;
    p->assets = assets;
    p->slots = calloc(PLAYER_PAGES_SLOTS, sizeof *p->slots);
    p->scratch = calloc(1, sizeof *p->scratch);
    return p->slots && p->scratch ? 0 : TAULU_ENOMEM;
}

void player_pages_release(struct player_pages *p)
{
    if (!p) {
        return;
    }
    player_card_buf_release(&p->buf);
    free(p->slots);
    free(p->scratch);
    p->slots = NULL;
    p->scratch = NULL;
}

void player_pages_clear(struct player_pages *p)
{
    size_t i;

    for (i = 0; p->slots && i < PLAYER_PAGES_SLOTS; i++) {
        p->slots[i].used = false;
    }
}

void player_pages_use(struct player_pages *p, struct render_ctx *rctx)
{
    p->rctx = rctx;
    player_pages_clear(p);
}

int player_pages_count(void *ctx, const struct taulu_manifest *m,
                       const struct taulu_tz *tz,
                       const struct player_entry *slot, int64_t now,
                       unsigned dwell_ms[], size_t cap)
{
    struct player_pages *p = ctx;
    struct player_pages_slot *ps = NULL;
    uint32_t h = slot_hash(slot) % PLAYER_PAGES_SLOTS;
    int64_t day = taulu_time_day_start(now, tz);
    size_t i, probe;
    int err, n;

    if (day != p->day) {
        player_pages_clear(p);
        p->day = day;
    }
    for (probe = 0; probe < 8; probe++) {
        struct player_pages_slot *s =
            &p->slots[(h + probe) % PLAYER_PAGES_SLOTS];

        if (!s->used) {
            ps = s;
            break;
        }
        if (s->kind == slot->kind && s->index == slot->index &&
            strcmp(s->lang, slot->lang) == 0) {
            for (i = 0; i < (size_t)s->n && i < cap; i++) {
                dwell_ms[i] = s->dwell[i];
            }
            return (int)i;
        }
    }
    if (!p->rctx) {
        return player_cards_pager(&p->buf, m, tz, slot, now, dwell_ms, cap);
    }
    err = player_cards_map(&p->buf, m, tz, slot, now, TAULU_NO_TIME, p->assets);
    if (err == 0) {
        err = render_ctx_layout_card(p->rctx, &p->buf.card, p->scratch);
    }
    if (err < 0) {
        taulu_warn(TAG, "left out of the loop: %s %d (%s): %s",
                   slot->kind == PLAYER_ENTRY_ALERT ? "alert" : "card",
                   slot->index, slot->lang, taulu_strerror(err));
        return err;
    }
    if (p->scratch->truncated) {
        taulu_warn(TAG, "card %d (%s) cannot be shown whole here", slot->index,
                   slot->lang);
    }
    n = (int)p->scratch->n_pages;
    if (n < 1) {
        n = 1;
        p->scratch->pages[0].dwell_ms = render_dwell_ms(&p->buf.card);
    }
    if ((size_t)n > cap) {
        n = (int)cap;
    }
    for (i = 0; i < (size_t)n; i++) {
        dwell_ms[i] = p->scratch->pages[i].dwell_ms;
    }
    if (ps) {
        ps->used = true;
        ps->kind = slot->kind;
        ps->index = slot->index;
        memcpy(ps->lang, slot->lang, sizeof ps->lang);
        ps->n = n;
        memcpy(ps->dwell, dwell_ms, (size_t)n * sizeof dwell_ms[0]);
        ps->gate = render_verdict_gate(&p->scratch->verdict);
    }
    return n;
}

void player_pages_fit(const struct player_pages *p,
                      const struct taulu_manifest *m, const char *lost[],
                      size_t *n_lost, const char *paged[], size_t *n_paged,
                      size_t cap)
{
    /* the worst verdict of each card over its languages: 0 one page (or
     * not laid out), else 1 + enum render_gate */
    unsigned char worst[TAULU_MANIFEST_MAX_CARDS];
    size_t i;

    *n_lost = 0;
    *n_paged = 0;
    if (!m || !p->slots) {
        return;
    }
    memset(worst, 0, sizeof worst);
    for (i = 0; i < PLAYER_PAGES_SLOTS; i++) {
        const struct player_pages_slot *s = &p->slots[i];
        if (s->used && s->kind == PLAYER_ENTRY_CARD && s->index >= 0 &&
            (size_t)s->index < m->n_cards &&
            (size_t)s->index < TAULU_MANIFEST_MAX_CARDS &&
            s->gate != RENDER_GATE_ONE_PAGE &&
            1 + (unsigned)s->gate > worst[s->index]) {
            worst[s->index] = (unsigned char)(1 + s->gate);
        }
    }
    for (i = 0; i < m->n_cards && i < TAULU_MANIFEST_MAX_CARDS; i++) {
        if (worst[i] == 1 + RENDER_GATE_LOST && *n_lost < cap) {
            lost[(*n_lost)++] = m->cards[i].id;
        } else if (worst[i] == 1 + RENDER_GATE_PAGES && *n_paged < cap) {
            paged[(*n_paged)++] = m->cards[i].id;
        }
    }
}
