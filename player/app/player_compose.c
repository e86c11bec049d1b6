/*
 * player_compose.c: the player's output and the frames composed on it:
 * card textures, the header band, cross-fades on the output's pixels or
 * by textures, PNG frames (see player_compose.h).
 */
#include "player_compose.h"

#include <SDL2/SDL_image.h>
#include <SDL2/SDL_ttf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "taulu_buf.h"
#include "taulu_err.h"
#include "taulu_file.h"
#include "taulu_log.h"
#include "taulu_time.h"

#define TAG "player"

/* Text line textures kept between draws: each card page is drawn once
 * into a texture of its own, so only the header's lines and a page's worth
 * are worth keeping (the renderer's default budget is sized for previews). */
#define TEXT_CACHE_BYTES (2u * 1024u * 1024u)

int player_compose_init(struct player_compose *c,
                        const struct player_compose_opts *o)
{
    memset(c, 0, sizeof *c);
    c->o = *o;
    c->theme = *render_theme_default();
    player_fade_init(&c->fade);
    c->layout = calloc(1, sizeof *c->layout);
    c->header_page = calloc(1, sizeof *c->header_page);
    return c->layout && c->header_page ? 0 : TAULU_ENOMEM;
}

static void fade_release(struct player_compose *c)
{
    player_fade_release(&c->fade);
    free(c->fade_rects);
    c->fade_rects = NULL;
    c->n_fade_rects = 0;
    c->fade_fast = false;
}

void player_compose_release(struct player_compose *c)
{
    if (!c) {
        return;
    }
    fade_release(c);
    render_ctx_free(c->rctx);
    c->rctx = NULL;
    if (c->cur) {
        SDL_DestroyTexture(c->cur);
    }
    if (c->next) {
        SDL_DestroyTexture(c->next);
    }
    if (c->screen) {
        SDL_DestroyTexture(c->screen);
    }
    if (c->r) {
        SDL_DestroyRenderer(c->r);
    }
    SDL_FreeSurface(c->surface);
    if (c->win) {
        SDL_DestroyWindow(c->win);
    }
    c->cur = c->next = c->screen = NULL;
    c->r = NULL;
    c->surface = NULL;
    c->win = NULL;
    if (c->ttf) {
        TTF_Quit();
        c->ttf = false;
    }
    if (c->sdl) {
        SDL_Quit();
        c->sdl = false;
    }
    free(c->layout);
    free(c->header_page);
    c->layout = NULL;
    c->header_page = NULL;
}

/* ---- opening ---- */

static int open_window(struct player_compose *c, int w, int h)
{
    Uint32 flags = 0;
    int x = SDL_WINDOWPOS_UNDEFINED, y = SDL_WINDOWPOS_UNDEFINED;

    if (c->o.window == PLAYER_WINDOW_FULLSCREEN) {
        flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
    } else if (c->o.window == PLAYER_WINDOW_BORDERLESS) {
        SDL_Rect b;

        if (SDL_GetDisplayBounds(0, &b) == 0) {
            x = b.x;
            y = b.y;
            w = b.w;
            h = b.h;
        }
        flags |= SDL_WINDOW_BORDERLESS;
    }
    c->win = SDL_CreateWindow("Infotaulu", x, y, w, h, flags);
    if (!c->win) {
        taulu_err(TAG, "SDL_CreateWindow: %s", SDL_GetError());
        return TAULU_EUNAVAIL;
    }
    SDL_DisableScreenSaver();
    SDL_ShowCursor(SDL_DISABLE);
    c->r = SDL_CreateRenderer(c->win, -1, SDL_RENDERER_SOFTWARE);
    if (!c->r) {
        /* A video driver with no plain window surface (KMSDRM in
         * SDL 2.26 has none): let SDL back it with the GPU, then any
         * renderer. A kiosk shows something rather than nothing. */
        taulu_warn(TAG, "software renderer: %s; trying SDL's choice",
                   SDL_GetError());
        SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "1");
        c->r = SDL_CreateRenderer(c->win, -1, SDL_RENDERER_SOFTWARE);
        if (!c->r) {
            c->r = SDL_CreateRenderer(c->win, -1, 0);
        }
    }
    if (!c->r) {
        taulu_err(TAG, "SDL_CreateRenderer: %s", SDL_GetError());
        return TAULU_EUNAVAIL;
    }
    if (SDL_GetRendererOutputSize(c->r, &c->out_w, &c->out_h) != 0) {
        SDL_GetWindowSize(c->win, &c->out_w, &c->out_h);
    }
    taulu_info(TAG, "video driver %s, output %dx%d",
               SDL_GetCurrentVideoDriver(), c->out_w, c->out_h);
    return 0;
}

int player_compose_open(struct player_compose *c, int w, int h)
{
    int rc;

    SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
    if (c->o.headless) {
        if (SDL_Init(SDL_INIT_EVENTS) != 0) {
            taulu_err(TAG, "SDL_Init: %s", SDL_GetError());
            return TAULU_EUNAVAIL;
        }
        c->sdl = true;
    } else {
        /* The software renderer, and no OpenGL behind the window surface:
         * GL on llvmpipe costs 0.5 s of start-up and 3x the memory on a
         * GPU-less kiosk PC (browser-baseline/REPORT.md, caveat 7). */
        SDL_SetHint(SDL_HINT_RENDER_DRIVER, "software");
        SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
        SDL_SetHint(SDL_HINT_VIDEO_ALLOW_SCREENSAVER, "0");
        SDL_SetHint(SDL_HINT_VIDEO_X11_NET_WM_BYPASS_COMPOSITOR, "1");
        /* On X, SDL_Init opens an input method, and Xlib's local one parses
         * the locale's whole compose table (C.UTF-8 and en_US.UTF-8: 5700
         * lines): 7 ms of a 70 ms start-up (docs/player.md). The player
         * takes no text input, so an empty table does; one the system
         * sets is kept. No other thread runs yet (setenv). */
        setenv("XCOMPOSEFILE", "/dev/null", 0);
        if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
            taulu_err(TAG, "SDL_Init: %s", SDL_GetError());
            return TAULU_EUNAVAIL;
        }
        c->sdl = true;
        rc = open_window(c, w, h);
        if (rc < 0) {
            return rc;
        }
    }
    if (TTF_Init() != 0) {
        taulu_err(TAG, "TTF_Init: %s", TTF_GetError());
        return TAULU_EUNAVAIL;
    }
    c->ttf = true;
    return 0;
}

void player_compose_load_theme(struct player_compose *c, const char *file)
{
    struct taulu_buf b;
    int rc, bad_line = 0;

    c->theme = *render_theme_default();
    if (!file || !file[0]) {
        return;
    }
    taulu_buf_init(&b, 64 * 1024);
    rc = taulu_file_read(file, &b);
    if (rc == 0) {
        rc = render_theme_parse(b.data, b.len, &c->theme, &bad_line);
    }
    if (rc < 0) {
        taulu_err(TAG, "%s:%d: theme not used (%s); the built-in one is", file,
                  bad_line, taulu_strerror(rc));
        c->theme = *render_theme_default();
    }
    taulu_buf_release(&b);
}

/* ---- textures and the render context ---- */

static SDL_Texture *make_target(struct player_compose *c)
{
    SDL_Texture *t = SDL_CreateTexture(c->r, SDL_PIXELFORMAT_RGB888,
                                       SDL_TEXTUREACCESS_TARGET, c->w, c->h);

    if (!t) {
        taulu_err(TAG, "SDL_CreateTexture %dx%d: %s", c->w, c->h,
                  SDL_GetError());
    }
    return t;
}

/* The second card texture exists only while a card comes up: between
 * changes one full-screen texture is enough, which keeps about 8 MiB
 * (1080p) out of the player's steady memory. */
static int ensure_next(struct player_compose *c)
{
    if (!c->next) {
        c->next = make_target(c);
    }
    return c->next ? 0 : TAULU_ENOMEM;
}

static void drop_next(struct player_compose *c)
{
    if (c->next && !c->fading) {
        SDL_DestroyTexture(c->next);
        c->next = NULL;
    }
}

/* The render context for the profile: fonts from font_dir, else the
 * project's default folder, else Debian's DejaVu (a kiosk shows text in
 * some font rather than nothing). */
static int make_ctx(struct player_compose *c,
                    const struct render_profile *profile, const char *font_dir)
{
    static const char *const fallbacks[] = {PLAYER_DEFAULT_FONT_DIR,
                                            "/usr/share/infotaulu/fonts",
                                            "/usr/share/fonts/truetype/dejavu"};
    size_t i;
    int rc;

    render_ctx_free(c->rctx);
    c->rctx = NULL;
    rc = render_ctx_new(c->r, font_dir, profile, &c->theme, &c->rctx);
    for (i = 0;
         rc == TAULU_EUNAVAIL && i < sizeof fallbacks / sizeof fallbacks[0];
         i++) {
        taulu_warn(TAG, "fonts in %s: %s; trying %s", font_dir,
                   taulu_strerror(rc), fallbacks[i]);
        rc = render_ctx_new(c->r, fallbacks[i], profile, &c->theme, &c->rctx);
    }
    if (rc < 0) {
        taulu_err(TAG, "no usable fonts: %s", taulu_strerror(rc));
        return rc;
    }
    render_ctx_frame(c->rctx, &c->frame);
    if (c->o.loop) {
        render_ctx_set_cache_budget(c->rctx, TEXT_CACHE_BYTES);
    }
    c->header_ok = false;
    return 0;
}

/* What the renderer draws on when the target is NULL: the window's
 * surface (software renderer) or the headless surface. */
static SDL_Surface *out_surface(struct player_compose *c)
{
    if (c->o.headless) {
        return c->surface;
    }
    return c->win ? SDL_GetWindowSurface(c->win) : NULL;
}

/* Fades can be composed on the output's pixels: the software renderer
 * draws straight onto a 32-bit surface we can read and write, and the
 * picture is not turned (a turned one goes through c->screen). */
static bool can_fade_fast(struct player_compose *c)
{
    SDL_RendererInfo info;
    SDL_Surface *s;

    if (c->screen || SDL_GetRendererInfo(c->r, &info) != 0 ||
        strcmp(info.name, "software") != 0) {
        return false;
    }
    s = out_surface(c);
    return s && s->format->BytesPerPixel == 4 && s->w >= c->w && s->h >= c->h;
}

int player_compose_setup(struct player_compose *c,
                         const struct render_profile *profile,
                         const char *font_dir, bool *remade)
{
    int rc;

    *remade = false;
    fade_release(c);
    c->fading = false;
    if (c->cur && c->w == profile->width && c->h == profile->height &&
        c->rctx) {
        rc = make_ctx(c, profile, font_dir);
        c->fast = rc == 0 && can_fade_fast(c);
        return rc;
    }
    *remade = true;
    c->cur_valid = false;
    if (c->cur) {
        SDL_DestroyTexture(c->cur);
        if (c->next) {
            SDL_DestroyTexture(c->next);
        }
        c->cur = c->next = NULL;
    }
    if (c->screen) {
        SDL_DestroyTexture(c->screen);
        c->screen = NULL;
    }
    c->w = profile->width;
    c->h = profile->height;
    if (c->o.headless) {
        /* the context's textures belong to the renderer: free them first */
        render_ctx_free(c->rctx);
        c->rctx = NULL;
        SDL_FreeSurface(c->surface);
        if (c->r) {
            SDL_DestroyRenderer(c->r);
        }
        c->r = NULL;
        c->surface = SDL_CreateRGBSurfaceWithFormat(0, c->w, c->h, 32,
                                                    SDL_PIXELFORMAT_RGB888);
        if (!c->surface) {
            taulu_err(TAG, "SDL_CreateRGBSurface: %s", SDL_GetError());
            return TAULU_ENOMEM;
        }
        c->r = SDL_CreateSoftwareRenderer(c->surface);
        if (!c->r) {
            taulu_err(TAG, "SDL_CreateSoftwareRenderer: %s", SDL_GetError());
            return TAULU_EUNAVAIL;
        }
    }
    if (!c->o.headless && c->o.rotation != 0) {
        c->screen = make_target(c);
        if (!c->screen) {
            return TAULU_ENOMEM;
        }
    }
    /* The card texture is 8 MiB at 1080p that SDL zeroes page by page (5 ms
     * under Xvfb): before the loop's first frame, where the card can be
     * drawn onto the output itself, it is made after that frame instead.
     * (Shots draw into it: they make it now.) */
    c->cur_later = c->o.loop && !c->first_frame_done && can_fade_fast(c);
    if (!c->cur_later) {
        c->cur = make_target(c);
        if (!c->cur) {
            return TAULU_ENOMEM;
        }
    }
    rc = make_ctx(c, profile, font_dir);
    c->fast = rc == 0 && can_fade_fast(c);
    return rc;
}

/* ---- frames ---- */

void player_compose_save(struct player_compose *c, const char *path)
{
    if (!c->surface) {
        return;
    }
    if (IMG_SavePNG(c->surface, path) != 0) {
        taulu_err(TAG, "IMG_SavePNG %s: %s", path, IMG_GetError());
    }
}

void player_compose_screenshot(struct player_compose *c, const char *path)
{
    SDL_Surface *s;

    if (c->surface) {
        player_compose_save(c, path);
        return;
    }
    s = SDL_CreateRGBSurfaceWithFormat(0, c->out_w, c->out_h, 32,
                                       SDL_PIXELFORMAT_RGB888);
    if (!s) {
        return;
    }
    SDL_SetRenderTarget(c->r, NULL);
    if (SDL_RenderReadPixels(c->r, NULL, SDL_PIXELFORMAT_RGB888, s->pixels,
                             s->pitch) == 0 &&
        IMG_SavePNG(s, path) == 0) {
        taulu_info(TAG, "screenshot in %s", path);
    } else {
        taulu_warn(TAG, "screenshot failed: %s", SDL_GetError());
    }
    SDL_FreeSurface(s);
}

/* A settled change (not a fade frame): in --frames mode, a PNG. */
static void settled(struct player_compose *c)
{
    char path[1024];

    if (!c->o.frames_dir) {
        return;
    }
    snprintf(path, sizeof path, "%s/frame-%04u.png", c->o.frames_dir,
             ++c->frame_no);
    player_compose_save(c, path);
    taulu_info(TAG, "frame %s", path);
}

/* Sends these parts of the output to the screen (the window's surface;
 * a headless surface is the output itself). */
static void present_rects(struct player_compose *c, const SDL_Rect *rects,
                          size_t n)
{
    if (c->o.headless || n == 0) {
        return;
    }
    if (SDL_UpdateWindowSurfaceRects(c->win, rects, (int)n) != 0) {
        taulu_warn(TAG, "SDL_UpdateWindowSurfaceRects: %s", SDL_GetError());
    }
}

/* A frame of a fast fade: the spans blended at `alpha` (0..256) straight
 * into the output, and only they (with the header band when `header`,
 * drawn first) sent to the screen. The rest of the output already shows
 * what both cards share. */
static void compose_fade(struct player_compose *c, int alpha, bool header)
{
    SDL_Surface *out = out_surface(c);

    if (!out || c->fade.x + c->fade.w > out->w ||
        c->fade.y + c->fade.h > out->h) {
        return;
    }
    if (header && c->header_ok) {
        SDL_SetRenderTarget(c->r, NULL);
        render_draw_page(c->rctx, c->header_page);
    }
    SDL_RenderFlush(c->r);
    if (SDL_MUSTLOCK(out) && SDL_LockSurface(out) != 0) {
        return;
    }
    player_fade_frame(&c->fade, alpha < 0 ? 0u : (unsigned)alpha, out->pixels,
                      (size_t)out->pitch / 4);
    if (SDL_MUSTLOCK(out)) {
        SDL_UnlockSurface(out);
    }
    if (header) {
        present_rects(c, c->fade_rects, c->n_fade_rects);
    } else {
        present_rects(c, c->fade_rects + 1, c->n_fade_rects - 1);
    }
}

/* The header band alone, onto the output (the card under it is already
 * there): the clock's minute on a fast output. */
static void redraw_header(struct player_compose *c)
{
    SDL_Rect band = {c->frame.header_x, c->frame.header_y, c->frame.header_w,
                     c->frame.header_h};

    if (!c->header_ok) {
        return;
    }
    SDL_SetRenderTarget(c->r, NULL);
    render_draw_page(c->rctx, c->header_page);
    SDL_RenderFlush(c->r);
    present_rects(c, &band, 1);
}

static void first_frame(struct player_compose *c)
{
    struct timespec ts;
    double since = (double)(taulu_monotonic_ms() - c->o.started_ms);

    c->first_frame_done = true;
    clock_gettime(CLOCK_REALTIME, &ts);
    taulu_info(TAG, "first frame %.0f ms after start (%s)", since,
               c->loading ? "loading card" : "content");
    if (getenv("INFOTAULU_FIRSTPRESENT")) {
        /* for bench/player: the baseline's sampler reads this line */
        printf("FIRSTPRESENT epoch_ms=%.1f since_main_ms=%.1f\n",
               (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6, since);
        fflush(stdout);
    }
}

/* One frame onto the screen: the current card, the next one blended over
 * it at `alpha` (0..256) while fading, the header on top. */
static void compose(struct player_compose *c, int alpha)
{
    SDL_Rect all = {0, 0, c->w, c->h};
    SDL_Rect card = {c->frame.card_x, c->frame.card_y, c->frame.card_w,
                     c->frame.card_h};

    if (c->fading && c->fade_fast) {
        compose_fade(c, alpha, false);
        return;
    }
    c->full_frames++;
    SDL_SetRenderTarget(c->r, c->screen);
    if (c->dark || !c->cur_valid) {
        SDL_SetRenderDrawColor(c->r, 0, 0, 0, 255);
        SDL_RenderClear(c->r);
    } else {
        if (!c->cur_later) {
            /* (otherwise the card is on the output already) */
            SDL_SetTextureBlendMode(c->cur, SDL_BLENDMODE_NONE);
            SDL_RenderCopy(c->r, c->cur, &all, &all);
        }
        if (c->fading && alpha > 0) {
            SDL_SetTextureBlendMode(c->next, SDL_BLENDMODE_BLEND);
            SDL_SetTextureAlphaMod(
                c->next,
                (Uint8)(alpha >= 256 ? 255 : (alpha * 255 + 128) / 256));
            SDL_RenderCopy(c->r, c->next, &card, &card);
        }
        if (c->header_ok) {
            render_draw_page(c->rctx, c->header_page);
        }
    }
    if (c->screen) {
        SDL_Rect dst = {(c->out_w - c->w) / 2, (c->out_h - c->h) / 2, c->w,
                        c->h};

        SDL_SetRenderTarget(c->r, NULL);
        SDL_RenderCopyEx(c->r, c->screen, NULL, &dst, (double)c->o.rotation,
                         NULL, SDL_FLIP_NONE);
    }
    SDL_RenderPresent(c->r);
    if (!c->first_frame_done) {
        first_frame(c);
    }
}

void player_compose_frame(struct player_compose *c)
{
    compose(c, 0);
}

int player_compose_header(struct player_compose *c,
                          const struct render_header *h)
{
    int rc = render_ctx_layout_header(c->rctx, h, c->header_page);

    c->header_ok = rc == 0;
    if (rc < 0) {
        taulu_warn(TAG, "header: %s", taulu_strerror(rc));
    }
    return rc;
}

void player_compose_clock(struct player_compose *c)
{
    if (c->fast) {
        redraw_header(c);
    } else {
        compose(c, 0);
    }
}

/* ---- drawing cards ---- */

/* Draws page `page` of c->layout into `dst` (NULL: the output). */
static int paint_page(struct player_compose *c, int page, SDL_Texture *dst)
{
    const struct render_theme *t = render_ctx_theme(c->rctx);
    int rc;

    SDL_SetRenderTarget(c->r, dst);
    SDL_SetRenderDrawColor(c->r, t->bg.r, t->bg.g, t->bg.b, 255);
    SDL_RenderClear(c->r);
    rc = render_draw_page(c->rctx, &c->layout->pages[page]);
    SDL_SetRenderTarget(c->r, c->screen);
    return rc;
}

int player_compose_target(struct player_compose *c, bool in_place)
{
    /* In place (nothing of c->cur on screen: the first card, after dark)
     * the card is drawn straight into it (before the first frame, while
     * c->cur_later, onto the output), with no second texture (at
     * start-up that texture would cost 8 MiB of zeroed memory and a few
     * ms before the first frame, only to be freed again). */
    if (in_place) {
        if (!c->cur && !c->cur_later) {
            c->cur = make_target(c);
        }
        return c->cur || c->cur_later ? 0 : TAULU_ENOMEM;
    }
    return ensure_next(c);
}

int player_compose_draw(struct player_compose *c,
                        const struct render_card *card, int page, bool in_place)
{
    SDL_Texture *dst = in_place ? c->cur : c->next;
    int rc;

    if (!c->rctx || (!dst && !(in_place && c->cur_later))) {
        return TAULU_EINVAL;
    }
    rc = render_ctx_layout_card(c->rctx, card, c->layout);
    if (rc < 0) {
        return rc;
    }
    if (c->layout->n_pages == 0) {
        return TAULU_EVALUE;
    }
    if ((size_t)page >= c->layout->n_pages) {
        page = (int)c->layout->n_pages - 1;
    }
    c->card_page = page;
    c->loading = card->kind == RENDER_CARD_LOADING;
    rc = paint_page(c, page, dst);
    if (rc < 0 && in_place) {
        c->cur_valid = false;
    }
    return rc;
}

void player_compose_cut(struct player_compose *c, bool in_place)
{
    if (!in_place) {
        SDL_Texture *t = c->cur;

        c->cur = c->next;
        c->next = t;
        drop_next(c);
    }
    c->cur_valid = true;
    c->dark = false;
    compose(c, 0);
    settled(c);
}

/* Prepares a fast fade from the card in c->cur to the one in c->next:
 * reads both back band by band and keeps the spans where they differ.
 * Then the new card becomes c->cur and the old texture is freed (the
 * fade's spans hold what is left of it), so a fade holds one card texture
 * and the differing pixels, not two textures. 0, or an error with nothing
 * changed (the fade is then composed the generic way). */
static int fade_prepare(struct player_compose *c)
{
    SDL_Surface *out = out_surface(c);
    int x = c->frame.card_x, y = c->frame.card_y;
    int w = c->frame.card_w, h = c->frame.card_h;
    size_t band_px, i;
    uint32_t *band;
    Uint32 fmt;
    int rc, by;

    if (!out || x < 0 || y < 0 || x + w > c->w || y + h > c->h) {
        return TAULU_EUNAVAIL;
    }
    fmt = out->format->format;
    band_px = (size_t)w * PLAYER_FADE_BAND;
    band = malloc(2 * band_px * sizeof *band);
    if (!band) {
        return TAULU_ENOMEM;
    }
    rc = player_fade_begin(&c->fade, x, y, w, h);
    for (by = y; rc == 0 && by < y + h; by += PLAYER_FADE_BAND) {
        int bh = y + h - by < PLAYER_FADE_BAND ? y + h - by : PLAYER_FADE_BAND;
        SDL_Rect r = {x, by, w, bh};

        if (SDL_SetRenderTarget(c->r, c->cur) != 0 ||
            SDL_RenderReadPixels(c->r, &r, fmt, band, w * 4) != 0 ||
            SDL_SetRenderTarget(c->r, c->next) != 0 ||
            SDL_RenderReadPixels(c->r, &r, fmt, band + band_px, w * 4) != 0) {
            taulu_warn(TAG, "reading the cards back: %s", SDL_GetError());
            rc = TAULU_EUNAVAIL;
            break;
        }
        rc = player_fade_add_band(&c->fade, by, bh, band, (size_t)w,
                                  band + band_px, (size_t)w);
    }
    SDL_SetRenderTarget(c->r, NULL);
    free(band);
    if (rc == 0) {
        c->fade_rects = malloc((c->fade.n_spans + 1) * sizeof *c->fade_rects);
        rc = c->fade_rects ? 0 : TAULU_ENOMEM;
    }
    if (rc < 0) {
        fade_release(c);
        return rc;
    }
    c->fade_rects[0] = (SDL_Rect){c->frame.header_x, c->frame.header_y,
                                  c->frame.header_w, c->frame.header_h};
    for (i = 0; i < c->fade.n_spans; i++) {
        const struct player_fade_span *sp = &c->fade.spans[i];

        c->fade_rects[i + 1] = (SDL_Rect){sp->x, sp->y, sp->w, sp->h};
    }
    c->n_fade_rects = c->fade.n_spans + 1;
    c->fade_fast = true;
    SDL_DestroyTexture(c->cur);
    c->cur = c->next;
    c->next = NULL;
    c->full_frames = 0;
    return 0;
}

void player_compose_fade_begin(struct player_compose *c, int alpha)
{
    c->fading = true;
    if (c->fast && fade_prepare(c) == 0) {
        /* the header changes once, with the first step */
        compose_fade(c, alpha, true);
    } else {
        compose(c, alpha);
    }
    c->dark = false;
    c->cur_valid = true;
}

void player_compose_fade_step(struct player_compose *c, int alpha)
{
    if (c->fading) {
        compose(c, alpha);
    }
}

void player_compose_fade_end(struct player_compose *c)
{
    SDL_Texture *t;

    if (!c->fading) {
        return;
    }
    if (c->fade_fast) {
        /* the last step: the new card exactly, where it differs, and the
         * header again (a relayout may have changed it meanwhile) */
        compose_fade(c, 256, true);
        c->fading = false;
        taulu_debug(TAG,
                    "fade: %u frames, %llu px blended (%llu a frame, "
                    "%zu rects), %u full frames",
                    c->fade.frames, (unsigned long long)c->fade.blended_px,
                    (unsigned long long)c->fade.dirty_px, c->n_fade_rects - 1,
                    c->full_frames);
        fade_release(c);
        settled(c);
        return;
    }
    c->fading = false;
    t = c->cur;
    c->cur = c->next;
    c->next = t;
    drop_next(c);
    compose(c, 0);
    settled(c);
}

void player_compose_dark(struct player_compose *c)
{
    c->dark = true;
    compose(c, 0);
    settled(c);
}

int player_compose_keep_card(struct player_compose *c)
{
    if (!c->cur_later) {
        return 0;
    }
    c->cur_later = false;
    c->cur = make_target(c);
    if (!c->cur) {
        c->cur_valid = false;
        return TAULU_ENOMEM;
    }
    if (c->cur_valid && !c->dark) {
        paint_page(c, c->card_page, c->cur);
    }
    return 0;
}

void player_compose_exposed(struct player_compose *c)
{
    if (!c->fading) {
        compose(c, 0);
    } else if (c->fade_fast && !c->o.headless) {
        /* the surface holds the whole current step: send all of it */
        SDL_UpdateWindowSurface(c->win);
    }
}

bool player_compose_resized(struct player_compose *c)
{
    int ow = c->out_w, oh = c->out_h;

    SDL_GetRendererOutputSize(c->r, &c->out_w, &c->out_h);
    return ow != c->out_w || oh != c->out_h;
}
