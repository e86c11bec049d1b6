/*
 * srv_static.c: static files under the web root (rules in srv_static.h).
 */
#include "srv_static.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "taulu_err.h"

#define MAX_SEGMENTS 8
#define MAX_SEGMENT  128
#define MAX_PATH     512

static int seg_char_ok(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

int srv_static_path_ok(const char *path)
{
    size_t len, seglen = 0;
    int nseg = 0;
    const char *p;

    if (!path || path[0] != '/') {
        return 0;
    }
    len = strlen(path);
    if (len > MAX_PATH) {
        return 0;
    }
    for (p = path + 1; *p; p++) {
        if (*p == '/') {
            if (seglen == 0) {
                return 0; /* "//" */
            }
            seglen = 0;
            continue;
        }
        if (!seg_char_ok(*p)) {
            return 0;
        }
        if (seglen == 0) {
            if (*p == '.') {
                return 0; /* ".", "..", hidden files */
            }
            if (++nseg > MAX_SEGMENTS) {
                return 0;
            }
        }
        if (++seglen > MAX_SEGMENT) {
            return 0;
        }
    }
    return 1;
}

static const char *media_type(const char *name)
{
    static const struct {
        const char *ext;
        const char *type;
    } types[] = {
        {".html", "text/html; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".json", "application/json"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".jpg", "image/jpeg"},
        {".jpeg", "image/jpeg"},
        {".webp", "image/webp"},
        {".ico", "image/x-icon"},
        {".woff2", "font/woff2"},
        {".ttf", "font/ttf"},
        {".txt", "text/plain; charset=utf-8"},
    };
    size_t n = strlen(name), i;

    for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        size_t k = strlen(types[i].ext);
        if (n > k && strcmp(name + n - k, types[i].ext) == 0) {
            return types[i].type;
        }
    }
    return "application/octet-stream";
}

int srv_static_open(int root_fd, const char *path, int *fd_out, uint64_t *size,
                    const char **type)
{
    char buf[MAX_PATH + 16];
    char *seg, *save = NULL, *next;
    int dir = -1, fd = -1, rc = TAULU_ENOTFOUND;
    size_t len;
    struct stat st;
    const char *last = "index.html";

    *fd_out = -1;
    if (root_fd < 0 || !srv_static_path_ok(path)) {
        return TAULU_ENOTFOUND;
    }
    len = strlen(path);
    memcpy(buf, path, len + 1);
    if (buf[len - 1] == '/') {
        memcpy(buf + len, "index.html", sizeof("index.html"));
    }
    dir = dup(root_fd);
    if (dir < 0) {
        return TAULU_EIO;
    }
    seg = strtok_r(buf + 1, "/", &save);
    while (seg) {
        next = strtok_r(NULL, "/", &save);
        if (next) {
            int d = openat(dir, seg,
                           O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            close(dir);
            dir = d;
            if (dir < 0) {
                goto out;
            }
        } else {
            last = seg;
            fd = openat(dir, seg,
                        O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
            if (fd < 0) {
                goto out;
            }
        }
        seg = next;
    }
    if (fd < 0) {
        goto out;
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
        st.st_size > SRV_STATIC_MAX_FILE) {
        goto out;
    }
    /* Back to blocking reads for MHD. */
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    *fd_out = fd;
    *size = (uint64_t)st.st_size;
    *type = media_type(last);
    fd = -1;
    rc = 0;
out:
    if (fd >= 0) {
        close(fd);
    }
    if (dir >= 0) {
        close(dir);
    }
    return rc;
}
