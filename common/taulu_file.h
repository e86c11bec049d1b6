/*
 * taulu_file.h: reading bounded files and writing them crash-safely.
 *
 * taulu_file_write_atomic() writes to "<path>.tmp.<pid>", fsyncs it, renames
 * it over `path` and fsyncs the directory, so that a power cut at any moment
 * leaves either the old file or the new one, never a mix.
 */
#ifndef TAULU_FILE_H
#define TAULU_FILE_H

#include <stddef.h>
#include <sys/types.h>

#include "taulu_buf.h"

/* Appends the whole file to `out` (which bounds its size). 0,
 * TAULU_ENOTFOUND, TAULU_EIO, TAULU_ELIMIT (file larger than the buffer's
 * limit; `out` keeps what it held before) or TAULU_ENOMEM. */
int taulu_file_read(const char *path, struct taulu_buf *out);

/* Writes `len` bytes atomically with the given mode (e.g. 0644). 0 or
 * TAULU_EIO (errno tells why); on failure the old file is untouched and the
 * temporary file removed. */
int taulu_file_write_atomic(const char *path, const void *data, size_t len,
                            mode_t mode);

/* Creates a directory and its parents (like mkdir -p) with mode. 0 or
 * TAULU_EIO. */
int taulu_mkdir_p(const char *path, mode_t mode);

#endif
