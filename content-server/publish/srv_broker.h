/*
 * srv_broker.h: the broker's side of provisioning. The content server owns
 * Mosquitto's password file and ACL file: it writes both from its list of
 * screens and its own credentials, then asks the broker to reload them.
 *
 * Passwords are stored in Mosquitto 2.x's own format,
 *     <user>:$7$<iterations>$<salt, base64>$<PBKDF2-HMAC-SHA512, base64>
 * (12-byte salt, 64-byte hash, 101 iterations like mosquitto_passwd), so
 * the broker checks them itself and the server never keeps a screen's MQTT
 * password in clear: it hashes it once, when the screen is created.
 *
 * The ACL gives every screen exactly three rights: read its own `desired`
 * and `command`, write its own `status`. The server's user reads every
 * status and writes every desired and command. Nobody else gets anything
 * (Mosquitto denies what the ACL file does not grant).
 */
#ifndef SRV_BROKER_H
#define SRV_BROKER_H

#include <stddef.h>
#include <stdint.h>

#include "taulu_buf.h"

#define SRV_PBKDF2_SHA512_LEN 64
#define SRV_MOSQ_SALT_LEN     12
#define SRV_MOSQ_ITERATIONS   101
#define SRV_MOSQ_USER_MAX     64
/* "$7$" + up to 10 digits + "$" + 16 + "$" + 88 + NUL, rounded up. */
#define SRV_MOSQ_HASH_MAX 128

/* PBKDF2 (RFC 8018) with HMAC-SHA512, one output block (64 bytes). The
 * password may contain any bytes. iterations >= 1. */
void srv_pbkdf2_sha512(const void *password, size_t password_len,
                       const uint8_t *salt, size_t salt_len,
                       uint32_t iterations, uint8_t out[SRV_PBKDF2_SHA512_LEN]);

/* A Mosquitto "$7$..." hash of `password` with a fresh random salt,
 * NUL-terminated in out. 0 or TAULU_EINVAL (empty password). */
int srv_mosq_hash(const char *password, char out[SRV_MOSQ_HASH_MAX]);
/* The same with a given salt and iteration count (for tests). */
int srv_mosq_hash_with(const char *password, const uint8_t *salt,
                       size_t salt_len, uint32_t iterations,
                       char out[SRV_MOSQ_HASH_MAX]);
/* Whether `password` matches a "$7$" hash (constant-time compare of the
 * hash). 1 yes, 0 no, TAULU_EPARSE if `hash` is not a "$7$" hash. */
int srv_mosq_check(const char *password, const char *hash);

/* One MQTT account. user: a screen id or the server's user name, which
 * Mosquitto takes up to the ':' of the line, so no ':' and no control
 * characters (checked). */
struct srv_broker_account {
    const char *user;
    const char *hash; /* "$7$..." from srv_mosq_hash() */
};

/* Appends the password file text: the server's accounts first (one per
 * instance on a shared database, at least one), then the screens in the
 * order given. TAULU_EVALUE for a bad user name or hash, or a screen
 * named as a server account. */
int srv_broker_passwd_text(const struct srv_broker_account *servers,
                           size_t n_servers,
                           const struct srv_broker_account *screens,
                           size_t n_screens, struct taulu_buf *out);

/* Appends the ACL file text for topic prefix `prefix` (NULL = default):
 * a block for each of the n_servers (>= 1) server users, then one block
 * per screen id. TAULU_EINVAL for a bad prefix, screen id or server user,
 * or a screen named as a server account. */
int srv_broker_acl_text(const char *prefix, const char *const *server_users,
                        size_t n_servers, const char *const *screen_ids,
                        size_t n_screens, struct taulu_buf *out);

/* Writes both files atomically (0640 for the passwords, so the broker's
 * group can read them; 0644 for the ACL)
 * and, if `pid_file` is not NULL, sends SIGHUP to the process whose pid it
 * holds so that Mosquitto reloads them. 0, TAULU_EIO, TAULU_EVALUE (the pid
 * file does not hold a pid), TAULU_ENOTFOUND (no such process). */
int srv_broker_write_files(const char *passwd_path, const char *passwd_text,
                           const char *acl_path, const char *acl_text,
                           const char *pid_file);

#endif
