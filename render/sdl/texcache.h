/*
 * texcache.h: a bounded cache of SDL textures (SDL edge).
 *
 * Text lines, QR codes and images are turned into textures once and reused
 * while they stay on screen, so drawing a steady card does no allocation
 * and no rasterising: a lookup compares 64-bit hashes in one array. Entries
 * are keyed by (kind, a small number such as the font or the colour, and
 * the key bytes); the least recently used are destroyed when the cache goes
 * over its byte or entry budget, but never an entry used in the current
 * frame (render_texcache_frame() starts a frame).
 */
#ifndef RENDER_TEXCACHE_H
#define RENDER_TEXCACHE_H

#include <SDL2/SDL.h>
#include <stddef.h>
#include <stdint.h>

enum render_tex_kind {
    RENDER_TEX_TEXT = 1,
    RENDER_TEX_QR,
    RENDER_TEX_IMAGE,
};

struct render_cache_stats {
    unsigned long hits, misses, evictions;
    size_t entries, bytes;
};

struct render_texcache;

/* A cache for textures of `renderer` (borrowed; it must outlive the cache)
 * with at most `max_entries` entries and about `max_bytes` of pixels.
 * 0, TAULU_EINVAL or TAULU_ENOMEM. */
int render_texcache_new(SDL_Renderer *renderer, size_t max_entries,
                        size_t max_bytes, struct render_texcache **out);
/* Destroys every texture; accepts NULL. */
void render_texcache_free(struct render_texcache *c);

/* Marks the start of a frame (entries used from now on are kept). */
void render_texcache_frame(struct render_texcache *c);

/* The texture for the key, or NULL (a miss, counted). Sets *w, *h. */
SDL_Texture *render_texcache_get(struct render_texcache *c,
                                 enum render_tex_kind kind, uint32_t param,
                                 const void *key, size_t key_len, int *w,
                                 int *h);

/* Stores a texture under the key; the cache takes it over (on failure it
 * is destroyed). 0 or TAULU_ENOMEM. */
int render_texcache_put(struct render_texcache *c, enum render_tex_kind kind,
                        uint32_t param, const void *key, size_t key_len,
                        SDL_Texture *tex, int w, int h);

/* Changes the byte budget; entries not used in the current frame are
 * destroyed, least recently used first, until the cache is within it. (A
 * player that keeps each card in a texture of its own needs only a small
 * cache; a preview server a big one.) Accepts NULL. */
void render_texcache_set_budget(struct render_texcache *c, size_t max_bytes);

void render_texcache_stats(const struct render_texcache *c,
                           struct render_cache_stats *out);

#endif
