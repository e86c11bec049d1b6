/*
 * fuzz_srv_image.c: libFuzzer target for image uploads: the PNG and JPEG
 * structure walkers, the pixel limit, the decoder behind them and the Exif
 * orientation turn after it (the parser alone: tests/fuzz/fuzz_exif.c).
 * The first byte picks the declared type. Whatever is accepted must come
 * out as a PNG whose size is within the limits (the turn comes before the
 * scaling) and whose name is its sha256.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "srv_image.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    static int inited;
    struct srv_image_result res;
    char hex[TAULU_SHA256_HEX_LEN + 1];
    int w, h;

    if (!inited) {
        if (taulu_crypto_init() != 0 || srv_image_init() != 0) {
            abort();
        }
        inited = 1;
    }
    if (n < 1) {
        return 0;
    }
    if (srv_image_ingest(d + 1, n - 1, (d[0] & 1) ? "image/png" : "image/jpeg",
                         &res, NULL) == SRV_IMG_OK) {
        if (srv_png_size(res.png.data, res.png.len, &w, &h) != 0 ||
            w != res.width || h != res.height || w > SRV_IMAGE_MAX_SIDE ||
            h > SRV_IMAGE_MAX_SIDE) {
            abort();
        }
        taulu_sha256_hex(res.png.data, res.png.len, hex);
        if (strcmp(hex, res.sha256) != 0) {
            abort();
        }
        taulu_buf_release(&res.png);
    } else if (res.png.len != 0) {
        abort();
    }
    return 0;
}
