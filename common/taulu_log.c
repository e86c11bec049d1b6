/*
 * taulu_log.c: one-line log messages with syslog levels (see taulu_log.h).
 *
 * The whole line is formatted into a stack buffer and written with a single
 * fputs, so lines from different threads do not interleave.
 */
#include "taulu_log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "taulu_time.h"

_Atomic int taulu_log_threshold = TAULU_LOG_INFO;

static taulu_log_sink_fn log_sink;
static void *log_sink_ctx;

static const char *const level_names[] = {"emerg",   "alert",  "crit", "err",
                                          "warning", "notice", "info", "debug"};

void taulu_log_set_sink(taulu_log_sink_fn fn, void *ctx)
{
    log_sink = fn;
    log_sink_ctx = ctx;
}

int taulu_log_level_from_name(const char *name)
{
    int i;

    if (!name) {
        return -1;
    }
    for (i = 0; i < 8; i++) {
        if (strcasecmp(name, level_names[i]) == 0) {
            return i;
        }
    }
    if (name[0] >= '0' && name[0] <= '7' && name[1] == '\0') {
        return name[0] - '0';
    }
    if (strcasecmp(name, "error") == 0) {
        return TAULU_LOG_ERR;
    }
    if (strcasecmp(name, "warn") == 0) {
        return TAULU_LOG_WARNING;
    }
    return -1;
}

/* Replaces control characters so that outside text cannot forge log lines. */
static void scrub(char *s)
{
    for (; *s; s++) {
        if ((unsigned char)*s < 0x20 || *s == 0x7f) {
            *s = ' ';
        }
    }
}

void taulu_log_write(int level, const char *tag, const char *fmt, ...)
{
    char msg[1024];
    char line[1200];
    va_list ap;
    int n;

    if (level < 0) {
        level = 0;
    }
    if (level > 7) {
        level = 7;
    }
    /* The macros check this too; a direct call must not bypass it. */
    if (level >
        atomic_load_explicit(&taulu_log_threshold, memory_order_relaxed)) {
        return;
    }
    va_start(ap, fmt);
    n = vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (n < 0) {
        return;
    }
    if ((size_t)n >= sizeof msg) {
        /* Cut at a UTF-8 code point boundary, then mark the cut. */
        size_t cut = sizeof msg - 4;

        while (cut > 0 && ((unsigned char)msg[cut] & 0xc0u) == 0x80u) {
            cut--;
        }
        memcpy(msg + cut, "...", 4);
    }
    scrub(msg);

    if (log_sink) {
        log_sink(level, tag, msg, log_sink_ctx);
        return;
    }
    if (getenv("JOURNAL_STREAM")) {
        n = snprintf(line, sizeof line, "<%d>%s: %s\n", level, tag, msg);
    } else {
        char stamp[TAULU_ISO_LEN];

        taulu_time_format_iso(taulu_now(), stamp);
        n = snprintf(line, sizeof line, "%s %s %s: %s\n", stamp,
                     level_names[level], tag, msg);
    }
    /* A long tag could push the newline out; the next line would then be
     * glued to this one. */
    if (n < 0) {
        return;
    }
    if ((size_t)n >= sizeof line) {
        line[sizeof line - 2] = '\n';
    }
    fputs(line, stderr);
}
