/*
 * srv_tally.c: counting refused anonymous attempts per address and minute
 * (see srv_tally.h). Fixed tables, no allocation per attempt: a flood
 * costs a lock and a short linear search, never memory.
 */
#include "srv_tally.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* The open window: SRV_TALLY_KEYS keyed slots, then one slot of other
 * addresses per reason. */
#define OPEN_SLOTS (SRV_TALLY_KEYS + SRV_TALLY_REASONS)
/* Closed windows waiting for a flush (normally one). The last
 * SRV_TALLY_REASONS of them take what no longer fits, per reason. */
#define CLOSED_SLOTS (4 * OPEN_SLOTS)

struct srv_tally {
    pthread_mutex_t mu;
    int64_t window; /* start of the open window; 0 = none yet */
    struct srv_tally_row open[OPEN_SLOTS];
    struct srv_tally_row closed[CLOSED_SLOTS];
    size_t nclosed;
};

struct srv_tally *srv_tally_new(void)
{
    struct srv_tally *t = calloc(1, sizeof(*t));

    if (t) {
        pthread_mutex_init(&t->mu, NULL);
    }
    return t;
}

void srv_tally_free(struct srv_tally *t)
{
    if (!t) {
        return;
    }
    pthread_mutex_destroy(&t->mu);
    free(t);
}

static void merge(struct srv_tally_row *into, const struct srv_tally_row *r)
{
    into->count += r->count;
    if (r->first < into->first) {
        into->first = r->first;
    }
    if (r->last > into->last) {
        into->last = r->last;
    }
    if (r->window < into->window) {
        into->window = r->window;
    }
}

/* Moves one row of the open window to the closed ones. When those are
 * full (nobody flushed for minutes), it is folded into an overflow row of
 * its reason, with no address and no account. */
static void close_row(struct srv_tally *t, const struct srv_tally_row *r)
{
    size_t i;
    struct srv_tally_row *o;

    if (t->nclosed < CLOSED_SLOTS - SRV_TALLY_REASONS) {
        t->closed[t->nclosed++] = *r;
        return;
    }
    for (i = t->nclosed; i-- > CLOSED_SLOTS - SRV_TALLY_REASONS;) {
        o = &t->closed[i];
        if (o->reason == r->reason) {
            merge(o, r);
            o->account_id = 0;
            return;
        }
    }
    if (t->nclosed < CLOSED_SLOTS) {
        o = &t->closed[t->nclosed++];
        *o = *r;
        o->addr[0] = '\0';
        o->account_id = 0;
        return;
    }
    /* More reasons than SRV_TALLY_REASONS: a programming error; keep the
     * count in the last row rather than lose it. */
    merge(&t->closed[CLOSED_SLOTS - 1], r);
}

static void close_window(struct srv_tally *t)
{
    size_t i;

    for (i = 0; i < OPEN_SLOTS; i++) {
        if (t->open[i].count) {
            close_row(t, &t->open[i]);
        }
    }
    memset(t->open, 0, sizeof(t->open));
}

static void copy_addr(char out[SRV_TALLY_ADDR], const char *addr)
{
    size_t n = strlen(addr);

    if (n >= SRV_TALLY_ADDR) {
        n = SRV_TALLY_ADDR - 1;
    }
    memcpy(out, addr, n);
    out[n] = '\0';
}

void srv_tally_add(struct srv_tally *t, const char *reason, const char *addr,
                   int64_t account_id, int64_t now)
{
    int64_t w = now - now % SRV_TALLY_WINDOW;
    struct srv_tally_row *slot = NULL, *r;
    size_t i;

    pthread_mutex_lock(&t->mu);
    if (w > t->window) {
        close_window(t);
        t->window = w;
    }
    /* A clock stepped back counts in the open window. */
    for (i = 0; i < SRV_TALLY_KEYS; i++) {
        r = &t->open[i];
        if (!r->count) {
            if (!slot) {
                slot = r;
            }
            continue;
        }
        if (r->reason == reason && r->account_id == account_id &&
            strcmp(r->addr, addr) == 0) {
            slot = r;
            break;
        }
    }
    if (slot && !slot->count) {
        slot->reason = reason;
        slot->account_id = account_id;
        slot->window = t->window;
        slot->first = now;
        copy_addr(slot->addr, addr);
    }
    if (!slot) {
        /* The window's keys are taken: the row of other addresses. */
        for (i = SRV_TALLY_KEYS; i < OPEN_SLOTS; i++) {
            r = &t->open[i];
            if (!r->count || r->reason == reason) {
                slot = r;
                break;
            }
        }
        if (!slot) {
            slot = &t->open[OPEN_SLOTS - 1];
        }
        if (!slot->count) {
            slot->reason = reason;
            slot->window = t->window;
            slot->first = now;
            slot->addr[0] = '\0';
        }
        slot->account_id = 0;
    }
    slot->count++;
    slot->last = now;
    pthread_mutex_unlock(&t->mu);
}

size_t srv_tally_flush(struct srv_tally *t, int64_t now, bool all,
                       void (*emit)(void *ctx, const struct srv_tally_row *),
                       void *ctx)
{
    struct srv_tally_row *rows;
    size_t n, i;

    rows = malloc(sizeof(t->closed));
    if (!rows) {
        return 0; /* tried again at the next flush */
    }
    pthread_mutex_lock(&t->mu);
    if (all || now - now % SRV_TALLY_WINDOW > t->window) {
        close_window(t);
    }
    n = t->nclosed;
    memcpy(rows, t->closed, n * sizeof(rows[0]));
    t->nclosed = 0;
    pthread_mutex_unlock(&t->mu);
    for (i = 0; i < n; i++) {
        emit(ctx, &rows[i]);
    }
    free(rows);
    return n;
}
