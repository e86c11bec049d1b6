/*
 * fuzz_theme.c: libFuzzer target for theme files (render_theme_parse).
 *
 * Checks beyond "does not crash":
 *  - a theme that parses meets the contrast rules, re-checked here pair by
 *    pair with render_contrast() (every text pair >= 4.5:1, every chip fill
 *    >= 3:1 against the background), not only through the library's own
 *    minimum;
 *  - written back as "key = #rrggbb" lines it parses to the same theme;
 *  - a refused file leaves the caller's theme untouched, is refused with
 *    one of the documented codes, and a bad line number is a line of the
 *    file.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taulu_buf.h"
#include "taulu_err.h"
#include "taulu_log.h"
#include "theme.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct {
    const char *name;
    size_t off;
} fields[] = {
    {"bg", offsetof(struct render_theme, bg)},
    {"text", offsetof(struct render_theme, text)},
    {"secondary", offsetof(struct render_theme, secondary)},
    {"header_bg", offsetof(struct render_theme, header_bg)},
    {"header_text", offsetof(struct render_theme, header_text)},
    {"alert_bg", offsetof(struct render_theme, alert_bg)},
    {"alert_text", offsetof(struct render_theme, alert_text)},
    {"backing", offsetof(struct render_theme, backing)},
    {"backing_text", offsetof(struct render_theme, backing_text)},
    {"chip_text", offsetof(struct render_theme, chip_text)},
    {"chip_unknown", offsetof(struct render_theme, chip_unknown)},
    {"rule", offsetof(struct render_theme, rule)},
};

static struct render_rgb get(const struct render_theme *t, size_t off)
{
    struct render_rgb c;

    memcpy(&c, (const char *)t + off, sizeof(c));
    return c;
}

static void need(struct render_rgb a, struct render_rgb b, double min)
{
    double c = render_contrast(a, b);

    if (!(c >= min) || c > 21.0 + 1e-9 || render_contrast(b, a) != c) {
        abort();
    }
}

static void contrast_ok(const struct render_theme *t)
{
    int i;

    need(t->text, t->bg, RENDER_MIN_TEXT_CONTRAST);
    need(t->secondary, t->bg, RENDER_MIN_TEXT_CONTRAST);
    need(t->header_text, t->header_bg, RENDER_MIN_TEXT_CONTRAST);
    need(t->alert_text, t->alert_bg, RENDER_MIN_TEXT_CONTRAST);
    need(t->backing_text, t->backing, RENDER_MIN_TEXT_CONTRAST);
    need(t->chip_text, t->chip_unknown, RENDER_MIN_TEXT_CONTRAST);
    need(t->chip_unknown, t->bg, RENDER_MIN_CHIP_CONTRAST);
    for (i = 0; i < RENDER_CATEGORY_COUNT; i++) {
        need(t->chip_text, t->category[i], RENDER_MIN_TEXT_CONTRAST);
        need(t->category[i], t->bg, RENDER_MIN_CHIP_CONTRAST);
    }
    if (render_theme_check(t) != 0) {
        abort();
    }
}

static void line(struct taulu_buf *b, const char *prefix, const char *name,
                 struct render_rgb c)
{
    if (taulu_buf_appendf(b, "%s%s = #%02x%02x%02x\n", prefix, name, c.r, c.g,
                          c.b) < 0) {
        abort();
    }
}

/* The theme written back as a file that lists every field. */
static void round_trip(const struct render_theme *t)
{
    struct render_theme again;
    struct taulu_buf b;
    size_t i;

    taulu_buf_init(&b, 64 * 1024);
    for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
        line(&b, "", fields[i].name, get(t, fields[i].off));
    }
    for (i = 0; i < RENDER_CATEGORY_COUNT; i++) {
        line(&b, "category.", taulu_category_slug((enum taulu_category)i),
             t->category[i]);
    }
    memset(&again, 0x5a, sizeof(again));
    if (render_theme_parse(b.data, b.len, &again, NULL) != 0 ||
        memcmp(&again, t, sizeof(again)) != 0) {
        abort();
    }
    taulu_buf_release(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct render_theme out, before;
    int bad = 0, rc;
    size_t lines = 1, i;

    taulu_log_threshold = 0; /* refusals are logged; keep the run quiet */
    memset(&out, 0xa5, sizeof(out));
    memcpy(&before, &out, sizeof(out));
    rc = render_theme_parse((const char *)data, size, &out, &bad);
    if (rc == 0) {
        contrast_ok(&out);
        round_trip(&out);
        return 0;
    }
    if (memcmp(&out, &before, sizeof(out)) != 0) {
        abort();
    }
    for (i = 0; i < size; i++) {
        lines += data[i] == '\n';
    }
    if (rc == TAULU_EPARSE) {
        if (bad < 1 || (size_t)bad > lines) {
            abort();
        }
    } else if (rc != TAULU_EVALUE && !(rc == TAULU_ELIMIT && size > 65536)) {
        abort();
    }
    return 0;
}
