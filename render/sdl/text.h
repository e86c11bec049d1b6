/*
 * text.h: fonts, measuring and line textures (SDL_ttf edge).
 *
 * Opens Atkinson Hyperlegible Regular and Bold at the sizes of sizing.h,
 * with DejaVu Sans (Regular, Bold) as a per-glyph fallback: a line is split
 * into runs by which font has each glyph (TTF_GlyphIsProvided32), so a
 * Sámi ŋ in an Atkinson line comes from DejaVu while the rest stays
 * Atkinson. At start-up it checks that å ä ö Å Ä Ö – … € are covered by
 * the primary or the fallback fonts and refuses to start otherwise. If
 * Atkinson cannot be opened, DejaVu becomes the primary font (logged): a
 * kiosk keeps showing text.
 */
#ifndef RENDER_TEXT_H
#define RENDER_TEXT_H

#include <SDL2/SDL.h>
#include <stddef.h>

#include "../layout/card_layout.h"
#include "../layout/sizing.h"
#include "../layout/theme.h"
#include "texcache.h"

struct render_text;

/* Opens the fonts in `font_dir` (the project's fonts/) at the sizes of
 * `sizes` (copied). TTF_Init() must have been called. 0, TAULU_EINVAL,
 * TAULU_ENOMEM, TAULU_EUNAVAIL (no usable font, or the coverage check
 * failed; SDL_ttf's message is logged). */
int render_text_new(const char *font_dir, const struct render_sizes *sizes,
                    struct render_text **out);
void render_text_free(struct render_text *t);

/* Width in pixels of utf8[0..len) in a font, with per-glyph fallback. */
int render_text_measure(struct render_text *t, enum render_font font,
                        const char *utf8, size_t len);
/* A measurer for card_layout.h that calls render_text_measure. */
void render_text_measurer(struct render_text *t, struct render_measurer *out);

/* TTF_FontHeight of a font (ascent + descent). */
int render_text_height(const struct render_text *t, enum render_font font);

/* The texture of one line of text in a colour, from the cache or rendered
 * now and cached. NULL on failure (logged). */
SDL_Texture *render_text_line(struct render_text *t, struct render_texcache *c,
                              SDL_Renderer *r, enum render_font font,
                              struct render_rgb fg, const char *utf8,
                              size_t len, int *w, int *h);

/* 1 if the code point is provided by the primary or the fallback regular
 * font, else 0. */
int render_text_covers(const struct render_text *t, uint32_t cp);

#endif
