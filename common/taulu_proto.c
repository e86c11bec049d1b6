/*
 * taulu_proto.c: MQTT topics and payloads (see taulu_proto.h and
 * docs/protocol.md).
 *
 * Topics are built and taken apart here only, so that the player, the
 * server and the broker's ACL patterns agree on one scheme. Payloads go
 * through the same strict JSON edge as manifests (taulu_json.c).
 */
#include "taulu_proto.h"

#include <stdio.h>
#include <string.h>

#include "taulu_err.h"
#include "taulu_json.h"
#include "taulu_utf8.h"

#define SCREENS "/v1/screens/"

static const char *const kind_names[] = {"desired", "status", "command"};
static const char *const state_names[] = {"offline", "online"};
static const char *const cmd_names[] = {"reload", "screenshot", "identify"};
/* status.display; index 0 (TAULU_DISPLAY_UNSAID) is never written */
static const char *const display_names[] = {"", "on", "dark", "off"};

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static const struct taulu_json_limits proto_limits = {
    TAULU_PROTO_MAX_PAYLOAD, TAULU_PROTO_MAX_DEPTH, 32, 256};

const char *taulu_proto_topic_kind_name(enum taulu_topic_kind k)
{
    return (unsigned)k < N_OF(kind_names) ? kind_names[k] : NULL;
}

const char *taulu_proto_command_name(enum taulu_command_kind c)
{
    return (unsigned)c < N_OF(cmd_names) ? cmd_names[c] : NULL;
}

static bool id_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* A screen id of exactly `len` bytes. */
static bool screen_id_valid_n(const char *id, size_t len)
{
    size_t i;

    if (len == 0 || len > TAULU_SCREEN_ID_MAX || !id_char(id[0])) {
        return false;
    }
    for (i = 1; i < len; i++) {
        if (!id_char(id[i]) && id[i] != '-') {
            return false;
        }
    }
    return true;
}

bool taulu_proto_screen_id_valid(const char *id)
{
    if (!id) {
        return false;
    }
    return screen_id_valid_n(id, strnlen(id, TAULU_SCREEN_ID_MAX + 1));
}

bool taulu_proto_prefix_valid(const char *prefix)
{
    size_t i, len;

    if (!prefix) {
        return false;
    }
    len = strnlen(prefix, TAULU_PROTO_PREFIX_MAX + 1);
    if (len == 0 || len > TAULU_PROTO_PREFIX_MAX || prefix[0] == '/' ||
        prefix[0] == '$' || prefix[len - 1] == '/') {
        return false;
    }
    for (i = 0; i < len; i++) {
        char c = prefix[i];
        if (c == '/' && prefix[i + 1] == '/') {
            return false;
        }
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-' ||
              c == '/')) {
            return false;
        }
    }
    return true;
}

static int topic_join(char out[TAULU_TOPIC_MAX + 1], const char *prefix,
                      const char *level, enum taulu_topic_kind kind)
{
    const char *kn = taulu_proto_topic_kind_name(kind);
    int n;

    out[0] = '\0';
    if (!prefix) {
        prefix = TAULU_PROTO_DEFAULT_PREFIX;
    }
    if (!kn || !taulu_proto_prefix_valid(prefix)) {
        return TAULU_EINVAL;
    }
    n = snprintf(out, TAULU_TOPIC_MAX + 1, "%s" SCREENS "%s/%s", prefix, level,
                 kn);
    if (n < 0 || n > TAULU_TOPIC_MAX) {
        out[0] = '\0';
        return TAULU_EINVAL;
    }
    return TAULU_OK;
}

int taulu_proto_topic(char out[TAULU_TOPIC_MAX + 1], const char *prefix,
                      const char *screen_id, enum taulu_topic_kind kind)
{
    if (!taulu_proto_screen_id_valid(screen_id)) {
        out[0] = '\0';
        return TAULU_EINVAL;
    }
    return topic_join(out, prefix, screen_id, kind);
}

int taulu_proto_topic_filter(char out[TAULU_TOPIC_MAX + 1], const char *prefix,
                             enum taulu_topic_kind kind)
{
    return topic_join(out, prefix, "+", kind);
}

int taulu_proto_topic_parse(const char *topic, size_t len, const char *prefix,
                            char screen_id[TAULU_SCREEN_ID_MAX + 1],
                            enum taulu_topic_kind *kind)
{
    size_t plen, slen = sizeof(SCREENS) - 1, i;
    const char *id, *slash;

    screen_id[0] = '\0';
    if (!prefix) {
        prefix = TAULU_PROTO_DEFAULT_PREFIX;
    }
    if (!topic || !taulu_proto_prefix_valid(prefix)) {
        return TAULU_EVALUE;
    }
    plen = strlen(prefix);
    if (len < plen + slen || memcmp(topic, prefix, plen) != 0 ||
        memcmp(topic + plen, SCREENS, slen) != 0) {
        return TAULU_EVALUE;
    }
    id = topic + plen + slen;
    slash = memchr(id, '/', len - plen - slen);
    if (!slash || !screen_id_valid_n(id, (size_t)(slash - id))) {
        return TAULU_EVALUE;
    }
    for (i = 0; i < N_OF(kind_names); i++) {
        size_t klen = strlen(kind_names[i]);
        if ((size_t)(topic + len - (slash + 1)) == klen &&
            memcmp(slash + 1, kind_names[i], klen) == 0) {
            memcpy(screen_id, id, (size_t)(slash - id));
            screen_id[slash - id] = '\0';
            *kind = (enum taulu_topic_kind)i;
            return TAULU_OK;
        }
    }
    return TAULU_EVALUE;
}

/* ---- shared payload pieces ---- */

/* A relative URL path we are willing to fetch from our own server. */
static bool url_valid(const char *u)
{
    size_t i;

    if (u[0] != '/' || u[1] == '/' || strstr(u, "..")) {
        return false;
    }
    for (i = 0; u[i]; i++) {
        char c = u[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || strchr("/._~%-", c))) {
            return false;
        }
    }
    return i <= TAULU_PROTO_URL_MAX;
}

static bool sha_or_empty_valid(const char *s)
{
    return s[0] == '\0' || taulu_is_sha256_hex(s);
}

static bool error_text_valid(const char *s, size_t size)
{
    size_t len = strnlen(s, size);

    return len < size && taulu_utf8_valid(s, len) &&
           !taulu_utf8_has_controls(s, len, "");
}

/* Parses the root object and its "v"; on success *root is the tree. */
static int payload_open(const char *json, size_t len, cJSON **root,
                        struct taulu_buf *why)
{
    int64_t v = 0;
    int rc;

    if ((rc = taulu_json_parse(json, len, &proto_limits, root, why)) < 0) {
        return rc;
    }
    if (!cJSON_IsObject(*root)) {
        rc = taulu_json_fail(why, NULL, NULL, TAULU_ETYPE, "not an object");
    } else if ((rc = taulu_json_get_int(*root, "v", true, INT32_MIN, INT32_MAX,
                                        &v, NULL, why)) < 0) {
        if (rc == TAULU_EVALUE) {
            rc = TAULU_EVERSION;
        }
    } else if (v != TAULU_PROTO_VERSION) {
        rc = taulu_json_fail(why, NULL, "v", TAULU_EVERSION,
                             "version %lld is not known here (only %d)",
                             (long long)v, TAULU_PROTO_VERSION);
    }
    if (rc < 0) {
        cJSON_Delete(*root);
        *root = NULL;
    }
    return rc;
}

/* A string member copied into a fixed field after `valid` (which sees
 * the NUL-terminated string). 1 if absent and optional. */
static int get_fixed(const cJSON *obj, const char *name, bool required,
                     char *dst, size_t size, bool (*valid)(const char *),
                     const char *what, struct taulu_buf *why)
{
    const char *s = NULL;
    int rc = taulu_json_get_string(obj, name, required, 0, size - 1, "", &s,
                                   NULL, why);
    if (rc != 0) {
        return rc;
    }
    if (!valid(s)) {
        return taulu_json_fail(why, NULL, name, TAULU_EVALUE, "%s", what);
    }
    memcpy(dst, s, strlen(s) + 1);
    return TAULU_OK;
}

static bool sha_valid(const char *s)
{
    return taulu_is_sha256_hex(s) != 0;
}

static bool nonempty(const char *s)
{
    return s[0] != '\0';
}

static int get_enum(const cJSON *obj, const char *name,
                    const char *const *names, size_t n, int *out,
                    struct taulu_buf *why)
{
    const char *s = NULL;
    size_t i;
    int rc = taulu_json_get_string(obj, name, true, 0, 64, NULL, &s, NULL, why);
    if (rc < 0) {
        return rc;
    }
    for (i = 0; i < n; i++) {
        if (strcmp(s, names[i]) == 0) {
            *out = (int)i;
            return TAULU_OK;
        }
    }
    return taulu_json_fail(why, NULL, name, TAULU_EVALUE, "unknown value");
}

struct pw {
    struct taulu_buf *b;
    int rc;
};

static void pw_raw(struct pw *w, const char *s)
{
    if (w->rc == 0) {
        w->rc = taulu_buf_puts(w->b, s);
    }
}

static void pw_str(struct pw *w, const char *s)
{
    if (w->rc == 0) {
        w->rc = taulu_json_put_string(w->b, s);
    }
}

static void pw_int(struct pw *w, int64_t v)
{
    if (w->rc == 0) {
        w->rc = taulu_buf_appendf(w->b, "%lld", (long long)v);
    }
}

static int pw_end(struct pw *w, size_t start)
{
    if (w->rc < 0) {
        taulu_buf_truncate(w->b, start);
    }
    return w->rc;
}

/* ---- desired ---- */

int taulu_proto_desired_write(const struct taulu_proto_desired *d,
                              struct taulu_buf *out)
{
    struct pw w = {out, 0};
    size_t start = out->len;

    if (d->seq < 0 || d->seq > TAULU_MANIFEST_MAX_SEQ ||
        !taulu_is_sha256_hex(d->sha256) ||
        strnlen(d->url, sizeof(d->url)) == sizeof(d->url) ||
        (d->url[0] && !url_valid(d->url))) {
        return TAULU_EVALUE;
    }
    pw_raw(&w, "{\"v\":1,\"seq\":");
    pw_int(&w, d->seq);
    pw_raw(&w, ",\"sha256\":");
    pw_str(&w, d->sha256);
    if (d->url[0]) {
        pw_raw(&w, ",\"url\":");
        pw_str(&w, d->url);
    }
    pw_raw(&w, "}");
    return pw_end(&w, start);
}

int taulu_proto_desired_parse(const char *json, size_t len,
                              struct taulu_proto_desired *out,
                              struct taulu_buf *why)
{
    cJSON *root = NULL;
    int rc;

    memset(out, 0, sizeof(*out));
    if ((rc = payload_open(json, len, &root, why)) < 0) {
        return rc;
    }
    if ((rc = taulu_json_get_int(root, "seq", true, 0, TAULU_MANIFEST_MAX_SEQ,
                                 &out->seq, NULL, why)) < 0 ||
        (rc = get_fixed(root, "sha256", true, out->sha256, sizeof(out->sha256),
                        sha_valid, "not 64 lowercase hex digits", why)) < 0 ||
        (rc = get_fixed(root, "url", false, out->url, sizeof(out->url),
                        url_valid, "not a relative path on the server", why)) <
            0) {
        goto out;
    }
    rc = TAULU_OK;
out:
    cJSON_Delete(root);
    if (rc < 0) {
        memset(out, 0, sizeof(*out));
    }
    return rc;
}

/* ---- status ---- */

void taulu_proto_status_init(struct taulu_proto_status *s)
{
    memset(s, 0, sizeof(*s));
    s->state = TAULU_SCREEN_OFFLINE;
    s->at = TAULU_NO_TIME;
}

/* n ids, each terminated within its field and a manifest id. */
static bool ids_valid(const char (*ids)[TAULU_MANIFEST_MAX_ID + 1], size_t n,
                      size_t max)
{
    size_t i;

    if (n > max) {
        return false;
    }
    for (i = 0; i < n; i++) {
        if (strnlen(ids[i], sizeof(ids[i])) == sizeof(ids[i]) ||
            !taulu_manifest_id_valid(ids[i])) {
            return false;
        }
    }
    return true;
}

static void pw_ids(struct pw *w, const char *key,
                   const char (*ids)[TAULU_MANIFEST_MAX_ID + 1], size_t n);

static bool status_valid(const struct taulu_proto_status *s)
{
    if ((unsigned)s->state >= N_OF(state_names) ||
        (s->has_seq && (s->seq < 0 || s->seq > TAULU_MANIFEST_MAX_SEQ)) ||
        (s->has_uptime &&
         (s->uptime_s < 0 || s->uptime_s > TAULU_MANIFEST_MAX_SEQ)) ||
        (s->has_cache_bytes &&
         (s->cache_bytes < 0 || s->cache_bytes > TAULU_MANIFEST_MAX_SEQ)) ||
        strnlen(s->sha256, sizeof(s->sha256)) == sizeof(s->sha256) ||
        !sha_or_empty_valid(s->sha256) ||
        strnlen(s->showing, sizeof(s->showing)) == sizeof(s->showing) ||
        (s->showing[0] && !taulu_manifest_id_valid(s->showing)) ||
        !error_text_valid(s->error, sizeof(s->error)) ||
        s->n_alert_ack > TAULU_PROTO_MAX_ALERT_ACK ||
        (unsigned)s->display >= N_OF(display_names)) {
        return false;
    }
    if (s->at != TAULU_NO_TIME) {
        char t[TAULU_MANIFEST_TIME_LEN];
        if (taulu_manifest_time_format(s->at, t) < 0) {
            return false;
        }
    }
    if (!ids_valid(s->alert_ack, s->n_alert_ack, TAULU_PROTO_MAX_ALERT_ACK) ||
        !ids_valid(s->unplaced, s->n_unplaced, TAULU_PROTO_MAX_CARD_IDS) ||
        !ids_valid(s->paged, s->n_paged, TAULU_PROTO_MAX_CARD_IDS)) {
        return false;
    }
    if (s->has_loop &&
        (s->loop_s < 0 || s->loop_s > 86400 || s->loop_all_s < 0 ||
         s->loop_all_s > 86400 || s->loop_turns < 0 || s->loop_turns > 1024 ||
         s->loop_window < 0 || s->loop_window > 1024)) {
        return false;
    }
    if (s->has_profile) {
        const struct taulu_profile *p = &s->profile;
        if (p->width_px < 1 || p->width_px > TAULU_MANIFEST_MAX_PIXELS ||
            p->height_px < 1 || p->height_px > TAULU_MANIFEST_MAX_PIXELS ||
            (unsigned)p->orientation > TAULU_PORTRAIT ||
            p->diagonal_in_x10 < 50 || p->diagonal_in_x10 > 3000 ||
            p->distance_mm < 300 || p->distance_mm > 100000) {
            return false;
        }
    }
    return true;
}

int taulu_proto_status_write(const struct taulu_proto_status *s,
                             struct taulu_buf *out)
{
    struct pw w = {out, 0};
    size_t start = out->len;

    if (!status_valid(s)) {
        return TAULU_EVALUE;
    }
    pw_raw(&w, "{\"v\":1,\"state\":");
    pw_str(&w, state_names[s->state]);
    if (s->has_seq) {
        pw_raw(&w, ",\"seq\":");
        pw_int(&w, s->seq);
    }
    if (s->sha256[0]) {
        pw_raw(&w, ",\"sha256\":");
        pw_str(&w, s->sha256);
    }
    if (s->showing[0]) {
        pw_raw(&w, ",\"showing\":");
        pw_str(&w, s->showing);
    }
    if (s->has_uptime) {
        pw_raw(&w, ",\"uptime_s\":");
        pw_int(&w, s->uptime_s);
    }
    if (s->has_cache_bytes) {
        pw_raw(&w, ",\"cache_bytes\":");
        pw_int(&w, s->cache_bytes);
    }
    if (s->has_clock_ok) {
        pw_raw(&w, s->clock_ok ? ",\"clock_ok\":true" : ",\"clock_ok\":false");
    }
    if (s->error[0]) {
        pw_raw(&w, ",\"error\":");
        pw_str(&w, s->error);
    }
    if (s->at != TAULU_NO_TIME) {
        char t[TAULU_MANIFEST_TIME_LEN];
        taulu_manifest_time_format(s->at, t);
        pw_raw(&w, ",\"at\":");
        pw_str(&w, t);
    }
    pw_ids(&w, ",\"alert_ack\":[", s->alert_ack, s->n_alert_ack);
    if (s->has_profile) {
        const struct taulu_profile *p = &s->profile;
        char num[96];
        /* the manifest's profile, its one-decimal diagonal from the
         * integer (no float formatting) */
        snprintf(num, sizeof num,
                 ",\"profile\":{\"width_px\":%d,\"height_px\":%d,"
                 "\"orientation\":",
                 p->width_px, p->height_px);
        pw_raw(&w, num);
        pw_str(&w, p->orientation == TAULU_PORTRAIT ? "portrait" : "landscape");
        snprintf(num, sizeof num, ",\"diagonal_in\":%d.%d,\"distance_mm\":%d}",
                 p->diagonal_in_x10 / 10, p->diagonal_in_x10 % 10,
                 p->distance_mm);
        pw_raw(&w, num);
    }
    pw_ids(&w, ",\"unplaced\":[", s->unplaced, s->n_unplaced);
    pw_ids(&w, ",\"paged\":[", s->paged, s->n_paged);
    if (s->has_loop) {
        char num[96];
        snprintf(num, sizeof num,
                 ",\"loop\":{\"s\":%d,\"all_s\":%d,\"turns\":%d,"
                 "\"window\":%d}",
                 s->loop_s, s->loop_all_s, s->loop_turns, s->loop_window);
        pw_raw(&w, num);
    }
    if (s->display != TAULU_DISPLAY_UNSAID) {
        pw_raw(&w, ",\"display\":");
        pw_str(&w, display_names[s->display]);
    }
    pw_raw(&w, "}");
    return pw_end(&w, start);
}

/* `key` (",\"name\":[") and the ids, when there are any. */
static void pw_ids(struct pw *w, const char *key,
                   const char (*ids)[TAULU_MANIFEST_MAX_ID + 1], size_t n)
{
    size_t i;

    if (n == 0) {
        return;
    }
    pw_raw(w, key);
    for (i = 0; i < n; i++) {
        pw_raw(w, i ? "," : "");
        pw_str(w, ids[i]);
    }
    pw_raw(w, "]");
}

static int get_opt_int(const cJSON *root, const char *name, bool *has,
                       int64_t *out, struct taulu_buf *why)
{
    int rc = taulu_json_get_int(root, name, false, 0, TAULU_MANIFEST_MAX_SEQ,
                                out, NULL, why);
    if (rc < 0) {
        return rc;
    }
    *has = rc == 0;
    return TAULU_OK;
}

/* An optional array of at most `max` ids into ids[] / *n_out. */
static int get_ids(const cJSON *root, const char *key,
                   char (*ids)[TAULU_MANIFEST_MAX_ID + 1], size_t max,
                   size_t *n_out, struct taulu_buf *why)
{
    struct taulu_json_path p;
    const cJSON *arr = NULL, *it;
    size_t n = 0, i;
    int rc =
        taulu_json_get_array(root, key, false, 0, max, &arr, &n, NULL, why);
    if (rc != 0) {
        return rc < 0 ? rc : TAULU_OK;
    }
    taulu_json_path_init(&p);
    taulu_json_path_push_key(&p, key);
    for (it = arr->child, i = 0; it; it = it->next, i++) {
        if (!cJSON_IsString(it)) {
            taulu_json_path_push_index(&p, i);
            return taulu_json_fail(why, &p, NULL, TAULU_ETYPE, "not a string");
        }
        if (!taulu_manifest_id_valid(it->valuestring)) {
            taulu_json_path_push_index(&p, i);
            return taulu_json_fail(why, &p, NULL, TAULU_EVALUE, "not an id");
        }
        memcpy(ids[i], it->valuestring, strlen(it->valuestring) + 1);
    }
    *n_out = n;
    return TAULU_OK;
}

/* The optional "profile": the manifest's profile object, same ranges. */
static int get_profile(const cJSON *root, struct taulu_proto_status *out,
                       struct taulu_buf *why)
{
    static const char *const orientations[] = {"landscape", "portrait"};
    struct taulu_json_path p;
    struct taulu_profile *pr = &out->profile;
    const cJSON *obj = NULL, *o;
    int64_t v = 0;
    double d = 0;
    int rc = taulu_json_get_object(root, "profile", false, &obj, NULL, why);
    int e = 0;

    if (rc != 0) {
        return rc < 0 ? rc : TAULU_OK;
    }
    taulu_json_path_init(&p);
    taulu_json_path_push_key(&p, "profile");
    if ((rc = taulu_json_get_int(obj, "width_px", true, 1,
                                 TAULU_MANIFEST_MAX_PIXELS, &v, &p, why)) < 0) {
        return rc;
    }
    pr->width_px = (int)v;
    if ((rc = taulu_json_get_int(obj, "height_px", true, 1,
                                 TAULU_MANIFEST_MAX_PIXELS, &v, &p, why)) < 0) {
        return rc;
    }
    pr->height_px = (int)v;
    o = cJSON_GetObjectItemCaseSensitive(obj, "orientation");
    if (!o) {
        return taulu_json_fail(why, &p, "orientation", TAULU_EMISSING,
                               "missing");
    }
    if ((rc = get_enum(obj, "orientation", orientations, 2, &e, why)) < 0) {
        return rc;
    }
    pr->orientation = (enum taulu_orientation)e;
    if ((rc = taulu_json_get_number(obj, "diagonal_in", true, 5.0, 300.0, &d,
                                    &p, why)) < 0) {
        return rc;
    }
    pr->diagonal_in_x10 = (int)(d * 10.0 + 0.5);
    if (d * 10.0 - pr->diagonal_in_x10 > 1e-6 ||
        pr->diagonal_in_x10 - d * 10.0 > 1e-6) {
        return taulu_json_fail(why, &p, "diagonal_in", TAULU_EVALUE,
                               "more than one decimal");
    }
    if ((rc = taulu_json_get_int(obj, "distance_mm", true, 300, 100000, &v, &p,
                                 why)) < 0) {
        return rc;
    }
    pr->distance_mm = (int)v;
    out->has_profile = true;
    return TAULU_OK;
}

/* status.loop: {"s", "all_s", "turns", "window"}, all required when the
 * object is there (absent from older players). */
static int get_loop(const cJSON *root, struct taulu_proto_status *out,
                    struct taulu_buf *why)
{
    const cJSON *obj = NULL;
    int64_t v[4];
    static const char *const names[] = {"s", "all_s", "turns", "window"};
    static const int64_t max[] = {86400, 86400, 1024, 1024};
    struct taulu_json_path p;
    size_t i;
    int rc;

    taulu_json_path_init(&p);
    rc = taulu_json_get_object(root, "loop", false, &obj, &p, why);
    if (rc != 0) {
        return rc < 0 ? rc : TAULU_OK;
    }
    taulu_json_path_push_key(&p, "loop");
    for (i = 0; i < 4; i++) {
        if ((rc = taulu_json_get_int(obj, names[i], true, 0, max[i], &v[i], &p,
                                     why)) < 0) {
            return rc;
        }
    }
    out->has_loop = true;
    out->loop_s = (int)v[0];
    out->loop_all_s = (int)v[1];
    out->loop_turns = (int)v[2];
    out->loop_window = (int)v[3];
    return TAULU_OK;
}

int taulu_proto_status_parse(const char *json, size_t len,
                             struct taulu_proto_status *out,
                             struct taulu_buf *why)
{
    cJSON *root = NULL;
    const char *s = NULL;
    bool b = false;
    int rc, e = 0;

    memset(out, 0, sizeof(*out));
    if ((rc = payload_open(json, len, &root, why)) < 0) {
        return rc;
    }
    out->at = TAULU_NO_TIME;
    if ((rc = get_enum(root, "state", state_names, N_OF(state_names), &e,
                       why)) < 0) {
        goto out;
    }
    out->state = (enum taulu_screen_state)e;
    if ((rc = get_opt_int(root, "seq", &out->has_seq, &out->seq, why)) < 0 ||
        (rc = get_fixed(root, "sha256", false, out->sha256, sizeof(out->sha256),
                        sha_valid, "not 64 lowercase hex digits", why)) < 0 ||
        (rc = get_fixed(root, "showing", false, out->showing,
                        sizeof(out->showing), taulu_manifest_id_valid,
                        "not an id", why)) < 0 ||
        (rc = get_opt_int(root, "uptime_s", &out->has_uptime, &out->uptime_s,
                          why)) < 0 ||
        (rc = get_opt_int(root, "cache_bytes", &out->has_cache_bytes,
                          &out->cache_bytes, why)) < 0 ||
        (rc = taulu_json_get_bool(root, "clock_ok", false, &b, NULL, why)) <
            0) {
        goto out;
    }
    out->has_clock_ok = rc == 0;
    out->clock_ok = out->has_clock_ok && b;
    if ((rc = get_fixed(root, "error", false, out->error, sizeof(out->error),
                        nonempty, "empty", why)) < 0) {
        goto out;
    }
    if ((rc = taulu_json_get_string(root, "at", false, 0, 64, NULL, &s, NULL,
                                    why)) < 0) {
        goto out;
    }
    if (rc == 0 && taulu_manifest_time_parse(s, &out->at) < 0) {
        rc = taulu_json_fail(why, NULL, "at", TAULU_EVALUE,
                             "not a UTC time YYYY-MM-DDTHH:MM:SSZ");
        goto out;
    }
    if ((rc = get_ids(root, "alert_ack", out->alert_ack,
                      TAULU_PROTO_MAX_ALERT_ACK, &out->n_alert_ack, why)) < 0 ||
        (rc = get_profile(root, out, why)) < 0 ||
        (rc = get_ids(root, "unplaced", out->unplaced, TAULU_PROTO_MAX_CARD_IDS,
                      &out->n_unplaced, why)) < 0 ||
        (rc = get_ids(root, "paged", out->paged, TAULU_PROTO_MAX_CARD_IDS,
                      &out->n_paged, why)) < 0) {
        goto out;
    }
    if ((rc = get_loop(root, out, why)) < 0) {
        goto out;
    }
    if (cJSON_GetObjectItemCaseSensitive(root, "display")) {
        rc = get_enum(root, "display", display_names + 1,
                      N_OF(display_names) - 1, &e, why);
        out->display = (enum taulu_display_state)(e + 1);
    }
out:
    cJSON_Delete(root);
    if (rc < 0) {
        memset(out, 0, sizeof(*out));
    }
    return rc < 0 ? rc : TAULU_OK;
}

/* ---- command ---- */

int taulu_proto_command_write(const struct taulu_proto_command *c,
                              struct taulu_buf *out)
{
    struct pw w = {out, 0};
    size_t start = out->len;

    if (strnlen(c->id, sizeof(c->id)) == sizeof(c->id) ||
        !taulu_manifest_id_valid(c->id) || !taulu_proto_command_name(c->cmd)) {
        return TAULU_EVALUE;
    }
    pw_raw(&w, "{\"v\":1,\"id\":");
    pw_str(&w, c->id);
    pw_raw(&w, ",\"cmd\":");
    pw_str(&w, cmd_names[c->cmd]);
    pw_raw(&w, "}");
    return pw_end(&w, start);
}

int taulu_proto_command_parse(const char *json, size_t len,
                              struct taulu_proto_command *out,
                              struct taulu_buf *why)
{
    cJSON *root = NULL;
    int rc, e = 0;

    memset(out, 0, sizeof(*out));
    if ((rc = payload_open(json, len, &root, why)) < 0) {
        return rc;
    }
    if ((rc = get_fixed(root, "id", true, out->id, sizeof(out->id),
                        taulu_manifest_id_valid, "not an id", why)) == 0 &&
        (rc = get_enum(root, "cmd", cmd_names, N_OF(cmd_names), &e, why)) ==
            0) {
        out->cmd = (enum taulu_command_kind)e;
    }
    cJSON_Delete(root);
    if (rc < 0) {
        memset(out, 0, sizeof(*out));
    }
    return rc;
}
