/*
 * srv_image.c: upload checks, decoding, scaling and PNG re-encoding (see
 * srv_image.h). The structural checks are ours and run before any
 * third-party decoder sees the bytes.
 *
 * Decoding is done with libjpeg(-turbo) and libpng directly, row by row,
 * into a scaler that averages the rows into the stored size as they come:
 * the full-size picture is never held (a 36-megapixel photo costs a few
 * rows, not 250 MB). A JPEG is also decoded at a reduced DCT scale when
 * that is still at least the stored size. Whatever the decoders warn
 * about (a premature end, corrupt data) refuses the image. What must be
 * held whole (a progressive or multi-scan JPEG's coefficients, an
 * interlaced PNG) is counted against a server-wide memory budget before
 * decoding starts, and libjpeg is told the same number as its own limit.
 *
 * The previews decode stored images too (the server's own PNGs, checked
 * to be the file of their name), whole and under the same budget, into a
 * small cache of counted references (srv_image.h, "Stored images").
 */
#include "srv_image.h"

#include <SDL.h>
#include <SDL_image.h>
#include <errno.h>
#include <png.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h> /* before jpeglib.h, which needs FILE */
#include <jpeglib.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "srv_exif.h"
#include "taulu_err.h"
#include "taulu_log.h"

#define TAG "image"

/* A progressive JPEG may have many scans; each costs a pass over every
 * block of the image. Encoders write about ten. */
#define JPEG_MAX_SCANS 64
/* deflate's best case: a 258-byte match in 2 bits. A PNG whose IDAT is
 * shorter than its pixels / 1032 is cut short, whatever its chunks say. */
#define DEFLATE_MAX_RATIO 1032u
/* Ancillary chunks libpng may decompress (iCCP, text) are discarded; this
 * bounds anything it still keeps in memory for one chunk. */
#define PNG_CHUNK_MAX (1024u * 1024u)

enum kind { KIND_PNG, KIND_JPEG };

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
           (uint32_t)p[3];
}

static unsigned be16(const unsigned char *p)
{
    return (unsigned)p[0] << 8 | (unsigned)p[1];
}

static void say(struct taulu_buf *why, const char *msg)
{
    if (why) {
        taulu_buf_puts(why, msg);
    }
}

/* ------------------------------------------------------------------ */
/* Decoding slots and memory, server-wide */

static struct {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    unsigned decodes, active;
    size_t memory, used;
} budget = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER,
            SRV_IMAGE_DECODES,         0,
            SRV_IMAGE_MEMORY,          0};

void srv_image_set_limits(unsigned decodes, size_t memory)
{
    pthread_mutex_lock(&budget.mu);
    budget.decodes = decodes ? decodes : 1;
    budget.memory = memory;
    pthread_cond_broadcast(&budget.cv);
    pthread_mutex_unlock(&budget.mu);
}

/* Waits up to SRV_IMAGE_WAIT_MS for a slot and `cost` bytes. */
static enum srv_image_error budget_take(size_t cost)
{
    struct timespec until;
    enum srv_image_error e = SRV_IMG_OK;

    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += SRV_IMAGE_WAIT_MS / 1000;
    until.tv_nsec += (SRV_IMAGE_WAIT_MS % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&budget.mu);
    if (cost > budget.memory) {
        e = SRV_IMG_TOO_MANY_PIXELS;
    }
    while (e == SRV_IMG_OK && (budget.active >= budget.decodes ||
                               budget.used + cost > budget.memory)) {
        int rc = pthread_cond_timedwait(&budget.cv, &budget.mu, &until);
        if (rc == ETIMEDOUT) {
            e = SRV_IMG_BUSY;
        }
    }
    if (e == SRV_IMG_OK) {
        budget.active++;
        budget.used += cost;
    }
    pthread_mutex_unlock(&budget.mu);
    return e;
}

static void budget_give(size_t cost)
{
    pthread_mutex_lock(&budget.mu);
    budget.active--;
    budget.used -= cost;
    pthread_cond_broadcast(&budget.cv);
    pthread_mutex_unlock(&budget.mu);
}

int srv_image_init(void)
{
    /* SDL_image encodes the stored PNG. */
    if ((IMG_Init(IMG_INIT_PNG) & IMG_INIT_PNG) != IMG_INIT_PNG) {
        return TAULU_EUNAVAIL;
    }
    return 0;
}

void srv_image_quit(void)
{
    IMG_Quit();
}

int srv_image_http_status(enum srv_image_error e)
{
    switch (e) {
    case SRV_IMG_OK:
        return 200;
    case SRV_IMG_TOO_BIG:
        return 413;
    case SRV_IMG_UNSUPPORTED:
        return 415;
    case SRV_IMG_TYPE_MISMATCH:
    case SRV_IMG_CORRUPT:
    case SRV_IMG_TOO_MANY_PIXELS:
    case SRV_IMG_DECODE:
        return 422;
    case SRV_IMG_BUSY:
        return 503;
    case SRV_IMG_INTERNAL:
        break;
    }
    return 500;
}

/* ------------------------------------------------------------------ */
/* Structure, without decoding */

/* What the header says, for the checks before decoding and the cost. */
struct header {
    int w, h;
    /* PNG */
    bool interlaced;
    uint64_t png_pixel_bytes; /* h * ceil(w * bits per pixel / 8) */
    uint64_t idat_bytes;
    /* JPEG */
    int ncomp;
    int hs[4], vs[4], hmax, vmax;
    bool progressive;
    unsigned nscans;
};

static const unsigned char png_sig[8] = {0x89, 'P',  'N',  'G',
                                         '\r', '\n', 0x1a, '\n'};

/* Bits per pixel of a PNG colour type and bit depth; 0 if not valid. */
static unsigned png_bits(unsigned type, unsigned depth)
{
    bool d8or16 = depth == 8 || depth == 16;

    switch (type) {
    case 0: /* grey */
        return depth == 1 || depth == 2 || depth == 4 || d8or16 ? depth : 0;
    case 2: /* RGB */
        return d8or16 ? 3 * depth : 0;
    case 3: /* palette */
        return depth == 1 || depth == 2 || depth == 4 || depth == 8 ? depth : 0;
    case 4: /* grey + alpha */
        return d8or16 ? 2 * depth : 0;
    case 6: /* RGBA */
        return d8or16 ? 4 * depth : 0;
    default:
        return 0;
    }
}

/* Walks the chunk list: every CRC right, IHDR first, IEND last, nothing
 * after IEND; and the pixel data long enough for the header's size. */
static enum srv_image_error png_structure(const unsigned char *p, size_t len,
                                          struct header *hd,
                                          struct taulu_buf *why)
{
    size_t off = 8;
    bool first = true, idat = false;
    uint32_t clen, width, height;

    if (len < 8 || memcmp(p, png_sig, 8) != 0) {
        say(why, "The file is not a PNG image.");
        return SRV_IMG_TYPE_MISMATCH;
    }
    for (;;) {
        const unsigned char *type;

        if (len - off < 12) {
            say(why, "The PNG image is cut short (truncated).");
            return SRV_IMG_CORRUPT;
        }
        clen = be32(p + off);
        type = p + off + 4;
        if (clen > 0x7fffffffu || clen > len - off - 12) {
            say(why, "The PNG image is cut short (truncated).");
            return SRV_IMG_CORRUPT;
        }
        if (crc32(0L, type, (uInt)(4 + clen)) != be32(type + 4 + clen)) {
            say(why, "The PNG image is damaged (a checksum does not match).");
            return SRV_IMG_CORRUPT;
        }
        if (first) {
            unsigned bits;

            if (memcmp(type, "IHDR", 4) != 0 || clen != 13) {
                say(why, "The PNG image has no valid header.");
                return SRV_IMG_CORRUPT;
            }
            width = be32(type + 4);
            height = be32(type + 8);
            if (width == 0 || height == 0 || width > 0x7fffffffu ||
                height > 0x7fffffffu) {
                say(why, "The PNG image has invalid dimensions.");
                return SRV_IMG_CORRUPT;
            }
            bits = png_bits(type[13], type[12]);
            if (bits == 0 || type[14] != 0 || type[15] != 0 || type[16] > 1) {
                say(why, "The PNG image has an invalid header.");
                return SRV_IMG_CORRUPT;
            }
            hd->w = (int)width;
            hd->h = (int)height;
            hd->interlaced = type[16] == 1;
            hd->png_pixel_bytes =
                (uint64_t)height * (((uint64_t)width * bits + 7) / 8);
            first = false;
        }
        if (memcmp(type, "IDAT", 4) == 0) {
            idat = true;
            hd->idat_bytes += clen;
        }
        off += 12 + clen;
        if (memcmp(type, "IEND", 4) == 0) {
            break;
        }
    }
    if (!idat) {
        say(why, "The PNG image has no pixel data.");
        return SRV_IMG_CORRUPT;
    }
    if (off != len) {
        say(why, "The PNG image has extra data after its end. Save it again "
                 "as a plain PNG.");
        return SRV_IMG_CORRUPT;
    }
    return SRV_IMG_OK;
}

int srv_png_size(const void *data, size_t len, int *width, int *height)
{
    const unsigned char *p = data;

    if (len < 24 || memcmp(p, png_sig, 8) != 0 ||
        memcmp(p + 12, "IHDR", 4) != 0) {
        return TAULU_EPARSE;
    }
    if (be32(p + 16) == 0 || be32(p + 16) > 0x7fffffffu || be32(p + 20) == 0 ||
        be32(p + 20) > 0x7fffffffu) {
        return TAULU_EPARSE;
    }
    *width = (int)be32(p + 16);
    *height = (int)be32(p + 20);
    return 0;
}

/* Whether marker m is a start-of-frame (carries the dimensions). */
static bool jpeg_is_sof(unsigned m)
{
    return m >= 0xc0 && m <= 0xcf && m != 0xc4 && m != 0xc8 && m != 0xcc;
}

/* The frame header (SOF): the coding, the size and each component's
 * sampling. Only Huffman-coded 8-bit baseline, extended sequential and
 * progressive JPEG (what cameras, phones and editors write) are taken. */
static enum srv_image_error jpeg_frame(unsigned m, const unsigned char *s,
                                       unsigned seglen, struct header *hd,
                                       struct taulu_buf *why)
{
    int i;

    if (m != 0xc0 && m != 0xc1 && m != 0xc2) {
        say(why, "The JPEG image uses a coding that is not accepted "
                 "(lossless, arithmetic or hierarchical). Save it again as "
                 "an ordinary JPEG.");
        return SRV_IMG_DECODE;
    }
    if (seglen < 8 || s[2] != 8) {
        say(why, "The JPEG image has an invalid frame header.");
        return SRV_IMG_CORRUPT;
    }
    hd->h = (int)be16(s + 3);
    hd->w = (int)be16(s + 5);
    hd->ncomp = s[7];
    hd->progressive = m == 0xc2;
    if (hd->w == 0 || hd->h == 0) {
        say(why, "The JPEG image has invalid dimensions.");
        return SRV_IMG_CORRUPT;
    }
    if ((hd->ncomp != 1 && hd->ncomp != 3 && hd->ncomp != 4) ||
        seglen != 8 + 3u * (unsigned)hd->ncomp) {
        say(why, "The JPEG image has an invalid frame header.");
        return SRV_IMG_CORRUPT;
    }
    hd->hmax = hd->vmax = 1;
    for (i = 0; i < hd->ncomp; i++) {
        hd->hs[i] = s[9 + 3 * i] >> 4;
        hd->vs[i] = s[9 + 3 * i] & 15;
        if (hd->hs[i] < 1 || hd->hs[i] > 4 || hd->vs[i] < 1 || hd->vs[i] > 4) {
            say(why, "The JPEG image has an invalid frame header.");
            return SRV_IMG_CORRUPT;
        }
        hd->hmax = hd->hs[i] > hd->hmax ? hd->hs[i] : hd->hmax;
        hd->vmax = hd->vs[i] > hd->vmax ? hd->vs[i] : hd->vmax;
    }
    return SRV_IMG_OK;
}

static uint64_t div_up(uint64_t a, uint64_t b)
{
    return (a + b - 1) / b;
}

/* The least number of bits a scan over these components can take: a
 * sequential scan codes at least a DC difference and an end of block
 * (1 bit each at best) for every 8x8 block; a progressive DC scan at
 * least one bit a block; a progressive AC scan can skip whole runs of
 * blocks. -1: a component the frame does not have. */
static int64_t scan_min_bits(const struct header *hd,
                             const unsigned char *frame, const unsigned char *s,
                             unsigned seglen)
{
    unsigned ns = s[2], i, k, ss;
    uint64_t blocks = 0;

    if (ns < 1 || ns > 4 || seglen != 6 + 2 * ns) {
        return -1;
    }
    ss = s[3 + 2 * ns];
    for (i = 0; i < ns; i++) {
        int c = -1;
        for (k = 0; k < (unsigned)hd->ncomp; k++) {
            if (frame[8 + 3 * k] == s[3 + 2 * i]) {
                c = (int)k;
            }
        }
        if (c < 0) {
            return -1;
        }
        if (ns == 1) {
            uint64_t cw = div_up((uint64_t)hd->w * (unsigned)hd->hs[c],
                                 (unsigned)hd->hmax);
            uint64_t ch = div_up((uint64_t)hd->h * (unsigned)hd->vs[c],
                                 (unsigned)hd->vmax);
            blocks = div_up(cw, 8) * div_up(ch, 8);
        } else {
            blocks += div_up((uint64_t)hd->w, 8u * (unsigned)hd->hmax) *
                      div_up((uint64_t)hd->h, 8u * (unsigned)hd->vmax) *
                      (uint64_t)hd->hs[c] * (uint64_t)hd->vs[c];
        }
    }
    if (!hd->progressive) {
        return (int64_t)(2 * blocks);
    }
    return ss == 0 ? (int64_t)blocks : 0;
}

/* Walks the markers: SOI first, a frame header before the first scan,
 * entropy-coded data skipped (and measured: it must be long enough for
 * the frame's blocks), EOI at the very end. */
static enum srv_image_error jpeg_structure(const unsigned char *p, size_t len,
                                           struct header *hd,
                                           struct taulu_buf *why)
{
    size_t off = 2;
    bool have_sof = false, have_scan = false;
    const unsigned char *frame = NULL;
    enum srv_image_error e;

    if (len < 4 || p[0] != 0xff || p[1] != 0xd8 || p[2] != 0xff) {
        say(why, "The file is not a JPEG image.");
        return SRV_IMG_TYPE_MISMATCH;
    }
    for (;;) {
        unsigned m, seglen;

        if (off >= len || p[off] != 0xff) {
            goto truncated;
        }
        while (off < len && p[off] == 0xff) {
            off++; /* fill bytes */
        }
        if (off >= len) {
            goto truncated;
        }
        m = p[off++];
        if (m == 0xd9) { /* EOI */
            if (!have_scan) {
                goto truncated;
            }
            if (off != len) {
                say(why, "The JPEG image has extra data after its end. Save "
                         "it again as a plain JPEG.");
                return SRV_IMG_CORRUPT;
            }
            return SRV_IMG_OK;
        }
        if (m == 0x01 || (m >= 0xd0 && m <= 0xd7)) {
            continue; /* standalone markers */
        }
        if (m == 0x00 || m == 0xd8) {
            say(why, "The JPEG image is damaged.");
            return SRV_IMG_CORRUPT;
        }
        if (len - off < 2) {
            goto truncated;
        }
        seglen = be16(p + off);
        if (seglen < 2 || seglen > len - off) {
            goto truncated;
        }
        if (jpeg_is_sof(m)) {
            if (have_sof) {
                say(why, "The JPEG image has an invalid frame header.");
                return SRV_IMG_CORRUPT;
            }
            e = jpeg_frame(m, p + off, seglen, hd, why);
            if (e != SRV_IMG_OK) {
                return e;
            }
            frame = p + off;
            have_sof = true;
        }
        if (m == 0xda) { /* SOS: entropy-coded data follows */
            int64_t min_bits;
            size_t start = off + seglen;

            if (!have_sof) {
                say(why, "The JPEG image has no frame header.");
                return SRV_IMG_CORRUPT;
            }
            if (++hd->nscans > JPEG_MAX_SCANS) {
                say(why, "The JPEG image has too many scans.");
                return SRV_IMG_DECODE;
            }
            min_bits = scan_min_bits(hd, frame, p + off, seglen);
            if (min_bits < 0) {
                say(why, "The JPEG image has an invalid scan header.");
                return SRV_IMG_CORRUPT;
            }
            have_scan = true;
            off = start;
            for (;;) {
                if (off + 1 >= len) {
                    goto truncated;
                }
                if (p[off] == 0xff && p[off + 1] != 0x00 &&
                    !(p[off + 1] >= 0xd0 && p[off + 1] <= 0xd7) &&
                    p[off + 1] != 0xff) {
                    break;
                }
                off++;
            }
            /* A file that claims a large picture but carries a few bytes
             * of it is cut short, however its markers end. */
            if ((uint64_t)(off - start) * 8 < (uint64_t)min_bits) {
                goto truncated;
            }
            continue;
        }
        off += seglen;
    }
truncated:
    say(why, "The JPEG image is cut short (truncated).");
    return SRV_IMG_CORRUPT;
}

/* ------------------------------------------------------------------ */
/* Sizes and costs */

/* The stored size of a w x h image: neither side over SRV_IMAGE_MAX_SIDE. */
static void stored_size(int w, int h, int *dw, int *dh)
{
    *dw = w;
    *dh = h;
    if (w <= SRV_IMAGE_MAX_SIDE && h <= SRV_IMAGE_MAX_SIDE) {
        return;
    }
    if (w >= h) {
        *dw = SRV_IMAGE_MAX_SIDE;
        *dh = (int)(((int64_t)h * SRV_IMAGE_MAX_SIDE + w / 2) / w);
    } else {
        *dh = SRV_IMAGE_MAX_SIDE;
        *dw = (int)(((int64_t)w * SRV_IMAGE_MAX_SIDE + h / 2) / h);
    }
    *dw = *dw < 1 ? 1 : *dw;
    *dh = *dh < 1 ? 1 : *dh;
}

/* The DCT scale n/8 (1..8) that decodes a JPEG closest to, but not
 * under, the stored size. */
static int jpeg_scale(int w, int h, int dw, int dh)
{
    int n;

    for (n = 1; n < 8; n++) {
        if (div_up((uint64_t)w * (unsigned)n, 8) >= (uint64_t)dw &&
            div_up((uint64_t)h * (unsigned)n, 8) >= (uint64_t)dh) {
            break;
        }
    }
    return n;
}

/* The memory one decode may hold at its peak, from the header: what
 * libjpeg or libpng keep for the whole picture (the coefficients of a
 * JPEG with more than one scan, an interlaced PNG's pixels), their row
 * buffers, and the stored-size picture three times (as decoded, turned
 * upright, encoded). */
static size_t decode_cost(enum kind kind, const struct header *hd,
                          size_t *whole)
{
    int dw, dh, n;
    uint64_t out, rows, all = 0;

    stored_size(hd->w, hd->h, &dw, &dh);
    out = 3 * (uint64_t)dw * (uint64_t)dh * 4 + (uint64_t)dw * 40;
    if (kind == KIND_PNG) {
        rows = (uint64_t)hd->w * 16 + 256 * 1024;
        if (hd->interlaced) {
            all = (uint64_t)hd->w * (uint64_t)hd->h * 4;
        }
    } else {
        int i;
        n = jpeg_scale(hd->w, hd->h, dw, dh);
        rows = div_up((uint64_t)hd->w * (unsigned)n, 8) * 64 * 4 + 512 * 1024;
        if (hd->progressive || hd->nscans > 1) {
            for (i = 0; i < hd->ncomp; i++) {
                uint64_t bw =
                    div_up(div_up((uint64_t)hd->w * (unsigned)hd->hs[i],
                                  (unsigned)hd->hmax),
                           8);
                uint64_t bh =
                    div_up(div_up((uint64_t)hd->h * (unsigned)hd->vs[i],
                                  (unsigned)hd->vmax),
                           8);
                bw = div_up(bw, (unsigned)hd->hs[i]) * (unsigned)hd->hs[i];
                bh = div_up(bh, (unsigned)hd->vs[i]) * (unsigned)hd->vs[i];
                all += bw * bh * 64 * sizeof(JCOEF);
            }
        }
    }
    *whole = (size_t)(all + rows);
    return (size_t)(all + rows + out);
}

/* ------------------------------------------------------------------ */
/* The scaler: RGBA rows in, an area-averaged dw x dh RGBA32 surface out */

struct scaler {
    int sw, sh, dw, dh;
    int y_in, y_out;
    int *x0;       /* dw + 1 column bounds */
    uint64_t *acc; /* dw x 4 sums */
    SDL_Surface *out;
};

static int scaler_init(struct scaler *s, int sw, int sh, int dw, int dh)
{
    int x;

    memset(s, 0, sizeof(*s));
    s->sw = sw;
    s->sh = sh;
    s->dw = dw;
    s->dh = dh;
    s->x0 = malloc(((size_t)dw + 1) * sizeof(int));
    s->acc = calloc((size_t)dw * 4, sizeof(uint64_t));
    s->out =
        SDL_CreateRGBSurfaceWithFormat(0, dw, dh, 32, SDL_PIXELFORMAT_RGBA32);
    if (!s->x0 || !s->acc || !s->out) {
        return TAULU_ENOMEM;
    }
    for (x = 0; x <= dw; x++) {
        s->x0[x] = (int)((int64_t)x * sw / dw);
    }
    return 0;
}

static void scaler_release(struct scaler *s)
{
    free(s->x0);
    free(s->acc);
    SDL_FreeSurface(s->out);
    memset(s, 0, sizeof(*s));
}

/* Every output pixel is the mean of the source rectangle it covers
 * (integer bounds), colour weighted by alpha so that transparent pixels
 * do not darken the edges. Rows beyond the last are ignored. */
static void scaler_push(struct scaler *s, const unsigned char *row)
{
    int64_t y1;
    int x, c;

    if (s->y_out >= s->dh) {
        return;
    }
    if (s->sw == s->dw && s->sh == s->dh) {
        memcpy((unsigned char *)s->out->pixels +
                   (size_t)s->y_out * (size_t)s->out->pitch,
               row, (size_t)s->dw * 4);
        s->y_in++;
        s->y_out++;
        return;
    }
    for (x = 0; x < s->dw; x++) {
        /* sums in locals: one store per output pixel, not per source
         * pixel (it shows in builds without optimisation) */
        uint64_t *a = s->acc + (size_t)x * 4;
        uint64_t r = 0, g = 0, b = 0, al = 0;
        const unsigned char *px = row + (size_t)s->x0[x] * 4;
        const unsigned char *end = row + (size_t)s->x0[x + 1] * 4;
        for (; px < end; px += 4) {
            unsigned alpha = px[3];
            r += (uint64_t)px[0] * alpha;
            g += (uint64_t)px[1] * alpha;
            b += (uint64_t)px[2] * alpha;
            al += alpha;
        }
        a[0] += r;
        a[1] += g;
        a[2] += b;
        a[3] += al;
    }
    s->y_in++;
    y1 = (int64_t)(s->y_out + 1) * s->sh / s->dh;
    if (s->y_in < y1) {
        return;
    }
    {
        int64_t y0 = (int64_t)s->y_out * s->sh / s->dh;
        unsigned char *out = (unsigned char *)s->out->pixels +
                             (size_t)s->y_out * (size_t)s->out->pitch;
        for (x = 0; x < s->dw; x++) {
            uint64_t *a = s->acc + (size_t)x * 4;
            uint64_t n =
                (uint64_t)(s->x0[x + 1] - s->x0[x]) * (uint64_t)(y1 - y0);
            for (c = 0; c < 3; c++) {
                out[x * 4 + c] =
                    a[3] ? (unsigned char)((a[c] + a[3] / 2) / a[3]) : 0;
            }
            out[x * 4 + 3] = (unsigned char)((a[3] + n / 2) / n);
        }
        memset(s->acc, 0, (size_t)s->dw * 4 * sizeof(uint64_t));
        s->y_out++;
    }
}

static bool scaler_done(const struct scaler *s)
{
    return s->y_out == s->dh && s->y_in == s->sh;
}

/* ------------------------------------------------------------------ */
/* JPEG with libjpeg: row by row, warnings are errors */

struct jpeg_job {
    struct jpeg_decompress_struct ci;
    struct jpeg_error_mgr em;
    jmp_buf jb;
    char msg[JMSG_LENGTH_MAX];
    unsigned char *row;
    struct scaler sc;
};

static void jpeg_fail(j_common_ptr c)
{
    struct jpeg_job *j = (struct jpeg_job *)(void *)c->client_data;

    (*c->err->format_message)(c, j->msg);
    longjmp(j->jb, 1);
}

/* A warning (level -1: corrupt data, a premature end) refuses the image:
 * libjpeg would otherwise fill what is missing with grey. Trace messages
 * (level >= 0) are ignored. */
static void jpeg_message(j_common_ptr c, int level)
{
    if (level < 0) {
        jpeg_fail(c);
    }
}

static void jpeg_quiet(j_common_ptr c)
{
    (void)c;
}

/* Adobe's CMYK JPEGs store the inks inverted; without its marker, plain. */
static void cmyk_to_rgba(unsigned char *row, int w, bool inverted)
{
    int x;

    for (x = 0; x < w; x++) {
        unsigned char *p = row + (size_t)x * 4;
        unsigned c = p[0], m = p[1], y = p[2], k = p[3];
        if (!inverted) {
            c = 255 - c;
            m = 255 - m;
            y = 255 - y;
            k = 255 - k;
        }
        p[0] = (unsigned char)(c * k / 255);
        p[1] = (unsigned char)(m * k / 255);
        p[2] = (unsigned char)(y * k / 255);
        p[3] = 255;
    }
}

static enum srv_image_error decode_jpeg(struct jpeg_job *j,
                                        const unsigned char *data, size_t len,
                                        const struct header *hd, int dw, int dh,
                                        size_t whole, struct taulu_buf *why)
{
    struct jpeg_decompress_struct *ci = &j->ci;

    ci->err = jpeg_std_error(&j->em);
    j->em.error_exit = jpeg_fail;
    j->em.emit_message = jpeg_message;
    j->em.output_message = jpeg_quiet;
    if (setjmp(j->jb)) {
        taulu_info(TAG, "JPEG decoder: %s", j->msg);
        say(why, "The JPEG image could not be read: it is damaged or cut "
                 "short.");
        return SRV_IMG_CORRUPT;
    }
    /* jpeg_create_decompress keeps err and client_data */
    ci->client_data = j;
    jpeg_create_decompress(ci);
    /* What was budgeted for the whole-picture buffers is also libjpeg's
     * own limit: past it, it fails instead of allocating. */
    ci->mem->max_memory_to_use = (long)whole;
    jpeg_mem_src(ci, data, (unsigned long)len);
    if (jpeg_read_header(ci, TRUE) != JPEG_HEADER_OK ||
        (int)ci->image_width != hd->w || (int)ci->image_height != hd->h) {
        say(why, "The image could not be read. It may be damaged.");
        return SRV_IMG_DECODE;
    }
    ci->out_color_space = ci->num_components == 4 ? JCS_CMYK : JCS_EXT_RGBA;
    ci->scale_num = (unsigned)jpeg_scale(hd->w, hd->h, dw, dh);
    ci->scale_denom = 8;
    jpeg_start_decompress(ci);
    if ((int)ci->output_width < dw || (int)ci->output_height < dh ||
        ci->output_components != 4) {
        say(why, "The image could not be read. It may be damaged.");
        return SRV_IMG_DECODE;
    }
    j->row = malloc((size_t)ci->output_width * 4);
    if (!j->row || scaler_init(&j->sc, (int)ci->output_width,
                               (int)ci->output_height, dw, dh) != 0) {
        return SRV_IMG_INTERNAL;
    }
    while (ci->output_scanline < ci->output_height) {
        JSAMPROW r = j->row;
        if (jpeg_read_scanlines(ci, &r, 1) != 1) {
            say(why, "The JPEG image is cut short (truncated).");
            return SRV_IMG_CORRUPT;
        }
        if (ci->out_color_space == JCS_CMYK) {
            cmyk_to_rgba(j->row, (int)ci->output_width,
                         ci->saw_Adobe_marker != 0);
        }
        scaler_push(&j->sc, j->row);
    }
    jpeg_finish_decompress(ci);
    return scaler_done(&j->sc) ? SRV_IMG_OK : SRV_IMG_INTERNAL;
}

/* ------------------------------------------------------------------ */
/* PNG with libpng: row by row (interlaced: whole), benign errors are
 * errors */

struct png_job {
    png_structp png;
    png_infop info;
    const unsigned char *data;
    size_t len, off;
    char msg[160];
    unsigned char *row;   /* one row, or the whole interlaced picture */
    unsigned char **rows; /* interlaced: row pointers */
    struct scaler sc;
};

static void png_fail(png_structp png, png_const_charp msg)
{
    struct png_job *j = png_get_error_ptr(png);

    snprintf(j->msg, sizeof(j->msg), "%s", msg);
    png_longjmp(png, 1);
}

static void png_quiet(png_structp png, png_const_charp msg)
{
    (void)png;
    (void)msg;
}

static void png_read_mem(png_structp png, png_bytep out, png_size_t n)
{
    struct png_job *j = png_get_io_ptr(png);

    if (n > j->len - j->off) {
        png_error(png, "read past the end");
    }
    memcpy(out, j->data + j->off, n);
    j->off += n;
}

/* After the caller's setjmp: reads the PNG's header from j->data and asks
 * libpng for 8-bit RGBA rows, whatever the file holds. Only the pixels
 * matter: every ancillary chunk (text, ICC profiles, Exif: some
 * compressed, all dropped from the stored PNG anyway) is skipped unread.
 * The number of interlace passes, or -1 when the size is not the one the
 * header check found (hd) or a row is not w * 4 bytes. */
static int png_rgba_begin(struct png_job *j, const struct header *hd)
{
    png_uint_32 w, h;
    int depth, type, passes;

    png_set_read_fn(j->png, j, png_read_mem);
    png_set_benign_errors(j->png, 0);
    png_set_chunk_malloc_max(j->png, PNG_CHUNK_MAX);
    png_set_keep_unknown_chunks(j->png, PNG_HANDLE_CHUNK_NEVER, NULL, -1);
    png_read_info(j->png, j->info);
    png_get_IHDR(j->png, j->info, &w, &h, &depth, &type, NULL, NULL, NULL);
    if ((int)w != hd->w || (int)h != hd->h) {
        return -1;
    }
    png_set_expand(j->png);
    png_set_strip_16(j->png);
    png_set_gray_to_rgb(j->png);
    if (!(type & PNG_COLOR_MASK_ALPHA) &&
        !png_get_valid(j->png, j->info, PNG_INFO_tRNS)) {
        png_set_add_alpha(j->png, 0xff, PNG_FILLER_AFTER);
    }
    passes = png_set_interlace_handling(j->png);
    png_read_update_info(j->png, j->info);
    if (png_get_rowbytes(j->png, j->info) != (size_t)w * 4) {
        return -1;
    }
    return passes;
}

static enum srv_image_error decode_png(struct png_job *j,
                                       const unsigned char *data, size_t len,
                                       const struct header *hd, int dw, int dh,
                                       struct taulu_buf *why)
{
    int passes, y;
    png_uint_32 w, h;

    j->data = data;
    j->len = len;
    j->png =
        png_create_read_struct(PNG_LIBPNG_VER_STRING, j, png_fail, png_quiet);
    if (!j->png) {
        return SRV_IMG_INTERNAL;
    }
    j->info = png_create_info_struct(j->png);
    if (!j->info) {
        return SRV_IMG_INTERNAL;
    }
    if (setjmp(png_jmpbuf(j->png))) {
        taulu_info(TAG, "PNG decoder: %s", j->msg);
        say(why, "The PNG image could not be read: it is damaged or cut "
                 "short.");
        return SRV_IMG_CORRUPT;
    }
    passes = png_rgba_begin(j, hd);
    if (passes < 0) {
        say(why, "The image could not be read. It may be damaged.");
        return SRV_IMG_DECODE;
    }
    w = (png_uint_32)hd->w;
    h = (png_uint_32)hd->h;
    if (scaler_init(&j->sc, (int)w, (int)h, dw, dh) != 0) {
        return SRV_IMG_INTERNAL;
    }
    if (passes == 1) {
        j->row = malloc((size_t)w * 4);
        if (!j->row) {
            return SRV_IMG_INTERNAL;
        }
        for (y = 0; y < (int)h; y++) {
            png_read_row(j->png, j->row, NULL);
            scaler_push(&j->sc, j->row);
        }
    } else {
        /* Adam7 fills every row in each of its passes: the whole
         * picture is held (and was budgeted). */
        j->row = malloc((size_t)w * 4 * h);
        j->rows = malloc(sizeof(j->rows[0]) * h);
        if (!j->row || !j->rows) {
            return SRV_IMG_INTERNAL;
        }
        for (y = 0; y < (int)h; y++) {
            j->rows[y] = j->row + (size_t)y * w * 4;
        }
        png_read_image(j->png, j->rows);
        for (y = 0; y < (int)h; y++) {
            scaler_push(&j->sc, j->rows[y]);
        }
    }
    png_read_end(j->png, NULL);
    return scaler_done(&j->sc) ? SRV_IMG_OK : SRV_IMG_INTERNAL;
}

/* ------------------------------------------------------------------ */
/* Encoding the stored PNG */

/* An SDL_RWops that appends to a taulu_buf (SDL has no growable memory
 * stream). */
static size_t SDLCALL buf_write(SDL_RWops *ctx, const void *ptr, size_t size,
                                size_t num)
{
    struct taulu_buf *b = ctx->hidden.unknown.data1;

    if (size == 0 || num == 0) {
        return 0;
    }
    if (num > SIZE_MAX / size || taulu_buf_append(b, ptr, size * num) < 0) {
        return 0;
    }
    return num;
}

static Sint64 SDLCALL buf_size(SDL_RWops *ctx)
{
    struct taulu_buf *b = ctx->hidden.unknown.data1;
    return (Sint64)b->len;
}

static Sint64 SDLCALL buf_seek(SDL_RWops *ctx, Sint64 offset, int whence)
{
    struct taulu_buf *b = ctx->hidden.unknown.data1;

    /* Encoders only ask where they are. */
    if (offset == 0 && (whence == RW_SEEK_CUR || whence == RW_SEEK_END)) {
        return (Sint64)b->len;
    }
    return -1;
}

static size_t SDLCALL buf_read(SDL_RWops *ctx, void *ptr, size_t size,
                               size_t num)
{
    (void)ctx;
    (void)ptr;
    (void)size;
    (void)num;
    return 0;
}

static int SDLCALL buf_close(SDL_RWops *ctx)
{
    SDL_FreeRW(ctx);
    return 0;
}

static SDL_RWops *rw_to_buf(struct taulu_buf *b)
{
    SDL_RWops *rw = SDL_AllocRW();

    if (!rw) {
        return NULL;
    }
    rw->size = buf_size;
    rw->seek = buf_seek;
    rw->read = buf_read;
    rw->write = buf_write;
    rw->close = buf_close;
    rw->type = SDL_RWOPS_UNKNOWN;
    rw->hidden.unknown.data1 = b;
    return rw;
}

static bool fully_opaque(SDL_Surface *s)
{
    int x, y;

    for (y = 0; y < s->h; y++) {
        const unsigned char *row =
            (const unsigned char *)s->pixels + (size_t)y * s->pitch;
        for (x = 0; x < s->w; x++) {
            if (row[x * 4 + 3] != 255) {
                return false;
            }
        }
    }
    return true;
}

/* The RGBA32 surface turned upright as Exif orientation `o` (2..8) says;
 * NULL when memory runs out. */
static SDL_Surface *orient(SDL_Surface *src, int o)
{
    SDL_Surface *dst;
    int ow, oh;

    srv_exif_oriented_size(o, src->w, src->h, &ow, &oh);
    dst = SDL_CreateRGBSurfaceWithFormat(0, ow, oh, 32, SDL_PIXELFORMAT_RGBA32);
    if (!dst) {
        return NULL;
    }
    srv_exif_orient_pixels(src->pixels, (size_t)src->pitch, src->w, src->h, o,
                           dst->pixels, (size_t)dst->pitch);
    return dst;
}

/* The scaled picture turned upright (a JPEG whose Exif says so) and
 * encoded as the stored PNG. Scaling before turning gives the same size
 * (the stored size bounds both sides) for a quarter of the work. */
static enum srv_image_error finish(SDL_Surface *s, enum kind kind,
                                   const void *data, size_t len,
                                   struct srv_image_result *res)
{
    SDL_Surface *up = NULL, *rgb = NULL;
    SDL_RWops *rw;
    enum srv_image_error e = SRV_IMG_INTERNAL;

    res->orientation = 1;
    if (kind == KIND_JPEG) {
        /* A broken Exif segment is the camera's problem, not the
         * picture's: kept as stored. */
        int o = srv_exif_orientation(data, len);

        if (o < 0) {
            taulu_info(TAG, "Exif orientation unreadable (%s): kept as stored",
                       taulu_strerror(o));
        } else if (o > 1) {
            up = orient(s, o);
            if (!up) {
                goto out;
            }
            s = up;
            res->orientation = o;
        }
    }
    /* Opaque images are stored without an alpha channel (smaller). */
    if (fully_opaque(s)) {
        rgb = SDL_ConvertSurfaceFormat(s, SDL_PIXELFORMAT_RGB24, 0);
        if (!rgb) {
            goto out;
        }
    }
    rw = rw_to_buf(&res->png);
    if (!rw) {
        goto out;
    }
    if (IMG_SavePNG_RW(rgb ? rgb : s, rw, 1) != 0 || res->png.len == 0) {
        goto out;
    }
    if (srv_png_size(res->png.data, res->png.len, &res->width, &res->height) <
        0) {
        goto out;
    }
    taulu_sha256_hex(res->png.data, res->png.len, res->sha256);
    e = SRV_IMG_OK;
out:
    SDL_FreeSurface(rgb);
    SDL_FreeSurface(up);
    return e;
}

/* ------------------------------------------------------------------ */

/* "image/png; charset=x" -> KIND_PNG. -1 for anything else. */
static int kind_of(const char *media_type)
{
    size_t n;

    if (!media_type) {
        return -1;
    }
    while (*media_type == ' ') {
        media_type++;
    }
    n = strcspn(media_type, "; \t");
    if (n == 9 && strncasecmp(media_type, "image/png", 9) == 0) {
        return KIND_PNG;
    }
    if ((n == 10 && strncasecmp(media_type, "image/jpeg", 10) == 0) ||
        (n == 9 && strncasecmp(media_type, "image/jpg", 9) == 0)) {
        return KIND_JPEG;
    }
    return -1;
}

/* The checks that need no decoder. */
static enum srv_image_error check(const void *data, size_t len, int kind,
                                  struct header *hd, struct taulu_buf *why)
{
    enum srv_image_error e;

    if (len == 0) {
        say(why, "The image file is empty.");
        return SRV_IMG_CORRUPT;
    }
    e = kind == KIND_PNG ? png_structure(data, len, hd, why)
                         : jpeg_structure(data, len, hd, why);
    if (e != SRV_IMG_OK) {
        return e;
    }
    if ((uint64_t)hd->w * (uint64_t)hd->h > SRV_IMAGE_MAX_PIXELS) {
        say(why, "The image has too many pixels. The largest allowed image "
                 "has 40 million pixels.");
        return SRV_IMG_TOO_MANY_PIXELS;
    }
    if (kind == KIND_PNG &&
        hd->idat_bytes * DEFLATE_MAX_RATIO + 1024 < hd->png_pixel_bytes) {
        /* Not even deflate's best case makes this many pixels of so few
         * bytes: the header's size is not the picture's. */
        say(why, "The PNG image is cut short (truncated).");
        return SRV_IMG_CORRUPT;
    }
    return SRV_IMG_OK;
}

static enum srv_image_error ingest(const void *data, size_t len,
                                   const char *media_type,
                                   struct srv_image_result *res,
                                   struct taulu_buf *why)
{
    struct header hd;
    enum srv_image_error e;
    size_t cost, whole;
    int kind, dw, dh;

    memset(res, 0, sizeof *res);
    memset(&hd, 0, sizeof hd);
    taulu_buf_init(&res->png, 64u * 1024u * 1024u);
    if (len > SRV_IMAGE_MAX_BYTES) {
        say(why, "The image is too large. The largest allowed file is 8 MiB.");
        return SRV_IMG_TOO_BIG;
    }
    kind = kind_of(media_type);
    if (kind < 0) {
        say(why, "Only PNG and JPEG images are accepted.");
        return SRV_IMG_UNSUPPORTED;
    }
    e = check(data, len, kind, &hd, why);
    if (e != SRV_IMG_OK) {
        return e;
    }
    res->orig_width = hd.w;
    res->orig_height = hd.h;
    stored_size(hd.w, hd.h, &dw, &dh);
    cost = decode_cost((enum kind)kind, &hd, &whole);
    e = budget_take(cost);
    if (e == SRV_IMG_TOO_MANY_PIXELS) {
        say(why, "The image would need more memory to decode than the "
                 "server allows (a progressive JPEG or an interlaced PNG "
                 "this large). Save it as an ordinary one, or smaller.");
        return e;
    }
    if (e == SRV_IMG_BUSY) {
        say(why, "Too many images are being processed. Try again in a "
                 "moment.");
        return e;
    }
    if (kind == KIND_JPEG) {
        struct jpeg_job *j = calloc(1, sizeof(*j));
        if (!j) {
            e = SRV_IMG_INTERNAL;
        } else {
            e = decode_jpeg(j, data, len, &hd, dw, dh, whole, why);
            jpeg_destroy_decompress(&j->ci);
            free(j->row);
            if (e == SRV_IMG_OK) {
                e = finish(j->sc.out, KIND_JPEG, data, len, res);
            }
            scaler_release(&j->sc);
            free(j);
        }
    } else {
        struct png_job *j = calloc(1, sizeof(*j));
        if (!j) {
            e = SRV_IMG_INTERNAL;
        } else {
            e = decode_png(j, data, len, &hd, dw, dh, why);
            png_destroy_read_struct(j->png ? &j->png : NULL,
                                    j->info ? &j->info : NULL, NULL);
            free(j->row);
            free(j->rows);
            if (e == SRV_IMG_OK) {
                e = finish(j->sc.out, KIND_PNG, data, len, res);
            }
            scaler_release(&j->sc);
            free(j);
        }
    }
    budget_give(cost);
    if (e != SRV_IMG_OK) {
        if (e == SRV_IMG_INTERNAL) {
            say(why, "The image could not be processed.");
        }
        taulu_buf_release(&res->png);
        res->sha256[0] = '\0';
    }
    return e;
}

enum srv_image_error srv_image_ingest(const void *data, size_t len,
                                      const char *media_type,
                                      struct srv_image_result *res,
                                      struct taulu_buf *why)
{
    enum srv_image_error e = ingest(data, len, media_type, res, why);
    /* A failure in SDL sets its per-thread error buffer, which SDL frees
     * only for its own threads: the HTTP worker that ran this would leave
     * it behind when it ends (see srv_render.c, thread_done). */
    SDL_TLSCleanup();
    return e;
}

/* ------------------------------------------------------------------ */
/* Stored images, decoded for the previews */

/* The whole picture as 8-bit RGBA into `rgba` (w * 4 bytes a row), with
 * the same expansions as an upload's decode. Under the budget. */
static enum srv_image_error
decode_stored_png(struct png_job *j, const unsigned char *data, size_t len,
                  const struct header *hd, uint8_t *rgba, struct taulu_buf *why)
{
    int y;

    j->data = data;
    j->len = len;
    j->rows = malloc(sizeof(j->rows[0]) * (size_t)hd->h);
    if (!j->rows) {
        return SRV_IMG_INTERNAL;
    }
    for (y = 0; y < hd->h; y++) {
        j->rows[y] = rgba + (size_t)y * (size_t)hd->w * 4;
    }
    j->png =
        png_create_read_struct(PNG_LIBPNG_VER_STRING, j, png_fail, png_quiet);
    if (!j->png) {
        return SRV_IMG_INTERNAL;
    }
    j->info = png_create_info_struct(j->png);
    if (!j->info) {
        return SRV_IMG_INTERNAL;
    }
    if (setjmp(png_jmpbuf(j->png))) {
        taulu_info(TAG, "PNG decoder (stored image): %s", j->msg);
        say(why, "The stored image could not be read: it is damaged.");
        return SRV_IMG_CORRUPT;
    }
    if (png_rgba_begin(j, hd) < 0) {
        say(why, "The stored image's header does not match its chunks.");
        return SRV_IMG_CORRUPT;
    }
    png_read_image(j->png, j->rows);
    png_read_end(j->png, NULL);
    return SRV_IMG_OK;
}

static enum srv_image_error decode_stored(const void *data, size_t len,
                                          const char *sha256,
                                          struct srv_pixels *out,
                                          struct taulu_buf *why)
{
    char hex[TAULU_SHA256_HEX_LEN + 1];
    struct header hd;
    struct png_job *j;
    uint8_t *rgba;
    size_t bytes, cost;
    enum srv_image_error e;

    memset(out, 0, sizeof *out);
    memset(&hd, 0, sizeof hd);
    if (!data || !sha256) {
        return SRV_IMG_INTERNAL;
    }
    if (len > SRV_IMAGE_STORED_MAX_BYTES) {
        say(why, "The stored image is larger than the server makes them.");
        return SRV_IMG_TOO_BIG;
    }
    /* The file is what the server stored under this name, byte for byte:
     * nothing else (a file put there by hand, a damaged one) is decoded. */
    taulu_sha256_hex(data, len, hex);
    if (strcmp(hex, sha256) != 0) {
        say(why, "The stored image is not the file of its name.");
        return SRV_IMG_CORRUPT;
    }
    e = png_structure(data, len, &hd, why);
    if (e != SRV_IMG_OK) {
        return e;
    }
    if (hd.w > SRV_IMAGE_MAX_SIDE || hd.h > SRV_IMAGE_MAX_SIDE) {
        say(why, "The stored image is larger than the server makes them.");
        return SRV_IMG_TOO_BIG;
    }
    bytes = (size_t)hd.w * (size_t)hd.h * 4;
    cost = bytes + sizeof(png_bytep) * (size_t)hd.h;
    e = budget_take(cost);
    if (e != SRV_IMG_OK) {
        say(why, "Too many images are being processed.");
        return e;
    }
    rgba = malloc(bytes);
    j = calloc(1, sizeof(*j));
    if (!rgba || !j) {
        e = SRV_IMG_INTERNAL;
    } else {
        e = decode_stored_png(j, data, len, &hd, rgba, why);
        png_destroy_read_struct(j->png ? &j->png : NULL,
                                j->info ? &j->info : NULL, NULL);
        free(j->rows);
    }
    free(j);
    budget_give(cost);
    if (e != SRV_IMG_OK) {
        free(rgba);
        return e;
    }
    out->rgba = rgba;
    out->width = hd.w;
    out->height = hd.h;
    out->stride = hd.w * 4;
    return SRV_IMG_OK;
}

enum srv_image_error srv_image_decode_stored(const void *data, size_t len,
                                             const char *sha256,
                                             struct srv_pixels *out,
                                             struct taulu_buf *why)
{
    return decode_stored(data, len, sha256, out, why);
}

/* A kept picture; `px` first, so that the reference handed out leads back
 * to its entry. */
struct cache_entry {
    struct srv_pixels px;
    char sha256[TAULU_SHA256_HEX_LEN + 1];
    size_t bytes;
    unsigned refs; /* handed out and not given back */
    bool kept;     /* in the cache's list */
    uint64_t used; /* LRU tick */
    struct cache_entry *next;
};

struct srv_image_cache {
    pthread_mutex_t mu;
    struct cache_entry *list;
    size_t n, bytes, max_bytes, max_entries;
    uint64_t tick;
    unsigned long hits, decodes;
};

static void entry_free(struct cache_entry *e)
{
    free((void *)(uintptr_t)e->px.rgba);
    free(e);
}

int srv_image_cache_new(size_t max_bytes, size_t max_entries,
                        struct srv_image_cache **out)
{
    struct srv_image_cache *c;

    if (!out || max_entries == 0) {
        return TAULU_EINVAL;
    }
    c = calloc(1, sizeof(*c));
    if (!c) {
        return TAULU_ENOMEM;
    }
    pthread_mutex_init(&c->mu, NULL);
    c->max_bytes = max_bytes;
    c->max_entries = max_entries;
    *out = c;
    return 0;
}

void srv_image_cache_free(struct srv_image_cache *c)
{
    struct cache_entry *e, *next;

    if (!c) {
        return;
    }
    for (e = c->list; e; e = next) {
        next = e->next;
        entry_free(e);
    }
    pthread_mutex_destroy(&c->mu);
    free(c);
}

/* Drops `e` from the list; freed now unless handed out. Under mu. */
static void unkeep(struct srv_image_cache *c, struct cache_entry *e)
{
    struct cache_entry **pp;

    for (pp = &c->list; *pp; pp = &(*pp)->next) {
        if (*pp == e) {
            *pp = e->next;
            break;
        }
    }
    e->kept = false;
    c->n--;
    c->bytes -= e->bytes;
    if (e->refs == 0) {
        entry_free(e);
    }
}

/* Lets go of the least recently used pictures until `bytes` more fit.
 * Under mu. */
static void make_room(struct srv_image_cache *c, size_t bytes)
{
    while (c->list &&
           (c->n >= c->max_entries || c->bytes + bytes > c->max_bytes)) {
        struct cache_entry *e, *lru = c->list;
        for (e = c->list; e; e = e->next) {
            if (e->used < lru->used) {
                lru = e;
            }
        }
        unkeep(c, lru);
    }
}

static struct cache_entry *find(struct srv_image_cache *c, const char *sha256)
{
    struct cache_entry *e;

    for (e = c->list; e; e = e->next) {
        if (strcmp(e->sha256, sha256) == 0) {
            return e;
        }
    }
    return NULL;
}

const struct srv_pixels *srv_image_cache_get(struct srv_image_cache *c,
                                             const char *sha256)
{
    struct cache_entry *e;

    if (!c || !sha256) {
        return NULL;
    }
    pthread_mutex_lock(&c->mu);
    e = find(c, sha256);
    if (e) {
        e->refs++;
        e->used = ++c->tick;
        c->hits++;
    }
    pthread_mutex_unlock(&c->mu);
    return e ? &e->px : NULL;
}

/* Reads `size` bytes of fd into a new buffer. */
static enum srv_image_error read_all(int fd, uint64_t size, unsigned char **out)
{
    unsigned char *buf = malloc(size ? (size_t)size : 1);
    size_t got = 0;

    *out = NULL;
    if (!buf) {
        return SRV_IMG_INTERNAL;
    }
    while (got < size) {
        ssize_t n = read(fd, buf + got, (size_t)size - got);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            free(buf);
            return SRV_IMG_CORRUPT;
        }
        got += (size_t)n;
    }
    *out = buf;
    return SRV_IMG_OK;
}

enum srv_image_error srv_image_cache_load(struct srv_image_cache *c,
                                          const char *sha256, int fd,
                                          uint64_t size,
                                          const struct srv_pixels **out,
                                          struct taulu_buf *why)
{
    struct cache_entry *e, *had;
    unsigned char *data = NULL;
    enum srv_image_error err;

    *out = NULL;
    if (!c || !sha256 || strlen(sha256) != TAULU_SHA256_HEX_LEN || fd < 0) {
        return SRV_IMG_INTERNAL;
    }
    if (size > SRV_IMAGE_STORED_MAX_BYTES) {
        say(why, "The stored image is larger than the server makes them.");
        return SRV_IMG_TOO_BIG;
    }
    e = calloc(1, sizeof(*e));
    if (!e) {
        return SRV_IMG_INTERNAL;
    }
    err = read_all(fd, size, &data);
    if (err == SRV_IMG_CORRUPT) {
        say(why, "The stored image could not be read whole.");
    }
    if (err == SRV_IMG_OK) {
        err = decode_stored(data, (size_t)size, sha256, &e->px, why);
    }
    free(data);
    if (err != SRV_IMG_OK) {
        free(e);
        return err;
    }
    memcpy(e->sha256, sha256, TAULU_SHA256_HEX_LEN + 1);
    e->bytes = (size_t)e->px.stride * (size_t)e->px.height;
    e->refs = 1;
    pthread_mutex_lock(&c->mu);
    c->decodes++;
    had = find(c, sha256);
    if (had) {
        /* another preview decoded it meanwhile: one copy is kept */
        had->refs++;
        had->used = ++c->tick;
        pthread_mutex_unlock(&c->mu);
        entry_free(e);
        *out = &had->px;
        return SRV_IMG_OK;
    }
    if (e->bytes <= c->max_bytes) {
        make_room(c, e->bytes);
        e->kept = true;
        e->used = ++c->tick;
        e->next = c->list;
        c->list = e;
        c->n++;
        c->bytes += e->bytes;
    }
    pthread_mutex_unlock(&c->mu);
    *out = &e->px;
    return SRV_IMG_OK;
}

void srv_image_cache_put(struct srv_image_cache *c, const struct srv_pixels *px)
{
    struct cache_entry *e = (struct cache_entry *)(uintptr_t)px;
    bool gone;

    if (!c || !px) {
        return;
    }
    pthread_mutex_lock(&c->mu);
    e->refs--;
    gone = e->refs == 0 && !e->kept;
    pthread_mutex_unlock(&c->mu);
    if (gone) {
        entry_free(e);
    }
}

void srv_image_cache_stats(struct srv_image_cache *c,
                           struct srv_image_cache_stats *out)
{
    memset(out, 0, sizeof *out);
    if (!c) {
        return;
    }
    pthread_mutex_lock(&c->mu);
    out->entries = c->n;
    out->bytes = c->bytes;
    out->hits = c->hits;
    out->decodes = c->decodes;
    pthread_mutex_unlock(&c->mu);
}
