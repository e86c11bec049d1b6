/*
 * player_app.h: the player's main loop (SDL edge) for the screen and for
 * headless runs, which share every line of scheduling, mapping, layout and
 * drawing so that a headless PNG is what the screen shows.
 *
 * The loop renders only on change. In the steady state it sleeps in
 * SDL_WaitEventTimeout until the next clock minute, the next card change,
 * the next schedule boundary or an event from the network threads; a card
 * change is one cross-fade of at most 1 s (one blend per frame, 20 frames
 * a second, only during the fade). Nothing else moves.
 */
#ifndef PLAYER_APP_H
#define PLAYER_APP_H

#include <stdbool.h>
#include <stdint.h>

#include "player_config.h"

enum player_mode {
    PLAYER_MODE_SCREEN = 0, /* a window (fullscreen), runs until stopped */
    PLAYER_MODE_SHOT,       /* headless: one PNG of entry `card` at `at` */
    PLAYER_MODE_ALL,        /* headless: one PNG per entry of the loop */
    PLAYER_MODE_FRAMES,     /* headless: the real loop, a PNG per change */
};

struct player_app_opts {
    enum player_mode mode;
    const char *config_path; /* for SIGHUP reloads (may be NULL) */
    bool config_path_is_default;
    char *const *overrides; /* the --key=value arguments, for reloads */
    size_t n_overrides;
    const char *manifest_file; /* a manifest (.json or signed) to show
                                  instead of the cache; NULL: the cache */
    int64_t at;                /* the instant to show / start the clock at;
                                  TAULU_NO_TIME: the system clock */
    int width, height;      /* --profile WxH (0: config, manifest, default) */
    const char *out;        /* SHOT/ALL: the PNG (ALL: "-NN" added) */
    int card;               /* SHOT: 1-based entry of the loop */
    const char *frames_dir; /* FRAMES: where frame-NNNN.png go */
    double seconds;         /* FRAMES/SCREEN: stop after (0: never) */
    int64_t started_ms;     /* monotonic ms at main(), for the first frame */
};

/* Runs the player; returns the process exit status (0 on a clean stop).
 * `cfg` is copied. */
int player_app_run(const struct player_config *cfg,
                   const struct player_app_opts *opts);

#endif
