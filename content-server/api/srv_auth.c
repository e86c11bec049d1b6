/*
 * srv_auth.c: password hashing, secrets and the login rate limiter (see
 * srv_auth.h for the choices and their reasons).
 */
#include "srv_auth.h"
#include "srv_store.h"

#include <pthread.h>
#include <semaphore.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taulu_crypto.h"
#include "taulu_err.h"
#include "taulu_log.h"
#include "taulu_time.h"
#include "taulu_utf8.h"

#define TAG "auth"

static sem_t hash_slots;
static char dummy_hash[crypto_pwhash_STRBYTES];
static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static int init_rc = TAULU_ECRYPTO;

_Static_assert(SRV_PWHASH_STRLEN >= crypto_pwhash_STRBYTES,
               "SRV_PWHASH_STRLEN too small");

static void do_init(void)
{
    char pw[33];

    if (taulu_crypto_init() != 0) {
        return;
    }
    if (sem_init(&hash_slots, 0, SRV_PWHASH_PARALLEL) != 0) {
        return;
    }
    srv_auth_new_password(pw, sizeof(pw));
    if (crypto_pwhash_str(dummy_hash, pw, strlen(pw), SRV_PWHASH_OPS,
                          SRV_PWHASH_MEM) != 0) {
        taulu_err(TAG, "argon2id failed (out of memory?)");
        return;
    }
    taulu_wipe(pw, sizeof(pw));
    init_rc = 0;
}

int srv_auth_init(void)
{
    pthread_once(&init_once, do_init);
    return init_rc;
}

bool srv_auth_password_ok(const char *pw)
{
    size_t n;

    if (!pw) {
        return false;
    }
    n = strlen(pw);
    return n >= SRV_PASSWORD_MIN && n <= SRV_PASSWORD_MAX &&
           taulu_utf8_valid(pw, n) && !taulu_utf8_has_controls(pw, n, "");
}

int srv_auth_hash_password(const char *pw, char out[SRV_PWHASH_STRLEN])
{
    int rc;

    if (!srv_auth_password_ok(pw)) {
        return TAULU_EVALUE;
    }
    while (sem_wait(&hash_slots) != 0) {
    }
    rc = crypto_pwhash_str(out, pw, strlen(pw), SRV_PWHASH_OPS, SRV_PWHASH_MEM);
    sem_post(&hash_slots);
    return rc == 0 ? 0 : TAULU_ENOMEM;
}

int srv_auth_verify_password(const char *hash, const char *pw,
                             bool *needs_rehash)
{
    int ok;
    size_t n = pw ? strlen(pw) : 0;

    if (needs_rehash) {
        *needs_rehash = false;
    }
    if (!pw || n > SRV_PASSWORD_MAX) {
        /* Still spend the time, so the length does not tell anything. */
        pw = "";
        n = 0;
        hash = NULL;
    }
    while (sem_wait(&hash_slots) != 0) {
    }
    ok = crypto_pwhash_str_verify(hash ? hash : dummy_hash, pw, n) == 0;
    sem_post(&hash_slots);
    if (!hash) {
        return TAULU_EVALUE;
    }
    if (ok && needs_rehash) {
        *needs_rehash = crypto_pwhash_str_needs_rehash(hash, SRV_PWHASH_OPS,
                                                       SRV_PWHASH_MEM) != 0;
    }
    return ok ? 0 : TAULU_EVALUE;
}

void srv_auth_new_secret(const char *prefix, char *out, size_t out_size,
                         uint8_t hash[32])
{
    uint8_t raw[32];
    size_t plen = strlen(prefix);

    if (out_size < plen + SRV_SECRET_HEX + 1) {
        abort(); /* a programming error, not input */
    }
    memcpy(out, prefix, plen);
    taulu_random_bytes(raw, sizeof(raw));
    taulu_hex_encode(raw, sizeof(raw), out + plen, out_size - plen);
    taulu_wipe(raw, sizeof(raw));
    taulu_sha256(out, strlen(out), hash);
}

void srv_auth_secret_hash(const char *secret, uint8_t hash[32])
{
    taulu_sha256(secret, strlen(secret), hash);
}

void srv_auth_new_password(char *out, size_t out_size)
{
    /* No 0/O, 1/l/I: a person may have to type it once. */
    static const char alphabet[] =
        "23456789abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ";
    size_t i, n = out_size - 1 < 24 ? out_size - 1 : 24;

    for (i = 0; i < n; i++) {
        out[i] = alphabet[taulu_random_uniform(sizeof(alphabet) - 1)];
    }
    out[n] = '\0';
}

/* ------------------------------------------------------------------ */
/* Rate limiting */

#define RL_SLOTS   2048
#define RL_FORGET  (15 * 60)
#define RL_MAXWAIT (15 * 60)
/* The first lock-out: long enough that guessing stays slow, and that a
 * slow password hash cannot outlast it before the next attempt arrives. */
#define RL_FIRSTWAIT 30

struct rl_entry {
    uint8_t key[32]; /* sha256 of the key: no e-mail addresses in RAM
                        longer than needed, fixed size */
    bool used;
    unsigned failures;
    int64_t last;
    int64_t until;
};

struct srv_ratelimit {
    pthread_mutex_t mu;
    unsigned max;
    /* shared (srv_ratelimit_share): the records live in the database */
    struct srv_store *store;
    char scope[32];
    struct rl_entry e[RL_SLOTS];
};

struct srv_ratelimit *srv_ratelimit_new(unsigned max_failures)
{
    struct srv_ratelimit *rl = calloc(1, sizeof(*rl));

    if (!rl) {
        return NULL;
    }
    pthread_mutex_init(&rl->mu, NULL);
    rl->max = max_failures ? max_failures : 1;
    return rl;
}

void srv_ratelimit_share(struct srv_ratelimit *rl, struct srv_store *st,
                         const char *scope)
{
    pthread_mutex_lock(&rl->mu);
    rl->store = st;
    snprintf(rl->scope, sizeof rl->scope, "%s", scope);
    pthread_mutex_unlock(&rl->mu);
}

void srv_ratelimit_free(struct srv_ratelimit *rl)
{
    if (!rl) {
        return;
    }
    pthread_mutex_destroy(&rl->mu);
    free(rl);
}

void srv_ratelimit_set_max(struct srv_ratelimit *rl, unsigned max_failures)
{
    pthread_mutex_lock(&rl->mu);
    rl->max = max_failures ? max_failures : 1;
    pthread_mutex_unlock(&rl->mu);
}

/* The steps, the same in memory and in the database. */

/* Counts an attempt unless locked out: 0, or the seconds to wait. */
static int64_t step_begin(int64_t *failures, int64_t *last, int64_t *until,
                          unsigned max, int64_t now)
{
    if (*until > now) {
        return *until - now;
    }
    (*failures)++;
    *last = now;
    if (*failures >= (int64_t)max) {
        int64_t shift = *failures - (int64_t)max;
        int64_t w = shift >= 10 ? RL_MAXWAIT : (int64_t)RL_FIRSTWAIT << shift;
        *until = now + (w > RL_MAXWAIT ? RL_MAXWAIT : w);
    }
    return 0;
}

/* Takes one attempt back; below the limit the lock-out ends. */
static void step_undo(int64_t *failures, int64_t *until, unsigned max)
{
    if (*failures > 0) {
        (*failures)--;
        if (*failures < (int64_t)max) {
            *until = 0;
        }
    }
}

/* The shared path: each step on the record in one write transaction. */
enum shared_op { OP_WAIT, OP_BEGIN, OP_UNDO, OP_CLEAR };

struct shared_step {
    enum shared_op op;
    unsigned max;
    int64_t now, wait;
};

static void shared_fn(struct srv_limit_row *r, void *arg)
{
    struct shared_step *x = arg;

    switch (x->op) {
    case OP_WAIT:
        x->wait = r->until > x->now ? r->until - x->now : 0;
        break;
    case OP_BEGIN:
        x->wait = step_begin(&r->failures, &r->last, &r->until, x->max, x->now);
        break;
    case OP_UNDO:
        step_undo(&r->failures, &r->until, x->max);
        break;
    case OP_CLEAR:
        r->failures = r->until = 0;
        break;
    }
}

/* 0 and x->wait set, or -1 when the database cannot be used (then the
 * process counts alone in memory rather than not at all). Shared records
 * use the wall clock: the monotonic clocks of two machines do not agree. */
static int shared(struct srv_ratelimit *rl, const char *key,
                  struct shared_step *x)
{
    struct srv_store *st;
    uint8_t h[32];
    char scope[32];

    pthread_mutex_lock(&rl->mu);
    st = rl->store;
    x->max = rl->max;
    memcpy(scope, rl->scope, sizeof scope);
    pthread_mutex_unlock(&rl->mu);
    if (!st) {
        return -1;
    }
    x->now = taulu_now();
    x->wait = 0;
    taulu_sha256(key, strlen(key), h);
    if (srv_store_limit_update(st, scope, h, x->now, x->now - RL_FORGET,
                               shared_fn, x) != 0) {
        taulu_warn("auth",
                   "the shared %s limit is out of reach: counting in "
                   "this process only",
                   scope);
        return -1;
    }
    return 0;
}

/* Whether slot `a` is a better one to reuse than `b`: free first, then
 * not locked out, then the one unused the longest. */
static bool rl_better_victim(const struct rl_entry *a, const struct rl_entry *b,
                             int64_t now)
{
    bool a_locked = a->until > now, b_locked = b->until > now;

    if (!a->used || !b->used) {
        return !a->used && b->used;
    }
    if (a_locked != b_locked) {
        return !a_locked;
    }
    return a->last < b->last;
}

/* The entry of `key`, or NULL; with `create`, a fresh or reused slot. */
static struct rl_entry *rl_find(struct srv_ratelimit *rl, const char *key,
                                int64_t now, bool create)
{
    uint8_t h[32];
    size_t start, i, idx;
    struct rl_entry *victim = NULL;

    taulu_sha256(key, strlen(key), h);
    memcpy(&start, h, sizeof(start));
    start %= RL_SLOTS;
    /* Open addressing over a short window keeps look-ups bounded. */
    for (i = 0; i < 16; i++) {
        struct rl_entry *e;
        idx = (start + i) % RL_SLOTS;
        e = &rl->e[idx];
        if (e->used && now - e->last > RL_FORGET && now >= e->until) {
            e->used = false;
        }
        if (e->used && memcmp(e->key, h, sizeof(h)) == 0) {
            return e;
        }
        /* Prefer a free slot, then one not locked out, then the one
         * unused the longest: a flood of fresh keys must not push a
         * locked-out account out of the table and so unlock it. */
        if (!victim || rl_better_victim(e, victim, now)) {
            victim = e;
        }
    }
    if (!create) {
        return NULL;
    }
    memset(victim, 0, sizeof(*victim));
    memcpy(victim->key, h, sizeof(h));
    victim->used = true;
    victim->last = now;
    return victim;
}

int64_t srv_ratelimit_wait(struct srv_ratelimit *rl, const char *key,
                           int64_t now)
{
    struct shared_step x = {OP_WAIT, 0, 0, 0};
    struct rl_entry *e;
    int64_t wait = 0;

    if (shared(rl, key, &x) == 0) {
        return x.wait;
    }
    pthread_mutex_lock(&rl->mu);
    e = rl_find(rl, key, now, false);
    if (e && e->until > now) {
        wait = e->until - now;
    }
    pthread_mutex_unlock(&rl->mu);
    return wait;
}

int64_t srv_ratelimit_begin(struct srv_ratelimit *rl, const char *key,
                            int64_t now)
{
    struct shared_step x = {OP_BEGIN, 0, 0, 0};
    struct rl_entry *e;
    int64_t wait, failures, until;

    if (shared(rl, key, &x) == 0) {
        return x.wait;
    }
    pthread_mutex_lock(&rl->mu);
    e = rl_find(rl, key, now, true);
    failures = e->failures;
    until = e->until;
    wait = step_begin(&failures, &e->last, &until, rl->max, now);
    e->failures = (unsigned)failures;
    e->until = until;
    pthread_mutex_unlock(&rl->mu);
    return wait;
}

void srv_ratelimit_undo(struct srv_ratelimit *rl, const char *key)
{
    struct shared_step x = {OP_UNDO, 0, 0, 0};
    struct rl_entry *e;

    if (shared(rl, key, &x) == 0) {
        return;
    }
    pthread_mutex_lock(&rl->mu);
    e = rl_find(rl, key, 0, false);
    if (e) {
        int64_t failures = e->failures, until = e->until;
        step_undo(&failures, &until, rl->max);
        e->failures = (unsigned)failures;
        e->until = until;
    }
    pthread_mutex_unlock(&rl->mu);
}

void srv_ratelimit_clear(struct srv_ratelimit *rl, const char *key)
{
    struct shared_step x = {OP_CLEAR, 0, 0, 0};
    struct rl_entry *e;

    if (shared(rl, key, &x) == 0) {
        return;
    }
    pthread_mutex_lock(&rl->mu);
    e = rl_find(rl, key, 0, false);
    if (e) {
        e->used = false;
    }
    pthread_mutex_unlock(&rl->mu);
}
