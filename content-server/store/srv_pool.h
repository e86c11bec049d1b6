/*
 * srv_pool.h: a per-request memory pool (h2o style).
 *
 * Everything a request handler reads from the store (strings, arrays of
 * records) is allocated from the request's pool and freed at once when the
 * request completes, so handlers never free record by record. Allocation
 * failure aborts the program (program code may abort on out-of-memory;
 * systemd restarts the server).
 */
#ifndef SRV_POOL_H
#define SRV_POOL_H

#include <stddef.h>

struct srv_pool_chunk;

struct srv_pool {
    struct srv_pool_chunk *chunks; /* newest first */
};

void srv_pool_init(struct srv_pool *p);
/* Frees every allocation; the pool stays usable. Accepts an initialised
 * pool that never allocated. */
void srv_pool_release(struct srv_pool *p);

/* Zeroed memory aligned for any type; never NULL. */
void *srv_pool_alloc(struct srv_pool *p, size_t size);
/* Copies of a string / of len bytes plus a NUL; NULL in, NULL out. */
char *srv_pool_strdup(struct srv_pool *p, const char *s);
char *srv_pool_strndup(struct srv_pool *p, const char *s, size_t len);
/* Grows an array of `*cap` elements of `elem` bytes to hold at least one
 * more, copying the old contents (the old block stays in the pool). */
void *srv_pool_grow(struct srv_pool *p, void *arr, size_t elem, size_t *cap);

#endif
