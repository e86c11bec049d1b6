/*
 * srv_main.c: infotaulu-server, the content server program.
 *
 *   infotaulu-server --db /var/lib/infotaulu/taulu.db --port 8080
 *   infotaulu-server --db ... --create-coordinator anna@example.fi < pw
 *   infotaulu-server --config /etc/infotaulu/server.conf --check-config
 *
 * The main thread owns the signals: SIGTERM/SIGINT stop cleanly (finish
 * requests in flight, close the database), SIGHUP re-reads the settings
 * file and applies what can change while running (log level, login limits).
 * Between signals it runs the periodic work: expiring placements whose
 * display window closed and purging expired sessions and tokens.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "srv_api.h"
#include "srv_auth.h"
#include "srv_check.h"
#include "srv_config.h"
#include "srv_http.h"
#include "srv_image.h"
#include "srv_demo.h"
#include "srv_keys.h"
#include "srv_pubapp.h"
#include "srv_store.h"
#include "srv_tally.h"
#include "taulu_time.h"
#include "taulu_crypto.h"
#include "taulu_err.h"
#include "taulu_file.h"
#include "taulu_log.h"

#define TAG             "main"
#define MAINTENANCE_SEC 30
/* How often the counted refusals of closed minutes are written to the
 * audit log (srv_tally.h): a row appears at most this long after its
 * minute ends. */
#define FLUSH_SEC 10

/* Reads a password from stdin: one line, at most SRV_PASSWORD_MAX bytes.
 * An empty stdin gives "". 0 or -1. */
static int read_password(char *out, size_t size)
{
    size_t n = 0;
    ssize_t got;

    while (n < size - 1) {
        got = read(STDIN_FILENO, out + n, size - 1 - n);
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got <= 0) {
            break;
        }
        n += (size_t)got;
        if (memchr(out, '\n', n)) {
            break;
        }
    }
    out[n] = '\0';
    if (n == size - 1 && !memchr(out, '\n', n)) {
        return -1;
    }
    out[strcspn(out, "\r\n")] = '\0';
    return 0;
}

static int create_coordinator(struct srv_store *store,
                              const struct srv_config *cfg)
{
    char pw[SRV_PASSWORD_MAX + 2], hash[SRV_PWHASH_STRLEN];
    struct srv_user u;
    bool generated = false;
    int64_t id;
    int rc;

    if (read_password(pw, sizeof(pw)) < 0) {
        fprintf(stderr, "the password is too long\n");
        return 1;
    }
    if (!pw[0]) {
        srv_auth_new_password(pw, 25);
        generated = true;
    }
    if (!srv_auth_password_ok(pw)) {
        fprintf(stderr, "the password must be at least %d characters\n",
                SRV_PASSWORD_MIN);
        taulu_wipe(pw, sizeof(pw));
        return 1;
    }
    memset(&u, 0, sizeof(u));
    u.email = cfg->create_coordinator;
    u.name = cfg->coordinator_name[0] ? cfg->coordinator_name
                                      : cfg->create_coordinator;
    u.coordinator = true;
    rc = srv_auth_hash_password(pw, hash);
    if (rc == 0) {
        rc = srv_store_user_create(store, 0, &u, hash, &id);
    }
    if (rc == TAULU_ECONFLICT) {
        fprintf(stderr, "an account %s exists already\n",
                cfg->create_coordinator);
    } else if (rc) {
        fprintf(stderr, "cannot create the account: %s\n", taulu_strerror(rc));
    } else {
        printf("created coordinator %lld <%s>\n", (long long)id,
               cfg->create_coordinator);
        if (generated) {
            /* Printed once and never stored in clear. */
            printf("password: %s\n", pw);
        }
    }
    taulu_wipe(pw, sizeof(pw));
    return rc ? 1 : 0;
}

static int write_port_file(const char *path, unsigned port)
{
    char buf[16];
    int n = snprintf(buf, sizeof(buf), "%u\n", port);

    return taulu_file_write_atomic(path, buf, (size_t)n, 0644);
}

static void maintenance(struct srv_store *store)
{
    int64_t now = taulu_now();
    int n = srv_store_expire(store, now);

    if (n > 0) {
        taulu_info(TAG, "%d placements expired", n);
    }
    n = srv_store_purge_expired(store, now);
    if (n > 0) {
        taulu_debug(TAG, "%d expired sessions and tokens removed", n);
    }
}

/* Publishing's settings, borrowed from cfg (which lives for the run). */
static void pub_options(const struct srv_config *cfg, struct srv_pub_options *o)
{
    memset(o, 0, sizeof(*o));
    o->db_path = cfg->db_path;
    o->data_dir = cfg->data_dir;
    o->sign_key = cfg->sign_key;
    o->public_url = cfg->public_url;
    o->listen_addr = cfg->listen_addr;
    o->mqtt_host = cfg->mqtt_host;
    o->mqtt_port = cfg->mqtt_port;
    o->mqtt_user = cfg->mqtt_user;
    o->mqtt_password_file = cfg->mqtt_password_file;
    o->mqtt_prefix = cfg->mqtt_prefix;
    o->mqtt_cafile = cfg->mqtt_cafile;
    o->broker_passwd = cfg->broker_passwd;
    o->broker_acl = cfg->broker_acl;
    o->broker_pid_file = cfg->broker_pid_file;
}

/* --check-config with good settings: where they came from and their
 * values, on stdout. */
static int check_config(const struct srv_config *cfg)
{
    struct taulu_buf out;
    int rc;

    taulu_buf_init(&out, 256 * 1024);
    taulu_buf_appendf(&out, "# %s: %s\n", cfg->config_path,
                      cfg->config_read ? "read" : "not found, defaults used");
    rc = taulu_config_dump(&srv_config_table, cfg, &out);
    if (rc == 0) {
        fputs(out.data, stdout);
    } else {
        fprintf(stderr, "cannot print the settings: %s\n", taulu_strerror(rc));
    }
    taulu_buf_release(&out);
    return rc == 0 ? 0 : 1;
}

/* Logs each line of a buffer of messages as an error. */
static void log_lines(const char *text)
{
    while (*text) {
        size_t n = strcspn(text, "\n");
        taulu_err(TAG, "%.*s", (int)n, text);
        text += n;
        if (*text == '\n') {
            text++;
        }
    }
}

/* SIGHUP: re-reads the file (and the same options) and applies what can
 * change while running: the log level and the login limits. Other changes
 * are logged as waiting for a restart; a bad file changes nothing. */
static void reload(struct srv_app *app, struct srv_config *cur, int argc,
                   char **argv)
{
    struct srv_config fresh;
    struct taulu_buf errs;
    const char *names[64];
    size_t n, i;
    int rc;

    taulu_buf_init(&errs, 64 * 1024);
    rc = srv_config_parse(&fresh, argc, argv, &errs);
    if (rc != 0) {
        log_lines(errs.data);
        taulu_err(TAG, "reload failed; keeping the old settings");
        taulu_buf_release(&errs);
        return;
    }
    taulu_buf_release(&errs);
    n = srv_config_changed(cur, &fresh, names, 64);
    for (i = 0; i < n && i < 64; i++) {
        if (strcmp(names[i], "log_level") == 0) {
            taulu_notice(TAG, "log_level: %s -> %s",
                         srv_config_level_name(cur->log_level),
                         srv_config_level_name(fresh.log_level));
            taulu_log_threshold = fresh.log_level;
            cur->log_level = fresh.log_level;
        } else if (strcmp(names[i], "login_max_failures") == 0) {
            taulu_notice(TAG, "login_max_failures: %lld -> %lld",
                         cur->login_max_failures, fresh.login_max_failures);
            srv_ratelimit_set_max(app->rl_account,
                                  (unsigned)fresh.login_max_failures);
            cur->login_max_failures = fresh.login_max_failures;
        } else if (strcmp(names[i], "ip_max_failures") == 0) {
            taulu_notice(TAG, "ip_max_failures: %lld -> %lld",
                         cur->ip_max_failures, fresh.ip_max_failures);
            srv_ratelimit_set_max(app->rl_ip, (unsigned)fresh.ip_max_failures);
            cur->ip_max_failures = fresh.ip_max_failures;
        } else {
            taulu_warn(TAG, "%s changed; it takes effect at the next restart",
                       names[i]);
        }
    }
    taulu_notice(TAG, "settings reloaded from %s%s", fresh.config_path,
                 fresh.config_read ? "" : " (not found: defaults)");
}

int main(int argc, char **argv)
{
    struct srv_config cfg;
    struct srv_app app;
    struct srv_http_options hopt;
    struct srv_http_hooks hooks;
    struct srv_http *http = NULL;
    struct srv_pubapp *pub = NULL;
    struct srv_config loaded;
    struct taulu_buf errs;
    sigset_t sigs;
    unsigned port = 0, conns;
    int rc, exit_code = 1;

    memset(&app, 0, sizeof(app));
    memset(&hopt, 0, sizeof(hopt));
    hopt.web_root_fd = -1;
    taulu_buf_init(&errs, 64 * 1024);
    rc = srv_config_parse(&cfg, argc, argv, &errs);
    if (rc == 1) {
        taulu_buf_release(&errs);
        return 0;
    }
    if (rc) {
        fputs(errs.data, stderr);
        taulu_buf_release(&errs);
        if (cfg.check_config) {
            return 1;
        }
        fprintf(stderr, "see %s --help\n", argv[0]);
        return 2;
    }
    taulu_buf_release(&errs);
    taulu_log_threshold = cfg.log_level;
    if (cfg.check_config) {
        return check_config(&cfg);
    }
    /* As loaded, before threads = 0 is resolved: what SIGHUP compares a
     * re-read file with. */
    loaded = cfg;
    if (srv_auth_init() != 0) {
        taulu_err(TAG, "cannot initialise libsodium");
        return 1;
    }
    if (cfg.init_keys[0]) {
        return srv_keys_create(cfg.init_keys) == 0 ? 0 : 1;
    }
    if (cfg.data_dir[0] && taulu_mkdir_p(cfg.data_dir, 0750) != 0) {
        taulu_err(TAG, "cannot create %s", cfg.data_dir);
        return 1;
    }
    /* Signals go to the main thread only: block them before any thread
     * starts, so MHD's and SQLite's threads inherit the mask. */
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);

    /* The HTTP pool's size, decided here so the store gets one connection
     * per worker (plus the main thread's and a spare). */
    if (cfg.threads == 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        cfg.threads = n > 2 && n < 128 ? 2 * n : 4;
    }
    conns = (unsigned)cfg.threads + 2;
    rc = srv_store_open(cfg.db_path, conns, &app.store);
    if (rc) {
        taulu_err(TAG, "cannot open the database %s", cfg.db_path);
        return 1;
    }
    if (cfg.create_coordinator[0]) {
        exit_code = create_coordinator(app.store, &cfg);
        srv_store_close(app.store);
        return exit_code;
    }
    if (cfg.web_root[0]) {
        hopt.web_root_fd =
            open(cfg.web_root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (hopt.web_root_fd < 0) {
            taulu_err(TAG, "cannot open the web root %s", cfg.web_root);
            goto out;
        }
    }
    app.rl_account = srv_ratelimit_new((unsigned)cfg.login_max_failures);
    app.rl_ip = srv_ratelimit_new((unsigned)cfg.ip_max_failures);
    app.metrics = srv_metrics_new(srv_route_labels, srv_route_count + 2);
    app.refusals = srv_tally_new();
    if (!app.rl_account || !app.rl_ip || !app.metrics || !app.refusals) {
        taulu_err(TAG, "out of memory");
        goto out;
    }
    rc =
        srv_checker_new(cfg.font_dir, (unsigned)cfg.max_previews, &app.checker);
    if (rc) {
        taulu_err(TAG, "cannot start the checker and renderer (fonts in %s)",
                  cfg.font_dir);
        goto out;
    }
    app.started_at = taulu_now();
    app.session_ttl = cfg.session_ttl;
    maintenance(app.store);
    if (cfg.demo) {
        rc = srv_demo_seed(app.store, cfg.data_dir);
        if (rc < 0) {
            taulu_err(TAG, "cannot seed the demo content");
            goto out;
        }
    }
    /* Uploads: how many decode at once, in how much memory. */
    srv_image_set_limits((unsigned)cfg.image_decodes,
                         (size_t)cfg.image_memory * 1024 * 1024);
    /* Publishing: manifests are built before the first request arrives. */
    if (cfg.data_dir[0]) {
        struct srv_pub_options popt;
        pub_options(&cfg, &popt);
        rc = srv_pubapp_start(&popt, app.store, &pub);
        if (rc) {
            goto out;
        }
        app.pub = pub;
    }
    hopt.listen_addr = cfg.listen_addr;
    hopt.port = (unsigned)cfg.port;
    hopt.threads = (unsigned)cfg.threads;
    hopt.conn_timeout = (unsigned)cfg.conn_timeout;
    hopt.max_body = (size_t)cfg.max_json;
    hopt.head_timeout = (unsigned)cfg.header_timeout;
    hopt.body_timeout = (unsigned)cfg.body_timeout;
    hopt.max_conns = (unsigned)cfg.max_connections;
    hopt.max_per_addr = (unsigned)cfg.max_per_address;
    /* checked by srv_config_parse */
    srv_addr_list_parse(cfg.trusted_proxy, hopt.trusted_proxy,
                        &hopt.n_trusted_proxy);
    {
        const char *why;
        srv_config_secure(&cfg, &hopt.secure, &hopt.secure_via_proxy, &why);
        taulu_notice(TAG, "secure cookies and HSTS: %s (%s)",
                     hopt.secure             ? "on"
                     : hopt.secure_via_proxy ? "per request"
                                             : "off",
                     why);
    }
    hopt.metrics = app.metrics;
    srv_api_http_hooks(&app, &hooks);
    rc = srv_http_start(&hopt, &hooks, &http, &port);
    if (rc) {
        goto out;
    }
    if (pub) {
        srv_pubapp_set_port(pub, port);
    }
    if (pub && cfg.demo && cfg.player_config_out[0] &&
        srv_demo_player_configs(cfg.data_dir, pub, cfg.player_config_out) !=
            0) {
        taulu_err(TAG, "cannot write the demo player configs to %s",
                  cfg.player_config_out);
        goto out;
    }
    if (cfg.port_file[0] && write_port_file(cfg.port_file, port)) {
        taulu_err(TAG, "cannot write %s", cfg.port_file);
        goto out;
    }
    {
        int64_t last_maintenance = srv_monotonic_us();
        for (;;) {
            struct timespec ts = {FLUSH_SEC, 0};
            int sig = sigtimedwait(&sigs, NULL, &ts);
            if (sig == SIGTERM || sig == SIGINT) {
                taulu_notice(TAG, "stopping on signal %d", sig);
                break;
            }
            if (sig == SIGHUP) {
                reload(&app, &loaded, argc, argv);
                continue;
            }
            srv_api_flush_refusals(&app, false);
            if (srv_monotonic_us() - last_maintenance >=
                (int64_t)MAINTENANCE_SEC * 1000000) {
                maintenance(app.store);
                last_maintenance = srv_monotonic_us();
            }
        }
    }
    exit_code = 0;
out:
    srv_http_stop(http);
    /* What was counted until the end: the requests have all finished. */
    if (app.refusals && app.store) {
        srv_api_flush_refusals(&app, true);
    }
    srv_checker_free(app.checker);
    app.pub = NULL;
    srv_pubapp_stop(pub);
    srv_metrics_free(app.metrics);
    srv_ratelimit_free(app.rl_account);
    srv_ratelimit_free(app.rl_ip);
    srv_tally_free(app.refusals);
    if (hopt.web_root_fd >= 0) {
        close(hopt.web_root_fd);
    }
    srv_store_close(app.store);
    return exit_code;
}
