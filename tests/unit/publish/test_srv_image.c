/*
 * test_srv_image.c: upload checks and re-encoding of images: metadata
 * stripped, scaling, and every kind of bad file refused before or by the
 * decoder with a clear message.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exif_gps_is_stripped),
        cmocka_unit_test(test_png_roundtrip_is_deterministic),
        cmocka_unit_test(test_large_is_scaled_down),
        cmocka_unit_test(test_truncated_png),
        cmocka_unit_test(test_truncated_jpeg),
        cmocka_unit_test(test_random_bytes),
        cmocka_unit_test(test_declared_type),
        cmocka_unit_test(test_polyglot),
        cmocka_unit_test(test_decompression_bomb),
        cmocka_unit_test(test_too_many_bytes),
    };
    int rc = cmocka_run_group_tests(tests, setup, NULL);
    srv_image_quit();
    return rc;
}
