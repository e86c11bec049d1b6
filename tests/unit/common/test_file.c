/*
 * test_file.c: unit tests of common/taulu_file (bounded reads, atomic
 * writes, mkdir -p). Works in a fresh directory under $TAULU_TEST_TMP (set
 * by CTest) or /tmp.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <pthread.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "taulu_buf.h"
#include "taulu_err.h"
#include "taulu_file.h"
#include "taulu_test_tmp.h"

static char dir[4096];

static int setup(void **state)
{
    (void)state;
    return taulu_test_tmp_make(dir, sizeof dir, "file");
}

static int teardown(void **state)
{
    (void)state;
    return taulu_test_tmp_remove(dir);
}

static void path_in(char *out, size_t size, const char *name)
{
    assert_true((size_t)snprintf(out, size, "%s/%s", dir, name) < size);
}

/* Number of entries in d besides . and .., their names in `names`
 * separated by spaces. */
static int count_entries(const char *d, char *names, size_t size)
{
    DIR *dh = opendir(d);
    struct dirent *e;
    int n = 0;

    assert_non_null(dh);
    names[0] = '\0';
    while ((e = readdir(dh)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        n++;
        snprintf(names + strlen(names), size - strlen(names), "%s%s",
                 names[0] ? " " : "", e->d_name);
    }
    closedir(dh);
    return n;
}

static void test_read_whole_file(void **state)
{
    char p[4200];
    struct taulu_buf b;

    (void)state;
    path_in(p, sizeof p, "r.txt");
    assert_int_equal(taulu_file_write_atomic(p, "hello\0world", 11, 0644), 0);
    taulu_buf_init(&b, 100);
    assert_int_equal(taulu_buf_puts(&b, "pre:"), 0);
    assert_int_equal(taulu_file_read(p, &b), 0);
    assert_int_equal(b.len, 15);
    assert_memory_equal(b.data, "pre:hello\0world", 15);
    assert_int_equal(b.data[15], '\0');
    taulu_buf_release(&b);

    /* Empty file. */
    path_in(p, sizeof p, "empty");
    assert_int_equal(taulu_file_write_atomic(p, "", 0, 0644), 0);
    taulu_buf_init(&b, 100);
    assert_int_equal(taulu_file_read(p, &b), 0);
    assert_int_equal(b.len, 0);
    taulu_buf_release(&b);
}

static void test_read_bounded(void **state)
{
    char p[4200];
    char data[40000];
    struct taulu_buf b;

    (void)state;
    memset(data, 'd', sizeof data);
    path_in(p, sizeof p, "big");
    assert_int_equal(taulu_file_write_atomic(p, data, sizeof data, 0644), 0);

    /* One byte short of room: refused, buffer as before. */
    taulu_buf_init(&b, 3 + sizeof data - 1);
    assert_int_equal(taulu_buf_puts(&b, "old"), 0);
    assert_int_equal(taulu_file_read(p, &b), TAULU_ELIMIT);
    assert_int_equal(b.len, 3);
    assert_string_equal(b.data, "old");
    taulu_buf_release(&b);

    /* Exactly enough room. */
    taulu_buf_init(&b, 3 + sizeof data);
    assert_int_equal(taulu_buf_puts(&b, "old"), 0);
    assert_int_equal(taulu_file_read(p, &b), 0);
    assert_int_equal(b.len, 3 + sizeof data);
    assert_memory_equal(b.data + 3, data, sizeof data);
    taulu_buf_release(&b);
}

static void test_read_missing_and_unreadable(void **state)
{
    char p[4200];
    struct taulu_buf b;

    (void)state;
    path_in(p, sizeof p, "no-such-file");
    taulu_buf_init(&b, 100);
    assert_int_equal(taulu_buf_puts(&b, "x"), 0);
    assert_int_equal(taulu_file_read(p, &b), TAULU_ENOTFOUND);
    assert_string_equal(b.data, "x");
    /* A directory opens but cannot be read. */
    assert_int_equal(taulu_file_read(dir, &b), TAULU_EIO);
    assert_string_equal(b.data, "x");
    taulu_buf_release(&b);
}

static void test_atomic_write(void **state)
{
    char p[4200], names[4096], sub[4200];
    struct taulu_buf b;
    struct stat st;
    mode_t old_umask;

    (void)state;
    path_in(sub, sizeof sub, "atomic");
    assert_int_equal(taulu_mkdir_p(sub, 0700), 0);
    assert_true((size_t)snprintf(p, sizeof p, "%s/f", sub) < sizeof p);

    assert_int_equal(taulu_file_write_atomic(p, "first version", 13, 0644), 0);
    assert_int_equal(taulu_file_write_atomic(p, "second", 6, 0644), 0);
    taulu_buf_init(&b, 100);
    assert_int_equal(taulu_file_read(p, &b), 0);
    assert_string_equal(b.data, "second");
    taulu_buf_release(&b);
    /* Only the file itself: no temporary left behind. */
    assert_int_equal(count_entries(sub, names, sizeof names), 1);
    assert_string_equal(names, "f");

    /* The mode is exact, whatever the umask. */
    old_umask = umask(077);
    assert_int_equal(taulu_file_write_atomic(p, "x", 1, 0640), 0);
    assert_int_equal(stat(p, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0640);
    assert_int_equal(taulu_file_write_atomic(p, "x", 1, 0600), 0);
    assert_int_equal(stat(p, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0600);
    umask(old_umask);

    /* Failure: renaming over a non-empty directory. The old content stays
     * and the temporary file is removed. */
    assert_true((size_t)snprintf(p, sizeof p, "%s/d", sub) < sizeof p);
    assert_int_equal(taulu_mkdir_p(p, 0700), 0);
    assert_true((size_t)snprintf(names, sizeof names, "%s/d/inside", sub) <
                sizeof names);
    assert_int_equal(taulu_file_write_atomic(names, "i", 1, 0600), 0);
    assert_int_equal(taulu_file_write_atomic(p, "z", 1, 0600), TAULU_EIO);
    assert_int_equal(count_entries(sub, names, sizeof names), 2);
    assert_null(strstr(names, ".tmp."));

    /* Failure: the directory does not exist. */
    assert_true((size_t)snprintf(p, sizeof p, "%s/missing/f", sub) < sizeof p);
    assert_int_equal(taulu_file_write_atomic(p, "z", 1, 0600), TAULU_EIO);
    assert_int_equal(errno, ENOENT);
}

/* Threads of one process writing the same file at once (two uploads of
 * the same picture): every write succeeds, the file is whole, and no
 * temporary is left. Each thread's temporary used to be named after the
 * process only, so one thread truncated another's and its rename failed. */
struct racer {
    const char *path;
    char text[32];
    int failures;
};

static void *race_writes(void *arg)
{
    struct racer *r = arg;
    int i;

    for (i = 0; i < 300; i++) {
        if (taulu_file_write_atomic(r->path, r->text, strlen(r->text), 0644) !=
            0) {
            r->failures++;
        }
    }
    return NULL;
}

static void test_atomic_write_threads(void **state)
{
    char sub[4200], p[4300], names[256];
    struct racer r[6];
    pthread_t t[6];
    struct taulu_buf b;
    int i, whole = 0;

    (void)state;
    path_in(sub, sizeof sub, "race");
    assert_int_equal(taulu_mkdir_p(sub, 0700), 0);
    assert_true((size_t)snprintf(p, sizeof p, "%s/same.png", sub) < sizeof p);
    for (i = 0; i < 6; i++) {
        r[i].path = p;
        r[i].failures = 0;
        snprintf(r[i].text, sizeof r[i].text, "writer %d of six", i);
        assert_int_equal(pthread_create(&t[i], NULL, race_writes, &r[i]), 0);
    }
    for (i = 0; i < 6; i++) {
        pthread_join(t[i], NULL);
        assert_int_equal(r[i].failures, 0);
    }
    taulu_buf_init(&b, 100);
    assert_int_equal(taulu_file_read(p, &b), 0);
    for (i = 0; i < 6; i++) {
        whole +=
            b.len == strlen(r[i].text) && memcmp(b.data, r[i].text, b.len) == 0;
    }
    taulu_buf_release(&b);
    assert_int_equal(whole, 1);
    assert_int_equal(count_entries(sub, names, sizeof names), 1);
    assert_string_equal(names, "same.png");
}

static void test_mkdir_p(void **state)
{
    char p[4200], f[4200];
    struct stat st;

    (void)state;
    path_in(p, sizeof p, "a/b//c/d");
    assert_int_equal(taulu_mkdir_p(p, 0755), 0);
    assert_int_equal(stat(p, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    /* Again: existing directories are fine, with or without a slash. */
    assert_int_equal(taulu_mkdir_p(p, 0755), 0);
    path_in(p, sizeof p, "a/b/c/d/");
    assert_int_equal(taulu_mkdir_p(p, 0755), 0);
    path_in(p, sizeof p, "a/b/c/d/e/");
    assert_int_equal(taulu_mkdir_p(p, 0755), 0);
    path_in(p, sizeof p, "a/b/c/d/e");
    assert_int_equal(stat(p, &st), 0);
    assert_true(S_ISDIR(st.st_mode));

    /* A regular file in the way, at the end or in the middle. */
    path_in(f, sizeof f, "a/file");
    assert_int_equal(taulu_file_write_atomic(f, "x", 1, 0644), 0);
    assert_int_equal(taulu_mkdir_p(f, 0755), TAULU_EIO);
    path_in(p, sizeof p, "a/file/sub");
    assert_int_equal(taulu_mkdir_p(p, 0755), TAULU_EIO);

    assert_int_equal(taulu_mkdir_p("", 0755), TAULU_EINVAL);
}

static void test_path_join(void **state)
{
    char out[12];

    (void)state;
    assert_int_equal(taulu_path_join(out, sizeof out, "/var", "lib"), 0);
    assert_string_equal(out, "/var/lib");
    /* 11 characters and the NUL fit exactly; one more does not. */
    assert_int_equal(taulu_path_join(out, sizeof out, "/abcde", "fghi"), 0);
    assert_string_equal(out, "/abcde/fghi");
    assert_int_equal(taulu_path_join(out, sizeof out, "/abcde", "fghij"),
                     TAULU_ELIMIT);
    assert_int_equal(taulu_path_join(out, 1, "", ""), TAULU_ELIMIT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_read_whole_file),
        cmocka_unit_test(test_read_bounded),
        cmocka_unit_test(test_read_missing_and_unreadable),
        cmocka_unit_test(test_atomic_write),
        cmocka_unit_test(test_atomic_write_threads),
        cmocka_unit_test(test_mkdir_p),
        cmocka_unit_test(test_path_join),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
