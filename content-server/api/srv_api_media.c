/*
 * srv_api_media.c: the image routes: an upload is checked and re-encoded
 * (media/srv_image.h) and kept as an asset file; assets are served
 * immutable by their sha256. The files are publish/'s (srv_pubapp.h);
 * with publishing not started (r->app->pub NULL) these routes answer 503.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "srv_api.h"
#include "srv_image.h"
#include "srv_pubapp.h"
#include "taulu_crypto.h"
#include "taulu_err.h"
#include "taulu_log.h"

#define TAG "api"

static void unavailable(struct srv_req *r)
{
    srv_reply_error(r, 503, "publishing_unavailable", NULL);
}

void srv_h_asset_get(struct srv_req *r)
{
    struct srv_pubapp *pa = r->app->pub;
    const char *sha = r->keys[0];
    uint64_t size;
    int fd;

    if (!pa) {
        unavailable(r);
        return;
    }
    if (srv_api_authenticate(r) == TAULU_EANSWERED) {
        return;
    }
    if (r->actor.kind == SRV_ACTOR_ANON) {
        srv_reply_header(r, "WWW-Authenticate", "Bearer");
        srv_reply_error(r, 401, "unauthorized", NULL);
        return;
    }
    if (!taulu_is_sha256_hex(sha)) {
        srv_reply_error(r, 404, "not_found", NULL);
        return;
    }
    /* If-None-Match on an immutable asset: the name is the content. */
    {
        const char *inm = srv_req_header(r, "If-None-Match");
        if (inm && strlen(inm) == TAULU_SHA256_HEX_LEN + 2 && inm[0] == '"' &&
            memcmp(inm + 1, sha, TAULU_SHA256_HEX_LEN) == 0) {
            r->cache_control = "public, max-age=31536000, immutable";
            srv_reply_header(r, "ETag", inm);
            srv_reply_empty(r, 304);
            return;
        }
    }
    if (srv_pub_asset_open(pa, sha, &fd, &size) != 0) {
        srv_reply_error(r, 404, "not_found", NULL);
        return;
    }
    {
        char etag[TAULU_SHA256_HEX_LEN + 3];
        snprintf(etag, sizeof etag, "\"%s\"", sha);
        srv_reply_header(r, "ETag", etag);
    }
    r->status = 200;
    r->content_type = "image/png";
    r->resp_fd = fd;
    r->resp_fd_size = size;
    r->cache_control = "public, max-age=31536000, immutable";
}

void srv_h_image_upload(struct srv_req *r)
{
    struct srv_pubapp *pa = r->app->pub;
    struct srv_object o = {0, 0, 0, NULL, 0};
    struct srv_image_result res;
    enum srv_image_error e;
    struct taulu_buf why;
    const char *ctype = srv_req_header(r, "Content-Type");
    bool existed;
    cJSON *out;

    if (!pa) {
        unavailable(r);
        return;
    }
    /* Whoever may submit items for an organisation may upload images. */
    o.org_id = r->actor.n_orgs ? r->actor.orgs[0] : 0;
    if (!srv_can(&r->actor, SRV_A_ITEM_CREATE, &o)) {
        /* Images are not secret objects: an honest 403, and logged. */
        srv_audit_refusal(r, "image.upload", "image", 0, NULL);
        srv_reply_error(r, 403, "forbidden", NULL);
        return;
    }
    if (srv_authorize(r, SRV_A_ITEM_CREATE, &o, "image", 0) ==
        TAULU_EANSWERED) {
        return;
    }
    if (!ctype) {
        srv_reply_error(r, 415, "unsupported_media_type", NULL);
        return;
    }
    if (strncasecmp(ctype, "multipart/", 10) == 0) {
        /* A browser form's upload. The image is sent as the body itself
         * (the web UI does so); a second parser of untrusted framing in
         * front of the image checks would be attack surface for nothing. */
        srv_reply_error(r, 415, "multipart_not_supported", NULL);
        return;
    }
    taulu_buf_init(&why, 512);
    e = srv_image_ingest(r->body.data, r->body.len, ctype, &res, &why);
    if (e != SRV_IMG_OK) {
        static const char *const codes[] = {
            [SRV_IMG_TOO_BIG] = "image_too_large",
            [SRV_IMG_UNSUPPORTED] = "unsupported_image_type",
            [SRV_IMG_TYPE_MISMATCH] = "image_type_mismatch",
            [SRV_IMG_CORRUPT] = "image_corrupt",
            [SRV_IMG_TOO_MANY_PIXELS] = "image_too_many_pixels",
            [SRV_IMG_DECODE] = "image_unreadable",
            [SRV_IMG_BUSY] = "image_busy",
            [SRV_IMG_INTERNAL] = "internal",
        };
        /* The detailed reason goes to the log; the caller gets the
         * catalogue's sentence in three languages. */
        taulu_info(TAG, "image refused: %s", why.data);
        if (e == SRV_IMG_BUSY) {
            /* every decoding slot or the decode memory is taken */
            srv_reply_header(r, "Retry-After", "2");
        }
        srv_reply_error(r, srv_image_http_status(e), codes[e], "image");
        taulu_buf_release(&why);
        return;
    }
    taulu_buf_release(&why);
    if (srv_pub_asset_put(pa, res.sha256, res.png.data, res.png.len,
                          &existed) != 0) {
        taulu_buf_release(&res.png);
        srv_reply_error(r, 500, "internal", NULL);
        return;
    }
    out = cJSON_CreateObject();
    cJSON_AddStringToObject(out, "sha256", res.sha256);
    cJSON_AddStringToObject(out, "media_type", "image/png");
    cJSON_AddNumberToObject(out, "size", (double)res.png.len);
    cJSON_AddNumberToObject(out, "width", res.width);
    cJSON_AddNumberToObject(out, "height", res.height);
    cJSON_AddNumberToObject(out, "original_width", res.orig_width);
    cJSON_AddNumberToObject(out, "original_height", res.orig_height);
    taulu_buf_release(&res.png);
    srv_reply_json(r, existed ? 200 : 201, out);
}
