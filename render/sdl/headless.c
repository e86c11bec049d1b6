/*
 * headless.c: a card and the header to pixels or PNG with no window; see
 * headless.h.
 */
#include "headless.h"

#include <SDL2/SDL_image.h>
#include <SDL2/SDL_ttf.h>
#include <stdlib.h>

#include "taulu_err.h"
#include "taulu_log.h"

#define TAG "render"

struct render_headless {
    SDL_Surface *surface;
    SDL_Renderer *renderer;
    struct render_ctx *ctx;
    struct render_layout *layout; /* large: on the heap */
    struct render_page *header;
    bool ttf;
};

void render_headless_free(struct render_headless *h)
{
    if (!h) {
        return;
    }
    render_ctx_free(h->ctx);
    if (h->renderer) {
        SDL_DestroyRenderer(h->renderer);
    }
    SDL_FreeSurface(h->surface);
    free(h->layout);
    free(h->header);
    if (h->ttf) {
        TTF_Quit();
    }
    free(h);
}

int render_headless_new(const char *font_dir,
                        const struct render_profile *profile,
                        const struct render_theme *theme,
                        struct render_headless **out)
{
    if (!font_dir || !profile || !out) {
        return TAULU_EINVAL;
    }
    struct render_sizes sz;
    int rc = render_sizes_compute(profile, &sz);
    if (rc < 0) {
        return rc;
    }
    struct render_headless *h = calloc(1, sizeof *h);
    if (!h) {
        return TAULU_ENOMEM;
    }
    h->layout = calloc(1, sizeof *h->layout);
    h->header = calloc(1, sizeof *h->header);
    if (!h->layout || !h->header) {
        rc = TAULU_ENOMEM;
        goto out;
    }
    if (SDL_Init(0) != 0) {
        taulu_err(TAG, "SDL_Init: %s", SDL_GetError());
        rc = TAULU_EUNAVAIL;
        goto out;
    }
    if (TTF_Init() != 0) {
        taulu_err(TAG, "TTF_Init: %s", TTF_GetError());
        rc = TAULU_EUNAVAIL;
        goto out;
    }
    h->ttf = true;
    /* Decoders are loaded on first use; IMG_Init only makes it early. */
    IMG_Init(IMG_INIT_PNG | IMG_INIT_JPG);
    h->surface = SDL_CreateRGBSurfaceWithFormat(
        0, profile->width, profile->height, 32, SDL_PIXELFORMAT_RGBA32);
    if (!h->surface) {
        taulu_err(TAG, "SDL_CreateRGBSurfaceWithFormat: %s", SDL_GetError());
        rc = TAULU_ENOMEM;
        goto out;
    }
    h->renderer = SDL_CreateSoftwareRenderer(h->surface);
    if (!h->renderer) {
        taulu_err(TAG, "SDL_CreateSoftwareRenderer: %s", SDL_GetError());
        rc = TAULU_EUNAVAIL;
        goto out;
    }
    rc = render_ctx_new(h->renderer, font_dir, profile, theme, &h->ctx);
out:
    if (rc < 0) {
        render_headless_free(h);
        return rc;
    }
    *out = h;
    return TAULU_OK;
}

int render_headless_draw(struct render_headless *h,
                         const struct render_card *card,
                         const struct render_header *header, size_t page,
                         size_t *n_pages)
{
    if (!h || !card || !header) {
        return TAULU_EINVAL;
    }
    int rc = render_ctx_layout_card(h->ctx, card, h->layout);
    if (rc < 0) {
        return rc;
    }
    if (n_pages) {
        *n_pages = h->layout->n_pages;
    }
    if (page >= h->layout->n_pages) {
        return TAULU_EINVAL;
    }
    rc = render_ctx_layout_header(h->ctx, header, h->header);
    if (rc < 0) {
        return rc;
    }
    const struct render_theme *t = render_ctx_theme(h->ctx);
    SDL_SetRenderDrawColor(h->renderer, t->bg.r, t->bg.g, t->bg.b, 255);
    SDL_RenderClear(h->renderer);
    render_draw_page(h->ctx, h->header);
    render_draw_page(h->ctx, &h->layout->pages[page]);
    if (SDL_RenderFlush(h->renderer) != 0) {
        taulu_warn(TAG, "SDL_RenderFlush: %s", SDL_GetError());
    }
    return TAULU_OK;
}

void render_headless_pixels(const struct render_headless *h,
                            const uint8_t **rgba, int *width, int *height,
                            int *pitch)
{
    *rgba = h->surface->pixels;
    *width = h->surface->w;
    *height = h->surface->h;
    *pitch = h->surface->pitch;
}

int render_headless_save_png(const struct render_headless *h, const char *path)
{
    if (!h || !path) {
        return TAULU_EINVAL;
    }
    if (IMG_SavePNG(h->surface, path) != 0) {
        taulu_err(TAG, "IMG_SavePNG %s: %s", path, IMG_GetError());
        return TAULU_EIO;
    }
    return TAULU_OK;
}

const struct render_layout *
render_headless_layout(const struct render_headless *h)
{
    return h->layout;
}

const struct render_page *
render_headless_header(const struct render_headless *h)
{
    return h->header;
}

struct render_ctx *render_headless_ctx(struct render_headless *h)
{
    return h->ctx;
}

int render_headless_png(const char *font_dir,
                        const struct render_profile *profile,
                        const struct render_theme *theme,
                        const struct render_card *card,
                        const struct render_header *header, size_t page,
                        const char *path)
{
    struct render_headless *h = NULL;
    int rc = render_headless_new(font_dir, profile, theme, &h);
    if (rc < 0) {
        return rc;
    }
    rc = render_headless_draw(h, card, header, page, NULL);
    if (rc == 0) {
        rc = render_headless_save_png(h, path);
    }
    render_headless_free(h);
    return rc;
}
