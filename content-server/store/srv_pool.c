/*
 * srv_pool.c: the per-request memory pool. Small allocations are carved out
 * of 8 KiB chunks; a larger one gets a chunk of its own.
 */
#include "srv_pool.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK_SIZE 8192
#define ALIGN      16

struct srv_pool_chunk {
    struct srv_pool_chunk *next;
    size_t used;
    size_t size;
    _Alignas(16) unsigned char data[];
};

static void *xmalloc(size_t n)
{
    void *p = malloc(n);
    if (!p) {
        fputs("srv_pool: out of memory\n", stderr);
        abort();
    }
    return p;
}

void srv_pool_init(struct srv_pool *p)
{
    p->chunks = NULL;
}

void srv_pool_release(struct srv_pool *p)
{
    struct srv_pool_chunk *c, *next;

    if (!p) {
        return;
    }
    for (c = p->chunks; c; c = next) {
        next = c->next;
        free(c);
    }
    p->chunks = NULL;
}

void *srv_pool_alloc(struct srv_pool *p, size_t size)
{
    struct srv_pool_chunk *c = p->chunks;
    size_t need = (size + ALIGN - 1) & ~(size_t)(ALIGN - 1);
    void *out;

    if (size > SIZE_MAX / 2) {
        fputs("srv_pool: allocation too large\n", stderr);
        abort();
    }
    if (need == 0) {
        need = ALIGN;
    }
    if (!c || c->size - c->used < need) {
        size_t sz = need > CHUNK_SIZE / 4 ? need : CHUNK_SIZE;
        c = xmalloc(sizeof(*c) + sz);
        c->used = 0;
        c->size = sz;
        if (sz == CHUNK_SIZE || !p->chunks) {
            c->next = p->chunks;
            p->chunks = c;
        } else {
            /* A big block goes behind the current chunk so the free space
             * of the current chunk is not abandoned. */
            c->next = p->chunks->next;
            p->chunks->next = c;
        }
    }
    out = c->data + c->used;
    c->used += need;
    memset(out, 0, size);
    return out;
}

char *srv_pool_strndup(struct srv_pool *p, const char *s, size_t len)
{
    char *out;

    if (!s) {
        return NULL;
    }
    out = srv_pool_alloc(p, len + 1);
    memcpy(out, s, len);
    out[len] = '\0';
    return out;
}

char *srv_pool_strdup(struct srv_pool *p, const char *s)
{
    return s ? srv_pool_strndup(p, s, strlen(s)) : NULL;
}

void *srv_pool_grow(struct srv_pool *p, void *arr, size_t elem, size_t *cap)
{
    size_t ncap = *cap ? *cap * 2 : 8;
    void *n;

    if (ncap > SIZE_MAX / 2 / elem) {
        fputs("srv_pool: array too large\n", stderr);
        abort();
    }
    n = srv_pool_alloc(p, ncap * elem);
    if (arr && *cap) {
        memcpy(n, arr, *cap * elem);
    }
    *cap = ncap;
    return n;
}
