/*
 * taulu_manifest.c: the manifest model, its deterministic writer, its strict
 * reader and the signed envelope (see taulu_manifest.h and
 * docs/protocol.md).
 *
 * The reader works in two steps: the JSON edge (taulu_json.c) turns bytes
 * into a cJSON tree after checking grammar, depth and duplicates, then the
 * members are copied into the manifest's arena with their types checked.
 * Every rule on values lives in one place, taulu_manifest_validate(), which
 * the reader runs last and the writer runs first: what one side accepts
 * the other can produce, and the other way round.
 */
#include "taulu_manifest.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taulu_err.h"
#include "taulu_fields.h"
#include "taulu_json.h"
#include "taulu_proto.h"
#include "taulu_time.h"
#include "taulu_utf8.h"

/* 1970-01-01T00:00:00Z .. 9999-12-31T23:59:59Z, the years of
 * TAULU_ISO_MANIFEST. */
#define TIME_MIN 0
#define TIME_MAX TAULU_TIME_MAX

/* ---- the arena ---- */

#define ARENA_ALIGN 16
#define ARENA_BLOCK 16384

struct arena_block {
    struct arena_block *next;
    size_t used, cap;
};

struct taulu_manifest_arena {
    struct arena_block *head;
};

#define ARENA_HDR                                                              \
    ((sizeof(struct arena_block) + ARENA_ALIGN - 1) &                          \
     ~(size_t)(ARENA_ALIGN - 1))

struct taulu_manifest *taulu_manifest_new(void)
{
    struct taulu_manifest *m = calloc(1, sizeof(*m));

    if (!m) {
        return NULL;
    }
    m->arena = calloc(1, sizeof(*m->arena));
    if (!m->arena) {
        free(m);
        return NULL;
    }
    m->built_at = TAULU_NO_TIME;
    return m;
}

void taulu_manifest_free(struct taulu_manifest *m)
{
    struct arena_block *b, *next;

    if (!m) {
        return;
    }
    if (m->arena) {
        for (b = m->arena->head; b; b = next) {
            next = b->next;
            free(b);
        }
        free(m->arena);
    }
    free(m);
}

void *taulu_manifest_alloc(struct taulu_manifest *m, size_t size)
{
    struct taulu_manifest_arena *a;
    struct arena_block *b;
    unsigned char *p;

    if (!m || !m->arena) {
        return NULL;
    }
    a = m->arena;
    if (size == 0) {
        size = 1;
    }
    if (size > SIZE_MAX / 2) {
        return NULL;
    }
    size = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
    b = a->head;
    if (!b || b->cap - b->used < size) {
        /* A big request gets a block of its own behind the current one, so
         * the room left in the current block is not wasted. */
        size_t cap = size > ARENA_BLOCK / 4 ? size : ARENA_BLOCK;
        b = malloc(ARENA_HDR + cap);
        if (!b) {
            return NULL;
        }
        b->cap = cap;
        b->used = 0;
        if (cap == size && a->head) {
            b->next = a->head->next;
            a->head->next = b;
        } else {
            b->next = a->head;
            a->head = b;
        }
    }
    p = (unsigned char *)b + ARENA_HDR + b->used;
    b->used += size;
    memset(p, 0, size);
    return p;
}

char *taulu_manifest_strdup(struct taulu_manifest *m, const char *s)
{
    size_t n;
    char *d;

    if (!s) {
        return NULL;
    }
    n = strlen(s);
    d = taulu_manifest_alloc(m, n + 1);
    if (d) {
        memcpy(d, s, n + 1);
    }
    return d;
}

/* ---- names and small syntaxes ---- */

static const char *const kind_names[] = {"bulletin", "event"};
static const char *const media_names[] = {"image/png", "image/jpeg",
                                          "image/webp"};
static const char *const orientation_names[] = {"landscape", "portrait"};
static const char *const closed_names[] = {"dark", "still"};

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

const char *taulu_media_type_name(enum taulu_media_type t)
{
    return (unsigned)t < N_OF(media_names) ? media_names[t] : NULL;
}

const char *taulu_card_kind_name(enum taulu_card_kind k)
{
    return (unsigned)k < N_OF(kind_names) ? kind_names[k] : NULL;
}

static int is_alpha_lower(char c)
{
    return c >= 'a' && c <= 'z';
}

static int is_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9');
}

bool taulu_manifest_id_valid(const char *s)
{
    size_t i;

    if (!s) {
        return false;
    }
    for (i = 0; s[i]; i++) {
        if (i >= TAULU_MANIFEST_MAX_ID ||
            !(is_alnum(s[i]) || s[i] == '_' || s[i] == '.' || s[i] == '-')) {
            return false;
        }
    }
    return i > 0;
}

bool taulu_lang_valid(const char *s)
{
    size_t i = 0, n;

    if (!s) {
        return false;
    }
    while (is_alpha_lower(s[i])) {
        i++;
    }
    if (i < 2 || i > 3) {
        return false;
    }
    if (s[i] == '\0') {
        return true;
    }
    if (s[i] != '-') {
        return false;
    }
    i++;
    for (n = 0; is_alnum(s[i + n]); n++) {
    }
    return n >= 2 && n <= 8 && s[i + n] == '\0';
}

static bool tz_valid(const char *s)
{
    size_t i;

    if (!s || !((s[0] >= 'A' && s[0] <= 'Z') || is_alpha_lower(s[0]))) {
        return false;
    }
    for (i = 0; s[i]; i++) {
        if (i >= TAULU_MANIFEST_MAX_TZ ||
            !(is_alnum(s[i]) || strchr("_+-/", s[i]))) {
            return false;
        }
    }
    return true;
}

/* An absolute http(s) URL of RFC 3986 characters only: no spaces, no
 * controls, nothing a QR code reader or a browser would re-interpret. */
bool taulu_manifest_link_valid(const char *s)
{
    const char *rest;
    size_t i;

    if (!s) {
        return false;
    }
    if (strncmp(s, "https://", 8) == 0) {
        rest = s + 8;
    } else if (strncmp(s, "http://", 7) == 0) {
        rest = s + 7;
    } else {
        return false;
    }
    if (rest[0] == '\0' || rest[0] == '/') {
        return false;
    }
    for (i = 0; s[i]; i++) {
        if (!(is_alnum(s[i]) || strchr("-._~:/?#[]@!$&'()*+,;=%", s[i]))) {
            return false;
        }
    }
    return true;
}

/* ---- time: the one RFC 3339 form manifests use ---- */

/* The form is taulu_time's TAULU_ISO_MANIFEST; the manifest reports every
 * refusal as a value error (taulu_manifest.h). */
int taulu_manifest_time_parse(const char *s, int64_t *out)
{
    if (taulu_time_parse_iso_form(s, TAULU_ISO_MANIFEST, out) < 0) {
        return TAULU_EVALUE;
    }
    return TAULU_OK;
}

int taulu_manifest_time_format(int64_t t, char out[TAULU_MANIFEST_TIME_LEN])
{
    return taulu_time_format_iso_form(t, TAULU_ISO_MANIFEST, out);
}

/* n digits at s; -1 if any is not a digit. */
static int digits(const char *s, int n)
{
    int v = 0, i;

    for (i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return -1;
        }
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

int taulu_manifest_hhmm_parse(const char *s, bool allow_24)
{
    int h, m;

    if (!s || strlen(s) != 5 || s[2] != ':') {
        return -1;
    }
    h = digits(s, 2);
    m = digits(s + 3, 2);
    if (h < 0 || m < 0 || m > 59 || h > 24 || (h == 24 && (!allow_24 || m))) {
        return -1;
    }
    return h * 60 + m;
}

/* ---- validation: every rule on values ---- */

/* The byte limit of a text field in a format version. */
static size_t limit_of(enum taulu_field f, int version)
{
    const struct taulu_field_def *d = taulu_field_get(f);

    return version >= 2 ? d->max_bytes : d->v1_bytes;
}

/* One pass over a text: valid UTF-8 and no control character (C0, DEL,
 * C1) except "\n" where allow_nl. ASCII, most of our text, never goes
 * through the decoder. NULL if fine, else what is wrong. */
static const char *text_problem(const char *s, size_t len, bool allow_nl)
{
    size_t pos = 0;
    uint32_t cp;

    while (pos < len) {
        unsigned char c = (unsigned char)s[pos];
        if (c < 0x80) {
            if ((c < 0x20 && !(allow_nl && c == '\n')) || c == 0x7f) {
                return "control character";
            }
            pos++;
            continue;
        }
        if (taulu_utf8_decode(s, len, &pos, &cp) < 0) {
            return "invalid UTF-8";
        }
        if (cp < 0xa0) {
            return "control character";
        }
    }
    return NULL;
}

static int check_text(const char *s, const char *name, bool required,
                      size_t min, size_t max, bool allow_nl,
                      const struct taulu_json_path *p, struct taulu_buf *why)
{
    const char *problem;
    size_t len;

    if (!s) {
        return required
                   ? taulu_json_fail(why, p, name, TAULU_EMISSING, "missing")
                   : TAULU_OK;
    }
    len = strlen(s);
    if (len > max) {
        return taulu_json_fail(why, p, name, TAULU_ELIMIT,
                               "too long (%zu > %zu bytes)", len, max);
    }
    if (len < min) {
        return taulu_json_fail(why, p, name, TAULU_EVALUE, "empty");
    }
    if ((problem = text_problem(s, len, allow_nl)) != NULL) {
        return taulu_json_fail(why, p, name, TAULU_EUTF8, "%s", problem);
    }
    return TAULU_OK;
}

static int check_id(const char *s, const char *name,
                    const struct taulu_json_path *p, struct taulu_buf *why)
{
    if (!s) {
        return taulu_json_fail(why, p, name, TAULU_EMISSING, "missing");
    }
    if (!taulu_manifest_id_valid(s)) {
        return taulu_json_fail(why, p, name, TAULU_EVALUE,
                               "not an id ([A-Za-z0-9_.-]{1,64})");
    }
    return TAULU_OK;
}

static int check_time(int64_t t, const char *name,
                      const struct taulu_json_path *p, struct taulu_buf *why)
{
    if (t == TAULU_NO_TIME) {
        return taulu_json_fail(why, p, name, TAULU_EMISSING, "missing");
    }
    if (t < TIME_MIN || t > TIME_MAX) {
        return taulu_json_fail(why, p, name, TAULU_EVALUE,
                               "out of range (1970..9999)");
    }
    return TAULU_OK;
}

static int check_int(int64_t v, int64_t min, int64_t max, const char *name,
                     const struct taulu_json_path *p, struct taulu_buf *why)
{
    if (v < min || v > max) {
        return taulu_json_fail(why, p, name, TAULU_EVALUE,
                               "out of range (%lld..%lld)", (long long)min,
                               (long long)max);
    }
    return TAULU_OK;
}

static int check_lang(const char *lang, const char *name,
                      const struct taulu_json_path *p, struct taulu_buf *why)
{
    if (!lang[0]) {
        return taulu_json_fail(why, p, name, TAULU_EMISSING, "missing");
    }
    if (!taulu_lang_valid(lang)) {
        return taulu_json_fail(why, p, name, TAULU_EVALUE,
                               "not a language tag");
    }
    return TAULU_OK;
}

static int check_count(size_t n, size_t min, size_t max, const char *name,
                       const struct taulu_json_path *p, struct taulu_buf *why)
{
    if (n > max) {
        return taulu_json_fail(why, p, name, TAULU_ELIMIT,
                               "too many items (%zu > %zu)", n, max);
    }
    if (n < min) {
        return taulu_json_fail(why, p, name, TAULU_EVALUE, "empty");
    }
    return TAULU_OK;
}

static int check_sha(const char *sha, const char *name,
                     const struct taulu_json_path *p, struct taulu_buf *why)
{
    if (!taulu_is_sha256_hex(sha)) {
        return taulu_json_fail(why, p, name, TAULU_EVALUE,
                               "not 64 lowercase hex digits");
    }
    return TAULU_OK;
}

static int check_media(enum taulu_media_type t, int64_t size,
                       const struct taulu_json_path *p, struct taulu_buf *why)
{
    int rc;

    if (!taulu_media_type_name(t)) {
        return taulu_json_fail(why, p, "type", TAULU_EVALUE,
                               "not a known media type");
    }
    if ((rc = check_int(size, 1, TAULU_MANIFEST_MAX_ASSET_BYTES, "size", p,
                        why)) < 0) {
        return rc;
    }
    return TAULU_OK;
}

static int validate_centre(const struct taulu_centre *c, int version,
                           struct taulu_json_path *p, struct taulu_buf *why)
{
    size_t mark = taulu_json_path_push_key(p, "centre"), i, j, m2;
    int rc;

    if ((rc = check_id(c->id, "id", p, why)) < 0) {
        goto out;
    }
    if ((rc = check_count(c->n_name, 1, TAULU_MANIFEST_MAX_LANGUAGES, "name", p,
                          why)) < 0) {
        goto out;
    }
    m2 = taulu_json_path_push_key(p, "name");
    for (i = 0; i < c->n_name && rc == 0; i++) {
        if (!taulu_lang_valid(c->name[i].lang)) {
            rc = taulu_json_fail(why, p, c->name[i].lang, TAULU_EVALUE,
                                 "not a language tag");
            break;
        }
        for (j = 0; j < i; j++) {
            if (strcmp(c->name[i].lang, c->name[j].lang) == 0) {
                rc = taulu_json_fail(why, p, c->name[i].lang, TAULU_EVALUE,
                                     "duplicate language");
                break;
            }
        }
        if (rc == 0) {
            rc = check_text(c->name[i].text, c->name[i].lang, true, 1,
                            limit_of(TAULU_F_CENTRE_NAME, version), false, p,
                            why);
        }
    }
    taulu_json_path_pop(p, m2);
    if (rc < 0) {
        goto out;
    }
    if ((rc = check_count(c->n_short_name, 0, TAULU_MANIFEST_MAX_LANGUAGES,
                          "short_name", p, why)) < 0) {
        goto out;
    }
    m2 = taulu_json_path_push_key(p, "short_name");
    for (i = 0; i < c->n_short_name && rc == 0; i++) {
        bool named = false;
        for (j = 0; j < c->n_name; j++) {
            named =
                named || strcmp(c->short_name[i].lang, c->name[j].lang) == 0;
        }
        if (!named) {
            rc = taulu_json_fail(why, p, c->short_name[i].lang, TAULU_EVALUE,
                                 "not a language of name");
            break;
        }
        for (j = 0; j < i; j++) {
            if (strcmp(c->short_name[i].lang, c->short_name[j].lang) == 0) {
                rc = taulu_json_fail(why, p, c->short_name[i].lang,
                                     TAULU_EVALUE, "duplicate language");
                break;
            }
        }
        if (rc == 0) {
            rc = check_text(c->short_name[i].text, c->short_name[i].lang, true,
                            1, limit_of(TAULU_F_CENTRE_SHORT, version), false,
                            p, why);
        }
    }
    taulu_json_path_pop(p, m2);
    if (rc < 0) {
        goto out;
    }
    if (!c->timezone) {
        rc = taulu_json_fail(why, p, "timezone", TAULU_EMISSING, "missing");
        goto out;
    }
    if (!tz_valid(c->timezone)) {
        rc = taulu_json_fail(why, p, "timezone", TAULU_EVALUE,
                             "not a time zone name");
        goto out;
    }
    if ((rc = check_count(c->n_languages, 1, TAULU_MANIFEST_MAX_LANGUAGES,
                          "languages", p, why)) < 0) {
        goto out;
    }
    m2 = taulu_json_path_push_key(p, "languages");
    for (i = 0; i < c->n_languages && rc == 0; i++) {
        size_t m3 = taulu_json_path_push_index(p, i);
        if (!taulu_lang_valid(c->languages[i])) {
            rc = taulu_json_fail(why, p, NULL, TAULU_EVALUE,
                                 "not a language tag");
        }
        for (j = 0; j < i && rc == 0; j++) {
            if (strcmp(c->languages[i], c->languages[j]) == 0) {
                rc = taulu_json_fail(why, p, NULL, TAULU_EVALUE,
                                     "duplicate language");
            }
        }
        taulu_json_path_pop(p, m3);
    }
    taulu_json_path_pop(p, m2);
    if (rc < 0) {
        goto out;
    }
    if ((rc = check_count(c->n_hours, 0, TAULU_MANIFEST_MAX_HOURS,
                          "opening_hours", p, why)) < 0) {
        goto out;
    }
    if (version < 2 && taulu_centre_closed_all_week(c)) {
        /* Format 1 cannot say it: its empty list means always open. */
        rc = taulu_json_fail(why, p, "opening_hours", TAULU_EVALUE,
                             "closed all week needs format_version 2");
        goto out;
    }
    m2 = taulu_json_path_push_key(p, "opening_hours");
    for (i = 0; i < c->n_hours && rc == 0; i++) {
        const struct taulu_opening_interval *h = &c->hours[i];
        size_t m3 = taulu_json_path_push_index(p, i);
        if (h->day < 1 || h->day > 7) {
            rc = taulu_json_fail(why, p, "day", TAULU_EVALUE,
                                 "not an ISO weekday (1..7)");
        } else if (h->open_min < 0 || h->open_min > 1439) {
            rc = taulu_json_fail(why, p, "open", TAULU_EVALUE,
                                 "not a time of day (00:00..23:59)");
        } else if (h->close_min <= h->open_min || h->close_min > 1440) {
            rc = taulu_json_fail(why, p, "close", TAULU_EVALUE,
                                 "not after open (..24:00)");
        }
        for (j = 0; j < i && rc == 0; j++) {
            const struct taulu_opening_interval *o = &c->hours[j];
            if (o->day == h->day && h->open_min < o->close_min &&
                o->open_min < h->close_min) {
                rc = taulu_json_fail(why, p, NULL, TAULU_EVALUE,
                                     "overlaps opening_hours[%zu]", j);
            }
        }
        taulu_json_path_pop(p, m3);
    }
    taulu_json_path_pop(p, m2);
    if (rc < 0) {
        goto out;
    }
    if ((unsigned)c->closed_behaviour >= N_OF(closed_names)) {
        rc = taulu_json_fail(why, p, "closed_behaviour", TAULU_EVALUE,
                             "not dark or still");
    } else if (c->loop_s != 0) {
        rc = check_int(c->loop_s, TAULU_LOOP_MIN_S, TAULU_LOOP_MAX_S, "loop_s",
                       p, why);
    }
out:
    taulu_json_path_pop(p, mark);
    return rc;
}

static int validate_profile(const struct taulu_profile *pr,
                            struct taulu_json_path *p, struct taulu_buf *why)
{
    size_t mark = taulu_json_path_push_key(p, "profile");
    int rc;

    if ((rc = check_int(pr->width_px, 1, TAULU_MANIFEST_MAX_PIXELS, "width_px",
                        p, why)) < 0 ||
        (rc = check_int(pr->height_px, 1, TAULU_MANIFEST_MAX_PIXELS,
                        "height_px", p, why)) < 0) {
        goto out;
    }
    if ((unsigned)pr->orientation >= N_OF(orientation_names)) {
        rc = taulu_json_fail(why, p, "orientation", TAULU_EVALUE,
                             "not landscape or portrait");
        goto out;
    }
    if (pr->diagonal_in_x10 < 50 || pr->diagonal_in_x10 > 3000) {
        rc = taulu_json_fail(why, p, "diagonal_in", TAULU_EVALUE,
                             "out of range (5.0..300.0)");
        goto out;
    }
    rc = check_int(pr->distance_mm, 300, 100000, "distance_mm", p, why);
out:
    taulu_json_path_pop(p, mark);
    return rc;
}

static int validate_version(const struct taulu_card_version *v, bool has_image,
                            int ver, struct taulu_json_path *p,
                            struct taulu_buf *why)
{
    int rc;

    if ((rc = check_lang(v->lang, "lang", p, why)) < 0 ||
        (rc = check_text(v->title, "title", true, 1,
                         limit_of(TAULU_F_TITLE, ver), false, p, why)) < 0 ||
        (rc = check_text(v->body, "body", true, 0, limit_of(TAULU_F_BODY, ver),
                         true, p, why)) < 0 ||
        (rc = check_text(v->summary, "summary", false, 1,
                         limit_of(TAULU_F_SUMMARY, ver), true, p, why)) < 0 ||
        (rc = check_text(v->place, "place", false, 1,
                         limit_of(TAULU_F_PLACE, ver), false, p, why)) < 0 ||
        (rc = check_text(v->price, "price", false, 1,
                         limit_of(TAULU_F_PRICE, ver), false, p, why)) < 0 ||
        (rc = check_text(v->registration, "registration", false, 1,
                         limit_of(TAULU_F_REGISTRATION, ver), false, p, why)) <
            0 ||
        (rc = check_text(v->contact, "contact", false, 1,
                         limit_of(TAULU_F_CONTACT, ver), false, p, why)) < 0) {
        return rc;
    }
    /* An image always comes with its text alternative (WCAG 1.1.1), and an
     * alternative without an image is a builder's mistake. */
    if (has_image && !v->image_alt) {
        return taulu_json_fail(why, p, "image_alt", TAULU_EMISSING,
                               "missing (the card has an image)");
    }
    if (!has_image && v->image_alt) {
        return taulu_json_fail(why, p, "image_alt", TAULU_EVALUE,
                               "the card has no image");
    }
    return check_text(v->image_alt, "image_alt", false, 1,
                      limit_of(TAULU_F_IMAGE_ALT, ver), false, p, why);
}

static int validate_versions_langs(const char *langs, size_t stride, size_t n,
                                   struct taulu_json_path *p,
                                   struct taulu_buf *why)
{
    size_t i, j;

    for (i = 1; i < n; i++) {
        for (j = 0; j < i; j++) {
            if (strcmp(langs + i * stride, langs + j * stride) == 0) {
                size_t mark = taulu_json_path_push_index(p, i);
                int rc = taulu_json_fail(why, p, "lang", TAULU_EVALUE,
                                         "a second version in this language");
                taulu_json_path_pop(p, mark);
                return rc;
            }
        }
    }
    return TAULU_OK;
}

/* A recurring card (format 2): the rule for its words, and the
 * occurrences it is scheduled by, which the event spans. */
static int validate_recur(const struct taulu_card *c, struct taulu_json_path *p,
                          struct taulu_buf *why)
{
    const struct taulu_card_recur *r = c->recur;
    struct taulu_recur_err e;
    size_t i, m2;
    int rc = 0;

    if (!r) {
        if (c->n_occurrences || c->occurrences) {
            return taulu_json_fail(why, p, "occurrences", TAULU_EVALUE,
                                   "only with recurrence");
        }
        return TAULU_OK;
    }
    if (!c->has_event) {
        return taulu_json_fail(why, p, "recurrence", TAULU_EVALUE,
                               "only allowed for kind event");
    }
    m2 = taulu_json_path_push_key(p, "recurrence");
    if (taulu_recur_check(&r->rule, &e) < 0) {
        /* "recurrence.byday[1]" -> the member after "recurrence." */
        rc = taulu_json_fail(
            why, p, strchr(e.field, '.') ? strchr(e.field, '.') + 1 : NULL,
            TAULU_EVALUE, "%s", e.reason);
    } else if (r->rule.until == TAULU_RECUR_NO_DATE) {
        rc = taulu_json_fail(why, p, "until", TAULU_EMISSING, "missing");
    } else if (r->rule.n_exdates != 0) {
        rc = taulu_json_fail(why, p, "exdates", TAULU_EVALUE,
                             "not carried: the occurrences leave them out");
    } else if (r->start_min < 0 || r->start_min > 1439) {
        rc = taulu_json_fail(why, p, "start", TAULU_EVALUE,
                             "not a time of day (00:00..23:59)");
    } else if (r->end_min < 0 || r->end_min > 1440 ||
               r->end_min == r->start_min) {
        rc = taulu_json_fail(why, p, "end", TAULU_EVALUE,
                             "not a time of day (00:00..24:00) other than "
                             "start");
    }
    taulu_json_path_pop(p, m2);
    if (rc < 0 ||
        (rc = check_count(c->n_occurrences, 1, TAULU_MANIFEST_MAX_OCCURRENCES,
                          "occurrences", p, why)) < 0) {
        return rc;
    }
    if (!c->occurrences) {
        return taulu_json_fail(why, p, "occurrences", TAULU_EMISSING,
                               "missing");
    }
    m2 = taulu_json_path_push_key(p, "occurrences");
    for (i = 0; i < c->n_occurrences && rc == 0; i++) {
        const struct taulu_occurrence *o = &c->occurrences[i];
        size_t m3 = taulu_json_path_push_index(p, i);
        if ((rc = check_time(o->start, "start", p, why)) == 0 &&
            (rc = check_time(o->end, "end", p, why)) == 0) {
            if (o->end <= o->start) {
                rc = taulu_json_fail(why, p, "end", TAULU_EVALUE,
                                     "not after start");
            } else if (i > 0 && o->start < c->occurrences[i - 1].end) {
                rc = taulu_json_fail(why, p, "start", TAULU_EVALUE,
                                     "before the end of occurrences[%zu]",
                                     i - 1);
            }
        }
        taulu_json_path_pop(p, m3);
    }
    taulu_json_path_pop(p, m2);
    if (rc < 0) {
        return rc;
    }
    if (c->event.start != c->occurrences[0].start) {
        return taulu_json_fail(why, p, "event.start", TAULU_EVALUE,
                               "not the first occurrence's start");
    }
    if (c->event.end != c->occurrences[c->n_occurrences - 1].end) {
        return taulu_json_fail(why, p, "event.end", TAULU_EVALUE,
                               "not the last occurrence's end");
    }
    return TAULU_OK;
}

static int validate_card(const struct taulu_manifest *m, size_t idx, int ver,
                         struct taulu_json_path *p, struct taulu_buf *why)
{
    const struct taulu_card *c = &m->cards[idx];
    size_t i, m2;
    int rc;

    if ((rc = check_id(c->id, "id", p, why)) < 0) {
        return rc;
    }
    for (i = 0; i < idx; i++) {
        if (strcmp(m->cards[i].id, c->id) == 0) {
            return taulu_json_fail(why, p, "id", TAULU_EVALUE,
                                   "the same id as cards[%zu]", i);
        }
    }
    if (!taulu_card_kind_name(c->kind)) {
        return taulu_json_fail(why, p, "kind", TAULU_EVALUE,
                               "not bulletin or event");
    }
    if (!taulu_category_get(c->category)) {
        return taulu_json_fail(why, p, "category", TAULU_EVALUE,
                               "unknown category");
    }
    if ((rc = check_text(c->org, "org", true, 1,
                         limit_of(TAULU_F_ORG_NAME, ver), false, p, why)) < 0 ||
        (rc = check_time(c->display_from, "display_from", p, why)) < 0 ||
        (rc = check_time(c->display_until, "display_until", p, why)) < 0) {
        return rc;
    }
    if (c->display_until <= c->display_from) {
        return taulu_json_fail(why, p, "display_until", TAULU_EVALUE,
                               "not after display_from");
    }
    if ((rc = check_count(c->n_versions, 1, TAULU_MANIFEST_MAX_VERSIONS,
                          "versions", p, why)) < 0) {
        return rc;
    }
    m2 = taulu_json_path_push_key(p, "versions");
    for (i = 0; i < c->n_versions && rc == 0; i++) {
        size_t m3 = taulu_json_path_push_index(p, i);
        rc = validate_version(&c->versions[i], c->has_image, ver, p, why);
        taulu_json_path_pop(p, m3);
    }
    if (rc == 0) {
        rc = validate_versions_langs(
            c->versions[0].lang, sizeof(c->versions[0]), c->n_versions, p, why);
    }
    taulu_json_path_pop(p, m2);
    if (rc < 0) {
        return rc;
    }
    if (c->kind == TAULU_CARD_EVENT && !c->has_event) {
        return taulu_json_fail(why, p, "event", TAULU_EMISSING,
                               "missing (required for kind event)");
    }
    if (c->kind != TAULU_CARD_EVENT && c->has_event) {
        return taulu_json_fail(why, p, "event", TAULU_EVALUE,
                               "only allowed for kind event");
    }
    if (c->has_event) {
        const struct taulu_event *e = &c->event;
        m2 = taulu_json_path_push_key(p, "event");
        if ((rc = check_time(e->start, "start", p, why)) == 0 &&
            (rc = check_time(e->end, "end", p, why)) == 0) {
            if (e->end < e->start) {
                rc = taulu_json_fail(why, p, "end", TAULU_EVALUE,
                                     "before start");
            } else if ((unsigned)e->free > TAULU_FLAG_YES ||
                       (unsigned)e->step_free > TAULU_FLAG_YES ||
                       (unsigned)e->induction_loop > TAULU_FLAG_YES) {
                rc = taulu_json_fail(why, p, NULL, TAULU_EVALUE,
                                     "invalid flag value");
            }
        }
        taulu_json_path_pop(p, m2);
        if (rc < 0) {
            return rc;
        }
    }
    if ((rc = validate_recur(c, p, why)) < 0) {
        return rc;
    }
    if (c->link) {
        if ((rc = check_text(c->link, "link", false, 1,
                             limit_of(TAULU_F_LINK, ver), false, p, why)) < 0) {
            return rc;
        }
        if (!taulu_manifest_link_valid(c->link)) {
            return taulu_json_fail(why, p, "link", TAULU_EVALUE,
                                   "not an http(s) URL of URL characters only");
        }
    }
    if (c->has_image) {
        const struct taulu_image *im = &c->image;
        const struct taulu_asset_ref *a;
        m2 = taulu_json_path_push_key(p, "image");
        if ((rc = check_sha(im->sha256, "sha256", p, why)) == 0 &&
            (rc = check_media(im->type, im->size, p, why)) == 0 &&
            (rc = check_int(im->width, 1, TAULU_MANIFEST_MAX_PIXELS, "width", p,
                            why)) == 0 &&
            (rc = check_int(im->height, 1, TAULU_MANIFEST_MAX_PIXELS, "height",
                            p, why)) == 0) {
            a = taulu_manifest_find_asset(m, im->sha256);
            if (!a) {
                rc = taulu_json_fail(why, p, "sha256", TAULU_EVALUE,
                                     "not listed in assets");
            } else if (a->size != im->size || a->type != im->type) {
                rc = taulu_json_fail(why, p, NULL, TAULU_EVALUE,
                                     "size or type differs from assets[%zu]",
                                     (size_t)(a - m->assets));
            }
        }
        taulu_json_path_pop(p, m2);
    }
    return rc;
}

static int validate_alert(const struct taulu_manifest *m, size_t idx, int ver,
                          struct taulu_json_path *p, struct taulu_buf *why)
{
    const struct taulu_alert *a = &m->alerts[idx];
    size_t i, m2;
    int rc;

    if ((rc = check_id(a->id, "id", p, why)) < 0) {
        return rc;
    }
    for (i = 0; i < idx; i++) {
        if (strcmp(m->alerts[i].id, a->id) == 0) {
            return taulu_json_fail(why, p, "id", TAULU_EVALUE,
                                   "the same id as alerts[%zu]", i);
        }
    }
    if ((rc = check_time(a->from, "from", p, why)) < 0 ||
        (rc = check_time(a->until, "until", p, why)) < 0) {
        return rc;
    }
    if (a->until <= a->from) {
        return taulu_json_fail(why, p, "until", TAULU_EVALUE, "not after from");
    }
    if ((rc = check_count(a->n_versions, 1, TAULU_MANIFEST_MAX_VERSIONS,
                          "versions", p, why)) < 0) {
        return rc;
    }
    m2 = taulu_json_path_push_key(p, "versions");
    for (i = 0; i < a->n_versions && rc == 0; i++) {
        const struct taulu_alert_version *v = &a->versions[i];
        size_t m3 = taulu_json_path_push_index(p, i);
        if ((rc = check_lang(v->lang, "lang", p, why)) == 0 &&
            (rc = check_text(v->title, "title", true, 1,
                             limit_of(TAULU_F_ALERT_TITLE, ver), false, p,
                             why)) == 0) {
            rc = check_text(v->body, "body", true, 0,
                            limit_of(TAULU_F_ALERT_BODY, ver), true, p, why);
        }
        taulu_json_path_pop(p, m3);
    }
    if (rc == 0) {
        rc = validate_versions_langs(
            a->versions[0].lang, sizeof(a->versions[0]), a->n_versions, p, why);
    }
    taulu_json_path_pop(p, m2);
    return rc;
}

/* Every rule, with the limits and meanings of format `ver`. */
static int validate_as(const struct taulu_manifest *m, int ver,
                       struct taulu_buf *why)
{
    struct taulu_json_path p;
    size_t i, j, mark;
    int rc;

    if (!m) {
        return TAULU_EINVAL;
    }
    taulu_json_path_init(&p);
    if (!m->screen_id) {
        return taulu_json_fail(why, &p, "screen_id", TAULU_EMISSING, "missing");
    }
    if (!taulu_proto_screen_id_valid(m->screen_id)) {
        return taulu_json_fail(why, &p, "screen_id", TAULU_EVALUE,
                               "not a screen id ([a-z0-9][a-z0-9-]{0,62})");
    }
    if ((rc = check_int(m->seq, 0, TAULU_MANIFEST_MAX_SEQ, "seq", &p, why)) <
            0 ||
        (rc = check_time(m->built_at, "built_at", &p, why)) < 0 ||
        (rc = validate_centre(&m->centre, ver, &p, why)) < 0 ||
        (rc = validate_profile(&m->profile, &p, why)) < 0) {
        return rc;
    }
    /* Assets first: cards refer to them. */
    if ((rc = check_count(m->n_assets, 0, TAULU_MANIFEST_MAX_ASSETS, "assets",
                          &p, why)) < 0) {
        return rc;
    }
    mark = taulu_json_path_push_key(&p, "assets");
    for (i = 0; i < m->n_assets && rc == 0; i++) {
        const struct taulu_asset_ref *a = &m->assets[i];
        size_t m3 = taulu_json_path_push_index(&p, i);
        if ((rc = check_sha(a->sha256, "sha256", &p, why)) == 0 &&
            (rc = check_media(a->type, a->size, &p, why)) == 0) {
            for (j = 0; j < i; j++) {
                if (strcmp(m->assets[j].sha256, a->sha256) == 0) {
                    rc = taulu_json_fail(why, &p, "sha256", TAULU_EVALUE,
                                         "listed twice (assets[%zu])", j);
                    break;
                }
            }
        }
        taulu_json_path_pop(&p, m3);
    }
    taulu_json_path_pop(&p, mark);
    if (rc < 0) {
        return rc;
    }
    if ((rc = check_count(m->n_cards, 0, TAULU_MANIFEST_MAX_CARDS, "cards", &p,
                          why)) < 0) {
        return rc;
    }
    mark = taulu_json_path_push_key(&p, "cards");
    for (i = 0; i < m->n_cards && rc == 0; i++) {
        size_t m3 = taulu_json_path_push_index(&p, i);
        rc = validate_card(m, i, ver, &p, why);
        taulu_json_path_pop(&p, m3);
    }
    taulu_json_path_pop(&p, mark);
    if (rc < 0) {
        return rc;
    }
    if ((rc = check_count(m->n_alerts, 0, TAULU_MANIFEST_MAX_ALERTS, "alerts",
                          &p, why)) < 0) {
        return rc;
    }
    mark = taulu_json_path_push_key(&p, "alerts");
    for (i = 0; i < m->n_alerts && rc == 0; i++) {
        size_t m3 = taulu_json_path_push_index(&p, i);
        rc = validate_alert(m, i, ver, &p, why);
        taulu_json_path_pop(&p, m3);
    }
    taulu_json_path_pop(&p, mark);
    return rc;
}

int taulu_manifest_validate(const struct taulu_manifest *m,
                            struct taulu_buf *why)
{
    return validate_as(m, TAULU_MANIFEST_FORMAT_VERSION, why);
}

bool taulu_centre_always_open(const struct taulu_centre *c)
{
    return c->n_hours == 0 && !c->hours_given;
}

bool taulu_centre_closed_all_week(const struct taulu_centre *c)
{
    return c->n_hours == 0 && c->hours_given;
}

/* Whether s (may be NULL) is longer than the field's format 1 limit. */
static bool over_v1(const char *s, enum taulu_field f)
{
    return s && strlen(s) > taulu_field_get(f)->v1_bytes;
}

int taulu_manifest_format_version(const struct taulu_manifest *m)
{
    size_t i, j;

    if (taulu_centre_closed_all_week(&m->centre)) {
        return 2;
    }
    for (i = 0; i < m->n_cards; i++) {
        if (m->cards[i].recur) {
            return 2; /* a repeating event */
        }
    }
    for (i = 0; i < m->centre.n_name && i < TAULU_MANIFEST_MAX_LANGUAGES; i++) {
        if (over_v1(m->centre.name[i].text, TAULU_F_CENTRE_NAME)) {
            return 2;
        }
    }
    for (i = 0; i < m->n_cards; i++) {
        const struct taulu_card *c = &m->cards[i];
        if (over_v1(c->org, TAULU_F_ORG_NAME) ||
            over_v1(c->link, TAULU_F_LINK)) {
            return 2;
        }
        for (j = 0; j < c->n_versions; j++) {
            const struct taulu_card_version *v = &c->versions[j];
            if (over_v1(v->title, TAULU_F_TITLE) ||
                over_v1(v->body, TAULU_F_BODY) ||
                over_v1(v->place, TAULU_F_PLACE) ||
                over_v1(v->price, TAULU_F_PRICE) ||
                over_v1(v->registration, TAULU_F_REGISTRATION) ||
                over_v1(v->contact, TAULU_F_CONTACT) ||
                over_v1(v->image_alt, TAULU_F_IMAGE_ALT)) {
                return 2;
            }
        }
    }
    for (i = 0; i < m->n_alerts; i++) {
        for (j = 0; j < m->alerts[i].n_versions; j++) {
            if (over_v1(m->alerts[i].versions[j].title, TAULU_F_ALERT_TITLE) ||
                over_v1(m->alerts[i].versions[j].body, TAULU_F_ALERT_BODY)) {
                return 2;
            }
        }
    }
    return 1;
}

/* ---- the writer ---- */

struct writer {
    struct taulu_buf *b;
    int rc;
};

static void w_raw(struct writer *w, const char *s)
{
    if (w->rc == 0) {
        w->rc = taulu_buf_puts(w->b, s);
    }
}

static void w_str(struct writer *w, const char *s)
{
    if (w->rc == 0) {
        w->rc = taulu_json_put_string(w->b, s);
    }
}

static void w_int(struct writer *w, int64_t v)
{
    if (w->rc == 0) {
        w->rc = taulu_buf_appendf(w->b, "%lld", (long long)v);
    }
}

static void w_time(struct writer *w, int64_t t)
{
    char s[TAULU_MANIFEST_TIME_LEN];

    taulu_manifest_time_format(t, s); /* validated: in range */
    w_str(w, s);
}

static void w_hhmm(struct writer *w, int min)
{
    if (w->rc == 0) {
        w->rc = taulu_buf_appendf(w->b, "\"%02d:%02d\"", min / 60, min % 60);
    }
}

static void w_bool(struct writer *w, bool v)
{
    w_raw(w, v ? "true" : "false");
}

static void w_flag(struct writer *w, const char *key, enum taulu_flag f)
{
    if (f != TAULU_FLAG_UNKNOWN) {
        w_raw(w, key);
        w_bool(w, f == TAULU_FLAG_YES);
    }
}

static void w_opt_str(struct writer *w, const char *key, const char *s)
{
    if (s) {
        w_raw(w, key);
        w_str(w, s);
    }
}

static void write_centre(struct writer *w, const struct taulu_centre *c,
                         int version)
{
    size_t i;

    w_raw(w, ",\"centre\":{\"id\":");
    w_str(w, c->id);
    w_raw(w, ",\"name\":{");
    for (i = 0; i < c->n_name; i++) {
        w_raw(w, i ? "," : "");
        w_str(w, c->name[i].lang);
        w_raw(w, ":");
        w_str(w, c->name[i].text);
    }
    w_raw(w, "}");
    if (c->n_short_name > 0) {
        w_raw(w, ",\"short_name\":{");
        for (i = 0; i < c->n_short_name; i++) {
            w_raw(w, i ? "," : "");
            w_str(w, c->short_name[i].lang);
            w_raw(w, ":");
            w_str(w, c->short_name[i].text);
        }
        w_raw(w, "}");
    }
    w_raw(w, ",\"timezone\":");
    w_str(w, c->timezone);
    w_raw(w, ",\"languages\":[");
    for (i = 0; i < c->n_languages; i++) {
        w_raw(w, i ? "," : "");
        w_str(w, c->languages[i]);
    }
    w_raw(w, "]");
    /* Format 2 leaves the member out for "always open"; format 1 writes
     * that as an empty list (and cannot say "closed all week"). */
    if (version < 2 || !taulu_centre_always_open(c)) {
        w_raw(w, ",\"opening_hours\":[");
        for (i = 0; i < c->n_hours; i++) {
            w_raw(w, i ? ",{\"day\":" : "{\"day\":");
            w_int(w, c->hours[i].day);
            w_raw(w, ",\"open\":");
            w_hhmm(w, c->hours[i].open_min);
            w_raw(w, ",\"close\":");
            w_hhmm(w, c->hours[i].close_min);
            w_raw(w, "}");
        }
        w_raw(w, "]");
    }
    w_raw(w, ",\"closed_behaviour\":");
    w_str(w, closed_names[c->closed_behaviour]);
    if (c->loop_s != 0) {
        w_raw(w, ",\"loop_s\":");
        w_int(w, c->loop_s);
    }
    w_raw(w, "}");
}

static void write_profile(struct writer *w, const struct taulu_profile *pr)
{
    w_raw(w, ",\"profile\":{\"width_px\":");
    w_int(w, pr->width_px);
    w_raw(w, ",\"height_px\":");
    w_int(w, pr->height_px);
    w_raw(w, ",\"orientation\":");
    w_str(w, orientation_names[pr->orientation]);
    w_raw(w, ",\"diagonal_in\":");
    /* One decimal, written from the integer so no float formatting (and
     * no locale) is involved. */
    if (w->rc == 0) {
        w->rc = taulu_buf_appendf(w->b, "%d.%d", pr->diagonal_in_x10 / 10,
                                  pr->diagonal_in_x10 % 10);
    }
    w_raw(w, ",\"distance_mm\":");
    w_int(w, pr->distance_mm);
    w_raw(w, "}");
}

static void write_recur(struct writer *w, const struct taulu_card *c)
{
    const struct taulu_card_recur *r = c->recur;
    char d[TAULU_RECUR_DATE_LEN], day[5];
    size_t i;

    w_raw(w, ",\"recurrence\":{\"freq\":");
    w_str(w, r->rule.freq == TAULU_RECUR_MONTHLY ? "monthly" : "weekly");
    w_raw(w, ",\"interval\":");
    w_int(w, r->rule.interval);
    w_raw(w, ",\"byday\":[");
    for (i = 0; i < r->rule.n_days; i++) {
        taulu_recur_day_format(&r->rule.days[i], day);
        w_raw(w, i ? "," : "");
        w_str(w, day);
    }
    w_raw(w, "],\"until\":");
    taulu_recur_date_format(r->rule.until, d); /* validated */
    w_str(w, d);
    w_raw(w, ",\"start\":");
    w_hhmm(w, r->start_min);
    w_raw(w, ",\"end\":");
    w_hhmm(w, r->end_min);
    w_raw(w, "},\"occurrences\":[");
    for (i = 0; i < c->n_occurrences; i++) {
        w_raw(w, i ? ",{\"start\":" : "{\"start\":");
        w_time(w, c->occurrences[i].start);
        w_raw(w, ",\"end\":");
        w_time(w, c->occurrences[i].end);
        if (c->occurrences[i].cancelled) {
            w_raw(w, ",\"cancelled\":true");
        }
        w_raw(w, "}");
    }
    w_raw(w, "]");
}

static void write_card(struct writer *w, const struct taulu_card *c)
{
    size_t i;

    w_raw(w, "{\"id\":");
    w_str(w, c->id);
    w_raw(w, ",\"kind\":");
    w_str(w, kind_names[c->kind]);
    w_raw(w, ",\"category\":");
    w_str(w, taulu_category_key(c->category));
    w_raw(w, ",\"org\":");
    w_str(w, c->org);
    w_raw(w, ",\"display_from\":");
    w_time(w, c->display_from);
    w_raw(w, ",\"display_until\":");
    w_time(w, c->display_until);
    w_raw(w, ",\"versions\":[");
    for (i = 0; i < c->n_versions; i++) {
        const struct taulu_card_version *v = &c->versions[i];
        w_raw(w, i ? ",{\"lang\":" : "{\"lang\":");
        w_str(w, v->lang);
        w_raw(w, ",\"plain\":");
        w_bool(w, v->plain);
        w_raw(w, ",\"title\":");
        w_str(w, v->title);
        w_raw(w, ",\"body\":");
        w_str(w, v->body);
        w_opt_str(w, ",\"summary\":", v->summary);
        w_opt_str(w, ",\"place\":", v->place);
        w_opt_str(w, ",\"price\":", v->price);
        w_opt_str(w, ",\"registration\":", v->registration);
        w_opt_str(w, ",\"contact\":", v->contact);
        w_opt_str(w, ",\"image_alt\":", v->image_alt);
        w_raw(w, "}");
    }
    w_raw(w, "]");
    if (c->has_event) {
        w_raw(w, ",\"event\":{\"start\":");
        w_time(w, c->event.start);
        w_raw(w, ",\"end\":");
        w_time(w, c->event.end);
        w_flag(w, ",\"free\":", c->event.free);
        w_flag(w, ",\"step_free\":", c->event.step_free);
        w_flag(w, ",\"induction_loop\":", c->event.induction_loop);
        w_raw(w, "}");
    }
    if (c->recur) {
        write_recur(w, c);
    }
    w_opt_str(w, ",\"link\":", c->link);
    if (c->has_image) {
        w_raw(w, ",\"image\":{\"sha256\":");
        w_str(w, c->image.sha256);
        w_raw(w, ",\"size\":");
        w_int(w, c->image.size);
        w_raw(w, ",\"type\":");
        w_str(w, media_names[c->image.type]);
        w_raw(w, ",\"width\":");
        w_int(w, c->image.width);
        w_raw(w, ",\"height\":");
        w_int(w, c->image.height);
        w_raw(w, "}");
    }
    w_raw(w, "}");
}

static void write_alert(struct writer *w, const struct taulu_alert *a)
{
    size_t i;

    w_raw(w, "{\"id\":");
    w_str(w, a->id);
    w_raw(w, ",\"from\":");
    w_time(w, a->from);
    w_raw(w, ",\"until\":");
    w_time(w, a->until);
    w_raw(w, ",\"versions\":[");
    for (i = 0; i < a->n_versions; i++) {
        w_raw(w, i ? ",{\"lang\":" : "{\"lang\":");
        w_str(w, a->versions[i].lang);
        w_raw(w, ",\"title\":");
        w_str(w, a->versions[i].title);
        w_raw(w, ",\"body\":");
        w_str(w, a->versions[i].body);
        w_raw(w, "}");
    }
    w_raw(w, "]}");
}

int taulu_manifest_write(const struct taulu_manifest *m, struct taulu_buf *out)
{
    struct writer w = {out, 0};
    size_t start = out->len, i;
    int rc, version;

    if ((rc = taulu_manifest_validate(m, NULL)) < 0) {
        return rc;
    }
    version = taulu_manifest_format_version(m);
    w_raw(&w, "{\"format\":\"" TAULU_MANIFEST_FORMAT "\",\"format_version\":");
    w_int(&w, version);
    w_raw(&w, ",\"screen_id\":");
    w_str(&w, m->screen_id);
    w_raw(&w, ",\"seq\":");
    w_int(&w, m->seq);
    w_raw(&w, ",\"built_at\":");
    w_time(&w, m->built_at);
    write_centre(&w, &m->centre, version);
    write_profile(&w, &m->profile);
    w_raw(&w, ",\"cards\":[");
    for (i = 0; i < m->n_cards; i++) {
        w_raw(&w, i ? "," : "");
        write_card(&w, &m->cards[i]);
    }
    w_raw(&w, "],\"alerts\":[");
    for (i = 0; i < m->n_alerts; i++) {
        w_raw(&w, i ? "," : "");
        write_alert(&w, &m->alerts[i]);
    }
    w_raw(&w, "],\"assets\":[");
    for (i = 0; i < m->n_assets; i++) {
        const struct taulu_asset_ref *a = &m->assets[i];
        w_raw(&w, i ? ",{\"sha256\":" : "{\"sha256\":");
        w_str(&w, a->sha256);
        w_raw(&w, ",\"size\":");
        w_int(&w, a->size);
        w_raw(&w, ",\"type\":");
        w_str(&w, media_names[a->type]);
        w_raw(&w, "}");
    }
    w_raw(&w, "]}");
    if (w.rc < 0) {
        taulu_buf_truncate(out, start);
    }
    return w.rc;
}

/* ---- the reader ---- */

struct reader {
    struct taulu_manifest *m;
    struct taulu_json_path p;
    struct taulu_buf *why;
    int64_t version; /* the document's format_version */
};

/* Any string, copied into the arena. Lengths and characters are checked by
 * taulu_manifest_validate() with the same paths; here only the type (and
 * that it is UTF-8, which the JSON edge already made sure of). */
static int r_str(struct reader *r, const cJSON *obj, const char *name,
                 bool required, const char **out)
{
    const char *s = NULL;
    int rc =
        taulu_json_get_string(obj, name, required, 0, TAULU_MANIFEST_MAX_BYTES,
                              NULL, &s, &r->p, r->why);
    if (rc != 0) {
        return rc < 0 ? rc : TAULU_OK;
    }
    *out = taulu_manifest_strdup(r->m, s);
    return *out ? TAULU_OK : TAULU_ENOMEM;
}

/* A string into a fixed field, checked by `valid`. */
static int r_fixed(struct reader *r, const cJSON *obj, const char *name,
                   char *dst, size_t size, bool (*valid)(const char *),
                   const char *what)
{
    const char *s = NULL;
    int rc = taulu_json_get_string(obj, name, true, 0, TAULU_MANIFEST_MAX_BYTES,
                                   NULL, &s, &r->p, r->why);
    if (rc < 0) {
        return rc;
    }
    if (strlen(s) >= size || !valid(s)) {
        return taulu_json_fail(r->why, &r->p, name, TAULU_EVALUE, "%s", what);
    }
    memcpy(dst, s, strlen(s) + 1);
    return TAULU_OK;
}

static bool sha_valid(const char *s)
{
    return taulu_is_sha256_hex(s) != 0;
}

static int r_time(struct reader *r, const cJSON *obj, const char *name,
                  int64_t *out)
{
    const char *s = NULL;
    int rc =
        taulu_json_get_string(obj, name, true, 0, 64, NULL, &s, &r->p, r->why);
    if (rc < 0) {
        return rc;
    }
    if (taulu_manifest_time_parse(s, out) < 0) {
        return taulu_json_fail(r->why, &r->p, name, TAULU_EVALUE,
                               "not a UTC time YYYY-MM-DDTHH:MM:SSZ");
    }
    return TAULU_OK;
}

static int r_enum(struct reader *r, const cJSON *obj, const char *name,
                  const char *const *names, size_t n, int *out)
{
    const char *s = NULL;
    size_t i;
    int rc = taulu_json_get_string(obj, name, true, 0, TAULU_MANIFEST_MAX_BYTES,
                                   NULL, &s, &r->p, r->why);
    if (rc < 0) {
        return rc;
    }
    for (i = 0; i < n; i++) {
        if (strcmp(s, names[i]) == 0) {
            *out = (int)i;
            return TAULU_OK;
        }
    }
    return taulu_json_fail(r->why, &r->p, name, TAULU_EVALUE, "unknown value");
}

static int r_int(struct reader *r, const cJSON *obj, const char *name,
                 int64_t min, int64_t max, int64_t *out)
{
    return taulu_json_get_int(obj, name, true, min, max, out, &r->p, r->why);
}

static int r_flag(struct reader *r, const cJSON *obj, const char *name,
                  enum taulu_flag *out)
{
    bool b = false;
    int rc = taulu_json_get_bool(obj, name, false, &b, &r->p, r->why);

    if (rc < 0) {
        return rc;
    }
    *out = rc == 1 ? TAULU_FLAG_UNKNOWN : b ? TAULU_FLAG_YES : TAULU_FLAG_NO;
    return TAULU_OK;
}

/* An array member whose items are all objects; allocates n items of
 * `size` in the arena. */
static int r_array(struct reader *r, const cJSON *obj, const char *name,
                   size_t max, bool objects, const cJSON **arr, size_t *n,
                   void **items, size_t size)
{
    const cJSON *it;
    size_t i = 0;
    int rc =
        taulu_json_get_array(obj, name, true, 0, max, arr, n, &r->p, r->why);
    if (rc < 0) {
        return rc;
    }
    for (it = (*arr)->child; it; it = it->next, i++) {
        if (objects ? !cJSON_IsObject(it) : !cJSON_IsString(it)) {
            size_t mark = taulu_json_path_push_key(&r->p, name);
            taulu_json_path_push_index(&r->p, i);
            rc = taulu_json_fail(r->why, &r->p, NULL, TAULU_ETYPE,
                                 objects ? "not an object" : "not a string");
            taulu_json_path_pop(&r->p, mark);
            return rc;
        }
    }
    if (items) {
        *items = *n ? taulu_manifest_alloc(r->m, *n * size) : NULL;
        if (*n && !*items) {
            return TAULU_ENOMEM;
        }
    }
    return TAULU_OK;
}

/* An object of texts by language ("name", "short_name"): at most
 * MAX_LANGUAGES members, each a language tag. An absent optional one
 * leaves *n at 0. */
static int r_lang_texts(struct reader *r, const cJSON *obj, const char *key,
                        bool required, struct taulu_lang_text *out, size_t *n)
{
    const cJSON *o = NULL, *it;
    size_t m2;
    int rc = taulu_json_get_object(obj, key, required, &o, &r->p, r->why);

    if (rc != 0) {
        return rc < 0 ? rc : TAULU_OK;
    }
    m2 = taulu_json_path_push_key(&r->p, key);
    for (it = o->child; it && rc == 0; it = it->next) {
        if (*n == TAULU_MANIFEST_MAX_LANGUAGES) {
            rc = taulu_json_fail(r->why, &r->p, NULL, TAULU_ELIMIT,
                                 "too many languages (> %d)",
                                 TAULU_MANIFEST_MAX_LANGUAGES);
        } else if (strlen(it->string) > TAULU_LANG_MAX ||
                   !taulu_lang_valid(it->string)) {
            rc = taulu_json_fail(r->why, &r->p, NULL, TAULU_EVALUE,
                                 "member name is not a language tag");
        } else {
            memcpy(out[*n].lang, it->string, strlen(it->string) + 1);
            rc = r_str(r, o, it->string, true, &out[*n].text);
            (*n)++;
        }
    }
    taulu_json_path_pop(&r->p, m2);
    return rc;
}

static int read_centre(struct reader *r, const cJSON *root, int version)
{
    struct taulu_centre *c = &r->m->centre;
    const cJSON *obj = NULL, *arr = NULL, *it;
    size_t mark, m2, n, i;
    int64_t v;
    int rc, e = 0;

    if ((rc = taulu_json_get_object(root, "centre", true, &obj, &r->p,
                                    r->why)) < 0) {
        return rc;
    }
    mark = taulu_json_path_push_key(&r->p, "centre");
    if ((rc = r_str(r, obj, "id", true, &c->id)) < 0 ||
        (rc = r_lang_texts(r, obj, "name", true, c->name, &c->n_name)) < 0 ||
        (rc = r_lang_texts(r, obj, "short_name", false, c->short_name,
                           &c->n_short_name)) < 0 ||
        (rc = r_str(r, obj, "timezone", true, &c->timezone)) < 0 ||
        (rc = r_array(r, obj, "languages", TAULU_MANIFEST_MAX_LANGUAGES, false,
                      &arr, &n, NULL, 0)) < 0) {
        goto out;
    }
    m2 = taulu_json_path_push_key(&r->p, "languages");
    for (it = arr->child, i = 0; it; it = it->next, i++) {
        if (strlen(it->valuestring) > TAULU_LANG_MAX ||
            !taulu_lang_valid(it->valuestring)) {
            taulu_json_path_push_index(&r->p, i);
            rc = taulu_json_fail(r->why, &r->p, NULL, TAULU_EVALUE,
                                 "not a language tag");
            break;
        }
        memcpy(c->languages[i], it->valuestring, strlen(it->valuestring) + 1);
    }
    c->n_languages = i;
    taulu_json_path_pop(&r->p, m2);
    /* Format 1: required, empty = always open. Format 2: absent = always
     * open, present = the week's hours (empty = closed all week). */
    if (rc < 0 || (rc = taulu_json_get_array(obj, "opening_hours", version < 2,
                                             0, TAULU_MANIFEST_MAX_HOURS, &arr,
                                             &n, &r->p, r->why)) < 0) {
        goto out;
    }
    if (rc == 1) {
        arr = NULL; /* absent (format 2): always open */
        rc = 0;
    } else {
        c->hours_given = version >= 2 || n > 0;
        if ((rc = r_array(r, obj, "opening_hours", TAULU_MANIFEST_MAX_HOURS,
                          true, &arr, &n, NULL, 0)) < 0) {
            goto out;
        }
    }
    m2 = taulu_json_path_push_key(&r->p, "opening_hours");
    for (it = arr ? arr->child : NULL, i = 0; it && rc == 0;
         it = it->next, i++) {
        struct taulu_opening_interval *h = &c->hours[i];
        const char *s = NULL;
        size_t m3 = taulu_json_path_push_index(&r->p, i);
        if ((rc = r_int(r, it, "day", 1, 7, &v)) == 0) {
            h->day = (int)v;
            rc = taulu_json_get_string(it, "open", true, 0, 16, NULL, &s, &r->p,
                                       r->why);
        }
        if (rc == 0 &&
            (h->open_min = taulu_manifest_hhmm_parse(s, false)) < 0) {
            rc = taulu_json_fail(r->why, &r->p, "open", TAULU_EVALUE,
                                 "not a time of day HH:MM");
        }
        if (rc == 0) {
            rc = taulu_json_get_string(it, "close", true, 0, 16, NULL, &s,
                                       &r->p, r->why);
        }
        if (rc == 0 &&
            (h->close_min = taulu_manifest_hhmm_parse(s, true)) < 0) {
            rc = taulu_json_fail(r->why, &r->p, "close", TAULU_EVALUE,
                                 "not a time of day HH:MM");
        }
        taulu_json_path_pop(&r->p, m3);
    }
    c->n_hours = i;
    taulu_json_path_pop(&r->p, m2);
    if (rc < 0 || (rc = r_enum(r, obj, "closed_behaviour", closed_names,
                               N_OF(closed_names), &e)) < 0) {
        goto out;
    }
    c->closed_behaviour = (enum taulu_closed_behaviour)e;
    /* Optional in both formats (an older reader ignores it): absent, the
     * player's default budget. */
    rc = taulu_json_get_int(obj, "loop_s", false, TAULU_LOOP_MIN_S,
                            TAULU_LOOP_MAX_S, &v, &r->p, r->why);
    if (rc == 0) {
        c->loop_s = (int)v;
    } else if (rc == 1) {
        rc = 0;
    }
out:
    taulu_json_path_pop(&r->p, mark);
    return rc;
}

static int read_profile(struct reader *r, const cJSON *root)
{
    struct taulu_profile *pr = &r->m->profile;
    const cJSON *obj = NULL;
    size_t mark;
    int64_t v;
    double d = 0;
    int rc, e = 0;

    if ((rc = taulu_json_get_object(root, "profile", true, &obj, &r->p,
                                    r->why)) < 0) {
        return rc;
    }
    mark = taulu_json_path_push_key(&r->p, "profile");
    if ((rc = r_int(r, obj, "width_px", 1, TAULU_MANIFEST_MAX_PIXELS, &v)) <
        0) {
        goto out;
    }
    pr->width_px = (int)v;
    if ((rc = r_int(r, obj, "height_px", 1, TAULU_MANIFEST_MAX_PIXELS, &v)) <
        0) {
        goto out;
    }
    pr->height_px = (int)v;
    if ((rc = r_enum(r, obj, "orientation", orientation_names,
                     N_OF(orientation_names), &e)) < 0) {
        goto out;
    }
    pr->orientation = (enum taulu_orientation)e;
    if ((rc = taulu_json_get_number(obj, "diagonal_in", true, 5.0, 300.0, &d,
                                    &r->p, r->why)) < 0) {
        goto out;
    }
    pr->diagonal_in_x10 = (int)lround(d * 10.0);
    if (fabs(d * 10.0 - pr->diagonal_in_x10) > 1e-6) {
        rc = taulu_json_fail(r->why, &r->p, "diagonal_in", TAULU_EVALUE,
                             "more than one decimal");
        goto out;
    }
    if ((rc = r_int(r, obj, "distance_mm", 300, 100000, &v)) < 0) {
        goto out;
    }
    pr->distance_mm = (int)v;
out:
    taulu_json_path_pop(&r->p, mark);
    return rc;
}

static int read_version(struct reader *r, const cJSON *obj,
                        struct taulu_card_version *v)
{
    int rc;

    if ((rc = r_fixed(r, obj, "lang", v->lang, sizeof(v->lang),
                      taulu_lang_valid, "not a language tag")) < 0 ||
        (rc = taulu_json_get_bool(obj, "plain", true, &v->plain, &r->p,
                                  r->why)) < 0 ||
        (rc = r_str(r, obj, "title", true, &v->title)) < 0 ||
        (rc = r_str(r, obj, "body", true, &v->body)) < 0 ||
        (rc = r_str(r, obj, "summary", false, &v->summary)) < 0 ||
        (rc = r_str(r, obj, "place", false, &v->place)) < 0 ||
        (rc = r_str(r, obj, "price", false, &v->price)) < 0 ||
        (rc = r_str(r, obj, "registration", false, &v->registration)) < 0 ||
        (rc = r_str(r, obj, "contact", false, &v->contact)) < 0 ||
        (rc = r_str(r, obj, "image_alt", false, &v->image_alt)) < 0) {
        return rc;
    }
    return TAULU_OK;
}

static int read_media(struct reader *r, const cJSON *obj, char *sha,
                      int64_t *size, enum taulu_media_type *type)
{
    int rc, e = 0;

    if ((rc = r_fixed(r, obj, "sha256", sha, TAULU_SHA256_HEX_LEN + 1,
                      sha_valid, "not 64 lowercase hex digits")) < 0 ||
        (rc = r_int(r, obj, "size", 1, TAULU_MANIFEST_MAX_ASSET_BYTES, size)) <
            0 ||
        (rc = r_enum(r, obj, "type", media_names, N_OF(media_names), &e)) < 0) {
        return rc;
    }
    *type = (enum taulu_media_type)e;
    return TAULU_OK;
}

/* "HH:MM" member of a recurrence: minutes, or a value error. */
static int r_hhmm(struct reader *r, const cJSON *obj, const char *name,
                  bool allow_24, int *out)
{
    const char *s = NULL;
    int rc =
        taulu_json_get_string(obj, name, true, 0, 16, NULL, &s, &r->p, r->why);

    if (rc < 0) {
        return rc;
    }
    if ((*out = taulu_manifest_hhmm_parse(s, allow_24)) < 0) {
        return taulu_json_fail(r->why, &r->p, name, TAULU_EVALUE,
                               "not a time of day HH:MM");
    }
    return TAULU_OK;
}

/* `recurrence` and `occurrences` of a card (format 2); both absent, or
 * both present (the validator says so when one is missing). */
static int read_recur(struct reader *r, const cJSON *obj, struct taulu_card *c)
{
    static const char *const freq_names[] = {"weekly", "monthly"};
    struct taulu_card_recur *rec;
    const cJSON *sub = NULL, *arr = NULL, *it;
    const char *s = NULL;
    size_t i, mark;
    int64_t v = 0;
    int rc, e = 0;

    if ((rc = taulu_json_get_object(obj, "recurrence", false, &sub, &r->p,
                                    r->why)) < 0) {
        return rc;
    }
    if (rc == 0) {
        if (!(rec = taulu_manifest_alloc(r->m, sizeof *rec))) {
            return TAULU_ENOMEM;
        }
        mark = taulu_json_path_push_key(&r->p, "recurrence");
        rec->rule.until = TAULU_RECUR_NO_DATE;
        if ((rc = r_enum(r, sub, "freq", freq_names, N_OF(freq_names), &e)) ==
                0 &&
            (rc = r_int(r, sub, "interval", 1, TAULU_RECUR_MAX_INTERVAL, &v)) ==
                0 &&
            (rc = taulu_json_get_array(sub, "byday", true, 1, 7, &arr,
                                       &rec->rule.n_days, &r->p, r->why)) ==
                0) {
            rec->rule.freq = (enum taulu_recur_freq)e;
            rec->rule.interval = (int)v;
            i = 0;
            for (it = arr->child; it && rc == 0; it = it->next, i++) {
                if (!cJSON_IsString(it) ||
                    !taulu_recur_day_parse(it->valuestring,
                                           strlen(it->valuestring),
                                           &rec->rule.days[i])) {
                    size_t m3 = taulu_json_path_push_key(&r->p, "byday");
                    taulu_json_path_push_index(&r->p, i);
                    rc = taulu_json_fail(r->why, &r->p, NULL,
                                         cJSON_IsString(it) ? TAULU_EVALUE
                                                            : TAULU_ETYPE,
                                         "not a day (MO, 1TU, -1FR)");
                    taulu_json_path_pop(&r->p, m3);
                }
            }
        }
        if (rc == 0 &&
            (rc = taulu_json_get_string(sub, "until", true, 0, 16, NULL, &s,
                                        &r->p, r->why)) == 0 &&
            taulu_recur_date_parse(s, &rec->rule.until) < 0) {
            rc = taulu_json_fail(r->why, &r->p, "until", TAULU_EVALUE,
                                 "not a date YYYY-MM-DD");
        }
        if (rc == 0 &&
            (rc = r_hhmm(r, sub, "start", false, &rec->start_min)) == 0) {
            rc = r_hhmm(r, sub, "end", true, &rec->end_min);
        }
        taulu_json_path_pop(&r->p, mark);
        if (rc < 0) {
            return rc;
        }
        c->recur = rec;
    }
    if ((rc = taulu_json_get_array(obj, "occurrences", false, 0,
                                   TAULU_MANIFEST_MAX_OCCURRENCES, &arr,
                                   &c->n_occurrences, &r->p, r->why)) < 0) {
        return rc;
    }
    if (rc == 1) {
        return TAULU_OK;
    }
    if ((rc = r_array(r, obj, "occurrences", TAULU_MANIFEST_MAX_OCCURRENCES,
                      true, &arr, &c->n_occurrences, (void **)&c->occurrences,
                      sizeof *c->occurrences)) < 0) {
        return rc;
    }
    mark = taulu_json_path_push_key(&r->p, "occurrences");
    for (it = arr->child, i = 0; it && rc == 0; it = it->next, i++) {
        struct taulu_occurrence *o = &c->occurrences[i];
        bool cancelled = false;
        size_t m3 = taulu_json_path_push_index(&r->p, i);
        if ((rc = r_time(r, it, "start", &o->start)) == 0 &&
            (rc = r_time(r, it, "end", &o->end)) == 0 &&
            (rc = taulu_json_get_bool(it, "cancelled", false, &cancelled, &r->p,
                                      r->why)) >= 0) {
            /* only `true` is ever written; false is the same as absent */
            o->cancelled = rc == 0 && cancelled;
            rc = 0;
        }
        taulu_json_path_pop(&r->p, m3);
    }
    taulu_json_path_pop(&r->p, mark);
    return rc;
}

static int read_card(struct reader *r, const cJSON *obj, struct taulu_card *c)
{
    const cJSON *arr = NULL, *it, *sub = NULL;
    const char *cat = NULL;
    size_t i, mark;
    int64_t v;
    int rc, e = 0;

    if ((rc = r_str(r, obj, "id", true, &c->id)) < 0 ||
        (rc = r_enum(r, obj, "kind", kind_names, N_OF(kind_names), &e)) < 0) {
        return rc;
    }
    c->kind = (enum taulu_card_kind)e;
    if ((rc = taulu_json_get_string(obj, "category", true, 0,
                                    TAULU_MANIFEST_MAX_BYTES, NULL, &cat, &r->p,
                                    r->why)) < 0) {
        return rc;
    }
    if (taulu_category_from_key(cat, &c->category) < 0) {
        return taulu_json_fail(r->why, &r->p, "category", TAULU_EVALUE,
                               "unknown category");
    }
    if ((rc = r_str(r, obj, "org", true, &c->org)) < 0 ||
        (rc = r_time(r, obj, "display_from", &c->display_from)) < 0 ||
        (rc = r_time(r, obj, "display_until", &c->display_until)) < 0 ||
        (rc = r_array(r, obj, "versions", TAULU_MANIFEST_MAX_VERSIONS, true,
                      &arr, &c->n_versions, (void **)&c->versions,
                      sizeof(*c->versions))) < 0) {
        return rc;
    }
    mark = taulu_json_path_push_key(&r->p, "versions");
    for (it = arr->child, i = 0; it && rc == 0; it = it->next, i++) {
        size_t m3 = taulu_json_path_push_index(&r->p, i);
        rc = read_version(r, it, &c->versions[i]);
        taulu_json_path_pop(&r->p, m3);
    }
    taulu_json_path_pop(&r->p, mark);
    if (rc < 0 || (rc = taulu_json_get_object(obj, "event", false, &sub, &r->p,
                                              r->why)) < 0) {
        return rc;
    }
    if (rc == 0) {
        c->has_event = true;
        mark = taulu_json_path_push_key(&r->p, "event");
        if ((rc = r_time(r, sub, "start", &c->event.start)) == 0 &&
            (rc = r_time(r, sub, "end", &c->event.end)) == 0 &&
            (rc = r_flag(r, sub, "free", &c->event.free)) == 0 &&
            (rc = r_flag(r, sub, "step_free", &c->event.step_free)) == 0) {
            rc = r_flag(r, sub, "induction_loop", &c->event.induction_loop);
        }
        taulu_json_path_pop(&r->p, mark);
        if (rc < 0) {
            return rc;
        }
    }
    /* Recurring events are format 2's; in a version 1 document these are
     * unknown members, ignored as a version 1 player ignores them. */
    if (r->version >= 2 && (rc = read_recur(r, obj, c)) < 0) {
        return rc;
    }
    if ((rc = r_str(r, obj, "link", false, &c->link)) < 0 ||
        (rc = taulu_json_get_object(obj, "image", false, &sub, &r->p, r->why)) <
            0) {
        return rc;
    }
    if (rc == 0) {
        c->has_image = true;
        mark = taulu_json_path_push_key(&r->p, "image");
        if ((rc = read_media(r, sub, c->image.sha256, &c->image.size,
                             &c->image.type)) == 0 &&
            (rc = r_int(r, sub, "width", 1, TAULU_MANIFEST_MAX_PIXELS, &v)) ==
                0) {
            c->image.width = (int)v;
            rc = r_int(r, sub, "height", 1, TAULU_MANIFEST_MAX_PIXELS, &v);
            c->image.height = (int)v;
        }
        taulu_json_path_pop(&r->p, mark);
    }
    return rc < 0 ? rc : TAULU_OK;
}

static int read_alert(struct reader *r, const cJSON *obj, struct taulu_alert *a)
{
    const cJSON *arr = NULL, *it;
    size_t i, mark;
    int rc;

    if ((rc = r_str(r, obj, "id", true, &a->id)) < 0 ||
        (rc = r_time(r, obj, "from", &a->from)) < 0 ||
        (rc = r_time(r, obj, "until", &a->until)) < 0 ||
        (rc = r_array(r, obj, "versions", TAULU_MANIFEST_MAX_VERSIONS, true,
                      &arr, &a->n_versions, (void **)&a->versions,
                      sizeof(*a->versions))) < 0) {
        return rc;
    }
    mark = taulu_json_path_push_key(&r->p, "versions");
    for (it = arr->child, i = 0; it && rc == 0; it = it->next, i++) {
        struct taulu_alert_version *v = &a->versions[i];
        size_t m3 = taulu_json_path_push_index(&r->p, i);
        if ((rc = r_fixed(r, it, "lang", v->lang, sizeof(v->lang),
                          taulu_lang_valid, "not a language tag")) == 0 &&
            (rc = r_str(r, it, "title", true, &v->title)) == 0) {
            rc = r_str(r, it, "body", true, &v->body);
        }
        taulu_json_path_pop(&r->p, m3);
    }
    taulu_json_path_pop(&r->p, mark);
    return rc;
}

/* The array member `name` of root: each object item read by `fn`. */
static int read_list(struct reader *r, const cJSON *root, const char *name,
                     size_t max, void **items, size_t *n, size_t size,
                     int (*fn)(struct reader *, const cJSON *, void *))
{
    const cJSON *arr = NULL, *it;
    size_t i, mark;
    int rc;

    if ((rc = r_array(r, root, name, max, true, &arr, n, items, size)) < 0) {
        return rc;
    }
    mark = taulu_json_path_push_key(&r->p, name);
    for (it = arr->child, i = 0; it && rc == 0; it = it->next, i++) {
        size_t m3 = taulu_json_path_push_index(&r->p, i);
        rc = fn(r, it, (char *)*items + i * size);
        taulu_json_path_pop(&r->p, m3);
    }
    taulu_json_path_pop(&r->p, mark);
    return rc;
}

static int read_card_item(struct reader *r, const cJSON *obj, void *item)
{
    return read_card(r, obj, item);
}

static int read_alert_item(struct reader *r, const cJSON *obj, void *item)
{
    return read_alert(r, obj, item);
}

static int read_asset_item(struct reader *r, const cJSON *obj, void *item)
{
    struct taulu_asset_ref *a = item;

    return read_media(r, obj, a->sha256, &a->size, &a->type);
}

static const struct taulu_json_limits manifest_limits = {
    TAULU_MANIFEST_MAX_BYTES, TAULU_MANIFEST_MAX_DEPTH,
    TAULU_MANIFEST_MAX_MEMBERS, TAULU_MANIFEST_MAX_VALUES};

int taulu_manifest_parse(const char *json, size_t len,
                         struct taulu_manifest **out, struct taulu_buf *why)
{
    struct reader r = {NULL, {{0}, 0}, why, 0};
    cJSON *root = NULL;
    const char *format = NULL;
    int64_t v = 0;
    int rc;

    *out = NULL;
    taulu_json_path_init(&r.p);
    if ((rc = taulu_json_parse(json, len, &manifest_limits, &root, why)) < 0) {
        goto out;
    }
    if (!cJSON_IsObject(root)) {
        rc = taulu_json_fail(why, NULL, NULL, TAULU_ETYPE, "not an object");
        goto out;
    }
    /* The format and its version first: a document of another format or a
     * later version is "not ours", not "broken". */
    if ((rc = taulu_json_get_string(root, "format", true, 0, 64, NULL, &format,
                                    &r.p, why)) < 0) {
        goto out;
    }
    if (strcmp(format, TAULU_MANIFEST_FORMAT) != 0) {
        rc = taulu_json_fail(why, NULL, "format", TAULU_EVERSION,
                             "not " TAULU_MANIFEST_FORMAT);
        goto out;
    }
    if ((rc = taulu_json_get_int(root, "format_version", true, INT32_MIN,
                                 INT32_MAX, &v, &r.p, why)) < 0) {
        if (rc == TAULU_EVALUE) {
            rc = TAULU_EVERSION;
        }
        goto out;
    }
    if (v < TAULU_MANIFEST_FORMAT_VERSION_MIN ||
        v > TAULU_MANIFEST_FORMAT_VERSION) {
        rc = taulu_json_fail(why, NULL, "format_version", TAULU_EVERSION,
                             "version %lld is not known here (only %d..%d)",
                             (long long)v, TAULU_MANIFEST_FORMAT_VERSION_MIN,
                             TAULU_MANIFEST_FORMAT_VERSION);
        goto out;
    }
    r.version = v;
    if (!(r.m = taulu_manifest_new())) {
        rc = TAULU_ENOMEM;
        goto out;
    }
    r.m->format_version = (int)v;
    if ((rc = r_str(&r, root, "screen_id", true, &r.m->screen_id)) < 0 ||
        (rc = r_int(&r, root, "seq", 0, TAULU_MANIFEST_MAX_SEQ, &r.m->seq)) <
            0 ||
        (rc = r_time(&r, root, "built_at", &r.m->built_at)) < 0 ||
        (rc = read_centre(&r, root, (int)v)) < 0 ||
        (rc = read_profile(&r, root)) < 0 ||
        (rc = read_list(&r, root, "cards", TAULU_MANIFEST_MAX_CARDS,
                        (void **)&r.m->cards, &r.m->n_cards,
                        sizeof(*r.m->cards), read_card_item)) < 0 ||
        (rc = read_list(&r, root, "alerts", TAULU_MANIFEST_MAX_ALERTS,
                        (void **)&r.m->alerts, &r.m->n_alerts,
                        sizeof(*r.m->alerts), read_alert_item)) < 0 ||
        (rc = read_list(&r, root, "assets", TAULU_MANIFEST_MAX_ASSETS,
                        (void **)&r.m->assets, &r.m->n_assets,
                        sizeof(*r.m->assets), read_asset_item)) < 0) {
        goto out;
    }
    if ((rc = validate_as(r.m, (int)v, why)) < 0) {
        goto out;
    }
    *out = r.m;
    r.m = NULL;
out:
    if (rc == TAULU_ENOMEM && why) {
        taulu_buf_puts(why, "out of memory");
    }
    taulu_manifest_free(r.m);
    cJSON_Delete(root);
    return rc;
}

/* ---- the signed envelope ---- */

#define SIG_PREFIX_LEN (sizeof(TAULU_MANIFEST_SIG_PREFIX) - 1)
#define SIG_DOMAIN_LEN (sizeof(TAULU_MANIFEST_SIG_DOMAIN) - 1)
#define SIG_B64_LEN    88

/* DOMAIN || json in one piece, since Ed25519 signs a single message. */
static unsigned char *signed_message(const char *json, size_t len, size_t *mlen)
{
    unsigned char *msg = malloc(SIG_DOMAIN_LEN + len);

    if (msg) {
        memcpy(msg, TAULU_MANIFEST_SIG_DOMAIN, SIG_DOMAIN_LEN);
        if (len) {
            memcpy(msg + SIG_DOMAIN_LEN, json, len);
        }
        *mlen = SIG_DOMAIN_LEN + len;
    }
    return msg;
}

int taulu_manifest_sign(const char *json, size_t len,
                        const uint8_t sk[TAULU_SIGN_SK_LEN],
                        struct taulu_buf *out_signed)
{
    uint8_t pk[TAULU_SIGN_PK_LEN], sig[TAULU_SIGN_LEN];
    char kid[17], b64[SIG_B64_LEN + 1];
    unsigned char *msg = NULL;
    size_t mlen = 0, start = out_signed->len;
    int rc;

    if (len > TAULU_MANIFEST_MAX_BYTES) {
        return TAULU_ELIMIT;
    }
    if (!(msg = signed_message(json, len, &mlen))) {
        return TAULU_ENOMEM;
    }
    taulu_sign(msg, mlen, sk, sig);
    free(msg);
    taulu_sign_sk_to_pk(sk, pk);
    taulu_key_id(pk, kid);
    if ((rc = taulu_base64_encode(sig, sizeof(sig), b64, sizeof(b64))) < 0) {
        return rc;
    }
    if ((rc = taulu_buf_grow(out_signed, TAULU_MANIFEST_SIG_HEADER_LEN + len)) <
            0 ||
        (rc = taulu_buf_appendf(out_signed, "%s%s %s\n",
                                TAULU_MANIFEST_SIG_PREFIX, kid, b64)) < 0 ||
        (rc = taulu_buf_append(out_signed, json, len)) < 0) {
        taulu_buf_truncate(out_signed, start);
        return rc;
    }
    return TAULU_OK;
}

static int open_fail(struct taulu_buf *why, int code, const char *msg)
{
    if (why) {
        taulu_buf_appendf(why, "signed manifest: %s", msg);
    }
    return code;
}

int taulu_manifest_open(const char *signed_blob, size_t len,
                        const uint8_t pk[TAULU_SIGN_PK_LEN],
                        const char *expected_sha256, const char **json,
                        size_t *json_len, struct taulu_buf *why)
{
    char hex[TAULU_SHA256_HEX_LEN + 1], kid[17], b64[SIG_B64_LEN + 1];
    uint8_t sig[TAULU_SIGN_LEN];
    const char *hdr = signed_blob, *body;
    unsigned char *msg = NULL;
    size_t i, mlen = 0, blen;
    int rc;

    *json = NULL;
    *json_len = 0;
    if (expected_sha256 && !taulu_is_sha256_hex(expected_sha256)) {
        return open_fail(why, TAULU_EINVAL,
                         "expected sha256 is not 64 lowercase hex digits");
    }
    /* 1. The bytes are the ones the pointer names. */
    if (expected_sha256) {
        taulu_sha256_hex(signed_blob, len, hex);
        if (strcmp(hex, expected_sha256) != 0) {
            return open_fail(why, TAULU_EHASH,
                             "sha256 does not match the pointer");
        }
    }
    /* 2. Size and header syntax. */
    if (len > TAULU_MANIFEST_SIGNED_MAX_BYTES) {
        return open_fail(why, TAULU_ELIMIT, "too big");
    }
    if (len < TAULU_MANIFEST_SIG_HEADER_LEN ||
        memcmp(hdr, TAULU_MANIFEST_SIG_PREFIX, SIG_PREFIX_LEN) != 0) {
        return open_fail(why, TAULU_ESIG, "no signature header");
    }
    for (i = 0; i < 16; i++) {
        char c = hdr[SIG_PREFIX_LEN + i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            return open_fail(why, TAULU_ESIG, "malformed key id");
        }
    }
    if (hdr[SIG_PREFIX_LEN + 16] != ' ' ||
        hdr[TAULU_MANIFEST_SIG_HEADER_LEN - 1] != '\n') {
        return open_fail(why, TAULU_ESIG, "malformed signature header");
    }
    memcpy(b64, hdr + SIG_PREFIX_LEN + 17, SIG_B64_LEN);
    b64[SIG_B64_LEN] = '\0';
    if (strlen(b64) != SIG_B64_LEN ||
        taulu_base64_decode(b64, sig, sizeof(sig)) < 0) {
        return open_fail(why, TAULU_ESIG, "malformed signature");
    }
    /* base64 leaves 4 unused bits in the last character before "=="; a
     * decoder may ignore them, so insist on the one canonical text or the
     * same signature could be written 16 ways (and the blob's hash with
     * it). */
    {
        char again[SIG_B64_LEN + 1];
        if (taulu_base64_encode(sig, sizeof(sig), again, sizeof(again)) < 0 ||
            memcmp(again, b64, SIG_B64_LEN) != 0) {
            return open_fail(why, TAULU_ESIG, "malformed signature");
        }
    }
    /* 3. Signed by the key we trust. */
    taulu_key_id(pk, kid);
    if (memcmp(kid, hdr + SIG_PREFIX_LEN, 16) != 0) {
        return open_fail(why, TAULU_ESIG, "signed with another key");
    }
    /* 4. The signature. */
    body = signed_blob + TAULU_MANIFEST_SIG_HEADER_LEN;
    blen = len - TAULU_MANIFEST_SIG_HEADER_LEN;
    if (!(msg = signed_message(body, blen, &mlen))) {
        return open_fail(why, TAULU_ENOMEM, "out of memory");
    }
    rc = taulu_verify(msg, mlen, sig, pk);
    free(msg);
    if (rc < 0) {
        return open_fail(why, TAULU_ESIG, "signature is not valid");
    }
    *json = body;
    *json_len = blen;
    return TAULU_OK;
}

int taulu_manifest_load_signed(const char *signed_blob, size_t len,
                               const uint8_t pk[TAULU_SIGN_PK_LEN],
                               const char *expected_sha256,
                               const char *expected_screen_id, int64_t min_seq,
                               struct taulu_manifest **out,
                               struct taulu_buf *why)
{
    struct taulu_manifest *m = NULL;
    const char *json = NULL;
    size_t json_len = 0;
    int rc;

    *out = NULL;
    if ((rc = taulu_manifest_open(signed_blob, len, pk, expected_sha256, &json,
                                  &json_len, why)) < 0 ||
        (rc = taulu_manifest_parse(json, json_len, &m, why)) < 0) {
        return rc;
    }
    if (expected_screen_id && strcmp(m->screen_id, expected_screen_id) != 0) {
        rc = taulu_json_fail(why, NULL, "screen_id", TAULU_EVALUE,
                             "for another screen");
        goto out;
    }
    if (m->seq < min_seq) {
        rc = taulu_json_fail(why, NULL, "seq", TAULU_ESTALE,
                             "%lld is older than the current %lld",
                             (long long)m->seq, (long long)min_seq);
        goto out;
    }
    *out = m;
    m = NULL;
out:
    taulu_manifest_free(m);
    return rc;
}

/* ---- helpers ---- */

const struct taulu_card_version *
taulu_card_version_for(const struct taulu_card *c, const char *lang)
{
    size_t i;

    for (i = 0; lang && i < c->n_versions; i++) {
        if (strcmp(c->versions[i].lang, lang) == 0) {
            return &c->versions[i];
        }
    }
    return NULL;
}

const struct taulu_alert_version *
taulu_alert_version_for(const struct taulu_alert *a, const char *lang)
{
    size_t i;

    for (i = 0; lang && i < a->n_versions; i++) {
        if (strcmp(a->versions[i].lang, lang) == 0) {
            return &a->versions[i];
        }
    }
    return NULL;
}

bool taulu_card_is_current(const struct taulu_card *c, int64_t now)
{
    if (now < c->display_from || now >= c->display_until) {
        return false;
    }
    return !(c->has_event && now >= c->event.end);
}

int taulu_card_occurrence(const struct taulu_card *c, int64_t now,
                          struct taulu_occurrence *out)
{
    size_t i;

    if (!c->has_event) {
        return -1;
    }
    if (!c->recur) {
        if (now >= c->event.end) {
            return -1;
        }
        out->start = c->event.start;
        out->end = c->event.end;
        out->cancelled = false;
        return 0;
    }
    for (i = 0; i < c->n_occurrences; i++) {
        if (now < c->occurrences[i].end) {
            *out = c->occurrences[i];
            return (int)i;
        }
    }
    return -1;
}

bool taulu_alert_is_current(const struct taulu_alert *a, int64_t now)
{
    return now >= a->from && now < a->until;
}

const struct taulu_asset_ref *
taulu_manifest_find_asset(const struct taulu_manifest *m, const char *sha256)
{
    size_t i;

    for (i = 0; sha256 && i < m->n_assets; i++) {
        if (strcmp(m->assets[i].sha256, sha256) == 0) {
            return &m->assets[i];
        }
    }
    return NULL;
}
