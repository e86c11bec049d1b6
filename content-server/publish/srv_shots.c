/*
 * srv_shots.c: screenshots of the screens (see srv_shots.h). The requests
 * are a small array in memory; the pictures are files whose modification
 * time is when they were taken.
 */
#include "srv_shots.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "taulu_err.h"
#include "taulu_file.h"
#include "taulu_log.h"

#define TAG "shots"

struct request {
    int64_t screen_id;
    int64_t at;   /* 0: none open */
    int64_t last; /* the last request, for the interval */
};

struct srv_shots {
    pthread_mutex_t mu;
    char dir[600];
    struct request *req;
    size_t n, cap;
    unsigned long seq;
};

int srv_shots_new(const char *data_dir, struct srv_shots **out)
{
    struct srv_shots *sh;
    int rc;

    *out = NULL;
    sh = calloc(1, sizeof *sh);
    if (!sh) {
        return TAULU_ENOMEM;
    }
    pthread_mutex_init(&sh->mu, NULL);
    rc = taulu_path_join(sh->dir, sizeof sh->dir, data_dir, "screenshots");
    if (rc == 0) {
        rc = taulu_mkdir_p(sh->dir, 0750);
    }
    if (rc < 0) {
        taulu_err(TAG, "cannot create %s/screenshots", data_dir);
        srv_shots_free(sh);
        return rc;
    }
    *out = sh;
    return 0;
}

void srv_shots_free(struct srv_shots *sh)
{
    if (!sh) {
        return;
    }
    free(sh->req);
    pthread_mutex_destroy(&sh->mu);
    free(sh);
}

static void path_of(const struct srv_shots *sh, int64_t screen_id, char *out,
                    size_t size)
{
    snprintf(out, size, "%s/screen-%lld.png", sh->dir, (long long)screen_id);
}

/* The request slot of a screen, made when `make`; NULL if none (or no
 * memory). Called with the lock held. */
static struct request *slot(struct srv_shots *sh, int64_t screen_id, bool make)
{
    for (size_t i = 0; i < sh->n; i++) {
        if (sh->req[i].screen_id == screen_id) {
            return &sh->req[i];
        }
    }
    if (!make) {
        return NULL;
    }
    if (sh->n == sh->cap) {
        size_t ncap = sh->cap ? sh->cap * 2 : 16;
        struct request *t = realloc(sh->req, ncap * sizeof *t);
        if (!t) {
            return NULL;
        }
        sh->req = t;
        sh->cap = ncap;
    }
    memset(&sh->req[sh->n], 0, sizeof sh->req[0]);
    sh->req[sh->n].screen_id = screen_id;
    return &sh->req[sh->n++];
}

int srv_shots_request(struct srv_shots *sh, int64_t screen_id, int64_t now,
                      int64_t *retry_after, char id_out[SRV_SHOT_ID_MAX])
{
    struct request *r;
    int rc = 0;

    *retry_after = 0;
    pthread_mutex_lock(&sh->mu);
    r = slot(sh, screen_id, true);
    if (!r) {
        rc = TAULU_ENOMEM;
    } else if (r->last > 0 && now >= r->last &&
               now - r->last < SRV_SHOT_INTERVAL_S) {
        *retry_after = SRV_SHOT_INTERVAL_S - (now - r->last);
        rc = TAULU_ELIMIT;
    } else {
        r->at = now;
        r->last = now;
        snprintf(id_out, SRV_SHOT_ID_MAX, "shot-%lld-%lu", (long long)screen_id,
                 ++sh->seq);
    }
    pthread_mutex_unlock(&sh->mu);
    return rc;
}

void srv_shots_unrequest(struct srv_shots *sh, int64_t screen_id)
{
    struct request *r;

    pthread_mutex_lock(&sh->mu);
    r = slot(sh, screen_id, false);
    if (r) {
        r->at = 0;
        r->last = 0;
    }
    pthread_mutex_unlock(&sh->mu);
}

int srv_shots_put(struct srv_shots *sh, int64_t screen_id, const void *png,
                  size_t len, int64_t now)
{
    struct request *r;
    char path[700];
    int rc;

    pthread_mutex_lock(&sh->mu);
    r = slot(sh, screen_id, false);
    if (!r || r->at == 0 || now - r->at > SRV_SHOT_ANSWER_S) {
        pthread_mutex_unlock(&sh->mu);
        return TAULU_ESTALE;
    }
    path_of(sh, screen_id, path, sizeof path);
    rc = taulu_file_write_atomic(path, png, len, 0640);
    if (rc == 0) {
        r->at = 0; /* answered */
    }
    pthread_mutex_unlock(&sh->mu);
    if (rc < 0) {
        taulu_err(TAG, "cannot write %s: %s", path, taulu_strerror(rc));
        return TAULU_EIO;
    }
    return 0;
}

/* The kept picture's time and size; an expired one is deleted. Called
 * with the lock held. 0 or TAULU_ENOTFOUND. */
static int stat_shot(struct srv_shots *sh, int64_t screen_id, int64_t now,
                     int64_t *taken_at, uint64_t *size)
{
    char path[700];
    struct stat st;

    path_of(sh, screen_id, path, sizeof path);
    if (stat(path, &st) != 0) {
        return TAULU_ENOTFOUND;
    }
    if (now - (int64_t)st.st_mtime >= SRV_SHOT_KEEP_S) {
        unlink(path);
        return TAULU_ENOTFOUND;
    }
    *taken_at = (int64_t)st.st_mtime;
    *size = (uint64_t)st.st_size;
    return 0;
}

void srv_shots_info(struct srv_shots *sh, int64_t screen_id, int64_t now,
                    int64_t *requested_at, int64_t *taken_at, uint64_t *size)
{
    struct request *r;

    *requested_at = 0;
    *taken_at = 0;
    *size = 0;
    pthread_mutex_lock(&sh->mu);
    r = slot(sh, screen_id, false);
    if (r && r->at > 0 && now - r->at <= SRV_SHOT_ANSWER_S) {
        *requested_at = r->at;
    }
    if (stat_shot(sh, screen_id, now, taken_at, size) != 0) {
        *taken_at = 0;
        *size = 0;
    }
    pthread_mutex_unlock(&sh->mu);
}

int srv_shots_open(struct srv_shots *sh, int64_t screen_id, int64_t now,
                   int *fd, uint64_t *size, int64_t *taken_at)
{
    char path[700];
    struct stat st;
    int rc;

    pthread_mutex_lock(&sh->mu);
    rc = stat_shot(sh, screen_id, now, taken_at, size);
    if (rc == 0) {
        path_of(sh, screen_id, path, sizeof path);
        *fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
        if (*fd < 0 || fstat(*fd, &st) != 0) {
            if (*fd >= 0) {
                close(*fd);
            }
            rc = TAULU_ENOTFOUND;
        } else {
            /* the file opened is the one measured (a put may have
             * replaced it meanwhile) */
            *size = (uint64_t)st.st_size;
            *taken_at = (int64_t)st.st_mtime;
        }
    }
    pthread_mutex_unlock(&sh->mu);
    return rc;
}

int srv_shots_sweep(struct srv_shots *sh, int64_t now)
{
    DIR *d;
    struct dirent *de;
    int n = 0;

    pthread_mutex_lock(&sh->mu);
    d = opendir(sh->dir);
    while (d && (de = readdir(d)) != NULL) {
        char path[1000];
        struct stat st;

        if (strncmp(de->d_name, "screen-", 7) != 0) {
            continue;
        }
        snprintf(path, sizeof path, "%s/%s", sh->dir, de->d_name);
        if (stat(path, &st) == 0 &&
            now - (int64_t)st.st_mtime >= SRV_SHOT_KEEP_S &&
            unlink(path) == 0) {
            n++;
        }
    }
    if (d) {
        closedir(d);
    }
    pthread_mutex_unlock(&sh->mu);
    return n;
}

void srv_shots_forget(struct srv_shots *sh, int64_t screen_id)
{
    char path[700];
    struct request *r;

    if (!sh) {
        return;
    }
    pthread_mutex_lock(&sh->mu);
    path_of(sh, screen_id, path, sizeof path);
    unlink(path);
    r = slot(sh, screen_id, false);
    if (r) {
        r->at = 0;
        r->last = 0;
    }
    pthread_mutex_unlock(&sh->mu);
}
