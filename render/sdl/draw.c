/*
 * draw.c: draws laid-out pages, QR codes and images; see draw.h.
 */
#include "draw.h"

#include <SDL2/SDL_image.h>
#include <qrencode.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "taulu_err.h"
#include "taulu_log.h"

#define TAG "render"

#define CACHE_ENTRIES 1024
#define CACHE_BYTES   (96u * 1024u * 1024u)
#define QR_QUIET      4 /* modules of light margin on each side */

struct render_ctx {
    SDL_Renderer *r;
    struct render_profile profile;
    struct render_sizes sizes;
    struct render_theme theme;
    struct render_frame frame;
    struct render_text *text;
    struct render_texcache *cache;
    struct render_measurer measurer;
};

int render_ctx_new(SDL_Renderer *renderer, const char *font_dir,
                   const struct render_profile *profile,
                   const struct render_theme *theme, struct render_ctx **out)
{
    if (!renderer || !font_dir || !profile || !out) {
        return TAULU_EINVAL;
    }
    if (!theme) {
        theme = render_theme_default();
    }
    int rc = render_theme_check(theme);
    if (rc < 0) {
        return rc;
    }
    struct render_ctx *c = calloc(1, sizeof *c);
    if (!c) {
        return TAULU_ENOMEM;
    }
    c->r = renderer;
    c->profile = *profile;
    c->theme = *theme;
    rc = render_sizes_compute(profile, &c->sizes);
    if (rc < 0) {
        goto out;
    }
    rc = render_text_new(font_dir, &c->sizes, &c->text);
    if (rc < 0) {
        goto out;
    }
    render_text_measurer(c->text, &c->measurer);
    render_frame_compute(profile, &c->sizes, &c->measurer, &c->frame);
    rc = render_texcache_new(renderer, CACHE_ENTRIES, CACHE_BYTES, &c->cache);
out:
    if (rc < 0) {
        render_ctx_free(c);
        return rc;
    }
    *out = c;
    return TAULU_OK;
}

void render_ctx_free(struct render_ctx *ctx)
{
    if (!ctx) {
        return;
    }
    render_texcache_free(ctx->cache);
    render_text_free(ctx->text);
    free(ctx);
}

void render_ctx_set_cache_budget(struct render_ctx *ctx, size_t max_bytes)
{
    if (ctx) {
        render_texcache_set_budget(ctx->cache, max_bytes);
    }
}

const struct render_sizes *render_ctx_sizes(const struct render_ctx *ctx)
{
    return &ctx->sizes;
}

const struct render_theme *render_ctx_theme(const struct render_ctx *ctx)
{
    return &ctx->theme;
}

void render_ctx_frame(const struct render_ctx *ctx, struct render_frame *out)
{
    *out = ctx->frame;
}

struct render_text *render_ctx_text(struct render_ctx *ctx)
{
    return ctx->text;
}

void render_ctx_stats(const struct render_ctx *ctx,
                      struct render_cache_stats *out)
{
    render_texcache_stats(ctx->cache, out);
}

int render_ctx_layout_card(struct render_ctx *ctx,
                           const struct render_card *card,
                           struct render_layout *out)
{
    if (!ctx) {
        return TAULU_EINVAL;
    }
    return render_layout_card(card, &ctx->profile, &ctx->sizes, &ctx->measurer,
                              out);
}

int render_ctx_layout_header(struct render_ctx *ctx,
                             const struct render_header *header,
                             struct render_page *out)
{
    if (!ctx) {
        return TAULU_EINVAL;
    }
    return render_layout_header(header, &ctx->profile, &ctx->sizes,
                                &ctx->measurer, out);
}

struct render_rgb render_ctx_colour(const struct render_ctx *ctx,
                                    enum render_colour role, int category)
{
    const struct render_theme *t = &ctx->theme;
    switch (role) {
    case RENDER_COL_BG:
        return t->bg;
    case RENDER_COL_TEXT:
        return t->text;
    case RENDER_COL_SECONDARY:
        return t->secondary;
    case RENDER_COL_HEADER_BG:
        return t->header_bg;
    case RENDER_COL_HEADER_TEXT:
        return t->header_text;
    case RENDER_COL_ALERT_BG:
        return t->alert_bg;
    case RENDER_COL_ALERT_TEXT:
        return t->alert_text;
    case RENDER_COL_BACKING:
        return t->backing;
    case RENDER_COL_BACKING_TEXT:
        return t->backing_text;
    case RENDER_COL_CHIP_TEXT:
        return t->chip_text;
    case RENDER_COL_RULE:
        return t->rule;
    case RENDER_COL_CATEGORY:
        if (category >= 0 && category < RENDER_CATEGORY_COUNT) {
            return t->category[category];
        }
        return t->chip_unknown;
    }
    return t->text;
}

static void fill(struct render_ctx *ctx, int x, int y, int w, int h,
                 struct render_rgb c)
{
    SDL_Rect rc = {x, y, w, h};
    if (SDL_SetRenderDrawColor(ctx->r, c.r, c.g, c.b, 255) != 0 ||
        SDL_RenderFillRect(ctx->r, &rc) != 0) {
        taulu_warn(TAG, "SDL_RenderFillRect: %s", SDL_GetError());
    }
}

static void draw_text(struct render_ctx *ctx, enum render_font font,
                      struct render_rgb fg, int x, int y, int lh, const char *s,
                      size_t len)
{
    int w = 0, h = 0;
    SDL_Texture *tex = render_text_line(ctx->text, ctx->cache, ctx->r, font, fg,
                                        s, len, &w, &h);
    if (!tex) {
        return;
    }
    /* the glyph box centred in the line box, like a CSS line */
    SDL_Rect dst = {x, y + (lh - h) / 2, w, h};
    if (SDL_RenderCopy(ctx->r, tex, NULL, &dst) != 0) {
        taulu_warn(TAG, "SDL_RenderCopy: %s", SDL_GetError());
    }
}

/* The QR code as a texture: whole pixels per module, a 4-module quiet
 * zone, black on white whatever the theme (phones read that best). */
static SDL_Texture *qr_texture(struct render_ctx *ctx, const char *link,
                               size_t len, int box, int *side)
{
    int w = 0, h = 0;
    SDL_Texture *tex = render_texcache_get(ctx->cache, RENDER_TEX_QR,
                                           (uint32_t)box, link, len, &w, &h);
    if (tex) {
        *side = w;
        return tex;
    }
    char *str = malloc(len + 1);
    if (!str) {
        return NULL;
    }
    memcpy(str, link, len);
    str[len] = '\0';
    QRcode *qr = QRcode_encodeString(str, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    free(str);
    if (!qr) {
        taulu_warn(TAG, "QRcode_encodeString: %s (link not shown)",
                   strerror(errno));
        return NULL;
    }
    int total = qr->width + 2 * QR_QUIET;
    int mod = box / total;
    SDL_Surface *surf = NULL;
    if (mod < 1) {
        taulu_warn(TAG, "QR code does not fit %d px", box);
        goto out;
    }
    int px = total * mod;
    surf =
        SDL_CreateRGBSurfaceWithFormat(0, px, px, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!surf) {
        taulu_warn(TAG, "SDL_CreateRGBSurfaceWithFormat: %s", SDL_GetError());
        goto out;
    }
    Uint32 light = SDL_MapRGB(surf->format, 255, 255, 255);
    Uint32 dark = SDL_MapRGB(surf->format, 0, 0, 0);
    SDL_FillRect(surf, NULL, light);
    for (int y = 0; y < qr->width; y++) {
        for (int x = 0; x < qr->width; x++) {
            if (qr->data[y * qr->width + x] & 1) {
                SDL_Rect m = {(x + QR_QUIET) * mod, (y + QR_QUIET) * mod, mod,
                              mod};
                SDL_FillRect(surf, &m, dark);
            }
        }
    }
    tex = SDL_CreateTextureFromSurface(ctx->r, surf);
    if (!tex) {
        taulu_warn(TAG, "SDL_CreateTextureFromSurface: %s", SDL_GetError());
        goto out;
    }
    if (render_texcache_put(ctx->cache, RENDER_TEX_QR, (uint32_t)box, link, len,
                            tex, px, px) < 0) {
        tex = NULL;
        goto out;
    }
    *side = px;
out:
    SDL_FreeSurface(surf);
    QRcode_free(qr);
    return tex;
}

/* The image scaled (bilinear, once) to fit w x h with its aspect kept. */
static SDL_Texture *image_texture(struct render_ctx *ctx,
                                  const struct render_image *im, int bw, int bh,
                                  int *tw, int *th)
{
    const char *key = im->key && im->key[0] ? im->key : im->path;
    uint32_t param = ((uint32_t)bw << 16) | (uint32_t)(bh & 0xFFFF);
    SDL_Texture *tex = NULL;
    if (key) {
        tex = render_texcache_get(ctx->cache, RENDER_TEX_IMAGE, param, key,
                                  strlen(key), tw, th);
        if (tex) {
            return tex;
        }
    }
    SDL_Surface *src = NULL, *conv = NULL, *scaled = NULL;
    if (im->path && im->path[0]) {
        src = IMG_Load(im->path);
        if (!src) {
            taulu_warn(TAG, "IMG_Load %s: %s", im->path, IMG_GetError());
            goto out;
        }
    } else if (im->rgba && im->width > 0 && im->height > 0 &&
               im->stride >= im->width * 4) {
        src = SDL_CreateRGBSurfaceWithFormatFrom(
            (void *)(uintptr_t)im->rgba, im->width, im->height, 32, im->stride,
            SDL_PIXELFORMAT_RGBA32);
        if (!src) {
            taulu_warn(TAG, "SDL_CreateRGBSurfaceWithFormatFrom: %s",
                       SDL_GetError());
            goto out;
        }
    } else {
        goto out;
    }
    conv = SDL_ConvertSurfaceFormat(src, SDL_PIXELFORMAT_ARGB8888, 0);
    if (!conv) {
        taulu_warn(TAG, "SDL_ConvertSurfaceFormat: %s", SDL_GetError());
        goto out;
    }
    double sx = (double)bw / conv->w, sy = (double)bh / conv->h;
    double sc = sx < sy ? sx : sy;
    int dw = (int)(conv->w * sc), dh = (int)(conv->h * sc);
    dw = dw < 1 ? 1 : dw;
    dh = dh < 1 ? 1 : dh;
    scaled =
        SDL_CreateRGBSurfaceWithFormat(0, dw, dh, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!scaled || SDL_SoftStretchLinear(conv, NULL, scaled, NULL) != 0) {
        taulu_warn(TAG, "scaling the image: %s", SDL_GetError());
        goto out;
    }
    tex = SDL_CreateTextureFromSurface(ctx->r, scaled);
    if (!tex) {
        taulu_warn(TAG, "SDL_CreateTextureFromSurface: %s", SDL_GetError());
        goto out;
    }
    *tw = dw;
    *th = dh;
    if (key && render_texcache_put(ctx->cache, RENDER_TEX_IMAGE, param, key,
                                   strlen(key), tex, dw, dh) < 0) {
        tex = NULL;
    }
out:
    SDL_FreeSurface(scaled);
    SDL_FreeSurface(conv);
    SDL_FreeSurface(src);
    return tex;
}

static int measure_secondary(void *ctx, const char *s, size_t len)
{
    return render_text_measure(ctx, RENDER_FONT_SECONDARY, s, len);
}

/* In place of an image that cannot be shown: its text alternative on a
 * solid backing, as many lines as fit. */
static void draw_alt(struct render_ctx *ctx, const struct render_box *b)
{
    fill(ctx, b->x, b->y, b->w, b->h, ctx->theme.backing);
    if (!b->text || b->len == 0) {
        return;
    }
    int pad = ctx->sizes.gap, lh = ctx->sizes.secondary_line;
    struct render_line lines[8];
    struct render_lb_result res;
    struct render_lb_params p = {.max_width =
                                     b->w - 2 * pad > 1 ? b->w - 2 * pad : 1,
                                 .measure = measure_secondary,
                                 .measure_ctx = ctx->text};
    if (render_linebreak(b->text, b->len, &p, lines, 8, &res) < 0) {
        return;
    }
    int y = b->y + pad;
    for (size_t i = 0; i < res.n && y + lh <= b->y + b->h; i++) {
        char vis[RENDER_LINE_VISIBLE_MAX + 8];
        size_t n = render_visible_text(
            b->text + lines[i].start, lines[i].end - lines[i].start,
            (lines[i].flags & RENDER_LINE_HYPHEN) != 0, vis, sizeof vis);
        draw_text(ctx, RENDER_FONT_SECONDARY, ctx->theme.backing_text,
                  b->x + pad, y, lh, vis, n);
        y += lh;
    }
}

int render_draw_page(struct render_ctx *ctx, const struct render_page *pg)
{
    if (!ctx || !pg) {
        return TAULU_EINVAL;
    }
    render_texcache_frame(ctx->cache);
    SDL_SetRenderDrawBlendMode(ctx->r, SDL_BLENDMODE_NONE);
    for (size_t i = 0; i < pg->n; i++) {
        const struct render_box *b = &pg->boxes[i];
        switch (b->kind) {
        case RENDER_BOX_FILL:
            fill(ctx, b->x, b->y, b->w, b->h,
                 render_ctx_colour(ctx, b->bg, b->category));
            break;
        case RENDER_BOX_TEXT: {
            /* what the line shows: soft hyphens out, a drawn hyphen in */
            char vis[RENDER_LINE_VISIBLE_MAX + 8];
            size_t len = render_box_visible(pg, b, vis, sizeof vis);
            if (len > 0) {
                draw_text(ctx, b->font,
                          render_ctx_colour(ctx, b->fg, b->category), b->x,
                          b->y, b->h, vis, len);
            }
            break;
        }
        case RENDER_BOX_QR: {
            int side = 0;
            int box = b->w < b->h ? b->w : b->h;
            SDL_Texture *t = qr_texture(ctx, b->text, b->len, box, &side);
            if (t) {
                SDL_Rect dst = {b->x, b->y, side, side};
                if (SDL_RenderCopy(ctx->r, t, NULL, &dst) != 0) {
                    taulu_warn(TAG, "SDL_RenderCopy: %s", SDL_GetError());
                }
            }
            break;
        }
        case RENDER_BOX_IMAGE: {
            int tw = 0, th = 0;
            SDL_Texture *t =
                b->image ? image_texture(ctx, b->image, b->w, b->h, &tw, &th)
                         : NULL;
            if (!t) {
                draw_alt(ctx, b);
                break;
            }
            /* left aligned, sitting on its caption */
            SDL_Rect dst = {b->x, b->y + b->h - th, tw, th};
            if (SDL_RenderCopy(ctx->r, t, NULL, &dst) != 0) {
                taulu_warn(TAG, "SDL_RenderCopy: %s", SDL_GetError());
            }
            if (!b->image->key && !b->image->path) {
                SDL_DestroyTexture(t); /* uncached pixels */
            }
            break;
        }
        }
    }
    return TAULU_OK;
}
