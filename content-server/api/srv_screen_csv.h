/*
 * srv_screen_csv.h: a list of screens from a spreadsheet (POST
 * /api/v1/screens/import), plain C.
 *
 * The CSV has a header row naming its columns, in any order, in English
 * or Finnish: name (nimi), centre (toimipiste), orientation (suunta),
 * resolution (tarkkuus), diagonal (halkaisija), distance (etäisyys). The
 * separator is ';' (what Finnish Excel writes) when the header has one,
 * else ','. Cells may be quoted ("..." with "" for a quote). A UTF-8 byte
 * order mark is skipped, blank lines are ignored, CRLF and LF both end a
 * line. Values:
 *   name         1..100 characters
 *   centre       a centre's name (or its id), 1..120 characters; the
 *                caller resolves it
 *   orientation  landscape | portrait (vaaka | pysty)
 *   resolution   WIDTHxHEIGHT, e.g. 1920x1080 (x, X or ×), 320..16384 by
 *                240..16384
 *   diagonal     inches, 7..200, a decimal point or comma ("55", "43,5")
 *   distance     viewing distance in metres, 0.3..30 ("3", "2,5")
 * Whatever is wrong is reported with its line (1-based, the header is
 * line 1) and column, and nothing is taken: the import is all or nothing.
 */
#ifndef SRV_SCREEN_CSV_H
#define SRV_SCREEN_CSV_H

#include <stddef.h>

#define SRV_CSV_MAX_ROWS  500
#define SRV_CSV_MAX_BYTES (256u * 1024u)
#define SRV_CSV_NAME_MAX  100
#define SRV_CSV_CELL_MAX  480 /* bytes of one cell (120 characters of 4) */

struct srv_screen_row {
    unsigned line;
    char name[SRV_CSV_CELL_MAX + 1];
    char centre[SRV_CSV_CELL_MAX + 1];
    const char *orientation; /* "landscape" | "portrait" (static) */
    int width_px, height_px;
    double diagonal_in;
    double distance_m;
};

/* What is wrong, the first thing found. */
struct srv_csv_error {
    unsigned line;      /* 0: the whole file */
    const char *column; /* the English name, or NULL */
    const char *code;   /* an API error code: invalid_value, missing_field,
                           too_long, out_of_range, bad_csv, too_many */
};

/* Parses `len` bytes into rows (malloc'd array in *rows, *n of them; free
 * with free()). 0, TAULU_EVALUE (err says what and where) or
 * TAULU_ENOMEM. */
int srv_screen_csv_parse(const char *text, size_t len,
                         struct srv_screen_row **rows, size_t *n,
                         struct srv_csv_error *err);

#endif
