/*
 * srv_mailer.c: the mailer's thread (see srv_mailer.h).
 */
#include "srv_mailer.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "srv_mail_msg.h"
#include "srv_mail_text.h"
#include "srv_smtp.h"
#include "taulu_crypto.h"
#include "taulu_err.h"
#include "taulu_log.h"
#include "taulu_time.h"

#define TAG         "mail"
#define BATCH       20
#define MAX_SLEEP   60   /* seconds: look again at least this often */
#define MAX_RETRY   3600 /* seconds between tries at most */
#define KEEP_DONE   (30 * 86400)
#define PURGE_EVERY 3600
#define SECRET_HEX  64

struct srv_mailer {
    struct srv_store *st;
    struct srv_smtp smtp;
    char from_addr[SRV_MAIL_ADDR_MAX + 1];
    char from_name[128];
    char domain[SRV_MAIL_ADDR_MAX + 1];
    char base_url[256];
    int64_t max_attempts, retry, delay, interval, invite_ttl, reset_ttl;

    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool stop, kicked;
    int64_t last_purge;

    atomic_uint_fast64_t sent, failed, retried, dropped;
};

int64_t srv_mailer_backoff(int64_t retry, int64_t attempt)
{
    int64_t d = retry < 1 ? 1 : retry;

    while (--attempt > 0 && d < MAX_RETRY) {
        d *= 2;
    }
    return d < MAX_RETRY ? d : MAX_RETRY;
}

static int copy(char *dst, size_t size, const char *src)
{
    size_t n = strlen(src ? src : "");

    if (n >= size) {
        return -1;
    }
    memcpy(dst, src ? src : "", n + 1);
    return 0;
}

/* ------------------------------------------------------------------ */
/* One message */

/* What became of one message. */
static void finish(struct srv_mailer *m, const struct srv_mail *mail,
                   const char *state, const char *why)
{
    int rc = srv_store_mail_done(m->st, mail->id, state, taulu_now(), why);

    if (rc) {
        taulu_err(TAG, "cannot mark message %lld %s: %s", (long long)mail->id,
                  state, taulu_strerror(rc));
        return;
    }
    if (strcmp(state, "sent") == 0) {
        atomic_fetch_add(&m->sent, 1);
        taulu_info(TAG, "message %lld (%s) sent", (long long)mail->id,
                   mail->kind);
    } else if (strcmp(state, "failed") == 0) {
        atomic_fetch_add(&m->failed, 1);
        taulu_warn(TAG, "message %lld (%s) failed for good: %s",
                   (long long)mail->id, mail->kind, why ? why : "");
    } else {
        atomic_fetch_add(&m->dropped, 1);
        taulu_info(TAG, "message %lld (%s) not sent: %s", (long long)mail->id,
                   mail->kind, why ? why : "");
    }
}

/* A temporary failure: later, or failed when the tries are used up. */
static void again(struct srv_mailer *m, const struct srv_mail *mail,
                  const char *why)
{
    int64_t attempt = mail->attempts + 1;
    int rc;

    if (attempt >= m->max_attempts) {
        finish(m, mail, "failed", why);
        return;
    }
    rc = srv_store_mail_retry(
        m->st, mail->id, taulu_now() + srv_mailer_backoff(m->retry, attempt),
        why);
    if (rc) {
        taulu_err(TAG, "cannot reschedule message %lld: %s",
                  (long long)mail->id, taulu_strerror(rc));
        return;
    }
    atomic_fetch_add(&m->retried, 1);
    taulu_notice(TAG, "message %lld (%s) not sent yet (try %lld): %s",
                 (long long)mail->id, mail->kind, (long long)attempt, why);
}

static const char *param_str(const cJSON *p, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(p, name);

    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* A set-password link: a new secret, its hash stored for this message.
 * `link` gets base/password.html#t=<secret>. */
static int make_link(struct srv_mailer *m, const struct srv_mail *mail,
                     int64_t user_id, int64_t expires, char *link, size_t size)
{
    uint8_t raw[32], hash[32];
    char secret[SECRET_HEX + 1];
    int rc, n;

    taulu_random_bytes(raw, sizeof(raw));
    taulu_hex_encode(raw, sizeof(raw), secret, sizeof(secret));
    taulu_wipe(raw, sizeof(raw));
    /* The same hash the API computes of a presented secret. */
    taulu_sha256(secret, SECRET_HEX, hash);
    rc =
        srv_store_link_put(m->st, mail->id, user_id, mail->kind, hash, expires);
    n = snprintf(link, size, "%s/password.html#t=%s", m->base_url, secret);
    taulu_wipe(secret, sizeof(secret));
    if (!rc && (n < 0 || (size_t)n >= size)) {
        rc = TAULU_ELIMIT;
    }
    return rc;
}

/* The text of `mail` for `u` into subject and body. 0, or a reason not
 * to send in *drop (and 0), or an error code. */
static int compose(struct srv_mailer *m, const struct srv_mail *mail,
                   const struct srv_user *u, const cJSON *params,
                   struct srv_pool *p, struct taulu_buf *subject,
                   struct taulu_buf *body, char *link, size_t link_size,
                   const char **drop)
{
    struct srv_mail_ctx ctx = {u->lang, u->name, u->email, m->base_url};
    const char *by = param_str(params, "by");
    int64_t now = taulu_now();
    int rc;

    if (!by) {
        by = "";
    }
    if (strcmp(mail->kind, "invite") == 0 || strcmp(mail->kind, "reset") == 0) {
        bool invite = mail->kind[0] == 'i';
        int64_t expires = now + (invite ? m->invite_ttl : m->reset_ttl);
        if (invite && u->password_set) {
            *drop = "the account has a password already";
            return 0;
        }
        rc = make_link(m, mail, u->id, expires, link, link_size);
        if (rc) {
            return rc;
        }
        return invite ? srv_mail_text_invite(&ctx, by, link, expires, subject,
                                             body)
                      : srv_mail_text_reset(&ctx, by, link, expires, subject,
                                            body);
    }
    if (!u->notify) {
        *drop = "notifications are off";
        return 0;
    }
    if (strcmp(mail->kind, "waiting") == 0) {
        struct srv_waiting *w;
        size_t n;
        int64_t total;
        rc = srv_store_mail_waiting(m->st, p, u->id, SRV_MAIL_WAITING_LIST, &w,
                                    &n, &total);
        if (!rc && total == 0) {
            *drop = "nothing waits any more";
            return 0;
        }
        return rc ? rc
                  : srv_mail_text_waiting(&ctx, w, n, total, m->interval,
                                          subject, body);
    }
    if (strcmp(mail->kind, "decision") == 0) {
        const cJSON *pid =
            cJSON_GetObjectItemCaseSensitive(params, "placement_id");
        const char *state = param_str(params, "state");
        struct srv_decision d;
        if (!cJSON_IsNumber(pid) || !state) {
            *drop = "a decision message without its decision";
            return 0;
        }
        rc = srv_store_mail_decision(m->st, p, (int64_t)pid->valuedouble, &d);
        if (rc == TAULU_ENOTFOUND) {
            *drop = "the placement is gone";
            return 0;
        }
        return rc ? rc
                  : srv_mail_text_decision(&ctx, state,
                                           param_str(params, "reason"), &d,
                                           subject, body);
    }
    *drop = "unknown kind";
    return 0;
}

static void process(struct srv_mailer *m, const struct srv_mail *mail,
                    struct srv_pool *p)
{
    struct srv_user u;
    struct taulu_buf subject, body, msg;
    struct srv_mail_msg out;
    const char *pwhash = NULL, *drop = NULL;
    char link[512], msgid[320], err[512];
    cJSON *params = NULL;
    int rc;

    taulu_buf_init(&subject, 4096);
    taulu_buf_init(&body, 64 * 1024);
    taulu_buf_init(&msg, 256 * 1024);
    link[0] = '\0';
    rc = mail->user_id ? srv_store_user_get(m->st, p, mail->user_id, &u)
         : mail->to_addr
             ? srv_store_user_by_email(m->st, p, mail->to_addr, &u, &pwhash)
             : TAULU_ENOTFOUND;
    if (rc == TAULU_ENOTFOUND) {
        /* An address that is no account's: nobody is told anything. */
        finish(m, mail, "dropped", "no such account");
        goto out;
    }
    if (rc) {
        again(m, mail, "the database did not answer");
        goto out;
    }
    if (u.disabled) {
        finish(m, mail, "dropped", "the account is disabled");
        goto out;
    }
    if (!srv_mail_addr_ok(u.email)) {
        finish(m, mail, "failed", "the account's address cannot be used");
        goto out;
    }
    params = cJSON_Parse(mail->params ? mail->params : "{}");
    rc = compose(m, mail, &u, params, p, &subject, &body, link, sizeof(link),
                 &drop);
    if (rc) {
        again(m, mail, taulu_strerror(rc));
        goto out;
    }
    if (drop) {
        finish(m, mail, "dropped", drop);
        goto out;
    }
    snprintf(msgid, sizeof(msgid), "%s@%s", mail->message_id, m->domain);
    memset(&out, 0, sizeof(out));
    out.from_addr = m->from_addr;
    out.from_name = m->from_name;
    out.to_addr = u.email;
    out.to_name = u.name;
    out.subject = subject.data;
    out.body = body.data;
    out.lang = u.lang;
    out.date = taulu_now();
    out.message_id = msgid;
    out.auto_generated = true;
    rc = srv_mail_format(&out, &msg);
    if (rc) {
        finish(m, mail, "failed", "the message could not be written");
        goto out;
    }
    rc = srv_smtp_send(&m->smtp, m->from_addr, u.email, msg.data, msg.len, err,
                       sizeof(err));
    if (rc == 0) {
        finish(m, mail, "sent", NULL);
    } else if (rc == TAULU_EVALUE) {
        finish(m, mail, "failed", err);
    } else {
        again(m, mail, err);
    }
out:
    /* The link's secret was in these. */
    taulu_wipe(link, sizeof(link));
    if (body.data) {
        taulu_wipe(body.data, body.len);
    }
    if (msg.data) {
        taulu_wipe(msg.data, msg.len);
    }
    taulu_buf_release(&subject);
    taulu_buf_release(&body);
    taulu_buf_release(&msg);
    cJSON_Delete(params);
}

/* ------------------------------------------------------------------ */
/* The thread */

/* One round: digests, then the messages due. Returns how many messages
 * it handled. */
static size_t round_once(struct srv_mailer *m)
{
    struct srv_pool pool;
    struct srv_mail *due;
    size_t n = 0, i;
    int64_t now = taulu_now();
    int rc;

    rc = srv_store_mail_digests(m->st, now, m->delay, m->interval);
    if (rc > 0) {
        taulu_info(TAG, "%d waiting-item messages queued", rc);
    }
    if (now - m->last_purge >= PURGE_EVERY) {
        m->last_purge = now;
        rc = srv_store_mail_purge(m->st, now - KEEP_DONE);
        if (rc > 0) {
            taulu_info(TAG, "%d old messages forgotten", rc);
        }
    }
    srv_pool_init(&pool);
    if (srv_store_mail_due(m->st, &pool, now, BATCH, &due, &n) == 0) {
        for (i = 0; i < n; i++) {
            bool stop;
            pthread_mutex_lock(&m->mu);
            stop = m->stop;
            pthread_mutex_unlock(&m->mu);
            if (stop) {
                break;
            }
            process(m, &due[i], &pool);
        }
    }
    srv_pool_release(&pool);
    return n;
}

static void *run(void *arg)
{
    struct srv_mailer *m = arg;

    pthread_mutex_lock(&m->mu);
    while (!m->stop) {
        int64_t next = 0, now, wait, cap;
        struct timespec ts;
        size_t n;

        m->kicked = false;
        pthread_mutex_unlock(&m->mu);
        n = round_once(m);
        srv_store_mail_next(m->st, m->delay, m->interval, &next);
        now = taulu_now();
        pthread_mutex_lock(&m->mu);
        if (m->stop || m->kicked || n == BATCH) {
            continue;
        }
        /* At least a second, so that a message the store keeps
         * answering as due (a broken row) cannot spin the thread. */
        /* New submissions wake nobody (only queued mail does), so look
         * again within notify_delay, whatever else is due. */
        cap = m->delay < 1 ? 1 : m->delay > MAX_SLEEP ? MAX_SLEEP : m->delay;
        wait = next ? next - now : cap;
        wait = wait < 1 ? 1 : wait > cap ? cap : wait;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        ts.tv_sec += (time_t)wait;
        while (!m->stop && !m->kicked) {
            if (pthread_cond_timedwait(&m->cv, &m->mu, &ts) == ETIMEDOUT) {
                break;
            }
        }
    }
    pthread_mutex_unlock(&m->mu);
    return NULL;
}

void srv_mailer_kick(struct srv_mailer *m)
{
    if (!m) {
        return;
    }
    pthread_mutex_lock(&m->mu);
    m->kicked = true;
    pthread_cond_signal(&m->cv);
    pthread_mutex_unlock(&m->mu);
}

static void hook(void *arg)
{
    srv_mailer_kick(arg);
}

int srv_mailer_start(const struct srv_mailer_options *o, struct srv_store *st,
                     struct srv_mailer **out)
{
    struct srv_mailer *m;
    pthread_condattr_t ca;
    char err[300];
    const char *at;
    int rc;

    *out = NULL;
    if (!o->smtp_url || !o->smtp_url[0]) {
        taulu_notice(TAG, "no smtp_url: e-mail is off; invitations, resets "
                          "and notifications wait in the queue");
        return 0;
    }
    if (!srv_mail_addr_ok(o->from_addr)) {
        taulu_err(TAG, "mail_from: \"%s\" is not an address to send from",
                  o->from_addr ? o->from_addr : "");
        return TAULU_ECONFIG;
    }
    if (!o->base_url || strncmp(o->base_url, "http", 4) != 0) {
        taulu_err(TAG, "public_url is needed for the links in e-mail "
                       "(https://infotaulu.example.fi)");
        return TAULU_ECONFIG;
    }
    m = calloc(1, sizeof(*m));
    if (!m) {
        return TAULU_ENOMEM;
    }
    at = strchr(o->from_addr, '@');
    if (copy(m->from_addr, sizeof(m->from_addr), o->from_addr) ||
        copy(m->from_name, sizeof(m->from_name), o->from_name) ||
        copy(m->domain, sizeof(m->domain), at + 1) ||
        copy(m->base_url, sizeof(m->base_url), o->base_url)) {
        taulu_err(TAG, "mail_from_name or public_url is too long");
        free(m);
        return TAULU_ECONFIG;
    }
    /* Links are base + "/password.html": no trailing slash. */
    while (m->base_url[0] && m->base_url[strlen(m->base_url) - 1] == '/') {
        m->base_url[strlen(m->base_url) - 1] = '\0';
    }
    rc = srv_smtp_init(&m->smtp, o->smtp_url, o->smtp_tls, o->smtp_cafile,
                       o->smtp_credentials, m->domain, err, sizeof(err));
    if (rc) {
        taulu_err(TAG, "%s", err);
        free(m);
        return rc;
    }
    if (srv_smtp_global_init() != 0) {
        taulu_err(TAG, "cannot initialise libcurl");
        srv_smtp_release(&m->smtp);
        free(m);
        return TAULU_EUNAVAIL;
    }
    m->st = st;
    m->max_attempts = o->max_attempts > 0 ? o->max_attempts : 1;
    m->retry = o->retry;
    m->delay = o->notify_delay;
    m->interval = o->notify_interval;
    m->invite_ttl = o->invite_ttl;
    m->reset_ttl = o->reset_ttl;
    atomic_init(&m->sent, 0);
    atomic_init(&m->failed, 0);
    atomic_init(&m->retried, 0);
    atomic_init(&m->dropped, 0);
    pthread_mutex_init(&m->mu, NULL);
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&m->cv, &ca);
    pthread_condattr_destroy(&ca);
    srv_store_mail_hook(st, hook, m);
    if (pthread_create(&m->thread, NULL, run, m) != 0) {
        srv_store_mail_hook(st, NULL, NULL);
        srv_smtp_release(&m->smtp);
        pthread_mutex_destroy(&m->mu);
        pthread_cond_destroy(&m->cv);
        free(m);
        return TAULU_ENOMEM;
    }
    taulu_info(TAG, "e-mail through %s (TLS: %s) from %s", o->smtp_url,
               o->smtp_tls, m->from_addr);
    *out = m;
    return 0;
}

void srv_mailer_stop(struct srv_mailer *m)
{
    if (!m) {
        return;
    }
    srv_store_mail_hook(m->st, NULL, NULL);
    pthread_mutex_lock(&m->mu);
    m->stop = true;
    pthread_cond_signal(&m->cv);
    pthread_mutex_unlock(&m->mu);
    pthread_join(m->thread, NULL);
    srv_smtp_release(&m->smtp);
    pthread_mutex_destroy(&m->mu);
    pthread_cond_destroy(&m->cv);
    free(m);
}

int srv_mailer_metrics(struct srv_mailer *m, struct srv_store *st,
                       struct taulu_buf *out)
{
    int64_t queued = 0, sent = 0, failed = 0;
    int rc;

    srv_store_mail_counts(st, &queued, &sent, &failed);
    rc = taulu_buf_appendf(
        out,
        "# HELP infotaulu_mail_queued Messages waiting to be sent.\n"
        "# TYPE infotaulu_mail_queued gauge\n"
        "infotaulu_mail_queued %lld\n"
        "# HELP infotaulu_mail_sent_total Messages the SMTP server accepted "
        "since start.\n"
        "# TYPE infotaulu_mail_sent_total counter\n"
        "infotaulu_mail_sent_total %llu\n"
        "# HELP infotaulu_mail_failed_total Messages given up since start.\n"
        "# TYPE infotaulu_mail_failed_total counter\n"
        "infotaulu_mail_failed_total %llu\n"
        "# HELP infotaulu_mail_retries_total Tries that failed for now "
        "since start.\n"
        "# TYPE infotaulu_mail_retries_total counter\n"
        "infotaulu_mail_retries_total %llu\n",
        (long long)queued, m ? (unsigned long long)atomic_load(&m->sent) : 0ULL,
        m ? (unsigned long long)atomic_load(&m->failed) : 0ULL,
        m ? (unsigned long long)atomic_load(&m->retried) : 0ULL);
    return rc < 0 ? rc : 0;
}
