/*
 * srv_conn.c: connection deadlines and budgets (see srv_conn.h).
 *
 * Each record sits in one list per state it has a deadline in (head, body,
 * answer; trusted and untrusted apart), appended when it enters the state,
 * so each list's first record is the one that entered it longest ago.
 * Untrusted records also sit in their address group's list, in the order
 * they were accepted. Groups are kept in a hash table by their key and
 * freed with their last connection. One mutex guards everything; every
 * operation is O(1) except the sweep (all records) and making room in a
 * group (at most its budget of records).
 */
#include "srv_conn.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

enum state { ST_HEAD, ST_BODY, ST_ANSWER, ST_WORK, NLISTED = ST_WORK };

struct group;

struct link {
    struct srv_conn *prev, *next;
};

struct list {
    struct srv_conn *first, *last;
};

struct srv_conn {
    struct link in_state; /* in t->lists[state][trusted] */
    struct link in_group; /* in group->conns while untrusted */
    struct group *group;
    int fd;
    enum state state;
    bool trusted, exempt, kicked;
    int64_t deadline; /* 0: none */
    int64_t graced;   /* time added to deadlines while the server was
                         behind (srv_conn_behind_fn), this request */
};

struct group {
    struct group *next; /* in its hash bucket */
    uint8_t key[12];
    unsigned refs;      /* records of this group, kicked or not */
    unsigned untrusted; /* counted against the budget */
    struct list conns;  /* untrusted, not kicked, in accept order */
};

struct srv_conns {
    pthread_mutex_t mu;
    struct srv_conn_limits lim;
    srv_conn_kick_fn kick;
    srv_conn_behind_fn behind;
    void *ctx;
    struct list lists[NLISTED][2]; /* [state][trusted] */
    struct group **buckets;
    size_t nbuckets; /* a power of two */
    unsigned open, untrusted;
    uint64_t kicked_deadline, kicked_for_room, refused;
};

/* Intrusive list operations for either link of a record. */
#define LINK(c, off) ((struct link *)(void *)((char *)(c) + (off)))

static void list_append(struct list *l, struct srv_conn *c, size_t off)
{
    struct link *k = LINK(c, off);

    k->prev = l->last;
    k->next = NULL;
    if (l->last) {
        LINK(l->last, off)->next = c;
    } else {
        l->first = c;
    }
    l->last = c;
}

static void list_remove(struct list *l, struct srv_conn *c, size_t off)
{
    struct link *k = LINK(c, off);

    if (k->prev) {
        LINK(k->prev, off)->next = k->next;
    } else {
        l->first = k->next;
    }
    if (k->next) {
        LINK(k->next, off)->prev = k->prev;
    } else {
        l->last = k->prev;
    }
    k->prev = k->next = NULL;
}

#define OFF_STATE offsetof(struct srv_conn, in_state)
#define OFF_GROUP offsetof(struct srv_conn, in_group)

struct srv_conns *srv_conns_new(const struct srv_conn_limits *lim,
                                srv_conn_kick_fn kick,
                                srv_conn_behind_fn behind, void *ctx)
{
    struct srv_conns *t = calloc(1, sizeof(*t));
    size_t n = 64;

    if (!t) {
        return NULL;
    }
    while (n < (size_t)lim->max_conns * 2 && n < ((size_t)1 << 20)) {
        n *= 2;
    }
    t->buckets = calloc(n, sizeof(t->buckets[0]));
    if (!t->buckets) {
        free(t);
        return NULL;
    }
    t->nbuckets = n;
    t->lim = *lim;
    if (t->lim.reserve >= t->lim.max_conns) {
        t->lim.reserve = t->lim.max_conns / 4;
    }
    t->kick = kick;
    t->behind = behind;
    t->ctx = ctx;
    pthread_mutex_init(&t->mu, NULL);
    return t;
}

void srv_conns_free(struct srv_conns *t)
{
    if (!t) {
        return;
    }
    pthread_mutex_destroy(&t->mu);
    free(t->buckets);
    free(t);
}

static size_t bucket_of(const struct srv_conns *t, const uint8_t key[12])
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    size_t i;

    for (i = 0; i < 12; i++) {
        h = (h ^ key[i]) * 1099511628211ull;
    }
    return (size_t)(h & (t->nbuckets - 1));
}

static struct group *group_find(struct srv_conns *t, const struct srv_addr *a,
                                bool create)
{
    uint8_t key[12];
    size_t b;
    struct group *g;

    srv_addr_group_key(a, key);
    b = bucket_of(t, key);
    for (g = t->buckets[b]; g; g = g->next) {
        if (memcmp(g->key, key, sizeof(key)) == 0) {
            return g;
        }
    }
    if (!create) {
        return NULL;
    }
    g = calloc(1, sizeof(*g));
    if (!g) {
        return NULL;
    }
    memcpy(g->key, key, sizeof(key));
    g->next = t->buckets[b];
    t->buckets[b] = g;
    return g;
}

static void group_unref(struct srv_conns *t, struct group *g)
{
    struct group **pp;

    if (--g->refs > 0) {
        return;
    }
    for (pp = &t->buckets[bucket_of(t, g->key)]; *pp; pp = &(*pp)->next) {
        if (*pp == g) {
            *pp = g->next;
            break;
        }
    }
    free(g);
}

static bool counted_untrusted(const struct srv_conn *c)
{
    return !c->trusted && !c->kicked;
}

/* Takes the record out of the state lists it is in. */
static void unlist(struct srv_conns *t, struct srv_conn *c)
{
    if (c->state < NLISTED && !c->kicked) {
        list_remove(&t->lists[c->state][c->trusted], c, OFF_STATE);
    }
}

static void enter(struct srv_conns *t, struct srv_conn *c, enum state s,
                  int64_t deadline)
{
    if (c->kicked) {
        return;
    }
    unlist(t, c);
    if (s == ST_HEAD) {
        c->graced = 0; /* a new request: grace anew */
    }
    c->state = s;
    c->deadline = deadline;
    if (s < NLISTED) {
        list_append(&t->lists[s][c->trusted], c, OFF_STATE);
    }
}

/* Shuts the connection down and stops counting it: it is gone as far as
 * the budgets are concerned, before libmicrohttpd gets round to closing
 * it. */
static void kick(struct srv_conns *t, struct srv_conn *c)
{
    unlist(t, c);
    if (counted_untrusted(c)) {
        t->untrusted--;
        if (!c->exempt) {
            c->group->untrusted--;
        }
        list_remove(&c->group->conns, c, OFF_GROUP);
    }
    t->open--;
    c->kicked = true;
    t->kick(t->ctx, c->fd);
}

/* The untrusted connection to shed for room: in `g`'s list (or, with g
 * NULL, of all), the oldest still sending its head, else the oldest still
 * sending a body. */
static struct srv_conn *victim(struct srv_conns *t, struct group *g)
{
    struct srv_conn *c, *body = NULL;

    if (!g) {
        c = t->lists[ST_HEAD][0].first;
        return c ? c : t->lists[ST_BODY][0].first;
    }
    for (c = g->conns.first; c; c = c->in_group.next) {
        if (c->state == ST_HEAD) {
            return c;
        }
        if (c->state == ST_BODY && !body) {
            body = c;
        }
    }
    return body;
}

bool srv_conn_admit(struct srv_conns *t, const struct srv_addr *a, bool exempt,
                    int64_t now_us)
{
    struct group *g;
    struct srv_conn *v;
    bool ok = true;

    (void)now_us;
    pthread_mutex_lock(&t->mu);
    g = exempt ? NULL : group_find(t, a, false);
    if (g && g->untrusted >= t->lim.max_per_addr) {
        v = victim(t, g);
        if (v) {
            kick(t, v);
            t->kicked_for_room++;
        } else {
            ok = false;
        }
    }
    if (ok && (t->open >= t->lim.max_conns ||
               t->untrusted >= t->lim.max_conns - t->lim.reserve)) {
        v = victim(t, NULL);
        if (v) {
            kick(t, v);
            t->kicked_for_room++;
        } else {
            ok = false;
        }
    }
    if (!ok) {
        t->refused++;
    }
    pthread_mutex_unlock(&t->mu);
    return ok;
}

struct srv_conn *srv_conn_open(struct srv_conns *t, int fd,
                               const struct srv_addr *a, bool exempt,
                               int64_t now_us)
{
    struct srv_conn *c = calloc(1, sizeof(*c));

    if (!c) {
        return NULL;
    }
    pthread_mutex_lock(&t->mu);
    c->group = group_find(t, a, true);
    if (!c->group) {
        pthread_mutex_unlock(&t->mu);
        free(c);
        return NULL;
    }
    c->group->refs++;
    c->fd = fd;
    c->exempt = exempt;
    c->state = ST_WORK; /* so that enter() finds it in no list */
    t->open++;
    t->untrusted++;
    if (!exempt) {
        c->group->untrusted++;
    }
    list_append(&c->group->conns, c, OFF_GROUP);
    enter(t, c, ST_HEAD, now_us + t->lim.head_us);
    pthread_mutex_unlock(&t->mu);
    return c;
}

void srv_conn_close(struct srv_conns *t, struct srv_conn *c)
{
    if (!c) {
        return;
    }
    pthread_mutex_lock(&t->mu);
    if (!c->kicked) {
        unlist(t, c);
        if (!c->trusted) {
            t->untrusted--;
            if (!c->exempt) {
                c->group->untrusted--;
            }
            list_remove(&c->group->conns, c, OFF_GROUP);
        }
        t->open--;
    }
    group_unref(t, c->group);
    pthread_mutex_unlock(&t->mu);
    free(c);
}

/* now + base + bytes at the minimum rate, without overflow. */
static int64_t deadline(const struct srv_conns *t, int64_t now_us,
                        int64_t base_us, uint64_t bytes)
{
    uint64_t rate = t->lim.min_rate ? t->lim.min_rate : 1;
    uint64_t extra = bytes / rate;

    if (extra > 24u * 3600u) {
        extra = 24u * 3600u;
    }
    return now_us + base_us + (int64_t)extra * 1000000 +
           (int64_t)(bytes % rate * 1000000 / rate);
}

void srv_conn_head_done(struct srv_conns *t, struct srv_conn *c,
                        uint64_t body_len, int64_t now_us)
{
    if (!c) {
        return;
    }
    pthread_mutex_lock(&t->mu);
    if (body_len) {
        enter(t, c, ST_BODY, deadline(t, now_us, t->lim.body_us, body_len));
    } else {
        enter(t, c, ST_WORK, 0);
    }
    pthread_mutex_unlock(&t->mu);
}

void srv_conn_working(struct srv_conns *t, struct srv_conn *c)
{
    if (!c) {
        return;
    }
    pthread_mutex_lock(&t->mu);
    enter(t, c, ST_WORK, 0);
    pthread_mutex_unlock(&t->mu);
}

void srv_conn_answering(struct srv_conns *t, struct srv_conn *c, uint64_t bytes,
                        int64_t now_us)
{
    if (!c) {
        return;
    }
    pthread_mutex_lock(&t->mu);
    enter(t, c, ST_ANSWER, deadline(t, now_us, t->lim.body_us, bytes));
    pthread_mutex_unlock(&t->mu);
}

void srv_conn_idle(struct srv_conns *t, struct srv_conn *c, int64_t now_us)
{
    if (!c) {
        return;
    }
    pthread_mutex_lock(&t->mu);
    enter(t, c, ST_HEAD, now_us + t->lim.head_us);
    pthread_mutex_unlock(&t->mu);
}

void srv_conn_trust(struct srv_conns *t, struct srv_conn *c)
{
    if (!c) {
        return;
    }
    pthread_mutex_lock(&t->mu);
    if (!c->trusted && !c->kicked) {
        unlist(t, c);
        t->untrusted--;
        if (!c->exempt) {
            c->group->untrusted--;
        }
        list_remove(&c->group->conns, c, OFF_GROUP);
        c->trusted = true;
        if (c->state < NLISTED) {
            list_append(&t->lists[c->state][1], c, OFF_STATE);
        }
    }
    pthread_mutex_unlock(&t->mu);
}

unsigned srv_conn_sweep(struct srv_conns *t, int64_t now_us)
{
    unsigned n = 0;
    int s, k;

    pthread_mutex_lock(&t->mu);
    for (s = 0; s < NLISTED; s++) {
        for (k = 0; k < 2; k++) {
            struct srv_conn *c = t->lists[s][k].first, *next;
            for (; c; c = next) {
                next = c->in_state.next;
                if (!c->deadline || c->deadline > now_us) {
                    continue;
                }
                if (t->behind && c->graced < SRV_CONN_GRACE_US &&
                    t->behind(t->ctx, c->fd, s == ST_ANSWER)) {
                    /* the server's own delay, not the client's */
                    c->deadline = now_us + 1000000;
                    c->graced += 1000000;
                    continue;
                }
                kick(t, c);
                n++;
            }
        }
    }
    t->kicked_deadline += n;
    pthread_mutex_unlock(&t->mu);
    return n;
}

void srv_conn_stats(struct srv_conns *t, struct srv_conn_stats *out)
{
    pthread_mutex_lock(&t->mu);
    out->open = t->open;
    out->untrusted = t->untrusted;
    out->kicked_deadline = t->kicked_deadline;
    out->kicked_for_room = t->kicked_for_room;
    out->refused = t->refused;
    pthread_mutex_unlock(&t->mu);
}
