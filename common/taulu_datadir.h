/*
 * taulu_datadir.h: where the programs find the data they ship with (the
 * web UI, the fonts, the colour themes) when their settings do not say.
 *
 * Installed, that data is in <datadir>/infotaulu/<what>: CMake's
 * CMAKE_INSTALL_FULL_DATADIR, compiled in as TAULU_DATADIR. Before that
 * path the same folder is looked for relative to the running program,
 * <program's folder>/TAULU_BIN_TO_DATA/<what> (TAULU_BIN_TO_DATA is the
 * way from the install's bindir to its data, e.g. ../share/infotaulu).
 * Installed as configured, both are the same folder. The relative one
 * also serves:
 *   - an installed tree staged (DESTDIR) or moved as a whole: it uses its
 *     own data, not another copy at the compiled-in place;
 *   - the build tree, which CMake lays out like an install: the programs
 *     are one folder below the build root and <build>/share/infotaulu/
 *     {web,fonts,themes} link to the source folders, so a program run
 *     from the build tree shows the sources' web UI and fonts, never an
 *     older installed copy.
 * No path of the source or build tree is compiled into a program.
 */
#ifndef TAULU_DATADIR_H
#define TAULU_DATADIR_H

#include <stddef.h>

/* The folders under <datadir>/infotaulu. */
#define TAULU_DATA_WEB    "web"
#define TAULU_DATA_FONTS  "fonts"
#define TAULU_DATA_THEMES "themes"

/* The installed data folder <datadir>/infotaulu (compiled in), for help
 * texts and messages. */
const char *taulu_datadir_installed(void);

/* The way from the program's folder to the data folder
 * (TAULU_BIN_TO_DATA, e.g. "../share/infotaulu"). */
const char *taulu_datadir_relative(void);

/* Writes to `out` the folder of `what` (TAULU_DATA_WEB, ...): the first of
 * the program-relative and the installed one that is a readable
 * directory. Returns 0; TAULU_ENOTFOUND when neither is, with the
 * installed path in `out` (for the message that says what is missing);
 * TAULU_ELIMIT when a path does not fit `size`; TAULU_EINVAL. */
int taulu_datadir_find(const char *what, char *out, size_t size);

/* taulu_datadir_find() with the program's folder given (the tests; NULL
 * or "": only the installed path is tried). */
int taulu_datadir_find_from(const char *exe_dir, const char *what, char *out,
                            size_t size);

#endif
