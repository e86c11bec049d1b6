/*
 * taulu_fields.h: the one table of the limits of every text a person types
 * that can reach a screen: how many characters the form and the API take,
 * how many bytes of UTF-8 the manifest carries, and which control
 * characters the text may hold.
 *
 * Why one table: the API used to count characters and the manifest bytes,
 * with numbers written in three places; 120 en dashes are 120 characters
 * but 360 bytes, so an approved title could be refused by the manifest
 * and never reach a screen. Here every limit is written once and the
 * others follow from it:
 *
 *   - max_chars: what a person may type (code points), the API's limit
 *     and the web form's maxlength (GET /api/v1/limits exports the table);
 *   - max_bytes: the manifest's limit (format 2) = 4 x max_chars (no code
 *     point takes more than 4 bytes of UTF-8), so the byte limit can never
 *     be the one that refuses a text the character limit allowed (where
 *     format 1 allowed more, that more: every format 1 manifest stays a
 *     valid format 2 one). A field that must be ASCII (the link) has
 *     max_bytes = max_chars;
 *   - v1_bytes: the limit manifest format 1 had (older players): a
 *     manifest with a text over it is written as format 2, which those
 *     players refuse as a whole instead of reading wrongly
 *     (taulu_manifest.h, docs/protocol.md).
 *
 * The API (content-server/api/srv_fields.c), the manifest's writer and
 * reader (taulu_manifest.c), the checker's byte thresholds and the web
 * form all read this table; changing a number here changes all of them
 * (and, for max_bytes, the protocol).
 */
#ifndef TAULU_FIELDS_H
#define TAULU_FIELDS_H

#include <stdbool.h>
#include <stddef.h>

/* No Unicode scalar value takes more than this many bytes of UTF-8. */
#define TAULU_UTF8_MAX_SEQ 4

/* Characters a person may type, per field. */
#define TAULU_TITLE_MAX_CHARS        120
#define TAULU_BODY_MAX_CHARS         2000
#define TAULU_PLACE_MAX_CHARS        200
#define TAULU_PRICE_MAX_CHARS        100
#define TAULU_REGISTRATION_MAX_CHARS 300
#define TAULU_CONTACT_MAX_CHARS      200
#define TAULU_IMAGE_ALT_MAX_CHARS    300
#define TAULU_LINK_MAX_CHARS         2000 /* ASCII only: bytes = chars */
#define TAULU_ALERT_TITLE_MAX_CHARS  120
#define TAULU_ALERT_BODY_MAX_CHARS   1000
#define TAULU_ORG_NAME_MAX_CHARS     200
#define TAULU_CENTRE_NAME_MAX_CHARS  120
#define TAULU_CENTRE_SHORT_MAX_CHARS 40  /* the header's short form */
#define TAULU_SUMMARY_MAX_CHARS      300 /* a card's short screen text */

/* Nothing is shown more than this long after a contact person approved
 * it (a card's display_until, an alert's end: the API refuses anything
 * later). A manifest is built after the approvals it carries, so none of
 * its content is current later than this after its built_at: a player
 * whose clock is further ahead has a wrong clock (docs/player.md). */
#define TAULU_MAX_AHEAD_S (366 * 86400)

/* Bytes of UTF-8 that `chars` characters can take. */
#define TAULU_FIELD_BYTES(chars) (TAULU_UTF8_MAX_SEQ * (chars))

enum taulu_field {
    TAULU_F_TITLE = 0,    /* an item version's title */
    TAULU_F_BODY,         /* an item version's body ("\n" allowed) */
    TAULU_F_PLACE,        /* where an event is */
    TAULU_F_PRICE,        /* what it costs */
    TAULU_F_REGISTRATION, /* how to sign up */
    TAULU_F_CONTACT,      /* whom to ask */
    TAULU_F_IMAGE_ALT,    /* the image's text alternative */
    TAULU_F_LINK,         /* http(s) URL, shown as a QR code */
    TAULU_F_ALERT_TITLE,  /* an urgent notice's title */
    TAULU_F_ALERT_BODY,   /* its text ("\n" allowed) */
    TAULU_F_ORG_NAME,     /* the organisation a card is from */
    TAULU_F_CENTRE_NAME,  /* the centre, in the screen's header */
    TAULU_F_CENTRE_SHORT, /* its short form, where the name does not fit */
    TAULU_F_SUMMARY,      /* a version's short screen text ("\n" allowed) */
    TAULU_F_COUNT
};

struct taulu_field_def {
    enum taulu_field id;
    const char *key;  /* the name in /api/v1/limits and the web form */
    size_t max_chars; /* code points (API, form) */
    size_t max_bytes; /* UTF-8 bytes (manifest format 2): 4 x max_chars,
                       * or v1_bytes where that is more */
    size_t v1_bytes;  /* bytes allowed by manifest format 1 */
    bool newlines;    /* "\n" allowed (body texts); no other control */
    bool ascii;       /* printable ASCII only (the link) */
};

/* The field's limits; NULL for an id out of range. */
const struct taulu_field_def *taulu_field_get(enum taulu_field f);
/* The whole table, in enum order; *n = TAULU_F_COUNT. */
const struct taulu_field_def *taulu_field_table(size_t *n);

/* Checks a text against a field's characters: valid UTF-8, no control
 * character (C0, DEL, C1) but "\n" where the field allows it, at most
 * max_chars code points and max_bytes bytes (and ASCII where required).
 * Emptiness is the caller's business. 0, or TAULU_EUTF8 (invalid UTF-8, a
 * control character, non-ASCII in an ASCII field) or TAULU_ELIMIT (too
 * long), with a short English reason in *why when not NULL. */
int taulu_field_check(enum taulu_field f, const char *s, size_t len,
                      const char **why);

#endif
