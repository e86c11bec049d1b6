/*
 * test_srv_static.c: static file paths: what is accepted, and that symlinks
 * are refused wherever they are on the way.
 */
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <setjmp.h>
#include <cmocka.h>

#include "srv_static.h"

static void paths(void **state)
{
    (void)state;
    assert_true(srv_static_path_ok("/"));
    assert_true(srv_static_path_ok("/index.html"));
    assert_true(srv_static_path_ok("/css/app-1.2.css"));
    assert_true(srv_static_path_ok("/js/"));
    assert_false(srv_static_path_ok(""));
    assert_false(srv_static_path_ok("index.html"));
    assert_false(srv_static_path_ok("/../x"));
    assert_false(srv_static_path_ok("/a/../x"));
    assert_false(srv_static_path_ok("/a/./x"));
    assert_false(srv_static_path_ok("/.env"));
    assert_false(srv_static_path_ok("//etc/passwd"));
    assert_false(srv_static_path_ok("/a\\b"));
    assert_false(srv_static_path_ok("/a b"));
    assert_false(srv_static_path_ok("/a\x01.js"));
    assert_false(srv_static_path_ok("/ä.html"));
    assert_false(srv_static_path_ok("/1/2/3/4/5/6/7/8/9"));
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");

    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void opening(void **state)
{
    const char *tmp = getenv("TAULU_TEST_TMP");
    char root[200], p[600], cmd[700];
    int rootfd, fd;
    uint64_t size;
    const char *type;

    (void)state;
    snprintf(root, sizeof(root), "%s/static.%d", tmp ? tmp : "/tmp",
             (int)getpid());
    snprintf(cmd, sizeof(cmd), "rm -rf '%s' && mkdir -p '%s/css' '%s/out'",
             root, root, root);
    assert_int_equal(system(cmd), 0);
    snprintf(p, sizeof(p), "%s/index.html", root);
    write_file(p, "<p>hei</p>");
    snprintf(p, sizeof(p), "%s/css/app.css", root);
    write_file(p, "p{}");
    snprintf(p, sizeof(p), "%s/out/secret.txt", root);
    write_file(p, "secret");
    /* A symlink to a file, and a symlinked directory. */
    snprintf(p, sizeof(p), "%s/link.txt", root);
    assert_int_equal(symlink("/etc/hostname", p), 0);
    snprintf(p, sizeof(p), "%s/dirlink", root);
    assert_int_equal(symlink("out", p), 0);

    rootfd = open(root, O_RDONLY | O_DIRECTORY);
    assert_true(rootfd >= 0);
    assert_int_equal(srv_static_open(rootfd, "/", &fd, &size, &type), 0);
    assert_int_equal(size, 10);
    assert_string_equal(type, "text/html; charset=utf-8");
    close(fd);
    assert_int_equal(srv_static_open(rootfd, "/css/app.css", &fd, &size, &type),
                     0);
    assert_string_equal(type, "text/css; charset=utf-8");
    close(fd);
    assert_int_not_equal(
        srv_static_open(rootfd, "/link.txt", &fd, &size, &type), 0);
    assert_int_not_equal(
        srv_static_open(rootfd, "/dirlink/secret.txt", &fd, &size, &type), 0);
    assert_int_not_equal(srv_static_open(rootfd, "/css", &fd, &size, &type), 0);
    assert_int_not_equal(
        srv_static_open(rootfd, "/missing.js", &fd, &size, &type), 0);
    assert_int_not_equal(srv_static_open(-1, "/", &fd, &size, &type), 0);
    close(rootfd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(paths),
        cmocka_unit_test(opening),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
