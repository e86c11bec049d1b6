/*
 * player_cards.c: manifest entries -> render cards, with the player's
 * own words in Finnish, Swedish and English (see player_cards.h).
 */
#include "player_cards.h"

#include <stdio.h>
#include <string.h>

#include "taulu_category.h"
#include "taulu_datefmt.h"
#include "taulu_err.h"
#include "taulu_log.h"

#include "layout/dwell.h"
#include "render_map.h"
#include "layout/theme.h"

#define TAG "cards"

/* Bytes a mapped string may take: the manifest's longest field plus the
 * words and dates the player adds. */
#define TEXT_LIMIT (TAULU_MANIFEST_MAX_BODY + 1024)

/* The player's own words, per taulu_lang (fi, sv, en). Short, plain
 * sentences: the loading and closed cards are read by people waiting. */
struct words {
    const char *agenda_title;
    const char *calm_title;
    const char *calm_body;
    const char *closed_title;
    const char *closed_body;
    const char *closed_no_time;
    const char *loading_title;
    const char *loading_body;
    const char *offline_body;
    const char *unconfigured_body;
    const char *error_body;
    const char *clock_title;
    const char *clock_body;
};

static const struct words words[TAULU_LANG_COUNT] = {
    [TAULU_LANG_FI] =
        {
            .agenda_title = "Tulevat tapahtumat",
            .calm_title = "Tervetuloa",
            .calm_body = "Juuri nyt ei ole uusia tiedotteita.",
            .closed_title = "Suljettu",
            .closed_body = "Olemme taas auki:\n",
            .closed_no_time = "Katso aukioloajat ovesta.",
            .loading_title = "Ladataan tiedotteita",
            .loading_body = "Näyttö hakee tiedotteita palvelimelta.\n"
                            "Se kestää yleensä alle minuutin.",
            .offline_body = "Verkkoyhteys ei toimi.\n"
                            "Näyttö yrittää uudelleen itse.\n"
                            "Jos tämä ei muutu, kerro henkilökunnalle.",
            .unconfigured_body = "Näyttöä ei ole vielä liitetty "
                                 "palvelimeen.\nKerro henkilökunnalle.",
            .error_body = "Tiedotteiden haku ei onnistunut.\n"
                          "Näyttö yrittää uudelleen itse.",
            .clock_title = "Näytön kello on väärässä",
            .clock_body = "Tiedotteita ei voi näyttää, koska näytön "
                          "kello on väärässä.\nKerro henkilökunnalle.",
        },
    [TAULU_LANG_SV] =
        {
            .agenda_title = "Kommande evenemang",
            .calm_title = "Välkommen",
            .calm_body = "Just nu finns det inga nya meddelanden.",
            .closed_title = "Stängt",
            .closed_body = "Vi har öppet igen:\n",
            .closed_no_time = "Se öppettiderna på dörren.",
            .loading_title = "Meddelandena laddas",
            .loading_body = "Skärmen hämtar meddelanden från servern.\n"
                            "Det tar oftast mindre än en minut.",
            .offline_body = "Nätverket fungerar inte.\n"
                            "Skärmen försöker igen själv.\n"
                            "Om det inte ändras, säg till personalen.",
            .unconfigured_body = "Skärmen är inte ännu kopplad till "
                                 "servern.\nSäg till personalen.",
            .error_body = "Det gick inte att hämta meddelandena.\n"
                          "Skärmen försöker igen själv.",
            .clock_title = "Skärmens klocka går fel",
            .clock_body = "Meddelandena kan inte visas eftersom skärmens "
                          "klocka går fel.\nSäg till personalen.",
        },
    [TAULU_LANG_EN] =
        {
            .agenda_title = "Coming up",
            .calm_title = "Welcome",
            .calm_body = "There are no new notices right now.",
            .closed_title = "Closed",
            .closed_body = "We are open again:\n",
            .closed_no_time = "See the opening hours on the door.",
            .loading_title = "Loading notices",
            .loading_body = "The screen is fetching notices from the "
                            "server.\nThis usually takes less than a minute.",
            .offline_body = "The network is not working.\n"
                            "The screen will try again by itself.\n"
                            "If this does not change, please tell the staff.",
            .unconfigured_body = "This screen is not connected to the server "
                                 "yet.\nPlease tell the staff.",
            .error_body = "Fetching the notices did not work.\n"
                          "The screen will try again by itself.",
            .clock_title = "The screen's clock is wrong",
            .clock_body = "Notices cannot be shown because the screen's "
                          "clock is wrong.\nPlease tell the staff.",
        },
};

/* The datefmt language of a tag: fi, sv, en; anything else reads Finnish. */
static enum taulu_lang lang_of(const char *tag)
{
    int l = tag ? taulu_lang_from_code(tag) : -1;

    return l < 0 ? TAULU_LANG_FI : (enum taulu_lang)l;
}

void player_card_buf_init(struct player_card_buf *b)
{
    size_t i;

    memset(b, 0, sizeof *b);
    for (i = 0; i < PLAYER_TXT_COUNT; i++) {
        taulu_buf_init(&b->text[i], TEXT_LIMIT);
    }
    for (i = 0; i < PLAYER_AGENDA_MAX_ROWS; i++) {
        taulu_buf_init(&b->day[i], 256);
        taulu_buf_init(&b->time[i], 256);
        taulu_buf_init(&b->title[i], TAULU_MANIFEST_MAX_TITLE + 64);
    }
    render_map_buf_init(&b->map);
}

void player_card_buf_release(struct player_card_buf *b)
{
    size_t i;

    if (!b) {
        return;
    }
    for (i = 0; i < PLAYER_TXT_COUNT; i++) {
        taulu_buf_release(&b->text[i]);
    }
    for (i = 0; i < PLAYER_AGENDA_MAX_ROWS; i++) {
        taulu_buf_release(&b->day[i]);
        taulu_buf_release(&b->time[i]);
        taulu_buf_release(&b->title[i]);
    }
    render_map_buf_release(&b->map);
}

static void reset(struct player_card_buf *b)
{
    size_t i;

    memset(&b->card, 0, sizeof b->card);
    memset(b->rows, 0, sizeof b->rows);
    for (i = 0; i < PLAYER_TXT_COUNT; i++) {
        taulu_buf_reset(&b->text[i]);
    }
    for (i = 0; i < PLAYER_AGENDA_MAX_ROWS; i++) {
        taulu_buf_reset(&b->day[i]);
        taulu_buf_reset(&b->time[i]);
        taulu_buf_reset(&b->title[i]);
    }
    b->image_path[0] = '\0';
}

/* A bulletin or event card: the mapping is the renderer library's
 * (render_map.c), shared with the server's preview so that the screen and
 * the preview cannot drift apart. The player only picks the version (the
 * entry's language, else the first) and finds the image in its cache. */
static int map_card(struct player_card_buf *out, const struct taulu_manifest *m,
                    const struct taulu_tz *tz, const struct player_entry *e,
                    int64_t now, const struct player_assets *assets)
{
    const struct taulu_card *c = &m->cards[e->index];
    const struct taulu_card_version *v = taulu_card_version_for(c, e->lang);
    const char *image_path = NULL;
    int err;

    if (!v) {
        if (c->n_versions == 0) {
            return TAULU_EINVAL;
        }
        v = &c->versions[0];
    }
    if (c->has_image && assets && assets->path &&
        assets->path(assets->ctx, c->image.sha256, out->image_path,
                     sizeof out->image_path) == 0) {
        image_path = out->image_path;
    }
    err = render_map_card(&out->map, c, v, tz, now, image_path);
    if (err < 0) {
        return err;
    }
    out->card = out->map.card;
    return 0;
}

static int map_alert(struct player_card_buf *out,
                     const struct taulu_manifest *m,
                     const struct player_entry *e)
{
    const struct taulu_alert *a = &m->alerts[e->index];
    const struct taulu_alert_version *v = taulu_alert_version_for(a, e->lang);

    if (!v) {
        if (a->n_versions == 0) {
            return TAULU_EINVAL;
        }
        v = &a->versions[0];
    }
    out->card.kind = RENDER_CARD_ALERT;
    out->card.lang = v->lang;
    out->card.title = v->title;
    out->card.body = v->body;
    return 0;
}

static int map_agenda(struct player_card_buf *out,
                      const struct taulu_manifest *m, const struct taulu_tz *tz,
                      const struct player_entry *e, int64_t now)
{
    struct player_agenda_row rows[PLAYER_AGENDA_MAX_ROWS];
    enum taulu_lang l = lang_of(e->lang);
    int64_t today = taulu_time_day_start(now, tz);
    bool plain = false;
    size_t n, i;

    n = player_schedule_agenda(m, tz, now, rows, PLAYER_AGENDA_MAX_ROWS);
    out->card.kind = RENDER_CARD_AGENDA;
    out->card.lang = e->lang;
    out->card.title = words[l].agenda_title;
    /* One style for the whole list: the plain-language one ("kello
     * 14–16") as soon as one of its events is written in plain language,
     * so the rows never mix "kello" and "klo". */
    for (i = 0; i < n; i++) {
        const struct taulu_card *c = &m->cards[rows[i].card];
        const struct taulu_card_version *v = taulu_card_version_for(c, e->lang);
        plain = plain || (v ? v : &c->versions[0])->plain;
    }
    out->card.plain = plain;
    for (i = 0; i < n; i++) {
        const struct taulu_card *c = &m->cards[rows[i].card];
        const struct taulu_card_version *v = taulu_card_version_for(c, e->lang);
        /* An event that began before today (still running) is listed
         * under today. */
        int64_t day = rows[i].start < today ? now : rows[i].start;
        int err;

        if (!v) {
            v = &c->versions[0];
        }
        err = taulu_fmt_day(&out->day[i], l, false, day, now, tz);
        if (err == 0) {
            err = taulu_fmt_time_range(&out->time[i], l, plain, rows[i].start,
                                       rows[i].end, tz);
        }
        /* A cancelled occurrence keeps its row, with the word first. */
        if (err == 0 && rows[i].cancelled) {
            err = taulu_buf_appendf(&out->title[i], "%s: %s",
                                    taulu_word_cancelled(l), v->title);
        }
        if (err < 0) {
            return err;
        }
        out->rows[i].day = out->day[i].data;
        out->rows[i].time = out->time[i].data;
        out->rows[i].title = rows[i].cancelled ? out->title[i].data : v->title;
    }
    out->card.rows = out->rows;
    out->card.n_rows = n;
    return 0;
}

static int map_closed(struct player_card_buf *out, const struct taulu_tz *tz,
                      const char *lang, int64_t now, int64_t next_open)
{
    enum taulu_lang l = lang_of(lang);
    struct taulu_buf *body = &out->text[PLAYER_TXT_BODY];
    int err;

    out->card.kind = RENDER_CARD_CALM;
    out->card.lang = lang;
    out->card.title = words[l].closed_title;
    if (next_open == TAULU_NO_TIME) {
        out->card.body = words[l].closed_no_time;
        return 0;
    }
    err = taulu_buf_puts(body, words[l].closed_body);
    if (err == 0) {
        err = taulu_fmt_day(body, l, false, next_open, now, tz);
    }
    if (err == 0) {
        err = taulu_buf_putc(body, ' ');
    }
    if (err == 0) {
        err = taulu_fmt_time_range(body, l, false, next_open, next_open, tz);
    }
    if (err < 0) {
        return err;
    }
    out->card.body = body->data;
    return 0;
}

int player_cards_map(struct player_card_buf *out,
                     const struct taulu_manifest *m, const struct taulu_tz *tz,
                     const struct player_entry *e, int64_t now,
                     int64_t next_open, const struct player_assets *assets)
{
    enum taulu_lang l;

    if (!out || !m || !e) {
        return TAULU_EINVAL;
    }
    if (!tz) {
        tz = &taulu_tz_helsinki;
    }
    reset(out);
    l = lang_of(e->lang);
    switch (e->kind) {
    case PLAYER_ENTRY_CARD:
        if (e->index < 0 || (size_t)e->index >= m->n_cards) {
            return TAULU_EINVAL;
        }
        return map_card(out, m, tz, e, now, assets);
    case PLAYER_ENTRY_ALERT:
        if (e->index < 0 || (size_t)e->index >= m->n_alerts) {
            return TAULU_EINVAL;
        }
        return map_alert(out, m, e);
    case PLAYER_ENTRY_AGENDA:
        return map_agenda(out, m, tz, e, now);
    case PLAYER_ENTRY_CLOSED:
        return map_closed(out, tz, e->lang, now, next_open);
    case PLAYER_ENTRY_CALM:
        out->card.kind = RENDER_CARD_CALM;
        out->card.lang = e->lang;
        out->card.title = words[l].calm_title;
        out->card.body = words[l].calm_body;
        return 0;
    case PLAYER_ENTRY_CLOCK:
        out->card.kind = RENDER_CARD_CALM;
        out->card.lang = e->lang;
        out->card.title = words[l].clock_title;
        out->card.body = words[l].clock_body;
        return 0;
    }
    return TAULU_EINVAL;
}

int player_cards_loading(struct player_card_buf *out, const char *lang,
                         enum player_loading_state state, unsigned items_done,
                         unsigned items_total, uint64_t bytes_done,
                         uint64_t bytes_total)
{
    enum taulu_lang l = lang_of(lang);
    const struct words *w = &words[l];

    reset(out);
    out->card.kind = RENDER_CARD_LOADING;
    out->card.lang = taulu_lang_code(l);
    out->card.title = w->loading_title;
    switch (state) {
    case PLAYER_LOADING_OFFLINE:
        out->card.body = w->offline_body;
        break;
    case PLAYER_LOADING_UNCONFIGURED:
        out->card.body = w->unconfigured_body;
        break;
    case PLAYER_LOADING_ERROR:
        out->card.body = w->error_body;
        break;
    case PLAYER_LOADING_ENROL: /* (drawn by player_cards_enrol()) */
    case PLAYER_LOADING_FETCHING:
    default:
        out->card.body = w->loading_body;
        break;
    }
    out->card.items_done = items_done;
    out->card.items_total = items_total;
    out->card.bytes_done = bytes_done;
    out->card.bytes_total = bytes_total;
    return 0;
}

int player_cards_enrol(struct player_card_buf *out, const char *code,
                       const char *link)
{
    /* One page: the card is drawn as the loading card is, its first
     * page only, so the three languages are one short line each. */
    static const char with_code[] = "Kirjoita koodi Infotaulun Näytöt-sivulle."
                                    "\nSkriv koden på sidan Skärmar."
                                    "\nType the code on the Screens page.";
    static const char waiting[] = "Näyttö odottaa koodia palvelimelta."
                                  "\nSkärmen väntar på en kod."
                                  "\nWaiting for a code from the server.";

    reset(out);
    out->card.kind = RENDER_CARD_BULLETIN;
    out->card.lang = "fi";
    out->card.title = code && code[0] ? code : "Infotaulu";
    out->card.body = code && code[0] ? with_code : waiting;
    out->card.link = code && code[0] && link && link[0] ? link : NULL;
    return 0;
}

int player_cards_pager(void *ctx, const struct taulu_manifest *m,
                       const struct taulu_tz *tz,
                       const struct player_entry *slot, int64_t now,
                       unsigned dwell_ms[], size_t cap)
{
    struct player_card_buf *b = ctx;
    int err;

    if (cap == 0) {
        return TAULU_EINVAL;
    }
    err = player_cards_map(b, m, tz, slot, now, TAULU_NO_TIME, NULL);
    if (err < 0) {
        taulu_warn(TAG, "cannot map %s %d (%s): %s",
                   slot->kind == PLAYER_ENTRY_ALERT ? "alert" : "card",
                   slot->index, slot->lang, taulu_strerror(err));
        return err;
    }
    dwell_ms[0] = render_dwell_ms(&b->card);
    return 1;
}
