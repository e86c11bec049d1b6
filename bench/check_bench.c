/*
 * check_bench.c: how long one check_run takes on a 300-character and a
 * 3,000-character Finnish text (the live-typing case: the form re-checks
 * the text as the volunteer types). Prints the median and the 95th
 * percentile in milliseconds. Goal: under 2 ms and 20 ms.
 *
 *     check_bench [runs]        (default 1000 runs per text)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "taulu_buf.h"

/* About 300 characters of an ordinary bulletin. */
static const char short_text[] =
    "Yhdistyksemme järjestää syksyllä vertaistukiryhmän omaishoitajille. "
    "Ryhmä kokoontuu joka tiistai kello 17–19 Raahen kirjastossa. "
    "Ryhmässä voit jutella muiden kanssa ja saada tukea arkeen. "
    "Ryhmä on maksuton, eikä siihen tarvitse ilmoittautua etukäteen. "
    "Lisätietoja antaa Anna Virtanen.";

/* A paragraph of official prose, repeated to about 3,000 characters. */
static const char long_para[] =
    "Yhdistyksemme keskeisenä tavoitteena toimintavuonna on edistää "
    "jäsenistön osallisuutta tarjoamalla mm. monipuolisia "
    "vertaistukitoimintamahdollisuuksista kiinnostuneille suunnattuja "
    "ryhmiä, joita toteutetaan yhteistyössä alueen muiden toimijoiden "
    "kanssa. Toimintaan osallistuu n. 12 500 henkilöä.\n\n";

static double now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

static int bench(struct check_engine *eng, const char *name, const char *body,
                 size_t len, int runs)
{
    double *t = calloc((size_t)runs, sizeof(double));
    struct check_input in;
    struct check_result res;
    size_t findings = 0;
    int i;

    if (!t) {
        return 1;
    }
    memset(&in, 0, sizeof(in));
    in.lang = "fi";
    in.title = "Vertaistukiryhmä omaishoitajille";
    in.title_len = strlen(in.title);
    in.body = body;
    in.body_len = len;
    in.has_organisation = 1;
    in.has_contact = 1;
    in.now = 1763020800;
    in.display_until = 1767214800;
    check_result_init(&res);
    for (i = 0; i < runs; i++) {
        double t0 = now_ms();

        if (check_run(eng, &in, &res) != 0) {
            free(t);
            return 1;
        }
        t[i] = now_ms() - t0;
        findings = res.count;
    }
    check_result_release(&res);
    qsort(t, (size_t)runs, sizeof(double), cmp_double);
    printf("%-6s %5zu bytes %4zu findings  median %.3f ms  p95 %.3f ms  "
           "(%d runs)\n",
           name, len, findings, t[runs / 2], t[(size_t)(runs * 95) / 100],
           runs);
    free(t);
    return 0;
}

int main(int argc, char **argv)
{
    int runs = 1000, err, rc = 0;
    struct taulu_buf b;
    struct check_engine *eng;
    struct check_engine_opts nod = {.no_morphology = 1};

    if (argc > 1) {
        char *end = NULL;
        long v = strtol(argv[1], &end, 10);

        if (!end || *end || v < 1 || v > 1000000) {
            fprintf(stderr, "usage: check_bench [runs 1..1000000]\n");
            return 2;
        }
        runs = (int)v;
    }
    taulu_buf_init(&b, 8192);
    while (b.len < 3000) {
        if (taulu_buf_puts(&b, long_para) < 0) {
            return 1;
        }
    }
    eng = check_engine_new(NULL, &err);
    if (!eng) {
        return 1;
    }
    printf("with Finnish morphology: %s\n",
           check_engine_has_morphology(eng) ? "yes" : "no");
    rc |= bench(eng, "short", short_text, strlen(short_text), runs);
    rc |= bench(eng, "long", b.data, b.len, runs);
    check_engine_free(eng);

    eng = check_engine_new(&nod, &err);
    if (!eng) {
        return 1;
    }
    printf("without morphology:\n");
    rc |= bench(eng, "short", short_text, strlen(short_text), runs);
    rc |= bench(eng, "long", b.data, b.len, runs);
    check_engine_free(eng);
    taulu_buf_release(&b);
    return rc;
}
