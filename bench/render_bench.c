/*
 * render_bench.c: how long the layout of one card takes on 4K screens with
 * the real fonts (SDL_ttf measuring, as in the player and the server's
 * fit check): the solver tries its arrangements, flows the text and ends
 * with the verification. Prints the median and the 95th percentile in
 * milliseconds per card kind and profile, and the first layout of each
 * card on a fresh canvas ("cold": the fonts' measure cache, text.c, holds
 * only the cards before it). The player lays a card out when the manifest
 * changes, not per frame; the server once per profile on every pause in
 * typing (goal: a few milliseconds).
 *
 *     render_bench [runs] [font dir]   (default 200 runs,
 * $TAULU_SOURCE_DIR/fonts)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "headless.h"

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

static const struct render_agenda_row rows[] = {
    {"Tänään ti 24.11.", "klo 10–11", "Vauvaperhekahvila"},
    {"Tänään ti 24.11.", "klo 14–16", "Muistikahvila"},
    {"Huomenna ke 25.11.", "klo 9.30–11", "Tuolijumppa ikäihmisille"},
    {"Huomenna ke 25.11.", "klo 17–19", "Vertaistukiryhmä omaishoitajille"},
    {"to 26.11.", "klo 12", "Ruoka-apu: jako seurakuntatalolla"},
    {"to 26.11.", "klo 18–20", "Kuoroharjoitukset"},
    {"pe 27.11.", "klo 10–12", "Kansalaisopiston tietokonekurssi"},
    {"pe 27.11.", "klo 13", "Lukupiiri kirjastossa"},
};

static const char long_body[] =
    "Muistikahvila on avoin kaikille. Tule juttelemaan ja juomaan kahvia. "
    "Voit tuoda läheisen mukaan. Kahvilassa on vapaaehtoisia, jotka "
    "auttavat. Tilassa on induktiosilmukka.\n\nKahvi ja pulla maksavat 2 €. "
    "Ilmoittautua ei tarvitse. Soita numeroon 040 123 4567, jos sinulla on "
    "kysyttävää. Kahvila on auki joka tiistai klo 14–16.";

struct bench_card {
    const char *name;
    struct render_card card;
};

static struct bench_card cards[] = {
    {"event",
     {.kind = RENDER_CARD_EVENT,
      .lang = "fi",
      .plain = true,
      .category = "ihmissuhteet",
      .category_label = "Ihmissuhteet",
      .title = "Muistikahvila",
      .body = "Tule juttelemaan ja juomaan kahvia. Voit tuoda läheisen "
              "mukaan.",
      .when = "Tänään ti 24.11. klo 14–16",
      .where = "Seurakuntatalo, Kirkkotie 5",
      .price = "Maksuton",
      .registration = "Ei ilmoittautumista",
      .accessibility = "Esteetön · Induktiosilmukka",
      .link = "https://muistiyhdistys.example.fi/kahvila",
      .organisation = "Oulun Muistiyhdistys ry",
      .contact = "puh. 040 123 4567"}},
    {"bulletin",
     {.kind = RENDER_CARD_BULLETIN,
      .lang = "sv",
      .category = "terveys-hyvinvointi",
      .category_label = "Hälsa",
      .title = "Influensa\xc2\xadvaccinationerna börjar",
      .body = "Boka tid i förväg. Ring 040 765 4321 om du har frågor.",
      .organisation = "Uleåborgs stad"}},
    {"long",
     {.kind = RENDER_CARD_BULLETIN,
      .lang = "fi",
      .category = "toimeentulo",
      .category_label = "Toimeentulo",
      .title = "Omaishoitajavalmennusryhmätapaaminen",
      .body = long_body}},
    {"agenda",
     {.kind = RENDER_CARD_AGENDA,
      .lang = "fi",
      .title = "Tulevat tapahtumat",
      .rows = rows,
      .n_rows = sizeof rows / sizeof rows[0]}},
};

static const struct {
    const char *name;
    struct render_profile p;
} profiles[] = {
    {"43\" 4K 4 m", {3840, 2160, 43.0, 4.0}},
    {"86\" 4K 6 m", {3840, 2160, 86.0, 6.0}},
    {"55\" 4K portrait 3 m", {2160, 3840, 55.0, 3.0}},
};

int main(int argc, char **argv)
{
    int runs = 200, rc = 0;
    char fonts[1024];
    const char *src = getenv("TAULU_SOURCE_DIR");

    if (argc > 1) {
        char *end = NULL;
        long v = strtol(argv[1], &end, 10);

        if (!end || *end || v < 1 || v > 100000) {
            fprintf(stderr, "usage: render_bench [runs 1..100000] [fonts]\n");
            return 2;
        }
        runs = (int)v;
    }
    snprintf(fonts, sizeof fonts, "%s", argc > 2 ? argv[2] : "");
    if (!fonts[0]) {
        snprintf(fonts, sizeof fonts, "%s/fonts", src ? src : ".");
    }
    double *t = calloc((size_t)runs, sizeof(double));
    struct render_layout *L = calloc(1, sizeof *L);
    if (!t || !L) {
        free(t);
        free(L);
        return 1;
    }
    for (size_t k = 0; k < sizeof profiles / sizeof profiles[0]; k++) {
        struct render_headless *h = NULL;
        if (render_headless_new(fonts, &profiles[k].p, NULL, &h) != 0) {
            fprintf(stderr, "render_bench: no fonts in %s\n", fonts);
            rc = 1;
            break;
        }
        struct render_ctx *ctx = render_headless_ctx(h);
        for (size_t c = 0; c < sizeof cards / sizeof cards[0]; c++) {
            double c0 = now_ms();
            if (render_ctx_layout_card(ctx, &cards[c].card, L) != 0) {
                rc = 1;
            }
            double cold = now_ms() - c0;
            for (int i = 0; i < runs; i++) {
                double t0 = now_ms();
                if (render_ctx_layout_card(ctx, &cards[c].card, L) != 0) {
                    rc = 1;
                }
                t[i] = now_ms() - t0;
            }
            qsort(t, (size_t)runs, sizeof(double), cmp_double);
            printf("%-20s %-8s %zu page(s) %-8s cold %.3f ms  median %.3f ms"
                   "  p95 %.3f ms  (%d runs)\n",
                   profiles[k].name, cards[c].name, L->n_pages,
                   render_fit_name(L->verdict.fit), cold, t[runs / 2],
                   t[(size_t)(runs * 95) / 100], runs);
        }
        render_headless_free(h);
    }
    free(t);
    free(L);
    return rc;
}
