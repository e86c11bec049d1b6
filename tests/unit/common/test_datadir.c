/*
 * test_datadir.c: unit tests of common/taulu_datadir: the data folder
 * beside the program wins over the compiled-in install path, a file or a
 * missing folder does not count, the result is written without ".."
 * steps, and the limits of the output buffer hold. Works in a fresh
 * directory under $TAULU_TEST_TMP (set by CTest) or /tmp.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "taulu_datadir.h"
#include "taulu_err.h"
#include "taulu_file.h"
#include "taulu_test_tmp.h"

static char dir[4096];

static int setup(void **state)
{
    (void)state;
    return taulu_test_tmp_make(dir, sizeof dir, "datadir");
}

static int teardown(void **state)
{
    (void)state;
    return taulu_test_tmp_remove(dir);
}

static int is_dir(const char *p)
{
    struct stat st;

    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The installed path of `what` and the code a lookup without a program
 * folder gives on this machine (0 if that folder happens to exist). */
static int installed(const char *what, char *out, size_t size)
{
    assert_true((size_t)snprintf(out, size, "%s/%s", taulu_datadir_installed(),
                                 what) < size);
    return is_dir(out) ? 0 : TAULU_ENOTFOUND;
}

static void beside_the_program_first(void **state)
{
    char bin[4200], data[4400], out[4400], want[PATH_MAX], got[PATH_MAX];

    (void)state;
    snprintf(bin, sizeof bin, "%s/bin", dir);
    snprintf(data, sizeof data, "%s/%s/web", bin, taulu_datadir_relative());
    assert_int_equal(taulu_mkdir_p(bin, 0700), 0);
    assert_int_equal(taulu_mkdir_p(data, 0700), 0);

    assert_int_equal(
        taulu_datadir_find_from(bin, TAULU_DATA_WEB, out, sizeof out), 0);
    assert_non_null(realpath(data, want));
    assert_non_null(realpath(out, got));
    assert_string_equal(got, want);
    /* written out, not bin/../share/... */
    assert_null(strstr(out, "/../"));
    assert_null(strstr(out, "/./"));
    assert_int_equal(strncmp(out, dir, strlen(dir)), 0);
}

static void else_the_installed_path(void **state)
{
    char bin[4200], data[4400], out[4400], want[4400];
    int rc;

    (void)state;
    /* fonts/ is missing beside the program, and themes/ is a file */
    snprintf(bin, sizeof bin, "%s/bin", dir);
    assert_int_equal(taulu_mkdir_p(bin, 0700), 0);
    snprintf(data, sizeof data, "%s/%s", bin, taulu_datadir_relative());
    assert_int_equal(taulu_mkdir_p(data, 0700), 0);
    snprintf(data, sizeof data, "%s/%s/themes", bin, taulu_datadir_relative());
    assert_int_equal(taulu_file_write_atomic(data, "x", 1, 0600), 0);

    rc = installed(TAULU_DATA_FONTS, want, sizeof want);
    assert_int_equal(
        taulu_datadir_find_from(bin, TAULU_DATA_FONTS, out, sizeof out), rc);
    assert_string_equal(out, want);

    rc = installed(TAULU_DATA_THEMES, want, sizeof want);
    assert_int_equal(
        taulu_datadir_find_from(bin, TAULU_DATA_THEMES, out, sizeof out), rc);
    assert_string_equal(out, want);

    /* No program folder, or a relative one: the installed path only. */
    rc = installed(TAULU_DATA_WEB, want, sizeof want);
    assert_int_equal(
        taulu_datadir_find_from(NULL, TAULU_DATA_WEB, out, sizeof out), rc);
    assert_string_equal(out, want);
    assert_int_equal(
        taulu_datadir_find_from("bin", TAULU_DATA_WEB, out, sizeof out), rc);
    assert_string_equal(out, want);
}

static void the_running_program(void **state)
{
    char exe[4096], bin[4096], out[4400], beside[4400];
    ssize_t n;
    int rc;

    (void)state;
    /* This test program's folder has no data beside it unless the build
     * tree put it there: either way find() agrees with find_from(). */
    n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    assert_true(n > 0);
    exe[n] = '\0';
    memcpy(bin, exe, (size_t)n + 1);
    *strrchr(bin, '/') = '\0';
    rc = taulu_datadir_find_from(bin, TAULU_DATA_WEB, beside, sizeof beside);
    assert_int_equal(taulu_datadir_find(TAULU_DATA_WEB, out, sizeof out), rc);
    assert_string_equal(out, beside);
}

static void limits_and_bad_names(void **state)
{
    char out[4400], tiny[8];

    (void)state;
    assert_int_equal(taulu_datadir_find_from(dir, "", out, sizeof out),
                     TAULU_EINVAL);
    assert_int_equal(taulu_datadir_find_from(dir, "a/b", out, sizeof out),
                     TAULU_EINVAL);
    assert_int_equal(taulu_datadir_find_from(dir, NULL, out, sizeof out),
                     TAULU_EINVAL);
    assert_int_equal(taulu_datadir_find_from(dir, TAULU_DATA_WEB, NULL, 10),
                     TAULU_EINVAL);
    assert_int_equal(
        taulu_datadir_find_from(dir, TAULU_DATA_WEB, tiny, sizeof tiny),
        TAULU_ELIMIT);
    assert_string_equal(tiny, "");
    /* ".." steps above the root do not underflow */
    assert_int_equal(
        taulu_datadir_find_from("/", "no-such-folder-here", out, sizeof out),
        TAULU_ENOTFOUND);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(beside_the_program_first, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(else_the_installed_path, setup,
                                        teardown),
        cmocka_unit_test(the_running_program),
        cmocka_unit_test(limits_and_bad_names),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
