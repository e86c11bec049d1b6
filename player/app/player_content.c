/*
 * player_content.c: the manifest to show, from a file or the cache, and
 * its assets' files (see player_content.h).
 */
#include "player_content.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "taulu_err.h"
#include "taulu_file.h"
#include "taulu_log.h"

#define TAG "player"

static int asset_path(void *ctx, const char *sha256, char *buf, size_t size)
{
    struct player_content *ct = ctx;
    struct stat st;
    int n;

    if (ct->cache) {
        return player_cache_asset_path(ct->cache, sha256, buf, size);
    }
    if (!taulu_is_sha256_hex(sha256)) {
        return TAULU_EINVAL;
    }
    /* A manifest given as a file: its assets beside it in assets/, else
     * in the cache directory's assets/ (the cache's layout). */
    if (ct->manifest_dir[0]) {
        n = snprintf(buf, size, "%s/assets/%s", ct->manifest_dir, sha256);
        if (n > 0 && (size_t)n < size && stat(buf, &st) == 0) {
            return 0;
        }
    }
    n = snprintf(buf, size, "%s/assets/%s", ct->cfg->cache_dir, sha256);
    if (n < 0 || (size_t)n >= size) {
        return TAULU_ELIMIT;
    }
    return stat(buf, &st) == 0 ? 0 : TAULU_ENOTFOUND;
}

void player_content_init(struct player_content *ct,
                         const struct player_config *cfg)
{
    memset(ct, 0, sizeof *ct);
    ct->cfg = cfg;
    ct->assets.path = asset_path;
    ct->assets.ctx = ct;
}

void player_content_release(struct player_content *ct)
{
    if (!ct) {
        return;
    }
    player_cache_close(ct->cache);
    ct->cache = NULL;
    taulu_manifest_free(ct->m);
    ct->m = NULL;
}

int player_content_key(struct player_content *ct)
{
    int rc;

    if (ct->have_pk) {
        return 0;
    }
    if (!ct->cfg->server_pk_file[0]) {
        return TAULU_ENOTFOUND;
    }
    rc = taulu_read_public_key(ct->cfg->server_pk_file, ct->pk);
    if (rc < 0) {
        taulu_warn(TAG, "server key %s: %s", ct->cfg->server_pk_file,
                   taulu_strerror(rc));
        return rc;
    }
    ct->have_pk = true;
    return 0;
}

/* A manifest file: signed (checked with the server key) or plain JSON
 * (previews and tests: what is drawn is the same). */
int player_content_load_file(struct player_content *ct, const char *path,
                             struct taulu_manifest **out)
{
    struct taulu_buf blob, why;
    const char *json;
    size_t json_len;
    const char *slash;
    int rc;

    taulu_buf_init(&blob, TAULU_MANIFEST_SIGNED_MAX_BYTES);
    taulu_buf_init(&why, 4096);
    rc = taulu_file_read(path, &blob);
    if (rc < 0) {
        taulu_err(TAG, "%s: %s", path, taulu_strerror(rc));
        goto out;
    }
    json = blob.data;
    json_len = blob.len;
    if (blob.len >= strlen(TAULU_MANIFEST_SIG_PREFIX) &&
        memcmp(blob.data, TAULU_MANIFEST_SIG_PREFIX,
               strlen(TAULU_MANIFEST_SIG_PREFIX)) == 0) {
        rc = player_content_key(ct);
        if (rc < 0) {
            taulu_err(TAG, "%s is signed; set server_pk_file to check it",
                      path);
            goto out;
        }
        rc = taulu_manifest_open(blob.data, blob.len, ct->pk, NULL, &json,
                                 &json_len, &why);
        if (rc < 0) {
            taulu_err(TAG, "%s: refused: %s", path, why.data);
            goto out;
        }
    }
    rc = taulu_manifest_parse(json, json_len, out, &why);
    if (rc < 0) {
        taulu_err(TAG, "%s: %s", path, why.data);
        goto out;
    }
    taulu_sha256_hex(blob.data, blob.len, ct->sha256);
    slash = strrchr(path, '/');
    if (slash) {
        snprintf(ct->manifest_dir, sizeof ct->manifest_dir, "%.*s",
                 (int)(slash - path), path);
    } else {
        snprintf(ct->manifest_dir, sizeof ct->manifest_dir, ".");
    }
out:
    taulu_buf_release(&blob);
    taulu_buf_release(&why);
    return rc;
}

int player_content_open_cache(struct player_content *ct)
{
    int rc;

    if (ct->cache) {
        return 0;
    }
    rc = player_cache_open(ct->cfg->cache_dir,
                           (uint64_t)ct->cfg->cache_max_mb * 1024u * 1024u,
                           &ct->cache);
    if (rc < 0) {
        taulu_err(TAG, "cache %s: %s", ct->cfg->cache_dir, taulu_strerror(rc));
    }
    return rc;
}

struct taulu_manifest *player_content_load_cached(struct player_content *ct)
{
    struct taulu_manifest *m = NULL;
    const char *screen = ct->cfg->screen_id[0] ? ct->cfg->screen_id : NULL;
    int rc;

    if (!ct->cache || player_content_key(ct) < 0) {
        return NULL;
    }
    rc = player_cache_load_current(ct->cache, ct->pk, screen, &m, ct->sha256);
    if (rc < 0 && rc != TAULU_ENOTFOUND) {
        taulu_warn(TAG, "cached manifest not used: %s", taulu_strerror(rc));
    }
    return rc < 0 ? NULL : m;
}
