/*
 * check_para.c: the rules over paragraphs, as rates.
 *
 * Professional plain language has a long sentence now and then, an
 * everyday compound of 13 letters (seurakuntatalo, hälsocentralen), a
 * passive, an "inte". A warning on each of them taught volunteers that
 * yellow means nothing: no real plain paragraph came out green. What
 * separates plain language from official prose is how much of it there is
 * (docs/checker.md, calibration): the mean sentence length, long words per
 * 100 words, the Wiio or LIX index, subordinate clauses per sentence.
 *
 * So the body is cut into blocks: a paragraph, or paragraphs joined until
 * there are CHECK_P_INDEX_MIN_WORDS words (a rate over 8 words says
 * nothing). Each rate of a block is compared with two limits from
 * check_thresholds.c: "warn", just outside what real plain language has,
 * and "far", well inside official prose. A rate past warn is one strike, a
 * rate past far two. With CHECK_P_HARD_STRIKES strikes the block is not
 * plain language: an error in a version that claims to be plain language
 * (selkokieli, lättläst), a warning in one that does not. With fewer, each
 * rate past its limit is a warning of its own. Negations, passive and
 * participial constructions are style, not a block: they are warnings
 * only.
 *
 * The findings of this file have CHECK_SCOPE_PARAGRAPH: the span is the
 * block, for the form to point at, not words to underline.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check_internal.h"
#include "taulu_buf.h"
#include "taulu_err.h"

/* The measures of a block. */
enum measure {
    M_WPS,         /* mean words per sentence */
    M_LONGEST,     /* the longest sentence, words */
    M_LETTERS,     /* mean letters per word (fi) */
    M_LONG,        /* long words per 100 words (sv) */
    M_INDEX,       /* Wiio (fi) or LIX (sv) */
    M_NOMINALS,    /* nominalisations per 100 words */
    M_OFFICIAL,    /* officialese per 100 words */
    M_PASSIVE,     /* passive share of finite verbs, per cent */
    M_SUBCLAUSES,  /* subordinate clauses per sentence */
    M_NEGATIONS,   /* negations per sentence */
    M_PARTICIPIAL, /* participial constructions per 100 words */
    M_COUNT
};

struct block {
    size_t s0, s1; /* sentences [s0, s1) of the body's statistics */
    struct check_sent_stat sum;
    unsigned longest; /* words in the longest sentence */
    double value[M_COUNT];
    int have[M_COUNT]; /* the measure applies to this block */
    const struct check_threshold *limit[M_COUNT];
};

static void add_stat(struct check_sent_stat *a, const struct check_sent_stat *b)
{
    a->words += b->words;
    a->long_words += b->long_words;
    a->lix_long += b->lix_long;
    a->wiio_words += b->wiio_words;
    a->hard_words += b->hard_words;
    a->subclauses += b->subclauses;
    a->negations += b->negations;
    a->finite_verbs += b->finite_verbs;
    a->passives += b->passives;
    a->participials += b->participials;
    a->word_tokens += b->word_tokens;
    a->letters += b->letters;
    a->nominals += b->nominals;
    a->officialese += b->officialese;
}

static void block_sum(const struct check_sent_stats *st, struct block *b)
{
    size_t i;

    memset(&b->sum, 0, sizeof(b->sum));
    b->longest = 0;
    for (i = b->s0; i < b->s1; i++) {
        add_stat(&b->sum, &st->v[i]);
        if (st->v[i].words > b->longest) {
            b->longest = st->v[i].words;
        }
    }
    b->sum.span.byte_start = st->v[b->s0].span.byte_start;
    b->sum.span.cp_start = st->v[b->s0].span.cp_start;
    b->sum.span.byte_end = st->v[b->s1 - 1].span.byte_end;
    b->sum.span.cp_end = st->v[b->s1 - 1].span.cp_end;
}

/* The different nominalisations (by base form or stem) in sentences
 * [s0, s1): a word repeated is one word for the reader to learn, and a
 * news item repeats its topic (calibration, docs/checker.md). */
static unsigned distinct_nominals(const struct check_deferred_list *l,
                                  size_t s0, size_t s1)
{
    unsigned n = 0;
    size_t i, k;

    for (i = 0; i < l->n; i++) {
        const struct check_deferred *d = &l->v[i];
        int seen = 0;

        if (d->sent < s0 || d->sent >= s1) {
            continue;
        }
        for (k = 0; k < i && !seen; k++) {
            const struct check_deferred *e = &l->v[k];

            seen = e->sent >= s0 && e->sent < s1 && strcmp(e->key, d->key) == 0;
        }
        n += !seen;
    }
    return n;
}

/* The measures of one block for the run's language. */
static void measure(const struct check_ctx *ctx, struct block *b)
{
    const struct check_sent_stat *s = &b->sum;
    unsigned n = (unsigned)(b->s1 - b->s0);
    char f = ctx->family;
    int fi = f == 'f';

    memset(b->have, 0, sizeof(b->have));
    if (s->words == 0 || n == 0) {
        return;
    }
    b->value[M_WPS] = (double)s->words / n;
    b->have[M_WPS] = 1;
    b->limit[M_WPS] = check_threshold_get(fi ? CHECK_P_WPS_FI : CHECK_P_WPS_SV);
    b->value[M_LONGEST] = b->longest;
    b->have[M_LONGEST] = 1;
    b->limit[M_LONGEST] = check_threshold_get(fi ? CHECK_P_SENTENCE_WORDS_FI
                                                 : CHECK_P_SENTENCE_WORDS);
    if (fi && s->word_tokens > 0) {
        /* Finnish words are long anyway: the mean says more than a count
         * of 13-letter words */
        b->value[M_LETTERS] = (double)s->letters / s->word_tokens;
        b->have[M_LETTERS] = 1;
        b->limit[M_LETTERS] = check_threshold_get(CHECK_P_LETTERS_FI);
    } else if (!fi) {
        /* lättläst avoids long compounds: count them */
        b->value[M_LONG] = 100.0 * s->long_words / s->words;
        b->have[M_LONG] = 1;
        b->limit[M_LONG] = check_threshold_get(CHECK_P_LONG_RATE_SV);
    }
    if (fi && ctx->morph && s->wiio_words > 0) {
        b->value[M_INDEX] = 2.7 + 0.3 * (100.0 * s->hard_words / s->wiio_words);
        b->have[M_INDEX] = 1;
        b->limit[M_INDEX] = check_threshold_get(CHECK_P_WIIO);
    } else if (f == 's') {
        b->value[M_INDEX] = b->value[M_WPS] + 100.0 * s->lix_long / s->words;
        b->have[M_INDEX] = 1;
        b->limit[M_INDEX] = check_threshold_get(CHECK_P_LIX);
    }
    if ((fi && ctx->morph) || f == 's') {
        b->value[M_NOMINALS] =
            100.0 * distinct_nominals(&ctx->noms, b->s0, b->s1) / s->words;
        b->have[M_NOMINALS] = 1;
        b->limit[M_NOMINALS] =
            check_threshold_get(fi ? CHECK_P_NOMINALS_FI : CHECK_P_NOMINALS_SV);
    }
    if (fi || f == 's') {
        b->value[M_OFFICIAL] = 100.0 * s->officialese / s->words;
        b->have[M_OFFICIAL] = 1;
        b->limit[M_OFFICIAL] = check_threshold_get(CHECK_P_OFFICIALESE);
        b->value[M_SUBCLAUSES] = (double)s->subclauses / n;
        b->have[M_SUBCLAUSES] = 1;
        b->limit[M_SUBCLAUSES] = check_threshold_get(
            fi ? CHECK_P_SUBCLAUSES_FI : CHECK_P_SUBCLAUSES_SV);
        b->value[M_NEGATIONS] = (double)s->negations / n;
        b->have[M_NEGATIONS] = 1;
        b->limit[M_NEGATIONS] = check_threshold_get(fi ? CHECK_P_NEGATIONS_FI
                                                       : CHECK_P_NEGATIONS_SV);
    }
    if ((f == 's' || (fi && ctx->morph)) && s->finite_verbs > 0) {
        b->value[M_PASSIVE] = 100.0 * s->passives / s->finite_verbs;
        /* three passives at least: "Kahvia tarjotaan." is no habit */
        b->have[M_PASSIVE] = s->passives >= 3;
        b->limit[M_PASSIVE] =
            check_threshold_get(fi ? CHECK_P_PASSIVE_FI : CHECK_P_PASSIVE_SV);
    }
    if (fi && ctx->morph) {
        b->value[M_PARTICIPIAL] = 100.0 * s->participials / s->words;
        b->have[M_PARTICIPIAL] = 1;
        b->limit[M_PARTICIPIAL] = check_threshold_get(CHECK_P_PARTICIPIAL);
    }
}

/* Which measures make a block "not plain language" together: those that
 * separate plain language from official prose in the calibration
 * (docs/checker.md). Clauses, negations and participial constructions
 * are style: warnings of their own. */
static int is_strike_measure(enum measure m)
{
    return m == M_WPS || m == M_LONGEST || m == M_LETTERS || m == M_LONG ||
           m == M_INDEX || m == M_NOMINALS || m == M_OFFICIAL || m == M_PASSIVE;
}

/* A number as the language writes it: 17,5 (fi, sv) or 17.5 (en). */
static void fmt(double v, int decimals, int lang, char *out, size_t sz)
{
    char *p;

    snprintf(out, sz, "%.*f", decimals, v);
    if (lang != CHECK_MSG_EN && (p = strchr(out, '.')) != NULL) {
        *p = ',';
    }
}

static int decimals_of(enum measure m)
{
    return m == M_PASSIVE || m == M_LONGEST || m == M_LONG ? 0 : 1;
}

/* A list of up to `max` distinct example words (with their compound split
 * where known) from deferred list `l` within the block's sentences. */
static void examples(const struct check_deferred_list *l, const struct block *b,
                     size_t max, int longest, char *out, size_t sz)
{
    const struct check_deferred *pick[4];
    size_t n = 0, i, k, len = 0;

    if (max > 4) {
        max = 4;
    }
    for (i = 0; i < l->n; i++) {
        const struct check_deferred *d = &l->v[i];
        int dup = 0;

        if (d->sent < b->s0 || d->sent >= b->s1) {
            continue;
        }
        for (k = 0; k < n; k++) {
            dup |= strcasecmp(pick[k]->word, d->word) == 0;
        }
        if (dup) {
            continue;
        }
        if (n < max) {
            pick[n++] = d;
        } else if (longest) {
            /* keep the longest words: they are the ones to rewrite */
            size_t shortest = 0;

            for (k = 1; k < n; k++) {
                if (strlen(pick[k]->word) < strlen(pick[shortest]->word)) {
                    shortest = k;
                }
            }
            if (strlen(d->word) > strlen(pick[shortest]->word)) {
                pick[shortest] = d;
            }
        }
    }
    out[0] = '\0';
    for (k = 0; k < n; k++) {
        const char *w = pick[k]->note[0] ? pick[k]->note : pick[k]->word;
        int wrote = snprintf(out + len, sz - len, "%s%s", k ? ", " : "", w);

        if (wrote < 0 || (size_t)wrote >= sz - len) {
            break;
        }
        len += (size_t)wrote;
    }
}

static enum check_phrase_id phrase_of(char family, enum measure m)
{
    static const enum check_phrase_id ids[M_COUNT] = {
        CHECK_PH_WPS,         CHECK_PH_LONGEST,     CHECK_PH_LETTERS,
        CHECK_PH_LONG,        CHECK_PH_WIIO,        CHECK_PH_NOMINALS,
        CHECK_PH_OFFICIALESE, CHECK_PH_PASSIVE,     CHECK_PH_SUBCLAUSES,
        CHECK_PH_NEGATIONS,   CHECK_PH_PARTICIPIAL,
    };

    return m == M_INDEX && family == 's' ? CHECK_PH_LIX : ids[m];
}

/* A reason already said by another measure in `mask`: the longest
 * sentence by the mean, Wiio by the letters per word, LIX by the sentence
 * and word lengths it is made of. */
static int redundant(char family, enum measure m, unsigned mask)
{
    if (m == M_LONGEST) {
        return (mask >> M_WPS) & 1u;
    }
    if (m == M_INDEX && family == 'f') {
        return (mask >> M_LETTERS) & 1u;
    }
    if (m == M_INDEX) {
        return ((mask >> M_WPS) & 1u) || ((mask >> M_LONG) & 1u);
    }
    return 0;
}

/* Appends `list[0..n)` to `out` as "a, b ja c". */
static int put_list(struct taulu_buf *out, const char *const *list, size_t n,
                    int lang)
{
    size_t k;

    for (k = 0; k < n; k++) {
        const char *sep = k == 0       ? ""
                          : k + 1 == n ? check_phrase_and(lang)
                                       : ", ";

        if (taulu_buf_puts(out, sep) < 0 || taulu_buf_puts(out, list[k]) < 0) {
            return TAULU_ENOMEM;
        }
    }
    return 0;
}

/* Per language, for the measures in `mask`: the reasons in words into
 * r[l] ("lauseet ovat pitkiä, ja siinä on paljon teonnimiä ja
 * virkakieltä": the statements, then the items after one "siinä on"), the
 * figures behind them into fg[l], and what to do into adv[l] (each advice
 * once). A reason another measure already gives (redundant()) adds only
 * its figure. */
static int describe(const struct check_ctx *ctx, const struct block *b,
                    unsigned mask, struct taulu_buf r[CHECK_MSG_LANGS],
                    struct taulu_buf fg[CHECK_MSG_LANGS],
                    struct taulu_buf adv[CHECK_MSG_LANGS])
{
    int l;

    for (l = 0; l < CHECK_MSG_LANGS; l++) {
        const char *said[M_COUNT], *items[M_COUNT], *advice[M_COUNT];
        size_t ns = 0, ni = 0, na = 0, k;
        unsigned m;
        int err = 0;

        for (m = 0; m < M_COUNT && err == 0; m++) {
            const struct check_phrase *ph;
            char v[32], w[32];
            const char *args[CHECK_MSG_ARGS] = {v, w};
            char *figure;
            int dup = 0;

            if (!((mask >> m) & 1u)) {
                continue;
            }
            ph = check_phrase_get(phrase_of(ctx->family, (enum measure)m));
            fmt(b->value[m], decimals_of((enum measure)m), l, v, sizeof(v));
            fmt(b->limit[m]->warn, decimals_of((enum measure)m), l, w,
                sizeof(w));
            figure = check_msg_expand(ph->figure[l], args);
            if (!figure || taulu_buf_puts(&fg[l], fg[l].len ? "; " : "") < 0 ||
                taulu_buf_puts(&fg[l], figure) < 0) {
                err = TAULU_ENOMEM;
            }
            free(figure);
            if (err || redundant(ctx->family, (enum measure)m, mask)) {
                continue; /* the figure, not the same reason twice */
            }
            if (m == M_LETTERS && ns > 0 && ((mask >> M_WPS) & 1u)) {
                /* "lauseet ja sanat ovat pitkiä", not "lauseet ovat
                 * pitkiä ja sanat ovat pitkiä" */
                said[ns - 1] = check_phrase_get(CHECK_PH_LIX)->reason[l];
            } else if (ph->item) {
                items[ni++] = ph->reason[l];
            } else {
                said[ns++] = ph->reason[l];
            }
            for (k = 0; k < na; k++) {
                dup |= strcmp(advice[k], ph->advice[l]) == 0;
            }
            if (!dup) {
                advice[na++] = ph->advice[l];
            }
        }
        if (err == 0) {
            err = put_list(&r[l], said, ns, l);
        }
        if (err == 0 && ni > 0) {
            if (taulu_buf_puts(&r[l], ns ? check_phrase_then(l) : "") < 0 ||
                taulu_buf_puts(&r[l], check_phrase_has(l)) < 0) {
                err = TAULU_ENOMEM;
            } else {
                err = put_list(&r[l], items, ni, l);
            }
        }
        for (k = 0; err == 0 && k < na; k++) {
            if (taulu_buf_puts(&adv[l], k ? " " : "") < 0 ||
                taulu_buf_puts(&adv[l], advice[k]) < 0) {
                err = TAULU_ENOMEM;
            }
        }
        if (err) {
            return err;
        }
    }
    return 0;
}

/* Adds one finding of the rates in `mask` with message `id`; {1} of the
 * message is `example` (words from the text), {7} the reasons, {8} the
 * figures and {9} what to do, in each language. */
static int add_rate(struct check_ctx *ctx, enum check_msg_id id,
                    enum check_severity sev, const struct block *b,
                    unsigned mask, const char *example)
{
    struct taulu_buf r[CHECK_MSG_LANGS], fg[CHECK_MSG_LANGS];
    struct taulu_buf adv[CHECK_MSG_LANGS];
    const char *largs[CHECK_MSG_LANGS][CHECK_MSG_LARGS];
    const char *args[CHECK_MSG_SHARED] = {example};
    int l, err;

    for (l = 0; l < CHECK_MSG_LANGS; l++) {
        taulu_buf_init(&r[l], 4096);
        taulu_buf_init(&fg[l], 4096);
        taulu_buf_init(&adv[l], 4096);
    }
    err = describe(ctx, b, mask, r, fg, adv);
    for (l = 0; err == 0 && l < CHECK_MSG_LANGS; l++) {
        largs[l][0] = r[l].data;
        largs[l][1] = fg[l].data;
        largs[l][2] = adv[l].data;
    }
    if (err == 0) {
        err = check_add_full(ctx, id, sev, CHECK_FIELD_BODY,
                             CHECK_SCOPE_PARAGRAPH, &b->sum.span, args,
                             (const char *const(*)[CHECK_MSG_LARGS])largs);
    }
    for (l = 0; l < CHECK_MSG_LANGS; l++) {
        taulu_buf_release(&r[l]);
        taulu_buf_release(&fg[l]);
        taulu_buf_release(&adv[l]);
    }
    return err;
}

/* Judges one block. A short body (`short_body`) is judged only as a
 * whole: hard_to_read with CHECK_P_SHORT_STRIKES strikes, else nothing. */
static int judge_block(struct check_ctx *ctx, struct block *b, int short_body)
{
    static const enum check_msg_id ids[M_COUNT] = {
        CHECK_M_SENTENCES_LONG, CHECK_M_COUNT,       CHECK_M_LONG_WORDS,
        CHECK_M_LONG_WORDS,     CHECK_M_WIIO,        CHECK_M_NOMINALS,
        CHECK_M_COUNT,          CHECK_M_PASSIVE,     CHECK_M_SUBCLAUSES,
        CHECK_M_NEGATIONS,      CHECK_M_PARTICIPIAL,
    };
    unsigned strikes = 0, hard_mask = 0, warn_mask = 0, m;
    unsigned strike[M_COUNT] = {0};
    unsigned need =
        (unsigned)check_threshold_get(short_body ? CHECK_P_SHORT_STRIKES
                                                 : CHECK_P_HARD_STRIKES)
            ->warn;
    int plain = ctx->in->plain_language;
    int err;

    measure(ctx, b);
    for (m = 0; m < M_COUNT; m++) {
        const struct check_threshold *th = b->limit[m];
        int far;

        if (!b->have[m] || b->value[m] <= th->warn) {
            continue;
        }
        warn_mask |= 1u << m;
        if (!is_strike_measure((enum measure)m)) {
            continue;
        }
        hard_mask |= 1u << m;
        /* the mean and the longest sentence are one thing, long sentences:
         * they strike once; a sentence past the error limit is an error of
         * its own */
        far = m != M_LONGEST && th->error > 0 && b->value[m] > th->error;
        if (m == M_LONGEST) {
            strike[m] = !((warn_mask >> M_WPS) & 1u);
        } else {
            strike[m] = far ? 2 : 1;
        }
    }
    /* Wiio and LIX are made of the word lengths the letters per word and
     * the long words already measure: one thing, hard words, so the two
     * strike as much as the stronger of them (the calibration counted it
     * twice and made dense plain news red) */
    if (strike[M_INDEX] > strike[M_LETTERS] + strike[M_LONG]) {
        strike[M_LETTERS] = 0;
        strike[M_LONG] = 0;
    } else {
        strike[M_INDEX] = 0;
    }
    for (m = 0; m < M_COUNT; m++) {
        strikes += strike[m];
    }
    if (strikes >= need) {
        if ((err = add_rate(ctx, plain ? CHECK_M_HARD_PLAIN : CHECK_M_HARD,
                            plain ? CHECK_ERROR : CHECK_WARNING, b, hard_mask,
                            NULL)) < 0) {
            return err;
        }
        warn_mask &= ~hard_mask; /* said once, in the one finding */
    }
    if (short_body) {
        return 0; /* one sentence or two: no rate of its own */
    }
    for (m = 0; m < M_COUNT; m++) {
        char ex[200] = "";
        enum check_msg_id id = ids[m];

        if (!((warn_mask >> m) & 1u) || id == CHECK_M_COUNT) {
            continue; /* said word by word: sentence_long, officialese */
        }
        if (m == M_INDEX && ctx->family == 's') {
            id = CHECK_M_LIX;
        }
        if (m == M_LETTERS || m == M_LONG) {
            examples(&ctx->longs, b, 2, 1, ex, sizeof(ex));
        } else if (m == M_NOMINALS) {
            examples(&ctx->noms, b, 2, 0, ex, sizeof(ex));
        } else if (m == M_PASSIVE) {
            examples(&ctx->passives, b, 2, 0, ex, sizeof(ex));
        } else if (m == M_PARTICIPIAL) {
            examples(&ctx->partic, b, 2, 0, ex, sizeof(ex));
        }
        if ((err = add_rate(ctx, id, CHECK_WARNING, b, 1u << m, ex)) < 0) {
            return err;
        }
    }
    return 0;
}

/* Cuts the body into blocks of whole paragraphs with at least
 * CHECK_P_BLOCK_WORDS words each (a short last part joins the block before
 * it; a body of CHECK_P_INDEX_MIN_WORDS words or more that is shorter than
 * that is one block) and judges each. */
static int judge_blocks(struct check_ctx *ctx)
{
    const struct check_sent_stats *st = &ctx->body_stats;
    unsigned min = (unsigned)check_threshold_get(CHECK_P_INDEX_MIN_WORDS)->warn;
    unsigned block = (unsigned)check_threshold_get(CHECK_P_BLOCK_WORDS)->warn;
    unsigned short_min =
        (unsigned)check_threshold_get(CHECK_P_SHORT_WORDS)->warn;
    unsigned total = 0;
    struct block *blocks;
    size_t nb = 0, i, start = 0;
    unsigned words = 0;
    int err = 0;

    if (st->n == 0) {
        return 0;
    }
    for (i = 0; i < st->n; i++) {
        total += st->v[i].words;
    }
    if (total < short_min) {
        return 0; /* too short to judge: the summary only */
    }
    if (total < min) {
        struct block whole;

        memset(&whole, 0, sizeof(whole));
        whole.s0 = 0;
        whole.s1 = st->n;
        block_sum(st, &whole);
        return judge_block(ctx, &whole, 1);
    }
    blocks = calloc(st->n, sizeof(*blocks));
    if (!blocks) {
        return TAULU_ENOMEM;
    }
    for (i = 0; i < st->n; i++) {
        words += st->v[i].words;
        if (i + 1 == st->n || st->v[i + 1].para != st->v[i].para) {
            if (words >= block) {
                blocks[nb].s0 = start;
                blocks[nb].s1 = i + 1;
                nb++;
                start = i + 1;
                words = 0;
            }
        }
    }
    if (start < st->n) {
        if (nb > 0) {
            blocks[nb - 1].s1 = st->n; /* a short tail joins the last */
        } else {
            blocks[nb].s0 = start; /* a short body is one block */
            blocks[nb].s1 = st->n;
            nb++;
        }
    }
    for (i = 0; i < nb; i++) {
        block_sum(st, &blocks[i]);
        if ((err = judge_block(ctx, &blocks[i], 0)) < 0) {
            break;
        }
    }
    free(blocks);
    return err;
}

/* The summary's statistics: the body (or the title when there is no body
 * text), all of it as one block. */
static void summarise_stats(struct check_ctx *ctx)
{
    struct check_summary *sum = &ctx->res->summary;
    const struct check_sent_stats *st =
        ctx->body_stats.n > 0 ? &ctx->body_stats : &ctx->title_stats;
    struct block all;
    size_t i;

    if (st->n == 0) {
        return;
    }
    memset(&all, 0, sizeof(all));
    all.s0 = 0;
    all.s1 = st->n;
    block_sum(st, &all);
    measure(ctx, &all);
    sum->sentences = (unsigned)st->n;
    sum->words = all.sum.words;
    sum->words_per_sentence = all.value[M_WPS];
    for (i = 0; i < st->n; i++) {
        if (st->v[i].words > sum->longest_sentence) {
            sum->longest_sentence = st->v[i].words;
        }
    }
    sum->long_word_share =
        all.sum.words ? (double)all.sum.long_words / all.sum.words : 0.0;
    sum->letters_per_word = all.sum.word_tokens
                                ? (double)all.sum.letters / all.sum.word_tokens
                                : 0.0;
    if (all.have[M_INDEX]) {
        sum->index_kind =
            ctx->family == 's' ? CHECK_INDEX_LIX : CHECK_INDEX_WIIO;
        sum->index_value = all.value[M_INDEX];
    }
    sum->subclauses = all.sum.subclauses;
    sum->negations = all.sum.negations;
    sum->passives = all.sum.passives;
    sum->finite_verbs = all.sum.finite_verbs;
    sum->nominals = all.sum.nominals;
    sum->nominal_words = distinct_nominals(&ctx->noms, 0, st->n);
    sum->participials = all.sum.participials;
    sum->officialese = all.sum.officialese;
}

static int capitals(struct check_ctx *ctx)
{
    size_t k;
    char nc[16];
    int err;

    if (ctx->caps.n <= (size_t)check_threshold_get(CHECK_P_CAPS_WORDS)->warn) {
        return 0;
    }
    snprintf(nc, sizeof(nc), "%zu", ctx->caps.n);
    for (k = 0; k < ctx->caps.n; k++) {
        const struct check_deferred *d = &ctx->caps.v[k];

        if ((err = check_add_span(ctx, CHECK_M_CAPITALS, CHECK_WARNING,
                                  d->field, &d->span, d->word, nc, NULL)) < 0) {
            return err;
        }
    }
    return 0;
}

int check_para_rules(struct check_ctx *ctx, const struct check_text *body)
{
    int err;

    (void)body;
    if (!ctx->family) {
        return 0;
    }
    summarise_stats(ctx);
    if ((err = judge_blocks(ctx)) < 0) {
        return err;
    }
    return capitals(ctx);
}
