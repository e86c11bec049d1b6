/*
 * fuzz_static_path.c: libFuzzer target for the server's static file
 * resolution: a request path as it arrives (percent-encoded) goes through
 * the server's own decoder (srv_http_unescape) and srv_static_open()
 * against a small web root made once per process, with symlinks out of
 * and inside the root, a FIFO, a directory named like a file and a secret
 * next to the root.
 *
 * Checks beyond "does not crash":
 *  - decoding never shortens the string with a NUL (%00 must not cut
 *    "/index.html%00.js" down to "/index.html"), so a path with %00 never
 *    resolves;
 *  - a path that resolves passed srv_static_path_ok(), is a regular file
 *    of the size reported, and its real path is exactly the root's real
 *    path plus the request path: inside the root, and reached without
 *    following any symlink;
 *  - a path that names a regular file reachable without symlinks does
 *    resolve (the check refuses only what it should);
 *  - no file descriptor leaks, whatever the answer.
 */
#define _XOPEN_SOURCE 700 /* nftw() */
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "srv_http.h"
#include "srv_static.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char base[256];
static char real_root[PATH_MAX];
static int root_fd = -1;

static int rm_one(const char *path, const struct stat *st, int flag,
                  struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    if (flag == FTW_DP) {
        rmdir(path);
    } else {
        unlink(path);
    }
    return 0;
}

static void cleanup(void)
{
    if (root_fd >= 0) {
        close(root_fd);
    }
    if (base[0]) {
        nftw(base, rm_one, 16, FTW_DEPTH | FTW_PHYS);
    }
}

/* base + "/" + rel into p (PATH_MAX bytes). */
static void at(char *p, const char *rel)
{
    int n = snprintf(p, PATH_MAX, "%s/%s", base, rel);

    if (n < 0 || n >= PATH_MAX) {
        abort();
    }
}

static void put(const char *rel, const char *text)
{
    char p[PATH_MAX];
    FILE *f;

    at(p, rel);
    if (!(f = fopen(p, "w"))) {
        abort();
    }
    fputs(text, f);
    fclose(f);
}

static void dir(const char *rel)
{
    char p[PATH_MAX];

    at(p, rel);
    if (mkdir(p, 0755) != 0) {
        abort();
    }
}

static void link_to(const char *target, const char *rel)
{
    char p[PATH_MAX];

    at(p, rel);
    if (symlink(target, p) != 0) {
        abort();
    }
}

static void setup(void)
{
    const char *tmp = getenv("TMPDIR");
    char p[PATH_MAX];

    int n = snprintf(base, sizeof(base), "%s/fuzz_static.XXXXXX",
                     tmp && *tmp && strlen(tmp) < 200 ? tmp : "/tmp");

    if (n < 0 || (size_t)n >= sizeof(base) || !mkdtemp(base)) {
        abort();
    }
    atexit(cleanup);
    dir("root");
    dir("outside");
    put("outside/secret.txt", "secret");
    put("outside/index.html", "outside");
    put("root/index.html", "<p>hei</p>");
    dir("root/css");
    put("root/css/app.css", "p{}");
    dir("root/js");
    put("root/js/index.html", "js");
    put("root/js/app.js", "1;");
    dir("root/sub");
    dir("root/sub/deep");
    put("root/sub/deep/file.txt", "deep");
    dir("root/dir.html");
    put("root/a-b_c.1.json", "{}");
    link_to("../outside/secret.txt", "root/link.txt");
    link_to("../outside", "root/dirlink");
    link_to("index.html", "root/inlink.html");
    link_to("sub", "root/sublink");
    at(p, "root/fifo");
    if (mkfifo(p, 0600) != 0) {
        abort();
    }
    at(p, "root");
    if (!realpath(p, real_root)) {
        abort();
    }
    root_fd = open(p, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (root_fd < 0) {
        abort();
    }
}

/* 1 if root + path names a regular file and every step on the way is a
 * real directory (no symlink), as lstat sees it. */
static int servable(const char *path)
{
    char p[PATH_MAX + 600];
    size_t n = strlen(real_root), i;
    struct stat st;

    if (n + strlen(path) + 1 >= sizeof(p)) {
        return 0;
    }
    memcpy(p, real_root, n);
    for (i = 0; path[i]; i++) {
        p[n + i] = path[i];
        if (path[i] == '/' && i > 0) {
            p[n + i] = '\0';
            if (lstat(p, &st) != 0 || !S_ISDIR(st.st_mode)) {
                return 0;
            }
            p[n + i] = '/';
        }
    }
    p[n + i] = '\0';
    return lstat(p, &st) == 0 && S_ISREG(st.st_mode);
}

static int lowest_free_fd(void)
{
    int fd = dup(root_fd);

    if (fd < 0) {
        abort();
    }
    close(fd);
    return fd;
}

/* 1 if the raw path has "%00" (which the decoder always decodes: '%' is
 * never a hex digit of an escape before it). */
static int has_nul_escape(const uint8_t *data, size_t size)
{
    size_t i;

    for (i = 0; i + 2 < size; i++) {
        if (data[i] == '%' && data[i + 1] == '0' && data[i + 2] == '0') {
            return 1;
        }
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[2048], want[PATH_MAX + 1100], proc[64], got[PATH_MAX + 1];
    const char *type = NULL;
    uint64_t fsize = 0;
    size_t len;
    int fd = -2, rc, before;
    ssize_t n;
    struct stat st;

    if (root_fd < 0) {
        setup();
    }
    /* A request path is a C string: MHD never hands out a raw NUL. */
    if (size >= sizeof(path) || memchr(data, '\0', size)) {
        return 0;
    }
    memcpy(path, data, size);
    path[size] = '\0';
    len = srv_http_unescape(path);
    if (len != strlen(path) || len > size) {
        abort();
    }
    before = lowest_free_fd();
    rc = srv_static_open(root_fd, path, &fd, &fsize, &type);
    if (rc != 0) {
        if (fd != -1) {
            abort();
        }
        /* A refusal must not refuse what is plainly servable. */
        if (srv_static_path_ok(path)) {
            char full[600];
            snprintf(full, sizeof(full), "%s%s", path,
                     path[len - 1] == '/' ? "index.html" : "");
            if (servable(full)) {
                abort();
            }
        }
    } else {
        if (fd < 0 || !type || !srv_static_path_ok(path) ||
            strchr(path, '\x01') != NULL || has_nul_escape(data, size)) {
            abort();
        }
        if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
            (uint64_t)st.st_size != fsize) {
            abort();
        }
        snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
        n = readlink(proc, got, sizeof(got) - 1);
        if (n < 0) {
            abort();
        }
        got[n] = '\0';
        snprintf(want, sizeof(want), "%s%s%s", real_root, path,
                 path[len - 1] == '/' ? "index.html" : "");
        /* Exactly the root plus the path: inside the root, no symlink. */
        if (strncmp(got, real_root, strlen(real_root)) != 0 ||
            got[strlen(real_root)] != '/' || strcmp(got, want) != 0) {
            abort();
        }
        close(fd);
    }
    if (lowest_free_fd() != before) {
        abort(); /* a descriptor leaked */
    }
    return 0;
}
