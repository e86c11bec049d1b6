/*
 * srv_public.h: the public pages of a centre (docs/public-page.md), for
 * people who cannot read the screen or want to read more: the centre's
 * page, a page per item (where the card's QR code leads), an iCalendar
 * feed and an Atom feed. No sign-in, no script; HTML written on the
 * server with every text escaped.
 *
 * What is shown is exactly what the centre's screens show at `now`: the
 * manifest content the publisher would build for the centre
 * (srv_manifest_build_content() over the same snapshot, srv_pubstore.h),
 * so only approved versions, only while their display window is open and
 * the event is still to come, and the centre's current alerts. The one
 * difference: the card's link here is the item's own link (the screens
 * get the public page's).
 *
 * Rendering (srv_public_html.c, srv_public_feed.c) is plain C over the
 * loaded view; loading (srv_public_load.c) reads the store. Nothing about
 * people is shown beyond what the item itself publishes (its contact
 * text, its organisation's name).
 */
#ifndef SRV_PUBLIC_H
#define SRV_PUBLIC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "srv_store.h"
#include "taulu_buf.h"
#include "taulu_manifest.h"

/* The largest page or feed written (a centre has at most 256 cards). */
#define SRV_PUBLIC_MAX_BYTES (4u * 1024u * 1024u)

/* A centre's public view at one instant. */
struct srv_public_view {
    int64_t centre_id;
    int64_t now;
    struct taulu_manifest *content; /* cards and alerts as screens get them */
    struct srv_pool pool;           /* the names below */
    const char *name;               /* the centre's own */
    const char *address;            /* the centre's own, or NULL */
    /* From PTV, when a source gives them: the name and address in fi,
     * sv, en (NULL where it has none), and the dated exceptions of the
     * opening hours (JSON text, srv_hours.h), or NULL. */
    const char *names[3], *addresses[3];
    const char *exceptions_json;
};

/* Loads centre `centre_id` at `now`. 0, TAULU_ENOTFOUND (no such centre),
 * another code when the store fails. Release with
 * srv_public_view_release() (also after a failure). */
int srv_public_load(struct srv_store *st, int64_t centre_id, int64_t now,
                    struct srv_public_view *v);
void srv_public_view_release(struct srv_public_view *v);

/* The page's language: `asked` when it is one of the centre's languages
 * that the pages are written in (fi, sv, en), else the centre's first
 * such, else "fi". A static string. */
const char *srv_public_lang(const struct srv_public_view *v, const char *asked);

/* `base` is the absolute URL the pages are served under (public_url, or
 * what the request came to), without a trailing '/': links in the feeds
 * are absolute, the pages' own links relative. Each appends to out; 0,
 * TAULU_ENOTFOUND (render_item: the item is not shown at this centre
 * now), TAULU_ELIMIT / TAULU_ENOMEM. */
int srv_public_render_centre(const struct srv_public_view *v, const char *lang,
                             struct taulu_buf *out);
int srv_public_render_item(const struct srv_public_view *v, int64_t item_id,
                           const char *lang, struct taulu_buf *out);
/* The HTML answer for an item that is not (or no longer) shown here. */
int srv_public_render_gone(const struct srv_public_view *v, const char *lang,
                           struct taulu_buf *out);
int srv_public_render_ics(const struct srv_public_view *v, const char *lang,
                          const char *base, struct taulu_buf *out);
int srv_public_render_atom(const struct srv_public_view *v, const char *lang,
                           const char *base, struct taulu_buf *out);
/* The list of centres (GET /public/centres), in Finnish with Swedish and
 * English beside it. */
int srv_public_render_index(const struct srv_centre *c, size_t n,
                            struct taulu_buf *out);

/* Escaping, for the renderers and their tests: & < > " ' as character
 * references; the text is copied otherwise. */
int srv_html_escape(struct taulu_buf *out, const char *s);
/* RFC 5545 TEXT escaping (\\ \; \, and a line break as \n). */
int srv_ics_escape(struct taulu_buf *out, const char *s);
/* Folds an iCalendar content line (already escaped, without its CRLF)
 * into lines of at most 75 octets, never inside a UTF-8 sequence, and
 * appends it with CRLF. */
int srv_ics_line(struct taulu_buf *out, const char *line, size_t len);

#endif
