/*
 * player_fade.h: a cross-fade composed on 32-bit pixels, only where the
 * two pictures differ (plain C; the SDL edge feeds it pixels).
 *
 * A card change fades the new card over the old one. Most of a card is
 * its background, which is the same on both, and the header band is drawn
 * once per change, so blending the whole screen every frame (what SDL's
 * generic alpha blit of a full-screen texture does) wastes most of its
 * work, and so does handing whole frames to the display server.
 *
 * When the fade starts, the region is fed band by band (old and new
 * pixels, PLAYER_FADE_BAND rows at a time). Each band is split into cells
 * of PLAYER_FADE_CELL columns; cells where any pixel differs are joined
 * into spans (short runs of identical cells between them are kept in the
 * span, so that a text line is one span, not one per word), and only the
 * spans' old and new pixels are kept. A span that continues the previous
 * band's span with the same columns extends it, so a block of text lines
 * becomes one rectangle. Each frame then blends only the spans into the
 * output, and the spans are the rectangles to send to the screen.
 *
 * The blend is exact per channel: out = (old * (256 - a) + new * a) >> 8
 * with a in 0..256, so a pixel equal in both pictures never changes, a = 0
 * gives the old picture and a = 256 the new one, bit for bit. Pixels are
 * any 32-bit format with 8-bit channels (the same for old, new and out).
 *
 * Memory is allocated while the fade is prepared (once per card change,
 * proportional to the area that differs) and released by
 * player_fade_release(); a frame allocates nothing.
 */
#ifndef PLAYER_FADE_H
#define PLAYER_FADE_H

#include <stddef.h>
#include <stdint.h>

#define PLAYER_FADE_BAND 16 /* rows fed and compared at a time */
#define PLAYER_FADE_CELL 16 /* columns compared as one cell */
#define PLAYER_FADE_GAP  8  /* identical cells kept inside a span */

struct player_fade_span {
    int x, y, w, h; /* in the output's coordinates */
    size_t off;     /* first pixel in old_px / new_px (w * h of them) */
};

struct player_fade {
    int x, y, w, h; /* the region (output coordinates) */
    struct player_fade_span *spans;
    size_t n_spans, cap_spans;
    uint32_t *old_px, *new_px;
    size_t n_px, cap_px;
    unsigned char *cells; /* scratch: one flag per cell of a band */
    int n_cells;

    /* counters for tests and the debug log (since player_fade_begin) */
    uint64_t dirty_px;   /* pixels in the spans: blended each frame */
    unsigned frames;     /* frames blended */
    uint64_t blended_px; /* pixels blended over all frames */
};

/* An empty fade (no buffers). */
void player_fade_init(struct player_fade *f);

/* Starts preparing a fade of the region x, y, w, h (output coordinates).
 * Drops the spans of a previous fade but keeps its buffers. 0,
 * TAULU_EINVAL (empty region) or TAULU_ENOMEM. */
int player_fade_begin(struct player_fade *f, int x, int y, int w, int h);

/* Feeds rows y .. y + h - 1 of the region (h <= PLAYER_FADE_BAND; bands in
 * order from the region's top): `old` and `new` point at the band's first
 * pixel at the region's left edge, with their pitches in pixels. 0,
 * TAULU_EINVAL or TAULU_ENOMEM (the fade is then unusable: release it). */
int player_fade_add_band(struct player_fade *f, int y, int h,
                         const uint32_t *old, size_t old_pitch,
                         const uint32_t *new, size_t new_pitch);

/* Blends the spans at a (0..256, clamped) into `dst`, which points at
 * pixel (0, 0) of the output, pitch in pixels. Returns the pixels
 * blended. */
uint64_t player_fade_frame(struct player_fade *f, unsigned a, uint32_t *dst,
                           size_t dst_pitch);

/* One row: dst[i] = blend(old[i], new[i], a), a in 0..256. dst may be
 * old or new. */
void player_fade_blend_row(uint32_t *dst, const uint32_t *old,
                           const uint32_t *new, size_t n, unsigned a);

/* Frees the buffers; the fade is empty again. */
void player_fade_release(struct player_fade *f);

#endif
