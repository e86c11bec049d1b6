/*
 * player_schedule.h: what the screen shows, and in which order, at an
 * instant (plain C; the clock is a parameter, so tests drive it).
 *
 * From a manifest and `now` the scheduler builds the loop: a list of
 * entries, each one page of one card in one language with its dwell time.
 * The rules (docs/player.md, "Schedule"):
 *
 *  - Alerts that are current (from <= now < until) are shown over
 *    everything: while any is current the loop holds only alerts. They end
 *    by themselves at `until`, also with no network.
 *  - Otherwise: the agenda of upcoming events first (when there is any
 *    event today or in the next six days), then the current cards in the
 *    manifest's order. A card is current when its display window holds now
 *    and, for an event, the event has not ended (checked against the local
 *    clock: nothing outdated, offline too).
 *  - Languages: each item is shown in every language of the centre (or of
 *    the config's override) that it has a version in, in that order, one
 *    after the other; an item with none of them shows its first version.
 *  - Pages: a card whose text needs more than one page is split by the
 *    renderer into continuation pages; the pager (below) says how many and
 *    how long each stays (the renderer's dwell from its text).
 *  - Loop budget: a loop (the agenda and the current cards, each in its
 *    languages and pages) may take the centre's loop_s (default
 *    TAULU_LOOP_DEFAULT_S). When the cards take longer, they take turns:
 *    each loop shows the agenda and a window of the cards, consecutive in
 *    manifest order from the card `rot_from` (the first current card at
 *    or after it, wrapping round), as many as fit the budget after the
 *    agenda (at least one); the next loop starts after the window's last
 *    card (`rot_next`). Over successive loops every card is thus shown
 *    exactly once per round of the cards: at any moment no card has been
 *    shown more than once more than any other (player_rotation_window()).
 *    Alerts are never rotated: while any is current the loop is all of
 *    them, however long.
 *  - Nothing current: one calm "nothing to show" entry.
 *  - Outside opening hours (the centre's; none given = always open, given
 *    for no day = closed all week): dark (no
 *    entries, `dark` set) or one still "closed" entry, as configured;
 *    alerts still show over the still card, never on a dark screen.
 *  - Recurring events (manifest format 2): a card shows its occurrence at
 *    the instant (the first listed one not ended) and stays current until
 *    the last one ends; the agenda lists each occurrence as its own row.
 *  - The loop must be recomputed at `next_change` at the latest: the next
 *    display-window, event-end (for a recurring card: the end of its
 *    occurrence at the instant) or alert boundary, the next local midnight
 *    (relative labels "Tänään"/"Huomenna" and the agenda's days) and the
 *    next opening-hours boundary. The player also recomputes at every card
 *    change, which is cheap.
 *  - Clock sanity: `clock_ok` (for the status report) is false when now is
 *    before the manifest's build time, or more than TAULU_MAX_AHEAD_S (a
 *    year and a day) after it: the server shows nothing longer than that
 *    after approving it, so no card of the manifest can be current then
 *    and a clock that says so is wrong (or the content is a year old,
 *    which the server's monthly rebuild rules out for a screen that is
 *    online). When the clock is that far ahead, or more than
 *    PLAYER_CLOCK_BEHIND_S behind the build time, `clock_wrong` is set
 *    and the loop is one still card saying the clock is wrong (nothing
 *    else: no date can be trusted), whatever the opening hours say. A
 *    clock a little behind (a screen slightly slow) only reports.
 *
 * Nothing here allocates; a struct player_schedule is big (a few tens of
 * KiB), so keep it in the program's state, not on a thread's stack.
 */
#ifndef PLAYER_SCHEDULE_H
#define PLAYER_SCHEDULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "taulu_manifest.h"
#include "taulu_time.h"

#include "player_config.h"

#define PLAYER_MAX_ENTRIES     512
#define PLAYER_MAX_LANGS       TAULU_MANIFEST_MAX_LANGUAGES
#define PLAYER_AGENDA_MAX_ROWS 12
#define PLAYER_AGENDA_DAYS     7 /* today and the next six days */
#define PLAYER_MAX_PAGES       8 /* = RENDER_MAX_PAGES */
/* A clock this far behind a manifest's build time is wrong, not slow (a
 * year, like the rule ahead: a server whose clock is off by days must not
 * blank every screen, a clock reset to 1970 must not pass). */
#define PLAYER_CLOCK_BEHIND_S TAULU_MAX_AHEAD_S

enum player_entry_kind {
    PLAYER_ENTRY_AGENDA = 0, /* upcoming events */
    PLAYER_ENTRY_CARD,       /* manifest card `index` */
    PLAYER_ENTRY_ALERT,      /* manifest alert `index` */
    PLAYER_ENTRY_CALM,       /* nothing to show */
    PLAYER_ENTRY_CLOSED,     /* the still card outside opening hours */
    PLAYER_ENTRY_CLOCK,      /* the clock is wrong: nothing can be dated */
};

struct player_entry {
    enum player_entry_kind kind;
    int index; /* card or alert index; -1 for the others */
    char lang[TAULU_LANG_MAX + 1];
    int page, n_pages; /* 0-based page of n_pages */
    unsigned dwell_ms; /* 0: stays until the loop changes */
    uint64_t key;      /* position in the loop order (see _next) */
    /* Which occurrences the entry's words show: the agenda's rows, a
     * recurring card's occurrence at the instant (0 for every other
     * entry). The same key with another stamp is the same card with other
     * words: the player draws it again in place when an occurrence ends,
     * also offline. */
    uint64_t stamp;
};

/* One row of the agenda: an event card and which of its occurrences (a
 * recurring card has a row for each occurrence in the agenda's days). */
struct player_agenda_row {
    int card;       /* index in the manifest's cards */
    int occurrence; /* index in the card's occurrences; 0 for a one-off */
    int64_t start, end;
    bool cancelled; /* shown with "peruttu" / "inställt" / "cancelled" */
};

/* How many pages a slot (an entry with page 0) needs and how long each
 * stays: writes dwell_ms[0..n) and returns n (1..cap), or a negative
 * taulu_err code to leave the slot out (logged by the pager). The player's
 * pager lays the card out with the real fonts; tests use
 * player_cards_pager() or their own. */
struct player_pager {
    int (*pages)(void *ctx, const struct taulu_manifest *m,
                 const struct taulu_tz *tz, const struct player_entry *slot,
                 int64_t now, unsigned dwell_ms[], size_t cap);
    void *ctx;
};

struct player_schedule_opts {
    /* Languages to show instead of the centre's (n_languages 0: the
     * centre's). */
    char languages[PLAYER_MAX_LANGS][TAULU_LANG_MAX + 1];
    size_t n_languages;
    enum player_closed_cfg closed; /* PLAYER_CLOSED_MANIFEST: centre's */
    /* Where the window of the cards starts when they take turns: a card
     * index of the manifest (the first current card at or after it). */
    int rot_from;
};

struct player_schedule {
    struct player_entry entries[PLAYER_MAX_ENTRIES];
    size_t n;
    bool dark;        /* outside opening hours, dark: show nothing */
    bool open;        /* within opening hours (or the centre has none) */
    bool alerts;      /* the entries are alerts */
    bool clock_ok;    /* built_at <= now <= built_at + TAULU_MAX_AHEAD_S */
    bool clock_wrong; /* far outside that: the loop is the clock card */
    bool truncated;   /* more than PLAYER_MAX_ENTRIES: the rest left out */
    size_t n_cards;   /* current cards (not counting languages or pages) */
    size_t n_events;  /* events in the agenda */
    int64_t computed_at;
    int64_t next_change;       /* recompute by this instant */
    int64_t next_open;         /* when closed: the next opening, else NO_TIME */
    const struct taulu_tz *tz; /* the centre's zone (Helsinki if unknown) */
    char languages[PLAYER_MAX_LANGS][TAULU_LANG_MAX + 1];
    size_t n_languages; /* in effect, at least 1 */
    /* The loop budget and what it did (all 0 for a loop of alerts, the
     * closed, clock or calm card). A card's time is the sum of the dwells
     * of its entries (languages and pages). */
    unsigned budget_ms; /* the centre's loop_s, or the default */
    unsigned loop_ms;   /* this loop: the agenda and the window's cards */
    unsigned all_ms;    /* the agenda and every current card */
    size_t n_turns;     /* cards taking turns (0 when all fit) */
    size_t n_window;    /* of them in this loop */
    bool rotating;      /* n_turns > 0: the cards take turns */
    int rot_next;       /* rot_from for the next loop (a card index) */
};

/* The window of one loop over `n` items taking turns, of durations
 * item_ms[0..n), in order: starting at item `start` (< n), the items
 * start, start+1, ... (wrapping round) while their sum stays within
 * `room_ms`, at least one and at most n. Returns how many; *sum_ms gets
 * their time. Plain arithmetic, the rule of the rotation above. */
size_t player_rotation_window(const unsigned item_ms[], size_t n, size_t start,
                              unsigned room_ms, unsigned *sum_ms);

/* The zone of the manifest's centre; Helsinki when unknown or m is NULL. */
const struct taulu_tz *player_schedule_tz(const struct taulu_manifest *m);

/* Builds the loop for `now`. `opts` may be NULL (the centre's settings).
 * 0, or TAULU_EINVAL (NULL manifest, schedule or pager). */
int player_schedule_compute(struct player_schedule *s,
                            const struct taulu_manifest *m,
                            const struct player_schedule_opts *opts,
                            const struct player_pager *pager, int64_t now);

/* The index of the entry to show after the one with key `last_key` (the
 * first entry whose key is greater, wrapping to the first), or of the
 * first entry when `have_last` is false. -1 if there are no entries. */
int player_schedule_next(const struct player_schedule *s, bool have_last,
                         uint64_t last_key);

/* The index of the entry with this key, or -1 (it is no longer current). */
int player_schedule_find(const struct player_schedule *s, uint64_t key);

/* Whether the centre is open at `now` (no hours given: always; hours
 * given for no day: never), and the next instant after `now` at which
 * that changes (TAULU_NO_TIME if never). */
bool player_schedule_is_open(const struct taulu_centre *c,
                             const struct taulu_tz *tz, int64_t now,
                             int64_t *next_boundary);

/* The agenda at `now`: the occurrences of current event cards (a one-off
 * event is its one occurrence) that have not ended and start before the
 * end of the sixth day after today, each its own row, cancelled ones
 * included; the `cap` earliest, by start time (then manifest order, then
 * occurrence). Returns how many rows it wrote. */
size_t player_schedule_agenda(const struct taulu_manifest *m,
                              const struct taulu_tz *tz, int64_t now,
                              struct player_agenda_row rows[], size_t cap);

#endif
