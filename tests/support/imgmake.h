/*
 * imgmake.h: real JPEG and PNG files made with libjpeg and libpng for the
 * tests of uploads, honest and hostile: every kind of JPEG the server
 * takes (baseline, progressive, grey, CMYK, any scan script) and PNG (any
 * colour type, depth, interlacing), pictures far larger than their files
 * (zero rows compress 1000:1), and headers that lie about the size.
 * Pictures are made row by row, so a 36-megapixel bomb costs the test a
 * row, not the picture.
 */
#ifndef IMGMAKE_H
#define IMGMAKE_H

#include <stddef.h>
#include <stdint.h>

/* Pixel patterns: a gradient (something to compress), solid zeros (a
 * bomb), or four solid quarters (red, green / blue, white). */
enum imgmake_pattern { IMG_GRADIENT, IMG_ZERO, IMG_QUARTERS };

struct imgmake_buf {
    unsigned char *data; /* malloc'd */
    size_t len;
};

/* A JPEG of w x h. `comps` 1 (grey), 3 (YCbCr) or 4 (Adobe CMYK);
 * `subsample`: 4:2:0 instead of 4:4:4 (3 components); `progressive`:
 * libjpeg's standard progression; `scans` > 0 instead: a grey progressive
 * JPEG of that many scans (DC first and refinements, then single AC
 * coefficients: at most 2 + 63). 0 or -1. */
int imgmake_jpeg(int w, int h, int comps, int subsample, int progressive,
                 int scans, enum imgmake_pattern pat, int quality,
                 struct imgmake_buf *out);

/* A PNG of w x h: colour type 0 (grey), 2 (RGB), 3 (palette, with a
 * tRNS entry making index 0 transparent), 4 (grey + alpha), 6 (RGBA);
 * depth 8 or 16 (palette: 8). 0 or -1. */
int imgmake_png(int w, int h, int color_type, int depth, int interlaced,
                enum imgmake_pattern pat, struct imgmake_buf *out);

/* Rewrites a JPEG's frame size (SOFn) in place: the header then claims a
 * picture its scans do not hold. 0 or -1. */
int imgmake_jpeg_claim(struct imgmake_buf *b, int w, int h);
/* The same for a PNG's IHDR, with its CRC fixed. 0 or -1. */
int imgmake_png_claim(struct imgmake_buf *b, int w, int h);
/* Cuts a JPEG's entropy data at `fraction` (0..1) of the last scan and
 * ends it with EOI: cut short, yet its markers look whole. 0 or -1. */
int imgmake_jpeg_cut(struct imgmake_buf *b, double fraction);
/* Cuts a PNG's pixel data (the IDAT chunks together) at `fraction`,
 * keeping every chunk's CRC right and IEND at the end. 0 or -1. */
int imgmake_png_cut(struct imgmake_buf *b, double fraction);

void imgmake_free(struct imgmake_buf *b);

#endif
