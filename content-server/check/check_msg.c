/*
 * check_msg.c: the checker's messages in Finnish, Swedish and English.
 *
 * Each message says what is wrong and what to do, in plain language
 * itself. Templates take up to three arguments, {1} {2} {3}, filled by
 * check_msg_expand (our own expander: no printf format strings come from a
 * table). Quoted words and suggestions stay in the language of the text.
 */
#include <stdlib.h>
#include <string.h>

#include "check_internal.h"
#include "taulu_buf.h"

static const struct check_msg msgs[CHECK_M_COUNT] = {
    {CHECK_M_SENTENCE_LONG_WARN,
     "sentence_long",
     {"Lause on pitkä: {1} sanaa. Jaa se kahdeksi lauseeksi.",
      "Meningen är lång: {1} ord. Dela den i två meningar.",
      "The sentence is long: {1} words. Split it into two sentences."}},
    {CHECK_M_SENTENCE_LONG_ERROR,
     "sentence_long",
     {"Lause on pitkä: {1} sanaa. Jaa se kahdeksi tai kolmeksi lauseeksi.",
      "Meningen är lång: {1} ord. Dela den i två eller tre meningar.",
      "The sentence is long: {1} words. Split it into two or three "
      "sentences."}},
    {CHECK_M_WORD_LONG,
     "word_long",
     {"Sana on pitkä: {1} ({2} kirjainta). Käytä lyhyempää sanaa tai "
      "kirjoita asia useammalla sanalla.",
      "Ordet är långt: {1} ({2} bokstäver). Använd ett kortare ord eller "
      "skriv det med flera ord.",
      "The word is long: {1} ({2} letters). Use a shorter word or say it in "
      "several words."}},
    {CHECK_M_WORD_LONG_SPLIT,
     "word_long",
     {"Sana on pitkä: {1} ({2} kirjainta). Se on yhdyssana: {3}. Kirjoita "
      "asia useammalla sanalla.",
      "Ordet är långt: {1} ({2} bokstäver). Det är ett sammansatt ord: {3}. "
      "Skriv det med flera ord.",
      "The word is long: {1} ({2} letters). It is a compound: {3}. Say it in "
      "several words."}},
    {CHECK_M_WIIO,
     "readability_wiio",
     {"Teksti on vaikea lukea: Wiion luku on {1} (tavoite enintään {2}). "
      "Käytä lyhyitä ja tuttuja sanoja.",
      "Texten är svårläst: Wiios index är {1} (mål högst {2}). Använd korta "
      "och vanliga ord.",
      "The text is hard to read: Wiio index {1} (aim for {2} or less). Use "
      "short, familiar words."}},
    {CHECK_M_LIX,
     "readability_lix",
     {"Teksti on vaikea lukea: LIX-luku on {1} (tavoite enintään {2}). "
      "Käytä lyhyempiä lauseita ja sanoja.",
      "Texten är svårläst: LIX är {1} (mål högst {2}). Skriv kortare "
      "meningar och ord.",
      "The text is hard to read: LIX {1} (aim for {2} or less). Use shorter "
      "sentences and words."}},
    {CHECK_M_SUBCLAUSES,
     "subclauses_many",
     {"Lauseessa on {1} sivulausetta. Kirjoita jokainen asia omaksi "
      "lauseekseen.",
      "Meningen har {1} bisatser. Skriv en sak i varje mening.",
      "The sentence has {1} subordinate clauses. Give each point a sentence "
      "of its own."}},
    {CHECK_M_PARTICIPIAL,
     "participial",
     {"Lauseenvastike: {1}. Kirjoita asia omaksi lauseekseen.",
      "Participkonstruktion: {1}. Skriv det som en egen mening.",
      "Participial construction: {1}. Write it as a sentence of its own."}},
    {CHECK_M_NEGATIONS,
     "negations_many",
     {"Lauseessa on {1} kieltoa. Kerro asia myönteisesti.",
      "Meningen har {1} negationer. Skriv positivt.",
      "The sentence has {1} negations. Say it in the positive."}},
    {CHECK_M_NEGATION_SV,
     "negation",
     {"Kielto: {1}. Kerro asia myönteisesti, jos voit.",
      "Negation: {1}. Undvik inte: skriv positivt om du kan.",
      "Negation: {1}. Say it in the positive if you can."}},
    {CHECK_M_PASSIVE,
     "passive_many",
     {"Passiivi: {1}. Tekstin {3} verbistä {2} on passiivissa. Kerro, kuka "
      "tekee: \"Yhdistys järjestää\".",
      "Passiv: {1}. {2} av textens {3} verb står i passiv. Skriv vem som gör "
      "det: \"Föreningen ordnar\".",
      "Passive: {1}. {2} of the text's {3} verbs are passive. Say who does "
      "it: \"The association organises\"."}},
    {CHECK_M_ABBREVIATION,
     "abbreviation",
     {"Kirjoita lyhenne auki: {2}", "Skriv ut förkortningen: {2}",
      "Write the abbreviation out: {2}"}},
    {CHECK_M_WEEKDAY,
     "abbreviation",
     {"Kirjoita viikonpäivä kokonaan: {2}", "Skriv veckodagen helt: {2}",
      "Write the weekday in full: {2}"}},
    {CHECK_M_NUMBER_LONG,
     "number_long",
     {"Iso luku: {1}. Pyöristä se ja kirjoita sanoin, esimerkiksi \"yli 12 "
      "tuhatta\".",
      "Stort tal: {1}. Avrunda och skriv med ord, till exempel \"över 12 "
      "tusen\".",
      "Large number: {1}. Round it and use words, for example \"over 12 "
      "thousand\"."}},
    {CHECK_M_NUMBER_PERCENT,
     "number_percent",
     {"Prosentti: {1}. Kirjoita mieluummin \"puolet\", \"joka neljäs\" tai "
      "\"lähes kaikki\".",
      "Procent: {1}. Skriv hellre \"hälften\", \"var fjärde\" eller "
      "\"nästan alla\".",
      "Percentage: {1}. Prefer \"half\", \"one in four\" or \"almost "
      "all\"."}},
    {CHECK_M_NUMBER_FRACTION,
     "number_fraction",
     {"Murtoluku: {1}. Kirjoita se sanoin, esimerkiksi \"puolet\" tai "
      "\"neljännes\".",
      "Bråktal: {1}. Skriv det med ord, till exempel \"hälften\" eller \"en "
      "fjärdedel\".",
      "Fraction: {1}. Write it in words, for example \"half\" or \"a "
      "quarter\"."}},
    {CHECK_M_NUMBER_DECIMAL,
     "number_decimal",
     {"Desimaaliluku: {1}. Pyöristä se kokonaisluvuksi, jos voit.",
      "Decimaltal: {1}. Avrunda till ett heltal om du kan.",
      "Decimal number: {1}. Round it to a whole number if you can."}},
    {CHECK_M_NUMBER_ROMAN,
     "number_roman",
     {"Roomalainen numero: {1}. Kirjoita se tavallisin numeroin: {2}.",
      "Romersk siffra: {1}. Skriv den med vanliga siffror: {2}.",
      "Roman numeral: {1}. Write it in ordinary digits: {2}."}},
    {CHECK_M_CAPITALS,
     "capitals_many",
     {"Isot kirjaimet: {1}. Tekstissä on {2} sanaa isoilla kirjaimilla. "
      "Kirjoita tavallisin kirjaimin, sillä isoja kirjaimia on vaikea lukea.",
      "Versaler: {1}. Texten har {2} ord med bara versaler. Skriv med "
      "vanliga bokstäver, för versaler är svåra att läsa.",
      "Capitals: {1}. The text has {2} words in capitals. Use normal case: "
      "capitals are hard to read."}},
    {CHECK_M_MORPHOLOGY_UNAVAILABLE,
     "morphology_unavailable",
     {"Suomen sanakirja ei ole käytössä. Perusmuotoja ja tavuja ei "
      "tarkistettu (Wiion luku, passiivi, lauseenvastikkeet, yhdyssanojen "
      "osat). Muut tarkistukset tehtiin.",
      "Den finska ordboken är inte i bruk. Grundformer och stavelser "
      "kontrollerades inte (Wiios index, passiv, participkonstruktioner, "
      "delar av sammansatta ord). Övriga kontroller gjordes.",
      "The Finnish dictionary is not available. Base forms and syllables "
      "were not checked (Wiio index, passive, participial constructions, "
      "compound parts). All other checks ran."}},
    {CHECK_M_LANGUAGE_NOT_CHECKED,
     "language_not_checked",
     {"Kielen {1} tekstiä ei tarkisteta selkokielen sääntöjen mukaan. "
      "Sisältösäännöt tarkistettiin.",
      "Text på språket {1} granskas inte enligt reglerna för lättläst. "
      "Innehållsreglerna kontrollerades.",
      "Text in the language {1} is not checked against plain-language "
      "rules. The content rules were checked."}},
    {CHECK_M_TITLE_MISSING,
     "title_missing",
     {"Otsikko puuttuu. Kirjoita lyhyt otsikko.",
      "Rubriken saknas. Skriv en kort rubrik.",
      "The title is missing. Write a short title."}},
    {CHECK_M_BODY_MISSING,
     "body_missing",
     {"Teksti puuttuu. Kirjoita, mistä on kyse.",
      "Texten saknas. Skriv vad det gäller.",
      "The text is missing. Say what it is about."}},
    {CHECK_M_ORGANISATION_MISSING,
     "organisation_missing",
     {"Lähettäjä puuttuu. Valitse järjestö tai seurakunta, jolta tiedote "
      "tulee.",
      "Avsändaren saknas. Välj organisationen eller församlingen som "
      "meddelandet kommer från.",
      "The sender is missing. Choose the organisation or parish it comes "
      "from."}},
    {CHECK_M_CONTACT_MISSING,
     "contact_missing",
     {"Yhteystieto puuttuu. Lisää yhteyshenkilö.",
      "Kontaktuppgiften saknas. Lägg till en kontaktperson.",
      "The contact is missing. Add a contact person."}},
    {CHECK_M_DISPLAY_UNTIL_MISSING,
     "display_until_missing",
     {"Päättymispäivä puuttuu. Valitse, mihin asti tiedote näkyy.",
      "Slutdatumet saknas. Välj hur länge meddelandet visas.",
      "The end date is missing. Choose until when it is shown."}},
    {CHECK_M_DISPLAY_UNTIL_PAST,
     "display_until_past",
     {"Päättymispäivä {1} on jo mennyt. Valitse tuleva päivä.",
      "Slutdatumet {1} har redan passerat. Välj ett datum i framtiden.",
      "The end date {1} has already passed. Choose a future date."}},
    {CHECK_M_DISPLAY_UNTIL_BEFORE_FROM,
     "display_until_before_start",
     {"Näkyminen päättyy ({1}) ennen kuin se alkaa ({2}). Korjaa päivät.",
      "Visningen slutar ({1}) innan den börjar ({2}). Rätta datumen.",
      "Display ends ({1}) before it starts ({2}). Correct the dates."}},
    {CHECK_M_DISPLAY_UNTIL_BEFORE_EVENT,
     "display_until_before_event",
     {"Ilmoitus poistuu näytöltä ({1}) ennen kuin tapahtuma alkaa ({2}). "
      "Tarkista päättymispäivä.",
      "Meddelandet tas bort ({1}) innan evenemanget börjar ({2}). "
      "Kontrollera slutdatumet.",
      "The notice is removed ({1}) before the event starts ({2}). Check the "
      "end date."}},
    {CHECK_M_EVENT_START_MISSING,
     "event_start_missing",
     {"Tapahtuman alkamisaika puuttuu. Valitse päivä ja kellonaika.",
      "Evenemangets starttid saknas. Välj datum och klockslag.",
      "The event's start time is missing. Choose the date and time."}},
    {CHECK_M_EVENT_END_MISSING,
     "event_end_missing",
     {"Tapahtuman päättymisaika puuttuu. Valitse päivä ja kellonaika.",
      "Evenemangets sluttid saknas. Välj datum och klockslag.",
      "The event's end time is missing. Choose the date and time."}},
    {CHECK_M_EVENT_END_BEFORE_START,
     "event_end_before_start",
     {"Tapahtuma päättyy ({1}) ennen kuin se alkaa ({2}). Korjaa ajat.",
      "Evenemanget slutar ({1}) innan det börjar ({2}). Rätta tiderna.",
      "The event ends ({1}) before it starts ({2}). Correct the times."}},
    {CHECK_M_TIME_CONTRADICTS_START,
     "time_contradicts_event",
     {"Tekstissä lukee {1}, mutta tapahtuma alkaa kello {2}. Korjaa teksti "
      "tai alkamisaika.",
      "I texten står det {1}, men evenemanget börjar kl. {2}. Rätta texten "
      "eller starttiden.",
      "The text says {1}, but the event starts at {2}. Correct the text or "
      "the start time."}},
    {CHECK_M_TIME_CONTRADICTS_END,
     "time_contradicts_event",
     {"Tekstissä lukee {1}, mutta tapahtuma päättyy kello {2}. Korjaa "
      "teksti tai päättymisaika.",
      "I texten står det {1}, men evenemanget slutar kl. {2}. Rätta texten "
      "eller sluttiden.",
      "The text says {1}, but the event ends at {2}. Correct the text or the "
      "end time."}},
    {CHECK_M_TIME_OUTSIDE_EVENT,
     "time_contradicts_event",
     {"Tekstissä lukee {1}, mutta tapahtuma on kello {2}. Korjaa teksti tai "
      "tapahtuman aika.",
      "I texten står det {1}, men evenemanget är kl. {2}. Rätta texten eller "
      "tiden.",
      "The text says {1}, but the event is at {2}. Correct the text or the "
      "event time."}},
    {CHECK_M_IMAGE_ALT_MISSING,
     "image_alt_missing",
     {"Kuvalta puuttuu tekstivastine. Kerro lyhyesti, mitä kuvassa on.",
      "Bilden saknar textalternativ. Beskriv kort vad bilden visar.",
      "The image has no text alternative. Say briefly what it shows."}},
    {CHECK_M_LINK_SCHEME,
     "link_scheme",
     {"Linkin pitää alkaa https:// tai http://.",
      "Länken ska börja med https:// eller http://.",
      "The link must start with https:// or http://."}},
    {CHECK_M_LINK_HTTP,
     "link_http",
     {"Linkki ei ole suojattu (http). Käytä https-osoitetta, jos sivulla on "
      "sellainen.",
      "Länken är inte skyddad (http). Använd https om sidan har det.",
      "The link is not secure (http). Use https if the site has it."}},
    {CHECK_M_LINK_SPACE,
     "link_space",
     {"Linkissä on välilyönti tai näkymätön merkki. Kopioi osoite "
      "uudelleen.",
      "Länken har ett mellanslag eller ett osynligt tecken. Kopiera adressen "
      "igen.",
      "The link has a space or an invisible character. Copy the address "
      "again."}},
    {CHECK_M_LINK_HOST,
     "link_host",
     {"Linkistä puuttuu palvelimen nimi, esimerkiksi www.pohde.fi.",
      "Länken saknar servernamn, till exempel www.pohde.fi.",
      "The link has no server name, for example www.pohde.fi."}},
    {CHECK_M_LINK_USERINFO,
     "link_userinfo",
     {"Linkissä on @-merkki ennen palvelimen nimeä. Linkki voi viedä "
      "muualle kuin näyttää. Käytä suoraa osoitetta.",
      "Länken har ett @ före servernamnet. Länken kan leda någon annanstans "
      "än den ser ut. Använd en direkt adress.",
      "The link has an @ before the server name, so it may lead somewhere "
      "other than it seems. Use a direct address."}},
    {CHECK_M_LINK_LONG,
     "link_long",
     {"Linkki on pitkä ({1} merkkiä), joten QR-koodista tulee tiheä. Käytä "
      "lyhyempää osoitetta.",
      "Länken är lång ({1} tecken), så QR-koden blir tät. Använd en kortare "
      "adress.",
      "The link is long ({1} characters), so its QR code gets dense. Use a "
      "shorter address."}},
    {CHECK_M_LINK_TOO_LONG,
     "link_too_long",
     {"Linkki on liian pitkä: {1} merkkiä (enintään {2}).",
      "Länken är för lång: {1} tecken (högst {2}).",
      "The link is too long: {1} characters (at most {2})."}},
    {CHECK_M_LINK_LOCAL,
     "link_local",
     {"Linkki vie paikalliseen tai sisäverkon osoitteeseen ({1}). Se ei "
      "aukea yleisön puhelimessa. Käytä julkista osoitetta.",
      "Länken leder till en lokal adress eller en adress i ett internt nät "
      "({1}). Den öppnas inte i allmänhetens telefoner. Använd en offentlig "
      "adress.",
      "The link points to a local or internal network address ({1}). It "
      "will not open on the public's phones. Use a public address."}},
    {CHECK_M_MARKUP_TAG,
     "markup_tag",
     {"Tekstissä on HTML-koodia: {1}. Kirjoita pelkkää tekstiä.",
      "Texten har HTML-kod: {1}. Skriv bara vanlig text.",
      "The text contains HTML: {1}. Write plain text only."}},
    {CHECK_M_MARKUP_ENTITY,
     "markup_entity",
     {"Tekstissä on HTML-merkintä: {1}. Kirjoita merkki sellaisenaan.",
      "Texten har en HTML-kod: {1}. Skriv tecknet som det är.",
      "The text contains an HTML entity: {1}. Type the character itself."}},
    {CHECK_M_MARKUP_SCRIPT,
     "markup_script",
     {"Tekstissä on ohjelmakoodia: {1}. Sitä ei voi julkaista.",
      "Texten innehåller programkod: {1}. Den kan inte publiceras.",
      "The text contains script code: {1}. It cannot be published."}},
    {CHECK_M_CONTROL_CHAR,
     "control_char",
     {"Tekstissä on näkymätön ohjausmerkki ({1}). Poista se tai kirjoita "
      "teksti uudelleen.",
      "Texten har ett osynligt styrtecken ({1}). Ta bort det eller skriv "
      "texten på nytt.",
      "The text has an invisible control character ({1}). Remove it or type "
      "the text again."}},
    {CHECK_M_UTF8_INVALID,
     "utf8_invalid",
     {"Tekstissä on rikkinäinen merkki. Kopioi teksti uudelleen tai "
      "kirjoita se käsin.",
      "Texten har ett trasigt tecken. Kopiera texten igen eller skriv den "
      "för hand.",
      "The text has a broken character. Copy it again or type it by hand."}},
    {CHECK_M_TOO_LONG,
     "too_long",
     {"Teksti on liian pitkä. Alleviivattu osa ei mahdu: lyhennä tekstiä.",
      "Texten är för lång. Den understrukna delen ryms inte: korta texten.",
      "The text is too long. The underlined part does not fit: shorten "
      "it."}},
    {CHECK_M_DOES_NOT_FIT,
     "text_does_not_fit",
     {"Teksti ei mahdu näytölle: {1} riviä liikaa. Lyhennä tekstiä.",
      "Texten ryms inte på skärmen: {1} rader för mycket. Korta texten.",
      "The text does not fit on the screen: {1} lines too many. Shorten "
      "it."}},
    {CHECK_M_DOES_NOT_FIT_ON,
     "text_does_not_fit",
     {"Teksti ei mahdu näytölle {1}: rivi {2} ei enää mahdu, ja rivejä on "
      "{3} liikaa. Lyhennä tekstiä.",
      "Texten ryms inte på skärmen {1}: rad {2} ryms inte längre, och det "
      "är {3} rader för mycket. Korta texten.",
      "The text does not fit on the screen {1}: line {2} no longer fits, "
      "and there are {3} lines too many. Shorten it."}},
    {CHECK_M_TITLE_DOES_NOT_FIT_ON,
     "title_does_not_fit",
     {"Otsikko ei mahdu näytölle {1}: rivi {2} ei enää mahdu. Otsikossa "
      "saa olla enintään 2 riviä. Lyhennä otsikkoa.",
      "Rubriken ryms inte på skärmen {1}: rad {2} ryms inte längre. "
      "Rubriken får ha högst 2 rader. Korta rubriken.",
      "The title does not fit on the screen {1}: line {2} no longer fits. "
      "A title may have at most 2 lines. Shorten it."}},
    {CHECK_M_CARD_CONTINUES_ON,
     "card_continues",
     {"Tiedote ei mahdu yhdelle sivulle näytöllä {1}: loppu näkyy "
      "toisella sivulla. Lyhennä tekstiä, niin kaikki näkyy kerralla.",
      "Meddelandet ryms inte på en sida på skärmen {1}: resten visas på "
      "en andra sida. Korta texten så syns allt på en gång.",
      "The notice does not fit on one page on the screen {1}: the rest is "
      "shown on a second page. Shorten the text so that everything shows "
      "at once."}},
};

const struct check_msg *check_msg_get(enum check_msg_id id)
{
    return &msgs[id];
}

char *check_msg_expand(const char *tmpl, const char *const args[3])
{
    struct taulu_buf b;
    const char *p;

    taulu_buf_init(&b, 16 * 1024);
    for (p = tmpl; *p; p++) {
        if (p[0] == '{' && p[1] >= '1' && p[1] <= '3' && p[2] == '}') {
            const char *a = args[p[1] - '1'];

            if (a && taulu_buf_puts(&b, a) < 0) {
                goto fail;
            }
            p += 2;
        } else if (taulu_buf_putc(&b, *p) < 0) {
            goto fail;
        }
    }
    return taulu_buf_detach(&b, NULL);
fail:
    taulu_buf_release(&b);
    return NULL;
}
