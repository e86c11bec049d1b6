/*
 * srv_provision.c: what lets a screen in (see srv_provision.h).
 */
#include "srv_provision.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "srv_broker.h"
#include "srv_manifest.h"
#include "taulu_crypto.h"
#include "taulu_err.h"
#include "taulu_file.h"
#include "taulu_log.h"
#include "taulu_time.h"

#define TAG "pubapp"

void srv_provision_init(struct srv_provision *p)
{
    memset(p, 0, sizeof *p);
    p->broker_passwd = "";
    p->broker_acl = "";
    p->broker_pid_file = "";
    p->mqtt_user = "";
    p->mqtt_prefix = "";
    pthread_mutex_init(&p->mu, NULL);
}

void srv_provision_release(struct srv_provision *p)
{
    if (!p) {
        return;
    }
    taulu_wipe(p->mqtt_password, sizeof p->mqtt_password);
    pthread_mutex_destroy(&p->mu);
}

int srv_provision_load_password(struct srv_provision *p, const char *path)
{
    struct taulu_buf b;
    uint8_t raw[24];
    int rc;

    taulu_buf_init(&b, sizeof p->mqtt_password - 1);
    rc = taulu_file_read(path, &b);
    if (rc == TAULU_ENOTFOUND) {
        taulu_random_bytes(raw, sizeof raw);
        rc = taulu_hex_encode(raw, sizeof raw, p->mqtt_password,
                              sizeof p->mqtt_password);
        taulu_wipe(raw, sizeof raw);
        if (rc == 0) {
            rc = taulu_file_write_atomic(path, p->mqtt_password,
                                         strlen(p->mqtt_password), 0600);
        }
        taulu_buf_release(&b);
        return rc;
    }
    if (rc == 0) {
        b.data[strcspn(b.data, "\r\n")] = '\0';
        snprintf(p->mqtt_password, sizeof p->mqtt_password, "%s", b.data);
        if (!p->mqtt_password[0]) {
            rc = TAULU_ECONFIG;
        }
    }
    taulu_wipe(b.data, b.len);
    taulu_buf_release(&b);
    return rc;
}

int srv_provision_write(struct srv_provision *p)
{
    struct srv_broker_account *acc = NULL, *servers = NULL;
    char server_hash[SRV_MOSQ_HASH_MAX];
    const char **server_users = NULL, **live = NULL;
    size_t n_servers = 0, n_live = 0, k;
    struct srv_mqtt_hash *hashes = NULL;
    char(*names)[SRV_WIRE_ID_MAX] = NULL;
    const char **ids = NULL;
    struct srv_pool pool;
    struct taulu_buf pw, acl;
    size_t n = 0, i;
    int rc;

    if (!p->broker_passwd[0] || !p->broker_acl[0]) {
        return 0;
    }
    taulu_buf_init(&pw, 16u * 1024u * 1024u);
    taulu_buf_init(&acl, 64u * 1024u * 1024u);
    srv_pool_init(&pool);
    pthread_mutex_lock(&p->mu);
    rc = srv_store_pub_mqtt_hashes(p->store, &pool, &hashes, &n);
    if (rc < 0) {
        goto out;
    }
    acc = calloc(n ? n : 1, sizeof *acc);
    names = calloc(n ? n : 1, sizeof *names);
    ids = calloc(n ? n : 1, sizeof *ids);
    if (!acc || !names || !ids) {
        rc = TAULU_ENOMEM;
        goto out;
    }
    for (i = 0; i < n; i++) {
        srv_screen_wire_id(hashes[i].screen_id, names[i]);
        acc[i].user = names[i];
        acc[i].hash = hashes[i].hash;
        ids[i] = names[i];
    }
    if (p->instances) {
        rc = srv_store_instance_names(p->store, &pool,
                                      taulu_now() - SRV_INSTANCE_STALE_S, &live,
                                      &n_live);
        if (rc < 0) {
            goto out;
        }
    }
    /* this instance's own, and every other live one's */
    server_users = calloc(n_live + 1, sizeof *server_users);
    servers = calloc(n_live + 1, sizeof *servers);
    if (!server_users || !servers) {
        rc = TAULU_ENOMEM;
        goto out;
    }
    server_users[n_servers++] = p->mqtt_user;
    for (k = 0; k < n_live; k++) {
        if (strcmp(live[k], p->mqtt_user) != 0) {
            server_users[n_servers++] = live[k];
        }
    }
    rc = srv_mosq_hash(p->mqtt_password, server_hash);
    for (k = 0; k < n_servers; k++) {
        servers[k].user = server_users[k];
        servers[k].hash = server_hash;
    }
    if (rc == 0) {
        rc = srv_broker_passwd_text(servers, n_servers, acc, n, &pw);
    }
    if (rc == 0) {
        rc = srv_broker_acl_text(p->mqtt_prefix, server_users, n_servers, ids,
                                 n, &acl);
    }
    if (rc == 0) {
        rc = srv_broker_write_files(
            p->broker_passwd, pw.data, p->broker_acl, acl.data,
            p->broker_pid_file[0] ? p->broker_pid_file : NULL);
    }
    if (rc < 0) {
        taulu_err(TAG, "cannot write the broker's files: %s",
                  taulu_strerror(rc));
    }
out:
    pthread_mutex_unlock(&p->mu);
    free(servers);
    free(server_users);
    free(acc);
    free(names);
    free(ids);
    srv_pool_release(&pool);
    taulu_buf_release(&pw);
    taulu_buf_release(&acl);
    return rc;
}

int srv_provision_set_screen(struct srv_provision *p, int64_t screen_id,
                             const char *token)
{
    char hash[SRV_MOSQ_HASH_MAX], id[SRV_WIRE_ID_MAX];
    int rc;

    srv_screen_wire_id(screen_id, id);
    /* The screen's MQTT password is its token; the broker gets only the
     * PBKDF2 hash. */
    rc = srv_mosq_hash(token, hash);
    if (rc == 0) {
        rc = srv_store_pub_set_mqtt_hash(p->store, screen_id, hash);
    }
    if (rc == 0) {
        rc = srv_provision_write(p);
    } else {
        taulu_err(TAG, "cannot store the MQTT credentials of %s", id);
    }
    return rc;
}

int srv_player_config_text(const struct srv_player_access *cfg,
                           int64_t screen_id, const char *token,
                           const char *pk_file, const char *cache_dir,
                           struct taulu_buf *out)
{
    char id[SRV_WIRE_ID_MAX];

    srv_screen_wire_id(screen_id, id);
    return taulu_buf_appendf(
        out,
        "# Infotaulu player for %s. Keep this file private (mode 0600):\n"
        "# it holds the screen's token.\n"
        "server_url = %s\n"
        "screen_id = %s\n"
        "screen_token = %s\n"
        "# The server's public key (base64): %s\n"
        "server_pk_file = %s\n"
        "mqtt_host = %s\n"
        "mqtt_port = %lld\n"
        "mqtt_prefix = %s\n"
        "mqtt_tls = %s\n"
        "%s"
        "cache_dir = %s\n",
        id, cfg->server_url, id, token, cfg->public_key_b64, pk_file,
        cfg->mqtt_host[0] ? cfg->mqtt_host : "", cfg->mqtt_port,
        cfg->mqtt_prefix, cfg->mqtt_tls ? "true" : "false",
        cfg->mqtt_tls && cfg->mqtt_ca_pem && cfg->mqtt_ca_pem[0]
            ? "# The broker's CA: put the server's public_mqtt_cafile "
              "beside this file and\n# mqtt_ca_file = "
              "/etc/infotaulu/mqtt-ca.pem\n"
            : "",
        cache_dir);
}
