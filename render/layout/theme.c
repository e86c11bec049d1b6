/*
 * theme.c: colours, WCAG contrast and category chips; see theme.h.
 */
#include "theme.h"

#include <math.h>
#include <stddef.h>
#include <stdbool.h>
#include <string.h>

#include "taulu_err.h"
#include "taulu_hex.h"
#include "taulu_log.h"

#define TAG "render"

/* Dark blue-black background, white text (17.6:1), light grey secondary
 * text (12.2:1). Chip fills: the Okabe–Ito colours orange, sky blue,
 * yellow as they are; bluish green, vermillion and reddish purple
 * lightened so that black labels reach 7:1; four more light tints for the
 * other themes. Every fill is at least 7:1 against the background too. */
static const struct render_theme default_theme = {
    .bg = {0x0E, 0x1A, 0x26},
    .text = {0xFF, 0xFF, 0xFF},
    .secondary = {0xD0, 0xD8, 0xE0},
    .header_bg = {0x1B, 0x2E, 0x42},
    .header_text = {0xFF, 0xFF, 0xFF},
    .alert_bg = {0xF0, 0xE4, 0x42},
    .alert_text = {0x00, 0x00, 0x00},
    .backing = {0x00, 0x00, 0x00},
    .backing_text = {0xFF, 0xFF, 0xFF},
    .chip_text = {0x00, 0x00, 0x00},
    .chip_unknown = {0xB8, 0xB8, 0xB8},
    .rule = {0x5A, 0x6E, 0x82},
    .category =
        {
            {0xE6, 0x9F, 0x00}, /* kasvu-oppiminen: orange */
            {0x56, 0xB4, 0xE9}, /* ihmissuhteet: sky blue */
            {0x3D, 0xBF,
             0x96}, /* asuminen-turvallisuus: bluish green, lighter */
            {0xF0, 0xE4, 0x42}, /* tyo-toiminta: yellow */
            {0xE8, 0xA3,
             0xC9}, /* vapaa-aika-kulttuuri: reddish purple, lighter */
            {0xF0, 0x8A, 0x4B}, /* toimiva-arki: vermillion, lighter */
            {0xB8, 0xB8, 0xB8}, /* toimeentulo: grey */
            {0xC6, 0xA8, 0xF0}, /* osallisuus: lavender */
            {0xA8, 0xD8, 0x6E}, /* terveys-hyvinvointi: light green */
            {0xFF, 0xB3, 0xA7}, /* elintavat: salmon */
        },
};

const struct render_theme *render_theme_default(void)
{
    return &default_theme;
}

int render_category_index(const char *slug)
{
    enum taulu_category c;
    return taulu_category_from_slug(slug, &c) == 0 ? (int)c : -1;
}

static double channel(uint8_t v)
{
    double c = v / 255.0;
    return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

double render_luminance(struct render_rgb c)
{
    return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) +
           0.0722 * channel(c.b);
}

double render_contrast(struct render_rgb a, struct render_rgb b)
{
    double la = render_luminance(a), lb = render_luminance(b);
    if (la < lb) {
        double t = la;
        la = lb;
        lb = t;
    }
    return (la + 0.05) / (lb + 0.05);
}

struct pair {
    const char *name;
    struct render_rgb a, b;
};

static size_t text_pairs(const struct render_theme *t, struct pair *out)
{
#define CHIP_NAME_(id, key, slug) "chip_text/category." slug,
    static const char *const chip_names[RENDER_CATEGORY_COUNT] = {
        TAULU_CATEGORY_LIST(CHIP_NAME_)};
#undef CHIP_NAME_
    size_t n = 0;
    out[n++] = (struct pair){"text/bg", t->text, t->bg};
    out[n++] = (struct pair){"secondary/bg", t->secondary, t->bg};
    out[n++] =
        (struct pair){"header_text/header_bg", t->header_text, t->header_bg};
    out[n++] = (struct pair){"alert_text/alert_bg", t->alert_text, t->alert_bg};
    out[n++] =
        (struct pair){"backing_text/backing", t->backing_text, t->backing};
    out[n++] =
        (struct pair){"chip_text/chip_unknown", t->chip_text, t->chip_unknown};
    for (int i = 0; i < RENDER_CATEGORY_COUNT; i++) {
        out[n++] = (struct pair){chip_names[i], t->chip_text, t->category[i]};
    }
    return n;
}

double render_theme_min_text_contrast(const struct render_theme *t,
                                      const char **which)
{
    struct pair pairs[6 + RENDER_CATEGORY_COUNT];
    size_t n = text_pairs(t, pairs);
    double min = 22.0;
    for (size_t i = 0; i < n; i++) {
        double c = render_contrast(pairs[i].a, pairs[i].b);
        if (c < min) {
            min = c;
            if (which) {
                *which = pairs[i].name;
            }
        }
    }
    return min;
}

double render_theme_min_chip_contrast(const struct render_theme *t,
                                      const char **which)
{
    double min = render_contrast(t->chip_unknown, t->bg);
    if (which) {
        *which = "chip_unknown";
    }
    for (int i = 0; i < RENDER_CATEGORY_COUNT; i++) {
        double c = render_contrast(t->category[i], t->bg);
        if (c < min) {
            min = c;
            if (which) {
                *which = taulu_category_slug((enum taulu_category)i);
            }
        }
    }
    return min;
}

int render_theme_check(const struct render_theme *t)
{
    if (!t) {
        return TAULU_EINVAL;
    }
    const char *which = "";
    double text = render_theme_min_text_contrast(t, &which);
    if (text < RENDER_MIN_TEXT_CONTRAST) {
        taulu_err(TAG, "theme refused: %s contrast %.3f:1 is below 4.5:1",
                  which, text);
        return TAULU_EVALUE;
    }
    if (text < RENDER_TARGET_TEXT_CONTRAST) {
        taulu_warn(TAG, "theme: %s contrast %.3f:1 is below the 7:1 target",
                   which, text);
    }
    double chip = render_theme_min_chip_contrast(t, &which);
    if (chip < RENDER_MIN_CHIP_CONTRAST) {
        taulu_err(TAG, "theme refused: chip %s against bg %.3f:1 is below 3:1",
                  which, chip);
        return TAULU_EVALUE;
    }
    return TAULU_OK;
}

/* ---- theme files ---- */

static struct render_rgb *field(struct render_theme *t, const char *key,
                                size_t len)
{
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
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        if (strlen(fields[i].name) == len &&
            memcmp(fields[i].name, key, len) == 0) {
            return (struct render_rgb *)((char *)t + fields[i].off);
        }
    }
    static const char prefix[] = "category.";
    if (len > sizeof prefix - 1 &&
        memcmp(key, prefix, sizeof prefix - 1) == 0) {
        enum taulu_category c;
        if (taulu_category_from_slug_n(key + sizeof prefix - 1,
                                       len - (sizeof prefix - 1), &c) == 0) {
            return &t->category[c];
        }
    }
    return NULL;
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

int render_theme_parse(const char *text, size_t len, struct render_theme *out,
                       int *bad_line)
{
    if ((!text && len > 0) || !out) {
        return TAULU_EINVAL;
    }
    if (len > 64 * 1024) {
        return TAULU_ELIMIT;
    }
    struct render_theme t = default_theme;
    size_t pos = 0;
    int line = 0;
    while (pos < len) {
        line++;
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - text) : len;
        size_t a = pos, b = end;
        pos = nl ? end + 1 : len;
        while (a < b && is_blank(text[a])) {
            a++;
        }
        while (b > a && is_blank(text[b - 1])) {
            b--;
        }
        if (a == b || text[a] == '#') {
            continue;
        }
        const char *eq = memchr(text + a, '=', b - a);
        if (!eq) {
            goto bad;
        }
        size_t ke = (size_t)(eq - text), vs = ke + 1;
        while (ke > a && is_blank(text[ke - 1])) {
            ke--;
        }
        while (vs < b && is_blank(text[vs])) {
            vs++;
        }
        struct render_rgb *f = field(&t, text + a, ke - a);
        if (!f || b - vs != 7 || text[vs] != '#') {
            goto bad;
        }
        int v[6];
        for (int i = 0; i < 6; i++) {
            v[i] = taulu_hex_digit(text[vs + 1 + i]);
            if (v[i] < 0) {
                goto bad;
            }
        }
        f->r = (uint8_t)(v[0] * 16 + v[1]);
        f->g = (uint8_t)(v[2] * 16 + v[3]);
        f->b = (uint8_t)(v[4] * 16 + v[5]);
    }
    int rc = render_theme_check(&t);
    if (rc < 0) {
        return rc;
    }
    *out = t;
    return TAULU_OK;
bad:
    if (bad_line) {
        *bad_line = line;
    }
    return TAULU_EPARSE;
}
