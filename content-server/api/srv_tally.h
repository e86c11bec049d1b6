/*
 * srv_tally.h: refused anonymous attempts, counted instead of written one
 * by one.
 *
 * Anyone can send a wrong password or trip the login limit, as often as
 * the network lets them. Writing one audit row per attempt let an
 * anonymous flood grow the (append-only) audit log without bound, and
 * stored whatever e-mail address each guess named. Instead, the login
 * handler adds each refusal here, keyed by (reason, client address group,
 * account id or 0), and one audit row per key and time window (a minute)
 * is written when the window has closed: "address X: 9,874 logins refused
 * as rate limited between 10:41:00 and 10:41:59".
 *
 * What anonymous traffic can write is bounded: at most SRV_TALLY_KEYS keys
 * are counted per window; a refusal whose key does not fit is added to
 * one "other addresses" row per reason and window. So a window writes at
 * most SRV_TALLY_KEYS + SRV_TALLY_REASONS rows, however many addresses
 * take part.
 *
 * Plain C, no database: srv_tally_flush() hands the closed windows' rows
 * to a callback (the API writes them to the audit log). Thread-safe.
 */
#ifndef SRV_TALLY_H
#define SRV_TALLY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SRV_TALLY_WINDOW  60 /* seconds */
#define SRV_TALLY_KEYS    64 /* keys counted per window */
#define SRV_TALLY_REASONS 4  /* distinct reasons (static strings) */
#define SRV_TALLY_ADDR    64 /* bytes of an address group, with NUL */

/* One row: `count` refusals for `reason` from `addr` (a client address
 * group; "" for the row of other addresses) naming account `account_id` (0:
 * none, or several for the row of other addresses) between `first` and `last`
 * (seconds since the epoch) in the window starting at `window`. */
struct srv_tally_row {
    const char *reason;
    char addr[SRV_TALLY_ADDR];
    int64_t account_id;
    uint64_t count;
    int64_t window, first, last;
};

struct srv_tally;

struct srv_tally *srv_tally_new(void);
void srv_tally_free(struct srv_tally *t);

/* Counts one refusal. `reason` must be a string that lives for the run
 * (a literal); at most SRV_TALLY_REASONS distinct ones. `now` in seconds
 * since the epoch. */
void srv_tally_add(struct srv_tally *t, const char *reason, const char *addr,
                   int64_t account_id, int64_t now);

/* Hands every row of the windows closed at `now` (with `all`, also of the
 * open one) to `emit`, oldest window first, and forgets them. Returns how
 * many rows were handed over. `emit` runs without the tally's lock. */
size_t srv_tally_flush(struct srv_tally *t, int64_t now, bool all,
                       void (*emit)(void *ctx, const struct srv_tally_row *),
                       void *ctx);

#endif
