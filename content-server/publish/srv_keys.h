/*
 * srv_keys.h: the server's manifest signing key pair (Ed25519): made by
 * `infotaulu-server --init-keys DIR`, or on the first start with a data
 * dir, and read at every start. The secret key file is 0600 and never
 * replaced: every screen holds the public half, so a lost key must be
 * noticed, not silently made anew.
 */
#ifndef SRV_KEYS_H
#define SRV_KEYS_H

#include <stdint.h>

#include "taulu_crypto.h"

/* A new key pair in DIR (made 0700 if missing): server.key (0600) and
 * server.pub. TAULU_ECONFIG if server.key exists already; 0 or a code. */
int srv_keys_create(const char *dir);

/* The secret signing key: from `sign_key` when it is not "", else from
 * data_dir/keys/server.key, which is made (with keys/) when keys/ does
 * not exist yet. A keys/ folder without the key is an error. 0 or a code
 * (logged, with the hint to use --init-keys). */
int srv_keys_load(const char *sign_key, const char *data_dir,
                  uint8_t sk[TAULU_SIGN_SK_LEN]);

#endif
