/*
 * taulu_notify.h: telling the service manager how the program is doing,
 * in systemd's notification protocol (sd_notify(3)) without libsystemd:
 * one datagram of "KEY=value" lines to the AF_UNIX socket named in
 * $NOTIFY_SOCKET. Used by both programs for Type=notify units:
 *
 *   READY=1      the program serves (the server) or shows (the player)
 *   WATCHDOG=1   a keep-alive, sent only by the loop that made progress
 *   RELOADING=1  re-reading the settings (SIGHUP); READY=1 again after
 *   STOPPING=1   stopping cleanly
 *   STATUS=...   one line for `systemctl status`
 *
 * The watchdog half: $WATCHDOG_USEC is the unit's WatchdogSec=; a program
 * that sends no WATCHDOG=1 for that long is killed and restarted. Keep-
 * alives go out every half of it (sd_watchdog_enabled(3) advises so), and
 * only from the place that proves the program works (the player's loop
 * after a turn, the server's main thread after its HTTP and publisher
 * checks), never from a thread of their own that would keep a hung
 * program alive.
 *
 * Without $NOTIFY_SOCKET (not started by systemd, tests) nothing is sent
 * and nothing fails.
 */
#ifndef TAULU_NOTIFY_H
#define TAULU_NOTIFY_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* Sends `state` (one or more "KEY=value" lines separated by '\n') as one
 * datagram to $NOTIFY_SOCKET: a path, or "@name" for an abstract socket.
 * 0 when sent or when there is no $NOTIFY_SOCKET; TAULU_EINVAL for an
 * address that is not an AF_UNIX path or too long; TAULU_EIO when the
 * socket cannot be made or the datagram not sent (errno says why). Any
 * thread may call it. */
int taulu_notify(const char *state);

/* The keep-alive period in milliseconds for a watchdog of `usec`
 * microseconds (the text of $WATCHDOG_USEC, may be NULL) meant for the
 * process `pid_text` ($WATCHDOG_PID, may be NULL: any) when this process
 * is `self`: half the timeout, at least 1 ms; 0 when there is no watchdog
 * for this process (unset, not a positive number, another pid). */
int64_t taulu_watchdog_period_ms(const char *usec, const char *pid_text,
                                 pid_t self);

/* When the next keep-alive is due. Caller-owned; no release needed. */
struct taulu_watchdog {
    int64_t every_ms; /* 0: no watchdog */
    int64_t next_ms;  /* monotonic ms at which the next one is due */
};

/* From this process's environment ($WATCHDOG_USEC, $WATCHDOG_PID), the
 * first keep-alive due at once. */
void taulu_watchdog_init(struct taulu_watchdog *w, int64_t now_ms);

/* Milliseconds from now_ms until the next keep-alive is due (0: now),
 * or `cap` when there is no watchdog or it is further away than `cap`. A
 * loop that sleeps passes its own sleep as cap and wakes in time. */
int taulu_watchdog_wait_ms(const struct taulu_watchdog *w, int64_t now_ms,
                           int cap);

/* Whether a keep-alive is due at now_ms (false without a watchdog). */
bool taulu_watchdog_due(const struct taulu_watchdog *w, int64_t now_ms);

/* Sends WATCHDOG=1 when one is due and schedules the next; the caller has
 * just made progress. true when one was sent. */
bool taulu_watchdog_kick(struct taulu_watchdog *w, int64_t now_ms);

#endif
