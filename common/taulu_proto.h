/*
 * taulu_proto.h: the MQTT side of the publishing protocol: topic names and
 * the three small JSON payloads (docs/protocol.md, "MQTT").
 *
 *   <prefix>/v1/screens/<screen-id>/desired  server -> screen, retained, QoS 1
 *   <prefix>/v1/screens/<screen-id>/status   screen -> server, retained,
 *                                            QoS 1, also the last will
 *   <prefix>/v1/screens/<screen-id>/command  server -> screen, QoS 1
 *
 * The broker only ever carries pointers (seq + sha256 of the signed
 * manifest), never content. Payload parsers are strict in the same way as
 * the manifest reader (taulu_manifest.h): limits, no duplicate keys, exact
 * types, unknown members ignored; on error the output struct is zeroed and
 * "field: reason" is appended to `why` (may be NULL).
 *
 * All structs here are plain values with fixed-size fields: no ownership,
 * nothing to free.
 */
#ifndef TAULU_PROTO_H
#define TAULU_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "taulu_buf.h"
#include "taulu_crypto.h"
#include "taulu_manifest.h"

#define TAULU_PROTO_VERSION        1
#define TAULU_PROTO_DEFAULT_PREFIX "infotaulu"

/* A screen id: [a-z0-9][a-z0-9-]{0,62}. It is an MQTT topic level, a path
 * segment and (by convention) the MQTT user name, so no '/', '+', '#'. */
#define TAULU_SCREEN_ID_MAX 63
/* A topic prefix: 1..64 bytes of [A-Za-z0-9_.-] in one or more levels
 * separated by single '/' (no leading, trailing or double '/'; not
 * starting with '$', which brokers reserve). */
#define TAULU_PROTO_PREFIX_MAX 64
/* "<prefix>/v1/screens/<id>/command" at the longest, without the NUL. */
#define TAULU_TOPIC_MAX (TAULU_PROTO_PREFIX_MAX + 12 + TAULU_SCREEN_ID_MAX + 8)

/* Payload limits. */
#define TAULU_PROTO_MAX_PAYLOAD   4096 /* any payload, bytes */
#define TAULU_PROTO_MAX_DEPTH     2
#define TAULU_PROTO_URL_MAX       256
#define TAULU_PROTO_ERROR_MAX     200 /* status.error, bytes of UTF-8 */
#define TAULU_PROTO_MAX_ALERT_ACK TAULU_MANIFEST_MAX_ALERTS
/* Card ids in each of status.unplaced and status.paged: with 16 alert ids
 * and the longest ids and error text the status stays under
 * TAULU_PROTO_MAX_PAYLOAD. */
#define TAULU_PROTO_MAX_CARD_IDS 12

enum taulu_topic_kind {
    TAULU_TOPIC_DESIRED = 0, /* "desired" */
    TAULU_TOPIC_STATUS,      /* "status" */
    TAULU_TOPIC_COMMAND,     /* "command" */
};

/* 1 if valid, else 0 (NULL is not valid). */
bool taulu_proto_screen_id_valid(const char *id);
bool taulu_proto_prefix_valid(const char *prefix);

/* Writes "<prefix>/v1/screens/<screen_id>/<kind>" and a NUL into out.
 * `prefix` NULL means TAULU_PROTO_DEFAULT_PREFIX. 0 or TAULU_EINVAL (bad
 * prefix, screen id or kind; then out is ""). */
int taulu_proto_topic(char out[TAULU_TOPIC_MAX + 1], const char *prefix,
                      const char *screen_id, enum taulu_topic_kind kind);

/* The subscription filter for one kind across all screens:
 * "<prefix>/v1/screens/+/<kind>" (the server subscribes to status). 0 or
 * TAULU_EINVAL. */
int taulu_proto_topic_filter(char out[TAULU_TOPIC_MAX + 1], const char *prefix,
                             enum taulu_topic_kind kind);

/* Takes a topic apart: the screen id (copied into screen_id) and the kind.
 * `topic` need not be NUL-terminated. 0, or TAULU_EVALUE if it is not
 * exactly one of our topics under `prefix` (NULL = default) with a valid
 * screen id; then screen_id is "". */
int taulu_proto_topic_parse(const char *topic, size_t len, const char *prefix,
                            char screen_id[TAULU_SCREEN_ID_MAX + 1],
                            enum taulu_topic_kind *kind);

/* ---- desired: the retained pointer to a screen's current manifest ---- */
/* {"v":1,"seq":42,"sha256":"<hex>","url":"/api/v1/screens/<id>/manifest"} */
struct taulu_proto_desired {
    int64_t seq;                           /* 0..TAULU_MANIFEST_MAX_SEQ */
    char sha256[TAULU_SHA256_HEX_LEN + 1]; /* of the signed manifest */
    /* Optional ("" = absent): a path relative to the server's base URL,
     * starting with one '/', of [A-Za-z0-9/._~%-], no "..", no "//". A
     * player resolves it against its configured base only, so a broker
     * can never send its token to another host. */
    char url[TAULU_PROTO_URL_MAX + 1];
};

/* ---- status: what a screen reports (retained; the last will too) ---- */
enum taulu_screen_state {
    TAULU_SCREEN_OFFLINE = 0, /* "offline" */
    TAULU_SCREEN_ONLINE,      /* "online" */
};

/* What the screen's display is doing (status.display, optional): on
 * ("on"), a black picture outside opening hours ("dark"), or turned off
 * on purpose outside opening hours over HDMI-CEC or DPMS ("off": not a
 * fault). TAULU_DISPLAY_UNSAID: the member is absent. */
enum taulu_display_state {
    TAULU_DISPLAY_UNSAID = 0,
    TAULU_DISPLAY_ON,
    TAULU_DISPLAY_DARK,
    TAULU_DISPLAY_OFF,
};

/* Only v and state are required; everything else is optional, marked by
 * its has_ flag or an empty string. The last will is the offline form with
 * nothing else: {"v":1,"state":"offline"}. */
struct taulu_proto_status {
    enum taulu_screen_state state;
    bool has_seq;
    int64_t seq;                             /* applied manifest */
    char sha256[TAULU_SHA256_HEX_LEN + 1];   /* applied signed manifest */
    char showing[TAULU_MANIFEST_MAX_ID + 1]; /* card or alert id on screen */
    bool has_uptime;
    int64_t uptime_s; /* 0..MAX_SEQ */
    bool has_cache_bytes;
    int64_t cache_bytes; /* 0..MAX_SEQ */
    bool has_clock_ok;
    bool clock_ok; /* false: clock is before the manifest's built_at */
    /* Last error, for the people: UTF-8, no controls. */
    char error[TAULU_PROTO_ERROR_MAX + 1];
    int64_t at; /* when this was written; TAULU_NO_TIME = absent */
    /* Ids of the alerts this screen has shown (acknowledged). */
    char alert_ack[TAULU_PROTO_MAX_ALERT_ACK][TAULU_MANIFEST_MAX_ID + 1];
    size_t n_alert_ack;
    /* The profile the player lays out for, after its own configuration
     * (its real panel, where that differs from the manifest's): the
     * server checks what it accepts against it. Same ranges as the
     * manifest's profile. Absent from older players. */
    bool has_profile;
    struct taulu_profile profile;
    /* Cards of the current manifest this screen cannot show whole on its
     * profile (something not shown: a word cut, more than the pages a
     * card may have), and cards it shows on more than one page. A card is
     * listed once, whatever its languages. */
    char unplaced[TAULU_PROTO_MAX_CARD_IDS][TAULU_MANIFEST_MAX_ID + 1];
    size_t n_unplaced;
    char paged[TAULU_PROTO_MAX_CARD_IDS][TAULU_MANIFEST_MAX_ID + 1];
    size_t n_paged;
    enum taulu_display_state display; /* "display"; UNSAID = absent */
    /* The loop as the screen runs it (player_schedule.h, "Loop budget"):
     * this loop's length, the length of everything current in one pass,
     * the cards taking turns (0: every card in every loop) and how many
     * of them this loop shows. Seconds 0..86400, counts 0..1024. */
    bool has_loop;
    int loop_s, loop_all_s, loop_turns, loop_window;
};

/* ---- command: a one-off request to a screen (not retained) ---- */
enum taulu_command_kind {
    TAULU_CMD_RELOAD = 0, /* "reload": refetch the manifest now */
    TAULU_CMD_SCREENSHOT, /* "screenshot": upload what is on screen */
    TAULU_CMD_IDENTIFY,   /* "identify": show the screen id for a while */
};

struct taulu_proto_command {
    char id[TAULU_MANIFEST_MAX_ID + 1]; /* [A-Za-z0-9_.-]{1,64}, for acks */
    enum taulu_command_kind cmd;
};

/* Writers append compact JSON with members in a fixed order to `out`
 * (deterministic). They check the struct first: TAULU_EVALUE (or
 * TAULU_EUTF8 for status.error) for anything a parser would refuse, and
 * then nothing is appended; TAULU_ENOMEM / TAULU_ELIMIT from the buffer. */
int taulu_proto_desired_write(const struct taulu_proto_desired *d,
                              struct taulu_buf *out);
int taulu_proto_status_write(const struct taulu_proto_status *s,
                             struct taulu_buf *out);
int taulu_proto_command_write(const struct taulu_proto_command *c,
                              struct taulu_buf *out);

/* Fills a status with the offline form (what the last will carries). */
void taulu_proto_status_init(struct taulu_proto_status *s);

/* Parsers: 0, or TAULU_EPARSE / TAULU_ELIMIT / TAULU_EVERSION ("v" is not
 * 1) / TAULU_EMISSING / TAULU_ETYPE / TAULU_EUTF8 / TAULU_EVALUE /
 * TAULU_ENOMEM, with the struct zeroed and a reason in `why`. `json` need
 * not be NUL-terminated. */
int taulu_proto_desired_parse(const char *json, size_t len,
                              struct taulu_proto_desired *out,
                              struct taulu_buf *why);
int taulu_proto_status_parse(const char *json, size_t len,
                             struct taulu_proto_status *out,
                             struct taulu_buf *why);
int taulu_proto_command_parse(const char *json, size_t len,
                              struct taulu_proto_command *out,
                              struct taulu_buf *why);

/* Wire names; NULL if invalid. */
const char *taulu_proto_topic_kind_name(enum taulu_topic_kind k);
const char *taulu_proto_command_name(enum taulu_command_kind c);

#endif
