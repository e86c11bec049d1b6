/*
 * srv_assets.c: the asset files, data_dir/assets/<sha256> (see
 * srv_pubapp.h): re-encoded uploads, named by their content, so a name
 * never changes its bytes and a second upload of the same image is found.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "srv_image.h"
#include "srv_pubapp_internal.h"
#include "taulu_err.h"
#include "taulu_file.h"

/* "<assets>/<sha256>" for a well-formed name. */
static int asset_path(struct srv_pubapp *pa, const char *sha, char *path,
                      size_t size)
{
    if (!sha || !taulu_is_sha256_hex(sha)) {
        return TAULU_EVALUE;
    }
    return srv_pubapp_path_join(path, size, pa->assets_dir, sha);
}

int srv_pub_asset_info(struct srv_pubapp *pa, const char *sha,
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
    snprintf(path, sizeof path, "%s/%s", pa->assets_dir, sha);
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

int srv_pub_asset_open(struct srv_pubapp *pa, const char *sha256, int *fd,
                       uint64_t *size)
{
    char path[700];
    struct stat st;
    int rc = asset_path(pa, sha256, path, sizeof path);

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

int srv_pub_asset_put(struct srv_pubapp *pa, const char *sha256,
                      const void *data, size_t len, bool *existed)
{
    char path[700];
    struct stat st;
    int rc = asset_path(pa, sha256, path, sizeof path);

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
