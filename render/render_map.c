/*
 * render_map.c: a manifest card + now -> struct render_card and the
 * header band, with the card's own words in Finnish, Swedish and English
 * (see render_map.h).
 */
#include "render_map.h"

#include <stdio.h>
#include <string.h>

#include "layout/theme.h"
#include "taulu_category.h"
#include "taulu_datefmt.h"
#include "taulu_err.h"

/* Bytes a mapped string may take: the manifest's longest field plus the
 * words and dates added to it. */
#define TEXT_LIMIT (TAULU_MANIFEST_MAX_STRING + 1024)

/* The words of a card, per taulu_lang (fi, sv, en). */
struct card_words {
    const char *free_of_charge;
    const char *step_free;
    const char *not_step_free;
    const char *hearing_loop;
    const char *registration;
};

static const struct card_words words[TAULU_LANG_COUNT] = {
    [TAULU_LANG_FI] = {"Maksuton", "Esteetön", "Ei esteetön: portaita",
                       "Induktiosilmukka", "Ilmoittautuminen: "},
    [TAULU_LANG_SV] = {"Avgiftsfri", "Hinderfri", "Inte hinderfri: trappor",
                       "Induktionsslinga", "Anmälan: "},
    [TAULU_LANG_EN] = {"Free", "Step-free", "Not step-free: stairs",
                       "Hearing loop", "Registration: "},
};

/* The datefmt language of a tag: fi, sv, en; anything else reads Finnish. */
static enum taulu_lang lang_of(const char *tag)
{
    int l = tag ? taulu_lang_from_code(tag) : -1;

    return l < 0 ? TAULU_LANG_FI : (enum taulu_lang)l;
}

const char *render_map_word_free(const char *lang)
{
    return words[lang_of(lang)].free_of_charge;
}

const char *render_map_word_cancelled(const char *lang)
{
    return taulu_word_cancelled(lang_of(lang));
}

/* Minutes after local midnight of instant t, or -1. */
static int local_minutes(int64_t t, const struct taulu_tz *tz)
{
    struct taulu_civil cv;

    if (taulu_time_to_civil(t, tz, &cv) < 0) {
        return -1;
    }
    return cv.hour * 60 + cv.min;
}

/* The when row of an event at `now`, and for a recurring one the rule in
 * words under it. */
static int map_when(struct render_map_buf *out, const struct taulu_card *c,
                    const struct taulu_card_version *v, enum taulu_lang l,
                    const struct taulu_tz *tz, int64_t now)
{
    struct taulu_occurrence o = {c->event.start, c->event.end, false};
    int err;

    if (taulu_card_occurrence(c, now, &o) < 0 && c->recur &&
        c->n_occurrences > 0) {
        /* all over (a card that is no longer current): the last one */
        o = c->occurrences[c->n_occurrences - 1];
    }
    if (o.cancelled) {
        err = taulu_fmt_cancelled_when(&out->text[RENDER_MAP_WHEN], l, v->plain,
                                       o.start, o.end, now, tz);
    } else {
        err = taulu_fmt_event_when(&out->text[RENDER_MAP_WHEN], l, v->plain,
                                   o.start, o.end, now, tz);
    }
    if (err == 0 && c->recur) {
        /* The "when" row says the time already when this occurrence is at
         * the rule's own times (not moved by a clock change): the rule's
         * row is then only the days, "joka sunnuntai". */
        int start = c->recur->start_min;
        if (local_minutes(o.start, tz) == start &&
            local_minutes(o.end, tz) == c->recur->end_min % 1440) {
            start = -1;
        }
        err = taulu_fmt_recur(&out->text[RENDER_MAP_REPEAT], l, v->plain,
                              &c->recur->rule, start, c->recur->end_min);
    }
    return err;
}

void render_map_buf_init(struct render_map_buf *b)
{
    size_t i;

    memset(b, 0, sizeof *b);
    for (i = 0; i < RENDER_MAP_TEXTS; i++) {
        taulu_buf_init(&b->text[i], TEXT_LIMIT);
    }
}

void render_map_buf_release(struct render_map_buf *b)
{
    size_t i;

    if (!b) {
        return;
    }
    for (i = 0; i < RENDER_MAP_TEXTS; i++) {
        taulu_buf_release(&b->text[i]);
    }
}

void render_map_header_init(struct render_map_header *h)
{
    memset(h, 0, sizeof *h);
    taulu_buf_init(&h->date, 128);
    taulu_buf_init(&h->clock, 32);
}

void render_map_header_release(struct render_map_header *h)
{
    if (!h) {
        return;
    }
    taulu_buf_release(&h->date);
    taulu_buf_release(&h->clock);
}

/* Joins a meta part with " · " after what the buffer holds. */
static int join(struct taulu_buf *b, const char *part)
{
    int rc = 0;

    if (b->len > 0) {
        rc = taulu_buf_puts(b, " \xc2\xb7 ");
    }
    return rc < 0 ? rc : taulu_buf_puts(b, part);
}

static const char *nz(const struct taulu_buf *b)
{
    return b->len ? b->data : NULL;
}

int render_map_card(struct render_map_buf *out, const struct taulu_card *c,
                    const struct taulu_card_version *v,
                    const struct taulu_tz *tz, int64_t now,
                    const char *image_path)
{
    struct render_card *rc;
    enum taulu_lang l;
    const struct card_words *w;
    size_t i;
    int err = 0;

    if (!out || !c || !v) {
        return TAULU_EINVAL;
    }
    if (!tz) {
        tz = &taulu_tz_helsinki;
    }
    rc = &out->card;
    memset(rc, 0, sizeof *rc);
    for (i = 0; i < RENDER_MAP_TEXTS; i++) {
        taulu_buf_reset(&out->text[i]);
    }
    l = lang_of(v->lang);
    w = &words[l];
    rc->kind =
        c->kind == TAULU_CARD_EVENT ? RENDER_CARD_EVENT : RENDER_CARD_BULLETIN;
    rc->lang = v->lang;
    rc->plain = v->plain;
    rc->title = v->title;
    /* the short screen text, when the version has one; the body is then
     * the full text, for the centre's web page */
    out->shows_summary = v->summary && v->summary[0];
    rc->body = out->shows_summary ? v->summary : v->body;
    if ((unsigned)c->category < RENDER_CATEGORY_COUNT) {
        rc->category = taulu_category_slug(c->category);
        rc->category_label = taulu_category_label(c->category, v->lang, 1);
    }
    rc->where = v->place;
    rc->link = c->link;
    /* the credit line: who it is from (required) and the contact given */
    rc->organisation = c->org;
    rc->contact = v->contact;
    if (c->has_event) {
        err = map_when(out, c, v, l, tz, now);
        if (err < 0) {
            return err;
        }
        if (c->event.free == TAULU_FLAG_YES) {
            err =
                taulu_buf_puts(&out->text[RENDER_MAP_PRICE], w->free_of_charge);
        } else if (v->price) {
            err = taulu_buf_puts(&out->text[RENDER_MAP_PRICE], v->price);
        }
        if (err == 0 && c->event.step_free == TAULU_FLAG_YES) {
            err = join(&out->text[RENDER_MAP_ACCESS], w->step_free);
        } else if (err == 0 && c->event.step_free == TAULU_FLAG_NO) {
            err = join(&out->text[RENDER_MAP_ACCESS], w->not_step_free);
        }
        if (err == 0 && c->event.induction_loop == TAULU_FLAG_YES) {
            err = join(&out->text[RENDER_MAP_ACCESS], w->hearing_loop);
        }
    } else if (v->price) {
        err = taulu_buf_puts(&out->text[RENDER_MAP_PRICE], v->price);
    }
    if (err == 0 && v->registration) {
        err = taulu_buf_appendf(&out->text[RENDER_MAP_REGISTRATION], "%s%s",
                                w->registration, v->registration);
    }
    if (err < 0) {
        return err;
    }
    rc->when = nz(&out->text[RENDER_MAP_WHEN]);
    rc->repeat = nz(&out->text[RENDER_MAP_REPEAT]);
    rc->price = nz(&out->text[RENDER_MAP_PRICE]);
    rc->registration = nz(&out->text[RENDER_MAP_REGISTRATION]);
    rc->accessibility = nz(&out->text[RENDER_MAP_ACCESS]);
    if (c->has_image) {
        rc->image.key = c->image.sha256;
        rc->image.alt = v->image_alt;
        if (image_path && image_path[0]) {
            rc->image.path = image_path;
        }
    }
    return 0;
}

/* Copies s into dst[size], cut at a character boundary, never inside
 * one. */
static void copy_name(char *dst, size_t size, const char *s)
{
    snprintf(dst, size, "%s", s ? s : "");
    if (s && strlen(s) >= size) {
        size_t n = size - 1;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) {
            n--;
        }
        dst[n] = '\0';
    }
}

int render_map_header(struct render_map_header *out, const char *centre,
                      const char *centre_short, const char *lang,
                      const struct taulu_tz *tz, int64_t now, size_t pos,
                      size_t total)
{
    enum taulu_lang l = lang_of(lang);
    int err;

    if (!out) {
        return TAULU_EINVAL;
    }
    if (!tz) {
        tz = &taulu_tz_helsinki;
    }
    copy_name(out->centre, sizeof out->centre, centre);
    copy_name(out->centre_short, sizeof out->centre_short, centre_short);
    taulu_buf_reset(&out->date);
    taulu_buf_reset(&out->clock);
    err = taulu_fmt_date(&out->date, l, false, now, tz);
    if (err == 0) {
        err = taulu_fmt_header_clock(&out->clock, now, tz);
    }
    if (err < 0) {
        return err;
    }
    if (total > 1) {
        snprintf(out->page, sizeof out->page, "%zu / %zu", pos, total);
    } else {
        out->page[0] = '\0';
    }
    out->header.centre = out->centre;
    out->header.date = out->date.data;
    out->header.clock = out->clock.data;
    out->header.page = out->page;
    out->header.centre_short = out->centre_short[0] ? out->centre_short : NULL;
    return 0;
}

const char *render_map_centre_name(const struct taulu_centre *c,
                                   const char *lang)
{
    size_t i;

    if (!c || c->n_name == 0) {
        return NULL;
    }
    for (i = 0; lang && i < c->n_name; i++) {
        if (strcmp(c->name[i].lang, lang) == 0) {
            return c->name[i].text;
        }
    }
    return c->name[0].text;
}

const char *render_map_centre_short(const struct taulu_centre *c,
                                    const char *lang)
{
    const char *name = render_map_centre_name(c, lang);
    const char *name_lang = NULL;
    size_t i;

    if (!name) {
        return NULL;
    }
    for (i = 0; i < c->n_name; i++) {
        if (c->name[i].text == name) {
            name_lang = c->name[i].lang;
        }
    }
    for (i = 0; name_lang && i < c->n_short_name; i++) {
        if (strcmp(c->short_name[i].lang, name_lang) == 0) {
            return c->short_name[i].text;
        }
    }
    return NULL;
}

void render_map_profile(const struct taulu_profile *in,
                        struct render_profile *out)
{
    bool portrait = in->orientation == TAULU_PORTRAIT;

    out->width = in->width_px;
    out->height = in->height_px;
    out->diagonal_in = in->diagonal_in_x10 / 10.0;
    out->distance_m = in->distance_mm / 1000.0;
    if ((portrait && out->width > out->height) ||
        (!portrait && out->height > out->width)) {
        int t = out->width;
        out->width = out->height;
        out->height = t;
    }
}
