/*
 * taulu_test_tmp.h: a fresh scratch directory for one unit-test program,
 * under $TAULU_TEST_TMP (set by CTest) or /tmp, removed again at the end.
 *
 *     static char dir[4096];
 *     setup:    return taulu_test_tmp_make(dir, sizeof dir, "file");
 *     teardown: return taulu_test_tmp_remove(dir);
 */
#ifndef TAULU_TEST_TMP_H
#define TAULU_TEST_TMP_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "taulu_file.h"

/* Creates "<base>/<prefix>.XXXXXX" and writes its path to out. 0 or -1. */
static inline int taulu_test_tmp_make(char *out, size_t size,
                                      const char *prefix)
{
    const char *base = getenv("TAULU_TEST_TMP");

    if (!base || !base[0])
        base = "/tmp";
    if (taulu_mkdir_p(base, 0700) < 0)
        return -1;
    if ((size_t)snprintf(out, size, "%s/%s.XXXXXX", base, prefix) >= size)
        return -1;
    return mkdtemp(out) ? 0 : -1;
}

/* rm -r of what taulu_test_tmp_make() made (does not follow symlinks). */
static inline int taulu_test_tmp_remove(const char *path)
{
    char sub[4096];
    struct dirent *e;
    struct stat st;
    DIR *d;
    int rc = 0;

    if (lstat(path, &st) < 0)
        return -1;
    if (!S_ISDIR(st.st_mode))
        return unlink(path);
    d = opendir(path);
    if (!d)
        return -1;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if ((size_t)snprintf(sub, sizeof sub, "%s/%s", path, e->d_name) >=
                sizeof sub ||
            taulu_test_tmp_remove(sub) < 0)
            rc = -1;
    }
    closedir(d);
    if (rmdir(path) < 0)
        rc = -1;
    return rc;
}

#endif
