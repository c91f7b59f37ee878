"""Redaction: every phone and personnummer shape, names with and without context,
place names and bodies that stay."""

import pytest

from tillit.nlp import redact


@pytest.mark.parametrize("phone", [
    "070-123 45 67", "0701234567", "070 123 45 67", "08-123 456 78", "08-12 34 56",
    "+46 70 123 45 67", "+46701234567", "0046 8 123 456 78", "0470-41 000", "031-711 22 33",
    "073-456 78 90",
    # a trunk zero in parentheses after the country code is not counted (issue 15, set 6)
    "+46 (0)709 12 34 56", "+46 (0)8-123 456 78", "0046 (0)70 123 45 67",
])
def test_phone_shapes(phone):
    r = redact(f"Ring mig på {phone} om du vill.")
    assert r.text == "Ring mig på [TELEFON] om du vill."
    assert [s.kind for s in r.found] == ["phone"]


@pytest.mark.parametrize("number,kind", [
    ("19790312-1234", "personnummer"),      # fails the check digit: still redacted
    ("790312-1234", "personnummer"),
    ("197903121234", "personnummer"),
    ("121212+1212", "personnummer"),         # 100 years or older
    ("19701063-2391", "samordningsnummer"),  # day + 60
    ("701063-2391", "samordningsnummer"),
])
def test_personnummer_shapes(number, kind):
    r = redact(f"Mitt nummer är {number}.")
    assert r.text == "Mitt nummer är [PERSONNUMMER]."
    assert [s.kind for s in r.found] == [kind]


def test_spans_point_into_the_original_text():
    text = "Mejla anna.wikstrom@kommun.se eller ring 070-123 45 67."
    r = redact(text)
    assert [text[s.start:s.end] for s in r.found] == ["anna.wikstrom@kommun.se", "070-123 45 67"]
    assert r.text == "Mejla [E-POST] eller ring [TELEFON]."


@pytest.mark.parametrize("text,expected", [
    ("KSO Per Andersson ringde.", "KSO [NAMN] ringde."),
    ("Lena på ekonomi vet.", "[NAMN] på ekonomi vet."),
    ("Vi pratade med kommundirektören Berg igår.", "Vi pratade med kommundirektören [NAMN] igår."),
    ("Fråga förvaltningschefen Maj.", "Fråga förvaltningschefen [NAMN]."),
    ("Det var Maj Berg som skrev.", "Det var [NAMN] som skrev."),
    ("Jag, Sven-Erik Nyström (C), undrar.", "Jag, [NAMN] [PARTI], undrar."),
    ("Hälsningar /Ingrid Svensson", "Hälsningar /[NAMN]"),
    ("Karins förslag var bra.", "[NAMN] förslag var bra."),
    ("Mitt förtroende för ekonomichefen Lars Berg är lågt.", "Mitt förtroende för ekonomichefen [NAMN] är lågt."),
])
def test_names_with_context(text, expected):
    assert redact(text).text == expected


@pytest.mark.parametrize("text", [
    "Per nämnd finns tre mål.",
    "Max 5 mål per nämnd.",
    "Berg och dal i budgeten.",
    "Rut-avdraget diskuterades inte.",
    "Sten på sten bygger förtroende.",
    "Vi jämför oss med Kävlinge och Lund.",
    "Kommunstyrelsen och Socialnämnden beslutade.",
    "Inga kommentarer.",
    "Hans roll är oklar.",
    "Under 2020-2024 ökade kostnaderna med 12 000 000 kr för 900 anställda.",
    "Vision 2030 antogs 2019-05-12.",
])
def test_words_places_and_bodies_stay(text):
    r = redact(text)
    assert r.text == text
    assert r.found == []


def test_empty_and_non_string():
    assert redact("").text == ""
    assert redact(None).text == ""  # type: ignore[arg-type]


@pytest.mark.parametrize("text,expected", [
    # lower-case names with context
    ("Jag har frågat johan på hr flera gånger.", "Jag har frågat [NAMN] på hr flera gånger."),
    ("Prata med eva-lena i receptionen.", "Prata med [NAMN] i receptionen."),
    ("ingrid svensson svarade aldrig.", "[NAMN] svarade aldrig."),
    # a surname the lists lack, after a known or an unknown first name
    ("Frågan gick till Anna Al-Hassan direkt.", "Frågan gick till [NAMN] direkt."),
    ("Det var Goran Marković som skrev.", "Det var [NAMN] som skrev."),
    ("Omar Haddad (MP) röstade nej.", "[NAMN] [PARTI] röstade nej."),
    # party letters are sensitive on their own
    ("Vi i (SD) och (V) är överens.", "Vi i [PARTI] och [PARTI] är överens."),
    # set 16's false redaction (after its held-out run): what a party does
    ("Efter fyrtio år med (S) vid makten har många svårt.", "Efter fyrtio år med (S) vid makten har många svårt."),
    # training q: letters after a subjunction are the party ("sedan (S) och (C) gjorde upp")
    ("Det blev bättre sedan (S) och (C) gjorde upp.", "Det blev bättre sedan (S) och (C) gjorde upp."),
    ("Det blev bättre sedan Anna Berg (S) gick.", "Det blev bättre sedan [NAMN] [PARTI] gick."),
    ("Anna Berg (S) vid makten sa nej.", "[NAMN] [PARTI] vid makten sa nej."),
    ("Jag sitter för (kd) i nämnden.", "Jag sitter för [PARTI] i nämnden."),
    # street addresses
    ("Skicka det hem till mig, Kvarngatan 4 B, 352 30 Växjö.", "Skicka det hem till mig, [ADRESS]."),
    ("Mötet hölls hemma hos mig på ekvägen 12.", "Mötet hölls hemma hos mig på [ADRESS]."),
    # disguised e-mail addresses
    ("Mejla olle(at)kommun.se om det.", "Mejla [E-POST] om det."),
    ("Skriv till olle [at] kommun.se.", "Skriv till [E-POST]."),
    ("Nå mig på olle punkt ek at vaxjo punkt se i vår.", "Nå mig på [E-POST] i vår."),
])
def test_redaction_gaps_closed(text, expected):
    assert redact(text).text == expected


@pytest.mark.parametrize("text", [
    "This is not sustainable, sa konsulten.",
    "Vi behöver en sekreterare per parti.",
    "Look at the numbers.",
    "Chef(er) och ledamot(er) ska gå utbildningen.",
    "Gatan 12 i planen är fel.",
    "Förslag (a), (b) och (x) diskuterades.",
    "Jag har en annan bild av läget.",
    "Det är en lena och mjuk övergång.",
])
def test_no_false_redactions(text):
    r = redact(text)
    assert r.text == text, r.found


def test_party_can_be_kept_explicitly():
    assert redact("Omar Haddad (MP) röstade nej.", party=False).text == "[NAMN] (MP) röstade nej."


@pytest.mark.parametrize("text,expected", [
    # two name parts of other origins, in either order, none of them a Swedish list name
    ("Vi pratade med Chukwuemeka Okafor om saken.", "Vi pratade med [NAMN] om saken."),
    ("Agnieszka Wiśniewska ringde i går.", "[NAMN] ringde i går."),
    ("Det var Hoang Minh Tuan som skrev underlaget.", "Det var [NAMN] som skrev underlaget."),
    # surname first, a third part that is also a word ("Lan")
    ("Nguyen Thi Lan har byggt upp uppföljningen.", "[NAMN] har byggt upp uppföljningen."),
    # lower case: two name parts and a unit after them
    ("fråga amina yusuf på ekonomi om det.", "fråga [NAMN] på ekonomi om det."),
])
def test_names_of_many_origins(text, expected):
    assert redact(text).text == expected


@pytest.mark.parametrize("text", [
    # names somewhere that are Swedish or English words stay; so do word pairs
    "Vi kör Lean och Human Resources i Power BI.",
    "Park och Will är ord, så är Lan.",
    "Jag läste Agenda 2030 och Best Practice.",
    "Vi använder Microsoft Teams och Google Docs.",
])
def test_names_of_many_origins_need_two_parts_or_context(text):
    assert redact(text).text == text


def test_world_name_list_has_no_swedish_or_english_words():
    from tillit.nlp.redact import name_knowledge

    world = name_knowledge().world
    assert len(world) > 10_000
    for word in ("Lan", "Will", "Park", "Lean", "Power", "Region", "Agenda", "Best", "Van"):
        assert word not in world
    for name in ("Okafor", "Wojcik", "Nguyen", "Heikkinen"):
        assert name in world or name in name_knowledge().last


def test_world_name_list_is_up_to_date():
    """data/names_world.txt is what `python -m tillit.nlp.names_build` writes from Faker and simplemma."""
    from tillit.nlp.names_build import OUT, build

    assert OUT.read_text("utf-8").split("\n")[:-1] == build()


@pytest.mark.parametrize("text,expected", [
    # set 6's misses: names in no list, found by their shape (issue 15, fourth round)
    ("Hej, jag heter Siosaia Fifita och arbetar med kvalitet.", "Hej, jag heter [NAMN] och arbetar med kvalitet."),
    ("Frågor kan ställas till Olusegun Adeyemi.", "Frågor kan ställas till [NAMN]."),
    ("Handläggaren Li Na har gjort om rutinen.", "Handläggaren [NAMN] har gjort om rutinen."),
    ("Min chef Park Ji-woo och jag skrev mallen.", "Min chef [NAMN] och jag skrev mallen."),
    ("fråga shirin moradi i kommunstyrelsen.", "fråga [NAMN] i kommunstyrelsen."),
    # particles inside a name, hyphenated surnames in no list
    ("Vi pratade med Pieter van den Broek igår.", "Vi pratade med [NAMN] igår."),
    ("Sofia af Ugglas skrev underlaget.", "[NAMN] skrev underlaget."),
    ("Fråga Ahmed bin Salim om det.", "Fråga [NAMN] om det."),
    ("Vi ringde Kofi Mensah-Boateng.", "Vi ringde [NAMN]."),
    # lower case: two non-words after a title or contact verb, or before a unit
    ("sekreteraren ngozi obiora har protokollet.", "sekreteraren [NAMN] har protokollet."),
    ("Jag har pratat med rektor hamid rezaei.", "Jag har pratat med rektor [NAMN]."),
    ("ring chidi nwankwo på hr.", "ring [NAMN] på hr."),
])
def test_names_found_by_shape(text, expected):
    assert redact(text).text == expected


@pytest.mark.parametrize("text", [
    # places, bodies and words side by side are not names, whatever their shape
    "Vi jämför Solna Stockholm och Nora Örebro.",
    "Gröna Lund och Rädda Barnen ingår.",
    "Europeiska Unionen ger bidrag.",
    "Vi följer Region Halland och Upplands-Bro.",
    "Human Resources och Service Design.",
    "Customer Journey Mapping var bra.",
    "Kommunfullmäktige Vallentuna beslutade.",
    "Statskontoret Riksrevisionen och Skatteverket granskar.",
    "fråga ekonomichefen om det.",
    "ring växeln och fråga kommunstyrelsen.",
    # first names that are also places need context
    "Vilhelmina och Mora ligger långt från Malmö.",
])
def test_places_bodies_and_words_side_by_side_stay(text):
    r = redact(text)
    assert r.text == text, r.found


def test_every_pair_of_municipalities_stays():
    """Two municipality names next to each other (a list without commas) are never a name."""
    from importlib import resources

    from tillit.survey.yamlio import load_yaml

    places = load_yaml(resources.files("tillit.nlp").joinpath("data/places.yaml").read_text("utf-8"))
    names = places["municipalities"]
    assert len(names) == 290
    for a, b in zip(names, names[1:]):
        text = f"Vi jämför oss med {a} {b} i år."
        assert redact(text).text == text, text


@pytest.mark.parametrize("text,expected", [
    # kinds set 7 showed missing when it was run held out (issue 15, round 4): each case
    # here is worded differently from set 7
    ("Mejla p.lind(a)hylte.se i dag.", "Mejla [E-POST] i dag."),
    ("Skriv till maria.k @ mora.se.", "Skriv till [E-POST]."),
    ("Ring +47 22 12 34 56.", "Ring [TELEFON]."),
    ("Ring +44 20 7946 0958.", "Ring [TELEFON]."),
    ("Ring +1 212 555 0198.", "Ring [TELEFON]."),
    ("Ring 070.111.22.33.", "Ring [TELEFON]."),
    ("Mitt nummer är 811218–9876.", "Mitt nummer är [PERSONNUMMER]."),  # en dash
    ("Mitt nummer är 19811218 9876.", "Mitt nummer är [PERSONNUMMER]."),  # a space: check digit holds
    ("kontakta handläggaren oğuz kaya om det.", "kontakta handläggaren [NAMN] om det."),
    ("Sekreteraren maria van den berg skrev.", "Sekreteraren [NAMN] skrev."),
    ("Vår ordförande, karin af ekenstam, öppnade.", "Vår ordförande, [NAMN], öppnade."),
    ("Fråga Lena M. Sjöberg om det.", "Fråga [NAMN] om det."),
    ("Sean O'Brien (L) röstade nej.", "[NAMN] [PARTI] röstade nej."),
    ("Jag pratade med handläggaren yusuf al-rashid.", "Jag pratade med handläggaren [NAMN]."),
    ("Fråga Oyelaran på kansliet.", "Fråga [NAMN] på kansliet."),
    ("Vi anställde Daulet Bekov i våras.", "Vi anställde [NAMN] i våras."),
    ("Jag bor på Norra Kyrkogatan 7.", "Jag bor på [ADRESS]."),
    ("Anna & Per Svensson kom.", "[NAMN] & [NAMN] kom."),
])
def test_redaction_gaps_found_by_set_7(text, expected):
    assert redact(text).text == expected


@pytest.mark.parametrize("text", [
    "Mötet är 01.02.2024.",                  # a date with dots is no phone number
    "Diarienummer 850101 1235 gäller.",       # digits split by a space, check digit fails
    "Vi anlitade Ernst & Young.",             # firms
    "Johnson & Johnson levererar.",
    "Brukarundersökningen i hemtjänsten används.",  # a compound at a sentence start, then a unit
    "Det är 12.5 procent.",
    # Title Case: ordinary words after a title are no name
    "Controllern Går Igenom Utfallet Med Oss Varje Månad.",
    "En Ledamot Bad Att Få Se Schemat.",
])
def test_round_4_shapes_that_stay(text):
    r = redact(text)
    assert r.text == text, r.found


def test_a_text_is_redacted_once_per_process_and_callers_get_their_own_span_list(monkeypatch):
    """The analysis redacts what the store has just redacted: the second call is a look-up
    with the same answer, and a caller changing its list of spans changes nothing for the next."""
    import importlib

    redact_mod = importlib.import_module("tillit.nlp.redact")  # the module (the package's `redact` is the function)
    text = "Ring Karin Lindqvist på 070-123 45 67 om budgeten (unik text för detta test 5512)."
    first = redact_mod.redact(text)
    assert first.text == "Ring [NAMN] på [TELEFON] om budgeten (unik text för detta test 5512)."
    calls = []
    monkeypatch.setattr(redact_mod, "find_pii", lambda *a, **k: calls.append(a) or [])
    again = redact_mod.redact(text)
    assert again == first and calls == []  # remembered, not computed again
    again.found.clear()
    assert redact_mod.redact(text).found == first.found and len(first.found) == 2
    assert redact_mod.redact(first.text).text == first.text  # the redacted text computed on its own
    assert calls == [(first.text,)]


@pytest.mark.parametrize("text, expected", [
    ("Kommundirektören J-O Lindh har gjort klart", "Kommundirektören [NAMN] har gjort klart"),
    ("Fråga K-G Svensson om det", "Fråga [NAMN] om det"),
    ("ledamoten nguyen thi lan i socialnämnden har frågat", "ledamoten [NAMN] i socialnämnden har frågat"),
    ("ledamoten anna lind i nämnden", "ledamoten [NAMN] i nämnden"),  # not "[NAMN] lind"
    ("Rektor Ebba Lindgren på Ebba Brahe-skolan har", "Rektor [NAMN] på Ebba Brahe-skolan har"),
    ("Vi läste om Lex Sarah och Lex Maria i nämnden.", "Vi läste om Lex Sarah och Lex Maria i nämnden."),
    ("EU-stödet gick till Anna Berg", "EU-stödet gick till [NAMN]"),
    ("en anmälan enligt lex Sarah", "en anmälan enligt lex Sarah"),
    ("Alex Sarah Berg ringde", "[NAMN] ringde"),  # not "[NAMN] Berg"
    # set 10's misses (after its held-out run)
    ("Det blev tyst när Jonas L. sa att vi", "Det blev tyst när [NAMN] sa att vi"),
    ("Fråga Maria S, hon vet", "Fråga [NAMN], hon vet"),
    ("På Astrid Lindgrens förskola har föräldrarna klagat", "På Astrid Lindgrens förskola har föräldrarna klagat"),
    ("Selma Lagerlöfs gymnasium får ny rektor", "Selma Lagerlöfs gymnasium får ny rektor"),
    # set 13's false redaction (after its held-out run): a first name before one compound
    # ending in an institution noun names the institution; a person before "på <school>" stays a person
    ("rektorerna på Hamnskolan och Selma Lagerlöfskolan", "rektorerna på Hamnskolan och Selma Lagerlöfskolan"),
    ("Fråga Anna på Hamnskolan.", "Fråga [NAMN] på Hamnskolan."),
    ("Eriks förskola ringde", "[NAMN] förskola ringde"),  # one name may be a person's
    ("Jonas L. Berg sa", "[NAMN] sa"),
    # set 11's misses (after its held-out run)
    ("Dragana från kulturförvaltningen och jag fick sitta med.", "[NAMN] från kulturförvaltningen och jag fick sitta med."),
    ("Första gången blir på Sara Lidmangården i oktober.", "Första gången blir på Sara Lidmangården i oktober."),
    ("Kolada från SKR visar det.", "Kolada från SKR visar det."),
    # set 14's misses (after its held-out run): a signature of an initial and a surname; a
    # meeting room named after a person
    ("gör jag så gott jag kan. /E. Sundqvist", "gör jag så gott jag kan. /[NAMN]"),
    ("Vi har plan B. Sedan kom Anna Berg.", "Vi har plan B. Sedan kom [NAMN]."),
    ("varannan fredag i rummet Linnea. Enkelt", "varannan fredag i rummet Linnea. Enkelt"),
    # training set f's misses at its first run: a first name that is also a word ("Per") or in
    # simplemma's dictionary ("Sirpa") before a surname found on its own joins it
    ("Per Strömbäck (M) har vid två sammanträden antytt", "[NAMN] [PARTI] har vid två sammanträden antytt"),
    ("Sirpa Niemi på hemtjänsten i Sörbyn har byggt upp", "[NAMN] på hemtjänsten i Sörbyn har byggt upp"),
    ("Enligt Niemi på ekonomi blir det", "Enligt [NAMN] på ekonomi blir det"),
    ("Fråga Niemi på ekonomi!", "Fråga [NAMN] på ekonomi!"),
    # set 16's miss (after its held-out run): thanks before a first name that is also a word
    ("Tack till Vilja som drev det, det kändes bra.", "Tack till [NAMN] som drev det, det kändes bra."),
    ("Vi har en stark vilja att förändra. Vilja finns.", "Vi har en stark vilja att förändra. Vilja finns."),
    ("Tack till Ekonomienheten för hjälpen.", "Tack till Ekonomienheten för hjälpen."),
    ("Vi pratade med Sirpa Niemi igår.", "Vi pratade med [NAMN] igår."),
    ("Konferensrummet Linnea var bokat, så Linnea fick vänta.", "Konferensrummet Linnea var bokat, så [NAMN] fick vänta."),
    # sets 17-19's misses and false redaction (after their held-out runs): a lone lower-case
    # first name that is no word; a name joined by "och" to a found one (also one that is a
    # word, "Sten"); a ferry named after a person
    ("det var redan klart, enligt margareta var det så", "det var redan klart, enligt [NAMN] var det så"),
    ("slöseri med tid /stina", "slöseri med tid /[NAMN]"),
    ("när åsa är sjuk stannar allt", "när [NAMN] är sjuk stannar allt"),
    ("ledamoten nguyen thi lan i socialnämnden", "ledamoten [NAMN] i socialnämnden"),
    ("vi ska vilja mer och bo kvar per capita", "vi ska vilja mer och bo kvar per capita"),
    ("bor i nora sedan i fjol", "bor i nora sedan i fjol"),
    ("Senast tog Eriksson och Pekkari alla samtal.", "Senast tog [NAMN] och [NAMN] alla samtal."),
    ("tack vare att Sten och Britt i ledningen lade grunden", "tack vare att [NAMN] och [NAMN] i ledningen lade grunden"),
    ("Vi talade med Anna Berg och Socialstyrelsen.", "Vi talade med [NAMN] och Socialstyrelsen."),
    ("Anna Berg, Stockholm och Malmö.", "[NAMN], Stockholm och Malmö."),
    ("Sten och grus ligger kvar.", "Sten och grus ligger kvar."),
    ("amina yusuf tycker det.", "[NAMN] tycker det."),  # was a limit until the eighth round
    # training sets i and j at their first run: a lower-case surname before a unit or after a
    # title; a system's name; a room named after a person with a hyphen
    ("mitt förtroende för lundgren på ekonomi är totalt", "mitt förtroende för [NAMN] på ekonomi är totalt"),
    ("ekonomichef sjödin sa nej", "ekonomichef [NAMN] sa nej"),
    ("en lundgren i sjön", "en lundgren i sjön"),
    ("Vi har fått Visma Proceedo.", "Vi har fått Visma Proceedo."),
    ("Den pryder väggen i Nils Holgersson-rummet.", "Den pryder väggen i Nils Holgersson-rummet."),
    # sets 20-22's misses (after their held-out runs): a first name that is a word, capitalised
    # inside a sentence; a surname before "i oppositionen"; a nickname; a listed name that is a
    # place too, before "på" a unit
    ("Sedan Mats slutade i mars har hon fått sköta allt.", "Sedan [NAMN] slutade i mars har hon fått sköta allt."),
    ("Mats och dryck ingår.", "Mats och dryck ingår."),
    ("Vi träffas i Maj och i Juni.", "Vi träffas i Maj och i Juni."),
    ("Det var en Plan För Mats i fjol.", "Det var en Plan För Mats i fjol."),
    ("Jonsson i oppositionen anklagade mig.", "[NAMN] i oppositionen anklagade mig."),
    ("Fråga micke på bygg, han vet.", "Fråga [NAMN] på bygg, han vet."),
    ("Är det så? Berg på tekniska sa nej.", "Är det så? [NAMN] på tekniska sa nej."),
    ("Berg och dal, så ser det ut.", "Berg och dal, så ser det ut."),
    ("jag läser dem på linfärjan Elsa i alla fall", "jag läser dem på linfärjan Elsa i alla fall"),
    # training sets l-n at their first run: a surname that is a word, capitalised inside a
    # sentence or set off by commas, or followed by a title in apposition; a signature; a
    # nickname; a Tornedalian surname; a ferry and a firm named after people
    ("Sedan Björk kom som kommundirektör har det blivit tydligare.",
     "Sedan [NAMN] kom som kommundirektör har det blivit tydligare."),
    ("Ordföranden i nämnden, Sten, ringer rektorerna direkt.", "Ordföranden i nämnden, [NAMN], ringer rektorerna direkt."),
    ("Björk, den politiska sekreteraren i majoriteten, sitter med.",
     "[NAMN], den politiska sekreteraren i majoriteten, sitter med."),
    ("Vi fällde en Björk, den stod i vägen.", "Vi fällde en Björk, den stod i vägen."),
    ("Bo på lokalförsörjningen har gjort en kanongrej.", "[NAMN] på lokalförsörjningen har gjort en kanongrej."),
    ("Bo på landet är skönt.", "Bo på landet är skönt."),
    ("Det var mer tydlig hierarki. /Mirela", "Det var mer tydlig hierarki. /[NAMN]"),
    ("Det var mer tydlig hierarki. /Mvh", "Det var mer tydlig hierarki. /Mvh"),
    ("i praktiken går allt via Roffe, så är det", "i praktiken går allt via [NAMN], så är det"),
    ("Senast fick Vaara stå och förklara sig.", "Senast fick [NAMN] stå och förklara sig."),
    ("ett färjeläge för M/S Selma Lagerlöf", "ett färjeläge för M/S Selma Lagerlöf"),
    ("Den senaste, från Arthur D. Little, slutade i mars.", "Den senaste, från Arthur D. Little, slutade i mars."),
    # sets 23-25's misses and false redactions (after their held-out runs): a lower-case first
    # name that is a word, signing or before "som <title>"; a name that is a word before ", som"
    # or joined to "jag"; a tram named after a person; a year is no house number; an auditor
    ("exempel /stig, 073-981 22 40", "exempel /[NAMN], [TELEFON]"),
    ("När lasse slutar som ordförande vet jag inte.", "När [NAMN] slutar som ordförande vet jag inte."),
    ("Vi gick en stig, som var lång.", "Vi gick en stig, som var lång."),
    ("Nu senast Dag, som slutade efter elva månader.", "Nu senast [NAMN], som slutade efter elva månader."),
    ("En dag, som alla andra.", "En dag, som alla andra."),
    ("Sten och jag har begärt en redovisning.", "[NAMN] och jag har begärt en redovisning."),
    ("Spårvagnen Anders Celsius ska rulla från Linnétorget 2029.",
     "Spårvagnen Anders Celsius ska rulla från Linnétorget 2029."),
    ("Vi bor på Storgatan 12 i stan.", "Vi bor på [ADRESS] i stan."),
    ("Revisorerna från Öhrlings PwC har påpekat det.", "Revisorerna från Öhrlings PwC har påpekat det."),
    # sets 26-28 (after their runs): a "-sson" surname that splits into words; a name after
    # "fråga efter"; boats, warships and royals before a name, newspapers kept
    ("Sten Alvarsson, ledamot i nämnden.", "[NAMN], ledamot i nämnden."),
    ("ring växeln och fråga efter Phuong.", "ring växeln och fråga efter [NAMN]."),
    ("Fråga efter Stora torget.", "Fråga efter Stora torget."),
    ("ombord på bogserbåten Hedvig", "ombord på bogserbåten Hedvig"),
    ("sjösättningen av HMS Gustav Vasa", "sjösättningen av HMS Gustav Vasa"),
    ("äldreboendet på Drottning Kristinas väg", "äldreboendet på Drottning Kristinas väg"),
    ("en artikel i Östgöta Correspondenten", "en artikel i Östgöta Correspondenten"),
    # training p and q (first run): a lower-case "-sson" surname, a first name that is a word
    # alone between commas; a firm ("AB") and a house ("Villa") named after a person kept
    ("ingenting. utom från svensson, han läser allt.", "ingenting. utom från [NAMN], han läser allt."),
    ("Det ser ut som en vanlig svensson ser det.", "Det ser ut som en vanlig svensson ser det."),
    ("Controllern på vår förvaltning, lasse, går i pension.",
     "Controllern på vår förvaltning, [NAMN], går i pension."),
    ("Kalkylen som Bengt Dahlgren AB tog fram.", "Kalkylen som Bengt Dahlgren AB tog fram."),
    ("Kalkylen som Bengt Dahlgren tog fram.", "Kalkylen som [NAMN] tog fram."),
    ("kick-off på Villa Fanny i augusti", "kick-off på Villa Fanny i augusti"),
    ("som orkar. /juha virtanen, 19800101-1234", "som orkar. /[NAMN], [PERSONNUMMER]"),
    ("per skola, Sankt Olofs skola och Ådalsskolan", "per skola, Sankt Olofs skola och Ådalsskolan"),
    # sets 29-31 (after their runs): a name of another origin alone inside a sentence; a Sami
    # name; lower case between commas or after a contact verb before a unit; places named after
    # people, also in the genitive ("Tycho Braheskolans")
    ("Han som gjorde alla jämförelser, Wojciech, gick till regionen.",
     "Han som gjorde alla jämförelser, [NAMN], gick till regionen."),
    ("Vi saknar Wojciech som gick till regionen.", "Vi saknar [NAMN] som gick till regionen."),
    ("Wojciech gick till regionen.", "[NAMN] gick till regionen."),
    ("Stratsys funkar dåligt, Hypergene är bättre.", "Stratsys funkar dåligt, Hypergene är bättre."),
    ("beslutet om Tycho Braheskolans matsal", "beslutet om Tycho Braheskolans matsal"),
    ("Kontakta mig gärna, Nils-Ánte Labba, 070-318 42 97.", "Kontakta mig gärna, [NAMN], [TELEFON]."),
    ("jag ringde till emir på kvalitetsenheten och han", "jag ringde till [NAMN] på kvalitetsenheten och han"),
    ("från en anhörig, tuula, som ringde mig hem.", "från en anhörig, [NAMN], som ringde mig hem."),
    ('mer på Facebookgruppen "Rädda Gustaf Dalénsplatsen" än på oss',
     'mer på Facebookgruppen "Rädda Gustaf Dalénsplatsen" än på oss'),
    ("en gemensam dag ute på Ellen Keys Strand.", "en gemensam dag ute på Ellen Keys Strand."),
])
def test_names_are_taken_whole_and_institutions_stay(text, expected):
    """Set 8's misses (after its held-out run): initials joined to the surname, the third part
    of a lower-case name, a lower-case surname after a titled first name; and a school named
    after a person is no person."""
    assert redact(text).text == expected


@pytest.mark.parametrize("text, expected", [
    ("Majoriteten vill skriva om visionen, (M) och (KD) vill behålla den.",
     "Majoriteten vill skriva om visionen, (M) och (KD) vill behålla den."),
    ("Ledamöter från (M) röstade nej.", "Ledamöter från [PARTI] röstade nej."),  # in doubt: redacted
    ("Anna Berg (S) och Per Holm (M) röstade nej.", "[NAMN] [PARTI] och [NAMN] [PARTI] röstade nej."),
    ("Ordföranden Anna Berg (S) sa nej.", "Ordföranden [NAMN] [PARTI] sa nej."),
    ("Kommunalrådet (S) ringer rektorerna.", "Kommunalrådet [PARTI] ringer rektorerna."),
    ("Vi i (SD) och (V) är överens.", "Vi i [PARTI] och [PARTI] är överens."),
    # set 16's false redaction (after its held-out run): what a party does
    ("Efter fyrtio år med (S) vid makten har många svårt.", "Efter fyrtio år med (S) vid makten har många svårt."),
    # training q: letters after a subjunction are the party ("sedan (S) och (C) gjorde upp")
    ("Det blev bättre sedan (S) och (C) gjorde upp.", "Det blev bättre sedan (S) och (C) gjorde upp."),
    ("Det blev bättre sedan Anna Berg (S) gick.", "Det blev bättre sedan [NAMN] [PARTI] gick."),
    ("Anna Berg (S) vid makten sa nej.", "[NAMN] [PARTI] vid makten sa nej."),
    ("(S) och (C) styr, men Anna Berg (M) leder oppositionen.",
     "(S) och (C) styr, men [NAMN] [PARTI] leder oppositionen."),
    # set 24 (after its run): a range of parties names no one; a local party after a name
    ("alla partier från (V) till (SD) var med", "alla partier från (V) till (SD) var med"),
    ("Kjell-Åke Lundberg (SkP) ringer chefen.", "[NAMN] [PARTI] ringer chefen."),
    ("Vi har (SkP) i fullmäktige.", "Vi har (SkP) i fullmäktige."),
    # set 27 (after its run): parties opening a clause after "att"/"eftersom", or after "mellan"
    ("Att (C) och (S) har kunnat styra ihop i tolv år.", "Att (C) och (S) har kunnat styra ihop i tolv år."),
    ("samarbetet mellan (C), (S) och (M) i de stora frågorna", "samarbetet mellan (C), (S) och (M) i de stora frågorna"),
    ("Eftersom (M) vill det blir det så.", "Eftersom (M) vill det blir det så."),
])
def test_party_letters_that_name_the_party_are_no_personal_data(text, expected):
    """Training set f (first run): "(M) och (KD) vill behålla den" names two parties, no
    person; letters after a person, a title or any other word ("Vi i (SD)", the writer's own
    party) are still redacted."""
    assert redact(text).text == expected
