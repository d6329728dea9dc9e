"""Cues in a stretch of text: where (region, state, sector or field office), who (nationality,
demographic), which agency, which measure, Title 8/42, 'each', back-references ('of them', 'another'),
the leads that tie one number to another ('up from', 'including', 'for a total of'), and the words that
rule a number out (other agencies' counts, per-day averages, ranks).

A :class:`Cue` is a value found at a place; which number it belongs to is decided by
:mod:`~borderdesk.claims.frame`. Every vocabulary comes from claim_cues.csv, claim_nationalities.csv,
aors.csv and state_borders.csv through :mod:`borderdesk.claims.vocab`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from borderdesk import metadata
from borderdesk.claims import vocab

# Categories matched straight from claim_cues.csv (the others need a look at the words around them).
PLAIN = (
    "region", "agency", "measure", "demographic", "title", "population", "total", "generic", "source",
    "context_block", "direction", "direction_after", "measure_weak", "anaphor", "continuation",
    "subset_lead", "container_lead", "comparator_lead", "total_lead", "other_counter", "per_day",
    "rank_marker", "projection", "average_marker", "negation", "per_month", "composition_marker",
    "circumstance_marker",
)  # fmt: skip
#: what a number counts and where: the categories a claim's frame is made of
SUBJECT = ("nationality", "demographic", "agency", "measure", "title")
SCENE = ("region", "state", "aor")
_EACH = re.compile(r"\beach\b", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z][\w'-]*")
#: what joins the items of a list: ', ', ', and ', ' and ', ' or '
LIST_GLUE = r"(?:,\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+)"
_LIST_GLUE = re.compile(LIST_GLUE + "$")
_COUNTRY_LEAD = re.compile(
    r"(?i:\b(?:from|of|citizens\s+of|nationals\s+of|natives\s+of|people\s+from|including)\s*(?:the\s+)?)$"
)


@dataclass(frozen=True)
class Cue:
    """A value found in the text: ``category`` (region, agency, nationality ...), canonical ``value``."""

    category: str
    value: str
    start: int
    end: int
    text: str


@cache
def _aor_matcher() -> vocab.Matcher:
    """Border Patrol sectors and OFO field offices by name ('Rio Grande Valley sector', 'RGV', 'El Paso
    Field Office'), from aors.csv and the aliases of claim_cues.csv."""
    table = {}
    for aor, detail in metadata.aor_details().items():
        table[aor] = aor
        if detail.component == "usbp":
            table[f"{detail.abbv} sector"] = aor
    table.update({k: v for k, v in vocab.cue_table().get("aor_alias", {}).items()})
    return vocab.Matcher(table)


@cache
def _bare_sector_matcher() -> vocab.Matcher:
    """Border Patrol sectors by their bare name ('Tucson', 'Yuma', 'El Paso'), capitalised as written."""
    table = {}
    for aor, detail in metadata.aor_details().items():
        if detail.component == "usbp" and aor.endswith(" Sector"):
            table[aor.removesuffix(" Sector")] = aor
    return vocab.Matcher(table, case_sensitive=True)


_SECTOR_WORD = re.compile(r"\bsectors?\b", re.IGNORECASE)
_EXCEPT = re.compile(r"\b(?:except|excluding|but|other than|outside(?: of)?|apart from)\s+(?:the\s+)?$", re.I)


@cache
def _named_sector(name: str) -> re.Pattern[str]:
    return re.compile(rf"\b{re.escape(name)}\s+sector\b", re.IGNORECASE)


def _bare_sectors(text: str, start: int, end: int, taken: list[tuple[int, int]]) -> list[Cue]:
    """A sector's bare name is the sector when the sentence speaks of sectors ('Tucson was the busiest
    sector') or the text named that sector before ('the Yuma sector ... In Yuma, encounters dropped');
    otherwise it is the city."""
    out = []
    talks = _SECTOR_WORD.search(text, start, end) is not None
    for h in _bare_sector_matcher().finditer(text, start, end):
        if any(a <= h.start < b for a, b in taken) or _EXCEPT.search(text, max(start, h.start - 20), h.start):
            continue
        if talks or _named_sector(h.text).search(text, max(0, start - 20_000), start):
            out.append(Cue("aor", h.value, h.start, h.end, h.text))
    return out


# 'Washington' is also the capital and 'Georgia' also a country; 'New Mexico' must not read as Mexico.
_STATE_AMBIGUOUS = frozenset({"Washington", "Georgia"})


@cache
def _state_matcher() -> vocab.Matcher:
    labels = metadata.value_labels().get("state", {})
    table = {label: code for code, label in labels.items() if label not in _STATE_AMBIGUOUS}
    table["Washington state"] = "WA"
    table["Washington State"] = "WA"
    return vocab.Matcher(table, case_sensitive=True)


@cache
def _state_context() -> tuple[re.Pattern[str], re.Pattern[str]]:
    lead = vocab.alternation(sorted(vocab.words("state_lead")))
    follow = vocab.alternation(sorted(vocab.words("state_follow")))
    return (
        re.compile(rf"(?i:\b(?:{lead})\s+)$"),
        re.compile(rf"(?i:(?:\s+|(?='))(?:{follow}))\b"),
    )


def _states(text: str, start: int, end: int) -> list[Cue]:
    """A state where encounters happened ('in Texas', 'the Arizona border', 'Texas accounted for'), which
    the by-state releases answer. Not a state merely mentioned ('Texas has spent ...')."""
    out = []
    before_re, after_re = _state_context()
    for h in _state_matcher().finditer(text, start, end):
        before = before_re.search(text[max(start, h.start - 20) : h.start])
        after = after_re.match(text, h.end, min(end, h.end + 40))
        if before or after:
            out.append(Cue("state", h.value, h.start, h.end, h.text))
    return out


@cache
def _actor_after() -> re.Pattern[str]:
    verbs = vocab.alternation(sorted(vocab.words("actor_verb")))
    return re.compile(
        r"(?:\s*\(CBP\))?(?:\s+(?:officers|officials|agents|personnel|has|have|had|also|reportedly|then"
        r"|(?:in|during|last|this|on)\s+\w+))*"
        rf"\s+(?:{verbs})\b",
        re.IGNORECASE,
    )


@cache
def _actor_before() -> re.Pattern[str]:
    verbs = vocab.alternation(sorted(vocab.words("actor_verb")))
    return re.compile(
        rf"\b(?:{verbs})\s+(?:[\w,-]+\s+){{0,4}}?by\s+(?:the\s+)?(?:U\.?S\.?\s+)?$", re.IGNORECASE
    )


@cache
def _matchers() -> tuple[tuple[str, vocab.Matcher], ...]:
    return tuple((category, vocab.matcher(category)) for category in PLAIN)


@cache
def counted_words() -> re.Pattern[str]:
    """The nouns that name what is counted ('migrants', 'families', 'encounters', 'arrests')."""
    words = set(vocab.words("count_noun")) - {"times"}
    words |= {w for w, v in vocab.cue_table()["measure"].items() if " " not in w and w.endswith("s")}
    return re.compile(rf"(?i:\b(?:{vocab.alternation(sorted(words))})\b)")


def find_cues(text: str, start: int, end: int) -> list[Cue]:
    """Every cue in ``text[start:end]``, in text order."""
    out: list[Cue] = []
    for category, matcher in _matchers():
        for hit in matcher.finditer(text, start, end):
            if category == "direction" and _made_up(text, hit.start, start):
                continue
            out.append(Cue(category, hit.value, hit.start, hit.end, hit.text))
    out += _cbp(text, start, end)
    out += [Cue("aor", h.value, h.start, h.end, h.text) for h in _aor_matcher().finditer(text, start, end)]
    out += _bare_sectors(text, start, end, [(c.start, c.end) for c in out if c.category == "aor"])
    aors = [(c.start, c.end) for c in out if c.category == "aor"]
    out += [c for c in _states(text, start, end) if not any(a <= c.start < b for a, b in aors)]
    out += [Cue("each", "each", m.start(), m.end(), m.group(0)) for m in _EACH.finditer(text, start, end)]
    blocked = [(c.start, c.end) for c in out if c.category in ("region", "aor", "state", "other_counter")]
    out += nationality_cues(text, start, end, blocked)
    return sorted(_both_sides(text, out), key=lambda c: (c.start, c.category))


_JOINED = re.compile(r"\s*(?:,\s*)?(?:and|&|or|plus)\s+(?:\w+\s+)?", re.IGNORECASE)


def _both_sides(text: str, cues: list[Cue]) -> list[Cue]:
    """'the number of apprehensions and inadmissible cases': Border Patrol's word and the ports' joined
    name both sides -- all of CBP's encounters, as 'at and between ports of entry' does."""
    measures = [c for c in cues if c.category == "measure"]
    for a in measures:
        for b in measures:
            if (
                a.end <= b.start
                and {a.value, b.value} == {"apprehensions", "inadmissibles"}
                and _JOINED.fullmatch(text, a.end, b.start)
            ):
                # with the agency word of either side ('U.S. Border Patrol apprehensions and inadmissible
                # cases')
                inside = [
                    c
                    for c in cues
                    if c.category in ("measure", "agency") and a.start - 2 <= c.end and c.start < b.end + 8
                ]
                joined = text[a.start : b.end]
                return [c for c in cues if c not in inside] + [
                    Cue("measure", "encounters", a.start, b.end, joined),
                    Cue("agency", "all", a.start, b.end, joined),
                ]
    return cues


def _made_up(text: str, at: int, floor: int) -> bool:
    """'made up 40% of' is a share, not a rise."""
    return bool(re.search(r"(?i:\b(?:made|make|makes|making)\s+)$", text[max(floor, at - 12) : at]))


_THE_AGENCY = re.compile(r"\b[Tt]he agency\b")


def _cbp(text: str, start: int, end: int) -> list[Cue]:
    """CBP named as the actor ('CBP encountered', 'encountered by CBP') names all of CBP as the agency;
    named as the source ('according to CBP', 'CBP data show') it names none."""
    out = []
    for m in _THE_AGENCY.finditer(text, start, end):  # 'the agency encountered more than 156,000'
        if act := _actor_after().match(text, m.end(), min(end, m.end() + 60)):
            # the agency the sentence named before ('Border Patrol encountered ... the agency encountered'),
            # else, when it acts ('arrested', not 'reported'), the one the text named last ('U.S. Border
            # Patrol's monthly statistics ... when the agency arrested 11,127'), else CBP
            named = [h for h in vocab.matcher("agency").finditer(text, start, m.start())]
            reports = act.group(0).split()[-1].casefold() in vocab.words("source")
            value = named[-1].value if named else "all" if reports else _last_agency_named(text, start)
            out.append(Cue("agency", value, m.start(), m.end(), m.group(0)))
    for hit in vocab.matcher("cbp").finditer(text, start, end):
        actor = bool(_actor_after().match(text, hit.end, min(end, hit.end + 60))) or bool(
            _actor_before().search(text[max(start, hit.start - 60) : hit.start])
        )
        category, value = ("agency", "all") if actor else ("cbp_source", "source")
        out.append(Cue(category, value, hit.start, hit.end, hit.text))
    return out


#: how far back 'the agency' may look for the agency the text named
_AGENCY_REACH = 1_000


_SENTENCE_END = re.compile(r"(?<!\bU\.S)[.!?][\"”’)]?\s+(?=[A-Z\"“])")


def _last_agency_named(text: str, before: int) -> str:
    """Border Patrol ('usbp') when the last sentence before ``before`` that names Border Patrol or CBP
    names Border Patrol only; else CBP ('all')."""
    floor = max(0, before - _AGENCY_REACH)
    agencies = vocab.matcher("agency").finditer(text, floor, before)
    hits = [(h.start, "usbp") for h in agencies if h.value == "usbp"]
    hits += [(h.start, "all") for h in vocab.matcher("cbp").finditer(text, floor, before)]
    if not hits:
        return "all"
    hits.sort()
    last = hits[-1][0]
    ends = [m.start() for m in _SENTENCE_END.finditer(text, floor, before)]
    opens = max((e for e in ends if e < last), default=floor)
    closes = min((e for e in ends if e > last), default=before)
    same = {v for at, v in hits if opens <= at < closes}
    return "usbp" if same == {"usbp"} else "all"


def _words_after(text: str, at: int, end: int, n: int) -> list[str]:
    words = []
    for m in _WORD.finditer(text, at, min(end, at + 80)):
        gap = text[at : m.start()]
        if any(ch in gap for ch in ".;:!?()"):
            break
        words.append(m.group(0).casefold())
        at = m.end()
        if len(words) >= n:
            break
    return words


def nationality_cues(text: str, start: int, end: int, blocked: list[tuple[int, int]]) -> list[Cue]:
    """Nationalities named as such: a plural demonym ('Russians'), a demonym before a person noun
    ('Russian migrants'), or a country after 'from'/'of' ('migrants from Guatemala, Honduras and El
    Salvador') -- not a destination ('flying to Nicaragua') nor part of a place ('New Mexico')."""
    blocked = blocked + [(h.start, h.end) for h in vocab.matcher("place").finditer(text, start, end)]
    persons = vocab.words("person_noun")
    followers = vocab.words("noun_follower")
    found: list[tuple[int, int, str, vocab.Nationality]] = []
    for h in vocab.nationality_matcher().finditer(text, start, end):
        if any(h.start < b and h.end > a for a, b in blocked):
            continue
        nat = vocab.nationality(h.text)
        if nat is not None:
            found.append((h.start, h.end, h.text, nat))
    accepted: list[Cue] = []
    demonyms = {f[2].casefold() for f in found}
    for i, (s, e, raw, nat) in enumerate(found):
        if nat.form == "plural":
            ok = True
        elif nat.form in ("adjective", "both"):
            following = [w for w in _words_after(text, e, end, 5) if w not in ("and", "or")]
            following = [w for w in following if w not in demonyms][:3]
            ok = any(w in persons for w in following) or (
                nat.form == "both" and (not following or following[0] in followers)
            )
        else:
            ok = _country_is_nationality(text, start, s, found[:i]) or bool(
                _country_follow().match(text, e, end)
            )
            region = vocab.cue_table().get("border_country", {}).get(nat.value)
            if not ok and region and _ROUTE.search(text[max(start, s - 60) : s]):
                # 'Indians attempting to cross from Mexico': the border they came through
                accepted.append(Cue("region", region, s, e, raw))
        if ok:
            accepted.append(Cue("nationality", nat.value, s, e, raw))
    return accepted


@cache
def _country_follow() -> re.Pattern[str]:
    """'Cuba accounted for two lakh arrests', 'Venezuela made up ...': a country as the subject of a share
    of the count is its people."""
    follow = vocab.alternation(sorted(vocab.words("country_follow")))
    return re.compile(rf"(?i:(?:\s+|(?='))(?:{follow}))\b")


_ROUTE = re.compile(
    r"(?i:\b(?:cross\w*|enter\w*|came|come|coming|arriv\w*|border|illegally|into|travel\w*|fled|flee\w*|flying|flew)"
    r"\s+(?:[\w,.'-]+\s+){0,4}?from\s+(?:the\s+)?)$"
)


_COUNT_FROM = re.compile(
    r"(?i:\d[\d,.]*(?:\s+(?:million|thousand))?\s+(?:(?:people|migrants|persons|individuals|were|who)\s+)?"
    r"(?:(?:coming|came|who\s+came|were)\s+)?from\s+(?:the\s+)?)$"
)


def _country_is_nationality(
    text: str, floor: int, at: int, earlier: list[tuple[int, int, str, vocab.Nationality]]
) -> bool:
    pos = at
    ends = {e: s for s, e, _, _ in earlier}
    while True:
        glue = _LIST_GLUE.search(text[floor:pos])
        if glue is None:
            break
        before = floor + glue.start()
        if before in ends:  # 'Guatemala, Honduras and El Salvador': continue through the list
            pos = ends[before]
            continue
        break
    if _COUNT_FROM.search(text[max(floor, pos - 40) : pos]):
        return True  # '502,279 coming from Mexico, 195,294 from Guatemala': whose count it is
    if _ROUTE.search(text[max(floor, pos - 60) : pos]):
        return False  # 'crossed the southwest border from Mexico': where they came through, not who they are
    return bool(_COUNTRY_LEAD.search(text[max(floor, pos - 30) : pos]))
