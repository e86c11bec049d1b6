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

/* Writes `len` bytes atomically with the given mode (e.g. 0644), exactly
 * (the umask does not apply). 0, TAULU_EINVAL (path too long) or TAULU_EIO
 * (errno tells why). On failure the temporary file is removed and the old
 * file is untouched, with one exception: if only the final fsync of the
 * directory fails, the new file is in place but may not survive a power
 * cut. */
int taulu_file_write_atomic(const char *path, const void *data, size_t len,
                            mode_t mode);

/* Creates a directory and its parents (like mkdir -p) with mode (minus the
 * umask). Existing directories are fine; an existing file of another kind
 * on the way is an error. 0, TAULU_EINVAL (empty or too long) or
 * TAULU_EIO. */
int taulu_mkdir_p(const char *path, mode_t mode);

/* "<dir>/<name>" into out (size bytes with the NUL). 0, or TAULU_ELIMIT
 * when it does not fit (out then holds a cut string: do not use it). */
int taulu_path_join(char *out, size_t size, const char *dir, const char *name);

#endif
