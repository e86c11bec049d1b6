/*
 * imp_test.h: what the importers' unit tests share: the instant they run
 * at, and reading a sample of ../shared/samples (beside the repository;
 * TAULU_SOURCE_DIR names the repository).
 */
#ifndef IMP_TEST_H
#define IMP_TEST_H

#include <stdio.h>
#include <stdlib.h>

#include "taulu_buf.h"
#include "taulu_file.h"

/* 2026-12-01T10:00:00Z, a Tuesday (12:00 in Helsinki). */
#define IMP_NOW 1796119200LL

/* The sample `name` into b (limit 1 MiB); 0, or -1 when the samples are
 * not there (the test then skips). */
static inline int imp_sample(const char *name, struct taulu_buf *b)
{
    const char *src = getenv("TAULU_SOURCE_DIR");
    char path[1024];

    taulu_buf_init(b, 1024 * 1024);
    snprintf(path, sizeof path, "%s/../shared/samples/%s", src ? src : ".",
             name);
    if (taulu_file_read(path, b) != 0) {
        fprintf(stderr, "no sample %s: skipped\n", path);
        return -1;
    }
    return 0;
}

#endif
