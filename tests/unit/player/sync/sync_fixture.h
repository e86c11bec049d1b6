/*
 * sync_fixture.h: test content for the player's sync and cache tests: a
 * signing key, signed manifests with assets of chosen sizes, written where
 * the test HTTP server (tsupport_http.h) serves them, or installed straight
 * into a cache.
 *
 * Test code only: failures abort the test program with a message.
 */
#ifndef SYNC_FIXTURE_H
#define SYNC_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

#include "player_cache.h"
#include "taulu_buf.h"

#define FX_SCREEN "lobby-1"
#define FX_TOKEN  "t0ken-Secret-42"

struct fx_version {
    int64_t seq;
    char sha256[65];       /* of the signed blob */
    struct taulu_buf blob; /* the signed manifest */
    unsigned n_assets;
    char asset_sha[8][65];
    size_t asset_size[8];
    unsigned char *asset_data[8];
};

struct fx {
    uint8_t pk[32], sk[64];
    char root[512];  /* served by the test HTTP server */
    char cache[512]; /* a fresh cache directory */
};

/* A key pair and two fresh directories named after `tag`. */
void fx_init(struct fx *f, const char *tag);

/* Builds a signed manifest for FX_SCREEN with n_assets (<= 8) assets of
 * `size` bytes each whose content depends on `seed`. */
void fx_version(const struct fx *f, struct fx_version *v, int64_t seq,
                unsigned n_assets, size_t size, unsigned seed);
void fx_version_release(struct fx_version *v);

/* Writes the version's assets and manifest under f->root. */
void fx_serve(const struct fx *f, const struct fx_version *v);
/* Writes arbitrary bytes as the served manifest. */
void fx_serve_manifest_bytes(const struct fx *f, const void *data, size_t len);
/* Writes arbitrary bytes as a served asset. */
void fx_serve_asset_bytes(const struct fx *f, const char *sha, const void *data,
                          size_t len);

/* Puts the version into an open cache the way the sync does. */
void fx_install(struct player_cache *c, const struct fx_version *v);

/* The retained pointer payload for a version: {"v":1,"seq":..,"sha256":..} */
void fx_pointer(int64_t seq, const char *sha, struct taulu_buf *out);

/* Writes `len` bytes to a file (truncating). */
void fx_write(const char *path, const void *data, size_t len);

#endif
