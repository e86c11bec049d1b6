/*
 * fuzz_manifest.c: libFuzzer target for the manifest reader and the signed
 * envelope.
 *
 * Any input the reader accepts must write back to bytes that the reader
 * accepts again and that write back identically (the writer is the
 * reader's inverse on its own output). The same input is also offered to
 * taulu_manifest_open() as a signed blob, which must refuse it or hand out
 * a JSON slice inside it, never crash.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "taulu_crypto.h"
#include "taulu_manifest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The public half of a key the seed corpus (*-signed.bin) was signed
     * with once; its secret half was thrown away. */
    static const uint8_t pk[TAULU_SIGN_PK_LEN] = {
        0x15, 0x06, 0x1f, 0xd3, 0x64, 0x22, 0x0e, 0x7b, 0x4d, 0x70, 0x2b,
        0x65, 0x96, 0x0f, 0x60, 0x2d, 0x58, 0xa5, 0x56, 0xc6, 0xc7, 0x9a,
        0xf5, 0x6c, 0x5d, 0xb7, 0xc1, 0x23, 0xe6, 0xe8, 0x44, 0xea};
    struct taulu_manifest *m = NULL, *m2 = NULL;
    struct taulu_buf a, b, why;
    const char *json = NULL;
    size_t json_len = 0;

    if (taulu_crypto_init() < 0) {
        abort();
    }
    taulu_buf_init(&why, 1 << 16);
    taulu_buf_init(&a, TAULU_MANIFEST_MAX_BYTES * 2);
    taulu_buf_init(&b, TAULU_MANIFEST_MAX_BYTES * 2);
    if (taulu_manifest_parse((const char *)data, size, &m, &why) == 0) {
        if (taulu_manifest_write(m, &a) != 0 ||
            taulu_manifest_parse(a.data, a.len, &m2, &why) != 0 ||
            taulu_manifest_write(m2, &b) != 0 || a.len != b.len ||
            memcmp(a.data, b.data, a.len) != 0) {
            abort();
        }
    } else if (m != NULL || why.len == 0) {
        abort(); /* a refusal always says why and leaves nothing behind */
    }
    if (taulu_manifest_open((const char *)data, size, pk, NULL, &json,
                            &json_len, NULL) == 0) {
        struct taulu_manifest *m3 = NULL;
        if (json != (const char *)data + TAULU_MANIFEST_SIG_HEADER_LEN ||
            json + json_len != (const char *)data + size) {
            abort();
        }
        /* a correctly signed blob goes on to the reader */
        taulu_manifest_parse(json, json_len, &m3, NULL);
        taulu_manifest_free(m3);
    }
    taulu_manifest_free(m);
    taulu_manifest_free(m2);
    taulu_buf_release(&a);
    taulu_buf_release(&b);
    taulu_buf_release(&why);
    return 0;
}
