/*
 * player_power.c: the display's power outside opening hours, the
 * decisions (see player_power.h).
 */
#include "player_power.h"

#include <stdio.h>
#include <string.h>

#include "taulu_log.h"
#include "taulu_proto.h"

static void with_newline(char *out, size_t size, const char *in)
{
    snprintf(out, size, "%s%s", in, in[0] ? "\n" : "");
}

void player_power_init(struct player_power *p, const struct player_config *c)
{
    const char *off = c->power_off_command, *on = c->power_on_command;
    const char *off_in = c->power_off_input, *on_in = c->power_on_input;

    memset(p, 0, sizeof *p);
    p->mode = c->power_control;
    p->timeout_ms = (int)c->power_timeout_s * 1000;
    if (p->mode == PLAYER_POWER_CEC) {
        off = off[0] ? off : PLAYER_POWER_CEC_CMD;
        on = on[0] ? on : PLAYER_POWER_CEC_CMD;
        off_in = off_in[0] ? off_in : PLAYER_POWER_CEC_OFF;
        on_in = on_in[0] ? on_in : PLAYER_POWER_CEC_ON;
    } else if (p->mode == PLAYER_POWER_DPMS) {
        off = off[0] ? off : PLAYER_POWER_DPMS_OFF;
        on = on[0] ? on : PLAYER_POWER_DPMS_ON;
    }
    if (p->mode != PLAYER_POWER_NONE) {
        snprintf(p->off_cmd, sizeof p->off_cmd, "%s", off);
        snprintf(p->on_cmd, sizeof p->on_cmd, "%s", on);
        with_newline(p->off_in, sizeof p->off_in, off_in);
        with_newline(p->on_in, sizeof p->on_in, on_in);
    }
}

bool player_power_enabled(const struct player_power *p)
{
    return p->mode != PLAYER_POWER_NONE && p->off_cmd[0] && p->on_cmd[0];
}

const char *player_power_line(const struct player_power *p, bool on,
                              const char **input)
{
    const char *line = on ? p->on_cmd : p->off_cmd;

    *input = on ? p->on_in : p->off_in;
    return player_power_enabled(p) && line[0] ? line : NULL;
}

int player_power_outcome(struct player_power *p, bool on, bool ok,
                         const char *what, char *msg, size_t size)
{
    const char *line = on ? p->on_cmd : p->off_cmd;

    msg[0] = '\0';
    if (ok) {
        p->off = !on;
        if (p->failing) {
            p->failing = false;
            snprintf(msg, size, "power: \"%s\" works again: the display is %s",
                     line, on ? "on" : "off");
            return TAULU_LOG_NOTICE;
        }
        snprintf(msg, size, "power: the display is %s (%s)",
                 on ? "on" : "off outside opening hours", line);
        return TAULU_LOG_INFO;
    }
    /* Failed: the display is as it was (on, when turning it off failed;
     * the screen is then just black). */
    if (!on) {
        p->off = false;
    }
    if (p->failing) {
        return -1; /* said once already */
    }
    p->failing = true;
    snprintf(msg, size,
             "power: \"%s\" failed (%s); the display stays %s and the "
             "screen %s (said once; power_control in the settings)",
             line, what, on ? "as it was" : "on",
             on ? "shows its content" : "is black instead");
    return TAULU_LOG_WARNING;
}

int player_power_display(const struct player_power *p, bool dark)
{
    if (!dark) {
        return TAULU_DISPLAY_ON;
    }
    return p->off ? TAULU_DISPLAY_OFF : TAULU_DISPLAY_DARK;
}
