/*
 * srv_auth.h: passwords, secrets and login rate limiting.
 *
 * Passwords: Argon2id via libsodium's crypto_pwhash_str, opslimit 3 and
 * memlimit 64 MiB (SRV_PWHASH_OPS / SRV_PWHASH_MEM). On the county's 2-core
 * server one hash takes roughly 0.1-0.2 s of one core, which a person
 * signing in does not notice and an offline attacker with a stolen
 * database pays for every guess. Memory is the real limit on a small
 * machine, so at most SRV_PWHASH_PARALLEL hashes run at once (a semaphore):
 * a login flood costs at most 2 x 64 MiB and queues instead of swapping.
 * Stored hashes carry their own parameters; a hash made with weaker ones is
 * upgraded at the next successful login.
 *
 * Secrets (session ids, API and screen tokens) are 32 random bytes in hex
 * (with a prefix for tokens: "tsa_" API, "tss_" screen). Only their sha256
 * is stored; comparisons are constant-time. None of them is ever logged.
 */
#ifndef SRV_AUTH_H
#define SRV_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SRV_PWHASH_OPS      3u
#define SRV_PWHASH_MEM      (64u * 1024u * 1024u)
#define SRV_PWHASH_PARALLEL 2
#define SRV_PWHASH_STRLEN   128 /* crypto_pwhash_STRBYTES */
#define SRV_PASSWORD_MIN    12  /* bytes */
#define SRV_PASSWORD_MAX    1024

#define SRV_SECRET_HEX   64
#define SRV_TOKEN_API    "tsa_"
#define SRV_TOKEN_SCREEN "tss_"
#define SRV_TOKEN_LEN    (4 + SRV_SECRET_HEX)

/* Must be called once before the other functions (sets up libsodium, the
 * semaphore and the dummy hash used for unknown accounts). 0 or
 * TAULU_ECRYPTO. */
int srv_auth_init(void);

/* 0, TAULU_EVALUE (too short / too long / not UTF-8), TAULU_ENOMEM. */
int srv_auth_hash_password(const char *pw, char out[SRV_PWHASH_STRLEN]);
/* 0 if pw matches, TAULU_EVALUE if not. `hash` NULL: verifies against a
 * dummy hash and fails, so an unknown account costs the same time as a
 * known one. *needs_rehash (may be NULL) says to store a new hash. */
int srv_auth_verify_password(const char *hash, const char *pw,
                             bool *needs_rehash);
/* A password acceptable for a new account? (length, UTF-8, no controls) */
bool srv_auth_password_ok(const char *pw);

/* A new random secret: `prefix` (may be "") + 64 hex digits into `out`
 * (size >= strlen(prefix) + 65) and its sha256 into hash. */
void srv_auth_new_secret(const char *prefix, char *out, size_t out_size,
                         uint8_t hash[32]);
/* sha256 of a presented secret. */
void srv_auth_secret_hash(const char *secret, uint8_t hash[32]);
/* A generated password for accounts created without one: 24 characters
 * from an unambiguous alphabet. `out` >= 25 bytes. */
void srv_auth_new_password(char *out, size_t out_size);

/*
 * Login rate limiting, in memory per process, or shared by every server
 * instance on one database (srv_ratelimit_share; see docs/server.md). Each
 * key (an account's e-mail or a client address group) counts attempts that
 * did not succeed; from the max-th on, further attempts are refused for a
 * backoff that doubles with each one (30 s, 1 min, 2 min ... up to 15 min).
 * A key untouched for 15 minutes is forgotten. The table has a fixed size;
 * when a window of it is full, the stalest entry that is not locked out is
 * reused.
 *
 * An attempt is counted BEFORE the password is checked, in the same step
 * as the check of the limit (srv_ratelimit_begin), so a burst of parallel
 * attempts gets exactly `max` evaluated, not however many passed the check
 * before the first slow hash finished. An attempt that then succeeds is
 * taken back (srv_ratelimit_undo) or, for the account that signed in,
 * forgets the account's whole count (srv_ratelimit_clear). A success
 * never clears an address's count: an attacker with one valid account
 * could otherwise reset the address limit between guesses.
 */
struct srv_ratelimit;
struct srv_store;

struct srv_ratelimit *srv_ratelimit_new(unsigned max_failures);
void srv_ratelimit_free(struct srv_ratelimit *rl);
/* From now on the counts live in `st` under `scope` (a short constant
 * name), shared with every instance on that database, and time is the
 * wall clock (the `now` arguments are then not used). If the database
 * cannot be reached a step counts in this process alone. */
void srv_ratelimit_share(struct srv_ratelimit *rl, struct srv_store *st,
                         const char *scope);
void srv_ratelimit_set_max(struct srv_ratelimit *rl, unsigned max_failures);
/* Seconds the key must still wait (0 = may try now). `now` in seconds of
 * any monotonic clock. */
int64_t srv_ratelimit_wait(struct srv_ratelimit *rl, const char *key,
                           int64_t now);
/* One step: if the key may try now, counts this attempt as failed and
 * returns 0; otherwise counts nothing and returns the seconds to wait. */
int64_t srv_ratelimit_begin(struct srv_ratelimit *rl, const char *key,
                            int64_t now);
/* Takes back one attempt counted by srv_ratelimit_begin (it succeeded, or
 * was not made after all). Below the limit again, the lock-out ends. */
void srv_ratelimit_undo(struct srv_ratelimit *rl, const char *key);
/* Forgets the key (its account signed in). */
void srv_ratelimit_clear(struct srv_ratelimit *rl, const char *key);

#endif
