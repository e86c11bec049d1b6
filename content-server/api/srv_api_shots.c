/*
 * srv_api_shots.c: "remote eyes": a screenshot of a screen, asked for by
 * its centre's contact person or a coordinator and uploaded by the screen
 * itself (docs/api.md, "Screenshots"). The requests and the pictures are
 * publish/srv_shots.h's; the picture is checked and re-encoded by
 * media/srv_image.c before it is kept. A picture is the screen's data:
 * read under the same rule as the screen's status (SRV_A_SCREEN_READ),
 * never public.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "srv_api.h"
#include "srv_image.h"
#include "srv_manifest.h"
#include "srv_pubapp.h"
#include "srv_shots.h"
#include "taulu_err.h"
#include "taulu_log.h"
#include "taulu_time.h"

#define TAG "shots"

/* Loads screen {id} and asks the policy for `action` on it. 0 with *s,
 * or TAULU_EANSWERED. */
static int load_screen(struct srv_req *r, enum srv_action action,
                       struct srv_screen *s)
{
    struct srv_object o = {0, 0, 0, NULL, 0};
    int rc = srv_store_screen_get(r->app->store, &r->pool, r->params[0], s);

    if (rc == TAULU_ENOTFOUND) {
        /* The same answer as a screen the caller may not see. */
        o.id = r->params[0];
        if (srv_authorize(r, action, &o, "screen", r->params[0]) ==
            TAULU_EANSWERED) {
            return TAULU_EANSWERED;
        }
    }
    if (rc) {
        srv_api_store_error(r, rc);
        return TAULU_EANSWERED;
    }
    o.id = s->id;
    o.centre_id = s->centre_id;
    return srv_authorize(r, action, &o, "screen", s->id);
}

static struct srv_shots *shots_or_503(struct srv_req *r)
{
    struct srv_shots *sh = srv_pub_shots(r->app->pub);

    if (!sh) {
        srv_reply_error(r, 503, "publishing_unavailable", NULL);
    }
    return sh;
}

void srv_h_screenshot_request(struct srv_req *r)
{
    struct srv_shots *sh = shots_or_503(r);
    struct srv_screen s;
    char id[SRV_SHOT_ID_MAX], v[24];
    int64_t wait, now = taulu_now();
    cJSON *out;
    int rc;

    if (!sh || load_screen(r, SRV_A_SCREEN_READ, &s) == TAULU_EANSWERED) {
        return;
    }
    rc = srv_shots_request(sh, s.id, now, &wait, id);
    if (rc == TAULU_ELIMIT) {
        snprintf(v, sizeof v, "%lld", (long long)wait);
        srv_reply_header(r, "Retry-After", v);
        srv_reply_error(r, 429, "screenshot_limited", NULL);
        return;
    }
    if (rc < 0) {
        srv_reply_error(r, 500, "internal", NULL);
        return;
    }
    rc = srv_pub_command(r->app->pub, s.id, TAULU_CMD_SCREENSHOT, id);
    if (rc < 0) {
        /* No broker, or not connected: the screen cannot be asked. */
        srv_shots_unrequest(sh, s.id);
        srv_reply_error(r, 503, "screen_unreachable", NULL);
        return;
    }
    taulu_info(TAG, "screenshot of screen-%lld asked for by user %lld (%s)",
               (long long)s.id, (long long)r->actor.id, id);
    out = cJSON_CreateObject();
    cJSON_AddNumberToObject(out, "screen_id", (double)s.id);
    cJSON_AddStringToObject(out, "request_id", id);
    srv_json_add_time(out, "requested_at", now);
    srv_reply_json(r, 202, out);
}

void srv_h_screenshot_info(struct srv_req *r)
{
    struct srv_shots *sh = shots_or_503(r);
    struct srv_screen s;
    int64_t requested, taken;
    uint64_t size;
    char url[96];
    cJSON *out;

    if (!sh || load_screen(r, SRV_A_SCREEN_READ, &s) == TAULU_EANSWERED) {
        return;
    }
    srv_shots_info(sh, s.id, taulu_now(), &requested, &taken, &size);
    out = cJSON_CreateObject();
    cJSON_AddNumberToObject(out, "screen_id", (double)s.id);
    srv_json_add_time(out, "requested_at", requested);
    srv_json_add_time(out, "taken_at", taken);
    if (taken) {
        snprintf(url, sizeof url,
                 "/api/v1/screens/%lld/screenshot/image?t=%lld",
                 (long long)s.id, (long long)taken);
        cJSON_AddNumberToObject(out, "size", (double)size);
        cJSON_AddStringToObject(out, "url", url);
    } else {
        cJSON_AddNullToObject(out, "url");
    }
    srv_reply_json(r, 200, out);
}

void srv_h_screenshot_image(struct srv_req *r)
{
    struct srv_shots *sh = shots_or_503(r);
    struct srv_screen s;
    int64_t taken;
    uint64_t size;
    char at[TAULU_ISO_LEN];
    int fd;

    if (!sh || load_screen(r, SRV_A_SCREEN_READ, &s) == TAULU_EANSWERED) {
        return;
    }
    if (srv_shots_open(sh, s.id, taulu_now(), &fd, &size, &taken) != 0) {
        srv_reply_error(r, 404, "not_found", NULL);
        return;
    }
    taulu_time_format_iso(taken, at);
    srv_reply_header(r, "X-Taken-At", at);
    r->status = 200;
    r->content_type = "image/png";
    r->resp_fd = fd;
    r->resp_fd_size = size;
    /* the screen's data, behind the caller's rights: no cache keeps it */
    r->cache_control = "private, no-store";
}

void srv_h_screenshot_upload(struct srv_req *r)
{
    struct srv_shots *sh = shots_or_503(r);
    struct srv_object o = {0, 0, 0, NULL, 0};
    const char *ctype = srv_req_header(r, "Content-Type");
    struct srv_image_result res;
    enum srv_image_error e;
    struct taulu_buf why;
    int64_t want;
    int rc;

    if (!sh) {
        return;
    }
    if (srv_screen_id_parse(r->keys[0], &want) != 0) {
        srv_reply_error(r, 404, "not_found", NULL);
        return;
    }
    if (want != r->screen.id) {
        /* Another screen's picture: refused and logged, as a manifest. */
        srv_audit_refusal(r, "screen.self", "screen", want, NULL);
        srv_reply_error(r, 403, "forbidden", NULL);
        return;
    }
    o.id = want;
    o.centre_id = r->screen.centre_id;
    if (srv_authorize(r, SRV_A_SCREEN_SELF, &o, "screen", want) ==
        TAULU_EANSWERED) {
        return;
    }
    if (!ctype || strncasecmp(ctype, "image/png", 9) != 0) {
        srv_reply_error(r, 415, "unsupported_image_type", NULL);
        return;
    }
    /* Distrusted bytes like any upload: checked, decoded, scaled to at
     * most 1920 px and written again as a PNG of pixels only. */
    taulu_buf_init(&why, 512);
    e = srv_image_ingest(r->body.data, r->body.len, "image/png", &res, &why);
    if (e != SRV_IMG_OK) {
        taulu_info(TAG, "screenshot of screen-%lld refused: %s",
                   (long long)want, why.data);
        taulu_buf_release(&why);
        srv_reply_error(r, srv_image_http_status(e),
                        e == SRV_IMG_INTERNAL ? "internal" : "image_corrupt",
                        "image");
        return;
    }
    taulu_buf_release(&why);
    rc = srv_shots_put(sh, want, res.png.data, res.png.len, taulu_now());
    taulu_buf_release(&res.png);
    if (rc == TAULU_ESTALE) {
        srv_reply_error(r, 409, "screenshot_not_requested", NULL);
        return;
    }
    if (rc < 0) {
        srv_reply_error(r, 500, "internal", NULL);
        return;
    }
    taulu_info(TAG, "screenshot of screen-%lld stored (%dx%d)", (long long)want,
               res.width, res.height);
    srv_reply_empty(r, 204);
}
