/*
 * player_main.c: infotaulu-player's command line: configuration, the
 * headless modes and the screen (see docs/player.md).
 */
#include <malloc.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taulu_buf.h"
#include "taulu_crypto.h"
#include "taulu_err.h"
#include "taulu_log.h"
#include "taulu_manifest.h"
#include "taulu_time.h"

#include "player_app.h"
#include "player_config.h"

#ifndef PLAYER_VERSION
#define PLAYER_VERSION "0"
#endif

#define MAX_OVERRIDES 64

static void usage(FILE *f)
{
    fputs(
        "Usage: infotaulu-player [OPTION]... [--key=value]...\n"
        "Shows a centre's approved notices, events and alerts on a lobby "
        "screen.\n"
        "\n"
        "  --config FILE           settings (default " PLAYER_DEFAULT_CONFIG
        ")\n"
        "  --key=value             override one setting of the file\n"
        "  --check-config          check the settings, print them, exit\n"
        "  --print-example-config  print a commented example file\n"
        "  --manifest FILE         show this manifest (.json or signed) "
        "instead of\n"
        "                          the cache\n"
        "  --help, --version\n"
        "\n"
        "Headless (no window; PNG files):\n"
        "  --headless --manifest FILE --at TIME --out FRAME.png\n"
        "                          what the screen shows at TIME (RFC 3339,\n"
        "                          e.g. 2026-11-24T12:00:00Z)\n"
        "    --card N              the N-th card of the loop (1-based)\n"
        "    --all                 every card of the loop: FRAME-01.png ...\n"
        "    --profile WxH         screen size, e.g. 1080x1920\n"
        "  --headless --frames DIR --seconds N [--at TIME] [--manifest FILE]\n"
        "                          run the real loop (from the cache without\n"
        "                          --manifest) and write a PNG at each change\n"
        "\n"
        "Signals: SIGTERM/SIGINT stop cleanly, SIGHUP reloads the settings.\n",
        f);
}

static int parse_profile(const char *s, int *w, int *h)
{
    char *end;
    long x, y;

    x = strtol(s, &end, 10);
    if (end == s || (*end != 'x' && *end != 'X')) {
        return -1;
    }
    s = end + 1;
    y = strtol(s, &end, 10);
    if (end == s || *end != '\0' || x < 64 || y < 64 || x > 16384 ||
        y > 16384) {
        return -1;
    }
    *w = (int)x;
    *h = (int)y;
    return 0;
}

/* "--name VALUE" or "--name=VALUE": the value, advancing *i; NULL if arg
 * is not this option. */
static const char *opt_value(int argc, char **argv, int *i, const char *name,
                             bool *missing)
{
    size_t n = strlen(name);
    const char *arg = argv[*i];

    if (strncmp(arg, name, n) != 0) {
        return NULL;
    }
    if (arg[n] == '=') {
        return arg + n + 1;
    }
    if (arg[n] != '\0') {
        return NULL;
    }
    if (*i + 1 >= argc) {
        *missing = true;
        return NULL;
    }
    return argv[++*i];
}

int main(int argc, char **argv)
{
    struct player_app_opts o;
    struct player_config cfg;
    struct taulu_buf errs;
    char *overrides[MAX_OVERRIDES];
    size_t n_over = 0;
    const char *config_path = PLAYER_DEFAULT_CONFIG;
    bool path_default = true, check = false, example = false;
    bool headless = false, all = false;
    int i, rc;

    memset(&o, 0, sizeof o);
    o.started_ms = taulu_monotonic_ms();
    /* Card-sized buffers (a text line at 87 px is ~0.5 MiB, a card 8 MiB)
     * come and go at each card change. A fixed mmap threshold returns them
     * to the system when freed instead of letting glibc raise the
     * threshold and keep them in a heap that never shrinks. */
    mallopt(M_MMAP_THRESHOLD, 128 * 1024);
    mallopt(M_TRIM_THRESHOLD, 512 * 1024);
    o.at = TAULU_NO_TIME;
    for (i = 1; i < argc; i++) {
        const char *arg = argv[i], *v;
        bool missing = false;

        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(arg, "--version") == 0) {
            printf("infotaulu-player %s\n", PLAYER_VERSION);
            return 0;
        } else if (strcmp(arg, "--check-config") == 0) {
            check = true;
        } else if (strcmp(arg, "--print-example-config") == 0) {
            example = true;
        } else if (strcmp(arg, "--headless") == 0) {
            headless = true;
        } else if (strcmp(arg, "--all") == 0) {
            all = true;
        } else if ((v = opt_value(argc, argv, &i, "--config", &missing))) {
            config_path = v;
            path_default = false;
        } else if ((v = opt_value(argc, argv, &i, "--manifest", &missing))) {
            o.manifest_file = v;
        } else if ((v = opt_value(argc, argv, &i, "--out", &missing))) {
            o.out = v;
        } else if ((v = opt_value(argc, argv, &i, "--frames", &missing))) {
            o.frames_dir = v;
        } else if ((v = opt_value(argc, argv, &i, "--at", &missing))) {
            if (taulu_time_parse_iso(v, &o.at) < 0) {
                fprintf(stderr,
                        "--at %s: not an RFC 3339 time such as "
                        "2026-11-24T12:00:00Z\n",
                        v);
                return 2;
            }
        } else if ((v = opt_value(argc, argv, &i, "--profile", &missing))) {
            if (parse_profile(v, &o.width, &o.height) < 0) {
                fprintf(stderr,
                        "--profile %s: write WIDTHxHEIGHT, e.g. "
                        "1080x1920\n",
                        v);
                return 2;
            }
        } else if ((v = opt_value(argc, argv, &i, "--card", &missing))) {
            char *end;
            long n = strtol(v, &end, 10);

            if (end == v || *end || n < 1 || n > 100000) {
                fprintf(stderr, "--card %s: a number from 1\n", v);
                return 2;
            }
            o.card = (int)n;
        } else if ((v = opt_value(argc, argv, &i, "--seconds", &missing))) {
            char *end;
            double s = strtod(v, &end);

            if (end == v || *end || !(s > 0.0) || s > 1e7) {
                fprintf(stderr, "--seconds %s: a positive number\n", v);
                return 2;
            }
            o.seconds = s;
        } else if (missing) {
            fprintf(stderr, "%s needs a value\n", arg);
            return 2;
        } else if (strncmp(arg, "--", 2) == 0 && strchr(arg, '=')) {
            if (n_over >= MAX_OVERRIDES) {
                fprintf(stderr, "too many --key=value settings\n");
                return 2;
            }
            overrides[n_over++] = argv[i];
        } else {
            fprintf(stderr, "unknown argument: %s (see --help)\n", arg);
            return 2;
        }
    }

    if (example) {
        taulu_buf_init(&errs, 1024 * 1024);
        rc = taulu_config_write_example(&player_config_table, &errs);
        if (rc == 0) {
            fputs(errs.data, stdout);
        }
        taulu_buf_release(&errs);
        return rc == 0 ? 0 : 1;
    }

    taulu_buf_init(&errs, 256 * 1024);
    rc = player_config_load(&cfg, config_path, path_default, overrides, n_over,
                            &errs);
    if (rc == 0) {
        /* the network's checks wherever the network is used: the screen,
         * and the headless loop (--frames), which syncs too */
        rc = player_config_validate(&cfg, check || !headless || o.frames_dir,
                                    &errs);
    }
    if (rc == 0 && (check || !headless || o.frames_dir)) {
        rc = player_config_read_token(&cfg, &errs);
    }
    if (check) {
        if (rc < 0) {
            fputs(errs.data, stderr);
            fprintf(stderr, "%s: not valid\n", config_path);
            taulu_buf_release(&errs);
            return 1;
        }
        taulu_buf_reset(&errs);
        taulu_config_dump(&player_config_table, &cfg, &errs);
        fputs(errs.data, stdout);
        taulu_buf_release(&errs);
        taulu_wipe(cfg.screen_token, sizeof cfg.screen_token);
        return 0;
    }
    if (rc < 0) {
        fputs(errs.data, stderr);
        taulu_buf_release(&errs);
        return 1;
    }
    taulu_buf_release(&errs);
    taulu_log_threshold = player_config_log_level(&cfg);
    /* Europe/Helsinki from the system's tzdata (or the EU rule), read now
     * and logged once, not at the first date drawn. */
    taulu_tz_init();

    o.config_path = config_path;
    o.config_path_is_default = path_default;
    o.overrides = overrides;
    o.n_overrides = n_over;
    if (headless) {
        if (o.frames_dir) {
            o.mode = PLAYER_MODE_FRAMES;
            if (o.seconds <= 0.0) {
                fprintf(stderr, "--frames needs --seconds N\n");
                return 2;
            }
        } else {
            if (!o.manifest_file || !o.out) {
                fprintf(stderr, "--headless needs --manifest FILE and --out "
                                "FILE.png (or --frames DIR --seconds N)\n");
                return 2;
            }
            o.mode = all ? PLAYER_MODE_ALL : PLAYER_MODE_SHOT;
            if (o.card == 0) {
                o.card = 1;
            }
            if (o.at == TAULU_NO_TIME) {
                o.at = taulu_now();
            }
        }
    } else if (o.frames_dir || o.out || all) {
        fprintf(stderr, "--frames, --out and --all need --headless\n");
        return 2;
    }
    rc = player_app_run(&cfg, &o);
    taulu_wipe(cfg.screen_token, sizeof cfg.screen_token);
    return rc;
}
