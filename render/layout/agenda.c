/*
 * agenda.c: the agenda card: a title, then rows of (day heading,) time and
 * event title, continued over pages between rows (see card_layout.h).
 *
 * The time column is as wide as the widest time, so a time never runs
 * into its title ("16.00Kören"); where that leaves the titles under
 * RENDER_R_AGENDA_TITLE_MIN_EM, there is no column: the title goes on
 * after its time on the same line, or under it where its first word does
 * not fit there whole. A day heading starts each day and each page (repeated
 * when the day goes on from the page before), and never stands alone at the
 * foot of a page: it goes with its first row.
 *
 * Every agenda page shows at least one row: where the title (or on later
 * pages the running head) and the first row do not fit together, the
 * title gives way (verdict: left out); a row taller than a whole page is
 * split between its lines; where not even one line fits, the verdict
 * says the profile has no room.
 */
#include <stddef.h>
#include <string.h>

#include "layout_int.h"
#include "taulu_err.h"
#include "taulu_utf8.h"

#define ROW_LINES   48
#define TIME_LINES  4
#define TITLE_LINES 16

/* A row's lines and where they go: slot k is the row's k-th line. */
struct row {
    struct render_line tl[TIME_LINES];
    int t_slot[TIME_LINES];
    size_t n_tl;
    struct render_line rl[ROW_LINES];
    int r_slot[ROW_LINES], r_x[ROW_LINES];
    size_t n_rl;
    int slots;
};

struct agenda {
    struct lay *L;
    struct render_layout *out;
    int time_w, title_x, title_w;
    bool column; /* times in a column left of the titles */
    struct row row;
};

/* Breaks all of s at width w into out (at most max lines). */
static size_t all_lines(const struct lay *L, enum render_font font,
                        const char *s, int w, struct render_line *out,
                        size_t max)
{
    size_t n = 0, pos = 0, len = lay_present(s) ? strlen(s) : 0;
    while (n < max && pos < len) {
        size_t next = len;
        if (lay_line(L->m, font, L->lang, w, s, len, pos, &out[n], &next) <=
            0) {
            break;
        }
        n++;
        pos = next;
    }
    return n;
}

/* Lays out row r: in a column, the time left and the title beside it;
 * else the title goes on after the time on its line ("klo 14–16
 * Muistikahvila"), or starts under it where not even its first word fits
 * there whole. */
static void row_layout(struct agenda *A, size_t r, bool no_time)
{
    const struct lay *L = A->L;
    const struct render_agenda_row *row = &L->card->rows[r];
    struct row *R = &A->row;
    memset(R, 0, offsetof(struct row, rl));
    R->n_rl = 0;
    R->n_tl = no_time
                  ? 0
                  : all_lines(L, RENDER_FONT_BODY, row->time,
                              A->column ? A->time_w : L->cw, R->tl, TIME_LINES);
    for (size_t i = 0; i < R->n_tl; i++) {
        R->t_slot[i] = (int)i;
    }
    size_t len = lay_present(row->title) ? strlen(row->title) : 0;
    size_t pos = 0;
    int slot = 0, x = A->column ? A->title_x : L->cx;
    int w = A->column ? A->title_w : L->cw;
    if (!A->column && R->n_tl > 0) {
        /* on after the time's last line, if its first line fits there */
        const struct render_line *t = &R->tl[R->n_tl - 1];
        int space = lay_em(L, RENDER_R_AGENDA_GAP);
        int ix = L->cx + t->width + space;
        int iw = L->cx + L->cw - ix;
        struct render_line ln;
        size_t next = 0;
        slot = (int)R->n_tl;
        if (len > 0 && iw >= lay_em(L, RENDER_R_BESIDE_MIN_EM) &&
            lay_line(L->m, RENDER_FONT_BODY, L->lang, iw, row->title, len, 0,
                     &ln, &next) > 0 &&
            !(ln.flags & RENDER_LINE_IN_WORD) && ln.width <= iw) {
            R->rl[0] = ln;
            R->r_slot[0] = (int)R->n_tl - 1;
            R->r_x[0] = ix;
            R->n_rl = 1;
            pos = next;
        }
    }
    while (pos < len && R->n_rl < ROW_LINES) {
        struct render_line ln;
        size_t next = len;
        if (lay_line(L->m, RENDER_FONT_BODY, L->lang, w, row->title, len, pos,
                     &ln, &next) <= 0) {
            break;
        }
        R->rl[R->n_rl] = ln;
        R->r_slot[R->n_rl] = slot++;
        R->r_x[R->n_rl] = x;
        R->n_rl++;
        pos = next;
    }
    int last = R->n_tl > 0 ? R->t_slot[R->n_tl - 1] : -1;
    if (R->n_rl > 0 && R->r_slot[R->n_rl - 1] > last) {
        last = R->r_slot[R->n_rl - 1];
    }
    R->slots = last + 1;
}

static bool same_day(const char *a, const char *b)
{
    return lay_present(a) && lay_present(b) && strcmp(a, b) == 0;
}

static void put_day(struct agenda *A, struct render_page *pg, size_t r, int y,
                    bool repeat)
{
    const struct lay *L = A->L;
    const char *d = L->card->rows[r].day;
    struct render_line ln;
    size_t next = 0;
    if (!pg || lay_line(L->m, RENDER_FONT_BODY_BOLD, L->lang, L->cw, d,
                        strlen(d), 0, &ln, &next) <= 0) {
        return;
    }
    struct render_box *b = lay_add_text(
        pg, RENDER_PART_AGENDA_DAY, RENDER_FIELD_ROW_DAY, RENDER_FONT_BODY_BOLD,
        L->fg, L->bg, L->cx, y, ln.width, L->s->body_line, d + ln.start,
        ln.end - ln.start, ln.flags | (repeat ? RENDER_BOX_REPEAT : 0));
    if (b) {
        b->row = (unsigned)r;
    }
}

/* Where the row's time would go on its day's line, or -1 if the two do
 * not fit one line. */
static int day_time_x(const struct agenda *A, size_t r)
{
    const struct lay *L = A->L;
    const struct render_agenda_row *row = &L->card->rows[r];
    const char *d = row->day;
    if (!lay_present(d) || !lay_present(row->time)) {
        return -1;
    }
    int dw = lay_measure(L->m, RENDER_FONT_BODY_BOLD, d, strlen(d));
    int x = L->cx + dw + lay_em(L, RENDER_R_AGENDA_GAP);
    int tw = A->row.tl[0].width;
    if (x + tw > L->cx + L->cw ||
        (int)(taulu_utf8_count(d, strlen(d)) +
              taulu_utf8_count(row->time, strlen(row->time))) +
                1 >
            render_lb_lang_chars(L->lang)) {
        return -1;
    }
    return x;
}

static void word_issue(struct render_verdict *v, const char *text,
                       const struct render_line *ln, enum render_field f,
                       unsigned row, size_t page)
{
    if (!(ln->flags & (RENDER_LINE_SYLLABLE | RENDER_LINE_CUT_WORD))) {
        return;
    }
    size_t a = 0, e = 0;
    lay_word_at(text, ln->end > 0 ? ln->end - 1 : 0, &a, &e);
    lay_issue(v,
              (ln->flags & RENDER_LINE_CUT_WORD) ? RENDER_ISSUE_WORD_CUT
                                                 : RENDER_ISSUE_WORD_TOO_WIDE,
              f, row, a, e - a, 0, page);
}

/* Sets the row's slots [from, from + n) at y (slot `from` at y). */
static void put_slots(struct agenda *A, struct render_page *pg, size_t r,
                      int from, int n, int y, struct render_verdict *v,
                      size_t page)
{
    const struct lay *L = A->L;
    const struct render_agenda_row *row = &L->card->rows[r];
    const struct row *R = &A->row;
    int lh = L->s->body_line;
    for (size_t i = 0; i < R->n_tl; i++) {
        int k = R->t_slot[i] - from;
        if (k < 0 || k >= n) {
            continue;
        }
        struct render_box *b =
            lay_add_text(pg, RENDER_PART_AGENDA_TIME, RENDER_FIELD_ROW_TIME,
                         RENDER_FONT_BODY, L->fg2, L->bg, L->cx, y + k * lh,
                         R->tl[i].width, lh, row->time + R->tl[i].start,
                         R->tl[i].end - R->tl[i].start, R->tl[i].flags);
        if (b) {
            b->row = (unsigned)r;
        }
        word_issue(v, row->time, &R->tl[i], RENDER_FIELD_ROW_TIME, (unsigned)r,
                   page);
    }
    for (size_t i = 0; i < R->n_rl; i++) {
        int k = R->r_slot[i] - from;
        if (k < 0 || k >= n) {
            continue;
        }
        struct render_box *b =
            lay_add_text(pg, RENDER_PART_AGENDA_TITLE, RENDER_FIELD_ROW_TITLE,
                         RENDER_FONT_BODY, L->fg, L->bg, R->r_x[i], y + k * lh,
                         R->rl[i].width, lh, row->title + R->rl[i].start,
                         R->rl[i].end - R->rl[i].start, R->rl[i].flags);
        if (b) {
            b->row = (unsigned)r;
        }
        word_issue(v, row->title, &R->rl[i], RENDER_FIELD_ROW_TITLE,
                   (unsigned)r, page);
    }
}

/* The first byte of row r's title not set before slot `from`. */
static size_t title_byte_at(const struct row *R, int from)
{
    for (size_t i = 0; i < R->n_rl; i++) {
        if (R->r_slot[i] >= from) {
            return R->rl[i].start;
        }
    }
    return 0;
}

/* One pass over the rows with the footer as set in L. */
static void agenda_run(struct agenda *A)
{
    struct lay *L = A->L;
    struct render_layout *out = A->out;
    const struct render_card *c = L->card;
    const struct render_sizes *s = L->s;
    struct render_verdict *v = &out->verdict;
    int lh = s->body_line;
    memset(v, 0, sizeof *v);
    out->n_pages = 0;
    struct render_line title[TITLE_LINES];
    size_t n_title =
        all_lines(L, RENDER_FONT_TITLE, c->title, L->cw, title, TITLE_LINES);
    if (n_title > RENDER_MAX_TITLE_LINES) {
        lay_issue(v, RENDER_ISSUE_TITLE_LINES, RENDER_FIELD_TITLE, 0, 0, 0,
                  (int)(n_title - RENDER_MAX_TITLE_LINES), 0);
    }
    int title_h = (int)n_title * s->title_line + (n_title ? s->gap : 0);
    bool head = L->head;
    int head_h = lh + s->gap;
    size_t ri = 0, first_p2 = (size_t)-1;
    int from = 0; /* the row's first slot not yet set */
    int later = 0;
    bool title_set = false;
    L->head = false; /* the running head is set here, only where it fits */
    while (ri < c->n_rows) {
        const struct render_agenda_row *row = &c->rows[ri];
        if (!lay_present(row->title) && !lay_present(row->time)) {
            ri++; /* an empty row shows nothing */
            continue;
        }
        row_layout(A, ri, false);
        if (out->n_pages >= RENDER_MAX_PAGES) {
            /* one issue for the rest: the rows from ri on are not shown
             * (row ri from its title's byte, its time too if not set) */
            lay_issue(v, RENDER_ISSUE_NOT_PLACED, RENDER_FIELD_ROW_TITLE,
                      (unsigned)ri, title_byte_at(&A->row, from), 0, 0,
                      out->n_pages - 1);
            break;
        }
        struct render_page *pg = lay_new_page(L, out);
        size_t k = out->n_pages - 1;
        int y = L->cy;
        bool day = lay_present(row->day);
        int unit = (day ? lh : 0) + (A->row.slots - from) * lh;
        int first_min = (day ? lh : 0) + lh;
        int avail = L->bottom - y;
        /* the title (page 1) or the running head: only with a row under
         * it, the row whole if it fits a page at all */
        int top_h = k == 0 ? title_h : (head ? head_h : 0);
        bool with_top =
            top_h > 0 && (unit <= avail ? top_h + unit <= avail
                                        : top_h + first_min <= avail);
        if (k == 0 && with_top) {
            for (size_t i = 0; i < n_title; i++) {
                lay_add_text(pg, RENDER_PART_TITLE, RENDER_FIELD_TITLE,
                             RENDER_FONT_TITLE, L->fg, L->bg, L->cx,
                             y + (int)i * s->title_line, title[i].width,
                             s->title_line, c->title + title[i].start,
                             title[i].end - title[i].start, title[i].flags);
                word_issue(v, c->title, &title[i], RENDER_FIELD_TITLE, 0, 0);
            }
            title_set = true;
        } else if (k > 0 && head && with_top) {
            const struct render_line *h = &L->head_line;
            lay_add_text(pg, RENDER_PART_TITLE, RENDER_FIELD_TITLE,
                         RENDER_FONT_BODY_BOLD, L->fg, L->bg, L->cx, y,
                         h->width, lh, c->title + h->start, h->end - h->start,
                         h->flags | RENDER_BOX_REPEAT);
        }
        if (with_top) {
            y += top_h;
        }
        size_t placed = 0;
        while (ri < c->n_rows) {
            row = &c->rows[ri];
            if (!lay_present(row->title) && !lay_present(row->time)) {
                ri++;
                continue;
            }
            if (placed > 0) {
                row_layout(A, ri, false);
            }
            bool cont = ri > 0 && same_day(row->day, c->rows[ri - 1].day);
            bool heading =
                lay_present(row->day) && (placed == 0 || from > 0 || !cont);
            int gap = placed > 0 && heading ? s->gap : 0;
            int rest = A->row.slots - from;
            int room = (L->bottom - y - gap - (heading ? lh : 0)) / lh;
            int day_time = -1; /* the time set on the day's line at x */
            if (room < rest && heading && from == 0 && A->row.n_tl == 1) {
                /* the time goes up on the day's line ("Tänään ti 24.11.
                 * klo 10–11") where that keeps the row whole */
                int x = day_time_x(A, ri);
                if (x >= 0) {
                    struct render_line t = A->row.tl[0];
                    row_layout(A, ri, true);
                    if (A->row.slots <= room) {
                        day_time = x;
                        A->row.tl[0] = t;
                        rest = A->row.slots;
                    } else {
                        row_layout(A, ri, false);
                    }
                }
            }
            if (room < rest) {
                if (placed > 0) {
                    break; /* the row goes whole to the next page */
                }
                /* taller than a page: as many of its lines as fit, the
                 * heading given up first */
                if (heading && room < 1) {
                    heading = false;
                    room = (L->bottom - y) / lh;
                }
                if (room < 1) {
                    lay_issue(v, RENDER_ISSUE_NO_ROOM, RENDER_FIELD_ROW_TITLE,
                              (unsigned)ri, title_byte_at(&A->row, from), 0, 0,
                              k);
                    ri = c->n_rows;
                    break;
                }
            }
            int n = room < rest ? room : rest;
            y += gap;
            if (heading) {
                put_day(A, pg, ri, y, cont || from > 0);
                if (day_time >= 0) {
                    const struct render_line *t = &A->row.tl[0];
                    struct render_box *b = lay_add_text(
                        pg, RENDER_PART_AGENDA_TIME, RENDER_FIELD_ROW_TIME,
                        RENDER_FONT_BODY, L->fg2, L->bg, day_time, y, t->width,
                        lh, row->time + t->start, t->end - t->start, t->flags);
                    if (b) {
                        b->row = (unsigned)ri;
                    }
                }
                y += lh;
            }
            if (k > 0 && first_p2 == (size_t)-1) {
                first_p2 = ri;
            }
            put_slots(A, pg, ri, from, n, y, v, k);
            y += n * lh;
            later += k > 0 ? n : 0;
            placed++;
            if (n < rest) {
                from += n; /* the rest of the row on the next page */
                break;
            }
            from = 0;
            ri++;
        }
    }
    L->head = head;
    if (n_title > 0 && !title_set) {
        lay_issue(v, RENDER_ISSUE_LEFT_OUT, RENDER_FIELD_TITLE, 0, 0, 0, 0, 0);
    }
    if (first_p2 != (size_t)-1) {
        lay_issue(v, RENDER_ISSUE_CONTINUES, RENDER_FIELD_ROW_TITLE,
                  (unsigned)first_p2, 0, 0, later, 1);
    }
}

int lay_agenda(struct lay *L, struct render_layout *out)
{
    const struct render_card *c = L->card;
    struct agenda A;
    memset(&A, 0, sizeof A);
    A.L = L;
    A.out = out;
    for (size_t i = 0; i < c->n_rows; i++) {
        if (lay_present(c->rows[i].time)) {
            int w = lay_measure(L->m, RENDER_FONT_BODY, c->rows[i].time,
                                strlen(c->rows[i].time));
            A.time_w = w > A.time_w ? w : A.time_w;
        }
    }
    A.title_x =
        L->cx + (A.time_w > 0 ? A.time_w + lay_em(L, RENDER_R_AGENDA_GAP) : 0);
    A.title_w = L->cx + L->cw - A.title_x;
    A.column =
        A.time_w > 0 && A.title_w >= lay_em(L, RENDER_R_AGENDA_TITLE_MIN_EM);
    bool chip_lost = L->chip && L->chip_w > L->cw;
    if (chip_lost) {
        L->chip = false; /* the label is wider than the screen */
    }
    for (int pass = 0; pass < 2; pass++) {
        lay_set_footer(L, L->cw, -1, pass == 1);
        agenda_run(&A);
        if (out->n_pages <= 1 || lay_footer_has_marker(L)) {
            break;
        }
    }
    if (chip_lost || (L->footer_lost && L->chip)) {
        lay_issue(&out->verdict, RENDER_ISSUE_NO_ROOM, RENDER_FIELD_CATEGORY, 0,
                  0, 0, 0, 0);
    }
    lay_finish_pages(L, out, L->cw);
    return TAULU_OK;
}
