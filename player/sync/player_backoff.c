/*
 * player_backoff.c: exponential backoff with full jitter (see
 * player_backoff.h).
 */
#include "player_backoff.h"

uint32_t player_backoff_ms(unsigned attempt, uint32_t min_ms, uint32_t max_ms,
                           uint32_t random)
{
    uint64_t ceiling;

    if (min_ms == 0) {
        min_ms = 1;
    }
    if (max_ms < min_ms) {
        max_ms = min_ms;
    }
    ceiling = min_ms;
    /* Doubling stops at the cap, so this never overflows. */
    for (unsigned i = 1; i < attempt && ceiling < max_ms; i++) {
        ceiling *= 2;
    }
    if (ceiling > max_ms) {
        ceiling = max_ms;
    }
    /* Full jitter above the floor: uniform in [min_ms, ceiling]. */
    return min_ms + (uint32_t)((uint64_t)random % (ceiling - min_ms + 1));
}

unsigned player_backoff_reconnect_s(uint32_t random)
{
    return 1u + (unsigned)(random % PLAYER_RECONNECT_SPREAD_S);
}
