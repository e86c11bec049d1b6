/*
 * tsupport.h: helpers for integration tests: free loopback ports, child
 * processes, a temporary directory, and a real Mosquitto broker started on
 * a port chosen at run time.
 *
 * Test code only: functions report failure by returning -1 (and printing
 * why to stderr); the test decides whether that fails it.
 */
#ifndef TSUPPORT_H
#define TSUPPORT_H

#include <stddef.h>
#include <sys/types.h>

/* A TCP port on 127.0.0.1 that was free a moment ago (the kernel chose it
 * for a socket bound to port 0, then the socket was closed). -1 on error. */
int tsupport_free_port(void);

/* Waits until something accepts TCP connections on 127.0.0.1:port, up to
 * timeout_ms. 0 when it does, -1 on timeout. */
int tsupport_wait_port(int port, int timeout_ms);

/* A fresh directory under $TAULU_TEST_TMP (or /tmp) named after `tag`;
 * writes its path into out. 0 or -1. */
int tsupport_tmpdir(const char *tag, char *out, size_t out_size);

/* Writes text to dir/name. 0 or -1. */
int tsupport_write_file(const char *dir, const char *name, const char *text);

struct tsupport_proc {
    pid_t pid; /* 0 when not running */
};

/* Starts argv[0] (a path) with argv, stdout and stderr appended to log_path
 * (or inherited when NULL). 0 or -1. */
int tsupport_spawn(struct tsupport_proc *p, char *const argv[],
                   const char *log_path);
/* Sends SIGTERM, waits up to 5 s, then SIGKILL. Returns the exit status as
 * waitpid gives it, or -1. Accepts a process that is not running. */
int tsupport_stop(struct tsupport_proc *p);
/* SIGKILL and reap (for crash tests). */
void tsupport_kill9(struct tsupport_proc *p);

struct tsupport_broker {
    struct tsupport_proc proc;
    int port;
    char dir[512];
};

/* Starts /usr/sbin/mosquitto on 127.0.0.1 on a free port with a config in
 * a fresh directory. `extra_conf` (may be NULL) is appended to the config
 * (password_file, acl_file lines...); with it client ids are bound to user
 * names (use_username_as_clientid, as in the shipped configuration).
 * Without it anonymous access is allowed (and client ids are free, since
 * there are no user names). Retries with another port if the chosen one
 * was taken. 0 or -1. */
int tsupport_broker_start(struct tsupport_broker *b, const char *extra_conf);
void tsupport_broker_stop(struct tsupport_broker *b);

struct tsupport_balancer {
    struct tsupport_proc proc;
    int port;
    char dir[512];
};

/* Starts Debian's nginx (/usr/sbin/nginx, scripts/debian-packages.txt) on
 * 127.0.0.1 on a free port as a load balancer in front of the servers on
 * 127.0.0.1:ports[0..n-1]: round robin, connections to them kept alive,
 * the client's address in X-Forwarded-For (start the servers with
 * --trusted-proxy 127.0.0.1), the proxy settings of the shipped site
 * (content-server/nginx/infotaulu.conf) without its TLS. Sized for
 * `clients` connections at once. 0 or -1. */
int tsupport_balancer_start(struct tsupport_balancer *b, const unsigned *ports,
                            size_t n, size_t clients);
void tsupport_balancer_stop(struct tsupport_balancer *b);

#endif
