/*
 * test_crypto.c: unit tests of common/taulu_crypto (the libsodium edge).
 *
 * Known-answer vectors: SHA-256 from FIPS 180-2 appendix B, Ed25519 from
 * RFC 8032 section 7.1 (test 1 and test 2).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "taulu_crypto.h"
#include "taulu_err.h"
#include "taulu_file.h"
#include "taulu_test_tmp.h"

static char dir[4096];

static int setup(void **state)
{
    (void)state;
    if (taulu_crypto_init() < 0 || taulu_crypto_init() < 0)
        return -1;
    return taulu_test_tmp_make(dir, sizeof dir, "crypto");
}

static int teardown(void **state)
{
    (void)state;
    return taulu_test_tmp_remove(dir);
}

static void unhex(const char *hex, uint8_t *out, size_t len)
{
    assert_int_equal(taulu_hex_decode(hex, out, len), 0);
}

static void test_sha256_vectors(void **state)
{
    char hex[TAULU_SHA256_HEX_LEN + 1];
    uint8_t raw[TAULU_SHA256_LEN], want[TAULU_SHA256_LEN];

    (void)state;
    taulu_sha256_hex("", 0, hex);
    assert_string_equal(
        hex,
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    taulu_sha256_hex("abc", 3, hex);
    assert_string_equal(
        hex,
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    taulu_sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
                     56, hex);
    assert_string_equal(
        hex,
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    taulu_sha256("abc", 3, raw);
    unhex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
          want, sizeof want);
    assert_memory_equal(raw, want, sizeof want);
}

static void test_sha256_incremental(void **state)
{
    static const size_t chunks[] = {0, 1, 7, 55, 56, 63, 64, 65, 128, 1000};
    uint8_t data[5000];
    char one[TAULU_SHA256_HEX_LEN + 1], inc[TAULU_SHA256_HEX_LEN + 1];
    struct taulu_sha256_state st;
    size_t i, c, pos;

    (void)state;
    for (i = 0; i < sizeof data; i++)
        data[i] = (uint8_t)(i * 31 + 7);
    taulu_sha256_hex(data, sizeof data, one);
    for (c = 0; c < sizeof chunks / sizeof chunks[0]; c++) {
        size_t step = chunks[c] ? chunks[c] : 1;

        taulu_sha256_begin(&st);
        taulu_sha256_update(&st, data, 0);
        for (pos = 0; pos < sizeof data; pos += step) {
            size_t n = sizeof data - pos < step ? sizeof data - pos : step;
            taulu_sha256_update(&st, data + pos, n);
        }
        taulu_sha256_end_hex(&st, inc);
        assert_string_equal(inc, one);
    }
    /* abc in three pieces equals the vector. */
    taulu_sha256_begin(&st);
    taulu_sha256_update(&st, "a", 1);
    taulu_sha256_update(&st, "b", 1);
    taulu_sha256_update(&st, "c", 1);
    taulu_sha256_end_hex(&st, inc);
    assert_string_equal(
        inc,
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void test_is_sha256_hex(void **state)
{
    const char *good =
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    char s[80];

    (void)state;
    assert_int_equal(taulu_is_sha256_hex(good), 1);
    assert_int_equal(taulu_is_sha256_hex(NULL), 0);
    assert_int_equal(taulu_is_sha256_hex(""), 0);
    snprintf(s, sizeof s, "%.63s", good);
    assert_int_equal(taulu_is_sha256_hex(s), 0);
    snprintf(s, sizeof s, "%s0", good);
    assert_int_equal(taulu_is_sha256_hex(s), 0);
    snprintf(s, sizeof s, "%s", good);
    s[10] = 'B'; /* uppercase is not the canonical form */
    assert_int_equal(taulu_is_sha256_hex(s), 0);
    s[10] = 'g';
    assert_int_equal(taulu_is_sha256_hex(s), 0);
}

static void test_hex(void **state)
{
    const uint8_t bytes[] = {0x00, 0x01, 0x7f, 0x80, 0xab, 0xff};
    uint8_t back[6];
    char hex[13];

    (void)state;
    assert_int_equal(taulu_hex_encode(bytes, 6, hex, sizeof hex), 0);
    assert_string_equal(hex, "00017f80abff");
    assert_int_equal(taulu_hex_encode(bytes, 6, hex, 12), TAULU_ELIMIT);
    assert_int_equal(taulu_hex_decode("00017f80abff", back, 6), 0);
    assert_memory_equal(back, bytes, 6);
    assert_int_equal(taulu_hex_decode("00017F80ABFF", back, 6), 0);
    assert_memory_equal(back, bytes, 6);
    assert_int_equal(taulu_hex_decode("00017f80abf", back, 6), TAULU_EPARSE);
    assert_int_equal(taulu_hex_decode("00017f80abfg", back, 6), TAULU_EPARSE);
    assert_int_equal(taulu_hex_decode("00 17f80abff", back, 6), TAULU_EPARSE);
    assert_int_equal(taulu_hex_decode("00017f80ab", back, 6), TAULU_ELIMIT);
    assert_int_equal(taulu_hex_decode("00017f80abff00", back, 6), TAULU_ELIMIT);
}

static void test_base64(void **state)
{
    uint8_t data[10], back[10];
    char text[64];
    size_t len;

    (void)state;
    assert_int_equal(taulu_base64_encoded_size(0), 1);
    assert_int_equal(taulu_base64_encoded_size(1), 5);
    assert_int_equal(taulu_base64_encoded_size(3), 5);
    assert_int_equal(taulu_base64_encoded_size(4), 9);
    assert_int_equal(taulu_base64_encoded_size(32), 45);
    assert_int_equal(taulu_base64_encoded_size(64), 89);

    assert_int_equal(taulu_base64_encode((const uint8_t *)"f", 1, text, 5), 0);
    assert_string_equal(text, "Zg==");
    assert_int_equal(
        taulu_base64_encode((const uint8_t *)"foobar", 6, text, sizeof text),
        0);
    assert_string_equal(text, "Zm9vYmFy");
    assert_int_equal(taulu_base64_encode((const uint8_t *)"f", 1, text, 4),
                     TAULU_ELIMIT);

    for (len = 0; len <= sizeof data; len++) {
        size_t i;
        for (i = 0; i < len; i++)
            data[i] = (uint8_t)(0xf0 + i * 37);
        assert_int_equal(taulu_base64_encode(data, len, text, sizeof text), 0);
        assert_int_equal(strlen(text) + 1, taulu_base64_encoded_size(len));
        memset(back, 0, sizeof back);
        assert_int_equal(taulu_base64_decode(text, back, len), 0);
        assert_memory_equal(back, data, len);
    }

    assert_int_equal(taulu_base64_decode("Zm9vYmFy", back, 6), 0);
    assert_memory_equal(back, "foobar", 6);
    assert_int_equal(taulu_base64_decode("Zm9v!mFy", back, 6), TAULU_EPARSE);
    assert_int_equal(taulu_base64_decode("Zm9vYmF", back, 6), TAULU_EPARSE);
    assert_int_equal(taulu_base64_decode("Zg", back, 1), TAULU_EPARSE);
    assert_int_equal(taulu_base64_decode("Zm9 YmFy", back, 6), TAULU_EPARSE);
    assert_int_equal(taulu_base64_decode("Zm9vYmFy", back, 5), TAULU_ELIMIT);
    assert_int_equal(taulu_base64_decode("Zm9v", back, 6), TAULU_ELIMIT);
    assert_int_equal(taulu_base64_decode("Zm9vYmFyYmF6", back, 6),
                     TAULU_ELIMIT);
}

/* RFC 8032 7.1 TEST 1 (empty message) and TEST 2 (one byte 0x72). */
static void test_ed25519_vectors(void **state)
{
    uint8_t sk[TAULU_SIGN_SK_LEN], pk[TAULU_SIGN_PK_LEN],
        derived[TAULU_SIGN_PK_LEN], sig[TAULU_SIGN_LEN], want[TAULU_SIGN_LEN];

    (void)state;
    unhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
          sk, 32);
    unhex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
          pk, sizeof pk);
    memcpy(sk + 32, pk, 32);
    taulu_sign_sk_to_pk(sk, derived);
    assert_memory_equal(derived, pk, sizeof pk);
    taulu_sign("", 0, sk, sig);
    unhex("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
          "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
          want, sizeof want);
    assert_memory_equal(sig, want, sizeof sig);
    assert_int_equal(taulu_verify("", 0, sig, pk), 0);

    unhex("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
          sk, 32);
    unhex("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
          pk, sizeof pk);
    memcpy(sk + 32, pk, 32);
    taulu_sign("\x72", 1, sk, sig);
    unhex("92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
          "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00",
          want, sizeof want);
    assert_memory_equal(sig, want, sizeof sig);
    assert_int_equal(taulu_verify("\x72", 1, sig, pk), 0);
}

static void test_sign_verify_tamper(void **state)
{
    uint8_t pk[TAULU_SIGN_PK_LEN], sk[TAULU_SIGN_SK_LEN];
    uint8_t pk2[TAULU_SIGN_PK_LEN], sk2[TAULU_SIGN_SK_LEN];
    uint8_t sig[TAULU_SIGN_LEN];
    char msg[] = "{\"seq\":42,\"screen\":\"aula-1\",\"items\":[]}";
    size_t len = strlen(msg), i;

    (void)state;
    assert_int_equal(taulu_sign_keypair(pk, sk), 0);
    assert_int_equal(taulu_sign_keypair(pk2, sk2), 0);
    assert_memory_not_equal(pk, pk2, sizeof pk);
    taulu_sign(msg, len, sk, sig);
    assert_int_equal(taulu_verify(msg, len, sig, pk), 0);

    /* Every byte of the message, changed: refused. */
    for (i = 0; i < len; i++) {
        msg[i] ^= 0x01;
        assert_int_equal(taulu_verify(msg, len, sig, pk), TAULU_ESIG);
        msg[i] ^= 0x01;
    }
    /* Every byte of the signature, changed (low and high bit): refused. */
    for (i = 0; i < sizeof sig; i++) {
        sig[i] ^= 0x01;
        assert_int_equal(taulu_verify(msg, len, sig, pk), TAULU_ESIG);
        sig[i] ^= 0x81;
        assert_int_equal(taulu_verify(msg, len, sig, pk), TAULU_ESIG);
        sig[i] ^= 0x80;
    }
    /* Shorter or longer message, wrong key. */
    assert_int_equal(taulu_verify(msg, len - 1, sig, pk), TAULU_ESIG);
    assert_int_equal(taulu_verify(msg, len + 1, sig, pk), TAULU_ESIG);
    assert_int_equal(taulu_verify(msg, len, sig, pk2), TAULU_ESIG);
    /* And intact it still verifies. */
    assert_int_equal(taulu_verify(msg, len, sig, pk), 0);
}

static void test_key_id(void **state)
{
    uint8_t pk[TAULU_SIGN_PK_LEN], pk2[TAULU_SIGN_PK_LEN], sk[64];
    char id[17], id2[17];

    (void)state;
    unhex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
          pk, sizeof pk);
    taulu_key_id(pk, id);
    assert_string_equal(id, "21fe31dfa154a261"); /* sha256(pk)[0..8] */
    taulu_key_id(pk, id2);
    assert_string_equal(id2, id);
    assert_int_equal(taulu_sign_keypair(pk2, sk), 0);
    taulu_key_id(pk2, id2);
    assert_int_equal(strlen(id2), 16);
    assert_string_not_equal(id2, id);
}

static void path_in(char *out, size_t size, const char *name)
{
    assert_true((size_t)snprintf(out, size, "%s/%s", dir, name) < size);
}

static void test_key_files(void **state)
{
    uint8_t pk[TAULU_SIGN_PK_LEN], sk[TAULU_SIGN_SK_LEN];
    uint8_t pk_back[TAULU_SIGN_PK_LEN], sk_back[TAULU_SIGN_SK_LEN];
    char pkp[4200], skp[4200], p[4200];
    struct stat st;

    (void)state;
    assert_int_equal(taulu_sign_keypair(pk, sk), 0);
    path_in(pkp, sizeof pkp, "server.pub");
    path_in(skp, sizeof skp, "server.key");
    assert_int_equal(taulu_write_public_key(pkp, pk), 0);
    assert_int_equal(taulu_write_secret_key(skp, sk), 0);
    assert_int_equal(stat(skp, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(stat(pkp, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0644);
    assert_int_equal(taulu_read_public_key(pkp, pk_back), 0);
    assert_memory_equal(pk_back, pk, sizeof pk);
    assert_int_equal(taulu_read_secret_key(skp, sk_back), 0);
    assert_memory_equal(sk_back, sk, sizeof sk);

    /* A secret key readable by others is refused. */
    assert_int_equal(chmod(skp, 0644), 0);
    assert_int_equal(taulu_read_secret_key(skp, sk_back), TAULU_ECONFIG);
    assert_int_equal(chmod(skp, 0640), 0);
    assert_int_equal(taulu_read_secret_key(skp, sk_back), TAULU_ECONFIG);
    assert_int_equal(chmod(skp, 0400), 0);
    assert_int_equal(taulu_read_secret_key(skp, sk_back), 0);

    /* Missing files. */
    path_in(p, sizeof p, "none.pub");
    assert_int_equal(taulu_read_public_key(p, pk_back), TAULU_ENOTFOUND);
    assert_int_equal(taulu_read_secret_key(p, sk_back), TAULU_ENOTFOUND);

    /* Hand-written file with CRLF: fine. Known key, known text. */
    path_in(p, sizeof p, "rfc.pub");
    {
        const char *text = "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\r\n";
        uint8_t want[TAULU_SIGN_PK_LEN];

        assert_int_equal(taulu_file_write_atomic(p, text, strlen(text), 0644),
                         0);
        assert_int_equal(taulu_read_public_key(p, pk_back), 0);
        unhex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707"
              "511a",
              want, sizeof want);
        assert_memory_equal(pk_back, want, sizeof want);
    }
    /* Malformed: not base64, wrong length, a secret key as public key. */
    assert_int_equal(taulu_file_write_atomic(p, "not a key\n", 10, 0644), 0);
    assert_int_equal(taulu_read_public_key(p, pk_back), TAULU_EPARSE);
    assert_int_equal(taulu_file_write_atomic(p, "Zm9vYmFy\n", 9, 0644), 0);
    assert_int_equal(taulu_read_public_key(p, pk_back), TAULU_EPARSE);
    assert_int_equal(taulu_read_public_key(skp, pk_back), TAULU_EPARSE);
    {
        char big[1000];
        memset(big, 'A', sizeof big);
        assert_int_equal(taulu_file_write_atomic(p, big, sizeof big, 0644), 0);
        assert_int_equal(taulu_read_public_key(p, pk_back), TAULU_EPARSE);
    }
}

static void test_secret_helpers(void **state)
{
    uint8_t a[32], b[32];
    size_t i;

    (void)state;
    memset(a, 0x42, sizeof a);
    memcpy(b, a, sizeof b);
    assert_int_equal(taulu_secret_equal(a, b, sizeof a), 1);
    b[31] ^= 1;
    assert_int_equal(taulu_secret_equal(a, b, sizeof a), 0);
    taulu_wipe(a, sizeof a);
    for (i = 0; i < sizeof a; i++)
        assert_int_equal(a[i], 0);
    for (i = 0; i < 1000; i++)
        assert_true(taulu_random_uniform(7) < 7);
    assert_int_equal(taulu_random_uniform(1), 0);
    taulu_random_bytes(a, sizeof a);
    taulu_random_bytes(b, sizeof b);
    assert_memory_not_equal(a, b, sizeof a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sha256_vectors),
        cmocka_unit_test(test_sha256_incremental),
        cmocka_unit_test(test_is_sha256_hex),
        cmocka_unit_test(test_hex),
        cmocka_unit_test(test_base64),
        cmocka_unit_test(test_ed25519_vectors),
        cmocka_unit_test(test_sign_verify_tamper),
        cmocka_unit_test(test_key_id),
        cmocka_unit_test(test_key_files),
        cmocka_unit_test(test_secret_helpers),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
