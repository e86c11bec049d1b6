/*
 * taulu_crypto.h: hashes and signatures, a thin edge over libsodium.
 *
 * sha256 names every asset and manifest; Ed25519 signs manifests so that a
 * compromised broker or proxy cannot put text on a screen. Keys travel as
 * standard base64 (RFC 4648, with padding) text, hashes as lowercase hex.
 * taulu_crypto_init() must succeed before anything else here is called; it
 * is safe to call it many times and from several threads.
 */
#ifndef TAULU_CRYPTO_H
#define TAULU_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#define TAULU_SHA256_LEN     32
#define TAULU_SHA256_HEX_LEN 64 /* without the NUL */
#define TAULU_SIGN_PK_LEN    32
#define TAULU_SIGN_SK_LEN    64
#define TAULU_SIGN_LEN       64

/* 0 or TAULU_ECRYPTO. */
int taulu_crypto_init(void);

void taulu_sha256(const void *data, size_t len, uint8_t out[TAULU_SHA256_LEN]);
/* Writes 64 lowercase hex digits and a NUL into out. */
void taulu_sha256_hex(const void *data, size_t len,
                      char out[TAULU_SHA256_HEX_LEN + 1]);

/* Incremental hashing of a stream (files, downloads). */
struct taulu_sha256_state {
    _Alignas(64) unsigned char opaque[128]; /* crypto_hash_sha256_state */
};
void taulu_sha256_begin(struct taulu_sha256_state *st);
void taulu_sha256_update(struct taulu_sha256_state *st, const void *data,
                         size_t len);
void taulu_sha256_end_hex(struct taulu_sha256_state *st,
                          char out[TAULU_SHA256_HEX_LEN + 1]);

/* Lowercase hex of exactly TAULU_SHA256_HEX_LEN digits? 1 if so, else 0. */
int taulu_is_sha256_hex(const char *s);

/* Hex and base64 conversions. _to_ functions write a NUL-terminated string
 * and return 0 or TAULU_ELIMIT if `out_size` is too small. _from_ functions
 * decode exactly `out_len` bytes and return 0, TAULU_EPARSE on a malformed
 * string or TAULU_ELIMIT if it decodes to another length. */
int taulu_hex_encode(const uint8_t *in, size_t len, char *out, size_t out_size);
int taulu_hex_decode(const char *in, uint8_t *out, size_t out_len);
int taulu_base64_encode(const uint8_t *in, size_t len, char *out,
                        size_t out_size);
int taulu_base64_decode(const char *in, uint8_t *out, size_t out_len);
/* Size of the base64 text of `len` bytes, including the NUL. */
size_t taulu_base64_encoded_size(size_t len);

/* A new Ed25519 key pair. 0 or TAULU_ECRYPTO. */
int taulu_sign_keypair(uint8_t pk[TAULU_SIGN_PK_LEN],
                       uint8_t sk[TAULU_SIGN_SK_LEN]);
/* The public half of a secret key. */
void taulu_sign_sk_to_pk(const uint8_t sk[TAULU_SIGN_SK_LEN],
                         uint8_t pk[TAULU_SIGN_PK_LEN]);
/* Detached signature over msg. */
void taulu_sign(const void *msg, size_t len,
                const uint8_t sk[TAULU_SIGN_SK_LEN],
                uint8_t sig[TAULU_SIGN_LEN]);
/* 0 if sig is valid for msg under pk, else TAULU_ESIG. */
int taulu_verify(const void *msg, size_t len, const uint8_t sig[TAULU_SIGN_LEN],
                 const uint8_t pk[TAULU_SIGN_PK_LEN]);

/* A short, stable id of a public key for logs and headers: the first 8 bytes
 * of sha256(pk) in hex (16 digits). */
void taulu_key_id(const uint8_t pk[TAULU_SIGN_PK_LEN], char out[17]);

/* Wipes memory that held a secret (not optimised away). */
void taulu_wipe(void *p, size_t len);

/* Equality of two secrets in constant time: 1 if equal. */
int taulu_secret_equal(const void *a, const void *b, size_t len);

/* Fills buf with random bytes (for tokens, salts, jitter). */
void taulu_random_bytes(void *buf, size_t len);
/* A uniform random integer in [0, upper). upper > 0. */
uint32_t taulu_random_uniform(uint32_t upper);

/* Reads a key file: one line of base64, optional trailing newline. The
 * secret-key reader refuses a file readable by group or others
 * (TAULU_ECONFIG), so a key left world-readable is noticed. 0, TAULU_EIO,
 * TAULU_ENOTFOUND, TAULU_EPARSE or TAULU_ECONFIG. */
int taulu_read_public_key(const char *path, uint8_t pk[TAULU_SIGN_PK_LEN]);
int taulu_read_secret_key(const char *path, uint8_t sk[TAULU_SIGN_SK_LEN]);
/* Writes a key file atomically; the secret key with mode 0600. */
int taulu_write_public_key(const char *path,
                           const uint8_t pk[TAULU_SIGN_PK_LEN]);
int taulu_write_secret_key(const char *path,
                           const uint8_t sk[TAULU_SIGN_SK_LEN]);

#endif
