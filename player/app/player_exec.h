/*
 * player_exec.h: runs one external program with a time limit, no shell:
 * the display's power commands (cec-client, xset, docs/player.md "Screen
 * power"). The only file of the player that starts processes.
 *
 * posix_spawnp() (safe in a program with threads: no fork of the whole
 * address space), the arguments as given (nothing is interpreted by a
 * shell), `input` written to its standard input, the first bytes of what
 * it writes to stdout and stderr kept for the log, SIGKILL when it runs
 * past the limit. Its environment is the player's.
 */
#ifndef PLAYER_EXEC_H
#define PLAYER_EXEC_H

#include <stdbool.h>
#include <stddef.h>

struct player_exec_result {
    bool started;     /* false: not found or not executable (see error) */
    bool timed_out;   /* killed at the limit */
    int exit_code;    /* when it exited (0..255); -1 otherwise */
    int signal;       /* when a signal ended it; 0 otherwise */
    char output[256]; /* the start of stdout+stderr, one line, trimmed */
    char error[128];  /* why it did not start */
};

/* Runs argv[0] (found in PATH when it has no '/') with argv, waits at most
 * timeout_ms. 0 when it ran and exited 0; TAULU_EUNAVAIL otherwise (the
 * result says how). */
int player_exec_run(char *const argv[], const char *input, int timeout_ms,
                    struct player_exec_result *res);

/* Splits a command line at spaces and tabs into argv (no quoting, no
 * shell: "cec-client -s -d 1"), into `buf` (its copy) and `argv` (at most
 * max - 1 words, NULL-terminated). The number of words, or 0 for an empty
 * line, -1 when it does not fit. */
int player_exec_split(const char *line, char *buf, size_t buf_size,
                      char *argv[], size_t max);

#endif
