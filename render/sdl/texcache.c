/*
 * texcache.c: a bounded LRU cache of SDL textures; see texcache.h.
 */
#include "texcache.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "taulu_err.h"

struct entry {
    enum render_tex_kind kind;
    uint32_t param;
    char *key;
    size_t key_len;
    SDL_Texture *tex;
    int w, h;
    size_t bytes;
    uint64_t used;
};

struct render_texcache {
    SDL_Renderer *r;
    uint64_t *hashes; /* scanned on every lookup: kept apart and compact */
    struct entry *e;
    size_t n, max;
    size_t bytes, max_bytes;
    uint64_t tick, frame_start;
    struct render_cache_stats st;
};

static uint64_t hash_key(enum render_tex_kind kind, uint32_t param,
                         const void *key, size_t len)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    uint32_t k = (uint32_t)kind;
    const unsigned char *p = (const unsigned char *)&k;
    for (size_t i = 0; i < sizeof k; i++) {
        h = (h ^ p[i]) * 1099511628211ULL;
    }
    p = (const unsigned char *)&param;
    for (size_t i = 0; i < sizeof param; i++) {
        h = (h ^ p[i]) * 1099511628211ULL;
    }
    p = key;
    for (size_t i = 0; i < len; i++) {
        h = (h ^ p[i]) * 1099511628211ULL;
    }
    return h;
}

int render_texcache_new(SDL_Renderer *renderer, size_t max_entries,
                        size_t max_bytes, struct render_texcache **out)
{
    if (!renderer || !out || max_entries == 0 || max_entries > 65536) {
        return TAULU_EINVAL;
    }
    struct render_texcache *c = calloc(1, sizeof *c);
    if (!c) {
        return TAULU_ENOMEM;
    }
    c->hashes = calloc(max_entries, sizeof *c->hashes);
    c->e = calloc(max_entries, sizeof *c->e);
    if (!c->hashes || !c->e) {
        free(c->hashes);
        free(c->e);
        free(c);
        return TAULU_ENOMEM;
    }
    c->r = renderer;
    c->max = max_entries;
    c->max_bytes = max_bytes;
    *out = c;
    return TAULU_OK;
}

static void drop(struct render_texcache *c, size_t i)
{
    struct entry *e = &c->e[i];
    SDL_DestroyTexture(e->tex);
    free(e->key);
    c->bytes -= e->bytes;
    c->n--;
    if (i != c->n) {
        c->e[i] = c->e[c->n];
        c->hashes[i] = c->hashes[c->n];
    }
    c->st.evictions++;
}

void render_texcache_free(struct render_texcache *c)
{
    if (!c) {
        return;
    }
    for (size_t i = 0; i < c->n; i++) {
        SDL_DestroyTexture(c->e[i].tex);
        free(c->e[i].key);
    }
    free(c->hashes);
    free(c->e);
    free(c);
}

void render_texcache_frame(struct render_texcache *c)
{
    c->frame_start = ++c->tick;
}

SDL_Texture *render_texcache_get(struct render_texcache *c,
                                 enum render_tex_kind kind, uint32_t param,
                                 const void *key, size_t key_len, int *w,
                                 int *h)
{
    uint64_t hv = hash_key(kind, param, key, key_len);
    for (size_t i = 0; i < c->n; i++) {
        if (c->hashes[i] != hv) {
            continue;
        }
        struct entry *e = &c->e[i];
        if (e->kind == kind && e->param == param && e->key_len == key_len &&
            memcmp(e->key, key, key_len) == 0) {
            e->used = ++c->tick;
            c->st.hits++;
            *w = e->w;
            *h = e->h;
            return e->tex;
        }
    }
    c->st.misses++;
    return NULL;
}

/* Evicts the least recently used entry not used in this frame (or, if
 * `any`, the least recently used of all). false if none. */
static bool evict_one(struct render_texcache *c, bool any)
{
    size_t best = c->n;
    for (size_t i = 0; i < c->n; i++) {
        if (!any && c->e[i].used >= c->frame_start) {
            continue;
        }
        if (best == c->n || c->e[i].used < c->e[best].used) {
            best = i;
        }
    }
    if (best == c->n) {
        return false;
    }
    drop(c, best);
    return true;
}

void render_texcache_set_budget(struct render_texcache *c, size_t max_bytes)
{
    if (!c) {
        return;
    }
    c->max_bytes = max_bytes;
    while (c->n > 0 && c->bytes > c->max_bytes && evict_one(c, false)) {
    }
}

int render_texcache_put(struct render_texcache *c, enum render_tex_kind kind,
                        uint32_t param, const void *key, size_t key_len,
                        SDL_Texture *tex, int w, int h)
{
    size_t bytes = (size_t)w * (size_t)h * 4;
    while (c->n > 0 && c->bytes + bytes > c->max_bytes && evict_one(c, false)) {
    }
    if (c->n == c->max && !evict_one(c, false) && !evict_one(c, true)) {
        SDL_DestroyTexture(tex);
        return TAULU_ENOMEM;
    }
    char *k = malloc(key_len ? key_len : 1);
    if (!k) {
        SDL_DestroyTexture(tex);
        return TAULU_ENOMEM;
    }
    if (key_len) {
        memcpy(k, key, key_len);
    }
    struct entry *e = &c->e[c->n];
    e->kind = kind;
    e->param = param;
    e->key = k;
    e->key_len = key_len;
    e->tex = tex;
    e->w = w;
    e->h = h;
    e->bytes = bytes;
    e->used = ++c->tick;
    c->hashes[c->n] = hash_key(kind, param, key, key_len);
    c->n++;
    c->bytes += bytes;
    return TAULU_OK;
}

void render_texcache_stats(const struct render_texcache *c,
                           struct render_cache_stats *out)
{
    *out = c->st;
    out->entries = c->n;
    out->bytes = c->bytes;
}
