/*
 * itest.c: helpers for the content server's integration tests.
 */
#define _GNU_SOURCE /* vasprintf */
#include "itest.h"
#include "tsupport_db.h"

#include <curl/curl.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <setjmp.h>
#include <cmocka.h>

#include "taulu_time.h"

static void die(const char *what)
{
    fprintf(stderr, "itest: %s: %s\n", what, strerror(errno));
    exit(1);
}

void itest_setup_dir(struct itest_server *s, const char *name)
{
    const char *tmp = getenv("TAULU_TEST_TMP");
    char cmd[600];

    memset(s, 0, sizeof(s[0]));
    snprintf(s->dir, sizeof(s->dir), "%s/%s.%d", tmp ? tmp : "/tmp", name,
             (int)getpid());
    snprintf(cmd, sizeof(cmd), "rm -rf '%s' && mkdir -p '%s'", s->dir, s->dir);
    if (system(cmd) != 0) {
        die("mkdir");
    }
    /* a SQLite file in the folder, or under the _pg twin a fresh
     * PostgreSQL database of this test's own */
    if (tsupport_db_target(name, s->dir, s->db, sizeof(s->db)) != 0) {
        die("database");
    }
    snprintf(s->log, sizeof(s->log), "%s/server.log", s->dir);
    snprintf(s->web, sizeof(s->web), "%s/web", s->dir);
    mkdir(s->web, 0755);
    curl_global_init(CURL_GLOBAL_DEFAULT);
}

int itest_create_coordinator(struct itest_server *s, const char *email,
                             const char *password)
{
    char cmd[1200];
    FILE *p;

    snprintf(cmd, sizeof(cmd),
             "'%s' --db '%s' --create-coordinator '%s' --name Koordinaattori"
             " >>'%s' 2>&1",
             SRV_BIN, s->db, email, s->log);
    p = popen(cmd, "w");
    if (!p) {
        return -1;
    }
    fprintf(p, "%s\n", password);
    return pclose(p) == 0 ? 0 : -1;
}

static int read_port(const char *path, unsigned *port)
{
    FILE *f = fopen(path, "r");
    int ok;

    if (!f) {
        return -1;
    }
    ok = fscanf(f, "%u", port) == 1;
    fclose(f);
    return ok ? 0 : -1;
}

int itest_start(struct itest_server *s, const char *const *extra)
{
    char portfile[400], datadir[400];
    const char *argv[40];
    int n = 0, i, fd;
    struct itest_resp r;

    snprintf(portfile, sizeof(portfile), "%s/port", s->dir);
    /* Publishing on, as in production (signing key made on first start;
     * no broker: screens would poll). */
    snprintf(datadir, sizeof(datadir), "%s/data", s->dir);
    unlink(portfile);
    argv[n++] = SRV_BIN;
    argv[n++] = "--db";
    argv[n++] = s->db;
    argv[n++] = "--port";
    argv[n++] = "0";
    argv[n++] = "--port-file";
    argv[n++] = portfile;
    argv[n++] = "--web-root";
    argv[n++] = s->web;
    argv[n++] = "--log-level";
    argv[n++] = "info";
    argv[n++] = "--data-dir";
    argv[n++] = datadir;
    if (!extra) {
        extra = s->extra;
    }
    for (i = 0; extra && extra[i] && n < 38; i++) {
        argv[n++] = extra[i];
    }
    argv[n] = NULL;
    s->pid = fork();
    if (s->pid < 0) {
        die("fork");
    }
    if (s->pid == 0) {
        fd = open(s->log, O_WRONLY | O_CREAT | O_APPEND, 0644);
        if (fd >= 0) {
            dup2(fd, 1);
            dup2(fd, 2);
        }
        execv(SRV_BIN, (char *const *)(void *)argv);
        _exit(127);
    }
    for (i = 0; i < 200; i++) {
        struct timespec ts = {0, 25 * 1000 * 1000};
        if (read_port(portfile, &s->port) == 0 &&
            itest_req(s, "GET", "/healthz", NULL, NULL, &r) == 0) {
            long st = r.status;
            itest_resp_free(&r);
            if (st == 200) {
                return 0;
            }
        }
        nanosleep(&ts, NULL);
    }
    fprintf(stderr, "itest: the server did not start; see %s\n", s->log);
    return -1;
}

int itest_start_peer(const struct itest_server *s, struct itest_server *peer,
                     const char *name)
{
    char target[400], link[400];

    *peer = *s;
    peer->pid = 0;
    peer->port = 0;
    if ((size_t)snprintf(peer->dir, sizeof(peer->dir), "%s/%s", s->dir, name) >=
            sizeof(peer->dir) ||
        (size_t)snprintf(target, sizeof(target), "%s/data", s->dir) >=
            sizeof(target) ||
        (size_t)snprintf(link, sizeof(link), "%s/data", peer->dir) >=
            sizeof(link) ||
        (size_t)snprintf(peer->log, sizeof(peer->log), "%s/server.log",
                         peer->dir) >= sizeof(peer->log)) {
        fprintf(stderr, "itest: directory name too long\n");
        return -1;
    }
    if (mkdir(peer->dir, 0755) != 0 && errno != EEXIST) {
        fprintf(stderr, "itest: mkdir %s: %s\n", peer->dir, strerror(errno));
        return -1;
    }
    /* The data directory is made by the first instance's first start. */
    mkdir(target, 0700);
    unlink(link);
    if (symlink(target, link) != 0) {
        fprintf(stderr, "itest: symlink %s: %s\n", link, strerror(errno));
        return -1;
    }
    return itest_start(peer, NULL);
}

/* The end of the server's log on stderr: what a failed stop was about
 * (a sanitizer's report comes last). */
static void log_tail(const struct itest_server *s)
{
    char buf[4096];
    FILE *f = fopen(s->log, "r");
    long end;
    size_t n;

    if (!f) {
        return;
    }
    if (fseek(f, 0, SEEK_END) == 0 && (end = ftell(f)) > 0) {
        fseek(f, end > (long)sizeof(buf) ? end - (long)sizeof(buf) : 0,
              SEEK_SET);
    }
    n = fread(buf, 1, sizeof(buf), f);
    fclose(f);
    fprintf(stderr, "itest: the end of %s:\n%.*s\n", s->log, (int)n, buf);
}

int itest_stop(struct itest_server *s)
{
    int status = 0, rc;

    if (s->pid <= 0) {
        return -1;
    }
    kill(s->pid, SIGTERM);
    if (waitpid(s->pid, &status, 0) < 0) {
        return -1;
    }
    s->pid = 0;
    rc = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    if (rc != 0) {
        fprintf(stderr, "itest: the server %s %d on SIGTERM\n",
                WIFEXITED(status) ? "exited with" : "died of signal",
                WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
        log_tail(s);
    }
    return rc;
}

void itest_kill9(struct itest_server *s)
{
    if (s->pid > 0) {
        kill(s->pid, SIGKILL);
        waitpid(s->pid, NULL, 0);
        s->pid = 0;
    }
}

struct sink {
    char *data;
    size_t len;
};

static size_t on_data(char *p, size_t size, size_t n, void *ctx)
{
    struct sink *s = ctx;
    size_t add = size * n;
    char *d = realloc(s->data, s->len + add + 1);

    if (!d) {
        return 0;
    }
    memcpy(d + s->len, p, add);
    s->len += add;
    d[s->len] = '\0';
    s->data = d;
    return add;
}

int itest_req_raw(struct itest_server *s, const char *method, const char *path,
                  const struct itest_auth *auth, const char *body, size_t len,
                  const char *ctype, struct itest_resp *out)
{
    CURL *c = curl_easy_init();
    struct curl_slist *h = NULL;
    struct sink b = {NULL, 0}, hd = {NULL, 0};
    char url[2300], line[300];
    CURLcode rc;

    memset(out, 0, sizeof(*out));
    if (!c) {
        return -1;
    }
    snprintf(url, sizeof(url), "http://127.0.0.1:%u%s", s->port, path);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &hd);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
    curl_easy_setopt(c, CURLOPT_PATH_AS_IS, 1L);
    /* For large bodies curl asks "Expect: 100-continue". The server answers
     * an oversized one with 413 at once, without reading it; curl's default
     * 1 s wait for that answer can run out on a loaded machine (or under
     * ASan), and curl then sends into a connection the server is closing.
     * Wait as long as the request may take, as a patient client would. */
    curl_easy_setopt(c, CURLOPT_EXPECT_100_TIMEOUT_MS, 30000L);
    if (strcmp(method, "HEAD") == 0) {
        curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
    }
    if (body) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
        snprintf(line, sizeof(line), "Content-Type: %s",
                 ctype ? ctype : "application/json");
        h = curl_slist_append(h, line);
    }
    /* No "Expect: 100-continue" round trip for ordinary bodies; a body
     * over the server's limit keeps it, so the early 413 arrives before
     * the body is sent (else the server closes while curl is still
     * sending, and curl reports a send error instead of the answer). */
    if (len <= 64 * 1024) {
        h = curl_slist_append(h, "Expect:");
    } else {
        h = curl_slist_append(h, "Expect: 100-continue");
    }
    if (auth && auth->bearer[0]) {
        snprintf(line, sizeof(line), "Authorization: Bearer %s", auth->bearer);
        h = curl_slist_append(h, line);
    }
    if (auth && auth->cookie[0]) {
        snprintf(line, sizeof(line), "taulu_session=%s", auth->cookie);
        curl_easy_setopt(c, CURLOPT_COOKIE, line);
        if (!auth->no_csrf && strcmp(method, "GET") != 0) {
            snprintf(line, sizeof(line), "X-CSRF-Token: %s", auth->csrf);
            h = curl_slist_append(h, line);
        }
    }
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    rc = curl_easy_perform(c);
    if (rc != CURLE_OK) {
        fprintf(stderr, "itest: %s %s: %s\n", method, path,
                curl_easy_strerror(rc));
    }
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out->status);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    out->body = b.data;
    out->len = b.len;
    out->headers = hd.data;
    if (out->body) {
        out->json = cJSON_Parse(out->body);
    }
    return rc == CURLE_OK ? 0 : -1;
}

int itest_req(struct itest_server *s, const char *method, const char *path,
              const struct itest_auth *auth, const char *body,
              struct itest_resp *out)
{
    return itest_req_raw(s, method, path, auth, body, body ? strlen(body) : 0,
                         NULL, out);
}

void itest_resp_free(struct itest_resp *r)
{
    free(r->body);
    free(r->headers);
    cJSON_Delete(r->json);
    memset(r, 0, sizeof(*r));
}

cJSON *itest_call(struct itest_server *s, const struct itest_auth *auth,
                  long expect, const char *method, const char *path,
                  const char *fmt, ...)
{
    char *body = NULL;
    struct itest_resp r;
    cJSON *j;
    va_list ap;

    if (fmt) {
        va_start(ap, fmt);
        if (vasprintf(&body, fmt, ap) < 0) {
            body = NULL;
        }
        va_end(ap);
    }
    assert_int_equal(itest_req(s, method, path, auth, body, &r), 0);
    if (r.status != expect) {
        fprintf(stderr, "%s %s -> %ld (expected %ld): %s\n  body sent: %s\n",
                method, path, r.status, expect, r.body ? r.body : "",
                body ? body : "");
    }
    free(body);
    assert_int_equal(r.status, expect);
    j = r.json;
    r.json = NULL;
    itest_resp_free(&r);
    return j;
}

int itest_login(struct itest_server *s, const char *email, const char *password,
                struct itest_auth *out)
{
    char body[600];
    struct itest_resp r;
    const char *csrf, *p, *e;

    memset(out, 0, sizeof(*out));
    snprintf(body, sizeof(body), "{\"email\":\"%s\",\"password\":\"%s\"}",
             email, password);
    if (itest_req(s, "POST", "/api/v1/login", NULL, body, &r) != 0 ||
        r.status != 200 || !r.json) {
        itest_resp_free(&r);
        return -1;
    }
    csrf = itest_str(r.json, "csrf_token");
    p = r.headers ? strstr(r.headers, "taulu_session=") : NULL;
    if (!csrf || !p) {
        itest_resp_free(&r);
        return -1;
    }
    p += strlen("taulu_session=");
    e = strchr(p, ';');
    if (!e || (size_t)(e - p) >= sizeof(out->cookie)) {
        itest_resp_free(&r);
        return -1;
    }
    memcpy(out->cookie, p, (size_t)(e - p));
    snprintf(out->csrf, sizeof(out->csrf), "%s", csrf);
    itest_resp_free(&r);
    return 0;
}

int itest_api_token(struct itest_server *s, const struct itest_auth *as,
                    struct itest_auth *out)
{
    struct itest_resp r;
    const char *tok;

    memset(out, 0, sizeof(*out));
    if (itest_req(s, "POST", "/api/v1/tokens", as, "{\"name\":\"test\"}", &r) !=
            0 ||
        r.status != 201) {
        itest_resp_free(&r);
        return -1;
    }
    tok = itest_str(r.json, "token");
    snprintf(out->bearer, sizeof(out->bearer), "%s", tok ? tok : "");
    itest_resp_free(&r);
    return out->bearer[0] ? 0 : -1;
}

long long itest_int(const cJSON *o, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

    return cJSON_IsNumber(v) ? (long long)v->valuedouble : -1;
}

const char *itest_str(const cJSON *o, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

    return cJSON_IsString(v) ? v->valuestring : NULL;
}

void itest_iso(long long offset_seconds, char out[32])
{
    time_t t = time(NULL) + (time_t)offset_seconds;
    struct tm tm;

    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void itest_iso_at(int days, int hh_utc, long long offset_s, char out[32])
{
    time_t t = time(NULL);

    t = t - t % 86400 + (time_t)days * 86400 + (time_t)hh_utc * 3600 +
        (time_t)offset_s;
    itest_iso((long long)(t - time(NULL)), out);
}

long long itest_user(struct itest_server *s, const struct itest_auth *coord,
                     const char *email, const char *roles_json,
                     struct itest_auth *token)
{
    cJSON *j;
    long long id;
    struct itest_auth session;

    j = itest_call(s, coord, 201, "POST", "/api/v1/users",
                   "{\"email\":\"%s\",\"name\":\"%s\",\"password\":\"%s\"%s%s}",
                   email, email, ITEST_PASSWORD, roles_json ? "," : "",
                   roles_json ? roles_json : "");
    id = itest_int(j, "id");
    cJSON_Delete(j);
    if (token) {
        assert_int_equal(itest_login(s, email, ITEST_PASSWORD, &session), 0);
        assert_int_equal(itest_api_token(s, &session, token), 0);
    }
    return id;
}

long long itest_item(struct itest_server *s, const struct itest_auth *as,
                     long long org, const char *centres_json, const char *title)
{
    char until[32];
    cJSON *j;
    long long id;

    itest_iso(30 * 86400, until);
    j = itest_call(s, as, 201, "POST", "/api/v1/items",
                   "{\"organisation_id\":%lld,\"kind\":\"bulletin\","
                   "\"category\":\"osallisuus\",\"display_until\":\"%s\","
                   "\"centres\":%s,\"texts\":[{\"lang\":\"fi\",\"plain\":true,"
                   "\"title\":\"%s\",\"body\":\"Tervetuloa mukaan.\"}]}",
                   org, until, centres_json, title);
    id = itest_int(j, "id");
    cJSON_Delete(j);
    return id;
}

void itest_weekly(struct itest_series *out, int wday, int weeks)
{
    const struct taulu_tz *tz = &taulu_tz_helsinki;
    struct taulu_civil c;
    int64_t day, t, last;
    int y, mo, d;

    memset(out, 0, sizeof *out);
    assert_int_equal(taulu_time_to_civil(taulu_now() + 2 * 86400, tz, &c), 0);
    day = taulu_days_from_civil(c.year, c.month, c.day);
    day += (wday - c.wday + 7) % 7;
    taulu_civil_from_days(day, &y, &mo, &d);
    assert_int_equal(taulu_time_from_civil(tz, y, mo, d, 14, 0, 0, &t), 0);
    out->start = t;
    taulu_time_format_iso(t, out->starts_at);
    assert_int_equal(taulu_time_from_civil(tz, y, mo, d, 16, 0, 0, &t), 0);
    out->end = t;
    taulu_time_format_iso(t, out->ends_at);
    snprintf(out->first_day, sizeof out->first_day, "%04d-%02d-%02d", y, mo, d);
    taulu_civil_from_days(day + 7, &y, &mo, &d);
    snprintf(out->second_day, sizeof out->second_day, "%04d-%02d-%02d", y, mo,
             d);
    last = day + 7 * (int64_t)(weeks - 1);
    taulu_civil_from_days(last, &y, &mo, &d);
    snprintf(out->until_day, sizeof out->until_day, "%04d-%02d-%02d", y, mo, d);
    taulu_civil_from_days(last + 1, &y, &mo, &d);
    assert_int_equal(taulu_time_from_civil(tz, y, mo, d, 12, 0, 0, &t), 0);
    taulu_time_format_iso(t, out->display_until);
}

long long itest_recurring_item(struct itest_server *s,
                               const struct itest_auth *as, long long org,
                               const char *centres_json, const char *title,
                               const struct itest_series *sr, const char *byday)
{
    cJSON *j;
    long long id;

    j = itest_call(s, as, 201, "POST", "/api/v1/items",
                   "{\"organisation_id\":%lld,\"kind\":\"event\","
                   "\"category\":\"osallisuus\",\"starts_at\":\"%s\","
                   "\"ends_at\":\"%s\",\"display_until\":\"%s\","
                   "\"recurrence\":{\"freq\":\"weekly\",\"byday\":[\"%s\"],"
                   "\"until\":\"%s\"},\"centres\":%s,\"texts\":[{\"lang\":"
                   "\"fi\",\"plain\":true,\"title\":\"%s\",\"body\":"
                   "\"Tervetuloa mukaan.\",\"place\":\"Tuiran kirjasto\"}]}",
                   org, sr->starts_at, sr->ends_at, sr->display_until, byday,
                   sr->until_day, centres_json, title);
    id = itest_int(j, "id");
    cJSON_Delete(j);
    return id;
}

long long itest_placement(struct itest_server *s, const struct itest_auth *as,
                          long long item, long long centre)
{
    char path[64];
    cJSON *j, *p;
    long long id = -1;

    snprintf(path, sizeof(path), "/api/v1/items/%lld", item);
    j = itest_call(s, as, 200, "GET", path, NULL);
    cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(j, "placements"))
    {
        if (itest_int(p, "centre_id") == centre) {
            id = itest_int(p, "id");
        }
    }
    cJSON_Delete(j);
    return id;
}

static long long create_id(struct itest_server *s, const struct itest_auth *as,
                           const char *path, const char *body)
{
    struct itest_resp r;
    long long id;

    assert_int_equal(itest_req(s, "POST", path, as, body, &r), 0);
    if (r.status != 201) {
        fprintf(stderr, "POST %s -> %ld: %s\n", path, r.status,
                r.body ? r.body : "");
    }
    assert_int_equal(r.status, 201);
    id = itest_int(r.json, "id");
    itest_resp_free(&r);
    return id;
}

void itest_world_setup(struct itest_server *s, struct itest_world *w)
{
    char body[600], roles[200];
    struct itest_resp r;

    memset(w, 0, sizeof(*w));
    assert_int_equal(
        itest_create_coordinator(s, "koordinaattori@pohde.fi", ITEST_PASSWORD),
        0);
    assert_int_equal(itest_start(s, NULL), 0);
    assert_int_equal(itest_login(s, "koordinaattori@pohde.fi", ITEST_PASSWORD,
                                 &w->coord_cookie),
                     0);
    assert_int_equal(itest_api_token(s, &w->coord_cookie, &w->coord), 0);
    w->area = create_id(s, &w->coord, "/api/v1/areas",
                        "{\"name\":\"Oulu-Koillismaa\"}");
    snprintf(body, sizeof(body),
             "{\"name\":\"Tuiran hyvinvointikeskus\",\"municipality\":\"564\","
             "\"area_id\":%lld,\"languages\":[\"fi\",\"sv\"],"
             "\"opening_hours\":[{\"open\":\"08:00\",\"close\":\"16:00\"},"
             "{\"open\":\"08:00\",\"close\":\"16:00\"},null,null,null,null,"
             "null]}",
             w->area);
    w->c1 = create_id(s, &w->coord, "/api/v1/centres", body);
    w->c2 = create_id(s, &w->coord, "/api/v1/centres",
                      "{\"name\":\"Kaakkurin sote-keskus\","
                      "\"municipality\":\"564\"}");
    w->c3 = create_id(s, &w->coord, "/api/v1/centres",
                      "{\"name\":\"Raahen sote-keskus\","
                      "\"municipality\":\"678\"}");
    w->org_a = create_id(s, &w->coord, "/api/v1/organisations",
                         "{\"name\":\"Oulun Muistiyhdistys\","
                         "\"kind\":\"ngo\"}");
    w->org_b = create_id(s, &w->coord, "/api/v1/organisations",
                         "{\"name\":\"Tuiran seurakunta\","
                         "\"kind\":\"parish\"}");
    snprintf(roles, sizeof(roles), "\"organisations\":[%lld]", w->org_a);
    w->member_a = itest_user(s, &w->coord, "aino@muisti.fi", roles, &w->mem_a);
    snprintf(roles, sizeof(roles), "\"organisations\":[%lld]", w->org_b);
    w->member_b =
        itest_user(s, &w->coord, "pekka@seurakunta.fi", roles, &w->mem_b);
    snprintf(roles, sizeof(roles), "\"contact_centres\":[%lld]", w->c1);
    w->contact_1 = itest_user(s, &w->coord, "tuula@pohde.fi", roles, &w->con_1);
    snprintf(roles, sizeof(roles), "\"contact_centres\":[%lld]", w->c2);
    w->contact_2 = itest_user(s, &w->coord, "kaisa@pohde.fi", roles, &w->con_2);
    snprintf(body, sizeof(body),
             "{\"centre_id\":%lld,\"name\":\"Aula 1\","
             "\"orientation\":\"landscape\",\"width_px\":1920,"
             "\"height_px\":1080,\"diagonal_in\":55,"
             "\"viewing_distance_m\":3}",
             w->c1);
    assert_int_equal(
        itest_req(s, "POST", "/api/v1/screens", &w->coord, body, &r), 0);
    assert_int_equal(r.status, 201);
    w->s1 = itest_int(r.json, "id");
    snprintf(w->screen.bearer, sizeof(w->screen.bearer), "%s",
             itest_str(r.json, "token"));
    itest_resp_free(&r);
}

int itest_db_write(const struct itest_server *s, const char *sql, const char *a,
                   long long b)
{
    char num[32];
    int rc = -1;

    snprintf(num, sizeof num, "%lld", b);
    if (tsupport_db_is_pg()) {
        const char *const values[2] = {a, num};
        PGconn *c = PQconnectdb(s->db + strlen(TSUPPORT_PG_PREFIX));
        PGresult *r = NULL;

        if (PQstatus(c) == CONNECTION_OK) {
            r = PQexecParams(c, sql, 2, NULL, values, NULL, NULL, 0);
            rc = PQresultStatus(r) == PGRES_COMMAND_OK ? 0 : -1;
        }
        if (rc) {
            fprintf(stderr, "itest_db_write: %s", PQerrorMessage(c));
        }
        PQclear(r);
        PQfinish(c);
    } else {
        sqlite3 *db = NULL;
        sqlite3_stmt *st = NULL;

        /* SQLite reads $1 and $2 as named parameters, bound by position */
        if (sqlite3_open(s->db, &db) == SQLITE_OK &&
            sqlite3_busy_timeout(db, 5000) == SQLITE_OK &&
            sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
            sqlite3_bind_text(st, 1, a, -1, SQLITE_TRANSIENT) == SQLITE_OK &&
            sqlite3_bind_int64(st, 2, b) == SQLITE_OK &&
            sqlite3_step(st) == SQLITE_DONE) {
            rc = 0;
        } else {
            fprintf(stderr, "itest_db_write: %s\n",
                    db ? sqlite3_errmsg(db) : "?");
        }
        sqlite3_finalize(st);
        sqlite3_close(db);
    }
    return rc;
}

long long itest_metric(struct itest_server *s, const char *name)
{
    char key[200];
    struct itest_resp r;
    const char *p;
    long long n = -1;

    snprintf(key, sizeof key, "\n%s ", name);
    if (itest_req(s, "GET", "/metrics", NULL, NULL, &r) != 0) {
        return -1;
    }
    p = r.status == 200 && r.body ? strstr(r.body, key) : NULL;
    if (!p || sscanf(p + strlen(key), "%lld", &n) != 1) {
        n = -1;
    }
    itest_resp_free(&r);
    return n;
}
