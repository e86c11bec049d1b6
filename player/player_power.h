/*
 * player_power.h: the display's power outside opening hours, the
 * decisions in plain C (docs/player.md, "Screen power").
 *
 * When the show goes dark (player_show.h: the centre is closed and its
 * closed behaviour is "dark") it asks for the display off, and before
 * the next opening (power_lead_s) for it on again. This file says which
 * command does that for the configured power_control, and what a
 * command's outcome means: the display is off on purpose (the status
 * says "off", which the server does not count as a fault), or the
 * command failed and the screen is only black ("dark"), logged once:
 * a PC without CEC fails the same way every evening, and the journal
 * should say so once, not every time (a later success says it works
 * again). Nothing here runs a command (player/app/player_exec.c does).
 */
#ifndef PLAYER_POWER_H
#define PLAYER_POWER_H

#include <stdbool.h>
#include <stddef.h>

#include "player_config.h"

/* The commands of a power_control when power_*_command is empty. */
#define PLAYER_POWER_CEC_CMD  "cec-client -s -d 1"
#define PLAYER_POWER_CEC_OFF  "standby 0"
#define PLAYER_POWER_CEC_ON   "on 0"
#define PLAYER_POWER_DPMS_OFF "xset dpms force off"
#define PLAYER_POWER_DPMS_ON  "xset dpms force on"

struct player_power {
    int mode; /* enum player_power_cfg */
    char off_cmd[512], on_cmd[512];
    char off_in[130], on_in[130]; /* with the final newline */
    int timeout_ms;
    bool off;     /* the display was turned off and not on since */
    bool failing; /* the last command failed (and was logged) */
};

void player_power_init(struct player_power *p, const struct player_config *c);

/* Whether there is anything to run (power_control is not none). */
bool player_power_enabled(const struct player_power *p);

/* The command line and standard input for turning the display on or off;
 * NULL line when there is none (power_control none, or command without
 * the command set). */
const char *player_power_line(const struct player_power *p, bool on,
                              const char **input);

/* What an outcome means. `ok`: the command ran and exited 0; `what`: the
 * exec result in words ("exit 1: autodetect FAILED", "not found"). Writes
 * the log line to `msg` and returns its level (TAULU_LOG_*), or -1 when
 * nothing needs saying (a failure already logged, a success as
 * expected, written at debug by the caller if it likes). */
int player_power_outcome(struct player_power *p, bool on, bool ok,
                         const char *what, char *msg, size_t size);

/* The display as the status reports it: on when the show is not dark;
 * off (on purpose) when dark and the off command worked; else dark. */
int player_power_display(const struct player_power *p, bool dark);

#endif
