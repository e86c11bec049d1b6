/*
 * test_field.c: a screen into the field, all real parts: the real
 * infotaulu-server on a loopback port, a REAL Mosquitto with a plain
 * listener for the server and a TLS listener for the screens whose
 * certificate this test makes with Debian's openssl, and the REAL
 * infotaulu-player, headless (--frames), started with nothing but the
 * server's address and a state folder.
 *
 *   enrol: the player shows a code (read from its log line, not by OCR),
 *   a coordinator binds it over the API, the player writes its enrolment
 *   (0600) and connects to the broker over TLS with the CA it was given;
 *   approve: an item approved at its centre is on the screen within a
 *   second of the approval (the acceptance line of "Into the field"),
 *   measured from just before the approve call to the player's log line;
 *   remote eyes: the contact person asks for a screenshot, the player
 *   uploads its frame, the picture is there (PNG), a second request within
 *   10 s is refused;
 *   wrong CA: the same player with another CA refuses the broker (no
 *   connection, the TLS error in its log) and still applies its manifest
 *   over HTTP, as designed;
 *   screen power: with power_control = cec on this machine without CEC,
 *   the real cec-client fails, the player says so once (not at the next
 *   switch), and the screen is black.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "itest.h"
#include "taulu_buf.h"
#include "taulu_crypto.h"
#include "taulu_file.h"
#include "tsupport.h"

static struct itest_server srv;
static struct itest_world w;
static struct tsupport_broker broker;
static struct tsupport_proc player;
static int tls_port;
static char dir[512], ca[600], wrong_ca[600], state[600], plog[600],
    frames[600], conf[600];
static long long approve_ms = -1;

/* A string for an argv[] (exec does not write to them). */
#define ARG(s) ((char *)(uintptr_t)(s))

static long long now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Runs a program to its end (openssl); its exit status. */
static int run(const char *const argv[])
{
    pid_t pid = fork();
    int st = 0;

    if (pid == 0) {
        int fd = open("/dev/null", O_WRONLY);
        if (fd >= 0) {
            dup2(fd, 1);
            dup2(fd, 2);
        }
        execvp(argv[0], (char *const *)(uintptr_t)argv);
        _exit(127);
    }
    if (pid < 0 || waitpid(pid, &st, 0) != pid) {
        return -1;
    }
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* A CA and a certificate for 127.0.0.1 signed by it, in dir/<name>-*. */
static void make_ca(const char *name, char ca_out[600], bool with_broker)
{
    char key[600], crt[600], csr[600], bkey[600], ext[600], subj[100];

    snprintf(key, sizeof key, "%s/%s-ca.key", dir, name);
    snprintf(ca_out, 600, "%s/%s-ca.pem", dir, name);
    snprintf(subj, sizeof subj, "/CN=Infotaulu %s test CA", name);
    {
        const char *a[] = {"openssl",
                           "req",
                           "-x509",
                           "-newkey",
                           "ec",
                           "-pkeyopt",
                           "ec_paramgen_curve:prime256v1",
                           "-nodes",
                           "-keyout",
                           key,
                           "-out",
                           ca_out,
                           "-days",
                           "2",
                           "-subj",
                           subj,
                           NULL};
        assert_int_equal(run(a), 0);
    }
    if (!with_broker) {
        return;
    }
    snprintf(bkey, sizeof bkey, "%s/broker.key", dir);
    snprintf(csr, sizeof csr, "%s/broker.csr", dir);
    snprintf(crt, sizeof crt, "%s/broker.crt", dir);
    snprintf(ext, sizeof ext, "%s/broker.ext", dir);
    assert_int_equal(
        tsupport_write_file(dir, "broker.ext",
                            "subjectAltName=IP:127.0.0.1,DNS:"
                            "localhost\nbasicConstraints=CA:FALSE\n"
                            "extendedKeyUsage=serverAuth\n"),
        0);
    {
        const char *a[] = {"openssl",
                           "req",
                           "-newkey",
                           "ec",
                           "-pkeyopt",
                           "ec_paramgen_curve:prime256v1",
                           "-nodes",
                           "-keyout",
                           bkey,
                           "-out",
                           csr,
                           "-subj",
                           "/CN=127.0.0.1",
                           NULL};
        assert_int_equal(run(a), 0);
    }
    {
        const char *a[] = {
            "openssl", "x509", "-req",   "-in", csr,
            "-CA",     ca_out, "-CAkey", key,   "-CAcreateserial",
            "-out",    crt,    "-days",  "2",   "-extfile",
            ext,       NULL};
        assert_int_equal(run(a), 0);
    }
}

/* The player's log so far ("" when none yet). The caller frees. */
static char *log_text(void)
{
    struct taulu_buf b;

    taulu_buf_init(&b, 64u << 20);
    if (taulu_file_read(plog, &b) < 0) {
        taulu_buf_release(&b);
        return strdup("");
    }
    return taulu_buf_detach(&b, NULL);
}

/* Waits until the player's log has `needle` (after byte `from`); the
 * offset just after it, or -1 at the timeout. */
static long wait_log(const char *needle, long from, int timeout_ms)
{
    long long end = now_ms() + timeout_ms;

    for (;;) {
        char *t = log_text();
        const char *hit =
            (long)strlen(t) > from ? strstr(t + from, needle) : NULL;
        long off = hit ? (long)(hit - t) + (long)strlen(needle) : -1;

        free(t);
        if (off >= 0) {
            return off;
        }
        if (now_ms() > end) {
            return -1;
        }
        sleep_ms(10);
    }
}

static void start_player(const char *const extra[])
{
    char *argv[32];
    char c[700], s[700], cache[700];
    int n = 0;

    snprintf(c, sizeof c, "--config=%s", conf);
    snprintf(s, sizeof s, "--state_dir=%s", state);
    snprintf(cache, sizeof cache, "--cache_dir=%s/cache", dir);
    argv[n++] = ARG(PLAYER_BIN);
    argv[n++] = c;
    argv[n++] = ARG("--headless");
    argv[n++] = ARG("--frames");
    argv[n++] = frames;
    argv[n++] = ARG("--seconds");
    argv[n++] = ARG("120");
    argv[n++] = s;
    argv[n++] = cache;
    for (int i = 0; extra && extra[i] && n < 30; i++) {
        argv[n++] = ARG(extra[i]);
    }
    argv[n] = NULL;
    assert_int_equal(tsupport_spawn(&player, argv, plog), 0);
}

static int setup(void **st)
{
    static char conf_txt[4096], passwd[600], acl[600], pidfile[600], port[16],
        tport[16], pidtext[32];
    static const char *extra[24];
    char bconf[4096], crt[600], key[600];

    (void)st;
    assert_int_equal(taulu_crypto_init(), 0);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    itest_setup_dir(&srv, "field");
    snprintf(dir, sizeof dir, "%s", srv.dir);
    make_ca("county", ca, true);
    make_ca("other", wrong_ca, false);
    snprintf(crt, sizeof crt, "%s/broker.crt", dir);
    snprintf(key, sizeof key, "%s/broker.key", dir);

    /* The broker: the server on a plain loopback listener, the screens on
     * TLS, both against the files the server writes. */
    snprintf(passwd, sizeof passwd, "%s/mosquitto.passwd", dir);
    snprintf(acl, sizeof acl, "%s/mosquitto.acl", dir);
    assert_int_equal(tsupport_write_file(dir, "mosquitto.passwd", ""), 0);
    assert_int_equal(tsupport_write_file(dir, "mosquitto.acl", ""), 0);
    tls_port = tsupport_free_port();
    assert_true(tls_port > 0);
    snprintf(bconf, sizeof bconf,
             "allow_anonymous false\npassword_file %s\nacl_file %s\n%s"
             "listener %d 127.0.0.1\ncertfile %s\nkeyfile %s\n",
             passwd, acl, geteuid() == 0 ? "user root\n" : "", tls_port, crt,
             key);
    snprintf(conf_txt, sizeof conf_txt, "%s", bconf);
    assert_int_equal(tsupport_broker_start(&broker, conf_txt), 0);
    assert_int_equal(tsupport_wait_port(tls_port, 3000), 0);
    snprintf(pidfile, sizeof pidfile, "%s/mosquitto.pid", dir);
    snprintf(pidtext, sizeof pidtext, "%d\n", (int)broker.proc.pid);
    assert_int_equal(tsupport_write_file(dir, "mosquitto.pid", pidtext), 0);
    snprintf(port, sizeof port, "%d", broker.port);
    snprintf(tport, sizeof tport, "%d", tls_port);
    {
        const char *e[] = {"--mqtt-host",
                           "127.0.0.1",
                           "--mqtt-port",
                           port,
                           "--broker-passwd",
                           passwd,
                           "--broker-acl",
                           acl,
                           "--broker-pid-file",
                           pidfile,
                           "--public-mqtt-host",
                           "127.0.0.1",
                           "--public-mqtt-port",
                           tport,
                           "--public-mqtt-cafile",
                           ca,
                           NULL};
        memcpy(extra, e, sizeof e);
    }
    srv.extra = extra;
    itest_world_setup(&srv, &w);

    /* The player knows only its server: no screen id, no token. */
    snprintf(state, sizeof state, "%s/state", dir);
    snprintf(plog, sizeof plog, "%s/player.log", dir);
    snprintf(frames, sizeof frames, "%s/frames", dir);
    snprintf(conf, sizeof conf, "%s/player.conf", dir);
    mkdir(frames, 0755);
    {
        char text[1024];
        snprintf(text, sizeof text,
                 "server_url = http://127.0.0.1:%u\n"
                 "font_dir = %s/fonts\n"
                 "closed_behaviour = ignore\n"
                 "fade_ms = 0\n"
                 "log_level = info\n",
                 srv.port, TAULU_SOURCE_DIR);
        assert_int_equal(tsupport_write_file(dir, "player.conf", text), 0);
    }
    return 0;
}

static int teardown(void **st)
{
    (void)st;
    tsupport_stop(&player);
    itest_kill9(&srv);
    tsupport_broker_stop(&broker);
    curl_global_cleanup();
    return 0;
}

/* Enrol by the code, then an approval shows within a second over TLS. */
static void enrol_and_approve(void **st)
{
    char path[700], code[16] = "", *t;
    long off, off2;
    long long item, pl, t0, dt;
    struct stat sb;
    cJSON *j;

    (void)st;
    start_player(NULL);
    off = wait_log("enrolment code ", 0, 15000);
    assert_true(off > 0);
    t = log_text();
    memcpy(code, t + off, 9);
    code[9] = '\0';
    free(t);
    print_message("the player shows the code %s\n", code);
    /* The enrolment card is a frame of its own. */
    assert_true(wait_log("player: frame ", off, 5000) > 0);

    snprintf(path, sizeof path, "{\"code\":\"%s\",\"screen_id\":%lld}", code,
             w.s1);
    j = itest_call(&srv, &w.coord, 200, "POST", "/api/v1/enrol/bind", "%s",
                   path);
    cJSON_Delete(j);
    /* The same code again: it was taken. */
    j = itest_call(&srv, &w.coord, 409, "POST", "/api/v1/enrol/bind", "%s",
                   path);
    cJSON_Delete(j);

    off = wait_log("enrol: enrolled as screen-", 0, 10000);
    assert_true(off > 0);
    /* Its enrolment, private: the token is in it. */
    snprintf(path, sizeof path, "%s/enrolment.conf", state);
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    snprintf(path, sizeof path, "%s/mqtt-ca.pem", state);
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    /* Over TLS, checked against the CA it was given. */
    assert_true(wait_log("TLS, the certificate checked against mqtt_ca_file",
                         off, 5000) > 0);
    assert_true(
        wait_log("mqtt: connected to the broker as screen-", off, 10000) > 0);
    off = wait_log("player: showing manifest seq ", off, 10000);
    assert_true(off > 0);
    /* The server sees it online (its status came over the broker). */
    for (int i = 0; i < 100; i++) {
        snprintf(path, sizeof path, "/api/v1/screens/%lld/status", w.s1);
        j = itest_call(&srv, &w.coord, 200, "GET", path, NULL);
        bool live = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "live"));
        cJSON_Delete(j);
        if (live) {
            break;
        }
        assert_true(i < 99);
        sleep_ms(100);
    }

    /* The acceptance line: approved -> on the screen within a second. */
    item = itest_item(&srv, &w.mem_a, w.org_a, "[1]", "Muistikahvila");
    pl = itest_placement(&srv, &w.con_1, item, w.c1);
    snprintf(path, sizeof path, "/api/v1/placements/%lld/approve", pl);
    {
        char *l = log_text();
        off = (long)strlen(l);
        free(l);
    }
    t0 = now_ms();
    cJSON_Delete(
        itest_call(&srv, &w.con_1, 200, "POST", path, "{\"item_version\":1}"));
    off2 = wait_log("cards, 0 alerts)", off, 5000);
    dt = now_ms() - t0;
    assert_true(off2 > 0);
    t = log_text();
    assert_non_null(strstr(t + off, "(1 cards, 0 alerts)"));
    free(t);
    approve_ms = dt;
    print_message("approved -> on the screen (over TLS) in %lld ms\n", dt);
    assert_true(dt < 1000);
    /* ... and drawn: a frame after it. */
    assert_true(wait_log("player: frame ", off2, 3000) > 0);
}

/* The contact person asks for the screen's picture; the screen sends it. */
static void screenshot(void **st)
{
    char path[128];
    struct itest_resp r;
    long long t0 = now_ms();
    cJSON *j;

    (void)st;
    snprintf(path, sizeof path, "/api/v1/screens/%lld/screenshot", w.s1);
    j = itest_call(&srv, &w.con_1, 202, "POST", path, "{}");
    cJSON_Delete(j);
    /* once per 10 s per screen */
    j = itest_call(&srv, &w.coord, 429, "POST", path, "{}");
    cJSON_Delete(j);
    for (;;) {
        const cJSON *taken;
        j = itest_call(&srv, &w.con_1, 200, "GET", path, NULL);
        taken = cJSON_GetObjectItemCaseSensitive(j, "taken_at");
        if (cJSON_IsString(taken)) {
            cJSON_Delete(j);
            break;
        }
        cJSON_Delete(j);
        assert_true(now_ms() - t0 < 10000);
        sleep_ms(100);
    }
    print_message("screenshot there %lld ms after the request\n",
                  now_ms() - t0);
    snprintf(path, sizeof path, "/api/v1/screens/%lld/screenshot/image", w.s1);
    assert_int_equal(itest_req(&srv, "GET", path, &w.con_1, NULL, &r), 0);
    assert_int_equal(r.status, 200);
    assert_true(r.len > 1000);
    assert_memory_equal(r.body, "\x89PNG\r\n\x1a\n", 8);
    assert_non_null(strstr(r.headers, "no-store"));
    itest_resp_free(&r);
    /* another centre's contact person may not see it */
    assert_int_equal(itest_req(&srv, "GET", path, &w.con_2, NULL, &r), 0);
    assert_int_equal(r.status, 403);
    itest_resp_free(&r);
}

/* With a CA that did not sign the broker's certificate the player does
 * not connect, and its manifest comes over HTTP all the same. */
static void wrong_ca_refused(void **st)
{
    char opt[700], cache[700];
    const char *extra[3];
    long off;

    (void)st;
    assert_int_equal(tsupport_stop(&player) >= 0, 1);
    off = (long)0;
    {
        char *t = log_text();
        off = (long)strlen(t);
        free(t);
    }
    snprintf(opt, sizeof opt, "--mqtt_ca_file=%s", wrong_ca);
    snprintf(cache, sizeof cache, "--cache_dir=%s/cache2", dir);
    extra[0] = opt;
    extra[1] = cache;
    extra[2] = NULL;
    start_player(extra);
    assert_true(wait_log("sync: applied manifest seq ", off, 15000) > 0);
    /* a few tries of the broker, all refused */
    sleep_ms(2500);
    {
        char *t = log_text();
        assert_null(strstr(t + off, "connected to the broker"));
        assert_non_null(strstr(t + off, "certificate verify failed"));
        free(t);
    }
    tsupport_stop(&player);
}

/* Outside opening hours with power_control = cec on a PC without CEC:
 * the real cec-client fails; said once; the screen is black. */
static void power_without_cec(void **st)
{
    char manifest[700], m_opt[720], log2[700], fr[700], at[64], *t;
    char *argv[20];
    struct tsupport_proc p2;
    const char *first, *second;
    int n = 0;

    (void)st;
    snprintf(manifest, sizeof manifest,
             "%s/tests/fuzz/corpus/manifest/valid-full.json", TAULU_SOURCE_DIR);
    snprintf(m_opt, sizeof m_opt, "--manifest=%s", manifest);
    snprintf(log2, sizeof log2, "%s/power.log", dir);
    snprintf(fr, sizeof fr, "%s/power-frames", dir);
    mkdir(fr, 0755);
    /* Tuesday 24.11.2026 07:59:56 in Helsinki: the centre opens at 8;
     * the display is turned off, then on again a second before 8. */
    snprintf(at, sizeof at, "--at=2026-11-24T05:59:56Z");
    argv[n++] = ARG(PLAYER_BIN);
    argv[n++] = ARG("--config=/dev/null");
    argv[n++] = ARG("--headless");
    argv[n++] = ARG("--frames");
    argv[n++] = fr;
    argv[n++] = ARG("--seconds");
    argv[n++] = ARG("7");
    argv[n++] = m_opt;
    argv[n++] = at;
    argv[n++] = ARG("--power_control=cec");
    argv[n++] = ARG("--power_lead_s=2");
    argv[n++] = ARG("--log_level=debug");
    argv[n] = NULL;
    {
        char fd_opt[700];
        snprintf(fd_opt, sizeof fd_opt, "--font_dir=%s/fonts",
                 TAULU_SOURCE_DIR);
        argv[n++] = fd_opt;
        argv[n] = NULL;
        assert_int_equal(tsupport_spawn(&p2, argv, log2), 0);
        for (int i = 0; i < 150 && kill(p2.pid, 0) == 0; i++) {
            int stt;
            if (waitpid(p2.pid, &stt, WNOHANG) == p2.pid) {
                p2.pid = 0;
                break;
            }
            sleep_ms(100);
        }
        tsupport_stop(&p2);
    }
    {
        struct taulu_buf b;
        taulu_buf_init(&b, 1 << 20);
        assert_int_equal(taulu_file_read(log2, &b), 0);
        t = taulu_buf_detach(&b, NULL);
    }
    /* dark first, the off command failed and said so, once */
    assert_non_null(strstr(t, "outside opening hours: dark"));
    first = strstr(t, "power: \"cec-client -s -d 1\" failed");
    assert_non_null(first);
    second = strstr(first + 1, "power: \"cec-client -s -d 1\" failed");
    assert_null(second);
    assert_null(strstr(t, "works again"));
    /* the display was asked on again before 8, and that failed too,
     * quietly (debug) */
    assert_non_null(strstr(first, "power: on failed again"));
    /* the screen still opened at 8 */
    assert_non_null(strstr(t, "frame "));
    print_message("%.*s\n",
                  (int)(strchr(first, '\n') ? strchr(first, '\n') - first : 80),
                  first);
    free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(enrol_and_approve),
        cmocka_unit_test(screenshot),
        cmocka_unit_test(wrong_ca_refused),
        cmocka_unit_test(power_without_cec),
    };
    int rc = cmocka_run_group_tests(tests, setup, teardown);

    if (approve_ms >= 0) {
        printf("# approval to the enrolled player showing it over TLS: %lld "
               "ms\n",
               approve_ms);
    }
    return rc;
}
