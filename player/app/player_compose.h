/*
 * player_compose.h: the player's output (SDL edge): the window or the
 * headless surface, the card textures, and composing frames on them:
 * a card page, the header band over it, and the cross-fade from one card
 * to the next.
 *
 * Drawing model: a card page is drawn once into an opaque texture when it
 * comes up (`cur`; the next card into `next` while it fades in); the
 * header band is drawn over it on the output (its line textures are
 * cached). On the software renderer without rotation (the kiosk, and
 * headless runs) a cross-fade is composed on the output's own pixels:
 * both cards are read back once, only the spans where they differ are
 * kept (player_fade.h), the header is drawn once, and each step blends
 * the spans into the window surface and sends only those rectangles to
 * the display; the clock's minute redraws and sends only the header band.
 * Elsewhere (rotation, a GPU renderer) a fade copies the old card texture
 * and blends the new one over it, one surface-alpha blend per frame (the
 * baseline's REPORT.md: two per-pixel-alpha blends a frame cost seven
 * times the CPU). Between changes nothing is drawn.
 *
 * The first frame of the loop (screen or --frames) on a software output
 * the right way up: `cur` is not made yet (`cur_later`; it is 8 MiB at
 * 1080p that SDL zeroes page by page), the first card is drawn straight
 * onto the output, and player_compose_keep_card() makes `cur` after that
 * frame and paints the card into it again from its layout.
 *
 * What to show is decided elsewhere (player_show.h); this file only
 * carries it out. Everything here runs on the SDL thread.
 */
#ifndef PLAYER_COMPOSE_H
#define PLAYER_COMPOSE_H

#include <SDL2/SDL.h>
#include <stdbool.h>
#include <stdint.h>

#include "layout/card_layout.h"
#include "layout/theme.h"
#include "player_config.h"
#include "player_fade.h"
#include "render_model.h"
#include "sdl/draw.h"

struct player_compose_opts {
    bool headless;          /* a surface, no window */
    bool loop;              /* the real loop (screen, --frames), not shots */
    const char *frames_dir; /* --frames: a PNG per settled change; NULL */
    int64_t started_ms;     /* monotonic ms at main(), for the first frame */
    int rotation;           /* 0, 90, 180, 270 */
    int window;             /* enum player_window_cfg */
};

struct player_compose {
    struct player_compose_opts o;

    /* SDL */
    bool sdl, ttf; /* SDL_Init and TTF_Init done */
    SDL_Window *win;
    SDL_Renderer *r;
    SDL_Surface *surface; /* headless target */
    SDL_Texture *cur;     /* the card up */
    SDL_Texture *next;    /* the card coming up, only while it does */
    SDL_Texture *screen;  /* logical screen when the picture is rotated */
    int out_w, out_h;     /* renderer output */
    int w, h;             /* logical (as content is shown) */

    /* drawing */
    struct render_ctx *rctx;
    struct render_theme theme;
    struct render_frame frame;
    struct render_layout *layout; /* the card being drawn */
    struct render_page *header_page;
    bool header_ok;
    int card_page;  /* the page of `layout` drawn last */
    bool cur_later; /* see the top of this file */
    bool loading;   /* the card drawn last is the loading card */

    /* what the output shows */
    bool cur_valid; /* `cur` (or the output, while cur_later) has a card */
    bool dark;
    bool fading;

    /* the fade on the output's own pixels */
    bool fast;      /* this output allows it */
    bool fade_fast; /* the running fade is composed so */
    struct player_fade fade;
    SDL_Rect *fade_rects; /* [0] the header band, then the spans */
    size_t n_fade_rects;
    unsigned full_frames; /* whole frames composed (for the fade's log) */

    /* frames out */
    bool first_frame_done;
    unsigned frame_no;
};

/* An output with nothing open yet. 0 or TAULU_ENOMEM (then release). */
int player_compose_init(struct player_compose *c,
                        const struct player_compose_opts *o);
/* Frees textures, fonts, renderer and window, and quits SDL_ttf and SDL
 * when they were started here. Accepts an only-initialised struct. */
void player_compose_release(struct player_compose *c);

/* SDL (and, for the screen, the window w x h and its renderer) and
 * SDL_ttf. 0 or TAULU_EUNAVAIL (logged). */
int player_compose_open(struct player_compose *c, int w, int h);

/* The theme from `file` ("" or NULL: the built-in one; a bad file is
 * logged and the built-in one used). Applies at the next setup. */
void player_compose_load_theme(struct player_compose *c, const char *file);

/* Textures and the render context for `profile` (again after a reload or
 * a new output size). *remade is set when the card textures were made
 * anew (what was on them is gone). Ends a running fade without its last
 * step. 0 or an error (logged). */
int player_compose_setup(struct player_compose *c,
                         const struct render_profile *profile,
                         const char *font_dir, bool *remade);

/* Makes ready the texture a new card is drawn into: `cur` when in place
 * (or the output itself before the first frame), else `next`. 0 or
 * TAULU_ENOMEM. */
int player_compose_target(struct player_compose *c, bool in_place);

/* Lays out `card` and draws its page `page` (the last one if fewer) into
 * the target of player_compose_target(). A card that cannot be laid out
 * leaves the target as it was; one that fails while drawing in place
 * leaves the output without a card (cur_valid false). 0 or an error. */
int player_compose_draw(struct player_compose *c,
                        const struct render_card *card, int page,
                        bool in_place);

/* Lays out the header band (drawn over the card at the next frame). */
int player_compose_header(struct player_compose *c,
                          const struct render_header *h);

/* The card drawn is up at once (a cut): `next` becomes `cur` unless it
 * was drawn in place, then one frame, and it is settled. */
void player_compose_cut(struct player_compose *c, bool in_place);

/* The card drawn into `next` fades in; this composes the first step at
 * `alpha` (0..256). */
void player_compose_fade_begin(struct player_compose *c, int alpha);
/* A later step. */
void player_compose_fade_step(struct player_compose *c, int alpha);
/* The last step: the new card exactly, then settled. Nothing when no fade
 * runs. */
void player_compose_fade_end(struct player_compose *c);

/* Black, settled. */
void player_compose_dark(struct player_compose *c);

/* The header again after the minute (on a fast output only its band is
 * drawn and sent to the screen). */
void player_compose_clock(struct player_compose *c);

/* One whole frame: the card, the header on top (alpha 0; during a fade
 * use the fade's calls). */
void player_compose_frame(struct player_compose *c);

/* After the loop's first frame: makes `cur` (see the top of this file).
 * 0 or TAULU_ENOMEM. */
int player_compose_keep_card(struct player_compose *c);

/* The window was exposed: the picture again (all of it, mid-fade). */
void player_compose_exposed(struct player_compose *c);

/* Reads the output's size again; true when it changed. */
bool player_compose_resized(struct player_compose *c);

/* The output as a PNG (headless), or the screen read back. */
void player_compose_save(struct player_compose *c, const char *path);
void player_compose_screenshot(struct player_compose *c, const char *path);

#endif
