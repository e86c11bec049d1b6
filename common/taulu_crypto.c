/*
 * taulu_crypto.c: the libsodium edge (see taulu_crypto.h).
 */
#include "taulu_crypto.h"
#include "taulu_buf.h"
#include "taulu_err.h"
#include "taulu_file.h"

#include <errno.h>
#include <sodium.h>
#include <string.h>
#include <sys/stat.h>

_Static_assert(sizeof(crypto_hash_sha256_state) <=
                   sizeof(struct taulu_sha256_state),
               "sha256 state does not fit");

int taulu_crypto_init(void)
{
    return sodium_init() < 0 ? TAULU_ECRYPTO : TAULU_OK;
}

void taulu_sha256(const void *data, size_t len, uint8_t out[TAULU_SHA256_LEN])
{
    crypto_hash_sha256(out, data, len);
}

void taulu_sha256_hex(const void *data, size_t len,
                      char out[TAULU_SHA256_HEX_LEN + 1])
{
    uint8_t h[TAULU_SHA256_LEN];

    crypto_hash_sha256(h, data, len);
    sodium_bin2hex(out, TAULU_SHA256_HEX_LEN + 1, h, sizeof h);
}

void taulu_sha256_begin(struct taulu_sha256_state *st)
{
    crypto_hash_sha256_init((crypto_hash_sha256_state *)(void *)st->opaque);
}

void taulu_sha256_update(struct taulu_sha256_state *st, const void *data,
                         size_t len)
{
    crypto_hash_sha256_update((crypto_hash_sha256_state *)(void *)st->opaque,
                              data, len);
}

void taulu_sha256_end_hex(struct taulu_sha256_state *st,
                          char out[TAULU_SHA256_HEX_LEN + 1])
{
    uint8_t h[TAULU_SHA256_LEN];

    crypto_hash_sha256_final((crypto_hash_sha256_state *)(void *)st->opaque, h);
    sodium_bin2hex(out, TAULU_SHA256_HEX_LEN + 1, h, sizeof h);
}

int taulu_is_sha256_hex(const char *s)
{
    size_t i;

    if (!s) {
        return 0;
    }
    for (i = 0; i < TAULU_SHA256_HEX_LEN; i++) {
        char c = s[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            return 0;
        }
    }
    return s[i] == '\0';
}

int taulu_hex_encode(const uint8_t *in, size_t len, char *out, size_t out_size)
{
    if (out_size < len * 2 + 1) {
        return TAULU_ELIMIT;
    }
    sodium_bin2hex(out, out_size, in, len);
    return TAULU_OK;
}

int taulu_hex_decode(const char *in, uint8_t *out, size_t out_len)
{
    size_t got = 0;
    const char *end = NULL;

    if (sodium_hex2bin(out, out_len, in, strlen(in), NULL, &got, &end) != 0) {
        return strlen(in) > out_len * 2 ? TAULU_ELIMIT : TAULU_EPARSE;
    }
    if (*end != '\0') {
        return TAULU_EPARSE;
    }
    if (got != out_len) {
        return TAULU_ELIMIT;
    }
    return TAULU_OK;
}

size_t taulu_base64_encoded_size(size_t len)
{
    return sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_ORIGINAL);
}

int taulu_base64_encode(const uint8_t *in, size_t len, char *out,
                        size_t out_size)
{
    if (out_size < taulu_base64_encoded_size(len)) {
        return TAULU_ELIMIT;
    }
    sodium_bin2base64(out, out_size, in, len, sodium_base64_VARIANT_ORIGINAL);
    return TAULU_OK;
}

/* Whether a failed decode failed only because well-formed text decodes to
 * more than out_len bytes (libsodium's errno does not tell: it also says
 * ERANGE for missing padding). */
static int base64_too_long(const char *in, size_t inlen, size_t out_len)
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                   "abcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t pad = 0;

    if (inlen == 0 || inlen % 4 != 0) {
        return 0;
    }
    while (pad < 2 && in[inlen - 1 - pad] == '=') {
        pad++;
    }
    if (strspn(in, alphabet) != inlen - pad) {
        return 0;
    }
    return inlen / 4 * 3 - pad > out_len;
}

int taulu_base64_decode(const char *in, uint8_t *out, size_t out_len)
{
    size_t got = 0;
    const char *end = NULL;
    size_t inlen = strlen(in);

    if (inlen > taulu_base64_encoded_size(out_len) - 1) {
        return TAULU_ELIMIT;
    }
    if (sodium_base642bin(out, out_len, in, inlen, NULL, &got, &end,
                          sodium_base64_VARIANT_ORIGINAL) != 0) {
        return base64_too_long(in, inlen, out_len) ? TAULU_ELIMIT
                                                   : TAULU_EPARSE;
    }
    if (*end != '\0') {
        return TAULU_EPARSE;
    }
    if (got != out_len) {
        return TAULU_ELIMIT;
    }
    return TAULU_OK;
}

int taulu_sign_keypair(uint8_t pk[TAULU_SIGN_PK_LEN],
                       uint8_t sk[TAULU_SIGN_SK_LEN])
{
    return crypto_sign_keypair(pk, sk) == 0 ? TAULU_OK : TAULU_ECRYPTO;
}

void taulu_sign_sk_to_pk(const uint8_t sk[TAULU_SIGN_SK_LEN],
                         uint8_t pk[TAULU_SIGN_PK_LEN])
{
    crypto_sign_ed25519_sk_to_pk(pk, sk);
}

void taulu_sign(const void *msg, size_t len,
                const uint8_t sk[TAULU_SIGN_SK_LEN],
                uint8_t sig[TAULU_SIGN_LEN])
{
    crypto_sign_detached(sig, NULL, msg, len, sk);
}

int taulu_verify(const void *msg, size_t len, const uint8_t sig[TAULU_SIGN_LEN],
                 const uint8_t pk[TAULU_SIGN_PK_LEN])
{
    return crypto_sign_verify_detached(sig, msg, len, pk) == 0 ? TAULU_OK
                                                               : TAULU_ESIG;
}

void taulu_key_id(const uint8_t pk[TAULU_SIGN_PK_LEN], char out[17])
{
    uint8_t h[TAULU_SHA256_LEN];

    crypto_hash_sha256(h, pk, TAULU_SIGN_PK_LEN);
    sodium_bin2hex(out, 17, h, 8);
}

void taulu_wipe(void *p, size_t len)
{
    sodium_memzero(p, len);
}

int taulu_secret_equal(const void *a, const void *b, size_t len)
{
    return sodium_memcmp(a, b, len) == 0;
}

void taulu_random_bytes(void *buf, size_t len)
{
    randombytes_buf(buf, len);
}

uint32_t taulu_random_uniform(uint32_t upper)
{
    return randombytes_uniform(upper);
}

/* Reads one base64 line of a key file into out (exactly out_len bytes). */
static int read_key_file(const char *path, uint8_t *out, size_t out_len)
{
    struct taulu_buf b;
    int rc;

    taulu_buf_init(&b, 256);
    rc = taulu_file_read(path, &b);
    if (rc == TAULU_ELIMIT) {
        rc = TAULU_EPARSE;
    }
    if (rc < 0) {
        goto out;
    }
    while (b.len && (b.data[b.len - 1] == '\n' || b.data[b.len - 1] == '\r' ||
                     b.data[b.len - 1] == ' ')) {
        taulu_buf_truncate(&b, b.len - 1);
    }
    rc = taulu_base64_decode(b.data, out, out_len);
    if (rc == TAULU_ELIMIT) {
        rc = TAULU_EPARSE;
    }
out:
    taulu_wipe(b.data, b.len);
    taulu_buf_release(&b);
    return rc;
}

int taulu_read_public_key(const char *path, uint8_t pk[TAULU_SIGN_PK_LEN])
{
    return read_key_file(path, pk, TAULU_SIGN_PK_LEN);
}

int taulu_read_secret_key(const char *path, uint8_t sk[TAULU_SIGN_SK_LEN])
{
    struct stat st;

    if (stat(path, &st) < 0) {
        return errno == ENOENT ? TAULU_ENOTFOUND : TAULU_EIO;
    }
    if (st.st_mode & (S_IRWXG | S_IRWXO)) {
        return TAULU_ECONFIG;
    }
    return read_key_file(path, sk, TAULU_SIGN_SK_LEN);
}

static int write_key_file(const char *path, const uint8_t *key, size_t len,
                          mode_t mode)
{
    char text[128];
    size_t n;
    int rc;

    rc = taulu_base64_encode(key, len, text, sizeof text - 1);
    if (rc < 0) {
        return rc;
    }
    n = strlen(text);
    text[n++] = '\n';
    rc = taulu_file_write_atomic(path, text, n, mode);
    taulu_wipe(text, sizeof text);
    return rc;
}

int taulu_write_public_key(const char *path,
                           const uint8_t pk[TAULU_SIGN_PK_LEN])
{
    return write_key_file(path, pk, TAULU_SIGN_PK_LEN, 0644);
}

int taulu_write_secret_key(const char *path,
                           const uint8_t sk[TAULU_SIGN_SK_LEN])
{
    return write_key_file(path, sk, TAULU_SIGN_SK_LEN, 0600);
}
