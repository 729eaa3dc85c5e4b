"""The word lists of the German analysis (`ideas/similarity.py`): stop words, the parts
compounds are split into, and a small thesaurus of the words citizens use for the same thing.
Written as plain words; folded and stemmed on import. Extend them when the evaluation set
(`tests/fixtures/similarity/`) shows a miss, and re-run the benchmark."""

import contextlib
import csv
import functools
import re
import unicodedata
from pathlib import Path

import Stemmer
from django.conf import settings

_STEMMER = Stemmer.Stemmer("german")


def _fold(word: str) -> str:
    word = unicodedata.normalize("NFKD", word.lower()).replace("ß", "ss")
    return "".join(char for char in word if not unicodedata.combining(char))


def _stem(word: str) -> str:
    return _STEMMER.stemWord(_fold(word))


def _words(text: str) -> list[str]:
    return text.split()


_STOP = """
aber alle allem allen aller alles als also am an ander andere anderen anders auch auf aus
bei beim bin bis bitte bisher da dabei dadurch dafür damit dann dar daran darauf darum das dass
dazu dem den denen denn der deren des dessen deshalb die dies diese diesem diesen dieser dieses
doch dort du durch ein eine einem einen einer eines einfach einige er es etwa etwas euch für
gar gibt gern gibt's hat hatte haben hier ich ihr ihre ihrem ihren ihrer im immer in ins ist
ja je jede jedem jeden jeder jedes jetzt kann kein keine keinem keinen keiner können könnte
man manche mehr mein meine mich mir mit muss müssen möchte nach nicht nichts noch nun nur ob
oder ohne per pro schon sehr sein seine sich sie sind so soll sollen sollte sondern statt
über um und uns unser unsere unter viel viele vom von vor wann war waren was weil weiter
welche wenn wer werden wie wieder wir wird wo wurde würde zu zum zur zwar zwischen zu
finden fehlen fehlt kommen brauchen braucht gibt liegen liegt stehen steht machen nutzen
schaffen bauen einrichten verbessern erneuern möglich wollen will kaum oft nie leicht schwer
überall viel zu wenige wenig lange weit nah nähe sicher
neu neue neuen neuer mehr weniger gut guter bessere besser gute schon ganz sowie bzw etc
the a an and or of to in for on at is are be with by from this that it as not no
"""

STOPWORDS = frozenset(_fold(word) for word in _STOP.split()) | frozenset(
    _stem(word) for word in _STOP.split()
)


# Places: the city's quarters and landmarks (its folder, settings.CITY_DIR: quarters.csv and
# the optional landmarks.txt). Two ideas for one place are not one idea.
@functools.cache
def places_of(directory: str) -> frozenset[str]:
    folder = Path(directory)
    words = set()
    with contextlib.suppress(OSError, UnicodeDecodeError):  # the file is optional
        words.update(
            word
            for line in (folder / "landmarks.txt").read_text(encoding="utf-8").splitlines()
            if not line.lstrip().startswith("#")
            for word in line.split()
        )
    try:
        with (folder / "quarters.csv").open(encoding="utf-8") as rows:
            for row in csv.DictReader(rows):
                words.update(re.findall(r"[^\W\d_]+", row.get("name") or ""))
    except (OSError, UnicodeDecodeError, csv.Error):
        pass  # a city without quarters (load_city reports a broken folder)
    words = {_fold(word) for word in words if len(word) > 3} - {"nord", "sud", "west", "ost"}
    return frozenset(words | {_stem(word) for word in words})


def places() -> frozenset[str]:
    return places_of(str(settings.CITY_DIR))


# Parts that compounds are split into: nouns and stems of the city's topics.
COMPOUND_PARTS = _words("""
abend abfahrt abfall abstell ampel amt anlage anschluss anzeige arbeit auslauf ausweis auto
bad bahn bank baum beet behälter beleuchtung beratung betreuung betrieb beutel bibliothek
blüh blume boden bord börse brache brunnen buch bücherei bürger büro bus café car cafe
dach daten deich dienst digital dorf eimer energie ende entfernung fahr fahrer fahrrad fahrt
faser fern fest feuer fitness fläche fluss frau fuß fußgänger garten gänger gebäude gebiet
gerät geschäft gewerbe glas graffiti grill grün gründer gruppe halle halt haltestelle hand
haus haushalt heim hitze hoch hof hund insekt insel internet jugend kind kinder kita klasse
kleid klinik kot kreis kreuzung kultur kurs lade laden lärm lasten laterne leih licht linie
luft markt meister miete müll nacht netz öffnung online ort park parlament pfad platz pflege
polizei portal präsenz qualität quartier rad rand rasen rathaus raum regen reinigung ring
rollstuhl säule saale schach schlacht schul schule schutz schwimm see senior sensor sharing
sitz spar speicher spender spiel sport sprech sprache stadt stand station stein stelle
straße streifen stunde tag takt tausch teil termin tier toilette tonne treff trink ufer
verkehr verleih viertel wald wand wärme wasser weg werk wiese woche wohn zeit zeitung zentrum
zimmer zone kleider kleidung ausbau bau glasfaser tonne gerät training fitness
""")

# Words for the same thing, folded to one canonical word. Per pair: "word canonical".
_SYNONYMS = """
fahrrad rad
velo rad
radler radfahrer
radfahrende radfahrer
kindergarten kita
kindertagesstätte kita
kinderbetreuung kita
bücherei bibliothek
wc toilette
klo toilette
tram straßenbahn
straßenbahnlinie straßenbahn
fahrstuhl aufzug
lift aufzug
abfall müll
papierkorb mülleimer
abfalleimer mülleimer
abfallbehälter mülleimer
laterne beleuchtung
beleuchtet beleuchtung
hell beleuchtung
heller beleuchtung
photovoltaik solar
solaranlage solar
solarstrom solar
pv solar
gratis kostenlos
kostenfrei kostenlos
frei kostenlos
hbf hauptbahnhof
bushaltestelle haltestelle
tramhaltestelle haltestelle
straßenbahnhaltestelle haltestelle
fußweg gehweg
senioren senior
ältere senior
älteren senior
teenager jugendliche
jugend jugendliche
jugendlichen jugendliche
teen jugendliche
trinkwasser trinkbrunnen
wasserspender trinkbrunnen
elektroauto eauto
elektrofahrzeug eauto
ladestation ladesäule
ladepunkt ladesäule
lademöglichkeit ladesäule
pedelec ebike
kreisel kreisverkehr
carsharing carsharing
webseite website
internetseite website
homepage website
gründer startup
migranten zugewanderte
migrantinnen zugewanderte
deutschkurs sprachkurs
reparaturcafé repaircafé
verwaltung amt
behörde amt
tablet digital
digitalisieren digital
digitalisierung digital
online internet
wlan internet
breitband internet
glasfaser internet
bänke bank
sitzgelegenheit bank
sitzbank bank
parkbank bank
abkühlung hitze
überhitzt hitze
heiß hitze
sommerhitze hitze
abgestorben dürre
aufforstung aufforsten
zebrastreifen überweg
fußgängerüberweg überweg
data daten
open offen
offene offen
fitness sport
training sport
trainieren sport
begrünung grün
begrünen grün
mülltonne mülleimer
mülltonnen mülleimer
tonne mülleimer
urban stadt
gardening garten
elektro e
kleider kleidung
kleid kleidung
leerstehend leerstand
leere leerstand
quartier viertel
stadtteil viertel
neuigkeiten nachrichten
""".strip().splitlines()

SYNONYMS = {}
for _line in _SYNONYMS:
    _word, _target = _line.split()
    SYNONYMS[_stem(_word)] = _stem(_target)
# Keep canonical words stable: a canonical word is never itself mapped further.
SYNONYMS = {word: target for word, target in SYNONYMS.items() if word != target}
