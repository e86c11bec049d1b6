/*
 * srv_exif.c: the Exif Orientation of a JPEG and the turn it asks for (see
 * srv_exif.h).
 *
 * Orientation values (Exif 2.3, tag 0x0112) and what makes the stored
 * frame upright; (dx, dy) is a pixel of the upright image, (sx, sy) the
 * stored pixel copied there, w x h the stored size:
 *
 *   1  as stored                      sx = dx          sy = dy
 *   2  mirrored left to right         sx = w-1-dx      sy = dy
 *   3  turned 180°                    sx = w-1-dx      sy = h-1-dy
 *   4  mirrored top to bottom         sx = dx          sy = h-1-dy
 *   5  transposed (5..8 swap w and h) sx = dy          sy = dx
 *   6  turned 90° clockwise           sx = dy          sy = h-1-dx
 *   7  transversed                    sx = w-1-dy      sy = h-1-dx
 *   8  turned 90° counter-clockwise   sx = w-1-dy      sy = dx
 */
#include "srv_exif.h"

#include <stdint.h>
#include <string.h>

#include "taulu_err.h"

#define TAG_ORIENTATION 0x0112u
#define TYPE_SHORT      3u

static unsigned rd16(const unsigned char *p, int le)
{
    return le ? (unsigned)p[0] | (unsigned)p[1] << 8
              : (unsigned)p[0] << 8 | (unsigned)p[1];
}

static uint32_t rd32(const unsigned char *p, int le)
{
    return le ? (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
                    (uint32_t)p[3] << 24
              : (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
                    (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

int srv_exif_tiff_orientation(const void *tiff, size_t len)
{
    const unsigned char *p = tiff;
    uint32_t ifd;
    unsigned n, i;
    int le;

    if (!p || len < 8) {
        return TAULU_EPARSE;
    }
    if (p[0] == 'I' && p[1] == 'I') {
        le = 1;
    } else if (p[0] == 'M' && p[1] == 'M') {
        le = 0;
    } else {
        return TAULU_EPARSE;
    }
    if (rd16(p + 2, le) != 42) {
        return TAULU_EPARSE;
    }
    /* IFD0: a 2-byte count, then 12-byte entries, all inside the segment
     * and after the 8-byte header. */
    ifd = rd32(p + 4, le);
    if (ifd < 8 || ifd > len || len - ifd < 2) {
        return TAULU_EPARSE;
    }
    n = rd16(p + ifd, le);
    if ((len - ifd - 2) / 12 < n) {
        return TAULU_EPARSE; /* the IFD is cut short */
    }
    for (i = 0; i < n; i++) {
        const unsigned char *e = p + ifd + 2 + (size_t)i * 12;
        unsigned v;

        if (rd16(e, le) != TAG_ORIENTATION) {
            continue;
        }
        /* SHORT, one value: it sits in the first two bytes of the value
         * field, in the file's byte order. */
        if (rd16(e + 2, le) != TYPE_SHORT || rd32(e + 4, le) != 1) {
            return TAULU_EPARSE;
        }
        v = rd16(e + 8, le);
        if (v < 1 || v > 8) {
            return TAULU_EPARSE;
        }
        return (int)v;
    }
    return 0;
}

int srv_exif_orientation(const void *data, size_t len)
{
    static const unsigned char exif_id[6] = {'E', 'x', 'i', 'f', 0, 0};
    const unsigned char *p = data;
    size_t off = 2;

    if (!p || len < 2 || p[0] != 0xff || p[1] != 0xd8) {
        return TAULU_EPARSE;
    }
    /* Every turn of the loop moves past at least one byte. */
    for (;;) {
        size_t seglen;
        unsigned m;

        if (off >= len || p[off] != 0xff) {
            return TAULU_EPARSE;
        }
        while (off < len && p[off] == 0xff) {
            off++; /* fill bytes */
        }
        if (off >= len) {
            return TAULU_EPARSE;
        }
        m = p[off++];
        if (m == 0xda || m == 0xd9) {
            return 0; /* the scan (or the end) before any Exif */
        }
        if (m == 0x01 || (m >= 0xd0 && m <= 0xd7)) {
            continue; /* standalone markers */
        }
        if (m == 0x00 || m == 0xd8) {
            return TAULU_EPARSE;
        }
        if (len - off < 2) {
            return TAULU_EPARSE;
        }
        seglen = (size_t)p[off] << 8 | p[off + 1];
        if (seglen < 2 || seglen > len - off) {
            return TAULU_EPARSE;
        }
        if (m == 0xe1 && seglen >= 2 + sizeof exif_id &&
            memcmp(p + off + 2, exif_id, sizeof exif_id) == 0) {
            return srv_exif_tiff_orientation(p + off + 2 + sizeof exif_id,
                                             seglen - 2 - sizeof exif_id);
        }
        off += seglen; /* another APPn (XMP, JFIF, ICC), a table, ... */
    }
}

void srv_exif_oriented_size(int orientation, int w, int h, int *ow, int *oh)
{
    if (orientation >= 5 && orientation <= 8) {
        *ow = h;
        *oh = w;
    } else {
        *ow = w;
        *oh = h;
    }
}

void srv_exif_orient_pixels(const unsigned char *src, size_t src_pitch, int w,
                            int h, int orientation, unsigned char *dst,
                            size_t dst_pitch)
{
    int ow, oh, dx, dy;

    if (orientation < 1 || orientation > 8) {
        orientation = 1;
    }
    srv_exif_oriented_size(orientation, w, h, &ow, &oh);
    for (dy = 0; dy < oh; dy++) {
        unsigned char *out = dst + (size_t)dy * dst_pitch;

        for (dx = 0; dx < ow; dx++) {
            int sx, sy;

            switch (orientation) {
            case 2:
                sx = w - 1 - dx;
                sy = dy;
                break;
            case 3:
                sx = w - 1 - dx;
                sy = h - 1 - dy;
                break;
            case 4:
                sx = dx;
                sy = h - 1 - dy;
                break;
            case 5:
                sx = dy;
                sy = dx;
                break;
            case 6:
                sx = dy;
                sy = h - 1 - dx;
                break;
            case 7:
                sx = w - 1 - dy;
                sy = h - 1 - dx;
                break;
            case 8:
                sx = w - 1 - dy;
                sy = dx;
                break;
            default:
                sx = dx;
                sy = dy;
                break;
            }
            memcpy(out + (size_t)dx * 4,
                   src + (size_t)sy * src_pitch + (size_t)sx * 4, 4);
        }
    }
}
