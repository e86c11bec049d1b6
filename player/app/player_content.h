/*
 * player_content.h: the manifest the player shows and where its files
 * are: a manifest file given on the command line (signed, checked with
 * the server's key, or plain JSON for previews and tests) or the cache's
 * current one (player/sync/player_cache.h), the server's public key, and
 * the asset lookup the card mapping uses (struct player_assets).
 *
 * Ownership: the manifest in `m` is the struct's (freed by
 * player_content_release(), or by the caller after taking it out); the
 * configuration is borrowed (the program's, which a reload updates in
 * place). The cache is opened here and closed by the release; stop
 * whatever else uses it (the sync threads) before that.
 */
#ifndef PLAYER_CONTENT_H
#define PLAYER_CONTENT_H

#include <stdbool.h>
#include <stdint.h>

#include "taulu_crypto.h"
#include "taulu_manifest.h"

#include "player_cache.h"
#include "player_cards.h"
#include "player_config.h"

struct player_content {
    const struct player_config *cfg;       /* borrowed */
    struct taulu_manifest *m;              /* shown; NULL: none yet */
    char sha256[TAULU_SHA256_HEX_LEN + 1]; /* of m's signed file */
    uint8_t pk[TAULU_SIGN_PK_LEN];
    bool have_pk;
    char manifest_dir[512]; /* a manifest file's folder (its assets/) */
    struct player_cache *cache;
    struct player_assets assets; /* -> the files of m's images */
};

void player_content_init(struct player_content *ct,
                         const struct player_config *cfg);
/* Closes the cache and frees the manifest; accepts a zeroed struct. */
void player_content_release(struct player_content *ct);

/* The server's key from cfg->server_pk_file, read once. 0,
 * TAULU_ENOTFOUND (none configured) or the read's error (logged). */
int player_content_key(struct player_content *ct);

/* Reads, checks (a signed file: with the server's key) and parses a
 * manifest file into *out, and remembers its folder and hash. Errors are
 * logged; *out is untouched on failure. */
int player_content_load_file(struct player_content *ct, const char *path,
                             struct taulu_manifest **out);

/* Opens the cache in cfg->cache_dir (once). 0 or its error (logged). */
int player_content_open_cache(struct player_content *ct);

/* The cache's current manifest, verified; NULL when there is none or it
 * cannot be used (logged). The caller owns it. */
struct taulu_manifest *player_content_load_cached(struct player_content *ct);

#endif
