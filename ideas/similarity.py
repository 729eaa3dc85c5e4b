"""German text analysis for similar ideas: one analysis for duplicate suggestions, the
suggestions while writing, the themes and the list's search. Pure: no database, no network,
nothing downloaded at run time (the Snowball stemmer ships in PyStemmer).

Why this analysis (measured by `benchmarks/similarity.py` on the labelled German set in
`tests/fixtures/similarity/`; table in `benchmarks/results/similarity.md`): trigrams over the
raw text (today's pg_trgm) find ideas that share letters, so "Mehr Bänke im Stadtpark" and
"Mehr Parkplätze am Stadtpark" look alike while "Fahrradwege am Saaleufer" and "Radweg entlang
der Saale" do not. Stemming folds inflection (Radwege → radweg), splitting compounds against a
small civic lexicon finds the parts (Fahrradweg → fahrrad + weg → rad + weg), a thesaurus
folds the city's synonyms (Kita/Kindergarten, WC/Toilette), and character n-grams of the
stems catch typos (Fahradwege). Weighted by inverse document frequency over the ideas, the
cosine of these features reached the goals on the set where trigrams did not.
"""

import math
import re
import unicodedata
from collections import Counter
from functools import lru_cache

import Stemmer

from .similarity_lexicon import COMPOUND_PARTS, STOPWORDS, SYNONYMS, places

# Bounded input: a 10,000-character text costs no more than its first words.
MAX_CHARS = 2000
MAX_WORDS = 120
MAX_WORD = 40

# Weights of the feature kinds (chosen on the set, see the benchmark's table).
WEIGHT_WORD = 1.0
WEIGHT_PART = 0.6
WEIGHT_GRAM = 0.25
GRAM = 4
WEIGHT_TITLE = 2.0
WEIGHT_NOUN = 3.0
WEIGHT_PLACE = 0.4
TOPIC_FLOOR = 0.3

WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*", re.UNICODE)
LINKS = ("s", "es", "n", "en", "e", "er")
_STEMMER = Stemmer.Stemmer("german")


def fold(text: str) -> str:
    """Lower case without diacritics (ä → a, ß → ss), as the stemmer's output is."""
    text = unicodedata.normalize("NFKD", text[:MAX_CHARS].lower()).replace("ß", "ss")
    return "".join(char for char in text if not unicodedata.combining(char))


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    return _STEMMER.stemWord(word)


def canonical(word_stem: str) -> str:
    return SYNONYMS.get(word_stem, word_stem)


_PARTS = frozenset(stem(fold(part)) for part in COMPOUND_PARTS)


_KNOWN = _PARTS | frozenset(SYNONYMS) | frozenset(SYNONYMS.values())


def _singular(word_stem: str) -> str:
    """The plural in -s of known words the stemmer keeps (Kitas, Autos, Cafés)."""
    if len(word_stem) > 3 and word_stem.endswith("s") and word_stem[:-1] in _KNOWN:
        return word_stem[:-1]
    return word_stem


@lru_cache(maxsize=100_000)
def split_compound(word: str) -> tuple[str, ...]:
    """The parts of a German compound as canonical stems, or () when it is not one.

    Segments the folded word into lexicon parts (at least three letters each, linking
    elements s/n/en/e/er allowed between), fewest parts first."""
    size = len(word)
    if size < 6 or size > MAX_WORD:
        return ()
    # best[i]: fewest parts covering word[:i], with the parts.
    best: list[tuple[str, ...] | None] = [None] * (size + 1)
    best[0] = ()
    for end in range(3, size + 1):
        for start in range(0, end - 2):
            before = best[start]
            if before is None or (best[end] is not None and len(best[end]) <= len(before) + 1):
                continue
            piece = word[start:end]
            part = _part(piece, last=end == size)
            if part:
                best[end] = (*before, part)
    parts = best[size]
    if not parts or len(parts) < 2:
        return ()
    return tuple(canonical(part) for part in parts)


def _part(piece: str, *, last: bool) -> str:
    piece_stem = stem(piece)
    if piece_stem in _PARTS or piece in _PARTS:
        return piece_stem if piece_stem in _PARTS else piece
    if not last:
        for link in LINKS:
            if piece.endswith(link) and len(piece) - len(link) >= 3:
                bare = piece[: -len(link)]
                bare_stem = stem(bare)
                if bare_stem in _PARTS:
                    return bare_stem
                if bare in _PARTS:
                    return bare
    return ""


@lru_cache(maxsize=100_000)
def word_terms(word: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A folded word's terms: (whole-word terms, compound parts)."""
    pieces = [piece for piece in word.split("-") if piece]
    wholes: list[str] = []
    parts: list[str] = []
    if len(pieces) > 1:
        # "E-Auto-Ladestation": the pieces are parts, their join is the word.
        for piece in pieces:
            parts.extend(word_terms(piece)[0])
            parts.extend(word_terms(piece)[1])
        joined = "".join(pieces)
        wholes.append(canonical(stem(joined)))
        return tuple(wholes), tuple(parts)
    whole = canonical(_singular(stem(word)))
    wholes.append(whole)
    compound = split_compound(word)
    if compound:
        parts.extend(compound)
        # The compound in canonical parts: Fahrradweg and Radweg become the same term.
        joined = "".join(compound)
        if joined != whole:
            wholes.append(joined)
    return tuple(wholes), tuple(parts)


def tokens(text: str) -> list[tuple[str, float]]:
    """The content words of a text, folded, with their weight: nouns (capitalised inside a
    sentence) count more than verbs and adjectives, places less (two ideas for the same
    quarter are not the same idea); bounded, without stop words."""
    return [(word, weight) for word, weight, _head in _tokens(text)]


def _tokens(text: str) -> list[tuple[str, float, bool]]:
    """As `tokens`, and whether the word is in the text's head: before its first
    preposition ("Mülleimer" in "Mülleimer am Saaleufer"), where a title names its topic."""
    found: list[tuple[str, float, bool]] = []
    city_places = places()
    start = True
    head = True
    for match in WORD.finditer((text or "")[:MAX_CHARS]):
        raw = match.group(0).strip("-")
        before = text[max(0, match.start() - 2) : match.start()]
        start = start or not found or any(mark in before for mark in ".:!?\n")
        word = fold(raw)
        if word in PREPOSITIONS and found:
            head = False
        if len(word) < 2 or len(word) > MAX_WORD or word in STOPWORDS:
            start = False
            continue
        noun = raw[:1].isupper() and not (start and _adjective(word))
        weight = WEIGHT_NOUN if noun else 1.0
        if word in city_places or stem(word) in city_places:
            weight = WEIGHT_PLACE
        found.append((word, weight, head and noun and weight != WEIGHT_PLACE))
        start = False
        if len(found) >= MAX_WORDS:
            break
    return found


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


PREPOSITIONS = _word_set(
    "in im am an auf fur vor zur zum nach entlang bei beim mit durch statt uber aus von vom"
    " gegen ohne per zwischen unter hinter neben"
)
ADJECTIVE = re.compile(r"(los|ig|lich|isch|bar|frei|al|iv|ell|ern|sam|haft)(e|es|er|en|em)?$")
ADJECTIVES = _word_set(
    "neu alt gross klein sicher sauber smart digital frei hell gut schnell lang kurz offen grun"
    " warm kalt schon leise laut mehr besser weniger kostenlos schattig"
)


def _adjective(word: str) -> bool:
    """A guess for a sentence's first word, whose capital says nothing: an adjective?"""
    base = re.sub(r"(e|es|er|en|em)$", "", word)
    return bool(ADJECTIVE.search(word)) or word in ADJECTIVES or base in ADJECTIVES


def words(text: str) -> list[str]:
    return [word for word, _weight in tokens(text)]


def key_words(title: str, body: str = "", limit: int = 4) -> list[str]:
    """The most telling whole words of an idea (the title's nouns first, places last), to
    look candidates up by; a compound's parts are left out, being common."""
    ranked: list[tuple[float, int, str]] = []
    for factor, source in ((WEIGHT_TITLE, title), (1.0, body)):
        for position, (word, weight, _head) in enumerate(_tokens(source)):
            ranked.append((-(weight * factor), position, word_terms(word)[0][0]))
    ranked.sort()
    chosen: list[str] = []
    for _weight, _position, term in ranked:
        if term not in chosen and term.isalpha():
            chosen.append(term)
        if len(chosen) >= limit:
            break
    return chosen


def search_words(query: str, limit: int = 8) -> list[str]:
    """A search's words as stored terms: inflection, compounds and the thesaurus folded
    ("Fahrradwege" finds "Radweg"), stop words dropped."""
    found: list[str] = []
    for word in words(query):
        term = word_terms(word)[0][0]
        if term.isalpha() and term not in found:
            found.append(term)
    return found[:limit]


def terms(text: str) -> list[str]:
    """The terms a text is indexed and searched by: whole words and compound parts, stemmed
    and folded to the thesaurus's canonical words (no n-grams: those are derived)."""
    found: list[str] = []
    for word in words(text):
        wholes, parts = word_terms(word)
        found.extend(wholes)
        found.extend(parts)
    return [term for term in found if term not in STOPWORDS and len(term) >= 2]


def features(text: str, body: str = "", *, grams: bool = True, parts: bool = True) -> Counter:
    """Weighted features of an idea: words, compound parts and character n-grams; the
    title's words (`text`) count more than the body's."""
    vector: Counter = Counter()
    for source, factor in ((text, WEIGHT_TITLE), (body, 1.0)):
        for word, weight, head in _tokens(source):
            wholes, word_parts = word_terms(word)
            if factor == WEIGHT_TITLE and head:
                # The title's nouns name the topic (see `score`).
                for term in (*wholes, *word_parts):
                    vector["t:" + term] = 1
            weight *= factor
            for whole in wholes:
                vector["w:" + whole] += WEIGHT_WORD * weight
            if parts:
                for part in word_parts:
                    vector["w:" + part] += WEIGHT_PART * weight
            if grams:
                padded = f"<{wholes[0]}>"
                for index in range(len(padded) - GRAM + 1):
                    vector["g:" + padded[index : index + GRAM]] += WEIGHT_GRAM * weight
    return vector


def idf_weights(documents: list[Counter]) -> dict[str, float]:
    """Inverse document frequency of every feature over a corpus."""
    frequency: Counter = Counter()
    for document in documents:
        frequency.update(document.keys())
    total = len(documents) or 1
    return {key: math.log((1 + total) / (1 + count)) + 1 for key, count in frequency.items()}


def weigh(vector: Counter, idf: dict[str, float] | None, default: float = 1.0) -> dict:
    if idf is None:
        return dict(vector)
    return {
        key: value if key.startswith("t:") else value * idf.get(key, default)
        for key, value in vector.items()
    }


def _norm(vector: dict) -> float:
    return math.sqrt(sum(v * v for k, v in vector.items() if not k.startswith("t:")))


def cosine(left: dict, right: dict) -> float:
    if not left or not right:
        return 0.0
    if len(left) > len(right):
        left, right = right, left
    dot = sum(
        value * right.get(key, 0.0) for key, value in left.items() if not key.startswith("t:")
    )
    if not dot:
        return 0.0
    norm = _norm(left) * _norm(right)
    return dot / norm


def topic_match(left: dict, right: dict) -> float:
    """How much of one title's topic (the nouns of its head) the other idea names: 1 when
    all of either title's topic words (or their parts) occur in the other, 0 when none."""
    best = 0.0
    for one, other in ((left, right), (right, left)):
        topic = [key[2:] for key in one if key.startswith("t:")]
        if not topic:
            continue
        found = 0
        for term in topic:
            if "w:" + term in other:
                found += 1
            else:
                padded = f"<{term}>"
                grams = [padded[i : i + GRAM] for i in range(len(padded) - GRAM + 1)]
                if grams and sum("g:" + gram in other for gram in grams) / len(grams) >= 0.5:
                    found += 1
        best = max(best, found / len(topic))
    return best


def score(left: dict, right: dict) -> float:
    """The similarity of two weighted feature vectors: their cosine, halved when the titles'
    topics do not meet (ideas that share a place and a verb but not a subject)."""
    value = cosine(left, right)
    if not value:
        return 0.0
    return value * (TOPIC_FLOOR + (1 - TOPIC_FLOOR) * topic_match(left, right))


def shared_words(left: dict, right: dict, limit: int = 8) -> list[str]:
    """The words and parts two texts share, strongest first (for the editors)."""
    shared = [
        (left[key] * right[key], key[2:])
        for key in left.keys() & right.keys()
        if key.startswith("w:")
    ]
    shared.sort(reverse=True)
    seen: list[str] = []
    for _weight, word in shared:
        if word not in seen:
            seen.append(word)
    return seen[:limit]
