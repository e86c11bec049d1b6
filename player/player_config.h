/*
 * player_config.h: the player's settings, one table (common/taulu_config.h)
 * that gives the defaults, reads /etc/infotaulu/player.conf, applies
 * --key=value overrides, writes the example file and dumps --check-config.
 *
 * The screen profile: the manifest carries the profile the server checked
 * the content against (the screen as registered in the admin view). A PC's
 * own config may override any field of it (width, height, orientation,
 * diagonal, distance), field by field: a value here that is set (not 0, not
 * "manifest") wins over the manifest's, because the technician at the PC
 * knows the panel that is actually attached. Fields left unset come from
 * the manifest, and without a manifest from the defaults (1920x1080, 55",
 * 3 m). In a window the renderer's real output size decides the pixels
 * (laying out a 1080p card on a 4K panel would be wrong); see
 * player_config_profile().
 */
#ifndef PLAYER_CONFIG_H
#define PLAYER_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "taulu_buf.h"
#include "taulu_config.h"
#include "taulu_manifest.h"

#include "layout/sizing.h"

#ifndef PLAYER_DEFAULT_FONT_DIR
#define PLAYER_DEFAULT_FONT_DIR "/usr/share/infotaulu/fonts"
#endif
#define PLAYER_DEFAULT_CONFIG "/etc/infotaulu/player.conf"

enum player_orientation_cfg {
    PLAYER_ORIENT_MANIFEST = 0,
    PLAYER_ORIENT_LANDSCAPE,
    PLAYER_ORIENT_PORTRAIT,
};

/* What the screen does outside the centre's opening hours. */
enum player_closed_cfg {
    PLAYER_CLOSED_MANIFEST = 0, /* as the centre's setting says */
    PLAYER_CLOSED_DARK,         /* black screen */
    PLAYER_CLOSED_STILL,        /* one still "closed" card */
    PLAYER_CLOSED_IGNORE,       /* ignore opening hours: always on */
};

/* How the display is turned off outside opening hours (player_power.h). */
enum player_power_cfg {
    PLAYER_POWER_NONE = 0, /* never: a black picture */
    PLAYER_POWER_CEC,      /* HDMI-CEC (cec-client of cec-utils) */
    PLAYER_POWER_DPMS,     /* X11 DPMS (xset) */
    PLAYER_POWER_COMMAND,  /* power_off_command / power_on_command */
};

enum player_window_cfg {
    PLAYER_WINDOW_FULLSCREEN = 0, /* SDL_WINDOW_FULLSCREEN_DESKTOP */
    PLAYER_WINDOW_BORDERLESS,     /* a borderless window over the display */
    PLAYER_WINDOW_WINDOWED,       /* an ordinary window (development) */
};

struct player_config {
    char server_url[256];
    char screen_id[64];
    char screen_token[256]; /* secret: never logged or dumped */
    char screen_token_file[512];
    char server_pk_file[512];
    char mqtt_host[256];
    long long mqtt_port;
    char mqtt_prefix[65];
    char ca_file[512];
    bool mqtt_tls;          /* MQTT over TLS (the default) */
    char mqtt_ca_file[512]; /* CA of the broker; "": ca_file */
    bool allow_insecure;    /* plain HTTP/MQTT beyond loopback */
    char state_dir[512];    /* the enrolment's files */
    long long poll_interval_s;
    char cache_dir[512];
    long long cache_max_mb;
    /* screen profile overrides; 0 / "manifest" = from the manifest */
    long long width, height;
    int orientation;
    double diagonal_in;
    double distance_m;
    long long rotation; /* 0, 90, 180, 270: panel mounted turned */
    char theme_file[512];
    char languages[64]; /* "" = the centre's; else "fi,sv" */
    int closed_behaviour;
    char font_dir[512];
    int log_level; /* index into err..debug */
    long long fade_ms;
    int window; /* enum player_window_cfg */
    /* the display's power outside opening hours */
    int power_control; /* enum player_power_cfg */
    char power_off_command[512], power_on_command[512];
    char power_off_input[128], power_on_input[128];
    long long power_lead_s;    /* on this long before opening */
    long long power_timeout_s; /* a command at most */
    /* set by player_config_load(): the enrolment file was read */
    bool enrolled;
};

/* The enrolment's files in state_dir (docs/player.md, "Enrolment"): the
 * settings the server gave (server_url, screen_id, the token, the
 * broker), the server's key and the broker's CA. Read over player.conf
 * when player.conf names no screen. */
#define PLAYER_ENROL_CONF "enrolment.conf"
#define PLAYER_ENROL_PK   "server.pub"
#define PLAYER_ENROL_CA   "mqtt-ca.pem"

extern const struct taulu_config_table player_config_table;

/* Defaults, then the file (missing is fine only when `path_is_default`),
 * then the --key=value overrides in argv order. Errors go to `errors` as
 * "file:line: message" / "command line: message". 0 or TAULU_ECONFIG. */
int player_config_load(struct player_config *cfg, const char *path,
                       bool path_is_default, char *const overrides[],
                       size_t n_overrides, struct taulu_buf *errors);

/* Cross-field checks after loading (token and token_file not both, a
 * rotation of 0/90/180/270, a language list of valid tags, ...). 0 or
 * TAULU_ECONFIG with messages in `errors`. `for_network`: also require what
 * the network needs (server_url, screen_id, a token, the key file). */
int player_config_validate(const struct player_config *cfg, bool for_network,
                           struct taulu_buf *errors);

/* Whether the player should enrol: a server to ask, and no screen id or
 * token of its own (neither in player.conf nor from an enrolment). */
bool player_config_needs_enrolment(const struct player_config *cfg);

/* 1 if `host` is a loopback address or name (localhost, 127.0.0.0/8,
 * ::1); `url_host` is the same for the host of an http(s) URL. */
bool player_host_is_loopback(const char *host);
bool player_url_is_loopback(const char *url);

/* Reads the token from screen_token_file into cfg->screen_token when that
 * is set (trailing newline removed). 0, TAULU_EIO / TAULU_ENOTFOUND /
 * TAULU_ELIMIT (message in errors; the token itself is never written). */
int player_config_read_token(struct player_config *cfg,
                             struct taulu_buf *errors);

/* The languages override as a list; 0 entries when unset. Returns the
 * number written (at most `cap`). */
size_t player_config_languages(const struct player_config *cfg,
                               char out[][TAULU_LANG_MAX + 1], size_t cap);

/* The profile to lay out for: config overrides, then the manifest's profile
 * (m may be NULL), then the defaults. */
void player_config_profile(const struct player_config *cfg,
                           const struct taulu_manifest *m,
                           struct render_profile *out);

/* The log level (TAULU_LOG_*) of cfg->log_level. */
int player_config_log_level(const struct player_config *cfg);

#endif
