/*
 * srv_msg.c: the error message catalogue (see srv_msg.h). Plain, short
 * sentences: a volunteer reads these.
 */
#include "srv_msg.h"

#include <string.h>

static const struct srv_msg msgs[] = {
    {"internal", "Palvelimella tapahtui virhe. Yritä hetken päästä uudelleen.",
     "Ett fel uppstod på servern. Försök igen om en stund.",
     "Something went wrong on the server. Please try again shortly."},
    {"unavailable", "Palvelu ei ole juuri nyt käytettävissä.",
     "Tjänsten är inte tillgänglig just nu.",
     "The service is not available right now."},
    {"not_found", "Kohdetta ei löydy.", "Objektet hittades inte.",
     "Not found."},
    {"method_not_allowed", "Tätä toimintoa ei voi tehdä tälle osoitteelle.",
     "Den här åtgärden kan inte göras på den här adressen.",
     "This method is not allowed here."},
    {"unauthorized", "Kirjaudu sisään.", "Logga in.", "Please sign in."},
    {"forbidden", "Sinulla ei ole oikeutta tähän.",
     "Du har inte behörighet till detta.", "You are not allowed to do this."},
    {"csrf_failed",
     "Istunnon tarkiste puuttuu tai on väärä. Lataa sivu uudelleen.",
     "Sessionens kontrollvärde saknas eller är fel. Ladda om sidan.",
     "The session check token is missing or wrong. Reload the page."},
    {"login_failed", "Sähköposti tai salasana on väärin.",
     "E-post eller lösenord är fel.", "Wrong e-mail address or password."},
    {"rate_limited",
     "Liian monta epäonnistunutta yritystä. Odota hetki ja yritä uudelleen.",
     "För många misslyckade försök. Vänta en stund och försök igen.",
     "Too many failed attempts. Wait a moment and try again."},
    {"body_too_large", "Lähetetty tieto on liian suuri.",
     "De skickade uppgifterna är för stora.", "The request is too large."},
    {"unsupported_media_type",
     "Lähetä tiedot JSON-muodossa (Content-Type: application/json).",
     "Skicka uppgifterna som JSON (Content-Type: application/json).",
     "Send the data as JSON (Content-Type: application/json)."},
    {"bad_json", "Lähetetty tieto ei ole kelvollista JSONia.",
     "De skickade uppgifterna är inte giltig JSON.",
     "The request body is not valid JSON."},
    {"too_deep", "Lähetetyssä tiedossa on liian monta sisäkkäistä tasoa.",
     "De skickade uppgifterna har för många nivåer i varandra.",
     "The request body is nested too deeply."},
    {"invalid_utf8",
     "Tekstissä on merkkejä, jotka eivät ole kelvollista "
     "UTF-8:aa.",
     "Texten innehåller tecken som inte är giltig UTF-8.",
     "The text contains bytes that are not valid UTF-8."},
    {"not_object", "Lähetä tiedot JSON-oliona ({...}).",
     "Skicka uppgifterna som ett JSON-objekt ({...}).",
     "Send a JSON object ({...})."},
    {"unknown_field", "Kenttää ei tunneta.", "Fältet är okänt.",
     "Unknown field."},
    {"duplicate_field", "Kenttä on annettu kahdesti.",
     "Fältet har angetts två gånger.", "The field is given twice."},
    {"missing_field", "Pakollinen kenttä puuttuu.",
     "Ett obligatoriskt fält saknas.", "A required field is missing."},
    {"wrong_type", "Kentän arvo on väärää tyyppiä.",
     "Fältets värde har fel typ.", "The field has the wrong type."},
    {"check_failed",
     "Tekstissä on korjattavaa. Katso merkityt kohdat ja korjaa ne.",
     "Texten behöver rättas. Se de markerade ställena och rätta dem.",
     "The text needs fixing. See the marked places and fix them."},
    {"preview_busy",
     "Esikatselu on jo tekeillä. Yritä hetken päästä uudelleen.",
     "Förhandsvisningen görs redan. Försök igen om en stund.",
     "A preview is already being made. Try again in a moment."},
    {"too_long", "Teksti on liian pitkä.", "Texten är för lång.",
     "The text is too long."},
    {"too_short", "Teksti on liian lyhyt tai tyhjä.",
     "Texten är för kort eller tom.", "The text is too short or empty."},
    {"control_chars",
     "Tekstissä on ohjausmerkkejä. Käytä vain tavallista tekstiä ja "
     "rivinvaihtoja.",
     "Texten innehåller styrtecken. Använd bara vanlig text och radbrytningar.",
     "The text contains control characters. Use plain text and line breaks "
     "only."},
    {"out_of_range", "Arvo on sallitun alueen ulkopuolella.",
     "Värdet ligger utanför det tillåtna området.",
     "The value is out of range."},
    {"invalid_value", "Arvo ei ole sallittu.", "Värdet är inte tillåtet.",
     "The value is not allowed."},
    {"invalid_time",
     "Aika ei ole kelvollinen. Käytä muotoa 2026-12-01T14:00:00+02:00.",
     "Tiden är inte giltig. Använd formen 2026-12-01T14:00:00+02:00.",
     "The time is not valid. Use the form 2026-12-01T14:00:00+02:00."},
    {"invalid_reference", "Viitattua kohdetta ei ole.",
     "Det hänvisade objektet finns inte.",
     "The referenced record does not exist."},
    {"duplicate_value", "Sama arvo on listassa kahdesti.",
     "Samma värde finns två gånger i listan.",
     "The same value is in the list twice."},
    {"conflict", "Nimi tai tunnus on jo käytössä.",
     "Namnet eller identifieraren används redan.",
     "The name or identifier is already in use."},
    {"referenced", "Kohdetta ei voi poistaa, koska sitä käytetään.",
     "Objektet kan inte tas bort eftersom det används.",
     "It cannot be deleted because it is in use."},
    {"item_changed", "Ilmoitusta on muutettu sillä välin. Lataa se uudelleen.",
     "Meddelandet har ändrats under tiden. Ladda om det.",
     "The item was changed in the meantime. Reload it."},
    {"not_submitted", "Tämä ei ole enää käsiteltävänä.",
     "Det här väntar inte längre på behandling.",
     "This is no longer waiting for a decision."},
    {"already_ended", "Tiedote on jo päättynyt.",
     "Meddelandet har redan upphört.", "The notice has already ended."},
    {"bad_window", "Päättymisajan on oltava alkamisajan jälkeen.",
     "Sluttiden måste vara efter starttiden.",
     "The end must be after the start."},
    {"in_past", "Päättymisaika on jo mennyt.", "Sluttiden har redan passerat.",
     "The end time has already passed."},
    {"weak_password",
     "Salasanan on oltava vähintään 12 merkkiä ilman ohjausmerkkejä.",
     "Lösenordet måste vara minst 12 tecken utan styrtecken.",
     "The password must be at least 12 characters without control "
     "characters."},
    {"reason_required", "Kirjoita perustelu.", "Skriv en motivering.",
     "Write a reason."},
    {"image_alt_required",
     "Kuvalle tarvitaan tekstivastine jokaisella "
     "kielellä.",
     "Bilden behöver en textbeskrivning på varje språk.",
     "The image needs a text alternative in every language."},
    /* Recurring events (srv_api_recur.c). */
    {"start_not_in_rule",
     "Ensimmäinen kerta ei ole toiston päivänä. Valitse alkamispäiväksi "
     "jokin toiston päivistä.",
     "Första gången är inte på en av upprepningens dagar. Välj en av "
     "upprepningens dagar som första dag.",
     "The first time is not on a day of the repeat. Choose one of the "
     "repeat's days as the first day."},
    {"not_an_occurrence", "Tänä päivänä ei ole sarjan kertaa.",
     "Serien har inget tillfälle den dagen.",
     "The series has no occurrence on this date."},
    {"too_many_occurrences",
     "Sarjassa on liian monta kertaa (enintään 400). Valitse aikaisempi "
     "viimeinen päivä.",
     "Serien har för många tillfällen (högst 400). Välj en tidigare sista "
     "dag.",
     "The series has too many occurrences (at most 400). Choose an earlier "
     "last day."},
    {"recurrence_after_display",
     "Toiston viimeinen päivä on näyttöajan jälkeen. Valitse aikaisempi "
     "viimeinen päivä tai pidennä näyttöaikaa.",
     "Upprepningens sista dag är efter visningstiden. Välj en tidigare sista "
     "dag eller förläng visningstiden.",
     "The repeat's last day is after the display period. Choose an earlier "
     "last day or a longer display period."},
    {"not_recurring", "Ilmoitus ei ole toistuva.", "Meddelandet upprepas inte.",
     "The item does not repeat."},
    {"occurrence_ended", "Tämä kerta on jo ohi.",
     "Det här tillfället är redan över.", "This occurrence is already over."},
    /* Publishing (srv_pubapp.c). */
    {"image_too_large", "Kuva on liian suuri. Suurin sallittu koko on 8 Mt.",
     "Bilden är för stor. Den största tillåtna storleken är 8 MB.",
     "The image is too large. The largest allowed file is 8 MiB."},
    {"unsupported_image_type", "Lähetä kuva PNG- tai JPEG-muodossa.",
     "Skicka bilden i PNG- eller JPEG-format.",
     "Send the image as PNG or JPEG."},
    {"image_type_mismatch",
     "Tiedosto ei ole sitä kuvatyyppiä, joka sille on ilmoitettu.",
     "Filen är inte av den bildtyp som angavs.",
     "The file is not of the image type it was sent as."},
    {"image_corrupt",
     "Kuvatiedosto on vioittunut tai katkennut, tai sen perässä on muuta "
     "tietoa. Tallenna kuva uudelleen.",
     "Bildfilen är skadad eller avbruten, eller så följer annan data efter "
     "den. Spara bilden på nytt.",
     "The image file is damaged, cut short, or has other data after it. "
     "Save the image again."},
    {"image_too_many_pixels",
     "Kuvassa on liikaa pikseleitä. Suurin sallittu on 40 miljoonaa.",
     "Bilden har för många pixlar. Högst 40 miljoner är tillåtet.",
     "The image has too many pixels. At most 40 million are allowed."},
    {"image_unreadable", "Kuvaa ei voitu lukea. Se voi olla vioittunut.",
     "Bilden kunde inte läsas. Den kan vara skadad.",
     "The image could not be read. It may be damaged."},
    {"image_busy",
     "Palvelin käsittelee juuri nyt muita kuvia. Yritä hetken päästä "
     "uudelleen.",
     "Servern behandlar andra bilder just nu. Försök igen om en stund.",
     "The server is processing other images right now. Please try again "
     "shortly."},
    {"multipart_not_supported",
     "Lähetä kuva sellaisenaan pyynnön sisältönä (Content-Type: image/png "
     "tai image/jpeg), ei lomakkeena.",
     "Skicka bilden som sådan i begäran (Content-Type: image/png eller "
     "image/jpeg), inte som ett formulär.",
     "Send the image itself as the request body (Content-Type: image/png or "
     "image/jpeg), not as a form."},
    {"no_manifest_yet", "Näytölle ei ole vielä sisältöä.",
     "Skärmen har inget innehåll ännu.",
     "There is no content for this "
     "screen yet."},
    {"publishing_unavailable", "Julkaisu ei ole käytössä tällä palvelimella.",
     "Publicering används inte på den här servern.",
     "Publishing is not enabled on this server."},
    {"wrong_password", "Nykyinen salasana on väärin.",
     "Det nuvarande lösenordet är fel.", "The current password is wrong."},
    {"link_invalid",
     "Linkki ei enää toimi: se on jo käytetty tai vanhentunut. Pyydä uusi "
     "linkki.",
     "Länken fungerar inte längre: den har redan använts eller gått ut. Be "
     "om en ny länk.",
     "The link no longer works: it was used already or it has expired. Ask "
     "for a new link."},
    {"already_active", "Käyttäjä on jo valinnut salasanan.",
     "Användaren har redan valt ett lösenord.",
     "The user has chosen a password already."},
    {"mail_queue_full",
     "Sähköpostijono on täynnä. Viestiä ei voitu lähettää; yritä "
     "myöhemmin uudelleen.",
     "E-postkön är full. Meddelandet kunde inte skickas; försök igen "
     "senare.",
     "The mail queue is full. The message could not be sent; try again "
     "later."},
    {"reset_limited",
     "Uutta salasanaa on pyydetty monta kertaa. Odota hetki ja yritä "
     "uudelleen.",
     "Ett nytt lösenord har begärts många gånger. Vänta en stund och "
     "försök igen.",
     "A new password has been asked for many times. Wait a while and try "
     "again."},
    /* Screens in the field: enrolment, import, screenshots. */
    {"enrol_busy",
     "Liian monta näyttöä odottaa käyttöönottoa. Yritä hetken päästä "
     "uudelleen.",
     "För många skärmar väntar på att tas i bruk. Försök igen om en stund.",
     "Too many screens are waiting to be enrolled. Try again shortly."},
    {"enrol_expired",
     "Käyttöönotto on vanhentunut. Näyttö näyttää pian uuden koodin.",
     "Ibruktagningen har gått ut. Skärmen visar snart en ny kod.",
     "The enrolment has expired. The screen will show a new code soon."},
    {"enrol_code_unknown",
     "Koodia ei löydy. Tarkista näytöllä näkyvä koodi: se on voimassa 15 "
     "minuuttia.",
     "Koden hittades inte. Kontrollera koden på skärmen: den gäller i 15 "
     "minuter.",
     "No screen is waiting with this code. Check the code on the screen: it "
     "is valid for 15 minutes."},
    {"screenshot_limited",
     "Kuvakaappausta pyydettiin juuri. Odota muutama sekunti.",
     "En skärmbild begärdes nyss. Vänta några sekunder.",
     "A screenshot was just asked for. Wait a few seconds."},
    {"screen_unreachable", "Näyttöön ei saada nyt yhteyttä.",
     "Det går inte att nå skärmen just nu.",
     "The screen cannot be reached right now."},
    {"screenshot_not_requested", "Kuvakaappausta ei ole pyydetty.",
     "Ingen skärmbild har begärts.", "No screenshot was asked for."},
    {"bad_csv",
     "Tiedosto ei ole luettavaa CSV:tä (puolipiste- tai pilkkuerotin, "
     "lainausmerkit pareittain).",
     "Filen är inte läsbar CSV (semikolon eller kommatecken som "
     "avgränsare, citattecken i par).",
     "The file is not readable CSV (semicolons or commas between cells, "
     "quotes in pairs)."},
    {"too_many", "Tiedostossa on liian monta riviä (enintään 500).",
     "Filen har för många rader (högst 500).",
     "The file has too many rows (at most 500)."},
};

/* The date and time errors per field: the field named in words as the
 * web form labels it. */
struct field_msg {
    const char *field;
    struct srv_msg m;
};

static const struct field_msg field_msgs[] = {
    {"starts_at",
     {"invalid_time",
      "Alkamisaika ei ole kelvollinen päivämäärä ja kellonaika. Tarkista "
      "päivä, kuukausi ja vuosi.",
      "Starttiden är inte ett giltigt datum och klockslag. Kontrollera dag, "
      "månad och år.",
      "The start is not a valid date and time. Check the day, month and "
      "year."}},
    {"starts_at",
     {"out_of_range",
      "Alkamisaika on liian kaukana: tapahtuma voi alkaa enintään vuosi "
      "sitten ja päättyä enintään kahden vuoden päästä. Tarkista vuosi.",
      "Starttiden ligger för långt bort: ett evenemang kan ha börjat högst "
      "ett år sedan och sluta högst två år framåt. Kontrollera året.",
      "The start is too far away: an event may have begun at most a year ago "
      "and end at most two years ahead. Check the year."}},
    {"starts_at",
     {"missing_field", "Kirjoita alkamisaika: päivä ja kellonaika.",
      "Skriv starttiden: dag och klockslag.",
      "Write the start: the date and the time."}},
    {"ends_at",
     {"invalid_time",
      "Päättymisaika ei ole kelvollinen päivämäärä ja kellonaika. Tarkista "
      "päivä, kuukausi ja vuosi.",
      "Sluttiden är inte ett giltigt datum och klockslag. Kontrollera dag, "
      "månad och år.",
      "The end is not a valid date and time. Check the day, month and "
      "year."}},
    {"ends_at",
     {"in_past", "Päättymisaika on jo mennyt. Tarkista päivä ja kellonaika.",
      "Sluttiden har redan passerat. Kontrollera dag och klockslag.",
      "The end time has already passed. Check the date and the time."}},
    {"ends_at",
     {"bad_window",
      "Päättymisajan pitää olla alkamisajan jälkeen. Tarkista päättymisaika.",
      "Sluttiden måste vara efter starttiden. Kontrollera sluttiden.",
      "The end must be after the start. Check the end time."}},
    {"ends_at",
     {"out_of_range",
      "Päättymisaika on liian kaukana: enintään kahden vuoden päästä. "
      "Tarkista vuosi.",
      "Sluttiden ligger för långt bort: högst två år framåt. Kontrollera "
      "året.",
      "The end is too far away: at most two years ahead. Check the year."}},
    {"ends_at",
     {"missing_field", "Kirjoita päättymisaika: päivä ja kellonaika.",
      "Skriv sluttiden: dag och klockslag.",
      "Write the end: the date and the time."}},
    {"display_until",
     {"invalid_time",
      "Kohdan ”Näkyy viimeistään” aika ei ole kelvollinen päivämäärä ja "
      "kellonaika. Tarkista päivä, kuukausi ja vuosi.",
      "Tiden i ”Visas senast till” är inte ett giltigt datum och klockslag. "
      "Kontrollera dag, månad och år.",
      "The time in “Shown until” is not a valid date and time. Check the "
      "day, month and year."}},
    {"display_until",
     {"in_past",
      "Kohdan ”Näkyy viimeistään” aika on jo mennyt. Valitse myöhempi "
      "päivä.",
      "Tiden i ”Visas senast till” har redan passerat. Välj en senare dag.",
      "The time in “Shown until” has already passed. Choose a later "
      "date."}},
    {"display_until",
     {"bad_window",
      "Kohdan ”Näkyy viimeistään” ajan pitää olla näkymisen alun jälkeen.",
      "Tiden i ”Visas senast till” måste vara efter visningens början.",
      "The time in “Shown until” must be after the display starts."}},
    {"display_until",
     {"out_of_range",
      "Kohdan ”Näkyy viimeistään” aika on liian kaukana: ilmoitus voi näkyä "
      "enintään vuoden. Tarkista vuosi.",
      "Tiden i ”Visas senast till” ligger för långt bort: ett meddelande "
      "kan visas högst ett år. Kontrollera året.",
      "The time in “Shown until” is too far away: a notice can be shown for "
      "at most a year. Check the year."}},
    {"display_until",
     {"missing_field",
      "Kirjoita, mihin asti ilmoitus näkyy: päivä ja kellonaika.",
      "Skriv till när meddelandet visas: dag och klockslag.",
      "Write until when the notice is shown: the date and the time."}},
    {"display_from",
     {"invalid_time",
      "Näkymisen alkamisaika ei ole kelvollinen päivämäärä ja kellonaika. "
      "Tarkista päivä, kuukausi ja vuosi.",
      "Visningens starttid är inte ett giltigt datum och klockslag. "
      "Kontrollera dag, månad och år.",
      "The start of the display is not a valid date and time. Check the "
      "day, month and year."}},
    {"display_from",
     {"out_of_range",
      "Näkymisen alkamisaika on liian kaukana: enintään vuoden päähän. "
      "Tarkista vuosi.",
      "Visningens starttid ligger för långt bort: högst ett år bort. "
      "Kontrollera året.",
      "The start of the display is too far away: at most a year off. Check "
      "the year."}},
    {"since",
     {"invalid_time",
      "Kohdan ”Alkaen” päivämäärä ei ole kelvollinen. Tarkista päivä, "
      "kuukausi ja vuosi.",
      "Datumet i ”Från” är inte giltigt. Kontrollera dag, månad och år.",
      "The date in “From” is not valid. Check the day, month and year."}},
    {"until",
     {"invalid_time",
      "Kohdan ”Asti” päivämäärä ei ole kelvollinen. Tarkista päivä, "
      "kuukausi ja vuosi.",
      "Datumet i ”Till” är inte giltigt. Kontrollera dag, månad och år.",
      "The date in “Until” is not valid. Check the day, month and year."}},
};

const struct srv_msg *srv_msg_find_field(const char *code, const char *field)
{
    size_t i;

    for (i = 0; code && field && i < sizeof(field_msgs) / sizeof(field_msgs[0]);
         i++) {
        if (strcmp(field_msgs[i].field, field) == 0 &&
            strcmp(field_msgs[i].m.code, code) == 0) {
            return &field_msgs[i].m;
        }
    }
    return NULL;
}

const struct srv_msg *srv_msg_find(const char *code)
{
    size_t i;

    for (i = 0; code && i < sizeof(msgs) / sizeof(msgs[0]); i++) {
        if (strcmp(msgs[i].code, code) == 0) {
            return &msgs[i];
        }
    }
    return &msgs[0];
}
