/*
 * test_srv_image_hostile.c: uploads made to hurt, and the kinds of honest
 * image the decoders must still take.
 *
 * Hostile: tiny files whose headers claim 6000 x 6000 pixels (baseline and
 * progressive JPEG, PNG) are refused before any decoder runs; a JPEG cut
 * in its scan with an EOI put back, and a PNG whose compressed pixels
 * stop half-way under valid checksums, are refused by the decoder; a
 * 36-megapixel PNG of zeros (a decompression bomb of 140 KB) is decoded
 * row by row in a few tens of MB, not the 300 MB a whole-picture decoder
 * needs; an interlaced one, which must be held whole, is refused when the
 * decode memory budget is smaller; a progressive JPEG of 65 scans is
 * refused.
 *
 * Honest: progressive and 4:4:4 JPEG, grey and CMYK JPEG, palette PNG
 * with transparency, 16-bit, grey + alpha and interlaced PNG all decode;
 * an interlaced PNG gives exactly the stored PNG of the same picture not
 * interlaced.
 *
 * With TAULU_WRITE_CORPUS=DIR set, the hostile files small enough for the
 * fuzzer are also written there (with its leading type byte): that is how
 * tests/fuzz/corpus/srv_image was made.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include <setjmp.h>
#include <cmocka.h>

#include <SDL.h>
#include <SDL_image.h>

#include "imgmake.h"
#include "srv_image.h"
#include "taulu_crypto.h"

static int setup(void **state)
{
    (void)state;
    assert_int_equal(taulu_crypto_init(), 0);
    assert_int_equal(srv_image_init(), 0);
    return 0;
}

/* Writes `b` to $TAULU_WRITE_CORPUS/name, behind the fuzzer's type byte
 * (odd: PNG). */
static void corpus(const char *name, const struct imgmake_buf *b, int png)
{
    const char *dir = getenv("TAULU_WRITE_CORPUS");
    char path[600];
    FILE *f;

    if (!dir || b->len > 16000) {
        return;
    }
    snprintf(path, sizeof path, "%s/%s", dir, name);
    f = fopen(path, "wb");
    assert_non_null(f);
    fputc(png ? 1 : 0, f);
    assert_int_equal(fwrite(b->data, 1, b->len, f), b->len);
    fclose(f);
}

static enum srv_image_error ingest(const struct imgmake_buf *b,
                                   const char *type,
                                   struct srv_image_result *res)
{
    struct taulu_buf why;
    enum srv_image_error e;

    taulu_buf_init(&why, 1024);
    e = srv_image_ingest(b->data, b->len, type, res, &why);
    if (e != SRV_IMG_OK) {
        printf("  %s, %zu bytes: %d (%s)\n", type, b->len, e, why.data);
        assert_int_equal(res->png.len, 0);
    }
    taulu_buf_release(&why);
    return e;
}

static long max_rss_kb(void)
{
    struct rusage ru;

    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

/* First, while the process is still small: a 36-megapixel PNG of zeros
 * costs its rows and the stored picture, not the whole picture. */
static void bomb_png_streams(void **state)
{
    struct imgmake_buf b;
    struct srv_image_result res;
    long before, grew;
    /* under AddressSanitizer (unoptimised, memory not checked) a ninth */
    int n = getenv("ASAN_OPTIONS") ? 2000 : 6000;

    (void)state;
    assert_int_equal(imgmake_png(n, n, 6, 8, 0, IMG_ZERO, &b), 0);
    printf("  a %d x %d RGBA PNG of zeros: %zu bytes\n", n, n, b.len);
    assert_true(b.len < 200 * 1024);
    before = max_rss_kb();
    assert_int_equal(ingest(&b, "image/png", &res), SRV_IMG_OK);
    grew = max_rss_kb() - before;
    printf("  decoded, peak RSS grew by %ld kB\n", grew);
    assert_int_equal(res.width, 1920);
    assert_int_equal(res.height, 1920);
    assert_int_equal(res.orig_width, n);
    /* the whole picture alone would be 144 MB (AddressSanitizer's
     * quarantine holds freed memory: not checked there) */
    if (!getenv("ASAN_OPTIONS")) {
        assert_true(grew < 80 * 1024);
    }
    taulu_buf_release(&res.png);
    imgmake_free(&b);
}

/* The outside battery's 677-byte JPEG that claimed 6000 x 6000, and its
 * relatives: refused from the header and the scan's length. */
static void claims_refused_before_decoding(void **state)
{
    struct imgmake_buf b;
    struct srv_image_result res;

    (void)state;
    assert_int_equal(imgmake_jpeg(16, 16, 3, 1, 0, 0, IMG_GRADIENT, 75, &b), 0);
    assert_int_equal(imgmake_jpeg_claim(&b, 6000, 6000), 0);
    corpus("claims-6000-baseline.jpg", &b, 0);
    assert_true(b.len < 1024);
    assert_int_equal(ingest(&b, "image/jpeg", &res), SRV_IMG_CORRUPT);
    imgmake_free(&b);

    assert_int_equal(imgmake_jpeg(16, 16, 3, 1, 1, 0, IMG_GRADIENT, 75, &b), 0);
    assert_int_equal(imgmake_jpeg_claim(&b, 6000, 6000), 0);
    corpus("claims-6000-progressive.jpg", &b, 0);
    assert_int_equal(ingest(&b, "image/jpeg", &res), SRV_IMG_CORRUPT);
    imgmake_free(&b);

    assert_int_equal(imgmake_jpeg(16, 16, 1, 0, 0, 0, IMG_ZERO, 75, &b), 0);
    assert_int_equal(imgmake_jpeg_claim(&b, 65535, 600), 0);
    corpus("claims-65535-grey.jpg", &b, 0);
    assert_int_equal(ingest(&b, "image/jpeg", &res), SRV_IMG_CORRUPT);
    imgmake_free(&b);

    assert_int_equal(imgmake_png(16, 16, 6, 8, 0, IMG_ZERO, &b), 0);
    assert_int_equal(imgmake_png_claim(&b, 6000, 6000), 0);
    corpus("claims-6000.png", &b, 1);
    assert_int_equal(ingest(&b, "image/png", &res), SRV_IMG_CORRUPT);
    imgmake_free(&b);

    /* over the pixel limit: refused whatever the data */
    assert_int_equal(imgmake_png(16, 16, 0, 8, 0, IMG_ZERO, &b), 0);
    assert_int_equal(imgmake_png_claim(&b, 100000, 100000), 0);
    corpus("claims-100000.png", &b, 1);
    assert_int_equal(ingest(&b, "image/png", &res), SRV_IMG_TOO_MANY_PIXELS);
    imgmake_free(&b);
}

/* Cut short with the ends put back: the decoder's complaint refuses it
 * (libjpeg would fill the rest with grey). */
static void cut_short_refused_by_decoder(void **state)
{
    struct imgmake_buf b;
    struct srv_image_result res;
    int prog;

    (void)state;
    for (prog = 0; prog <= 1; prog++) {
        assert_int_equal(
            imgmake_jpeg(400, 300, 3, 1, prog, 0, IMG_GRADIENT, 90, &b), 0);
        assert_int_equal(imgmake_jpeg_cut(&b, 0.7), 0);
        corpus(prog ? "cut-progressive.jpg" : "cut-baseline.jpg", &b, 0);
        assert_int_equal(ingest(&b, "image/jpeg", &res), SRV_IMG_CORRUPT);
        imgmake_free(&b);
    }
    assert_int_equal(imgmake_png(200, 200, 2, 8, 0, IMG_GRADIENT, &b), 0);
    assert_int_equal(imgmake_png_cut(&b, 0.5), 0);
    corpus("cut-idat.png", &b, 1);
    assert_int_equal(ingest(&b, "image/png", &res), SRV_IMG_CORRUPT);
    imgmake_free(&b);
}

/* A progressive JPEG of 65 scans: each would be a pass over every block. */
static void too_many_scans(void **state)
{
    struct imgmake_buf b;
    struct srv_image_result res;

    (void)state;
    assert_int_equal(imgmake_jpeg(64, 64, 1, 0, 1, 64, IMG_GRADIENT, 90, &b),
                     0);
    corpus("64-scans.jpg", &b, 0);
    assert_int_equal(ingest(&b, "image/jpeg", &res), SRV_IMG_OK);
    taulu_buf_release(&res.png);
    imgmake_free(&b);
    assert_int_equal(imgmake_jpeg(64, 64, 1, 0, 1, 65, IMG_GRADIENT, 90, &b),
                     0);
    corpus("65-scans.jpg", &b, 0);
    assert_int_equal(ingest(&b, "image/jpeg", &res), SRV_IMG_DECODE);
    imgmake_free(&b);
}

/* What must be held whole is budgeted before decoding. */
static void budget(void **state)
{
    struct imgmake_buf b;
    struct srv_image_result res;

    (void)state;
    srv_image_set_limits(2, 96u * 1024u * 1024u);
    /* interlaced: 144 MB held whole, more than the budget */
    assert_int_equal(imgmake_png(6000, 6000, 6, 8, 1, IMG_ZERO, &b), 0);
    assert_int_equal(ingest(&b, "image/png", &res), SRV_IMG_TOO_MANY_PIXELS);
    assert_int_equal(srv_image_http_status(SRV_IMG_TOO_MANY_PIXELS), 422);
    imgmake_free(&b);
    /* a progressive 4000 x 3000 4:2:0 JPEG: 36 MB of coefficients and the
     * stored picture three times (33 MB), fits */
    assert_int_equal(imgmake_jpeg(4000, 3000, 3, 1, 1, 0, IMG_GRADIENT, 80, &b),
                     0);
    assert_int_equal(ingest(&b, "image/jpeg", &res), SRV_IMG_OK);
    assert_int_equal(res.width, 1920);
    assert_int_equal(res.height, 1440);
    taulu_buf_release(&res.png);
    imgmake_free(&b);
    /* ... and 4:4:4 (72 MB of coefficients) does not */
    assert_int_equal(imgmake_jpeg(4000, 3000, 3, 0, 1, 0, IMG_GRADIENT, 80, &b),
                     0);
    assert_int_equal(ingest(&b, "image/jpeg", &res), SRV_IMG_TOO_MANY_PIXELS);
    imgmake_free(&b);
    srv_image_set_limits(SRV_IMAGE_DECODES, SRV_IMAGE_MEMORY);
    assert_int_equal(srv_image_http_status(SRV_IMG_BUSY), 503);
}

/* The corners of a stored PNG, as in test_srv_image.c: r g / b w. */
static void corners(const struct srv_image_result *res, char out[5])
{
    SDL_RWops *rw = SDL_RWFromConstMem(res->png.data, (int)res->png.len);
    SDL_Surface *png = IMG_LoadPNG_RW(rw), *s;
    int i;
    static const int at[4][2] = {{0, 0}, {1, 0}, {0, 1}, {1, 1}};

    SDL_RWclose(rw);
    assert_non_null(png);
    s = SDL_ConvertSurfaceFormat(png, SDL_PIXELFORMAT_RGBA32, 0);
    SDL_FreeSurface(png);
    assert_non_null(s);
    for (i = 0; i < 4; i++) {
        int x = at[i][0] ? s->w - 5 : 4, y = at[i][1] ? s->h - 5 : 4;
        const unsigned char *p =
            (const unsigned char *)s->pixels + (size_t)y * s->pitch + x * 4;
        out[i] = p[0] > 200 && p[1] > 200 && p[2] > 200 ? 'w'
                 : p[0] > 200 && p[1] < 60 && p[2] < 60 ? 'r'
                 : p[1] > 200 && p[0] < 60 && p[2] < 60 ? 'g'
                 : p[2] > 200 && p[0] < 60 && p[1] < 60 ? 'b'
                                                        : '?';
    }
    out[4] = '\0';
    SDL_FreeSurface(s);
}

static void honest_jpeg_kinds(void **state)
{
    static const struct {
        int w, h, comps, sub, prog;
    } kinds[] = {
        {3000, 2000, 3, 1, 1}, /* progressive 4:2:0, scaled at 5/8 */
        {800, 600, 3, 0, 1},   /* progressive 4:4:4 */
        {640, 480, 1, 0, 0},   /* grey */
        {640, 480, 4, 0, 0},   /* Adobe CMYK */
        {2500, 300, 3, 1, 0},  /* baseline, scaled */
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        struct imgmake_buf b;
        struct srv_image_result res;
        char got[5];

        assert_int_equal(imgmake_jpeg(kinds[i].w, kinds[i].h, kinds[i].comps,
                                      kinds[i].sub, kinds[i].prog, 0,
                                      IMG_QUARTERS, 95, &b),
                         0);
        if (ingest(&b, "image/jpeg", &res) != SRV_IMG_OK) {
            fail_msg("JPEG kind %zu refused", i);
        }
        assert_int_equal(res.orig_width, kinds[i].w);
        assert_true(res.width <= SRV_IMAGE_MAX_SIDE);
        if (kinds[i].comps != 1) {
            corners(&res, got);
            if (strcmp(got, "rgbw") != 0) {
                fail_msg("JPEG kind %zu: corners %s", i, got);
            }
        }
        taulu_buf_release(&res.png);
        imgmake_free(&b);
    }
}

static void honest_png_kinds(void **state)
{
    static const struct {
        int type, depth;
    } kinds[] = {{0, 8}, {0, 16}, {2, 8}, {2, 16}, {3, 8},
                 {4, 8}, {4, 16}, {6, 8}, {6, 16}};
    size_t i;

    (void)state;
    for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        struct imgmake_buf plain, inter;
        struct srv_image_result a, b;

        assert_int_equal(imgmake_png(301, 203, kinds[i].type, kinds[i].depth, 0,
                                     IMG_GRADIENT, &plain),
                         0);
        assert_int_equal(imgmake_png(301, 203, kinds[i].type, kinds[i].depth, 1,
                                     IMG_GRADIENT, &inter),
                         0);
        if (kinds[i].type == 3 && kinds[i].depth == 8) {
            corpus("palette-trns.png", &plain, 1);
            corpus("interlaced-palette.png", &inter, 1);
        }
        if (ingest(&plain, "image/png", &a) != SRV_IMG_OK ||
            ingest(&inter, "image/png", &b) != SRV_IMG_OK) {
            fail_msg("PNG type %d depth %d refused", kinds[i].type,
                     kinds[i].depth);
        }
        /* the same picture, whatever the interlacing */
        assert_string_equal(a.sha256, b.sha256);
        assert_int_equal(a.width, 301);
        assert_int_equal(a.height, 203);
        taulu_buf_release(&a.png);
        taulu_buf_release(&b.png);
        imgmake_free(&plain);
        imgmake_free(&inter);
    }
}

/* Small honest files of each kind: decoded, and seeds for the fuzzer. */
static void small_seeds(void **state)
{
    static const struct {
        const char *name;
        int comps, sub, prog;
    } jpegs[] = {{"small-baseline.jpg", 3, 1, 0},
                 {"small-progressive.jpg", 3, 1, 1},
                 {"small-444.jpg", 3, 0, 0},
                 {"small-grey.jpg", 1, 0, 0},
                 {"small-cmyk.jpg", 4, 0, 0}};
    static const struct {
        const char *name;
        int type, depth, interlaced;
    } pngs[] = {{"small-rgba16.png", 6, 16, 0},
                {"small-grey-alpha.png", 4, 8, 1},
                {"small-rgb.png", 2, 8, 0}};
    size_t i;

    (void)state;
    for (i = 0; i < sizeof jpegs / sizeof jpegs[0]; i++) {
        struct imgmake_buf b;
        struct srv_image_result res;

        assert_int_equal(imgmake_jpeg(40, 24, jpegs[i].comps, jpegs[i].sub,
                                      jpegs[i].prog, 0, IMG_QUARTERS, 80, &b),
                         0);
        corpus(jpegs[i].name, &b, 0);
        assert_int_equal(ingest(&b, "image/jpeg", &res), SRV_IMG_OK);
        taulu_buf_release(&res.png);
        imgmake_free(&b);
    }
    for (i = 0; i < sizeof pngs / sizeof pngs[0]; i++) {
        struct imgmake_buf b;
        struct srv_image_result res;

        assert_int_equal(imgmake_png(40, 24, pngs[i].type, pngs[i].depth,
                                     pngs[i].interlaced, IMG_GRADIENT, &b),
                         0);
        corpus(pngs[i].name, &b, 1);
        assert_int_equal(ingest(&b, "image/png", &res), SRV_IMG_OK);
        taulu_buf_release(&res.png);
        imgmake_free(&b);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bomb_png_streams),
        cmocka_unit_test(claims_refused_before_decoding),
        cmocka_unit_test(cut_short_refused_by_decoder),
        cmocka_unit_test(too_many_scans),
        cmocka_unit_test(budget),
        cmocka_unit_test(honest_jpeg_kinds),
        cmocka_unit_test(honest_png_kinds),
        cmocka_unit_test(small_seeds),
    };
    int rc = cmocka_run_group_tests(tests, setup, NULL);
    srv_image_quit();
    return rc;
}
