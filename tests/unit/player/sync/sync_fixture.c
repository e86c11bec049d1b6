/*
 * sync_fixture.c: test content for the sync and cache tests (see
 * sync_fixture.h).
 */
#include "sync_fixture.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "taulu_crypto.h"
#include "taulu_file.h"
#include "taulu_manifest.h"
#include "taulu_proto.h"
#include "tsupport.h"

static void die(const char *what)
{
    fprintf(stderr, "sync_fixture: %s\n", what);
    abort();
}

void fx_write(const char *path, const void *data, size_t len)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    const char *p = data;
    size_t done = 0;

    if (fd < 0) {
        die(path);
    }
    while (done < len) {
        ssize_t n = write(fd, p + done, len - done);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            die("write");
        }
        done += (size_t)n;
    }
    close(fd);
}

void fx_init(struct fx *f, const char *tag)
{
    char t[64], path[700];

    memset(f, 0, sizeof *f);
    if (taulu_crypto_init() < 0 || taulu_sign_keypair(f->pk, f->sk) < 0) {
        die("crypto");
    }
    snprintf(t, sizeof t, "%s-root", tag);
    if (tsupport_tmpdir(t, f->root, sizeof f->root) < 0) {
        die("tmpdir");
    }
    snprintf(t, sizeof t, "%s-cache", tag);
    if (tsupport_tmpdir(t, f->cache, sizeof f->cache) < 0) {
        die("tmpdir");
    }
    snprintf(path, sizeof path, "%s/api/v1/assets", f->root);
    if (taulu_mkdir_p(path, 0755) < 0) {
        die("mkdir assets");
    }
    snprintf(path, sizeof path, "%s/api/v1/screens/" FX_SCREEN, f->root);
    if (taulu_mkdir_p(path, 0755) < 0) {
        die("mkdir screens");
    }
}

void fx_version(const struct fx *f, struct fx_version *v, int64_t seq,
                unsigned n_assets, size_t size, unsigned seed)
{
    struct taulu_manifest *m = taulu_manifest_new();
    struct taulu_buf json, why;

    if (!m || n_assets > 8 || size == 0) {
        die("fx_version arguments");
    }
    memset(v, 0, sizeof *v);
    v->seq = seq;
    v->n_assets = n_assets;
    m->screen_id = taulu_manifest_strdup(m, FX_SCREEN);
    m->seq = seq;
    m->built_at = 1767225600; /* 2026-01-01T00:00:00Z */
    m->centre.id = taulu_manifest_strdup(m, "ylivieska");
    memcpy(m->centre.name[0].lang, "fi", 3);
    m->centre.name[0].text = taulu_manifest_strdup(m, "Ylivieskan perhekeskus");
    m->centre.n_name = 1;
    m->centre.timezone = taulu_manifest_strdup(m, "Europe/Helsinki");
    memcpy(m->centre.languages[0], "fi", 3);
    m->centre.n_languages = 1;
    m->profile.width_px = 1920;
    m->profile.height_px = 1080;
    m->profile.orientation = TAULU_LANDSCAPE;
    m->profile.diagonal_in_x10 = 550;
    m->profile.distance_mm = 3000;
    if (n_assets) {
        m->assets = taulu_manifest_alloc(m, n_assets * sizeof *m->assets);
        if (!m->assets) {
            die("alloc");
        }
    }
    for (unsigned i = 0; i < n_assets; i++) {
        unsigned char *d = malloc(size);
        uint32_t x = seed * 2654435761u + i * 40503u + 1u;
        if (!d) {
            die("malloc");
        }
        for (size_t k = 0; k < size; k++) {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            d[k] = (unsigned char)x;
        }
        v->asset_data[i] = d;
        v->asset_size[i] = size;
        taulu_sha256_hex(d, size, v->asset_sha[i]);
        memcpy(m->assets[i].sha256, v->asset_sha[i], 65);
        m->assets[i].size = (int64_t)size;
        m->assets[i].type = TAULU_MEDIA_PNG;
    }
    m->n_assets = n_assets;
    taulu_buf_init(&json, TAULU_MANIFEST_MAX_BYTES);
    taulu_buf_init(&why, 1024);
    if (taulu_manifest_write(m, &json) < 0) {
        taulu_manifest_validate(m, &why);
        fprintf(stderr, "sync_fixture: invalid manifest: %s\n", why.data);
        die("manifest_write");
    }
    taulu_buf_init(&v->blob, TAULU_MANIFEST_SIGNED_MAX_BYTES);
    if (taulu_manifest_sign(json.data, json.len, f->sk, &v->blob) < 0) {
        die("sign");
    }
    taulu_sha256_hex(v->blob.data, v->blob.len, v->sha256);
    taulu_buf_release(&json);
    taulu_buf_release(&why);
    taulu_manifest_free(m);
}

void fx_version_release(struct fx_version *v)
{
    for (unsigned i = 0; i < 8; i++) {
        free(v->asset_data[i]);
        v->asset_data[i] = NULL;
    }
    taulu_buf_release(&v->blob);
}

void fx_serve_asset_bytes(const struct fx *f, const char *sha, const void *data,
                          size_t len)
{
    char path[800];
    snprintf(path, sizeof path, "%s/api/v1/assets/%s", f->root, sha);
    fx_write(path, data, len);
}

void fx_serve_manifest_bytes(const struct fx *f, const void *data, size_t len)
{
    char path[800], tmp[820];
    /* Replace atomically: the server may be reading it right now. */
    snprintf(path, sizeof path, "%s/api/v1/screens/" FX_SCREEN "/manifest",
             f->root);
    snprintf(tmp, sizeof tmp, "%s.new", path);
    fx_write(tmp, data, len);
    if (rename(tmp, path) < 0) {
        die("rename manifest");
    }
}

void fx_serve(const struct fx *f, const struct fx_version *v)
{
    for (unsigned i = 0; i < v->n_assets; i++) {
        fx_serve_asset_bytes(f, v->asset_sha[i], v->asset_data[i],
                             v->asset_size[i]);
    }
    fx_serve_manifest_bytes(f, v->blob.data, v->blob.len);
}

void fx_install(struct player_cache *c, const struct fx_version *v)
{
    struct taulu_manifest *m = NULL;
    char tmp[1024];

    const char *nl = memchr(v->blob.data, '\n', v->blob.len);

    /* Parsed without the key: the test installs what it built itself. */
    if (!nl || taulu_manifest_parse(
                   nl + 1, v->blob.len - (size_t)(nl + 1 - v->blob.data), &m,
                   NULL) < 0) {
        die("parse own manifest");
    }
    for (unsigned i = 0; i < v->n_assets; i++) {
        if (player_cache_asset_tmp_path(c, tmp, sizeof tmp) < 0) {
            die("tmp path");
        }
        fx_write(tmp, v->asset_data[i], v->asset_size[i]);
        if (player_cache_asset_commit(c, tmp, &m->assets[i], v->asset_sha[i]) <
            0) {
            die("asset commit");
        }
    }
    if (player_cache_install(c, v->blob.data, v->blob.len, m, v->sha256) < 0) {
        die("install");
    }
    taulu_manifest_free(m);
}

void fx_pointer(int64_t seq, const char *sha, struct taulu_buf *out)
{
    struct taulu_proto_desired d;

    memset(&d, 0, sizeof d);
    d.seq = seq;
    memcpy(d.sha256, sha, 65);
    taulu_buf_init(out, TAULU_PROTO_MAX_PAYLOAD);
    if (taulu_proto_desired_write(&d, out) < 0) {
        die("desired_write");
    }
}
