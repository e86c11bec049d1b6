/*
 * fuzz_config.c: libFuzzer target for the config file parser
 * (taulu_config_load_text) and, for input that loads, the dump and the
 * example writer.
 *
 * Checks beyond "does not crash": a rejected input leaves the object
 * byte-for-byte unchanged, and an accepted one dumps to text that loads
 * back to the same object.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "taulu_buf.h"
#include "taulu_config.h"
#include "taulu_err.h"

struct cfg {
    char host[16];
    long long port;
    char password[32];
    bool fullscreen;
    double dim;
    int level;
    char title[64];
};

static const char *const words[] = {"err", "warning", "info", "debug", NULL};

static const struct taulu_config_setting settings[] = {
    TAULU_CONFIG_STRING("host", struct cfg, host, "localhost", "Host."),
    TAULU_CONFIG_INT("port", struct cfg, port, "1883", 1, 65535, "Port."),
    TAULU_CONFIG_STRING("password", struct cfg, password, "", "Password."),
    TAULU_CONFIG_BOOL("fullscreen", struct cfg, fullscreen, "yes", "Full."),
    TAULU_CONFIG_DOUBLE("dim", struct cfg, dim, "0.25", -1e6, 1e6, "Dim."),
    TAULU_CONFIG_ENUM("log_level", struct cfg, level, "info", words, "Lvl."),
    TAULU_CONFIG_STRING("title", struct cfg, title, "", "Title."),
};

static const struct taulu_config_table table = {
    "fuzz", sizeof(struct cfg), settings, sizeof settings / sizeof settings[0]};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct cfg c, before, again;
    struct taulu_buf errs, dump;
    int rc;

    memset(&c, 0, sizeof c);
    if (taulu_config_defaults(&table, &c) != 0)
        abort();
    memcpy(&before, &c, sizeof c);
    taulu_buf_init(&errs, 64 * 1024);
    taulu_buf_init(&dump, 64 * 1024);
    rc = taulu_config_load_text(&table, &c, "fuzz", (const char *)data, size,
                                &errs);
    if (rc != 0) {
        if (rc != TAULU_ECONFIG || errs.len == 0 ||
            memcmp(&c, &before, sizeof c) != 0)
            abort();
    } else {
        if (errs.len != 0)
            abort();
        if (taulu_config_dump(&table, &c, &dump) != 0)
            abort();
        memcpy(&again, &before, sizeof again);
        if (taulu_config_load_text(&table, &again, "dump", dump.data, dump.len,
                                   NULL) != 0)
            abort();
        if (memcmp(&again, &c, sizeof c) != 0)
            abort();
    }
    taulu_buf_release(&errs);
    taulu_buf_release(&dump);
    return 0;
}
