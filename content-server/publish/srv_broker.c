/*
 * srv_broker.c: Mosquitto password and ACL files (see srv_broker.h).
 */
#include "srv_broker.h"

#include <errno.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taulu_crypto.h"
#include "taulu_err.h"
#include "taulu_file.h"
#include "taulu_log.h"
#include "taulu_proto.h"

void srv_pbkdf2_sha512(const void *password, size_t password_len,
                       const uint8_t *salt, size_t salt_len,
                       uint32_t iterations, uint8_t out[SRV_PBKDF2_SHA512_LEN])
{
    crypto_auth_hmacsha512_state keyed, st;
    uint8_t u[SRV_PBKDF2_SHA512_LEN];
    static const uint8_t block1[4] = {0, 0, 0, 1};
    uint32_t i;
    size_t k;

    /* The key schedule (HMAC's inner and outer pads) is the same for every
     * iteration: compute it once and copy it. */
    crypto_auth_hmacsha512_init(&keyed, password, password_len);
    st = keyed;
    crypto_auth_hmacsha512_update(&st, salt, salt_len);
    crypto_auth_hmacsha512_update(&st, block1, sizeof block1);
    crypto_auth_hmacsha512_final(&st, u);
    memcpy(out, u, sizeof u);
    for (i = 1; i < iterations; i++) {
        st = keyed;
        crypto_auth_hmacsha512_update(&st, u, sizeof u);
        crypto_auth_hmacsha512_final(&st, u);
        for (k = 0; k < sizeof u; k++) {
            out[k] ^= u[k];
        }
    }
    taulu_wipe(&keyed, sizeof keyed);
    taulu_wipe(&st, sizeof st);
    taulu_wipe(u, sizeof u);
}

int srv_mosq_hash_with(const char *password, const uint8_t *salt,
                       size_t salt_len, uint32_t iterations,
                       char out[SRV_MOSQ_HASH_MAX])
{
    uint8_t dk[SRV_PBKDF2_SHA512_LEN];
    char salt64[64], dk64[100];
    int n;

    out[0] = '\0';
    if (!password || !*password || salt_len == 0 || salt_len > 32 ||
        iterations == 0) {
        return TAULU_EINVAL;
    }
    srv_pbkdf2_sha512(password, strlen(password), salt, salt_len, iterations,
                      dk);
    if (taulu_base64_encode(salt, salt_len, salt64, sizeof salt64) < 0 ||
        taulu_base64_encode(dk, sizeof dk, dk64, sizeof dk64) < 0) {
        taulu_wipe(dk, sizeof dk);
        return TAULU_ELIMIT;
    }
    taulu_wipe(dk, sizeof dk);
    n = snprintf(out, SRV_MOSQ_HASH_MAX, "$7$%u$%s$%s", (unsigned)iterations,
                 salt64, dk64);
    if (n < 0 || n >= SRV_MOSQ_HASH_MAX) {
        out[0] = '\0';
        return TAULU_ELIMIT;
    }
    return 0;
}

int srv_mosq_hash(const char *password, char out[SRV_MOSQ_HASH_MAX])
{
    uint8_t salt[SRV_MOSQ_SALT_LEN];

    taulu_random_bytes(salt, sizeof salt);
    return srv_mosq_hash_with(password, salt, sizeof salt, SRV_MOSQ_ITERATIONS,
                              out);
}

/* Splits "$7$<it>$<salt>$<hash>" into its parts. */
static int parse_hash(const char *hash, uint32_t *iterations, uint8_t *salt,
                      size_t *salt_len, uint8_t dk[SRV_PBKDF2_SHA512_LEN])
{
    char salt64[64];
    const char *p, *d1, *d2;
    char *end;
    unsigned long it;
    size_t n, len;

    if (!hash || strncmp(hash, "$7$", 3) != 0) {
        return TAULU_EPARSE;
    }
    p = hash + 3;
    errno = 0;
    it = strtoul(p, &end, 10);
    if (errno || end == p || *end != '$' || it == 0 || it > 10000000ul) {
        return TAULU_EPARSE;
    }
    d1 = end + 1;
    d2 = strchr(d1, '$');
    if (!d2 || (size_t)(d2 - d1) >= sizeof salt64) {
        return TAULU_EPARSE;
    }
    n = (size_t)(d2 - d1);
    memcpy(salt64, d1, n);
    salt64[n] = '\0';
    /* The salt's length follows from its base64 text. */
    if (n % 4 != 0 || n == 0) {
        return TAULU_EPARSE;
    }
    len = n / 4 * 3;
    if (salt64[n - 1] == '=') {
        len--;
    }
    if (n >= 2 && salt64[n - 2] == '=') {
        len--;
    }
    if (len == 0 || len > 32 || taulu_base64_decode(salt64, salt, len) < 0) {
        return TAULU_EPARSE;
    }
    if (taulu_base64_decode(d2 + 1, dk, SRV_PBKDF2_SHA512_LEN) < 0) {
        return TAULU_EPARSE;
    }
    *iterations = (uint32_t)it;
    *salt_len = len;
    return 0;
}

int srv_mosq_check(const char *password, const char *hash)
{
    uint8_t salt[32], want[SRV_PBKDF2_SHA512_LEN], got[SRV_PBKDF2_SHA512_LEN];
    uint32_t it;
    size_t salt_len;
    int ok;

    if (parse_hash(hash, &it, salt, &salt_len, want) < 0) {
        return TAULU_EPARSE;
    }
    if (!password) {
        return 0;
    }
    srv_pbkdf2_sha512(password, strlen(password), salt, salt_len, it, got);
    ok = taulu_secret_equal(got, want, sizeof got);
    taulu_wipe(got, sizeof got);
    return ok ? 1 : 0;
}

static int user_valid(const char *u)
{
    size_t i, n;

    if (!u) {
        return 0;
    }
    n = strlen(u);
    if (n == 0 || n > SRV_MOSQ_USER_MAX) {
        return 0;
    }
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)u[i];
        /* ':' ends the user name in the file; '+', '#', '/' would change
         * the meaning of the user's ACL lines; no spaces or controls. */
        if (c <= 0x20 || c >= 0x7f || c == ':' || c == '+' || c == '#' ||
            c == '/') {
            return 0;
        }
    }
    return 1;
}

static int account_line(const struct srv_broker_account *a,
                        struct taulu_buf *out)
{
    uint8_t salt[32], dk[SRV_PBKDF2_SHA512_LEN];
    uint32_t it;
    size_t salt_len;

    if (!user_valid(a->user) ||
        parse_hash(a->hash, &it, salt, &salt_len, dk) < 0 ||
        strpbrk(a->hash, "\r\n") != NULL) {
        return TAULU_EVALUE;
    }
    return taulu_buf_appendf(out, "%s:%s\n", a->user, a->hash);
}

int srv_broker_passwd_text(const struct srv_broker_account *servers,
                           size_t n_servers,
                           const struct srv_broker_account *screens,
                           size_t n_screens, struct taulu_buf *out)
{
    size_t before = out->len, i, k;
    int rc = n_servers ? 0 : TAULU_EVALUE;

    for (k = 0; rc == 0 && k < n_servers; k++) {
        rc = account_line(&servers[k], out);
    }
    for (i = 0; rc == 0 && i < n_screens; i++) {
        for (k = 0; k < n_servers; k++) {
            if (strcmp(screens[i].user, servers[k].user) == 0) {
                rc = TAULU_EVALUE;
            }
        }
        if (rc == 0) {
            rc = account_line(&screens[i], out);
        }
    }
    if (rc < 0) {
        taulu_buf_truncate(out, before);
    }
    return rc;
}

int srv_broker_acl_text(const char *prefix, const char *const *server_users,
                        size_t n_servers, const char *const *screen_ids,
                        size_t n_screens, struct taulu_buf *out)
{
    char filt[TAULU_TOPIC_MAX + 1], t[TAULU_TOPIC_MAX + 1];
    static const struct {
        enum taulu_topic_kind kind;
        const char *access;
    } server_rules[] =
        {
            {TAULU_TOPIC_STATUS, "read"},
            {TAULU_TOPIC_DESIRED, "write"},
            {TAULU_TOPIC_COMMAND, "write"},
        },
      screen_rules[] = {
          {TAULU_TOPIC_DESIRED, "read"},
          {TAULU_TOPIC_COMMAND, "read"},
          {TAULU_TOPIC_STATUS, "write"},
      };
    size_t before = out->len, i, k, s;
    int rc = 0;

    if (n_servers == 0) {
        return TAULU_EINVAL;
    }
    for (s = 0; s < n_servers; s++) {
        if (!user_valid(server_users[s])) {
            return TAULU_EINVAL;
        }
    }
    rc = taulu_buf_appendf(out,
                           "# Written by infotaulu-server; changes here are "
                           "overwritten.\n"
                           "# Each screen reads only its own desired and "
                           "command topics and\n"
                           "# writes only its own status.\n");
    for (s = 0; rc == 0 && s < n_servers; s++) {
        rc = taulu_buf_appendf(out, "\nuser %s\n", server_users[s]);
        for (k = 0; rc == 0 && k < 3; k++) {
            rc = taulu_proto_topic_filter(filt, prefix, server_rules[k].kind);
            if (rc == 0) {
                rc = taulu_buf_appendf(out, "topic %s %s\n",
                                       server_rules[k].access, filt);
            }
        }
    }
    for (i = 0; rc == 0 && i < n_screens; i++) {
        if (!taulu_proto_screen_id_valid(screen_ids[i])) {
            rc = TAULU_EINVAL;
            break;
        }
        for (s = 0; s < n_servers; s++) {
            if (strcmp(screen_ids[i], server_users[s]) == 0) {
                rc = TAULU_EINVAL;
            }
        }
        if (rc < 0) {
            break;
        }
        rc = taulu_buf_appendf(out, "\nuser %s\n", screen_ids[i]);
        for (k = 0; rc == 0 && k < 3; k++) {
            rc = taulu_proto_topic(t, prefix, screen_ids[i],
                                   screen_rules[k].kind);
            if (rc == 0) {
                rc = taulu_buf_appendf(out, "topic %s %s\n",
                                       screen_rules[k].access, t);
            }
        }
    }
    if (rc < 0) {
        taulu_buf_truncate(out, before);
    }
    return rc;
}

int srv_broker_write_files(const char *passwd_path, const char *passwd_text,
                           const char *acl_path, const char *acl_text,
                           const char *pid_file)
{
    struct taulu_buf pidtext;
    char *end;
    long pid;
    int rc;

    rc = taulu_file_write_atomic(passwd_path, passwd_text, strlen(passwd_text),
                                 0640);
    if (rc < 0) {
        return rc;
    }
    rc = taulu_file_write_atomic(acl_path, acl_text, strlen(acl_text), 0644);
    if (rc < 0 || !pid_file) {
        return rc;
    }
    taulu_buf_init(&pidtext, 64);
    rc = taulu_file_read(pid_file, &pidtext);
    if (rc < 0) {
        goto out;
    }
    errno = 0;
    pid = strtol(pidtext.data, &end, 10);
    while (*end == '\n' || *end == ' ' || *end == '\r') {
        end++;
    }
    if (errno || end == pidtext.data || *end != '\0' || pid <= 1 ||
        pid > 0x3fffffffL) {
        rc = TAULU_EVALUE;
        goto out;
    }
    if (kill((pid_t)pid, SIGHUP) != 0) {
        rc = errno == ESRCH ? TAULU_ENOTFOUND : TAULU_EIO;
        goto out;
    }
    taulu_info("broker",
               "asked the broker (pid %ld) to reload its password "
               "and ACL files",
               pid);
out:
    taulu_buf_release(&pidtext);
    return rc;
}
