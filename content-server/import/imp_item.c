/*
 * imp_item.c: an imported event as an item body (see imp_item.h).
 */
#include "imp_item.h"

#include <stdio.h>
#include <string.h>

#include "imp_text.h"
#include "taulu_buf.h"
#include "taulu_utf8.h"

/* The API's display window: at most a year ahead (srv_api.h). */
#define MAX_AHEAD (366 * 86400)

static void add_time(cJSON *o, const char *name, int64_t t)
{
    char s[TAULU_ISO_LEN];

    taulu_time_format_iso(t, s);
    cJSON_AddStringToObject(o, name, s);
}

static void add_opt(cJSON *o, const char *name, const char *s)
{
    if (s && *s) {
        cJSON_AddStringToObject(o, name, s);
    }
}

static const char *credit_word(const char *lang)
{
    if (strcmp(lang, "sv") == 0) {
        return "Bild";
    }
    if (strcmp(lang, "en") == 0) {
        return "Photo";
    }
    return "Kuva";
}

/* The body with the credit line after it, within the API's 2000 code
 * points (the text is cut first, never the credit). */
static void add_body(cJSON *t, const char *body, const char *lang,
                     const char *credit)
{
    struct taulu_buf b;
    char line[300];
    size_t room, n;

    if (!credit) {
        cJSON_AddStringToObject(t, "body", body);
        return;
    }
    snprintf(line, sizeof line, "%s: %s", credit_word(lang), credit);
    n = taulu_utf8_count(line, strlen(line));
    room = IMP_BODY_MAX - n - 1;
    taulu_buf_init(&b, IMP_BODY_MAX * 4 + 8);
    if (taulu_utf8_count(body, strlen(body)) > room) {
        /* cut on a code point boundary, with the ellipsis */
        size_t pos = 0, k = 0;
        uint32_t cp;
        while (k < room - 1 && pos < strlen(body)) {
            taulu_utf8_decode(body, strlen(body), &pos, &cp);
            k++;
        }
        taulu_buf_append(&b, body, pos);
        taulu_buf_puts(&b, "\xE2\x80\xA6");
    } else {
        taulu_buf_puts(&b, body);
    }
    taulu_buf_putc(&b, '\n');
    taulu_buf_puts(&b, line);
    cJSON_AddStringToObject(t, "body", b.data);
    taulu_buf_release(&b);
}

static int lang_rank(const char *l)
{
    if (strcmp(l, "fi") == 0) {
        return 0;
    }
    if (strcmp(l, "sv") == 0) {
        return 1;
    }
    if (strcmp(l, "en") == 0) {
        return 2;
    }
    return 3;
}

/* The body; `image` is the sha256 or (for the hash) the image's URL, and
 * as_hash says which. */
static cJSON *body_of(const struct imp_event *e,
                      const struct srv_import_source *src, int64_t now,
                      const char *image, bool for_hash, struct imp_skip *why)
{
    cJSON *o, *texts, *ids;
    int64_t until = e->end;
    size_t i;
    int rank;

    if (e->series) {
        struct taulu_series s;
        memset(&s, 0, sizeof s);
        s.rule = e->rule;
        s.start = e->start;
        s.end = e->end;
        until = taulu_series_last_end(&s, IMP_TZ);
        if (until == TAULU_RECUR_NO_DATE) {
            why->code = "rule_not_supported";
            why->detail = "the series has no occurrence";
            return NULL;
        }
    }
    if (until <= now) {
        why->code = "ended";
        why->detail = "the event has ended";
        return NULL;
    }
    if (until > now + MAX_AHEAD) {
        why->code = "too_far_ahead";
        why->detail = "it ends more than a year from now";
        return NULL;
    }
    o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "kind", "event");
    cJSON_AddStringToObject(o, "category", src->category);
    add_time(o, "starts_at", e->start);
    add_time(o, "ends_at", e->end);
    if (e->free >= 0) {
        cJSON_AddBoolToObject(o, "free", e->free == 1);
    }
    add_opt(o, "link", e->link);
    if (image) {
        cJSON_AddStringToObject(o, for_hash ? "image_url" : "image_sha256",
                                image);
    }
    add_time(o, "display_until", until);
    ids = cJSON_AddArrayToObject(o, "centres");
    for (i = 0; i < src->centres.n; i++) {
        cJSON_AddItemToArray(ids,
                             cJSON_CreateNumber((double)src->centres.v[i]));
    }
    texts = cJSON_AddArrayToObject(o, "texts");
    for (rank = 0; rank <= 3; rank++) {
        for (i = 0; i < e->n_v; i++) {
            const struct imp_version *v = &e->v[i];
            cJSON *t;
            if (lang_rank(v->lang) != rank || !v->title || !v->body) {
                continue;
            }
            t = cJSON_CreateObject();
            cJSON_AddStringToObject(t, "lang", v->lang);
            cJSON_AddBoolToObject(t, "plain", false);
            cJSON_AddStringToObject(t, "title", v->title);
            add_body(t, v->body, v->lang, image ? e->image_credit : NULL);
            add_opt(t, "place", v->place);
            add_opt(t, "price", v->price);
            add_opt(t, "registration", v->registration);
            add_opt(t, "contact", v->contact);
            if (image) {
                add_opt(t, "image_alt", v->image_alt);
            }
            cJSON_AddItemToArray(texts, t);
        }
    }
    if (e->series) {
        cJSON *r = taulu_recur_to_json(&e->rule);
        if (r) {
            cJSON_AddItemToObject(o, "recurrence", r);
        }
    }
    return o;
}

cJSON *imp_item_body(const struct imp_event *e,
                     const struct srv_import_source *src, int64_t now,
                     const char *image_sha256, struct imp_skip *why)
{
    return body_of(e, src, now, image_sha256, false, why);
}

void imp_item_hash(const struct imp_event *e,
                   const struct srv_import_source *src, int64_t now,
                   char out[TAULU_SHA256_HEX_LEN + 1])
{
    struct imp_skip why = {NULL, NULL};
    cJSON *b = body_of(e, src, now, e->image_url, true, &why);
    char *s = b ? cJSON_PrintUnformatted(b) : NULL;

    taulu_sha256_hex(s ? s : "", s ? strlen(s) : 0, out);
    cJSON_free(s);
    cJSON_Delete(b);
}
