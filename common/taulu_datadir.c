/*
 * taulu_datadir.c: finds the shipped data folders, first beside the
 * running program, then at the compiled-in install path (see
 * taulu_datadir.h for why in that order).
 */
#include "taulu_datadir.h"

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "taulu_err.h"

/* Set by CMake from CMAKE_INSTALL_FULL_DATADIR and the way from the
 * bindir to it; these defaults are Debian's own layout. */
#ifndef TAULU_DATADIR
#define TAULU_DATADIR "/usr/share/infotaulu"
#endif
#ifndef TAULU_BIN_TO_DATA
#define TAULU_BIN_TO_DATA "../share/infotaulu"
#endif

const char *taulu_datadir_installed(void)
{
    return TAULU_DATADIR;
}

const char *taulu_datadir_relative(void)
{
    return TAULU_BIN_TO_DATA;
}

/* Appends the path `rel` to the folder in `buf` component by component:
 * ".." drops the last component of buf, "." and empty ones do nothing (so
 * a message shows /usr/share/infotaulu, not /usr/bin/../share/...). 0 or
 * TAULU_ELIMIT. */
static int join(char *buf, size_t size, const char *rel)
{
    size_t len = strlen(buf);

    while (*rel) {
        size_t n = strcspn(rel, "/");

        if (n == 2 && rel[0] == '.' && rel[1] == '.') {
            char *slash = strrchr(buf, '/');
            len = slash ? (size_t)(slash - buf) : 0;
            buf[len] = '\0';
        } else if (n > 0 && !(n == 1 && rel[0] == '.')) {
            if (len + 1 + n >= size) {
                return TAULU_ELIMIT;
            }
            buf[len++] = '/';
            memcpy(buf + len, rel, n);
            len += n;
            buf[len] = '\0';
        }
        rel += n;
        if (*rel == '/') {
            rel++;
        }
    }
    if (len == 0) { /* ".." above the root stays at the root */
        if (size < 2) {
            return TAULU_ELIMIT;
        }
        buf[0] = '/';
        buf[1] = '\0';
    }
    return 0;
}

static int is_dir(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0 && S_ISDIR(st.st_mode) &&
           access(path, R_OK | X_OK) == 0;
}

int taulu_datadir_find_from(const char *exe_dir, const char *what, char *out,
                            size_t size)
{
    size_t n;
    int rc;

    if (!what || !what[0] || strchr(what, '/') || !out || size == 0) {
        return TAULU_EINVAL;
    }
    if (exe_dir && exe_dir[0] == '/') {
        n = strlen(exe_dir);
        if (n < size) {
            memcpy(out, exe_dir, n + 1);
            rc = join(out, size, TAULU_BIN_TO_DATA);
            if (rc == 0) {
                rc = join(out, size, what);
            }
            if (rc == 0 && is_dir(out)) {
                return 0;
            }
        }
    }
    n = strlen(TAULU_DATADIR);
    if (n >= size) {
        out[0] = '\0';
        return TAULU_ELIMIT;
    }
    memcpy(out, TAULU_DATADIR, n + 1);
    rc = join(out, size, what);
    if (rc < 0) {
        out[0] = '\0';
        return rc;
    }
    return is_dir(out) ? 0 : TAULU_ENOTFOUND;
}

int taulu_datadir_find(const char *what, char *out, size_t size)
{
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    char *slash;

    if (n <= 0 || (size_t)n >= sizeof exe - 1) {
        n = 0; /* no /proc: the installed path only */
    }
    exe[n] = '\0';
    slash = strrchr(exe, '/');
    if (slash) {
        *slash = '\0';
    }
    return taulu_datadir_find_from(slash && exe[0] ? exe : NULL, what, out,
                                   size);
}
