/*
 * render_check.c: the render tests' own checks of a layout; see
 * render_check.h.
 */
#include "render_check.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "taulu_utf8.h"

static char msg[512];

int rc_fake_measure(void *ctx, enum render_font font, const char *s, size_t len)
{
    const struct render_sizes *sz = ctx;
    return (int)taulu_utf8_count(s, len) * render_font_px(sz, font) / 2;
}

static double pitch_mm(const struct render_profile *p)
{
    return p->diagonal_in * 25.4 /
           sqrt((double)p->width * p->width + (double)p->height * p->height);
}

/* The degrees a capital of a font of px pixels subtends at the distance. */
static double cap_degrees(const struct render_profile *p, int px)
{
    double cap_mm = px * 0.668 * pitch_mm(p);
    return atan2(cap_mm, p->distance_m * 1000.0) * 180.0 / 3.14159265358979;
}

static int safe_margin(const struct render_profile *p)
{
    int short_side = p->width < p->height ? p->width : p->height;
    return (int)ceil(short_side * 0.035 - 1e-9);
}

static bool boxes_overlap(const struct render_box *a,
                          const struct render_box *b)
{
    return a->x < b->x + b->w && b->x < a->x + a->w && a->y < b->y + b->h &&
           b->y < a->y + a->h;
}

static bool box_inside(const struct render_box *in,
                       const struct render_box *out)
{
    return in->x >= out->x && in->y >= out->y &&
           in->x + in->w <= out->x + out->w && in->y + in->h <= out->y + out->h;
}

/* Text as words: soft hyphens out, list separators out, blanks to one
 * space, trimmed. */
static void normalise(const char *s, size_t len, char *out, size_t size)
{
    size_t n = 0, i = 0;
    bool space = false;
    while (i < len && n + 5 < size) {
        unsigned char c = (unsigned char)s[i];
        if (c == 0xC2 && i + 1 < len && (unsigned char)s[i + 1] == 0xAD) {
            i += 2;
            continue;
        }
        bool sep_dot =
            c == 0xC2 && i + 1 < len && (unsigned char)s[i + 1] == 0xB7;
        bool sep_bullet = c == 0xE2 && i + 2 < len &&
                          (unsigned char)s[i + 1] == 0x80 &&
                          (unsigned char)s[i + 2] == 0xA2;
        size_t k = sep_dot ? 2 : sep_bullet ? 3 : c == '|' ? 1 : 0;
        if (k > 0) {
            /* a free-standing separator only */
            bool before = i == 0 || s[i - 1] == ' ' || s[i - 1] == '\n';
            bool after = i + k >= len || s[i + k] == ' ' || s[i + k] == '\n';
            if (before && after) {
                i += k;
                space = n > 0;
                continue;
            }
        }
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
            space = n > 0;
            i++;
            continue;
        }
        if (space) {
            out[n++] = ' ';
            space = false;
        }
        out[n++] = (char)c;
        i++;
    }
    out[n] = '\0';
}

/* An issue of that kind for the field; for agenda rows also one for an
 * earlier row (the rows from it on are not shown). */
static bool has_issue(const struct render_verdict *v,
                      enum render_issue_kind kind, enum render_field f,
                      unsigned row)
{
    bool rowf = f == RENDER_FIELD_ROW_TIME || f == RENDER_FIELD_ROW_TITLE;
    for (size_t i = 0; i < v->n_issues; i++) {
        const struct render_issue *is = &v->issues[i];
        bool is_row = is->field == RENDER_FIELD_ROW_TIME ||
                      is->field == RENDER_FIELD_ROW_TITLE;
        if (is->kind == kind && ((is->field == f && is->row == row) ||
                                 (rowf && is_row && is->row <= row))) {
            return true;
        }
    }
    return false;
}

static bool expected_field(const struct render_card *c, enum render_field f)
{
    bool extras = c->kind == RENDER_CARD_EVENT ||
                  c->kind == RENDER_CARD_BULLETIN ||
                  c->kind == RENDER_CARD_CONTINUATION;
    bool agenda = c->kind == RENDER_CARD_AGENDA && c->n_rows > 0;
    switch (f) {
    case RENDER_FIELD_TITLE:
        return true;
    case RENDER_FIELD_BODY:
        return !agenda;
    case RENDER_FIELD_CAPTION:
        return extras && (c->image.path || c->image.rgba);
    case RENDER_FIELD_CATEGORY:
        return c->category && c->category[0];
    case RENDER_FIELD_ROW_TIME:
    case RENDER_FIELD_ROW_TITLE:
        return agenda;
    default:
        return extras;
    }
}

/* The words of one field as the boxes show them, compared with the
 * field's. */
static const char *check_words(const struct render_card *c,
                               const struct render_layout *L,
                               enum render_field f, unsigned row)
{
    static char want[8192], shown[8192], got[8192];
    const char *str = render_card_field(c, f, row);
    if (!expected_field(c, f) || !str) {
        str = "";
    }
    normalise(str, strlen(str), want, sizeof want);
    size_t n = 0;
    bool join = false;
    shown[0] = '\0';
    for (size_t pg = 0; pg < L->n_pages; pg++) {
        const struct render_page *page = &L->pages[pg];
        for (size_t i = 0; i < page->n; i++) {
            const struct render_box *b = &page->boxes[i];
            if (b->kind != RENDER_BOX_TEXT || b->field != f || b->row != row ||
                (b->flags & (RENDER_BOX_REPEAT | RENDER_BOX_OWN_TEXT))) {
                continue;
            }
            char vis[RENDER_LINE_VISIBLE_MAX + 8];
            size_t vn = render_box_visible(page, b, vis, sizeof vis);
            if (render_has_soft_hyphen(vis, vn)) {
                snprintf(msg, sizeof msg, "a soft hyphen drawn in '%s'", vis);
                return msg;
            }
            if (b->flags & RENDER_LINE_HYPHEN) {
                if (vn == 0 || vis[vn - 1] != '-') {
                    snprintf(msg, sizeof msg, "no hyphen drawn on '%s'", vis);
                    return msg;
                }
                vis[--vn] = '\0';
            }
            if (n + vn + 2 >= sizeof shown) {
                return "field too long for the check";
            }
            if (n > 0 && !join) {
                shown[n++] = ' ';
            }
            memcpy(shown + n, vis, vn);
            n += vn;
            shown[n] = '\0';
            join = (b->flags & (RENDER_LINE_HYPHEN | RENDER_LINE_WORD_BREAK |
                                RENDER_LINE_CUT_WORD)) != 0;
        }
    }
    normalise(shown, n, got, sizeof got);
    if (strcmp(got, want) == 0) {
        return NULL;
    }
    const struct render_verdict *v = &L->verdict;
    bool partial = has_issue(v, RENDER_ISSUE_NOT_PLACED, f, row) ||
                   has_issue(v, RENDER_ISSUE_LEFT_OUT, f, row) ||
                   has_issue(v, RENDER_ISSUE_NO_ROOM, f, row);
    size_t gl = strlen(got);
    if (partial && strncmp(want, got, gl) == 0 &&
        (gl == 0 || want[gl] == ' ' || join)) {
        return NULL; /* shown as far as it goes, the rest reported */
    }
    snprintf(msg, sizeof msg,
             "field %s row %u shows \"%.120s\", wants \"%.120s\"",
             render_field_name(f), row, got, want);
    return msg;
}

const char *rc_check_layout(const struct render_card *c,
                            const struct render_profile *p,
                            const struct render_sizes *s,
                            const struct render_frame *fr,
                            const struct render_layout *L)
{
    const struct render_verdict *v = &L->verdict;
    int m = safe_margin(p);
    int top = fr->card_y > m ? fr->card_y : m;
    bool agenda = c->kind == RENDER_CARD_AGENDA && c->n_rows > 0;
    if (L->n_pages < 1) {
        return "no page";
    }
    /* a credit line in the footer row is on every page (copies marked);
     * else its lines, and the pages the title has lines on */
    bool credit_footer = false;
    bool lay_body = c->body && c->body[0];
    int credit_lines = 0;
    bool title_on[RENDER_MAX_PAGES + 1] = {false};
    for (size_t pg = 0; pg < L->n_pages; pg++) {
        for (size_t i = 0; i < L->pages[pg].n; i++) {
            const struct render_box *b = &L->pages[pg].boxes[i];
            credit_footer = credit_footer || (b->part == RENDER_PART_CREDIT &&
                                              (b->flags & RENDER_BOX_REPEAT));
            credit_lines +=
                b->part == RENDER_PART_CREDIT && b->field != RENDER_FIELD_NONE;
            title_on[pg] = title_on[pg] || (b->part == RENDER_PART_TITLE &&
                                            !(b->flags & RENDER_BOX_REPEAT));
        }
    }
    for (size_t pg = 0; pg < L->n_pages; pg++) {
        const struct render_page *page = &L->pages[pg];
        size_t rows = 0, titles = 0, credits = 0, others = 0;
        /* where the title ends and where the footer row starts */
        int title_end = 0, foot = p->height - m;
        for (size_t i = 0; i < page->n; i++) {
            const struct render_box *b = &page->boxes[i];
            if (b->kind == RENDER_BOX_FILL &&
                b->part == RENDER_PART_BACKGROUND) {
                continue;
            }
            if (b->x < m || b->x + b->w > p->width - m || b->y < top ||
                b->y + b->h > p->height - m) {
                snprintf(msg, sizeof msg,
                         "page %zu: box %zu (part %d) at %d,%d %dx%d in the "
                         "safe margin %d",
                         pg + 1, i, (int)b->part, b->x, b->y, b->w, b->h, m);
                return msg;
            }
            if (b->kind == RENDER_BOX_TEXT) {
                int px = render_font_px(s, b->font);
                if (cap_degrees(p, px) < 0.7 - 1e-9) {
                    snprintf(msg, sizeof msg,
                             "page %zu: text of %d px is %.3f degrees", pg + 1,
                             px, cap_degrees(p, px));
                    return msg;
                }
                rows += b->field == RENDER_FIELD_ROW_TITLE ||
                        b->field == RENDER_FIELD_ROW_TIME;
            }
            /* what the page holds of its own: the chip, the page marker
             * and copies (the running head) aside */
            if ((b->part == RENDER_PART_CHIP ||
                 b->part == RENDER_PART_FOOTER) &&
                b->y < foot) {
                foot = b->y;
            }
            if (b->part != RENDER_PART_CHIP && b->part != RENDER_PART_FOOTER &&
                !(b->flags & RENDER_BOX_REPEAT) &&
                !(credit_footer && b->part == RENDER_PART_CREDIT)) {
                titles += b->part == RENDER_PART_TITLE;
                if (b->part == RENDER_PART_TITLE && b->y + b->h > title_end) {
                    title_end = b->y + b->h;
                }
                credits += b->part == RENDER_PART_CREDIT;
                others += b->part != RENDER_PART_TITLE &&
                          b->part != RENDER_PART_CREDIT;
            }
            for (size_t j = 0; j < i; j++) {
                const struct render_box *o = &page->boxes[j];
                if ((o->kind == RENDER_BOX_FILL &&
                     o->part == RENDER_PART_BACKGROUND) ||
                    !boxes_overlap(b, o)) {
                    continue;
                }
                if ((o->kind == RENDER_BOX_FILL && b->kind == RENDER_BOX_TEXT &&
                     box_inside(b, o)) ||
                    (b->kind == RENDER_BOX_FILL && o->kind == RENDER_BOX_TEXT &&
                     box_inside(o, b))) {
                    continue;
                }
                snprintf(msg, sizeof msg,
                         "page %zu: boxes %zu and %zu (parts %d, %d) overlap",
                         pg + 1, j, i, (int)o->part, (int)b->part);
                return msg;
            }
        }
        if (agenda && rows == 0 && v->fit != RENDER_FIT_CANNOT) {
            snprintf(msg, sizeof msg, "agenda page %zu has no row", pg + 1);
            return msg;
        }
        /* a card of pages: no page that holds only its credit line (who
         * it is from, with nothing to read it with) or only its title,
         * unless that is longer than a page by itself (then it goes on
         * over pages of its own: a title over its lines, a credit that
         * leaves a page no room for a line of text and the gap above it).
         * The credit is kept with the body's
         * last sentences: a card without body text, or one that has used
         * up its pages, may have nothing to keep it with. */
        if (L->n_pages > 1 && v->fit != RENDER_FIT_CANNOT && others == 0) {
            if (credits > 0 && titles == 0 && credit_lines + 1 < v->capacity &&
                lay_body && L->n_pages < RENDER_MAX_PAGES) {
                snprintf(msg, sizeof msg,
                         "page %zu of %zu holds only the credit line", pg + 1,
                         L->n_pages);
                return msg;
            }
            /* ... a title over its lines or over pages, or one that
             * leaves no room for a line of text under it */
            bool title_long = title_on[pg + 1] || (pg > 0 && title_on[pg - 1]);
            for (size_t i = 0; i < v->n_issues; i++) {
                title_long =
                    title_long || v->issues[i].kind == RENDER_ISSUE_TITLE_LINES;
            }
            int line = (int)ceil(render_font_px(s, RENDER_FONT_BODY) * 1.5);
            if (titles > 0 && credits == 0 && !title_long &&
                title_end + s->gap + line + s->gap <= foot) {
                snprintf(msg, sizeof msg,
                         "page %zu of %zu holds only the title", pg + 1,
                         L->n_pages);
                return msg;
            }
        }
    }
    static const enum render_field fields[] = {
        RENDER_FIELD_TITLE,        RENDER_FIELD_BODY,
        RENDER_FIELD_WHEN,         RENDER_FIELD_REPEAT,
        RENDER_FIELD_WHERE,        RENDER_FIELD_PRICE,
        RENDER_FIELD_REGISTRATION, RENDER_FIELD_ACCESSIBILITY,
        RENDER_FIELD_ORGANISATION, RENDER_FIELD_CONTACT,
        RENDER_FIELD_CATEGORY,     RENDER_FIELD_CAPTION};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        const char *e = check_words(c, L, fields[i], 0);
        if (e) {
            return e;
        }
    }
    for (size_t r = 0; agenda && r < c->n_rows; r++) {
        const char *e = check_words(c, L, RENDER_FIELD_ROW_TIME, (unsigned)r);
        if (!e) {
            e = check_words(c, L, RENDER_FIELD_ROW_TITLE, (unsigned)r);
        }
        if (e) {
            return e;
        }
    }
    bool reason = false, cannot = false;
    for (size_t i = 0; i < v->n_issues; i++) {
        enum render_issue_kind k = v->issues[i].kind;
        if (k == RENDER_ISSUE_INVARIANT) {
            snprintf(msg, sizeof msg,
                     "invariant %d broken on page %zu (field %s row %u byte "
                     "%zu)",
                     (int)v->issues[i].check, v->issues[i].page + 1,
                     render_field_name(v->issues[i].field), v->issues[i].row,
                     v->issues[i].byte);
            return msg;
        }
        reason = reason || k == RENDER_ISSUE_CONTINUES;
        cannot = cannot || k == RENDER_ISSUE_NOT_PLACED ||
                 k == RENDER_ISSUE_NO_ROOM || k == RENDER_ISSUE_WORD_CUT;
    }
    if (v->pages != L->n_pages ||
        (v->fit == RENDER_FIT_ONE_PAGE && L->n_pages != 1) ||
        (v->fit == RENDER_FIT_PAGES && (L->n_pages < 2 || !reason)) ||
        (v->fit == RENDER_FIT_CANNOT) != cannot) {
        snprintf(msg, sizeof msg, "verdict %s on %zu pages does not match",
                 render_fit_name(v->fit), L->n_pages);
        return msg;
    }
    struct render_issue fail;
    if (render_layout_verify(c, s, fr, L, &fail) != 0) {
        snprintf(msg, sizeof msg, "render_layout_verify: check %d page %zu",
                 (int)fail.check, fail.page + 1);
        return msg;
    }
    return NULL;
}

const char *rc_check_header(const struct render_header *h,
                            const struct render_profile *p,
                            const struct render_sizes *s,
                            const struct render_frame *fr,
                            const struct render_page *pg)
{
    int m = safe_margin(p);
    const char *name_box = NULL;
    size_t name_len = 0;
    bool ellipsis = false;
    for (size_t i = 0; i < pg->n; i++) {
        const struct render_box *b = &pg->boxes[i];
        if (b->kind != RENDER_BOX_TEXT) {
            continue;
        }
        if (b->x < m || b->y < m || b->x + b->w > p->width - m ||
            b->y + b->h > fr->header_h) {
            return "header text outside the safe area or the band";
        }
        if (cap_degrees(p, render_font_px(s, b->font)) < 0.7 - 1e-9) {
            return "header text under 0.7 degrees";
        }
        for (size_t j = 0; j < i; j++) {
            if (pg->boxes[j].kind == RENDER_BOX_TEXT &&
                boxes_overlap(b, &pg->boxes[j])) {
                return "header texts overlap";
            }
        }
        size_t len = 0;
        const char *t = render_box_text(pg, b, &len);
        if (b->flags & RENDER_BOX_OWN_TEXT) {
            ellipsis = ellipsis || (len >= 3 && memcmp(t + len - 3,
                                                       "\xe2\x80\xa6", 3) == 0);
            continue;
        }
        const char *names[2] = {h->centre, h->centre_short};
        for (int k = 0; k < 2; k++) {
            if (names[k] && t >= names[k] && t < names[k] + strlen(names[k])) {
                if (!name_box) {
                    name_box = names[k];
                }
                /* whole words: starts at a word, ends at one */
                size_t a = (size_t)(t - names[k]), e = a + len;
                if ((a > 0 && names[k][a - 1] != ' ') ||
                    (names[k][e] != '\0' && names[k][e] != ' ')) {
                    return "the centre's name is cut inside a word";
                }
                name_len = e;
            }
        }
    }
    if (name_box && name_box[name_len] != '\0' && !ellipsis) {
        return "the centre's name is shortened without an ellipsis";
    }
    return NULL;
}
