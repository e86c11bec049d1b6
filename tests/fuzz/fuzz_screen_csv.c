/*
 * fuzz_screen_csv.c: libFuzzer target for the list of screens read from a
 * spreadsheet (api/srv_screen_csv.c, POST /api/v1/screens/import).
 *
 * Checks beyond "does not crash": a refusal names an error code that
 * srv_msg.c knows, a line no later than the input has, and hands out no
 * rows; an accepted list has 1..SRV_CSV_MAX_ROWS rows, each with every
 * value in the range the screen records need (a name and a centre of
 * UTF-8 without controls, landscape or portrait, the resolution, diagonal
 * and distance in range) and lines in increasing order.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "srv_msg.h"
#include "srv_screen_csv.h"
#include "taulu_utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_text(const char *s)
{
    size_t n = strlen(s);

    if (n == 0 || !taulu_utf8_valid(s, n) ||
        taulu_utf8_has_controls(s, n, "")) {
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct srv_screen_row *rows = NULL;
    struct srv_csv_error err;
    size_t n = 0, lines = 1;
    int rc;

    for (size_t i = 0; i < size; i++) {
        lines += data[i] == '\n' || data[i] == '\r';
    }
    rc = srv_screen_csv_parse((const char *)data, size, &rows, &n, &err);
    if (rc != 0) {
        if (rows || !err.code || srv_msg_find(err.code) == NULL ||
            strcmp(srv_msg_find(err.code)->code, err.code) != 0 ||
            err.line > lines) {
            abort();
        }
        return 0;
    }
    if (n == 0 || n > SRV_CSV_MAX_ROWS) {
        abort();
    }
    for (size_t i = 0; i < n; i++) {
        const struct srv_screen_row *r = &rows[i];

        check_text(r->name);
        check_text(r->centre);
        if ((strcmp(r->orientation, "landscape") != 0 &&
             strcmp(r->orientation, "portrait") != 0) ||
            r->width_px < 320 || r->width_px > 16384 || r->height_px < 240 ||
            r->height_px > 16384 || !isfinite(r->diagonal_in) ||
            r->diagonal_in < 7.0 || r->diagonal_in > 200.0 ||
            !isfinite(r->distance_m) || r->distance_m < 0.3 ||
            r->distance_m > 30.0 || r->line < 2 ||
            (i > 0 && r->line <= rows[i - 1].line)) {
            abort();
        }
    }
    free(rows);
    return 0;
}
