/*
 * test_srv_heartbeat.c: the server's self-check (srv_heartbeat.h) against
 * real loopback sockets played by this test: one that answers 200 or 503,
 * one that accepts and never answers (the deadline must hold), one that
 * closes at once, one that answers something that is not HTTP, a port
 * nobody listens on, and addresses that are not numeric.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "srv_heartbeat.h"
#include "taulu_err.h"
#include "taulu_time.h"

struct peer {
    int lfd;
    unsigned port;
    const char *answer; /* NULL: accept and say nothing; "": close */
    char request[512];
    pthread_t thread;
};

static void *serve(void *arg)
{
    struct peer *p = arg;
    int fd = accept(p->lfd, NULL, NULL);
    ssize_t n;

    if (fd < 0) {
        return NULL;
    }
    n = recv(fd, p->request, sizeof p->request - 1, 0);
    p->request[n > 0 ? n : 0] = '\0';
    if (p->answer && p->answer[0]) {
        (void)!send(fd, p->answer, strlen(p->answer), MSG_NOSIGNAL);
    }
    if (!p->answer) {
        sleep(3); /* longer than any deadline below */
    }
    close(fd);
    return NULL;
}

static void peer_start(struct peer *p, const char *answer)
{
    struct sockaddr_in sa;
    socklen_t len = sizeof sa;

    memset(p, 0, sizeof *p);
    p->answer = answer;
    p->lfd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(p->lfd >= 0);
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(p->lfd, (struct sockaddr *)&sa, sizeof sa), 0);
    assert_int_equal(listen(p->lfd, 4), 0);
    assert_int_equal(getsockname(p->lfd, (struct sockaddr *)&sa, &len), 0);
    p->port = ntohs(sa.sin_port);
    assert_int_equal(pthread_create(&p->thread, NULL, serve, p), 0);
}

static void peer_stop(struct peer *p)
{
    pthread_join(p->thread, NULL);
    close(p->lfd);
}

static void test_answers(void **state)
{
    struct peer p;
    int status = 0;

    (void)state;
    peer_start(&p, "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nok\n");
    assert_int_equal(srv_heartbeat_http("127.0.0.1", p.port, 2000, &status), 0);
    peer_stop(&p);
    assert_int_equal(status, 200);
    assert_non_null(strstr(p.request, "GET /healthz HTTP/1.1\r\n"));

    /* the wildcard address is asked on loopback; 503 is an answer */
    peer_start(&p, "HTTP/1.1 503 Service Unavailable\r\n\r\ndb\n");
    assert_int_equal(srv_heartbeat_http("0.0.0.0", p.port, 2000, &status), 0);
    peer_stop(&p);
    assert_int_equal(status, 503);
}

static void test_silence_meets_the_deadline(void **state)
{
    struct peer p;
    int64_t t0;
    int status = 1;

    (void)state;
    peer_start(&p, NULL);
    t0 = taulu_monotonic_ms();
    assert_int_equal(srv_heartbeat_http("127.0.0.1", p.port, 300, &status),
                     TAULU_EUNAVAIL);
    assert_true(taulu_monotonic_ms() - t0 >= 290);
    assert_true(taulu_monotonic_ms() - t0 < 1500);
    assert_int_equal(status, 0);
    peer_stop(&p);
}

static void test_no_answer(void **state)
{
    struct peer p;
    unsigned port;
    int status;

    (void)state;
    peer_start(&p, "");
    assert_int_equal(srv_heartbeat_http("127.0.0.1", p.port, 2000, &status),
                     TAULU_EUNAVAIL);
    peer_stop(&p);

    peer_start(&p, "SSH-2.0-OpenSSH\r\n");
    assert_int_equal(srv_heartbeat_http("127.0.0.1", p.port, 2000, &status),
                     TAULU_EPARSE);
    peer_stop(&p);

    /* nobody listens there any more: refused, at once */
    port = p.port;
    assert_int_equal(srv_heartbeat_http("127.0.0.1", port, 2000, &status),
                     TAULU_EUNAVAIL);
}

static void test_bad_address(void **state)
{
    int status;

    (void)state;
    assert_int_equal(srv_heartbeat_http("localhost", 80, 100, &status),
                     TAULU_EINVAL);
    assert_int_equal(srv_heartbeat_http("300.1.1.1", 80, 100, &status),
                     TAULU_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_answers),
        cmocka_unit_test(test_silence_meets_the_deadline),
        cmocka_unit_test(test_no_answer),
        cmocka_unit_test(test_bad_address),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
