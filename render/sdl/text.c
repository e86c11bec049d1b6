/*
 * text.c: fonts with per-glyph fallback, measuring and cached line
 * textures; see text.h.
 */
#include "text.h"

#include <SDL2/SDL_ttf.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "taulu_err.h"
#include "taulu_log.h"
#include "taulu_utf8.h"

#define TAG "render"

#define SCRATCH   1024 /* lines are at most 80 code points: 320 bytes */
#define MAX_RUNS  64
#define FONT_PATH 1024

/* Widths measured before: the layout tries a few arrangements of a card
 * and measures the same words and lines in each, and SDL_ttf shapes
 * every call anew. Direct-mapped, keyed by the font and the bytes
 * themselves (compared whole, so a hit is exact); strings longer than
 * MEASURE_KEY are measured every time. */
#define MEASURE_SLOTS 2048
#define MEASURE_KEY   96

struct measured {
    uint8_t font;
    uint8_t len; /* 0: empty slot */
    int width;
    char key[MEASURE_KEY];
};

struct render_text {
    TTF_Font *prim[RENDER_FONT_COUNT];
    TTF_Font *fall[RENDER_FONT_COUNT]; /* may be NULL: no fallback */
    int px[RENDER_FONT_COUNT];
    char scratch[SCRATCH];
    struct measured memo[MEASURE_SLOTS];
};

struct run {
    size_t a, b;
    int fb; /* 1: from the fallback font */
};

static const char *const primary_files[2] = {"AtkinsonHyperlegible-Regular.ttf",
                                             "AtkinsonHyperlegible-Bold.ttf"};
static const char *const fallback_files[2] = {"DejaVuSans.ttf",
                                              "DejaVuSans-Bold.ttf"};

static bool font_bold(enum render_font f)
{
    return f == RENDER_FONT_BODY_BOLD || f == RENDER_FONT_TITLE ||
           f == RENDER_FONT_SECONDARY_BOLD;
}

static int font_px(const struct render_sizes *s, enum render_font f)
{
    switch (f) {
    case RENDER_FONT_TITLE:
        return s->title_px;
    case RENDER_FONT_SECONDARY:
    case RENDER_FONT_SECONDARY_BOLD:
        return s->secondary_px;
    case RENDER_FONT_BODY:
    case RENDER_FONT_BODY_BOLD:
    default:
        return s->body_px;
    }
}

static TTF_Font *open_font(const char *dir, const char *file, int px)
{
    char path[FONT_PATH];
    int n = snprintf(path, sizeof path, "%s/%s", dir, file);
    if (n < 0 || (size_t)n >= sizeof path) {
        taulu_err(TAG, "font path too long: %s/%s", dir, file);
        return NULL;
    }
    TTF_Font *f = TTF_OpenFont(path, px);
    if (!f) {
        taulu_err(TAG, "TTF_OpenFont %s: %s", path, TTF_GetError());
    }
    return f;
}

static bool provided(TTF_Font *f, uint32_t cp)
{
    return f && TTF_GlyphIsProvided32(f, cp);
}

int render_text_covers(const struct render_text *t, uint32_t cp)
{
    return provided(t->prim[RENDER_FONT_BODY], cp) ||
           provided(t->fall[RENDER_FONT_BODY], cp);
}

void render_text_free(struct render_text *t)
{
    if (!t) {
        return;
    }
    for (int i = 0; i < RENDER_FONT_COUNT; i++) {
        if (t->fall[i] && t->fall[i] != t->prim[i]) {
            TTF_CloseFont(t->fall[i]);
        }
        if (t->prim[i]) {
            TTF_CloseFont(t->prim[i]);
        }
    }
    free(t);
}

int render_text_new(const char *font_dir, const struct render_sizes *sizes,
                    struct render_text **out)
{
    if (!font_dir || !sizes || !out || sizes->body_px <= 0) {
        return TAULU_EINVAL;
    }
    struct render_text *t = calloc(1, sizeof *t);
    if (!t) {
        return TAULU_ENOMEM;
    }
    int rc = TAULU_OK;
    for (int i = 0; i < RENDER_FONT_COUNT; i++) {
        int w = font_bold((enum render_font)i) ? 1 : 0;
        t->px[i] = font_px(sizes, (enum render_font)i);
        t->prim[i] = open_font(font_dir, primary_files[w], t->px[i]);
        t->fall[i] = open_font(font_dir, fallback_files[w], t->px[i]);
        if (!t->prim[i] && t->fall[i]) {
            /* keep showing text: DejaVu alone is still readable */
            taulu_err(TAG, "Atkinson Hyperlegible missing, using DejaVu "
                           "Sans as the primary font");
            t->prim[i] = t->fall[i];
            t->fall[i] = NULL;
        }
        if (!t->prim[i]) {
            rc = TAULU_EUNAVAIL;
            goto out;
        }
    }
    /* Start-up coverage check of the letters every Finnish and Swedish
     * card needs. */
    static const uint32_t must[] = {0xE5, 0xE4,   0xF6,   0xC5,  0xC4,
                                    0xD6, 0x2013, 0x2026, 0x20AC};
    for (int i = 0; i < RENDER_FONT_COUNT; i++) {
        for (size_t k = 0; k < sizeof must / sizeof must[0]; k++) {
            if (!provided(t->prim[i], must[k]) &&
                !provided(t->fall[i], must[k])) {
                taulu_err(TAG, "fonts do not cover U+%04X", must[k]);
                rc = TAULU_EUNAVAIL;
                goto out;
            }
        }
    }
out:
    if (rc < 0) {
        render_text_free(t);
        return rc;
    }
    *out = t;
    return TAULU_OK;
}

/* Splits s[0..len) into runs by which font has each glyph. Returns the
 * number of runs (at most MAX_RUNS; the last run takes the rest). */
static size_t split_runs(const struct render_text *t, enum render_font f,
                         const char *s, size_t len, struct run *runs)
{
    size_t n = 0, pos = 0;
    while (pos < len) {
        size_t start = pos;
        uint32_t cp = 0;
        taulu_utf8_decode(s, len, &pos, &cp);
        int fb = !provided(t->prim[f], cp) && provided(t->fall[f], cp);
        if (n > 0 && (runs[n - 1].fb == fb || n == MAX_RUNS)) {
            runs[n - 1].b = pos;
            continue;
        }
        runs[n].a = start;
        runs[n].b = pos;
        runs[n].fb = fb;
        n++;
    }
    return n;
}

/* A NUL-terminated copy of s[a..b) in the scratch buffer, or a malloc'd
 * one if it is too long (*heap set; the caller frees). */
static const char *cstr(struct render_text *t, const char *s, size_t a,
                        size_t b, char **heap)
{
    size_t n = b - a;
    *heap = NULL;
    if (n < SCRATCH) {
        memcpy(t->scratch, s + a, n);
        t->scratch[n] = '\0';
        return t->scratch;
    }
    *heap = malloc(n + 1);
    if (!*heap) {
        return NULL;
    }
    memcpy(*heap, s + a, n);
    (*heap)[n] = '\0';
    return *heap;
}

static uint32_t memo_hash(enum render_font font, const char *s, size_t len)
{
    uint32_t h = 2166136261u ^ (uint32_t)font;
    for (size_t i = 0; i < len; i++) {
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    }
    return h;
}

static int measure_runs(struct render_text *t, enum render_font font,
                        const char *utf8, size_t len);

int render_text_measure(struct render_text *t, enum render_font font,
                        const char *utf8, size_t len)
{
    if (!t || (int)font < 0 || font >= RENDER_FONT_COUNT || len == 0) {
        return 0;
    }
    if (len > MEASURE_KEY) {
        return measure_runs(t, font, utf8, len);
    }
    struct measured *m = &t->memo[memo_hash(font, utf8, len) % MEASURE_SLOTS];
    if (m->len == len && m->font == (uint8_t)font &&
        memcmp(m->key, utf8, len) == 0) {
        return m->width;
    }
    int w = measure_runs(t, font, utf8, len);
    m->font = (uint8_t)font;
    m->len = (uint8_t)len;
    m->width = w;
    memcpy(m->key, utf8, len);
    return w;
}

static int measure_runs(struct render_text *t, enum render_font font,
                        const char *utf8, size_t len)
{
    struct run runs[MAX_RUNS];
    size_t n = split_runs(t, font, utf8, len, runs);
    int total = 0;
    for (size_t i = 0; i < n; i++) {
        char *heap = NULL;
        const char *c = cstr(t, utf8, runs[i].a, runs[i].b, &heap);
        int w = 0, h = 0;
        TTF_Font *f = runs[i].fb ? t->fall[font] : t->prim[font];
        if (!c || TTF_SizeUTF8(f, c, &w, &h) != 0) {
            taulu_warn(TAG, "TTF_SizeUTF8: %s", TTF_GetError());
            w = 0;
        }
        free(heap);
        total += w;
    }
    return total;
}

static int measure_cb(void *ctx, enum render_font font, const char *utf8,
                      size_t len)
{
    return render_text_measure(ctx, font, utf8, len);
}

void render_text_measurer(struct render_text *t, struct render_measurer *out)
{
    out->measure = measure_cb;
    out->ctx = t;
}

int render_text_height(const struct render_text *t, enum render_font font)
{
    return TTF_FontHeight(t->prim[font]);
}

/* Renders the line into one surface, run by run, on the primary font's
 * baseline. NULL on failure (logged). */
static SDL_Surface *render_runs(struct render_text *t, enum render_font font,
                                SDL_Color col, const char *s, size_t len)
{
    struct run runs[MAX_RUNS];
    size_t n = split_runs(t, font, s, len, runs);
    SDL_Surface *parts[MAX_RUNS] = {NULL};
    SDL_Surface *line = NULL;
    int width = 0;
    for (size_t i = 0; i < n; i++) {
        char *heap = NULL;
        const char *c = cstr(t, s, runs[i].a, runs[i].b, &heap);
        TTF_Font *f = runs[i].fb ? t->fall[font] : t->prim[font];
        parts[i] = c ? TTF_RenderUTF8_Blended(f, c, col) : NULL;
        free(heap);
        if (!parts[i]) {
            taulu_warn(TAG, "TTF_RenderUTF8_Blended: %s", TTF_GetError());
            goto out;
        }
        width += parts[i]->w;
    }
    if (n == 1) {
        line = parts[0];
        parts[0] = NULL;
        goto out;
    }
    int asc = TTF_FontAscent(t->prim[font]);
    int height = TTF_FontHeight(t->prim[font]);
    line = SDL_CreateRGBSurfaceWithFormat(0, width > 0 ? width : 1, height, 32,
                                          SDL_PIXELFORMAT_ARGB8888);
    if (!line) {
        taulu_warn(TAG, "SDL_CreateRGBSurfaceWithFormat: %s", SDL_GetError());
        goto out;
    }
    SDL_FillRect(line, NULL, 0);
    int x = 0;
    for (size_t i = 0; i < n; i++) {
        TTF_Font *f = runs[i].fb ? t->fall[font] : t->prim[font];
        SDL_Rect dst = {x, asc - TTF_FontAscent(f), parts[i]->w, parts[i]->h};
        SDL_SetSurfaceBlendMode(parts[i], SDL_BLENDMODE_NONE);
        if (SDL_BlitSurface(parts[i], NULL, line, &dst) != 0) {
            taulu_warn(TAG, "SDL_BlitSurface: %s", SDL_GetError());
        }
        x += parts[i]->w;
    }
out:
    for (size_t i = 0; i < n; i++) {
        SDL_FreeSurface(parts[i]);
    }
    return line;
}

SDL_Texture *render_text_line(struct render_text *t, struct render_texcache *c,
                              SDL_Renderer *r, enum render_font font,
                              struct render_rgb fg, const char *utf8,
                              size_t len, int *w, int *h)
{
    if (!t || !c || !r || !utf8 || len == 0 || (int)font < 0 ||
        font >= RENDER_FONT_COUNT) {
        return NULL;
    }
    uint32_t param = ((uint32_t)font << 24) | ((uint32_t)fg.r << 16) |
                     ((uint32_t)fg.g << 8) | fg.b;
    SDL_Texture *tex =
        render_texcache_get(c, RENDER_TEX_TEXT, param, utf8, len, w, h);
    if (tex) {
        return tex;
    }
    SDL_Color col = {fg.r, fg.g, fg.b, 255};
    SDL_Surface *surf = render_runs(t, font, col, utf8, len);
    if (!surf) {
        return NULL;
    }
    tex = SDL_CreateTextureFromSurface(r, surf);
    int sw = surf->w, sh = surf->h;
    SDL_FreeSurface(surf);
    if (!tex) {
        taulu_warn(TAG, "SDL_CreateTextureFromSurface: %s", SDL_GetError());
        return NULL;
    }
    SDL_SetTextureBlendMode(tex, SDL_BLENDMODE_BLEND);
    if (render_texcache_put(c, RENDER_TEX_TEXT, param, utf8, len, tex, sw, sh) <
        0) {
        return NULL;
    }
    *w = sw;
    *h = sh;
    return tex;
}
