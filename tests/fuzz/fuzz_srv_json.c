/*
 * fuzz_srv_json.c: libFuzzer target for the content server's reading of
 * JSON request bodies: srv_json_parse() (strict UTF-8, no NUL, nesting
 * limit), the field readers of srv_json.h on every member, and
 * srv_item_read(), the validation of an item body for create and update.
 *
 * Checks beyond "does not crash":
 *  - a refused body says why with a code that srv_msg.c knows (not the
 *    "internal" fallback), status 400, and hands out no tree;
 *  - an accepted body is valid UTF-8 without NUL, its root is an object
 *    and its tree is no deeper than the limit;
 *  - an item that srv_item_read() accepts meets every rule the store and
 *    the screens rely on (enums, lengths, controls, windows, ids).
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "srv_api.h"
#include "srv_domain.h"
#include "srv_json.h"
#include "srv_msg.h"
#include "srv_pool.h"
#include "taulu_utf8.h"

#define MAX_DEPTH 8
#define NOW       1795000000 /* 2026-11-18, a fixed clock */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_verr(const struct srv_verr *e)
{
    if (e->status != 400 || !e->code || srv_msg_find(e->code) == NULL ||
        strcmp(srv_msg_find(e->code)->code, e->code) != 0 ||
        memchr(e->field, '\0', sizeof(e->field)) == NULL) {
        abort();
    }
}

static unsigned depth(const cJSON *x)
{
    unsigned d = 0;
    const cJSON *c;

    if (!cJSON_IsObject(x) && !cJSON_IsArray(x)) {
        return 0;
    }
    for (c = x->child; c; c = c->next) {
        unsigned k = depth(c);
        d = k > d ? k : d;
    }
    return d + 1;
}

static void text_ok(const char *s, size_t min, size_t max, const char *allow)
{
    size_t len, n;

    if (!s) {
        if (min > 0) {
            abort();
        }
        return;
    }
    len = strlen(s);
    if (!taulu_utf8_valid(s, len) || taulu_utf8_has_controls(s, len, allow)) {
        abort();
    }
    n = taulu_utf8_count(s, len);
    if (n < min || n > max) {
        abort();
    }
}

static bool in_list(const char *const *list, const char *s)
{
    for (; *list; list++) {
        if (s == *list) { /* the reader hands out the list's own string */
            return true;
        }
    }
    return false;
}

static void item_ok(const struct srv_item *it, const struct srv_ids *centres,
                    bool create)
{
    size_t i, k;

    if (!in_list(srv_item_kinds, it->kind) ||
        !in_list(srv_categories, it->category)) {
        abort();
    }
    if (create ? it->org_id < 1 : it->version < 1) {
        abort();
    }
    if (it->display_until <= NOW ||
        it->display_until > NOW + SRV_ITEM_MAX_AHEAD ||
        (it->display_from && it->display_from >= it->display_until) ||
        it->display_from < 0) {
        abort();
    }
    if (strcmp(it->kind, "event") == 0) {
        if (it->starts_at <= 0 || it->ends_at <= it->starts_at) {
            abort();
        }
    } else if (it->starts_at || it->ends_at) {
        abort();
    }
    if (it->link && !srv_link_valid(it->link)) {
        abort();
    }
    if (it->image_sha256 && strlen(it->image_sha256) != 64) {
        abort();
    }
    if (centres->n > SRV_ITEM_MAX_CENTRES || (create && centres->n < 1)) {
        abort();
    }
    for (i = 0; i < centres->n; i++) {
        if (centres->v[i] < 1) {
            abort();
        }
        for (k = 0; k < i; k++) {
            if (centres->v[k] == centres->v[i]) {
                abort();
            }
        }
    }
    if (it->n_texts < 1 || it->n_texts > SRV_ITEM_MAX_TEXTS || !it->texts) {
        abort();
    }
    for (i = 0; i < it->n_texts; i++) {
        const struct srv_item_text *t = &it->texts[i];
        if (!t->lang || !srv_lang_valid(t->lang)) {
            abort();
        }
        for (k = 0; k < i; k++) {
            if (strcmp(it->texts[k].lang, t->lang) == 0) {
                abort();
            }
        }
        text_ok(t->title, 1, 120, "");
        text_ok(t->body, 1, 2000, "\n");
        text_ok(t->place, 0, 200, "");
        text_ok(t->price, 0, 100, "");
        text_ok(t->registration, 0, 300, "");
        text_ok(t->contact, 0, 200, "");
        text_ok(t->image_alt, it->image_sha256 ? 1 : 0, 300, "");
    }
}

/* Every reader on every member: whatever the type, a reader answers. */
static void readers(const cJSON *root, struct srv_pool *pool)
{
    const cJSON *m;

    for (m = root->child; m; m = m->next) {
        struct srv_verr e;
        const char *s;
        int64_t i = 0;
        double d = 0;
        bool b;
        struct srv_ids ids;
        static const char *const words[] = {"fi", "sv", "en", NULL};

        if (!m->string) {
            continue;
        }
        if (srv_json_str(root, m->string, true, 0, 64, "", "x", &s, &e) < 0) {
            check_verr(&e);
        } else if (s && (!taulu_utf8_valid(s, strlen(s)) ||
                         taulu_utf8_has_controls(s, strlen(s), ""))) {
            abort();
        }
        if (srv_json_enum(root, m->string, true, words, "", &s, &e) < 0) {
            check_verr(&e);
        } else if (s && !in_list(words, s)) {
            abort();
        }
        if (srv_json_int(root, m->string, true, -1000, 1000, "", &i, &e) < 0) {
            check_verr(&e);
        } else if (i < -1000 || i > 1000) {
            abort();
        }
        if (srv_json_num(root, m->string, true, -1.5, 1.5, "", &d, &e) < 0) {
            check_verr(&e);
        } else if (!isfinite(d) || d < -1.5 || d > 1.5) {
            abort();
        }
        if (srv_json_bool(root, m->string, true, "", &b, &e) < 0) {
            check_verr(&e);
        }
        if (srv_json_time(root, m->string, true, "", &i, &e) < 0) {
            check_verr(&e);
        }
        if (srv_json_ids(root, m->string, true, 0, 10, pool, "", &ids, &e) <
            0) {
            check_verr(&e);
        } else if (ids.n > 10) {
            abort();
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct srv_pool pool;
    struct srv_verr e;
    cJSON *root = (cJSON *)1;
    char *body = malloc(size + 1);
    int create;

    if (!body) {
        abort();
    }
    memcpy(body, data, size);
    body[size] = '\0'; /* the HTTP edge terminates the body the same way */
    srv_pool_init(&pool);
    memset(&e, 0, sizeof(e));
    if (srv_json_parse(body, size, MAX_DEPTH, &root, &e) < 0) {
        check_verr(&e);
        if (root != NULL) {
            abort();
        }
        goto out;
    }
    if (!root || !cJSON_IsObject(root) || !taulu_utf8_valid(body, size) ||
        memchr(body, '\0', size) != NULL || depth(root) > MAX_DEPTH) {
        abort();
    }
    readers(root, &pool);
    for (create = 0; create <= 1; create++) {
        struct srv_item it;
        struct srv_ids centres;
        bool given;

        memset(&e, 0, sizeof(e));
        if (srv_item_read(root, create, NOW, &pool, &it, &centres, &given,
                          &e) == 0) {
            item_ok(&it, &centres, create);
        } else {
            check_verr(&e);
        }
    }
out:
    cJSON_Delete(root);
    srv_pool_release(&pool);
    free(body);
    return 0;
}
