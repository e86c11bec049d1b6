/*
 * srv_mail_text.c: the messages' words (srv_mail_text.h). Finnish first;
 * each message is written out whole per language rather than pieced
 * together from fragments, so that each reads as its language reads.
 */
#include "srv_mail_text.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "taulu_err.h"
#include "taulu_time.h"

enum lang { FI, SV, EN };

/* One of three literal texts by language; a conditional of literals, so
 * that the compiler still checks format strings against their
 * arguments. */
#define PICK(l, fi, sv, en) ((l) == SV ? (sv) : (l) == EN ? (en) : (fi))

static enum lang lang_of(const char *l)
{
    if (l && strcmp(l, "sv") == 0) {
        return SV;
    }
    if (l && strcmp(l, "en") == 0) {
        return EN;
    }
    return FI;
}

void srv_mail_time(const char *lang, int64_t t, char *out, size_t size)
{
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr",
                                         "May", "Jun", "Jul", "Aug",
                                         "Sep", "Oct", "Nov", "Dec"};
    struct taulu_civil c;

    if (taulu_time_to_civil(t, &taulu_tz_helsinki, &c) != 0) {
        snprintf(out, size, "?");
        return;
    }
    switch (lang_of(lang)) {
    case SV:
        snprintf(out, size, "%d.%d.%d kl. %02d.%02d", c.day, c.month, c.year,
                 c.hour, c.min);
        break;
    case EN:
        snprintf(out, size, "%d %s %d at %02d:%02d", c.day, months[c.month - 1],
                 c.year, c.hour, c.min);
        break;
    default:
        snprintf(out, size, "%d.%d.%d klo %02d.%02d", c.day, c.month, c.year,
                 c.hour, c.min);
        break;
    }
}

/* A date without the time. */
static void date_only(int64_t t, char *out, size_t size)
{
    struct taulu_civil c;

    if (taulu_time_to_civil(t, &taulu_tz_helsinki, &c) != 0) {
        snprintf(out, size, "?");
        return;
    }
    snprintf(out, size, "%d.%d.%d", c.day, c.month, c.year);
}

/* The end of every message: nobody reads replies. */
static int footer(enum lang l, struct taulu_buf *b)
{
    return taulu_buf_puts(
        b, PICK(l,
                "\n-- \nInfotaulu. Tämä on automaattinen viesti: siihen ei "
                "voi vastata.\n",
                "\n-- \nInfotaulu. Det här är ett automatiskt meddelande: "
                "det går inte att svara på det.\n",
                "\n-- \nInfotaulu. This message was sent automatically: "
                "replies are not read.\n"));
}

/* Notifications also say how to stop them. */
static int footer_notify(enum lang l, const char *base, struct taulu_buf *b)
{
    int rc = taulu_buf_appendf(
        b,
        PICK(l,
             "\nEtkö halua näitä viestejä? Voit lopettaa ne Oma tili "
             "-sivulla:\n%s/account.html\n",
             "\nVill du inte ha de här meddelandena? Du kan stänga av dem på "
             "sidan Mitt konto:\n%s/account.html\n",
             "\nDon't want these messages? You can turn them off on the My "
             "account page:\n%s/account.html\n"),
        base);

    return rc < 0 ? rc : footer(l, b);
}

static int done(int rc)
{
    return rc < 0 ? rc : 0;
}

int srv_mail_text_invite(const struct srv_mail_ctx *c, const char *by,
                         const char *link, int64_t expires,
                         struct taulu_buf *subject, struct taulu_buf *body)
{
    enum lang l = lang_of(c->lang);
    char when[64];
    int rc;

    srv_mail_time(c->lang, expires, when, sizeof(when));
    switch (l) {
    case SV:
        rc = taulu_buf_puts(subject,
                            "Välkommen till Infotaulu – välj ett lösenord");
        if (rc >= 0) {
            rc = taulu_buf_appendf(
                body,
                "Hej %s,\n\n%s%s%s"
                "Via Infotaulu skickar organisationer meddelanden och "
                "evenemang till infoskärmarna på social- och "
                "hälsocentralerna.\n\n"
                "Välj ditt lösenord via den här länken:\n%s\n\n"
                "Länken fungerar till %s och bara en gång. Om den inte "
                "längre fungerar, be personen som skapade ditt konto om en "
                "ny inbjudan.\n\n"
                "Du loggar in med din e-postadress: %s\n\n"
                "Om du inte väntade dig det här meddelandet kan du lämna "
                "det obesvarat.\n",
                c->name, *by ? by : "",
                *by ? " har skapat ett konto åt dig "
                      "i Infotaulu.\n"
                    : "",
                *by ? "" : "Ett konto har skapats åt dig i Infotaulu.\n", link,
                when, c->email);
        }
        break;
    case EN:
        rc =
            taulu_buf_puts(subject, "Welcome to Infotaulu – choose a password");
        if (rc >= 0) {
            rc = taulu_buf_appendf(
                body,
                "Hello %s,\n\n%s%s%s"
                "Through Infotaulu, associations send bulletins and events "
                "to the info screens of the social and health centres.\n\n"
                "Choose your password with this link:\n%s\n\n"
                "The link works until %s, and only once. If it no longer "
                "works, ask the person who made your account for a new "
                "invitation.\n\n"
                "You sign in with your e-mail address: %s\n\n"
                "If you did not expect this message, you can ignore it.\n",
                c->name, *by ? by : "",
                *by ? " has made you an account in Infotaulu.\n" : "",
                *by ? "" : "An account has been made for you in Infotaulu.\n",
                link, when, c->email);
        }
        break;
    default:
        rc = taulu_buf_puts(subject,
                            "Tervetuloa Infotauluun – valitse salasana");
        if (rc >= 0) {
            rc = taulu_buf_appendf(
                body,
                "Hei %s,\n\n%s%s%s"
                "Infotaulun kautta järjestöt lähettävät tiedotteita ja "
                "tapahtumia sote-keskusten infonäytöille.\n\n"
                "Valitse itsellesi salasana tästä linkistä:\n%s\n\n"
                "Linkki toimii %s asti ja vain kerran. Jos linkki ei enää "
                "toimi, pyydä uusi kutsu henkilöltä, joka teki "
                "tunnuksesi.\n\n"
                "Kirjaudut sisään sähköpostiosoitteellasi: %s\n\n"
                "Jos et odottanut tätä viestiä, voit jättää sen "
                "huomiotta.\n",
                c->name, *by ? by : "",
                *by ? " on tehnyt sinulle tunnuksen Infotauluun.\n" : "",
                *by ? "" : "Sinulle on tehty tunnus Infotauluun.\n", link, when,
                c->email);
        }
        break;
    }
    return done(rc < 0 ? rc : footer(l, body));
}

int srv_mail_text_reset(const struct srv_mail_ctx *c, const char *by,
                        const char *link, int64_t expires,
                        struct taulu_buf *subject, struct taulu_buf *body)
{
    enum lang l = lang_of(c->lang);
    bool forced = by && *by;
    char when[64];
    int rc;

    srv_mail_time(c->lang, expires, when, sizeof(when));
    switch (l) {
    case SV:
        rc = taulu_buf_puts(subject, "Nytt lösenord till Infotaulu");
        if (rc >= 0 && forced) {
            rc = taulu_buf_appendf(
                body,
                "Hej %s,\n\n%s har bett att du väljer ett nytt lösenord "
                "till Infotaulu. Ditt gamla lösenord fungerar inte "
                "längre.\n\n",
                c->name, by);
        } else if (rc >= 0) {
            rc = taulu_buf_appendf(
                body,
                "Hej %s,\n\nNågon (förhoppningsvis du) bad om ett nytt "
                "lösenord till Infotaulu för kontot %s.\n\n",
                c->name, c->email);
        }
        if (rc >= 0) {
            rc = taulu_buf_appendf(
                body,
                "Välj ett nytt lösenord via den här länken:\n%s\n\n"
                "Länken fungerar till %s och bara en gång.\n",
                link, when);
        }
        if (rc >= 0 && !forced) {
            rc = taulu_buf_puts(body,
                                "\nOm du inte bad om ett nytt lösenord kan "
                                "du lämna det här meddelandet utan åtgärd. "
                                "Ditt gamla lösenord fungerar fortfarande.\n");
        }
        break;
    case EN:
        rc = taulu_buf_puts(subject, "A new password for Infotaulu");
        if (rc >= 0 && forced) {
            rc = taulu_buf_appendf(
                body,
                "Hello %s,\n\n%s has asked you to choose a new password "
                "for Infotaulu. Your old password no longer works.\n\n",
                c->name, by);
        } else if (rc >= 0) {
            rc = taulu_buf_appendf(
                body,
                "Hello %s,\n\nSomeone (hopefully you) asked for a new "
                "password to Infotaulu for the account %s.\n\n",
                c->name, c->email);
        }
        if (rc >= 0) {
            rc = taulu_buf_appendf(
                body,
                "Choose a new password with this link:\n%s\n\n"
                "The link works until %s, and only once.\n",
                link, when);
        }
        if (rc >= 0 && !forced) {
            rc =
                taulu_buf_puts(body, "\nIf you did not ask for a new password, "
                                     "you can ignore this message. Your old "
                                     "password still works.\n");
        }
        break;
    default:
        rc = taulu_buf_puts(subject, "Uusi salasana Infotauluun");
        if (rc >= 0 && forced) {
            rc = taulu_buf_appendf(
                body,
                "Hei %s,\n\n%s pyysi, että valitset Infotauluun uuden "
                "salasanan. Vanha salasanasi ei enää toimi.\n\n",
                c->name, by);
        } else if (rc >= 0) {
            rc = taulu_buf_appendf(
                body,
                "Hei %s,\n\nJoku (toivottavasti sinä) pyysi uutta "
                "salasanaa Infotauluun tunnukselle %s.\n\n",
                c->name, c->email);
        }
        if (rc >= 0) {
            rc = taulu_buf_appendf(
                body,
                "Valitse uusi salasana tästä linkistä:\n%s\n\n"
                "Linkki toimii %s asti ja vain kerran.\n",
                link, when);
        }
        if (rc >= 0 && !forced) {
            rc = taulu_buf_puts(body, "\nJos et pyytänyt uutta salasanaa, voit "
                                      "jättää tämän viestin huomiotta. Vanha "
                                      "salasanasi toimii edelleen.\n");
        }
        break;
    }
    return done(rc < 0 ? rc : footer(l, body));
}

/* "3 hours", "30 minutes" in the language. */
static void span_words(enum lang l, int64_t s, char *out, size_t size)
{
    static const char *const hours[][2] = {
        {"tunnin", "tunnin"}, {"timme", "timmar"}, {"hour", "hours"}};
    static const char *const mins[][2] = {
        {"minuutin", "minuutin"}, {"minut", "minuter"}, {"minute", "minutes"}};
    int64_t n;

    if (s >= 3600 && s % 3600 == 0) {
        n = s / 3600;
        snprintf(out, size, "%lld %s", (long long)n, hours[l][n != 1]);
    } else {
        n = (s + 59) / 60;
        if (n < 1) {
            n = 1;
        }
        snprintf(out, size, "%lld %s", (long long)n, mins[l][n != 1]);
    }
}

int srv_mail_text_waiting(const struct srv_mail_ctx *c,
                          const struct srv_waiting *w, size_t n, int64_t total,
                          int64_t interval, struct taulu_buf *subject,
                          struct taulu_buf *body)
{
    static const char *const subj1[] = {
        "Hyväksyttävää: 1 ilmoitus odottaa",
        "Att godkänna: 1 meddelande väntar",
        "To review: 1 item is waiting",
    };
    enum lang l = lang_of(c->lang);
    char when[64], span[48];
    size_t i;
    int rc;

    rc = total == 1 ? taulu_buf_puts(subject, subj1[l])
                    : taulu_buf_appendf(
                          subject,
                          PICK(l, "Hyväksyttävää: %lld ilmoitusta odottaa",
                               "Att godkänna: %lld meddelanden väntar",
                               "To review: %lld items are waiting"),
                          (long long)total);
    if (rc >= 0) {
        rc = taulu_buf_appendf(
            body,
            PICK(l,
                 "Hei %s,\n\nInfotauluun on lähetetty ilmoituksia, jotka "
                 "odottavat, "
                 "että hyväksyt ne toimipisteesi näytöille:\n\n",
                 "Hej %s,\n\nTill Infotaulu har det skickats meddelanden som "
                 "väntar "
                 "på att du godkänner dem för skärmarna på ditt "
                 "verksamhetsställe:"
                 "\n\n",
                 "Hello %s,\n\nItems have been sent to Infotaulu that wait for "
                 "you "
                 "to approve them for your centre's screens:\n\n"),
            c->name);
    }
    for (i = 0; rc >= 0 && i < n; i++) {
        srv_mail_time(c->lang, w[i].submitted_at, when, sizeof(when));
        rc = taulu_buf_appendf(body,
                               PICK(l, "- \"%s\" – %s – %s (lähetetty %s)\n",
                                    "- \"%s\" – %s – %s (skickat %s)\n",
                                    "- \"%s\" – %s – %s (sent %s)\n"),
                               w[i].title, w[i].org_name ? w[i].org_name : "",
                               w[i].centre_name ? w[i].centre_name : "", when);
    }
    if (rc >= 0 && total > (int64_t)n) {
        rc = taulu_buf_appendf(body,
                               PICK(l, "- ja %lld muuta\n", "- och %lld till\n",
                                    "- and %lld more\n"),
                               (long long)(total - (int64_t)n));
    }
    if (rc >= 0) {
        span_words(l, interval, span, sizeof(span));
        rc = taulu_buf_appendf(
            body,
            PICK(l,
                 "\nKatso ja hyväksy ne täällä:\n%s/queue.html\n\n"
                 "Saat tällaisen viestin enintään kerran %s aikana.\n",
                 "\nSe och godkänn dem här:\n%s/queue.html\n\n"
                 "Du får ett sådant meddelande högst en gång per %s.\n",
                 "\nSee and approve them here:\n%s/queue.html\n\n"
                 "You get a message like this at most once every %s.\n"),
            c->base_url, span);
    }
    return done(rc < 0 ? rc : footer_notify(l, c->base_url, body));
}

int srv_mail_text_decision(const struct srv_mail_ctx *c, const char *state,
                           const char *reason, const struct srv_decision *d,
                           struct taulu_buf *subject, struct taulu_buf *body)
{
    enum lang l = lang_of(c->lang);
    char from[32], until[32];
    const char *who = d->decider_name && *d->decider_name ? d->decider_name
                      : l == SV                           ? "Kontaktpersonen"
                      : l == EN                           ? "The contact person"
                                                          : "Yhdyshenkilö";
    int rc;

    date_only(d->display_from, from, sizeof(from));
    date_only(d->display_until, until, sizeof(until));
    if (!reason) {
        reason = "";
    }
    if (strcmp(state, "approved") == 0) {
        rc = taulu_buf_appendf(subject,
                               PICK(l, "Ilmoituksesi on hyväksytty: %s",
                                    "Ditt meddelande har godkänts: %s",
                                    "Your item was approved: %s"),
                               d->title);
        if (rc >= 0) {
            rc = taulu_buf_appendf(
                body,
                PICK(l,
                     "Hei %s,\n\nIlmoituksesi \"%s\" on hyväksytty "
                     "näytettäväksi toimipisteessä %s. Se näkyy "
                     "infonäytöillä %s–%s.\n\n"
                     "Omat ilmoituksesi: %s/items.html\n",
                     "Hej %s,\n\nDitt meddelande \"%s\" har godkänts för "
                     "att visas på %s. Det visas på infoskärmarna "
                     "%s–%s.\n\nDina meddelanden: %s/items.html\n",
                     "Hello %s,\n\nYour item \"%s\" was approved to be "
                     "shown at %s. It is on the info screens %s–%s.\n\n"
                     "Your items: %s/items.html\n"),
                c->name, d->title, d->centre_name, from, until, c->base_url);
        }
    } else if (strcmp(state, "changes_requested") == 0) {
        rc = taulu_buf_appendf(subject,
                               PICK(l, "Ilmoitukseesi pyydetään muutoksia: %s",
                                    "Ändringar begärs i ditt meddelande: %s",
                                    "Changes are asked for your item: %s"),
                               d->title);
        if (rc >= 0) {
            rc = taulu_buf_appendf(
                body,
                PICK(l,
                     "Hei %s,\n\n%s (%s) pyytää muutoksia ilmoitukseesi "
                     "\"%s\" ennen kuin se voi näkyä näytöillä.\n\n"
                     "Perustelu:\n%s\n\n"
                     "Muokkaa ilmoitusta ja lähetä se uudelleen:\n"
                     "%s/item.html?id=%lld\n",
                     "Hej %s,\n\n%s (%s) ber om ändringar i ditt meddelande "
                     "\"%s\" innan det kan visas på skärmarna.\n\n"
                     "Motivering:\n%s\n\n"
                     "Redigera meddelandet och skicka det igen:\n"
                     "%s/item.html?id=%lld\n",
                     "Hello %s,\n\n%s (%s) asks for changes to your item "
                     "\"%s\" before it can be shown on the screens.\n\n"
                     "Reason:\n%s\n\nEdit the item and send it again:\n"
                     "%s/item.html?id=%lld\n"),
                c->name, who, d->centre_name, d->title, reason, c->base_url,
                (long long)d->item_id);
        }
    } else if (strcmp(state, "rejected") == 0) {
        rc = taulu_buf_appendf(subject,
                               PICK(l, "Ilmoitustasi ei hyväksytty: %s",
                                    "Ditt meddelande godkändes inte: %s",
                                    "Your item was not approved: %s"),
                               d->title);
        if (rc >= 0) {
            rc = taulu_buf_appendf(
                body,
                PICK(l,
                     "Hei %s,\n\n%s (%s) ei hyväksynyt ilmoitustasi \"%s\" "
                     "näytettäväksi.\n\nPerustelu:\n%s\n\n"
                     "Omat ilmoituksesi: %s/items.html\n",
                     "Hej %s,\n\n%s (%s) godkände inte ditt meddelande "
                     "\"%s\" för skärmarna.\n\nMotivering:\n%s\n\n"
                     "Dina meddelanden: %s/items.html\n",
                     "Hello %s,\n\n%s (%s) did not approve your item \"%s\" "
                     "for the screens.\n\nReason:\n%s\n\n"
                     "Your items: %s/items.html\n"),
                c->name, who, d->centre_name, d->title, reason, c->base_url);
        }
    } else {
        return TAULU_EINVAL;
    }
    return done(rc < 0 ? rc : footer_notify(l, c->base_url, body));
}
