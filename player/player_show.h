/*
 * player_show.h: what is on the screen and what comes next (plain C).
 *
 * The show is the player's state machine between the schedule (what the
 * loop holds at an instant, player_schedule.h) and the SDL side that draws
 * (player/app/). Every entry point takes the time as an argument and
 * appends the actions the SDL side carries out, in order, to a struct
 * player_show_acts. Nothing here draws, sleeps or reads a clock, so a unit
 * test drives a day of the loop in microseconds, and the screen, the
 * headless frames and the tests share every decision.
 *
 * States (what the screen shows):
 *
 *   BLANK     nothing yet.
 *   LOADING   no manifest: the loading card, redrawn when the sync reports
 *             progress (at most once a second, PLAYER_SHOW_LOADING_MS) and
 *             at each minute (its clock).
 *   ENTRY     an entry of the loop (or the calm card, when no entry can be
 *             drawn) is up and settled; it stays for its dwell.
 *   FADING    an entry is coming up over the one before: one step every
 *             PLAYER_SHOW_FRAME_MS, the last at fade_ms (at most 1 s).
 *   DARK      outside opening hours with closed behaviour "dark": black,
 *             no clock, nothing until the next opening. With opts.power
 *             the display is also turned off (PLAYER_ACT_POWER_OFF) and
 *             on again power_lead_s before the opening
 *             (PLAYER_ACT_POWER_ON), so it has woken when the first card
 *             comes up.
 *   IDENTIFY  the screen's id (a command from the server), for
 *             PLAYER_SHOW_IDENTIFY_MS; then the loop goes on.
 *
 * What moves it: the end of a dwell (the next entry, with a cross-fade),
 * a schedule boundary (player_schedule.h's next_change: a card or alert
 * starting or ending, midnight, opening hours), the clock's minute (the
 * header only), a new manifest (its first new card at once), the sync's
 * progress, and the SDL side's own events (a reload, a new output size).
 *
 * Two clocks (struct player_show_now): the monotonic one times dwells,
 * fades, the identify card and the loading card's redraws; the wall clock
 * is what the schedule, midnight, opening hours and the header's minute
 * follow (in the centre's zone, through the manifest).
 *
 * The SDL side answers three things: for PLAYER_ACT_ENTRY it draws the
 * entry (or, when that fails, the next ones, then the calm card) and
 * calls player_show_drawn() with what it drew; after composing a fade's
 * first step it calls player_show_fade_begun(); and when it had to make
 * its textures again (a new size) it calls player_show_picture_lost(), so
 * that the next card is drawn in place, not faded from a picture that is
 * gone.
 *
 * Ownership: the manifest is borrowed (keep it alive and unchanged until
 * the next player_show_start() has returned); the schedule is the show's
 * own (a few tens of KiB: keep the struct in the program's state, not on
 * a thread's stack). Nothing here allocates.
 */
#ifndef PLAYER_SHOW_H
#define PLAYER_SHOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "taulu_manifest.h"

#include "player_cards.h"
#include "player_schedule.h"

/* Fade steps: 20 a second, during fades only. An 800 ms cross-fade is 16
 * steps of 1/16 of the contrast each: a calm, even change (accessibility.md
 * allows at most 1 s and asks for nothing faster). */
#define PLAYER_SHOW_FRAME_MS    50
#define PLAYER_SHOW_LOADING_MS  1000  /* the loading card at most this often */
#define PLAYER_SHOW_IDENTIFY_MS 30000 /* the identify card stays this long */
#define PLAYER_SHOW_MAX_WAIT_MS 60000 /* wake at least this often */
#define PLAYER_SHOW_MAX_ACTS    8

enum player_show_state {
    PLAYER_SHOW_BLANK = 0,
    PLAYER_SHOW_LOADING,
    PLAYER_SHOW_ENTRY,
    PLAYER_SHOW_FADING,
    PLAYER_SHOW_DARK,
    PLAYER_SHOW_IDENTIFY,
};

enum player_act_kind {
    /* The running fade's last step: the new card exactly, then settled. */
    PLAYER_ACT_END_FADE = 0,
    /* A step of the running fade at `alpha`. */
    PLAYER_ACT_FADE_STEP,
    /* Entry `pos` of the schedule comes up: drawn over the current card
     * texture when `in_place` (nothing on screen to fade from), else into
     * a second one, then cross-faded (first step at `alpha`) when `fade`
     * or cut to. Answer with player_show_drawn(). The header is the
     * show's `header` once drawn. */
    PLAYER_ACT_ENTRY,
    /* The card on screen, entry `pos`, drawn again in place with new
     * words (after midnight "Huomenna" reads "Tänään"), with the header. */
    PLAYER_ACT_RELABEL,
    /* Black, no header. */
    PLAYER_ACT_DARK,
    /* The header's minute: the header again, nothing else redrawn. */
    PLAYER_ACT_CLOCK,
    /* The header again (the loop was paged anew: "3 / 8" may change), and
     * the frame unless a fade is running. */
    PLAYER_ACT_HEADER,
    /* The loading card in place (the show's loading_* fields) with the
     * header. */
    PLAYER_ACT_LOADING,
    /* The identify card in place (the header stays). */
    PLAYER_ACT_IDENTIFY,
    /* The display off (after PLAYER_ACT_DARK, with opts.power): outside
     * opening hours, on purpose (player_power.h). */
    PLAYER_ACT_POWER_OFF,
    /* The display on again: power_lead_s before the next opening while
     * still dark, or before anything is drawn if the screen leaves dark
     * sooner (an earlier opening, a reload). */
    PLAYER_ACT_POWER_ON,
};

struct player_show_act {
    enum player_act_kind kind;
    int pos;       /* ENTRY, RELABEL: index in the show's schedule */
    bool in_place; /* ENTRY */
    bool fade;     /* ENTRY */
    int alpha;     /* ENTRY (when fading) and FADE_STEP: 0..256 */
};

struct player_show_acts {
    struct player_show_act v[PLAYER_SHOW_MAX_ACTS];
    size_t n;
};

struct player_show_now {
    int64_t mono_ms; /* monotonic clock */
    int64_t wall_ms; /* wall clock, ms since the epoch */
};

/* What the header band says: the centre's name and the date in `lang`,
 * "pos / total" (pos 1-based; none when total <= 1), and the minute it
 * was last made for. */
struct player_show_header {
    char lang[TAULU_LANG_MAX + 1];
    size_t pos, total;
    int64_t minute; /* wall_ms / 60000 when it was made */
};

struct player_show_opts {
    struct player_schedule_opts sched; /* languages, closed behaviour */
    unsigned fade_ms;                  /* 0: cut */
    /* Page the loop with `quick` (no fonts) until player_show_first_frame()
     * (the screen: the first card is up before the whole loop is laid
     * out; player_show_relayout() then pages it with `pager`). */
    bool quick_first;
    char loading_lang[TAULU_LANG_MAX + 1]; /* the loading card's language */
    /* The display's power (power_control is not none): POWER_OFF after
     * DARK, POWER_ON power_lead_s before the next opening. */
    bool power;
    unsigned power_lead_s;
};

struct player_show {
    /* Read-only for the caller. */
    struct player_show_opts opts;
    struct player_pager pager, quick;
    const struct taulu_manifest *m; /* borrowed; NULL: loading */
    struct player_schedule sched;
    enum player_show_state state;
    struct player_show_header header;

    /* The entry up (ENTRY, FADING; kept under IDENTIFY and LOADING). */
    bool have_shown;
    struct player_entry shown;
    int pos;          /* index of `shown` in sched */
    int64_t shown_ms; /* mono: since when */
    unsigned dwell_ms;

    bool picture;   /* the output holds a card a next one can fade from */
    bool want_fade; /* the ENTRY asked for is to fade in */
    int64_t fade_start_ms, fade_last_ms;
    int64_t identify_until_ms;
    bool power_off; /* PLAYER_ACT_POWER_OFF given, no POWER_ON since */
    int64_t day;    /* local midnight of the last schedule */
    /* When the cards take turns (player_schedule.h, "Loop budget"): the
     * card the loop's window starts at; moved on at the end of each loop,
     * and to a new card of a new manifest so that it comes up at once. */
    int rot_from;
    bool first_frame, quick_paged;

    /* The loading card. */
    enum player_loading_state loading;
    unsigned items_done, items_total;
    uint64_t bytes_done, bytes_total;
    int64_t loading_drawn_ms;
    bool loading_dirty;
};

/* An empty show (BLANK, no manifest) with these options and pagers (both
 * needed; they may be the same). The pagers' contexts are borrowed. */
void player_show_init(struct player_show *s, const struct player_show_opts *o,
                      const struct player_pager *pager,
                      const struct player_pager *quick);

/* New options (a configuration reload); they apply from the next schedule
 * on. */
void player_show_set_opts(struct player_show *s,
                          const struct player_show_opts *o);

/* A manifest to show (the first, or one replacing `old`, which may be
 * NULL): the schedule at `now`, and its first card new against `old`
 * comes up at once (scenario 1: "within a second"), else the first entry;
 * dark outside opening hours. `m` is borrowed from now on; `old` is read
 * only during the call. 0 or TAULU_EINVAL. */
int player_show_start(struct player_show *s, const struct taulu_manifest *m,
                      const struct taulu_manifest *old,
                      struct player_show_now now, struct player_show_acts *out);

/* No manifest yet: the loading card, saying `state`. */
int player_show_start_loading(struct player_show *s,
                              enum player_loading_state state,
                              struct player_show_now now,
                              struct player_show_acts *out);

/* The loop from its start again (after a reload or a new output size), or
 * the loading card without a manifest. */
int player_show_restart(struct player_show *s, struct player_show_now now,
                        struct player_show_acts *out);

/* Time passed (the loop woke up): fade steps, the end of the dwell,
 * boundaries, the clock's minute, the loading card's redraws. */
int player_show_tick(struct player_show *s, struct player_show_now now,
                     struct player_show_acts *out);

/* After the first frame (player_show_first_frame()) of a loop paged
 * quickly: the loop paged with the fonts; the entry up keeps its place
 * and gets its real dwell. Nothing otherwise. */
int player_show_relayout(struct player_show *s, struct player_show_now now,
                         struct player_show_acts *out);

/* The identify command: the screen's id for PLAYER_SHOW_IDENTIFY_MS. */
int player_show_identify(struct player_show *s, struct player_show_now now,
                         struct player_show_acts *out);

/* The sync side's news, for the loading card (redrawn by the next tick). */
void player_show_progress(struct player_show *s, unsigned items_done,
                          unsigned items_total, uint64_t bytes_done,
                          uint64_t bytes_total);
void player_show_sync_failed(struct player_show *s);
void player_show_online(struct player_show *s, bool online);

/* Answers from the SDL side (see the top of this file). `pos` is the entry
 * drawn for PLAYER_ACT_ENTRY, or -1 for the calm card. */
void player_show_drawn(struct player_show *s, int pos,
                       struct player_show_now now);
void player_show_fade_begun(struct player_show *s, struct player_show_now now);
void player_show_picture_lost(struct player_show *s);
void player_show_first_frame(struct player_show *s);

/* The schedule of `m` at `now` without showing anything (headless shots
 * draw its entries themselves). 0 or TAULU_EINVAL. */
int player_show_schedule(struct player_show *s, const struct taulu_manifest *m,
                         struct player_show_now now);

/* The calm card's entry (when nothing in the loop can be drawn). */
void player_show_calm(const struct player_show *s, struct player_entry *out);

/* Milliseconds until something must happen (a fade step, the end of the
 * dwell, the next minute, boundary or loading redraw), at most
 * PLAYER_SHOW_MAX_WAIT_MS, at least 0. */
int player_show_wait_ms(const struct player_show *s,
                        struct player_show_now now);

/* For the status report: the card's id, "alert:<id>", "agenda", "calm",
 * "closed", "dark" or "loading". Returns buf or a static string. */
const char *player_show_showing(const struct player_show *s, char *buf,
                                size_t size);

#endif
