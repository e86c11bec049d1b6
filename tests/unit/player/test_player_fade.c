/*
 * test_player_fade.c: the cross-fade over the pixels that differ
 * (player_fade.h): the blend is exact (a = 0 is the old picture, 256 the
 * new, shared pixels never change; the SIMD path equals the scalar
 * formula), only the differing cells are kept, a block of lines becomes
 * one rectangle, pixels outside the spans are never written, and a frame
 * blends exactly the kept pixels (the counters the player's log and the
 * end-to-end test rely on).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "taulu_err.h"

#include "player_fade.h"

static uint32_t ref_blend(uint32_t o, uint32_t n, unsigned a)
{
    uint32_t out = 0;
    int sh;

    for (sh = 0; sh < 32; sh += 8) {
        uint32_t co = (o >> sh) & 0xFF, cn = (n >> sh) & 0xFF;

        out |= ((co * (256 - a) + cn * a) >> 8) << sh;
    }
    return out;
}

static uint32_t rnd(uint32_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

static void test_blend_exact(void **state)
{
    uint32_t o[37], n[37], d[37], seed = 12345;
    unsigned a;
    size_t i;

    (void)state;
    for (i = 0; i < 37; i++) {
        o[i] = rnd(&seed);
        n[i] = i % 5 == 0 ? o[i] : rnd(&seed);
    }
    n[1] = 0xFFFFFFFFu;
    o[1] = 0;
    o[2] = 0xFFFFFFFFu;
    n[2] = 0;
    for (a = 0; a <= 256; a++) {
        player_fade_blend_row(d, o, n, 37, a);
        for (i = 0; i < 37; i++) {
            assert_int_equal(d[i], ref_blend(o[i], n[i], a));
            if (o[i] == n[i]) {
                assert_int_equal(d[i], o[i]);
            }
        }
    }
    player_fade_blend_row(d, o, n, 37, 0);
    assert_memory_equal(d, o, sizeof o);
    player_fade_blend_row(d, o, n, 37, 256);
    assert_memory_equal(d, n, sizeof n);
}

#define W 300
#define H 70

/* A picture of background with "text lines" drawn at rows [y0, y1) and
 * columns [x0, x1) in colour c. */
static void rect(uint32_t *px, int x0, int y0, int x1, int y1, uint32_t c)
{
    int x, y;

    for (y = y0; y < y1; y++) {
        for (x = x0; x < x1; x++) {
            px[y * W + x] = c;
        }
    }
}

/* Feeds the region [0, W) x [ry, H) of old/new as the player does. */
static void feed(struct player_fade *f, const uint32_t *o, const uint32_t *n,
                 int ry)
{
    int y;

    assert_int_equal(player_fade_begin(f, 0, ry, W, H - ry), 0);
    for (y = ry; y < H; y += PLAYER_FADE_BAND) {
        int bh = H - y < PLAYER_FADE_BAND ? H - y : PLAYER_FADE_BAND;

        assert_int_equal(
            player_fade_add_band(f, y, bh, o + y * W, W, n + y * W, W), 0);
    }
}

static void test_spans(void **state)
{
    static uint32_t o[W * H], n[W * H], d[W * H];
    struct player_fade f;
    size_t i;
    int y0 = 6; /* the region starts below a "header" */

    (void)state;
    player_fade_init(&f);
    for (i = 0; i < W * H; i++) {
        o[i] = n[i] = 0x000E1A26u;
    }
    /* identical pictures: nothing to blend */
    feed(&f, o, n, y0);
    assert_int_equal(f.n_spans, 0);
    assert_int_equal(player_fade_frame(&f, 128, d, W), 0);

    /* one line that differs in columns 20..99 over rows 6..37 (two bands
     * of 16 from y0): one rectangle, whole cells */
    rect(n, 20, 10, 100, 30, 0x00FFFFFFu);
    /* a second line far to the right: its own span */
    rect(n, 260, 40, 270, 44, 0x00D0D8E0u);
    /* and a change two cells after the first line's end (on the old
     * picture): joined to it */
    rect(o, 150, 12, 151, 30, 0x00FFFFFFu);
    feed(&f, o, n, y0);
    assert_int_equal(f.n_spans, 2);
    assert_int_equal(f.spans[0].x, 16);
    assert_int_equal(f.spans[0].w, 160 - 16);
    assert_int_equal(f.spans[0].y, y0);
    assert_int_equal(f.spans[0].h, 2 * PLAYER_FADE_BAND);
    assert_int_equal(f.spans[1].x, 256);
    assert_int_equal(f.spans[1].w, 16);
    assert_int_equal(f.spans[1].y, y0 + 2 * PLAYER_FADE_BAND);
    assert_int_equal(f.spans[1].h, PLAYER_FADE_BAND);
    assert_int_equal(f.dirty_px, 144 * 32 + 16 * 16);

    /* a frame writes the spans and nothing else */
    for (i = 0; i < W * H; i++) {
        d[i] = 0xDEADBEEFu;
    }
    for (i = 0; i < f.n_spans; i++) {
        const struct player_fade_span *s = &f.spans[i];
        int x, y;

        for (y = s->y; y < s->y + s->h; y++) {
            for (x = s->x; x < s->x + s->w; x++) {
                d[y * W + x] = o[y * W + x];
            }
        }
    }
    assert_int_equal(player_fade_frame(&f, 100, d, W), f.dirty_px);
    for (i = 0; i < W * H; i++) {
        if (d[i] == 0xDEADBEEFu) {
            continue; /* outside the spans: untouched */
        }
        assert_int_equal(d[i], ref_blend(o[i], n[i], 100));
    }
    /* the last step is the new picture wherever it differs */
    assert_int_equal(player_fade_frame(&f, 256, d, W), f.dirty_px);
    for (i = 0; i < W * H; i++) {
        if (o[i] != n[i]) {
            assert_int_equal(d[i], n[i]);
        }
    }
    assert_int_equal(f.frames, 2);
    assert_int_equal(f.blended_px, 2 * f.dirty_px);
    player_fade_release(&f);
    assert_null(f.spans);
    assert_int_equal(f.n_spans, 0);
}

/* A card-like picture: lines of "text" on a background. The fade keeps
 * the lines' cells only, far less than the region: the guard against a
 * fade that blends (and sends) the whole card every frame. */
static void test_card_area(void **state)
{
    enum { CW = 1920, CH = 960 };
    uint32_t *o = malloc((size_t)CW * CH * 4), *n = malloc((size_t)CW * CH * 4);
    struct player_fade f;
    int line, x, y;

    (void)state;
    assert_non_null(o);
    assert_non_null(n);
    for (size_t i = 0; i < (size_t)CW * CH; i++) {
        o[i] = n[i] = 0x000E1A26u;
    }
    for (line = 0; line < 5; line++) {
        int top = 100 + line * 130;

        /* sparse "glyph" pixels, longer lines on the new card */
        for (y = top; y < top + 90; y += 3) {
            for (x = 60; x < 60 + 900 + line * 100; x += 7) {
                o[(size_t)y * CW + x] = 0x00FFFFFFu;
            }
            for (x = 61; x < 61 + 1100 + line * 100; x += 5) {
                n[(size_t)y * CW + x] = 0x00FFFFFFu;
            }
        }
    }
    player_fade_init(&f);
    assert_int_equal(player_fade_begin(&f, 0, 120, CW, CH), 0);
    for (y = 0; y < CH; y += PLAYER_FADE_BAND) {
        assert_int_equal(player_fade_add_band(&f, 120 + y, PLAYER_FADE_BAND,
                                              o + (size_t)y * CW, CW,
                                              n + (size_t)y * CW, CW),
                         0);
    }
    /* 5 lines of up to 1520 px over 96 rows (whole bands) */
    assert_true(f.dirty_px <= 5 * 1536 * 96);
    assert_true(f.dirty_px < (uint64_t)CW * CH / 2);
    assert_true(f.n_spans <= 10);
    player_fade_release(&f);
    free(o);
    free(n);
}

static void test_bad_input(void **state)
{
    struct player_fade f;
    uint32_t px[16] = {0};

    (void)state;
    player_fade_init(&f);
    assert_int_equal(player_fade_begin(&f, 0, 0, 0, 10), TAULU_EINVAL);
    assert_int_equal(player_fade_begin(&f, 0, 10, 4, 4), 0);
    /* above the region, too tall, NULL */
    assert_int_equal(player_fade_add_band(&f, 0, 4, px, 4, px, 4),
                     TAULU_EINVAL);
    assert_int_equal(
        player_fade_add_band(&f, 10, PLAYER_FADE_BAND + 1, px, 4, px, 4),
        TAULU_EINVAL);
    assert_int_equal(player_fade_add_band(&f, 10, 4, NULL, 4, px, 4),
                     TAULU_EINVAL);
    player_fade_release(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_blend_exact),
        cmocka_unit_test(test_spans),
        cmocka_unit_test(test_card_area),
        cmocka_unit_test(test_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
