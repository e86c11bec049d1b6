/*
 * srv_keys.c: the manifest signing key pair (see srv_keys.h).
 */
#include "srv_keys.h"

#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "taulu_err.h"
#include "taulu_file.h"
#include "taulu_log.h"

#define TAG "keys"

int srv_keys_create(const char *dir)
{
    uint8_t pk[TAULU_SIGN_PK_LEN], sk[TAULU_SIGN_SK_LEN];
    char skp[600], pkp[600], id[17];
    struct stat st;
    int rc;

    if (taulu_crypto_init() < 0) {
        return TAULU_ECRYPTO;
    }
    if (taulu_path_join(skp, sizeof skp, dir, "server.key") < 0 ||
        taulu_path_join(pkp, sizeof pkp, dir, "server.pub") < 0) {
        return TAULU_ELIMIT;
    }
    if (stat(skp, &st) == 0) {
        taulu_err(TAG, "%s exists already; not replacing a signing key", skp);
        return TAULU_ECONFIG;
    }
    rc = taulu_mkdir_p(dir, 0700);
    if (rc == 0) {
        rc = taulu_sign_keypair(pk, sk);
    }
    if (rc == 0) {
        rc = taulu_write_secret_key(skp, sk);
    }
    if (rc == 0) {
        rc = taulu_write_public_key(pkp, pk);
    }
    taulu_wipe(sk, sizeof sk);
    if (rc == 0) {
        taulu_key_id(pk, id);
        taulu_info(TAG, "created signing key %s in %s", id, dir);
    }
    return rc;
}

int srv_keys_load(const char *sign_key, const char *data_dir,
                  uint8_t sk[TAULU_SIGN_SK_LEN])
{
    char path[600], dir[600];
    int rc;

    if (sign_key[0]) {
        snprintf(path, sizeof path, "%s", sign_key);
    } else {
        taulu_path_join(path, sizeof path, data_dir, "keys/server.key");
    }
    rc = taulu_read_secret_key(path, sk);
    taulu_path_join(dir, sizeof dir, data_dir, "keys");
    if (rc == TAULU_ENOTFOUND && !sign_key[0] && access(dir, F_OK) != 0) {
        /* First start with this data dir: make the key pair. A keys/
         * folder without the key is an error (a lost key is noticed, not
         * silently replaced: every screen holds the public half). */
        rc = srv_keys_create(dir);
        if (rc == 0) {
            rc = taulu_read_secret_key(path, sk);
        }
    }
    if (rc < 0) {
        taulu_err(TAG,
                  "cannot read the signing key %s: %s (create one with "
                  "--init-keys DIR)",
                  path, taulu_strerror(rc));
    }
    return rc;
}
