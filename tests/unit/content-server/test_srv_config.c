/*
 * test_srv_config.c: the content server's settings table, the file, the
 * command line on top of it, and docs/server.md kept in step with the
 * table.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "srv_config.h"
#include "taulu_datadir.h"
#include "taulu_err.h"
#include "taulu_file.h"
#include "taulu_log.h"

static char dir[300];

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");

    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

static int setup(void **state)
{
    const char *tmp = getenv("TAULU_TEST_TMP");

    (void)state;
    snprintf(dir, sizeof dir, "%s/srvconf.%d", tmp ? tmp : "/tmp",
             (int)getpid());
    return taulu_mkdir_p(dir, 0700) == 0 ? 0 : -1;
}

/* srv_config_parse() on "srv" and args (NULL-terminated). With errs NULL
 * the messages go to stderr. */
static int parse(struct srv_config *cfg, struct taulu_buf *errs,
                 const char *const args[])
{
    static char store[16][600];
    char *argv[18];
    struct taulu_buf own;
    int n = 0, rc;

    snprintf(store[0], sizeof store[0], "srv");
    argv[n++] = store[0];
    for (; args[n - 1] && n < 16; n++) {
        snprintf(store[n], sizeof store[n], "%s", args[n - 1]);
        argv[n] = store[n];
    }
    argv[n] = NULL;
    if (errs) {
        return srv_config_parse(cfg, n, argv, errs);
    }
    taulu_buf_init(&own, 4096);
    rc = srv_config_parse(cfg, n, argv, &own);
    fputs(own.data, stderr);
    taulu_buf_release(&own);
    return rc;
}

static void table_is_sound(void **state)
{
    struct taulu_buf errs;

    (void)state;
    taulu_buf_init(&errs, 4096);
    assert_int_equal(taulu_config_check_table(&srv_config_table, &errs), 0);
    assert_int_equal(errs.len, 0);
    taulu_buf_release(&errs);
    /* Every key is a long option with '-' for '_'. */
    assert_non_null(taulu_config_find(&srv_config_table, "max_previews"));
    assert_non_null(taulu_config_find(&srv_config_table, "mqtt_host"));
    assert_non_null(taulu_config_find(&srv_config_table, "font_dir"));
    assert_null(taulu_config_find(&srv_config_table, "create_coordinator"));
}

/* Command line beats file beats default. */
static void precedence(void **state)
{
    char path[400];
    struct srv_config cfg;
    struct taulu_buf errs;

    (void)state;
    snprintf(path, sizeof path, "%s/prec.conf", dir);
    write_text(path, "# the site's settings\n"
                     "db = /var/lib/infotaulu/taulu.db\n"
                     "port = 9000\n"
                     "mqtt_port = 1999\n"
                     "log_level = debug\n"
                     "secure_cookies = yes\n"
                     "mqtt_prefix = \"site#1\"\n");
    {
        const char *const argv[] = {
            "--config",    path,   "--port=9100",    "--db", "/tmp/other.db",
            "--log-level", "warn", "--max-previews", "4",    NULL};
        taulu_buf_init(&errs, 4096);
        assert_int_equal(parse(&cfg, &errs, argv), 0);
        assert_string_equal(errs.data, "");
        taulu_buf_release(&errs);
    }
    assert_true(cfg.config_read);
    assert_int_equal(cfg.port, 9100);                   /* command line */
    assert_string_equal(cfg.db_path, "/tmp/other.db");  /* command line */
    assert_int_equal(cfg.log_level, TAULU_LOG_WARNING); /* alias, cmd */
    assert_int_equal(cfg.max_previews, 4);              /* command line */
    assert_int_equal(cfg.mqtt_port, 1999);              /* file */
    assert_int_equal(srv_config_secure_mode(&cfg), SRV_SECURE_ON); /* file */
    assert_string_equal(cfg.mqtt_prefix, "site#1");                /* file */
    assert_int_equal(cfg.session_ttl, 43200);                      /* default */
    assert_string_equal(cfg.listen_addr, "127.0.0.1");             /* default */
    assert_string_equal(cfg.mqtt_user, "infotaulu-server");
    assert_true(cfg.font_dir[0] != '\0'); /* resolved */

    /* Without options the file's values stand. */
    {
        const char *const argv[] = {"--config", path, NULL};
        assert_int_equal(parse(&cfg, NULL, argv), 0);
    }
    assert_int_equal(cfg.port, 9000);
    assert_int_equal(cfg.log_level, TAULU_LOG_DEBUG);
    assert_string_equal(cfg.db_path, "/var/lib/infotaulu/taulu.db");
}

static void bad_file(void **state)
{
    char path[400], want[500];
    struct srv_config cfg;
    struct taulu_buf errs;

    (void)state;
    snprintf(path, sizeof path, "%s/bad.conf", dir);
    write_text(path, "db = x.db\n"
                     "prot = 8080\n"
                     "max_previews = 65\n"
                     "log_level = loud\n");
    {
        const char *const argv[] = {"--config", path, "--check-config", NULL};
        taulu_buf_init(&errs, 4096);
        assert_int_equal(parse(&cfg, &errs, argv), TAULU_ECONFIG);
    }
    assert_true(cfg.check_config);
    assert_false(cfg.config_read);
    snprintf(want, sizeof want, "%s:2: unknown key \"prot\"", path);
    assert_non_null(strstr(errs.data, want));
    snprintf(want, sizeof want, "%s:3: ", path);
    assert_non_null(strstr(errs.data, want));
    snprintf(want, sizeof want, "%s:4: ", path);
    assert_non_null(strstr(errs.data, want));
    taulu_buf_release(&errs);

    /* A bad option value is named by its option. */
    {
        const char *const argv[] = {"--db", "x", "--port", "70000", NULL};
        taulu_buf_init(&errs, 4096);
        assert_int_equal(parse(&cfg, &errs, argv), TAULU_ECONFIG);
        assert_non_null(strstr(errs.data, "--port: "));
        taulu_buf_release(&errs);
    }
    /* 1..3 threads stay refused, 0 (automatic) is fine. */
    {
        const char *const argv[] = {"--db", "x", "--threads", "3", NULL};
        taulu_buf_init(&errs, 4096);
        assert_int_equal(parse(&cfg, &errs, argv), TAULU_ECONFIG);
        assert_non_null(strstr(errs.data, "threads: 3"));
        taulu_buf_release(&errs);
    }
    /* A file named with --config must exist. */
    {
        char missing[420];
        snprintf(missing, sizeof missing, "%s/none.conf", dir);
        const char *const argv[] = {"--config", missing, "--db", "x", NULL};
        taulu_buf_init(&errs, 4096);
        assert_int_equal(parse(&cfg, &errs, argv), TAULU_ECONFIG);
        assert_non_null(strstr(errs.data, missing));
        taulu_buf_release(&errs);
    }
    /* db, or data_dir to derive it from, is required. */
    {
        const char *const argv[] = {"--config", path, NULL};
        write_text(path, "data_dir = /srv/taulu\n");
        assert_int_equal(parse(&cfg, NULL, argv), 0);
        assert_string_equal(cfg.db_path, "/srv/taulu/infotaulu.db");
        write_text(path, "");
        taulu_buf_init(&errs, 4096);
        assert_int_equal(parse(&cfg, &errs, argv), TAULU_ECONFIG);
        assert_non_null(strstr(errs.data, "db (or data_dir) is required"));
        taulu_buf_release(&errs);
    }
}

/* The example file gives exactly the defaults. */
static void example_loads_back(void **state)
{
    char empty[400], example[400];
    struct srv_config a, b;
    struct taulu_buf ex;
    const char *names[64];

    (void)state;
    taulu_buf_init(&ex, 256 * 1024);
    assert_int_equal(taulu_config_write_example(&srv_config_table, &ex), 0);
    snprintf(example, sizeof example, "%s/example.conf", dir);
    write_text(example, ex.data);
    taulu_buf_release(&ex);
    snprintf(empty, sizeof empty, "%s/empty.conf", dir);
    write_text(empty, "");
    {
        const char *const argv[] = {"--config", example, "--db", "x", NULL};
        assert_int_equal(parse(&a, NULL, argv), 0);
    }
    {
        const char *const argv[] = {"--config", empty, "--db", "x", NULL};
        assert_int_equal(parse(&b, NULL, argv), 0);
    }
    assert_true(a.config_read);
    assert_int_equal(srv_config_changed(&a, &b, names, 64), 0);
    assert_int_equal(a.port, 8080);
    assert_int_equal(a.log_level, TAULU_LOG_INFO);

    b.port = 1;
    b.log_level = TAULU_LOG_DEBUG;
    assert_int_equal(srv_config_changed(&a, &b, names, 64), 2);
    assert_string_equal(names[0], "port");
    assert_string_equal(names[1], "log_level");
    assert_string_equal(srv_config_level_name(b.log_level), "debug");
}

/* Empty web_root and font_dir are the shipped data's folders (as
 * taulu_datadir finds them), marked as defaults so that a missing web UI
 * only warns; set ones stay as given. */
static void data_defaults(void **state)
{
    struct srv_config cfg;
    char web[512], fonts[512];

    (void)state;
    (void)taulu_datadir_find(TAULU_DATA_WEB, web, sizeof web);
    (void)taulu_datadir_find(TAULU_DATA_FONTS, fonts, sizeof fonts);
    {
        const char *const argv[] = {"--db", "x.db", NULL};
        assert_int_equal(parse(&cfg, NULL, argv), 0);
    }
    assert_string_equal(cfg.web_root, web);
    assert_true(cfg.web_root_default);
    assert_string_equal(cfg.font_dir, fonts);
    {
        const char *const argv[] = {"--db",     "x.db",       "--web-root",
                                    "/srv/web", "--font-dir", "/srv/fonts",
                                    NULL};
        assert_int_equal(parse(&cfg, NULL, argv), 0);
    }
    assert_string_equal(cfg.web_root, "/srv/web");
    assert_false(cfg.web_root_default);
    assert_string_equal(cfg.font_dir, "/srv/fonts");
}

/* When cookies get Secure and answers HSTS (docs/deployment.md). */
static void secure_rule(void **state)
{
    static const struct {
        const char *args[8];
        bool always, via_proxy;
    } cases[] = {
        /* loopback, no public URL: a developer's machine, or behind a
         * proxy that says whether it was https */
        {{"--db", "x", NULL}, false, true},
        {{"--db", "x", "--public-url", "http://127.0.0.1:8080", NULL},
         false,
         true},
        /* an https public URL: always */
        {{"--db", "x", "--public-url", "HTTPS://infotaulu.example.fi", NULL},
         true,
         false},
        /* reachable from other machines: always, unless told */
        {{"--db", "x", "--listen", "0.0.0.0", NULL}, true, false},
        {{"--db", "x", "--listen", "192.0.2.10", NULL}, true, false},
        {{"--db", "x", "--listen", "::", NULL}, true, false},
        {{"--db", "x", "--listen", "::1", NULL}, false, true},
        {{"--db", "x", "--listen", "127.0.0.2", NULL}, false, true},
        {{"--db", "x", "--listen", "0.0.0.0", "--secure-cookies=false", NULL},
         false,
         false},
        {{"--db", "x", "--public-url", "https://x.fi", "--secure-cookies=off",
          NULL},
         false,
         false},
        /* the old flag still means on */
        {{"--db", "x", "--secure-cookies", NULL}, true, false},
        {{"--db", "x", "--secure-cookies=yes", NULL}, true, false},
        {{"--db", "x", "--secure-cookies=auto", NULL}, false, true},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct srv_config cfg;
        const char *why = NULL;
        bool always, via;

        assert_int_equal(parse(&cfg, NULL, cases[i].args), 0);
        srv_config_secure(&cfg, &always, &via, &why);
        if (always != cases[i].always || via != cases[i].via_proxy) {
            fail_msg("case %zu: always %d via_proxy %d (%s)", i, always, via,
                     why);
        }
        assert_non_null(why);
    }
}

/* trusted_proxy must be numeric addresses. */
static void trusted_proxy_checked(void **state)
{
    struct srv_config cfg;
    struct taulu_buf errs;

    (void)state;
    {
        const char *const argv[] = {"--db", "x", "--trusted-proxy",
                                    "127.0.0.1, ::1", NULL};
        assert_int_equal(parse(&cfg, NULL, argv), 0);
    }
    {
        const char *const argv[] = {"--db", "x", "--trusted-proxy",
                                    "proxy.example.fi", NULL};
        taulu_buf_init(&errs, 4096);
        assert_int_equal(parse(&cfg, &errs, argv), TAULU_ECONFIG);
        assert_non_null(strstr(errs.data, "trusted_proxy"));
        taulu_buf_release(&errs);
    }
}

/* docs/server.md has a row "| `key` | `default` | ... |" for every key
 * ("(empty)" for an empty default). */
static void docs_match_table(void **state)
{
    const char *src = getenv("TAULU_SOURCE_DIR");
    char path[600], row[300];
    struct taulu_buf doc;
    size_t i;

    (void)state;
    if (!src) {
        skip();
    }
    snprintf(path, sizeof path, "%s/docs/server.md", src);
    taulu_buf_init(&doc, 1024 * 1024);
    assert_int_equal(taulu_file_read(path, &doc), 0);
    for (i = 0; i < srv_config_table.count; i++) {
        const struct taulu_config_setting *s = &srv_config_table.settings[i];
        if (s->def && s->def[0]) {
            snprintf(row, sizeof row, "| `%s` | `%s` |", s->name, s->def);
        } else {
            snprintf(row, sizeof row, "| `%s` | (empty) |", s->name);
        }
        if (!strstr(doc.data, row)) {
            print_error("docs/server.md lacks the row \"%s\"\n", row);
            fail();
        }
    }
    taulu_buf_release(&doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(table_is_sound),
        cmocka_unit_test(precedence),
        cmocka_unit_test(bad_file),
        cmocka_unit_test(example_loads_back),
        cmocka_unit_test(docs_match_table),
        cmocka_unit_test(data_defaults),
        cmocka_unit_test(secure_rule),
        cmocka_unit_test(trusted_proxy_checked),
    };

    return cmocka_run_group_tests(tests, setup, NULL);
}
