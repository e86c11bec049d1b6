/*
 * srv_demo.c: demo centres, organisations, screens and plain-language
 * bulletins and events (see srv_demo.h). Everything goes through the store
 * interface, like the API does, so the demo also exercises it.
 */
#include "srv_demo.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "srv_auth.h"
#include "srv_json.h"
#include "srv_recur.h"
#include "taulu_time.h"
#include "taulu_crypto.h"
#include "taulu_err.h"
#include "taulu_file.h"
#include "taulu_log.h"

#define TAG "demo"

/* Opening hours in the store's form: Monday first, null = closed. */
#define WEEKDAYS(o, c)                                                         \
    "[{\"open\":\"" o "\",\"close\":\"" c "\"},{\"open\":\"" o                 \
    "\",\"close\":\"" c "\"},{\"open\":\"" o "\",\"close\":\"" c               \
    "\"},{\"open\":\"" o "\",\"close\":\"" c "\"},{\"open\":\"" o              \
    "\",\"close\":\"" c "\"},null,null]"

/* Each centre's name and its short form for the screens' header, and its
 * names in its other languages (the store's JSON). */
static const struct demo_centre {
    const char *name, *short_name, *names, *municipality, *address, *hours,
        *languages;
} centres[] = {
    {"Tuiran hyvinvointikeskus", "Tuira", "{}", "564",
     "Kuusikkotie 2, 90500 Oulu", WEEKDAYS("08:00", "16:00"), "[\"fi\"]"},
    {"Kaakkurin sote-keskus", "Kaakkuri", "{}", "564",
     "Kaakkurinkuja 4, 90410 Oulu", WEEKDAYS("08:00", "16:00"), "[\"fi\"]"},
    {"Raahen sote-keskus", "Raahe", "{}", "678", "Rantakatu 11, 92100 Raahe",
     WEEKDAYS("08:00", "18:00"), "[\"fi\"]"},
    {"Perhekeskus Meri", "Meri",
     "{\"sv\":{\"name\":\"Familjecentret Havet\",\"short\":\"Havet\"}}", "564",
     "Merikoskenkatu 3, 90500 Oulu", WEEKDAYS("09:00", "16:00"),
     "[\"fi\",\"sv\"]"},
};

static const struct demo_org {
    const char *name, *kind;
} orgs[] = {
    {"Oulun Muistiyhdistys", "ngo"},
    {"Tuiran seurakunta", "parish"},
    {"Pohjois-Pohjanmaan Omaishoitajat", "ngo"},
    {"Svenska föreningen i Uleåborg", "ngo"},
    {"Raahen Vapaaehtoiskeskus", "ngo"},
    {"Pohjoisen Ystäväpiiri", "ngo"},
};

static const struct demo_screen {
    int centre;
    const char *name, *orientation;
    int w, h;
    double diagonal, distance;
} screens[] = {
    /* Each holds at least 4 lines under a one-line title
     * (POST /screens/profile-check): a lobby's large panel read from
     * across the hall, the county's usual 55" from the waiting chairs, and
     * portrait panels where people pass close by. */
    {0, "Tuira, aula", "landscape", 1920, 1080, 65.0, 3.5},
    {0, "Tuira, hissien vieressä", "portrait", 1080, 1920, 43.0, 2.5},
    {1, "Kaakkuri, odotustila", "landscape", 1920, 1080, 55.0, 2.5},
    {2, "Raahe, pääaula", "landscape", 1920, 1080, 75.0, 4.0},
    {3, "Perhekeskus, leikkihuoneen ovi", "portrait", 1080, 1920, 43.0, 2.0},
};

/* body: the whole text (the web); summary: what the screens show, written
 * for one card, one page on every demo screen (test_srv_demo_fit). */
struct demo_text {
    const char *lang, *title, *body, *place, *price, *registration, *contact,
        *summary;
};

/* day: days from today; start/end: minutes after local midnight; a
 * bulletin has day < 0 and shows for `days` days. */
static const struct demo_item {
    int org;
    const char *kind, *category, *link;
    int day, start_min, end_min, days;
    bool free_of_charge, step_free, induction_loop;
    int centres[4];
    int n_centres;
    struct demo_text texts[2];
    int weeks; /* > 0: the event repeats weekly on its day, that many times */
} items[] = {
    {0,
     "event",
     "ihmissuhteet",
     "https://muistiyhdistys.example.fi/kahvila",
     1,
     14 * 60,
     16 * 60,
     0,
     true,
     true,
     false,
     {0, 1},
     2,
     {{"fi", "Muistikahvila",
       "Tule juttelemaan ja juomaan kahvia. Voit tuoda läheisen mukaan. "
       "Paikalla on muistihoitaja. Hän vastaa kysymyksiin muistista. "
       "Kahvila on seurakuntatalossa, Koskitie 4. Kahvilaan ei tarvitse "
       "ilmoittautua. Kysy lisää: puhelin 040 123 4567.",
       "Seurakuntatalo", "Maksuton", NULL, NULL, "Kahvia ja juttua."}},
     8},
    {1,
     "event",
     "toimeentulo",
     NULL,
     3,
     12 * 60,
     14 * 60,
     0,
     true,
     true,
     false,
     {0},
     1,
     {{"fi", "Ruoka-apu",
       "Seurakunta jakaa ruokakasseja. Kassi on ilmainen. Et tarvitse "
       "todistusta tuloista. Ota oma kassi mukaan. Ei ilmoittautumista. "
       "Jono alkaa kello 11.",
       "Tuiran kirkon kerhotila", "Maksuton", NULL, NULL,
       "Ilmainen ruokakassi. Ota oma kassi mukaan."}},
     0},
    {2,
     "event",
     "ihmissuhteet",
     "https://omaishoitajat.example.fi/ryhmat",
     6,
     17 * 60,
     18 * 60 + 30,
     0,
     true,
     true,
     false,
     {2, 1},
     2,
     {{"fi", "Vertaisryhmä omaishoitajille",
       "Hoidatko läheistäsi kotona? Tule tapaamaan muita omaishoitajia. "
       "Voit kertoa omista asioistasi. Voit myös vain kuunnella. "
       "Ilmoittaudu Sannalle, puhelin 044 765 4321.",
       "Ryhmähuone 2", "Maksuton", NULL, NULL,
       "Ilmoittaudu Sannalle: 044 765 4321."}},
     0},
    {3,
     "event",
     "ihmissuhteet",
     NULL,
     2,
     9 * 60 + 30,
     11 * 60 + 30,
     0,
     true,
     true,
     false,
     {3},
     1,
     {{"sv", "Familjecafé på svenska",
       "Välkommen till familjecaféet. Barnen leker och de vuxna dricker "
       "kaffe. Du kan prata svenska med andra familjer. Ingen anmälan.",
       "Familjecentret, lekrummet", "Gratis", NULL, NULL,
       "Barnen leker, de vuxna dricker kaffe."},
      {"fi", "Ruotsinkielinen perhekahvila",
       "Tervetuloa perhekahvilaan. Lapset leikkivät ja aikuiset juovat "
       "kahvia. Kahvilassa puhutaan ruotsia. Ei ilmoittautumista.",
       "Perhekeskus, leikkihuone", "Maksuton", NULL, NULL,
       "Lapset leikkivät, aikuiset juovat kahvia."}},
     0},
    {4,
     "bulletin",
     "osallisuus",
     "https://vapaaehtoiset.example.fi",
     -1,
     0,
     0,
     30,
     false,
     false,
     false,
     {2},
     1,
     {{"fi", "Tule vapaaehtoiseksi",
       "Haluatko auttaa muita? Etsimme ulkoiluystäviä. Voit lähteä "
       "ikääntyneen ihmisen kanssa kävelylle. Sinä päätät, kuinka usein "
       "autat. Saat koulutuksen ja tukea.",
       NULL, NULL, NULL, "050 987 6543",
       "Lähde ikääntyneen kanssa kävelylle. Saat koulutuksen."}},
     0},
    {5,
     "bulletin",
     "terveys-hyvinvointi",
     NULL,
     -1,
     0,
     0,
     60,
     false,
     false,
     false,
     {0, 1, 2, 3},
     4,
     {{"fi", "Juttuseuraa puhelimessa",
       "Tuntuuko, että olet yksin? Soita meille, niin jutellaan. Vastaamme "
       "arkisin kello 10–14. Puhelu on maksuton.",
       NULL, "Maksuton", NULL, "0800 100 200",
       "Soita, niin jutellaan. Arkisin kello 10–14."},
      {"sv", "Någon att prata med",
       "Känner du dig ensam? Ring oss, så pratar vi. Vi svarar på vardagar "
       "klockan 10–14. Samtalet är gratis.",
       NULL, "Gratis", NULL, "0800 100 200",
       "Ring oss, så pratar vi. Vardagar klockan 10–14."}},
     0},
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Local time in Helsinki, `days` from today at `min` minutes. */
static int64_t local_at(int64_t now, int days, int min)
{
    const struct taulu_tz *tz = taulu_tz_by_name("Europe/Helsinki");
    struct taulu_civil c;
    int64_t t = now;
    int y, m, d;

    if (!tz || taulu_time_to_civil(now, tz, &c) < 0) {
        return now + (int64_t)days * 86400;
    }
    taulu_civil_from_days(taulu_days_from_civil(c.year, c.month, c.day) + days,
                          &y, &m, &d);
    if (taulu_time_from_civil(tz, y, m, d, min / 60, min % 60, 0, &t) < 0) {
        return now + (int64_t)days * 86400;
    }
    return t;
}

/* Makes the event `it` (its first occurrence set) repeat on its weekday
 * for `weeks` weeks, shown until the last one ends. */
static int demo_series(struct srv_pool *pool, struct srv_item *it, int weeks)
{
    struct taulu_series s;
    cJSON *j;
    char *text;

    memset(&s, 0, sizeof s);
    s.rule.freq = TAULU_RECUR_WEEKLY;
    s.rule.interval = 1;
    s.rule.n_days = 1;
    s.rule.days[0].wday =
        taulu_recur_wday(taulu_recur_local_day(it->starts_at, SRV_RECUR_TZ));
    s.rule.until = taulu_recur_local_day(it->starts_at, SRV_RECUR_TZ) +
                   7 * (int64_t)(weeks - 1);
    s.start = it->starts_at;
    s.end = it->ends_at;
    if (taulu_series_check(&s, SRV_RECUR_TZ, NULL) < 0) {
        return TAULU_EVALUE;
    }
    j = taulu_recur_to_json(&s.rule);
    text = j ? cJSON_PrintUnformatted(j) : NULL;
    cJSON_Delete(j);
    if (!text) {
        return TAULU_ENOMEM;
    }
    it->recurrence = srv_pool_strdup(pool, text);
    cJSON_free(text);
    it->series_end = taulu_series_last_end(&s, SRV_RECUR_TZ);
    it->display_until = it->series_end;
    return it->recurrence ? 0 : TAULU_ENOMEM;
}

/* The version snapshot, in the shape of the API's item content. */
static char *snapshot(const struct srv_item *it)
{
    cJSON *o = cJSON_CreateObject(), *texts;
    char *s;
    size_t i;

    cJSON_AddStringToObject(o, "kind", it->kind);
    cJSON_AddStringToObject(o, "category", it->category);
    srv_json_add_time(o, "starts_at", it->starts_at);
    srv_json_add_time(o, "ends_at", it->ends_at);
    cJSON_AddBoolToObject(o, "free", it->free_of_charge);
    cJSON_AddBoolToObject(o, "step_free", it->step_free);
    cJSON_AddBoolToObject(o, "induction_loop", it->induction_loop);
    srv_json_add_str(o, "link", it->link);
    srv_json_add_str(o, "image_sha256", it->image_sha256);
    srv_json_add_time(o, "display_from", it->display_from);
    srv_json_add_time(o, "display_until", it->display_until);
    if (it->recurrence) {
        cJSON_AddItemToObject(o, "recurrence", cJSON_Parse(it->recurrence));
    }
    texts = cJSON_AddObjectToObject(o, "texts");
    for (i = 0; i < it->n_texts; i++) {
        const struct srv_item_text *t = &it->texts[i];
        cJSON *x = cJSON_AddObjectToObject(texts, t->lang);
        cJSON_AddBoolToObject(x, "plain", t->plain);
        cJSON_AddStringToObject(x, "title", t->title);
        cJSON_AddStringToObject(x, "body", t->body);
        if (t->summary) {
            cJSON_AddStringToObject(x, "summary", t->summary);
        }
        srv_json_add_str(x, "place", t->place);
        srv_json_add_str(x, "price", t->price);
        srv_json_add_str(x, "registration", t->registration);
        srv_json_add_str(x, "contact", t->contact);
        srv_json_add_str(x, "image_alt", t->image_alt);
    }
    s = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return s;
}

int srv_demo_seed(struct srv_store *store, const char *data_dir)
{
    struct srv_pool pool;
    struct srv_centre *existing = NULL;
    int64_t centre_ids[N(centres)], org_ids[N(orgs)], coord = 0, area = 0;
    int64_t now = taulu_now();
    struct taulu_buf tokens, login;
    char path[600], pw[32], hash[SRV_PWHASH_STRLEN];
    size_t n = 0, i, k;
    int rc;

    srv_pool_init(&pool);
    taulu_buf_init(&tokens, 64 * 1024);
    taulu_buf_init(&login, 4096);
    rc = srv_store_centre_list(store, &pool, &existing, &n);
    if (rc < 0 || n > 0) {
        if (n > 0) {
            taulu_info(TAG, "the database has content already; not seeding");
        }
        goto out;
    }
    if (!data_dir || !data_dir[0]) {
        rc = TAULU_ECONFIG;
        goto out;
    }
    taulu_info(TAG, "seeding demo content");

    /* The demo coordinator approves everything; a generated password,
     * written where only the owner can read it. */
    {
        struct srv_user u;
        memset(&u, 0, sizeof u);
        u.email = "koordinaattori@demo.invalid";
        u.name = "Demo-koordinaattori";
        u.coordinator = true;
        srv_auth_new_password(pw, sizeof pw);
        rc = srv_auth_hash_password(pw, hash);
        if (rc == 0) {
            rc = srv_store_user_create(store, 0, &u, hash, &coord);
        }
        if (rc == 0) {
            rc = taulu_buf_appendf(&login, "email: %s\npassword: %s\n", u.email,
                                   pw);
        }
        taulu_wipe(pw, sizeof pw);
        if (rc < 0) {
            goto out;
        }
    }
    rc = srv_store_area_create(store, coord, "Oulu ja Raahe", &area);
    for (i = 0; rc == 0 && i < N(centres); i++) {
        struct srv_centre c;
        memset(&c, 0, sizeof c);
        c.area_id = area;
        c.name = centres[i].name;
        c.municipality = centres[i].municipality;
        c.address = centres[i].address;
        c.opening_hours = centres[i].hours;
        c.languages = centres[i].languages;
        c.withdraw_on_edit = true;
        c.short_name = centres[i].short_name;
        c.names = centres[i].names;
        rc = srv_store_centre_create(store, coord, &c, &centre_ids[i]);
    }
    for (i = 0; rc == 0 && i < N(orgs); i++) {
        struct srv_org o;
        memset(&o, 0, sizeof o);
        o.name = orgs[i].name;
        o.kind = orgs[i].kind;
        rc = srv_store_org_create(store, coord, &o, &org_ids[i]);
    }
    for (i = 0; rc == 0 && i < N(screens); i++) {
        struct srv_screen s;
        char tok[SRV_TOKEN_LEN + 1];
        uint8_t th[32];
        int64_t id;

        memset(&s, 0, sizeof s);
        s.centre_id = centre_ids[screens[i].centre];
        s.name = screens[i].name;
        s.orientation = screens[i].orientation;
        s.width_px = screens[i].w;
        s.height_px = screens[i].h;
        s.diagonal_in = screens[i].diagonal;
        s.viewing_distance_m = screens[i].distance;
        srv_auth_new_secret(SRV_TOKEN_SCREEN, tok, sizeof tok, th);
        rc = srv_store_screen_create(store, coord, &s, th, &id);
        if (rc == 0) {
            rc = taulu_buf_appendf(&tokens, "screen-%lld %s\n", (long long)id,
                                   tok);
        }
        taulu_wipe(tok, sizeof tok);
    }
    for (i = 0; rc == 0 && i < N(items); i++) {
        const struct demo_item *d = &items[i];
        struct srv_item it, got;
        struct srv_item_text t[2];
        int64_t cs[4], id;
        char *snap;

        memset(&it, 0, sizeof it);
        memset(t, 0, sizeof t);
        it.org_id = org_ids[d->org];
        it.kind = d->kind;
        it.category = d->category;
        it.link = d->link;
        it.free_of_charge = d->free_of_charge;
        it.step_free = d->step_free;
        it.induction_loop = d->induction_loop;
        it.created_by = coord;
        if (d->day >= 0) {
            it.starts_at = local_at(now, d->day, d->start_min);
            it.ends_at = local_at(now, d->day, d->end_min);
            it.display_until = it.ends_at;
            if (d->weeks > 0) {
                /* the weekly memory café: entered once */
                rc = demo_series(&pool, &it, d->weeks);
                if (rc < 0) {
                    break;
                }
            }
        } else {
            it.display_until = now + (int64_t)d->days * 86400;
        }
        for (k = 0; k < 2 && d->texts[k].lang; k++) {
            t[k].lang = d->texts[k].lang;
            t[k].plain = true;
            t[k].title = d->texts[k].title;
            t[k].body = d->texts[k].body;
            t[k].place = d->texts[k].place;
            t[k].price = d->texts[k].price;
            t[k].registration = d->texts[k].registration;
            t[k].contact = d->texts[k].contact;
            t[k].summary = d->texts[k].summary;
        }
        it.texts = t;
        it.n_texts = k;
        for (k = 0; k < (size_t)d->n_centres; k++) {
            cs[k] = centre_ids[d->centres[k]];
        }
        snap = snapshot(&it);
        if (!snap) {
            rc = TAULU_ENOMEM;
            break;
        }
        rc = srv_store_item_create(store, coord, &it, cs, (size_t)d->n_centres,
                                   snap, &id);
        cJSON_free(snap);
        if (rc == 0) {
            rc = srv_store_item_get(store, &pool, id, &got);
        }
        /* Approved at every centre, from now until it ends. */
        for (k = 0; rc == 0 && k < got.n_placements; k++) {
            rc = srv_store_placement_decide(store, coord, got.placements[k].id,
                                            SRV_PL_APPROVED, got.version,
                                            "Demo", now - 60, it.display_until);
        }
    }
    if (rc < 0) {
        taulu_err(TAG, "seeding failed: %s", taulu_strerror(rc));
        goto out;
    }
    snprintf(path, sizeof path, "%s/demo-tokens", data_dir);
    rc = taulu_file_write_atomic(path, tokens.data, tokens.len, 0600);
    if (rc == 0) {
        snprintf(path, sizeof path, "%s/demo-login.txt", data_dir);
        rc = taulu_file_write_atomic(path, login.data, login.len, 0600);
    }
    if (rc == 0) {
        taulu_notice(TAG,
                     "demo content ready; the coordinator's sign-in is "
                     "in %s",
                     path);
    }
out:
    taulu_wipe(tokens.data, tokens.len);
    taulu_wipe(login.data, login.len);
    taulu_buf_release(&tokens);
    taulu_buf_release(&login);
    srv_pool_release(&pool);
    return rc;
}

int srv_demo_player_configs(const char *data_dir, struct srv_pubapp *pa,
                            const char *dir)
{
    struct taulu_buf tokens, conf;
    char path[700], pkpath[700], cache[700];
    const char *line;
    int rc;

    taulu_buf_init(&tokens, 64 * 1024);
    taulu_buf_init(&conf, 16 * 1024);
    snprintf(path, sizeof path, "%s/demo-tokens", data_dir);
    rc = taulu_file_read(path, &tokens);
    if (rc < 0) {
        taulu_err(TAG,
                  "no demo tokens in %s (was the database seeded by "
                  "another data dir?)",
                  path);
        goto out;
    }
    rc = taulu_mkdir_p(dir, 0700);
    if (rc < 0) {
        goto out;
    }
    snprintf(pkpath, sizeof pkpath, "%s/server.pub", dir);
    {
        const char *b64 = srv_pub_public_key_b64(pa);
        char text[80];
        int n = snprintf(text, sizeof text, "%s\n", b64);
        rc = taulu_file_write_atomic(pkpath, text, (size_t)n, 0644);
        if (rc < 0) {
            goto out;
        }
    }
    for (line = tokens.data; *line;
         line += strcspn(line, "\n") + (line[strcspn(line, "\n")] ? 1 : 0)) {
        char id[64], tok[128];
        int64_t sid;
        size_t len = strcspn(line, "\n"), sp = strcspn(line, " ");

        if (sp >= len || sp >= sizeof id || len - sp - 1 >= sizeof tok) {
            continue;
        }
        memcpy(id, line, sp);
        id[sp] = '\0';
        memcpy(tok, line + sp + 1, len - sp - 1);
        tok[len - sp - 1] = '\0';
        if (srv_screen_id_parse(id, &sid) != 0) {
            taulu_wipe(tok, sizeof tok);
            continue;
        }
        rc = srv_pub_set_screen_secret(pa, sid, tok);
        snprintf(cache, sizeof cache, "%s/cache-%s", dir, id);
        taulu_buf_reset(&conf);
        if (rc == 0) {
            rc = srv_pub_player_config(pa, sid, tok, pkpath, cache, &conf);
        }
        taulu_wipe(tok, sizeof tok);
        if (rc == 0) {
            snprintf(path, sizeof path, "%s/%s.conf", dir, id);
            rc = taulu_file_write_atomic(path, conf.data, conf.len, 0600);
        }
        taulu_wipe(conf.data, conf.len);
        if (rc < 0) {
            goto out;
        }
    }
    taulu_info(TAG, "player configs written to %s", dir);
out:
    taulu_wipe(tokens.data, tokens.len);
    taulu_buf_release(&tokens);
    taulu_buf_release(&conf);
    return rc;
}
