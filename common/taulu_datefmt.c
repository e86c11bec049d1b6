/*
 * taulu_datefmt.c: Finnish, Swedish and English dates and times for the
 * screen and the web UI (see taulu_datefmt.h and accessibility.md).
 *
 * Each public function composes its whole text in a small stack buffer and
 * appends it to the caller's taulu_buf in one call, so a full buffer never
 * ends up holding half a date.
 */
#include "taulu_datefmt.h"
#include "taulu_err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define EN_DASH "\xe2\x80\x93" /* U+2013 */

/* Indexed by ISO weekday - 1 (Monday first). */
static const char *const fi_wday[7] = {"ma", "ti", "ke", "to",
                                       "pe", "la", "su"};
/* Plain-language Finnish writes the weekday in full, in the essive ("on
 * Tuesday"), which reads naturally before a date. */
static const char *const fi_wday_plain[7] = {
    "maanantaina", "tiistaina",  "keskiviikkona", "torstaina",
    "perjantaina", "lauantaina", "sunnuntaina"};
static const char *const sv_wday[7] = {"mån", "tis", "ons", "tors",
                                       "fre", "lör", "sön"};
static const char *const sv_wday_plain[7] = {
    "måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag"};
static const char *const en_wday[7] = {"Mon", "Tue", "Wed", "Thu",
                                       "Fri", "Sat", "Sun"};
static const char *const en_wday_plain[7] = {"Monday",   "Tuesday", "Wednesday",
                                             "Thursday", "Friday",  "Saturday",
                                             "Sunday"};
static const char *const en_month[12] = {"Jan", "Feb", "Mar", "Apr",
                                         "May", "Jun", "Jul", "Aug",
                                         "Sep", "Oct", "Nov", "Dec"};
static const char *const en_month_plain[12] = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};

static const char *const lang_codes[TAULU_LANG_COUNT] = {"fi", "sv", "en"};

int taulu_lang_from_code(const char *code)
{
    int i;

    if (!code) {
        return -1;
    }
    for (i = 0; i < TAULU_LANG_COUNT; i++) {
        if (strcmp(code, lang_codes[i]) == 0) {
            return i;
        }
    }
    return -1;
}

const char *taulu_lang_code(enum taulu_lang lang)
{
    if ((unsigned)lang >= TAULU_LANG_COUNT) {
        return "?";
    }
    return lang_codes[lang];
}

/* The text being composed. The longest possible result (a two-day English
 * plain-language event with a relative label) is under 80 bytes; `full`
 * records overflow all the same rather than trusting that. */
struct line {
    char d[192];
    size_t n;
    bool full;
};

static void line_putf(struct line *l, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void line_putf(struct line *l, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (l->full) {
        return;
    }
    va_start(ap, fmt);
    n = vsnprintf(l->d + l->n, sizeof l->d - l->n, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof l->d - l->n) {
        l->full = true;
        return;
    }
    l->n += (size_t)n;
}

static int line_flush(const struct line *l, struct taulu_buf *out)
{
    if (l->full) {
        return TAULU_ELIMIT;
    }
    return taulu_buf_append(out, l->d, l->n);
}

static bool lang_ok(enum taulu_lang lang)
{
    return (unsigned)lang < TAULU_LANG_COUNT;
}

/* Local civil time of t, or false for an instant civil time cannot hold. */
static bool to_local(int64_t t, const struct taulu_tz *tz,
                     struct taulu_civil *c)
{
    return taulu_time_to_civil(t, tz, c) == TAULU_OK;
}

static bool same_date(const struct taulu_civil *a, const struct taulu_civil *b)
{
    return a->year == b->year && a->month == b->month && a->day == b->day;
}

/* The end of an event as the reader expects it: an end exactly at a local
 * midnight belongs to the day before, at 24 o'clock ("klo 20–24"), not to
 * the next day at 0. */
static bool end_to_local(int64_t end, const struct taulu_tz *tz,
                         struct taulu_civil *c)
{
    if (taulu_time_day_start(end, tz) == end) {
        if (!to_local(end - 1, tz, c)) {
            return false;
        }
        c->hour = 24;
        c->min = 0;
        c->sec = 0;
        return true;
    }
    return to_local(end, tz, c);
}

static void put_date(struct line *l, enum taulu_lang lang, bool plain,
                     const struct taulu_civil *c)
{
    int w = c->wday - 1;

    switch (lang) {
    case TAULU_LANG_FI:
        line_putf(l, "%s %d.%d.", plain ? fi_wday_plain[w] : fi_wday[w], c->day,
                  c->month);
        break;
    case TAULU_LANG_SV:
        line_putf(l, "%s %d.%d", plain ? sv_wday_plain[w] : sv_wday[w], c->day,
                  c->month);
        break;
    case TAULU_LANG_EN:
        line_putf(l, "%s %d %s", plain ? en_wday_plain[w] : en_wday[w], c->day,
                  plain ? en_month_plain[c->month - 1]
                        : en_month[c->month - 1]);
        break;
    }
}

/* "Tänään " etc. when t is on now's day or the next, else nothing; in
 * lower case after another word ("Peruttu tänään"). */
static void put_relative(struct line *l, enum taulu_lang lang, int64_t t,
                         int64_t now, const struct taulu_tz *tz, bool lower)
{
    static const char *const today[2][TAULU_LANG_COUNT] = {
        {"Tänään", "I dag", "Today"}, {"tänään", "i dag", "today"}};
    static const char *const tomorrow[2][TAULU_LANG_COUNT] = {
        {"Huomenna", "I morgon", "Tomorrow"},
        {"huomenna", "i morgon", "tomorrow"}};
    int diff = taulu_time_day_diff(now, t, tz);

    if (diff == 0) {
        line_putf(l, "%s ", today[lower][lang]);
    } else if (diff == 1) {
        line_putf(l, "%s ", tomorrow[lower][lang]);
    }
}

static const char *const cancelled_word[TAULU_LANG_COUNT] = {
    "Peruttu", "Inställt", "Cancelled"};

const char *taulu_word_cancelled(enum taulu_lang lang)
{
    return cancelled_word[lang_ok(lang) ? lang : TAULU_LANG_FI];
}

/* A clock reading: Finnish "14", "9.30"; Swedish and English "14.00",
 * "9.30". Never a leading zero on the hour. */
static void put_clock(struct line *l, enum taulu_lang lang, int hour, int min)
{
    if (lang == TAULU_LANG_FI && min == 0) {
        line_putf(l, "%d", hour);
    } else {
        line_putf(l, "%d.%02d", hour, min);
    }
}

/* "klo " / "kello ", "kl. " / "klockan ", nothing in English. Plain
 * language avoids abbreviations, in Swedish as in Finnish. */
static void put_clock_word(struct line *l, enum taulu_lang lang, bool plain)
{
    switch (lang) {
    case TAULU_LANG_FI:
        line_putf(l, "%s", plain ? "kello " : "klo ");
        break;
    case TAULU_LANG_SV:
        line_putf(l, "%s", plain ? "klockan " : "kl. ");
        break;
    case TAULU_LANG_EN:
        break;
    }
}

int taulu_fmt_date(struct taulu_buf *out, enum taulu_lang lang, bool plain,
                   int64_t t, const struct taulu_tz *tz)
{
    struct line l = {.n = 0};
    struct taulu_civil c;

    if (!out || !lang_ok(lang) || !to_local(t, tz, &c)) {
        return TAULU_EINVAL;
    }
    put_date(&l, lang, plain, &c);
    return line_flush(&l, out);
}

int taulu_fmt_day(struct taulu_buf *out, enum taulu_lang lang, bool plain,
                  int64_t t, int64_t now, const struct taulu_tz *tz)
{
    struct line l = {.n = 0};
    struct taulu_civil c;

    if (!out || !lang_ok(lang) || !to_local(t, tz, &c)) {
        return TAULU_EINVAL;
    }
    put_relative(&l, lang, t, now, tz, false);
    put_date(&l, lang, plain, &c);
    return line_flush(&l, out);
}

int taulu_fmt_clock(struct taulu_buf *out, enum taulu_lang lang, int64_t t,
                    const struct taulu_tz *tz)
{
    struct line l = {.n = 0};
    struct taulu_civil c;

    if (!out || !lang_ok(lang) || !to_local(t, tz, &c)) {
        return TAULU_EINVAL;
    }
    put_clock(&l, lang, c.hour, c.min);
    return line_flush(&l, out);
}

int taulu_fmt_header_clock(struct taulu_buf *out, int64_t t,
                           const struct taulu_tz *tz)
{
    struct line l = {.n = 0};
    struct taulu_civil c;

    if (!out || !to_local(t, tz, &c)) {
        return TAULU_EINVAL;
    }
    line_putf(&l, "%d.%02d", c.hour, c.min);
    return line_flush(&l, out);
}

/* Checks an event's ends and reads them as local time. `has_end` is false
 * for an event with only a start (end 0 or equal to start). */
static int event_ends(int64_t start, int64_t end, const struct taulu_tz *tz,
                      struct taulu_civil *s, struct taulu_civil *e,
                      bool *has_end)
{
    if (!to_local(start, tz, s)) {
        return TAULU_EINVAL;
    }
    *has_end = !(end == 0 || end == start);
    if (!*has_end) {
        return TAULU_OK;
    }
    if (end < start || !end_to_local(end, tz, e)) {
        return TAULU_EINVAL;
    }
    return TAULU_OK;
}

int taulu_fmt_time_range(struct taulu_buf *out, enum taulu_lang lang,
                         bool plain, int64_t start, int64_t end,
                         const struct taulu_tz *tz)
{
    struct line l = {.n = 0};
    struct taulu_civil s, e;
    bool has_end;

    if (!out || !lang_ok(lang) ||
        event_ends(start, end, tz, &s, &e, &has_end) < 0) {
        return TAULU_EINVAL;
    }
    put_clock_word(&l, lang, plain);
    put_clock(&l, lang, s.hour, s.min);
    if (has_end) {
        line_putf(&l, "%s", EN_DASH);
        put_clock(&l, lang, e.hour, e.min);
    }
    return line_flush(&l, out);
}

static int event_when(struct taulu_buf *out, enum taulu_lang lang, bool plain,
                      int64_t start, int64_t end, int64_t now,
                      const struct taulu_tz *tz, bool cancelled)
{
    struct line l = {.n = 0};
    struct taulu_civil s, e;
    bool has_end;

    if (!out || !lang_ok(lang) ||
        event_ends(start, end, tz, &s, &e, &has_end) < 0) {
        return TAULU_EINVAL;
    }
    if (cancelled) {
        line_putf(&l, "%s ", cancelled_word[lang]);
    }
    if (now != 0) {
        put_relative(&l, lang, start, now, tz, cancelled);
    }
    put_date(&l, lang, plain, &s);
    line_putf(&l, " ");
    put_clock_word(&l, lang, plain);
    put_clock(&l, lang, s.hour, s.min);
    if (has_end && same_date(&s, &e)) {
        line_putf(&l, "%s", EN_DASH);
        put_clock(&l, lang, e.hour, e.min);
    } else if (has_end) {
        /* Two whole dates: spaced dash so the ends read as units. The end
         * date never gets a relative label: it would read as a new
         * sentence in the middle of the line. */
        line_putf(&l, " %s ", EN_DASH);
        put_date(&l, lang, plain, &e);
        line_putf(&l, " ");
        put_clock_word(&l, lang, plain);
        put_clock(&l, lang, e.hour, e.min);
    }
    return line_flush(&l, out);
}

int taulu_fmt_event_when(struct taulu_buf *out, enum taulu_lang lang,
                         bool plain, int64_t start, int64_t end, int64_t now,
                         const struct taulu_tz *tz)
{
    return event_when(out, lang, plain, start, end, now, tz, false);
}

int taulu_fmt_cancelled_when(struct taulu_buf *out, enum taulu_lang lang,
                             bool plain, int64_t start, int64_t end,
                             int64_t now, const struct taulu_tz *tz)
{
    return event_when(out, lang, plain, start, end, now, tz, true);
}

/* ---- recurrence rules in words ---- */

static const char *const fi_wday_full[7] = {
    "maanantai", "tiistai",  "keskiviikko", "torstai",
    "perjantai", "lauantai", "sunnuntai"};
/* Swedish monthly rules name "the Tuesday" of the month. */
static const char *const sv_wday_def[7] = {"måndagen",  "tisdagen", "onsdagen",
                                           "torsdagen", "fredagen", "lördagen",
                                           "söndagen"};
/* Ordinals of a monthly entry: [0] first .. [3] fourth, [4] last. */
static const char *const fi_ord[5] = {"ensimmäinen", "toinen", "kolmas",
                                      "neljäs", "viimeinen"};
static const char *const sv_ord[5] = {"första", "andra", "tredje", "fjärde",
                                      "sista"};
static const char *const en_ord[5] = {"first", "second", "third", "fourth",
                                      "last"};
/* "every n weeks" as an ordinal before the weekday: [0] is n = 2. */
static const char *const fi_every[3] = {"toinen", "kolmas", "neljäs"};
static const char *const sv_every[3] = {"varannan", "var tredje", "var fjärde"};
static const char *const en_every[3] = {"other", "third", "fourth"};

static const char *const and_word[TAULU_LANG_COUNT] = {"ja", "och", "and"};

/* Item i of n of a list: ", " between, " ja " before the last. */
static void put_sep(struct line *l, enum taulu_lang lang, size_t i, size_t n)
{
    if (i == 0) {
        return;
    }
    if (i + 1 == n) {
        line_putf(l, " %s ", and_word[lang]);
    } else {
        line_putf(l, ", ");
    }
}

static int ord_index(int ord)
{
    return ord < 0 ? 4 : ord - 1;
}

static void put_weekly(struct line *l, enum taulu_lang lang,
                       const struct taulu_recur *r)
{
    size_t i;

    switch (lang) {
    case TAULU_LANG_FI:
        line_putf(l, "joka ");
        if (r->interval > 1) {
            line_putf(l, "%s ", fi_every[r->interval - 2]);
        }
        break;
    case TAULU_LANG_SV:
        line_putf(l, "%s ",
                  r->interval > 1 ? sv_every[r->interval - 2] : "varje");
        break;
    case TAULU_LANG_EN:
        line_putf(l, "every ");
        if (r->interval > 1) {
            line_putf(l, "%s ", en_every[r->interval - 2]);
        }
        break;
    }
    for (i = 0; i < r->n_days; i++) {
        int w = r->days[i].wday - 1;
        put_sep(l, lang, i, r->n_days);
        line_putf(l, "%s",
                  lang == TAULU_LANG_FI   ? fi_wday_full[w]
                  : lang == TAULU_LANG_SV ? sv_wday_plain[w]
                                          : en_wday_plain[w]);
    }
}

static void put_monthly(struct line *l, enum taulu_lang lang,
                        const struct taulu_recur *r)
{
    const char *const *ord = lang == TAULU_LANG_FI   ? fi_ord
                             : lang == TAULU_LANG_SV ? sv_ord
                                                     : en_ord;
    bool one_day = true;
    size_t i;

    for (i = 1; i < r->n_days; i++) {
        one_day = one_day && r->days[i].wday == r->days[0].wday;
    }
    if (lang == TAULU_LANG_FI) {
        line_putf(l, "kuukauden ");
    }
    for (i = 0; i < r->n_days; i++) {
        int w = r->days[i].wday - 1;
        put_sep(l, lang, i, r->n_days);
        line_putf(l, "%s", ord[ord_index(r->days[i].ord)]);
        /* "ensimmäinen ja kolmas tiistai": the weekday once, at the end,
         * when all entries are of one weekday. */
        if (!one_day || i + 1 == r->n_days) {
            line_putf(l, " %s",
                      lang == TAULU_LANG_FI   ? fi_wday_full[w]
                      : lang == TAULU_LANG_SV ? sv_wday_def[w]
                                              : en_wday_plain[w]);
        }
    }
    if (lang == TAULU_LANG_SV) {
        line_putf(l, " i månaden");
    } else if (lang == TAULU_LANG_EN) {
        line_putf(l, " of the month");
    }
}

int taulu_fmt_recur(struct taulu_buf *out, enum taulu_lang lang, bool plain,
                    const struct taulu_recur *r, int start_min, int end_min)
{
    struct line l = {.n = 0};

    if (!out || !lang_ok(lang) || !r || taulu_recur_check(r, NULL) < 0 ||
        start_min > 1439 || end_min > 1440) {
        return TAULU_EINVAL;
    }
    if (r->freq == TAULU_RECUR_WEEKLY) {
        put_weekly(&l, lang, r);
    } else {
        put_monthly(&l, lang, r);
    }
    if (start_min < 0) {
        /* the row above says the time already */
        return line_flush(&l, out);
    }
    line_putf(&l, " ");
    put_clock_word(&l, lang, plain);
    put_clock(&l, lang, start_min / 60, start_min % 60);
    if (end_min >= 0 && end_min != start_min) {
        line_putf(&l, "%s", EN_DASH);
        put_clock(&l, lang, end_min / 60, end_min % 60);
    }
    return line_flush(&l, out);
}
