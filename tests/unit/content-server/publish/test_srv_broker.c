/*
 * test_srv_broker.c: PBKDF2-HMAC-SHA512, Mosquitto "$7$" hashes (checked
 * against the mosquitto_passwd tool), and the password and ACL file texts.
 * The broker itself enforcing them is tested in
 * tests/integration/publish/test_broker_acl.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "srv_broker.h"
#include "taulu_crypto.h"
#include "taulu_err.h"

static int setup(void **state)
{
    (void)state;
    assert_int_equal(taulu_crypto_init(), 0);
    return 0;
}

static void hex_of(const uint8_t *b, size_t n, char *out)
{
    assert_int_equal(taulu_hex_encode(b, n, out, 2 * n + 1), 0);
}

/* Published PBKDF2-HMAC-SHA512 vectors ("password", "salt"). */
static void test_pbkdf2_vectors(void **state)
{
    uint8_t dk[64];
    char hex[129];

    (void)state;
    srv_pbkdf2_sha512("password", 8, (const uint8_t *)"salt", 4, 1, dk);
    hex_of(dk, 64, hex);
    assert_string_equal(hex, "867f70cf1ade02cff3752599a3a53dc4af34c7a669815ae5"
                             "d513554e1c8cf252c02d470a285a0501bad999bfe943c08f"
                             "050235d7d68b1da55e63f73b60a57fce");
    srv_pbkdf2_sha512("password", 8, (const uint8_t *)"salt", 4, 2, dk);
    hex_of(dk, 64, hex);
    assert_string_equal(hex, "e1d9c16aa681708a45f5c7c4e215ceb66e011a2e9f004071"
                             "3f18aefdb866d53cf76cab2868a39b9f7840edce4fef5a82"
                             "be67335c77a6068e04112754f27ccf4e");
    srv_pbkdf2_sha512("password", 8, (const uint8_t *)"salt", 4, 4096, dk);
    hex_of(dk, 64, hex);
    assert_string_equal(hex, "d197b1b33db0143e018b12f3d1d1479e6cdebdcc97c5c0f8"
                             "7f6902e072f457b5143f30602641b3d55cd335988cb36b84"
                             "376060ecd532e039b742a239434af2d5");
}

/* mosquitto_passwd writes a line; our checker accepts its hash, and our
 * hash with the same salt is the same text. */
static void test_matches_mosquitto_passwd(void **state)
{
    char dir[] = "/tmp/taulu-pw-XXXXXX", path[300], cmd[700], line[512];
    char ours[SRV_MOSQ_HASH_MAX];
    uint8_t salt[32];
    const char *hash, *salt64;
    size_t salt_len;
    FILE *f;

    (void)state;
    if (access("/usr/bin/mosquitto_passwd", X_OK) != 0) {
        skip();
    }
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/pw", dir);
    snprintf(cmd, sizeof cmd,
             "/usr/bin/mosquitto_passwd -c -b %s screen-7 'pä$$ word' "
             ">/dev/null 2>&1",
             path);
    assert_int_equal(system(cmd), 0);
    f = fopen(path, "r");
    assert_non_null(f);
    assert_non_null(fgets(line, sizeof line, f));
    fclose(f);
    unlink(path);
    rmdir(dir);
    line[strcspn(line, "\n")] = '\0';
    assert_memory_equal(line, "screen-7:$7$", 12);
    hash = line + 9;
    assert_int_equal(srv_mosq_check("pä$$ word", hash), 1);
    assert_int_equal(srv_mosq_check("pä$$ wore", hash), 0);
    assert_int_equal(srv_mosq_check("", hash), 0);

    /* Rebuild from its salt: identical text. */
    salt64 = strchr(hash + 3, '$') + 1;
    {
        char s64[64];
        size_t n = (size_t)(strchr(salt64, '$') - salt64);
        memcpy(s64, salt64, n);
        s64[n] = '\0';
        salt_len = 12;
        assert_int_equal(taulu_base64_decode(s64, salt, salt_len), 0);
    }
    assert_int_equal(srv_mosq_hash_with("pä$$ word", salt, salt_len, 101, ours),
                     0);
    assert_string_equal(ours, hash);
}

static void test_hash_fresh_salt(void **state)
{
    char a[SRV_MOSQ_HASH_MAX], b[SRV_MOSQ_HASH_MAX];

    (void)state;
    assert_int_equal(srv_mosq_hash("token", a), 0);
    assert_int_equal(srv_mosq_hash("token", b), 0);
    assert_string_not_equal(a, b);
    assert_memory_equal(a, "$7$101$", 7);
    assert_int_equal(srv_mosq_check("token", a), 1);
    assert_int_equal(srv_mosq_hash("", a), TAULU_EINVAL);
    assert_int_equal(srv_mosq_check("x", "$6$abc$def"), TAULU_EPARSE);
    assert_int_equal(srv_mosq_check("x", "$7$0$AAAA$AAAA"), TAULU_EPARSE);
    assert_int_equal(srv_mosq_check("x", "$7$101$!!!!$AAAA"), TAULU_EPARSE);
}

static void test_passwd_text(void **state)
{
    char h1[SRV_MOSQ_HASH_MAX], h2[SRV_MOSQ_HASH_MAX];
    struct srv_broker_account server, screens[2];
    struct taulu_buf out;

    (void)state;
    assert_int_equal(srv_mosq_hash("s", h1), 0);
    assert_int_equal(srv_mosq_hash("t", h2), 0);
    server.user = "infotaulu-server";
    server.hash = h1;
    screens[0].user = "screen-1";
    screens[0].hash = h2;
    screens[1].user = "screen-2";
    screens[1].hash = h2;
    taulu_buf_init(&out, 65536);
    assert_int_equal(srv_broker_passwd_text(&server, 1, screens, 2, &out), 0);
    assert_non_null(strstr(out.data, "infotaulu-server:$7$101$"));
    assert_non_null(strstr(out.data, "\nscreen-2:$7$101$"));
    taulu_buf_reset(&out);
    /* A user name that would end early or inject a line. */
    screens[1].user = "evil:x";
    assert_int_equal(srv_broker_passwd_text(&server, 1, screens, 2, &out),
                     TAULU_EVALUE);
    assert_int_equal(out.len, 0);
    screens[1].user = "evil\nscreen-9";
    assert_int_equal(srv_broker_passwd_text(&server, 1, screens, 2, &out),
                     TAULU_EVALUE);
    screens[1].user = "infotaulu-server";
    assert_int_equal(srv_broker_passwd_text(&server, 1, screens, 2, &out),
                     TAULU_EVALUE);
    screens[1].user = "screen-2";
    screens[1].hash = "plain";
    assert_int_equal(srv_broker_passwd_text(&server, 1, screens, 2, &out),
                     TAULU_EVALUE);
    assert_int_equal(srv_broker_passwd_text(&server, 0, screens, 1, &out),
                     TAULU_EVALUE);
    taulu_buf_release(&out);
}

/* Several instances: an account each, every one before the screens, and
 * a screen may not be named as any of them. */
static void test_passwd_text_instances(void **state)
{
    char h1[SRV_MOSQ_HASH_MAX], h2[SRV_MOSQ_HASH_MAX];
    struct srv_broker_account servers[2], screen;
    struct taulu_buf out;
    const char *a, *b, *s;

    (void)state;
    assert_int_equal(srv_mosq_hash("s", h1), 0);
    assert_int_equal(srv_mosq_hash("t", h2), 0);
    servers[0].user = "infotaulu-server-0a1b";
    servers[0].hash = h1;
    servers[1].user = "infotaulu-server-2c3d";
    servers[1].hash = h1;
    screen.user = "screen-1";
    screen.hash = h2;
    taulu_buf_init(&out, 65536);
    assert_int_equal(srv_broker_passwd_text(servers, 2, &screen, 1, &out), 0);
    a = strstr(out.data, "infotaulu-server-0a1b:$7$101$");
    b = strstr(out.data, "\ninfotaulu-server-2c3d:$7$101$");
    s = strstr(out.data, "\nscreen-1:$7$101$");
    assert_true(a == out.data && b && s && b < s);
    taulu_buf_reset(&out);
    screen.user = "infotaulu-server-2c3d";
    assert_int_equal(srv_broker_passwd_text(servers, 2, &screen, 1, &out),
                     TAULU_EVALUE);
    assert_int_equal(out.len, 0);
    taulu_buf_release(&out);
}

static void test_acl_text(void **state)
{
    const char *ids[] = {"screen-1", "screen-2"};
    const char *bad[] = {"screen-1", "screen-#"};
    const char *servers[] = {"infotaulu-server"};
    const char *two[] = {"infotaulu-server-0a1b", "infotaulu-server-2c3d"};
    const char *clash[] = {"infotaulu-server-2c3d"};
    struct taulu_buf out;

    (void)state;
    taulu_buf_init(&out, 65536);
    assert_int_equal(srv_broker_acl_text("pohde", servers, 1, ids, 2, &out), 0);
    assert_non_null(strstr(out.data,
                           "user infotaulu-server\n"
                           "topic read pohde/v1/screens/+/status\n"
                           "topic write pohde/v1/screens/+/desired\n"
                           "topic write pohde/v1/screens/+/command\n"));
    assert_non_null(strstr(out.data,
                           "\nuser screen-2\n"
                           "topic read pohde/v1/screens/screen-2/desired\n"
                           "topic read pohde/v1/screens/screen-2/command\n"
                           "topic write pohde/v1/screens/screen-2/status\n"));
    /* No pattern lines: nothing that applies to every user. */
    assert_null(strstr(out.data, "pattern"));
    taulu_buf_reset(&out);
    assert_int_equal(srv_broker_acl_text(NULL, servers, 1, bad, 2, &out),
                     TAULU_EINVAL);
    assert_int_equal(out.len, 0);
    assert_int_equal(srv_broker_acl_text("$SYS", servers, 1, ids, 2, &out),
                     TAULU_EINVAL);
    assert_int_equal(srv_broker_acl_text("pohde", servers, 0, ids, 2, &out),
                     TAULU_EINVAL);
    /* Two instances: the server's rules for both, no screen named as one. */
    assert_int_equal(srv_broker_acl_text("pohde", two, 2, ids, 2, &out), 0);
    assert_non_null(strstr(out.data,
                           "\nuser infotaulu-server-2c3d\n"
                           "topic read pohde/v1/screens/+/status\n"
                           "topic write pohde/v1/screens/+/desired\n"
                           "topic write pohde/v1/screens/+/command\n"));
    assert_non_null(strstr(out.data, "\nuser infotaulu-server-0a1b\n"
                                     "topic read pohde/v1/screens/+/status\n"));
    taulu_buf_reset(&out);
    assert_int_equal(srv_broker_acl_text("pohde", two, 2, clash, 1, &out),
                     TAULU_EINVAL);
    assert_int_equal(out.len, 0);
    taulu_buf_release(&out);
}

static void test_write_files_and_signal(void **state)
{
    char dir[] = "/tmp/taulu-acl-XXXXXX", pw[300], acl[300], pid[300];
    char text[32];
    struct stat st;
    FILE *f;

    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(pw, sizeof pw, "%s/passwd", dir);
    snprintf(acl, sizeof acl, "%s/acl", dir);
    snprintf(pid, sizeof pid, "%s/pid", dir);
    assert_int_equal(srv_broker_write_files(pw, "a:b\n", acl, "user a\n", NULL),
                     0);
    assert_int_equal(stat(pw, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0640);
    /* A pid file with garbage, and one naming no process. */
    f = fopen(pid, "w");
    assert_non_null(f);
    fputs("12ab\n", f);
    fclose(f);
    assert_int_equal(srv_broker_write_files(pw, "a:b\n", acl, "", pid),
                     TAULU_EVALUE);
    f = fopen(pid, "w");
    assert_non_null(f);
    snprintf(text, sizeof text, "%d\n", 0x3ffffff0);
    fputs(text, f);
    fclose(f);
    assert_int_equal(srv_broker_write_files(pw, "a:b\n", acl, "", pid),
                     TAULU_ENOTFOUND);
    unlink(pw);
    unlink(acl);
    unlink(pid);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pbkdf2_vectors),
        cmocka_unit_test(test_matches_mosquitto_passwd),
        cmocka_unit_test(test_hash_fresh_salt),
        cmocka_unit_test(test_passwd_text),
        cmocka_unit_test(test_passwd_text_instances),
        cmocka_unit_test(test_acl_text),
        cmocka_unit_test(test_write_files_and_signal),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
