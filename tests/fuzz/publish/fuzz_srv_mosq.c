/*
 * fuzz_srv_mosq.c: libFuzzer target for the Mosquitto "$7$" hash reader
 * (srv_mosq_check) and the password/ACL file writers' validation of user
 * names: no input may crash them, and a hash we write must check.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "srv_broker.h"
#include "taulu_crypto.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    static int inited;
    char s[512], hash[SRV_MOSQ_HASH_MAX];
    struct srv_broker_account server = {"infotaulu-server", NULL}, screen;
    struct taulu_buf out;
    const char *ids[1];

    if (!inited) {
        if (taulu_crypto_init() != 0) {
            abort();
        }
        inited = 1;
    }
    if (n > sizeof s - 1) {
        n = sizeof s - 1;
    }
    memcpy(s, d, n);
    s[n] = '\0';
    (void)srv_mosq_check("password", s);
    if (srv_mosq_hash("p", hash) != 0 || srv_mosq_check("p", hash) != 1) {
        abort();
    }
    /* The input as a user name: accepted names never contain ':' or a
     * newline, so no line can be injected into either file. */
    server.hash = hash;
    screen.user = s;
    screen.hash = hash;
    taulu_buf_init(&out, 65536);
    if (srv_broker_passwd_text(&server, 1, &screen, 1, &out) == 0 &&
        (strchr(s, ':') || strchr(s, '\n'))) {
        abort();
    }
    taulu_buf_reset(&out);
    ids[0] = s;
    if (srv_broker_acl_text(NULL, &server.user, 1, ids, 1, &out) == 0 &&
        (strchr(s, '\n') || strchr(s, '#') || strchr(s, '+'))) {
        abort();
    }
    taulu_buf_release(&out);
    return 0;
}
