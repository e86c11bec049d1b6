/*
 * srv_assets.c: the asset files (see srv_assets.h).
 */
#include "srv_assets.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "srv_image.h"
#include "taulu_crypto.h"
#include "taulu_err.h"
#include "taulu_file.h"

/* "<assets>/<sha256>" for a well-formed name. */
static int asset_path(const struct srv_assets *a, const char *sha, char *path,
                      size_t size)
{
    if (!sha || !taulu_is_sha256_hex(sha)) {
        return TAULU_EVALUE;
    }
    return taulu_path_join(path, size, a->dir, sha);
}

int srv_assets_init(struct srv_assets *a, const char *data_dir)
{
    if (taulu_path_join(a->dir, sizeof a->dir, data_dir, "assets") < 0) {
        return TAULU_ELIMIT;
    }
    return taulu_mkdir_p(a->dir, 0750) == 0 ? 0 : TAULU_EIO;
}

int srv_assets_info(const struct srv_assets *a, const char *sha,
                    struct srv_snap_asset *out)
{
    char path[700];
    unsigned char head[32];
    struct stat st;
    ssize_t got;
    int fd;

    if (!sha || !taulu_is_sha256_hex(sha)) {
        return TAULU_EVALUE;
    }
    snprintf(path, sizeof path, "%s/%s", a->dir, sha);
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return TAULU_ENOTFOUND;
    }
    got = read(fd, head, sizeof head);
    if (fstat(fd, &st) != 0 || got < 24 ||
        srv_png_size(head, (size_t)got, &out->width, &out->height) < 0) {
        close(fd);
        return TAULU_EPARSE;
    }
    close(fd);
    memcpy(out->sha256, sha, TAULU_SHA256_HEX_LEN + 1);
    out->size = (int64_t)st.st_size;
    out->type = TAULU_MEDIA_PNG;
    return 0;
}

int srv_assets_open(const struct srv_assets *a, const char *sha256, int *fd,
                    uint64_t *size)
{
    char path[700];
    struct stat st;
    int rc = asset_path(a, sha256, path, sizeof path);

    *fd = -1;
    *size = 0;
    if (rc < 0) {
        return rc;
    }
    *fd = open(path, O_RDONLY | O_CLOEXEC);
    if (*fd < 0 || fstat(*fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        if (*fd >= 0) {
            close(*fd);
            *fd = -1;
        }
        return TAULU_ENOTFOUND;
    }
    *size = (uint64_t)st.st_size;
    return 0;
}

int srv_assets_put(const struct srv_assets *a, const char *sha256,
                   const void *data, size_t len, bool *existed)
{
    char path[700];
    struct stat st;
    int rc = asset_path(a, sha256, path, sizeof path);

    *existed = false;
    if (rc < 0) {
        return rc;
    }
    *existed = stat(path, &st) == 0;
    if (*existed) {
        return 0;
    }
    return taulu_file_write_atomic(path, data, len, 0640) == 0 ? 0 : TAULU_EIO;
}
