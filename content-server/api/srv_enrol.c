/*
 * srv_enrol.c: the enrolment sessions of new screens (see srv_enrol.h).
 * A fixed table under one lock: at most SRV_ENROL_MAX sessions, found by
 * a scan (a few hundred entries, a few times a second at most).
 */
#include "srv_enrol.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taulu_crypto.h"
#include "taulu_err.h"

#define ALPHABET_LEN 30

_Static_assert(sizeof(SRV_ENROL_ALPHABET) - 1 == ALPHABET_LEN,
               "the code alphabet has 30 characters");

struct session {
    bool used;
    bool bound;
    char id[SRV_ENROL_SESSION_HEX + 1];
    char code[SRV_ENROL_CODE_LEN + 1];
    uint8_t key_hash[32];
    char addr[64];
    int64_t expires_at;
    int64_t screen_id, bound_by;
};

struct srv_enrol {
    pthread_mutex_t mu;
    int64_t ttl;
    struct session s[SRV_ENROL_MAX];
};

struct srv_enrol *srv_enrol_new(int64_t ttl_s)
{
    struct srv_enrol *e = calloc(1, sizeof *e);

    if (!e) {
        return NULL;
    }
    pthread_mutex_init(&e->mu, NULL);
    e->ttl = ttl_s > 0 ? ttl_s : SRV_ENROL_TTL_S;
    return e;
}

void srv_enrol_free(struct srv_enrol *e)
{
    if (!e) {
        return;
    }
    taulu_wipe(e->s, sizeof e->s);
    pthread_mutex_destroy(&e->mu);
    free(e);
}

const char *srv_enrol_alphabet(void)
{
    return SRV_ENROL_ALPHABET;
}

int srv_enrol_code_normalise(const char *in, char out[SRV_ENROL_CODE_LEN + 1])
{
    size_t n = 0;

    out[0] = '\0';
    if (!in) {
        return TAULU_EVALUE;
    }
    for (; *in; in++) {
        char c = *in;

        if (c == ' ' || c == '-') {
            continue;
        }
        if (c >= 'a' && c <= 'z') {
            c = (char)(c - 'a' + 'A');
        }
        if (n >= SRV_ENROL_CODE_LEN || !strchr(SRV_ENROL_ALPHABET, c) ||
            c == '\0') {
            out[0] = '\0';
            return TAULU_EVALUE;
        }
        out[n++] = c;
    }
    out[n] = '\0';
    if (n != SRV_ENROL_CODE_LEN) {
        out[0] = '\0';
        return TAULU_EVALUE;
    }
    return 0;
}

void srv_enrol_code_show(const char *code, char out[SRV_ENROL_CODE_SHOWN + 1])
{
    snprintf(out, SRV_ENROL_CODE_SHOWN + 1, "%.4s-%.4s", code, code + 4);
}

/* Drops expired sessions. Called with the lock held. */
static void expire(struct srv_enrol *e, int64_t now)
{
    for (size_t i = 0; i < SRV_ENROL_MAX; i++) {
        if (e->s[i].used && e->s[i].expires_at <= now) {
            taulu_wipe(&e->s[i], sizeof e->s[i]);
        }
    }
}

static struct session *by_code(struct srv_enrol *e, const char *code)
{
    for (size_t i = 0; i < SRV_ENROL_MAX; i++) {
        if (e->s[i].used && strcmp(e->s[i].code, code) == 0) {
            return &e->s[i];
        }
    }
    return NULL;
}

int srv_enrol_open(struct srv_enrol *e, const uint8_t key_hash[32],
                   const char *addr, int64_t now,
                   char session[SRV_ENROL_SESSION_HEX + 1],
                   char code[SRV_ENROL_CODE_LEN + 1], int64_t *expires_at)
{
    struct session *free_slot = NULL;
    uint8_t raw[SRV_ENROL_SESSION_HEX / 2];
    size_t per_addr = 0, i;
    int rc = 0;

    pthread_mutex_lock(&e->mu);
    expire(e, now);
    for (i = 0; i < SRV_ENROL_MAX; i++) {
        struct session *s = &e->s[i];

        if (!s->used) {
            if (!free_slot) {
                free_slot = s;
            }
            continue;
        }
        if (taulu_secret_equal(s->key_hash, key_hash, 32)) {
            rc = TAULU_ECONFLICT;
            goto out;
        }
        if (addr && strcmp(s->addr, addr) == 0) {
            per_addr++;
        }
    }
    if (!free_slot || per_addr >= SRV_ENROL_PER_ADDR) {
        rc = TAULU_ELIMIT;
        goto out;
    }
    /* A code no open session has; with at most 256 of 30^8 taken, the
     * first draw is all but certain. */
    do {
        for (i = 0; i < SRV_ENROL_CODE_LEN; i++) {
            free_slot->code[i] =
                SRV_ENROL_ALPHABET[taulu_random_uniform(ALPHABET_LEN)];
        }
        free_slot->code[SRV_ENROL_CODE_LEN] = '\0';
        free_slot->used = false;
    } while (by_code(e, free_slot->code));
    taulu_random_bytes(raw, sizeof raw);
    taulu_hex_encode(raw, sizeof raw, free_slot->id, sizeof free_slot->id);
    memcpy(free_slot->key_hash, key_hash, 32);
    snprintf(free_slot->addr, sizeof free_slot->addr, "%s", addr ? addr : "");
    free_slot->expires_at = now + e->ttl;
    free_slot->bound = false;
    free_slot->screen_id = 0;
    free_slot->bound_by = 0;
    free_slot->used = true;
    memcpy(session, free_slot->id, SRV_ENROL_SESSION_HEX + 1);
    memcpy(code, free_slot->code, SRV_ENROL_CODE_LEN + 1);
    *expires_at = free_slot->expires_at;
out:
    pthread_mutex_unlock(&e->mu);
    return rc;
}

int srv_enrol_bind(struct srv_enrol *e, const char *code, int64_t screen_id,
                   int64_t actor, int64_t now,
                   char session_out[SRV_ENROL_SESSION_HEX + 1])
{
    struct session *s;
    int rc = 0;

    pthread_mutex_lock(&e->mu);
    expire(e, now);
    s = by_code(e, code);
    if (!s) {
        rc = TAULU_ENOTFOUND;
    } else if (s->bound) {
        rc = TAULU_ECONFLICT;
    } else {
        s->bound = true;
        s->screen_id = screen_id;
        s->bound_by = actor;
        if (session_out) {
            memcpy(session_out, s->id, SRV_ENROL_SESSION_HEX + 1);
        }
    }
    pthread_mutex_unlock(&e->mu);
    return rc;
}

int srv_enrol_claim(struct srv_enrol *e, const char *session,
                    const uint8_t secret_hash[32], int64_t now,
                    enum srv_enrol_state *state, int64_t *screen_id,
                    int64_t *bound_by, int64_t *expires_at)
{
    struct session *s = NULL;
    int rc = TAULU_ENOTFOUND;

    *state = SRV_ENROL_PENDING;
    *screen_id = 0;
    *bound_by = 0;
    *expires_at = 0;
    if (!session || strlen(session) != SRV_ENROL_SESSION_HEX) {
        return TAULU_ENOTFOUND;
    }
    pthread_mutex_lock(&e->mu);
    expire(e, now);
    for (size_t i = 0; i < SRV_ENROL_MAX; i++) {
        if (e->s[i].used && strcmp(e->s[i].id, session) == 0) {
            s = &e->s[i];
            break;
        }
    }
    if (s && taulu_secret_equal(s->key_hash, secret_hash, 32)) {
        rc = 0;
        *expires_at = s->expires_at;
        if (s->bound) {
            *state = SRV_ENROL_BOUND;
            *screen_id = s->screen_id;
            *bound_by = s->bound_by;
            taulu_wipe(s, sizeof *s);
        }
    }
    pthread_mutex_unlock(&e->mu);
    return rc;
}

size_t srv_enrol_count(struct srv_enrol *e, int64_t now)
{
    size_t n = 0;

    pthread_mutex_lock(&e->mu);
    expire(e, now);
    for (size_t i = 0; i < SRV_ENROL_MAX; i++) {
        n += e->s[i].used;
    }
    pthread_mutex_unlock(&e->mu);
    return n;
}
