/*
 * srv_provision.c: what lets a screen in (see srv_pubapp.h): its MQTT
 * credentials in Mosquitto's password and ACL files, next to the server's
 * own account, and the player configuration a new screen is given.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "srv_broker.h"
#include "srv_pubapp_internal.h"
#include "taulu_err.h"
#include "taulu_file.h"
#include "taulu_log.h"

#define TAG "pubapp"

/* The server's MQTT password: from the file, or a new random one written
 * there (0600) on first start. */
int srv_pubapp_load_mqtt_password(struct srv_pubapp *pa, const char *path)
{
    struct taulu_buf b;
    uint8_t raw[24];
    int rc;

    taulu_buf_init(&b, sizeof pa->mqtt_password - 1);
    rc = taulu_file_read(path, &b);
    if (rc == TAULU_ENOTFOUND) {
        taulu_random_bytes(raw, sizeof raw);
        rc = taulu_hex_encode(raw, sizeof raw, pa->mqtt_password,
                              sizeof pa->mqtt_password);
        taulu_wipe(raw, sizeof raw);
        if (rc == 0) {
            rc = taulu_file_write_atomic(path, pa->mqtt_password,
                                         strlen(pa->mqtt_password), 0600);
        }
        taulu_buf_release(&b);
        return rc;
    }
    if (rc == 0) {
        b.data[strcspn(b.data, "\r\n")] = '\0';
        snprintf(pa->mqtt_password, sizeof pa->mqtt_password, "%s", b.data);
        if (!pa->mqtt_password[0]) {
            rc = TAULU_ECONFIG;
        }
    }
    taulu_wipe(b.data, b.len);
    taulu_buf_release(&b);
    return rc;
}

/* Writes Mosquitto's password and ACL files from every screen that has an
 * MQTT hash, then signals the broker. */
int srv_pubapp_write_broker_files(struct srv_pubapp *pa)
{
    const struct srv_pub_options *cfg = &pa->opt;
    struct srv_broker_account server, *acc = NULL;
    char server_hash[SRV_MOSQ_HASH_MAX];
    char(*hashes)[SRV_PUBDB_HASH_MAX] = NULL;
    char(*names)[SRV_WIRE_ID_MAX] = NULL;
    const char **ids = NULL;
    int64_t *sids = NULL;
    struct taulu_buf pw, acl;
    size_t n = 0, i;
    int rc;

    if (!cfg->broker_passwd[0] || !cfg->broker_acl[0]) {
        return 0;
    }
    taulu_buf_init(&pw, 16u * 1024u * 1024u);
    taulu_buf_init(&acl, 64u * 1024u * 1024u);
    pthread_mutex_lock(&pa->broker_mu);
    rc = srv_pubdb_mqtt_hashes(pa->db, &sids, &hashes, &n);
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
        srv_screen_wire_id(sids[i], names[i]);
        acc[i].user = names[i];
        acc[i].hash = hashes[i];
        ids[i] = names[i];
    }
    rc = srv_mosq_hash(pa->mqtt_password, server_hash);
    server.user = cfg->mqtt_user;
    server.hash = server_hash;
    if (rc == 0) {
        rc = srv_broker_passwd_text(&server, acc, n, &pw);
    }
    if (rc == 0) {
        rc =
            srv_broker_acl_text(cfg->mqtt_prefix, cfg->mqtt_user, ids, n, &acl);
    }
    if (rc == 0) {
        rc = srv_broker_write_files(
            cfg->broker_passwd, pw.data, cfg->broker_acl, acl.data,
            cfg->broker_pid_file[0] ? cfg->broker_pid_file : NULL);
    }
    if (rc < 0) {
        taulu_err(TAG, "cannot write the broker's files: %s",
                  taulu_strerror(rc));
    }
out:
    pthread_mutex_unlock(&pa->broker_mu);
    free(acc);
    free(names);
    free(ids);
    free(sids);
    free(hashes);
    taulu_buf_release(&pw);
    taulu_buf_release(&acl);
    return rc;
}

int srv_pub_player_config(struct srv_pubapp *pa, int64_t screen_id,
                          const char *token, const char *pk_file,
                          const char *cache_dir, struct taulu_buf *out)
{
    const struct srv_pub_options *cfg = &pa->opt;
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
        "cache_dir = %s\n",
        id, pa->public_url, id, token, pa->pk_b64, pk_file,
        cfg->mqtt_host[0] ? cfg->mqtt_host : "", cfg->mqtt_port,
        cfg->mqtt_prefix, cache_dir);
}

int srv_pub_set_screen_secret(struct srv_pubapp *pa, int64_t screen_id,
                              const char *token)
{
    char hash[SRV_MOSQ_HASH_MAX], id[SRV_WIRE_ID_MAX];
    int rc;

    srv_screen_wire_id(screen_id, id);
    /* The screen's MQTT password is its token; the broker gets only the
     * PBKDF2 hash. */
    rc = srv_mosq_hash(token, hash);
    if (rc == 0) {
        rc = srv_pubdb_set_mqtt_hash(pa->db, screen_id, hash);
    }
    if (rc == 0) {
        rc = srv_pubapp_write_broker_files(pa);
    } else {
        taulu_err(TAG, "cannot store the MQTT credentials of %s", id);
    }
    srv_publisher_screens_changed(pa->pub);
    return rc;
}
