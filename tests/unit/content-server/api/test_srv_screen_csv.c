/*
 * test_srv_screen_csv.c: screens from a spreadsheet (api/srv_screen_csv.c):
 * Finnish Excel's semicolons and decimal commas, English headers with
 * commas, quoting, a byte order mark, and every refusal with its line and
 * column.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "srv_screen_csv.h"
#include "taulu_err.h"

static int parse(const char *text, struct srv_screen_row **rows, size_t *n,
                 struct srv_csv_error *err)
{
    return srv_screen_csv_parse(text, strlen(text), rows, n, err);
}

static void finnish_excel(void **st)
{
    struct srv_screen_row *r;
    struct srv_csv_error err;
    size_t n;

    (void)st;
    assert_int_equal(
        parse("\xef\xbb\xbfnimi;toimipiste;suunta;tarkkuus;halkaisija;"
              "etäisyys\r\n"
              "Aula 1;Tuiran hyvinvointikeskus;vaaka;1920x1080;55;3\r\n"
              "\r\n"
              "\"Aula \"\"2\"\"; yläkerta\";Tuira;pysty;1080 × 1920;43,5;"
              "2,5\r\n",
              &r, &n, &err),
        0);
    assert_int_equal(n, 2);
    assert_string_equal(r[0].name, "Aula 1");
    assert_string_equal(r[0].centre, "Tuiran hyvinvointikeskus");
    assert_string_equal(r[0].orientation, "landscape");
    assert_int_equal(r[0].width_px, 1920);
    assert_int_equal(r[0].height_px, 1080);
    assert_true(r[0].diagonal_in == 55.0);
    assert_true(r[0].distance_m == 3.0);
    assert_int_equal(r[0].line, 2);
    assert_string_equal(r[1].name, "Aula \"2\"; yläkerta");
    assert_string_equal(r[1].orientation, "portrait");
    assert_int_equal(r[1].width_px, 1080);
    assert_true(r[1].diagonal_in == 43.5);
    assert_true(r[1].distance_m == 2.5);
    assert_int_equal(r[1].line, 4);
    free(r);
}

static void english_commas(void **st)
{
    struct srv_screen_row *r;
    struct srv_csv_error err;
    size_t n;

    (void)st;
    assert_int_equal(parse("Distance,Diagonal,Resolution,Orientation,Centre,"
                           "Name\n3,55,1920X1080,Landscape,7,Lobby\n",
                           &r, &n, &err),
                     0);
    assert_int_equal(n, 1);
    assert_string_equal(r[0].name, "Lobby");
    assert_string_equal(r[0].centre, "7");
    free(r);
}

static void refusals(void **st)
{
    static const struct {
        const char *text;
        unsigned line;
        const char *column, *code;
    } cases[] = {
        {"name;centre;orientation;resolution;diagonal\n", 1, "distance",
         "missing_field"},
        {"name;centre;orientation;resolution;diagonal;distance\n", 0, NULL,
         "missing_field"},
        {"name;centre;orientation;resolution;diagonal;distance\n"
         "A;B;sideways;1920x1080;55;3\n",
         2, "orientation", "invalid_value"},
        {"name;centre;orientation;resolution;diagonal;distance\n"
         "A;B;vaaka;1920;55;3\n",
         2, "resolution", "invalid_value"},
        {"name;centre;orientation;resolution;diagonal;distance\n"
         "A;B;vaaka;100x1080;55;3\n",
         2, "resolution", "invalid_value"},
        {"name;centre;orientation;resolution;diagonal;distance\n"
         "A;B;vaaka;1920x1080;500;3\n",
         2, "diagonal", "out_of_range"},
        {"name;centre;orientation;resolution;diagonal;distance\n"
         "A;B;vaaka;1920x1080;55;3m\n",
         2, "distance", "invalid_value"},
        {"name;centre;orientation;resolution;diagonal;distance\n"
         "A;B;vaaka;1920x1080;55\n",
         2, "distance", "missing_field"},
        {"name;centre;orientation;resolution;diagonal;distance\n"
         ";B;vaaka;1920x1080;55;3\n",
         2, "name", "missing_field"},
        {"name;centre;orientation;resolution;diagonal;distance\n"
         "\"A;B;vaaka;1920x1080;55;3\n",
         2, NULL, "bad_csv"},
        {"name;centre;orientation;resolution;diagonal;distance\n"
         "\"A\"x;B;vaaka;1920x1080;55;3\n",
         2, NULL, "bad_csv"},
        {"name;centre;orientation;resolution;diagonal;distance\n"
         "A\x01;B;vaaka;1920x1080;55;3\n",
         2, "name", "invalid_value"},
        {"name;centre\xff;orientation\n", 0, NULL, "invalid_utf8"},
    };
    struct srv_screen_row *r;
    struct srv_csv_error err;
    size_t n;

    (void)st;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        r = (struct srv_screen_row *)1;
        assert_int_equal(parse(cases[i].text, &r, &n, &err), TAULU_EVALUE);
        assert_null(r);
        if (err.line != cases[i].line || strcmp(err.code, cases[i].code) != 0 ||
            (cases[i].column &&
             (!err.column || strcmp(err.column, cases[i].column) != 0))) {
            fail_msg("case %zu: line %u column %s code %s", i, err.line,
                     err.column ? err.column : "-", err.code);
        }
    }
}

static void too_many(void **st)
{
    size_t cap = 64 * (SRV_CSV_MAX_ROWS + 2);
    char *text = malloc(cap);
    struct srv_screen_row *r;
    struct srv_csv_error err;
    size_t n, len;

    (void)st;
    len = (size_t)snprintf(text, cap,
                           "name;centre;orientation;resolution;diagonal;"
                           "distance\n");
    for (int i = 0; i <= SRV_CSV_MAX_ROWS; i++) {
        len += (size_t)snprintf(text + len, cap - len,
                                "N%d;C;vaaka;1920x1080;55;3\n", i);
    }
    assert_int_equal(srv_screen_csv_parse(text, len, &r, &n, &err),
                     TAULU_EVALUE);
    assert_string_equal(err.code, "too_many");
    assert_int_equal(err.line, SRV_CSV_MAX_ROWS + 2);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(finnish_excel),
        cmocka_unit_test(english_commas),
        cmocka_unit_test(refusals),
        cmocka_unit_test(too_many),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
