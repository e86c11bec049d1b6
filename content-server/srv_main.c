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
 *
 * Under systemd (Type=notify) it says READY=1 once it serves, RELOADING=1
 * and READY=1 around a SIGHUP, STOPPING=1 on the way out, and feeds the
 * watchdog (WatchdogSec=) only after a heartbeat: the publisher's worker
 * turned its loop and the server's own GET /healthz was answered
 * (srv_heartbeat.h). A server whose request threads or publisher hang is
 * killed and restarted.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "srv_api.h"
#include "srv_enrol.h"
#include "srv_auth.h"
#include "srv_check.h"
#include "srv_config.h"
#include "srv_http.h"
#include "srv_image.h"
#include "srv_demo.h"
#include "srv_heartbeat.h"
#include "srv_keys.h"
#include "srv_import.h"
#include "srv_mailer.h"
#include "srv_pubapp.h"
#include "srv_store.h"
#include "srv_tally.h"
#include "taulu_time.h"
#include "taulu_crypto.h"
#include "taulu_err.h"
#include "taulu_file.h"
#include "taulu_log.h"
#include "taulu_notify.h"

#define TAG             "main"
#define MAINTENANCE_SEC 30
/* The heartbeat's own deadline at most; a quarter of the watchdog's
 * timeout when that is shorter, so that a slow answer and the next
 * keep-alive still fit in the timeout. */
#define HEARTBEAT_TIMEOUT_MS 5000
/* After a failed heartbeat, the next try. */
#define HEARTBEAT_RETRY_MS 1000
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
    o->public_mqtt_host = cfg->public_mqtt_host;
    o->public_mqtt_port = cfg->public_mqtt_port;
    o->public_mqtt_tls = cfg->public_mqtt_tls;
    o->public_mqtt_cafile = cfg->public_mqtt_cafile;
    o->broker_passwd = cfg->broker_passwd;
    o->broker_acl = cfg->broker_acl;
    o->broker_pid_file = cfg->broker_pid_file;
}

/* E-mail's settings, borrowed from cfg (which lives for the run). */
static void mail_options(const struct srv_config *cfg,
                         struct srv_mailer_options *o)
{
    memset(o, 0, sizeof(*o));
    o->smtp_url = cfg->smtp_url;
    o->smtp_tls = srv_config_smtp_tls[cfg->smtp_tls];
    o->smtp_cafile = cfg->smtp_cafile;
    o->smtp_credentials = cfg->smtp_credentials_file;
    o->from_addr = cfg->mail_from;
    o->from_name = cfg->mail_from_name;
    o->base_url = cfg->public_url;
    o->max_attempts = cfg->mail_max_attempts;
    o->retry = cfg->mail_retry;
    o->notify_delay = cfg->notify_delay;
    o->notify_interval = cfg->notify_interval;
    o->invite_ttl = cfg->invite_ttl;
    o->reset_ttl = cfg->reset_ttl;
}

/* Opens the web UI's folder. One that was set and cannot be opened stops
 * the start (a typo must not look like a running service); the default
 * one (the installed web UI) missing only warns, loudly, because the API
 * and the screens work without it. 0 or -1. */
static int open_web_root(const struct srv_config *cfg, int *fd)
{
    const char *root = cfg->web_root;

    *fd = root[0] ? open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
    if (*fd < 0 && !cfg->web_root_default) {
        taulu_err(TAG, "cannot open the web root %s", root);
        return -1;
    }
    if (*fd < 0) {
        taulu_warn(TAG,
                   "no web UI: %s is missing, so / and the sign-in page "
                   "answer 404; set web_root in %s or --web-root DIR",
                   root, cfg->config_path);
    } else if (faccessat(*fd, "index.html", R_OK, 0) != 0) {
        taulu_warn(TAG,
                   "the web root %s has no index.html: / answers 404; "
                   "set web_root in %s or --web-root DIR",
                   root, cfg->config_path);
    } else {
        taulu_info(TAG, "web UI from %s", root);
    }
    return 0;
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

/* The watchdog's heartbeat: the publisher's worker turned its loop since
 * the last one and the server answers its own GET /healthz. true: feed
 * the watchdog. Each failure is logged (a hung server is about to be
 * restarted, and the journal should say why). */
static bool heartbeat(const struct srv_config *cfg, unsigned port,
                      struct srv_pubapp *pub, const struct taulu_watchdog *wd)
{
    int timeout = HEARTBEAT_TIMEOUT_MS, status = 0, rc;

    if (wd->every_ms / 2 < timeout) {
        timeout = (int)(wd->every_ms / 2);
    }
    if (pub && !srv_publisher_alive(srv_pubapp_publisher(pub))) {
        taulu_warn(TAG, "watchdog: the publisher has not turned its loop "
                        "since the last heartbeat");
        return false;
    }
    rc = srv_heartbeat_http(cfg->listen_addr, port, timeout, &status);
    if (rc < 0) {
        taulu_warn(TAG,
                   "watchdog: GET /healthz on port %u: no answer in %d ms "
                   "(%s)",
                   port, timeout, taulu_strerror(rc));
        return false;
    }
    if (status != 200) {
        /* alive, but the database fails: a restart would not mend it */
        taulu_warn(TAG, "watchdog: /healthz answered %d", status);
    }
    return true;
}

/* INFOTAULU_DEBUG_STALL_S=N (the watchdog's tests only): after N seconds
 * every GET /healthz hangs in its handler, as a deadlocked request thread
 * would; the heartbeat's request then gets no answer. */
static int64_t debug_stall_at_ms;

static void stalling_healthz(struct srv_req *r)
{
    if (debug_stall_at_ms > 0 && taulu_monotonic_ms() >= debug_stall_at_ms) {
        for (;;) {
            sleep(3600);
        }
    }
    srv_h_healthz(r);
}

/* The route table with /healthz through stalling_healthz() when
 * INFOTAULU_DEBUG_STALL_S is set; NULL (the table as it is) otherwise. */
static struct srv_route *debug_stall_routes(struct srv_http_hooks *hooks)
{
    const char *s = getenv("INFOTAULU_DEBUG_STALL_S");
    struct srv_route *copy;
    char *end = NULL;
    long n;
    unsigned i;

    if (!s || !s[0]) {
        return NULL;
    }
    n = strtol(s, &end, 10);
    if (*end || n < 0 || n > 86400) {
        taulu_warn(TAG, "INFOTAULU_DEBUG_STALL_S=%s ignored", s);
        return NULL;
    }
    copy = malloc(sizeof *copy * hooks->nroutes);
    if (!copy) {
        return NULL;
    }
    memcpy(copy, hooks->routes, sizeof *copy * hooks->nroutes);
    for (i = 0; i < hooks->nroutes; i++) {
        if (strcmp(copy[i].pattern, "/healthz") == 0) {
            copy[i].handler = stalling_healthz;
        }
    }
    hooks->routes = copy;
    debug_stall_at_ms = taulu_monotonic_ms() + n * 1000;
    taulu_warn(TAG, "INFOTAULU_DEBUG_STALL_S: /healthz hangs after %ld s", n);
    return copy;
}

/* RELOADING=1 with the monotonic time systemd (253 and later) wants
 * beside it. */
static void notify_reloading(void)
{
    char msg[64];

    snprintf(msg, sizeof msg, "RELOADING=1\nMONOTONIC_USEC=%lld",
             (long long)taulu_monotonic_ms() * 1000);
    taulu_notify(msg);
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
            srv_ratelimit_set_max(app->rl_link_ip,
                                  (unsigned)fresh.ip_max_failures);
            cur->ip_max_failures = fresh.ip_max_failures;
        } else if (strcmp(names[i], "reset_max_requests") == 0) {
            taulu_notice(TAG, "reset_max_requests: %lld -> %lld",
                         cur->reset_max_requests, fresh.reset_max_requests);
            srv_ratelimit_set_max(app->rl_reset_account,
                                  (unsigned)fresh.reset_max_requests);
            srv_ratelimit_set_max(app->rl_reset_ip,
                                  (unsigned)fresh.reset_max_requests * 10);
            cur->reset_max_requests = fresh.reset_max_requests;
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
    struct srv_mailer *mailer = NULL;
    struct srv_importer *importer = NULL;
    struct srv_config loaded;
    struct srv_route *stall_routes = NULL;
    struct taulu_watchdog wd;
    struct taulu_buf errs;
    int64_t next_maintenance, next_flush;
    char status[128];
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
    /* The time zones' rules from the system's tzdata (or the EU rule),
     * read once before any thread starts and logged. */
    taulu_tz_init();
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
        /* a PostgreSQL conninfo may hold a password: not in the log */
        taulu_err(TAG, "cannot open the database %s",
                  strncmp(cfg.db_path, "postgres", 8) == 0
                      ? "(PostgreSQL: see the messages above)"
                      : cfg.db_path);
        return 1;
    }
    if (cfg.create_coordinator[0]) {
        exit_code = create_coordinator(app.store, &cfg);
        srv_store_close(app.store);
        return exit_code;
    }
    if (open_web_root(&cfg, &hopt.web_root_fd) != 0) {
        goto out;
    }
    app.rl_account = srv_ratelimit_new((unsigned)cfg.login_max_failures);
    app.rl_ip = srv_ratelimit_new((unsigned)cfg.ip_max_failures);
    app.metrics = srv_metrics_new(srv_route_labels, srv_route_count + 2);
    app.rl_reset_account = srv_ratelimit_new((unsigned)cfg.reset_max_requests);
    app.rl_reset_ip = srv_ratelimit_new((unsigned)cfg.reset_max_requests * 10);
    app.rl_link_ip = srv_ratelimit_new((unsigned)cfg.ip_max_failures);
    app.refusals = srv_tally_new();
    /* Enrolment (srv_api_enrol.c): sessions opened per client address,
     * failed binds per coordinator and per client address. */
    app.enrol = srv_enrol_new(0);
    app.rl_enrol_ip = srv_ratelimit_new(SRV_ENROL_OPEN_PER_ADDR);
    app.rl_bind = srv_ratelimit_new(SRV_ENROL_BIND_FAILURES);
    if (!app.rl_account || !app.rl_ip || !app.metrics ||
        !app.rl_reset_account || !app.rl_reset_ip || !app.rl_link_ip ||
        !app.refusals || !app.enrol || !app.rl_enrol_ip || !app.rl_bind) {
        taulu_err(TAG, "out of memory");
        goto out;
    }
    if (srv_store_shared(app.store)) {
        /* Several instances may serve this database: a guess counts
         * against the limit whichever instance it reaches. */
        srv_ratelimit_share(app.rl_account, app.store, "login_account");
        srv_ratelimit_share(app.rl_ip, app.store, "login_ip");
        srv_ratelimit_share(app.rl_reset_account, app.store, "reset_account");
        srv_ratelimit_share(app.rl_reset_ip, app.store, "reset_ip");
        srv_ratelimit_share(app.rl_link_ip, app.store, "link_ip");
        srv_ratelimit_share(app.rl_enrol_ip, app.store, "enrol_ip");
        srv_ratelimit_share(app.rl_bind, app.store, "bind");
    }
    rc =
        srv_checker_new(cfg.font_dir, (unsigned)cfg.max_previews, &app.checker);
    if (rc) {
        taulu_err(TAG,
                  "cannot start the checker and renderer (fonts in %s); "
                  "set font_dir in %s or --font-dir DIR",
                  cfg.font_dir, cfg.config_path);
        goto out;
    }
    taulu_info(TAG, "fonts from %s", cfg.font_dir);
    app.started_at = taulu_now();
    app.public_url = cfg.public_url;
    app.session_ttl = cfg.session_ttl;
    maintenance(app.store);
    if (cfg.demo) {
        rc = srv_demo_seed(app.store, cfg.data_dir);
        if (rc < 0) {
            taulu_err(TAG, "cannot seed the demo content");
            goto out;
        }
    }
    /* E-mail: the queue's sender, started before the first request may
     * queue anything. */
    srv_store_mail_limit(app.store, cfg.mail_queue_max);
    {
        struct srv_mailer_options mopt;
        mail_options(&cfg, &mopt);
        rc = srv_mailer_start(&mopt, app.store, &mailer);
        if (rc) {
            goto out;
        }
        app.mailer = mailer;
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
    /* The importers: sources run on a thread of their own, through the
     * API's sink (the code of POST /items). INFOTAULU_TEST_IMPORT_LOOPBACK
     * is for the tests only: feeds served on loopback over http. */
    {
        struct srv_import_options iopt;
        struct srv_import_sink sink;
        const char *lb = getenv("INFOTAULU_TEST_IMPORT_LOOPBACK");
        static char agent[320];

        memset(&iopt, 0, sizeof iopt);
        app.import_loopback = lb && strcmp(lb, "1") == 0;
        iopt.allow_loopback = app.import_loopback;
        iopt.timeout_s = (long)cfg.import_timeout;
        iopt.max_bytes = (size_t)cfg.import_max_bytes;
        iopt.run_deadline_s = cfg.import_timeout * 4;
        snprintf(agent, sizeof agent, "Infotaulu%s%s%s",
                 cfg.public_url[0] ? " (+" : "", cfg.public_url,
                 cfg.public_url[0] ? ")" : "");
        iopt.user_agent = agent;
        srv_api_import_sink(&app, &sink);
        rc = srv_importer_start(app.store, &sink, &iopt, &importer);
        if (rc) {
            taulu_err(TAG, "cannot start the importers");
            goto out;
        }
        app.importer = importer;
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
    stall_routes = debug_stall_routes(&hooks);
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
    snprintf(status, sizeof status, "READY=1\nSTATUS=serving on %s port %u",
             cfg.listen_addr, port);
    taulu_notify(status);
    taulu_watchdog_init(&wd, taulu_monotonic_ms());
    next_maintenance = taulu_monotonic_ms() + MAINTENANCE_SEC * 1000;
    next_flush = taulu_monotonic_ms() + FLUSH_SEC * 1000;
    for (;;) {
        int64_t mono = taulu_monotonic_ms();
        int64_t due =
            next_maintenance < next_flush ? next_maintenance : next_flush;
        int wait = due > mono ? (int)(due - mono) : 0;
        struct timespec ts;
        int sig;

        wait = taulu_watchdog_wait_ms(&wd, mono, wait);
        ts.tv_sec = wait / 1000;
        ts.tv_nsec = (long)(wait % 1000) * 1000000L;
        sig = sigtimedwait(&sigs, NULL, &ts);
        if (sig == SIGTERM || sig == SIGINT) {
            taulu_notice(TAG, "stopping on signal %d", sig);
            taulu_notify("STOPPING=1");
            break;
        }
        if (sig == SIGHUP) {
            notify_reloading();
            reload(&app, &loaded, argc, argv);
            taulu_notify(status);
            continue;
        }
        mono = taulu_monotonic_ms();
        if (mono >= next_flush) {
            srv_api_flush_refusals(&app, false);
            next_flush = mono + FLUSH_SEC * 1000;
        }
        if (mono >= next_maintenance) {
            maintenance(app.store);
            srv_pub_maintenance(pub, taulu_now());
            next_maintenance = mono + MAINTENANCE_SEC * 1000;
        }
        if (taulu_watchdog_due(&wd, taulu_monotonic_ms())) {
            if (heartbeat(&cfg, port, pub, &wd)) {
                taulu_watchdog_kick(&wd, taulu_monotonic_ms());
            } else {
                /* no keep-alive: try again soon; systemd restarts the
                 * server when the tries fail for WatchdogSec */
                wd.next_ms = taulu_monotonic_ms() + HEARTBEAT_RETRY_MS;
            }
        }
    }
    exit_code = 0;
out:
    srv_http_stop(http);
    app.importer = NULL;
    srv_importer_stop(importer);
    /* What was counted until the end: the requests have all finished. */
    if (app.refusals && app.store) {
        srv_api_flush_refusals(&app, true);
    }
    app.mailer = NULL;
    srv_mailer_stop(mailer);
    srv_checker_free(app.checker);
    app.pub = NULL;
    srv_pubapp_stop(pub);
    srv_metrics_free(app.metrics);
    srv_ratelimit_free(app.rl_account);
    srv_ratelimit_free(app.rl_ip);
    srv_ratelimit_free(app.rl_reset_account);
    srv_ratelimit_free(app.rl_reset_ip);
    srv_ratelimit_free(app.rl_link_ip);
    srv_tally_free(app.refusals);
    srv_ratelimit_free(app.rl_enrol_ip);
    srv_ratelimit_free(app.rl_bind);
    srv_enrol_free(app.enrol);
    if (hopt.web_root_fd >= 0) {
        close(hopt.web_root_fd);
    }
    srv_store_close(app.store);
    free(stall_routes);
    return exit_code;
}
