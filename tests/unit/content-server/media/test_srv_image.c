/*
 * test_srv_image.c: upload checks and re-encoding of images: metadata
 * stripped, scaling, and every kind of bad file refused before or by the
 * decoder with a clear message; and the stored images the previews decode
 * (only the file of its name, as SDL_image reads it) and keep.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <SDL.h>
#include <SDL_image.h>
#include <zlib.h>

#include "srv_image.h"
#include "taulu_crypto.h"

/* Encodes a w x h test picture (a gradient, so JPEG has something to do)
 * as PNG or JPEG into a malloc'd buffer. */
static unsigned char *make_image(int w, int h, int jpeg, int alpha, size_t *len)
{
    SDL_Surface *s =
        SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_RGBA32);
    size_t cap = (size_t)w * h * 4 + 65536;
    unsigned char *mem = malloc(cap);
    SDL_RWops *rw;
    int x, y;

    assert_non_null(s);
    assert_non_null(mem);
    for (y = 0; y < h; y++) {
        unsigned char *row = (unsigned char *)s->pixels + (size_t)y * s->pitch;
        for (x = 0; x < w; x++) {
            row[x * 4 + 0] = (unsigned char)(x * 255 / (w > 1 ? w - 1 : 1));
            row[x * 4 + 1] = (unsigned char)(y * 255 / (h > 1 ? h - 1 : 1));
            row[x * 4 + 2] = 128;
            row[x * 4 + 3] = alpha ? (unsigned char)(x % 256) : 255;
        }
    }
    rw = SDL_RWFromMem(mem, (int)cap);
    assert_non_null(rw);
    if (jpeg) {
        assert_int_equal(IMG_SaveJPG_RW(s, rw, 0, 90), 0);
    } else {
        assert_int_equal(IMG_SavePNG_RW(s, rw, 0), 0);
    }
    *len = (size_t)SDL_RWtell(rw);
    SDL_RWclose(rw);
    SDL_FreeSurface(s);
    return mem;
}

static int setup(void **state)
{
    (void)state;
    assert_int_equal(taulu_crypto_init(), 0);
    assert_int_equal(srv_image_init(), 0);
    return 0;
}

static int contains(const void *hay, size_t n, const char *needle)
{
    size_t k = strlen(needle), i;
    const char *h = hay;

    for (i = 0; i + k <= n; i++) {
        if (memcmp(h + i, needle, k) == 0) {
            return 1;
        }
    }
    return 0;
}

/* A JPEG with an APP1 Exif segment holding a GPS IFD: the stored PNG has
 * none of it. */
static void test_exif_gps_is_stripped(void **state)
{
    /* Minimal TIFF: IFD0 with one entry, GPSInfo (0x8825) -> GPS IFD with
     * GPSLatitudeRef "N" and a marker string we can search for. */
    static const unsigned char exif[] = {
        'E',  'x',  'i', 'f', 0,   0,   'M',
        'M',  0,    42,  0,   0,   0,   8, /* TIFF header */
        0,    1,                           /* IFD0: 1 entry */
        0x88, 0x25, 0,   4,   0,   0,   0,
        1,    0,    0,   0,   26, /* GPSInfo -> 26 */
        0,    0,    0,   0,       /* no next IFD */
        0,    1,                  /* GPS IFD: 1 entry */
        0,    1,    0,   2,   0,   0,   0,
        2,    'N',  0,   0,   0, /* LatitudeRef N */
        0,    0,    0,   0,   'G', 'P', 'S',
        'S',  'E',  'C', 'R', 'E', 'T', /* findable bytes */
    };
    struct srv_image_result res;
    struct taulu_buf why;
    unsigned char *jpg, *with;
    size_t len, seg = 2 + sizeof exif;

    (void)state;
    jpg = make_image(64, 48, 1, 0, &len);
    with = malloc(len + 2 + seg);
    assert_non_null(with);
    with[0] = 0xff;
    with[1] = 0xd8;
    with[2] = 0xff;
    with[3] = 0xe1;
    with[4] = (unsigned char)(seg >> 8);
    with[5] = (unsigned char)(seg & 0xff);
    memcpy(with + 6, exif, sizeof exif);
    memcpy(with + 6 + sizeof exif, jpg + 2, len - 2);
    len = 6 + sizeof exif + (len - 2);
    assert_true(contains(with, len, "GPSSECRET"));
    assert_true(contains(with, len, "Exif"));

    taulu_buf_init(&why, 1024);
    assert_int_equal(srv_image_ingest(with, len, "image/jpeg", &res, &why),
                     SRV_IMG_OK);
    assert_int_equal(res.width, 64);
    assert_int_equal(res.height, 48);
    assert_false(contains(res.png.data, res.png.len, "GPSSECRET"));
    assert_false(contains(res.png.data, res.png.len, "Exif"));
    assert_false(contains(res.png.data, res.png.len, "eXIf"));
    /* Named by the sha256 of what is stored. */
    {
        char hex[65];
        taulu_sha256_hex(res.png.data, res.png.len, hex);
        assert_string_equal(hex, res.sha256);
    }
    taulu_buf_release(&res.png);
    taulu_buf_release(&why);
    free(with);
    free(jpg);
}

/* A w x h JPEG in four solid quarters: red top left, green top right,
 * blue bottom left, white bottom right (solid, so JPEG keeps the colours
 * to within a few steps away from the edges). */
static unsigned char *make_quarters(int w, int h, size_t *len)
{
    static const unsigned char colour[4][3] = {
        {255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {255, 255, 255}};
    SDL_Surface *s =
        SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_RGBA32);
    size_t cap = (size_t)w * h * 4 + 65536;
    unsigned char *mem = malloc(cap);
    SDL_RWops *rw;
    int x, y;

    assert_non_null(s);
    assert_non_null(mem);
    for (y = 0; y < h; y++) {
        unsigned char *row = (unsigned char *)s->pixels + (size_t)y * s->pitch;
        for (x = 0; x < w; x++) {
            const unsigned char *c = colour[(y >= h / 2) * 2 + (x >= w / 2)];
            memcpy(row + x * 4, c, 3);
            row[x * 4 + 3] = 255;
        }
    }
    rw = SDL_RWFromMem(mem, (int)cap);
    assert_non_null(rw);
    assert_int_equal(IMG_SaveJPG_RW(s, rw, 0, 95), 0);
    *len = (size_t)SDL_RWtell(rw);
    SDL_RWclose(rw);
    SDL_FreeSurface(s);
    return mem;
}

/* The JPEG with an APP1 Exif segment right after SOI whose IFD0 holds
 * Orientation `o` (as a camera writes it: II or MM, Make before it). */
static unsigned char *with_orientation(const unsigned char *jpg, size_t len,
                                       unsigned o, int le, size_t *out_len)
{
    unsigned char exif[6 + 8 + 2 + 2 * 12 + 4 + 6], *p = exif, *out;
    size_t seg = 2 + sizeof exif;
#define PUT16(v)                                                               \
    do {                                                                       \
        unsigned v_ = (v);                                                     \
        *p++ = (unsigned char)(le ? v_ & 0xff : v_ >> 8);                      \
        *p++ = (unsigned char)(le ? v_ >> 8 : v_ & 0xff);                      \
    } while (0)
#define PUT32(v)                                                               \
    do {                                                                       \
        uint32_t w_ = (v);                                                     \
        PUT16(le ? w_ & 0xffff : w_ >> 16);                                    \
        PUT16(le ? w_ >> 16 : w_ & 0xffff);                                    \
    } while (0)

    memcpy(p, "Exif\0\0", 6);
    p += 6;
    memcpy(p, le ? "II" : "MM", 2);
    p += 2;
    PUT16(42);
    PUT32(8);
    PUT16(2);
    PUT16(0x010f); /* Make, ASCII, 6 bytes at the end */
    PUT16(2);
    PUT32(6);
    PUT32(8 + 2 + 2 * 12 + 4);
    PUT16(0x0112); /* Orientation, SHORT, 1 */
    PUT16(3);
    PUT32(1);
    PUT16(o);
    PUT16(0);
    PUT32(0); /* no next IFD */
    memcpy(p, "Taulu", 6);
    p += 6;
#undef PUT16
#undef PUT32
    assert_int_equal((size_t)(p - exif), sizeof exif);
    out = malloc(len + 2 + seg);
    assert_non_null(out);
    memcpy(out, "\xff\xd8\xff\xe1", 4);
    out[4] = (unsigned char)(seg >> 8);
    out[5] = (unsigned char)(seg & 0xff);
    memcpy(out + 6, exif, sizeof exif);
    memcpy(out + 6 + sizeof exif, jpg + 2, len - 2);
    *out_len = 6 + sizeof exif + (len - 2);
    return out;
}

/* The colour of an RGBA32 surface at (x, y): 'r', 'g', 'b', 'w' or '?'. */
static char colour_at(SDL_Surface *s, int x, int y)
{
    const unsigned char *px =
        (const unsigned char *)s->pixels + (size_t)y * s->pitch + x * 4;

    if (px[0] > 200 && px[1] > 200 && px[2] > 200) {
        return 'w';
    }
    if (px[0] > 200 && px[1] < 60 && px[2] < 60) {
        return 'r';
    }
    if (px[1] > 200 && px[0] < 60 && px[2] < 60) {
        return 'g';
    }
    if (px[2] > 200 && px[0] < 60 && px[1] < 60) {
        return 'b';
    }
    return '?';
}

/* Corners of the stored PNG, 4 pixels in: top left, top right, bottom
 * left, bottom right. */
static void corners(const struct srv_image_result *res, char out[5])
{
    SDL_RWops *rw = SDL_RWFromConstMem(res->png.data, (int)res->png.len);
    SDL_Surface *png, *s;

    assert_non_null(rw);
    png = IMG_LoadPNG_RW(rw);
    SDL_RWclose(rw);
    assert_non_null(png);
    s = SDL_ConvertSurfaceFormat(png, SDL_PIXELFORMAT_RGBA32, 0);
    SDL_FreeSurface(png);
    assert_non_null(s);
    assert_int_equal(s->w, res->width);
    assert_int_equal(s->h, res->height);
    out[0] = colour_at(s, 4, 4);
    out[1] = colour_at(s, s->w - 5, 4);
    out[2] = colour_at(s, 4, s->h - 5);
    out[3] = colour_at(s, s->w - 5, s->h - 5);
    out[4] = '\0';
    SDL_FreeSurface(s);
}

/* A phone's portrait photo and the other seven: the stored PNG is upright.
 * Stored corners are r g / b w; the table is Exif 2.3's (srv_exif.c). */
static void test_exif_orientation_applied(void **state)
{
    static const char *const want[9] = {
        NULL, "rgbw", "grwb", "wbgr", "bwrg", "rbgw", "brwg", "wgbr", "gwrb",
    };
    unsigned char *jpg, *with;
    size_t len, wlen;
    unsigned o;
    int le;

    (void)state;
    jpg = make_quarters(64, 32, &len);
    for (le = 0; le <= 1; le++) {
        for (o = 1; o <= 8; o++) {
            struct srv_image_result res;
            char got[5];

            with = with_orientation(jpg, len, o, le, &wlen);
            assert_int_equal(
                srv_image_ingest(with, wlen, "image/jpeg", &res, NULL),
                SRV_IMG_OK);
            assert_int_equal(res.orientation, (int)o);
            assert_int_equal(res.orig_width, 64);
            assert_int_equal(res.orig_height, 32);
            assert_int_equal(res.width, o >= 5 ? 32 : 64);
            assert_int_equal(res.height, o >= 5 ? 64 : 32);
            corners(&res, got);
            if (strcmp(got, want[o]) != 0) {
                fail_msg("orientation %u (%s): corners %s, want %s", o,
                         le ? "II" : "MM", got, want[o]);
            }
            taulu_buf_release(&res.png);
            free(with);
        }
    }
    free(jpg);
}

/* Turned first, then scaled: a 3000 x 2000 photo with Orientation 6 is
 * stored 1280 x 1920, not 1920 x 1280 squeezed. */
static void test_exif_turn_before_scaling(void **state)
{
    struct srv_image_result res;
    unsigned char *jpg, *with;
    size_t len, wlen;
    char got[5];

    (void)state;
    jpg = make_quarters(3000, 2000, &len);
    with = with_orientation(jpg, len, 6, 0, &wlen);
    assert_int_equal(srv_image_ingest(with, wlen, "image/jpeg", &res, NULL),
                     SRV_IMG_OK);
    assert_int_equal(res.width, 1280);
    assert_int_equal(res.height, 1920);
    assert_int_equal(res.orig_width, 3000);
    assert_int_equal(res.orig_height, 2000);
    corners(&res, got);
    assert_string_equal(got, "brwg");
    taulu_buf_release(&res.png);
    free(with);
    free(jpg);
}

/* An Orientation out of range is a broken Exif segment: the picture is
 * still good and is kept as stored. */
static void test_exif_broken_kept_as_stored(void **state)
{
    struct srv_image_result res;
    unsigned char *jpg, *with;
    size_t len, wlen;
    char got[5];

    (void)state;
    jpg = make_quarters(64, 32, &len);
    with = with_orientation(jpg, len, 9, 1, &wlen);
    assert_int_equal(srv_image_ingest(with, wlen, "image/jpeg", &res, NULL),
                     SRV_IMG_OK);
    assert_int_equal(res.orientation, 1);
    assert_int_equal(res.width, 64);
    assert_int_equal(res.height, 32);
    corners(&res, got);
    assert_string_equal(got, "rgbw");
    taulu_buf_release(&res.png);
    free(with);
    free(jpg);
}

static void test_png_roundtrip_is_deterministic(void **state)
{
    struct srv_image_result a, b;
    unsigned char *png;
    size_t len;

    (void)state;
    png = make_image(100, 80, 0, 1, &len);
    assert_int_equal(srv_image_ingest(png, len, "image/png", &a, NULL),
                     SRV_IMG_OK);
    assert_int_equal(srv_image_ingest(png, len, "IMAGE/PNG; x=y", &b, NULL),
                     SRV_IMG_OK);
    assert_string_equal(a.sha256, b.sha256);
    assert_int_equal(a.width, 100);
    assert_int_equal(a.height, 80);
    taulu_buf_release(&a.png);
    taulu_buf_release(&b.png);
    free(png);
}

static void test_large_is_scaled_down(void **state)
{
    struct srv_image_result res;
    unsigned char *png;
    size_t len;

    (void)state;
    png = make_image(4000, 1000, 0, 0, &len);
    assert_int_equal(srv_image_ingest(png, len, "image/png", &res, NULL),
                     SRV_IMG_OK);
    assert_int_equal(res.width, 1920);
    assert_int_equal(res.height, 480);
    assert_int_equal(res.orig_width, 4000);
    taulu_buf_release(&res.png);
    free(png);

    png = make_image(300, 2500, 1, 0, &len);
    assert_int_equal(srv_image_ingest(png, len, "image/jpeg", &res, NULL),
                     SRV_IMG_OK);
    assert_int_equal(res.height, 1920);
    assert_int_equal(res.width, 230);
    taulu_buf_release(&res.png);
    free(png);
}

static void expect(const void *data, size_t len, const char *type,
                   enum srv_image_error want, const char *phrase, int status)
{
    struct srv_image_result res;
    struct taulu_buf why;

    taulu_buf_init(&why, 1024);
    assert_int_equal(srv_image_ingest(data, len, type, &res, &why), want);
    assert_int_equal(res.png.len, 0);
    if (!strstr(why.data, phrase)) {
        fail_msg("message \"%s\" lacks \"%s\"", why.data, phrase);
    }
    assert_int_equal(srv_image_http_status(want), status);
    taulu_buf_release(&why);
}

static void test_truncated_png(void **state)
{
    unsigned char *png;
    size_t len;

    (void)state;
    png = make_image(50, 50, 0, 0, &len);
    expect(png, len / 2, "image/png", SRV_IMG_CORRUPT, "truncated", 422);
    expect(png, len - 1, "image/png", SRV_IMG_CORRUPT, "", 422);
    /* A flipped bit inside the pixel data: the CRC says so. */
    png[len / 2] ^= 0x10;
    expect(png, len, "image/png", SRV_IMG_CORRUPT, "checksum", 422);
    free(png);
}

static void test_truncated_jpeg(void **state)
{
    unsigned char *jpg;
    size_t len;

    (void)state;
    jpg = make_image(50, 50, 1, 0, &len);
    expect(jpg, len / 2, "image/jpeg", SRV_IMG_CORRUPT, "truncated", 422);
    expect(jpg, len - 2, "image/jpeg", SRV_IMG_CORRUPT, "truncated", 422);
    free(jpg);
}

static void test_random_bytes(void **state)
{
    unsigned char junk[4096];

    (void)state;
    taulu_random_bytes(junk, sizeof junk);
    junk[0] = 'x';
    expect(junk, sizeof junk, "image/png", SRV_IMG_TYPE_MISMATCH, "not a PNG",
           422);
    expect(junk, sizeof junk, "image/jpeg", SRV_IMG_TYPE_MISMATCH, "not a JPEG",
           422);
    expect(junk, 0, "image/png", SRV_IMG_CORRUPT, "empty", 422);
}

static void test_declared_type(void **state)
{
    unsigned char *jpg;
    size_t len;

    (void)state;
    jpg = make_image(20, 20, 1, 0, &len);
    expect(jpg, len, "image/png", SRV_IMG_TYPE_MISMATCH, "not a PNG", 422);
    expect(jpg, len, "image/svg+xml", SRV_IMG_UNSUPPORTED, "PNG and JPEG", 415);
    expect(jpg, len, NULL, SRV_IMG_UNSUPPORTED, "PNG and JPEG", 415);
    free(jpg);
}

/* Image + ZIP (or anything) glued together. */
static void test_polyglot(void **state)
{
    unsigned char *png, *jpg, *glued;
    size_t len, jlen;
    static const char zip[] = "PK\003\004 a zip archive follows";

    (void)state;
    png = make_image(20, 20, 0, 0, &len);
    glued = malloc(len + sizeof zip);
    assert_non_null(glued);
    memcpy(glued, png, len);
    memcpy(glued + len, zip, sizeof zip);
    expect(glued, len + sizeof zip, "image/png", SRV_IMG_CORRUPT,
           "extra data after its end", 422);
    free(glued);
    jpg = make_image(20, 20, 1, 0, &jlen);
    glued = malloc(jlen + sizeof zip);
    assert_non_null(glued);
    memcpy(glued, jpg, jlen);
    memcpy(glued + jlen, zip, sizeof zip);
    expect(glued, jlen + sizeof zip, "image/jpeg", SRV_IMG_CORRUPT,
           "extra data after its end", 422);
    free(glued);
    free(png);
    free(jpg);
}

static void put32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

static size_t chunk(unsigned char *p, const char *type,
                    const unsigned char *data, uint32_t n)
{
    put32(p, n);
    memcpy(p + 4, type, 4);
    if (n) {
        memcpy(p + 8, data, n);
    }
    put32(p + 8 + n, (uint32_t)crc32(0L, p + 4, 4 + n));
    return 12 + n;
}

/* A tiny, well-formed PNG that claims 100000 x 100000 pixels: refused from
 * the header, before any decoder allocates 40 GB. */
static void test_decompression_bomb(void **state)
{
    unsigned char png[256], ihdr[13], idat[64];
    uLongf zlen = sizeof idat;
    static const unsigned char row[2] = {0, 0};
    size_t n = 0;

    (void)state;
    memcpy(png, "\x89PNG\r\n\x1a\n", 8);
    n = 8;
    put32(ihdr, 100000);
    put32(ihdr + 4, 100000);
    ihdr[8] = 8; /* bit depth */
    ihdr[9] = 0; /* grey */
    ihdr[10] = ihdr[11] = ihdr[12] = 0;
    n += chunk(png + n, "IHDR", ihdr, 13);
    assert_int_equal(compress(idat, &zlen, row, sizeof row), Z_OK);
    n += chunk(png + n, "IDAT", idat, (uint32_t)zlen);
    n += chunk(png + n, "IEND", NULL, 0);
    expect(png, n, "image/png", SRV_IMG_TOO_MANY_PIXELS, "too many pixels",
           422);
}

static void test_too_many_bytes(void **state)
{
    (void)state;
    /* The size is checked before the bytes are looked at. */
    expect("", (size_t)SRV_IMAGE_MAX_BYTES + 1, "image/png", SRV_IMG_TOO_BIG,
           "8 MiB", 413);
}

struct ingest_job {
    const unsigned char *data;
    size_t len;
    const char *type;
    enum srv_image_error got;
};

static void *ingest_on_thread(void *arg)
{
    struct ingest_job *j = arg;
    struct srv_image_result res;
    struct taulu_buf why;

    taulu_buf_init(&why, 1024);
    j->got = srv_image_ingest(j->data, j->len, j->type, &res, &why);
    taulu_buf_release(&res.png);
    taulu_buf_release(&why);
    return NULL;
}

/* HTTP workers run the ingest; SDL frees a thread's state (the error
 * buffer a decoding failure makes) only for threads it started, so each
 * worker would leave it behind when it ends unless the ingest frees it.
 * A PNG whose compressed rows are garbage under a valid checksum passes
 * the structure checks and fails in the decoder (a JPEG with a garbage
 * scan decodes, with a warning, and is run too). */
static void test_threads_leave_nothing(void **state)
{
    unsigned char *jpg, *png;
    size_t jlen, plen, i;
    struct ingest_job jobs[3];
    pthread_t t[3];
    int before;

    (void)state;
    jpg = make_image(64, 64, 1, 0, &jlen);
    png = make_image(64, 64, 0, 0, &plen);
    /* garbage after the start of scan: markers intact, data not */
    for (i = 0; i + 1 < jlen; i++) {
        if (jpg[i] == 0xFF && jpg[i + 1] == 0xDA) {
            break;
        }
    }
    assert_true(i + 40 < jlen);
    for (size_t k = i + 20; k + 2 < jlen; k++) {
        jpg[k] = (unsigned char)(k * 37 % 255); /* never 0xFF */
    }
    jobs[0] = (struct ingest_job){jpg, jlen, "image/jpeg", SRV_IMG_OK};
    jobs[1] = (struct ingest_job){png, plen, "image/png", SRV_IMG_OK};
    /* a PNG whose pixel rows are garbage under a valid checksum */
    unsigned char *bad = malloc(plen);
    assert_non_null(bad);
    memcpy(bad, png, plen);
    for (i = 8; i + 12 <= plen;) {
        uint32_t n = (uint32_t)bad[i] << 24 | (uint32_t)bad[i + 1] << 16 |
                     (uint32_t)bad[i + 2] << 8 | bad[i + 3];
        if (memcmp(bad + i + 4, "IDAT", 4) == 0 && n > 16) {
            for (uint32_t k = 2; k < n; k++) {
                bad[i + 8 + k] = (unsigned char)(k * 53 + 7);
            }
            uLong crc = crc32(0L, bad + i + 4, n + 4);
            bad[i + 8 + n] = (unsigned char)(crc >> 24);
            bad[i + 9 + n] = (unsigned char)(crc >> 16);
            bad[i + 10 + n] = (unsigned char)(crc >> 8);
            bad[i + 11 + n] = (unsigned char)crc;
            break;
        }
        i += 12 + n;
    }
    jobs[2] = (struct ingest_job){bad, plen, "image/png", SRV_IMG_OK};
    /* what SDL makes once per process is made here first */
    ingest_on_thread(&jobs[1]);
    before = SDL_GetNumAllocations();
    for (i = 0; i < 3; i++) {
        assert_int_equal(
            pthread_create(&t[i], NULL, ingest_on_thread, &jobs[i]), 0);
        assert_int_equal(pthread_join(t[i], NULL), 0);
    }
    assert_int_equal(jobs[1].got, SRV_IMG_OK);
    assert_int_not_equal(jobs[2].got, SRV_IMG_OK);
    free(bad);
    assert_int_equal(SDL_GetNumAllocations(), before);
    free(jpg);
    free(png);
}

/* ---- Stored images for the previews ---- */

/* An upload's stored PNG (w x h, with alpha or not). */
static void stored(int w, int h, int alpha, struct srv_image_result *res)
{
    size_t len;
    unsigned char *img = make_image(w, h, 0, alpha, &len);

    assert_int_equal(srv_image_ingest(img, len, "image/png", res, NULL),
                     SRV_IMG_OK);
    free(img);
}

/* The stored file's pixels are SDL_image's (what the player's IMG_Load
 * gives the renderer), with alpha and without. */
static void test_stored_decoded_as_sdl_reads_it(void **state)
{
    int alpha;

    (void)state;
    for (alpha = 0; alpha < 2; alpha++) {
        struct srv_image_result res;
        struct srv_pixels px;
        SDL_Surface *s, *rgba;
        int y;

        stored(300, 200, alpha, &res);
        assert_int_equal(srv_image_decode_stored(res.png.data, res.png.len,
                                                 res.sha256, &px, NULL),
                         SRV_IMG_OK);
        assert_int_equal(px.width, 300);
        assert_int_equal(px.height, 200);
        assert_int_equal(px.stride, 1200);
        s = IMG_Load_RW(SDL_RWFromConstMem(res.png.data, (int)res.png.len), 1);
        assert_non_null(s);
        rgba = SDL_ConvertSurfaceFormat(s, SDL_PIXELFORMAT_RGBA32, 0);
        assert_non_null(rgba);
        for (y = 0; y < 200; y++) {
            assert_memory_equal(px.rgba + (size_t)y * 1200,
                                (const uint8_t *)rgba->pixels +
                                    (size_t)y * (size_t)rgba->pitch,
                                1200);
        }
        SDL_FreeSurface(rgba);
        SDL_FreeSurface(s);
        free((void *)(uintptr_t)px.rgba);
        taulu_buf_release(&res.png);
    }
}

/* Only the file of its name, as the server makes them, is decoded. */
static void test_stored_refused(void **state)
{
    struct srv_image_result res;
    struct srv_pixels px;
    unsigned char *img, *copy;
    char sha[TAULU_SHA256_HEX_LEN + 1];
    size_t len;

    (void)state;
    stored(120, 80, 0, &res);
    copy = malloc(res.png.len);
    assert_non_null(copy);
    /* one byte changed: not the bytes of its name */
    memcpy(copy, res.png.data, res.png.len);
    copy[res.png.len / 2] ^= 0x10;
    assert_int_equal(
        srv_image_decode_stored(copy, res.png.len, res.sha256, &px, NULL),
        SRV_IMG_CORRUPT);
    assert_null(px.rgba);
    /* cut short, named by what is left: its chunks are broken */
    taulu_sha256_hex(res.png.data, res.png.len - 20, sha);
    assert_int_equal(
        srv_image_decode_stored(res.png.data, res.png.len - 20, sha, &px, NULL),
        SRV_IMG_CORRUPT);
    free(copy);
    taulu_buf_release(&res.png);

    /* a JPEG under its own name: the server stores PNG only */
    img = make_image(64, 64, 1, 0, &len);
    taulu_sha256_hex(img, len, sha);
    assert_int_equal(srv_image_decode_stored(img, len, sha, &px, NULL),
                     SRV_IMG_TYPE_MISMATCH);
    free(img);
    /* a PNG wider than the server stores */
    img = make_image(SRV_IMAGE_MAX_SIDE + 1, 4, 0, 0, &len);
    taulu_sha256_hex(img, len, sha);
    assert_int_equal(srv_image_decode_stored(img, len, sha, &px, NULL),
                     SRV_IMG_TOO_BIG);
    free(img);
    /* more bytes than a stored image has: refused before it is hashed */
    assert_int_equal(srv_image_decode_stored("", SRV_IMAGE_STORED_MAX_BYTES + 1,
                                             sha, &px, NULL),
                     SRV_IMG_TOO_BIG);
}

/* The stored file of `res` in a temporary file; its descriptor. */
static int file_of(const struct srv_image_result *res, FILE **f)
{
    *f = tmpfile();
    assert_non_null(*f);
    assert_int_equal(fwrite(res->png.data, 1, res->png.len, *f), res->png.len);
    assert_int_equal(fflush(*f), 0);
    assert_int_equal(fseek(*f, 0, SEEK_SET), 0);
    return fileno(*f);
}

static const struct srv_pixels *load(struct srv_image_cache *c,
                                     const struct srv_image_result *res)
{
    const struct srv_pixels *px = NULL;
    FILE *f;
    int fd = file_of(res, &f);

    assert_int_equal(
        srv_image_cache_load(c, res->sha256, fd, res->png.len, &px, NULL),
        SRV_IMG_OK);
    fclose(f);
    assert_non_null(px);
    return px;
}

/* Decoded once, then kept; the least recently used goes first; a
 * picture handed out stays whole until it is given back. */
static void test_stored_cache(void **state)
{
    struct srv_image_result a, b, big;
    struct srv_image_cache *c;
    struct srv_image_cache_stats st;
    const struct srv_pixels *pa, *pa2, *pb, *pbig;
    uint8_t first[16];
    FILE *f;
    int fd;

    (void)state;
    stored(100, 100, 0, &a);
    stored(100, 50, 1, &b);
    stored(200, 200, 0, &big);
    /* room for a and b (40 000 + 20 000 bytes), not for big (160 000) */
    assert_int_equal(srv_image_cache_new(64000, 4, &c), 0);
    assert_null(srv_image_cache_get(c, a.sha256));
    pa = load(c, &a);
    pa2 = srv_image_cache_get(c, a.sha256);
    assert_ptr_equal(pa, pa2);
    srv_image_cache_put(c, pa2);
    pb = load(c, &b);
    srv_image_cache_put(c, pb);
    srv_image_cache_stats(c, &st);
    assert_int_equal(st.entries, 2);
    assert_int_equal(st.bytes, 60000);
    assert_int_equal(st.decodes, 2);
    assert_int_equal(st.hits, 1);

    /* too big to keep: handed out, not kept, nothing let go for it */
    pbig = load(c, &big);
    assert_int_equal(pbig->width, 200);
    srv_image_cache_stats(c, &st);
    assert_int_equal(st.entries, 2);
    srv_image_cache_put(c, pbig);

    /* b used last: a third picture lets a go, which is still held */
    memcpy(first, pa->rgba, sizeof first);
    pb = srv_image_cache_get(c, b.sha256);
    srv_image_cache_put(c, pb);
    {
        struct srv_image_result d;
        const struct srv_pixels *pd;
        stored(100, 60, 0, &d);
        pd = load(c, &d);
        srv_image_cache_put(c, pd);
        taulu_buf_release(&d.png);
    }
    assert_null(srv_image_cache_get(c, a.sha256));
    assert_non_null(pb = srv_image_cache_get(c, b.sha256));
    srv_image_cache_put(c, pb);
    assert_memory_equal(pa->rgba, first, sizeof first); /* still whole */
    srv_image_cache_put(c, pa);                         /* freed now */

    /* a file shorter than said: refused, nothing kept */
    fd = file_of(&a, &f);
    pa = NULL;
    assert_int_equal(
        srv_image_cache_load(c, a.sha256, fd, a.png.len + 10, &pa, NULL),
        SRV_IMG_CORRUPT);
    assert_null(pa);
    fclose(f);
    /* one larger than the server stores: not even read */
    assert_int_equal(srv_image_cache_load(c, a.sha256, 0,
                                          SRV_IMAGE_STORED_MAX_BYTES + 1ull,
                                          &pa, NULL),
                     SRV_IMG_TOO_BIG);
    srv_image_cache_free(c);
    taulu_buf_release(&a.png);
    taulu_buf_release(&b.png);
    taulu_buf_release(&big.png);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exif_gps_is_stripped),
        cmocka_unit_test(test_threads_leave_nothing),
        cmocka_unit_test(test_exif_orientation_applied),
        cmocka_unit_test(test_exif_turn_before_scaling),
        cmocka_unit_test(test_exif_broken_kept_as_stored),
        cmocka_unit_test(test_png_roundtrip_is_deterministic),
        cmocka_unit_test(test_large_is_scaled_down),
        cmocka_unit_test(test_truncated_png),
        cmocka_unit_test(test_truncated_jpeg),
        cmocka_unit_test(test_random_bytes),
        cmocka_unit_test(test_declared_type),
        cmocka_unit_test(test_polyglot),
        cmocka_unit_test(test_decompression_bomb),
        cmocka_unit_test(test_too_many_bytes),
        cmocka_unit_test(test_stored_decoded_as_sdl_reads_it),
        cmocka_unit_test(test_stored_refused),
        cmocka_unit_test(test_stored_cache),
    };
    int rc = cmocka_run_group_tests(tests, setup, NULL);
    srv_image_quit();
    return rc;
}
