/*
 * player_app.c: the main loop of the player (SDL edge), for the screen and
 * for headless runs (see player_app.h).
 *
 * The program is four parts, one file each: what is on screen and what
 * comes next is the show (player/player_show.c, plain C: it decides, and
 * says so as actions); the output and the frames composed on it
 * (player_compose.c); the pager that lays cards out with the fonts
 * (player_pages.c); the manifest and its files (player_content.c). This
 * file is the loop between them: it sleeps in SDL_WaitEventTimeout until
 * the show has something to do or an event comes (no wakeups in between:
 * checked with strace), carries out the show's actions, and turns
 * signals, sync events and window events into calls to the show.
 *
 * Start-up: content first (it decides the profile), then SDL and the
 * window, then the first card drawn straight onto the output (see
 * player_compose.h); the card texture, the network side and the whole
 * loop's layout with the fonts come after that first frame.
 *
 * Threads: SDL lives on this thread. A signal thread turns SIGTERM, SIGINT
 * and SIGHUP into SDL user events; the sync threads' callback copies each
 * event into one (SDL_PushEvent is thread-safe), and this loop frees it.
 */
#include "player_app.h"

#include <SDL2/SDL.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "taulu_crypto.h"
#include "taulu_err.h"
#include "taulu_log.h"
#include "taulu_manifest.h"
#include "taulu_notify.h"
#include "taulu_proto.h"
#include "taulu_time.h"

#include "player_cards.h"
#include "player_compose.h"
#include "player_content.h"
#include "player_enrol.h"
#include "player_exec.h"
#include "player_pages.h"
#include "player_power.h"
#include "player_schedule.h"
#include "player_show.h"
#include "player_sync.h"
#include "render_map.h"

#define TAG "player"

/* The network side as the loop sees it. */
struct app_net {
    struct player_sync *sync; /* NULL: no sync (no server, a file) */
    Uint32 ev_sync, ev_signal, ev_enrol, ev_power;
    char last_error[201]; /* for the status report */
    /* enrolment (player_enrol.h): the thread, the code on screen and the
     * link of its QR code */
    struct player_enrol *enrol;
    char enrol_code[PLAYER_ENROL_CODE_MAX];
    char enrol_link[600];
};

/* The display's power (player_power.h): one command at a time, on a
 * thread of its own (a CEC adapter may take seconds); the latest wish
 * waits while one runs. */
struct app_power {
    struct player_power p;
    bool busy;
    int want; /* -1: nothing waiting; 0: off; 1: on */
};

/* A power command's outcome, from its thread to the loop. */
struct power_done {
    bool on, ok;
    char what[300];
};

/* The clock: wall ms = at_ms + (mono - mono_base) when virtual (--at). */
struct app_clock {
    int64_t at_ms; /* INT64_MIN: the system clock */
    int64_t mono_base;
};

struct player_app {
    struct player_config cfg;
    const struct player_app_opts *opts;
    bool headless;
    struct app_clock clock;
    struct player_content content; /* the manifest and its files */
    struct player_show show;       /* what is on screen, what comes next */
    struct player_compose out;     /* the output and its frames */
    struct player_pages pages;     /* the pager with the fonts */
    struct player_card_buf card;   /* the card being drawn */
    struct render_map_header hdr;  /* the header band's words */
    struct app_net net;
    struct app_power power;
    /* systemd's watchdog: fed by the loop after each turn (see run_loop) */
    struct taulu_watchdog wd;
    /* INFOTAULU_DEBUG_STALL_S: the loop stops turning at this monotonic ms
     * (0: never), so that a test sees the keep-alives stop */
    int64_t stall_at_ms;
    bool quit;
    int exit_code;
};

/* ---- clocks ---- */

static int64_t wall_ms(const struct player_app *a)
{
    struct timespec ts;

    if (a->clock.at_ms != INT64_MIN) {
        return a->clock.at_ms + (taulu_monotonic_ms() - a->clock.mono_base);
    }
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t wall_s(const struct player_app *a)
{
    int64_t ms = wall_ms(a);

    return ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
}

static struct player_show_now now(const struct player_app *a)
{
    struct player_show_now n;

    n.mono_ms = taulu_monotonic_ms();
    n.wall_ms = wall_ms(a);
    return n;
}

static const struct taulu_tz *app_tz(const struct player_app *a)
{
    return player_schedule_tz(a->content.m);
}

/* ---- settings ---- */

/* The screen's profile: the config over the manifest over the defaults
 * (player_config_profile), --profile over that, and in a window the
 * renderer's real output size over everything. */
static void app_profile(const struct player_app *a, struct render_profile *p)
{
    player_config_profile(&a->cfg, a->content.m, p);
    if (a->opts->width > 0 && a->opts->height > 0) {
        p->width = a->opts->width;
        p->height = a->opts->height;
    }
    if (!a->headless && a->out.out_w > 0 && a->out.out_h > 0) {
        /* (before the window exists the output size is not known yet) */
        int ow = a->out.out_w, oh = a->out.out_h;

        if (a->cfg.rotation == 90 || a->cfg.rotation == 270) {
            ow = a->out.out_h;
            oh = a->out.out_w;
        }
        if (ow != p->width || oh != p->height) {
            taulu_info(TAG, "laying out for the screen's %dx%d (profile %dx%d)",
                       ow, oh, p->width, p->height);
            p->width = ow;
            p->height = oh;
        }
    }
}

static void show_opts(const struct player_app *a, struct player_show_opts *o)
{
    char langs[1][TAULU_LANG_MAX + 1];

    memset(o, 0, sizeof *o);
    o->sched.n_languages =
        player_config_languages(&a->cfg, o->sched.languages, PLAYER_MAX_LANGS);
    o->sched.closed = (enum player_closed_cfg)a->cfg.closed_behaviour;
    o->fade_ms = a->cfg.fade_ms;
    /* the screen lays out the whole loop after its first frame */
    o->quick_first = !a->headless;
    snprintf(o->loading_lang, sizeof o->loading_lang, "%s",
             player_config_languages(&a->cfg, langs, 1) == 1 ? langs[0] : "fi");
    o->power = !a->headless || a->opts->mode == PLAYER_MODE_FRAMES
                   ? player_power_enabled(&a->power.p)
                   : false;
    o->power_lead_s = (unsigned)a->cfg.power_lead_s;
}

/* Textures and fonts for the profile; the pager and the show learn what
 * changed. */
static int setup(struct player_app *a)
{
    struct render_profile p;
    bool remade = false;
    int rc;

    app_profile(a, &p);
    rc = player_compose_setup(&a->out, &p, a->cfg.font_dir, &remade);
    player_pages_use(&a->pages, rc == 0 ? a->out.rctx : NULL);
    if (remade) {
        player_show_picture_lost(&a->show);
    }
    return rc;
}

/* The profile in the protocol's terms (the manifest's ranges), or false
 * when it is outside them. */
static bool wire_profile(const struct render_profile *p,
                         struct taulu_profile *out)
{
    double diag = p->diagonal_in * 10.0 + 0.5, dist = p->distance_m * 1000.0;

    if (p->width < 1 || p->width > TAULU_MANIFEST_MAX_PIXELS || p->height < 1 ||
        p->height > TAULU_MANIFEST_MAX_PIXELS || diag < 50.0 ||
        diag >= 3001.0 || dist < 300.0 || dist > 100000.0) {
        return false;
    }
    out->width_px = p->width;
    out->height_px = p->height;
    out->orientation = p->height > p->width ? TAULU_PORTRAIT : TAULU_LANDSCAPE;
    out->diagonal_in_x10 = (int)diag;
    out->distance_mm = (int)(dist + 0.5);
    return true;
}

/* ---- carrying out the show's actions ---- */

static void report(struct player_app *a)
{
    const struct taulu_manifest *m = a->content.m;
    struct player_status_info info;
    char tmp[sizeof info.showing];
    size_t i;

    if (!a->net.sync) {
        return;
    }
    memset(&info, 0, sizeof info);
    info.seq = m ? m->seq : -1;
    memcpy(info.sha256, a->content.sha256, sizeof info.sha256);
    snprintf(info.showing, sizeof info.showing, "%s",
             player_show_showing(&a->show, tmp, sizeof tmp));
    info.clock_ok = m ? a->show.sched.clock_ok : true;
    info.display =
        player_power_display(&a->power.p, a->show.state == PLAYER_SHOW_DARK);
    /* The last error; else what is wrong here for good: a read-only cache
     * (content kept in memory), a clock nothing can be dated by. */
    if (a->net.last_error[0]) {
        snprintf(info.error, sizeof info.error, "%s", a->net.last_error);
    } else if (a->content.cache_note[0]) {
        snprintf(info.error, sizeof info.error, "%s", a->content.cache_note);
    } else if (m && a->show.sched.clock_wrong) {
        char built[TAULU_MANIFEST_TIME_LEN];
        taulu_manifest_time_format(m->built_at, built);
        snprintf(info.error, sizeof info.error,
                 "clock: not plausible for a manifest built %s", built);
    }
    /* the alerts on screen: acknowledged (scenario 4, "3/3") */
    if (m && a->show.sched.alerts) {
        for (i = 0;
             i < m->n_alerts && info.n_alert_ack < sizeof info.alert_ack /
                                                       sizeof info.alert_ack[0];
             i++) {
            if (taulu_alert_is_current(&m->alerts[i], wall_s(a))) {
                info.alert_ack[info.n_alert_ack++] = m->alerts[i].id;
            }
        }
    }
    /* what this screen is, after its own settings, and what it cannot
     * show as one card, one page: the server checks submissions against
     * it, and the contact person sees it */
    {
        struct render_profile p;
        app_profile(a, &p);
        info.has_profile = wire_profile(&p, &info.profile);
    }
    player_pages_fit(&a->pages, m, info.unplaced, &info.n_unplaced, info.paged,
                     &info.n_paged, TAULU_PROTO_MAX_CARD_IDS);
    /* the loop's length and what takes turns, for the contact person */
    if (m && a->show.sched.budget_ms > 0) {
        const struct player_schedule *sc = &a->show.sched;

        info.has_loop = true;
        info.loop_s = (int)((sc->loop_ms + 500) / 1000);
        info.loop_all_s = (int)((sc->all_ms + 500) / 1000);
        info.loop_turns = (int)sc->n_turns;
        info.loop_window = (int)sc->n_window;
        if (info.loop_s > 86400) {
            info.loop_s = 86400;
        }
        if (info.loop_all_s > 86400) {
            info.loop_all_s = 86400;
        }
    }
    player_sync_report(a->net.sync, &info);
}

/* The header band: the centre's name in the page's language (without a
 * manifest the screen's id says which screen this is), the date, the
 * clock, "pos / total". */
static void update_header(struct player_app *a, const char *lang, size_t pos,
                          size_t total)
{
    const char *name = NULL, *short_name = NULL;
    int rc;

    if (a->content.m) {
        name = render_map_centre_name(&a->content.m->centre, lang);
        short_name = render_map_centre_short(&a->content.m->centre, lang);
    }
    if (!name) {
        name = a->cfg.screen_id[0] ? a->cfg.screen_id : "Infotaulu";
    }
    rc = render_map_header(&a->hdr, name, short_name, lang, app_tz(a),
                           wall_s(a), pos, total);
    if (rc == TAULU_EINVAL && a->content.m && a->show.sched.clock_wrong) {
        /* a clock past what can be dated: the header without it */
        rc = render_map_header(&a->hdr, name, short_name, lang, app_tz(a), 0,
                               pos, total);
    }
    if (rc == 0 && a->content.m && a->show.sched.clock_wrong) {
        /* A wrong clock's date and time are not shown to the public. */
        a->hdr.header.date = "";
        a->hdr.header.clock = "";
    }
    if (rc == 0) {
        player_compose_header(&a->out, &a->hdr.header);
    } else {
        a->out.header_ok = false;
        taulu_warn(TAG, "header: %s", taulu_strerror(rc));
    }
}

static void show_header(struct player_app *a)
{
    const struct player_show_header *h = &a->show.header;

    update_header(a, h->lang, h->pos, h->total);
}

static int draw_entry(struct player_app *a, const struct player_entry *e,
                      bool in_place)
{
    int rc = player_cards_map(&a->card, a->content.m, app_tz(a), e, wall_s(a),
                              a->show.sched.next_open, &a->content.assets);

    if (rc == 0) {
        rc = player_compose_draw(&a->out, &a->card.card, e->page, in_place);
    }
    if (rc < 0) {
        taulu_warn(TAG, "cannot draw %s %d page %d (%s): %s",
                   e->kind == PLAYER_ENTRY_ALERT ? "alert" : "card", e->index,
                   e->page + 1, e->lang, taulu_strerror(rc));
    }
    return rc;
}

/* A failed draw in place left no card to fade from: the show learns it. */
static void check_picture(struct player_app *a)
{
    if (!a->out.cur_valid) {
        player_show_picture_lost(&a->show);
    }
}

/* Entry act->pos comes up, or the next one that can be drawn, or the
 * calm card, which can. */
static void show_entry(struct player_app *a, const struct player_show_act *act)
{
    const struct player_schedule *s = &a->show.sched;
    int pos = -1;
    size_t k;

    if (player_compose_target(&a->out, act->in_place) < 0) {
        return;
    }
    for (k = 0; k < s->n; k++) {
        int i = (int)(((size_t)act->pos + k) % s->n);

        if (draw_entry(a, &s->entries[i], act->in_place) == 0) {
            pos = i;
            break;
        }
    }
    if (pos < 0) {
        struct player_entry calm;

        player_show_calm(&a->show, &calm);
        player_cards_map(&a->card, a->content.m, app_tz(a), &calm, wall_s(a),
                         TAULU_NO_TIME, NULL);
        if (player_compose_draw(&a->out, &a->card.card, 0, act->in_place) < 0) {
            check_picture(a);
            return;
        }
    }
    player_show_drawn(&a->show, pos, now(a));
    show_header(a);
    if (act->fade) {
        player_compose_fade_begin(&a->out, act->alpha);
        player_show_fade_begun(&a->show, now(a));
    } else {
        player_compose_cut(&a->out, act->in_place);
    }
    report(a);
}

static void relabel(struct player_app *a, int pos)
{
    if (draw_entry(a, &a->show.sched.entries[pos], true) == 0) {
        show_header(a);
        player_compose_cut(&a->out, true);
    } else {
        check_picture(a);
    }
}

static void show_loading(struct player_app *a)
{
    const struct player_show *s = &a->show;

    if (s->loading == PLAYER_LOADING_ENROL) {
        player_cards_enrol(&a->card, a->net.enrol_code, a->net.enrol_link);
    } else {
        player_cards_loading(&a->card, s->opts.loading_lang, s->loading,
                             s->items_done, s->items_total, s->bytes_done,
                             s->bytes_total);
    }
    if (player_compose_draw(&a->out, &a->card.card, 0, true) < 0) {
        check_picture(a);
        return;
    }
    show_header(a);
    player_compose_cut(&a->out, true);
}

/* The screen's id and centre, so a technician knows which screen this is
 * (the header stays as it was). */
static void show_identify(struct player_app *a)
{
    static const char *const title = "Infotaulu";
    char body[sizeof a->cfg.screen_id + sizeof a->hdr.centre + 2];

    snprintf(body, sizeof body, "%s\n%s", a->cfg.screen_id, a->hdr.centre);
    memset(&a->card.card, 0, sizeof a->card.card);
    a->card.card.kind = RENDER_CARD_CALM;
    a->card.card.title = title;
    a->card.card.body = body;
    if (player_compose_draw(&a->out, &a->card.card, 0, true) == 0) {
        player_compose_cut(&a->out, true);
    } else {
        check_picture(a);
    }
}

/* ---- the display's power ---- */

struct power_job {
    char buf[512];
    char *argv[16];
    char input[130];
    int timeout_ms;
    bool on;
    Uint32 type;
};

static void *power_thread(void *arg)
{
    struct power_job *j = arg;
    struct player_exec_result res;
    struct power_done *d = calloc(1, sizeof *d);
    SDL_Event e;
    int rc;

    rc = player_exec_run(j->argv, j->input, j->timeout_ms, &res);
    if (d) {
        d->on = j->on;
        d->ok = rc == 0;
        if (!res.started) {
            snprintf(d->what, sizeof d->what, "%s", res.error);
        } else if (res.timed_out) {
            snprintf(d->what, sizeof d->what, "no answer in %d s",
                     j->timeout_ms / 1000);
        } else if (res.signal) {
            snprintf(d->what, sizeof d->what, "signal %d", res.signal);
        } else {
            snprintf(d->what, sizeof d->what, "exit %d%s%.200s", res.exit_code,
                     res.output[0] ? ": " : "", res.output);
        }
        memset(&e, 0, sizeof e);
        e.type = j->type;
        e.user.data1 = d;
        if (SDL_PushEvent(&e) != 1) {
            free(d);
        }
    }
    free(j);
    return NULL;
}

/* Runs the command that turns the display on or off, unless one runs:
 * then this wish waits for it. */
static void power_switch(struct player_app *a, bool on)
{
    struct power_job *j;
    const char *line, *input;
    pthread_t t;

    if (a->power.busy) {
        a->power.want = on;
        return;
    }
    a->power.want = -1;
    line = player_power_line(&a->power.p, on, &input);
    if (!line) {
        return;
    }
    j = calloc(1, sizeof *j);
    if (!j) {
        return;
    }
    if (player_exec_split(line, j->buf, sizeof j->buf, j->argv,
                          sizeof j->argv / sizeof j->argv[0]) <= 0) {
        taulu_warn(TAG, "power: cannot read the command \"%s\"", line);
        free(j);
        return;
    }
    snprintf(j->input, sizeof j->input, "%s", input);
    j->timeout_ms = a->power.p.timeout_ms;
    j->on = on;
    j->type = a->net.ev_power;
    taulu_debug(TAG, "power: %s (%s)", on ? "on" : "off", line);
    if (pthread_create(&t, NULL, power_thread, j) != 0) {
        free(j);
        return;
    }
    pthread_detach(t);
    a->power.busy = true;
}

static void power_done(struct player_app *a, const struct power_done *d)
{
    char msg[700];
    int level;

    a->power.busy = false;
    level = player_power_outcome(&a->power.p, d->on, d->ok, d->what, msg,
                                 sizeof msg);
    if (level >= 0) {
        taulu_log(level, TAG, "%s", msg);
    } else {
        taulu_debug(TAG, "power: %s failed again (%s)", d->on ? "on" : "off",
                    d->what);
    }
    report(a);
    if (a->power.want >= 0) {
        power_switch(a, a->power.want == 1);
    }
}

static void carry_out(struct player_app *a, const struct player_show_acts *acts)
{
    size_t i;

    for (i = 0; i < acts->n; i++) {
        const struct player_show_act *act = &acts->v[i];

        switch (act->kind) {
        case PLAYER_ACT_END_FADE:
            player_compose_fade_end(&a->out);
            break;
        case PLAYER_ACT_FADE_STEP:
            player_compose_fade_step(&a->out, act->alpha);
            break;
        case PLAYER_ACT_ENTRY:
            show_entry(a, act);
            break;
        case PLAYER_ACT_RELABEL:
            relabel(a, act->pos);
            break;
        case PLAYER_ACT_DARK:
            player_compose_dark(&a->out);
            report(a);
            break;
        case PLAYER_ACT_CLOCK:
            /* the clock: HH.MM, redrawn once a minute, never seconds */
            show_header(a);
            player_compose_clock(&a->out);
            break;
        case PLAYER_ACT_HEADER:
            show_header(a);
            if (!a->out.fading) {
                player_compose_frame(&a->out);
            }
            break;
        case PLAYER_ACT_LOADING:
            show_loading(a);
            break;
        case PLAYER_ACT_IDENTIFY:
            show_identify(a);
            break;
        case PLAYER_ACT_POWER_OFF:
            power_switch(a, false);
            break;
        case PLAYER_ACT_POWER_ON:
            power_switch(a, true);
            break;
        }
    }
    if (a->out.first_frame_done) {
        player_show_first_frame(&a->show);
    }
}

/* ---- content ---- */

/* A new manifest from the cache replaces the one shown (which is freed). */
static void replace_manifest(struct player_app *a, struct taulu_manifest *m)
{
    struct taulu_manifest *old = a->content.m;
    struct player_show_acts acts = {0};
    struct render_profile p;

    a->content.m = m;
    app_profile(a, &p);
    if (p.width != a->out.w || p.height != a->out.h || !a->out.rctx) {
        /* A new profile from the server (headless: new size): new sizes. */
        if (setup(a) < 0) {
            taulu_err(TAG, "cannot set up drawing for the new profile");
        }
    }
    taulu_info(TAG, "showing manifest seq %lld (%zu cards, %zu alerts)",
               (long long)m->seq, m->n_cards, m->n_alerts);
    player_pages_clear(&a->pages);
    player_show_start(&a->show, m, old, now(a), &acts);
    carry_out(a, &acts);
    taulu_manifest_free(old);
}

/* ---- sync ---- */

static void sync_notify(void *ctx, const struct player_sync_event *ev)
{
    struct player_app *a = ctx;
    struct player_sync_event *copy = malloc(sizeof *copy);
    SDL_Event e;

    if (!copy) {
        return;
    }
    *copy = *ev;
    memset(&e, 0, sizeof e);
    e.type = a->net.ev_sync;
    e.user.data1 = copy;
    if (SDL_PushEvent(&e) != 1) {
        free(copy);
    }
}

static void start_sync(struct player_app *a)
{
    struct player_sync_config sc;
    const struct taulu_manifest *m = a->content.m;
    int rc;

    if (!a->cfg.server_url[0] || !a->content.cache ||
        player_content_key(&a->content) < 0) {
        return;
    }
    memset(&sc, 0, sizeof sc);
    sc.server_url = a->cfg.server_url;
    sc.screen_id = a->cfg.screen_id;
    sc.screen_token = a->cfg.screen_token;
    sc.server_pk = a->content.pk;
    sc.mqtt_host = a->cfg.mqtt_host;
    sc.mqtt_port = (int)a->cfg.mqtt_port;
    sc.mqtt_prefix = a->cfg.mqtt_prefix;
    sc.ca_file = a->cfg.ca_file[0] ? a->cfg.ca_file : NULL;
    sc.mqtt_tls = a->cfg.mqtt_tls;
    sc.mqtt_ca_file = a->cfg.mqtt_ca_file[0] ? a->cfg.mqtt_ca_file : NULL;
    if (a->cfg.allow_insecure &&
        ((strncmp(a->cfg.server_url, "http://", 7) == 0 &&
          !player_url_is_loopback(a->cfg.server_url)) ||
         (a->cfg.mqtt_host[0] && !a->cfg.mqtt_tls &&
          !player_host_is_loopback(a->cfg.mqtt_host)))) {
        taulu_warn(TAG,
                   "INSECURE: allow_insecure is set and the token goes to "
                   "%s%s%s without TLS: anyone on the network can read it "
                   "and show anything on this screen's account. Only for a "
                   "test network.",
                   a->cfg.server_url, a->cfg.mqtt_tls ? "" : " and ",
                   a->cfg.mqtt_tls ? "" : a->cfg.mqtt_host);
    }
    sc.poll_interval_s = (int)a->cfg.poll_interval_s;
    sc.cache = a->content.cache;
    rc = player_sync_start(&sc, m ? m->seq : -1, m ? a->content.sha256 : NULL,
                           sync_notify, a, &a->net.sync);
    if (rc < 0) {
        taulu_err(TAG, "sync not started: %s", taulu_strerror(rc));
    }
}

/* ---- enrolment ---- */

static void enrol_notify(void *ctx, const struct player_enrol_event *ev)
{
    struct player_app *a = ctx;
    struct player_enrol_event *copy = malloc(sizeof *copy);
    SDL_Event e;

    if (!copy) {
        return;
    }
    *copy = *ev;
    memset(&e, 0, sizeof e);
    e.type = a->net.ev_enrol;
    e.user.data1 = copy;
    if (SDL_PushEvent(&e) != 1) {
        free(copy);
    }
}

static void start_enrol(struct player_app *a)
{
    struct player_enrol_config ec;
    int rc;

    memset(&ec, 0, sizeof ec);
    ec.server_url = a->cfg.server_url;
    ec.ca_file = a->cfg.ca_file[0] ? a->cfg.ca_file : NULL;
    ec.state_dir = a->cfg.state_dir;
    rc = player_enrol_start(&ec, enrol_notify, a, &a->net.enrol);
    if (rc < 0) {
        taulu_err(TAG, "enrolment not started: %s", taulu_strerror(rc));
    }
}

/* Enrolled: the settings again, now with the enrolment's file, and the
 * sync as on any screen. What needs a restart (the window) stays. */
static void enrolled(struct player_app *a)
{
    struct player_config cfg;
    struct player_show_acts acts = {0};
    struct taulu_buf errs;
    const struct player_app_opts *o = a->opts;

    player_enrol_stop(a->net.enrol);
    a->net.enrol = NULL;
    a->net.enrol_code[0] = '\0';
    taulu_buf_init(&errs, 64 * 1024);
    if (player_config_load(&cfg, o->config_path, o->config_path_is_default,
                           o->overrides, o->n_overrides, &errs) < 0 ||
        player_config_validate(&cfg, true, &errs) < 0 ||
        player_config_read_token(&cfg, &errs) < 0 || !cfg.enrolled) {
        taulu_err(TAG, "the enrolment's settings are not usable:\n%s",
                  errs.data);
        taulu_buf_release(&errs);
        taulu_wipe(cfg.screen_token, sizeof cfg.screen_token);
        return;
    }
    taulu_buf_release(&errs);
    cfg.rotation = a->cfg.rotation;
    cfg.window = a->cfg.window;
    taulu_wipe(a->cfg.screen_token, sizeof a->cfg.screen_token);
    a->cfg = cfg;
    taulu_wipe(cfg.screen_token, sizeof cfg.screen_token);
    taulu_notice(TAG, "enrolled as %s: syncing from %s", a->cfg.screen_id,
                 a->cfg.server_url);
    player_show_start_loading(&a->show, PLAYER_LOADING_FETCHING, now(a), &acts);
    carry_out(a, &acts);
    if (player_content_open_cache(&a->content) == 0) {
        start_sync(a);
    }
}

static void on_enrol(struct player_app *a, const struct player_enrol_event *ev)
{
    struct player_show_acts acts = {0};

    switch (ev->kind) {
    case PLAYER_ENROL_CODE:
        snprintf(a->net.enrol_code, sizeof a->net.enrol_code, "%s", ev->code);
        /* the QR code: the screens page with the code filled in (a
         * fragment: never sent to any server) */
        snprintf(a->net.enrol_link, sizeof a->net.enrol_link,
                 "%s/screens.html#enrol=%s", a->cfg.server_url, ev->code);
        player_show_start_loading(&a->show, PLAYER_LOADING_ENROL, now(a),
                                  &acts);
        carry_out(a, &acts);
        break;
    case PLAYER_ENROL_ERROR:
        break; /* logged; the code (or the waiting card) stays */
    case PLAYER_ENROL_DONE:
        enrolled(a);
        break;
    }
}

static void on_sync(struct player_app *a, struct player_sync_event *ev)
{
    struct player_show_acts acts = {0};
    char path[600];

    switch (ev->kind) {
    case PLAYER_SYNC_APPLIED: {
        struct taulu_manifest *m = player_content_load_cached(&a->content);

        a->net.last_error[0] = '\0';
        if (m) {
            replace_manifest(a, m);
        }
        break;
    }
    case PLAYER_SYNC_PROGRESS:
        player_show_progress(&a->show, ev->items_done, ev->items_total,
                             ev->bytes_done, ev->bytes_total);
        break;
    case PLAYER_SYNC_ERROR:
        snprintf(a->net.last_error, sizeof a->net.last_error, "%s",
                 ev->message);
        taulu_warn(TAG, "sync: %s", ev->message);
        player_show_sync_failed(&a->show);
        report(a);
        break;
    case PLAYER_SYNC_COMMAND:
        taulu_info(TAG, "command %d (%s)", ev->command, ev->command_id);
        if (ev->command == TAULU_CMD_RELOAD) {
            player_sync_request_reload(a->net.sync);
        } else if (ev->command == TAULU_CMD_IDENTIFY) {
            player_show_identify(&a->show, now(a), &acts);
            carry_out(a, &acts);
        } else if (ev->command == TAULU_CMD_SCREENSHOT) {
            /* the frame on the output now, written here, uploaded and
             * deleted by the sync's fetch thread */
            snprintf(path, sizeof path, "%s/screenshot.png", a->cfg.cache_dir);
            unlink(path);
            player_compose_screenshot(&a->out, path);
            if (access(path, R_OK) == 0) {
                player_sync_upload_screenshot(a->net.sync, path);
            }
        }
        break;
    case PLAYER_SYNC_CONNECTION:
        taulu_info(TAG, "broker %s", ev->online ? "connected" : "lost");
        player_show_online(&a->show, ev->online);
        break;
    }
}

/* ---- signals ---- */

struct signal_ctx {
    sigset_t set;
    Uint32 type;
};

static void *signal_thread(void *arg)
{
    struct signal_ctx *sc = arg;

    for (;;) {
        int sig = 0;
        SDL_Event e;

        if (sigwait(&sc->set, &sig) != 0) {
            continue;
        }
        memset(&e, 0, sizeof e);
        e.type = sc->type;
        e.user.code = sig;
        SDL_PushEvent(&e);
        if (sig != SIGHUP) {
            return NULL;
        }
    }
}

/* RELOADING=1 with the monotonic time systemd (253 and later) wants
 * beside it; READY=1 follows when the reload is done. */
static void notify_reloading(void)
{
    char msg[64];

    snprintf(msg, sizeof msg, "RELOADING=1\nMONOTONIC_USEC=%lld",
             (long long)taulu_monotonic_ms() * 1000);
    taulu_notify(msg);
}

static void reload_config(struct player_app *a)
{
    struct player_config cfg;
    struct player_show_opts so;
    struct player_show_acts acts = {0};
    struct taulu_buf errs;
    const struct player_app_opts *o = a->opts;
    bool redraw;

    notify_reloading();
    taulu_buf_init(&errs, 64 * 1024);
    if (player_config_load(&cfg, o->config_path, o->config_path_is_default,
                           o->overrides, o->n_overrides, &errs) < 0 ||
        player_config_validate(&cfg, false, &errs) < 0) {
        taulu_err(TAG, "SIGHUP: configuration not reloaded:\n%s", errs.data);
        taulu_buf_release(&errs);
        taulu_notify("READY=1\nSTATUS=settings not reloaded: see the log");
        return;
    }
    taulu_buf_release(&errs);
    redraw = strcmp(cfg.font_dir, a->cfg.font_dir) != 0 ||
             strcmp(cfg.theme_file, a->cfg.theme_file) != 0 ||
             cfg.width != a->cfg.width || cfg.height != a->cfg.height ||
             cfg.orientation != a->cfg.orientation ||
             cfg.diagonal_in != a->cfg.diagonal_in ||
             cfg.distance_m != a->cfg.distance_m;
    /* What needs a restart (the network side, the window) keeps its old
     * value; the rest applies now. */
    cfg.rotation = a->cfg.rotation;
    cfg.window = a->cfg.window;
    memcpy(cfg.screen_token, a->cfg.screen_token, sizeof cfg.screen_token);
    taulu_wipe(a->cfg.screen_token, sizeof a->cfg.screen_token);
    a->cfg = cfg;
    taulu_log_threshold = player_config_log_level(&a->cfg);
    {
        /* power_control and its commands apply at once; whether the
         * display is off, and a failure said already, stay */
        bool off = a->power.p.off, failing = a->power.p.failing;

        player_power_init(&a->power.p, &a->cfg);
        a->power.p.off = off;
        a->power.p.failing = failing;
    }
    show_opts(a, &so);
    player_show_set_opts(&a->show, &so);
    taulu_notice(TAG, "configuration reloaded");
    if (redraw) {
        player_compose_load_theme(&a->out, a->cfg.theme_file);
        if (setup(a) < 0) {
            taulu_err(TAG, "drawing not set up after the reload");
            taulu_notify("READY=1\nSTATUS=drawing not set up after the "
                         "reload");
            return;
        }
    }
    player_pages_clear(&a->pages);
    player_show_restart(&a->show, now(a), &acts);
    carry_out(a, &acts);
    taulu_notify("READY=1\nSTATUS=settings reloaded");
}

/* ---- the loop ---- */

static void on_event(struct player_app *a, SDL_Event *e)
{
    if (e->type == SDL_QUIT) {
        a->quit = true;
    } else if (e->type == a->net.ev_signal) {
        if (e->user.code == SIGHUP) {
            reload_config(a);
        } else {
            taulu_notice(TAG, "signal %d: stopping", e->user.code);
            a->quit = true;
        }
    } else if (e->type == a->net.ev_sync) {
        on_sync(a, e->user.data1);
        free(e->user.data1);
    } else if (e->type == a->net.ev_enrol) {
        on_enrol(a, e->user.data1);
        free(e->user.data1);
    } else if (e->type == a->net.ev_power) {
        power_done(a, e->user.data1);
        free(e->user.data1);
    } else if (e->type == SDL_WINDOWEVENT &&
               (e->window.event == SDL_WINDOWEVENT_EXPOSED ||
                e->window.event == SDL_WINDOWEVENT_SIZE_CHANGED)) {
        if (player_compose_resized(&a->out) && setup(a) == 0 && a->content.m) {
            struct player_show_acts acts = {0};

            player_show_restart(&a->show, now(a), &acts);
            carry_out(a, &acts);
            return;
        }
        player_compose_exposed(&a->out);
    }
}

static void tick(struct player_app *a)
{
    struct player_show_acts acts = {0};

    player_show_tick(&a->show, now(a), &acts);
    carry_out(a, &acts);
}

/* The whole loop paged with the fonts once the first frame is out. */
static void relayout(struct player_app *a)
{
    struct player_show_acts acts = {0};

    player_show_relayout(&a->show, now(a), &acts);
    carry_out(a, &acts);
}

/* The keep-alive for systemd's watchdog, sent from the loop itself after
 * a whole turn (events handled, the show's actions carried out, frames
 * presented): a loop that hangs anywhere (a display that never returns
 * from a present, a deadlock) sends none and is restarted. Never from a
 * thread of its own, which would keep a hung screen alive. */
static void alive(struct player_app *a)
{
    taulu_watchdog_kick(&a->wd, taulu_monotonic_ms());
    if (a->stall_at_ms > 0 && taulu_monotonic_ms() >= a->stall_at_ms) {
        /* the debug stall: this thread stops as a hung driver would; the
         * other threads (signals, sync) go on */
        taulu_warn(TAG, "INFOTAULU_DEBUG_STALL_S: the loop stops turning");
        for (;;) {
            sleep(3600);
        }
    }
}

/* INFOTAULU_DEBUG_STALL_S=N: the loop stops after N seconds (the
 * watchdog's tests). */
static void debug_stall_init(struct player_app *a)
{
    const char *s = getenv("INFOTAULU_DEBUG_STALL_S");
    char *end = NULL;
    long n;

    a->stall_at_ms = 0;
    if (!s || !s[0]) {
        return;
    }
    n = strtol(s, &end, 10);
    if (*end || n < 0 || n > 86400) {
        taulu_warn(TAG, "INFOTAULU_DEBUG_STALL_S=%s ignored", s);
        return;
    }
    a->stall_at_ms = taulu_monotonic_ms() + n * 1000;
}

static void run_loop(struct player_app *a, int64_t end_ms)
{
    while (!a->quit) {
        SDL_Event e;
        int64_t mono = taulu_monotonic_ms();
        int wait = player_show_wait_ms(&a->show, now(a));

        if (end_ms > 0 && mono >= end_ms) {
            break;
        }
        if (end_ms > 0 && end_ms - mono < wait) {
            wait = (int)(end_ms - mono);
        }
        /* with a watchdog the loop wakes for its keep-alive too */
        wait = taulu_watchdog_wait_ms(&a->wd, mono, wait);
        if (SDL_WaitEventTimeout(&e, wait)) {
            on_event(a, &e);
            while (!a->quit && SDL_PollEvent(&e)) {
                on_event(a, &e);
            }
        }
        if (!a->quit) {
            tick(a);
        }
        relayout(a);
        alive(a);
    }
}

/* Headless shots: entry `card` (1-based) or every entry at opts->at. */
static int run_shots(struct player_app *a)
{
    const struct player_app_opts *o = a->opts;
    const struct taulu_manifest *m = a->content.m;
    const struct player_schedule *s = &a->show.sched;
    size_t i, first = 0, last;
    char path[1024];
    size_t stem;

    if (!m) {
        return 1;
    }
    player_show_schedule(&a->show, m, now(a));
    if (s->dark) {
        player_compose_dark(&a->out);
        player_compose_save(&a->out, o->out);
        taulu_info(TAG, "dark at that time: %s is black", o->out);
        return 0;
    }
    last = s->n;
    if (o->mode == PLAYER_MODE_SHOT) {
        if (o->card < 1 || (size_t)o->card > s->n) {
            taulu_err(TAG, "--card %d: the loop has %zu cards", o->card, s->n);
            return 1;
        }
        first = (size_t)o->card - 1;
        last = first + 1;
    }
    stem = strlen(o->out);
    if (stem > 4 && strcmp(o->out + stem - 4, ".png") == 0) {
        stem -= 4;
    }
    for (i = first; i < last; i++) {
        const struct player_entry *e = &s->entries[i];

        if (draw_entry(a, e, true) < 0) {
            return 1;
        }
        update_header(a, e->lang, i + 1, s->n);
        player_compose_cut(&a->out, true);
        if (o->mode == PLAYER_MODE_ALL) {
            snprintf(path, sizeof path, "%.*s-%02zu.png", (int)stem, o->out,
                     i + 1);
        } else {
            snprintf(path, sizeof path, "%s", o->out);
        }
        player_compose_save(&a->out, path);
        printf("%s\t%s\t%d/%d\t%s\t%u ms\n", path,
               e->kind == PLAYER_ENTRY_CARD     ? m->cards[e->index].id
               : e->kind == PLAYER_ENTRY_ALERT  ? m->alerts[e->index].id
               : e->kind == PLAYER_ENTRY_AGENDA ? "agenda"
               : e->kind == PLAYER_ENTRY_CALM   ? "calm"
               : e->kind == PLAYER_ENTRY_CLOCK  ? "clock"
                                                : "closed",
               e->page + 1, e->n_pages, e->lang, e->dwell_ms);
    }
    if (o->mode == PLAYER_MODE_ALL && s->budget_ms > 0) {
        /* the loop budget: this loop, all of it, what takes turns */
        printf("loop\t%u s of %u s (budget %u s)\t%zu cards take turns, %zu "
               "in this loop\n",
               (s->loop_ms + 500) / 1000, (s->all_ms + 500) / 1000,
               s->budget_ms / 1000, s->n_turns, s->n_window);
    }
    return 0;
}

/* ---- start and end ---- */

static int app_init(struct player_app *a, const struct player_config *cfg,
                    const struct player_app_opts *opts)
{
    struct player_compose_opts co;
    struct player_show_opts so;
    struct player_pager full = {player_pages_count, &a->pages};
    struct player_pager quick = {player_cards_pager, &a->pages.buf};
    bool loop =
        opts->mode == PLAYER_MODE_SCREEN || opts->mode == PLAYER_MODE_FRAMES;

    a->cfg = *cfg;
    a->opts = opts;
    a->headless = opts->mode != PLAYER_MODE_SCREEN;
    a->clock.at_ms = opts->at == TAULU_NO_TIME ? INT64_MIN : opts->at * 1000;
    a->clock.mono_base = taulu_monotonic_ms();
    a->exit_code = 0;
    player_power_init(&a->power.p, &a->cfg);
    a->power.want = -1;
    player_card_buf_init(&a->card);
    render_map_header_init(&a->hdr);
    player_content_init(&a->content, &a->cfg);
    memset(&co, 0, sizeof co);
    co.headless = a->headless;
    co.loop = loop;
    co.frames_dir = opts->mode == PLAYER_MODE_FRAMES ? opts->frames_dir : NULL;
    co.started_ms = opts->started_ms;
    co.rotation = (int)a->cfg.rotation;
    co.window = a->cfg.window;
    show_opts(a, &so);
    player_show_init(&a->show, &so, &full, &quick);
    if (player_compose_init(&a->out, &co) < 0 ||
        player_pages_init(&a->pages, &a->content.assets) < 0) {
        taulu_err(TAG, "out of memory");
        return TAULU_ENOMEM;
    }
    if (taulu_crypto_init() < 0) {
        taulu_err(TAG, "libsodium did not initialise");
        return TAULU_EUNAVAIL;
    }
    return 0;
}

/* Frees the copies carried by sync events still in SDL's queue (the
 * sync's last ones come while it stops: the broker connection lost). */
static void drain_sync_events(struct player_app *a)
{
    SDL_Event e;

    if (a->net.ev_sync == 0 || a->net.ev_sync == (Uint32)-1 ||
        !SDL_WasInit(SDL_INIT_EVENTS)) {
        return;
    }
    while (SDL_PeepEvents(&e, 1, SDL_GETEVENT, a->net.ev_sync,
                          a->net.ev_sync) == 1) {
        free(e.user.data1);
    }
}

/* The one way out: every part released in the order that is safe (the
 * sync threads use the cache and push SDL events: they stop first). */
static void app_release(struct player_app *a)
{
    if (!a) {
        return;
    }
    player_enrol_stop(a->net.enrol);
    a->net.enrol = NULL;
    player_sync_stop(a->net.sync);
    a->net.sync = NULL;
    drain_sync_events(a);
    player_content_release(&a->content);
    player_compose_release(&a->out);
    player_pages_release(&a->pages);
    player_card_buf_release(&a->card);
    render_map_header_release(&a->hdr);
    taulu_wipe(a->cfg.screen_token, sizeof a->cfg.screen_token);
}

int player_app_run(const struct player_config *cfg,
                   const struct player_app_opts *opts)
{
    struct player_app *a;
    struct player_show_acts acts = {0};
    struct render_profile p;
    struct signal_ctx sigs;
    pthread_t sig_thread;
    bool loop =
        opts->mode == PLAYER_MODE_SCREEN || opts->mode == PLAYER_MODE_FRAMES;
    int64_t end_ms = 0;
    int rc = 1;

    a = calloc(1, sizeof *a);
    if (!a) {
        return 1;
    }
    if (app_init(a, cfg, opts) < 0) {
        goto out;
    }

    /* Signals become events on the signal thread; block them here before
     * SDL or the sync start threads, so that every thread inherits it. */
    sigemptyset(&sigs.set);
    sigaddset(&sigs.set, SIGTERM);
    sigaddset(&sigs.set, SIGINT);
    sigaddset(&sigs.set, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &sigs.set, NULL);

    /* Content first (it decides the profile), then the window. A manifest
     * file given on the command line is shown as it is; the real loop
     * otherwise starts from the cache, in a window and headless
     * (--frames) alike, so a machine with no display runs the whole
     * system too. */
    if (opts->manifest_file) {
        if (player_content_load_file(&a->content, opts->manifest_file,
                                     &a->content.m) < 0 &&
            a->headless) {
            goto out;
        }
    } else if (loop && player_content_open_cache(&a->content) == 0 &&
               !player_config_needs_enrolment(&a->cfg)) {
        a->content.m = player_content_load_cached(&a->content);
    }
    if (!a->content.m && !loop) {
        taulu_err(TAG, "nothing to render: give --manifest FILE");
        goto out;
    }
    app_profile(a, &p);
    player_compose_load_theme(&a->out, a->cfg.theme_file);
    taulu_debug(TAG, "start-up: content %lld ms",
                (long long)(taulu_monotonic_ms() - opts->started_ms));
    if (player_compose_open(&a->out, p.width, p.height) < 0) {
        goto out;
    }
    a->net.ev_sync = SDL_RegisterEvents(4);
    if (a->net.ev_sync == (Uint32)-1) {
        taulu_err(TAG, "SDL_RegisterEvents: %s", SDL_GetError());
        goto out;
    }
    a->net.ev_signal = a->net.ev_sync + 1;
    a->net.ev_enrol = a->net.ev_sync + 2;
    a->net.ev_power = a->net.ev_sync + 3;
    taulu_debug(TAG, "start-up: SDL and window %lld ms",
                (long long)(taulu_monotonic_ms() - opts->started_ms));
    if (setup(a) < 0) {
        goto out;
    }
    taulu_debug(TAG, "start-up: fonts and textures %lld ms",
                (long long)(taulu_monotonic_ms() - opts->started_ms));
    sigs.type = a->net.ev_signal;
    if (pthread_create(&sig_thread, NULL, signal_thread, &sigs) == 0) {
        pthread_detach(sig_thread);
    }

    if (!loop) {
        rc = run_shots(a);
        goto out;
    }
    if (a->content.m) {
        player_pages_clear(&a->pages);
        player_show_start(&a->show, a->content.m, NULL, now(a), &acts);
    } else {
        player_show_start_loading(
            &a->show,
            player_config_needs_enrolment(&a->cfg) && !opts->manifest_file
                ? PLAYER_LOADING_ENROL
            : a->cfg.server_url[0] ? PLAYER_LOADING_FETCHING
                                   : PLAYER_LOADING_UNCONFIGURED,
            now(a), &acts);
    }
    carry_out(a, &acts);
    if (player_compose_keep_card(&a->out) < 0) {
        taulu_err(TAG, "no memory for the card texture");
        goto out;
    }
    if (!opts->manifest_file && player_config_needs_enrolment(&a->cfg)) {
        start_enrol(a);
    } else if (!opts->manifest_file) {
        start_sync(a);
        /* what is on screen already (the first card came before the
         * sync), so the first status says it and any standing error */
        report(a);
    }
    if (opts->seconds > 0) {
        end_ms = taulu_monotonic_ms() + (int64_t)(opts->seconds * 1000.0);
    }
    relayout(a);
    /* The first frame is out and the loop starts: ready, and from now on
     * the loop feeds the watchdog. */
    taulu_notify(a->content.m ? "READY=1\nSTATUS=showing the cached content"
                              : "READY=1\nSTATUS=waiting for content");
    taulu_watchdog_init(&a->wd, taulu_monotonic_ms());
    debug_stall_init(a);
    run_loop(a, end_ms);
    taulu_notify("STOPPING=1");
    rc = a->exit_code;
out:
    app_release(a);
    free(a);
    return rc;
}
