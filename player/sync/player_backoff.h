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

#endif
