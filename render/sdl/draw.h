/*
 * draw.h: draws laid-out pages onto an SDL_Renderer (SDL edge).
 *
 * struct render_ctx bundles what drawing needs: the renderer (borrowed),
 * the screen profile and sizes, the theme, the fonts and the texture
 * cache. The player makes one for its window's renderer; headless.h makes
 * one for a software renderer on a surface. The same code draws both, so
 * the server's preview is the screen's pixels.
 *
 * A typical player loop: lay out each card once when the manifest changes
 * (render_ctx_layout_card), draw a page into a target texture when it comes
 * up (render_draw_page), copy that texture each frame of a cross-fade, and
 * redraw the header when the minute changes (render_draw_page on the header
 * page). Drawing a page that was drawn before finds every texture in the
 * cache: no allocation, no rasterising.
 *
 * Failures while drawing (a missing image, a link too long for a QR code)
 * are logged and drawn around: the image's alt text on a solid backing in
 * its place, no QR code. A page always gets drawn.
 */
#ifndef RENDER_DRAW_H
#define RENDER_DRAW_H

#include <SDL2/SDL.h>

#include "../layout/card_layout.h"
#include "../layout/sizing.h"
#include "../layout/theme.h"
#include "texcache.h"
#include "text.h"

struct render_ctx;

/* `renderer` is borrowed and must outlive the context; the profile and the
 * theme are copied; the theme must pass render_theme_check() (else
 * TAULU_EVALUE). TTF_Init() must have been called. 0, TAULU_EINVAL,
 * TAULU_EVALUE, TAULU_ENOMEM or TAULU_EUNAVAIL (fonts). */
int render_ctx_new(SDL_Renderer *renderer, const char *font_dir,
                   const struct render_profile *profile,
                   const struct render_theme *theme, struct render_ctx **out);
void render_ctx_free(struct render_ctx *ctx);

const struct render_sizes *render_ctx_sizes(const struct render_ctx *ctx);
const struct render_theme *render_ctx_theme(const struct render_ctx *ctx);
void render_ctx_frame(const struct render_ctx *ctx, struct render_frame *out);
struct render_text *render_ctx_text(struct render_ctx *ctx);
void render_ctx_stats(const struct render_ctx *ctx,
                      struct render_cache_stats *out);

/* The texture cache's byte budget (render_texcache_set_budget()). */
void render_ctx_set_cache_budget(struct render_ctx *ctx, size_t max_bytes);

/* card_layout.h with this context's sizes and fonts. */
int render_ctx_layout_card(struct render_ctx *ctx,
                           const struct render_card *card,
                           struct render_layout *out);
int render_ctx_layout_header(struct render_ctx *ctx,
                             const struct render_header *header,
                             struct render_page *out);

/* Draws one page (a card page or the header) at its position on the
 * current render target; the page's area is filled first. 0, or
 * TAULU_EINVAL for NULL arguments. Failures of single boxes are logged and
 * skipped. */
int render_draw_page(struct render_ctx *ctx, const struct render_page *pg);

/* Colour of a role in the context's theme (category index for chips). */
struct render_rgb render_ctx_colour(const struct render_ctx *ctx,
                                    enum render_colour role, int category);

#endif
