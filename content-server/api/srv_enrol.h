/*
 * srv_enrol.h: the enrolment sessions of new screens (docs/protocol.md,
 * "Enrolment"), plain C in memory.
 *
 * A new player with no screen id or token opens a session: it makes a
 * random secret, keeps it, and sends only its sha256 (POST /api/v1/enrol).
 * The server answers with the session's id and a short code the player
 * shows on its screen. A signed-in coordinator types the code in the web
 * UI and picks the screen record it stands for (srv_enrol_bind()). The
 * player polls its session with the secret itself (GET
 * /api/v1/enrol/{session}); once the session is bound, the poll takes it
 * (srv_enrol_claim(): the session ends, so the answer with the screen's
 * new token is given once) and only to the holder of the secret.
 *
 * Codes: SRV_ENROL_CODE_LEN characters from an alphabet of 30 that has
 * no two alike to the eye (no 0/O, 1/I/L, U), about 39 bits, unique
 * among the open sessions, written "ABCD-EFGH". A typed code is read
 * case-insensitively with spaces and hyphens ignored. Guessing is bounded
 * three ways: binding needs a signed-in coordinator, failed binds are
 * rate-limited (the API's limiter), and at most SRV_ENROL_MAX sessions
 * are open at once, each for `ttl` seconds, so a guess hits one with a
 * chance of at most SRV_ENROL_MAX in 30^8.
 *
 * Sessions live in memory only: a restarted server forgets them, and the
 * players start new ones (their poll gets "not found"). Nothing of a
 * session is secret to the server but the hash of the player's secret
 * (compared in constant time).
 *
 * Thread safety: every function takes the table's lock.
 */
#ifndef SRV_ENROL_H
#define SRV_ENROL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SRV_ENROL_CODE_LEN    8
#define SRV_ENROL_CODE_SHOWN  (SRV_ENROL_CODE_LEN + 1) /* "ABCD-EFGH" */
#define SRV_ENROL_SESSION_HEX 32  /* the session id: 16 random bytes */
#define SRV_ENROL_MAX         256 /* open sessions at once, server-wide */
/* open sessions of one client address: generous, because behind the
 * TLS proxy on the server every client has the proxy's address (a
 * county's rollout); the table's bound and the 15 minutes keep it from
 * filling for good */
#define SRV_ENROL_PER_ADDR 64
#define SRV_ENROL_TTL_S    900 /* 15 minutes */
/* The API's limits (srv_api_enrol.c, with srv_ratelimit): sessions one
 * client address may open before it waits (30 s, doubling), and failed
 * binds (an unknown code) of one coordinator or client address. */
#define SRV_ENROL_OPEN_PER_ADDR 120
#define SRV_ENROL_BIND_FAILURES 10
#define SRV_ENROL_ALPHABET      "23456789ABCDEFGHJKMNPQRSTVWXYZ"

struct srv_enrol;

/* A table whose sessions last ttl_s seconds (0: SRV_ENROL_TTL_S). NULL on
 * out-of-memory. Free with srv_enrol_free() (accepts NULL). */
struct srv_enrol *srv_enrol_new(int64_t ttl_s);
void srv_enrol_free(struct srv_enrol *e);

/* The alphabet of the codes (30 characters, no two look alike). */
const char *srv_enrol_alphabet(void);

/* A typed code made canonical: upper case, spaces and hyphens dropped
 * (out: SRV_ENROL_CODE_LEN + 1 bytes). 0, or TAULU_EVALUE when what is
 * left is not SRV_ENROL_CODE_LEN characters of the alphabet. */
int srv_enrol_code_normalise(const char *in, char out[SRV_ENROL_CODE_LEN + 1]);

/* "ABCDEFGH" -> "ABCD-EFGH" (out: SRV_ENROL_CODE_SHOWN + 1 bytes). */
void srv_enrol_code_show(const char *code, char out[SRV_ENROL_CODE_SHOWN + 1]);

/* A new session for the player whose secret hashes to `key_hash`, asked
 * from `addr` (a client address, for the per-address bound) at `now`
 * (seconds). Fills the session id (hex, NUL-terminated), the code (the
 * canonical form) and when it expires. 0, TAULU_ELIMIT (SRV_ENROL_MAX
 * sessions are open, or SRV_ENROL_PER_ADDR of this address) or
 * TAULU_ECONFLICT (a session with this key is open: the player must make
 * a new secret). Expired sessions are dropped first. */
int srv_enrol_open(struct srv_enrol *e, const uint8_t key_hash[32],
                   const char *addr, int64_t now,
                   char session[SRV_ENROL_SESSION_HEX + 1],
                   char code[SRV_ENROL_CODE_LEN + 1], int64_t *expires_at);

/* Binds the open session whose code is `code` (canonical) to `screen_id`,
 * by user `actor`. 0 (and *session_out, may be NULL, gets its id),
 * TAULU_ENOTFOUND (no open session has it: unknown, expired, or already
 * claimed) or TAULU_ECONFLICT (already bound; a bind is not changed). */
int srv_enrol_bind(struct srv_enrol *e, const char *code, int64_t screen_id,
                   int64_t actor, int64_t now,
                   char session_out[SRV_ENROL_SESSION_HEX + 1]);

enum srv_enrol_state {
    SRV_ENROL_PENDING = 0, /* open, not bound yet */
    SRV_ENROL_BOUND,       /* bound: claimed by this call, now gone */
};

/* The poll of a player: the session `session` if `secret_hash` is its
 * key's (constant-time). A bound session is claimed: it is removed, so
 * SRV_ENROL_BOUND comes once, with the screen and who bound it. 0,
 * or TAULU_ENOTFOUND (unknown, expired, claimed, or the wrong secret: the
 * same answer for all). */
int srv_enrol_claim(struct srv_enrol *e, const char *session,
                    const uint8_t secret_hash[32], int64_t now,
                    enum srv_enrol_state *state, int64_t *screen_id,
                    int64_t *bound_by, int64_t *expires_at);

/* Sessions open now (for tests and /metrics). */
size_t srv_enrol_count(struct srv_enrol *e, int64_t now);

#endif
