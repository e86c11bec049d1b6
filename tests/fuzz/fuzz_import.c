/*
 * fuzz_import.c: libFuzzer target for the importers' parsers
 * (content-server/import/): the first byte picks one, the rest is its
 * input: 'i' an iCalendar feed (libical), 'l' a Linked Events answer, 'p'
 * a PTV service location (and the week of opening hours made of it), 't'
 * a text to clean as markup-free plain text.
 *
 * Whatever comes out must be what the rest of the server may take: every
 * text valid UTF-8 without control characters (a body may hold "\n"),
 * within the item API's lengths; an event that is imported ends after it
 * starts; a series' rule passes taulu_recur_check(); a link is a link.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "imp_ical.h"
#include "imp_linkedevents.h"
#include "imp_ptv.h"
#include "imp_text.h"
#include "srv_hours.h"
#include "taulu_utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* 2026-12-01T10:00:00Z */
#define NOW INT64_C(1796119200)

static void text_ok(const char *s, size_t max, bool multiline)
{
    size_t n;

    if (!s) {
        return;
    }
    n = strlen(s);
    if (!taulu_utf8_valid(s, n) ||
        taulu_utf8_has_controls(s, n, multiline ? "\n" : "") ||
        taulu_utf8_count(s, n) > max || n == 0) {
        abort();
    }
}

static void events_ok(const struct imp_batch *b)
{
    size_t i, k;

    for (i = 0; i < b->n; i++) {
        const struct imp_event *e = &b->v[i];
        if (!e->ext_id || !e->ext_id[0]) {
            abort();
        }
        for (k = 0; k < e->n_v; k++) {
            text_ok(e->v[k].title, IMP_TITLE_MAX, false);
            text_ok(e->v[k].body, IMP_BODY_MAX, true);
            text_ok(e->v[k].place, IMP_PLACE_MAX, false);
            text_ok(e->v[k].price, IMP_PRICE_MAX, false);
            text_ok(e->v[k].image_alt, IMP_ALT_MAX, false);
        }
        if (e->link && !imp_link_ok(e->link)) {
            abort();
        }
        if (!e->skip.code && !e->gone && e->end <= e->start) {
            abort();
        }
        if (e->series && taulu_recur_check(&e->rule, NULL) != 0) {
            abort();
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct srv_pool p;
    char err[512];

    if (size < 1) {
        return 0;
    }
    srv_pool_init(&p);
    switch (data[0]) {
    case 'i': {
        struct imp_batch b;
        char *text = malloc(size);
        if (!text) {
            break;
        }
        memcpy(text, data + 1, size - 1);
        text[size - 1] = '\0';
        if (imp_ical_parse(text, size - 1, NOW, "fi", &p, &b, err,
                           sizeof err) == 0) {
            events_ok(&b);
        }
        free(text);
        break;
    }
    case 'l': {
        struct imp_le_list raw;
        struct imp_batch b;
        const char *next;
        const char *ids[8];
        memset(&raw, 0, sizeof raw);
        memset(&b, 0, sizeof b);
        if (imp_le_parse((const char *)data + 1, size - 1, &p, &raw, &next, err,
                         sizeof err) == 0) {
            imp_le_groups(&raw, ids, 8);
            imp_le_events(&p, &raw, NOW, &b);
            events_ok(&b);
        }
        break;
    }
    case 'p': {
        struct imp_ptv out;
        struct taulu_centre c;
        int64_t until;
        size_t i;
        if (imp_ptv_parse((const char *)data + 1, size - 1, NOW, &p, &out, err,
                          sizeof err) == 0) {
            memset(&c, 0, sizeof c);
            if (srv_hours_week(out.weekly, out.exceptions, NOW,
                               &taulu_tz_helsinki, &c, &until) != 0) {
                abort();
            }
            for (i = 0; i < c.n_hours; i++) {
                if (c.hours[i].day < 1 || c.hours[i].day > 7 ||
                    c.hours[i].open_min < 0 ||
                    c.hours[i].open_min >= c.hours[i].close_min ||
                    c.hours[i].close_min > 1440) {
                    abort();
                }
            }
            if (until <= NOW) {
                abort();
            }
        }
        break;
    }
    case 't':
        text_ok(imp_text_clean(&p, (const char *)data + 1, size - 1, 300, true),
                300, true);
        text_ok(
            imp_text_clean(&p, (const char *)data + 1, size - 1, 120, false),
            120, false);
        break;
    default:
        break;
    }
    srv_pool_release(&p);
    return 0;
}
