/*
 * player_cache.c: the content-addressed cache of the player (see
 * player_cache.h for the layout and the exact order of an update).
 */
#include "player_cache.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "taulu_crypto.h"
#include "taulu_err.h"
#include "taulu_file.h"
#include "taulu_log.h"

#define TAG "cache"

/* manifest.previous is replaced through this name (hard link + rename). */
#define PREVIOUS_TMP  "manifest.previous.tmp"
#define ASSET_TMP_PFX ".tmp-"

enum current_state {
    CURRENT_UNKNOWN = 0, /* not loaded by this process yet */
    CURRENT_GOOD,        /* verified (or installed) by this process */
    CURRENT_BAD,         /* damaged: never copy it over previous */
};

struct player_cache {
    char dir[PATH_MAX];
    char assets[PATH_MAX];
    uint64_t max_bytes;
    atomic_uint_least64_t bytes;
    atomic_uint tmp_counter;
    pthread_mutex_t mu; /* manifests, clean-up, current_state */
    int lock_fd;
    enum current_state current_state;
    bool read_only;   /* opened for reading only (see player_cache.h) */
    char ro_why[128]; /* why: the error that writing met */
};

/* A set of asset sha256s that must stay (sorted for bsearch). */
struct refset {
    char (*sha)[TAULU_SHA256_HEX_LEN + 1];
    size_t n, cap;
};

static int path_in(char *out, size_t size, const char *dir, const char *name)
{
    int n = snprintf(out, size, "%s/%s", dir, name);
    return (n < 0 || (size_t)n >= size) ? TAULU_ELIMIT : 0;
}

static int fsync_path(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int rc;

    if (fd < 0) {
        return TAULU_EIO;
    }
    rc = fsync(fd);
    close(fd);
    return rc < 0 ? TAULU_EIO : 0;
}

static bool is_asset_name(const char *name)
{
    return taulu_is_sha256_hex(name) == 1;
}

static int refset_add(struct refset *s, const char *sha)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        void *p = realloc(s->sha, cap * sizeof *s->sha);
        if (!p) {
            return TAULU_ENOMEM;
        }
        s->sha = p;
        s->cap = cap;
    }
    memcpy(s->sha[s->n++], sha, TAULU_SHA256_HEX_LEN + 1);
    return 0;
}

static int refset_add_manifest(struct refset *s, const struct taulu_manifest *m)
{
    for (size_t i = 0; m && i < m->n_assets; i++) {
        int rc = refset_add(s, m->assets[i].sha256);
        if (rc < 0) {
            return rc;
        }
    }
    return 0;
}

static int cmp_sha(const void *a, const void *b)
{
    return memcmp(a, b, TAULU_SHA256_HEX_LEN);
}

static void refset_sort(struct refset *s)
{
    if (s->n > 1) {
        if (s->n > 1) {
            qsort(s->sha, s->n, sizeof *s->sha, cmp_sha);
        }
    }
}

static bool refset_has(const struct refset *s, const char *sha)
{
    return s->n && bsearch(sha, s->sha, s->n, sizeof *s->sha, cmp_sha);
}

static void refset_release(struct refset *s)
{
    free(s->sha);
    memset(s, 0, sizeof *s);
}

/* Reads a manifest file of the cache WITHOUT checking the signature: only
 * to learn which assets it refers to (what clean-up must keep). *out is
 * NULL when the file is missing or unreadable. */
static void read_unverified(const struct player_cache *c, const char *name,
                            struct taulu_manifest **out)
{
    char path[PATH_MAX];
    struct taulu_buf b;
    const char *nl;

    *out = NULL;
    if (path_in(path, sizeof path, c->dir, name) < 0) {
        return;
    }
    taulu_buf_init(&b, TAULU_MANIFEST_SIGNED_MAX_BYTES);
    if (taulu_file_read(path, &b) == 0 &&
        strncmp(b.data, TAULU_MANIFEST_SIG_PREFIX,
                strlen(TAULU_MANIFEST_SIG_PREFIX)) == 0 &&
        (nl = memchr(b.data, '\n', b.len)) != NULL) {
        size_t off = (size_t)(nl + 1 - b.data);
        (void)taulu_manifest_parse(b.data + off, b.len - off, out, NULL);
    }
    taulu_buf_release(&b);
}

static void remove_temp_files(struct player_cache *c)
{
    DIR *d;
    struct dirent *e;
    char path[PATH_MAX];

    if ((d = opendir(c->dir)) != NULL) {
        while ((e = readdir(d)) != NULL) {
            /* taulu_file_write_atomic() leaves "<name>.tmp.<pid>.<n>". */
            if (strncmp(e->d_name, "manifest.", 9) == 0 &&
                strstr(e->d_name, ".tmp") != NULL &&
                path_in(path, sizeof path, c->dir, e->d_name) == 0) {
                taulu_info(TAG, "removing leftover %s", e->d_name);
                unlink(path);
            }
        }
        closedir(d);
    }
    if ((d = opendir(c->assets)) != NULL) {
        while ((e = readdir(d)) != NULL) {
            if (strncmp(e->d_name, ASSET_TMP_PFX, strlen(ASSET_TMP_PFX)) == 0 &&
                path_in(path, sizeof path, c->assets, e->d_name) == 0) {
                unlink(path);
            }
        }
        closedir(d);
    }
}

static int count_bytes(struct player_cache *c)
{
    DIR *d = opendir(c->assets);
    struct dirent *e;
    struct stat st;
    uint64_t total = 0;

    if (!d) {
        return TAULU_EIO;
    }
    while ((e = readdir(d)) != NULL) {
        if (is_asset_name(e->d_name) &&
            fstatat(dirfd(d), e->d_name, &st, 0) == 0 && S_ISREG(st.st_mode)) {
            total += (uint64_t)st.st_size;
        }
    }
    closedir(d);
    atomic_store(&c->bytes, total);
    return 0;
}

/* Errors that say "this file system (or directory) takes no writes" (a
 * disk remounted read-only after errors, a directory we may not write):
 * the cache can still be read. */
static bool read_only_errno(int e)
{
    return e == EROFS || e == EACCES || e == EPERM;
}

/* The cache as it is, for reading only: no lock file made (an existing
 * one is locked shared, so a writer elsewhere still excludes us), no
 * clean-up, the assets counted if there are any. 0, TAULU_EUNAVAIL or
 * TAULU_EIO (nothing to read here either). */
static int open_read_only(struct player_cache *c, const char *lock_path,
                          int why)
{
    DIR *d;

    c->read_only = true;
    snprintf(c->ro_why, sizeof c->ro_why, "%s", strerror(why));
    d = opendir(c->dir);
    if (!d) {
        taulu_err(TAG, "cannot read %s: %s", c->dir, strerror(errno));
        return TAULU_EIO;
    }
    closedir(d);
    c->lock_fd = open(lock_path, O_RDONLY | O_CLOEXEC);
    if (c->lock_fd >= 0 && flock(c->lock_fd, LOCK_SH | LOCK_NB) < 0) {
        taulu_err(TAG, "%s is in use by another process", c->dir);
        return TAULU_EUNAVAIL;
    }
    if (count_bytes(c) < 0) {
        atomic_store(&c->bytes, 0); /* no assets/ at all: none */
    }
    taulu_warn(TAG,
               "%s is read-only (%s): its content is shown, nothing is "
               "written to it",
               c->dir, c->ro_why);
    return 0;
}

int player_cache_open(const char *dir, uint64_t max_bytes,
                      struct player_cache **out)
{
    struct player_cache *c = NULL;
    char lock_path[PATH_MAX];
    int rc;

    if (!out) {
        return TAULU_EINVAL;
    }
    *out = NULL;
    if (!dir || !*dir) {
        return TAULU_EINVAL;
    }
    c = calloc(1, sizeof *c);
    if (!c) {
        return TAULU_ENOMEM;
    }
    c->lock_fd = -1;
    atomic_init(&c->bytes, 0);
    atomic_init(&c->tmp_counter, 0);
    if (pthread_mutex_init(&c->mu, NULL) != 0) {
        free(c);
        return TAULU_ENOMEM;
    }
    c->max_bytes = max_bytes;
    rc = snprintf(c->dir, sizeof c->dir, "%s", dir);
    if (rc < 0 || (size_t)rc >= sizeof c->dir - 64) {
        rc = TAULU_ELIMIT; /* room for the names inside it */
        goto out;
    }
    if ((rc = path_in(c->assets, sizeof c->assets, dir, PLAYER_CACHE_ASSETS)) <
            0 ||
        (rc = path_in(lock_path, sizeof lock_path, dir, "lock")) < 0) {
        goto out;
    }
    if (taulu_mkdir_p(c->assets, 0755) < 0) {
        if (read_only_errno(errno)) {
            rc = open_read_only(c, lock_path, errno);
            goto opened;
        }
        taulu_err(TAG, "cannot create %s: %s", c->assets, strerror(errno));
        rc = TAULU_EIO;
        goto out;
    }
    c->lock_fd = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (c->lock_fd < 0) {
        if (read_only_errno(errno)) {
            rc = open_read_only(c, lock_path, errno);
            goto opened;
        }
        taulu_err(TAG, "cannot open %s: %s", lock_path, strerror(errno));
        rc = TAULU_EIO;
        goto out;
    }
    if (flock(c->lock_fd, LOCK_EX | LOCK_NB) < 0) {
        taulu_err(TAG, "%s is in use by another process", dir);
        rc = TAULU_EUNAVAIL;
        goto out;
    }
    remove_temp_files(c);
    if ((rc = count_bytes(c)) < 0) {
        goto out;
    }
opened:
    if (rc < 0) {
        goto out;
    }
    *out = c;
    c = NULL;
    rc = 0;
out:
    player_cache_close(c);
    return rc;
}

void player_cache_close(struct player_cache *c)
{
    if (!c) {
        return;
    }
    if (c->lock_fd >= 0) {
        close(c->lock_fd); /* releases the flock */
    }
    pthread_mutex_destroy(&c->mu);
    free(c);
}

bool player_cache_read_only(const struct player_cache *c, const char **why)
{
    if (why) {
        *why = c && c->read_only ? c->ro_why : "";
    }
    return c && c->read_only;
}

const char *player_cache_dir(const struct player_cache *c)
{
    return c ? c->dir : "";
}

uint64_t player_cache_bytes(const struct player_cache *c)
{
    return c ? atomic_load(&c->bytes) : 0;
}

uint64_t player_cache_max_bytes(const struct player_cache *c)
{
    return c ? c->max_bytes : 0;
}

int player_cache_asset_path(const struct player_cache *c, const char *sha256,
                            char *out, size_t out_size)
{
    if (!c || !sha256 || !out || !taulu_is_sha256_hex(sha256)) {
        return TAULU_EINVAL;
    }
    return path_in(out, out_size, c->assets, sha256);
}

/* Size and hash of one asset file: 0, TAULU_ENOTFOUND, TAULU_EHASH (wrong
 * size or hash), TAULU_EIO. */
static int verify_asset_file(const char *path, const struct taulu_asset_ref *a)
{
    struct taulu_sha256_state st;
    char got[TAULU_SHA256_HEX_LEN + 1];
    static _Thread_local unsigned char chunk[64 * 1024];
    struct stat sb;
    int64_t total = 0;
    ssize_t n;
    int fd = open(path, O_RDONLY | O_CLOEXEC);

    if (fd < 0) {
        return errno == ENOENT ? TAULU_ENOTFOUND : TAULU_EIO;
    }
    if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode)) {
        close(fd);
        return TAULU_EIO;
    }
    if ((int64_t)sb.st_size != a->size) {
        close(fd);
        return TAULU_EHASH;
    }
    taulu_sha256_begin(&st);
    while ((n = read(fd, chunk, sizeof chunk)) != 0) {
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            close(fd);
            return TAULU_EIO;
        }
        taulu_sha256_update(&st, chunk, (size_t)n);
        total += n;
    }
    close(fd);
    taulu_sha256_end_hex(&st, got);
    if (total != a->size || memcmp(got, a->sha256, TAULU_SHA256_HEX_LEN) != 0) {
        return TAULU_EHASH;
    }
    return 0;
}

static void remove_asset(struct player_cache *c, const char *path)
{
    struct stat st;

    if (stat(path, &st) == 0 && unlink(path) == 0) {
        atomic_fetch_sub(&c->bytes, (uint64_t)st.st_size);
    }
}

int player_cache_asset_check(struct player_cache *c,
                             const struct taulu_asset_ref *a)
{
    char path[PATH_MAX];
    int rc;

    if (!c || !a || !taulu_is_sha256_hex(a->sha256)) {
        return TAULU_EINVAL;
    }
    if ((rc = path_in(path, sizeof path, c->assets, a->sha256)) < 0) {
        return rc;
    }
    rc = verify_asset_file(path, a);
    if (rc == TAULU_EHASH) {
        taulu_warn(TAG, "asset %.12s is damaged; removed", a->sha256);
        remove_asset(c, path);
    }
    return rc;
}

int player_cache_asset_tmp_path(struct player_cache *c, char *out,
                                size_t out_size)
{
    unsigned n = atomic_fetch_add(&c->tmp_counter, 1);
    int len = snprintf(out, out_size, "%s/" ASSET_TMP_PFX "%ld-%u", c->assets,
                       (long)getpid(), n);

    return (len < 0 || (size_t)len >= out_size) ? TAULU_ELIMIT : 0;
}

int player_cache_asset_commit(struct player_cache *c, const char *tmp_path,
                              const struct taulu_asset_ref *a,
                              const char *got_sha256)
{
    char path[PATH_MAX];
    struct stat st, old;
    bool had_old;
    int rc;

    if (!c || !tmp_path || !a || !got_sha256 ||
        !taulu_is_sha256_hex(a->sha256)) {
        return TAULU_EINVAL;
    }
    if ((rc = path_in(path, sizeof path, c->assets, a->sha256)) < 0) {
        unlink(tmp_path);
        return rc;
    }
    if (stat(tmp_path, &st) < 0) {
        return TAULU_EIO;
    }
    if ((int64_t)st.st_size != a->size || strcmp(got_sha256, a->sha256) != 0) {
        unlink(tmp_path);
        return TAULU_EHASH;
    }
    had_old = stat(path, &old) == 0;
    if (rename(tmp_path, path) < 0) {
        taulu_err(TAG, "cannot rename %s: %s", tmp_path, strerror(errno));
        unlink(tmp_path);
        return TAULU_EIO;
    }
    if (had_old) {
        atomic_fetch_sub(&c->bytes, (uint64_t)old.st_size);
    }
    atomic_fetch_add(&c->bytes, (uint64_t)st.st_size);
    /* The name must be durable before any manifest refers to it. */
    return fsync_path(c->assets);
}

/* Deletes every asset not in `keep`. Called with c->mu held. */
static void remove_unreferenced(struct player_cache *c,
                                const struct refset *keep)
{
    DIR *d = opendir(c->assets);
    struct dirent *e;
    char path[PATH_MAX];
    unsigned removed = 0;

    if (!d) {
        return;
    }
    while ((e = readdir(d)) != NULL) {
        if (is_asset_name(e->d_name) && !refset_has(keep, e->d_name) &&
            path_in(path, sizeof path, c->assets, e->d_name) == 0) {
            remove_asset(c, path);
            removed++;
        }
    }
    closedir(d);
    if (removed) {
        taulu_info(TAG, "removed %u unreferenced assets, %llu bytes left",
                   removed, (unsigned long long)atomic_load(&c->bytes));
    }
}

static bool over_budget(const struct player_cache *c, uint64_t extra)
{
    return c->max_bytes && atomic_load(&c->bytes) + extra > c->max_bytes;
}

/* Unique bytes of a manifest's assets, and of those not in the cache. */
static void manifest_bytes(const struct player_cache *c,
                           const struct taulu_manifest *m, uint64_t *total,
                           uint64_t *missing)
{
    char path[PATH_MAX];
    struct stat st;

    *total = *missing = 0;
    for (size_t i = 0; i < m->n_assets; i++) {
        const struct taulu_asset_ref *a = &m->assets[i];
        *total += (uint64_t)a->size;
        if (path_in(path, sizeof path, c->assets, a->sha256) < 0 ||
            stat(path, &st) < 0 || (int64_t)st.st_size != a->size) {
            *missing += (uint64_t)a->size;
        }
    }
}

/* Clean-up: keep the assets of `first` (already parsed) and of the named
 * files; if still over budget, keep only `first` and the file `must`. */
static int clean_up(struct player_cache *c, const struct taulu_manifest *first,
                    const char *must, const char *optional, uint64_t extra)
{
    struct taulu_manifest *mm = NULL, *om = NULL;
    struct refset keep = {0};
    int rc;

    if (must) {
        read_unverified(c, must, &mm);
    }
    if (optional) {
        read_unverified(c, optional, &om);
    }
    if ((rc = refset_add_manifest(&keep, first)) < 0 ||
        (rc = refset_add_manifest(&keep, mm)) < 0 ||
        (rc = refset_add_manifest(&keep, om)) < 0) {
        goto out;
    }
    refset_sort(&keep);
    remove_unreferenced(c, &keep);
    if (om && over_budget(c, extra)) {
        keep.n = 0;
        if ((rc = refset_add_manifest(&keep, first)) < 0 ||
            (rc = refset_add_manifest(&keep, mm)) < 0) {
            goto out;
        }
        refset_sort(&keep);
        taulu_warn(TAG, "cache over its bound: dropping the assets of %s",
                   optional);
        remove_unreferenced(c, &keep);
    }
    rc = 0;
out:
    taulu_manifest_free(mm);
    taulu_manifest_free(om);
    refset_release(&keep);
    return rc;
}

int player_cache_prepare(struct player_cache *c,
                         const struct taulu_manifest *next)
{
    uint64_t total, missing;
    int rc;

    if (!c || !next) {
        return TAULU_EINVAL;
    }
    pthread_mutex_lock(&c->mu);
    manifest_bytes(c, next, &total, &missing);
    if (c->max_bytes && total > c->max_bytes) {
        rc = TAULU_ELIMIT;
    } else {
        rc = clean_up(c, next, PLAYER_CACHE_CURRENT, PLAYER_CACHE_PREVIOUS,
                      missing);
    }
    pthread_mutex_unlock(&c->mu);
    return rc;
}

/* Whether manifest.current looks complete without the key: it parses and
 * every asset it names is present with the right size. Used when this
 * process has not verified it, before it becomes manifest.previous. */
static bool current_looks_complete(struct player_cache *c)
{
    struct taulu_manifest *m = NULL;
    char path[PATH_MAX];
    struct stat st;
    bool ok;

    read_unverified(c, PLAYER_CACHE_CURRENT, &m);
    ok = m != NULL;
    for (size_t i = 0; ok && i < m->n_assets; i++) {
        ok = path_in(path, sizeof path, c->assets, m->assets[i].sha256) == 0 &&
             stat(path, &st) == 0 && (int64_t)st.st_size == m->assets[i].size;
    }
    taulu_manifest_free(m);
    return ok;
}

/* Step 2 of an update: manifest.previous <- manifest.current. */
static int current_to_previous(struct player_cache *c)
{
    char cur[PATH_MAX], prev[PATH_MAX], tmp[PATH_MAX];
    struct taulu_buf b;
    int rc;

    if ((rc = path_in(cur, sizeof cur, c->dir, PLAYER_CACHE_CURRENT)) < 0 ||
        (rc = path_in(prev, sizeof prev, c->dir, PLAYER_CACHE_PREVIOUS)) < 0 ||
        (rc = path_in(tmp, sizeof tmp, c->dir, PREVIOUS_TMP)) < 0) {
        return rc;
    }
    unlink(tmp);
    if (link(cur, tmp) == 0) {
        if (rename(tmp, prev) < 0) {
            unlink(tmp);
            return TAULU_EIO;
        }
        return fsync_path(c->dir);
    }
    if (errno == ENOENT) {
        return 0; /* no current: nothing to keep */
    }
    /* No hard links here (vfat...): a copy, written atomically. */
    taulu_buf_init(&b, TAULU_MANIFEST_SIGNED_MAX_BYTES);
    rc = taulu_file_read(cur, &b);
    if (rc == 0) {
        rc = taulu_file_write_atomic(prev, b.data, b.len, 0644);
    }
    taulu_buf_release(&b);
    return rc;
}

int player_cache_install(struct player_cache *c, const char *blob, size_t len,
                         const struct taulu_manifest *m, const char *sha256)
{
    char path[PATH_MAX];
    struct stat st;
    bool keep_current;
    int rc;

    if (!c || !blob || !m || !sha256) {
        return TAULU_EINVAL;
    }
    pthread_mutex_lock(&c->mu);
    for (size_t i = 0; i < m->n_assets; i++) {
        if ((rc = path_in(path, sizeof path, c->assets, m->assets[i].sha256)) <
            0) {
            goto out;
        }
        if (stat(path, &st) < 0 || (int64_t)st.st_size != m->assets[i].size) {
            rc = TAULU_ENOTFOUND;
            goto out;
        }
    }
    switch (c->current_state) {
    case CURRENT_GOOD:
        keep_current = true;
        break;
    case CURRENT_BAD:
        keep_current = false;
        break;
    default:
        keep_current = current_looks_complete(c);
        break;
    }
    if (keep_current && (rc = current_to_previous(c)) < 0) {
        taulu_err(TAG, "cannot keep the current manifest as previous: %s",
                  strerror(errno));
        goto out;
    }
    if ((rc = path_in(path, sizeof path, c->dir, PLAYER_CACHE_CURRENT)) < 0) {
        goto out;
    }
    /* The switch: one rename, then the directory is fsync'd. */
    if ((rc = taulu_file_write_atomic(path, blob, len, 0644)) < 0) {
        taulu_err(TAG, "cannot write %s: %s", path, strerror(errno));
        goto out;
    }
    c->current_state = CURRENT_GOOD;
    taulu_info(TAG, "manifest seq %lld (%.12s) is now current",
               (long long)m->seq, sha256);
    rc = clean_up(c, m, NULL, PLAYER_CACHE_PREVIOUS, 0);
    if (rc < 0) {
        rc = 0; /* the update stands; clean-up runs again next time */
    }
out:
    pthread_mutex_unlock(&c->mu);
    return rc;
}

/* Loads and verifies one manifest file and its assets. */
static int load_one(struct player_cache *c, const char *name,
                    const uint8_t pk[32], const char *screen_id,
                    struct taulu_manifest **out, char out_sha[65])
{
    char path[PATH_MAX];
    struct taulu_buf b, why;
    struct taulu_manifest *m = NULL;
    int rc;

    taulu_buf_init(&b, TAULU_MANIFEST_SIGNED_MAX_BYTES);
    taulu_buf_init(&why, 1024);
    if ((rc = path_in(path, sizeof path, c->dir, name)) < 0 ||
        (rc = taulu_file_read(path, &b)) < 0) {
        goto out;
    }
    taulu_sha256_hex(b.data, b.len, out_sha);
    rc = taulu_manifest_load_signed(b.data, b.len, pk, NULL, screen_id, 0, &m,
                                    &why);
    if (rc < 0) {
        taulu_warn(TAG, "%s refused: %s: %s", name, taulu_strerror(rc),
                   why.data);
        goto out;
    }
    for (size_t i = 0; i < m->n_assets; i++) {
        rc = player_cache_asset_check(c, &m->assets[i]);
        if (rc < 0) {
            taulu_warn(TAG, "%s: asset %.12s: %s", name, m->assets[i].sha256,
                       taulu_strerror(rc));
            goto out;
        }
    }
    *out = m;
    m = NULL;
out:
    taulu_manifest_free(m);
    taulu_buf_release(&b);
    taulu_buf_release(&why);
    if (rc < 0) {
        out_sha[0] = '\0';
    }
    return rc;
}

int player_cache_load_current(struct player_cache *c, const uint8_t pk[32],
                              const char *screen_id,
                              struct taulu_manifest **out_manifest,
                              char out_sha256[65])
{
    int rc, rc_prev;

    if (!out_manifest || !out_sha256) {
        return TAULU_EINVAL;
    }
    *out_manifest = NULL;
    out_sha256[0] = '\0';
    if (!c || !pk || !screen_id) {
        return TAULU_EINVAL;
    }
    pthread_mutex_lock(&c->mu);
    rc = load_one(c, PLAYER_CACHE_CURRENT, pk, screen_id, out_manifest,
                  out_sha256);
    if (rc == 0) {
        c->current_state = CURRENT_GOOD;
        goto out;
    }
    c->current_state = rc == TAULU_ENOTFOUND ? CURRENT_UNKNOWN : CURRENT_BAD;
    rc_prev = load_one(c, PLAYER_CACHE_PREVIOUS, pk, screen_id, out_manifest,
                       out_sha256);
    if (rc_prev == 0) {
        taulu_warn(TAG, "using %s (seq %lld): %s is %s", PLAYER_CACHE_PREVIOUS,
                   (long long)(*out_manifest)->seq, PLAYER_CACHE_CURRENT,
                   rc == TAULU_ENOTFOUND ? "missing" : "damaged");
        rc = 0;
    } else if (rc == TAULU_ENOTFOUND) {
        rc = rc_prev;
    }
out:
    pthread_mutex_unlock(&c->mu);
    return rc;
}
