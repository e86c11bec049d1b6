/*
 * test_srv_mail.c: accounts and e-mail against a real SMTP server. The
 * real server sends through libcurl to tests/support/smtp_sink.py
 * (Debian's python3-aiosmtpd) on a loopback port chosen at run time,
 * which keeps each message as a file; the test reads them as a mail
 * client would (headers unfolded, RFC 2047 subjects and quoted-printable
 * bodies decoded) and follows their links against the server:
 *  - an invitation: the account cannot sign in until its owner sets a
 *    password through the link; the link works once; nothing secret in
 *    the server's log;
 *  - the coordinator's forced reset in the user's language (Swedish):
 *    sessions end, the old password stops working;
 *  - "forgot my password": the same answer for an unknown address, no
 *    message to it, the per-address limit, only the newest link works;
 *  - the SMTP server away: messages wait in the queue and arrive exactly
 *    once when it is back; a 5xx refusal fails at once;
 *  - a contact person's "waiting" digest (two items, one message) and
 *    the decision with its reason to the sender; notifications off;
 *  - STARTTLS with AUTH, the certificate (self-signed, made here with
 *    openssl) verified against smtp_cafile; without that CA nothing is
 *    sent;
 *  - the counts in /metrics.
 */
#include <dirent.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <setjmp.h>
#include <cmocka.h>

#include "itest.h"
#include "taulu_buf.h"
#include "taulu_crypto.h"
#include "taulu_file.h"
#include "tsupport.h"

static struct itest_server srv;
static struct itest_world w;
static struct tsupport_proc sink;
static int sink_port;
static char sink_dir[600], sink_log[600], extra_buf[24][300];
static const char *extra[26];

static const char *python(void)
{
    const char *p = getenv("TAULU_PYTHON3");

    return p && *p ? p : "/usr/bin/python3";
}

/* Starts the sink on sink_port with more arguments (NULL-terminated). */
static void sink_start(const char *first, ...)
{
    static char args[24][800];
    char ready[700];
    char *argv[24];
    const char *a;
    va_list ap;
    int n = 0, i;

    snprintf(ready, sizeof(ready), "%s.ready", sink_dir);
    unlink(ready);
    snprintf(args[n++], sizeof(args[0]), "%s", python());
    snprintf(args[n++], sizeof(args[0]), "%s/tests/support/smtp_sink.py",
             TAULU_SOURCE_DIR);
    snprintf(args[n++], sizeof(args[0]), "--port");
    snprintf(args[n++], sizeof(args[0]), "%d", sink_port);
    snprintf(args[n++], sizeof(args[0]), "--dir");
    snprintf(args[n++], sizeof(args[0]), "%s", sink_dir);
    snprintf(args[n++], sizeof(args[0]), "--ready");
    snprintf(args[n++], sizeof(args[0]), "%s", ready);
    va_start(ap, first);
    for (a = first; a && n < 22; a = va_arg(ap, const char *)) {
        snprintf(args[n++], sizeof(args[0]), "%s", a);
    }
    va_end(ap);
    for (i = 0; i < n; i++) {
        argv[i] = args[i];
    }
    argv[n] = NULL;
    assert_int_equal(tsupport_spawn(&sink, argv, sink_log), 0);
    for (i = 0; i < 200 && access(ready, F_OK) != 0; i++) {
        struct timespec ts = {0, 50 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    if (access(ready, F_OK) != 0) {
        fprintf(stderr,
                "the SMTP sink did not start (python3-aiosmtpd?); "
                "see %s\n",
                sink_log);
        fail();
    }
}

static void sink_stop(void)
{
    tsupport_stop(&sink);
}

/* How many messages the sink holds (their .json files). */
static int sink_count(void)
{
    DIR *d = opendir(sink_dir);
    struct dirent *e;
    int n = 0;

    if (!d) {
        return 0;
    }
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len > 5 && strcmp(e->d_name + len - 5, ".json") == 0) {
            n++;
        }
    }
    closedir(d);
    return n;
}

/* Waits until the sink holds at least n messages (up to `ms`). */
static int sink_wait(int n, int ms)
{
    int i;

    for (i = 0; i < ms / 50 && sink_count() < n; i++) {
        struct timespec ts = {0, 50 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    return sink_count();
}

/* One received message, as a mail client reads it. */
struct mail {
    char *raw;
    char *meta;
    char headers[8192]; /* unfolded, "\n" between them */
    char subject[512];  /* decoded */
    char body[16384];   /* decoded */
};

/* RFC 2047 "B" words decoded (the whitespace between words dropped). */
static void decode_words(const char *in, char *out, size_t size)
{
    size_t o = 0;

    while (*in && o + 1 < size) {
        if (strncmp(in, "=?UTF-8?B?", 10) == 0) {
            const char *end = strstr(in + 10, "?=");
            char b64[200];
            uint8_t bytes[200];
            size_t n;
            assert_non_null(end);
            n = (size_t)(end - in - 10);
            assert_true(n < sizeof(b64));
            memcpy(b64, in + 10, n);
            b64[n] = '\0';
            n = n / 4 * 3 - (b64[n - 1] == '=') - (b64[n - 2] == '=');
            assert_int_equal(taulu_base64_decode(b64, bytes, n), 0);
            memcpy(out + o, bytes, n);
            o += n;
            in = end + 2;
            while (*in == ' ' && strncmp(in + 1, "=?", 2) == 0) {
                in++;
            }
        } else {
            out[o++] = *in++;
        }
    }
    out[o] = '\0';
}

static int hexval(char c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

static void read_mail(int n, struct mail *m)
{
    char path[700];
    struct taulu_buf b;
    const char *p, *sep;
    size_t o = 0;

    memset(m, 0, sizeof(*m));
    snprintf(path, sizeof(path), "%s/%04d.eml", sink_dir, n);
    taulu_buf_init(&b, 1 << 20);
    assert_int_equal(taulu_file_read(path, &b), 0);
    m->raw = strdup(b.data);
    taulu_buf_release(&b);
    snprintf(path, sizeof(path), "%s/%04d.json", sink_dir, n);
    taulu_buf_init(&b, 1 << 20);
    assert_int_equal(taulu_file_read(path, &b), 0);
    m->meta = strdup(b.data);
    taulu_buf_release(&b);
    sep = strstr(m->raw, "\r\n\r\n");
    assert_non_null(sep);
    /* Every line of the message ends in CRLF, none is longer than 78. */
    for (p = m->raw; *p;) {
        const char *nl = strchr(p, '\n');
        assert_non_null(nl);
        assert_true(nl > p && nl[-1] == '\r');
        assert_true(nl - p <= 78);
        p = nl + 1;
    }
    /* Headers, unfolded. */
    for (p = m->raw; p < sep && o + 2 < sizeof(m->headers); p++) {
        if (p[0] == '\r' && p[1] == '\n' && p + 2 < sep && p[2] == ' ') {
            p += 1; /* a fold: keep the space */
            continue;
        }
        if (*p == '\r') {
            continue;
        }
        m->headers[o++] = *p;
    }
    m->headers[o] = '\0';
    /* The body, quoted-printable decoded. */
    o = 0;
    for (p = sep + 4; *p && o + 1 < sizeof(m->body);) {
        if (p[0] == '=' && p[1] == '\r' && p[2] == '\n') {
            p += 3;
        } else if (p[0] == '=' && hexval(p[1]) >= 0 && hexval(p[2]) >= 0) {
            m->body[o++] = (char)(hexval(p[1]) * 16 + hexval(p[2]));
            p += 3;
        } else if (p[0] == '\r') {
            p++;
        } else {
            assert_true((unsigned char)*p < 128); /* 7-bit on the wire */
            m->body[o++] = *p++;
        }
    }
    m->body[o] = '\0';
    {
        const char *s = strstr(m->headers, "\nSubject: ");
        char raw[1024];
        size_t k;
        assert_non_null(s);
        s += 10;
        k = strcspn(s, "\n");
        assert_true(k < sizeof(raw));
        memcpy(raw, s, k);
        raw[k] = '\0';
        decode_words(raw, m->subject, sizeof(m->subject));
    }
}

static void free_mail(struct mail *m)
{
    free(m->raw);
    free(m->meta);
}

/* The header's value ("" if absent). */
static const char *header(const struct mail *m, const char *name, char *out,
                          size_t size)
{
    char key[64];
    const char *h;
    size_t n;

    snprintf(key, sizeof(key), "\n%s: ", name);
    h = strstr(m->headers, key);
    if (h) {
        h += strlen(key);
    } else if (strncmp(m->headers, key + 1, strlen(key + 1)) == 0) {
        h = m->headers + strlen(key + 1); /* the first header */
    } else {
        out[0] = '\0';
        return out;
    }
    n = strcspn(h, "\n");
    snprintf(out, size, "%.*s", (int)n, h);
    return out;
}

/* The newest message to `addr` (its number), or 0. */
static int last_to(const char *addr)
{
    int n = sink_count(), i;
    char want[300];

    snprintf(want, sizeof(want), "\"%s\"", addr);
    for (i = n; i > 0; i--) {
        struct mail m;
        read_mail(i, &m);
        if (strstr(m.meta, want)) {
            free_mail(&m);
            return i;
        }
        free_mail(&m);
    }
    return 0;
}

static int count_to(const char *addr)
{
    int n = sink_count(), i, c = 0;
    char want[300];

    snprintf(want, sizeof(want), "\"%s\"", addr);
    for (i = 1; i <= n; i++) {
        struct mail m;
        read_mail(i, &m);
        c += strstr(m.meta, want) != NULL;
        free_mail(&m);
    }
    return c;
}

/* Waits for a message to addr beyond `seen` of them; returns its number. */
static int wait_to(const char *addr, int seen, int ms)
{
    int i;

    for (i = 0; i < ms / 100; i++) {
        if (count_to(addr) > seen) {
            return last_to(addr);
        }
        struct timespec ts = {0, 100 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    fprintf(stderr, "no message to %s within %d ms\n", addr, ms);
    fail();
    return 0;
}

/* The link's secret in a message body. */
static void link_token(const struct mail *m, char out[65])
{
    const char *p = strstr(m->body, "https://infotaulu.example.fi/"
                                    "password.html#t=");
    size_t i;

    assert_non_null(p);
    p = strchr(p, '=') + 1;
    for (i = 0; i < 64; i++) {
        assert_true(hexval((char)(p[i] >= 'a' ? p[i] - 32 : p[i])) >= 0);
        out[i] = p[i];
    }
    out[64] = '\0';
}

static long long metric(const char *name)
{
    struct itest_resp r;
    const char *p;
    long long v = -1;
    char key[100];

    assert_int_equal(itest_req(&srv, "GET", "/metrics", NULL, NULL, &r), 0);
    snprintf(key, sizeof(key), "\n%s ", name);
    p = strstr(r.body, key);
    if (p) {
        v = strtoll(p + strlen(key), NULL, 10);
    }
    itest_resp_free(&r);
    return v;
}

/* The server's mail settings plus `more` (NULL-terminated) into
 * extra[]. */
static void mail_args(const char *const *more)
{
    const char *base[] = {"--smtp-url",
                          NULL,
                          "--mail-from",
                          "infotaulu@pohde.fi",
                          "--public-url",
                          "https://infotaulu.example.fi",
                          "--mail-retry",
                          "1",
                          "--notify-delay",
                          "1",
                          "--notify-interval",
                          "5",
                          NULL};
    int n = 0, i;

    snprintf(extra_buf[0], sizeof(extra_buf[0]), "smtp://127.0.0.1:%d",
             sink_port);
    base[1] = extra_buf[0];
    for (i = 0; base[i]; i++) {
        extra[n++] = base[i];
    }
    for (i = 0; more && more[i] && n < 25; i++) {
        extra[n++] = more[i];
    }
    extra[n] = NULL;
}

/* (Re)starts the server with the mail settings plus `more`. */
static void start_server(const char *const *more)
{
    mail_args(more);
    assert_int_equal(itest_start(&srv, extra), 0);
}

static const char *const PLAIN[] = {"--smtp-tls", "none", NULL};

static int setup(void **state)
{
    (void)state;
    taulu_crypto_init();
    itest_setup_dir(&srv, "mail");
    snprintf(sink_dir, sizeof(sink_dir), "%s/sink", srv.dir);
    snprintf(sink_log, sizeof(sink_log), "%s/sink.log", srv.dir);
    sink_port = tsupport_free_port();
    if (sink_port <= 0) {
        return -1;
    }
    sink_start(NULL);
    /* The world's setup starts the server with these. */
    mail_args(PLAIN);
    srv.extra = extra;
    itest_world_setup(&srv, &w);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    itest_kill9(&srv);
    sink_stop();
    return 0;
}

/* POST a JSON body anonymously; returns the status. */
static long anon_post(const char *path, const char *body, char *out,
                      size_t size)
{
    struct itest_resp r;
    long st;

    assert_int_equal(itest_req(&srv, "POST", path, NULL, body, &r), 0);
    st = r.status;
    if (out) {
        snprintf(out, size, "%s", r.body ? r.body : "");
    }
    itest_resp_free(&r);
    return st;
}

static void invitation(void **state)
{
    struct mail m;
    struct itest_auth aino;
    char token[65], body[400], h[300], log[1 << 16];
    struct taulu_buf lb;
    cJSON *j;
    int n;

    (void)state;
    j = itest_call(
        &srv, &w.coord, 201, "POST", "/api/v1/users",
        "{\"email\":\"aino.virtanen@muisti.fi\",\"name\":\"Aino Virtanen\","
        "\"organisations\":[%lld]}",
        w.org_a);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(j, "invited")));
    assert_null(cJSON_GetObjectItem(j, "password"));
    cJSON_Delete(j);
    /* No password yet: nothing signs in (as for an unknown address). */
    assert_int_not_equal(itest_login(&srv, "aino.virtanen@muisti.fi",
                                     "mika-tahansa-salasana", &aino),
                         0);
    n = wait_to("aino.virtanen@muisti.fi", 0, 10000);
    read_mail(n, &m);
    assert_string_equal(m.subject, "Tervetuloa Infotauluun – valitse salasana");
    assert_non_null(strstr(m.raw, "\r\nSubject: =?UTF-8?B?"));
    assert_string_equal(header(&m, "To", h, sizeof(h)),
                        "Aino Virtanen <aino.virtanen@muisti.fi>");
    assert_string_equal(header(&m, "From", h, sizeof(h)),
                        "Infotaulu <infotaulu@pohde.fi>");
    assert_string_equal(header(&m, "MIME-Version", h, sizeof(h)), "1.0");
    assert_string_equal(header(&m, "Content-Type", h, sizeof(h)),
                        "text/plain; charset=UTF-8");
    assert_string_equal(header(&m, "Content-Transfer-Encoding", h, sizeof(h)),
                        "quoted-printable");
    assert_string_equal(header(&m, "Content-Language", h, sizeof(h)), "fi");
    assert_true(strlen(header(&m, "Date", h, sizeof(h))) > 20);
    assert_non_null(
        strstr(header(&m, "Message-ID", h, sizeof(h)), "@pohde.fi>"));
    assert_non_null(strstr(m.meta, "\"mail_from\": \"infotaulu@pohde.fi\""));
    assert_non_null(strstr(m.body, "Hei Aino Virtanen,"));
    assert_non_null(strstr(m.body, "Koordinaattori on tehnyt sinulle "
                                   "tunnuksen Infotauluun."));
    link_token(&m, token);
    free_mail(&m);

    /* The link's page asks who it is for; a weak password is refused
     * and the link still works; then once, and never again. */
    snprintf(body, sizeof(body), "{\"token\":\"%s\"}", token);
    assert_int_equal(anon_post("/api/v1/password/link", body, h, sizeof(h)),
                     200);
    assert_non_null(strstr(h, "\"purpose\":\"invite\""));
    assert_non_null(strstr(h, "\"email\":\"aino.virtanen@muisti.fi\""));
    snprintf(body, sizeof(body), "{\"token\":\"%s\",\"password\":\"lyhyt\"}",
             token);
    assert_int_equal(anon_post("/api/v1/password/set", body, NULL, 0), 400);
    snprintf(body, sizeof(body),
             "{\"token\":\"%s\",\"password\":\"ainon-oma-salasana\"}", token);
    assert_int_equal(anon_post("/api/v1/password/set", body, NULL, 0), 200);
    assert_int_equal(anon_post("/api/v1/password/set", body, NULL, 0), 404);
    assert_int_equal(itest_login(&srv, "aino.virtanen@muisti.fi",
                                 "ainon-oma-salasana", &aino),
                     0);
    /* Resending to an active account is refused. */
    j = itest_call(&srv, &w.coord, 200, "GET", "/api/v1/users", NULL);
    cJSON_Delete(j);

    /* The secret never reached the log. */
    taulu_buf_init(&lb, sizeof(log));
    assert_int_equal(taulu_file_read(srv.log, &lb), 0);
    assert_null(strstr(lb.data, token));
    assert_null(strstr(lb.data, "ainon-oma-salasana"));
    taulu_buf_release(&lb);
}

static void forced_reset_in_swedish(void **state)
{
    struct itest_auth u, again;
    struct itest_resp r;
    struct mail m;
    char token[65], body[300], h[100], path[80];
    long long id;
    int n;

    (void)state;
    id = itest_user(&srv, &w.coord, "sven@forening.fi", NULL, NULL);
    assert_int_equal(itest_login(&srv, "sven@forening.fi", ITEST_PASSWORD, &u),
                     0);
    cJSON_Delete(
        itest_call(&srv, &u, 200, "PUT", "/api/v1/me", "{\"lang\":\"sv\"}"));
    snprintf(path, sizeof(path), "/api/v1/users/%lld/reset", id);
    cJSON_Delete(itest_call(&srv, &w.coord, 202, "POST", path, NULL));
    /* The session ended and the old password no longer works. */
    assert_int_equal(itest_req(&srv, "GET", "/api/v1/me", &u, NULL, &r), 0);
    assert_int_equal(r.status, 401);
    itest_resp_free(&r);
    assert_int_not_equal(
        itest_login(&srv, "sven@forening.fi", ITEST_PASSWORD, &again), 0);
    n = wait_to("sven@forening.fi", 0, 10000);
    read_mail(n, &m);
    assert_string_equal(m.subject, "Nytt lösenord till Infotaulu");
    assert_string_equal(header(&m, "Content-Language", h, sizeof(h)), "sv");
    assert_non_null(strstr(m.body, "Hej sven@forening.fi,"));
    assert_non_null(strstr(m.body, "Ditt gamla lösenord fungerar inte"));
    link_token(&m, token);
    free_mail(&m);
    snprintf(body, sizeof(body),
             "{\"token\":\"%s\",\"password\":\"svens-nya-losenord\"}", token);
    assert_int_equal(anon_post("/api/v1/password/set", body, NULL, 0), 200);
    assert_int_equal(
        itest_login(&srv, "sven@forening.fi", "svens-nya-losenord", &again), 0);
}

static double now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static void forgot_password(void **state)
{
    char known[300], unknown[300], token1[65], token3[65], body[300];
    double t0, tk = 0, tu = 0;
    struct itest_auth s;
    struct mail m;
    int i, n, before;

    (void)state;
    itest_user(&srv, &w.coord, "kerttu@muisti.fi", NULL, NULL);
    before = sink_count();
    /* The same answer, for about the same work, for an address that is
     * an account's and one that is not. */
    for (i = 0; i < 3; i++) {
        t0 = now_ms();
        assert_int_equal(anon_post("/api/v1/password/forgot",
                                   "{\"email\":\"Kerttu@Muisti.fi\"}", known,
                                   sizeof(known)),
                         202);
        tk += now_ms() - t0;
        t0 = now_ms();
        assert_int_equal(anon_post("/api/v1/password/forgot",
                                   "{\"email\":\"ei-ole@muisti.fi\"}", unknown,
                                   sizeof(unknown)),
                         202);
        tu += now_ms() - t0;
        assert_string_equal(known, unknown);
        if (i == 0) {
            n = wait_to("kerttu@muisti.fi", 0, 10000);
            read_mail(n, &m);
            link_token(&m, token1);
            free_mail(&m);
        }
    }
    printf("forgot: %.1f ms for an account, %.1f ms for no account "
           "(3 requests each)\n",
           tk, tu);
    assert_true(tk / 3 < 250 && tu / 3 < 250);
    /* The limit per address: the fourth is refused, known or not. */
    assert_int_equal(anon_post("/api/v1/password/forgot",
                               "{\"email\":\"kerttu@muisti.fi\"}", NULL, 0),
                     429);
    assert_int_equal(anon_post("/api/v1/password/forgot",
                               "{\"email\":\"ei-ole@muisti.fi\"}", NULL, 0),
                     429);
    /* Three messages to the account, none to the address nobody has. */
    sink_wait(before + 3, 10000);
    n = wait_to("kerttu@muisti.fi", 2, 10000);
    assert_int_equal(count_to("kerttu@muisti.fi"), 3);
    assert_int_equal(count_to("ei-ole@muisti.fi"), 0);
    read_mail(n, &m);
    assert_string_equal(m.subject, "Uusi salasana Infotauluun");
    assert_non_null(strstr(m.body, "Vanha salasanasi toimii edelleen."));
    link_token(&m, token3);
    free_mail(&m);
    /* Only the newest link works; the old password works meanwhile. */
    assert_int_equal(itest_login(&srv, "kerttu@muisti.fi", ITEST_PASSWORD, &s),
                     0);
    snprintf(body, sizeof(body),
             "{\"token\":\"%s\",\"password\":\"kertun-uusi-salis\"}", token1);
    assert_int_equal(anon_post("/api/v1/password/set", body, NULL, 0), 404);
    snprintf(body, sizeof(body),
             "{\"token\":\"%s\",\"password\":\"kertun-uusi-salis\"}", token3);
    assert_int_equal(anon_post("/api/v1/password/set", body, NULL, 0), 200);
    assert_int_equal(
        itest_login(&srv, "kerttu@muisti.fi", "kertun-uusi-salis", &s), 0);
}

static void smtp_down_then_up(void **state)
{
    long long sent0, retries0;
    int i;

    (void)state;
    sink_stop();
    sent0 = metric("infotaulu_mail_sent_total");
    retries0 = metric("infotaulu_mail_retries_total");
    cJSON_Delete(itest_call(&srv, &w.coord, 201, "POST", "/api/v1/users",
                            "{\"email\":\"odottaja@muisti.fi\","
                            "\"name\":\"Odottaja\"}"));
    /* It waits in the queue and is tried again, with no server. */
    for (i = 0;
         i < 100 && metric("infotaulu_mail_retries_total") < retries0 + 2;
         i++) {
        struct timespec ts = {0, 100 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    assert_true(metric("infotaulu_mail_retries_total") >= retries0 + 2);
    assert_true(metric("infotaulu_mail_queued") >= 1);
    assert_int_equal(count_to("odottaja@muisti.fi"), 0);
    sink_start(NULL);
    wait_to("odottaja@muisti.fi", 0, 20000);
    /* Exactly once, also after a while more. */
    sleep(3);
    assert_int_equal(count_to("odottaja@muisti.fi"), 1);
    assert_int_equal(metric("infotaulu_mail_queued"), 0);
    assert_true(metric("infotaulu_mail_sent_total") >= sent0 + 1);
}

static void refused_for_good(void **state)
{
    long long failed0, retries0;
    int i;

    (void)state;
    sink_stop();
    sink_start("--refuse", "pomppaa@muisti.fi", NULL);
    failed0 = metric("infotaulu_mail_failed_total");
    retries0 = metric("infotaulu_mail_retries_total");
    cJSON_Delete(itest_call(&srv, &w.coord, 201, "POST", "/api/v1/users",
                            "{\"email\":\"pomppaa@muisti.fi\","
                            "\"name\":\"Pomppaa\"}"));
    for (i = 0; i < 100 && metric("infotaulu_mail_failed_total") == failed0;
         i++) {
        struct timespec ts = {0, 100 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    assert_int_equal(metric("infotaulu_mail_failed_total"), failed0 + 1);
    assert_int_equal(metric("infotaulu_mail_retries_total"), retries0);
    assert_int_equal(count_to("pomppaa@muisti.fi"), 0);
}

static void digest_and_decisions(void **state)
{
    struct mail m;
    char path[80], member[64];
    long long a, b, pa, pb;
    int n, sent_member;

    (void)state;
    snprintf(member, sizeof(member), "%s", "aino@muisti.fi");
    /* Two items for centre 1 at once: one message to its contact. */
    a = itest_item(&srv, &w.mem_a, w.org_a, "[1]", "Muistikahvila");
    b = itest_item(&srv, &w.mem_a, w.org_a, "[1]", "Kävelyryhmä");
    n = wait_to("tuula@pohde.fi", 0, 15000);
    read_mail(n, &m);
    assert_string_equal(m.subject, "Hyväksyttävää: 2 ilmoitusta odottaa");
    assert_non_null(strstr(m.body, "\"Muistikahvila\""));
    assert_non_null(strstr(m.body, "\"Kävelyryhmä\""));
    assert_non_null(strstr(m.body, "https://infotaulu.example.fi/queue.html"));
    assert_non_null(strstr(m.body, "/account.html"));
    free_mail(&m);
    sleep(2);
    assert_int_equal(count_to("tuula@pohde.fi"), 1);

    /* Changes asked with a reason: the sender is told in words. */
    pa = itest_placement(&srv, &w.coord, a, w.c1);
    pb = itest_placement(&srv, &w.coord, b, w.c1);
    sent_member = count_to(member);
    snprintf(path, sizeof(path), "/api/v1/placements/%lld/request-changes", pa);
    cJSON_Delete(itest_call(&srv, &w.con_1, 200, "POST", path,
                            "{\"item_version\":1,\"reason\":\"Lisää "
                            "tapahtuman paikka, kiitos.\"}"));
    n = wait_to(member, sent_member, 10000);
    read_mail(n, &m);
    assert_string_equal(m.subject,
                        "Ilmoitukseesi pyydetään muutoksia: Muistikahvila");
    assert_non_null(strstr(m.body, "Lisää tapahtuman paikka, kiitos."));
    assert_non_null(strstr(m.body, "item.html?id="));
    free_mail(&m);

    /* Notifications off: the next decision is not mailed. */
    cJSON_Delete(itest_call(&srv, &w.mem_a, 200, "PUT", "/api/v1/me",
                            "{\"notify\":false}"));
    snprintf(path, sizeof(path), "/api/v1/placements/%lld/reject", pb);
    cJSON_Delete(itest_call(&srv, &w.con_1, 200, "POST", path,
                            "{\"item_version\":1,\"reason\":\"Ei sovi.\"}"));
    sleep(3);
    assert_int_equal(count_to(member), sent_member + 1);
}

/* A self-signed certificate for 127.0.0.1, made here. */
static void make_cert(char *cert, char *key, size_t size)
{
    char cmd[2000];

    snprintf(cert, size, "%s/cert.pem", srv.dir);
    snprintf(key, size, "%s/key.pem", srv.dir);
    snprintf(cmd, sizeof(cmd),
             "openssl req -x509 -newkey rsa:2048 -nodes -days 2"
             " -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1"
             " -keyout '%s' -out '%s' >>'%s/openssl.log' 2>&1",
             key, cert, srv.dir);
    assert_int_equal(system(cmd), 0);
}

static void starttls_verified(void **state)
{
    char cert[600], key[600], creds[600], cafile_opt[600];
    const char *more[8];
    struct mail m;
    long long retries0;
    int n, i;

    (void)state;
    make_cert(cert, key, sizeof(cert));
    snprintf(creds, sizeof(creds), "%s/smtp-credentials", srv.dir);
    assert_int_equal(tsupport_write_file(srv.dir, "smtp-credentials",
                                         "infotaulu\nsmtp-salasana-123\n"),
                     0);
    chmod(creds, 0600);
    sink_stop();
    sink_start("--tls-cert", cert, "--tls-key", key, "--auth",
               "infotaulu:smtp-salasana-123", NULL);
    itest_stop(&srv);
    snprintf(cafile_opt, sizeof(cafile_opt), "%s", cert);
    more[0] = "--smtp-tls";
    more[1] = "starttls";
    more[2] = "--smtp-cafile";
    more[3] = cafile_opt;
    more[4] = "--smtp-credentials-file";
    more[5] = creds;
    more[6] = NULL;
    start_server(more);
    cJSON_Delete(itest_call(&srv, &w.coord, 201, "POST", "/api/v1/users",
                            "{\"email\":\"salattu@muisti.fi\","
                            "\"name\":\"Salattu\"}"));
    n = wait_to("salattu@muisti.fi", 0, 15000);
    read_mail(n, &m);
    assert_non_null(strstr(m.meta, "\"tls\": true"));
    assert_non_null(strstr(m.meta, "\"auth\": \"infotaulu\""));
    free_mail(&m);

    /* Without the CA the certificate is not trusted: nothing is sent
     * (in clear or otherwise), the message waits. */
    itest_stop(&srv);
    more[2] = "--smtp-credentials-file";
    more[3] = creds;
    more[4] = NULL;
    start_server(more);
    retries0 = metric("infotaulu_mail_retries_total");
    cJSON_Delete(itest_call(&srv, &w.coord, 201, "POST", "/api/v1/users",
                            "{\"email\":\"ei-luotettu@muisti.fi\","
                            "\"name\":\"Ei luotettu\"}"));
    for (i = 0; i < 100 && metric("infotaulu_mail_retries_total") == retries0;
         i++) {
        struct timespec ts = {0, 100 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    assert_true(metric("infotaulu_mail_retries_total") > retries0);
    assert_int_equal(count_to("ei-luotettu@muisti.fi"), 0);
    assert_true(metric("infotaulu_mail_queued") >= 1);
}

static void server_stops_cleanly(void **state)
{
    (void)state;
    assert_int_equal(itest_stop(&srv), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(invitation),
        cmocka_unit_test(forced_reset_in_swedish),
        cmocka_unit_test(forgot_password),
        cmocka_unit_test(digest_and_decisions),
        cmocka_unit_test(smtp_down_then_up),
        cmocka_unit_test(refused_for_good),
        cmocka_unit_test(starttls_verified),
        cmocka_unit_test(server_stops_cleanly),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
