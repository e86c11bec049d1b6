/*
 * srv_pubapp.c: publishing wired into the server (see srv_pubapp.h):
 * start and stop, and the hooks by which the API's changes reach the
 * publisher.
 */
#include "srv_pubapp.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_hyph.h"
#include "srv_assets.h"
#include "srv_image.h"
#include "srv_keys.h"
#include "srv_provision.h"
#include "srv_pubstore.h"
#include "srv_shots.h"
#include "taulu_crypto.h"
#include "taulu_err.h"
#include "taulu_file.h"
#include "taulu_log.h"
#include "taulu_time.h"

#define TAG "pubapp"

struct srv_pubapp {
    struct srv_pub_options opt; /* strings borrowed (srv_pubapp.h) */
    struct srv_store *store;
    struct srv_publisher *pub;
    struct srv_mqtt *mqtt;
    struct srv_assets assets;
    struct srv_pubstore ps;    /* the publisher's backend's context */
    struct srv_provision prov; /* the broker's files, screens' access */
    uint8_t pk[TAULU_SIGN_PK_LEN];
    char pk_b64[64];
    char public_url[300];
    unsigned port;
    /* The broker as the screens reach it (srv_pub_screen_access()). */
    const char *screen_mqtt_host;
    long long screen_mqtt_port;
    bool screen_mqtt_tls;
    char *screen_ca_pem;     /* "" when none */
    struct srv_shots *shots; /* the screens' screenshots */
    /* The other instances on a shared database (srv_publish.h): what
     * they tell, heard before the publisher exists too (`heard_mu`
     * guards `pub` for the listener and `missed`). */
    struct srv_store_listener *listener;
    pthread_mutex_t heard_mu;
    bool missed;
    /* This instance's broker account on a shared database ("" = the
     * configured mqtt_user: one instance, or accounts the administrator
     * keeps). */
    char instance_user[SRV_STORE_INSTANCE_NAME_MAX];
};

/* The listener's thread: a notification for the publisher; one heard
 * while it starts is made up for by doing everything once more. */
static void on_heard(void *arg, const char *payload)
{
    struct srv_pubapp *pa = arg;

    pthread_mutex_lock(&pa->heard_mu);
    if (pa->pub) {
        srv_publisher_heard(pa->pub, payload);
    } else {
        pa->missed = true;
    }
    pthread_mutex_unlock(&pa->heard_mu);
}

/* Several instances on a shared database, the broker's files written by
 * the server: an account of this instance's own, "<mqtt_user>-<12 random
 * hex>", registered before the files are written (they list every live
 * instance's). A broker that binds client ids to user names (ours does:
 * use_username_as_clientid) keeps one connection per account; two
 * instances under one would throw each other off every second and lose
 * the pointers in flight. Without files of the server's, the
 * administrator gives each instance its own mqtt_user. 0 or a code. */
static int instance_account(struct srv_pubapp *pa,
                            const struct srv_pub_options *c)
{
    uint8_t rnd[6];
    char hex[2 * sizeof rnd + 1];
    int64_t now = taulu_now();
    int rc;

    if (!srv_store_shared(pa->store)) {
        return 0;
    }
    if (!c->broker_passwd[0] || !c->broker_acl[0]) {
        taulu_notice(TAG, "several instances can share this database: each "
                          "needs an MQTT account of its own (mqtt_user) on "
                          "the broker");
        return 0;
    }
    taulu_random_bytes(rnd, sizeof rnd);
    taulu_hex_encode(rnd, sizeof rnd, hex, sizeof hex);
    snprintf(pa->instance_user, sizeof pa->instance_user, "%.*s-%s",
             (int)(sizeof pa->instance_user - sizeof hex - 1), c->mqtt_user,
             hex);
    rc = srv_store_instance_seen(pa->store, pa->instance_user, now,
                                 now - SRV_INSTANCE_STALE_S);
    if (rc < 0) {
        taulu_err(TAG, "cannot register this instance: %s", taulu_strerror(rc));
        pa->instance_user[0] = '\0';
        return rc;
    }
    pa->prov.mqtt_user = pa->instance_user;
    pa->prov.instances = true;
    taulu_info(TAG, "this instance is %s on the broker", pa->instance_user);
    return 0;
}

/* The CA certificate given to the screens: a PEM file of at most 64 KiB
 * with a certificate in it. 0 or a code (logged). */
static int load_screen_ca(struct srv_pubapp *pa, const char *path)
{
    struct taulu_buf b;
    int rc;

    pa->screen_ca_pem = NULL;
    if (!path[0]) {
        pa->screen_ca_pem = strdup("");
        return pa->screen_ca_pem ? 0 : TAULU_ENOMEM;
    }
    taulu_buf_init(&b, 64 * 1024);
    rc = taulu_file_read(path, &b);
    if (rc == 0 && !strstr(b.data, "-----BEGIN CERTIFICATE-----")) {
        rc = TAULU_ECONFIG;
    }
    if (rc < 0) {
        taulu_err(TAG,
                  "%s: not a readable PEM certificate (at most 64 KiB): "
                  "%s",
                  path, taulu_strerror(rc));
        taulu_buf_release(&b);
        return rc;
    }
    pa->screen_ca_pem = taulu_buf_detach(&b, NULL);
    return pa->screen_ca_pem ? 0 : TAULU_ENOMEM;
}

/* Where the screens find the broker: public_mqtt_* when set, else the
 * server's own broker address (a broker on loopback for a single-machine
 * set-up, the tests and the demo). */
static int screen_broker(struct srv_pubapp *pa, const struct srv_pub_options *c)
{
    if (c->public_mqtt_host && c->public_mqtt_host[0]) {
        pa->screen_mqtt_host = c->public_mqtt_host;
        pa->screen_mqtt_port = c->public_mqtt_port;
        pa->screen_mqtt_tls = c->public_mqtt_tls;
        return load_screen_ca(pa, c->public_mqtt_cafile ? c->public_mqtt_cafile
                                                        : "");
    }
    pa->screen_mqtt_host = c->mqtt_host;
    pa->screen_mqtt_port = c->mqtt_port;
    pa->screen_mqtt_tls = c->mqtt_cafile[0] != '\0';
    if (c->mqtt_host[0]) {
        taulu_warn(TAG,
                   "public_mqtt_host is not set: screens are given the "
                   "server's own broker address %s:%lld%s",
                   c->mqtt_host, c->mqtt_port,
                   pa->screen_mqtt_tls ? "" : " without TLS");
    }
    return load_screen_ca(pa, c->mqtt_cafile);
}

/* ------------------------------------------------------------------ */
/* Start and stop */

int srv_pubapp_start(const struct srv_pub_options *cfg, struct srv_store *store,
                     struct srv_pubapp **out)
{
    struct srv_pubapp *pa;
    struct srv_pub_config pc;
    struct srv_pub_backend be;
    struct srv_mqtt_handlers mh;
    struct srv_mqtt_config mc;
    uint8_t sk[TAULU_SIGN_SK_LEN];
    char path[600];
    int rc;

    *out = NULL;
    if (!cfg->data_dir[0]) {
        taulu_err(TAG, "publishing needs --data-dir");
        return TAULU_ECONFIG;
    }
    pa = calloc(1, sizeof *pa);
    if (!pa) {
        return TAULU_ENOMEM;
    }
    pa->opt = *cfg;
    pa->store = store;
    pthread_mutex_init(&pa->heard_mu, NULL);
    srv_provision_init(&pa->prov);
    if (srv_image_init() < 0) {
        taulu_err(TAG, "SDL2_image cannot read PNG and JPEG");
        rc = TAULU_EUNAVAIL;
        goto fail;
    }
    rc = srv_assets_init(&pa->assets, cfg->data_dir);
    if (rc < 0) {
        taulu_err(TAG, "cannot create %s/assets", cfg->data_dir);
        goto fail;
    }
    /* The signing key (--sign-key, or keys/server.key in the data dir). */
    rc = srv_keys_load(cfg->sign_key, cfg->data_dir, sk);
    if (rc < 0) {
        goto fail;
    }
    taulu_sign_sk_to_pk(sk, pa->pk);
    taulu_base64_encode(pa->pk, sizeof pa->pk, pa->pk_b64, sizeof pa->pk_b64);
    if (cfg->public_url[0]) {
        snprintf(pa->public_url, sizeof pa->public_url, "%s", cfg->public_url);
    }
    rc = screen_broker(pa, cfg);
    if (rc < 0) {
        goto fail;
    }
    rc = srv_shots_new(cfg->data_dir, &pa->shots);
    if (rc < 0) {
        goto fail;
    }

    if (cfg->mqtt_password_file[0]) {
        snprintf(path, sizeof path, "%s", cfg->mqtt_password_file);
    } else {
        taulu_path_join(path, sizeof path, cfg->data_dir, "mqtt-server.secret");
    }
    pa->prov.store = store;
    pa->prov.broker_passwd = cfg->broker_passwd;
    pa->prov.broker_acl = cfg->broker_acl;
    pa->prov.broker_pid_file = cfg->broker_pid_file;
    pa->prov.mqtt_user = cfg->mqtt_user;
    pa->prov.mqtt_prefix = cfg->mqtt_prefix;
    rc = instance_account(pa, cfg);
    if (rc < 0) {
        goto fail;
    }
    rc = srv_provision_load_password(&pa->prov, path);
    if (rc < 0) {
        taulu_err(TAG, "cannot read or create the MQTT password file %s", path);
        goto fail;
    }
    srv_provision_write(&pa->prov);

    pa->ps.store = store;
    pa->ps.assets = &pa->assets;
    /* Break points of long words for the manifests: the same dictionaries
     * as the fit check at submission (srv_check.c). */
    pa->ps.hyph = check_hyph_new(NULL, &rc);
    if (!pa->ps.hyph) {
        goto fail;
    }
    /* Only a configured public_url: the listening address is no place a
     * phone in the lobby can reach. */
    pa->ps.public_base = cfg->public_url[0] ? cfg->public_url : NULL;
    pa->ps.instance = pa->instance_user[0] ? pa->instance_user : NULL;
    srv_pubstore_backend(&pa->ps, &be);
    memset(&pc, 0, sizeof pc);
    pc.sign_sk = sk;
    /* Listening first, so nothing told after the publisher has loaded
     * what it starts from is missed (nothing on SQLite). */
    rc = srv_store_listen(store, SRV_PUBSTORE_CHANNEL, on_heard, pa,
                          &pa->listener);
    if (rc < 0) {
        taulu_err(TAG, "cannot listen to the other instances: %s",
                  taulu_strerror(rc));
        goto fail;
    }
    {
        struct srv_publisher *pub = NULL;

        rc = srv_publisher_start(&pc, &be, &pub);
        pthread_mutex_lock(&pa->heard_mu);
        pa->pub = pub;
        if (pub && pa->missed) {
            srv_publisher_heard(pub, NULL);
        }
        pthread_mutex_unlock(&pa->heard_mu);
    }
    taulu_wipe(sk, sizeof sk);
    if (rc < 0) {
        goto fail;
    }
    if (cfg->mqtt_host[0]) {
        memset(&mc, 0, sizeof mc);
        mc.host = cfg->mqtt_host;
        mc.port = (int)cfg->mqtt_port;
        mc.user = pa->prov.mqtt_user;
        mc.password = pa->prov.mqtt_password;
        mc.prefix = cfg->mqtt_prefix;
        mc.cafile = cfg->mqtt_cafile[0] ? cfg->mqtt_cafile : NULL;
        srv_publisher_mqtt_handlers(pa->pub, &mh);
        rc = srv_mqtt_start(&mc, &mh, &pa->mqtt);
        if (rc < 0) {
            taulu_err(TAG, "cannot start the MQTT client: %s",
                      taulu_strerror(rc));
            goto fail;
        }
        srv_publisher_set_mqtt(pa->pub, pa->mqtt);
    }
    *out = pa;
    return 0;
fail:
    taulu_wipe(sk, sizeof sk);
    srv_pubapp_stop(pa);
    return rc;
}

void srv_pubapp_stop(struct srv_pubapp *pa)
{
    if (!pa) {
        return;
    }
    srv_store_listen_stop(pa->listener);
    if (pa->pub) {
        srv_publisher_set_mqtt(pa->pub, NULL);
    }
    srv_mqtt_stop(pa->mqtt);
    srv_publisher_free(pa->pub);
    if (pa->instance_user[0]) {
        /* a clean stop: the account goes from the next files written */
        srv_store_instance_gone(pa->store, pa->instance_user);
    }
    check_hyph_free(pa->ps.hyph);
    srv_provision_release(&pa->prov);
    free(pa->screen_ca_pem);
    srv_shots_free(pa->shots);
    pthread_mutex_destroy(&pa->heard_mu);
    free(pa);
}

void srv_pubapp_set_port(struct srv_pubapp *pa, unsigned port)
{
    pa->port = port;
    if (!pa->public_url[0]) {
        snprintf(pa->public_url, sizeof pa->public_url, "http://%s:%u",
                 pa->opt.listen_addr, port);
    }
}

int srv_pubapp_metrics(struct srv_pubapp *pa, struct taulu_buf *out)
{
    struct srv_pub_stats st;
    struct srv_mqtt_stats ms;
    int rc;

    if (!pa) {
        return 0;
    }
    srv_publisher_stats(srv_pubapp_publisher(pa), &st);
    srv_mqtt_get_stats(pa->mqtt, &ms);
    rc = taulu_buf_appendf(
        out,
        "# HELP infotaulu_publish_builds_total Centre manifests built.\n"
        "# TYPE infotaulu_publish_builds_total counter\n"
        "infotaulu_publish_builds_total %llu\n"
        "# HELP infotaulu_publish_failures_total Builds, signatures or saves "
        "that failed.\n"
        "# TYPE infotaulu_publish_failures_total counter\n"
        "infotaulu_publish_failures_total %llu\n"
        "# HELP infotaulu_publish_pointers_total Pointers published.\n"
        "# TYPE infotaulu_publish_pointers_total counter\n"
        "infotaulu_publish_pointers_total %llu\n"
        "# HELP infotaulu_publish_unpublished Approved cards and current "
        "alerts left out of the manifests now (see the centres' live "
        "status).\n"
        "# TYPE infotaulu_publish_unpublished gauge\n"
        "infotaulu_publish_unpublished %zu\n"
        "# HELP infotaulu_publish_unpublished_total Cards and alerts left "
        "out, counted when first seen.\n"
        "# TYPE infotaulu_publish_unpublished_total counter\n"
        "infotaulu_publish_unpublished_total %llu\n"
        "# HELP infotaulu_publish_leading 1 if this instance publishes (of "
        "several on one database, exactly one does).\n"
        "# TYPE infotaulu_publish_leading gauge\n"
        "infotaulu_publish_leading %d\n",
        (unsigned long long)st.builds, (unsigned long long)st.build_failures,
        (unsigned long long)st.pointers, st.refused,
        (unsigned long long)st.refused_total,
        srv_publisher_leading(srv_pubapp_publisher(pa)) ? 1 : 0);
    if (rc == 0 && pa->mqtt) {
        /* More than one in a short time: the connection flaps (another
         * client under this account, the broker restarting...). */
        rc = taulu_buf_appendf(
            out,
            "# HELP infotaulu_mqtt_connects_total Connections made to the "
            "broker (the first and every reconnect).\n"
            "# TYPE infotaulu_mqtt_connects_total counter\n"
            "infotaulu_mqtt_connects_total %llu\n",
            (unsigned long long)ms.connects);
    }
    return rc;
}

struct srv_publisher *srv_pubapp_publisher(struct srv_pubapp *pa)
{
    return pa ? pa->pub : NULL;
}

const struct srv_pub_options *srv_pubapp_options(const struct srv_pubapp *pa)
{
    return &pa->opt;
}

const char *srv_pub_public_key_b64(struct srv_pubapp *pa)
{
    return pa->pk_b64;
}

/* ------------------------------------------------------------------ */
/* A screen's access and the asset files (srv_provision.c, srv_assets.c) */

int srv_pub_set_screen_secret(struct srv_pubapp *pa, int64_t screen_id,
                              const char *token)
{
    int rc = srv_provision_set_screen(&pa->prov, screen_id, token);

    srv_publisher_screens_changed(pa->pub);
    return rc;
}

int srv_pub_player_config(struct srv_pubapp *pa, int64_t screen_id,
                          const char *token, const char *pk_file,
                          const char *cache_dir, struct taulu_buf *out)
{
    struct srv_player_access acc;

    srv_pub_screen_access(pa, &acc);
    return srv_player_config_text(&acc, screen_id, token, pk_file, cache_dir,
                                  out);
}

void srv_pub_screen_access(struct srv_pubapp *pa, struct srv_player_access *out)
{
    out->server_url = pa->public_url;
    out->public_key_b64 = pa->pk_b64;
    out->mqtt_host = pa->screen_mqtt_host ? pa->screen_mqtt_host : "";
    out->mqtt_port = pa->screen_mqtt_port;
    out->mqtt_prefix = pa->opt.mqtt_prefix;
    out->mqtt_tls = pa->screen_mqtt_tls;
    out->mqtt_ca_pem = pa->screen_ca_pem ? pa->screen_ca_pem : "";
}

int srv_pub_command(struct srv_pubapp *pa, int64_t screen_id,
                    enum taulu_command_kind cmd, const char *id)
{
    char wire[SRV_WIRE_ID_MAX];

    if (!pa || !pa->mqtt) {
        return TAULU_EUNAVAIL;
    }
    srv_screen_wire_id(screen_id, wire);
    return srv_mqtt_publish_command(pa->mqtt, wire, cmd, id);
}

int srv_pub_asset_open(struct srv_pubapp *pa, const char *sha256, int *fd,
                       uint64_t *size)
{
    return srv_assets_open(&pa->assets, sha256, fd, size);
}

int srv_pub_asset_put(struct srv_pubapp *pa, const char *sha256,
                      const void *data, size_t len, bool *existed)
{
    return srv_assets_put(&pa->assets, sha256, data, len, existed);
}

/* ------------------------------------------------------------------ */
/* Hooks */

void srv_pub_screens_changed(struct srv_pubapp *pa, int64_t deleted_id)
{
    if (!pa) {
        return;
    }
    if (deleted_id > 0) {
        srv_store_pub_forget(pa->store, deleted_id);
        srv_shots_forget(pa->shots, deleted_id);
        srv_provision_write(&pa->prov);
        if (pa->mqtt) {
            char id[SRV_WIRE_ID_MAX];
            srv_screen_wire_id(deleted_id, id);
            srv_mqtt_clear_desired(pa->mqtt, id);
        }
    }
    srv_publisher_screens_changed(pa->pub);
}

void srv_pub_centre_changed(struct srv_pubapp *pa, int64_t centre_id)
{
    if (pa) {
        srv_publisher_centre_changed(pa->pub, centre_id);
    }
}

void srv_pub_item_changed(struct srv_pubapp *pa, int64_t item_id)
{
    struct srv_pool pool;
    struct srv_item it;
    size_t i;

    if (!pa) {
        return;
    }
    srv_pool_init(&pool);
    if (srv_store_item_get(pa->store, &pool, item_id, &it) == 0) {
        for (i = 0; i < it.n_placements; i++) {
            srv_publisher_centre_changed(pa->pub, it.placements[i].centre_id);
        }
    } else {
        srv_publisher_all_changed(pa->pub);
    }
    srv_pool_release(&pool);
}

void srv_pub_alert_changed(struct srv_pubapp *pa, int64_t centre_id)
{
    if (!pa) {
        return;
    }
    if (centre_id > 0) {
        srv_publisher_centre_changed(pa->pub, centre_id);
    } else {
        srv_publisher_all_changed(pa->pub);
    }
}

struct srv_shots *srv_pub_shots(struct srv_pubapp *pa)
{
    return pa ? pa->shots : NULL;
}

void srv_pub_maintenance(struct srv_pubapp *pa, int64_t now)
{
    int n;

    if (!pa) {
        return;
    }
    n = srv_shots_sweep(pa->shots, now);
    if (n > 0) {
        taulu_info(TAG, "%d screenshots older than a day deleted", n);
    }
}
