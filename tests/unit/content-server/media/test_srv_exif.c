/*
 * test_srv_exif.c: the Exif Orientation parser and the pixel turn, without
 * SDL: every value 1..8 in both byte orders, the segments around it, and
 * what an attacker can send instead (cut short at every byte, offsets out
 * of the segment or pointing back at themselves, wrong types, random
 * bytes): always 0..8 or TAULU_EPARSE, never a read outside the buffer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "srv_exif.h"
#include "taulu_err.h"

/* ---- building test files ------------------------------------------ */

struct bytes {
    unsigned char b[4096];
    size_t n;
};

static void put(struct bytes *o, const void *p, size_t n)
{
    assert_true(o->n + n <= sizeof o->b);
    memcpy(o->b + o->n, p, n);
    o->n += n;
}

static void put8(struct bytes *o, unsigned v)
{
    unsigned char c = (unsigned char)v;
    put(o, &c, 1);
}

static void put16(struct bytes *o, unsigned v, int le)
{
    if (le) {
        put8(o, v & 0xff);
        put8(o, v >> 8);
    } else {
        put8(o, v >> 8);
        put8(o, v & 0xff);
    }
}

static void put32(struct bytes *o, uint32_t v, int le)
{
    if (le) {
        put16(o, v & 0xffff, 1);
        put16(o, v >> 16, 1);
    } else {
        put16(o, v >> 16, 0);
        put16(o, v & 0xffff, 0);
    }
}

/* One 12-byte IFD entry whose value fits in the entry. */
static void entry(struct bytes *o, int le, unsigned tag, unsigned type,
                  uint32_t count, uint32_t value)
{
    put16(o, tag, le);
    put16(o, type, le);
    put32(o, count, le);
    if (type == 3 && count == 1) {
        put16(o, value, le); /* left-justified in the value field */
        put16(o, 0, le);
    } else {
        put32(o, value, le);
    }
}

/* A camera-like TIFF: IFD0 at 8 with Make (an offset to a string after
 * the IFD), Orientation `o` (none if 0) and the Exif IFD pointer, then the
 * next-IFD offset (0) and the string. */
static void tiff(struct bytes *o, int le, unsigned orientation)
{
    unsigned n = orientation ? 3 : 2;
    uint32_t str = 8 + 2 + 12 * n + 4;

    put(o, le ? "II" : "MM", 2);
    put16(o, 42, le);
    put32(o, 8, le);
    put16(o, n, le);
    entry(o, le, 0x010f, 2, 6, str); /* Make: ASCII "Taulu\0" */
    if (orientation) {
        entry(o, le, 0x0112, 3, 1, orientation);
    }
    entry(o, le, 0x8769, 4, 1, 0); /* Exif IFD pointer, never followed */
    put32(o, 0, le);               /* no next IFD */
    put(o, "Taulu", 6);
}

/* A JPEG as far as the parser reads it: SOI, JFIF APP0, an XMP APP1 (not
 * Exif), an APP1 Exif segment with `t` (if any), a table, SOS and a few
 * entropy bytes, EOI. */
static void jpeg(struct bytes *o, const struct bytes *t)
{
    static const char xmp[] = "http://ns.adobe.com/xap/1.0/";
    static const unsigned char jfif[] = {'J', 'F', 'I', 'F', 0, 1,
                                         1,   0,   0,   1,   0, 1};

    put(o, "\xff\xd8", 2);
    put(o, "\xff\xe0", 2);
    put16(o, 2 + sizeof jfif, 0);
    put(o, jfif, sizeof jfif);
    put(o, "\xff\xe1", 2);
    put16(o, 2 + sizeof xmp, 0);
    put(o, xmp, sizeof xmp);
    if (t) {
        put(o, "\xff\xe1", 2);
        put16(o, (unsigned)(2 + 6 + t->n), 0);
        put(o, "Exif\0\0", 6);
        put(o, t->b, t->n);
    }
    put(o, "\xff\xdb\x00\x04\x00\x01", 6); /* a (tiny) table */
    put(o, "\xff\xff\xda\x00\x02", 5);     /* fill byte, SOS */
    put(o, "\x12\x34\xff\x00\x56", 5);
    put(o, "\xff\xd9", 2);
}

/* The parser on an exact-size heap copy, so that a read past the end is
 * caught by ASan in the sanitizer build. */
static int parse(const unsigned char *p, size_t n)
{
    unsigned char *c = malloc(n ? n : 1);
    int rc;

    assert_non_null(c);
    if (n) {
        memcpy(c, p, n);
    }
    rc = srv_exif_orientation(c, n);
    free(c);
    return rc;
}

static int parse_tiff(const unsigned char *p, size_t n)
{
    unsigned char *c = malloc(n ? n : 1);
    int rc;

    assert_non_null(c);
    if (n) {
        memcpy(c, p, n);
    }
    rc = srv_exif_tiff_orientation(c, n);
    free(c);
    return rc;
}

/* ---- the parser --------------------------------------------------- */

static void test_every_value_both_orders(void **state)
{
    int le;
    unsigned v;

    (void)state;
    for (le = 0; le <= 1; le++) {
        for (v = 1; v <= 8; v++) {
            struct bytes t = {.n = 0}, j = {.n = 0};

            tiff(&t, le, v);
            jpeg(&j, &t);
            assert_int_equal(parse_tiff(t.b, t.n), (int)v);
            assert_int_equal(parse(j.b, j.n), (int)v);
        }
    }
}

static void test_no_orientation(void **state)
{
    struct bytes t = {.n = 0}, j = {.n = 0}, e = {.n = 0};

    (void)state;
    /* no Exif segment at all */
    jpeg(&j, NULL);
    assert_int_equal(parse(j.b, j.n), 0);
    /* Exif without the tag */
    tiff(&t, 0, 0);
    j.n = 0;
    jpeg(&j, &t);
    assert_int_equal(parse(j.b, j.n), 0);
    /* an empty IFD0 */
    put(&e, "II*\0\x08\0\0\0\0\0\0\0\0\0", 14);
    assert_int_equal(parse_tiff(e.b, e.n), 0);
    /* Exif after the scan is not looked at (it is entropy data) */
    j.n = 0;
    put(&j, "\xff\xd8\xff\xda\x00\x02", 6);
    put(&j, "\xff\xe1\x00\x2a", 4);
    t.n = 0;
    tiff(&t, 0, 6);
    put(&j, "Exif\0\0", 6);
    put(&j, t.b, t.n);
    assert_int_equal(parse(j.b, j.n), 0);
    /* standalone markers before the Exif segment are stepped over */
    j.n = 0;
    put(&j, "\xff\xd8\xff\xd0\xff\x01", 6);
    put(&j, "\xff\xe1", 2);
    put16(&j, (unsigned)(8 + t.n), 0);
    put(&j, "Exif\0\0", 6);
    put(&j, t.b, t.n);
    put(&j, "\xff\xda\x00\x02\xff\xd9", 6);
    assert_int_equal(parse(j.b, j.n), 6);
}

/* Every prefix of a real-looking file: the value once the whole Exif
 * segment is there, TAULU_EPARSE before that, nothing else. */
static void test_cut_at_every_byte(void **state)
{
    struct bytes t = {.n = 0}, j = {.n = 0};
    size_t n, seg_end;

    (void)state;
    tiff(&t, 1, 8);
    jpeg(&j, &t);
    /* SOI + APP0 + APP1 (XMP) + the Exif segment */
    seg_end = 2 + (4 + 12) + (4 + 29) + (4 + 6 + t.n);
    for (n = 0; n <= j.n; n++) {
        int rc = parse(j.b, n);
        if (n >= seg_end) {
            assert_int_equal(rc, 8);
        } else {
            assert_int_equal(rc, TAULU_EPARSE);
        }
    }
    for (n = 0; n < t.n; n++) {
        int rc = parse_tiff(t.b, n);
        assert_true(rc == TAULU_EPARSE || rc == 8);
        /* the whole IFD0 (three entries) must be there */
        assert_int_equal(rc, n >= 8 + 2 + 3 * 12 ? 8 : TAULU_EPARSE);
    }
}

static void test_garbage(void **state)
{
    struct bytes t = {.n = 0}, j;
    size_t off;

    (void)state;
    /* not a JPEG, empty, no pointer */
    assert_int_equal(srv_exif_orientation(NULL, 0), TAULU_EPARSE);
    assert_int_equal(srv_exif_tiff_orientation(NULL, 10), TAULU_EPARSE);
    assert_int_equal(parse((const unsigned char *)"\x89PNG", 4), TAULU_EPARSE);
    assert_int_equal(parse((const unsigned char *)"\xff\xd8", 2), TAULU_EPARSE);
    /* a segment length below 2, or past the end */
    assert_int_equal(
        parse((const unsigned char *)"\xff\xd8\xff\xe1\x00\x01", 6),
        TAULU_EPARSE);
    assert_int_equal(
        parse((const unsigned char *)"\xff\xd8\xff\xe1\xff\xff\x00\x00", 8),
        TAULU_EPARSE);
    /* a marker where none may be, and bytes where a marker must be */
    assert_int_equal(
        parse((const unsigned char *)"\xff\xd8\xff\xd8\xff\xd9", 6),
        TAULU_EPARSE);
    assert_int_equal(parse((const unsigned char *)"\xff\xd8\x00\x00", 4),
                     TAULU_EPARSE);

    tiff(&t, 0, 6);
    /* byte order marks and the magic number */
    j = t;
    memcpy(j.b, "IM", 2);
    assert_int_equal(parse_tiff(j.b, j.n), TAULU_EPARSE);
    j = t;
    j.b[3] = 43;
    assert_int_equal(parse_tiff(j.b, j.n), TAULU_EPARSE);
    /* IFD0 inside the header, at the very end, past the end, at 2^32-1
     * (an overflow if added carelessly) */
    for (off = 0; off < 4; off++) {
        static const uint32_t bad[4] = {0, 7, 0x7fff, 0xffffffffu};
        j = t;
        j.b[4] = (unsigned char)(bad[off] >> 24);
        j.b[5] = (unsigned char)(bad[off] >> 16);
        j.b[6] = (unsigned char)(bad[off] >> 8);
        j.b[7] = (unsigned char)bad[off];
        assert_int_equal(parse_tiff(j.b, j.n), TAULU_EPARSE);
    }
    j = t;
    j.b[7] = (unsigned char)(j.n - 1); /* one byte left: no room for a count */
    assert_int_equal(parse_tiff(j.b, j.n), TAULU_EPARSE);
    /* 65535 entries claimed in a few dozen bytes */
    j = t;
    j.b[8] = j.b[9] = 0xff;
    assert_int_equal(parse_tiff(j.b, j.n), TAULU_EPARSE);
    /* the Orientation as LONG, with two values, 0 and 9 */
    j = t;
    j.b[8 + 2 + 12 + 3] = 4;
    assert_int_equal(parse_tiff(j.b, j.n), TAULU_EPARSE);
    j = t;
    j.b[8 + 2 + 12 + 7] = 2;
    assert_int_equal(parse_tiff(j.b, j.n), TAULU_EPARSE);
    j = t;
    j.b[8 + 2 + 12 + 9] = 0;
    assert_int_equal(parse_tiff(j.b, j.n), TAULU_EPARSE);
    j = t;
    j.b[8 + 2 + 12 + 9] = 9;
    assert_int_equal(parse_tiff(j.b, j.n), TAULU_EPARSE);
    /* "Exif\0\0" and nothing after it */
    assert_int_equal(parse((const unsigned char *)"\xff\xd8\xff\xe1\x00\x08"
                                                  "Exif\0\0\xff\xda",
                           14),
                     TAULU_EPARSE);
}

/* Offsets that point back at themselves: IFD0's next-IFD offset and the
 * Exif IFD pointer both lead to IFD0 again. Only IFD0 is read, so this
 * ends, with IFD0's answer. */
static void test_cyclic_offsets(void **state)
{
    struct bytes t = {.n = 0}, j = {.n = 0};
    int le;

    (void)state;
    for (le = 0; le <= 1; le++) {
        t.n = 0;
        put(&t, le ? "II" : "MM", 2);
        put16(&t, 42, le);
        put32(&t, 8, le);
        put16(&t, 2, le);
        entry(&t, le, 0x8769, 4, 1, 8); /* Exif IFD -> IFD0 */
        entry(&t, le, 0x0112, 3, 1, 3);
        put32(&t, 8, le); /* next IFD -> IFD0 */
        assert_int_equal(parse_tiff(t.b, t.n), 3);
        j.n = 0;
        jpeg(&j, &t);
        assert_int_equal(parse(j.b, j.n), 3);
        /* without the tag: no orientation, and still no loop */
        t.b[8 + 2 + 12 + (le ? 0 : 1)] = 0x13;
        assert_int_equal(parse_tiff(t.b, t.n), 0);
    }
}

/* Random bytes after a JPEG start and an APP1 Exif header: whatever they
 * are, an answer in range. A fixed generator, so a failure repeats. */
static void test_random_segments(void **state)
{
    uint32_t x = 2463534242u;
    unsigned round;

    (void)state;
    for (round = 0; round < 20000; round++) {
        unsigned char b[96];
        size_t n = 16 + round % 80, i;
        int rc;

        for (i = 0; i < n; i++) {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            b[i] = (unsigned char)x;
        }
        memcpy(b, "\xff\xd8\xff\xe1", 4);
        b[4] = 0;
        b[5] = (unsigned char)(round % 3 ? n - 4 : b[5]);
        memcpy(b + 6, "Exif\0\0", 6);
        if (round % 2) {
            /* a valid header, IFD0 at 8 with 0..4 entries: the random
             * bytes are entries and values */
            int le = round % 4 == 1;
            memcpy(b + 12, le ? "II*\0\x08\0\0\0" : "MM\0*\0\0\0\x08", 8);
            b[20 + !le] = (unsigned char)(round / 2 % 5);
            b[20 + le] = 0;
        }
        rc = parse(b, n);
        assert_true(rc == TAULU_EPARSE || (rc >= 0 && rc <= 8));
        rc = parse_tiff(b + 12, n - 12);
        assert_true(rc == TAULU_EPARSE || (rc >= 0 && rc <= 8));
    }
}

/* ---- the pixel turn ----------------------------------------------- */

/* A 3 x 2 image "ABC/DEF" (each pixel four copies of its letter, rows
 * padded to 16 bytes), turned by orientation o, read back as letters row
 * by row with '/' between rows. */
static void turned(int o, char *out)
{
    unsigned char src[2 * 16], dst[3 * 20];
    const char *letters = "ABCDEF";
    int x, y, ow, oh, k = 0;

    memset(src, '.', sizeof src);
    memset(dst, '?', sizeof dst);
    for (y = 0; y < 2; y++) {
        for (x = 0; x < 3; x++) {
            memset(src + y * 16 + x * 4, letters[y * 3 + x], 4);
        }
    }
    srv_exif_orient_pixels(src, 16, 3, 2, o, dst, 20);
    srv_exif_oriented_size(o, 3, 2, &ow, &oh);
    for (y = 0; y < oh; y++) {
        for (x = 0; x < ow; x++) {
            const unsigned char *px = dst + y * 20 + x * 4;
            assert_memory_equal(px, px + 1, 3); /* whole pixels moved */
            out[k++] = (char)px[0];
        }
        out[k++] = y + 1 < oh ? '/' : '\0';
    }
    /* nothing written past the turned image's rows */
    for (y = 0; y < oh; y++) {
        for (x = ow * 4; x < 20; x++) {
            assert_int_equal(dst[y * 20 + x], '?');
        }
    }
}

static void test_turns(void **state)
{
    /* The upright image for each value: Exif 2.3, tag 0x0112. */
    static const char *const want[9] = {
        "ABC/DEF",  /* 0: out of range, copied as it is */
        "ABC/DEF",  /* 1 */
        "CBA/FED",  /* 2: mirrored left-right */
        "FED/CBA",  /* 3: turned 180° */
        "DEF/ABC",  /* 4: mirrored top-bottom */
        "AD/BE/CF", /* 5: transposed */
        "DA/EB/FC", /* 6: turned 90° clockwise */
        "FC/EB/DA", /* 7: transversed */
        "CF/BE/AD", /* 8: turned 90° counter-clockwise */
    };
    char got[16];
    int o, w, h;

    (void)state;
    for (o = 0; o <= 8; o++) {
        turned(o, got);
        assert_string_equal(got, want[o]);
    }
    turned(9, got);
    assert_string_equal(got, "ABC/DEF");
    srv_exif_oriented_size(6, 4000, 3000, &w, &h);
    assert_int_equal(w, 3000);
    assert_int_equal(h, 4000);
    srv_exif_oriented_size(3, 4000, 3000, &w, &h);
    assert_int_equal(w, 4000);
    assert_int_equal(h, 3000);
}

/* Turning by o and then by its inverse gives the image back, on an odd
 * size where a wrong index would show. */
static void test_turn_and_back(void **state)
{
    static const int inverse[9] = {0, 1, 2, 3, 4, 5, 8, 7, 6};
    enum { W = 7, H = 5 };
    uint32_t a[W * H], b[W * H], c[W * H];
    int o, i;

    (void)state;
    for (i = 0; i < W * H; i++) {
        a[i] = 0x01020300u + (uint32_t)i;
    }
    for (o = 1; o <= 8; o++) {
        int ow, oh;
        srv_exif_oriented_size(o, W, H, &ow, &oh);
        srv_exif_orient_pixels((const unsigned char *)a, W * 4, W, H, o,
                               (unsigned char *)b, (size_t)ow * 4);
        srv_exif_orient_pixels((const unsigned char *)b, (size_t)ow * 4, ow, oh,
                               inverse[o], (unsigned char *)c, W * 4);
        assert_memory_equal(a, c, sizeof a);
        if (o > 1) {
            assert_memory_not_equal(a, b, sizeof a);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_value_both_orders),
        cmocka_unit_test(test_no_orientation),
        cmocka_unit_test(test_cut_at_every_byte),
        cmocka_unit_test(test_garbage),
        cmocka_unit_test(test_cyclic_offsets),
        cmocka_unit_test(test_random_segments),
        cmocka_unit_test(test_turns),
        cmocka_unit_test(test_turn_and_back),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
