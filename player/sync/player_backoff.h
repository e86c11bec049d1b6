/*
 * player_backoff.h: retry delays with exponential backoff and full jitter,
 * so that a few hundred screens that lost the server at the same moment do
 * not all come back at the same moment.
 */
#ifndef PLAYER_BACKOFF_H
#define PLAYER_BACKOFF_H

#include <stdint.h>

/* The delay before retry number `attempt` (1 = the first retry): a value
 * in [min_ms, ceiling] where ceiling = min(max_ms, min_ms * 2^(attempt-1)),
 * chosen by `random` (any 32-bit value; uniform random values give a
 * uniform delay). min_ms 0 is taken as 1; max_ms below min_ms as min_ms. */
uint32_t player_backoff_ms(unsigned attempt, uint32_t min_ms, uint32_t max_ms,
                           uint32_t random);

/* The broker's reconnect delay after a lost connection, in whole
 * seconds (libmosquitto's unit): 1..PLAYER_RECONNECT_SPREAD_S, chosen by
 * `random`. Screens that lost the broker together (a broker restart)
 * then come back spread over that many seconds instead of in the same
 * one; libmosquitto doubles it after each failed try, up to 60 s. */
#define PLAYER_RECONNECT_SPREAD_S 5
unsigned player_backoff_reconnect_s(uint32_t random);

#endif
