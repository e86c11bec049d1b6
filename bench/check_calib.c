/*
 * check_calib.c: measures texts with the checker, for calibrating its
 * thresholds on real published plain language and official prose.
 *
 *     check_calib [-q] [-v] [-c] [-s train|held] [-p 0|1] [-e EXPECT]...
 *                 LANG DIR...
 *
 * Reads every *.txt file of each DIR (kept outside the repository: the
 * project keeps the figures, not the texts). A file holds passages: a line
 * "== Title" starts one, the lines up to the next "==" are its body (blank
 * lines between paragraphs), and lines starting with "#" are comments (the
 * source). Each passage is checked as one text version of a bulletin with
 * plain_language = 1 (or -p 0).
 *
 * Prints one line per passage (unless -q): the light, the error and
 * warning codes, and the statistics (words, sentences, words per sentence,
 * longest sentence, long words per 100 words, Wiio or LIX, subordinate
 * clauses, negations per sentence, passive share); -v adds the messages.
 * Then, per DIR, the share of passages with an error, with an error or a
 * warning, green, and green or with at most one warning, and the 10th,
 * 25th, 50th, 75th and 90th percentile of each statistic. docs/checker.md
 * records what it printed for the calibration and held-out sets.
 *
 * -s train checks only the calibration part of each DIR, -s held only the
 * held-out part (every third passage); -c prints one CSV row per passage
 * instead (name, index, light, words, sentences, words per sentence,
 * longest, long words per 100, index, clauses and negations per sentence,
 * passives, finite verbs, warnings, letters per word, nominalisations and
 * participial constructions per 100 words (nominalisations: different
 * words), officialese, errors other
 * than hard_to_read).
 *
 * -e makes it a regression test (CTest check_calibration_*, registered
 * when the build is configured with TAULU_CALIB_DIR): "red>=89" (at least
 * 89 % of the passages of each DIR with an error), "red<=7", "quiet>=86"
 * (green or at most one warning). It exits 1 if an expectation fails, and
 * 77 (skipped) if a DIR cannot be read: the texts are not in the
 * repository.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "taulu_buf.h"

enum stat {
    S_WPS,
    S_MAX,
    S_LETTERS,
    S_LONG,
    S_INDEX,
    S_NOM,
    S_SUB,
    S_NEG,
    S_PASS,
    S_COUNT
};
static const char *const stat_names[S_COUNT] = {
    "words/sentence",   "longest sentence", "letters/word",
    "long words/100",   "Wiio or LIX",      "nominals/100",
    "clauses/sentence", "negations/sent.",  "passive %",
};

#define MAX_PASSAGES 2000
#define MAX_CODES    64

struct set {
    size_t n, red, flagged, green, quiet;
    double v[S_COUNT][MAX_PASSAGES];
    size_t nv[S_COUNT];
    const char *codes[MAX_CODES];
    size_t code_n[MAX_CODES];
    size_t ncodes;
};

static int quiet, verbose, csv, plain = 1;

/* -e expectations on the share of passages of each DIR, in per cent */
enum share { SH_RED, SH_QUIET };
struct expect {
    enum share share;
    int at_least; /* >= else <= */
    double pct;
};
#define MAX_EXPECT 8
static struct expect expects[MAX_EXPECT];
static size_t nexpects;
/* -s train / -s held: every third passage (the 3rd, 6th, ...) of a
 * directory is held out from the calibration and reported apart. */
static int split = -1; /* -1 all, 0 calibration, 1 held out */
static unsigned seen_passages;
static int no_morph; /* a Finnish passage was checked without Voikko */
static const char *lang;
static struct check_engine *eng;

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void count_code(struct set *st, const char *code)
{
    size_t i;

    for (i = 0; i < st->ncodes; i++) {
        if (strcmp(st->codes[i], code) == 0) {
            st->code_n[i]++;
            return;
        }
    }
    if (st->ncodes < MAX_CODES) {
        st->codes[st->ncodes] = code;
        st->code_n[st->ncodes++] = 1;
    }
}

static void add_value(struct set *st, enum stat s, double v)
{
    if (st->nv[s] < MAX_PASSAGES) {
        st->v[s][st->nv[s]++] = v;
    }
}

static void check_passage(struct set *st, const char *name, unsigned idx,
                          const char *title, const char *body, size_t blen)
{
    struct check_input in;
    struct check_result res;
    const struct check_summary *s;
    size_t i, warnings = 0, other_errors = 0;
    const char *seen[MAX_CODES];
    size_t nseen = 0;

    seen_passages++;
    if (split >= 0 && (seen_passages % 3 == 0) != split) {
        return;
    }
    memset(&in, 0, sizeof(in));
    in.lang = lang;
    in.plain_language = plain;
    in.title = title;
    in.title_len = strlen(title);
    in.body = body;
    in.body_len = blen;
    in.has_organisation = 1;
    in.has_contact = 1;
    in.now = 1763020800;
    in.display_until = 1767214800;
    check_result_init(&res);
    if (check_run(eng, &in, &res) != 0) {
        fprintf(stderr, "%s#%u: check failed\n", name, idx);
        return;
    }
    s = &res.summary;
    no_morph |= strcmp(lang, "fi") == 0 && !s->morphology;
    st->n++;
    if (s->errors) {
        st->red++;
    }
    if (s->errors || s->warnings) {
        st->flagged++;
    }
    if (!s->errors && !s->warnings) {
        st->green++;
    }
    for (i = 0; i < res.count; i++) {
        warnings += res.findings[i].severity == CHECK_WARNING;
        other_errors += res.findings[i].severity == CHECK_ERROR &&
                        strcmp(res.findings[i].code, "hard_to_read") != 0;
    }
    if (!s->errors && warnings <= 1) {
        st->quiet++;
    }
    for (i = 0; i < res.count; i++) {
        const struct check_finding *f = &res.findings[i];
        size_t k;
        int dup = 0;

        if (f->severity == CHECK_NOTICE) {
            continue;
        }
        for (k = 0; k < nseen; k++) {
            dup |= strcmp(seen[k], f->code) == 0;
        }
        if (!dup && nseen < MAX_CODES) {
            seen[nseen++] = f->code;
            count_code(st, f->code);
        }
    }
    add_value(st, S_WPS, s->words_per_sentence);
    add_value(st, S_MAX, s->longest_sentence);
    add_value(st, S_LONG, 100.0 * s->long_word_share);
    add_value(st, S_LETTERS, s->letters_per_word);
    if (s->words) {
        add_value(st, S_NOM, 100.0 * s->nominal_words / s->words);
    }
    if (s->index_kind != CHECK_INDEX_NONE) {
        add_value(st, S_INDEX, s->index_value);
    }
    if (s->sentences) {
        add_value(st, S_SUB, (double)s->subclauses / s->sentences);
        add_value(st, S_NEG, (double)s->negations / s->sentences);
    }
    if (s->finite_verbs) {
        add_value(st, S_PASS, 100.0 * s->passives / s->finite_verbs);
    }
    if (csv) {
        printf("%s,%u,%s,%u,%u,%.2f,%u,%.2f,%.2f,%.3f,%.3f,%u,%u,%u,%.3f,"
               "%.2f,%.2f,%u,%u\n",
               name, idx, check_light_name(s->light), s->words, s->sentences,
               s->words_per_sentence, s->longest_sentence,
               100.0 * s->long_word_share, s->index_value,
               s->sentences ? (double)s->subclauses / s->sentences : 0.0,
               s->sentences ? (double)s->negations / s->sentences : 0.0,
               s->passives, s->finite_verbs, (unsigned)warnings,
               s->letters_per_word,
               s->words ? 100.0 * s->nominal_words / s->words : 0.0,
               s->words ? 100.0 * s->participials / s->words : 0.0,
               s->officialese, (unsigned)other_errors);
    } else if (!quiet) {
        printf("%-28.28s %2u %-6s w=%3u s=%2u wps=%5.1f max=%2u long=%4.1f "
               "idx=%4.1f sub=%.2f neg=%.2f pas=%u/%u ",
               name, idx, check_light_name(s->light), s->words, s->sentences,
               s->words_per_sentence, s->longest_sentence,
               100.0 * s->long_word_share, s->index_value,
               s->sentences ? (double)s->subclauses / s->sentences : 0.0,
               s->sentences ? (double)s->negations / s->sentences : 0.0,
               s->passives, s->finite_verbs);
        for (i = 0; i < res.count; i++) {
            const struct check_finding *f = &res.findings[i];

            if (f->severity != CHECK_NOTICE) {
                printf(" %c:%s", f->severity == CHECK_ERROR ? 'E' : 'W',
                       f->code);
            }
        }
        printf("\n");
        if (verbose) {
            for (i = 0; i < res.count; i++) {
                const struct check_finding *f = &res.findings[i];

                printf("      %s [%.*s]\n        %s\n", f->code,
                       (int)(f->span.byte_end - f->span.byte_start > 60
                                 ? 60
                                 : f->span.byte_end - f->span.byte_start),
                       (f->field == CHECK_FIELD_TITLE ? title : body) +
                           f->span.byte_start,
                       f->message[CHECK_MSG_EN]);
                if (f->details[CHECK_MSG_EN]) {
                    printf("        (%s)\n", f->details[CHECK_MSG_EN]);
                }
            }
        }
    }
    check_result_release(&res);
}

/* Splits one file into passages and checks each. */
static void check_file(struct set *st, const char *path, const char *name)
{
    FILE *f = fopen(path, "rb");
    char line[8192];
    char title[512] = "";
    struct taulu_buf body;
    unsigned idx = 0;
    int open = 0;

    if (!f) {
        perror(path);
        return;
    }
    taulu_buf_init(&body, 1 << 20);
    for (;;) {
        char *got = fgets(line, sizeof(line), f);
        size_t n;

        if (!got || strncmp(line, "==", 2) == 0) {
            if (open) {
                while (body.len > 0 && (body.data[body.len - 1] == '\n' ||
                                        body.data[body.len - 1] == ' ')) {
                    body.len--;
                }
                check_passage(st, name, ++idx, title, body.data, body.len);
            }
            if (!got) {
                break;
            }
            n = strlen(line);
            while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) {
                line[--n] = '\0';
            }
            snprintf(title, sizeof(title), "%.500s",
                     line[2] == ' ' ? line + 3 : line + 2);
            taulu_buf_reset(&body);
            open = 1;
            continue;
        }
        if (line[0] == '#' || !open) {
            continue;
        }
        if (body.len == 0 && line[0] == '\n') {
            continue;
        }
        if (taulu_buf_puts(&body, line) < 0) {
            fprintf(stderr, "%s: too long\n", path);
            break;
        }
    }
    fclose(f);
    taulu_buf_release(&body);
}

/* Parses "red>=89", "red<=7", "quiet>=86"; 0 or -1. */
static int parse_expect(const char *s, struct expect *e)
{
    size_t n;
    char *end;

    if (strncmp(s, "red", 3) == 0) {
        e->share = SH_RED;
        n = 3;
    } else if (strncmp(s, "quiet", 5) == 0) {
        e->share = SH_QUIET;
        n = 5;
    } else {
        return -1;
    }
    if (strncmp(s + n, ">=", 2) == 0) {
        e->at_least = 1;
    } else if (strncmp(s + n, "<=", 2) == 0) {
        e->at_least = 0;
    } else {
        return -1;
    }
    e->pct = strtod(s + n + 2, &end);
    return end == s + n + 2 || *end != '\0' ? -1 : 0;
}

/* 0 if the set meets every -e expectation, else 1 (each miss printed). */
static int check_expects(const struct set *st, const char *dir)
{
    size_t i;
    int bad = 0;

    for (i = 0; i < nexpects; i++) {
        const struct expect *e = &expects[i];
        size_t k = e->share == SH_RED ? st->red : st->quiet;
        double pct = st->n ? 100.0 * (double)k / (double)st->n : 0.0;
        int ok = e->at_least ? pct >= e->pct : pct <= e->pct;

        printf("%s: %s %.1f %% (%zu of %zu), expected %s %g %%: %s\n", dir,
               e->share == SH_RED ? "error" : "green or one warning", pct, k,
               st->n, e->at_least ? ">=" : "<=", e->pct, ok ? "ok" : "FAILED");
        bad |= !ok || st->n == 0;
    }
    return bad;
}

static void print_set(struct set *st, const char *dir)
{
    size_t s, i;

    if (st->n == 0) {
        printf("%s: no passages\n", dir);
        return;
    }
    printf("\n== %s: %zu passages, plain=%d\n", dir, st->n, plain);
    printf("   error %3.0f %%   error or warning %3.0f %%   green %3.0f %%   "
           "green or one warning %3.0f %%\n",
           100.0 * st->red / st->n, 100.0 * st->flagged / st->n,
           100.0 * st->green / st->n, 100.0 * st->quiet / st->n);
    printf("   %-18s %6s %6s %6s %6s %6s\n", "", "p10", "p25", "median", "p75",
           "p90");
    for (s = 0; s < S_COUNT; s++) {
        double *v = st->v[s];
        size_t n = st->nv[s];

        if (n == 0) {
            continue;
        }
        qsort(v, n, sizeof(double), cmp_double);
        printf("   %-18s %6.2f %6.2f %6.2f %6.2f %6.2f\n", stat_names[s],
               v[n / 10], v[n / 4], v[n / 2], v[(3 * n) / 4], v[(9 * n) / 10]);
    }
    printf("   passages with:");
    for (i = 0; i < st->ncodes; i++) {
        printf(" %s %zu", st->codes[i], st->code_n[i]);
    }
    printf("\n");
}

int main(int argc, char **argv)
{
    int i = 1, err, rc = 0;

    while (i < argc && argv[i][0] == '-') {
        if (strcmp(argv[i], "-q") == 0) {
            quiet = 1;
        } else if (strcmp(argv[i], "-v") == 0) {
            verbose = 1;
        } else if (strcmp(argv[i], "-c") == 0) {
            csv = 1;
        } else if (strcmp(argv[i], "-s") == 0 && i + 1 < argc) {
            i++;
            split = strcmp(argv[i], "held") == 0    ? 1
                    : strcmp(argv[i], "train") == 0 ? 0
                                                    : -1;
        } else if (strcmp(argv[i], "-e") == 0 && i + 1 < argc &&
                   nexpects < MAX_EXPECT) {
            if (parse_expect(argv[++i], &expects[nexpects++]) < 0) {
                fprintf(stderr, "check_calib: bad expectation %s\n", argv[i]);
                return 2;
            }
        } else if (strcmp(argv[i], "-p") == 0 && i + 1 < argc) {
            plain = strcmp(argv[++i], "0") != 0;
        } else {
            break;
        }
        i++;
    }
    if (argc - i < 2) {
        fprintf(stderr, "usage: check_calib [-q] [-v] [-c] [-s train|held] "
                        "[-p 0|1] [-e EXPECT]... LANG DIR...\n");
        return 2;
    }
    lang = argv[i++];
    eng = check_engine_new(NULL, &err);
    if (!eng) {
        return 1;
    }
    for (; i < argc; i++) {
        DIR *d = opendir(argv[i]);
        struct dirent *de;
        char *names[1024];
        size_t nn = 0, k;
        struct set *st = calloc(1, sizeof(*st));

        if (!d || !st) {
            perror(argv[i]);
            free(st);
            if (d) {
                closedir(d);
            }
            if (nexpects > 0) {
                rc = 77; /* the texts are not here: skipped, not passed */
                break;
            }
            continue;
        }
        while ((de = readdir(d)) != NULL && nn < 1024) {
            size_t n = strlen(de->d_name);

            if (n > 4 && strcmp(de->d_name + n - 4, ".txt") == 0) {
                names[nn++] = strdup(de->d_name);
            }
        }
        closedir(d);
        qsort(names, nn, sizeof(names[0]), cmp_str);
        for (k = 0; k < nn; k++) {
            char path[4096];

            snprintf(path, sizeof(path), "%s/%s", argv[i], names[k]);
            check_file(st, path, names[k]);
            free(names[k]);
        }
        if (!csv) {
            print_set(st, argv[i]);
        }
        if (nexpects > 0 && no_morph) {
            printf("%s: checked without morphology: the calibration figures "
                   "are with Voikko; skipped\n",
                   argv[i]);
            rc = 77;
        } else if (nexpects > 0 && check_expects(st, argv[i]) && rc == 0) {
            rc = 1;
        }
        seen_passages = 0;
        free(st);
    }
    check_engine_free(eng);
    return rc;
}
