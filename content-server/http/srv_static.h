/*
 * srv_static.h: safe resolution of static file paths under the web root.
 *
 * A URL path is accepted only if every segment is 1..128 bytes of
 * [A-Za-z0-9._-] and does not start with '.', there are at most 8
 * segments and 512 bytes, so "..", hidden files, encoded separators and
 * NULs cannot even be expressed. The file is then opened one component at
 * a time with openat(O_NOFOLLOW) starting from the web root's directory
 * descriptor, so a symlink anywhere on the way (into or out of the root)
 * is refused. Only regular files are served. "/" and paths ending in "/"
 * mean index.html.
 */
#ifndef SRV_STATIC_H
#define SRV_STATIC_H

#include <stdint.h>
#include <sys/types.h>

#define SRV_STATIC_MAX_FILE (32 * 1024 * 1024)

/* 0 and an open fd (caller closes or hands to MHD), its size and media
 * type; TAULU_ENOTFOUND for anything not servable (including refused
 * paths: a caller cannot tell the difference). */
int srv_static_open(int root_fd, const char *path, int *fd, uint64_t *size,
                    const char **media_type);

/* Only the path check, for tests: 1 if acceptable. */
int srv_static_path_ok(const char *path);

#endif
