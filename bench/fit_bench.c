/*
 * fit_bench.c: how long the fit gate takes per screen profile: the
 * checker's fit hook of the content server (srv_fit_measure, srv_render.c)
 * on one profile, which lays the card out with the real fonts and reads
 * the renderer's verdict as the player does, then writes what does not fit
 * in three languages. A submission costs this once per distinct profile of
 * its centres and per language version; /check on every pause in typing
 * too. Two cards: a memory café event with a short screen text
 * ("summary": fits one page on most of these profiles, not on the 4K ones
 * at their distances), and the same event with its whole text ("body":
 * does not fit, the issues are composed in three languages). Each run
 * changes one word (a house number), as a volunteer typing does, so the
 * text measurer's cache of shaped words is warm but not for everything.
 * Prints, in milliseconds per profile and card: the first call (it opens
 * the fonts of that size), then the median and the 95th percentile.
 *
 *     fit_bench [runs] [font dir]   (200 runs; fonts: $TAULU_SOURCE_DIR/fonts;
 * FIT_BENCH_SAY=1 prints the sentences in English)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "render_map.h"
#include "srv_render.h"

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

static const struct {
    const char *name;
    int w, h;
    double diag, dist;
} profiles[] = {
    {"55\" 1080p, 3 m", 1920, 1080, 55, 3},
    {"65\" 1080p, 3.5 m", 1920, 1080, 65, 3.5},
    {"43\" 1080p portrait, 2.5 m", 1080, 1920, 43, 2.5},
    {"75\" 1080p, 4 m", 1920, 1080, 75, 4},
    {"43\" 4K, 4 m", 3840, 2160, 43, 4},
    {"86\" 4K, 6 m", 3840, 2160, 86, 6},
};

static const char body_fmt[] =
    "Tule juttelemaan ja juomaan kahvia. Voit tuoda läheisen mukaan. "
    "Paikalla on muistihoitaja. Hän vastaa kysymyksiin muistista. Kahvila "
    "on seurakuntatalossa, Koskitie %d. Kahvilaan ei tarvitse "
    "ilmoittautua.";

int main(int argc, char **argv)
{
    int runs = argc > 1 ? (int)strtol(argv[1], NULL, 10) : 200;
    const char *src = getenv("TAULU_SOURCE_DIR");
    char fonts[1024];
    struct srv_render *sr = NULL;
    double *t;
    size_t p;
    int c, i;

    if (argc > 2) {
        snprintf(fonts, sizeof fonts, "%s", argv[2]);
    } else {
        snprintf(fonts, sizeof fonts, "%s/fonts", src ? src : ".");
    }
    if (runs < 1 || srv_render_new(fonts, &sr) != 0) {
        fprintf(stderr, "fit_bench: no fonts in %s\n", fonts);
        return 1;
    }
    t = calloc((size_t)runs, sizeof *t);
    printf("fit gate per screen profile (srv_fit_measure: layout with the "
           "real fonts, verdict, words), %d runs, ms\n",
           runs);
    printf("%-28s %-8s %8s %8s %8s %7s\n", "profile", "card", "first", "median",
           "p95", "issues");
    for (p = 0; p < sizeof profiles / sizeof profiles[0]; p++) {
        for (c = 0; c < 2; c++) {
            struct srv_profile sp;
            struct render_card card;
            struct taulu_card_version v;
            struct check_input in;
            struct check_fit_report *rep = malloc(sizeof *rep);
            struct srv_fit_ctx ctx;
            char body[512], summary[64];
            double first = 0;

            srv_profile_set(&sp, "Aula", "Tuiran hyvinvointikeskus",
                            profiles[p].w, profiles[p].h, profiles[p].diag,
                            profiles[p].dist);
            for (i = -1; i < runs; i++) {
                double a;
                int n = i < 0 ? 4 : 5 + i;

                snprintf(body, sizeof body, body_fmt, n);
                snprintf(summary, sizeof summary,
                         "Kahvia ja juttua. Koskitie %d.", n);
                memset(&card, 0, sizeof card);
                card.kind = RENDER_CARD_EVENT;
                card.lang = "fi";
                card.plain = true;
                card.category = "ihmissuhteet";
                card.category_label = "Ihmissuhteet";
                card.title = "Muistikahvila";
                card.body = c == 0 ? summary : body;
                card.when = "Huomenna tiistaina 24.11. kello 14–16";
                card.repeat = "joka tiistai";
                card.where = "Seurakuntatalo";
                card.price = "Maksuton";
                card.accessibility = "Esteetön";
                card.organisation = "Oulun Muistiyhdistys";
                memset(&v, 0, sizeof v);
                memcpy(v.lang, "fi", 3);
                v.title = card.title;
                v.body = body;
                v.summary = c == 0 ? summary : NULL;
                v.place = card.where;
                memset(&in, 0, sizeof in);
                in.lang = "fi";
                in.title = v.title;
                in.title_len = strlen(v.title);
                in.body = body;
                in.body_len = strlen(body);
                in.summary = v.summary;
                in.summary_len = v.summary ? strlen(v.summary) : 0;
                in.place = v.place;
                in.place_len = strlen(v.place);
                ctx = (struct srv_fit_ctx){sr, &card, &v, c == 0, &sp, 1};
                a = now_ms();
                if (srv_fit_measure(&ctx, &in, rep) != 0) {
                    fprintf(stderr, "fit_bench: measure failed\n");
                    return 1;
                }
                if (i < 0) {
                    first = now_ms() - a;
                } else {
                    t[i] = now_ms() - a;
                }
            }
            qsort(t, (size_t)runs, sizeof *t, cmp_double);
            printf("%-28s %-8s %8.2f %8.2f %8.2f %7zu\n", profiles[p].name,
                   c == 0 ? "summary" : "body", first, t[runs / 2],
                   t[(size_t)runs * 95 / 100 < (size_t)runs
                         ? (size_t)runs * 95 / 100
                         : (size_t)runs - 1],
                   rep->n_issues);
            if (getenv("FIT_BENCH_SAY")) {
                for (size_t k = 0; k < rep->n_issues; k++) {
                    printf("    %s\n", rep->issues[k].what[2]);
                }
            }
            free(rep);
        }
    }
    free(t);
    srv_render_free(sr);
    return 0;
}
