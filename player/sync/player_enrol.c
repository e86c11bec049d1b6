/*
 * player_enrol.c: a new screen enrols itself by a code (see
 * player_enrol.h). The answer's reader and the files it writes are plain
 * C (the unit tests call them); the exchange runs on a thread of its own
 * over player_fetch (libcurl).
 */
#include "player_enrol.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "player_backoff.h"
#include "player_fetch.h"
#include "taulu_crypto.h"
#include "taulu_err.h"
#include "taulu_file.h"
#include "taulu_json.h"
#include "taulu_log.h"
#include "taulu_proto.h"
#include "taulu_time.h"

#define TAG        "enrol"
#define URL_MAX    1024
#define ANSWER_MAX (128 * 1024)

void player_enrolment_release(struct player_enrolment *e)
{
    if (!e) {
        return;
    }
    free(e->mqtt_ca_pem);
    taulu_wipe(e, sizeof *e);
}

/* A value that goes into the settings file as it is: printable ASCII,
 * no space, quote, '#' or '\'. */
static bool conf_safe(const char *s)
{
    for (; *s; s++) {
        if (*s <= ' ' || *s >= 0x7f || *s == '"' || *s == '#' || *s == '\'' ||
            *s == '\\') {
            return false;
        }
    }
    return true;
}

static bool host_valid(const char *h)
{
    return h[0] &&
           strspn(h, "abcdefghijklmnopqrstuvwxyz"
                     "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]") == strlen(h);
}

static bool token_valid(const char *t)
{
    return strlen(t) == 68 && strncmp(t, "tss_", 4) == 0 &&
           strspn(t + 4, "0123456789abcdef") == 64;
}

static int copy_str(const cJSON *o, const char *name, bool required, size_t min,
                    char *out, size_t size, const struct taulu_json_path *p,
                    struct taulu_buf *why)
{
    const char *v = NULL;
    int rc =
        taulu_json_get_string(o, name, required, min, size - 1, "", &v, p, why);

    if (rc == 0) {
        memcpy(out, v, strlen(v) + 1);
    }
    return rc < 0 ? rc : 0;
}

int player_enrolment_parse(const char *json, size_t len,
                           struct player_enrolment *out, struct taulu_buf *why)
{
    static const struct taulu_json_limits lim = {ANSWER_MAX, 3, 32, 128};
    const cJSON *mq = NULL, *prof = NULL;
    const char *state = NULL, *pem = NULL;
    struct taulu_json_path p;
    uint8_t pk[TAULU_SIGN_PK_LEN];
    cJSON *root = NULL;
    int64_t w = 0, h = 0, port = 0;
    int rc;

    memset(out, 0, sizeof *out);
    taulu_json_path_init(&p);
    rc = taulu_json_parse(json, len, &lim, &root, why);
    if (rc < 0) {
        return rc;
    }
    if ((rc = taulu_json_get_string(root, "state", true, 1, 16, "", &state, &p,
                                    why)) < 0) {
        goto out;
    }
    if (strcmp(state, "enrolled") != 0) {
        rc = taulu_json_fail(why, &p, "state", TAULU_EVALUE, "not enrolled");
        goto out;
    }
    if ((rc = copy_str(root, "screen_id", true, 1, out->screen_id,
                       sizeof out->screen_id, &p, why)) < 0 ||
        (rc = copy_str(root, "token", true, 1, out->token, sizeof out->token,
                       &p, why)) < 0 ||
        (rc = copy_str(root, "name", false, 0, out->name, sizeof out->name, &p,
                       why)) < 0 ||
        (rc = copy_str(root, "server_url", true, 8, out->server_url,
                       sizeof out->server_url, &p, why)) < 0 ||
        (rc = copy_str(root, "server_public_key", true, 1,
                       out->server_public_key, sizeof out->server_public_key,
                       &p, why)) < 0 ||
        (rc = taulu_json_get_object(root, "mqtt", true, &mq, &p, why)) < 0 ||
        (rc = copy_str(mq, "host", true, 0, out->mqtt_host,
                       sizeof out->mqtt_host, &p, why)) < 0 ||
        (rc = taulu_json_get_int(mq, "port", true, 1, 65535, &port, &p, why)) <
            0 ||
        (rc = copy_str(mq, "prefix", true, 1, out->mqtt_prefix,
                       sizeof out->mqtt_prefix, &p, why)) < 0 ||
        (rc = taulu_json_get_bool(mq, "tls", true, &out->mqtt_tls, &p, why)) <
            0 ||
        (rc = taulu_json_get_string(mq, "ca_pem", false, 1, 64 * 1024, "\n",
                                    &pem, &p, why)) < 0 ||
        (rc = taulu_json_get_object(root, "profile", false, &prof, &p, why)) <
            0) {
        goto out;
    }
    out->mqtt_port = port;
    if (prof &&
        ((rc = taulu_json_get_int(prof, "width_px", true, 1, 16384, &w, &p,
                                  why)) < 0 ||
         (rc = taulu_json_get_int(prof, "height_px", true, 1, 16384, &h, &p,
                                  why)) < 0 ||
         (rc = copy_str(prof, "orientation", true, 1, out->orientation,
                        sizeof out->orientation, &p, why)) < 0 ||
         (rc = taulu_json_get_number(prof, "diagonal_in", true, 1, 300,
                                     &out->diagonal_in, &p, why)) < 0 ||
         (rc = taulu_json_get_number(prof, "viewing_distance_m", true, 0.1, 100,
                                     &out->viewing_distance_m, &p, why)) < 0)) {
        goto out;
    }
    out->width_px = (int)w;
    out->height_px = (int)h;
    /* Every value that goes into a file, checked for what it must be. */
    rc = TAULU_EVALUE;
    if (!taulu_proto_screen_id_valid(out->screen_id)) {
        taulu_json_fail(why, &p, "screen_id", rc, "not a screen id");
    } else if (!token_valid(out->token)) {
        taulu_json_fail(why, &p, "token", rc, "not a screen token");
    } else if ((strncmp(out->server_url, "https://", 8) != 0 &&
                strncmp(out->server_url, "http://", 7) != 0) ||
               !conf_safe(out->server_url) ||
               out->server_url[strlen(out->server_url) - 1] == '/') {
        taulu_json_fail(why, &p, "server_url", rc, "not an http(s) base URL");
    } else if (taulu_base64_decode(out->server_public_key, pk, sizeof pk) !=
               0) {
        taulu_json_fail(why, &p, "server_public_key", rc,
                        "not a base64 Ed25519 key");
    } else if (out->mqtt_host[0] && !host_valid(out->mqtt_host)) {
        taulu_json_fail(why, &p, "mqtt.host", rc, "not a host name");
    } else if (!taulu_proto_prefix_valid(out->mqtt_prefix)) {
        taulu_json_fail(why, &p, "mqtt.prefix", rc, "not a topic prefix");
    } else if (pem && !strstr(pem, "-----BEGIN CERTIFICATE-----")) {
        taulu_json_fail(why, &p, "mqtt.ca_pem", rc, "not a PEM certificate");
    } else {
        rc = 0;
    }
    if (rc == 0 && pem) {
        out->mqtt_ca_pem = strdup(pem);
        if (!out->mqtt_ca_pem) {
            rc = TAULU_ENOMEM;
        }
    }
out:
    cJSON_Delete(root);
    if (rc < 0) {
        player_enrolment_release(out);
    }
    return rc;
}

int player_enrolment_write(const char *state_dir,
                           const struct player_enrolment *e,
                           struct taulu_buf *why)
{
    char path[1024], pk_path[1024], ca_path[1024], at[TAULU_ISO_LEN];
    struct taulu_buf conf;
    int rc;

    rc = taulu_mkdir_p(state_dir, 0750);
    if (rc < 0) {
        taulu_buf_appendf(why, "%s: cannot create the folder", state_dir);
        return rc;
    }
    snprintf(pk_path, sizeof pk_path, "%s/server.pub", state_dir);
    snprintf(ca_path, sizeof ca_path, "%s/mqtt-ca.pem", state_dir);
    snprintf(path, sizeof path, "%s/enrolment.conf", state_dir);
    if (!conf_safe(pk_path) || !conf_safe(ca_path)) {
        taulu_buf_appendf(why, "%s: a path with spaces or quotes", state_dir);
        return TAULU_EVALUE;
    }
    taulu_buf_init(&conf, 8192);
    rc = taulu_buf_appendf(&conf, "%s\n", e->server_public_key);
    if (rc == 0) {
        rc = taulu_file_write_atomic(pk_path, conf.data, conf.len, 0600);
    }
    if (rc == 0 && e->mqtt_ca_pem) {
        rc = taulu_file_write_atomic(ca_path, e->mqtt_ca_pem,
                                     strlen(e->mqtt_ca_pem), 0600);
    }
    taulu_time_format_iso(taulu_now(), at);
    taulu_buf_reset(&conf);
    if (rc == 0) {
        rc = taulu_buf_appendf(
            &conf,
            "# Written by infotaulu-player when it was enrolled, %s.\n"
            "# It holds this screen's token: keep it private (0600). To "
            "enrol again,\n# delete this file and restart the player.\n"
            "server_url = %s\n"
            "screen_id = %s\n"
            "screen_token = %s\n"
            "server_pk_file = %s\n"
            "mqtt_host = %s\n"
            "mqtt_port = %lld\n"
            "mqtt_prefix = %s\n"
            "mqtt_tls = %s\n",
            at, e->server_url, e->screen_id, e->token, pk_path,
            e->mqtt_host[0] ? e->mqtt_host : "\"\"", e->mqtt_port,
            e->mqtt_prefix, e->mqtt_tls ? "true" : "false");
    }
    if (rc == 0 && e->mqtt_ca_pem) {
        rc = taulu_buf_appendf(&conf, "mqtt_ca_file = %s\n", ca_path);
    }
    /* Last: the settings file is what makes the player enrolled. */
    if (rc == 0) {
        rc = taulu_file_write_atomic(path, conf.data, conf.len, 0600);
    }
    if (rc < 0) {
        taulu_buf_appendf(why, "cannot write the enrolment in %s: %s",
                          state_dir, taulu_strerror(rc));
    }
    taulu_wipe(conf.data, conf.cap);
    taulu_buf_release(&conf);
    return rc;
}

/* ------------------------------------------------------------------ */
/* The exchange */

struct player_enrol {
    char *server_url, *ca_file, *state_dir;
    int retry_max_ms;
    player_enrol_notify_fn notify;
    void *ctx;
    pthread_t thread;
    bool started;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool stopping;
    atomic_bool abort;
};

static void emit(struct player_enrol *e, enum player_enrol_event_kind kind,
                 const char *code, int64_t expires, const char *screen,
                 const char *msg)
{
    struct player_enrol_event ev;

    memset(&ev, 0, sizeof ev);
    ev.kind = kind;
    snprintf(ev.code, sizeof ev.code, "%s", code ? code : "");
    ev.expires_at = expires;
    snprintf(ev.screen_id, sizeof ev.screen_id, "%s", screen ? screen : "");
    snprintf(ev.message, sizeof ev.message, "%s", msg ? msg : "");
    if (e->notify) {
        e->notify(e->ctx, &ev);
    }
}

/* Sleeps ms unless stopped. true: go on. */
static bool nap(struct player_enrol *e, int64_t ms)
{
    struct timespec ts;
    bool go;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    ts.tv_sec += (time_t)(ms / 1000);
    ts.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&e->mu);
    while (!e->stopping) {
        if (pthread_cond_timedwait(&e->cv, &e->mu, &ts) != 0) {
            break;
        }
    }
    go = !e->stopping;
    pthread_mutex_unlock(&e->mu);
    return go;
}

struct session {
    char secret[65];
    char id[64];
    char code[PLAYER_ENROL_CODE_MAX];
    int64_t expires_at;
    int poll_ms;
};

/* Opens a session: a new secret, its hash to the server. 0 or a code
 * (the reason in msg). */
static int open_session(struct player_enrol *e, struct player_fetch *f,
                        struct session *s, char *msg, size_t msize)
{
    static const struct taulu_json_limits lim = {4096, 1, 16, 32};
    struct player_fetch_result res;
    struct taulu_buf body, req;
    uint8_t raw[32], hash[32];
    char key[65], url[URL_MAX];
    const char *v = NULL;
    cJSON *root = NULL;
    int64_t poll_s = 2;
    int rc;

    taulu_random_bytes(raw, sizeof raw);
    taulu_hex_encode(raw, sizeof raw, s->secret, sizeof s->secret);
    taulu_wipe(raw, sizeof raw);
    /* the server keeps sha256 of the secret as text, as of its tokens */
    taulu_sha256(s->secret, strlen(s->secret), hash);
    taulu_hex_encode(hash, sizeof hash, key, sizeof key);
    taulu_buf_init(&body, 4096);
    taulu_buf_init(&req, 256);
    taulu_buf_appendf(&req, "{\"key\":\"%s\"}", key);
    snprintf(url, sizeof url, "%s/api/v1/enrol", e->server_url);
    rc = player_fetch_send(f, "POST", url, "application/json", req.data,
                           req.len, &body, &res);
    if (rc < 0) {
        snprintf(msg, msize, "cannot reach %s: %s", e->server_url, res.error);
        goto out;
    }
    if (res.http_status != 201) {
        snprintf(msg, msize, "the server answered HTTP %ld to the enrolment",
                 res.http_status);
        rc = TAULU_EUNAVAIL;
        goto out;
    }
    rc = taulu_json_parse(body.data, body.len, &lim, &root, NULL);
    if (rc == 0) {
        rc = taulu_json_get_string(root, "session", true, 16, 63, "", &v, NULL,
                                   NULL);
    }
    if (rc == 0 && strspn(v, "0123456789abcdef") == strlen(v)) {
        memcpy(s->id, v, strlen(v) + 1);
        rc = taulu_json_get_string(root, "code", true, 4, 15, "", &v, NULL,
                                   NULL);
    } else if (rc == 0) {
        rc = TAULU_EVALUE;
    }
    if (rc == 0) {
        memcpy(s->code, v, strlen(v) + 1);
        rc = taulu_json_get_string(root, "expires_at", true, 1, 40, "", &v,
                                   NULL, NULL);
    }
    if (rc == 0) {
        rc = taulu_time_parse_iso(v, &s->expires_at);
    }
    if (rc == 0) {
        rc = taulu_json_get_int(root, "poll_s", false, 1, 60, &poll_s, NULL,
                                NULL);
        rc = rc > 0 ? 0 : rc;
    }
    if (rc < 0) {
        snprintf(msg, msize, "the server's enrolment answer is not valid");
    }
    s->poll_ms = (int)poll_s * 1000;
out:
    cJSON_Delete(root);
    taulu_buf_release(&body);
    taulu_buf_release(&req);
    return rc;
}

static void *enrol_main(void *arg)
{
    struct player_enrol *e = arg;
    struct player_fetch_opts fo;
    struct player_fetch *open_f = NULL, *poll_f = NULL;
    struct session s;
    unsigned attempt = 0;
    char msg[200], url[URL_MAX];

    memset(&fo, 0, sizeof fo);
    fo.token = ""; /* the first request carries no credentials */
    fo.ca_file = e->ca_file;
    fo.abort = &e->abort;
    fo.connect_timeout_s = 10;
    fo.total_timeout_s = 30;
    if (player_fetch_new(&fo, &open_f) < 0) {
        emit(e, PLAYER_ENROL_ERROR, NULL, 0, NULL, "libcurl is not available");
        return NULL;
    }
    for (;;) {
        int64_t delay;

        memset(&s, 0, sizeof s);
        if (open_session(e, open_f, &s, msg, sizeof msg) < 0) {
            attempt++;
            delay = player_backoff_ms(attempt, 1000, (uint32_t)e->retry_max_ms,
                                      taulu_random_uniform(UINT32_MAX));
            taulu_warn(TAG, "%s; again in %lld ms", msg, (long long)delay);
            emit(e, PLAYER_ENROL_ERROR, NULL, 0, NULL, msg);
            if (!nap(e, delay)) {
                break;
            }
            continue;
        }
        attempt = 0;
        /* The code is on the screen for people anyway: the log may say it
         * (an administrator at the PC reads it there). */
        taulu_notice(TAG,
                     "enrolment code %s (type it on the screens page of "
                     "the web UI; valid for 15 minutes)",
                     s.code);
        emit(e, PLAYER_ENROL_CODE, s.code, s.expires_at, NULL, NULL);
        fo.token = s.secret;
        player_fetch_free(poll_f);
        poll_f = NULL;
        if (player_fetch_new(&fo, &poll_f) < 0) {
            break;
        }
        snprintf(url, sizeof url, "%s/api/v1/enrol/%s", e->server_url, s.id);
        while (nap(e, s.poll_ms)) {
            struct player_fetch_result res;
            struct player_enrolment got;
            struct taulu_buf body, why;
            int rc;

            taulu_buf_init(&body, ANSWER_MAX);
            taulu_buf_init(&why, 512);
            rc = player_fetch_get(poll_f, url, NULL, &body, &res);
            if (rc == 0 && res.http_status == 200 &&
                !strstr(body.data ? body.data : "", "\"pending\"")) {
                rc = player_enrolment_parse(body.data, body.len, &got, &why);
                if (rc == 0) {
                    rc = player_enrolment_write(e->state_dir, &got, &why);
                }
                if (rc == 0) {
                    taulu_notice(TAG,
                                 "enrolled as %s \"%s\" (%dx%d %s, %.0f\", "
                                 "%.1f m); broker %s:%lld%s",
                                 got.screen_id, got.name, got.width_px,
                                 got.height_px, got.orientation,
                                 got.diagonal_in, got.viewing_distance_m,
                                 got.mqtt_host[0] ? got.mqtt_host : "(none)",
                                 got.mqtt_port,
                                 got.mqtt_tls ? " over TLS" : "");
                    emit(e, PLAYER_ENROL_DONE, NULL, 0, got.screen_id,
                         got.name);
                    player_enrolment_release(&got);
                    taulu_wipe(body.data, body.cap);
                    taulu_buf_release(&body);
                    taulu_buf_release(&why);
                    taulu_wipe(&s, sizeof s);
                    goto done;
                }
                taulu_err(TAG, "the enrolment answer was refused: %s",
                          why.data);
                emit(e, PLAYER_ENROL_ERROR, NULL, 0, NULL,
                     "the enrolment answer was refused");
            }
            taulu_wipe(body.data, body.cap);
            taulu_buf_release(&body);
            taulu_buf_release(&why);
            if (rc == 0 && res.http_status == 404) {
                taulu_info(TAG, "the code %s expired; a new one", s.code);
                break; /* expired or lost (server restart): a new session */
            }
            if (rc == 0 && res.http_status == 200) {
                continue; /* pending (or refused above: a new one) */
            }
            if (rc < 0) {
                taulu_warn(TAG, "poll failed: %s", res.error);
            }
            if (taulu_now() >= s.expires_at) {
                break;
            }
        }
        taulu_wipe(&s, sizeof s);
        pthread_mutex_lock(&e->mu);
        if (e->stopping) {
            pthread_mutex_unlock(&e->mu);
            break;
        }
        pthread_mutex_unlock(&e->mu);
    }
done:
    player_fetch_free(open_f);
    player_fetch_free(poll_f);
    return NULL;
}

int player_enrol_start(const struct player_enrol_config *cfg,
                       player_enrol_notify_fn notify, void *ctx,
                       struct player_enrol **out)
{
    struct player_enrol *e;
    pthread_condattr_t ca;

    *out = NULL;
    if (!cfg->server_url || !cfg->server_url[0] || !cfg->state_dir ||
        !cfg->state_dir[0]) {
        return TAULU_EINVAL;
    }
    if (player_fetch_global_init() < 0) {
        return TAULU_EUNAVAIL;
    }
    e = calloc(1, sizeof *e);
    if (!e) {
        return TAULU_ENOMEM;
    }
    pthread_mutex_init(&e->mu, NULL);
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&e->cv, &ca);
    pthread_condattr_destroy(&ca);
    atomic_init(&e->abort, false);
    e->server_url = strdup(cfg->server_url);
    e->ca_file = cfg->ca_file && cfg->ca_file[0] ? strdup(cfg->ca_file) : NULL;
    e->state_dir = strdup(cfg->state_dir);
    e->retry_max_ms = cfg->retry_max_ms > 0 ? cfg->retry_max_ms : 60000;
    e->notify = notify;
    e->ctx = ctx;
    if (!e->server_url || !e->state_dir ||
        (cfg->ca_file && cfg->ca_file[0] && !e->ca_file)) {
        player_enrol_stop(e);
        return TAULU_ENOMEM;
    }
    if (pthread_create(&e->thread, NULL, enrol_main, e) != 0) {
        player_enrol_stop(e);
        return TAULU_EUNAVAIL;
    }
    e->started = true;
    taulu_info(TAG, "not set up: enrolling at %s", e->server_url);
    *out = e;
    return 0;
}

void player_enrol_stop(struct player_enrol *e)
{
    if (!e) {
        return;
    }
    pthread_mutex_lock(&e->mu);
    e->stopping = true;
    atomic_store(&e->abort, true);
    pthread_cond_broadcast(&e->cv);
    pthread_mutex_unlock(&e->mu);
    if (e->started) {
        pthread_join(e->thread, NULL);
    }
    free(e->server_url);
    free(e->ca_file);
    free(e->state_dir);
    pthread_cond_destroy(&e->cv);
    pthread_mutex_destroy(&e->mu);
    free(e);
}
