/*
 * srv_render.c: the renderer library behind one mutex for the server: fit
 * facts from the real layout, the checker's fit hook, preview PNGs (see
 * srv_render.h). The only server file that includes SDL.
 */
#include "srv_render.h"

#include <SDL2/SDL.h>
#include <SDL2/SDL_image.h>
#include <SDL2/SDL_ttf.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "headless.h"
#include "taulu_err.h"
#include "taulu_log.h"
#include "text.h"

#define TAG "render"

/* Distinct text-size sets kept open: one per screen profile in use. A
 * county has a handful of panel types; more than this only costs a
 * reopen. */
#define FONT_SETS 8

/* Preview canvases kept: one per screen profile previewed, the least
 * recently used one replaced. A canvas is the profile's whole frame
 * (about 8 MiB at 1080p, 32 MiB at 4K) with its own fonts, so fewer than
 * the font sets; a profile beyond these only costs a new canvas. */
#define CANVASES 4

/* A kept canvas's text cache, capped as the player's is: a preview is
 * drawn once, and the renderer's default (96 MiB) is for a screen. */
#define CANVAS_CACHE_BYTES (2u * 1024u * 1024u)

struct font_set {
    struct render_sizes sizes;
    struct render_text *text;
    uint64_t used; /* LRU tick */
};

struct canvas {
    struct render_profile profile;
    struct render_headless *h;
    uint64_t used; /* LRU tick */
};

struct srv_render {
    pthread_mutex_t mu; /* SDL_ttf/FreeType: one user at a time */
    char font_dir[512];
    struct font_set sets[FONT_SETS];
    struct canvas canvases[CANVASES];
    uint64_t tick;
    struct render_layout *layout; /* ~100 KiB, reused under mu */
    bool ttf;
};

/* SDL keeps an error buffer per thread (SDL_GetError's, made by SDL_Init,
 * SDL_ClearError and every failure) and frees it only for threads SDL
 * started or at SDL_Quit for the thread that calls it: libmicrohttpd's
 * workers would each leave theirs behind when they end. Every entry point
 * that runs SDL on the caller's thread calls this last; the buffer is
 * made again on the next use. */
static void thread_done(void)
{
    SDL_TLSCleanup();
}

static bool same_sizes(const struct render_sizes *a,
                       const struct render_sizes *b)
{
    return a->body_px == b->body_px && a->title_px == b->title_px &&
           a->secondary_px == b->secondary_px;
}

/* The fonts for `sizes`, opened now or from the cache. Under mu. */
static int fonts_for(struct srv_render *sr, const struct render_sizes *sizes,
                     struct render_text **out)
{
    struct font_set *victim = &sr->sets[0];
    size_t i;
    int rc;

    for (i = 0; i < FONT_SETS; i++) {
        struct font_set *f = &sr->sets[i];
        if (f->text && same_sizes(&f->sizes, sizes)) {
            f->used = ++sr->tick;
            *out = f->text;
            return 0;
        }
        if (!f->text || f->used < victim->used) {
            victim = f;
        }
    }
    if (victim->text) {
        render_text_free(victim->text);
        victim->text = NULL;
    }
    rc = render_text_new(sr->font_dir, sizes, &victim->text);
    if (rc < 0) {
        victim->text = NULL;
        return rc;
    }
    victim->sizes = *sizes;
    victim->used = ++sr->tick;
    *out = victim->text;
    return 0;
}

static bool same_profile(const struct render_profile *a,
                         const struct render_profile *b)
{
    return a->width == b->width && a->height == b->height &&
           a->diagonal_in == b->diagonal_in && a->distance_m == b->distance_m;
}

/* The preview canvas of profile `p`, made now or from the cache. Under
 * mu. */
static int canvas_for(struct srv_render *sr, const struct render_profile *p,
                      struct render_headless **out)
{
    struct canvas *victim = &sr->canvases[0];
    size_t i;
    int rc;

    for (i = 0; i < CANVASES; i++) {
        struct canvas *c = &sr->canvases[i];
        if (c->h && same_profile(&c->profile, p)) {
            c->used = ++sr->tick;
            *out = c->h;
            return 0;
        }
        if (!c->h || (victim->h && c->used < victim->used)) {
            victim = c;
        }
    }
    render_headless_free(victim->h);
    victim->h = NULL;
    rc = render_headless_new(sr->font_dir, p, NULL, &victim->h);
    if (rc < 0) {
        victim->h = NULL;
        return rc;
    }
    render_ctx_set_cache_budget(render_headless_ctx(victim->h),
                                CANVAS_CACHE_BYTES);
    victim->profile = *p;
    victim->used = ++sr->tick;
    *out = victim->h;
    return 0;
}

void srv_render_free(struct srv_render *sr)
{
    size_t i;

    if (!sr) {
        return;
    }
    for (i = 0; i < CANVASES; i++) {
        render_headless_free(sr->canvases[i].h);
    }
    for (i = 0; i < FONT_SETS; i++) {
        render_text_free(sr->sets[i].text);
    }
    free(sr->layout);
    if (sr->ttf) {
        TTF_Quit();
    }
    pthread_mutex_destroy(&sr->mu);
    free(sr);
}

int srv_render_new(const char *font_dir, struct srv_render **out)
{
    static const struct render_profile probe = {1920, 1080, 55.0, 3.0};
    struct render_sizes sz;
    struct render_text *t;
    struct srv_render *sr;
    int rc;

    if (!font_dir || !out || strlen(font_dir) >= sizeof(sr->font_dir)) {
        return TAULU_EINVAL;
    }
    sr = calloc(1, sizeof(*sr));
    if (!sr) {
        return TAULU_ENOMEM;
    }
    pthread_mutex_init(&sr->mu, NULL);
    memcpy(sr->font_dir, font_dir, strlen(font_dir) + 1);
    sr->layout = calloc(1, sizeof(*sr->layout));
    if (!sr->layout) {
        rc = TAULU_ENOMEM;
        goto out;
    }
    if (TTF_Init() != 0) {
        taulu_err(TAG, "TTF_Init: %s", TTF_GetError());
        rc = TAULU_EUNAVAIL;
        goto out;
    }
    sr->ttf = true;
    /* Open the fonts once now: a wrong font directory is found at start,
     * not at the first check. */
    rc = render_sizes_compute(&probe, &sz);
    if (rc == 0) {
        rc = fonts_for(sr, &sz, &t);
    }
    if (rc < 0) {
        taulu_err(TAG, "no usable fonts in %s", font_dir);
    }
out:
    if (rc < 0) {
        srv_render_free(sr);
        return rc;
    }
    *out = sr;
    return 0;
}

/* snprintf may have cut the last character of `s` short: drop it. */
static void trim_utf8(char *s)
{
    size_t n = strlen(s), st, need;
    unsigned char lead;

    if (n == 0 || !((unsigned char)s[n - 1] & 0x80)) {
        return;
    }
    st = n - 1;
    while (st > 0 && ((unsigned char)s[st] & 0xC0) == 0x80) {
        st--;
    }
    lead = (unsigned char)s[st];
    need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    if (n - st < need) {
        s[st] = '\0';
    }
}

void srv_profile_set(struct srv_profile *p, const char *screen,
                     const char *centre, int width, int height,
                     double diagonal_in, double distance_m)
{
    char dist[24], diag[24];
    bool s = screen && screen[0], c = centre && centre[0];

    memset(p, 0, sizeof(*p));
    p->rp.width = width;
    p->rp.height = height;
    p->rp.diagonal_in = diagonal_in;
    p->rp.distance_m = distance_m;
    /* 3 m, 2.5 m; 55", 42.5" */
    if (fabs(distance_m - round(distance_m)) < 0.005) {
        snprintf(dist, sizeof(dist), "%.0f m", distance_m);
    } else {
        snprintf(dist, sizeof(dist), "%.1f m", distance_m);
    }
    if (fabs(diagonal_in - round(diagonal_in)) < 0.005) {
        snprintf(diag, sizeof(diag), "%.0f\"", diagonal_in);
    } else {
        snprintf(diag, sizeof(diag), "%.1f\"", diagonal_in);
    }
    /* Names are cut at the buffer's end by snprintf; a cut inside a
     * character is trimmed back to its start below. */
    snprintf(p->name, sizeof(p->name), "%s%s%s%s%s %d\xc3\x97%d, %s%s",
             s ? screen : "", s ? " (" : "", c ? centre : "", c ? ", " : "",
             diag, width, height, dist, s ? ")" : "");
    snprintf(p->centre, sizeof(p->centre), "%s", c ? centre : "");
    trim_utf8(p->name);
    trim_utf8(p->centre);
}

/* Reads the facts off a layout: lines are counted by their distinct start
 * in the text, because continuation pages repeat a short title. */
static void facts_of(const struct render_layout *lay,
                     const struct render_card *card, struct srv_fit_facts *f)
{
    const char *title = card->title ? card->title : "";
    const char *body = card->body ? card->body : "";
    const char *last_t = NULL, *last_b = NULL;
    size_t pg, i;

    memset(f, 0, sizeof(*f));
    f->title_cut = strlen(title);
    f->body_cut = strlen(body);
    f->page2_body = f->body_cut;
    f->n_pages = lay->n_pages;
    for (pg = 0; pg < lay->n_pages; pg++) {
        const struct render_page *p = &lay->pages[pg];
        for (i = 0; i < p->n; i++) {
            const struct render_box *b = &p->boxes[i];
            if (b->kind != RENDER_BOX_TEXT ||
                (b->flags & RENDER_BOX_OWN_TEXT)) {
                continue;
            }
            if (b->part == RENDER_PART_TITLE && b->text > last_t) {
                /* a new line (repeats point at the first lines again) */
                last_t = b->text;
                if (++f->title_lines == RENDER_MAX_TITLE_LINES + 1) {
                    f->title_cut = (size_t)(b->text - title);
                }
            } else if (b->part == RENDER_PART_BODY && b->text > last_b) {
                last_b = b->text;
                if (++f->body_lines == RENDER_MAX_BODY_LINES + 1) {
                    f->body_cut = (size_t)(b->text - body);
                }
                if (pg == 1 && f->page2_body == strlen(body)) {
                    f->page2_body = (size_t)(b->text - body);
                }
            }
        }
    }
}

int srv_render_fit(struct srv_render *sr, const struct render_profile *p,
                   const struct render_card *card, struct srv_fit_facts *out)
{
    struct render_sizes sz;
    struct render_text *t;
    struct render_measurer m;
    int rc;

    if (!sr || !p || !card || !out) {
        return TAULU_EINVAL;
    }
    rc = render_sizes_compute(p, &sz);
    if (rc < 0) {
        return rc;
    }
    pthread_mutex_lock(&sr->mu);
    rc = fonts_for(sr, &sz, &t);
    if (rc == 0) {
        render_text_measurer(t, &m);
        rc = render_layout_card(card, p, &sz, &m, sr->layout);
    }
    if (rc == 0) {
        facts_of(sr->layout, card, out);
    }
    pthread_mutex_unlock(&sr->mu);
    thread_done();
    return rc;
}

int srv_fit_measure(void *ctx, const struct check_input *in,
                    struct check_fit_report *out)
{
    const struct srv_fit_ctx *fc = ctx;
    const struct srv_profile *worst = NULL, *cont = NULL;
    struct srv_fit_facts f, wf, cf;
    bool worst_title = false;
    size_t i;
    int rc;

    (void)in; /* the card was built from the same title and body */
    if (!fc || !fc->sr || !fc->card || fc->n_profiles == 0) {
        return TAULU_EINVAL;
    }
    memset(&wf, 0, sizeof(wf));
    memset(&cf, 0, sizeof(cf));
    for (i = 0; i < fc->n_profiles; i++) {
        const struct srv_profile *p = &fc->profiles[i];
        bool t_over, b_over;
        rc = srv_render_fit(fc->sr, &p->rp, fc->card, &f);
        if (rc < 0) {
            return rc;
        }
        t_over = f.title_lines > RENDER_MAX_TITLE_LINES;
        b_over = f.body_lines > RENDER_MAX_BODY_LINES;
        if (t_over || b_over) {
            /* The title outranks the body; then the earliest cut: the
             * profile where the least text fits. */
            bool better =
                !worst || (t_over && !worst_title) ||
                (t_over == worst_title && (t_over ? f.title_cut < wf.title_cut
                                                  : f.body_cut < wf.body_cut));
            if (better) {
                worst = p;
                wf = f;
                worst_title = t_over;
            }
        } else if (f.n_pages > 1 && (!cont || f.page2_body < cf.page2_body)) {
            cont = p;
            cf = f;
        }
    }
    memset(out, 0, sizeof(*out));
    if (worst) {
        out->fits = 0;
        out->title_overflow = worst_title;
        if (worst_title) {
            out->overflow_byte = wf.title_cut;
            out->overflow_line = RENDER_MAX_TITLE_LINES + 1;
            out->overflow_lines =
                (unsigned)(wf.title_lines - RENDER_MAX_TITLE_LINES);
        } else {
            out->overflow_byte = wf.body_cut;
            out->overflow_line = RENDER_MAX_BODY_LINES + 1;
            out->overflow_lines =
                (unsigned)(wf.body_lines - RENDER_MAX_BODY_LINES);
        }
        snprintf(out->profile, sizeof(out->profile), "%s", worst->name);
        srv_profile_words(worst, out->profile_words);
        return 0;
    }
    out->fits = 1;
    if (cont) {
        out->continues = 1;
        out->continues_byte = cf.page2_body;
        snprintf(out->continues_profile, sizeof(out->continues_profile), "%s",
                 cont->name);
        srv_profile_words(cont, out->continues_words);
    }
    return 0;
}

/* ---- PNG into memory ------------------------------------------------ */

static size_t SDLCALL rw_write(SDL_RWops *rw, const void *ptr, size_t size,
                               size_t num)
{
    struct taulu_buf *b = rw->hidden.unknown.data1;

    if (size == 0 || num == 0) {
        return 0;
    }
    if (num > SIZE_MAX / size || taulu_buf_append(b, ptr, size * num) < 0) {
        SDL_SetError("preview PNG too large");
        return 0;
    }
    return num;
}

static Sint64 SDLCALL rw_size(SDL_RWops *rw)
{
    const struct taulu_buf *b = rw->hidden.unknown.data1;
    return (Sint64)b->len;
}

static Sint64 SDLCALL rw_seek(SDL_RWops *rw, Sint64 off, int whence)
{
    const struct taulu_buf *b = rw->hidden.unknown.data1;

    /* Only "where am I" is possible: the buffer is append-only. */
    if (off == 0 && (whence == RW_SEEK_CUR || whence == RW_SEEK_END)) {
        return (Sint64)b->len;
    }
    return SDL_SetError("preview PNG: cannot seek");
}

static int SDLCALL rw_close(SDL_RWops *rw)
{
    SDL_FreeRW(rw);
    return 0;
}

int srv_png_encode(const uint8_t *rgba, int width, int height, int pitch,
                   struct taulu_buf *png)
{
    SDL_Surface *s;
    SDL_RWops *rw;
    size_t before;
    int rc = 0;

    if (!rgba || !png || width <= 0 || height <= 0) {
        return TAULU_EINVAL;
    }
    before = png->len;
    s = SDL_CreateRGBSurfaceWithFormatFrom((void *)(uintptr_t)rgba, width,
                                           height, 32, pitch,
                                           SDL_PIXELFORMAT_RGBA32);
    rw = SDL_AllocRW();
    if (!s || !rw) {
        taulu_err(TAG, "preview surface: %s", SDL_GetError());
        SDL_FreeSurface(s);
        if (rw) {
            SDL_FreeRW(rw);
        }
        thread_done();
        return TAULU_ENOMEM;
    }
    rw->type = SDL_RWOPS_UNKNOWN;
    rw->write = rw_write;
    rw->size = rw_size;
    rw->seek = rw_seek;
    rw->close = rw_close;
    rw->hidden.unknown.data1 = png;
    if (IMG_SavePNG_RW(s, rw, 1) != 0) {
        taulu_err(TAG, "IMG_SavePNG_RW: %s", IMG_GetError());
        taulu_buf_truncate(png, before);
        rc = TAULU_EIO;
    }
    SDL_FreeSurface(s);
    thread_done();
    return rc;
}

int srv_render_png(struct srv_render *sr, const struct render_profile *p,
                   const struct render_card *card,
                   const struct render_header *header, size_t page,
                   size_t *n_pages, struct taulu_buf *png)
{
    struct render_headless *h = NULL;
    const uint8_t *px;
    int w, hgt, pitch, rc;

    if (!sr || !p || !card || !header || !png) {
        return TAULU_EINVAL;
    }
    pthread_mutex_lock(&sr->mu);
    rc = canvas_for(sr, p, &h);
    if (rc == 0) {
        rc = render_headless_draw(h, card, header, page, n_pages);
    }
    if (rc == 0) {
        render_headless_pixels(h, &px, &w, &hgt, &pitch);
        rc = srv_png_encode(px, w, hgt, pitch, png);
    }
    pthread_mutex_unlock(&sr->mu);
    thread_done();
    return rc;
}
