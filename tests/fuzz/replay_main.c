/*
 * replay_main.c: runs a fuzz target over its corpus without libFuzzer, so
 * that every build (gcc included) keeps the corpus as a regression test.
 *
 * Usage: fuzz_<name> <file-or-directory>...  Every regular file is fed to
 * LLVMFuzzerTestOneInput() once; a crash or abort fails the test.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "taulu_buf.h"
#include "taulu_err.h"
#include "taulu_file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define REPLAY_MAX_BYTES (16u * 1024u * 1024u)

static int run_file(const char *path)
{
    struct taulu_buf b;
    int rc;

    taulu_buf_init(&b, REPLAY_MAX_BYTES);
    if ((rc = taulu_file_read(path, &b)) < 0) {
        fprintf(stderr, "%s: %s\n", path, taulu_strerror(rc));
        taulu_buf_release(&b);
        return -1;
    }
    LLVMFuzzerTestOneInput((const uint8_t *)b.data, b.len);
    taulu_buf_release(&b);
    return 0;
}

static int run_path(const char *path, size_t *n)
{
    struct dirent *de;
    struct stat st;
    DIR *d;
    int rc = 0;

    if (stat(path, &st) < 0) {
        fprintf(stderr, "%s: not found\n", path);
        return -1;
    }
    if (!S_ISDIR(st.st_mode)) {
        (*n)++;
        return run_file(path);
    }
    if (!(d = opendir(path))) {
        fprintf(stderr, "%s: cannot open\n", path);
        return -1;
    }
    while (rc == 0 && (de = readdir(d)) != NULL) {
        struct taulu_buf p;
        if (de->d_name[0] == '.') {
            continue;
        }
        taulu_buf_init(&p, 4096);
        if (taulu_buf_appendf(&p, "%s/%s", path, de->d_name) < 0) {
            rc = -1;
        } else {
            rc = run_path(p.data, n);
        }
        taulu_buf_release(&p);
    }
    closedir(d);
    return rc;
}

int main(int argc, char **argv)
{
    size_t n = 0;
    int i;

    if (argc < 2) {
        fprintf(stderr, "usage: %s <file-or-directory>...\n", argv[0]);
        return 2;
    }
    for (i = 1; i < argc; i++) {
        if (run_path(argv[i], &n) < 0) {
            return 1;
        }
    }
    if (n == 0) {
        fprintf(stderr, "no inputs found\n");
        return 1;
    }
    printf("replayed %zu inputs\n", n);
    return 0;
}
