/*
 * taulu_file.c: bounded file reads and atomic writes (see taulu_file.h).
 */
#include "taulu_file.h"
#include "taulu_err.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int taulu_file_read(const char *path, struct taulu_buf *out)
{
    size_t start = out->len;
    char chunk[16384];
    int fd, rc = TAULU_OK;
    ssize_t n;

    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return errno == ENOENT ? TAULU_ENOTFOUND : TAULU_EIO;
    }
    for (;;) {
        n = read(fd, chunk, sizeof chunk);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            rc = TAULU_EIO;
            break;
        }
        if (n == 0) {
            break;
        }
        rc = taulu_buf_append(out, chunk, (size_t)n);
        if (rc < 0) {
            break;
        }
    }
    close(fd);
    if (rc < 0) {
        taulu_buf_truncate(out, start);
    }
    return rc;
}

static int write_all(int fd, const char *p, size_t len)
{
    while (len) {
        ssize_t n = write(fd, p, len);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

static int fsync_dir_of(const char *path)
{
    char dir[PATH_MAX];
    const char *slash = strrchr(path, '/');
    size_t n;
    int fd, rc;

    if (!slash) {
        dir[0] = '.';
        dir[1] = '\0';
    } else {
        n = (size_t)(slash - path);
        if (n == 0) {
            n = 1;
        }
        if (n >= sizeof dir) {
            return -1;
        }
        memcpy(dir, path, n);
        dir[n] = '\0';
    }
    fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        return -1;
    }
    rc = fsync(fd);
    close(fd);
    return rc;
}

int taulu_file_write_atomic(const char *path, const void *data, size_t len,
                            mode_t mode)
{
    static atomic_ulong serial;
    char tmp[PATH_MAX];
    int fd, saved;

    /* A temporary name of its own per call, not per process: two threads
     * writing the same file (two uploads of one picture) would otherwise
     * truncate each other's temporary and the second rename would fail. */
    if (snprintf(tmp, sizeof tmp, "%s.tmp.%ld.%lu", path, (long)getpid(),
                 atomic_fetch_add(&serial, 1)) >= (int)sizeof tmp) {
        return TAULU_EINVAL;
    }
    fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0) {
        return TAULU_EIO;
    }
    if (fchmod(fd, mode) < 0 || write_all(fd, data, len) < 0 || fsync(fd) < 0) {
        saved = errno;
        close(fd);
        unlink(tmp);
        errno = saved;
        return TAULU_EIO;
    }
    if (close(fd) < 0 || rename(tmp, path) < 0) {
        saved = errno;
        unlink(tmp);
        errno = saved;
        return TAULU_EIO;
    }
    if (fsync_dir_of(path) < 0) {
        return TAULU_EIO;
    }
    return TAULU_OK;
}

/* mkdir() that accepts an existing directory but not an existing file of
 * another kind (which mkdir reports as EEXIST too). */
static int make_dir(const char *path, mode_t mode)
{
    struct stat st;

    if (mkdir(path, mode) == 0) {
        return 0;
    }
    if (errno != EEXIST) {
        return -1;
    }
    if (stat(path, &st) < 0) {
        return -1;
    }
    if (!S_ISDIR(st.st_mode)) {
        errno = ENOTDIR;
        return -1;
    }
    return 0;
}

int taulu_mkdir_p(const char *path, mode_t mode)
{
    char tmp[PATH_MAX];
    size_t len = strlen(path);
    char *p;

    if (len == 0 || len >= sizeof tmp) {
        return TAULU_EINVAL;
    }
    memcpy(tmp, path, len + 1);
    for (p = tmp + 1; *p; p++) {
        if (*p != '/') {
            continue;
        }
        *p = '\0';
        if (make_dir(tmp, mode) < 0) {
            return TAULU_EIO;
        }
        *p = '/';
    }
    if (make_dir(tmp, mode) < 0) {
        return TAULU_EIO;
    }
    return TAULU_OK;
}

int taulu_path_join(char *out, size_t size, const char *dir, const char *name)
{
    int n = snprintf(out, size, "%s/%s", dir, name);

    return n > 0 && (size_t)n < size ? 0 : TAULU_ELIMIT;
}
