/*
 * imgmake.c: JPEG and PNG files for the upload tests (see imgmake.h).
 */
#include "imgmake.h"

#include <png.h>
#include <stdio.h> /* before jpeglib.h, which needs FILE */
#include <jpeglib.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* One row of RGB(A) 8-bit pixels of the pattern. */
static void pattern_row(enum imgmake_pattern pat, int w, int h, int y,
                        unsigned char *rgba)
{
    static const unsigned char quarter[4][3] = {
        {255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {255, 255, 255}};
    int x;

    for (x = 0; x < w; x++) {
        unsigned char *p = rgba + (size_t)x * 4;
        switch (pat) {
        case IMG_ZERO:
            p[0] = p[1] = p[2] = 0;
            p[3] = 0;
            break;
        case IMG_QUARTERS:
            memcpy(p, quarter[(y >= h / 2) * 2 + (x >= w / 2)], 3);
            p[3] = 255;
            break;
        case IMG_GRADIENT:
            p[0] = (unsigned char)(x * 255 / (w > 1 ? w - 1 : 1));
            p[1] = (unsigned char)(y * 255 / (h > 1 ? h - 1 : 1));
            p[2] = 128;
            p[3] = (unsigned char)(255 - x % 64);
            break;
        }
    }
}

int imgmake_jpeg(int w, int h, int comps, int subsample, int progressive,
                 int scans, enum imgmake_pattern pat, int quality,
                 struct imgmake_buf *out)
{
    struct jpeg_compress_struct ci;
    struct jpeg_error_mgr em;
    jpeg_scan_info script[2 + 63];
    unsigned char *rgba = malloc((size_t)w * 4), *row = malloc((size_t)w * 4);
    unsigned long len = 0;
    int y, x;

    memset(out, 0, sizeof(*out));
    if (!rgba || !row || (scans && (comps != 1 || scans < 3 || scans > 65))) {
        free(rgba);
        free(row);
        return -1;
    }
    ci.err = jpeg_std_error(&em);
    jpeg_create_compress(&ci);
    jpeg_mem_dest(&ci, &out->data, &len);
    ci.image_width = (JDIMENSION)w;
    ci.image_height = (JDIMENSION)h;
    ci.input_components = comps;
    ci.in_color_space = comps == 1   ? JCS_GRAYSCALE
                        : comps == 4 ? JCS_CMYK
                                     : JCS_RGB;
    jpeg_set_defaults(&ci);
    jpeg_set_quality(&ci, quality, TRUE);
    if (comps == 3 && !subsample) {
        ci.comp_info[0].h_samp_factor = 1;
        ci.comp_info[0].v_samp_factor = 1;
    }
    if (progressive) {
        jpeg_simple_progression(&ci);
    }
    if (scans) {
        int k;
        memset(script, 0, sizeof(script));
        script[0].comps_in_scan = 1;
        script[0].Al = 1; /* DC first, then its refinement */
        script[1].comps_in_scan = 1;
        script[1].Ah = 1;
        for (k = 2; k < scans; k++) {
            script[k].comps_in_scan = 1;
            script[k].Ss = k - 1;
            script[k].Se = k - 1;
        }
        ci.scan_info = script;
        ci.num_scans = scans;
    }
    jpeg_start_compress(&ci, TRUE);
    for (y = 0; y < h; y++) {
        JSAMPROW r = row;
        pattern_row(pat, w, h, y, rgba);
        for (x = 0; x < w; x++) {
            const unsigned char *p = rgba + (size_t)x * 4;
            if (comps == 1) {
                row[x] = (unsigned char)((p[0] + p[1] + p[2]) / 3);
            } else if (comps == 3) {
                memcpy(row + (size_t)x * 3, p, 3);
            } else {
                /* Adobe's inverted CMYK: ink = the colour's value */
                row[x * 4 + 0] = p[0];
                row[x * 4 + 1] = p[1];
                row[x * 4 + 2] = p[2];
                row[x * 4 + 3] = 255;
            }
        }
        jpeg_write_scanlines(&ci, &r, 1);
    }
    jpeg_finish_compress(&ci);
    jpeg_destroy_compress(&ci);
    out->len = len;
    free(rgba);
    free(row);
    return 0;
}

struct grow {
    struct imgmake_buf *b;
    size_t cap;
};

static void png_put(png_structp png, png_bytep data, png_size_t n)
{
    struct grow *g = png_get_io_ptr(png);

    if (g->b->len + n > g->cap) {
        size_t cap = (g->cap + n) * 2;
        unsigned char *d = realloc(g->b->data, cap);
        if (!d) {
            png_error(png, "out of memory");
        }
        g->b->data = d;
        g->cap = cap;
    }
    memcpy(g->b->data + g->b->len, data, n);
    g->b->len += n;
}

static void png_flush_none(png_structp png)
{
    (void)png;
}

int imgmake_png(int w, int h, int color_type, int depth, int interlaced,
                enum imgmake_pattern pat, struct imgmake_buf *out)
{
    png_structp png;
    png_infop info;
    struct grow g = {out, 0};
    int channels = color_type == 0 || color_type == 3 ? 1
                   : color_type == 4                  ? 2
                   : color_type == 2                  ? 3
                                                      : 4;
    int bytes = depth == 16 ? 2 : 1, passes, pass, y, x, c;
    unsigned char *rgba = malloc((size_t)w * 4);
    unsigned char *row = malloc((size_t)w * (size_t)channels * 2);

    memset(out, 0, sizeof(*out));
    png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    info = png ? png_create_info_struct(png) : NULL;
    if (!png || !info || !rgba || !row) {
        png_destroy_write_struct(&png, &info);
        free(rgba);
        free(row);
        return -1;
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        free(rgba);
        free(row);
        imgmake_free(out);
        return -1;
    }
    png_set_write_fn(png, &g, png_put, png_flush_none);
    png_set_compression_level(png, 9);
    png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, depth, color_type,
                 interlaced ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    if (color_type == 3) {
        png_color pal[256];
        png_byte trans[1] = {0};
        for (c = 0; c < 256; c++) {
            pal[c].red = (png_byte)c;
            pal[c].green = (png_byte)(255 - c);
            pal[c].blue = 128;
        }
        png_set_PLTE(png, info, pal, 256);
        png_set_tRNS(png, info, trans, 1, NULL);
    }
    png_write_info(png, info);
    passes = png_set_interlace_handling(png);
    for (pass = 0; pass < passes; pass++) {
        for (y = 0; y < h; y++) {
            if (pat == IMG_ZERO && (pass > 0 || y > 0)) {
                /* every row the same: made once (a bomb is cheap to make) */
                png_write_row(png, row);
                continue;
            }
            pattern_row(pat, w, h, y, rgba);
            for (x = 0; x < w; x++) {
                const unsigned char *p = rgba + (size_t)x * 4;
                unsigned v[4];
                int n = 0;
                switch (color_type) {
                case 0:
                    v[n++] = (p[0] + p[1] + p[2]) / 3u;
                    break;
                case 3:
                    v[n++] = p[0];
                    break;
                case 4:
                    v[n++] = (p[0] + p[1] + p[2]) / 3u;
                    v[n++] = p[3];
                    break;
                default:
                    v[n++] = p[0];
                    v[n++] = p[1];
                    v[n++] = p[2];
                    if (color_type == 6) {
                        v[n++] = p[3];
                    }
                    break;
                }
                for (c = 0; c < n; c++) {
                    unsigned char *o =
                        row + ((size_t)x * (size_t)channels + (size_t)c) *
                                  (size_t)bytes;
                    o[0] = (unsigned char)v[c];
                    if (bytes == 2) {
                        o[1] = (unsigned char)v[c]; /* big-endian v * 257 */
                    }
                }
            }
            png_write_row(png, row);
        }
    }
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    free(rgba);
    free(row);
    return 0;
}

static uint32_t get32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
           p[3];
}

static void put32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

int imgmake_jpeg_claim(struct imgmake_buf *b, int w, int h)
{
    size_t i;

    for (i = 2; i + 9 < b->len; i++) {
        unsigned m = b->data[i + 1];
        if (b->data[i] == 0xff && m >= 0xc0 && m <= 0xcf && m != 0xc4 &&
            m != 0xc8 && m != 0xcc) {
            b->data[i + 5] = (unsigned char)(h >> 8);
            b->data[i + 6] = (unsigned char)h;
            b->data[i + 7] = (unsigned char)(w >> 8);
            b->data[i + 8] = (unsigned char)w;
            return 0;
        }
    }
    return -1;
}

int imgmake_png_claim(struct imgmake_buf *b, int w, int h)
{
    if (b->len < 33 || memcmp(b->data + 12, "IHDR", 4) != 0) {
        return -1;
    }
    put32(b->data + 16, (uint32_t)w);
    put32(b->data + 20, (uint32_t)h);
    put32(b->data + 29, (uint32_t)crc32(0L, b->data + 12, 17));
    return 0;
}

int imgmake_jpeg_cut(struct imgmake_buf *b, double fraction)
{
    size_t i, sos = 0, start, cut;

    for (i = 2; i + 3 < b->len; i++) {
        if (b->data[i] == 0xff && b->data[i + 1] == 0xda) {
            sos = i;
        }
    }
    if (!sos || b->len < 4) {
        return -1;
    }
    start = sos + 2 + ((size_t)b->data[sos + 2] << 8 | b->data[sos + 3]);
    cut = start + (size_t)((double)(b->len - 2 - start) * fraction);
    while (cut > start && b->data[cut - 1] == 0xff) {
        cut--;
    }
    b->data[cut] = 0xff;
    b->data[cut + 1] = 0xd9;
    b->len = cut + 2;
    return 0;
}

int imgmake_png_cut(struct imgmake_buf *b, double fraction)
{
    unsigned char *out = malloc(b->len + 64), *idat = malloc(b->len);
    size_t off = 8, o = 8, n = 0, keep;

    if (!out || !idat) {
        free(out);
        free(idat);
        return -1;
    }
    memcpy(out, b->data, 8);
    while (off + 12 <= b->len) {
        uint32_t len = get32(b->data + off);
        const unsigned char *type = b->data + off + 4;
        if (memcmp(type, "IDAT", 4) == 0) {
            memcpy(idat + n, type + 4, len);
            n += len;
        } else if (memcmp(type, "IEND", 4) != 0) {
            memcpy(out + o, b->data + off, 12 + (size_t)len);
            o += 12 + (size_t)len;
        }
        off += 12 + (size_t)len;
    }
    keep = (size_t)((double)n * fraction);
    put32(out + o, (uint32_t)keep);
    memcpy(out + o + 4, "IDAT", 4);
    memcpy(out + o + 8, idat, keep);
    put32(out + o + 8 + keep, (uint32_t)crc32(0L, out + o + 4, 4 + (uInt)keep));
    o += 12 + keep;
    put32(out + o, 0);
    memcpy(out + o + 4, "IEND", 4);
    put32(out + o + 8, (uint32_t)crc32(0L, out + o + 4, 4));
    o += 12;
    free(idat);
    free(b->data);
    b->data = out;
    b->len = o;
    return 0;
}

void imgmake_free(struct imgmake_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = 0;
}
