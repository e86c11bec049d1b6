/*
 * taulu_log.h: logging to stderr with syslog levels.
 *
 * One line per message: "<6>mqtt: connected to 127.0.0.1:1883" when running
 * under systemd (journald reads the <N> prefix as the priority), otherwise
 * "2026-11-22T10:00:00Z info mqtt: connected ...". The level is checked
 * before anything is formatted, so a debug line costs a comparison when
 * debug is off. Control characters in a message (a newline from outside
 * input, say) are replaced so one call is always one line.
 *
 * Never log a secret: passwords, tokens, session ids, private keys. Log the
 * user's or screen's id instead.
 */
#ifndef TAULU_LOG_H
#define TAULU_LOG_H

#include <stdatomic.h>

enum taulu_log_level {
    TAULU_LOG_ERR = 3,
    TAULU_LOG_WARNING = 4,
    TAULU_LOG_NOTICE = 5,
    TAULU_LOG_INFO = 6,
    TAULU_LOG_DEBUG = 7,
};

/* Messages above this level are dropped (by the macros before anything is
 * formatted, and by taulu_log_write() itself). Default TAULU_LOG_INFO.
 * Atomic because a program changes it on SIGHUP while other threads log:
 * a plain assignment is a store any thread may race with; the level check
 * is a relaxed load, which costs what a plain read does. */
extern _Atomic int taulu_log_threshold;

/* Where lines go: by default stderr. A test can install its own sink to
 * capture lines; NULL restores stderr. The sink gets the level, the tag and
 * the finished message (no prefix, no newline). */
typedef void (*taulu_log_sink_fn)(int level, const char *tag, const char *msg,
                                  void *ctx);
void taulu_log_set_sink(taulu_log_sink_fn fn, void *ctx);

/* "err", "warning", "notice", "info", "debug" (or 3..7) to a level;
 * -1 if the name is unknown. */
int taulu_log_level_from_name(const char *name);

void taulu_log_write(int level, const char *tag, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#define taulu_log(level, tag, ...)                                             \
    do {                                                                       \
        if ((level) <= atomic_load_explicit(&taulu_log_threshold,              \
                                            memory_order_relaxed)) {           \
            taulu_log_write((level), (tag), __VA_ARGS__);                      \
        }                                                                      \
    } while (0)

#define taulu_err(tag, ...)    taulu_log(TAULU_LOG_ERR, tag, __VA_ARGS__)
#define taulu_warn(tag, ...)   taulu_log(TAULU_LOG_WARNING, tag, __VA_ARGS__)
#define taulu_notice(tag, ...) taulu_log(TAULU_LOG_NOTICE, tag, __VA_ARGS__)
#define taulu_info(tag, ...)   taulu_log(TAULU_LOG_INFO, tag, __VA_ARGS__)
#define taulu_debug(tag, ...)  taulu_log(TAULU_LOG_DEBUG, tag, __VA_ARGS__)

#endif
