/*
 * player_config.c: the player's settings table and the checks between
 * settings that one table row cannot express (see player_config.h).
 */
#include "player_config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "taulu_crypto.h"
#include "taulu_datadir.h"
#include "taulu_err.h"
#include "taulu_file.h"
#include "taulu_log.h"
#include "taulu_proto.h"

#include "render_map.h"

static const char *const orientation_words[] = {"manifest", "landscape",
                                                "portrait", NULL};
static const char *const closed_words[] = {"manifest", "dark", "still",
                                           "ignore", NULL};
static const char *const window_words[] = {"fullscreen", "borderless",
                                           "windowed", NULL};
static const char *const log_words[] = {"err",  "warning", "notice",
                                        "info", "debug",   NULL};
static const char *const power_words[] = {"none", "cec", "dpms", "command",
                                          NULL};

#define S struct player_config
static const struct taulu_config_setting settings[] = {
    TAULU_CONFIG_STRING("server_url", S, server_url, "",
                        "Base URL of the content server, e.g.\n"
                        "https://infotaulu.example.fi. Empty: no network "
                        "(the player shows its cache)."),
    TAULU_CONFIG_STRING("screen_id", S, screen_id, "",
                        "This screen's id as registered on the server "
                        "([a-z0-9-])."),
    TAULU_CONFIG_SECRET("screen_token", S, screen_token, "",
                        "The screen's access token (secret; never logged). "
                        "Prefer screen_token_file."),
    TAULU_CONFIG_STRING("screen_token_file", S, screen_token_file, "",
                        "File that holds the token (mode 0600). Used when "
                        "screen_token is empty."),
    TAULU_CONFIG_STRING("server_pk_file", S, server_pk_file,
                        "/etc/infotaulu/server.pub",
                        "The server's Ed25519 public key (base64, one line): "
                        "manifests not signed with it are refused."),
    TAULU_CONFIG_STRING("mqtt_host", S, mqtt_host, "",
                        "MQTT broker host. Empty: no broker, poll over HTTP."),
    TAULU_CONFIG_INT("mqtt_port", S, mqtt_port, "8883", 1, 65535,
                     "MQTT broker TCP port."),
    TAULU_CONFIG_STRING("mqtt_prefix", S, mqtt_prefix, "infotaulu",
                        "Topic prefix: <prefix>/v1/screens/<id>/..."),
    TAULU_CONFIG_STRING("ca_file", S, ca_file, "",
                        "CA bundle for TLS to the server and the broker. "
                        "Empty: the system's."),
    TAULU_CONFIG_BOOL("mqtt_tls", S, mqtt_tls, "true",
                      "MQTT over TLS, the broker's certificate and host name "
                      "checked. Plain MQTT\nis refused to a host that is "
                      "not loopback unless allow_insecure is set."),
    TAULU_CONFIG_STRING("mqtt_ca_file", S, mqtt_ca_file, "",
                        "CA of the broker's certificate (PEM). Empty: "
                        "ca_file, or the system's."),
    TAULU_CONFIG_BOOL("allow_insecure", S, allow_insecure, "false",
                      "Allow plain http:// and MQTT without TLS to hosts "
                      "that are not loopback\n(a test network only: the "
                      "token would cross the network readable)."),
    TAULU_CONFIG_STRING("state_dir", S, state_dir, "/var/lib/infotaulu",
                        "Where the settings from enrolment are kept "
                        "(enrolment.conf, server.pub,\nmqtt-ca.pem; mode "
                        "0600). Read when this file names no screen_id."),
    TAULU_CONFIG_INT("poll_interval_s", S, poll_interval_s, "300", 30, 86400,
                     "Seconds between HTTP checks for a new manifest (the "
                     "fallback when the broker is unreachable)."),
    TAULU_CONFIG_STRING("cache_dir", S, cache_dir, "/var/lib/infotaulu/cache",
                        "Where manifests and images are kept between "
                        "starts."),
    TAULU_CONFIG_INT("cache_max_mb", S, cache_max_mb, "512", 16, 1048576,
                     "Most disk space the cache may use, MiB."),
    TAULU_CONFIG_INT("width", S, width, "0", 0, 16384,
                     "Screen width in pixels as content is shown. 0: from "
                     "the manifest's screen profile."),
    TAULU_CONFIG_INT("height", S, height, "0", 0, 16384,
                     "Screen height in pixels. 0: from the manifest."),
    TAULU_CONFIG_ENUM("orientation", S, orientation, "manifest",
                      orientation_words,
                      "landscape or portrait; manifest: as the server "
                      "says."),
    TAULU_CONFIG_DOUBLE("diagonal_in", S, diagonal_in, "0", 0.0, 300.0,
                        "Panel diagonal in inches (text size follows it). "
                        "0: from the manifest."),
    TAULU_CONFIG_DOUBLE("distance_m", S, distance_m, "0", 0.0, 100.0,
                        "Design viewing distance in metres. 0: from the "
                        "manifest."),
    TAULU_CONFIG_INT("rotation", S, rotation, "0", 0, 270,
                     "Degrees the picture is turned for a panel mounted on "
                     "its side when the display system does not rotate it "
                     "(KMSDRM): 0, 90, 180 or 270."),
    TAULU_CONFIG_STRING("theme_file", S, theme_file, "",
                        "Colour theme: a file (key = #rrggbb) or the name "
                        "of an installed one\n(light: "
                        "<datadir>/infotaulu/themes/light.theme). Empty: the "
                        "built-in\nhigh-contrast theme."),
    TAULU_CONFIG_STRING("languages", S, languages, "",
                        "Languages to show, in order, e.g. fi,sv. Empty: "
                        "the centre's languages from the manifest."),
    TAULU_CONFIG_ENUM("closed_behaviour", S, closed_behaviour, "manifest",
                      closed_words,
                      "Outside opening hours: dark, still (one still card), "
                      "ignore (always on) or manifest (the centre's "
                      "setting)."),
    TAULU_CONFIG_STRING("font_dir", S, font_dir, "",
                        "Folder with AtkinsonHyperlegible-*.ttf and "
                        "DejaVuSans*.ttf. Empty: the\ninstalled fonts, "
                        "<datadir>/infotaulu/fonts."),
    TAULU_CONFIG_ENUM("log_level", S, log_level, "info", log_words,
                      "Least important log lines still written."),
    TAULU_CONFIG_INT("fade_ms", S, fade_ms, "800", 0, 1000,
                     "Cross-fade between cards in ms (at most 1 s; 0 cuts)."),
    TAULU_CONFIG_ENUM("window", S, window, "fullscreen", window_words,
                      "fullscreen (the desktop's size), borderless (a "
                      "borderless window over the display: for an X server "
                      "with no window manager, where a fullscreen request "
                      "waits 100 ms for an answer that never comes) or "
                      "windowed (development). On KMSDRM all are "
                      "fullscreen."),
    TAULU_CONFIG_ENUM("power_control", S, power_control, "none", power_words,
                      "Outside opening hours (when the screen goes dark) "
                      "turn the display off:\ncec (HDMI-CEC with "
                      "cec-client), dpms (X11: xset dpms force off),\n"
                      "command (the two commands below) or none (a black "
                      "picture only)."),
    TAULU_CONFIG_STRING("power_off_command", S, power_off_command, "",
                        "Program and arguments that turn the display off "
                        "(no shell). Empty: the\npower_control's own "
                        "(cec: cec-client -s -d 1, dpms: xset dpms force "
                        "off)."),
    TAULU_CONFIG_STRING("power_on_command", S, power_on_command, "",
                        "... and on again (cec: cec-client -s -d 1, dpms: "
                        "xset dpms force on)."),
    TAULU_CONFIG_STRING("power_off_input", S, power_off_input, "",
                        "Text written to the off command's standard input "
                        "(cec: standby 0)."),
    TAULU_CONFIG_STRING("power_on_input", S, power_on_input, "",
                        "Text written to the on command's standard input "
                        "(cec: on 0)."),
    TAULU_CONFIG_INT("power_lead_s", S, power_lead_s, "120", 0, 3600,
                     "Seconds before opening that the display is turned on "
                     "(a TV takes a while to wake)."),
    TAULU_CONFIG_INT("power_timeout_s", S, power_timeout_s, "10", 1, 120,
                     "A power command that has not ended in this many "
                     "seconds is stopped."),
};
#undef S

const struct taulu_config_table player_config_table = {
    .title = "Infotaulu player",
    .obj_size = sizeof(struct player_config),
    .settings = settings,
    .count = sizeof settings / sizeof settings[0],
};

/* What empty font_dir and a theme name stand for: the shipped data
 * (taulu_datadir.h). A folder that is missing is left to the renderer,
 * which says so and falls back; only a path too long is an error. */
static int resolve_data(struct player_config *cfg, struct taulu_buf *errors)
{
    char dir[sizeof cfg->theme_file];
    const char *ext;
    size_t n;
    int bad = 0;

    if (!cfg->font_dir[0] &&
        taulu_datadir_find(TAULU_DATA_FONTS, cfg->font_dir,
                           sizeof cfg->font_dir) == TAULU_ELIMIT) {
        taulu_buf_appendf(errors, "font_dir: the default path is too long\n");
        bad = 1;
    }
    if (cfg->theme_file[0] && !strchr(cfg->theme_file, '/')) {
        /* A name: light or light.theme in the installed themes. */
        n = strlen(cfg->theme_file);
        ext = n > 6 && strcmp(cfg->theme_file + n - 6, ".theme") == 0
                  ? ""
                  : ".theme";
        if (taulu_datadir_find(TAULU_DATA_THEMES, dir, sizeof dir) ==
                TAULU_ELIMIT ||
            strlen(dir) + 1 + n + strlen(ext) >= sizeof cfg->theme_file) {
            taulu_buf_appendf(errors, "theme_file: the path is too long\n");
            bad = 1;
        } else {
            size_t d = strlen(dir), e = strlen(ext);

            /* dir/name.theme, written back to front over the name */
            memcpy(cfg->theme_file + n, ext, e + 1);
            memmove(cfg->theme_file + d + 1, cfg->theme_file, n + e + 1);
            memcpy(cfg->theme_file, dir, d);
            cfg->theme_file[d] = '/';
        }
    }
    return bad;
}

/* The --key=value overrides in argv order. 1 if any was refused. */
static int apply_overrides(struct player_config *cfg, char *const overrides[],
                           size_t n_overrides, struct taulu_buf *errors)
{
    int bad = 0;
    size_t i;

    for (i = 0; i < n_overrides; i++) {
        const char *arg = overrides[i];
        const char *eq;
        char key[TAULU_CONFIG_MAX_NAME + 1];
        size_t klen;

        if (strncmp(arg, "--", 2) == 0) {
            arg += 2;
        }
        eq = strchr(arg, '=');
        klen = eq ? (size_t)(eq - arg) : strlen(arg);
        if (!eq || klen == 0 || klen > TAULU_CONFIG_MAX_NAME) {
            taulu_buf_appendf(errors,
                              "command line: \"--%.*s\" needs the form "
                              "--key=value\n",
                              (int)(klen > 64 ? 64 : klen), arg);
            bad = 1;
            continue;
        }
        memcpy(key, arg, klen);
        key[klen] = '\0';
        if (taulu_config_set(&player_config_table, cfg, key, eq + 1, NULL,
                             errors) < 0) {
            bad = 1;
        }
    }
    return bad;
}

bool player_config_needs_enrolment(const struct player_config *cfg)
{
    return cfg->server_url[0] && !cfg->screen_id[0] && !cfg->screen_token[0] &&
           !cfg->screen_token_file[0];
}

/* The enrolment's settings (state_dir/enrolment.conf) over player.conf
 * and the command line when neither names a screen; the command line is
 * applied again after it, so it still wins. 1 if something was wrong. */
static int load_enrolment(struct player_config *cfg, char *const overrides[],
                          size_t n_overrides, struct taulu_buf *errors)
{
    char path[sizeof cfg->state_dir + 32];
    int rc;

    if (cfg->screen_id[0] || cfg->screen_token[0] ||
        cfg->screen_token_file[0] || !cfg->state_dir[0]) {
        return 0;
    }
    snprintf(path, sizeof path, "%s/" PLAYER_ENROL_CONF, cfg->state_dir);
    if (access(path, F_OK) != 0) {
        return 0;
    }
    rc = taulu_config_load_file(&player_config_table, cfg, path, errors);
    if (rc < 0) {
        return 1;
    }
    cfg->enrolled = true;
    return apply_overrides(cfg, overrides, n_overrides, errors);
}

int player_config_load(struct player_config *cfg, const char *path,
                       bool path_is_default, char *const overrides[],
                       size_t n_overrides, struct taulu_buf *errors)
{
    int rc, bad = 0;

    memset(cfg, 0, sizeof *cfg);
    rc = taulu_config_defaults(&player_config_table, cfg);
    if (rc < 0) {
        return rc;
    }
    if (path) {
        rc = taulu_config_load_file(&player_config_table, cfg, path, errors);
        if (rc == TAULU_ENOTFOUND && path_is_default) {
            /* A PC may run on defaults plus --key=value; the message the
             * reader appended is not an error then. */
            taulu_buf_reset(errors);
        } else if (rc < 0) {
            bad = 1;
        }
    }
    if (apply_overrides(cfg, overrides, n_overrides, errors)) {
        bad = 1;
    }
    if (!bad && load_enrolment(cfg, overrides, n_overrides, errors)) {
        bad = 1;
    }
    if (resolve_data(cfg, errors)) {
        bad = 1;
    }
    return bad ? TAULU_ECONFIG : 0;
}

static int lang_list_valid(const char *s, struct taulu_buf *errors)
{
    char tag[TAULU_LANG_MAX + 1];
    size_t n = 0, count = 0;
    const char *p;

    if (!*s) {
        return 1;
    }
    for (p = s;; p++) {
        if (*p == ',' || *p == '\0') {
            tag[n] = '\0';
            if (!taulu_lang_valid(tag)) {
                taulu_buf_appendf(errors,
                                  "languages: \"%s\" is not a language tag "
                                  "(write e.g. fi,sv)\n",
                                  tag);
                return 0;
            }
            if (++count > TAULU_MANIFEST_MAX_LANGUAGES) {
                taulu_buf_appendf(errors, "languages: at most %d languages\n",
                                  TAULU_MANIFEST_MAX_LANGUAGES);
                return 0;
            }
            n = 0;
            if (*p == '\0') {
                break;
            }
            continue;
        }
        if (*p == ' ') {
            continue;
        }
        if (n >= TAULU_LANG_MAX) {
            taulu_buf_appendf(errors, "languages: a tag is too long\n");
            return 0;
        }
        tag[n++] = *p;
    }
    return 1;
}

int player_config_validate(const struct player_config *cfg, bool for_network,
                           struct taulu_buf *errors)
{
    int bad = 0;

    if (cfg->rotation % 90 != 0) {
        taulu_buf_appendf(errors, "rotation: %lld is not 0, 90, 180 or 270\n",
                          cfg->rotation);
        bad = 1;
    }
    if (cfg->screen_token[0] && cfg->screen_token_file[0]) {
        taulu_buf_appendf(errors, "screen_token and screen_token_file are "
                                  "both set; keep one (the file)\n");
        bad = 1;
    }
    if ((cfg->width == 0) != (cfg->height == 0)) {
        taulu_buf_appendf(errors, "width and height: set both or neither\n");
        bad = 1;
    }
    if (cfg->diagonal_in != 0.0 && cfg->diagonal_in < 5.0) {
        taulu_buf_appendf(errors, "diagonal_in: %.1f is below 5 inches\n",
                          cfg->diagonal_in);
        bad = 1;
    }
    if (cfg->distance_m != 0.0 && cfg->distance_m < 0.3) {
        taulu_buf_appendf(errors, "distance_m: %.2f is below 0.3 m\n",
                          cfg->distance_m);
        bad = 1;
    }
    if (!lang_list_valid(cfg->languages, errors)) {
        bad = 1;
    }
    if (cfg->mqtt_prefix[0] && !taulu_proto_prefix_valid(cfg->mqtt_prefix)) {
        taulu_buf_appendf(errors,
                          "mqtt_prefix: \"%s\" is not a topic prefix "
                          "([A-Za-z0-9_.-] levels separated by /)\n",
                          cfg->mqtt_prefix);
        bad = 1;
    }
    if (cfg->screen_id[0] && !taulu_proto_screen_id_valid(cfg->screen_id)) {
        taulu_buf_appendf(errors,
                          "screen_id: \"%s\" is not a screen id "
                          "([a-z0-9][a-z0-9-]*)\n",
                          cfg->screen_id);
        bad = 1;
    }
    if (for_network && cfg->server_url[0]) {
        bool enrol = player_config_needs_enrolment(cfg);

        if (strncmp(cfg->server_url, "https://", 8) != 0 &&
            strncmp(cfg->server_url, "http://", 7) != 0) {
            taulu_buf_appendf(errors, "server_url: must start with https:// or "
                                      "http://\n");
            bad = 1;
        } else if (strncmp(cfg->server_url, "http://", 7) == 0 &&
                   !cfg->allow_insecure &&
                   !player_url_is_loopback(cfg->server_url)) {
            taulu_buf_appendf(errors,
                              "server_url: plain http:// to a host that is "
                              "not loopback is refused (the token would "
                              "cross the network readable): use https://, "
                              "or set allow_insecure = true on a test "
                              "network\n");
            bad = 1;
        }
        if (!enrol && !cfg->screen_id[0]) {
            taulu_buf_appendf(errors, "screen_id: required with a token (or "
                                      "leave both empty to enrol by a "
                                      "code)\n");
            bad = 1;
        }
        if (!enrol && !cfg->screen_token[0] && !cfg->screen_token_file[0]) {
            taulu_buf_appendf(errors, "screen_token_file (or screen_token): "
                                      "required with screen_id (or leave "
                                      "both empty to enrol by a code)\n");
            bad = 1;
        }
        if (cfg->mqtt_host[0] && !cfg->mqtt_tls && !cfg->allow_insecure &&
            !player_host_is_loopback(cfg->mqtt_host)) {
            taulu_buf_appendf(errors,
                              "mqtt_tls: MQTT without TLS to %s (not "
                              "loopback) is refused: set mqtt_tls = true "
                              "and mqtt_ca_file, or allow_insecure = true "
                              "on a test network\n",
                              cfg->mqtt_host);
            bad = 1;
        }
        if (!cfg->server_pk_file[0]) {
            taulu_buf_appendf(errors,
                              "server_pk_file: required with server_url\n");
            bad = 1;
        }
    }
    return bad ? TAULU_ECONFIG : 0;
}

int player_config_read_token(struct player_config *cfg,
                             struct taulu_buf *errors)
{
    struct taulu_buf b;
    int rc;

    if (!cfg->screen_token_file[0] || cfg->screen_token[0]) {
        return 0;
    }
    taulu_buf_init(&b, sizeof cfg->screen_token - 1 + 2);
    rc = taulu_file_read(cfg->screen_token_file, &b);
    if (rc < 0) {
        taulu_buf_appendf(errors, "%s: cannot read the token: %s\n",
                          cfg->screen_token_file, taulu_strerror(rc));
        goto out;
    }
    while (b.len > 0 &&
           (b.data[b.len - 1] == '\n' || b.data[b.len - 1] == '\r' ||
            b.data[b.len - 1] == ' ')) {
        b.len--;
    }
    if (b.len == 0 || b.len >= sizeof cfg->screen_token ||
        memchr(b.data, '\n', b.len)) {
        taulu_buf_appendf(errors,
                          "%s: the token must be one non-empty line "
                          "of at most %zu bytes\n",
                          cfg->screen_token_file, sizeof cfg->screen_token - 1);
        rc = TAULU_ELIMIT;
        goto out;
    }
    memcpy(cfg->screen_token, b.data, b.len);
    cfg->screen_token[b.len] = '\0';
out:
    if (b.cap) {
        taulu_wipe(b.data, b.cap);
    }
    taulu_buf_release(&b);
    return rc;
}

size_t player_config_languages(const struct player_config *cfg,
                               char out[][TAULU_LANG_MAX + 1], size_t cap)
{
    size_t n = 0, k = 0;
    const char *p;

    if (!cfg->languages[0]) {
        return 0;
    }
    for (p = cfg->languages; n < cap; p++) {
        if (*p == ',' || *p == '\0') {
            out[n][k] = '\0';
            if (k > 0) {
                n++;
            }
            k = 0;
            if (*p == '\0') {
                break;
            }
        } else if (*p != ' ' && k < TAULU_LANG_MAX) {
            out[n][k++] = *p;
        }
    }
    return n;
}

void player_config_profile(const struct player_config *cfg,
                           const struct taulu_manifest *m,
                           struct render_profile *out)
{
    int portrait;

    out->width = 1920;
    out->height = 1080;
    out->diagonal_in = 55.0;
    out->distance_m = 3.0;
    portrait = 0;
    if (m && m->profile.width_px > 0 && m->profile.height_px > 0) {
        /* the server's reading of the manifest's profile (render_map.c),
         * which its fit check uses too */
        render_map_profile(&m->profile, out);
        portrait = out->height > out->width;
    }
    if (cfg) {
        if (cfg->width > 0 && cfg->height > 0) {
            out->width = (int)cfg->width;
            out->height = (int)cfg->height;
            portrait = out->height > out->width;
        }
        if (cfg->orientation == PLAYER_ORIENT_LANDSCAPE) {
            portrait = 0;
        } else if (cfg->orientation == PLAYER_ORIENT_PORTRAIT) {
            portrait = 1;
        }
        if (cfg->diagonal_in > 0.0) {
            out->diagonal_in = cfg->diagonal_in;
        }
        if (cfg->distance_m > 0.0) {
            out->distance_m = cfg->distance_m;
        }
    }
    /* Pixels as content is shown: portrait is taller than wide, whichever
     * way the panel's native resolution was written. */
    if ((portrait && out->width > out->height) ||
        (!portrait && out->height > out->width)) {
        int t = out->width;

        out->width = out->height;
        out->height = t;
    }
}

int player_config_log_level(const struct player_config *cfg)
{
    return TAULU_LOG_ERR + cfg->log_level;
}

bool player_host_is_loopback(const char *host)
{
    if (!host) {
        return false;
    }
    return strcmp(host, "localhost") == 0 || strcmp(host, "::1") == 0 ||
           strcmp(host, "[::1]") == 0 ||
           (strncmp(host, "127.", 4) == 0 &&
            strspn(host + 4, "0123456789.") == strlen(host + 4));
}

bool player_url_is_loopback(const char *url)
{
    char host[256];
    const char *p = strstr(url ? url : "", "://"), *end;
    size_t n;

    if (!p) {
        return false;
    }
    p += 3;
    if (*p == '[') {
        end = strchr(p, ']');
        end = end ? end + 1 : p + strlen(p);
    } else {
        end = p + strcspn(p, ":/?#");
    }
    n = (size_t)(end - p);
    if (n == 0 || n >= sizeof host || memchr(p, '@', n)) {
        return false;
    }
    memcpy(host, p, n);
    host[n] = '\0';
    return player_host_is_loopback(host);
}
