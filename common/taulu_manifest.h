/*
 * taulu_manifest.h: the manifest, the document that tells ONE screen what to
 * show, and its signed envelope.
 *
 * The content server builds a `struct taulu_manifest` per screen, writes it
 * with taulu_manifest_write() (compact, deterministic JSON), signs the bytes
 * with taulu_manifest_sign() and serves the signed blob. The player checks
 * the blob with taulu_manifest_open() and reads the JSON back with
 * taulu_manifest_parse(), or does both (and the screen check) with
 * taulu_manifest_load_signed(). docs/protocol.md describes every field; this
 * header is the C view of it.
 *
 * The reader is strict: anything not exactly valid is refused as a whole
 * (never a partial manifest), with a message naming the field, e.g.
 * "cards[3].versions[0].title: too long (4100 > 300 bytes)". Members it does
 * not know are ignored, so a server may add members within a format version
 * without breaking older players; anything that changes the meaning of a
 * known member needs a new format_version.
 *
 * Format versions: 1, and 2, which adds recurring events (a card's
 * `recurrence` and `occurrences`; its `event` then spans the occurrences
 * listed). The writer writes the lowest version that can say what the
 * manifest holds: 1 unless a card recurs, so a player that reads only
 * version 1 keeps working at every centre without recurring events and
 * refuses, as a version it does not know, a manifest it would misread
 * (it keeps showing its last good one). The reader reads both; in a
 * version 1 document `recurrence` and `occurrences` are unknown members
 * and ignored, exactly as a version 1 player does.
 *
 * The writer runs the same checks (taulu_manifest_validate()) before it
 * writes, so a server can never publish what a player would refuse.
 *
 * Ownership: a manifest from taulu_manifest_parse() or taulu_manifest_new()
 * owns all its memory in one arena (every string and array it points to);
 * taulu_manifest_free() frees it all at once. A caller that builds a
 * manifest may instead fill a `struct taulu_manifest` of its own (on the
 * stack, pointing at its own strings) and only pass it to
 * taulu_manifest_validate() / taulu_manifest_write(), which just read it;
 * such a struct must not be passed to taulu_manifest_free().
 *
 * Thread safety: a manifest is plain data; reading it from several threads
 * is safe, changing it is the owner's business. taulu_crypto_init() must
 * have succeeded before signing or opening.
 */
#ifndef TAULU_MANIFEST_H
#define TAULU_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "taulu_buf.h"
#include "taulu_category.h"
#include "taulu_crypto.h"
#include "taulu_fields.h"
#include "taulu_recur.h"
#include "taulu_time.h"

#define TAULU_MANIFEST_FORMAT "infotaulu.manifest"
/* The newest format this code reads and writes, and the oldest. The
 * writer writes the OLDEST version that can say what the manifest holds
 * (taulu_manifest_format_version()), so a player that knows only
 * version 1 keeps reading every manifest version 1 can express, and
 * refuses (as TAULU_EVERSION, keeping its last good one) those it would
 * misread: a repeating event (version 1 would show the series as one
 * event), texts over version 1's byte limits, or a centre closed all week
 * (which version 1 can only write as "always open"). */
#define TAULU_MANIFEST_FORMAT_VERSION     2
#define TAULU_MANIFEST_FORMAT_VERSION_MIN 1

/* Limits (bytes are bytes of UTF-8, not characters). Also in
 * docs/protocol.md; changing one is a protocol change. The text fields'
 * limits are common/taulu_fields.h's (per field, in characters and in
 * bytes); the ones here are the largest of them, for buffers. */
#define TAULU_MANIFEST_MAX_BYTES   (4u * 1024u * 1024u) /* the JSON */
#define TAULU_MANIFEST_MAX_DEPTH   5  /* nesting of arrays/objects */
#define TAULU_MANIFEST_MAX_MEMBERS 64 /* members of any one object */
/* JSON values in all, containers included (bounds the parse tree). */
#define TAULU_MANIFEST_MAX_VALUES    200000
#define TAULU_MANIFEST_MAX_CARDS     256
#define TAULU_MANIFEST_MAX_VERSIONS  8 /* per card or alert */
#define TAULU_MANIFEST_MAX_ALERTS    16
#define TAULU_MANIFEST_MAX_ASSETS    512
#define TAULU_MANIFEST_MAX_LANGUAGES 8  /* centre.languages, centre.name */
#define TAULU_MANIFEST_MAX_HOURS     28 /* opening-hours intervals */
/* The loop budget (centre.loop_s): how long one loop of a screen may take
 * before the cards take turns; absent from a manifest = the default. */
#define TAULU_LOOP_DEFAULT_S 300
#define TAULU_LOOP_MIN_S     60
#define TAULU_LOOP_MAX_S     3600
/* Format 2 (taulu_fields.h: 4 bytes per character of the API's limit). */
#define TAULU_MANIFEST_MAX_TITLE  TAULU_FIELD_BYTES(TAULU_TITLE_MAX_CHARS)
#define TAULU_MANIFEST_MAX_BODY   TAULU_FIELD_BYTES(TAULU_BODY_MAX_CHARS)
#define TAULU_MANIFEST_MAX_STRING /* the longest other text field */           \
    TAULU_FIELD_BYTES(TAULU_REGISTRATION_MAX_CHARS)
#define TAULU_MANIFEST_MAX_LINK TAULU_LINK_MAX_CHARS
/* A version's short screen text (shown instead of the body); the server's
 * soft hyphens in its long words stay within this. */
#define TAULU_MANIFEST_MAX_SUMMARY TAULU_FIELD_BYTES(TAULU_SUMMARY_MAX_CHARS)
/* Format 1 (older players). */
#define TAULU_MANIFEST_V1_MAX_TITLE    300
#define TAULU_MANIFEST_V1_MAX_BODY     4000
#define TAULU_MANIFEST_V1_MAX_STRING   500
#define TAULU_MANIFEST_V1_MAX_LINK     2000
#define TAULU_MANIFEST_MAX_ID          64 /* [A-Za-z0-9_.-]{1,64} */
#define TAULU_MANIFEST_MAX_TZ          64
#define TAULU_MANIFEST_MAX_PIXELS      16384 /* width/height of screen, image */
#define TAULU_MANIFEST_MAX_ASSET_BYTES (16 * 1024 * 1024)
#define TAULU_MANIFEST_MAX_SEQ         9007199254740991LL /* 2^53 - 1 */
/* Occurrences of one recurring card (format 2): weeks of a weekly event
 * offline; the server lists the next ones. */
#define TAULU_MANIFEST_MAX_OCCURRENCES 64

/* A language tag: a primary subtag of 2-3 lowercase letters ("fi", "sv",
 * "en", "se", "smn") optionally followed by one subtag "-" [A-Za-z0-9]{2,8}
 * ("fi-x-selko" is not one: plain language is a flag, not a language). */
#define TAULU_LANG_MAX 12 /* without the NUL */

/* The signed manifest: one header line, then the JSON bytes exactly.
 *   "infotaulu-manifest-sig v1 ed25519 <key id, 16 hex> <sig, base64>\n"
 * The Ed25519 signature covers TAULU_MANIFEST_SIG_DOMAIN followed by the
 * JSON bytes. The sha256 of the whole signed blob names it: it is what the
 * MQTT pointer carries and the HTTP ETag. */
#define TAULU_MANIFEST_SIG_PREFIX     "infotaulu-manifest-sig v1 ed25519 "
#define TAULU_MANIFEST_SIG_DOMAIN     "infotaulu-manifest-v1\n"
#define TAULU_MANIFEST_SIG_HEADER_LEN (34 + 16 + 1 + 88 + 1)
#define TAULU_MANIFEST_SIGNED_MAX_BYTES                                        \
    (TAULU_MANIFEST_MAX_BYTES + TAULU_MANIFEST_SIG_HEADER_LEN)

/* No instant: an int64_t that is never a valid instant. */
#define TAULU_NO_TIME INT64_MIN

enum taulu_card_kind {
    TAULU_CARD_BULLETIN = 0, /* "bulletin" */
    TAULU_CARD_EVENT,        /* "event": has `event` */
};

enum taulu_media_type {
    TAULU_MEDIA_PNG = 0, /* "image/png" */
    TAULU_MEDIA_JPEG,    /* "image/jpeg" */
    TAULU_MEDIA_WEBP,    /* "image/webp" */
};

enum taulu_orientation {
    TAULU_LANDSCAPE = 0, /* "landscape" */
    TAULU_PORTRAIT,      /* "portrait" */
};

/* What the screen shows outside opening hours. */
enum taulu_closed_behaviour {
    TAULU_CLOSED_DARK = 0, /* "dark": nothing (backlight off if possible) */
    TAULU_CLOSED_STILL,    /* "still": one still card, no changes */
};

/* A yes/no fact that may be unknown (absent on the wire). */
enum taulu_flag {
    TAULU_FLAG_UNKNOWN = 0,
    TAULU_FLAG_NO,
    TAULU_FLAG_YES,
};

/* A text in one language (centre.name). */
struct taulu_lang_text {
    char lang[TAULU_LANG_MAX + 1];
    const char *text; /* 1..TAULU_MANIFEST_MAX_STRING bytes, no controls */
};

/* One opening interval in the centre's local time. */
struct taulu_opening_interval {
    int day;       /* ISO weekday: 1 = Monday .. 7 = Sunday */
    int open_min;  /* minutes after local midnight, 0..1439 ("08:00" = 480) */
    int close_min; /* open_min < close_min <= 1440 ("24:00" = 1440) */
};

struct taulu_centre {
    const char *id; /* [A-Za-z0-9_.-]{1,64} */
    /* Name per language, 1..MAX_LANGUAGES entries, each language once. */
    struct taulu_lang_text name[TAULU_MANIFEST_MAX_LANGUAGES];
    size_t n_name;
    /* The short display name per language ("Tuira"), shown in the header
     * where the full name does not fit: 0..MAX_LANGUAGES entries, each a
     * language of `name`, each once. */
    struct taulu_lang_text short_name[TAULU_MANIFEST_MAX_LANGUAGES];
    size_t n_short_name;
    const char *timezone; /* IANA name, e.g. "Europe/Helsinki" */
    /* Languages shown, in display order: 1..MAX_LANGUAGES, each once. */
    char languages[TAULU_MANIFEST_MAX_LANGUAGES][TAULU_LANG_MAX + 1];
    size_t n_languages;
    /* Opening hours. Several intervals per day are allowed; intervals of
     * one day may not overlap. `hours_given` false and no intervals:
     * no hours were given, the centre is always open. `hours_given` true
     * and no intervals: closed all week (format 2 only). Intervals imply
     * hours given. taulu_centre_always_open() says which. */
    struct taulu_opening_interval hours[TAULU_MANIFEST_MAX_HOURS];
    size_t n_hours;
    bool hours_given;
    enum taulu_closed_behaviour closed_behaviour;
    /* The loop budget in seconds, TAULU_LOOP_MIN_S..TAULU_LOOP_MAX_S; 0:
     * not given (the player uses TAULU_LOOP_DEFAULT_S, and the writer
     * leaves the member out). */
    int loop_s;
};

/* The screen's physical profile (the player lays text out for it). */
struct taulu_profile {
    int width_px, height_px; /* 1..MAX_PIXELS */
    enum taulu_orientation orientation;
    int diagonal_in_x10; /* 55.0" = 550; 50..3000 (5"..300") */
    int distance_mm;     /* design viewing distance, 300..100000 */
};

/* One language version of a card. Optional strings are NULL when absent
 * (never ""). */
struct taulu_card_version {
    char lang[TAULU_LANG_MAX + 1];
    bool plain;               /* written in plain language (selkokieli) */
    const char *title;        /* 1..MAX_TITLE bytes, no controls */
    const char *body;         /* 0..MAX_BODY bytes, only "\n" as a control */
    const char *place;        /* optional, 1..MAX_STRING, no controls */
    const char *price;        /* optional, likewise */
    const char *registration; /* optional, likewise */
    const char *contact;      /* optional, likewise */
    const char *image_alt;    /* required iff the card has an image */
    /* optional, 1..MAX_SUMMARY, only "\n" as a control: the short screen
     * text, shown instead of the body (which is then the full text, for
     * the centre's web page) */
    const char *summary;
};

/* Event facts (kind == TAULU_CARD_EVENT only). */
struct taulu_event {
    int64_t start, end;             /* instants, end >= start */
    enum taulu_flag free;           /* free of charge */
    enum taulu_flag step_free;      /* venue reachable without steps */
    enum taulu_flag induction_loop; /* venue has a hearing loop */
};

/* A recurring event's rule (format 2), for the rule in words on the
 * card: "joka tiistai klo 14–16". The occurrences themselves are listed
 * in the card; they are what the player schedules by. */
struct taulu_card_recur {
    struct taulu_recur rule; /* checked, with an until, without exdates
                                (n_exdates 0: they are not carried) */
    int start_min;           /* local wall-clock start, 0..1439 ("14:00") */
    int end_min; /* local end, 0..1440 ("24:00"), not start_min; less than
                    start_min for an end on the next day */
};

struct taulu_image {
    char sha256[TAULU_SHA256_HEX_LEN + 1]; /* of the asset's bytes */
    int64_t size;                          /* bytes, 1..MAX_ASSET_BYTES */
    enum taulu_media_type type;
    int width, height; /* pixels, 1..MAX_PIXELS */
};

struct taulu_card {
    const char *id; /* [A-Za-z0-9_.-]{1,64}, unique among the cards */
    enum taulu_card_kind kind;
    enum taulu_category category;
    const char *org;                     /* who it is from, 1..MAX_STRING */
    int64_t display_from;                /* shown from this instant... */
    int64_t display_until;               /* ...until before this one; > from */
    struct taulu_card_version *versions; /* 1..MAX_VERSIONS, a language once */
    size_t n_versions;
    bool has_event; /* true iff kind == TAULU_CARD_EVENT */
    struct taulu_event event;
    const char *link; /* optional: http(s) URL, printable ASCII, no spaces */
    bool has_image;
    struct taulu_image image; /* listed in the manifest's assets */
    /* A recurring event (format 2; events only): the rule, and the
     * occurrences to show, 1..MAX_OCCURRENCES, in order, not overlapping
     * (each starts at or after the previous one's end), each end > start.
     * event.start is the first one's start and event.end the last one's
     * end, so taulu_card_is_current() holds while one is to come. */
    const struct taulu_card_recur *recur; /* NULL: not recurring */
    struct taulu_occurrence *occurrences; /* iff recur */
    size_t n_occurrences;
};

struct taulu_alert_version {
    char lang[TAULU_LANG_MAX + 1];
    const char *title; /* 1..MAX_TITLE bytes, no controls */
    const char *body;  /* 0..MAX_BODY bytes, only "\n" as a control */
};

/* An urgent notice, shown over everything else while current. */
struct taulu_alert {
    const char *id;                       /* unique among the alerts */
    int64_t from, until;                  /* until > from; until is mandatory */
    struct taulu_alert_version *versions; /* 1..MAX_VERSIONS */
    size_t n_versions;
};

/* An asset the player must have (fetch by sha256, check size and hash). */
struct taulu_asset_ref {
    char sha256[TAULU_SHA256_HEX_LEN + 1];
    int64_t size; /* 1..MAX_ASSET_BYTES */
    enum taulu_media_type type;
};

struct taulu_manifest_arena; /* private */

struct taulu_manifest {
    /* The document's format_version when parsed; the writer ignores it
     * and writes taulu_manifest_format_version(). */
    int format_version;
    const char *screen_id; /* taulu_proto_screen_id_valid() */
    int64_t seq;           /* 0..MAX_SEQ, grows with every build */
    int64_t built_at;      /* instant the server built it */
    struct taulu_centre centre;
    struct taulu_profile profile;
    struct taulu_card *cards; /* 0..MAX_CARDS, in display order */
    size_t n_cards;
    struct taulu_alert *alerts; /* 0..MAX_ALERTS */
    size_t n_alerts;
    /* Every asset a card refers to, each sha256 once; unreferenced ones
     * are allowed (a player fetches them all before switching). */
    struct taulu_asset_ref *assets; /* 0..MAX_ASSETS */
    size_t n_assets;
    struct taulu_manifest_arena *arena; /* owns all of the above, or NULL */
};

/* ---- building (server) ---- */

/* A new, empty manifest with its own arena (everything zero/NULL,
 * instants TAULU_NO_TIME). NULL on out of memory. */
struct taulu_manifest *taulu_manifest_new(void);

/* Frees a manifest from _new or _parse and everything in its arena.
 * Accepts NULL. */
void taulu_manifest_free(struct taulu_manifest *m);

/* Memory in m's arena, freed with m: zeroed bytes, or a copy of a string.
 * NULL on out of memory or if m has no arena. */
void *taulu_manifest_alloc(struct taulu_manifest *m, size_t size);
char *taulu_manifest_strdup(struct taulu_manifest *m, const char *s);

/* Every rule a reader applies to the values (ids, lengths, UTF-8, ranges,
 * references, uniqueness), as of the newest format (what the writer can
 * write). 0, or TAULU_EMISSING / TAULU_EVALUE / TAULU_ELIMIT / TAULU_EUTF8
 * with "path: reason" appended to `why` (which may be NULL). */
int taulu_manifest_validate(const struct taulu_manifest *m,
                            struct taulu_buf *why);

/* The format version the writer writes for m: the oldest that can express
 * it (1, or 2 when a text is over format 1's byte limits or the centre is
 * closed all week). */
int taulu_manifest_format_version(const struct taulu_manifest *m);

/* Whether the centre is open round the clock (no hours given), and
 * whether it is closed all week (hours given, no interval). */
bool taulu_centre_always_open(const struct taulu_centre *c);
bool taulu_centre_closed_all_week(const struct taulu_centre *c);

/* Appends the manifest as compact JSON to `out`: members in a fixed order,
 * optional members only when present, no insignificant white space, strings
 * in UTF-8 with only the escapes JSON requires. The same manifest always
 * gives the same bytes. Validates first: on any error nothing is appended
 * and the code of taulu_manifest_validate() is returned (call that for the
 * message); TAULU_ENOMEM / TAULU_ELIMIT if `out` cannot hold the document
 * (then `out` is as before). */
int taulu_manifest_write(const struct taulu_manifest *m, struct taulu_buf *out);

/* ---- reading (player, and the server's own checks) ---- */

/* Parses and checks a manifest document. On success *out is a new manifest
 * (free with taulu_manifest_free()) and 0 is returned. On any error *out is
 * NULL, nothing is leaked, "path: reason" is appended to `why` (may be
 * NULL), and the code is one of:
 *   TAULU_EPARSE   not JSON (or trailing bytes), with the byte offset
 *   TAULU_ELIMIT   document, string, array, object or nesting too big
 *   TAULU_EVERSION "format" is not TAULU_MANIFEST_FORMAT or
 *                  "format_version" is not one this reader knows
 *                  (TAULU_MANIFEST_FORMAT_VERSION_MIN .. _VERSION); each
 *                  version is read with its own limits and meanings
 *   TAULU_EMISSING a required member is absent
 *   TAULU_ETYPE    a member has the wrong JSON type (or is not an integer)
 *   TAULU_EUTF8    invalid UTF-8, a control character, an embedded NUL
 *   TAULU_EVALUE   a value out of its domain (ids, enums, times, ranges,
 *                  duplicates, references)
 *   TAULU_ENOMEM   out of memory
 * `json` need not be NUL-terminated. */
int taulu_manifest_parse(const char *json, size_t len,
                         struct taulu_manifest **out, struct taulu_buf *why);

/* ---- the signed envelope ---- */

/* Appends the signed manifest (header line + json) to `out_signed`. The
 * key id in the header is taulu_key_id() of sk's public half. 0, or
 * TAULU_ELIMIT (json longer than MAX_BYTES, or out_signed's limit),
 * TAULU_ENOMEM; on error `out_signed` is as before. `json` is signed as
 * given: write it with taulu_manifest_write() first. */
int taulu_manifest_sign(const char *json, size_t len,
                        const uint8_t sk[TAULU_SIGN_SK_LEN],
                        struct taulu_buf *out_signed);

/* Checks a signed manifest, in this order:
 *   1. if `expected_sha256` is not NULL: sha256 of the whole blob equals it
 *      (lowercase hex)                                       TAULU_EHASH
 *   2. size and header syntax                     TAULU_ELIMIT/TAULU_ESIG
 *   3. key id equals taulu_key_id(pk)                         TAULU_ESIG
 *   4. Ed25519 signature over DOMAIN || json                 TAULU_ESIG
 * On success *json / *json_len point INTO `signed_blob` (borrowed: valid
 * as long as the blob is) and 0 is returned; on error they are set to
 * NULL / 0 and a reason is appended to `why` (may be NULL). TAULU_EINVAL if
 * expected_sha256 is not 64 lowercase hex digits. Does not parse the JSON. */
int taulu_manifest_open(const char *signed_blob, size_t len,
                        const uint8_t pk[TAULU_SIGN_PK_LEN],
                        const char *expected_sha256, const char **json,
                        size_t *json_len, struct taulu_buf *why);

/* What a player does with a fetched blob, short of asset checks:
 * taulu_manifest_open(), taulu_manifest_parse(), then
 *   screen_id equals `expected_screen_id`                   TAULU_EVALUE
 *   seq >= min_seq (no rollback; pass 0 when there is no current
 *   manifest)                                               TAULU_ESTALE
 * `expected_screen_id` NULL skips the screen check (the server checking
 * its own output). On success *out is a new manifest (free with
 * taulu_manifest_free()); otherwise *out is NULL and `why` says why. */
int taulu_manifest_load_signed(const char *signed_blob, size_t len,
                               const uint8_t pk[TAULU_SIGN_PK_LEN],
                               const char *expected_sha256,
                               const char *expected_screen_id, int64_t min_seq,
                               struct taulu_manifest **out,
                               struct taulu_buf *why);

/* ---- helpers for players and previews ---- */

/* The version in language `lang`, or NULL. */
const struct taulu_card_version *
taulu_card_version_for(const struct taulu_card *c, const char *lang);
const struct taulu_alert_version *
taulu_alert_version_for(const struct taulu_alert *a, const char *lang);

/* Whether a card is to be shown at instant `now`: display_from <= now <
 * display_until, and for an event also now < event.end (an event that has
 * ended is never shown, even if the server has not said so yet; for a
 * recurring one, event.end is its last listed occurrence's end). */
bool taulu_card_is_current(const struct taulu_card *c, int64_t now);

/* The occurrence of an event card to show at `now`: for a recurring card
 * the first listed one that has not ended (cancelled or not), for a
 * one-off event its start and end. Returns its index in c->occurrences (0
 * for a one-off event) and fills *out, or -1 (a bulletin, or nothing to
 * come). */
int taulu_card_occurrence(const struct taulu_card *c, int64_t now,
                          struct taulu_occurrence *out);

/* The format version taulu_manifest_write() writes for m: 2 if a card
 * recurs, else 1. */
int taulu_manifest_format_version(const struct taulu_manifest *m);
/* from <= now < until. */
bool taulu_alert_is_current(const struct taulu_alert *a, int64_t now);

/* The asset with this sha256, or NULL. */
const struct taulu_asset_ref *
taulu_manifest_find_asset(const struct taulu_manifest *m, const char *sha256);

/* Wire names of the enums ("image/png", "event", ...); NULL if invalid. */
const char *taulu_media_type_name(enum taulu_media_type t);
const char *taulu_card_kind_name(enum taulu_card_kind k);

/* Whether s is a manifest id: [A-Za-z0-9_.-]{1,64}. */
bool taulu_manifest_id_valid(const char *s);
/* Whether s is a link a manifest may carry: "http://" or "https://", a
 * host, and only RFC 3986 characters (A-Za-z0-9-._~:/?#[]@!$&'()*+,;=%).
 * The length is taulu_fields.h's business. */
bool taulu_manifest_link_valid(const char *s);
/* Whether s is a language tag as described at TAULU_LANG_MAX. */
bool taulu_lang_valid(const char *s);

/* A time of day of the opening hours, "HH:MM" (two digits each): minutes
 * after midnight, or -1. "24:00" (1440) only where allow_24, as a closing
 * time. NULL gives -1. */
int taulu_manifest_hhmm_parse(const char *s, bool allow_24);

/* RFC 3339 instants in the one form manifests use, "YYYY-MM-DDTHH:MM:SSZ"
 * (years 1970..9999): taulu_time's parser and formatter in the form
 * TAULU_ISO_MANIFEST. Parse: 0 or TAULU_EVALUE (whatever was wrong).
 * Format: writes 20 characters and a NUL; TAULU_EVALUE (and "") outside
 * the years. */
#define TAULU_MANIFEST_TIME_LEN TAULU_ISO_LEN
int taulu_manifest_time_parse(const char *s, int64_t *out);
int taulu_manifest_time_format(int64_t t, char out[TAULU_MANIFEST_TIME_LEN]);

#endif
