/*
 * flow.c: the flow engine of the layout (see layout_int.h): sets a card's
 * items (title, event rows, body, credit; the QR code and the image as
 * boxes) into a column, line by line at the width the column has at that
 * height (narrower beside a QR code), and on to a new page when the column
 * is full. Where a page may end is a rule of the item: the body between
 * sentences (at most 7 lines a page), an event row or a box whole unless it
 * is taller than a page. A line depends only on where it starts, so lines
 * moved to the next page are simply broken again there.
 *
 * The engine plans (out == NULL: nothing is written, the solver compares
 * arrangements) and emits (boxes into out's pages) with the same code, so
 * what was compared is what is drawn.
 */
#include <stddef.h>
#include <string.h>

#include "layout_int.h"
#include "taulu_utf8.h"

struct render_page *flow_page(struct flow *f)
{
    if (!f->out || f->page >= f->out->n_pages) {
        return NULL;
    }
    return &f->out->pages[f->page];
}

void flow_init(struct flow *f, struct lay *L, struct render_layout *out,
               struct render_verdict *v, const struct region *rg, bool one_page)
{
    memset(f, 0, offsetof(struct flow, pl));
    f->L = L;
    f->out = out;
    f->v = v;
    f->rg = *rg;
    f->one_page = one_page;
    f->y = rg->top;
}

int region_width(const struct lay *L, const struct region *rg, int y, int lh)
{
    int w = rg->w;
    for (size_t i = 0; i < rg->n_fl; i++) {
        const struct flt *b = &rg->fl[i];
        if (y < b->y + b->h && y + lh > b->y) {
            int free = b->x - L->s->gap - rg->x;
            w = free < w ? free : w;
        }
    }
    return w > 0 ? w : 0;
}

/* The first y under the boxes beside a line [y, y + lh). */
static int below_floats(const struct lay *L, const struct region *rg, int y,
                        int lh)
{
    int under = y;
    for (size_t i = 0; i < rg->n_fl; i++) {
        const struct flt *b = &rg->fl[i];
        if (y < b->y + b->h && y + lh > b->y &&
            b->y + b->h + L->s->gap > under) {
            under = b->y + b->h + L->s->gap;
        }
    }
    return under > y ? under : y + 1;
}

void lay_cont_region(const struct lay *L, struct region *rg)
{
    memset(rg, 0, sizeof *rg);
    rg->x = L->cx;
    rg->w = L->cw;
    rg->top = L->cy + (L->head ? L->s->body_line + L->s->gap : 0);
    rg->bottom = L->bottom;
}

struct render_page *lay_new_page(struct lay *L, struct render_layout *out)
{
    if (!out || out->n_pages >= RENDER_MAX_PAGES) {
        return NULL;
    }
    struct render_page *pg = &out->pages[out->n_pages++];
    pg->n = 0;
    pg->dropped = 0;
    pg->own_len = 0;
    pg->chars = 0;
    pg->dwell_ms = 0;
    pg->x = L->fr.card_x;
    pg->y = L->fr.card_y;
    pg->w = L->fr.card_w;
    pg->h = L->fr.card_h;
    lay_add_fill(pg, RENDER_PART_BACKGROUND, pg->x, pg->y, pg->w, pg->h, L->bg);
    if (out->n_pages > 1 && L->head) {
        /* what the page continues: the title, once, at the floor size */
        const struct render_line *h = &L->head_line;
        lay_add_text(pg, RENDER_PART_TITLE, RENDER_FIELD_TITLE,
                     RENDER_FONT_BODY_BOLD, L->fg, L->bg, L->cx, L->cy,
                     h->width, L->s->body_line, L->card->title + h->start,
                     h->end - h->start, h->flags | RENDER_BOX_REPEAT);
    }
    return pg;
}

/* On to the next page: false if there is none (stop) or the flow may not
 * leave its page (fail). */
static bool next_page(struct flow *f)
{
    if (f->one_page) {
        f->fail = true;
        return false;
    }
    if (f->page + 1 >= RENDER_MAX_PAGES) {
        f->stop = true;
        return false;
    }
    if (f->any && !f->content) {
        f->title_alone = true;
    }
    f->page++;
    if (f->out) {
        lay_new_page(f->L, f->out);
    }
    lay_cont_region(f->L, &f->rg);
    f->y = f->rg.top;
    f->any = false;
    f->content = false;
    f->body_lines = 0;
    f->last_ok = false;
    return true;
}

/* Lines a continuation page holds of an item with line height lh. */
static int capacity(const struct lay *L, int lh)
{
    struct region rg;
    lay_cont_region(L, &rg);
    int n = (rg.bottom - rg.top) / lh;
    return n > 0 ? n : 0;
}

static void count_line(struct flow *f, const struct fitem *it, size_t start)
{
    enum render_field fd = it->field;
    if (f->page == 0) {
        f->page1_lines[fd]++;
        return;
    }
    if (f->later_lines[fd] == 0) {
        f->later_byte[fd] = start;
        f->later_page[fd] = f->page;
        f->later_row[fd] = it->row;
    }
    f->later_lines[fd]++;
}

/* The item's lines [0, n) on this page stay: count them and report the
 * words broken where the text did not say. */
static void commit(struct flow *f, const struct fitem *it, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const struct pline *p = &f->pl[i];
        count_line(f, it, p->start);
        if (p->flags & (RENDER_LINE_SYLLABLE | RENDER_LINE_CUT_WORD)) {
            size_t a = 0, b = 0;
            /* the break is at the line's end: the word around it */
            lay_word_at(it->text, p->next > 0 ? p->next - 1 : 0, &a, &b);
            bool cut = p->flags & RENDER_LINE_CUT_WORD;
            if (cut) {
                f->cuts++;
            } else {
                f->syllables++;
            }
            lay_issue(f->v,
                      cut ? RENDER_ISSUE_WORD_CUT : RENDER_ISSUE_WORD_TOO_WIDE,
                      it->field, it->row, a, b - a, 0, f->page);
        }
    }
}

/* Drops the item's lines [keep, n) from the page being emitted. */
static void unplace(struct flow *f, size_t keep, size_t n, size_t own_len)
{
    struct render_page *pg = flow_page(f);
    if (pg && keep < n) {
        pg->n = f->pl[keep].box_n;
        pg->own_len = own_len;
    }
}

/* An item that fits whole after the last line set, after " · ": a short
 * event row ("Maksuton") beside the one before it. */
static bool pack(struct flow *f, const struct fitem *it)
{
    struct lay *L = f->L;
    const char *t = it->text;
    size_t a = 0, b = strlen(t);
    if (!f->last_ok || f->last_page != f->page || memchr(t, '\n', b)) {
        return false;
    }
    while (a < b && (t[a] == ' ' || t[a] == '\t')) {
        a++;
    }
    while (b > a && (t[b - 1] == ' ' || t[b - 1] == '\t')) {
        b--;
    }
    if (a >= b) {
        return false;
    }
    static const char sep[] = " \xc2\xb7 ";
    int chars = (int)taulu_utf8_count(t + a, b - a);
    int limit = render_lb_lang_chars(L->lang);
    if (chars > limit || f->last_chars + 3 + chars > limit) {
        return false;
    }
    int sw = lay_measure(L->m, it->font, sep, sizeof sep - 1);
    int iw = lay_measure(L->m, it->font, t + a, b - a);
    int right = f->rg.x + region_width(L, &f->rg, f->last_y, f->last_lh);
    if (f->last_x + sw + iw > right) {
        return false;
    }
    struct render_page *pg = flow_page(f);
    if (pg) {
        lay_add_own(pg, L->m, it->part, it->font, it->fg, L->bg, f->last_x,
                    f->last_y, f->last_lh, sep, sizeof sep - 1, false);
        struct render_box *bx = lay_add_text(
            pg, it->part, it->field, it->font, it->fg, L->bg, f->last_x + sw,
            f->last_y, iw, f->last_lh, t + a, b - a, 0);
        if (bx) {
            bx->row = it->row;
        }
    }
    f->last_x += sw + iw;
    f->last_chars += 3 + chars;
    count_line(f, it, a);
    return true;
}

/* Line i of the item ends a page at byte e, a sentence's end inside it:
 * the lines after it go, and it is set again, cut short. */
static void cut_line(struct flow *f, const struct fitem *it, size_t i, size_t e,
                     size_t own_len)
{
    struct lay *L = f->L;
    struct pline *p = &f->pl[i];
    unplace(f, i, i + 1, own_len);
    struct render_page *pg = flow_page(f);
    if (pg) {
        int w = lay_measure(L->m, it->font, it->text + p->start, e - p->start);
        struct render_box *bx = lay_add_text(
            pg, it->part, it->field, it->font, it->fg, L->bg, f->rg.x, p->y, w,
            it->lh, it->text + p->start, e - p->start, RENDER_LINE_SENTENCE);
        if (bx) {
            bx->row = it->row;
        }
    }
    p->end = e;
    p->next = e;
    p->flags = RENDER_LINE_SENTENCE;
}

static void stop_here(struct flow *f, const struct fitem *it, size_t byte)
{
    if (!f->fail) {
        lay_issue(f->v, RENDER_ISSUE_NOT_PLACED, it->field, it->row, byte, 0, 0,
                  f->page);
    }
}

/* The foot of the column for the item on this page: the room kept for
 * the credit line is left free by the items before it, but not by the
 * title (it comes first and is never split for it), and the first line
 * under the title ignores it (`under_title`: a page of only the title is
 * no better than one of only the credit). */
static int text_bottom(const struct flow *f, const struct fitem *it,
                       bool under_title)
{
    if (!f->reserve || f->credit_started || it->part == RENDER_PART_TITLE ||
        under_title || f->page >= RENDER_MAX_PAGES) {
        return f->rg.bottom;
    }
    return f->rg.bottom - f->reserve[f->page];
}

static bool flow_text(struct flow *f, const struct fitem *it)
{
    struct lay *L = f->L;
    const struct render_sizes *s = L->s;
    const char *t = it->text;
    size_t len = strlen(t), pos = 0, npl = 0;
    bool body = it->rules & FR_SENTENCES;
    bool credit = it->part == RENDER_PART_CREDIT;
    if (credit) {
        f->credit_started = true;
    }
    if ((it->rules & FR_PACK) && pack(f, it)) {
        return true;
    }
    /* something above the item on this page, and something of it not the
     * title: an item moves whole to the next page only from under the
     * latter, so that no page holds only the title */
    bool above = f->any;
    bool above_content = f->content;
    bool started_here = true; /* the item's first line is on this page */
    int y = f->y + (f->any ? it->gap : 0);
    unsigned prev = 0;
    size_t own_len = flow_page(f) ? flow_page(f)->own_len : 0;
    for (;;) {
        struct render_line ln;
        size_t next = len;
        int ly =
            y + (npl > 0 && (prev & RENDER_LINE_PARA_END) ? s->para_gap : 0);
        int w = region_width(L, &f->rg, ly, it->lh);
        if (w < f->rg.w && w < lay_em(L, RENDER_R_BESIDE_MIN_EM)) {
            y = below_floats(L, &f->rg, ly, it->lh); /* on under the box */
            continue;
        }
        if (lay_line(L->m, it->font, L->lang, w > 0 ? w : 1, t, len, pos, &ln,
                     &next) <= 0) {
            break;
        }
        bool under_title = started_here && above && !above_content && npl == 0;
        bool full = ly + it->lh > text_bottom(f, it, under_title) ||
                    npl >= FLOW_LINES ||
                    (body && f->body_lines >= RENDER_MAX_BODY_LINES);
        if (full) {
            if (npl == 0 && !above) {
                /* not one line on an empty page */
                lay_issue(f->v, RENDER_ISSUE_NO_ROOM, it->field, it->row,
                          ln.start, 0, capacity(L, it->lh), f->page);
                f->stop = !f->one_page;
                f->fail = f->one_page;
                return false;
            }
            size_t keep = npl;
            if (body) {
                /* between sentences: back to the last line that ends one,
                 * or to a sentence that ends inside a later line, that
                 * line then cut short there */
                while (keep > 0 &&
                       !(f->pl[keep - 1].flags & RENDER_LINE_PAGE_OK)) {
                    keep--;
                }
                for (size_t i = npl; i-- > keep;) {
                    size_t e =
                        render_lb_sentence_end(t, f->pl[i].start, f->pl[i].end);
                    if (e > f->pl[i].start) {
                        cut_line(f, it, i, e, own_len);
                        f->body_lines -= (int)(npl - i - 1);
                        npl = keep = i + 1;
                        break;
                    }
                }
                if (keep == 0 && npl > 0 && !(started_here && above_content)) {
                    /* a sentence longer than a page: split, and say so */
                    keep = npl;
                    f->splits++;
                    lay_issue(f->v, RENDER_ISSUE_SENTENCE_SPLIT, it->field,
                              it->row, ln.start, 0, 0, f->page);
                }
            } else if (it->rules & FR_KEEP) {
                /* a row goes whole to the next page unless it is taller
                 * than a page */
                keep = started_here && above_content ? 0 : npl;
            }
            commit(f, it, keep);
            if (keep < npl) {
                unplace(f, keep, npl, own_len);
                if (body) {
                    f->body_lines -= (int)(npl - keep);
                }
            }
            pos = keep > 0 ? f->pl[keep - 1].next
                           : (npl > 0 ? f->pl[0].start : ln.start);
            if (!next_page(f)) {
                stop_here(f, it, pos);
                return false;
            }
            started_here = started_here && keep == 0;
            above = false;
            above_content = false;
            npl = 0;
            prev = 0;
            y = f->y;
            own_len = flow_page(f) ? flow_page(f)->own_len : 0;
            continue;
        }
        struct render_page *pg = flow_page(f);
        f->pl[npl] = (struct pline){ln.start, ln.end,         next,
                                    ly,       pg ? pg->n : 0, ln.flags};
        npl++;
        if (pg) {
            struct render_box *bx = NULL;
            if (it->rules & FR_OWN) {
                bx = lay_add_own(pg, L->m, it->part, it->font, it->fg, L->bg,
                                 f->rg.x, ly, it->lh, t + ln.start,
                                 ln.end - ln.start, false);
            } else {
                bx = lay_add_text(pg, it->part, it->field, it->font, it->fg,
                                  L->bg, f->rg.x, ly, ln.width, it->lh,
                                  t + ln.start, ln.end - ln.start, ln.flags);
            }
            if (bx) {
                bx->row = it->row;
            }
        }
        if (body) {
            f->body_lines++;
        }
        if (credit && started_here && npl == 1 && !f->any && f->page > 0 &&
            f->credit_open == 0) {
            f->credit_open = f->page; /* the credit alone at the top */
        }
        f->any = true;
        f->content = f->content || it->part != RENDER_PART_TITLE;
        f->last_ok = !(it->rules & FR_OWN);
        f->last_y = ly;
        f->last_x = f->rg.x + ln.width;
        f->last_lh = it->lh;
        f->last_chars = ln.chars;
        f->last_page = f->page;
        prev = ln.flags;
        y = ly + it->lh;
        pos = next;
    }
    commit(f, it, npl);
    f->y = y;
    return true;
}

/* Caption lines of an image at width w (up to max). */
size_t flow_caption(const struct lay *L, const char *cap, int w,
                    struct render_line *out, size_t max, size_t *rest)
{
    size_t n = 0, pos = 0, len = lay_present(cap) ? strlen(cap) : 0;
    *rest = len;
    while (pos < len) {
        if (n >= max) {
            *rest = pos; /* more lines than a caption may have */
            break;
        }
        size_t next = len;
        if (lay_line(L->m, RENDER_FONT_SECONDARY, L->lang, w > 0 ? w : 1, cap,
                     len, pos, &out[n], &next) <= 0) {
            break;
        }
        n++;
        pos = next;
    }
    return n;
}

/* Sets the QR code or the image (with its caption) at x, y: `size` is the
 * QR code's side or the image's height. */
void flow_put_box(struct flow *f, const struct fitem *it, int x, int y,
                  int size, const struct render_line *cl, size_t ncl)
{
    struct lay *L = f->L;
    struct render_page *pg = flow_page(f);
    const struct render_card *c = L->card;
    for (size_t i = 0; i < ncl; i++) {
        /* a caption's word broken at a syllable is reported too */
        if (cl[i].flags & (RENDER_LINE_SYLLABLE | RENDER_LINE_CUT_WORD)) {
            size_t a = 0, b = 0;
            bool cut = cl[i].flags & RENDER_LINE_CUT_WORD;
            lay_word_at(c->image.caption, cl[i].end > 0 ? cl[i].end - 1 : 0, &a,
                        &b);
            lay_issue(f->v,
                      cut ? RENDER_ISSUE_WORD_CUT : RENDER_ISSUE_WORD_TOO_WIDE,
                      RENDER_FIELD_CAPTION, 0, a, b - a, 0, f->page);
            f->syllables += !cut;
            f->cuts += cut;
        }
    }
    if (!pg) {
        return;
    }
    if (it->kind == FI_QR) {
        struct render_box *b =
            lay_add_box(pg, RENDER_BOX_QR, RENDER_PART_QR, x, y, size, size);
        if (b) {
            b->text = c->link;
            b->len = strlen(c->link);
            b->field = RENDER_FIELD_LINK;
        }
        return;
    }
    struct render_box *b = lay_add_box(pg, RENDER_BOX_IMAGE, RENDER_PART_IMAGE,
                                       x, y, it->bw, size);
    if (b) {
        b->image = &c->image;
        b->field = RENDER_FIELD_IMAGE;
        if (lay_present(c->image.alt)) {
            b->text = c->image.alt;
            b->len = strlen(c->image.alt);
        }
    }
    if (ncl == 0) {
        return;
    }
    const struct render_sizes *s = L->s;
    int cy = y + size;
    lay_add_fill(pg, RENDER_PART_CAPTION, x, cy, it->bw,
                 (int)ncl * s->secondary_line, RENDER_COL_BACKING);
    for (size_t i = 0; i < ncl; i++) {
        lay_add_text(pg, RENDER_PART_CAPTION, RENDER_FIELD_CAPTION,
                     RENDER_FONT_SECONDARY, RENDER_COL_BACKING_TEXT,
                     RENDER_COL_BACKING, x + s->gap, cy, cl[i].width,
                     s->secondary_line, c->image.caption + cl[i].start,
                     cl[i].end - cl[i].start, cl[i].flags);
        cy += s->secondary_line;
    }
}

/* An image not placed takes its caption with it: say so too. */
static void box_lost(struct flow *f, const struct fitem *it)
{
    if (it->kind == FI_IMAGE && lay_present(it->text) && !f->fail) {
        lay_issue(f->v, RENDER_ISSUE_NOT_PLACED, RENDER_FIELD_CAPTION, 0, 0, 0,
                  0, f->page);
    }
}

static bool flow_box(struct flow *f, const struct fitem *it)
{
    struct lay *L = f->L;
    struct render_line cl[FLOW_CAPTION_LINES];
    size_t ncl = 0;
    int cap_h = 0;
    if (it->kind == FI_IMAGE) {
        size_t rest = 0;
        ncl = flow_caption(L, it->text, it->bw - 2 * L->s->gap, cl,
                           FLOW_CAPTION_LINES, &rest);
        if (lay_present(it->text) && rest < strlen(it->text) && !f->fail) {
            lay_issue(f->v, RENDER_ISSUE_NOT_PLACED, RENDER_FIELD_CAPTION, 0,
                      rest, 0, 0, f->page);
        }
        cap_h = (int)ncl * L->s->secondary_line;
    }
    for (;;) {
        int y = f->y + (f->any ? it->gap : 0);
        int size = 0;
        for (int tries = 0; tries < 4; tries++) {
            size = f->rg.bottom - y - cap_h;
            size = size > it->bmax ? it->bmax : size;
            if (it->kind == FI_QR && size > it->bw) {
                size = it->bw;
            }
            int need = it->kind == FI_QR ? size : it->bw;
            if (size <= 0 || region_width(L, &f->rg, y, size + cap_h) >= need) {
                break;
            }
            y = below_floats(L, &f->rg, y, size + cap_h); /* not beside */
        }
        if (size >= it->bmin && size > 0) {
            flow_put_box(f, it, f->rg.x, y, size, cl, ncl);
            f->y = y + size + cap_h;
            f->any = true;
            f->content = true;
            f->last_ok = false;
            f->placed[it->field] = true;
            count_line(f, it, 0);
            if (ncl > 0) {
                struct fitem capi = *it;
                capi.field = RENDER_FIELD_CAPTION;
                for (size_t i = 0; i < ncl; i++) {
                    count_line(f, &capi, cl[i].start);
                }
            }
            return true;
        }
        if (!f->any) {
            lay_issue(f->v, RENDER_ISSUE_NO_ROOM, it->field, 0, 0, 0,
                      capacity(L, L->s->body_line), f->page);
            box_lost(f, it);
            f->stop = !f->one_page;
            f->fail = f->one_page;
            return false;
        }
        if (!next_page(f)) {
            stop_here(f, it, 0);
            box_lost(f, it);
            return false;
        }
    }
}

bool flow_item(struct flow *f, const struct fitem *it)
{
    if (f->stop || f->fail) {
        return false;
    }
    if (it->kind == FI_TEXT) {
        if (!lay_present(it->text)) {
            return true;
        }
        return flow_text(f, it);
    }
    return flow_box(f, it);
}

void flow_not_placed(struct flow *f, const struct fitem *it, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (it[i].kind == FI_TEXT && !lay_present(it[i].text)) {
            continue;
        }
        lay_issue(f->v, RENDER_ISSUE_NOT_PLACED, it[i].field, it[i].row, 0, 0,
                  0, f->page);
        box_lost(f, &it[i]);
    }
}
