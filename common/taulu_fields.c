/*
 * taulu_fields.c: the table of text field limits (see taulu_fields.h).
 */
#include "taulu_fields.h"

#include "taulu_err.h"
#include "taulu_utf8.h"

/* The numbers of format 1, kept so that a manifest whose texts fit them is
 * still written as format 1 (older players read it). */
#define V1_TITLE  300
#define V1_BODY   4000
#define V1_STRING 500
#define V1_LINK   2000

/* max_bytes: 4 bytes a character, and never below what format 1 allowed
 * (so that every valid format 1 manifest is a valid format 2 one). */
#define BYTES(chars, v1)                                                       \
    (TAULU_FIELD_BYTES(chars) > (v1) ? TAULU_FIELD_BYTES(chars) : (v1))
#define TEXT(id, key, chars, v1, nl)                                           \
    {                                                                          \
        id, key, chars, BYTES(chars, v1), v1, nl, false                        \
    }

static const struct taulu_field_def table[TAULU_F_COUNT] = {
    TEXT(TAULU_F_TITLE, "title", TAULU_TITLE_MAX_CHARS, V1_TITLE, false),
    TEXT(TAULU_F_BODY, "body", TAULU_BODY_MAX_CHARS, V1_BODY, true),
    TEXT(TAULU_F_PLACE, "place", TAULU_PLACE_MAX_CHARS, V1_STRING, false),
    TEXT(TAULU_F_PRICE, "price", TAULU_PRICE_MAX_CHARS, V1_STRING, false),
    TEXT(TAULU_F_REGISTRATION, "registration", TAULU_REGISTRATION_MAX_CHARS,
         V1_STRING, false),
    TEXT(TAULU_F_CONTACT, "contact", TAULU_CONTACT_MAX_CHARS, V1_STRING, false),
    TEXT(TAULU_F_IMAGE_ALT, "image_alt", TAULU_IMAGE_ALT_MAX_CHARS, V1_STRING,
         false),
    {TAULU_F_LINK, "link", TAULU_LINK_MAX_CHARS, TAULU_LINK_MAX_CHARS, V1_LINK,
     false, true},
    TEXT(TAULU_F_ALERT_TITLE, "alert_title", TAULU_ALERT_TITLE_MAX_CHARS,
         V1_TITLE, false),
    TEXT(TAULU_F_ALERT_BODY, "alert_body", TAULU_ALERT_BODY_MAX_CHARS, V1_BODY,
         true),
    TEXT(TAULU_F_ORG_NAME, "organisation_name", TAULU_ORG_NAME_MAX_CHARS,
         V1_STRING, false),
    TEXT(TAULU_F_CENTRE_NAME, "centre_name", TAULU_CENTRE_NAME_MAX_CHARS,
         V1_STRING, false),
    /* Members format 1 did not have: its readers ignore them, so no
     * length of theirs makes a manifest format 2. */
    TEXT(TAULU_F_CENTRE_SHORT, "centre_short_name",
         TAULU_CENTRE_SHORT_MAX_CHARS,
         TAULU_FIELD_BYTES(TAULU_CENTRE_SHORT_MAX_CHARS), false),
    TEXT(TAULU_F_SUMMARY, "summary", TAULU_SUMMARY_MAX_CHARS,
         TAULU_FIELD_BYTES(TAULU_SUMMARY_MAX_CHARS), true),
};

/* The byte limit never refuses what the character limit allows. */
_Static_assert(TAULU_FIELD_BYTES(1) >= 4, "a code point takes up to 4 bytes");

const struct taulu_field_def *taulu_field_get(enum taulu_field f)
{
    return (unsigned)f < TAULU_F_COUNT ? &table[f] : NULL;
}

const struct taulu_field_def *taulu_field_table(size_t *n)
{
    if (n) {
        *n = TAULU_F_COUNT;
    }
    return table;
}

int taulu_field_check(enum taulu_field f, const char *s, size_t len,
                      const char **why)
{
    const struct taulu_field_def *d = taulu_field_get(f);
    size_t pos = 0, chars = 0;
    uint32_t cp;

    if (why) {
        *why = NULL;
    }
    if (!d || (!s && len)) {
        if (why) {
            *why = "no such field";
        }
        return TAULU_EINVAL;
    }
    while (pos < len) {
        if (taulu_utf8_decode(s, len, &pos, &cp) < 0) {
            if (why) {
                *why = "invalid UTF-8";
            }
            return TAULU_EUTF8;
        }
        if ((cp < 0x20 && !(d->newlines && cp == '\n')) || cp == 0x7f ||
            (cp >= 0x80 && cp < 0xa0)) {
            if (why) {
                *why = "control character";
            }
            return TAULU_EUTF8;
        }
        if (d->ascii && cp >= 0x80) {
            if (why) {
                *why = "not ASCII";
            }
            return TAULU_EUTF8;
        }
        chars++;
    }
    if (chars > d->max_chars || len > d->max_bytes) {
        if (why) {
            *why = "too long";
        }
        return TAULU_ELIMIT;
    }
    return TAULU_OK;
}
