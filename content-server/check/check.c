/*
 * check.c: the checker's one entry point, check_run, and its engine.
 *
 * A run: content rules on the raw fields, then (if the fields are valid
 * UTF-8) tokens and sentences, the language rules per field and over the
 * whole version, clock times against the event, the fit hook; finally the
 * findings are sorted and summarised into a traffic light.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check_hyph.h"
#include "check_internal.h"
#include "taulu_err.h"
#include "taulu_log.h"
#include "taulu_utf8.h"

struct check_engine {
    struct check_morph *morph; /* NULL: running without morphology */
    struct check_hyph *hyph;   /* where a too-wide word splits (fit) */
};

struct check_engine *check_engine_new(const struct check_engine_opts *opts,
                                      int *err)
{
    struct check_engine *eng = calloc(1, sizeof(*eng));
    const char *env = getenv("TAULU_CHECK_NO_MORPHOLOGY");
    unsigned handles = opts && opts->morph_handles ? opts->morph_handles : 2;
    int no_morph = (opts && opts->no_morphology) ||
                   (env && env[0] && strcmp(env, "0") != 0);
    int e = 0;

    if (!eng) {
        *err = TAULU_ENOMEM;
        return NULL;
    }
    if (!no_morph) {
        unsigned cache = opts && opts->cache_words ? opts->cache_words : 4096;

        if (opts && opts->no_cache) {
            cache = 0;
        }
        eng->morph =
            check_morph_new(opts ? opts->dict_path : NULL, handles, cache, &e);
        if (!eng->morph && e != TAULU_EUNAVAIL) {
            free(eng);
            *err = e;
            return NULL;
        }
    }
    if (!eng->morph) {
        taulu_notice("check", "running without Finnish morphology%s",
                     no_morph ? " (turned off)" : "");
    }
    {
        struct check_hyph_opts ho = {NULL, opts ? opts->dict_path : NULL,
                                     no_morph};
        eng->hyph = check_hyph_new(&ho, &e);
        if (!eng->hyph) {
            check_engine_free(eng);
            *err = e;
            return NULL;
        }
    }
    *err = 0;
    return eng;
}

void check_engine_free(struct check_engine *eng)
{
    if (!eng) {
        return;
    }
    check_morph_free(eng->morph);
    check_hyph_free(eng->hyph);
    free(eng);
}

int check_engine_has_morphology(const struct check_engine *eng)
{
    return eng && eng->morph != NULL;
}

void check_engine_cache_stats(struct check_engine *eng, unsigned long *hits,
                              unsigned long *misses)
{
    *hits = 0;
    *misses = 0;
    if (eng && eng->morph) {
        check_morph_cache_stats(eng->morph, hits, misses);
    }
}

void check_result_init(struct check_result *res)
{
    memset(res, 0, sizeof(*res));
}

void check_result_release(struct check_result *res)
{
    size_t i;
    int l;

    if (!res) {
        return;
    }
    for (i = 0; i < res->count; i++) {
        for (l = 0; l < CHECK_MSG_LANGS; l++) {
            free(res->findings[i].message[l]);
            free(res->findings[i].details[l]);
        }
    }
    free(res->findings);
    check_result_init(res);
}

const char *check_severity_name(enum check_severity sev)
{
    switch (sev) {
    case CHECK_ERROR:
        return "error";
    case CHECK_WARNING:
        return "warning";
    case CHECK_NOTICE:
        return "notice";
    }
    return "unknown";
}

const char *check_scope_name(enum check_scope scope)
{
    return scope == CHECK_SCOPE_PARAGRAPH ? "paragraph" : "text";
}

const char *check_field_name(enum check_field field)
{
    static const char *const names[CHECK_FIELD_COUNT] = {
        "item",         "title",   "body",          "link",        "image_alt",
        "organisation", "contact", "display_until", "event_start", "event_end",
        "place",        "price",   "registration",  "summary",
    };

    return (unsigned)field < CHECK_FIELD_COUNT ? names[field] : "unknown";
}

const char *check_light_name(enum check_light light)
{
    switch (light) {
    case CHECK_GREEN:
        return "green";
    case CHECK_YELLOW:
        return "yellow";
    case CHECK_RED:
        return "red";
    }
    return "unknown";
}

/* ---- findings ------------------------------------------------------ */

void check_deferred_word(struct check_deferred *d, const char *s, size_t len)
{
    size_t n = len;

    if (n >= sizeof(d->word)) {
        n = sizeof(d->word) - 1;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) {
            n--;
        }
    }
    memcpy(d->word, s, n);
    d->word[n] = '\0';
}

int check_deferred_push(struct check_deferred_list *l,
                        const struct check_deferred *d)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        struct check_deferred *p = realloc(l->v, cap * sizeof(*p));

        if (!p) {
            return TAULU_ENOMEM;
        }
        l->v = p;
        l->cap = cap;
    }
    l->v[l->n++] = *d;
    return 0;
}

void check_deferred_release(struct check_deferred_list *l)
{
    free(l->v);
    memset(l, 0, sizeof(*l));
}

int check_add_full(struct check_ctx *ctx, enum check_msg_id id,
                   enum check_severity sev, enum check_field field,
                   enum check_scope scope, const struct check_span *span,
                   const char *const args[CHECK_MSG_SHARED],
                   const char *const (*largs)[CHECK_MSG_LARGS])
{
    struct check_result *res = ctx->res;
    const struct check_msg *m = check_msg_get(id);
    size_t max = (size_t)check_threshold_get(CHECK_P_MAX_FINDINGS)->error;
    struct check_finding *f;
    int l;

    if (res->count >= max) {
        res->summary.truncated = 1;
        return 0;
    }
    if (res->count == res->cap) {
        size_t cap = res->cap ? res->cap * 2 : 16;
        struct check_finding *p = realloc(res->findings, cap * sizeof(*p));

        if (!p) {
            ctx->oom = 1;
            return TAULU_ENOMEM;
        }
        res->findings = p;
        res->cap = cap;
    }
    f = &res->findings[res->count];
    memset(f, 0, sizeof(*f));
    f->code = m->code;
    f->severity = sev;
    f->field = field;
    f->scope = scope;
    if (span) {
        f->span = *span;
    }
    for (l = 0; l < CHECK_MSG_LANGS; l++) {
        const char *all[CHECK_MSG_ARGS];
        int k;

        for (k = 0; k < CHECK_MSG_SHARED; k++) {
            all[k] = args ? args[k] : NULL;
        }
        for (k = 0; k < CHECK_MSG_LARGS; k++) {
            all[CHECK_MSG_SHARED + k] = largs ? largs[l][k] : NULL;
        }
        f->message[l] = check_msg_expand(m->text[l], all);
        if (m->details[l]) {
            f->details[l] = check_msg_expand(m->details[l], all);
        }
        if (!f->message[l] || (m->details[l] && !f->details[l])) {
            do {
                free(f->message[l]);
                free(f->details[l]);
            } while (l-- > 0);
            ctx->oom = 1;
            return TAULU_ENOMEM;
        }
    }
    res->count++;
    return 0;
}

int check_add_span(struct check_ctx *ctx, enum check_msg_id id,
                   enum check_severity sev, enum check_field field,
                   const struct check_span *span, const char *a1,
                   const char *a2, const char *a3)
{
    const char *args[CHECK_MSG_SHARED] = {a1, a2, a3, NULL, NULL, NULL};

    return check_add_full(ctx, id, sev, field, CHECK_SCOPE_TEXT, span, args,
                          NULL);
}

/* Code point index of byte b: each valid character counts one, and so does
 * each byte of a broken sequence (as taulu_utf8_decode steps over it). */
static size_t cp_index(const char *s, size_t b)
{
    size_t pos = 0, n = 0;

    while (pos < b) {
        uint32_t cp;

        taulu_utf8_decode(s, b, &pos, &cp);
        n++;
    }
    return n;
}

int check_add(struct check_ctx *ctx, enum check_msg_id id,
              enum check_severity sev, enum check_field field, const char *s,
              size_t b0, size_t b1, const char *a1, const char *a2,
              const char *a3)
{
    struct check_span sp = {0, 0, 0, 0};

    if (s) {
        sp.byte_start = b0;
        sp.byte_end = b1;
        sp.cp_start = cp_index(s, b0);
        sp.cp_end = sp.cp_start + cp_index(s + b0, b1 - b0);
    }
    return check_add_span(ctx, id, sev, field, &sp, a1, a2, a3);
}

static int finding_cmp(const void *pa, const void *pb)
{
    const struct check_finding *a = pa, *b = pb;
    int c;

    if (a->field != b->field) {
        return a->field < b->field ? -1 : 1;
    }
    if (a->span.byte_start != b->span.byte_start) {
        return a->span.byte_start < b->span.byte_start ? -1 : 1;
    }
    if (a->span.byte_end != b->span.byte_end) {
        return a->span.byte_end < b->span.byte_end ? -1 : 1;
    }
    if ((c = strcmp(a->code, b->code)) != 0) {
        return c;
    }
    if (a->severity != b->severity) {
        return a->severity > b->severity ? -1 : 1;
    }
    return strcmp(a->message[CHECK_MSG_EN], b->message[CHECK_MSG_EN]);
}

static void summarise(struct check_ctx *ctx)
{
    struct check_result *res = ctx->res;
    struct check_summary *s = &res->summary;
    size_t i;

    if (res->count > 1) {
        qsort(res->findings, res->count, sizeof(res->findings[0]), finding_cmp);
    }
    for (i = 0; i < res->count; i++) {
        switch (res->findings[i].severity) {
        case CHECK_ERROR:
            s->errors++;
            break;
        case CHECK_WARNING:
            s->warnings++;
            break;
        case CHECK_NOTICE:
            s->notices++;
            break;
        }
    }
    s->light = s->errors ? CHECK_RED : s->warnings ? CHECK_YELLOW : CHECK_GREEN;
}

/* Rounds a byte offset into `s` down to a character boundary. */
static size_t char_start(const char *s, size_t len, size_t b)
{
    if (b > len) {
        b = len;
    }
    while (b > 0 && b < len && ((unsigned char)s[b] & 0xC0) == 0x80) {
        b--;
    }
    return b;
}

/* The text of a field as given to check_run, or NULL. */
static const char *field_text(const struct check_input *in, enum check_field f,
                              size_t *len)
{
    switch (f) {
    case CHECK_FIELD_TITLE:
        *len = in->title_len;
        return in->title;
    case CHECK_FIELD_BODY:
        *len = in->body_len;
        return in->body;
    case CHECK_FIELD_SUMMARY:
        *len = in->summary_len;
        return in->summary;
    case CHECK_FIELD_PLACE:
        *len = in->place_len;
        return in->place;
    case CHECK_FIELD_PRICE:
        *len = in->price_len;
        return in->price;
    case CHECK_FIELD_REGISTRATION:
        *len = in->registration_len;
        return in->registration;
    case CHECK_FIELD_CONTACT:
        *len = in->contact_len;
        return in->contact;
    default:
        *len = 0;
        return NULL;
    }
}

/* Where a word splits, "omaishoitaja|valmennus|ryhmä|tapaaminen": its
 * compound parts (Finnish, Voikko's analysis), else the dictionary's break
 * points; "" when neither knows. */
static void word_split(struct check_ctx *ctx, struct check_hyph *hyph,
                       const char *w, size_t len, char *out, size_t size)
{
    size_t at[CHECK_MORPH_MAX_PARTS * 4], n = 0, i, o = 0, from = 0;
    struct check_morph_word mw;
    int k;

    out[0] = '\0';
    if (ctx->morph && ctx->family == 'f' &&
        check_morph_analyse(ctx->morph, w, len, &mw) == 0 && mw.count > 0 &&
        mw.nparts > 1) {
        /* code points of the parts -> bytes */
        size_t pos = 0, cp = 0, part = 1;
        uint32_t c;
        while (pos < len && part < mw.nparts && n < sizeof at / sizeof at[0]) {
            if (cp == mw.part_cp[part]) {
                at[n++] = pos;
                part++;
                continue;
            }
            taulu_utf8_decode(w, len, &pos, &c);
            cp++;
        }
    } else if (hyph) {
        k = check_hyph_points(hyph, ctx->in->lang, w, len, at,
                              sizeof at / sizeof at[0]);
        n = k > 0 ? (size_t)k : 0;
    }
    if (n == 0) {
        return;
    }
    for (i = 0; i <= n && o + 1 < size; i++) {
        size_t to = i < n ? at[i] : len;
        int wr = snprintf(out + o, size - o, "%s%.*s", i ? "|" : "",
                          (int)(to - from), w + from);
        if (wr < 0 || (size_t)wr >= size - o) {
            out[0] = '\0';
            return;
        }
        o += (size_t)wr;
        from = to;
    }
}

/* The renderer's verdict on every screen, as findings with what to do
 * (check.h, struct check_fit_report). */
static int fit_rule(struct check_ctx *ctx, struct check_hyph *hyph)
{
    const struct check_input *in = ctx->in;
    struct check_fit_report *rep;
    size_t i;
    int err = 0;

    if (!in->fit || !in->fit->measure) {
        return 0;
    }
    rep = calloc(1, sizeof *rep);
    if (!rep) {
        ctx->oom = 1;
        return TAULU_ENOMEM;
    }
    err = in->fit->measure(in->fit->ctx, in, rep);
    if (err < 0) {
        taulu_warn("check", "fit measurement failed: %s", taulu_strerror(err));
        free(rep);
        return 0;
    }
    ctx->res->summary.fit_checked = 1;
    for (i = 0; i < rep->n_issues && i < CHECK_FIT_MAX_ISSUES && err == 0;
         i++) {
        struct check_fit_issue *is = &rep->issues[i];
        const char *largs[CHECK_MSG_LANGS][CHECK_MSG_LARGS];
        const char *args[CHECK_MSG_SHARED] = {NULL};
        struct check_span sp = {0, 0, 0, 0};
        enum check_msg_id id = CHECK_M_FIT_PAGES;
        enum check_severity sev = CHECK_ERROR;
        enum check_field field = is->field;
        char split[256] = "";
        size_t flen = 0;
        const char *ftext = field_text(in, field, &flen);
        int l;

        /* the texts come from the hook: keep them terminated */
        is->figures[CHECK_FIT_PROFILE_MAX - 1] = '\0';
        for (l = 0; l < CHECK_MSG_LANGS; l++) {
            is->what[l][CHECK_FIT_TEXT_MAX - 1] = '\0';
            largs[l][0] = is->what[l];
            largs[l][1] = is->figures;
        }
        if (ftext && is->byte_start < is->byte_end && is->byte_end <= flen) {
            sp.byte_start = char_start(ftext, flen, is->byte_start);
            sp.byte_end = char_start(ftext, flen, is->byte_end);
            if (is->byte_end == flen) {
                sp.byte_end = flen;
            }
            sp.cp_start = check_cp_offset(ftext, 0, 0, sp.byte_start);
            sp.cp_end =
                check_cp_offset(ftext, sp.byte_start, sp.cp_start, sp.byte_end);
        } else if (!ftext) {
            field =
                field == CHECK_FIELD_ORGANISATION ? field : CHECK_FIELD_ITEM;
        }
        switch (is->kind) {
        case CHECK_FIT_PAGES:
            id = in->summary_len > 0 ? CHECK_M_FIT_PAGES_SUMMARY
                                     : CHECK_M_FIT_PAGES;
            break;
        case CHECK_FIT_TITLE:
            id = CHECK_M_FIT_TITLE;
            break;
        case CHECK_FIT_WORD:
        case CHECK_FIT_WORD_SPLIT:
            if (ftext && sp.byte_end > sp.byte_start) {
                word_split(ctx, hyph, ftext + sp.byte_start,
                           sp.byte_end - sp.byte_start, split, sizeof split);
            }
            args[0] = split;
            if (is->kind == CHECK_FIT_WORD_SPLIT) {
                id = CHECK_M_FIT_WORD_SPLIT;
                sev = CHECK_WARNING;
            } else {
                id = split[0] ? CHECK_M_FIT_WORD : CHECK_M_FIT_WORD_PLAIN;
            }
            break;
        case CHECK_FIT_LOST:
            id = CHECK_M_FIT_LOST;
            break;
        case CHECK_FIT_NO_ROOM:
            id = CHECK_M_FIT_NO_ROOM;
            break;
        }
        err = check_add_full(ctx, id, sev, field, CHECK_SCOPE_TEXT, &sp, args,
                             (const char *const(*)[CHECK_MSG_LARGS])largs);
    }
    free(rep);
    return err;
}

static int bad_string(const char *s, size_t len)
{
    return s == NULL && len != 0;
}

int check_run(struct check_engine *eng, const struct check_input *in,
              struct check_result *res)
{
    struct check_ctx ctx;
    struct check_text title, body, summary;
    int title_ok = 0, body_ok = 0, summary_ok = 0, err = 0;

    if (!eng || !in || !res || bad_string(in->title, in->title_len) ||
        bad_string(in->body, in->body_len) ||
        bad_string(in->summary, in->summary_len) ||
        bad_string(in->image_alt, in->image_alt_len) ||
        bad_string(in->link, in->link_len) ||
        bad_string(in->place, in->place_len) ||
        bad_string(in->price, in->price_len) ||
        bad_string(in->registration, in->registration_len) ||
        bad_string(in->contact, in->contact_len)) {
        return TAULU_EINVAL;
    }
    check_result_release(res);
    memset(&ctx, 0, sizeof(ctx));
    ctx.in = in;
    ctx.res = res;
    ctx.now = in->now ? in->now : (int64_t)time(NULL);
    ctx.family = check_lang_family(in->lang);
    check_text_init(&title);
    check_text_init(&body);
    check_text_init(&summary);

    if ((err = check_content_rules(&ctx, &title_ok, &body_ok, &summary_ok)) <
        0) {
        goto out;
    }
    if (summary_ok &&
        (err = check_text_parse(&summary, in->summary, in->summary_len)) < 0) {
        goto out;
    }
    if (title_ok &&
        (err = check_text_parse(&title, in->title, in->title_len)) < 0) {
        goto out;
    }
    if (body_ok &&
        (err = check_text_parse(&body, in->body, in->body_len)) < 0) {
        goto out;
    }
    if ((err = check_clock_times(&ctx, CHECK_FIELD_TITLE, &title)) < 0 ||
        (err = check_clock_times(&ctx, CHECK_FIELD_BODY, &body)) < 0 ||
        (err = check_clock_times(&ctx, CHECK_FIELD_SUMMARY, &summary)) < 0) {
        goto out;
    }

    res->summary.language_checked = ctx.family != 0;
    if (ctx.family == 'f') {
        if (eng->morph) {
            ctx.morph = check_morph_acquire(eng->morph);
        } else if ((err = check_add(&ctx, CHECK_M_MORPHOLOGY_UNAVAILABLE,
                                    CHECK_NOTICE, CHECK_FIELD_ITEM, NULL, 0, 0,
                                    NULL, NULL, NULL)) < 0) {
            goto out;
        }
    } else if (!ctx.family) {
        char lang[36];

        snprintf(lang, sizeof(lang), "%.32s", in->lang ? in->lang : "?");
        if ((err = check_add(&ctx, CHECK_M_LANGUAGE_NOT_CHECKED, CHECK_NOTICE,
                             CHECK_FIELD_ITEM, NULL, 0, 0, lang, NULL, NULL)) <
            0) {
            goto out;
        }
    }
    res->summary.morphology = ctx.morph != NULL;
    if ((err = check_language_rules(&ctx, CHECK_FIELD_TITLE, &title)) < 0 ||
        (err = check_language_rules(&ctx, CHECK_FIELD_BODY, &body)) < 0 ||
        (err = check_language_rules(&ctx, CHECK_FIELD_SUMMARY, &summary)) < 0 ||
        (err = check_para_rules(&ctx, &body)) < 0) {
        goto out;
    }
    if ((err = fit_rule(&ctx, eng->hyph)) < 0) {
        goto out;
    }
    summarise(&ctx);
out:
    if (ctx.morph) {
        check_morph_release(eng->morph, ctx.morph);
    }
    check_text_release(&title);
    check_text_release(&body);
    check_text_release(&summary);
    check_deferred_release(&ctx.passives);
    check_deferred_release(&ctx.longs);
    check_deferred_release(&ctx.partic);
    check_deferred_release(&ctx.noms);
    check_deferred_release(&ctx.caps);
    free(ctx.title_stats.v);
    free(ctx.body_stats.v);
    free(ctx.summary_stats.v);
    if (err < 0 || ctx.oom) {
        check_result_release(res);
        return err < 0 ? err : TAULU_ENOMEM;
    }
    return 0;
}
