/*
 * taulu_config.h: table-driven "key = value" configuration.
 *
 * Each program (player, content server) describes every one of its settings
 * once, in a table: the key, its type, its default, a help text, where it
 * lives in the program's own config struct, its limits, and whether it is a
 * secret. The same table sets the defaults, parses the file in /etc, checks
 * command-line overrides, writes the example file and dumps the effective
 * values for --check-config, so these can never disagree.
 *
 *     struct player_config {
 *         char mqtt_host[256];
 *         long long mqtt_port;
 *         char mqtt_password[128];
 *         bool fullscreen;
 *         double dim_level;
 *         int log_level;
 *     };
 *     static const char *const log_words[] = {"err", "warning", "notice",
 *                                             "info", "debug", NULL};
 *     static const struct taulu_config_setting player_settings[] = {
 *         TAULU_CONFIG_STRING("mqtt_host", struct player_config, mqtt_host,
 *                             "localhost", "MQTT broker host name."),
 *         TAULU_CONFIG_INT("mqtt_port", struct player_config, mqtt_port,
 *                          "1883", 1, 65535, "MQTT broker TCP port."),
 *         TAULU_CONFIG_SECRET("mqtt_password", struct player_config,
 *                             mqtt_password, "", "MQTT password."),
 *         TAULU_CONFIG_BOOL("fullscreen", struct player_config, fullscreen,
 *                           "true", "Cover the whole screen."),
 *         TAULU_CONFIG_DOUBLE("dim_level", struct player_config, dim_level,
 *                             "0.3", 0.0, 1.0, "Brightness at night."),
 *         TAULU_CONFIG_ENUM("log_level", struct player_config, log_level,
 *                           "info", log_words, "Least important log lines "
 *                           "that are still written."),
 *     };
 *     const struct taulu_config_table player_config_table = {
 *         .title = "Infotaulu player",
 *         .obj_size = sizeof(struct player_config),
 *         .settings = player_settings,
 *         .count = sizeof player_settings / sizeof player_settings[0],
 *     };
 *
 * Precedence: command line beats file beats default. This module does not
 * enforce it; it is the order in which the program calls it:
 *
 *     taulu_config_defaults(&table, &cfg);                 (1) defaults
 *     taulu_config_load_file(&table, &cfg, path, &errs);   (2) the file
 *     for each --key=value:
 *         taulu_config_set(&table, &cfg, key, value, NULL, &errs); (3)
 *
 * Each later call overwrites what an earlier one set. A program that
 * supports --check-config does the same calls, prints `errs` and exits 1 if
 * any failed, else prints taulu_config_dump() and exits 0.
 *
 * File syntax (UTF-8; at most 1 MiB; lines at most 4096 bytes):
 *
 *     # A comment line. Blank lines are ignored.
 *     mqtt_host = broker.example.fi    # a comment after whitespace
 *     mqtt_password = "  spaces kept, # is not a comment here "
 *     title = "She said \"hi\" \\o/"   # \" and \\ are the only escapes
 *     token = abc#def                  # '#' inside a word is kept
 *
 * Whitespace (space, tab) around key and value is trimmed. An unquoted
 * value ends at a '#' that begins the value or follows whitespace. A value
 * in double quotes keeps everything up to the closing quote; after it only
 * whitespace or a comment may follow. Keys are case-sensitive. A CR before
 * the newline (a file saved on Windows) and a UTF-8 byte-order mark at the
 * start are tolerated; other control characters (besides tab) are errors.
 *
 * Values: string: any text that fits the char array with its NUL (longer
 * values are refused, never cut). integer: decimal, optional sign, range
 * checked. boolean: true/false, yes/no, on/off, 1/0 (any case). double:
 * decimal with optional exponent, always with '.' whatever the locale; no
 * hex, inf or nan; range checked. enum: one of the listed words (any case),
 * stored as the word's index.
 *
 * Errors are lines appended to a caller's struct taulu_buf, one per
 * problem, in the form "path:line: message" (file) or "where: message"
 * (taulu_config_set), e.g.
 *
 *     /etc/infotaulu/player.conf:7: unknown key "mqtt_prot"; did you mean
 *     "mqtt_port"?
 *
 * (one line, wrapped here). A secret's value never appears in a message or
 * in a dump. The `errors` buffer may be NULL when only the code matters; if
 * it fills up (its limit), later messages are dropped but the return code
 * still tells.
 *
 * Thread safety: none of these functions keeps state; the caller must not
 * use `obj` from another thread during a call.
 */
#ifndef TAULU_CONFIG_H
#define TAULU_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "taulu_buf.h"

/* Size limits of the file format. */
#define TAULU_CONFIG_MAX_FILE   (1024 * 1024) /* bytes in a file */
#define TAULU_CONFIG_MAX_LINE   4096 /* bytes in a line, without newline */
#define TAULU_CONFIG_MAX_NAME   64   /* bytes in a key, in a table */
#define TAULU_CONFIG_MAX_ERRORS 100  /* messages reported per call */

enum taulu_config_type {
    TAULU_CONFIG_TYPE_STRING, /* char field[size], NUL-terminated */
    TAULU_CONFIG_TYPE_INT,    /* long long field */
    TAULU_CONFIG_TYPE_BOOL,   /* bool field */
    TAULU_CONFIG_TYPE_DOUBLE, /* double field */
    TAULU_CONFIG_TYPE_ENUM,   /* int field: index into words */
};

/* One setting. Use the TAULU_CONFIG_* macros below to fill it in: they take
 * the offset and size from the struct and refuse (at compile time) a field
 * whose C type does not match the setting's type. */
struct taulu_config_setting {
    const char *name; /* key: [a-z0-9_], 1..TAULU_CONFIG_MAX_NAME bytes */
    enum taulu_config_type type;
    size_t offset;      /* offsetof(struct prog_config, field) */
    size_t size;        /* sizeof the field (the char array for strings) */
    const char *def;    /* default, the value itself: no quotes, no
                           comment (NULL: "" for a string) */
    long long min, max; /* INT: inclusive range */
    double dmin, dmax;  /* DOUBLE: inclusive range, finite */
    const char *const *words; /* ENUM: the words, NULL-terminated */
    bool secret;              /* never shown: dump says "(set)" / "(unset)" */
    const char *help; /* one or more sentences; '\n' starts a new line */
};

/* A program's table. All storage is borrowed and must outlive its use
 * (normally everything is static const). */
struct taulu_config_table {
    const char *title; /* "Infotaulu player": heads the example file */
    size_t obj_size;   /* sizeof the program's config struct */
    const struct taulu_config_setting *settings;
    size_t count;
};

/* Compile-time type checks: _Generic has no association for a field of
 * another type, so a mismatch is a compile error, not a memory overwrite. */
#define TAULU_CONFIG_FIELD_(st, field, ctype)                                  \
    _Generic(&((st *)0)->field, ctype * : offsetof(st, field))
#define TAULU_CONFIG_CHARS_(st, field)                                         \
    _Generic(&((st *)0)->field, char(*)[sizeof(((st *)0)->field)]              \
             : offsetof(st, field))

#define TAULU_CONFIG_STRING_(key, st, field, dflt, is_secret, text)            \
    {                                                                          \
        .name = (key), .type = TAULU_CONFIG_TYPE_STRING,                       \
        .offset = TAULU_CONFIG_CHARS_(st, field),                              \
        .size = sizeof(((st *)0)->field), .def = (dflt),                       \
        .secret = (is_secret), .help = (text)                                  \
    }
/* A string setting stored in `char field[N]`. */
#define TAULU_CONFIG_STRING(key, st, field, dflt, text)                        \
    TAULU_CONFIG_STRING_(key, st, field, dflt, false, text)
/* A string setting whose value is never shown (passwords, tokens). */
#define TAULU_CONFIG_SECRET(key, st, field, dflt, text)                        \
    TAULU_CONFIG_STRING_(key, st, field, dflt, true, text)
/* An integer setting stored in `long long field`, within [lo, hi]. */
#define TAULU_CONFIG_INT(key, st, field, dflt, lo, hi, text)                   \
    {                                                                          \
        .name = (key), .type = TAULU_CONFIG_TYPE_INT,                          \
        .offset = TAULU_CONFIG_FIELD_(st, field, long long),                   \
        .size = sizeof(long long), .def = (dflt), .min = (lo), .max = (hi),    \
        .help = (text)                                                         \
    }
/* A boolean setting stored in `bool field`. */
#define TAULU_CONFIG_BOOL(key, st, field, dflt, text)                          \
    {                                                                          \
        .name = (key), .type = TAULU_CONFIG_TYPE_BOOL,                         \
        .offset = TAULU_CONFIG_FIELD_(st, field, bool), .size = sizeof(bool),  \
        .def = (dflt), .help = (text)                                          \
    }
/* A floating-point setting stored in `double field`, within [lo, hi]. */
#define TAULU_CONFIG_DOUBLE(key, st, field, dflt, lo, hi, text)                \
    {                                                                          \
        .name = (key), .type = TAULU_CONFIG_TYPE_DOUBLE,                       \
        .offset = TAULU_CONFIG_FIELD_(st, field, double),                      \
        .size = sizeof(double), .def = (dflt), .dmin = (lo), .dmax = (hi),     \
        .help = (text)                                                         \
    }
/* One of a NULL-terminated list of words, stored as its index in
 * `int field`. */
#define TAULU_CONFIG_ENUM(key, st, field, dflt, wordlist, text)                \
    {                                                                          \
        .name = (key), .type = TAULU_CONFIG_TYPE_ENUM,                         \
        .offset = TAULU_CONFIG_FIELD_(st, field, int), .size = sizeof(int),    \
        .def = (dflt), .words = (wordlist), .help = (text)                     \
    }

/* Checks the table itself: names well-formed and unique, fields inside
 * obj_size with the size of their type, sane ranges and word lists, and
 * every default valid for its setting. 0 or TAULU_EINVAL (a bug in the
 * program, not in its input). Every function below runs this check first
 * and returns TAULU_EINVAL, touching nothing, if it fails; a program's unit
 * test should assert it returns 0. If `errors` is not NULL, says what is
 * wrong. */
int taulu_config_check_table(const struct taulu_config_table *table,
                             struct taulu_buf *errors);

/* The setting called `name`, or NULL. */
const struct taulu_config_setting *
taulu_config_find(const struct taulu_config_table *table, const char *name);

/* Sets every setting of the table in obj to its default. Bytes of obj that
 * no setting describes are left alone. 0 or TAULU_EINVAL. */
int taulu_config_defaults(const struct taulu_config_table *table, void *obj);

/* Reads and applies the file at `path`. The whole file is checked and every
 * problem reported to `errors` (up to TAULU_CONFIG_MAX_ERRORS messages, then
 * one line with the number left out); obj changes only if there was none:
 * all settings of the file or nothing. Settings the file does not mention
 * keep the value they had. Returns
 *   0               the file was applied,
 *   TAULU_ECONFIG   the file has errors (obj unchanged),
 *   TAULU_ENOTFOUND no such file (obj unchanged; the program decides
 *                   whether a missing file is an error),
 *   TAULU_EIO       it could not be read (obj unchanged),
 *   TAULU_ENOMEM    out of memory (obj unchanged),
 *   TAULU_EINVAL    the table is broken (see taulu_config_check_table).
 * Each failure also appends a message to `errors`. */
int taulu_config_load_file(const struct taulu_config_table *table, void *obj,
                           const char *path, struct taulu_buf *errors);

/* Parses the text of a file already in memory (`len` bytes, need not be
 * NUL-terminated) as taulu_config_load_file() would, with `name` in the
 * messages instead of a path. Used by load_file, by tests and fuzzing. 0,
 * TAULU_ECONFIG, TAULU_ENOMEM or TAULU_EINVAL. */
int taulu_config_load_text(const struct taulu_config_table *table, void *obj,
                           const char *name, const char *text, size_t len,
                           struct taulu_buf *errors);

/* Sets one setting from a command-line override (--key=value: the caller
 * splits it). `value` is taken literally: no trimming, quotes or comments,
 * since the shell has already done that; it is validated like a file value
 * (UTF-8, control characters, type, range, size). `where` prefixes the
 * message ("command line" if NULL). 0, TAULU_ECONFIG (unknown key or bad
 * value; obj unchanged) or TAULU_EINVAL. */
int taulu_config_set(const struct taulu_config_table *table, void *obj,
                     const char *key, const char *value, const char *where,
                     struct taulu_buf *errors);

/* Appends an example configuration file to `out`: a header, then for each
 * setting its help text and type as comments and "key = default". Loading
 * it gives exactly the defaults. 0, TAULU_ELIMIT / TAULU_ENOMEM (out keeps
 * what it held before) or TAULU_EINVAL. */
int taulu_config_write_example(const struct taulu_config_table *table,
                               struct taulu_buf *out);

/* Appends the effective value of every setting in obj to `out`, one
 * "key = value" line each in file syntax, except that a secret shows as
 * "(set)" or "(unset)" (a string is unset when empty). 0, TAULU_ELIMIT /
 * TAULU_ENOMEM (out keeps what it held before) or TAULU_EINVAL. */
int taulu_config_dump(const struct taulu_config_table *table, const void *obj,
                      struct taulu_buf *out);

#endif
