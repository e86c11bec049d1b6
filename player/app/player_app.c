/*
 * player_app.c: the main loop of the player (SDL edge), for the screen and
 * for headless runs (see player_app.h).
 *
 * Drawing model: a card page is drawn once into an opaque texture when it
 * comes up; the header band is drawn over it on the screen (its line
 * textures are cached). On the software renderer without rotation (the
 * kiosk, and headless runs) a cross-fade is composed on the output's own
 * pixels: both cards are read back once, only the spans where they differ
 * are kept (player_fade.h), the header is drawn once, and each step blends
 * the spans into the window surface and sends only those rectangles to the
 * display; the clock's minute redraws and sends only the header band.
 * Elsewhere (rotation, a GPU renderer) a fade copies the old card texture
 * and blends the new one over it, one surface-alpha blend per frame (the
 * baseline's REPORT.md: two per-pixel-alpha blends a frame cost seven
 * times the CPU). Between changes nothing is drawn and the loop sleeps in
 * SDL_WaitEventTimeout (no wakeups: checked with strace).
 *
 * Threads: SDL lives on this thread. A signal thread turns SIGTERM, SIGINT
 * and SIGHUP into SDL user events; the sync threads' callback copies each
 * event into one (SDL_PushEvent is thread-safe), and this loop frees it.
 */
#include "player_app.h"

#include <SDL2/SDL.h>
#include <SDL2/SDL_image.h>
#include <SDL2/SDL_ttf.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "taulu_crypto.h"
#include "taulu_err.h"
#include "taulu_file.h"
#include "taulu_log.h"
#include "taulu_manifest.h"
#include "taulu_time.h"

#include "layout/card_layout.h"
#include "layout/dwell.h"
#include "layout/theme.h"
#include "player_cards.h"
#include "player_fade.h"
#include "player_schedule.h"
#include "sdl/draw.h"

#include "player_cache.h"
#include "taulu_proto.h"
#include "player_sync.h"

#define TAG "player"

/* Fade frames: 20 a second, fades only. An 800 ms cross-fade is 16 steps
 * of 1/16 of the contrast each: a calm, even change (accessibility.md
 * allows at most 1 s and asks for nothing faster), at two thirds of the
 * frames of 30 a second. */
#define FADE_FRAME_MS     50
#define LOADING_REDRAW_MS 1000 /* progress text changes at most this often */
#define PAGER_SLOTS       2048
#define MAX_WAIT_MS       60000
/* Text line textures kept between draws: each card page is drawn once
 * into a texture of its own, so only the header's lines and a page's worth
 * are worth keeping (the renderer's default budget is sized for previews). */
#define TEXT_CACHE_BYTES (2u * 1024u * 1024u)

/* A slot's pages as the layout made them, for the day they were made. */
struct pager_slot {
    bool used;
    enum player_entry_kind kind;
    int index;
    char lang[TAULU_LANG_MAX + 1];
    int n;
    unsigned dwell[PLAYER_MAX_PAGES];
};

struct player_app {
    struct player_config cfg;
    const struct player_app_opts *opts;
    bool headless;

    /* SDL */
    SDL_Window *win;
    SDL_Renderer *r;
    SDL_Surface *surface; /* headless target */
    SDL_Texture *cur, *next;
    /* Before the first frame of the loop (screen or --frames) on a
     * software output the right way up: a->cur is not made yet, the first
     * card goes straight onto the output, and keep_card() makes a->cur
     * after that frame. */
    bool cur_later;
    int card_page;       /* the page of a->layout that draw_card() drew last */
    SDL_Texture *screen; /* logical screen when the picture is rotated */
    int out_w, out_h;    /* renderer output */
    int w, h;            /* logical (as content is shown) */
    bool ttf;
    struct render_ctx *rctx;
    struct render_profile profile;
    struct render_theme theme;
    struct render_frame frame;
    struct render_layout *layout;  /* the card being drawn */
    struct render_layout *scratch; /* the pager's */
    struct render_page *header_page;
    bool header_ok;
    Uint32 ev_sync, ev_signal;

    /* content */
    struct taulu_manifest *m;
    char sha256[TAULU_SHA256_HEX_LEN + 1];
    uint8_t pk[TAULU_SIGN_PK_LEN];
    bool have_pk;
    struct player_schedule *sched;
    struct player_schedule_opts sopts;
    struct player_card_buf cardbuf, pagerbuf;
    struct render_map_header hdr;
    struct pager_slot *pager;
    int64_t pager_day;
    struct player_assets assets;
    char manifest_dir[512];

    /* what is on screen */
    bool dark;
    bool cur_valid;
    bool have_shown;
    struct player_entry shown;
    int shown_pos; /* index in the schedule */
    int64_t shown_ms;
    unsigned dwell_ms;
    char header_lang[TAULU_LANG_MAX + 1];
    int64_t header_minute;
    int64_t day; /* local midnight of the last recompute */
    bool fading;
    int64_t fade_start_ms, fade_last_ms;
    /* The fade on the output's own pixels (software renderer, no
     * rotation): only the spans where the cards differ are blended and
     * sent to the screen (player_fade.h). */
    bool fast;      /* this output allows it */
    bool fade_fast; /* the running fade is composed so */
    struct player_fade fade;
    SDL_Rect *fade_rects; /* [0] the header band, then the spans */
    size_t n_fade_rects;
    unsigned full_frames; /* whole frames composed (for the fade's log) */
    bool identify;
    int64_t identify_until_ms;
    bool quick_paged; /* the schedule was paged without fonts */

    /* loading (no manifest yet) */
    enum player_loading_state loading;
    unsigned items_done, items_total;
    uint64_t bytes_done, bytes_total;
    int64_t loading_drawn_ms;
    bool loading_dirty;

    /* clock: wall ms = at_ms + (mono - mono_base) when virtual */
    int64_t at_ms;
    int64_t mono_base;

    /* output */
    unsigned frame_no;
    bool first_frame_done;
    bool quit;
    int exit_code;
    char last_error[201];

    struct player_cache *cache;
    struct player_sync *sync;
};

/* ---- clocks ---- */

static int64_t mono_ms(void)
{
    return taulu_monotonic_ms();
}

static int64_t wall_ms(const struct player_app *a)
{
    struct timespec ts;

    if (a->at_ms != INT64_MIN) {
        return a->at_ms + (mono_ms() - a->mono_base);
    }
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t wall_s(const struct player_app *a)
{
    int64_t ms = wall_ms(a);

    return ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
}

static const struct taulu_tz *app_tz(const struct player_app *a)
{
    return player_schedule_tz(a->m);
}

/* ---- assets ---- */

static int asset_path(void *ctx, const char *sha256, char *buf, size_t size)
{
    struct player_app *a = ctx;
    struct stat st;
    int n;

    if (a->cache) {
        return player_cache_asset_path(a->cache, sha256, buf, size);
    }
    if (!taulu_is_sha256_hex(sha256)) {
        return TAULU_EINVAL;
    }
    /* A manifest given as a file: its assets beside it in assets/, else
     * in the cache directory's assets/ (the cache's layout). */
    if (a->manifest_dir[0]) {
        n = snprintf(buf, size, "%s/assets/%s", a->manifest_dir, sha256);
        if (n > 0 && (size_t)n < size && stat(buf, &st) == 0) {
            return 0;
        }
    }
    n = snprintf(buf, size, "%s/assets/%s", a->cfg.cache_dir, sha256);
    if (n < 0 || (size_t)n >= size) {
        return TAULU_ELIMIT;
    }
    return stat(buf, &st) == 0 ? 0 : TAULU_ENOTFOUND;
}

/* ---- the pager: layout with the real fonts, cached per day ---- */

static uint32_t slot_hash(const struct player_entry *e)
{
    uint32_t h = 2166136261u;
    const char *p;

    h = (h ^ (uint32_t)e->kind) * 16777619u;
    h = (h ^ (uint32_t)(e->index + 1)) * 16777619u;
    for (p = e->lang; *p; p++) {
        h = (h ^ (unsigned char)*p) * 16777619u;
    }
    return h;
}

static void pager_clear(struct player_app *a)
{
    size_t i;

    for (i = 0; i < PAGER_SLOTS; i++) {
        a->pager[i].used = false;
    }
}

static int app_pages(void *ctx, const struct taulu_manifest *m,
                     const struct taulu_tz *tz, const struct player_entry *slot,
                     int64_t now, unsigned dwell_ms[], size_t cap)
{
    struct player_app *a = ctx;
    struct pager_slot *ps = NULL;
    uint32_t h = slot_hash(slot) % PAGER_SLOTS;
    int64_t day = taulu_time_day_start(now, tz);
    size_t i, probe;
    int err, n;

    if (day != a->pager_day) {
        pager_clear(a);
        a->pager_day = day;
    }
    for (probe = 0; probe < 8; probe++) {
        struct pager_slot *s = &a->pager[(h + probe) % PAGER_SLOTS];

        if (!s->used) {
            ps = s;
            break;
        }
        if (s->kind == slot->kind && s->index == slot->index &&
            strcmp(s->lang, slot->lang) == 0) {
            for (i = 0; i < (size_t)s->n && i < cap; i++) {
                dwell_ms[i] = s->dwell[i];
            }
            return (int)i;
        }
    }
    if (!a->rctx) {
        return player_cards_pager(&a->pagerbuf, m, tz, slot, now, dwell_ms,
                                  cap);
    }
    err = player_cards_map(&a->pagerbuf, m, tz, slot, now, TAULU_NO_TIME,
                           &a->assets);
    if (err == 0) {
        err = render_ctx_layout_card(a->rctx, &a->pagerbuf.card, a->scratch);
    }
    if (err < 0) {
        taulu_warn(TAG, "left out of the loop: %s %d (%s): %s",
                   slot->kind == PLAYER_ENTRY_ALERT ? "alert" : "card",
                   slot->index, slot->lang, taulu_strerror(err));
        return err;
    }
    if (a->scratch->truncated) {
        taulu_warn(TAG, "card %d (%s) is longer than %d pages; cut",
                   slot->index, slot->lang, RENDER_MAX_PAGES);
    }
    n = (int)a->scratch->n_pages;
    if (n < 1) {
        n = 1;
        a->scratch->pages[0].dwell_ms = render_dwell_ms(&a->pagerbuf.card);
    }
    if ((size_t)n > cap) {
        n = (int)cap;
    }
    for (i = 0; i < (size_t)n; i++) {
        dwell_ms[i] = a->scratch->pages[i].dwell_ms;
    }
    if (ps) {
        ps->used = true;
        ps->kind = slot->kind;
        ps->index = slot->index;
        memcpy(ps->lang, slot->lang, sizeof ps->lang);
        ps->n = n;
        memcpy(ps->dwell, dwell_ms, (size_t)n * sizeof dwell_ms[0]);
    }
    return n;
}

/* ---- manifests ---- */

static int load_pk(struct player_app *a)
{
    int rc;

    if (a->have_pk) {
        return 0;
    }
    if (!a->cfg.server_pk_file[0]) {
        return TAULU_ENOTFOUND;
    }
    rc = taulu_read_public_key(a->cfg.server_pk_file, a->pk);
    if (rc < 0) {
        taulu_warn(TAG, "server key %s: %s", a->cfg.server_pk_file,
                   taulu_strerror(rc));
        return rc;
    }
    a->have_pk = true;
    return 0;
}

/* A manifest file: signed (checked with the server key) or plain JSON
 * (previews and tests: what is drawn is the same). */
static int load_manifest_file(struct player_app *a, const char *path,
                              struct taulu_manifest **out)
{
    struct taulu_buf blob, why;
    const char *json;
    size_t json_len;
    const char *slash;
    int rc;

    taulu_buf_init(&blob, TAULU_MANIFEST_SIGNED_MAX_BYTES);
    taulu_buf_init(&why, 4096);
    rc = taulu_file_read(path, &blob);
    if (rc < 0) {
        taulu_err(TAG, "%s: %s", path, taulu_strerror(rc));
        goto out;
    }
    json = blob.data;
    json_len = blob.len;
    if (blob.len >= strlen(TAULU_MANIFEST_SIG_PREFIX) &&
        memcmp(blob.data, TAULU_MANIFEST_SIG_PREFIX,
               strlen(TAULU_MANIFEST_SIG_PREFIX)) == 0) {
        rc = load_pk(a);
        if (rc < 0) {
            taulu_err(TAG, "%s is signed; set server_pk_file to check it",
                      path);
            goto out;
        }
        rc = taulu_manifest_open(blob.data, blob.len, a->pk, NULL, &json,
                                 &json_len, &why);
        if (rc < 0) {
            taulu_err(TAG, "%s: refused: %s", path, why.data);
            goto out;
        }
    }
    rc = taulu_manifest_parse(json, json_len, out, &why);
    if (rc < 0) {
        taulu_err(TAG, "%s: %s", path, why.data);
        goto out;
    }
    taulu_sha256_hex(blob.data, blob.len, a->sha256);
    slash = strrchr(path, '/');
    if (slash) {
        snprintf(a->manifest_dir, sizeof a->manifest_dir, "%.*s",
                 (int)(slash - path), path);
    } else {
        snprintf(a->manifest_dir, sizeof a->manifest_dir, ".");
    }
out:
    taulu_buf_release(&blob);
    taulu_buf_release(&why);
    return rc;
}

/* ---- SDL setup ---- */

static SDL_Texture *make_target(struct player_app *a)
{
    SDL_Texture *t = SDL_CreateTexture(a->r, SDL_PIXELFORMAT_RGB888,
                                       SDL_TEXTUREACCESS_TARGET, a->w, a->h);

    if (!t) {
        taulu_err(TAG, "SDL_CreateTexture %dx%d: %s", a->w, a->h,
                  SDL_GetError());
    }
    return t;
}

/* The second card texture exists only while a card comes up: between
 * changes one full-screen texture is enough, which keeps about 8 MiB
 * (1080p) out of the player's steady memory. */
static int ensure_next(struct player_app *a)
{
    if (!a->next) {
        a->next = make_target(a);
    }
    return a->next ? 0 : TAULU_ENOMEM;
}

static void drop_next(struct player_app *a)
{
    if (a->next && !a->fading) {
        SDL_DestroyTexture(a->next);
        a->next = NULL;
    }
}

static void load_theme(struct player_app *a)
{
    struct taulu_buf b;
    int rc, bad_line = 0;

    a->theme = *render_theme_default();
    if (!a->cfg.theme_file[0]) {
        return;
    }
    taulu_buf_init(&b, 64 * 1024);
    rc = taulu_file_read(a->cfg.theme_file, &b);
    if (rc == 0) {
        rc = render_theme_parse(b.data, b.len, &a->theme, &bad_line);
    }
    if (rc < 0) {
        taulu_err(TAG, "%s:%d: theme not used (%s); the built-in one is",
                  a->cfg.theme_file, bad_line, taulu_strerror(rc));
        a->theme = *render_theme_default();
    }
    taulu_buf_release(&b);
}

/* The render context for the current profile: fonts from font_dir, else
 * the project's default folder, else Debian's DejaVu (a kiosk shows text in
 * some font rather than nothing). */
static int make_ctx(struct player_app *a)
{
    static const char *const fallbacks[] = {PLAYER_DEFAULT_FONT_DIR,
                                            "/usr/share/infotaulu/fonts",
                                            "/usr/share/fonts/truetype/dejavu"};
    size_t i;
    int rc;

    render_ctx_free(a->rctx);
    a->rctx = NULL;
    rc =
        render_ctx_new(a->r, a->cfg.font_dir, &a->profile, &a->theme, &a->rctx);
    for (i = 0;
         rc == TAULU_EUNAVAIL && i < sizeof fallbacks / sizeof fallbacks[0];
         i++) {
        taulu_warn(TAG, "fonts in %s: %s; trying %s", a->cfg.font_dir,
                   taulu_strerror(rc), fallbacks[i]);
        rc = render_ctx_new(a->r, fallbacks[i], &a->profile, &a->theme,
                            &a->rctx);
    }
    if (rc < 0) {
        taulu_err(TAG, "no usable fonts: %s", taulu_strerror(rc));
        return rc;
    }
    render_ctx_frame(a->rctx, &a->frame);
    if (!a->headless || a->opts->mode == PLAYER_MODE_FRAMES) {
        render_ctx_set_cache_budget(a->rctx, TEXT_CACHE_BYTES);
    }
    pager_clear(a);
    a->header_ok = false;
    return 0;
}

static void set_profile(struct player_app *a)
{
    player_config_profile(&a->cfg, a->m, &a->profile);
    if (a->opts->width > 0 && a->opts->height > 0) {
        a->profile.width = a->opts->width;
        a->profile.height = a->opts->height;
    }
    if (!a->headless && a->out_w > 0 && a->out_h > 0) {
        /* (before the window exists the output size is not known yet) */
        int ow = a->out_w, oh = a->out_h;

        if (a->cfg.rotation == 90 || a->cfg.rotation == 270) {
            ow = a->out_h;
            oh = a->out_w;
        }
        if (ow != a->profile.width || oh != a->profile.height) {
            taulu_info(TAG, "laying out for the screen's %dx%d (profile %dx%d)",
                       ow, oh, a->profile.width, a->profile.height);
            a->profile.width = ow;
            a->profile.height = oh;
        }
    }
}

static int sdl_init(struct player_app *a)
{
    SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
    if (a->headless) {
        if (SDL_Init(SDL_INIT_EVENTS) != 0) {
            taulu_err(TAG, "SDL_Init: %s", SDL_GetError());
            return TAULU_EUNAVAIL;
        }
    } else {
        Uint32 flags = 0;
        int x = SDL_WINDOWPOS_UNDEFINED, y = SDL_WINDOWPOS_UNDEFINED;
        int w = a->profile.width, h = a->profile.height;

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
        if (a->cfg.window == PLAYER_WINDOW_FULLSCREEN) {
            flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
        } else if (a->cfg.window == PLAYER_WINDOW_BORDERLESS) {
            SDL_Rect b;

            if (SDL_GetDisplayBounds(0, &b) == 0) {
                x = b.x;
                y = b.y;
                w = b.w;
                h = b.h;
            }
            flags |= SDL_WINDOW_BORDERLESS;
        }
        a->win = SDL_CreateWindow("Infotaulu", x, y, w, h, flags);
        if (!a->win) {
            taulu_err(TAG, "SDL_CreateWindow: %s", SDL_GetError());
            return TAULU_EUNAVAIL;
        }
        SDL_DisableScreenSaver();
        SDL_ShowCursor(SDL_DISABLE);
        a->r = SDL_CreateRenderer(a->win, -1, SDL_RENDERER_SOFTWARE);
        if (!a->r) {
            /* A video driver with no plain window surface (KMSDRM in
             * SDL 2.26 has none): let SDL back it with the GPU, then any
             * renderer. A kiosk shows something rather than nothing. */
            taulu_warn(TAG, "software renderer: %s; trying SDL's choice",
                       SDL_GetError());
            SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "1");
            a->r = SDL_CreateRenderer(a->win, -1, SDL_RENDERER_SOFTWARE);
            if (!a->r) {
                a->r = SDL_CreateRenderer(a->win, -1, 0);
            }
        }
        if (!a->r) {
            taulu_err(TAG, "SDL_CreateRenderer: %s", SDL_GetError());
            return TAULU_EUNAVAIL;
        }
        if (SDL_GetRendererOutputSize(a->r, &a->out_w, &a->out_h) != 0) {
            SDL_GetWindowSize(a->win, &a->out_w, &a->out_h);
        }
        taulu_info(TAG, "video driver %s, output %dx%d",
                   SDL_GetCurrentVideoDriver(), a->out_w, a->out_h);
    }
    a->ev_sync = SDL_RegisterEvents(2);
    if (a->ev_sync == (Uint32)-1) {
        taulu_err(TAG, "SDL_RegisterEvents: %s", SDL_GetError());
        return TAULU_EUNAVAIL;
    }
    a->ev_signal = a->ev_sync + 1;
    if (TTF_Init() != 0) {
        taulu_err(TAG, "TTF_Init: %s", TTF_GetError());
        return TAULU_EUNAVAIL;
    }
    a->ttf = true;
    return 0;
}

/* What the renderer draws on when the target is NULL: the window's
 * surface (software renderer) or the headless surface. */
static SDL_Surface *out_surface(struct player_app *a)
{
    if (a->headless) {
        return a->surface;
    }
    return a->win ? SDL_GetWindowSurface(a->win) : NULL;
}

/* Fades can be composed on the output's pixels: the software renderer
 * draws straight onto a 32-bit surface we can read and write, and the
 * picture is not turned (a turned one goes through a->screen). */
static bool can_fade_fast(struct player_app *a)
{
    SDL_RendererInfo info;
    SDL_Surface *s;

    if (a->screen || SDL_GetRendererInfo(a->r, &info) != 0 ||
        strcmp(info.name, "software") != 0) {
        return false;
    }
    s = out_surface(a);
    return s && s->format->BytesPerPixel == 4 && s->w >= a->w && s->h >= a->h;
}

static void fade_release(struct player_app *a)
{
    player_fade_release(&a->fade);
    free(a->fade_rects);
    a->fade_rects = NULL;
    a->n_fade_rects = 0;
    a->fade_fast = false;
}

/* Textures and the render context for the profile (again after a config
 * reload that changes them). */
static int setup_drawing(struct player_app *a)
{
    int rc;

    fade_release(a);
    a->fading = false;
    set_profile(a);
    if (a->cur && a->w == a->profile.width && a->h == a->profile.height &&
        a->rctx) {
        rc = make_ctx(a);
        a->fast = rc == 0 && can_fade_fast(a);
        return rc;
    }
    if (a->cur) {
        SDL_DestroyTexture(a->cur);
        if (a->next) {
            SDL_DestroyTexture(a->next);
        }
        a->cur = a->next = NULL;
    }
    if (a->screen) {
        SDL_DestroyTexture(a->screen);
        a->screen = NULL;
    }
    a->w = a->profile.width;
    a->h = a->profile.height;
    if (a->headless) {
        SDL_FreeSurface(a->surface);
        if (a->r) {
            SDL_DestroyRenderer(a->r);
        }
        a->surface = SDL_CreateRGBSurfaceWithFormat(0, a->w, a->h, 32,
                                                    SDL_PIXELFORMAT_RGB888);
        if (!a->surface) {
            taulu_err(TAG, "SDL_CreateRGBSurface: %s", SDL_GetError());
            return TAULU_ENOMEM;
        }
        a->r = SDL_CreateSoftwareRenderer(a->surface);
        if (!a->r) {
            taulu_err(TAG, "SDL_CreateSoftwareRenderer: %s", SDL_GetError());
            return TAULU_EUNAVAIL;
        }
        render_ctx_free(a->rctx);
        a->rctx = NULL;
    }
    if (!a->headless && a->cfg.rotation != 0) {
        a->screen = make_target(a);
        if (!a->screen) {
            return TAULU_ENOMEM;
        }
    }
    /* The card texture is 8 MiB at 1080p that SDL zeroes page by page (5 ms
     * under Xvfb): before the loop's first frame, where the card can be
     * drawn onto the output itself, it is made after that frame instead.
     * (Shots draw into it: they make it now.) */
    a->cur_later = (a->opts->mode == PLAYER_MODE_SCREEN ||
                    a->opts->mode == PLAYER_MODE_FRAMES) &&
                   !a->first_frame_done && can_fade_fast(a);
    if (!a->cur_later) {
        a->cur = make_target(a);
        if (!a->cur) {
            return TAULU_ENOMEM;
        }
    }
    a->cur_valid = false;
    rc = make_ctx(a);
    a->fast = rc == 0 && can_fade_fast(a);
    return rc;
}

/* ---- drawing ---- */

static void save_frame(struct player_app *a, const char *path)
{
    if (!a->surface) {
        return;
    }
    if (IMG_SavePNG(a->surface, path) != 0) {
        taulu_err(TAG, "IMG_SavePNG %s: %s", path, IMG_GetError());
    }
}

/* Sends these parts of the output to the screen (the window's surface;
 * a headless surface is the output itself). */
static void present_rects(struct player_app *a, const SDL_Rect *rects, size_t n)
{
    if (a->headless || n == 0) {
        return;
    }
    if (SDL_UpdateWindowSurfaceRects(a->win, rects, (int)n) != 0) {
        taulu_warn(TAG, "SDL_UpdateWindowSurfaceRects: %s", SDL_GetError());
    }
}

/* A frame of a fast fade: the spans blended at `alpha` (0..256) straight
 * into the output, and only they (with the header band when `header`,
 * drawn first) sent to the screen. The rest of the output already shows
 * what both cards share. */
static void compose_fade(struct player_app *a, int alpha, bool header)
{
    SDL_Surface *out = out_surface(a);

    if (!out || a->fade.x + a->fade.w > out->w ||
        a->fade.y + a->fade.h > out->h) {
        return;
    }
    if (header && a->header_ok) {
        SDL_SetRenderTarget(a->r, NULL);
        render_draw_page(a->rctx, a->header_page);
    }
    SDL_RenderFlush(a->r);
    if (SDL_MUSTLOCK(out) && SDL_LockSurface(out) != 0) {
        return;
    }
    player_fade_frame(&a->fade, alpha < 0 ? 0u : (unsigned)alpha, out->pixels,
                      (size_t)out->pitch / 4);
    if (SDL_MUSTLOCK(out)) {
        SDL_UnlockSurface(out);
    }
    if (header) {
        present_rects(a, a->fade_rects, a->n_fade_rects);
    } else {
        present_rects(a, a->fade_rects + 1, a->n_fade_rects - 1);
    }
}

/* The header band alone, onto the output (the card under it is already
 * there): the clock's minute on a fast output. */
static void redraw_header(struct player_app *a)
{
    SDL_Rect band = {a->frame.header_x, a->frame.header_y, a->frame.header_w,
                     a->frame.header_h};

    if (!a->header_ok) {
        return;
    }
    SDL_SetRenderTarget(a->r, NULL);
    render_draw_page(a->rctx, a->header_page);
    SDL_RenderFlush(a->r);
    present_rects(a, &band, 1);
}

/* One frame onto the screen: the current card, the next one blended over
 * it at `alpha` (0..256) while fading, the header on top. */
static void compose(struct player_app *a, int alpha)
{
    SDL_Rect all = {0, 0, a->w, a->h};
    SDL_Rect card = {a->frame.card_x, a->frame.card_y, a->frame.card_w,
                     a->frame.card_h};

    if (a->fading && a->fade_fast) {
        compose_fade(a, alpha, false);
        return;
    }
    a->full_frames++;
    SDL_SetRenderTarget(a->r, a->screen);
    if (a->dark || !a->cur_valid) {
        SDL_SetRenderDrawColor(a->r, 0, 0, 0, 255);
        SDL_RenderClear(a->r);
    } else {
        if (!a->cur_later) {
            /* (otherwise the card is on the output already) */
            SDL_SetTextureBlendMode(a->cur, SDL_BLENDMODE_NONE);
            SDL_RenderCopy(a->r, a->cur, &all, &all);
        }
        if (a->fading && alpha > 0) {
            SDL_SetTextureBlendMode(a->next, SDL_BLENDMODE_BLEND);
            SDL_SetTextureAlphaMod(
                a->next,
                (Uint8)(alpha >= 256 ? 255 : (alpha * 255 + 128) / 256));
            SDL_RenderCopy(a->r, a->next, &card, &card);
        }
        if (a->header_ok) {
            render_draw_page(a->rctx, a->header_page);
        }
    }
    if (a->screen) {
        SDL_Rect dst = {(a->out_w - a->w) / 2, (a->out_h - a->h) / 2, a->w,
                        a->h};

        SDL_SetRenderTarget(a->r, NULL);
        SDL_RenderCopyEx(a->r, a->screen, NULL, &dst, (double)a->cfg.rotation,
                         NULL, SDL_FLIP_NONE);
    }
    SDL_RenderPresent(a->r);
    if (!a->first_frame_done) {
        struct timespec ts;
        double since = (double)(mono_ms() - a->opts->started_ms);

        a->first_frame_done = true;
        clock_gettime(CLOCK_REALTIME, &ts);
        taulu_info(TAG, "first frame %.0f ms after start (%s)", since,
                   a->m ? "content" : "loading card");
        if (getenv("INFOTAULU_FIRSTPRESENT")) {
            /* for bench/player: the baseline's sampler reads this line */
            printf("FIRSTPRESENT epoch_ms=%.1f since_main_ms=%.1f\n",
                   (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6, since);
            fflush(stdout);
        }
    }
}

/* A settled change (not a fade frame): in --frames mode, a PNG. */
static void settled(struct player_app *a)
{
    char path[1024];

    if (a->opts->mode != PLAYER_MODE_FRAMES || !a->opts->frames_dir) {
        return;
    }
    snprintf(path, sizeof path, "%s/frame-%04u.png", a->opts->frames_dir,
             ++a->frame_no);
    save_frame(a, path);
    taulu_info(TAG, "frame %s", path);
}

static void update_header(struct player_app *a, const char *lang, size_t pos,
                          size_t total)
{
    int64_t now = wall_s(a);
    const char *name = NULL;
    int rc;

    if (lang) {
        snprintf(a->header_lang, sizeof a->header_lang, "%s", lang);
    }
    /* the centre's name in the page's language; without a manifest the
     * screen's id says which screen this is */
    if (a->m) {
        name = render_map_centre_name(&a->m->centre, a->header_lang);
    }
    if (!name) {
        name = a->cfg.screen_id[0] ? a->cfg.screen_id : "Infotaulu";
    }
    rc = render_map_header(&a->hdr, name, a->header_lang, app_tz(a), now, pos,
                           total);
    if (rc == 0) {
        rc = render_ctx_layout_header(a->rctx, &a->hdr.header, a->header_page);
    }
    a->header_ok = rc == 0;
    if (rc < 0) {
        taulu_warn(TAG, "header: %s", taulu_strerror(rc));
    }
    a->header_minute = wall_ms(a) / 60000;
}

/* Draws page `page` of a->layout into `dst` (NULL: the output). */
static int paint_page(struct player_app *a, int page, SDL_Texture *dst)
{
    const struct render_theme *t = render_ctx_theme(a->rctx);
    int rc;

    SDL_SetRenderTarget(a->r, dst);
    SDL_SetRenderDrawColor(a->r, t->bg.r, t->bg.g, t->bg.b, 255);
    SDL_RenderClear(a->r);
    rc = render_draw_page(a->rctx, &a->layout->pages[page]);
    SDL_SetRenderTarget(a->r, a->screen);
    return rc;
}

/* Lays out the mapped card in cardbuf and draws page `page` into `dst`
 * (NULL: the output, while a->cur_later). */
static int draw_card(struct player_app *a, int page, SDL_Texture *dst)
{
    int rc;

    rc = render_ctx_layout_card(a->rctx, &a->cardbuf.card, a->layout);
    if (rc < 0) {
        return rc;
    }
    if (a->layout->n_pages == 0) {
        return TAULU_EVALUE;
    }
    if ((size_t)page >= a->layout->n_pages) {
        page = (int)a->layout->n_pages - 1;
    }
    a->card_page = page;
    return paint_page(a, page, dst);
}

/* After the first frame (a->cur_later): the card texture, with the card
 * that frame shows drawn into it again from its layout (the line textures
 * are still cached). Fades and every later frame start from it. 0 or
 * TAULU_ENOMEM. */
static int keep_card(struct player_app *a)
{
    if (!a->cur_later) {
        return 0;
    }
    a->cur_later = false;
    a->cur = make_target(a);
    if (!a->cur) {
        a->cur_valid = false;
        return TAULU_ENOMEM;
    }
    if (a->cur_valid && !a->dark) {
        paint_page(a, a->card_page, a->cur);
    }
    return 0;
}

static int draw_entry(struct player_app *a, const struct player_entry *e,
                      SDL_Texture *dst)
{
    int rc = player_cards_map(&a->cardbuf, a->m, app_tz(a), e, wall_s(a),
                              a->sched->next_open, &a->assets);

    if (rc == 0) {
        rc = draw_card(a, e->page, dst);
    }
    if (rc < 0) {
        taulu_warn(TAG, "cannot draw %s %d page %d (%s): %s",
                   e->kind == PLAYER_ENTRY_ALERT ? "alert" : "card", e->index,
                   e->page + 1, e->lang, taulu_strerror(rc));
    }
    return rc;
}

/* Prepares a fast fade from the card in a->cur to the one in a->next:
 * reads both back band by band and keeps the spans where they differ.
 * Then the new card becomes a->cur and the old texture is freed (the
 * fade's spans hold what is left of it), so a fade holds one card texture
 * and the differing pixels, not two textures. 0, or an error with nothing
 * changed (the fade is then composed the generic way). */
static int fade_prepare(struct player_app *a)
{
    SDL_Surface *out = out_surface(a);
    int x = a->frame.card_x, y = a->frame.card_y;
    int w = a->frame.card_w, h = a->frame.card_h;
    size_t band_px, i;
    uint32_t *band;
    Uint32 fmt;
    int rc, by;

    if (!out || x < 0 || y < 0 || x + w > a->w || y + h > a->h) {
        return TAULU_EUNAVAIL;
    }
    fmt = out->format->format;
    band_px = (size_t)w * PLAYER_FADE_BAND;
    band = malloc(2 * band_px * sizeof *band);
    if (!band) {
        return TAULU_ENOMEM;
    }
    rc = player_fade_begin(&a->fade, x, y, w, h);
    for (by = y; rc == 0 && by < y + h; by += PLAYER_FADE_BAND) {
        int bh = y + h - by < PLAYER_FADE_BAND ? y + h - by : PLAYER_FADE_BAND;
        SDL_Rect r = {x, by, w, bh};

        if (SDL_SetRenderTarget(a->r, a->cur) != 0 ||
            SDL_RenderReadPixels(a->r, &r, fmt, band, w * 4) != 0 ||
            SDL_SetRenderTarget(a->r, a->next) != 0 ||
            SDL_RenderReadPixels(a->r, &r, fmt, band + band_px, w * 4) != 0) {
            taulu_warn(TAG, "reading the cards back: %s", SDL_GetError());
            rc = TAULU_EUNAVAIL;
            break;
        }
        rc = player_fade_add_band(&a->fade, by, bh, band, (size_t)w,
                                  band + band_px, (size_t)w);
    }
    SDL_SetRenderTarget(a->r, NULL);
    free(band);
    if (rc == 0) {
        a->fade_rects = malloc((a->fade.n_spans + 1) * sizeof *a->fade_rects);
        rc = a->fade_rects ? 0 : TAULU_ENOMEM;
    }
    if (rc < 0) {
        fade_release(a);
        return rc;
    }
    a->fade_rects[0] = (SDL_Rect){a->frame.header_x, a->frame.header_y,
                                  a->frame.header_w, a->frame.header_h};
    for (i = 0; i < a->fade.n_spans; i++) {
        const struct player_fade_span *sp = &a->fade.spans[i];

        a->fade_rects[i + 1] = (SDL_Rect){sp->x, sp->y, sp->w, sp->h};
    }
    a->n_fade_rects = a->fade.n_spans + 1;
    a->fade_fast = true;
    SDL_DestroyTexture(a->cur);
    a->cur = a->next;
    a->next = NULL;
    a->full_frames = 0;
    return 0;
}

static void end_fade(struct player_app *a)
{
    SDL_Texture *t;

    if (!a->fading) {
        return;
    }
    if (a->fade_fast) {
        /* the last step: the new card exactly, where it differs, and the
         * header again (a relayout may have changed it meanwhile) */
        compose_fade(a, 256, true);
        a->fading = false;
        taulu_debug(TAG,
                    "fade: %u frames, %llu px blended (%llu a frame, "
                    "%zu rects), %u full frames",
                    a->fade.frames, (unsigned long long)a->fade.blended_px,
                    (unsigned long long)a->fade.dirty_px, a->n_fade_rects - 1,
                    a->full_frames);
        fade_release(a);
        settled(a);
        return;
    }
    a->fading = false;
    t = a->cur;
    a->cur = a->next;
    a->next = t;
    drop_next(a);
    compose(a, 0);
    settled(a);
}

/* ---- status ---- */

static const char *showing_name(const struct player_app *a, char *buf,
                                size_t size)
{
    const struct player_entry *e = &a->shown;

    if (!a->m) {
        return "loading";
    }
    if (a->dark) {
        return "dark";
    }
    switch (e->kind) {
    case PLAYER_ENTRY_CARD:
        snprintf(buf, size, "%s", a->m->cards[e->index].id);
        return buf;
    case PLAYER_ENTRY_ALERT:
        snprintf(buf, size, "alert:%s", a->m->alerts[e->index].id);
        return buf;
    case PLAYER_ENTRY_AGENDA:
        return "agenda";
    case PLAYER_ENTRY_CALM:
        return "calm";
    case PLAYER_ENTRY_CLOSED:
        return "closed";
    }
    return "?";
}

static void report(struct player_app *a)
{
    struct player_status_info info;
    size_t i;

    if (!a->sync) {
        return;
    }
    memset(&info, 0, sizeof info);
    info.seq = a->m ? a->m->seq : -1;
    memcpy(info.sha256, a->sha256, sizeof info.sha256);
    {
        char tmp[sizeof info.showing];

        snprintf(info.showing, sizeof info.showing, "%s",
                 showing_name(a, tmp, sizeof tmp));
    }
    info.clock_ok = a->m ? a->sched->clock_ok : true;
    snprintf(info.error, sizeof info.error, "%s", a->last_error);
    /* the alerts on screen: acknowledged (scenario 4, "3/3") */
    if (a->m && a->sched->alerts) {
        for (i = 0; i < a->m->n_alerts &&
                    info.n_alert_ack <
                        sizeof info.alert_ack / sizeof info.alert_ack[0];
             i++) {
            if (taulu_alert_is_current(&a->m->alerts[i], wall_s(a))) {
                info.alert_ack[info.n_alert_ack++] = a->m->alerts[i].id;
            }
        }
    }
    player_sync_report(a->sync, &info);
}

/* ---- showing entries ---- */

static void recompute(struct player_app *a)
{
    struct player_pager pager = {app_pages, a};
    struct player_pager quick = {player_cards_pager, &a->pagerbuf};
    int64_t now = wall_s(a);
    bool was_ok = a->sched->clock_ok;

    /* Before the first frame every slot counts as one page (no fonts
     * needed): laying out the whole loop can wait until the first card is
     * on screen. relayout() does it right after. */
    a->quick_paged = !a->first_frame_done && !a->headless;
    player_schedule_compute(a->sched, a->m, &a->sopts,
                            a->quick_paged ? &quick : &pager, now);
    a->day = taulu_time_day_start(now, app_tz(a));
    if (!a->sched->clock_ok && was_ok) {
        char t[TAULU_ISO_LEN], b[TAULU_ISO_LEN];

        taulu_time_format_iso(now, t);
        taulu_time_format_iso(a->m->built_at, b);
        taulu_warn(TAG,
                   "the clock is wrong: %s is before the manifest was "
                   "built (%s)",
                   t, b);
    }
}

static void go_dark(struct player_app *a)
{
    end_fade(a);
    if (a->dark && a->first_frame_done) {
        return;
    }
    a->dark = true;
    a->have_shown = false;
    a->dwell_ms = 0;
    compose(a, 0);
    settled(a);
    taulu_info(TAG, "outside opening hours: dark");
    report(a);
}

/* Shows entry `pos` of the schedule (or the next one that can be drawn),
 * with a cross-fade when `fade` and something is on screen. */
static void show(struct player_app *a, int pos, bool fade)
{
    const struct player_schedule *s = a->sched;
    const struct player_entry *e = NULL;
    SDL_Texture *dst;
    size_t k;
    int rc = -1;
    /* Nothing of a->cur is on screen (the first card, after dark): the
     * card is drawn straight into it (before the first frame, while
     * a->cur_later, onto the output), with no fade and no second texture
     * (at start-up that texture would cost 8 MiB of zeroed memory and a
     * few ms before the first frame, only to be freed again). */
    bool in_place = !a->cur_valid || a->dark;

    end_fade(a);
    if (in_place && !a->cur && !a->cur_later) {
        a->cur = make_target(a);
    }
    dst = in_place ? a->cur : ensure_next(a) == 0 ? a->next : NULL;
    if (!dst && !(in_place && a->cur_later)) {
        return;
    }
    for (k = 0; k < s->n; k++) {
        int i = (int)((pos + (int)k) % (int)s->n);

        rc = draw_entry(a, &s->entries[i], dst);
        if (rc == 0) {
            pos = i;
            e = &s->entries[i];
            break;
        }
    }
    if (!e) {
        /* Nothing in the loop can be drawn: the calm card, which can. */
        struct player_entry calm = {.kind = PLAYER_ENTRY_CALM, .index = -1};

        snprintf(calm.lang, sizeof calm.lang, "%s", s->languages[0]);
        player_cards_map(&a->cardbuf, a->m, app_tz(a), &calm, wall_s(a),
                         TAULU_NO_TIME, NULL);
        if (draw_card(a, 0, dst) < 0) {
            return;
        }
        a->shown = calm;
        pos = 0;
    } else {
        a->shown = *e;
    }
    a->have_shown = true;
    a->shown_pos = pos;
    a->shown_ms = mono_ms();
    a->dwell_ms = e ? e->dwell_ms : 0;
    update_header(a, a->shown.lang, (size_t)pos + 1, s->n);
    if (fade && !in_place && a->cfg.fade_ms > 0) {
        int alpha = 256 * FADE_FRAME_MS / (int)a->cfg.fade_ms;

        a->fading = true;
        if (a->fast && fade_prepare(a) == 0) {
            /* the header changes once, with the first step */
            compose_fade(a, alpha, true);
        } else {
            compose(a, alpha);
        }
        /* that was the step at FADE_FRAME_MS; the last comes at fade_ms */
        a->fade_last_ms = mono_ms();
        a->fade_start_ms = a->fade_last_ms - FADE_FRAME_MS;
    } else {
        if (!in_place) {
            SDL_Texture *t = a->cur;

            a->cur = a->next;
            a->next = t;
            drop_next(a);
        }
        a->cur_valid = true;
        a->dark = false;
        compose(a, 0);
        settled(a);
    }
    a->dark = false;
    a->cur_valid = true;
    report(a);
}

/* The next card of the loop (the dwell ran out, or the loop changed). */
static void advance(struct player_app *a)
{
    int pos;

    recompute(a);
    if (a->sched->dark) {
        go_dark(a);
        return;
    }
    pos =
        player_schedule_next(a->sched, a->have_shown && !a->dark, a->shown.key);
    if (pos < 0) {
        go_dark(a);
        return;
    }
    show(a, pos, true);
}

/* A boundary passed (display window, event end, alert, midnight, opening
 * hours): recompute, and change the card at once if the shown one is no
 * longer current; after midnight redraw it with today's labels. */
static void boundary(struct player_app *a)
{
    int64_t old_day = a->day;
    int pos;

    recompute(a);
    if (a->sched->dark) {
        go_dark(a);
        return;
    }
    if (a->dark || !a->have_shown) {
        show(a, 0, !a->dark);
        return;
    }
    pos = player_schedule_find(a->sched, a->shown.key);
    if (pos < 0) {
        show(a, player_schedule_next(a->sched, true, a->shown.key), true);
        return;
    }
    a->shown_pos = pos;
    if (a->day != old_day) {
        /* Relabel in place ("Huomenna" -> "Tänään"): same card, new words. */
        end_fade(a);
        if (draw_entry(a, &a->sched->entries[pos], a->cur) == 0) {
            update_header(a, a->shown.lang, (size_t)pos + 1, a->sched->n);
            compose(a, 0);
            settled(a);
        }
    }
}

/* The first entry of a (new) manifest. When the manifest brings new
 * cards, the first of them comes up now (scenario 1: "within a second"). */
static void start_content(struct player_app *a,
                          const struct taulu_manifest *old)
{
    size_t i, j;
    int pos = 0;

    pager_clear(a);
    set_profile(a);
    recompute(a);
    if (a->sched->dark) {
        go_dark(a);
        return;
    }
    if (old) {
        for (i = 0; i < a->sched->n && pos == 0; i++) {
            const struct player_entry *e = &a->sched->entries[i];
            bool known = false;

            if (e->kind != PLAYER_ENTRY_CARD) {
                continue;
            }
            for (j = 0; j < old->n_cards; j++) {
                if (strcmp(old->cards[j].id, a->m->cards[e->index].id) == 0) {
                    known = true;
                    break;
                }
            }
            if (!known) {
                pos = (int)i;
            }
        }
    }
    show(a, pos, true);
}

/* The loop paged with the fonts, once the first frame is out: the shown
 * card keeps its place and gets its real dwell. */
static void relayout(struct player_app *a)
{
    int pos;

    recompute(a);
    if (a->sched->dark || !a->have_shown) {
        return;
    }
    pos = player_schedule_find(a->sched, a->shown.key);
    if (pos >= 0) {
        a->shown_pos = pos;
        a->shown = a->sched->entries[pos];
        a->dwell_ms = a->shown.dwell_ms;
        update_header(a, a->shown.lang, (size_t)pos + 1, a->sched->n);
        if (!a->fading) {
            compose(a, 0);
        }
    }
}

/* ---- the loading card ---- */

static void show_loading(struct player_app *a)
{
    char langs[1][TAULU_LANG_MAX + 1];
    const char *lang = "fi";

    if (player_config_languages(&a->cfg, langs, 1) == 1) {
        lang = langs[0];
    }
    end_fade(a);
    player_cards_loading(&a->cardbuf, lang, a->loading, a->items_done,
                         a->items_total, a->bytes_done, a->bytes_total);
    if (draw_card(a, 0, a->cur) < 0) {
        return;
    }
    a->cur_valid = true;
    a->dark = false;
    update_header(a, lang, 0, 0);
    compose(a, 0);
    settled(a);
    a->loading_drawn_ms = mono_ms();
    a->loading_dirty = false;
}

/* ---- sync ---- */

static void replace_manifest(struct player_app *a, struct taulu_manifest *m)
{
    struct taulu_manifest *old = a->m;
    int old_w = a->profile.width, old_h = a->profile.height;

    a->m = m;
    set_profile(a);
    if (a->profile.width != old_w || a->profile.height != old_h || !a->rctx) {
        /* A new profile from the server (headless: new size): new sizes. */
        if (setup_drawing(a) < 0) {
            taulu_err(TAG, "cannot set up drawing for the new profile");
        }
    }
    taulu_info(TAG, "showing manifest seq %lld (%zu cards, %zu alerts)",
               (long long)m->seq, m->n_cards, m->n_alerts);
    start_content(a, old);
    taulu_manifest_free(old);
}

static void sync_notify(void *ctx, const struct player_sync_event *ev)
{
    struct player_app *a = ctx;
    struct player_sync_event *copy = malloc(sizeof *copy);
    SDL_Event e;

    if (!copy) {
        return;
    }
    *copy = *ev;
    memset(&e, 0, sizeof e);
    e.type = a->ev_sync;
    e.user.data1 = copy;
    if (SDL_PushEvent(&e) != 1) {
        free(copy);
    }
}

static int open_cache(struct player_app *a)
{
    int rc;

    if (a->cache) {
        return 0;
    }
    rc = player_cache_open(a->cfg.cache_dir,
                           (uint64_t)a->cfg.cache_max_mb * 1024u * 1024u,
                           &a->cache);
    if (rc < 0) {
        taulu_err(TAG, "cache %s: %s", a->cfg.cache_dir, taulu_strerror(rc));
    }
    return rc;
}

static struct taulu_manifest *load_cached(struct player_app *a)
{
    struct taulu_manifest *m = NULL;
    int rc;

    if (!a->cache || load_pk(a) < 0) {
        return NULL;
    }
    rc = player_cache_load_current(
        a->cache, a->pk, a->cfg.screen_id[0] ? a->cfg.screen_id : NULL, &m,
        a->sha256);
    if (rc < 0 && rc != TAULU_ENOTFOUND) {
        taulu_warn(TAG, "cached manifest not used: %s", taulu_strerror(rc));
    }
    return rc < 0 ? NULL : m;
}

static void start_sync(struct player_app *a)
{
    struct player_sync_config sc;
    int rc;

    if (!a->cfg.server_url[0] || !a->cache || load_pk(a) < 0) {
        return;
    }
    memset(&sc, 0, sizeof sc);
    sc.server_url = a->cfg.server_url;
    sc.screen_id = a->cfg.screen_id;
    sc.screen_token = a->cfg.screen_token;
    sc.server_pk = a->pk;
    sc.mqtt_host = a->cfg.mqtt_host;
    sc.mqtt_port = (int)a->cfg.mqtt_port;
    sc.mqtt_prefix = a->cfg.mqtt_prefix;
    sc.ca_file = a->cfg.ca_file[0] ? a->cfg.ca_file : NULL;
    sc.poll_interval_s = (int)a->cfg.poll_interval_s;
    sc.cache = a->cache;
    rc = player_sync_start(&sc, a->m ? a->m->seq : -1, a->m ? a->sha256 : NULL,
                           sync_notify, a, &a->sync);
    if (rc < 0) {
        taulu_err(TAG, "sync not started: %s", taulu_strerror(rc));
    }
}

static void identify(struct player_app *a)
{
    static const char *const title = "Infotaulu";
    char body[sizeof a->cfg.screen_id + sizeof a->hdr.centre + 2];

    end_fade(a);
    snprintf(body, sizeof body, "%s\n%s", a->cfg.screen_id,
             a->hdr.centre[0] ? a->hdr.centre : "");
    memset(&a->cardbuf.card, 0, sizeof a->cardbuf.card);
    a->cardbuf.card.kind = RENDER_CARD_CALM;
    a->cardbuf.card.title = title;
    a->cardbuf.card.body = body;
    if (draw_card(a, 0, a->cur) == 0) {
        a->cur_valid = true;
        a->dark = false;
        compose(a, 0);
        settled(a);
    }
    a->identify = true;
    a->identify_until_ms = mono_ms() + 30000;
}

static void screenshot(struct player_app *a)
{
    char path[600];
    SDL_Surface *s;

    snprintf(path, sizeof path, "%s/screenshot.png", a->cfg.cache_dir);
    if (a->surface) {
        save_frame(a, path);
        return;
    }
    s = SDL_CreateRGBSurfaceWithFormat(0, a->out_w, a->out_h, 32,
                                       SDL_PIXELFORMAT_RGB888);
    if (!s) {
        return;
    }
    SDL_SetRenderTarget(a->r, NULL);
    if (SDL_RenderReadPixels(a->r, NULL, SDL_PIXELFORMAT_RGB888, s->pixels,
                             s->pitch) == 0 &&
        IMG_SavePNG(s, path) == 0) {
        taulu_info(TAG, "screenshot in %s", path);
    } else {
        taulu_warn(TAG, "screenshot failed: %s", SDL_GetError());
    }
    SDL_FreeSurface(s);
}

static void on_sync(struct player_app *a, struct player_sync_event *ev)
{
    switch (ev->kind) {
    case PLAYER_SYNC_APPLIED: {
        struct taulu_manifest *m = load_cached(a);

        a->last_error[0] = '\0';
        if (m) {
            replace_manifest(a, m);
        }
        break;
    }
    case PLAYER_SYNC_PROGRESS:
        a->items_done = ev->items_done;
        a->items_total = ev->items_total;
        a->bytes_done = ev->bytes_done;
        a->bytes_total = ev->bytes_total;
        if (a->loading != PLAYER_LOADING_OFFLINE) {
            a->loading = PLAYER_LOADING_FETCHING;
        }
        a->loading_dirty = true;
        break;
    case PLAYER_SYNC_ERROR:
        snprintf(a->last_error, sizeof a->last_error, "%s", ev->message);
        taulu_warn(TAG, "sync: %s", ev->message);
        if (a->loading == PLAYER_LOADING_FETCHING) {
            a->loading = PLAYER_LOADING_ERROR;
        }
        a->loading_dirty = true;
        report(a);
        break;
    case PLAYER_SYNC_COMMAND:
        taulu_info(TAG, "command %d (%s)", ev->command, ev->command_id);
        if (ev->command == TAULU_CMD_RELOAD) {
            player_sync_request_reload(a->sync);
        } else if (ev->command == TAULU_CMD_IDENTIFY) {
            identify(a);
        } else if (ev->command == TAULU_CMD_SCREENSHOT) {
            screenshot(a);
        }
        break;
    case PLAYER_SYNC_CONNECTION:
        taulu_info(TAG, "broker %s", ev->online ? "connected" : "lost");
        if (!ev->online) {
            a->loading = PLAYER_LOADING_OFFLINE;
        } else if (a->loading == PLAYER_LOADING_OFFLINE) {
            a->loading = PLAYER_LOADING_FETCHING;
        }
        a->loading_dirty = true;
        break;
    }
}

/* ---- signals ---- */

struct signal_ctx {
    sigset_t set;
    Uint32 type;
};

static void *signal_thread(void *arg)
{
    struct signal_ctx *sc = arg;

    for (;;) {
        int sig = 0;
        SDL_Event e;

        if (sigwait(&sc->set, &sig) != 0) {
            continue;
        }
        memset(&e, 0, sizeof e);
        e.type = sc->type;
        e.user.code = sig;
        SDL_PushEvent(&e);
        if (sig != SIGHUP) {
            return NULL;
        }
    }
}

static void reload_config(struct player_app *a)
{
    struct player_config cfg;
    struct taulu_buf errs;
    const struct player_app_opts *o = a->opts;
    bool redraw;

    taulu_buf_init(&errs, 64 * 1024);
    if (player_config_load(&cfg, o->config_path, o->config_path_is_default,
                           o->overrides, o->n_overrides, &errs) < 0 ||
        player_config_validate(&cfg, false, &errs) < 0) {
        taulu_err(TAG, "SIGHUP: configuration not reloaded:\n%s", errs.data);
        taulu_buf_release(&errs);
        return;
    }
    taulu_buf_release(&errs);
    redraw = strcmp(cfg.font_dir, a->cfg.font_dir) != 0 ||
             strcmp(cfg.theme_file, a->cfg.theme_file) != 0 ||
             cfg.width != a->cfg.width || cfg.height != a->cfg.height ||
             cfg.orientation != a->cfg.orientation ||
             cfg.diagonal_in != a->cfg.diagonal_in ||
             cfg.distance_m != a->cfg.distance_m;
    /* What needs a restart (the network side, the window) keeps its old
     * value; the rest applies now. */
    cfg.rotation = a->cfg.rotation;
    cfg.window = a->cfg.window;
    memcpy(cfg.screen_token, a->cfg.screen_token, sizeof cfg.screen_token);
    taulu_wipe(a->cfg.screen_token, sizeof a->cfg.screen_token);
    a->cfg = cfg;
    taulu_log_threshold = player_config_log_level(&a->cfg);
    a->sopts.n_languages =
        player_config_languages(&a->cfg, a->sopts.languages, PLAYER_MAX_LANGS);
    a->sopts.closed = (enum player_closed_cfg)a->cfg.closed_behaviour;
    taulu_notice(TAG, "configuration reloaded");
    if (redraw) {
        load_theme(a);
        if (setup_drawing(a) < 0) {
            taulu_err(TAG, "drawing not set up after the reload");
            return;
        }
    }
    pager_clear(a);
    if (a->m) {
        a->have_shown = false;
        advance(a);
    } else {
        show_loading(a);
    }
}

/* ---- the loop ---- */

static void on_event(struct player_app *a, SDL_Event *e)
{
    if (e->type == SDL_QUIT) {
        a->quit = true;
    } else if (e->type == a->ev_signal) {
        if (e->user.code == SIGHUP) {
            reload_config(a);
        } else {
            taulu_notice(TAG, "signal %d: stopping", e->user.code);
            a->quit = true;
        }
    } else if (e->type == a->ev_sync) {
        on_sync(a, e->user.data1);
        free(e->user.data1);
    } else if (e->type == SDL_WINDOWEVENT &&
               (e->window.event == SDL_WINDOWEVENT_EXPOSED ||
                e->window.event == SDL_WINDOWEVENT_SIZE_CHANGED)) {
        int ow = a->out_w, oh = a->out_h;

        SDL_GetRendererOutputSize(a->r, &a->out_w, &a->out_h);
        if (ow != a->out_w || oh != a->out_h) {
            if (setup_drawing(a) == 0 && a->m) {
                a->have_shown = false;
                advance(a);
                return;
            }
        }
        if (!a->fading) {
            compose(a, 0);
        } else if (a->fade_fast && !a->headless) {
            /* the surface holds the whole current step: send all of it */
            SDL_UpdateWindowSurface(a->win);
        }
    }
}

static int64_t min64(int64_t x, int64_t y)
{
    return x < y ? x : y;
}

/* Milliseconds until something must happen: a fade frame, the end of the
 * dwell, the next clock minute, the next schedule boundary. */
static int wait_ms(struct player_app *a, int64_t end_ms)
{
    int64_t now = mono_ms(), w = MAX_WAIT_MS, wall = wall_ms(a);

    if (a->fading) {
        w = min64(w, a->fade_last_ms + FADE_FRAME_MS - now);
    }
    if (a->identify) {
        w = min64(w, a->identify_until_ms - now);
    } else if (a->have_shown && a->dwell_ms > 0 && !a->dark) {
        w = min64(w, a->shown_ms + a->dwell_ms - now);
    }
    if (!a->dark) {
        w = min64(w, (wall / 60000 + 1) * 60000 - wall);
    }
    if (a->m && a->sched->next_change != TAULU_NO_TIME) {
        w = min64(w, a->sched->next_change * 1000 - wall);
    }
    if (!a->m && a->loading_dirty) {
        w = min64(w, a->loading_drawn_ms + LOADING_REDRAW_MS - now);
    }
    if (end_ms > 0) {
        w = min64(w, end_ms - now);
    }
    return w < 0 ? 0 : (int)w;
}

static void tick(struct player_app *a)
{
    int64_t now = mono_ms();

    if (a->fading) {
        int64_t t = now - a->fade_start_ms;

        if (t >= a->cfg.fade_ms) {
            end_fade(a);
        } else if (now - a->fade_last_ms >= FADE_FRAME_MS) {
            a->fade_last_ms = now;
            compose(a, (int)(256 * t / a->cfg.fade_ms));
        }
    }
    if (!a->m) {
        if (a->loading_dirty &&
            now - a->loading_drawn_ms >= LOADING_REDRAW_MS) {
            show_loading(a);
        } else if (wall_ms(a) / 60000 != a->header_minute) {
            show_loading(a);
        }
        return;
    }
    if (a->identify) {
        if (now < a->identify_until_ms) {
            return;
        }
        a->identify = false;
        advance(a);
        return;
    }
    if (a->sched->next_change != TAULU_NO_TIME &&
        wall_s(a) >= a->sched->next_change) {
        boundary(a);
    } else if (a->have_shown && a->dwell_ms > 0 && !a->dark &&
               now - a->shown_ms >= a->dwell_ms) {
        advance(a);
    }
    if (!a->dark && !a->fading && wall_ms(a) / 60000 != a->header_minute) {
        /* the clock: HH.MM, redrawn once a minute, never seconds */
        update_header(a, NULL, (size_t)a->shown_pos + 1, a->sched->n);
        if (a->fast) {
            redraw_header(a);
        } else {
            compose(a, 0);
        }
    }
}

static void app_free(struct player_app *a)
{
    player_sync_stop(a->sync);
    player_cache_close(a->cache);
    fade_release(a);
    render_ctx_free(a->rctx);
    if (a->cur) {
        SDL_DestroyTexture(a->cur);
    }
    if (a->next) {
        SDL_DestroyTexture(a->next);
    }
    if (a->screen) {
        SDL_DestroyTexture(a->screen);
    }
    if (a->r) {
        SDL_DestroyRenderer(a->r);
    }
    SDL_FreeSurface(a->surface);
    if (a->win) {
        SDL_DestroyWindow(a->win);
    }
    if (a->ttf) {
        TTF_Quit();
    }
    SDL_Quit();
    taulu_manifest_free(a->m);
    player_card_buf_release(&a->cardbuf);
    player_card_buf_release(&a->pagerbuf);
    render_map_header_release(&a->hdr);
    free(a->layout);
    free(a->scratch);
    free(a->header_page);
    free(a->sched);
    free(a->pager);
    taulu_wipe(a->cfg.screen_token, sizeof a->cfg.screen_token);
    free(a);
}

/* Headless shots: entry `card` (1-based) or every entry at opts->at. */
static int run_shots(struct player_app *a)
{
    const struct player_app_opts *o = a->opts;
    size_t i, first = 0, last;
    char path[1024];
    size_t stem;

    if (!a->m) {
        return 1;
    }
    recompute(a);
    if (a->sched->dark) {
        a->dark = true;
        compose(a, 0);
        save_frame(a, o->out);
        taulu_info(TAG, "dark at that time: %s is black", o->out);
        return 0;
    }
    last = a->sched->n;
    if (o->mode == PLAYER_MODE_SHOT) {
        if (o->card < 1 || (size_t)o->card > a->sched->n) {
            taulu_err(TAG, "--card %d: the loop has %zu cards", o->card,
                      a->sched->n);
            return 1;
        }
        first = (size_t)o->card - 1;
        last = first + 1;
    }
    stem = strlen(o->out);
    if (stem > 4 && strcmp(o->out + stem - 4, ".png") == 0) {
        stem -= 4;
    }
    for (i = first; i < last; i++) {
        const struct player_entry *e = &a->sched->entries[i];

        if (draw_entry(a, e, a->cur) < 0) {
            return 1;
        }
        a->cur_valid = true;
        update_header(a, e->lang, i + 1, a->sched->n);
        compose(a, 0);
        if (o->mode == PLAYER_MODE_ALL) {
            snprintf(path, sizeof path, "%.*s-%02zu.png", (int)stem, o->out,
                     i + 1);
        } else {
            snprintf(path, sizeof path, "%s", o->out);
        }
        save_frame(a, path);
        printf("%s\t%s\t%d/%d\t%s\t%u ms\n", path,
               e->kind == PLAYER_ENTRY_CARD     ? a->m->cards[e->index].id
               : e->kind == PLAYER_ENTRY_ALERT  ? a->m->alerts[e->index].id
               : e->kind == PLAYER_ENTRY_AGENDA ? "agenda"
               : e->kind == PLAYER_ENTRY_CALM   ? "calm"
                                                : "closed",
               e->page + 1, e->n_pages, e->lang, e->dwell_ms);
    }
    return 0;
}

int player_app_run(const struct player_config *cfg,
                   const struct player_app_opts *opts)
{
    struct player_app *a;
    struct signal_ctx sigs;
    pthread_t sig_thread;
    int64_t end_ms = 0;
    int rc;

    a = calloc(1, sizeof *a);
    if (!a) {
        return 1;
    }
    a->cfg = *cfg;
    a->opts = opts;
    a->headless = opts->mode != PLAYER_MODE_SCREEN;
    a->at_ms = opts->at == TAULU_NO_TIME ? INT64_MIN : opts->at * 1000;
    a->mono_base = mono_ms();
    a->layout = calloc(1, sizeof *a->layout);
    a->scratch = calloc(1, sizeof *a->scratch);
    a->header_page = calloc(1, sizeof *a->header_page);
    a->sched = calloc(1, sizeof *a->sched);
    a->pager = calloc(PAGER_SLOTS, sizeof *a->pager);
    if (!a->layout || !a->scratch || !a->header_page || !a->sched ||
        !a->pager) {
        taulu_err(TAG, "out of memory");
        app_free(a);
        return 1;
    }
    a->sched->clock_ok = true;
    a->pager_day = INT64_MIN;
    player_card_buf_init(&a->cardbuf);
    player_card_buf_init(&a->pagerbuf);
    render_map_header_init(&a->hdr);
    a->assets.path = asset_path;
    a->assets.ctx = a;
    a->sopts.n_languages =
        player_config_languages(&a->cfg, a->sopts.languages, PLAYER_MAX_LANGS);
    a->sopts.closed = (enum player_closed_cfg)a->cfg.closed_behaviour;
    a->exit_code = 0;
    if (taulu_crypto_init() < 0) {
        taulu_err(TAG, "libsodium did not initialise");
        app_free(a);
        return 1;
    }

    /* Signals become events on the signal thread; block them here before
     * SDL or the sync start threads, so that every thread inherits it. */
    sigemptyset(&sigs.set);
    sigaddset(&sigs.set, SIGTERM);
    sigaddset(&sigs.set, SIGINT);
    sigaddset(&sigs.set, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &sigs.set, NULL);

    /* Content first (it decides the profile), then the window. */
    if (opts->manifest_file) {
        if (load_manifest_file(a, opts->manifest_file, &a->m) < 0) {
            if (a->headless) {
                app_free(a);
                return 1;
            }
        }
    } else if (opts->mode == PLAYER_MODE_SCREEN ||
               opts->mode == PLAYER_MODE_FRAMES) {
        if (open_cache(a) == 0) {
            a->m = load_cached(a);
        }
    }
    if (!a->m && opts->mode != PLAYER_MODE_SCREEN &&
        opts->mode != PLAYER_MODE_FRAMES) {
        taulu_err(TAG, "nothing to render: give --manifest FILE");
        app_free(a);
        return 1;
    }
    set_profile(a);
    load_theme(a);
    taulu_debug(TAG, "start-up: content %lld ms",
                (long long)(mono_ms() - opts->started_ms));
    rc = sdl_init(a);
    taulu_debug(TAG, "start-up: SDL and window %lld ms",
                (long long)(mono_ms() - opts->started_ms));
    if (rc == 0) {
        rc = setup_drawing(a);
    }
    taulu_debug(TAG, "start-up: fonts and textures %lld ms",
                (long long)(mono_ms() - opts->started_ms));
    if (rc < 0) {
        app_free(a);
        return 1;
    }
    sigs.type = a->ev_signal;
    if (pthread_create(&sig_thread, NULL, signal_thread, &sigs) == 0) {
        pthread_detach(sig_thread);
    }

    if (opts->mode == PLAYER_MODE_SHOT || opts->mode == PLAYER_MODE_ALL) {
        rc = run_shots(a);
        app_free(a);
        return rc;
    }

    if (a->m) {
        start_content(a, NULL);
    } else {
        a->loading = a->cfg.server_url[0] ? PLAYER_LOADING_FETCHING
                                          : PLAYER_LOADING_UNCONFIGURED;
        show_loading(a);
    }
    if (keep_card(a) < 0) {
        taulu_err(TAG, "no memory for the card texture");
        app_free(a);
        return 1;
    }
    /* The real loop syncs in a window and headless (--frames) alike, so a
     * machine with no display runs the whole system too; a manifest file
     * given on the command line is shown as it is. */
    if ((opts->mode == PLAYER_MODE_SCREEN ||
         opts->mode == PLAYER_MODE_FRAMES) &&
        !opts->manifest_file) {
        start_sync(a);
    }
    if (opts->seconds > 0) {
        end_ms = mono_ms() + (int64_t)(opts->seconds * 1000.0);
    }
    if (a->m && a->quick_paged) {
        relayout(a);
    }
    while (!a->quit) {
        SDL_Event e;

        if (end_ms > 0 && mono_ms() >= end_ms) {
            break;
        }
        if (SDL_WaitEventTimeout(&e, wait_ms(a, end_ms))) {
            on_event(a, &e);
            while (!a->quit && SDL_PollEvent(&e)) {
                on_event(a, &e);
            }
        }
        if (!a->quit) {
            tick(a);
        }
        if (a->m && a->quick_paged && a->first_frame_done) {
            relayout(a);
        }
    }
    rc = a->exit_code;
    app_free(a);
    return rc;
}
