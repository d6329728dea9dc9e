"""Text -> candidate claims: which numbers count encounters, and the cues each one takes.

A number is a claim when nothing rules it out (money, an age, a date, a noun such as 'agents' or
'days' right after it) and an encounter word is near: in its clause or sentence, or -- for a sentence
that carries on the one before ('That was up from 32,153 in March') -- in the nearest earlier sentence
of the paragraph that held a claim. Such a borrowed reading is dropped when its own sentence speaks of
shelters, custody or detention. Weak verbs ('CBP reported 1,681 Russians') count only when the number
is followed by people.

Cues are taken from the claim's clause first, then the rest of its sentence, then the other sentences
of its paragraph (nearest first, earlier before later), then the nearest heading (see
:mod:`~borderdesk.claims.scopes`); periods follow :mod:`~borderdesk.claims.when`. Each cue remembers
where it came from, for the reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from borderdesk.claims import numbers, periods, segment, vocab, when
from borderdesk.claims.cues import Cue
from borderdesk.claims.model import Candidate, PeriodPick, Rejected, Sourced
from borderdesk.claims.numbers import Figure
from borderdesk.claims.scopes import CLAUSE_TAGS, MAX_REACH, Doc, Scope, distance_label, pick, prose_scopes
from borderdesk.claims.segment import Block
from borderdesk.limits import NEVER, Deadline

MAX_CLAIMS = 1000
_DIGIT_OR_MULTIPLE = re.compile(r"\d|fold\b|doubl|tripl|quadrupl|quintupl|trebl|halved", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z][\w'.-]*|[,.;:!?()]")
_UNIT_STOP = frozenset(
    {
        "in", "at", "on", "from", "to", "by", "for", "during", "since", "between", "along", "across",
        "this", "that", "who", "which", "and", "or", "but", "while", "than", "as", "with", "into", "of",
        "the", "last", "each",
    }
)  # fmt: skip
_TABLE_SKIP = frozenset({"rank", "share", "percent", "%", "year", "fy", "change"})


@dataclass
class Extraction:
    candidates: list[Candidate] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    truncated: bool = False


def extract(text: str, *, deadline: Deadline = NEVER) -> Extraction:
    """Every candidate claim in ``text`` (plain text or Markdown), in text order; ``deadline`` is
    checked between sentences and table rows."""
    norm = segment.normalize(text)
    doc = Doc(norm)
    out = Extraction()
    previous: Block | None = None
    for block in segment.blocks(norm):
        deadline.check()
        if block.table is not None:
            _table(doc, block, previous, out, deadline)
        else:
            _paragraph(doc, block, out, deadline)
        previous = block
        if len(out.candidates) >= MAX_CLAIMS:
            out.truncated = True
            del out.candidates[MAX_CLAIMS:]
            break
    out.candidates.sort(key=lambda c: c.claim_span[0])
    return out


# ----------------------------------------------------------------------------------- paragraphs


def _paragraph(doc: Doc, block: Block, out: Extraction, deadline: Deadline) -> None:
    claim_measure: dict[int, Sourced] = {}  # sentence index -> measure of its first claim
    measure = vocab.matcher("measure")
    weak = vocab.matcher("measure_weak")
    heading_measure = block.heading is not None and measure.search(doc.text, *block.heading) is not None
    for i, s in enumerate(block.sentences):
        if not _DIGIT_OR_MULTIPLE.search(doc.text, s.start, s.end):
            continue
        deadline.check()
        borrow = _borrowed_measure(claim_measure, i)
        if (
            borrow is None
            and not heading_measure
            and measure.search(doc.text, s.start, s.end) is None
            and weak.search(doc.text, s.start, s.end) is None
        ):
            continue  # no encounter word here or to borrow: none of its numbers can be a claim
        reserved = [(p.start, p.end) for p in doc.analyze(s.start, s.end)[1]]
        figures = numbers.parse_figures(doc.text, s.start, s.end)
        live = [f for f in figures if f.reject is None and not _overlaps(f, reserved)]
        for fig in figures:
            if fig.reject is not None:
                out.rejected.append(Rejected(fig, fig.reject))
                continue
            if _overlaps(fig, reserved):
                out.rejected.append(Rejected(fig, "part of a date or period"))
                continue
            scopes = prose_scopes(doc, block, i, fig, live)
            result = _candidate(doc, fig, scopes, (s.start, s.end), borrow, block.heading, live)
            if isinstance(result, Rejected):
                out.rejected.append(result)
                continue
            out.candidates.append(result)
            claim_measure.setdefault(i, result.cues["measure"])
        if len(out.candidates) >= MAX_CLAIMS:
            return


def _borrowed_measure(claim_measure: dict[int, Sourced], i: int) -> tuple[Sourced, int] | None:
    for j in range(i - 1, max(-1, i - 1 - MAX_REACH), -1):
        if j in claim_measure:
            return claim_measure[j], i - j
    return None


def _overlaps(fig: Figure, spans: list[tuple[int, int]]) -> bool:
    return any(fig.start < b and fig.end > a for a, b in spans)


# ----------------------------------------------------------------------------------- candidates


def _candidate(
    doc: Doc,
    fig: Figure,
    scopes: list[Scope],
    sentence: tuple[int, int],
    borrow: tuple[Sourced, int] | None,
    heading: tuple[int, int] | None,
    live: list[Figure],
) -> Candidate | Rejected:
    text = doc.text
    own = scopes[0]

    def cues_in(scope: Scope) -> list[Cue]:
        outer = sentence if scope.tag in CLAUSE_TAGS else (scope.start, scope.end)
        return doc.cues(scope.start, scope.end, outer)

    own_cues = cues_in(own)
    direction = None
    unit = None
    if fig.percent:
        direction = _direction(fig, own_cues)
        if direction is None:
            return Rejected(fig, "a percentage that is not a stated change")
    elif fig.multiple:
        direction = "down" if fig.value < 1 else "up"
    else:
        unit = _unit(text, fig, own.end)
        if unit is not None and unit[0] == "block":
            return Rejected(fig, f"counts {unit[1]}, not encounters")
    measure = pick("measure", fig, scopes, cues_in, text, tags=CLAUSE_TAGS)
    weak = False
    if measure is None and unit is not None and unit[0] == "count":
        measure = pick("measure_weak", fig, scopes[:1], cues_in, text)  # 'CBP reported 1,681 Russians'
        weak = measure is not None
    if measure is None and borrow is not None:
        sourced, d = borrow
        measure = replace(sourced, source=sourced.source if sourced.borrowed else distance_label(d, True))
        weak = True
    if weak:  # a weak or borrowed reading gives way to shelters, custody, waiting lists
        blocks = [c for c in doc.cues(*sentence, sentence) if c.category == "context_block"]
        if blocks:
            return Rejected(fig, f"about {blocks[0].value}, not encounters")
    if measure is None and heading is not None:
        measure = pick("measure", fig, [Scope("the heading", *heading, "heading")], cues_in, text)
    if measure is None:
        return Rejected(fig, "no encounter word in its sentence")
    qualifier, qstart = _qualifier(text, fig, own.start)
    cues: dict[str, Sourced] = {"measure": measure}
    for category in ("region", "agency", "nationality", "demographic", "title", "aor", "state"):
        # a sector or state named in another sentence is another story
        tags = CLAUSE_TAGS if category in ("aor", "state") else None
        picked = pick(category, fig, scopes, cues_in, text, own_cues=own_cues, tags=tags)
        if picked is not None:
            cues[category] = picked
    named = [c for c in doc.cues(*sentence, sentence) if c.category in ("cbp_source", "generic", "source")]
    if named:
        cues["named"] = Sourced(
            tuple(c.category for c in named), tuple(c.text for c in named), "this sentence"
        )
    common = {
        "figure": fig,
        "span": (own.start, fig.end),
        "claim_span": (qstart, fig.end),
        "sentence": sentence,
        "qualifier": qualifier,
        "cues": cues,
        "direction": direction,
        "each": any(c.category == "each" for c in own_cues),
    }
    if fig.percent or fig.multiple:
        current, base = when.comparison_periods(doc, fig, scopes, sentence, live)
        return Candidate(kind="comparison", current=current, base=base, **common)  # type: ignore[arg-type]
    period = when.count_period(doc, fig, scopes, sentence, live)
    ref = None
    if period is not None and period.cue.spec.kind in periods.RELATIVE:
        ref = when.reference(doc, period, scopes, sentence)
    return Candidate(kind="count", period=period, reference=ref, **common)  # type: ignore[arg-type]


def _unit(text: str, fig: Figure, stop: int) -> tuple[str, str] | None:
    """What the words right after a number say it counts: ('count', word) for people or encounters,
    ('block', kind) for other things ('agents or officers', 'days', 'money' ...), None if unknown."""
    block = vocab.cue_table().get("unit_block", {})
    counts = vocab.words("count_noun")
    tokens = []
    for m in _WORD.finditer(text, fig.end, min(stop, fig.end + 80)):
        w = m.group(0).rstrip(".'-")
        if not w[:1].isalpha():
            break
        tokens.append(w)
        if len(tokens) >= 5:
            break
    for k, w in enumerate(tokens):
        low = w.casefold().rstrip(".")
        pair = f"{low} {tokens[k + 1].casefold()}" if k + 1 < len(tokens) else ""
        if pair in counts or low in counts or vocab.nationality(w) is not None:
            return ("count", w)
        if low in block:
            return ("block", block[low])
        if low in _UNIT_STOP:
            return None
    return None


def _qualifier(text: str, fig: Figure, floor: int) -> tuple[str, int]:
    """(qualifier, start of the claim as written). A bare figure to the unit or ten is exact; a bare
    rounded one ('2.7 million', '6,400') is 'about'."""
    before = text[max(floor, fig.start - 40) : fig.start]
    offset = fig.start - len(before)
    best = None
    for hit in vocab.matcher("qualifier_before").finditer(before):
        if before[hit.end :].strip() == "":
            best = hit
    if fig.suffix_qualifier:  # '180,000+', '5,000 or more' say more than a word before them
        return fig.suffix_qualifier, offset + best.start if best is not None else fig.start
    if best is not None:
        return best.value, offset + best.start
    if fig.percent or fig.multiple or fig.unit <= 10:
        return "exact", fig.start
    return "about", fig.start


def _direction(fig: Figure, own_cues: list[Cue]) -> str | None:
    """The change a percentage states: a word right after it ('a 42% drop', '30 percent lower'), else a
    direction word before it in its clause ('fell 42%', 'up more than 41%')."""
    after = [
        c for c in own_cues if c.category in ("direction", "direction_after") and 0 <= c.start - fig.end <= 3
    ]
    if after:
        return after[0].value
    before = [
        c for c in own_cues if c.category == "direction" and c.end <= fig.start and fig.start - c.end <= 60
    ]
    return before[-1].value if before else None


# ----------------------------------------------------------------------------------- tables


def _table(doc: Doc, block: Block, previous: Block | None, out: Extraction, deadline: Deadline) -> None:
    """Each number in a Markdown table's body is a candidate; its cues come from its row's first cell,
    its column's header, the whole header row, the paragraph just before the table and the heading."""
    table = block.table
    assert table is not None
    header = table.header
    before: tuple[int, int] | None = None
    if previous is not None and previous.table is None and previous.sentences:
        last = previous.sentences[-1]
        if doc.text[last.start : last.end].rstrip().endswith(":"):  # an introduction: 'By nationality:'
            before = (last.start, last.end)
    for row in table.rows:
        if not row:
            continue
        deadline.check()
        label = row[0]
        for col, cell in enumerate(row):
            if col == 0 and len(row) > 1:
                continue
            column = header[col] if col < len(header) else None
            if column and doc.text[column[0] : column[1]].strip().casefold() in _TABLE_SKIP:
                continue
            scopes = [Scope("the table row", label[0], label[1], "row")]
            if column is not None:
                scopes.append(Scope("the table header", column[0], column[1], "column"))
            if header:
                scopes.append(Scope("the table header", header[0][0], header[-1][1], "header"))
            if before is not None:
                scopes.append(Scope("the text before the table", before[0], before[1], "before"))
            if block.heading is not None:
                scopes.append(Scope("the heading", block.heading[0], block.heading[1], "heading"))
            for fig in numbers.parse_figures(doc.text, cell[0], cell[1]):
                result = _table_candidate(doc, fig, cell, scopes)
                (out.rejected if isinstance(result, Rejected) else out.candidates).append(result)  # type: ignore[arg-type]


def _table_candidate(
    doc: Doc, fig: Figure, cell: tuple[int, int], scopes: list[Scope]
) -> Candidate | Rejected:
    if fig.reject is not None:
        return Rejected(fig, fig.reject)
    if _overlaps(fig, [(p.start, p.end) for p in doc.analyze(*cell)[1]]):
        return Rejected(fig, "part of a date or period")
    if fig.percent or fig.multiple:
        return Rejected(fig, "a percentage in a table")

    def cues_in(scope: Scope) -> list[Cue]:
        return doc.analyze(scope.start, scope.end)[0]

    measure = pick("measure", fig, scopes, cues_in, doc.text)
    if measure is None:
        return Rejected(fig, "no encounter word in the table's header, heading or the text before it")
    cues: dict[str, Sourced] = {"measure": measure}
    for category in ("region", "agency", "nationality", "demographic", "title", "aor"):
        picked = pick(category, fig, scopes, cues_in, doc.text)
        if picked is not None:
            cues[category] = picked
    period = None
    for scope in scopes:
        found = [p for p in doc.analyze(scope.start, scope.end)[1] if p.spec.kind in periods.MEANINGFUL]
        if found:
            period = PeriodPick(found[0], scope.label)
            break
    qualifier, qstart = _qualifier(doc.text, fig, cell[0])
    row = scopes[0]
    return Candidate(
        figure=fig,
        span=(row.start, fig.end),
        claim_span=(qstart, fig.end),
        sentence=(row.start, cell[1]),
        qualifier=qualifier,
        kind="count",
        cues=cues,
        period=period,
        each=any(c.category == "each" for c in cues_in(row)),
    )
