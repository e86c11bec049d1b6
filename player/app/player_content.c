/*
 * player_content.c: the manifest to show, from a file or the cache, and
 * its assets' files (see player_content.h).
 */
#include "player_content.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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
        int rc = player_cache_asset_path(ct->cache, sha256, buf, size);
        /* the read-only cache's file when the memory one has none */
        if (rc == 0 && ct->ro_cache && stat(buf, &st) != 0) {
            rc = player_cache_asset_path(ct->ro_cache, sha256, buf, size);
        }
        return rc;
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
    player_cache_close(ct->ro_cache);
    ct->ro_cache = NULL;
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

/* Bytes the cache in memory may hold: the configured bound, at most this
 * (it is RAM). */
#define MEMORY_CACHE_MAX (128u * 1024u * 1024u)

/* A directory of our own on a memory file system for the cache of a
 * player whose cache_dir is read-only: $RUNTIME_DIRECTORY (systemd's
 * RuntimeDirectory=, a tmpfs), else /dev/shm, else /tmp; named after the
 * screen so that a restart finds what the last run fetched. Refused if
 * someone else made it (it must be ours and private). 0 or TAULU_EIO. */
static int memory_dir(const struct player_config *cfg, char *out, size_t size)
{
    const char *env = getenv("RUNTIME_DIRECTORY");
    const char *bases[3] = {NULL, "/dev/shm", "/tmp"};
    char base[512];
    struct stat st;
    size_t i;
    int n;

    if (env && *env) {
        /* several directories are separated by ':' */
        snprintf(base, sizeof base, "%.*s", (int)strcspn(env, ":"), env);
        bases[0] = base;
    }
    for (i = 0; i < 3; i++) {
        if (!bases[i] || access(bases[i], W_OK | X_OK) != 0) {
            continue;
        }
        n = snprintf(out, size, "%s/infotaulu-cache-%s", bases[i],
                     cfg->screen_id[0] ? cfg->screen_id : "player");
        if (n < 0 || (size_t)n >= size) {
            continue;
        }
        if (mkdir(out, 0700) < 0 && errno != EEXIST) {
            continue;
        }
        if (lstat(out, &st) == 0 && S_ISDIR(st.st_mode) &&
            st.st_uid == geteuid() && (st.st_mode & 077) == 0) {
            return 0;
        }
        taulu_warn(TAG, "%s is not a private directory of ours; not used", out);
    }
    return TAULU_EIO;
}

int player_content_open_cache(struct player_content *ct)
{
    uint64_t max = (uint64_t)ct->cfg->cache_max_mb * 1024u * 1024u;
    struct player_cache *c = NULL, *mem = NULL;
    char dir[600];
    const char *why = "";
    int rc;

    if (ct->cache) {
        return 0;
    }
    rc = player_cache_open(ct->cfg->cache_dir, max, &c);
    if (rc < 0) {
        taulu_err(TAG, "cache %s: %s", ct->cfg->cache_dir, taulu_strerror(rc));
        return rc;
    }
    if (!player_cache_read_only(c, &why)) {
        ct->cache = c;
        return 0;
    }
    /* Show what the disk holds; keep what comes new in memory, so that
     * the screen goes on being updated until the disk is repaired. */
    if (max == 0 || max > MEMORY_CACHE_MAX) {
        max = MEMORY_CACHE_MAX;
    }
    if (memory_dir(ct->cfg, dir, sizeof dir) == 0 &&
        player_cache_open(dir, max, &mem) == 0) {
        ct->cache = mem;
        ct->ro_cache = c;
        snprintf(ct->cache_note, sizeof ct->cache_note,
                 "cache %.60s is read-only (%.40s); new content is kept in "
                 "memory",
                 ct->cfg->cache_dir, why);
        taulu_warn(TAG, "%s (%s)", ct->cache_note, dir);
    } else {
        /* Nowhere to write: the sync still reports, its installs fail. */
        ct->cache = c;
        snprintf(ct->cache_note, sizeof ct->cache_note,
                 "cache %.60s is read-only (%.40s) and there is no memory "
                 "cache: new content cannot be kept",
                 ct->cfg->cache_dir, why);
        taulu_err(TAG, "%s", ct->cache_note);
    }
    return 0;
}

struct taulu_manifest *player_content_load_cached(struct player_content *ct)
{
    struct taulu_manifest *m = NULL, *ro = NULL;
    const char *screen = ct->cfg->screen_id[0] ? ct->cfg->screen_id : NULL;
    char sha[TAULU_SHA256_HEX_LEN + 1], ro_sha[TAULU_SHA256_HEX_LEN + 1];
    int rc;

    if (!ct->cache || player_content_key(ct) < 0) {
        return NULL;
    }
    rc = player_cache_load_current(ct->cache, ct->pk, screen, &m, sha);
    if (rc < 0 && rc != TAULU_ENOTFOUND) {
        taulu_warn(TAG, "cached manifest not used: %s", taulu_strerror(rc));
    }
    if (ct->ro_cache &&
        player_cache_load_current(ct->ro_cache, ct->pk, screen, &ro, ro_sha) ==
            0 &&
        (!m || ro->seq > m->seq)) {
        /* what the read-only disk holds is newer than memory's */
        taulu_manifest_free(m);
        m = ro;
        ro = NULL;
        memcpy(sha, ro_sha, sizeof sha);
    }
    taulu_manifest_free(ro);
    if (m) {
        memcpy(ct->sha256, sha, sizeof sha);
    }
    return m;
}
