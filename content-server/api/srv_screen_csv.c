/*
 * srv_screen_csv.c: a list of screens from a spreadsheet (see
 * srv_screen_csv.h). One pass over the bytes: cells are cut at the
 * separator and the line ends outside quotes, each row's cells checked
 * against the header's columns.
 */
#include "srv_screen_csv.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "taulu_err.h"
#include "taulu_utf8.h"

enum col { C_NAME = 0, C_CENTRE, C_ORIENT, C_RES, C_DIAG, C_DIST, N_COLS };

static const char *const col_en[N_COLS] = {
    "name", "centre", "orientation", "resolution", "diagonal", "distance"};
static const char *const col_fi[N_COLS] = {
    "nimi", "toimipiste", "suunta", "tarkkuus", "halkaisija", "etäisyys"};

#define MAX_CELLS 16

struct reader {
    const char *p, *end;
    char sep;
    unsigned line;
};

/* One cell into out (at most SRV_CSV_CELL_MAX bytes). *eol: the row ended
 * after it. 0, or TAULU_EVALUE (an unclosed quote, text after a closing
 * quote) or TAULU_ELIMIT (too long). */
static int cell(struct reader *r, char *out, bool *eol)
{
    size_t n = 0;
    bool quoted = false;

    *eol = false;
    if (r->p < r->end && *r->p == '"') {
        quoted = true;
        r->p++;
    }
    for (;;) {
        char c;

        if (r->p >= r->end) {
            if (quoted) {
                return TAULU_EVALUE;
            }
            *eol = true;
            break;
        }
        c = *r->p;
        if (quoted) {
            if (c == '"') {
                if (r->p + 1 < r->end && r->p[1] == '"') {
                    r->p += 2;
                    if (n >= SRV_CSV_CELL_MAX) {
                        return TAULU_ELIMIT;
                    }
                    out[n++] = '"';
                    continue;
                }
                r->p++;
                quoted = false;
                if (r->p < r->end && *r->p != r->sep && *r->p != '\r' &&
                    *r->p != '\n') {
                    return TAULU_EVALUE;
                }
                continue;
            }
            if (c == '\n') {
                r->line++;
            }
        } else if (c == r->sep) {
            r->p++;
            break;
        } else if (c == '\r' || c == '\n') {
            r->p += (c == '\r' && r->p + 1 < r->end && r->p[1] == '\n') ? 2 : 1;
            *eol = true;
            break;
        }
        if (n >= SRV_CSV_CELL_MAX) {
            return TAULU_ELIMIT;
        }
        out[n++] = c;
        r->p++;
    }
    out[n] = '\0';
    return 0;
}

/* Trims spaces at both ends, in place. */
static char *trim(char *s)
{
    size_t n;

    while (*s == ' ' || *s == '\t') {
        s++;
    }
    n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t')) {
        s[--n] = '\0';
    }
    return s;
}

static bool same_ci(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = *a, y = *b;
        if (x >= 'A' && x <= 'Z') {
            x = (char)(x - 'A' + 'a');
        }
        if (y >= 'A' && y <= 'Z') {
            y = (char)(y - 'A' + 'a');
        }
        if (x != y) {
            return false;
        }
    }
    return *a == *b;
}

/* A number with a decimal point or comma; false if it is not one. */
static bool number(const char *s, double *out)
{
    char buf[32], *end;
    size_t n = strlen(s);

    if (n == 0 || n >= sizeof buf) {
        return false;
    }
    memcpy(buf, s, n + 1);
    for (size_t i = 0; i < n; i++) {
        if (buf[i] == ',') {
            buf[i] = '.';
        } else if (!(buf[i] >= '0' && buf[i] <= '9') && buf[i] != '.') {
            return false;
        }
    }
    *out = strtod(buf, &end);
    return *end == '\0' && isfinite(*out);
}

static bool integer(const char *s, size_t n, long *out)
{
    long v = 0;

    if (n == 0 || n > 6) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return false;
        }
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

/* "1920x1080", "1920 x 1080", "1920×1080". */
static bool resolution(const char *s, int *w, int *h)
{
    const char *x = NULL;
    size_t xl = 0;
    char a[16], b[16];
    long vw, vh;

    for (const char *p = s; *p; p++) {
        if (*p == 'x' || *p == 'X') {
            x = p;
            xl = 1;
            break;
        }
        if (strncmp(p, "\xc3\x97", 2) == 0) { /* U+00D7 × */
            x = p;
            xl = 2;
            break;
        }
    }
    if (!x || (size_t)(x - s) >= sizeof a || strlen(x + xl) >= sizeof b) {
        return false;
    }
    memcpy(a, s, (size_t)(x - s));
    a[x - s] = '\0';
    memcpy(b, x + xl, strlen(x + xl) + 1);
    if (!integer(trim(a), strlen(trim(a)), &vw) ||
        !integer(trim(b), strlen(trim(b)), &vh) || vw < 320 || vw > 16384 ||
        vh < 240 || vh > 16384) {
        return false;
    }
    *w = (int)vw;
    *h = (int)vh;
    return true;
}

static int fail(struct srv_csv_error *err, unsigned line, int col,
                const char *code)
{
    err->line = line;
    err->column = col >= 0 ? col_en[col] : NULL;
    err->code = code;
    return TAULU_EVALUE;
}

/* Checks one row's cells into row. 0 or TAULU_EVALUE with err. */
static int take_row(char cells[][SRV_CSV_CELL_MAX + 1], size_t ncells,
                    const int map[N_COLS], unsigned line,
                    struct srv_screen_row *row, struct srv_csv_error *err)
{
    char *v[N_COLS];
    double d;

    memset(row, 0, sizeof *row);
    row->line = line;
    for (int c = 0; c < N_COLS; c++) {
        if ((size_t)map[c] >= ncells) {
            return fail(err, line, c, "missing_field");
        }
        v[c] = trim(cells[map[c]]);
        if (!v[c][0]) {
            return fail(err, line, c, "missing_field");
        }
        if (!taulu_utf8_valid(v[c], strlen(v[c])) ||
            taulu_utf8_has_controls(v[c], strlen(v[c]), "")) {
            return fail(err, line, c, "invalid_value");
        }
    }
    if (taulu_utf8_count(v[C_NAME], strlen(v[C_NAME])) > SRV_CSV_NAME_MAX) {
        return fail(err, line, C_NAME, "too_long");
    }
    if (taulu_utf8_count(v[C_CENTRE], strlen(v[C_CENTRE])) > 120) {
        return fail(err, line, C_CENTRE, "too_long");
    }
    memcpy(row->name, v[C_NAME], strlen(v[C_NAME]) + 1);
    memcpy(row->centre, v[C_CENTRE], strlen(v[C_CENTRE]) + 1);
    if (same_ci(v[C_ORIENT], "landscape") || same_ci(v[C_ORIENT], "vaaka")) {
        row->orientation = "landscape";
    } else if (same_ci(v[C_ORIENT], "portrait") ||
               same_ci(v[C_ORIENT], "pysty")) {
        row->orientation = "portrait";
    } else {
        return fail(err, line, C_ORIENT, "invalid_value");
    }
    if (!resolution(v[C_RES], &row->width_px, &row->height_px)) {
        return fail(err, line, C_RES, "invalid_value");
    }
    if (!number(v[C_DIAG], &d)) {
        return fail(err, line, C_DIAG, "invalid_value");
    }
    if (d < 7.0 || d > 200.0) {
        return fail(err, line, C_DIAG, "out_of_range");
    }
    row->diagonal_in = d;
    if (!number(v[C_DIST], &d)) {
        return fail(err, line, C_DIST, "invalid_value");
    }
    if (d < 0.3 || d > 30.0) {
        return fail(err, line, C_DIST, "out_of_range");
    }
    row->distance_m = d;
    return 0;
}

/* Reads one line's cells. *ncells 0 for a blank line. */
static int read_line(struct reader *r, char cells[][SRV_CSV_CELL_MAX + 1],
                     size_t *ncells)
{
    bool eol = false;
    int rc;

    *ncells = 0;
    while (!eol) {
        if (*ncells >= MAX_CELLS) {
            return TAULU_ELIMIT;
        }
        rc = cell(r, cells[*ncells], &eol);
        if (rc < 0) {
            return rc;
        }
        (*ncells)++;
    }
    if (*ncells == 1 && !trim(cells[0])[0]) {
        *ncells = 0;
    }
    return 0;
}

int srv_screen_csv_parse(const char *text, size_t len,
                         struct srv_screen_row **rows, size_t *n,
                         struct srv_csv_error *err)
{
    /* the cells of one line: 7.7 KiB, kept per thread, not on the stack */
    static _Thread_local char tcells[MAX_CELLS][SRV_CSV_CELL_MAX + 1];
    struct reader r;
    struct srv_screen_row *out = NULL;
    int map[N_COLS];
    size_t ncells, cap = 0, count = 0;
    const char *nl;
    int rc;

    memset(err, 0, sizeof *err);
    *rows = NULL;
    *n = 0;
    if (len > SRV_CSV_MAX_BYTES) {
        return fail(err, 0, -1, "too_long");
    }
    if (!taulu_utf8_valid(text, len)) {
        return fail(err, 0, -1, "invalid_utf8");
    }
    r.p = text;
    r.end = text + len;
    r.line = 1;
    if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) {
        r.p += 3;
    }
    /* The separator: ';' if the header line has one. */
    nl = memchr(r.p, '\n', (size_t)(r.end - r.p));
    r.sep = memchr(r.p, ';', (size_t)((nl ? nl : r.end) - r.p)) ? ';' : ',';
    /* The header. */
    do {
        rc = read_line(&r, tcells, &ncells);
        if (rc < 0) {
            return fail(err, r.line, -1, "bad_csv");
        }
        if (ncells == 0) {
            r.line++;
        }
    } while (ncells == 0 && r.p < r.end);
    for (int c = 0; c < N_COLS; c++) {
        map[c] = -1;
        for (size_t k = 0; k < ncells; k++) {
            const char *h = trim(tcells[k]);
            if (same_ci(h, col_en[c]) || same_ci(h, col_fi[c]) ||
                (c == C_DIST && same_ci(h, "katseluetäisyys"))) {
                map[c] = (int)k;
            }
        }
        if (map[c] < 0) {
            return fail(err, 1, c, "missing_field");
        }
    }
    while (r.p < r.end) {
        unsigned line;

        r.line++;
        line = r.line;
        rc = read_line(&r, tcells, &ncells);
        if (rc < 0) {
            free(out);
            return fail(err, line, -1, "bad_csv");
        }
        if (ncells == 0) {
            continue;
        }
        if (count >= SRV_CSV_MAX_ROWS) {
            free(out);
            return fail(err, line, -1, "too_many");
        }
        if (count == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            struct srv_screen_row *t = realloc(out, ncap * sizeof *t);
            if (!t) {
                free(out);
                return TAULU_ENOMEM;
            }
            out = t;
            cap = ncap;
        }
        rc = take_row(tcells, ncells, map, line, &out[count], err);
        if (rc < 0) {
            free(out);
            return rc;
        }
        count++;
    }
    if (count == 0) {
        free(out);
        return fail(err, 0, -1, "missing_field");
    }
    *rows = out;
    *n = count;
    return 0;
}
