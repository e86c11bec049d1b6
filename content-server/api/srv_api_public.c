/*
 * srv_api_public.c: the routes of a centre's public pages and feeds
 * (public/srv_public.h, docs/public-page.md): no sign-in, HTML, iCalendar
 * and Atom, each with an ETag of its bytes (If-None-Match answers 304)
 * and "Cache-Control: public, no-cache" (a cache keeps it and asks again).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "srv_api.h"
#include "srv_public.h"
#include "taulu_crypto.h"
#include "taulu_err.h"
#include "taulu_time.h"

/* Whether an If-None-Match header (a list, W/ and * understood) names
 * `etag` ("\"...\""). */
static bool etag_matches(const char *inm, const char *etag)
{
    size_t n = strlen(etag);

    while (inm && *inm) {
        while (*inm == ' ' || *inm == ',') {
            inm++;
        }
        if (*inm == '*') {
            return true;
        }
        if (strncmp(inm, "W/", 2) == 0) {
            inm += 2;
        }
        if (strncmp(inm, etag, n) == 0 &&
            (inm[n] == '\0' || inm[n] == ',' || inm[n] == ' ')) {
            return true;
        }
        inm = strchr(inm, ',');
    }
    return false;
}

/* Sends `b` with its ETag, or 304. */
static void send_page(struct srv_req *r, int status, const char *type,
                      const char *lang, struct taulu_buf *b)
{
    char hex[TAULU_SHA256_HEX_LEN + 1], etag[48];

    taulu_sha256_hex(b->data, b->len, hex);
    snprintf(etag, sizeof etag, "\"%.40s\"", hex);
    r->cache_control = "public, no-cache";
    srv_reply_header(r, "ETag", etag);
    if (lang) {
        srv_reply_header(r, "Content-Language", lang);
    }
    if (status == 200 &&
        etag_matches(srv_req_header(r, "If-None-Match"), etag)) {
        srv_reply_empty(r, 304);
        return;
    }
    srv_reply_text(r, status, type, b->data, b->len);
    r->cache_control = "public, no-cache";
}

/* A plain HTML "not found" for a centre that does not exist. */
static void not_found(struct srv_req *r)
{
    static const char page[] =
        "<!doctype html>\n<html lang=\"fi\">\n<head>\n<meta charset=\"utf-8\">"
        "\n<meta name=\"viewport\" content=\"width=device-width, "
        "initial-scale=1\">\n<title>Ei löydy</title>\n<link "
        "rel=\"stylesheet\" href=\"/css/public.css\">\n</head>\n<body>\n"
        "<main id=\"main\">\n<h1>Sivua ei löydy</h1>\n<p lang=\"sv\">Sidan "
        "finns inte.</p>\n<p lang=\"en\">The page was not found.</p>\n"
        "<p><a href=\"/public/centres\">Keskukset</a></p>\n</main>\n</body>"
        "\n</html>\n";

    srv_reply_text(r, 404, "text/html; charset=utf-8", page, sizeof page - 1);
}

/* The absolute base of the feeds' links: public_url, or the address the
 * request came to (only a host name's characters are taken from it). */
static void base_of(struct srv_req *r, char *out, size_t size)
{
    const char *host = srv_req_header(r, "Host");
    size_t n;

    if (r->app->public_url && r->app->public_url[0]) {
        n = strlen(r->app->public_url);
        while (n > 0 && r->app->public_url[n - 1] == '/') {
            n--;
        }
        snprintf(out, size, "%.*s", (int)n, r->app->public_url);
        return;
    }
    n = host ? strspn(host,
                      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                      "0123456789.-:[]")
             : 0;
    if (!host || n == 0 || host[n] != '\0' || n > 200) {
        host = "localhost";
        n = 9;
    }
    snprintf(out, size, "http://%.*s", (int)n, host);
}

enum kind { K_CENTRE, K_ITEM, K_ICS, K_ATOM };

static void serve(struct srv_req *r, enum kind k)
{
    struct srv_public_view v;
    struct taulu_buf b;
    const char *lang;
    char base[300];
    int rc, status = 200;

    rc = srv_public_load(r->app->store, r->params[0], taulu_now(), &v);
    if (rc == TAULU_ENOTFOUND) {
        srv_public_view_release(&v);
        not_found(r);
        return;
    }
    if (rc) {
        srv_public_view_release(&v);
        srv_api_store_error(r, rc);
        return;
    }
    lang = srv_public_lang(&v, srv_req_query(r, "lang"));
    base_of(r, base, sizeof base);
    taulu_buf_init(&b, SRV_PUBLIC_MAX_BYTES);
    switch (k) {
    case K_CENTRE:
        rc = srv_public_render_centre(&v, lang, &b);
        break;
    case K_ITEM:
        rc = srv_public_render_item(&v, r->params[1], lang, &b);
        if (rc == TAULU_ENOTFOUND) {
            /* Not shown here (any more): said so, in words. */
            taulu_buf_reset(&b);
            status = 404;
            rc = srv_public_render_gone(&v, lang, &b);
        }
        break;
    case K_ICS:
        rc = srv_public_render_ics(&v, lang, base, &b);
        break;
    case K_ATOM:
        rc = srv_public_render_atom(&v, lang, base, &b);
        break;
    }
    if (rc) {
        srv_reply_error(r, 500, "internal", NULL);
    } else {
        send_page(r, status,
                  k == K_ICS    ? "text/calendar; charset=utf-8"
                  : k == K_ATOM ? "application/atom+xml; charset=utf-8"
                                : "text/html; charset=utf-8",
                  lang, &b);
    }
    taulu_buf_release(&b);
    srv_public_view_release(&v);
}

void srv_h_public_centre(struct srv_req *r)
{
    serve(r, K_CENTRE);
}

void srv_h_public_item(struct srv_req *r)
{
    serve(r, K_ITEM);
}

void srv_h_public_ics(struct srv_req *r)
{
    serve(r, K_ICS);
}

void srv_h_public_atom(struct srv_req *r)
{
    serve(r, K_ATOM);
}

void srv_h_public_index(struct srv_req *r)
{
    struct srv_centre *c;
    struct taulu_buf b;
    size_t n;
    int rc;

    rc = srv_store_centre_list(r->app->store, &r->pool, &c, &n);
    if (rc) {
        srv_api_store_error(r, rc);
        return;
    }
    taulu_buf_init(&b, SRV_PUBLIC_MAX_BYTES);
    if (srv_public_render_index(c, n, &b) == 0) {
        send_page(r, 200, "text/html; charset=utf-8", "fi", &b);
    } else {
        srv_reply_error(r, 500, "internal", NULL);
    }
    taulu_buf_release(&b);
}
