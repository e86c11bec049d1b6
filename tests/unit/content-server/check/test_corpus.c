/*
 * test_corpus.c: runs the checker over tests/data/checker/ and compares the
 * findings with each case's .expect sidecar, exactly (see the README
 * there). With TAULU_CHECK_CORPUS_PRINT=1 it prints what the checker found
 * in the sidecar's format instead of failing, for reviewing a new case.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "check.h"
#include "taulu_buf.h"
#include "taulu_file.h"

static struct check_engine *engine;

struct expect {
    struct check_input in;
    char lang[8];
    const char *light;
    char light_buf[16];
    char **lines; /* "code severity field b0 b1 c0 c1" */
    size_t nlines;
};

static char *data_path(const char *name)
{
    const char *src = getenv("TAULU_SOURCE_DIR");
    struct taulu_buf b;

    taulu_buf_init(&b, 4096);
    assert_int_equal(taulu_buf_appendf(&b, "%s/tests/data/checker/%s",
                                       src ? src : ".", name),
                     0);
    return taulu_buf_detach(&b, NULL);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    struct taulu_buf b;
    char chunk[4096];
    size_t n;

    assert_non_null(f);
    taulu_buf_init(&b, 1024 * 1024);
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
        assert_int_equal(taulu_buf_append(&b, chunk, n), 0);
    }
    fclose(f);
    return taulu_buf_detach(&b, len);
}

static int64_t num(const char *s)
{
    char *end = NULL;
    long long v = strtoll(s, &end, 10);

    assert_true(end != s);
    return (int64_t)v;
}

static void parse_expect(const char *text, struct expect *e)
{
    char *copy = strdup(text), *save = NULL, *line;

    assert_non_null(copy);
    e->in.has_organisation = 1;
    e->in.has_contact = 1;
    e->in.display_until = 1767214800; /* 31.12.2025 23.00 */
    e->in.now = 1763020800;           /* 13.11.2025 10.00 */
    e->light = NULL;
    for (line = strtok_r(copy, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save)) {
        char key[32], val[256];

        if (line[0] == '#' || line[0] == '\0') {
            continue;
        }
        if (strncmp(line, "finding ", 8) == 0) {
            e->lines = realloc(e->lines, (e->nlines + 1) * sizeof(char *));
            assert_non_null(e->lines);
            e->lines[e->nlines++] = strdup(line + 8);
            continue;
        }
        assert_int_equal(sscanf(line, "%31s %255s", key, val), 2);
        if (strcmp(key, "plain") == 0) {
            e->in.plain_language = (int)num(val);
        } else if (strcmp(key, "kind") == 0) {
            e->in.kind = strcmp(val, "event") == 0 ? CHECK_KIND_EVENT
                                                   : CHECK_KIND_BULLETIN;
        } else if (strcmp(key, "event_start") == 0) {
            e->in.event_start = num(val);
        } else if (strcmp(key, "event_end") == 0) {
            e->in.event_end = num(val);
        } else if (strcmp(key, "display_until") == 0) {
            e->in.display_until = num(val);
        } else if (strcmp(key, "now") == 0) {
            e->in.now = num(val);
        } else if (strcmp(key, "light") == 0) {
            snprintf(e->light_buf, sizeof(e->light_buf), "%.15s", val);
            e->light = e->light_buf;
        } else {
            fail_msg("unknown key %s", key);
        }
    }
    free(copy);
}

static int has_suffix(const char *s, const char *suf)
{
    size_t n = strlen(s), k = strlen(suf);

    return n > k && strcmp(s + n - k, suf) == 0;
}

static void run_case(const char *txt_name)
{
    char base[256], exp_name[300];
    char *txt_path, *exp_path, *text, *exptext, *nl;
    size_t len, elen, i, j;
    struct expect e;
    struct check_result res;
    const char *dot;
    int print = getenv("TAULU_CHECK_CORPUS_PRINT") != NULL;
    int *used;

    memset(&e, 0, sizeof(e));
    /* name.lang.txt */
    dot = strchr(txt_name, '.');
    assert_non_null(dot);
    snprintf(base, sizeof(base), "%.*s", (int)(dot - txt_name), txt_name);
    snprintf(e.lang, sizeof(e.lang), "%.*s",
             (int)(strlen(dot + 1) - strlen(".txt")), dot + 1);
    snprintf(exp_name, sizeof(exp_name), "%s.expect", base);
    txt_path = data_path(txt_name);
    exp_path = data_path(exp_name);
    text = slurp(txt_path, &len);
    exptext = slurp(exp_path, &elen);
    parse_expect(exptext, &e);

    nl = strstr(text, "\n\n");
    assert_non_null(nl);
    e.in.lang = e.lang;
    e.in.title = text;
    e.in.title_len = (size_t)(nl - text);
    e.in.body = nl + 2;
    e.in.body_len = len - (size_t)(nl + 2 - text);
    while (e.in.body_len > 0 && e.in.body[e.in.body_len - 1] == '\n') {
        e.in.body_len--;
    }

    check_result_init(&res);
    assert_int_equal(check_run(engine, &e.in, &res), 0);
    if (print) {
        printf("== %s light %s\n", txt_name,
               check_light_name(res.summary.light));
    }
    used = calloc(e.nlines + 1, sizeof(int));
    assert_non_null(used);
    for (i = 0; i < res.count; i++) {
        const struct check_finding *f = &res.findings[i];
        char got[200];
        int found = 0;

        snprintf(got, sizeof(got), "%s %s %s %zu %zu %zu %zu", f->code,
                 check_severity_name(f->severity), check_field_name(f->field),
                 f->span.byte_start, f->span.byte_end, f->span.cp_start,
                 f->span.cp_end);
        if (print) {
            const char *fs =
                f->field == CHECK_FIELD_TITLE ? e.in.title : e.in.body;
            size_t n = f->span.byte_end - f->span.byte_start;

            if (n > 70) {
                n = 70; /* cut at a character boundary */
                while (n > 0 && ((unsigned char)fs[f->span.byte_start + n] &
                                 0xC0) == 0x80) {
                    n--;
                }
            }

            printf("finding %s\n#   [%.*s] %s\n", got, (int)n,
                   fs + f->span.byte_start, f->message[CHECK_MSG_FI]);
            continue;
        }
        for (j = 0; j < e.nlines; j++) {
            if (!used[j] && strcmp(e.lines[j], got) == 0) {
                used[j] = 1;
                found = 1;
                break;
            }
        }
        if (!found) {
            fail_msg("%s: unexpected finding: %s (%s)", txt_name, got,
                     f->message[CHECK_MSG_EN]);
        }
    }
    if (!print) {
        for (j = 0; j < e.nlines; j++) {
            if (!used[j]) {
                fail_msg("%s: expected finding missing: %s", txt_name,
                         e.lines[j]);
            }
        }
        if (e.light) {
            assert_string_equal(check_light_name(res.summary.light), e.light);
        }
    }
    check_result_release(&res);
    for (j = 0; j < e.nlines; j++) {
        free(e.lines[j]);
    }
    free(e.lines);
    free(used);
    free(text);
    free(exptext);
    free(txt_path);
    free(exp_path);
}

static void test_corpus(void **state)
{
    char *dir_path = data_path("");
    DIR *dir = opendir(dir_path);
    struct dirent *de;
    unsigned cases = 0;

    (void)state;
    assert_non_null(dir);
    while ((de = readdir(dir)) != NULL) {
        if (has_suffix(de->d_name, ".txt")) {
            run_case(de->d_name);
            cases++;
        }
    }
    closedir(dir);
    free(dir_path);
    assert_true(cases >= 10);
}

static int setup(void **state)
{
    int err;

    (void)state;
    engine = check_engine_new(NULL, &err);
    return engine && check_engine_has_morphology(engine) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    check_engine_free(engine);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_corpus),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
