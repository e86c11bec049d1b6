/*
 * check_bench.c: how long one check_run takes on a 300-character and a
 * 3,000-character Finnish text (the live-typing case: the form re-checks
 * the text as the volunteer types). Prints the median and the 95th
 * percentile in milliseconds. Goals: under 2 ms and 20 ms (p95) for a
 * text checked the first time, under 0.2 ms to re-check an unchanged one.
 *
 *     check_bench [runs]        (default 1000 runs per text)
 *
 * "first": a new engine with an empty cache for each run (a pasted text
 * nobody has checked: each distinct word goes to Voikko once); "cold": no
 * cache at all, every word to Voikko every time (the worst case);
 * "unchanged": the cache
 * is warm and the same text is checked again (the form re-checks after
 * every pause); "typing": one character is added before each run, as
 * while the volunteer types; "no dictionary": the fallback.
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

static double now_ms(void);
static int cmp_double(const void *a, const void *b);

/* The first check of a text: a fresh engine each run, the engine's start-up
 * outside the timing. */
static int bench_first(const char *name, const char *body, size_t len, int runs)
{
    double *t = calloc((size_t)runs, sizeof(double));
    struct check_input in;
    struct check_result res;
    int i, err;

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
        struct check_engine_opts one = {.morph_handles = 1};
        struct check_engine *eng = check_engine_new(&one, &err);
        double t0;

        if (!eng) {
            free(t);
            return 1;
        }
        t0 = now_ms();
        err = check_run(eng, &in, &res);
        t[i] = now_ms() - t0;
        check_engine_free(eng);
        if (err != 0) {
            free(t);
            return 1;
        }
    }
    check_result_release(&res);
    qsort(t, (size_t)runs, sizeof(double), cmp_double);
    printf("%-16s %5zu bytes                median %.3f ms  p95 %.3f ms  "
           "(%d runs)\n",
           name, len, t[runs / 2], t[(size_t)(runs * 95) / 100], runs);
    free(t);
    return 0;
}

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

/* typing: each run checks body[0 .. len - runs + i], so the last word
 * grows by a character at a time */
static int bench(struct check_engine *eng, const char *name, const char *body,
                 size_t len, int runs, int typing)
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
    if (typing) {
        in.body_len = len > (size_t)runs ? len - (size_t)runs : 0;
    }
    for (i = 0; i < runs; i++) {
        double t0;

        if (typing) {
            in.body_len++;
            while (in.body_len < len &&
                   ((unsigned char)body[in.body_len] & 0xC0) == 0x80) {
                in.body_len++; /* whole characters only */
            }
        }
        t0 = now_ms();
        if (check_run(eng, &in, &res) != 0) {
            free(t);
            return 1;
        }
        t[i] = now_ms() - t0;
        findings = res.count;
    }
    check_result_release(&res);
    qsort(t, (size_t)runs, sizeof(double), cmp_double);
    printf("%-16s %5zu bytes %4zu findings  median %.3f ms  p95 %.3f ms  "
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
    struct check_engine_opts cold = {.no_cache = 1};
    unsigned long hits, misses;

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
    eng = check_engine_new(&cold, &err);
    if (!eng) {
        return 1;
    }
    printf("with Finnish morphology: %s\n",
           check_engine_has_morphology(eng) ? "yes" : "no");
    rc |= bench_first("first short", short_text, strlen(short_text),
                      runs < 100 ? runs : 100);
    rc |= bench_first("first long", b.data, b.len, runs < 100 ? runs : 100);
    rc |= bench(eng, "cold short", short_text, strlen(short_text), runs, 0);
    rc |= bench(eng, "cold long", b.data, b.len, runs, 0);
    check_engine_free(eng);

    eng = check_engine_new(NULL, &err);
    if (!eng) {
        return 1;
    }
    rc |=
        bench(eng, "unchanged short", short_text, strlen(short_text), runs, 0);
    rc |= bench(eng, "unchanged long", b.data, b.len, runs, 0);
    rc |= bench(eng, "typing short", short_text, strlen(short_text),
                runs < 200 ? runs : 200, 1);
    rc |=
        bench(eng, "typing long", b.data, b.len, runs < 2000 ? runs : 2000, 1);
    check_engine_cache_stats(eng, &hits, &misses);
    printf("cache: %lu hits, %lu misses (Voikko calls)\n", hits, misses);
    check_engine_free(eng);

    eng = check_engine_new(&nod, &err);
    if (!eng) {
        return 1;
    }
    printf("without morphology:\n");
    rc |= bench(eng, "nodict short", short_text, strlen(short_text), runs, 0);
    rc |= bench(eng, "nodict long", b.data, b.len, runs, 0);
    check_engine_free(eng);
    taulu_buf_release(&b);
    return rc;
}
