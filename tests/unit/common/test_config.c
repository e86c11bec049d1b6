/*
 * test_config.c: unit tests of common/taulu_config (the table-driven
 * "key = value" reader).
 *
 * The table below has one setting of every type. Error tests compare the
 * whole error text, so the wording, the file:line prefix and the number of
 * messages are all pinned down.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "taulu_buf.h"
#include "taulu_config.h"
#include "taulu_err.h"
#include "taulu_file.h"
#include "taulu_test_tmp.h"

struct cfg {
    int canary1; /* not in the table: must never be touched */
    char host[16];
    long long port;
    char password[32];
    bool fullscreen;
    double dim;
    int level;
    char title[64];
    long long offset;
    int canary2;
};

static const char *const level_words[] = {"err", "warning", "info", "debug",
                                          NULL};

static const struct taulu_config_setting settings[] = {
    TAULU_CONFIG_STRING("host", struct cfg, host, "localhost",
                        "Broker host name."),
    TAULU_CONFIG_INT("port", struct cfg, port, "1883", 1, 65535,
                     "Broker TCP port."),
    TAULU_CONFIG_SECRET("password", struct cfg, password, NULL,
                        "Broker password.\nKeep this file private."),
    TAULU_CONFIG_BOOL("fullscreen", struct cfg, fullscreen, "yes",
                      "Cover the whole screen."),
    TAULU_CONFIG_DOUBLE("dim", struct cfg, dim, "0.25", 0.0, 1.0,
                        "Brightness at night."),
    TAULU_CONFIG_ENUM("log_level", struct cfg, level, "info", level_words,
                      "Least important log lines written."),
    TAULU_CONFIG_STRING("title", struct cfg, title, " Lobby #1 \"A\" \\",
                        "Window title."),
    TAULU_CONFIG_INT("offset", struct cfg, offset, "-5", -10, 10,
                     "Clock offset."),
};

static const struct taulu_config_table table = {
    .title = "Test program",
    .obj_size = sizeof(struct cfg),
    .settings = settings,
    .count = sizeof settings / sizeof settings[0],
};

static struct taulu_buf errs;

static int setup(void **state)
{
    (void)state;
    taulu_buf_init(&errs, 1024 * 1024);
    return 0;
}

static char tmpdir[4096];

static int teardown(void **state)
{
    (void)state;
    taulu_buf_release(&errs);
    return tmpdir[0] ? taulu_test_tmp_remove(tmpdir) : 0;
}

static void defaults(struct cfg *c)
{
    memset(c, 0, sizeof *c);
    c->canary1 = 0x1111;
    c->canary2 = 0x2222;
    assert_int_equal(taulu_config_defaults(&table, c), 0);
}

static int load(struct cfg *c, const char *text)
{
    taulu_buf_reset(&errs);
    return taulu_config_load_text(&table, c, "t.conf", text, strlen(text),
                                  &errs);
}

static void test_table_valid(void **state)
{
    (void)state;
    assert_int_equal(taulu_config_check_table(&table, &errs), 0);
    assert_string_equal(errs.data, "");
    assert_ptr_equal(taulu_config_find(&table, "dim"), &settings[4]);
    assert_null(taulu_config_find(&table, "Dim"));
    assert_null(taulu_config_find(&table, "nope"));
}

static void test_defaults(void **state)
{
    struct cfg c;

    (void)state;
    defaults(&c);
    assert_string_equal(c.host, "localhost");
    assert_int_equal(c.port, 1883);
    assert_string_equal(c.password, "");
    assert_true(c.fullscreen);
    assert_true(c.dim == 0.25);
    assert_int_equal(c.level, 2);
    assert_string_equal(c.title, " Lobby #1 \"A\" \\");
    assert_int_equal(c.offset, -5);
    assert_int_equal(c.canary1, 0x1111);
    assert_int_equal(c.canary2, 0x2222);
}

static void test_every_type_and_syntax(void **state)
{
    struct cfg c;
    int rc;

    (void)state;
    defaults(&c);
    rc = load(&c, "\xef\xbb\xbf# a comment\n"
                  "\n"
                  "   \t\n"
                  "  # indented comment\n"
                  "host=screen-1.fi\n"
                  "\tport   =\t8883   # TLS port\r\n"
                  "password = abc#def\n"
                  "fullscreen = OFF\n"
                  "dim = 1e-1\n"
                  "log_level = Debug\n"
                  "title = \"  Aula \\\"B\\\" # \\\\ \"  # c\n"
                  "offset = -10");
    assert_string_equal(errs.data, "");
    assert_int_equal(rc, 0);
    assert_string_equal(c.host, "screen-1.fi");
    assert_int_equal(c.port, 8883);
    assert_string_equal(c.password, "abc#def");
    assert_false(c.fullscreen);
    assert_true(c.dim == 0.1);
    assert_int_equal(c.level, 3);
    assert_string_equal(c.title, "  Aula \"B\" # \\ ");
    assert_int_equal(c.offset, -10);
    assert_int_equal(c.canary1, 0x1111);
    assert_int_equal(c.canary2, 0x2222);
}

static void test_values_accepted(void **state)
{
    static const struct {
        const char *line;
        const char *key;
        const char *dump; /* the value as dump shows it */
    } cases[] = {
        {"port = 1", "port", "1"},
        {"port = 65535", "port", "65535"},
        {"port = +80", "port", "80"},
        {"offset = -0", "offset", "0"},
        {"fullscreen = true", "fullscreen", "true"},
        {"fullscreen = FALSE", "fullscreen", "false"},
        {"fullscreen = Yes", "fullscreen", "true"},
        {"fullscreen = no", "fullscreen", "false"},
        {"fullscreen = on", "fullscreen", "true"},
        {"fullscreen = off", "fullscreen", "false"},
        {"fullscreen = 1", "fullscreen", "true"},
        {"fullscreen = 0", "fullscreen", "false"},
        {"dim = 0", "dim", "0"},
        {"dim = 1", "dim", "1"},
        {"dim = 1.0e0", "dim", "1"},
        {"dim = .5", "dim", "0.5"},
        {"dim = 0.30000000000000004", "dim", "0.30000000000000004"},
        {"log_level = err", "log_level", "err"},
        {"log_level = WARNING", "log_level", "warning"},
        {"host = 123456789012345", "host", "123456789012345"},
        {"host =", "host", "\"\""},
        {"host = \"\"", "host", "\"\""},
        {"host = a \"b\" c", "host", "a \"b\" c"},
        {"host = ä€😀", "host", "ä€😀"},
        {"title = x = y", "title", "x = y"},
        {"title = back\\slash", "title", "back\\slash"},
        {"title = \"#\"", "title", "\"#\""},
        {"title = a\tb", "title", "a\tb"},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct taulu_buf dump;
        struct cfg c;
        char want[128];
        const char *line;

        defaults(&c);
        assert_int_equal(load(&c, cases[i].line), 0);
        assert_string_equal(errs.data, "");
        taulu_buf_init(&dump, 4096);
        assert_int_equal(taulu_buf_putc(&dump, '\n'), 0);
        assert_int_equal(taulu_config_dump(&table, &c, &dump), 0);
        snprintf(want, sizeof want, "\n%s = %s\n", cases[i].key, cases[i].dump);
        line = strstr(dump.data, want);
        if (!line) {
            print_error("case %zu: want %s in\n%s", i, want, dump.data);
        }
        assert_non_null(line);
        taulu_buf_release(&dump);
    }
}

/* Every kind of error, each with its file:line, all in one call, and the
 * object exactly as before. */
static void test_all_errors_reported(void **state)
{
    struct cfg c, before;
    char long_line[4200];
    struct taulu_buf text;

    (void)state;
    memset(long_line, 'x', sizeof long_line);
    long_line[0] = '#';
    long_line[4097] = '\0'; /* 4097 bytes: one too many */
    taulu_buf_init(&text, 65536);
    taulu_buf_puts(&text, "host = good.example\n"           /* 1 */
                          "prot = 1\n"                      /* 2 */
                          "port = 70000\n"                  /* 3 */
                          "port = 0\n"                      /* 4 */
                          "port = abc\n"                    /* 5 */
                          "port = 12abc\n"                  /* 6 */
                          "port = 99999999999999999999\n"   /* 7 */
                          "fullscreen = maybe\n"            /* 8 */
                          "dim = 1.5\n"                     /* 9 */
                          "dim = nan\n"                     /* 10 */
                          "dim = 0x1p-1\n"                  /* 11 */
                          "dim = 0,5\n"                     /* 12 */
                          "log_level = verbose\n"           /* 13 */
                          "host = 1234567890123456\n"       /* 14 */
                          "just some words\n"               /* 15 */
                          " = 5\n"                          /* 16 */
                          "title = \"unterminated\n"        /* 17 */
                          "title = \"a\" b\n"               /* 18 */
                          "title = \"a\\n\"\n"              /* 19 */
                          "host = again.example\n"          /* 20 */
                          "bad = \xc3\x28\n"                /* 21 */
                          "host = a\x01z\n"                 /* 22 */
                          "completely_unrelated_name = 1\n" /* 23 */
                          "Port = 80\n"                     /* 24 */
                          "offset = -11\n"                  /* 25 */
                          "password = 0123456789012345678901234567890123\n"
                   /* 26 */);
    taulu_buf_puts(&text, long_line);           /* 27 */
    taulu_buf_puts(&text, "\nfullscreen = \n"); /* 28 */

    defaults(&c);
    memcpy(c.password, "old", 4);
    memcpy(&before, &c, sizeof c);
    taulu_buf_reset(&errs);
    assert_int_equal(taulu_config_load_text(&table, &c, "/etc/t.conf",
                                            text.data, text.len, &errs),
                     TAULU_ECONFIG);
    assert_string_equal(
        errs.data,
        "/etc/t.conf:2: unknown key \"prot\"; did you mean \"port\"?\n"
        "/etc/t.conf:3: port: 70000 is out of range (1 to 65535)\n"
        "/etc/t.conf:4: duplicate key \"port\" (first set on line 3)\n"
        "/etc/t.conf:5: duplicate key \"port\" (first set on line 3)\n"
        "/etc/t.conf:6: duplicate key \"port\" (first set on line 3)\n"
        "/etc/t.conf:7: duplicate key \"port\" (first set on line 3)\n"
        "/etc/t.conf:8: fullscreen: \"maybe\" is not a boolean (true/false, "
        "yes/no, on/off, 1/0)\n"
        "/etc/t.conf:9: dim: 1.5 is out of range (0 to 1)\n"
        "/etc/t.conf:10: duplicate key \"dim\" (first set on line 9)\n"
        "/etc/t.conf:11: duplicate key \"dim\" (first set on line 9)\n"
        "/etc/t.conf:12: duplicate key \"dim\" (first set on line 9)\n"
        "/etc/t.conf:13: log_level: \"verbose\" is not one of: err, "
        "warning, info, debug\n"
        "/etc/t.conf:14: duplicate key \"host\" (first set on line 1)\n"
        "/etc/t.conf:15: missing '=' (expected \"key = value\")\n"
        "/etc/t.conf:16: missing key before '='\n"
        "/etc/t.conf:17: title: unterminated quoted value (missing '\"')\n"
        "/etc/t.conf:18: title: unexpected text after the closing quote\n"
        "/etc/t.conf:19: title: unknown escape in quoted value (only \\\" "
        "and \\\\)\n"
        "/etc/t.conf:20: duplicate key \"host\" (first set on line 1)\n"
        "/etc/t.conf:21: invalid UTF-8 (byte 7)\n"
        "/etc/t.conf:22: control character 0x01 (byte 9)\n"
        "/etc/t.conf:23: unknown key \"completely_unrelated_name\"\n"
        "/etc/t.conf:24: unknown key \"Port\"; did you mean \"port\"?\n"
        "/etc/t.conf:25: offset: -11 is out of range (-10 to 10)\n"
        "/etc/t.conf:26: password: value too long (34 bytes; at most 31)\n"
        "/etc/t.conf:27: line too long (4097 bytes; at most 4096)\n"
        "/etc/t.conf:28: duplicate key \"fullscreen\" (first set on line "
        "8)\n");
    assert_memory_equal(&c, &before, sizeof c);
    /* The secret's value is not echoed. */
    assert_null(strstr(errs.data, "0123456789"));
    taulu_buf_release(&text);
}

/* Each bad value alone, so the value message (not "duplicate") shows. */
static void test_value_errors(void **state)
{
    static const struct {
        const char *text;
        const char *msg;
    } cases[] = {
        {"port = 0", "t.conf:1: port: 0 is out of range (1 to 65535)\n"},
        {"port = 65536",
         "t.conf:1: port: 65536 is out of range (1 to 65535)\n"},
        {"port = abc", "t.conf:1: port: \"abc\" is not an integer\n"},
        {"port = 12abc", "t.conf:1: port: \"12abc\" is not an integer\n"},
        {"port = 0x10", "t.conf:1: port: \"0x10\" is not an integer\n"},
        {"port = 1.0", "t.conf:1: port: \"1.0\" is not an integer\n"},
        {"port = -", "t.conf:1: port: \"-\" is not an integer\n"},
        {"port =", "t.conf:1: port: \"\" is not an integer\n"},
        {"port = \" 5\"", "t.conf:1: port: \" 5\" is not an integer\n"},
        {"port = 99999999999999999999",
         "t.conf:1: port: 99999999999999999999 is out of range (1 to "
         "65535)\n"},
        {"offset = -99999999999999999999",
         "t.conf:1: offset: -99999999999999999999 is out of range (-10 to "
         "10)\n"},
        {"fullscreen =",
         "t.conf:1: fullscreen: \"\" is not a boolean (true/false, yes/no, "
         "on/off, 1/0)\n"},
        {"fullscreen = truee",
         "t.conf:1: fullscreen: \"truee\" is not a boolean (true/false, "
         "yes/no, on/off, 1/0)\n"},
        {"dim = -0.1", "t.conf:1: dim: -0.1 is out of range (0 to 1)\n"},
        {"dim = 1e400", "t.conf:1: dim: 1e400 is out of range (0 to 1)\n"},
        {"dim = nan", "t.conf:1: dim: \"nan\" is not a number\n"},
        {"dim = inf", "t.conf:1: dim: \"inf\" is not a number\n"},
        {"dim = 0x1p-1", "t.conf:1: dim: \"0x1p-1\" is not a number\n"},
        {"dim = 0,5", "t.conf:1: dim: \"0,5\" is not a number\n"},
        {"dim = 1..2", "t.conf:1: dim: \"1..2\" is not a number\n"},
        {"dim = e", "t.conf:1: dim: \"e\" is not a number\n"},
        {"dim =", "t.conf:1: dim: \"\" is not a number\n"},
        {"log_level = 2",
         "t.conf:1: log_level: \"2\" is not one of: err, warning, info, "
         "debug\n"},
        {"host = 1234567890123456",
         "t.conf:1: host: value too long (16 bytes; at most 15)\n"},
        {"host = äääääääää",
         "t.conf:1: host: value too long (18 bytes; at most 15)\n"},
        {"title = "
         "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaäxyz",
         "t.conf:1: title: unterminated quoted value (missing '\"')\n"},
        {"port = "
         "1111111111111111111111111111111111111111111111111111111111ääää",
         "t.conf:1: port: \"1111111111111111111111111111111111111111111111111"
         "111111111ä...\" is not an integer\n"},
        {"\x80 = 1", "t.conf:1: invalid UTF-8 (byte 1)\n"},
        {"host = \xed\xa0\x80", "t.conf:1: invalid UTF-8 (byte 8)\n"},
        {"host = \xc0\xaf", "t.conf:1: invalid UTF-8 (byte 8)\n"},
        {"host = a\x7f", "t.conf:1: control character 0x7f (byte 9)\n"},
        {"host = a\rb", "t.conf:1: control character 0x0d (byte 9)\n"},
        {"=", "t.conf:1: missing key before '='\n"},
        {"host", "t.conf:1: missing '=' (expected \"key = value\")\n"},
        {"hots = x", "t.conf:1: unknown key \"hots\"; did you mean "
                     "\"host\"?\n"},
        {"fulscreen = 1", "t.conf:1: unknown key \"fulscreen\"; did you "
                          "mean \"fullscreen\"?\n"},
        {"log-level = info", "t.conf:1: unknown key \"log-level\"; did you "
                             "mean \"log_level\"?\n"},
        {"xy = 1", "t.conf:1: unknown key \"xy\"\n"},
        {"pt = 1", "t.conf:1: unknown key \"pt\"\n"},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct cfg c, before;

        defaults(&c);
        memcpy(&before, &c, sizeof c);
        if (load(&c, cases[i].text) != TAULU_ECONFIG ||
            strcmp(errs.data, cases[i].msg) != 0) {
            print_error("case %zu: %s\n", i, cases[i].text);
        }
        assert_int_equal(load(&c, cases[i].text), TAULU_ECONFIG);
        assert_string_equal(errs.data, cases[i].msg);
        assert_memory_equal(&c, &before, sizeof c);
    }
}

static void test_line_length_boundary(void **state)
{
    char line[4100];
    struct cfg c;

    (void)state;
    defaults(&c);
    memset(line, ' ', sizeof line);
    line[0] = '#';
    line[4096] = '\0';
    assert_int_equal(load(&c, line), 0);
    /* The CR of a CRLF line does not count. */
    line[4096] = '\r';
    line[4097] = '\n';
    line[4098] = '\0';
    assert_int_equal(load(&c, line), 0);
    line[4096] = 'x';
    line[4097] = '\0';
    assert_int_equal(load(&c, line), TAULU_ECONFIG);
    assert_string_equal(errs.data,
                        "t.conf:1: line too long (4097 bytes; at most 4096)\n");
}

static void test_error_cap(void **state)
{
    struct taulu_buf text;
    struct cfg c;
    size_t i, lines = 0;
    const char *p;

    (void)state;
    taulu_buf_init(&text, 1 << 20);
    for (i = 0; i < 150; i++)
        assert_int_equal(taulu_buf_puts(&text, "nonsense\n"), 0);
    defaults(&c);
    taulu_buf_reset(&errs);
    assert_int_equal(taulu_config_load_text(&table, &c, "t.conf", text.data,
                                            text.len, &errs),
                     TAULU_ECONFIG);
    for (p = errs.data; *p; p++)
        lines += *p == '\n';
    assert_int_equal(lines, 101);
    assert_non_null(strstr(errs.data, "t.conf:100: missing '='"));
    assert_null(strstr(errs.data, "t.conf:101:"));
    assert_non_null(strstr(errs.data, "\nt.conf: 50 more errors not shown\n"));
    /* NULL errors: only the code. */
    assert_int_equal(
        taulu_config_load_text(&table, &c, "t.conf", text.data, text.len, NULL),
        TAULU_ECONFIG);
    taulu_buf_release(&text);
}

/* An errors buffer too small for the messages: they are dropped whole, the
 * return code still tells. */
static void test_small_errors_buffer(void **state)
{
    struct taulu_buf small;
    struct cfg c;

    (void)state;
    defaults(&c);
    taulu_buf_init(&small, 40);
    assert_int_equal(
        taulu_config_load_text(&table, &c, "t.conf", "a\nb = 1\n", 8, &small),
        TAULU_ECONFIG);
    assert_string_equal(small.data, "t.conf:2: unknown key \"b\"\n");
    taulu_buf_release(&small);
}

static void make_tmpdir(void)
{
    if (!tmpdir[0])
        assert_int_equal(taulu_test_tmp_make(tmpdir, sizeof tmpdir, "config"),
                         0);
}

static void write_file(const char *path, const char *data, size_t len)
{
    assert_int_equal(taulu_file_write_atomic(path, data, len, 0600), 0);
}

static void test_load_file(void **state)
{
    char path[4200];
    struct cfg c, before;
    char *big;

    (void)state;
    make_tmpdir();
    snprintf(path, sizeof path, "%s/ok.conf", tmpdir);
    write_file(path, "port = 1884\nhost = h\n", 21);
    defaults(&c);
    taulu_buf_reset(&errs);
    assert_int_equal(taulu_config_load_file(&table, &c, path, &errs), 0);
    assert_int_equal(c.port, 1884);
    assert_string_equal(c.host, "h");
    assert_string_equal(c.title, " Lobby #1 \"A\" \\");

    /* An error names the file and the line. */
    snprintf(path, sizeof path, "%s/bad.conf", tmpdir);
    write_file(path, "\n\nport = 0\n", 11);
    memcpy(&before, &c, sizeof c);
    taulu_buf_reset(&errs);
    assert_int_equal(taulu_config_load_file(&table, &c, path, &errs),
                     TAULU_ECONFIG);
    {
        char want[4400];
        snprintf(want, sizeof want,
                 "%s:3: port: 0 is out of range (1 to 65535)\n", path);
        assert_string_equal(errs.data, want);
    }
    assert_memory_equal(&c, &before, sizeof c);

    /* Missing. */
    snprintf(path, sizeof path, "%s/missing.conf", tmpdir);
    taulu_buf_reset(&errs);
    assert_int_equal(taulu_config_load_file(&table, &c, path, &errs),
                     TAULU_ENOTFOUND);
    {
        char want[4400];
        snprintf(want, sizeof want, "%s: no such file\n", path);
        assert_string_equal(errs.data, want);
    }

    /* A directory cannot be read. */
    taulu_buf_reset(&errs);
    assert_int_equal(taulu_config_load_file(&table, &c, tmpdir, &errs),
                     TAULU_EIO);
    assert_non_null(strstr(errs.data, ": cannot read: "));

    /* Exactly 1 MiB of comments is fine; one byte more is not. */
    big = malloc(TAULU_CONFIG_MAX_FILE + 1);
    assert_non_null(big);
    memset(big, '#', TAULU_CONFIG_MAX_FILE + 1);
    {
        size_t i;
        for (i = 1000; i < TAULU_CONFIG_MAX_FILE + 1; i += 1000)
            big[i] = '\n';
    }
    snprintf(path, sizeof path, "%s/big.conf", tmpdir);
    write_file(path, big, TAULU_CONFIG_MAX_FILE);
    taulu_buf_reset(&errs);
    assert_int_equal(taulu_config_load_file(&table, &c, path, &errs), 0);
    write_file(path, big, TAULU_CONFIG_MAX_FILE + 1);
    taulu_buf_reset(&errs);
    assert_int_equal(taulu_config_load_file(&table, &c, path, &errs),
                     TAULU_ECONFIG);
    {
        char want[4400];
        snprintf(want, sizeof want,
                 "%s: file too large (more than 1048576 bytes)\n", path);
        assert_string_equal(errs.data, want);
    }
    taulu_buf_reset(&errs);
    assert_int_equal(taulu_config_load_text(&table, &c, "mem", big,
                                            TAULU_CONFIG_MAX_FILE + 1, &errs),
                     TAULU_ECONFIG);
    assert_string_equal(errs.data,
                        "mem: file too large (1048577 bytes; at most "
                        "1048576)\n");
    assert_memory_equal(&c, &before, sizeof c);
    free(big);
}

static void test_set(void **state)
{
    struct cfg c, before;

    (void)state;
    defaults(&c);
    taulu_buf_reset(&errs);
    assert_int_equal(taulu_config_set(&table, &c, "port", "2000", NULL, &errs),
                     0);
    assert_int_equal(c.port, 2000);
    /* Taken literally: spaces, quotes and '#' are part of the value. */
    assert_int_equal(
        taulu_config_set(&table, &c, "title", " \"x\" # y ", NULL, &errs), 0);
    assert_string_equal(c.title, " \"x\" # y ");
    assert_string_equal(errs.data, "");

    memcpy(&before, &c, sizeof c);
    assert_int_equal(taulu_config_set(&table, &c, "prot", "1", NULL, &errs),
                     TAULU_ECONFIG);
    assert_int_equal(taulu_config_set(&table, &c, "port", " 1", NULL, &errs),
                     TAULU_ECONFIG);
    assert_int_equal(
        taulu_config_set(&table, &c, "host", "a\nb", "--host", &errs),
        TAULU_ECONFIG);
    assert_int_equal(
        taulu_config_set(&table, &c, "password",
                         "this-secret-is-far-too-long-to-fit-in-32",
                         "--password", &errs),
        TAULU_ECONFIG);
    assert_int_equal(taulu_config_set(&table, &c, "k\xff", "1", NULL, &errs),
                     TAULU_ECONFIG);
    assert_string_equal(
        errs.data,
        "command line: unknown key \"prot\"; did you mean \"port\"?\n"
        "command line: port: \" 1\" is not an integer\n"
        "--host: host: value is not UTF-8 text or has control characters\n"
        "--password: password: value too long (40 bytes; at most 31)\n"
        "command line: key is not UTF-8 text\n");
    assert_memory_equal(&c, &before, sizeof c);
    assert_int_equal(taulu_config_set(&table, &c, NULL, "1", NULL, &errs),
                     TAULU_EINVAL);
    assert_int_equal(taulu_config_set(&table, &c, "port", NULL, NULL, &errs),
                     TAULU_EINVAL);
}

/* defaults, then file, then command line: each later one wins. */
static void test_precedence(void **state)
{
    struct cfg c;

    (void)state;
    defaults(&c);
    assert_int_equal(load(&c, "port = 1000\nhost = from-file\n"), 0);
    assert_int_equal(taulu_config_set(&table, &c, "port", "3000", NULL, &errs),
                     0);
    assert_int_equal(c.port, 3000);           /* command line */
    assert_string_equal(c.host, "from-file"); /* file */
    assert_true(c.dim == 0.25);               /* default */
    /* A second file only changes what it names. */
    assert_int_equal(load(&c, "dim = 0.5\n"), 0);
    assert_int_equal(c.port, 3000);
    assert_true(c.dim == 0.5);
}

static void test_example_loads_back(void **state)
{
    struct taulu_buf ex;
    struct cfg c, want;

    (void)state;
    taulu_buf_init(&ex, 65536);
    assert_int_equal(taulu_buf_puts(&ex, "keep"), 0);
    assert_int_equal(taulu_config_write_example(&table, &ex), 0);
    {
        const char *head = "keep# Test program: example configuration.\n#\n";
        assert_memory_equal(ex.data, head, strlen(head));
    }
    assert_non_null(strstr(ex.data, "\n\n# Broker host name.\n"
                                    "# Text, at most 15 bytes.\n"
                                    "host = localhost\n"));
    assert_non_null(strstr(ex.data, "\n\n# Broker TCP port.\n"
                                    "# Integer from 1 to 65535.\n"
                                    "port = 1883\n"));
    assert_non_null(strstr(ex.data, "\n\n# Broker password.\n"
                                    "# Keep this file private.\n"
                                    "# Secret text, at most 31 bytes.\n"
                                    "password = \"\"\n"));
    assert_non_null(strstr(ex.data, "\n# true or false.\n"
                                    "fullscreen = true\n"));
    assert_non_null(strstr(ex.data, "\n# Number from 0 to 1.\n"
                                    "dim = 0.25\n"));
    assert_non_null(strstr(ex.data, "\n# One of: err, warning, info, "
                                    "debug.\nlog_level = info\n"));
    assert_non_null(
        strstr(ex.data, "\ntitle = \" Lobby #1 \\\"A\\\" \\\\\"\n"));
    assert_non_null(strstr(ex.data, "\n# Integer from -10 to 10.\n"
                                    "offset = -5\n"));

    /* Loading it over other values gives exactly the defaults. */
    defaults(&want);
    memset(&c, 0x5a, sizeof c);
    c.canary1 = 0x1111;
    c.canary2 = 0x2222;
    taulu_buf_reset(&errs);
    assert_int_equal(taulu_config_load_text(&table, &c, "example", ex.data + 4,
                                            ex.len - 4, &errs),
                     0);
    assert_string_equal(errs.data, "");
    assert_string_equal(c.host, want.host);
    assert_int_equal(c.port, want.port);
    assert_memory_equal(c.password, want.password, sizeof c.password);
    assert_int_equal(c.fullscreen, want.fullscreen);
    assert_true(c.dim == want.dim);
    assert_int_equal(c.level, want.level);
    assert_memory_equal(c.title, want.title, sizeof c.title);
    assert_int_equal(c.offset, want.offset);
    assert_int_equal(c.canary1, 0x1111);
    taulu_buf_release(&ex);
}

static void test_dump(void **state)
{
    struct taulu_buf out;
    struct cfg c;

    (void)state;
    defaults(&c);
    taulu_buf_init(&out, 4096);
    assert_int_equal(taulu_config_dump(&table, &c, &out), 0);
    assert_string_equal(out.data, "host = localhost\n"
                                  "port = 1883\n"
                                  "password = (unset)\n"
                                  "fullscreen = true\n"
                                  "dim = 0.25\n"
                                  "log_level = info\n"
                                  "title = \" Lobby #1 \\\"A\\\" \\\\\"\n"
                                  "offset = -5\n");
    assert_int_equal(
        taulu_config_set(&table, &c, "password", "hunter2", NULL, &errs), 0);
    taulu_buf_reset(&out);
    assert_int_equal(taulu_config_dump(&table, &c, &out), 0);
    assert_non_null(strstr(out.data, "\npassword = (set)\n"));
    assert_null(strstr(out.data, "hunter2"));

    /* The dump, secrets aside, loads back to the same values. */
    {
        struct cfg d;
        char *pw = strstr(out.data, "password = (set)\n");

        assert_non_null(pw);
        memset(pw, ' ', strlen("password = (set)"));
        defaults(&d);
        taulu_buf_reset(&errs);
        assert_int_equal(taulu_config_load_text(&table, &d, "dump", out.data,
                                                out.len, &errs),
                         0);
        memcpy(d.password, c.password, sizeof d.password);
        assert_memory_equal(&d, &c, sizeof c);
    }

    /* Out of room: nothing half-written. */
    {
        struct taulu_buf tiny;
        taulu_buf_init(&tiny, 30);
        assert_int_equal(taulu_buf_puts(&tiny, "x"), 0);
        assert_int_equal(taulu_config_dump(&table, &c, &tiny), TAULU_ELIMIT);
        assert_string_equal(tiny.data, "x");
        assert_int_equal(taulu_config_write_example(&table, &tiny),
                         TAULU_ELIMIT);
        assert_string_equal(tiny.data, "x");
        taulu_buf_release(&tiny);
    }
    taulu_buf_release(&out);
}

/* Broken tables are refused by every entry point, before touching obj. */
struct small {
    char s[4];
    long long i;
};
static const char *const no_words[] = {NULL};
static const char *const dup_words[] = {"a", "A", NULL};
static const char *const space_words[] = {"a b", NULL};

static void check_bad(const struct taulu_config_setting *set, size_t n,
                      const char *msg)
{
    struct taulu_config_table t = {"bad", sizeof(struct small), set, n};
    struct small o, before;
    struct taulu_buf out;

    memset(&o, 0x33, sizeof o);
    memcpy(&before, &o, sizeof o);
    taulu_buf_reset(&errs);
    assert_int_equal(taulu_config_check_table(&t, &errs), TAULU_EINVAL);
    assert_string_equal(errs.data, msg);
    assert_int_equal(taulu_config_defaults(&t, &o), TAULU_EINVAL);
    assert_int_equal(taulu_config_load_text(&t, &o, "x", "", 0, NULL),
                     TAULU_EINVAL);
    assert_int_equal(taulu_config_set(&t, &o, "s", "a", NULL, NULL),
                     TAULU_EINVAL);
    taulu_buf_init(&out, 4096);
    assert_int_equal(taulu_config_write_example(&t, &out), TAULU_EINVAL);
    assert_int_equal(taulu_config_dump(&t, &o, &out), TAULU_EINVAL);
    assert_int_equal(out.len, 0);
    taulu_buf_release(&out);
    assert_memory_equal(&o, &before, sizeof o);
}

static void test_bad_tables(void **state)
{
    const struct taulu_config_setting dup[] = {
        TAULU_CONFIG_STRING("s", struct small, s, "", "h"),
        TAULU_CONFIG_INT("s", struct small, i, "0", 0, 1, "h"),
    };
    const struct taulu_config_setting bad_default[] = {
        TAULU_CONFIG_INT("i", struct small, i, "2", 0, 1, "h"),
    };
    const struct taulu_config_setting long_default[] = {
        TAULU_CONFIG_STRING("s", struct small, s, "abcd", "h"),
    };
    const struct taulu_config_setting min_max[] = {
        TAULU_CONFIG_INT("i", struct small, i, "0", 1, 0, "h"),
    };
    const struct taulu_config_setting bad_name[] = {
        TAULU_CONFIG_STRING("S", struct small, s, "", "h"),
    };
    const struct taulu_config_setting no_help[] = {
        TAULU_CONFIG_STRING("s", struct small, s, "", NULL),
    };
    struct taulu_config_setting outside[] = {
        TAULU_CONFIG_INT("i", struct small, i, "0", 0, 1, "h"),
    };
    struct taulu_config_setting wrong_size[] = {
        TAULU_CONFIG_INT("i", struct small, i, "0", 0, 1, "h"),
    };
    struct taulu_config_setting enum_none[] = {
        {.name = "e",
         .type = TAULU_CONFIG_TYPE_ENUM,
         .offset = 0,
         .size = sizeof(int),
         .def = "a",
         .words = no_words,
         .help = "h"},
    };
    struct taulu_config_setting enum_dup[] = {
        {.name = "e",
         .type = TAULU_CONFIG_TYPE_ENUM,
         .offset = 0,
         .size = sizeof(int),
         .def = "a",
         .words = dup_words,
         .help = "h"},
    };
    struct taulu_config_setting enum_space[] = {
        {.name = "e",
         .type = TAULU_CONFIG_TYPE_ENUM,
         .offset = 0,
         .size = sizeof(int),
         .def = "a b",
         .words = space_words,
         .help = "h"},
    };

    (void)state;
    outside[0].offset = sizeof(struct small) - 4;
    wrong_size[0].size = 4;
    check_bad(dup, 2, "config table: s: listed twice\n");
    check_bad(bad_default, 1, "config table: i: 2 is out of range (0 to 1)\n");
    check_bad(long_default, 1,
              "config table: s: value too long (4 bytes; at most 3)\n");
    check_bad(min_max, 1, "config table: i: min is above max\n");
    check_bad(bad_name, 1, "config table: bad setting name \"S\"\n");
    check_bad(no_help, 1, "config table: s: no help text\n");
    check_bad(outside, 1, "config table: i: field is outside the struct\n");
    check_bad(wrong_size, 1,
              "config table: i: field size does not match the type\n");
    check_bad(enum_none, 1, "config table: e: no words\n");
    check_bad(enum_dup, 1, "config table: e: word \"A\" listed twice\n");
    check_bad(enum_space, 1, "config table: e: bad word 0\n");
    assert_int_equal(taulu_config_check_table(NULL, NULL), TAULU_EINVAL);
}

/* Numbers use '.' whatever the locale of the program. */
static void test_numeric_locale(void **state)
{
    static const char *const names[] = {"fi_FI.UTF-8", "fi_FI.utf8",
                                        "de_DE.UTF-8", "de_DE.utf8",
                                        "sv_FI.UTF-8"};
    struct taulu_buf out;
    struct cfg c;
    size_t i;
    int ok = 0;

    (void)state;
    for (i = 0; i < sizeof names / sizeof names[0] && !ok; i++)
        ok = setlocale(LC_NUMERIC, names[i]) != NULL;
    if (!ok) {
        skip();
    }
    defaults(&c);
    assert_int_equal(load(&c, "dim = 0.75"), 0);
    assert_true(c.dim == 0.75);
    assert_int_equal(load(&c, "dim = 0,5"), TAULU_ECONFIG);
    taulu_buf_init(&out, 4096);
    assert_int_equal(taulu_config_dump(&table, &c, &out), 0);
    assert_non_null(strstr(out.data, "\ndim = 0.75\n"));
    taulu_buf_release(&out);
    setlocale(LC_NUMERIC, "C");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_valid),
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_every_type_and_syntax),
        cmocka_unit_test(test_values_accepted),
        cmocka_unit_test(test_all_errors_reported),
        cmocka_unit_test(test_value_errors),
        cmocka_unit_test(test_line_length_boundary),
        cmocka_unit_test(test_error_cap),
        cmocka_unit_test(test_small_errors_buffer),
        cmocka_unit_test(test_load_file),
        cmocka_unit_test(test_set),
        cmocka_unit_test(test_precedence),
        cmocka_unit_test(test_example_loads_back),
        cmocka_unit_test(test_dump),
        cmocka_unit_test(test_bad_tables),
        cmocka_unit_test(test_numeric_locale),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
