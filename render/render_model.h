/*
 * render_model.h: what the renderer library is asked to draw.
 *
 * The renderer does not read manifests and does not compute dates: the
 * player maps a manifest card onto a struct render_card, with every date and
 * time already written by common/taulu_datefmt ("Tänään ti 24.11. klo
 * 14–16"), and fills a struct render_header once a minute. The server's
 * preview and the tests fill the same structs by hand.
 *
 * Ownership: every pointer in these structs is borrowed. The strings must
 * stay valid (and unchanged) for as long as a layout made from the card is
 * used, because the laid-out boxes point into them. All text is UTF-8 with
 * no control characters except "\n" in body text ("\n" is the author's line
 * break, "\n\n" a paragraph). NULL and "" both mean "absent". A soft hyphen
 * (U+00AD) in any text marks where a word too wide for its line may break;
 * it is drawn only there, as a hyphen.
 */
#ifndef RENDER_MODEL_H
#define RENDER_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum render_card_kind {
    RENDER_CARD_BULLETIN = 0, /* title + body (+ image, link) */
    RENDER_CARD_EVENT,        /* bulletin + when/where/price/... rows */
    RENDER_CARD_AGENDA,       /* title + rows of day, time, title */
    RENDER_CARD_ALERT,        /* urgent notice, alert colours, no extras */
    RENDER_CARD_CALM,         /* "nothing to show": title + body, calm */
    RENDER_CARD_LOADING,      /* start-up: title + body + progress line */
    RENDER_CARD_CONTINUATION, /* a bulletin the player already split */
};
#define RENDER_CARD_KIND_COUNT 7

/* One agenda row. `day` starts a group when it differs from the row
 * before ("Tänään ti 24.11."), `time` is "klo 14–16", `title` the event. */
struct render_agenda_row {
    const char *day;
    const char *time;
    const char *title;
};

/* An image is either a file that SDL_image can read (`path`) or pixels the
 * caller already holds (`rgba`: R,G,B,A bytes, `stride` bytes a row). `key`
 * names the image for the texture cache (the asset's sha256 from the
 * manifest); without it the path is the key, and pixels without a key are
 * not cached. `caption` is shown under the image on a solid backing; `alt`
 * is shown in the image's place if it cannot be loaded. */
struct render_image {
    const char *key;
    const char *path;
    const uint8_t *rgba;
    int width, height, stride;
    const char *caption;
    const char *alt;
};

/* Venue accessibility and the other meta rows are free text the player
 * writes in the card's language ("Esteetön · Induktiosilmukka"): the label
 * always says it in words, never by an icon alone. */
struct render_card {
    enum render_card_kind kind;
    const char *lang;           /* "fi", "sv", "en", ...; NULL = "fi" */
    bool plain;                 /* plain-language text (selkokieli) */
    const char *category;       /* slug, see theme.h; NULL = no chip */
    const char *category_label; /* the chip's text, always shown with it */
    const char *title;
    const char *body;
    /* event rows, pre-formatted */
    const char *when;          /* "Tänään ti 24.11. klo 14–16" */
    const char *repeat;        /* a recurring event's rule in words, under
                                  `when`: "joka tiistai klo 14–16" */
    const char *where;         /* "Seurakuntatalo, Kirkkotie 5" */
    const char *price;         /* "Maksuton", "5 €" */
    const char *registration;  /* "Ei ilmoittautumista" */
    const char *accessibility; /* "Esteetön · Induktiosilmukka" */
    const char *link;          /* shown as a QR code */
    /* the credit line of bulletins and events: who the card is from and,
     * where given, how to reach them ("Muistiyhdistys ry", "040 123 4567") */
    const char *organisation;
    const char *contact;
    struct render_image image;
    /* agenda */
    const struct render_agenda_row *rows;
    size_t n_rows;
    /* loading: progress, shown as static text ("3 / 12 · 1,2 / 4,5 Mt") */
    unsigned items_done, items_total;
    uint64_t bytes_done, bytes_total;
};

/* The header band, refreshed by the player once a minute. */
struct render_header {
    const char *centre; /* "Tuiran hyvinvointikeskus" */
    const char *date;   /* "ti 24.11." */
    const char *clock;  /* "14.05": never seconds */
    const char *page;   /* "3 / 8", static text */
    /* "Tuira": shown where the full name does not fit (NULL: whole words
     * of the full name and "…"); last, so positional initialisers of the
     * four above keep their meaning */
    const char *centre_short;
};

#endif
