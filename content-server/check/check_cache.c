/*
 * check_cache.c: the analysis cache that makes re-checking cheap.
 *
 * The form re-checks the text on every pause in typing, and nearly all of a
 * Finnish check's time is Voikko: about 21 µs to analyse a word and 19 µs
 * to hyphenate a base form. Between two checks almost every word is the
 * same, so each Voikko handle keeps the analyses (and base-form syllable
 * counts) it has made. A handle is used by one run at a time (check_voikko.c
 * hands them out), so its cache needs no lock of its own.
 *
 * Open addressing with linear probing over a fixed number of slots; when
 * three quarters are in use the table is emptied and fills again with the
 * words now being typed. That bounds the memory (slots × ~260 bytes) and
 * needs no eviction bookkeeping on the hot path.
 */
#include <stdlib.h>
#include <string.h>

#include "check_morph.h"
#include "taulu_err.h"

#define KEY_MAX 64 /* bytes; longer words are analysed every time */

struct entry {
    uint32_t hash; /* 0: empty */
    uint8_t kind;  /* 'a' analysis of a surface word, 's' syllables */
    uint8_t len;
    int16_t syllables;
    char key[KEY_MAX];
    struct check_morph_word w; /* kind 'a' */
};

struct check_word_cache {
    struct entry *slot;
    unsigned nslots; /* a power of two */
    unsigned used;
    unsigned long hits, misses;
};

static uint32_t hash_key(uint8_t kind, const char *s, size_t len)
{
    uint32_t h = 2166136261u ^ kind;
    size_t i;

    for (i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h ? h : 1;
}

struct check_word_cache *check_cache_new(unsigned words)
{
    struct check_word_cache *c;
    unsigned n = 16;

    while (n < words + words / 3 && n < (1u << 20)) {
        n <<= 1;
    }
    c = calloc(1, sizeof(*c));
    if (!c) {
        return NULL;
    }
    c->slot = calloc(n, sizeof(*c->slot));
    if (!c->slot) {
        free(c);
        return NULL;
    }
    c->nslots = n;
    return c;
}

void check_cache_free(struct check_word_cache *c)
{
    if (!c) {
        return;
    }
    free(c->slot);
    free(c);
}

/* The slot holding (kind, key), or the empty slot where it would go. */
static struct entry *probe(struct check_word_cache *c, uint8_t kind,
                           const char *s, size_t len, uint32_t h)
{
    unsigned i = h & (c->nslots - 1);

    for (;;) {
        struct entry *e = &c->slot[i];

        if (e->hash == 0 || (e->hash == h && e->kind == kind && e->len == len &&
                             memcmp(e->key, s, len) == 0)) {
            return e;
        }
        i = (i + 1) & (c->nslots - 1);
    }
}

static struct entry *find(struct check_word_cache *c, uint8_t kind,
                          const char *s, size_t len)
{
    struct entry *e;

    if (!c || len == 0 || len > KEY_MAX) {
        return NULL;
    }
    e = probe(c, kind, s, len, hash_key(kind, s, len));
    if (e->hash == 0) {
        c->misses++;
        return NULL;
    }
    c->hits++;
    return e;
}

static struct entry *make(struct check_word_cache *c, uint8_t kind,
                          const char *s, size_t len)
{
    uint32_t h;
    struct entry *e;

    if (!c || len == 0 || len > KEY_MAX) {
        return NULL;
    }
    if (c->used + 1 > c->nslots - c->nslots / 4) {
        memset(c->slot, 0, (size_t)c->nslots * sizeof(*c->slot));
        c->used = 0;
    }
    h = hash_key(kind, s, len);
    e = probe(c, kind, s, len, h);
    if (e->hash == 0) {
        c->used++;
        e->hash = h;
        e->kind = kind;
        e->len = (uint8_t)len;
        memcpy(e->key, s, len);
    }
    return e;
}

int check_cache_get_word(struct check_word_cache *c, const char *word,
                         size_t len, struct check_morph_word *out)
{
    struct entry *e = find(c, 'a', word, len);

    if (!e) {
        return 0;
    }
    *out = e->w;
    return 1;
}

void check_cache_put_word(struct check_word_cache *c, const char *word,
                          size_t len, const struct check_morph_word *w)
{
    struct entry *e = make(c, 'a', word, len);

    if (e) {
        e->w = *w;
    }
}

int check_cache_get_syllables(struct check_word_cache *c, const char *base,
                              size_t len)
{
    struct entry *e = find(c, 's', base, len);

    return e ? e->syllables : -1;
}

void check_cache_put_syllables(struct check_word_cache *c, const char *base,
                               size_t len, int n)
{
    struct entry *e = make(c, 's', base, len);

    if (e) {
        e->syllables = (int16_t)n;
    }
}

void check_cache_stats(const struct check_word_cache *c, unsigned long *hits,
                       unsigned long *misses)
{
    *hits = c ? c->hits : 0;
    *misses = c ? c->misses : 0;
}
