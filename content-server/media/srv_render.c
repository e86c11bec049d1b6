/*
 * srv_render.c: the renderer library behind one mutex for the server: fit
 * facts from the real layout, the checker's fit hook, preview PNGs (see
 * srv_render.h). The only server file that includes SDL.
 */
#include "srv_render.h"

#include <SDL2/SDL.h>
#include <SDL2/SDL_image.h>
#include <SDL2/SDL_ttf.h>
#include <math.h>
#include <stdbool.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "headless.h"
#include "taulu_category.h"
#include "taulu_err.h"
#include "taulu_log.h"
#include "taulu_utf8.h"
#include "text.h"

#define TAG "render"

/* Distinct text-size sets kept open: one per screen profile in use. A
 * county has a handful of panel types; more than this only costs a
 * reopen. */
#define FONT_SETS 8

/* Preview canvases kept: one per screen profile previewed, the least
 * recently used one replaced. A canvas is the profile's whole frame
 * (about 8 MiB at 1080p, 32 MiB at 4K) with its own fonts, so fewer than
 * the font sets; a profile beyond these only costs a new canvas. */
#define CANVASES 4

/* A kept canvas's text cache, capped as the player's is: a preview is
 * drawn once, and the renderer's default (96 MiB) is for a screen. */
#define CANVAS_CACHE_BYTES (2u * 1024u * 1024u)

struct font_set {
    struct render_sizes sizes;
    struct render_text *text;
    uint64_t used; /* LRU tick */
};

struct canvas {
    struct render_profile profile;
    struct render_headless *h;
    uint64_t used; /* LRU tick */
};

struct srv_render {
    pthread_mutex_t mu; /* SDL_ttf/FreeType: one user at a time */
    char font_dir[512];
    struct font_set sets[FONT_SETS];
    struct canvas canvases[CANVASES];
    uint64_t tick;
    struct render_layout *layout; /* ~100 KiB, reused under mu */
    bool ttf;
};

/* SDL keeps an error buffer per thread (SDL_GetError's, made by SDL_Init,
 * SDL_ClearError and every failure) and frees it only for threads SDL
 * started or at SDL_Quit for the thread that calls it: libmicrohttpd's
 * workers would each leave theirs behind when they end. Every entry point
 * that runs SDL on the caller's thread calls this last; the buffer is
 * made again on the next use. */
static void thread_done(void)
{
    SDL_TLSCleanup();
}

static bool same_sizes(const struct render_sizes *a,
                       const struct render_sizes *b)
{
    return a->body_px == b->body_px && a->title_px == b->title_px &&
           a->secondary_px == b->secondary_px;
}

/* The fonts for `sizes`, opened now or from the cache. Under mu. */
static int fonts_for(struct srv_render *sr, const struct render_sizes *sizes,
                     struct render_text **out)
{
    struct font_set *victim = &sr->sets[0];
    size_t i;
    int rc;

    for (i = 0; i < FONT_SETS; i++) {
        struct font_set *f = &sr->sets[i];
        if (f->text && same_sizes(&f->sizes, sizes)) {
            f->used = ++sr->tick;
            *out = f->text;
            return 0;
        }
        if (!f->text || f->used < victim->used) {
            victim = f;
        }
    }
    if (victim->text) {
        render_text_free(victim->text);
        victim->text = NULL;
    }
    rc = render_text_new(sr->font_dir, sizes, &victim->text);
    if (rc < 0) {
        victim->text = NULL;
        return rc;
    }
    victim->sizes = *sizes;
    victim->used = ++sr->tick;
    *out = victim->text;
    return 0;
}

static bool same_profile(const struct render_profile *a,
                         const struct render_profile *b)
{
    return a->width == b->width && a->height == b->height &&
           a->diagonal_in == b->diagonal_in && a->distance_m == b->distance_m;
}

/* The preview canvas of profile `p`, made now or from the cache. Under
 * mu. */
static int canvas_for(struct srv_render *sr, const struct render_profile *p,
                      struct render_headless **out)
{
    struct canvas *victim = &sr->canvases[0];
    size_t i;
    int rc;

    for (i = 0; i < CANVASES; i++) {
        struct canvas *c = &sr->canvases[i];
        if (c->h && same_profile(&c->profile, p)) {
            c->used = ++sr->tick;
            *out = c->h;
            return 0;
        }
        if (!c->h || (victim->h && c->used < victim->used)) {
            victim = c;
        }
    }
    render_headless_free(victim->h);
    victim->h = NULL;
    rc = render_headless_new(sr->font_dir, p, NULL, &victim->h);
    if (rc < 0) {
        victim->h = NULL;
        return rc;
    }
    render_ctx_set_cache_budget(render_headless_ctx(victim->h),
                                CANVAS_CACHE_BYTES);
    victim->profile = *p;
    victim->used = ++sr->tick;
    *out = victim->h;
    return 0;
}

void srv_render_free(struct srv_render *sr)
{
    size_t i;

    if (!sr) {
        return;
    }
    for (i = 0; i < CANVASES; i++) {
        render_headless_free(sr->canvases[i].h);
    }
    for (i = 0; i < FONT_SETS; i++) {
        render_text_free(sr->sets[i].text);
    }
    free(sr->layout);
    if (sr->ttf) {
        TTF_Quit();
    }
    pthread_mutex_destroy(&sr->mu);
    free(sr);
}

int srv_render_new(const char *font_dir, struct srv_render **out)
{
    static const struct render_profile probe = {1920, 1080, 55.0, 3.0};
    struct render_sizes sz;
    struct render_text *t;
    struct srv_render *sr;
    int rc;

    if (!font_dir || !out || strlen(font_dir) >= sizeof(sr->font_dir)) {
        return TAULU_EINVAL;
    }
    sr = calloc(1, sizeof(*sr));
    if (!sr) {
        return TAULU_ENOMEM;
    }
    /* The server lays cards out to judge them (the fit gate) and to show
     * them (previews): a card that does not fit is an answer for the
     * volunteer here, not a fault of the server's. */
    render_layout_log_verdicts(false);
    pthread_mutex_init(&sr->mu, NULL);
    memcpy(sr->font_dir, font_dir, strlen(font_dir) + 1);
    sr->layout = calloc(1, sizeof(*sr->layout));
    if (!sr->layout) {
        rc = TAULU_ENOMEM;
        goto out;
    }
    if (TTF_Init() != 0) {
        taulu_err(TAG, "TTF_Init: %s", TTF_GetError());
        rc = TAULU_EUNAVAIL;
        goto out;
    }
    sr->ttf = true;
    /* Open the fonts once now: a wrong font directory is found at start,
     * not at the first check. */
    rc = render_sizes_compute(&probe, &sz);
    if (rc == 0) {
        rc = fonts_for(sr, &sz, &t);
    }
    if (rc < 0) {
        taulu_err(TAG, "no usable fonts in %s", font_dir);
    }
out:
    if (rc < 0) {
        srv_render_free(sr);
        return rc;
    }
    *out = sr;
    return 0;
}

void srv_profile_set(struct srv_profile *p, const char *screen,
                     const char *centre, int width, int height,
                     double diagonal_in, double distance_m)
{
    char dist[24], diag[24];
    bool s = screen && screen[0], c = centre && centre[0];

    memset(p, 0, sizeof(*p));
    p->rp.width = width;
    p->rp.height = height;
    p->rp.diagonal_in = diagonal_in;
    p->rp.distance_m = distance_m;
    /* 3 m, 2.5 m; 55", 42.5" */
    if (fabs(distance_m - round(distance_m)) < 0.005) {
        snprintf(dist, sizeof(dist), "%.0f m", distance_m);
    } else {
        snprintf(dist, sizeof(dist), "%.1f m", distance_m);
    }
    if (fabs(diagonal_in - round(diagonal_in)) < 0.005) {
        snprintf(diag, sizeof(diag), "%.0f\"", diagonal_in);
    } else {
        snprintf(diag, sizeof(diag), "%.1f\"", diagonal_in);
    }
    /* Names are cut at the buffer's end by snprintf; a cut inside a
     * character is trimmed back to its start below. */
    snprintf(p->name, sizeof(p->name), "%s%s%s%s%s %d\xc3\x97%d, %s%s",
             s ? screen : "", s ? " (" : "", c ? centre : "", c ? ", " : "",
             diag, width, height, dist, s ? ")" : "");
    snprintf(p->centre, sizeof(p->centre), "%s", c ? centre : "");
    snprintf(p->screen, sizeof(p->screen), "%s", s ? screen : "");
    taulu_utf8_trim_cut(p->screen);
    taulu_utf8_trim_cut(p->name);
    taulu_utf8_trim_cut(p->centre);
}

/* The body and title lines of page 1, and the words broken at a soft
 * hyphen (a drawn hyphen where the text has U+00AD, not a syllable of the
 * renderer's own). */
static void result_of(const struct render_layout *lay,
                      const struct render_card *card, struct srv_fit_result *f)
{
    size_t pg, i;

    memset(f, 0, sizeof *f);
    f->verdict = lay->verdict;
    for (pg = 0; pg < lay->n_pages; pg++) {
        const struct render_page *p = &lay->pages[pg];
        for (i = 0; i < p->n; i++) {
            const struct render_box *b = &p->boxes[i];
            const char *s;
            size_t end, w0, w1, k;
            bool dup = false;

            if (b->kind != RENDER_BOX_TEXT ||
                (b->flags & (RENDER_BOX_OWN_TEXT | RENDER_BOX_REPEAT))) {
                continue;
            }
            f->later_lines += pg > 0;
            if (b->part == RENDER_PART_BODY) {
                f->body_lines += pg == 0;
                if ((int)taulu_utf8_count(b->text, b->len) > f->body_chars) {
                    f->body_chars = (int)taulu_utf8_count(b->text, b->len);
                }
            } else if (pg == 0 && b->part == RENDER_PART_TITLE) {
                f->title_lines++;
            }
            if (!(b->flags & RENDER_LINE_HYPHEN) ||
                (b->flags & (RENDER_LINE_SYLLABLE | RENDER_LINE_CUT_WORD)) ||
                f->n_splits == SRV_FIT_MAX_SPLITS) {
                continue;
            }
            s = render_card_field(card, b->field, b->row);
            if (!s || b->text < s || b->text > s + strlen(s)) {
                continue;
            }
            /* the word around the break: back to a space, on to one */
            end = (size_t)(b->text - s) + b->len;
            w0 = end;
            while (w0 > 0 && s[w0 - 1] != ' ' && s[w0 - 1] != '\n') {
                w0--;
            }
            w1 = end;
            while (s[w1] && s[w1] != ' ' && s[w1] != '\n') {
                w1++;
            }
            while (w1 > w0 && strchr(".,;:!?)\"", s[w1 - 1])) {
                w1--;
            }
            for (k = 0; k < f->n_splits; k++) {
                dup = dup || (f->splits[k].field == b->field &&
                              f->splits[k].byte == w0);
            }
            if (!dup && w1 > w0) {
                f->splits[f->n_splits].field = b->field;
                f->splits[f->n_splits].byte = w0;
                f->splits[f->n_splits].len = w1 - w0;
                f->n_splits++;
            }
        }
    }
}

int srv_render_fit(struct srv_render *sr, const struct render_profile *p,
                   const struct render_card *card, struct srv_fit_result *out)
{
    struct render_sizes sz;
    struct render_text *t;
    struct render_measurer m;
    int rc;

    if (!sr || !p || !card || !out) {
        return TAULU_EINVAL;
    }
    rc = render_sizes_compute(p, &sz);
    if (rc < 0) {
        return rc;
    }
    pthread_mutex_lock(&sr->mu);
    rc = fonts_for(sr, &sz, &t);
    if (rc == 0) {
        render_text_measurer(t, &m);
        rc = render_layout_card(card, p, &sz, &m, sr->layout);
    }
    if (rc == 0) {
        result_of(sr->layout, card, out);
    }
    pthread_mutex_unlock(&sr->mu);
    thread_done();
    return rc;
}

/* ---- the fit check's words ------------------------------------------ */

#define SHY "\xc2\xad"

/* Byte `b` of `soft` (a text with soft hyphens the server put in) as a
 * byte of `raw` (the same text as written): the soft hyphens `raw` does
 * not have are skipped. */
static size_t soft_to_raw(const char *raw, size_t raw_len, const char *soft,
                          size_t b)
{
    size_t i = 0, j = 0;

    while (j < b && soft[j]) {
        if (memcmp(soft + j, SHY, 2) == 0 &&
            (i + 1 >= raw_len || memcmp(raw + i, SHY, 2) != 0)) {
            j += 2;
            continue;
        }
        i++;
        j++;
    }
    return i < raw_len ? i : raw_len;
}

/* The checker's field and span of a renderer field's bytes [b0, b1) (in
 * the card's string). A field whose words the layout wrote itself (the
 * date, "Maksuton" for the free flag) has no span. */
static void place_issue(const struct srv_fit_ctx *fc,
                        const struct check_input *in, enum render_field rf,
                        size_t b0, size_t b1, struct check_fit_issue *out)
{
    const struct taulu_card_version *v = fc->shown;
    const char *cs = render_card_field(fc->card, rf, 0);
    const char *ss = NULL, *rs = NULL;
    size_t rlen = 0, off, clen, slen;

    out->field = CHECK_FIELD_ITEM;
    out->byte_start = out->byte_end = 0;
    switch (rf) {
    case RENDER_FIELD_TITLE:
        out->field = CHECK_FIELD_TITLE;
        ss = v->title;
        rs = in->title;
        rlen = in->title_len;
        break;
    case RENDER_FIELD_BODY:
        out->field = fc->shows_summary ? CHECK_FIELD_SUMMARY : CHECK_FIELD_BODY;
        ss = fc->shows_summary ? v->summary : v->body;
        rs = fc->shows_summary ? in->summary : in->body;
        rlen = fc->shows_summary ? in->summary_len : in->body_len;
        break;
    case RENDER_FIELD_WHERE:
        out->field = CHECK_FIELD_PLACE;
        ss = v->place;
        rs = in->place;
        rlen = in->place_len;
        break;
    case RENDER_FIELD_PRICE:
        out->field = CHECK_FIELD_PRICE;
        ss = v->price;
        rs = in->price;
        rlen = in->price_len;
        break;
    case RENDER_FIELD_REGISTRATION:
        out->field = CHECK_FIELD_REGISTRATION;
        ss = v->registration;
        rs = in->registration;
        rlen = in->registration_len;
        break;
    case RENDER_FIELD_CONTACT:
        out->field = CHECK_FIELD_CONTACT;
        ss = v->contact;
        rs = in->contact;
        rlen = in->contact_len;
        break;
    case RENDER_FIELD_ORGANISATION:
        out->field = CHECK_FIELD_ORGANISATION;
        return;
    default:
        return;
    }
    if (!cs || !ss || !rs) {
        return;
    }
    /* the card's string ends with the version's text ("Ilmoittautuminen: "
     * is the layout's own words before it), or is another text ("Maksuton"
     * for the free flag) */
    clen = strlen(cs);
    slen = strlen(ss);
    if (slen > clen || strcmp(cs + clen - slen, ss) != 0) {
        return;
    }
    off = clen - slen;
    b0 = b0 > off ? b0 - off : 0;
    b1 = b1 > off ? b1 - off : 0;
    out->byte_start = soft_to_raw(rs, rlen, ss, b0 < slen ? b0 : slen);
    out->byte_end = soft_to_raw(rs, rlen, ss, b1 < slen ? b1 : slen);
    if (b1 >= slen) {
        out->byte_end = rlen;
    }
}

/* what[]: "Näytöllä Aula (Tuiran hyvinvointikeskus, vaakanäyttö (55
 * tuumaa), luetaan 3 metrin päästä): <the issue in words>" in fi, sv, en:
 * the screen in the words of those who write for it; its figures go to
 * the finding's details, for the approver. */
static void issue_words(struct check_fit_issue *out,
                        const struct srv_profile *p,
                        const struct render_issue *is,
                        const struct render_card *card)
{
    static const char *const lead[CHECK_MSG_LANGS] = {"Näytöllä", "På skärmen",
                                                      "On the screen"};
    static const char *const langs[CHECK_MSG_LANGS] = {"fi", "sv", "en"};
    char words[CHECK_MSG_LANGS][CHECK_FIT_PROFILE_MAX];
    int l;

    srv_profile_words(p, words);
    snprintf(out->figures, sizeof out->figures, "%s", p->name);
    for (l = 0; l < CHECK_MSG_LANGS; l++) {
        int n = snprintf(out->what[l], sizeof out->what[l],
                         "%s%s%s (%s): ", lead[l], p->screen[0] ? " " : "",
                         p->screen, words[l]);
        if (n < 0 || (size_t)n >= sizeof out->what[l]) {
            n = 0;
        }
        render_issue_text(is, card, langs[l], out->what[l] + n,
                          sizeof out->what[l] - (size_t)n);
    }
}

/* A new issue in the report, or NULL when it is full. */
static struct check_fit_issue *add_issue(struct check_fit_report *rep,
                                         enum check_fit_kind kind)
{
    struct check_fit_issue *is;

    if (rep->n_issues == CHECK_FIT_MAX_ISSUES) {
        rep->more = 1;
        return NULL;
    }
    is = &rep->issues[rep->n_issues++];
    memset(is, 0, sizeof *is);
    is->kind = kind;
    return is;
}

/* Whether the report has a word issue at this place already. */
static bool have_word(const struct check_fit_report *rep,
                      enum check_field field, size_t byte)
{
    size_t i;

    for (i = 0; i < rep->n_issues; i++) {
        const struct check_fit_issue *is = &rep->issues[i];
        if ((is->kind == CHECK_FIT_WORD || is->kind == CHECK_FIT_WORD_SPLIT) &&
            is->field == field && is->byte_start == byte) {
            return true;
        }
    }
    return false;
}

/* The issues of one profile's layout into the report. */
static void profile_issues(const struct srv_fit_ctx *fc,
                           const struct check_input *in,
                           const struct srv_profile *p,
                           const struct srv_fit_result *f,
                           struct check_fit_report *rep)
{
    const struct render_verdict *v = &f->verdict;
    const struct render_issue *pages = NULL;
    struct check_fit_issue *out;
    size_t i, first = rep->n_issues;
    bool refused = false;

    for (i = 0; i < v->n_issues; i++) {
        const struct render_issue *is = &v->issues[i];
        enum check_fit_kind kind;
        struct check_fit_issue where;

        switch (is->kind) {
        case RENDER_ISSUE_TITLE_LINES:
            kind = CHECK_FIT_TITLE;
            break;
        case RENDER_ISSUE_WORD_TOO_WIDE:
        case RENDER_ISSUE_WORD_CUT:
            kind = CHECK_FIT_WORD;
            break;
        case RENDER_ISSUE_NOT_PLACED:
        case RENDER_ISSUE_INVARIANT:
            kind = CHECK_FIT_LOST;
            break;
        case RENDER_ISSUE_NO_ROOM:
            kind = CHECK_FIT_NO_ROOM;
            break;
        case RENDER_ISSUE_CONTINUES:
        case RENDER_ISSUE_SENTENCE_SPLIT:
            /* one "does not fit one page" per screen: the text's own
             * (what to shorten) rather than a row's */
            if (!pages || (is->field == RENDER_FIELD_BODY &&
                           pages->field != RENDER_FIELD_BODY)) {
                pages = is;
            }
            continue;
        case RENDER_ISSUE_LEFT_OUT:
        case RENDER_ISSUE_NONE:
        default:
            continue;
        }
        place_issue(fc, in, is->field, is->byte,
                    kind == CHECK_FIT_WORD ? is->byte + is->len
                                           : (size_t)-1 / 2,
                    &where);
        if (kind == CHECK_FIT_WORD &&
            have_word(rep, where.field, where.byte_start)) {
            continue;
        }
        if (!(out = add_issue(rep, kind))) {
            return;
        }
        out->field = where.field;
        out->byte_start =
            kind == CHECK_FIT_TITLE ? where.byte_start : where.byte_start;
        out->byte_end = where.byte_end;
        if (kind == CHECK_FIT_TITLE) {
            /* the whole title: which line goes over is the layout's */
            out->byte_start = 0;
        }
        issue_words(out, p, is, fc->card);
    }
    if (pages) {
        struct check_fit_issue where;
        place_issue(fc, in, pages->field, pages->byte, (size_t)-1 / 2, &where);
        if ((out = add_issue(rep, CHECK_FIT_PAGES)) != NULL) {
            out->field = where.field;
            out->byte_start = where.byte_start;
            out->byte_end = where.byte_end;
            issue_words(out, p, pages, fc->card);
        }
    }
    /* The gate refuses exactly what render_verdict_gate() (the player's
     * reading) does not call one page: should the issues above say
     * nothing that refuses (a verdict whose issues did not fit its
     * array), the card is refused as not fitting one page all the same. */
    for (i = first; i < rep->n_issues; i++) {
        refused = refused || rep->issues[i].kind != CHECK_FIT_WORD_SPLIT;
    }
    if (!refused && render_verdict_gate(v) != RENDER_GATE_ONE_PAGE &&
        (out = add_issue(rep, render_verdict_gate(v) == RENDER_GATE_LOST
                                  ? CHECK_FIT_LOST
                                  : CHECK_FIT_PAGES)) != NULL) {
        struct render_issue is = {0};
        struct check_fit_issue where;

        is.kind = out->kind == CHECK_FIT_LOST ? RENDER_ISSUE_NOT_PLACED
                                              : RENDER_ISSUE_CONTINUES;
        is.field = RENDER_FIELD_BODY;
        is.page = 1;
        is.lines = f->later_lines > 0 ? f->later_lines : 1;
        place_issue(fc, in, is.field, 0, (size_t)-1 / 2, &where);
        out->field = where.field;
        out->byte_start = where.byte_start;
        out->byte_end = where.byte_end;
        issue_words(out, p, &is, fc->card);
    }
    /* words broken at the server's soft hyphens: shown whole, but the
     * volunteer may rather write them otherwise */
    for (i = 0; i < f->n_splits; i++) {
        struct render_issue is = {0};
        struct check_fit_issue where;

        is.kind = RENDER_ISSUE_WORD_TOO_WIDE;
        is.field = f->splits[i].field;
        is.byte = f->splits[i].byte;
        is.len = f->splits[i].len;
        place_issue(fc, in, is.field, is.byte, is.byte + is.len, &where);
        if (have_word(rep, where.field, where.byte_start) ||
            !(out = add_issue(rep, CHECK_FIT_WORD_SPLIT))) {
            continue;
        }
        out->field = where.field;
        out->byte_start = where.byte_start;
        out->byte_end = where.byte_end;
        issue_words(out, p, &is, fc->card);
    }
}

int srv_fit_measure(void *ctx, const struct check_input *in,
                    struct check_fit_report *out)
{
    const struct srv_fit_ctx *fc = ctx;
    struct srv_fit_result *f;
    size_t i;
    int rc = 0;

    if (!fc || !fc->sr || !fc->card || !fc->shown || !in || !out ||
        fc->n_profiles == 0) {
        return TAULU_EINVAL;
    }
    f = malloc(sizeof *f);
    if (!f) {
        return TAULU_ENOMEM;
    }
    memset(out, 0, sizeof *out);
    for (i = 0; i < fc->n_profiles && rc == 0; i++) {
        rc = srv_render_fit(fc->sr, &fc->profiles[i].rp, fc->card, f);
        if (rc == 0) {
            profile_issues(fc, in, &fc->profiles[i], f, out);
        }
    }
    free(f);
    return rc;
}

/* ---- capacity -------------------------------------------------------- */

int srv_render_capacity(struct srv_render *sr, const struct render_profile *p,
                        const char *lang, struct srv_capacity *out)
{
    /* Short sentences of a plain-language card (shorter than any line),
     * added one at a time until the card needs a second page (a page ends
     * between sentences): the most body lines its one page held. Never
     * more than two pages, so nothing here is "not placed". */
    static const char *const sentence[3] = {
        "Kahvi on ilmaista.", "Kaffet är gratis.", "The coffee is free."};
    int l = lang && strcmp(lang, "fi") == 0   ? 0
            : lang && strcmp(lang, "sv") == 0 ? 1
                                              : 2;
    struct render_card c;
    struct srv_fit_result *f;
    char body[2048];
    size_t n = 0;
    int rc = 0, k;

    if (!sr || !p || !out) {
        return TAULU_EINVAL;
    }
    memset(out, 0, sizeof *out);
    memset(&c, 0, sizeof c);
    c.kind = RENDER_CARD_BULLETIN;
    c.lang = l == 0 ? "fi" : l == 1 ? "sv" : "en";
    c.category = "terveys-hyvinvointi";
    c.category_label = taulu_category_label(TAULU_CATEGORY_HEALTH, c.lang, 1);
    c.title = l == 0 ? "Muistikahvila" : l == 1 ? "Minneskafé" : "Memory café";
    c.body = body;
    c.organisation = l == 0 ? "Oulun Muistiyhdistys" : "Muistiyhdistys";
    f = malloc(sizeof *f);
    if (!f) {
        return TAULU_ENOMEM;
    }
    for (k = 0; rc == 0 && k < 64; k++) {
        n += (size_t)snprintf(body + n, sizeof body - n, "%s%s", n ? " " : "",
                              sentence[l]);
        rc = srv_render_fit(sr, p, &c, f);
        if (rc < 0) {
            break;
        }
        if (f->body_chars > out->chars_per_line) {
            out->chars_per_line = f->body_chars;
        }
        if (f->verdict.pages > 1) {
            break;
        }
        out->body_lines = f->body_lines;
    }
    /* a full line: running text without sentence ends, as wide as the
     * width lets it be (two or three lines of it) */
    if (rc == 0 && out->body_lines > 0) {
        static const char *const words[3] = {
            "kahvia ja pullaa", "kaffe och bulle", "coffee and bun"};
        n = 0;
        while (n + strlen(words[l]) + 2 < 150) {
            n += (size_t)snprintf(body + n, sizeof body - n, "%s%s",
                                  n ? " " : "", words[l]);
        }
        rc = srv_render_fit(sr, p, &c, f);
        if (rc == 0 && f->body_chars > out->chars_per_line) {
            out->chars_per_line = f->body_chars;
        }
    }
    free(f);
    return rc;
}

/* ---- PNG into memory ------------------------------------------------ */

static size_t SDLCALL rw_write(SDL_RWops *rw, const void *ptr, size_t size,
                               size_t num)
{
    struct taulu_buf *b = rw->hidden.unknown.data1;

    if (size == 0 || num == 0) {
        return 0;
    }
    if (num > SIZE_MAX / size || taulu_buf_append(b, ptr, size * num) < 0) {
        SDL_SetError("preview PNG too large");
        return 0;
    }
    return num;
}

static Sint64 SDLCALL rw_size(SDL_RWops *rw)
{
    const struct taulu_buf *b = rw->hidden.unknown.data1;
    return (Sint64)b->len;
}

static Sint64 SDLCALL rw_seek(SDL_RWops *rw, Sint64 off, int whence)
{
    const struct taulu_buf *b = rw->hidden.unknown.data1;

    /* Only "where am I" is possible: the buffer is append-only. */
    if (off == 0 && (whence == RW_SEEK_CUR || whence == RW_SEEK_END)) {
        return (Sint64)b->len;
    }
    return SDL_SetError("preview PNG: cannot seek");
}

static int SDLCALL rw_close(SDL_RWops *rw)
{
    SDL_FreeRW(rw);
    return 0;
}

int srv_png_encode(const uint8_t *rgba, int width, int height, int pitch,
                   struct taulu_buf *png)
{
    SDL_Surface *s;
    SDL_RWops *rw;
    size_t before;
    int rc = 0;

    if (!rgba || !png || width <= 0 || height <= 0) {
        return TAULU_EINVAL;
    }
    before = png->len;
    s = SDL_CreateRGBSurfaceWithFormatFrom((void *)(uintptr_t)rgba, width,
                                           height, 32, pitch,
                                           SDL_PIXELFORMAT_RGBA32);
    rw = SDL_AllocRW();
    if (!s || !rw) {
        taulu_err(TAG, "preview surface: %s", SDL_GetError());
        SDL_FreeSurface(s);
        if (rw) {
            SDL_FreeRW(rw);
        }
        thread_done();
        return TAULU_ENOMEM;
    }
    rw->type = SDL_RWOPS_UNKNOWN;
    rw->write = rw_write;
    rw->size = rw_size;
    rw->seek = rw_seek;
    rw->close = rw_close;
    rw->hidden.unknown.data1 = png;
    if (IMG_SavePNG_RW(s, rw, 1) != 0) {
        taulu_err(TAG, "IMG_SavePNG_RW: %s", IMG_GetError());
        taulu_buf_truncate(png, before);
        rc = TAULU_EIO;
    }
    SDL_FreeSurface(s);
    thread_done();
    return rc;
}

int srv_render_png(struct srv_render *sr, const struct render_profile *p,
                   const struct render_card *card,
                   const struct render_header *header, size_t page,
                   size_t *n_pages, struct taulu_buf *png)
{
    struct render_headless *h = NULL;
    const uint8_t *px;
    int w, hgt, pitch, rc;

    if (!sr || !p || !card || !header || !png) {
        return TAULU_EINVAL;
    }
    pthread_mutex_lock(&sr->mu);
    rc = canvas_for(sr, p, &h);
    if (rc == 0) {
        rc = render_headless_draw(h, card, header, page, n_pages);
    }
    if (rc == 0) {
        render_headless_pixels(h, &px, &w, &hgt, &pitch);
        rc = srv_png_encode(px, w, hgt, pitch, png);
    }
    pthread_mutex_unlock(&sr->mu);
    thread_done();
    return rc;
}

void srv_rgba_shrink(const uint8_t *rgba, int width, int height, int pitch,
                     uint8_t *out, int dw, int dh)
{
    int x, y, c;

    for (y = 0; y < dh; y++) {
        int y0 = (int)((int64_t)y * height / dh);
        int y1 = (int)((int64_t)(y + 1) * height / dh);

        y1 = y1 > y0 ? y1 : y0 + 1;
        for (x = 0; x < dw; x++) {
            int x0 = (int)((int64_t)x * width / dw);
            int x1 = (int)((int64_t)(x + 1) * width / dw);
            uint32_t sum[4] = {0, 0, 0, 0};
            uint32_t n;
            int sx, sy;

            x1 = x1 > x0 ? x1 : x0 + 1;
            n = (uint32_t)((x1 - x0) * (y1 - y0));
            for (sy = y0; sy < y1; sy++) {
                const uint8_t *row = rgba + (size_t)sy * (size_t)pitch;
                for (sx = x0; sx < x1; sx++) {
                    for (c = 0; c < 4; c++) {
                        sum[c] += row[(size_t)sx * 4 + (size_t)c];
                    }
                }
            }
            for (c = 0; c < 4; c++) {
                out[((size_t)y * (size_t)dw + (size_t)x) * 4 + (size_t)c] =
                    (uint8_t)((sum[c] + n / 2) / n);
            }
        }
    }
}

int srv_render_png_scaled(struct srv_render *sr, const struct render_profile *p,
                          const struct render_card *card,
                          const struct render_header *header, size_t page,
                          int max_side, size_t *n_pages, struct taulu_buf *png,
                          int *w, int *h)
{
    struct render_headless *hl = NULL;
    const uint8_t *px;
    uint8_t *small = NULL;
    int sw, shgt, pitch, dw, dh, rc;

    if (!sr || !p || !card || !header || !png || max_side < 16) {
        return TAULU_EINVAL;
    }
    pthread_mutex_lock(&sr->mu);
    rc = canvas_for(sr, p, &hl);
    if (rc == 0) {
        rc = render_headless_draw(hl, card, header, page, n_pages);
    }
    if (rc == 0) {
        render_headless_pixels(hl, &px, &sw, &shgt, &pitch);
        dw = sw;
        dh = shgt;
        if (sw >= shgt && sw > max_side) {
            dw = max_side;
            dh = (int)(((int64_t)shgt * max_side + sw / 2) / sw);
        } else if (shgt > sw && shgt > max_side) {
            dh = max_side;
            dw = (int)(((int64_t)sw * max_side + shgt / 2) / shgt);
        }
        dw = dw < 1 ? 1 : dw;
        dh = dh < 1 ? 1 : dh;
        if (dw == sw && dh == shgt) {
            rc = srv_png_encode(px, sw, shgt, pitch, png);
        } else if (!(small = malloc((size_t)dw * (size_t)dh * 4))) {
            rc = TAULU_ENOMEM;
        } else {
            srv_rgba_shrink(px, sw, shgt, pitch, small, dw, dh);
            rc = srv_png_encode(small, dw, dh, dw * 4, png);
        }
        if (rc == 0 && w) {
            *w = dw;
        }
        if (rc == 0 && h) {
            *h = dh;
        }
    }
    pthread_mutex_unlock(&sr->mu);
    free(small);
    thread_done();
    return rc;
}
