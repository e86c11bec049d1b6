/*
 * check_msg.c: the checker's messages in Finnish, Swedish and English.
 *
 * Each message says what is wrong and what to do, in plain language
 * itself. Templates take arguments {1}..{9} (check_internal.h), filled by
 * check_msg_expand (our own expander: no printf format strings come from a
 * table). Quoted words and suggestions stay in the language of the text.
 * The paragraph findings are composed of the phrases at the end: the
 * reasons in words ({7}), what to do ({9}), and the figures for the
 * details line ({8}).
 */
#include <stdlib.h>
#include <string.h>

#include "check_internal.h"
#include "taulu_buf.h"

static const struct check_msg msgs[CHECK_M_COUNT] = {
    [CHECK_M_SENTENCE_LONG_WARN] =
        {CHECK_M_SENTENCE_LONG_WARN,
         "sentence_long",
         {"Lause on pitkä: {1} sanaa. Jaa se kahdeksi lauseeksi.",
          "Meningen är lång: {1} ord. Dela den i två meningar.",
          "The sentence is long: {1} words. Split it into two sentences."},
         {"Lauseessa {1} sanaa. Rajat: huomautus yli {2}, virhe yli {3} sanaa.",
          "Meningen har {1} ord. Gränser: varning över {2}, fel över {3} ord.",
          "The sentence has {1} words. Limits: warning above {2}, error above "
          "{3} words."}},
    [CHECK_M_SENTENCE_LONG_ERROR] =
        {CHECK_M_SENTENCE_LONG_ERROR,
         "sentence_long",
         {"Lause on pitkä: {1} sanaa. Jaa se kahdeksi tai kolmeksi lauseeksi.",
          "Meningen är lång: {1} ord. Dela den i två eller tre meningar.",
          "The sentence is long: {1} words. Split it into two or three "
          "sentences."},
         {"Lauseessa {1} sanaa. Rajat: huomautus yli {2}, virhe yli {3} sanaa.",
          "Meningen har {1} ord. Gränser: varning över {2}, fel över {3} ord.",
          "The sentence has {1} words. Limits: warning above {2}, error above "
          "{3} words."}},
    [CHECK_M_WORD_LONG] =
        {CHECK_M_WORD_LONG,
         "word_long",
         {"Sana on pitkä: {1} ({2} kirjainta). Käytä lyhyempää sanaa tai "
          "kirjoita asia useammalla sanalla.",
          "Ordet är långt: {1} ({2} bokstäver). Använd ett kortare ord eller "
          "skriv det med flera ord.",
          "The word is long: {1} ({2} letters). Use a shorter word or say it "
          "in "
          "several words."},
         {NULL, NULL, NULL}},
    [CHECK_M_WORD_LONG_SPLIT] =
        {CHECK_M_WORD_LONG_SPLIT,
         "word_long",
         {"Sana on pitkä: {1} ({2} kirjainta). Se on yhdyssana: {3}. Kirjoita "
          "asia useammalla sanalla.",
          "Ordet är långt: {1} ({2} bokstäver). Det är ett sammansatt ord: "
          "{3}. "
          "Skriv det med flera ord.",
          "The word is long: {1} ({2} letters). It is a compound: {3}. Say it "
          "in "
          "several words."},
         {NULL, NULL, NULL}},
    [CHECK_M_HARD_PLAIN] =
        {CHECK_M_HARD_PLAIN,
         "hard_to_read",
         {"Tämä kappale ei ole vielä selkokieltä: {7}. {9}",
          "Det här stycket är inte lättläst än: {7}. {9}",
          "This paragraph is not plain language yet: {7}. {9}"},
         {"{8}.", "{8}.", "{8}."}},
    [CHECK_M_HARD] = {CHECK_M_HARD,
                      "hard_to_read",
                      {"Tämä kappale on vaikea lukea: {7}. {9}",
                       "Det här stycket är svårt att läsa: {7}. {9}",
                       "This paragraph is hard to read: {7}. {9}"},
                      {"{8}.", "{8}.", "{8}."}},
    [CHECK_M_SENTENCES_LONG] =
        {CHECK_M_SENTENCES_LONG,
         "sentences_long",
         {"Lauseet ovat pitkiä. Jaa pisimmät lauseet kahtia.",
          "Meningarna är långa. Dela de längsta meningarna i två.",
          "The sentences are long. Split the longest ones in two."},
         {"{8}.", "{8}.", "{8}."}},
    [CHECK_M_LONG_WORDS] =
        {CHECK_M_LONG_WORDS,
         "long_words",
         {"Tekstissä on paljon pitkiä sanoja, esimerkiksi {1}. Käytä "
          "lyhyempiä sanoja tai kirjoita asia useammalla sanalla.",
          "Texten har många långa ord, till exempel {1}. Använd kortare ord "
          "eller skriv det med flera ord.",
          "The text has many long words, for example {1}. Use shorter words or "
          "say it in several words."},
         {"{8}.", "{8}.", "{8}."}},
    [CHECK_M_NOMINALS] =
        {CHECK_M_NOMINALS,
         "nominal_style",
         {"Tekstissä on paljon teonnimiä, esimerkiksi {1}. Kerro asia "
          "verbeillä: \"järjestämme\" eikä \"järjestäminen\".",
          "Texten har många substantiveringar, till exempel {1}. Skriv med "
          "verb: \"vi bedömer\" i stället för \"bedömningen\".",
          "The text has many nominalisations, for example {1}. Use verbs: \"we "
          "assess\" rather than \"the assessment\"."},
         {"{8}.", "{8}.", "{8}."}},
    [CHECK_M_WIIO] =
        {CHECK_M_WIIO,
         "readability_wiio",
         {"Tekstissä on paljon pitkiä ja vaikeita sanoja. Käytä lyhyitä ja "
          "tuttuja sanoja.",
          "Texten har många långa och svåra ord. Använd korta och vanliga ord.",
          "The text has many long, hard words. Use short, everyday words."},
         {"{8}.", "{8}.", "{8}."}},
    [CHECK_M_LIX] =
        {CHECK_M_LIX,
         "readability_lix",
         {"Teksti on vaikea lukea: lauseet ja sanat ovat pitkiä. Kirjoita "
          "lyhyempiä lauseita ja sanoja.",
          "Texten är svår att läsa: meningarna och orden är långa. Skriv "
          "kortare meningar och ord.",
          "The text is hard to read: the sentences and words are long. Write "
          "shorter sentences and words."},
         {"{8}.", "{8}.", "{8}."}},
    [CHECK_M_SUBCLAUSES] =
        {CHECK_M_SUBCLAUSES,
         "subclauses_many",
         {"Lauseissa on paljon sivulauseita (että, joka, koska…). Kirjoita "
          "yksi asia yhteen lauseeseen.",
          "Meningarna har många bisatser (att, som, eftersom…). Skriv en sak i "
          "varje mening.",
          "The sentences have many subordinate clauses. Give each point a "
          "sentence of its own."},
         {"{8}.", "{8}.", "{8}."}},
    [CHECK_M_NEGATIONS] =
        {CHECK_M_NEGATIONS,
         "negations_many",
         {"Tekstissä on paljon kieltoja. Kerro asiat myönteisesti: mitä voi "
          "tehdä.",
          "Texten har många negationer. Skriv positivt: vad man kan göra.",
          "The text has many negations. Say it in the positive: what people "
          "can "
          "do."},
         {"{8}.", "{8}.", "{8}."}},
    [CHECK_M_PASSIVE] =
        {CHECK_M_PASSIVE,
         "passive_many",
         {"Tekstissä on paljon passiivia, esimerkiksi {1}. Kerro, kuka tekee: "
          "\"Yhdistys järjestää\".",
          "Texten har mycket passiv, till exempel {1}. Skriv vem som gör det: "
          "\"Föreningen ordnar\".",
          "The text has a lot of passive, for example {1}. Say who does it: "
          "\"The association organises\"."},
         {"{8}.", "{8}.", "{8}."}},
    [CHECK_M_PARTICIPIAL] =
        {CHECK_M_PARTICIPIAL,
         "participial",
         {"Tekstissä on lauseenvastikkeita, esimerkiksi {1}. Kirjoita asia "
          "omaksi lauseekseen: \"kun hän tuli kotiin\".",
          "Texten har participkonstruktioner, till exempel {1}. Skriv det som "
          "en egen mening.",
          "The text has participial constructions, for example {1}. Write each "
          "as a sentence of its own."},
         {"{8}.", "{8}.", "{8}."}},
    [CHECK_M_ABBREVIATION] = {CHECK_M_ABBREVIATION,
                              "abbreviation",
                              {"Kirjoita lyhenne auki: {2}",
                               "Skriv ut förkortningen: {2}",
                               "Write the abbreviation out: {2}"},
                              {NULL, NULL, NULL}},
    [CHECK_M_OFFICIALESE] = {CHECK_M_OFFICIALESE,
                             "officialese",
                             {"Virkakieltä: {1}. Kirjoita mieluummin: {2}",
                              "Myndighetsspråk: {1}. Skriv hellre: {2}",
                              "Official jargon: {1}. Prefer: {2}"},
                             {NULL, NULL, NULL}},
    [CHECK_M_WEEKDAY] = {CHECK_M_WEEKDAY,
                         "abbreviation",
                         {"Kirjoita viikonpäivä kokonaan: {2}",
                          "Skriv veckodagen helt: {2}",
                          "Write the weekday in full: {2}"},
                         {NULL, NULL, NULL}},
    [CHECK_M_NUMBER_LONG] =
        {CHECK_M_NUMBER_LONG,
         "number_long",
         {"Iso luku: {1}. Pyöristä se ja kirjoita sanoin, esimerkiksi \"yli 12 "
          "tuhatta\".",
          "Stort tal: {1}. Avrunda och skriv med ord, till exempel \"över 12 "
          "tusen\".",
          "Large number: {1}. Round it and use words, for example \"over 12 "
          "thousand\"."},
         {NULL, NULL, NULL}},
    [CHECK_M_NUMBER_PERCENT] =
        {CHECK_M_NUMBER_PERCENT,
         "number_percent",
         {"Prosentti: {1}. Kirjoita mieluummin \"puolet\", \"joka neljäs\" tai "
          "\"lähes kaikki\".",
          "Procent: {1}. Skriv hellre \"hälften\", \"var fjärde\" eller "
          "\"nästan alla\".",
          "Percentage: {1}. Prefer \"half\", \"one in four\" or \"almost "
          "all\"."},
         {NULL, NULL, NULL}},
    [CHECK_M_NUMBER_FRACTION] =
        {CHECK_M_NUMBER_FRACTION,
         "number_fraction",
         {"Murtoluku: {1}. Kirjoita se sanoin, esimerkiksi \"puolet\" tai "
          "\"neljännes\".",
          "Bråktal: {1}. Skriv det med ord, till exempel \"hälften\" eller "
          "\"en "
          "fjärdedel\".",
          "Fraction: {1}. Write it in words, for example \"half\" or \"a "
          "quarter\"."},
         {NULL, NULL, NULL}},
    [CHECK_M_NUMBER_DECIMAL] =
        {CHECK_M_NUMBER_DECIMAL,
         "number_decimal",
         {"Desimaaliluku: {1}. Pyöristä se kokonaisluvuksi, jos voit.",
          "Decimaltal: {1}. Avrunda till ett heltal om du kan.",
          "Decimal number: {1}. Round it to a whole number if you can."},
         {NULL, NULL, NULL}},
    [CHECK_M_NUMBER_ROMAN] =
        {CHECK_M_NUMBER_ROMAN,
         "number_roman",
         {"Roomalainen numero: {1}. Kirjoita se tavallisin numeroin: {2}.",
          "Romersk siffra: {1}. Skriv den med vanliga siffror: {2}.",
          "Roman numeral: {1}. Write it in ordinary digits: {2}."},
         {NULL, NULL, NULL}},
    [CHECK_M_CAPITALS] =
        {CHECK_M_CAPITALS,
         "capitals_many",
         {"Isot kirjaimet: {1}. Tekstissä on {2} sanaa isoilla kirjaimilla. "
          "Kirjoita tavallisin kirjaimin, sillä isoja kirjaimia on vaikea "
          "lukea.",
          "Versaler: {1}. Texten har {2} ord med bara versaler. Skriv med "
          "vanliga bokstäver, för versaler är svåra att läsa.",
          "Capitals: {1}. The text has {2} words in capitals. Use normal case: "
          "capitals are hard to read."},
         {NULL, NULL, NULL}},
    [CHECK_M_MORPHOLOGY_UNAVAILABLE] =
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
          "compound parts). All other checks ran."},
         {NULL, NULL, NULL}},
    [CHECK_M_LANGUAGE_NOT_CHECKED] =
        {CHECK_M_LANGUAGE_NOT_CHECKED,
         "language_not_checked",
         {"Kielen {1} tekstiä ei tarkisteta selkokielen sääntöjen mukaan. "
          "Sisältösäännöt tarkistettiin.",
          "Text på språket {1} granskas inte enligt reglerna för lättläst. "
          "Innehållsreglerna kontrollerades.",
          "Text in the language {1} is not checked against plain-language "
          "rules. The content rules were checked."},
         {NULL, NULL, NULL}},
    [CHECK_M_TITLE_MISSING] = {CHECK_M_TITLE_MISSING,
                               "title_missing",
                               {"Otsikko puuttuu. Kirjoita lyhyt otsikko.",
                                "Rubriken saknas. Skriv en kort rubrik.",
                                "The title is missing. Write a short title."},
                               {NULL, NULL, NULL}},
    [CHECK_M_BODY_MISSING] = {CHECK_M_BODY_MISSING,
                              "body_missing",
                              {"Teksti puuttuu. Kirjoita, mistä on kyse.",
                               "Texten saknas. Skriv vad det gäller.",
                               "The text is missing. Say what it is about."},
                              {NULL, NULL, NULL}},
    [CHECK_M_ORGANISATION_MISSING] =
        {CHECK_M_ORGANISATION_MISSING,
         "organisation_missing",
         {"Lähettäjä puuttuu. Valitse järjestö tai seurakunta, jolta tiedote "
          "tulee.",
          "Avsändaren saknas. Välj organisationen eller församlingen som "
          "meddelandet kommer från.",
          "The sender is missing. Choose the organisation or parish it comes "
          "from."},
         {NULL, NULL, NULL}},
    [CHECK_M_CONTACT_MISSING] =
        {CHECK_M_CONTACT_MISSING,
         "contact_missing",
         {"Yhteystieto puuttuu. Lisää yhteyshenkilö.",
          "Kontaktuppgiften saknas. Lägg till en kontaktperson.",
          "The contact is missing. Add a contact person."},
         {NULL, NULL, NULL}},
    [CHECK_M_DISPLAY_UNTIL_MISSING] =
        {CHECK_M_DISPLAY_UNTIL_MISSING,
         "display_until_missing",
         {"Päättymispäivä puuttuu. Valitse, mihin asti tiedote näkyy.",
          "Slutdatumet saknas. Välj hur länge meddelandet visas.",
          "The end date is missing. Choose until when it is shown."},
         {NULL, NULL, NULL}},
    [CHECK_M_DISPLAY_UNTIL_PAST] =
        {CHECK_M_DISPLAY_UNTIL_PAST,
         "display_until_past",
         {"Päättymispäivä {1} on jo mennyt. Valitse tuleva päivä.",
          "Slutdatumet {1} har redan passerat. Välj ett datum i framtiden.",
          "The end date {1} has already passed. Choose a future date."},
         {NULL, NULL, NULL}},
    [CHECK_M_DISPLAY_UNTIL_BEFORE_FROM] =
        {CHECK_M_DISPLAY_UNTIL_BEFORE_FROM,
         "display_until_before_start",
         {"Näkyminen päättyy ({1}) ennen kuin se alkaa ({2}). Korjaa päivät.",
          "Visningen slutar ({1}) innan den börjar ({2}). Rätta datumen.",
          "Display ends ({1}) before it starts ({2}). Correct the dates."},
         {NULL, NULL, NULL}},
    [CHECK_M_DISPLAY_UNTIL_BEFORE_EVENT] =
        {CHECK_M_DISPLAY_UNTIL_BEFORE_EVENT,
         "display_until_before_event",
         {"Ilmoitus poistuu näytöltä ({1}) ennen kuin tapahtuma alkaa ({2}). "
          "Tarkista päättymispäivä.",
          "Meddelandet tas bort ({1}) innan evenemanget börjar ({2}). "
          "Kontrollera slutdatumet.",
          "The notice is removed ({1}) before the event starts ({2}). Check "
          "the "
          "end date."},
         {NULL, NULL, NULL}},
    [CHECK_M_EVENT_START_MISSING] =
        {CHECK_M_EVENT_START_MISSING,
         "event_start_missing",
         {"Tapahtuman alkamisaika puuttuu. Valitse päivä ja kellonaika.",
          "Evenemangets starttid saknas. Välj datum och klockslag.",
          "The event's start time is missing. Choose the date and time."},
         {NULL, NULL, NULL}},
    [CHECK_M_EVENT_END_MISSING] =
        {CHECK_M_EVENT_END_MISSING,
         "event_end_missing",
         {"Tapahtuman päättymisaika puuttuu. Valitse päivä ja kellonaika.",
          "Evenemangets sluttid saknas. Välj datum och klockslag.",
          "The event's end time is missing. Choose the date and time."},
         {NULL, NULL, NULL}},
    [CHECK_M_EVENT_END_BEFORE_START] =
        {CHECK_M_EVENT_END_BEFORE_START,
         "event_end_before_start",
         {"Tapahtuma päättyy ({1}) ennen kuin se alkaa ({2}). Korjaa ajat.",
          "Evenemanget slutar ({1}) innan det börjar ({2}). Rätta tiderna.",
          "The event ends ({1}) before it starts ({2}). Correct the times."},
         {NULL, NULL, NULL}},
    [CHECK_M_TIME_CONTRADICTS_START] =
        {CHECK_M_TIME_CONTRADICTS_START,
         "time_contradicts_event",
         {"Tekstissä lukee {1}, mutta tapahtuma alkaa kello {2}. Korjaa teksti "
          "tai alkamisaika.",
          "I texten står det {1}, men evenemanget börjar kl. {2}. Rätta texten "
          "eller starttiden.",
          "The text says {1}, but the event starts at {2}. Correct the text or "
          "the start time."},
         {NULL, NULL, NULL}},
    [CHECK_M_TIME_CONTRADICTS_END] =
        {CHECK_M_TIME_CONTRADICTS_END,
         "time_contradicts_event",
         {"Tekstissä lukee {1}, mutta tapahtuma päättyy kello {2}. Korjaa "
          "teksti tai päättymisaika.",
          "I texten står det {1}, men evenemanget slutar kl. {2}. Rätta texten "
          "eller sluttiden.",
          "The text says {1}, but the event ends at {2}. Correct the text or "
          "the "
          "end time."},
         {NULL, NULL, NULL}},
    [CHECK_M_TIME_OUTSIDE_EVENT] =
        {CHECK_M_TIME_OUTSIDE_EVENT,
         "time_contradicts_event",
         {"Tekstissä lukee {1}, mutta tapahtuma on kello {2}. Korjaa teksti "
          "tai "
          "tapahtuman aika.",
          "I texten står det {1}, men evenemanget är kl. {2}. Rätta texten "
          "eller "
          "tiden.",
          "The text says {1}, but the event is at {2}. Correct the text or the "
          "event time."},
         {NULL, NULL, NULL}},
    [CHECK_M_IMAGE_ALT_MISSING] =
        {CHECK_M_IMAGE_ALT_MISSING,
         "image_alt_missing",
         {"Kuvalta puuttuu tekstivastine. Kerro lyhyesti, mitä kuvassa on.",
          "Bilden saknar textalternativ. Beskriv kort vad bilden visar.",
          "The image has no text alternative. Say briefly what it shows."},
         {NULL, NULL, NULL}},
    [CHECK_M_LINK_SCHEME] = {CHECK_M_LINK_SCHEME,
                             "link_scheme",
                             {"Linkin pitää alkaa https:// tai http://.",
                              "Länken ska börja med https:// eller http://.",
                              "The link must start with https:// or http://."},
                             {NULL, NULL, NULL}},
    [CHECK_M_LINK_HTTP] =
        {CHECK_M_LINK_HTTP,
         "link_http",
         {"Linkki ei ole suojattu (http). Käytä https-osoitetta, jos sivulla "
          "on "
          "sellainen.",
          "Länken är inte skyddad (http). Använd https om sidan har det.",
          "The link is not secure (http). Use https if the site has it."},
         {NULL, NULL, NULL}},
    [CHECK_M_LINK_SPACE] =
        {CHECK_M_LINK_SPACE,
         "link_space",
         {"Linkissä on välilyönti tai näkymätön merkki. Kopioi osoite "
          "uudelleen.",
          "Länken har ett mellanslag eller ett osynligt tecken. Kopiera "
          "adressen "
          "igen.",
          "The link has a space or an invisible character. Copy the address "
          "again."},
         {NULL, NULL, NULL}},
    [CHECK_M_LINK_HOST] =
        {CHECK_M_LINK_HOST,
         "link_host",
         {"Linkistä puuttuu palvelimen nimi, esimerkiksi www.pohde.fi.",
          "Länken saknar servernamn, till exempel www.pohde.fi.",
          "The link has no server name, for example www.pohde.fi."},
         {NULL, NULL, NULL}},
    [CHECK_M_LINK_USERINFO] =
        {CHECK_M_LINK_USERINFO,
         "link_userinfo",
         {"Linkissä on @-merkki ennen palvelimen nimeä. Linkki voi viedä "
          "muualle kuin näyttää. Käytä suoraa osoitetta.",
          "Länken har ett @ före servernamnet. Länken kan leda någon "
          "annanstans "
          "än den ser ut. Använd en direkt adress.",
          "The link has an @ before the server name, so it may lead somewhere "
          "other than it seems. Use a direct address."},
         {NULL, NULL, NULL}},
    [CHECK_M_LINK_LONG] =
        {CHECK_M_LINK_LONG,
         "link_long",
         {"Linkki on pitkä ({1} merkkiä), joten QR-koodista tulee tiheä. Käytä "
          "lyhyempää osoitetta.",
          "Länken är lång ({1} tecken), så QR-koden blir tät. Använd en "
          "kortare "
          "adress.",
          "The link is long ({1} characters), so its QR code gets dense. Use a "
          "shorter address."},
         {NULL, NULL, NULL}},
    [CHECK_M_LINK_TOO_LONG] =
        {CHECK_M_LINK_TOO_LONG,
         "link_too_long",
         {"Linkki on liian pitkä: {1} merkkiä (enintään {2}).",
          "Länken är för lång: {1} tecken (högst {2}).",
          "The link is too long: {1} characters (at most {2})."},
         {NULL, NULL, NULL}},
    [CHECK_M_LINK_LOCAL] =
        {CHECK_M_LINK_LOCAL,
         "link_local",
         {"Linkki vie paikalliseen tai sisäverkon osoitteeseen ({1}). Se ei "
          "aukea yleisön puhelimessa. Käytä julkista osoitetta.",
          "Länken leder till en lokal adress eller en adress i ett internt "
          "nät ({1}). Den öppnas inte i allmänhetens telefoner. Använd en "
          "offentlig adress.",
          "The link points to a local or internal network address ({1}). It "
          "will not open on the public's phones. Use a public address."},
         {NULL, NULL, NULL}},
    [CHECK_M_MARKUP_TAG] =
        {CHECK_M_MARKUP_TAG,
         "markup_tag",
         {"Tekstissä on HTML-koodia: {1}. Kirjoita pelkkää tekstiä.",
          "Texten har HTML-kod: {1}. Skriv bara vanlig text.",
          "The text contains HTML: {1}. Write plain text only."},
         {NULL, NULL, NULL}},
    [CHECK_M_MARKUP_ENTITY] =
        {CHECK_M_MARKUP_ENTITY,
         "markup_entity",
         {"Tekstissä on HTML-merkintä: {1}. Kirjoita merkki sellaisenaan.",
          "Texten har en HTML-kod: {1}. Skriv tecknet som det är.",
          "The text contains an HTML entity: {1}. Type the character itself."},
         {NULL, NULL, NULL}},
    [CHECK_M_MARKUP_SCRIPT] =
        {CHECK_M_MARKUP_SCRIPT,
         "markup_script",
         {"Tekstissä on ohjelmakoodia: {1}. Sitä ei voi julkaista.",
          "Texten innehåller programkod: {1}. Den kan inte publiceras.",
          "The text contains script code: {1}. It cannot be published."},
         {NULL, NULL, NULL}},
    [CHECK_M_CONTROL_CHAR] =
        {CHECK_M_CONTROL_CHAR,
         "control_char",
         {"Tekstissä on näkymätön ohjausmerkki ({1}). Poista se tai kirjoita "
          "teksti uudelleen.",
          "Texten har ett osynligt styrtecken ({1}). Ta bort det eller skriv "
          "texten på nytt.",
          "The text has an invisible control character ({1}). Remove it or "
          "type "
          "the text again."},
         {NULL, NULL, NULL}},
    {CHECK_M_UTF8_INVALID,
     "utf8_invalid",
     {"Tekstissä on rikkinäinen merkki. Kopioi teksti uudelleen tai "
      "kirjoita se käsin.",
      "Texten har ett trasigt tecken. Kopiera texten igen eller skriv den "
      "för hand.",
      "The text has a broken character. Copy it again or type it by hand."},
     {NULL, NULL, NULL}},
    [CHECK_M_TOO_LONG] =
        {CHECK_M_TOO_LONG,
         "too_long",
         {"Teksti on liian pitkä. Alleviivattu osa ei mahdu: lyhennä tekstiä.",
          "Texten är för lång. Den understrukna delen ryms inte: korta texten.",
          "The text is too long. The underlined part does not fit: shorten "
          "it."},
         {NULL, NULL, NULL}},
    [CHECK_M_FIT_PAGES] =
        {CHECK_M_FIT_PAGES,
         "text_does_not_fit",
         {"{7} Lyhennä tekstiä tai kirjoita lyhyt näytöllä näkyvä teksti. "
          "Silloin näyttö näyttää sen, ja koko teksti näkyy verkossa.",
          "{7} Korta texten eller skriv en kort text för skärmen. Då visar "
          "skärmen den, och hela texten syns på webben.",
          "{7} Shorten the text or write a short text for the screen. The "
          "screen then shows that, and the whole text is on the web."},
         {"Näyttö: {8}.", "Skärm: {8}.", "Screen: {8}."}},
    [CHECK_M_FIT_PAGES_SUMMARY] = {CHECK_M_FIT_PAGES_SUMMARY,
                                   "text_does_not_fit",
                                   {"{7} Lyhennä näytöllä näkyvää tekstiä.",
                                    "{7} Korta texten för skärmen.",
                                    "{7} Shorten the text for the screen."},
                                   {"Näyttö: {8}.", "Skärm: {8}.",
                                    "Screen: {8}."}},
    [CHECK_M_FIT_TITLE] = {CHECK_M_FIT_TITLE,
                           "title_does_not_fit",
                           {"{7} Lyhennä otsikkoa.", "{7} Korta rubriken.",
                            "{7} Shorten the title."},
                           {"Näyttö: {8}.", "Skärm: {8}.", "Screen: {8}."}},
    [CHECK_M_FIT_WORD] =
        {CHECK_M_FIT_WORD,
         "word_too_wide",
         {"{7} Sen voi jakaa näin: {1}. Kirjoita se useammalla sanalla tai "
          "käytä lyhyempää sanaa.",
          "{7} Det kan delas så här: {1}. Skriv det med flera ord eller "
          "använd ett kortare ord.",
          "{7} It splits like this: {1}. Write it as several words or use a "
          "shorter word."},
         {"Näyttö: {8}.", "Skärm: {8}.", "Screen: {8}."}},
    [CHECK_M_FIT_WORD_PLAIN] =
        {CHECK_M_FIT_WORD_PLAIN,
         "word_too_wide",
         {"{7} Kirjoita se useammalla sanalla tai käytä lyhyempää sanaa.",
          "{7} Skriv det med flera ord eller använd ett kortare ord.",
          "{7} Write it as several words or use a shorter word."},
         {"Näyttö: {8}.", "Skärm: {8}.", "Screen: {8}."}},
    [CHECK_M_FIT_WORD_SPLIT] =
        {CHECK_M_FIT_WORD_SPLIT,
         "word_split",
         {"{7} Näyttö jakaa sen tavuviivalla kahdelle riville ({1}). Jos "
          "haluat, kirjoita se useammalla sanalla.",
          "{7} Skärmen delar det med ett bindestreck på två rader ({1}). Om "
          "du vill, skriv det med flera ord.",
          "{7} The screen breaks it over two lines with a hyphen ({1}). If "
          "you like, write it as several words."},
         {"Näyttö: {8}.", "Skärm: {8}.", "Screen: {8}."}},
    [CHECK_M_FIT_LOST] = {CHECK_M_FIT_LOST,
                          "text_not_shown",
                          {"{7} Lyhennä tekstiä, muuten osa siitä ei näy.",
                           "{7} Korta texten, annars syns en del av den inte.",
                           "{7} Shorten the text, or part of it is not shown."},
                          {"Näyttö: {8}.", "Skärm: {8}.", "Screen: {8}."}},
    [CHECK_M_FIT_NO_ROOM] =
        {CHECK_M_FIT_NO_ROOM,
         "screen_too_small",
         {"{7} Kerro siitä toimipisteen yhteyshenkilölle: näytön asetukset "
          "pitää tarkistaa.",
          "{7} Berätta det för kontaktpersonen: skärmens inställningar ska "
          "kontrolleras.",
          "{7} Tell the centre's contact person: the screen's settings need "
          "checking."},
         {"Näyttö: {8}.", "Skärm: {8}.", "Screen: {8}."}},
};

const struct check_msg *check_msg_get(enum check_msg_id id)
{
    return &msgs[id];
}

/* Each reason is either a statement of its own ("lauseet ovat pitkiä")
 * or, with `item` set, a thing the paragraph has ("paljon teonnimiä"):
 * the items are listed after one "siinä on", so that the message does not
 * say "siinä on" four times. The advice is what to do, one sentence. */
static const struct check_phrase phrases[CHECK_PH_COUNT] = {
    [CHECK_PH_WPS] =
        {CHECK_PH_WPS,
         0,
         {"lauseet ovat pitkiä", "meningarna är långa",
          "the sentences are long"},
         {"keskimäärin {1} sanaa lauseessa (selkokielessä enintään {2})",
          "i snitt {1} ord per mening (lättläst: högst {2})",
          "{1} words per sentence on average (plain language: at most {2})"},
         {"Jaa pitkät lauseet kahtia.", "Dela de långa meningarna i två.",
          "Split the long sentences in two."}},
    [CHECK_PH_LONGEST] = {CHECK_PH_LONGEST,
                          1,
                          {"pitkiä lauseita", "långa meningar",
                           "long sentences"},
                          {"pisin lause {1} sanaa (enintään {2})",
                           "längsta meningen {1} ord (högst {2})",
                           "longest sentence {1} words (at most {2})"},
                          {"Jaa pitkät lauseet kahtia.",
                           "Dela de långa meningarna i två.",
                           "Split the long sentences in two."}},
    [CHECK_PH_LETTERS] = {CHECK_PH_LETTERS,
                          0,
                          {"sanat ovat pitkiä", "orden är långa",
                           "the words are long"},
                          {"keskimäärin {1} kirjainta sanassa (enintään {2})",
                           "i snitt {1} bokstäver per ord (högst {2})",
                           "{1} letters per word on average (at most {2})"},
                          {"Käytä lyhyitä ja tuttuja sanoja.",
                           "Använd korta och vanliga ord.",
                           "Use short, everyday words."}},
    [CHECK_PH_LONG] = {CHECK_PH_LONG,
                       1,
                       {"paljon pitkiä sanoja", "många långa ord",
                        "many long words"},
                       {"{1} pitkää sanaa sadassa sanassa (enintään {2})",
                        "{1} långa ord per hundra ord (högst {2})",
                        "{1} long words per 100 words (at most {2})"},
                       {"Käytä lyhyitä ja tuttuja sanoja.",
                        "Använd korta och vanliga ord.",
                        "Use short, everyday words."}},
    [CHECK_PH_NOMINALS] =
        {CHECK_PH_NOMINALS,
         1,
         {"paljon teonnimiä", "många substantiveringar",
          "many nominalisations"},
         {"{1} teonnimeä tai käsitesanaa sadassa sanassa (enintään {2})",
          "{1} substantiveringar per hundra ord (högst {2})",
          "{1} nominalisations per 100 words (at most {2})"},
         {"Kerro asiat verbeillä: \"järjestämme\", ei \"järjestäminen\".",
          "Skriv med verb: \"vi ordnar\", inte \"anordnandet\".",
          "Use verbs: \"we organise\", not \"the organisation of\"."}},
    [CHECK_PH_OFFICIALESE] =
        {CHECK_PH_OFFICIALESE,
         1,
         {"virkakieltä", "myndighetsspråk", "official jargon"},
         {"{1} virkakielen sanaa sadassa sanassa (enintään {2})",
          "{1} ord av myndighetsspråk per hundra ord (högst {2})",
          "{1} jargon words per 100 words (at most {2})"},
         {"Vaihda virkakielen sanat arkisiin.",
          "Byt myndighetsorden mot vardagliga ord.",
          "Replace the jargon with everyday words."}},
    [CHECK_PH_WIIO] =
        {CHECK_PH_WIIO,
         0,
         {"sanat ovat vaikeita", "orden är svåra", "the words are hard"},
         {"Wiion luku {1} (enintään {2})", "Wiios index {1} (högst {2})",
          "Wiio index {1} (at most {2})"},
         {"Käytä lyhyitä ja tuttuja sanoja.", "Använd korta och vanliga ord.",
          "Use short, everyday words."}},
    [CHECK_PH_LIX] = {CHECK_PH_LIX,
                      0,
                      {"lauseet ja sanat ovat pitkiä",
                       "meningarna och orden är långa",
                       "the sentences and words are long"},
                      {"LIX-luku {1} (enintään {2})", "LIX {1} (högst {2})",
                       "LIX {1} (at most {2})"},
                      {"Kirjoita lyhyempiä lauseita ja sanoja.",
                       "Skriv kortare meningar och ord.",
                       "Write shorter sentences and words."}},
    [CHECK_PH_SUBCLAUSES] =
        {CHECK_PH_SUBCLAUSES,
         1,
         {"paljon sivulauseita", "många bisatser", "many subordinate clauses"},
         {"{1} sivulausetta lausetta kohden (enintään {2})",
          "{1} bisatser per mening (högst {2})",
          "{1} subordinate clauses per sentence (at most {2})"},
         {"Kerro yksi asia yhdessä lauseessa.", "Skriv en sak i varje mening.",
          "Give each point a sentence of its own."}},
    [CHECK_PH_NEGATIONS] = {CHECK_PH_NEGATIONS,
                            1,
                            {"paljon kieltoja", "många negationer",
                             "many negations"},
                            {"{1} kieltoa lausetta kohden (enintään {2})",
                             "{1} negationer per mening (högst {2})",
                             "{1} negations per sentence (at most {2})"},
                            {"Kerro, mitä voi tehdä.",
                             "Skriv vad man kan göra.",
                             "Say what people can do."}},
    [CHECK_PH_PASSIVE] = {CHECK_PH_PASSIVE,
                          1,
                          {"paljon passiivia", "mycket passiv",
                           "a lot of passive"},
                          {"passiivissa {1} % verbeistä (enintään {2} %)",
                           "{1} % av verben i passiv (högst {2} %)",
                           "{1} % of the verbs passive (at most {2} %)"},
                          {"Kerro, kuka tekee.", "Skriv vem som gör det.",
                           "Say who does it."}},
    [CHECK_PH_PARTICIPIAL] =
        {CHECK_PH_PARTICIPIAL,
         1,
         {"lauseenvastikkeita", "participkonstruktioner",
          "participial constructions"},
         {"{1} lauseenvastiketta sadassa sanassa (enintään {2})",
          "{1} participkonstruktioner per hundra ord (högst {2})",
          "{1} participial constructions per 100 words (at most {2})"},
         {"Kirjoita ne omiksi lauseiksi.", "Skriv dem som egna meningar.",
          "Write them as sentences of their own."}},
};

const struct check_phrase *check_phrase_get(enum check_phrase_id id)
{
    return &phrases[id];
}

const char *check_phrase_and(int lang)
{
    static const char *const and[CHECK_MSG_LANGS] = {" ja ", " och ", " and "};

    return lang >= 0 && lang < CHECK_MSG_LANGS ? and[lang] : ", ";
}

const char *check_phrase_has(int lang)
{
    static const char *const has[CHECK_MSG_LANGS] = {"siinä on ", "den har ",
                                                     "it has "};

    return lang >= 0 && lang < CHECK_MSG_LANGS ? has[lang] : "";
}

const char *check_phrase_then(int lang)
{
    static const char *const then[CHECK_MSG_LANGS] = {", ja ", ", och ",
                                                      ", and "};

    return lang >= 0 && lang < CHECK_MSG_LANGS ? then[lang] : ", ";
}

char *check_msg_expand(const char *tmpl, const char *const args[CHECK_MSG_ARGS])
{
    struct taulu_buf b;
    const char *p;

    taulu_buf_init(&b, 16 * 1024);
    for (p = tmpl; *p; p++) {
        if (p[0] == '{' && p[1] >= '1' && p[1] <= '0' + CHECK_MSG_ARGS &&
            p[2] == '}') {
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
