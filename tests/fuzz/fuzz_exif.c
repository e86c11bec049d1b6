/*
 * fuzz_exif.c: libFuzzer target for the Exif Orientation parser of JPEG
 * uploads (srv_exif.c) and the pixel turn behind it.
 *
 * The input is given whole to both parsers: as a JPEG file (the marker walk
 * up to the scan, then the Exif segment's TIFF structure) and as a bare
 * TIFF structure. Checks beyond "does not crash or read outside the input":
 *  - the answer is 0..8 or TAULU_EPARSE, nothing else;
 *  - a small image (its size from the first bytes) turned by the parsed
 *    orientation, or by one the first byte picks, and turned back by the
 *    inverse orientation is the image again, and the turned image holds
 *    every pixel of the original once.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "srv_exif.h"
#include "taulu_err.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

static void answer_in_range(int o)
{
    if (o != TAULU_EPARSE && (o < 0 || o > 8)) {
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    static const int inverse[9] = {0, 1, 2, 3, 4, 5, 8, 7, 6};
    uint32_t a[9 * 7], b[9 * 7], c[9 * 7];
    int o = srv_exif_orientation(d, n), t = srv_exif_tiff_orientation(d, n);
    int w, h, ow, oh, turn, i, k;
    uint64_t sum_a = 0, sum_b = 0;

    answer_in_range(o);
    answer_in_range(t);
    if (n < 2) {
        return 0;
    }
    w = 1 + d[0] % 9;
    h = 1 + d[1] % 7;
    turn = o > 0 ? o : t > 0 ? t : 1 + (d[0] >> 4) % 8;
    for (i = 0; i < w * h; i++) {
        a[i] = 0x5a000000u + (uint32_t)i;
        sum_a += a[i];
    }
    srv_exif_oriented_size(turn, w, h, &ow, &oh);
    if (ow * oh != w * h || (turn >= 5 ? ow != h : ow != w)) {
        abort();
    }
    memset(b, 0, sizeof b);
    srv_exif_orient_pixels((const unsigned char *)a, (size_t)w * 4, w, h, turn,
                           (unsigned char *)b, (size_t)ow * 4);
    for (i = 0; i < w * h; i++) {
        if (b[i] < 0x5a000000u || b[i] - 0x5a000000u >= (uint32_t)(w * h)) {
            abort(); /* a pixel from outside the image */
        }
        for (k = 0; k < i; k++) {
            if (b[k] == b[i]) {
                abort(); /* one pixel copied twice, so another lost */
            }
        }
        sum_b += b[i];
    }
    if (sum_a != sum_b) {
        abort();
    }
    srv_exif_orient_pixels((const unsigned char *)b, (size_t)ow * 4, ow, oh,
                           inverse[turn], (unsigned char *)c, (size_t)w * 4);
    if (memcmp(a, c, (size_t)(w * h) * 4) != 0) {
        abort();
    }
    return 0;
}
