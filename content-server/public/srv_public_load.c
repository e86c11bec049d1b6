/*
 * srv_public_load.c: a centre's public view, loaded as its screens' content
 * is built (see srv_public.h).
 */
#include "srv_public.h"

#include <cjson/cJSON.h>
#include <string.h>

#include "srv_manifest.h"
#include "srv_pubstore.h"
#include "taulu_err.h"

/* The members fi, sv, en of a JSON object text into out[3] (pool). */
static void by_lang(struct srv_pool *p, const char *json, const char *out[3])
{
    static const char *const langs[3] = {"fi", "sv", "en"};
    cJSON *o = json ? cJSON_Parse(json) : NULL;
    int i;

    for (i = 0; i < 3; i++) {
        const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, langs[i]);
        out[i] = cJSON_IsString(x) && x->valuestring[0]
                     ? srv_pool_strdup(p, x->valuestring)
                     : NULL;
    }
    cJSON_Delete(o);
}

int srv_public_load(struct srv_store *st, int64_t centre_id, int64_t now,
                    struct srv_public_view *v)
{
    struct srv_pubstore ps;
    struct srv_pub_backend be;
    struct srv_snapshot snap;
    struct srv_centre c;
    struct srv_centre_hours h;
    void *holder = NULL;
    int rc;

    memset(v, 0, sizeof *v);
    srv_pool_init(&v->pool);
    v->centre_id = centre_id;
    v->now = now;
    rc = srv_store_centre_get(st, &v->pool, centre_id, &c);
    if (rc) {
        return rc;
    }
    v->name = c.name;
    v->address = c.address && *c.address ? c.address : NULL;
    if (srv_store_centre_hours_get(st, &v->pool, centre_id, &h) == 0) {
        by_lang(&v->pool, h.names, v->names);
        by_lang(&v->pool, h.addresses, v->addresses);
        v->exceptions_json = h.exceptions;
    }
    /* The screens' own snapshot, without the public links (the page shows
     * the item's own) and without images (the pages show none). */
    memset(&ps, 0, sizeof ps);
    ps.store = st;
    srv_pubstore_backend(&ps, &be);
    rc = be.load_snapshot(be.ctx, centre_id, now, &snap, &holder);
    if (rc) {
        return rc;
    }
    v->content = taulu_manifest_new();
    if (!v->content) {
        rc = TAULU_ENOMEM;
    } else {
        /* what the screens cannot show is not on the page either */
        struct srv_manifest_refusals refused = {0};
        rc = srv_manifest_build_content(&snap, now, v->content, &refused);
        srv_manifest_refusals_release(&refused);
    }
    be.release_snapshot(be.ctx, holder);
    return rc;
}

void srv_public_view_release(struct srv_public_view *v)
{
    if (!v) {
        return;
    }
    taulu_manifest_free(v->content);
    v->content = NULL;
    srv_pool_release(&v->pool);
}
