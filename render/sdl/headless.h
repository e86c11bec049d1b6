/*
 * headless.h: render a card and the header to pixels or a PNG with no
 * window (SDL edge).
 *
 * Uses SDL's software renderer on a surface; needs no video driver, only
 * SDL_Init(0) and TTF_Init() (done here; render_headless_free matches the
 * TTF_Init, and SDL_Init(0) starts no subsystem, so there is nothing to
 * quit: a player's own SDL_Init/SDL_Quit are left alone). Used by the
 * tests' golden images, the server's preview (pixel-identical to the
 * screen, which runs the same layout and drawing code) and remote
 * screenshots. The instant shown is the one the caller formatted into the
 * header and the card's "when" strings.
 *
 * Threads: SDL_Init, like any SDL error, makes the calling thread's SDL
 * error buffer, which SDL frees only for threads it started (and for the
 * caller of SDL_Quit). A caller on threads of its own calls
 * SDL_TLSCleanup() on each before it ends (the server's srv_render.c does
 * after every call). A canvas may be drawn again and again: the frame is
 * cleared first, so it is the same as a new canvas's.
 */
#ifndef RENDER_HEADLESS_H
#define RENDER_HEADLESS_H

#include <stddef.h>
#include <stdint.h>

#include "../layout/card_layout.h"
#include "../layout/sizing.h"
#include "../layout/theme.h"
#include "draw.h"

struct render_headless;

/* A canvas of the profile's size. `theme` NULL means the default theme.
 * 0, TAULU_EINVAL, TAULU_EVALUE (theme refused), TAULU_ENOMEM or
 * TAULU_EUNAVAIL (SDL or the fonts failed; logged). */
int render_headless_new(const char *font_dir,
                        const struct render_profile *profile,
                        const struct render_theme *theme,
                        struct render_headless **out);
void render_headless_free(struct render_headless *h);

/* Lays out the card and draws its page `page` (0-based) with the header.
 * *n_pages (may be NULL) gets the card's number of pages. 0, TAULU_EINVAL
 * (page out of range), TAULU_EUTF8 (bad strings). The card and header are
 * only read during the call. */
int render_headless_draw(struct render_headless *h,
                         const struct render_card *card,
                         const struct render_header *header, size_t page,
                         size_t *n_pages);

/* The pixels of the last draw: 8-bit R, G, B, A bytes, `pitch` bytes a
 * row; valid until the next draw or free (borrowed). */
void render_headless_pixels(const struct render_headless *h,
                            const uint8_t **rgba, int *width, int *height,
                            int *pitch);

/* Writes the last draw as a PNG. 0 or TAULU_EIO (logged). */
int render_headless_save_png(const struct render_headless *h, const char *path);

/* The layout and header page of the last draw (for tests and previews that
 * want to know where things are). */
const struct render_layout *
render_headless_layout(const struct render_headless *h);
const struct render_page *
render_headless_header(const struct render_headless *h);
struct render_ctx *render_headless_ctx(struct render_headless *h);

/* One call: canvas, draw, PNG, free. */
int render_headless_png(const char *font_dir,
                        const struct render_profile *profile,
                        const struct render_theme *theme,
                        const struct render_card *card,
                        const struct render_header *header, size_t page,
                        const char *path);

#endif
