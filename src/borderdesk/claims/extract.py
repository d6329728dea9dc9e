"""Text -> candidate claims: which numbers count encounters, and the frame each one reads.

Sentence by sentence, section by section: :mod:`~borderdesk.claims.frame` gives every number its
segment, role and the cues of its own sentence; :mod:`~borderdesk.claims.scene` carries scene cues and
back-references across sentences. Then each number is a claim or not:

- a percentage is a claim only as a stated change ('fell 42%', 'a 30 percent drop'), not a share
  ('30% of them', 'from the 53% they represented');
- a count is not a claim when the words after it name other things ('agents', 'days', 'dollars'), when
  another agency or country counted it (ICE, HHS, Mexican authorities), when it is a per-day average or
  a rank ('only three times'), or when no encounter word is in its frame.

Markdown tables are read cell by cell: a cell takes its row's label, its column's header, the text
introducing the table and the heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import groupby

from borderdesk.claims import numbers, periods, segment, vocab
from borderdesk.claims.choose import Sourced, choose, sourced
from borderdesk.claims.cues import Cue, find_cues
from borderdesk.claims.frame import read_sentence
from borderdesk.claims.model import Candidate, Rejected
from borderdesk.claims.notclaims import not_a_claim
from borderdesk.claims.numbers import Figure
from borderdesk.claims.pieces import SENTENCE, PeriodPick, Piece, SentenceReading
from borderdesk.claims.roles import resolution_order
from borderdesk.claims.scene import Scene, fill_from_later
from borderdesk.claims.segment import Block
from borderdesk.claims.units import difference_of, direction_of
from borderdesk.claims.when import comparison_periods, year_in_view
from borderdesk.limits import NEVER, Deadline

MAX_CLAIMS = 1000


@dataclass
class Extraction:
    candidates: list[Candidate] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    truncated: bool = False


def extract(text: str, *, deadline: Deadline = NEVER) -> Extraction:
    """Every candidate claim in the normalized ``text`` (plain text or Markdown), in text order;
    ``deadline`` is checked between sentences and table rows."""
    out = Extraction()
    all_blocks = segment.blocks(text)
    for _, section in groupby(all_blocks, key=lambda b: b.section):
        _section(text, list(section), out, deadline)
        if len(out.candidates) >= MAX_CLAIMS:
            out.truncated = True
            del out.candidates[MAX_CLAIMS:]
            break
    out.candidates.sort(key=lambda c: c.claim_span[0])
    return out


def _section(text: str, blocks: list[Block], out: Extraction, deadline: Deadline) -> None:
    scene = Scene()
    readings: list[tuple[int, SentenceReading]] = []
    claims: dict[int, list[Piece]] = {}
    previous: Block | None = None
    for b, block in enumerate(blocks):
        if block.table is not None:
            _table(text, block, previous, out, deadline)
            previous = block
            continue
        previous = block
        for s in block.sentences:
            deadline.check()
            if len(out.candidates) + sum(len(v) for v in claims.values()) >= MAX_CLAIMS:
                break  # enough: the report says the rest was not checked
            k = len(readings)
            r = read_sentence(text, s, borrowing=scene.borrowing(k))
            readings.append((b, r))
            kept = []
            for p in sorted(r.pieces, key=resolution_order):
                scene.carry(r, p, k)
                reason = not_a_claim(text, r, p)
                if reason is None:
                    kept.append(p)
                else:
                    out.rejected.append(Rejected(p.figure, reason))
            claims[k] = kept
            scene.update(text, r, kept, k)
            out.rejected += [Rejected(f, f.reject) for f in r.figures if f.reject]
    fill_from_later(readings, claims)
    heading = blocks[0].heading if blocks else None
    head = read_heading(text, heading) if heading else None
    for k, (_, r) in enumerate(readings):
        for p in claims.get(k, []):
            if head is not None:
                _from_heading(p, *head)
            out.candidates.append(candidate(text, r, p))


def read_heading(text: str, heading: tuple[int, int]) -> tuple[list[Cue], list[periods.PeriodCue]]:
    found = [c for c in periods.find_periods(text, *heading) if c.meaningful]
    return find_cues(text, *heading), found


def _from_heading(p: Piece, cues: list[Cue], found: list[periods.PeriodCue]) -> None:
    for category in ("region", "state", "aor"):
        if category not in p.frame and not any(c in p.frame for c in ("region", "state", "aor")):
            hits = [c for c in cues if c.category == category]
            if hits:
                p.frame[category] = Sourced((hits[0].value,), (hits[0].text,), "the heading")
    if p.period is None and p.period_default is None and found:
        p.period = PeriodPick(found[0], "the heading")


# ----------------------------------------------------------------------------------- candidates


def candidate(text: str, r: SentenceReading, p: Piece) -> Candidate:
    fig = p.figure
    start = p.start
    while start < fig.start and (text[start].isspace() or text[start] in ",;:(—-"):
        start += 1
    qualifier, qstart = _qualifier(text, fig, p.start)
    cues = dict(p.frame)
    named = [c for c in r.cues if c.category in ("cbp_source", "generic", "source")]
    if named:
        cues["named"] = Sourced(tuple(c.category for c in named), tuple(c.text for c in named), SENTENCE)
    common = {
        "figure": fig,
        "span": (start, fig.end),
        "claim_span": (qstart, fig.end),
        "sentence": (r.sentence.start, r.sentence.end),
        "qualifier": qualifier,
        "cues": cues,
        "each": p.each,
        "role": p.role,
    }
    if p.kind == "comparison":
        common["difference"] = p.difference
        current, base = comparison_periods(text, r, p)
        if current is None and p.period is not None:
            current = p.period  # carried from an earlier sentence
            base = base or p.scene_base
        current, _ = year_in_view(r, p, current, "current")
        base, _ = year_in_view(r, p, base, "base")
        if p.difference:
            dir_ = difference_of(text, r.cues, r.periods, fig)
        else:
            dir_ = (
                direction_of(text, r.cues, r.periods, fig)
                if fig.percent
                else ("down" if fig.value < 1 else "up")
            )
        return Candidate(kind="comparison", current=current, base=base, direction=dir_, **common)  # type: ignore[arg-type]
    period, back = year_in_view(r, p, p.period)
    reference = p.scene_period if back else None
    if p.period is not None and p.period.cue.spec.kind == "context_month":
        reference = p.scene_month or (p.anchor.period if p.anchor is not None else None)
    elif p.period_default == "comparator" or (
        p.period is not None and p.period.cue.spec.kind in periods.RELATIVE
    ):
        anchor = p.anchor or r.main
        if (
            p.period is not None
            and p.period.cue.spec.kind == "context_fiscal_year"
            # '... of FY2022 (98,629), the year when ... (149,093)': the year named just before
            and (anchor is p or _YEAR_WHEN.match(p.period.cue.text))
        ):
            # 'in 2018, 107,000 of the 397,000 apprehended throughout the entire fiscal year': that year's
            anchor = next((q for q in reversed(r.pieces[: r.pieces.index(p)]) if q.period is not None), p)
        if anchor is not None and anchor is not p and anchor.period is not None:
            reference = anchor.period
        elif p.scene_period is not None and p.scene_period.cue is not (p.period.cue if p.period else None):
            reference = p.scene_period  # 'the 1,987 apprehended the previous year': before the year in view
    ongoing = bool(_ONGOING.search(text, r.sentence.start, r.sentence.end))
    return Candidate(
        kind="count",
        period=period,
        reference=reference,
        default_period=p.period_default,
        ongoing=ongoing,
        **common,  # type: ignore[arg-type]
    )


_YEAR_WHEN = re.compile(r"the year (?:when|in which)", re.IGNORECASE)


_ONGOING = re.compile(
    r"\b(?:so far|(?:has|have)\s+(?:\w+\s+)?(?:been|\w+ed|caught|seen|taken))\b", re.IGNORECASE
)


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


# ----------------------------------------------------------------------------------- tables


def _table(text: str, block: Block, previous: Block | None, out: Extraction, deadline: Deadline) -> None:
    """Each number in a Markdown table's body is a candidate; its cues come from its row's first cell,
    its column's header, the whole header row, the paragraph just before the table and the heading."""
    table = block.table
    assert table is not None
    header = table.header
    scopes: list[tuple[str, int, int]] = []
    if previous is not None and previous.table is None and previous.sentences:
        last = previous.sentences[-1]
        if text[last.start : last.end].rstrip().endswith(":"):  # an introduction: 'By nationality:'
            scopes.append(("the text before the table", last.start, last.end))
    if block.heading is not None:
        scopes.append(("the heading", *block.heading))
    skip = vocab.words("table_skip")
    for row in table.rows:
        if not row:
            continue
        deadline.check()
        label = row[0]
        for col, cell in enumerate(row):
            if col == 0 and len(row) > 1:
                continue
            column = header[col] if col < len(header) else None
            if column and text[column[0] : column[1]].strip().casefold() in skip:
                continue
            where = [("the table row", *label)]
            if column is not None:
                where.append(("the table header", *column))
            if header:
                where.append(("the table header", header[0][0], header[-1][1]))
            where += scopes
            for fig in numbers.parse_figures(text, *cell):
                result = _table_candidate(text, fig, cell, where)
                (out.rejected if isinstance(result, Rejected) else out.candidates).append(result)  # type: ignore[arg-type]


def _table_candidate(
    text: str, fig: Figure, cell: tuple[int, int], where: list[tuple[str, int, int]]
) -> Candidate | Rejected:
    if fig.reject is not None:
        return Rejected(fig, fig.reject)
    if any(fig.start < p.end and p.start < fig.end for p in periods.find_periods(text, *cell)):
        return Rejected(fig, "part of a date or period")
    if fig.percent or fig.multiple:
        return Rejected(fig, "a percentage in a table")
    frame: dict[str, Sourced] = {}
    period = None
    for label, a, b in where:
        cues = find_cues(text, a, b)
        for category in (
            "measure",
            "region",
            "agency",
            "nationality",
            "demographic",
            "title",
            "aor",
            "state",
        ):
            found = [c for c in cues if c.category == category]
            if category not in frame and found:
                frame[category] = sourced(choose(category, fig, found, text, own=False), label)
        found_p = [c for c in periods.find_periods(text, a, b) if c.meaningful]
        if period is None and found_p:
            period = PeriodPick(found_p[0], label)
    if "measure" not in frame:
        return Rejected(fig, "no encounter word in the table's header, heading or the text before it")
    qualifier, qstart = _qualifier(text, fig, cell[0])
    row = where[0]
    each = any(c.category == "each" for c in find_cues(text, row[1], row[2]))
    return Candidate(
        figure=fig,
        span=(row[1], fig.end),
        claim_span=(qstart, fig.end),
        sentence=(row[1], cell[1]),
        qualifier=qualifier,
        kind="count",
        cues=frame,
        period=period,
        each=each,
    )
