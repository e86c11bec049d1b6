/*
 * srv_image.c: upload checks, decoding with SDL2_image, scaling and PNG
 * re-encoding (see srv_image.h). The structural checks are ours and run
 * before any third-party decoder sees the bytes.
 */
#include "srv_image.h"

#include <SDL.h>
#include <SDL_image.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

#include "srv_exif.h"
#include "taulu_err.h"
#include "taulu_log.h"

#define TAG "image"

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

int srv_image_init(void)
{
    int want = IMG_INIT_PNG | IMG_INIT_JPG;

    if ((IMG_Init(want) & want) != want) {
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
    case SRV_IMG_INTERNAL:
        break;
    }
    return 500;
}

static const unsigned char png_sig[8] = {0x89, 'P',  'N',  'G',
                                         '\r', '\n', 0x1a, '\n'};

/* Walks the chunk list: every CRC right, IHDR first, IEND last, nothing
 * after IEND. */
static enum srv_image_error png_structure(const unsigned char *p, size_t len,
                                          int *w, int *h, struct taulu_buf *why)
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
            *w = (int)width;
            *h = (int)height;
            first = false;
        }
        if (memcmp(type, "IDAT", 4) == 0) {
            idat = true;
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

/* Walks the markers: SOI first, a frame header before the first scan,
 * entropy-coded data skipped, EOI at the very end. */
static enum srv_image_error jpeg_structure(const unsigned char *p, size_t len,
                                           int *w, int *h,
                                           struct taulu_buf *why)
{
    size_t off = 2;
    bool have_sof = false, have_scan = false;

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
            unsigned fh, fw;

            if (seglen < 8 || have_sof) {
                say(why, "The JPEG image has an invalid frame header.");
                return SRV_IMG_CORRUPT;
            }
            fh = be16(p + off + 3);
            fw = be16(p + off + 5);
            if (fw == 0 || fh == 0) {
                say(why, "The JPEG image has invalid dimensions.");
                return SRV_IMG_CORRUPT;
            }
            *w = (int)fw;
            *h = (int)fh;
            have_sof = true;
        }
        off += seglen;
        if (m == 0xda) { /* SOS: entropy-coded data follows */
            if (!have_sof) {
                say(why, "The JPEG image has no frame header.");
                return SRV_IMG_CORRUPT;
            }
            have_scan = true;
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
        }
    }
truncated:
    say(why, "The JPEG image is cut short (truncated).");
    return SRV_IMG_CORRUPT;
}

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

/* Area-average downscale of an RGBA32 surface to dw x dh: every output
 * pixel is the mean of the source rectangle it covers (integer bounds,
 * good enough at reduction factors >= 1). */
static SDL_Surface *scale_down(SDL_Surface *src, int dw, int dh)
{
    SDL_Surface *dst;
    int x, y;

    dst = SDL_CreateRGBSurfaceWithFormat(0, dw, dh, 32, SDL_PIXELFORMAT_RGBA32);
    if (!dst) {
        return NULL;
    }
    for (y = 0; y < dh; y++) {
        int y0 = (int)((int64_t)y * src->h / dh);
        int y1 = (int)((int64_t)(y + 1) * src->h / dh);
        unsigned char *out =
            (unsigned char *)dst->pixels + (size_t)y * dst->pitch;

        if (y1 <= y0) {
            y1 = y0 + 1;
        }
        for (x = 0; x < dw; x++) {
            int x0 = (int)((int64_t)x * src->w / dw);
            int x1 = (int)((int64_t)(x + 1) * src->w / dw);
            uint64_t sum[4] = {0, 0, 0, 0}, n;
            int sx, sy, c;

            if (x1 <= x0) {
                x1 = x0 + 1;
            }
            for (sy = y0; sy < y1; sy++) {
                const unsigned char *row = (const unsigned char *)src->pixels +
                                           (size_t)sy * src->pitch;
                for (sx = x0; sx < x1; sx++) {
                    const unsigned char *px = row + (size_t)sx * 4;
                    /* Weight colour by alpha so transparent pixels do not
                     * darken the edges. */
                    sum[0] += (uint64_t)px[0] * px[3];
                    sum[1] += (uint64_t)px[1] * px[3];
                    sum[2] += (uint64_t)px[2] * px[3];
                    sum[3] += px[3];
                }
            }
            n = (uint64_t)(x1 - x0) * (uint64_t)(y1 - y0);
            for (c = 0; c < 3; c++) {
                out[x * 4 + c] =
                    sum[3] ? (unsigned char)((sum[c] + sum[3] / 2) / sum[3])
                           : 0;
            }
            out[x * 4 + 3] = (unsigned char)((sum[3] + n / 2) / n);
        }
    }
    return dst;
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

static enum srv_image_error ingest(const void *data, size_t len,
                                   const char *media_type,
                                   struct srv_image_result *res,
                                   struct taulu_buf *why)
{
    SDL_Surface *decoded = NULL, *rgba = NULL, *scaled = NULL, *out = NULL;
    SDL_RWops *rw = NULL;
    enum srv_image_error e;
    int kind, w = 0, h = 0, dw, dh;

    memset(res, 0, sizeof *res);
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
    if (len == 0) {
        say(why, "The image file is empty.");
        return SRV_IMG_CORRUPT;
    }
    e = kind == KIND_PNG ? png_structure(data, len, &w, &h, why)
                         : jpeg_structure(data, len, &w, &h, why);
    if (e != SRV_IMG_OK) {
        return e;
    }
    if ((uint64_t)w * (uint64_t)h > SRV_IMAGE_MAX_PIXELS) {
        say(why, "The image has too many pixels. The largest allowed image "
                 "has 40 million pixels.");
        return SRV_IMG_TOO_MANY_PIXELS;
    }
    res->orig_width = w;
    res->orig_height = h;

    rw = SDL_RWFromConstMem(data, (int)len);
    if (!rw) {
        e = SRV_IMG_INTERNAL;
        goto out;
    }
    decoded = IMG_LoadTyped_RW(rw, 1, kind == KIND_PNG ? "PNG" : "JPG");
    if (!decoded) {
        say(why, "The image could not be read. It may be damaged.");
        e = SRV_IMG_DECODE;
        goto out;
    }
    if (decoded->w != w || decoded->h != h) {
        say(why, "The image could not be read. It may be damaged.");
        e = SRV_IMG_DECODE;
        goto out;
    }
    rgba = SDL_ConvertSurfaceFormat(decoded, SDL_PIXELFORMAT_RGBA32, 0);
    if (!rgba) {
        e = SRV_IMG_INTERNAL;
        goto out;
    }
    SDL_FreeSurface(decoded); /* not needed any more: less memory at peak */
    decoded = NULL;
    res->orientation = 1;
    if (kind == KIND_JPEG) {
        /* The PNG keeps no Exif: turn the pixels upright now, before the
         * scaling (which bounds the turned sides). A broken Exif segment
         * is the camera's problem, not the picture's: kept as stored. */
        int o = srv_exif_orientation(data, len);

        if (o < 0) {
            taulu_info(TAG, "Exif orientation unreadable (%s): kept as stored",
                       taulu_strerror(o));
        } else if (o > 1) {
            SDL_Surface *up = orient(rgba, o);

            if (!up) {
                e = SRV_IMG_INTERNAL;
                goto out;
            }
            SDL_FreeSurface(rgba);
            rgba = up;
            res->orientation = o;
        }
    }
    w = rgba->w;
    h = rgba->h;
    dw = w;
    dh = h;
    if (w > SRV_IMAGE_MAX_SIDE || h > SRV_IMAGE_MAX_SIDE) {
        if (w >= h) {
            dw = SRV_IMAGE_MAX_SIDE;
            dh = (int)(((int64_t)h * SRV_IMAGE_MAX_SIDE + w / 2) / w);
        } else {
            dh = SRV_IMAGE_MAX_SIDE;
            dw = (int)(((int64_t)w * SRV_IMAGE_MAX_SIDE + h / 2) / h);
        }
        if (dw < 1) {
            dw = 1;
        }
        if (dh < 1) {
            dh = 1;
        }
        scaled = scale_down(rgba, dw, dh);
        if (!scaled) {
            e = SRV_IMG_INTERNAL;
            goto out;
        }
    }
    {
        SDL_Surface *s = scaled ? scaled : rgba;
        /* Opaque images are stored without an alpha channel (smaller). */
        if (fully_opaque(s)) {
            out = SDL_ConvertSurfaceFormat(s, SDL_PIXELFORMAT_RGB24, 0);
            if (!out) {
                e = SRV_IMG_INTERNAL;
                goto out;
            }
        }
        rw = rw_to_buf(&res->png);
        if (!rw) {
            e = SRV_IMG_INTERNAL;
            goto out;
        }
        if (IMG_SavePNG_RW(out ? out : s, rw, 1) != 0 || res->png.len == 0) {
            e = SRV_IMG_INTERNAL;
            goto out;
        }
    }
    if (srv_png_size(res->png.data, res->png.len, &res->width, &res->height) <
        0) {
        e = SRV_IMG_INTERNAL;
        goto out;
    }
    taulu_sha256_hex(res->png.data, res->png.len, res->sha256);
    e = SRV_IMG_OK;
out:
    SDL_FreeSurface(out);
    SDL_FreeSurface(scaled);
    SDL_FreeSurface(rgba);
    SDL_FreeSurface(decoded);
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
    /* A decoding failure sets SDL's per-thread error buffer, which SDL
     * frees only for its own threads: the HTTP worker that ran this would
     * leave it behind when it ends (see srv_render.c, thread_done). */
    SDL_TLSCleanup();
    return e;
}
