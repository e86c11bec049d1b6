/*
 * player_cache.h: the player's content-addressed cache under one directory.
 *
 *   <dir>/assets/<sha256>     verified asset bytes (name = sha256 of bytes)
 *   <dir>/manifest.current    the signed manifest blob in use
 *   <dir>/manifest.previous   the one before (fallback if current is damaged)
 *   <dir>/lock                flock()ed while a process has the cache open
 *
 * Every write is: temporary file, fsync, rename, fsync of the directory
 * (common/taulu_file.h). An update is committed in this order, so that a
 * power cut at any moment leaves a complete old or new version:
 *
 *   1. every asset of the new manifest: "assets/.tmp-*", hash and size
 *      checked while written, fsync, rename to assets/<sha256>, fsync of
 *      assets/. Nothing refers to them yet.
 *   2. manifest.previous <- manifest.current: hard link to a temporary
 *      name, rename over manifest.previous, fsync of <dir> (a copy where
 *      the file system has no hard links). Both names now hold the old
 *      version, whose assets are all still there.
 *   3. manifest.current <- new blob (temporary file, fsync, rename, fsync
 *      of <dir>). This rename is the switch.
 *   4. only then: assets referenced by neither manifest are deleted.
 *
 * Leftover temporary files of a crash are removed by player_cache_open().
 *
 * Size: max_bytes bounds the assets. Assets no longer referenced by the
 * current or previous manifest are removed after every update; if the cache
 * is still over its bound, the assets only the previous manifest needs are
 * removed too (the previous version then no longer works as a fallback).
 * While an update downloads, the cache may hold current + new for a moment.
 *
 * Threads: one player_sync fills the cache on its thread while the main
 * thread loads from it; the functions below lock internally and are safe to
 * call from both. Only one process may have a cache directory open.
 *
 * Errors are negative enum taulu_err codes (common/taulu_err.h).
 */
#ifndef PLAYER_CACHE_H
#define PLAYER_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "taulu_buf.h"
#include "taulu_manifest.h"

#define PLAYER_CACHE_CURRENT  "manifest.current"
#define PLAYER_CACHE_PREVIOUS "manifest.previous"
#define PLAYER_CACHE_ASSETS   "assets"

struct player_cache;

/* Opens (creating if needed) the cache in `dir` with an asset budget of
 * max_bytes (0 = no bound). Takes the directory's lock, removes leftover
 * temporary files and counts the assets. 0, or TAULU_EIO (cannot create or
 * read), TAULU_EUNAVAIL (another process has it open), TAULU_EINVAL,
 * TAULU_ENOMEM; then *out is NULL. Free with player_cache_close().
 *
 * A directory that can be read but not written (a file system remounted
 * read-only after disk errors, EROFS; or one we may not write, EACCES,
 * EPERM) is opened READ-ONLY: what it holds can be loaded
 * (player_cache_load_current() and the asset paths work), nothing is
 * created, cleaned or locked exclusively (an existing lock file is locked
 * shared), and every write fails. player_cache_read_only() says so, and
 * the player then keeps new content elsewhere (player_content.h). */
int player_cache_open(const char *dir, uint64_t max_bytes,
                      struct player_cache **out);
/* Releases the lock and frees. Accepts NULL. */
void player_cache_close(struct player_cache *c);

/* Loads and fully verifies manifest.current (falls back to
 * manifest.previous if current is damaged or incomplete): signature with
 * pk, screen id, and every asset present with the right size and hash.
 * On success *out_manifest is new (caller frees with taulu_manifest_free())
 * and out_sha256 holds the sha256 of the signed blob. TAULU_ENOTFOUND on an
 * empty cache; otherwise the error of manifest.current (TAULU_ESIG,
 * TAULU_EHASH, TAULU_EVALUE ...) when neither works. On error
 * *out_manifest is NULL and out_sha256 "". */
int player_cache_load_current(struct player_cache *c, const uint8_t pk[32],
                              const char *screen_id,
                              struct taulu_manifest **out_manifest,
                              char out_sha256[65]);

/* Path of a cached asset (for the renderer's image loading):
 * "<dir>/assets/<sha256>". 0, TAULU_EINVAL (not a sha256) or TAULU_ELIMIT
 * (out too small). Does not check that the file exists. */
int player_cache_asset_path(const struct player_cache *c, const char *sha256,
                            char *out, size_t out_size);

/* Whether the cache was opened read-only, and (why, may be NULL) the
 * error that writing met ("Read-only file system"). */
bool player_cache_read_only(const struct player_cache *c, const char **why);
/* The cache's directory. */
const char *player_cache_dir(const struct player_cache *c);

/* Bytes of assets in the cache now. */
uint64_t player_cache_bytes(const struct player_cache *c);
/* The bound given to player_cache_open() (0 = none). */
uint64_t player_cache_max_bytes(const struct player_cache *c);

/* ---- used by player_sync (and tests) to fill the cache ---- */

/* 0 if the asset is in the cache with the right size and sha256.
 * TAULU_ENOTFOUND if it is missing; TAULU_EHASH if it was there but
 * damaged (then it has been removed, so it can be fetched again). */
int player_cache_asset_check(struct player_cache *c,
                             const struct taulu_asset_ref *a);

/* A fresh temporary path inside assets/ for a download
 * ("<dir>/assets/.tmp-<pid>-<n>"). 0 or TAULU_ELIMIT. */
int player_cache_asset_tmp_path(struct player_cache *c, char *out,
                                size_t out_size);

/* Takes over a downloaded temporary file (written and fsync'd by the
 * caller) whose sha256 the caller computed while writing: checks that
 * `got_sha256` and the file's size match `a`, renames it to
 * assets/<sha256> and fsyncs assets/. 0, TAULU_EHASH (wrong size or hash:
 * the temporary file is removed) or TAULU_EIO. */
int player_cache_asset_commit(struct player_cache *c, const char *tmp_path,
                              const struct taulu_asset_ref *a,
                              const char *got_sha256);

/* Called before downloading the assets of `next`: removes assets needed by
 * none of current, previous and next, and if the cache would then exceed
 * its bound with next's missing assets, also those only the previous
 * manifest needs. TAULU_ELIMIT (with nothing removed) if next's assets
 * alone exceed the bound; 0 otherwise. */
int player_cache_prepare(struct player_cache *c,
                         const struct taulu_manifest *next);

/* Makes `blob` (a signed manifest the caller verified into `m`, whose
 * sha256 is `sha256`) the current version, in the order described at the
 * top, then cleans up. Every asset of m must be in the cache (size
 * checked; TAULU_ENOTFOUND otherwise, nothing changed). 0 or TAULU_EIO
 * (then the old version is still current or the new one is complete). */
int player_cache_install(struct player_cache *c, const char *blob, size_t len,
                         const struct taulu_manifest *m, const char *sha256);

#endif
