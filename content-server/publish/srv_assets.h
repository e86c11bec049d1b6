/*
 * srv_assets.h: the asset files, data_dir/assets/<sha256>: uploaded images
 * after re-encoding (all PNG), named by their content, so a name never
 * changes its bytes and a second upload of the same image is found.
 */
#ifndef SRV_ASSETS_H
#define SRV_ASSETS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "srv_manifest.h"

struct srv_assets {
    char dir[600];
};

/* data_dir/assets, made (0750) if missing. 0, TAULU_ELIMIT (path too
 * long) or TAULU_EIO. */
int srv_assets_init(struct srv_assets *a, const char *data_dir);

/* Opens the asset for reading. 0 with *fd (the caller closes it) and
 * *size; TAULU_EVALUE if sha256 is not 64 lowercase hex digits,
 * TAULU_ENOTFOUND if there is no such asset. */
int srv_assets_open(const struct srv_assets *a, const char *sha256, int *fd,
                    uint64_t *size);

/* Stores `data` (0640, atomically) unless the asset is there already
 * (*existed). The caller computed sha256 from the bytes. 0, TAULU_EVALUE
 * (not a sha256) or TAULU_EIO. */
int srv_assets_put(const struct srv_assets *a, const char *sha256,
                   const void *data, size_t len, bool *existed);

/* The manifest's entry of an asset: size and dimensions read from the
 * PNG header. 0, TAULU_EVALUE, TAULU_ENOTFOUND or TAULU_EPARSE. */
int srv_assets_info(const struct srv_assets *a, const char *sha256,
                    struct srv_snap_asset *out);

#endif
