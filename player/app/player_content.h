/*
 * player_content.h: the manifest the player shows and where its files
 * are: a manifest file given on the command line (signed, checked with
 * the server's key, or plain JSON for previews and tests) or the cache's
 * current one (player/sync/player_cache.h), the server's public key, and
 * the asset lookup the card mapping uses (struct player_assets).
 *
 * A read-only cache (a disk remounted read-only after errors): what it
 * holds is shown, and new content is kept in a second cache in memory
 * (tmpfs: $RUNTIME_DIRECTORY, else /dev/shm, else /tmp), which the sync
 * fills; the newer of the two is shown. `cache_note` says so for the
 * status report.
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
    /* The cache the sync fills and new content is loaded from: the one in
     * cfg->cache_dir, or, when that is read-only, the one in memory. */
    struct player_cache *cache;
    /* The read-only cache_dir when `cache` is the one in memory (its
     * content is shown until the sync brings something newer). */
    struct player_cache *ro_cache;
    char cache_note[201]; /* "" or why the cache is not what it should be */
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

/* Opens the cache in cfg->cache_dir (once); if it is read-only, also the
 * one in memory (see above). 0 or its error (logged). */
int player_content_open_cache(struct player_content *ct);

/* The cache's current manifest, verified (of the two caches, the one with
 * the higher seq); NULL when there is none or it cannot be used (logged).
 * The caller owns it. */
struct taulu_manifest *player_content_load_cached(struct player_content *ct);

#endif
