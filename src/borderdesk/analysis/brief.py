"""A one-page monthly brief a reporter could publish from: totals and changes, top nationalities with
shares, surges, revisions, events and charts, with every source named (release, file, sha256).

:func:`build_brief` asks a :class:`~borderdesk.query.reader.Reader` (a desk) through the same routes
the desk's own methods use (so every number is one the CLI would print) and returns a :class:`Brief`;
``markdown()`` and ``html()`` render it. Charts are drawn above this layer
(:func:`borderdesk.charts.add_brief_charts`) and attached as PNG: embedded as data URIs in HTML, written
next to a Markdown file (``brief.md`` -> ``brief-total.png``).
"""

from __future__ import annotations

import base64
import datetime as dt
import html
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from borderdesk.analysis.events import Event, events_in
from borderdesk.analysis.result import Table, merge_releases
from borderdesk.errors import BorderdeskError, CoverageError, ParameterError
from borderdesk.history import route
from borderdesk.query.periods import Period, month_text
from borderdesk.store.releases import Release

if TYPE_CHECKING:
    from borderdesk.query.change import Change
    from borderdesk.query.frames import Frame
    from borderdesk.query.reader import Reader

TOP = 10
CAVEAT = (
    "Encounters count events, not people: one person stopped twice counts twice. CBP revises the "
    "months of the fiscal year in progress in later releases."
)


@dataclass(frozen=True)
class Chart:
    """One picture of the brief: ``name`` makes its file name, ``alt`` describes it for screen readers."""

    name: str
    alt: str
    png: bytes


@dataclass
class Brief:
    """The brief's content; render with :meth:`markdown` or :meth:`html`, save with :meth:`write`."""

    title: str
    subject: str
    period: Period
    change: Change
    fytd: tuple[int, int | None, str] | None
    top: Frame
    surges: Table | None
    revisions: Table | None
    events: tuple[Event, ...]
    charts: list[Chart] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def place(self) -> str:
        """Where the brief is about, in words ("Southwest border", "nationwide")."""
        return place_name(self.change.current.question.values("region"))

    @property
    def releases(self) -> tuple[Release, ...]:
        groups = [self.change.current.releases, self.top.releases]
        for t in (self.surges, self.revisions):
            if t is not None:
                groups.append(t.releases)
        return merge_releases(*groups)

    # -- rendering -----------------------------------------------------------------------------
    def markdown(self, image_names: dict[str, str] | None = None) -> str:
        """Markdown; charts are linked by file name (``image_names``: chart name -> file or data URI)."""
        c = self.change
        cur = c.current
        out = [f"# {self.title}", "", f"_{self.subject}_", ""]
        out += ["## Totals", ""]
        lines = [f"- **{cur.value:,}** encounters in {self.period.describe()}."]
        prior = "the month before" if self.period.kind == "month" else "the period before"
        compared = [(prior, c.previous), ("a year earlier", c.year_earlier)]
        if c.year_earlier_is_previous:  # a 12-month period: the one before it is the year earlier
            compared = [("a year earlier", c.year_earlier)]
        for label, other in compared:
            if other is not None and other.period is not None:
                lines.append(
                    f"- {_signed(cur.value - other.value)} ({_pct(cur.value, other.value)}) from "
                    f"{other.value:,} {label} ({other.period.describe()})."
                )
        if self.fytd is not None:
            now, before, text = self.fytd
            tail = f", against {before:,} a year earlier ({_pct(now, before)})" if before is not None else ""
            lines.append(f"- {text}: {now:,}{tail}.")
        out += [*lines, ""]
        out += [f"## Top nationalities, {self.period.describe()}", ""]
        out += ["| citizenship | encounters | share |", "|---|---:|---:|"]
        for name, value, share in self.top.rows:
            out.append(f"| {name} | {value:,} | {share * 100:.1f}% |")
        out += ["", f"Total {self.top.total:,}. CBP names 21 countries and pools the rest into OTHER.", ""]
        if self.surges is not None:
            out += ["## Surges", ""]
            if self.surges.rows:
                out += [
                    "Nationalities far above their own seasonal baseline (score = how many robust standard "
                    "deviations above it, on a log scale):",
                    "",
                    "| nationality | region | encounters | baseline | ratio | score | year earlier | since |",
                    "|---|---|---:|---:|---:|---:|---:|---|",
                ]
                for r in self.surges.records():
                    out.append(
                        f"| {r['nationality']} | {r['region']} | {r['value']:,} | {r['baseline']:,} | "
                        f"{r['ratio']}x | {r['score']:.1f} | {_num(r['year_earlier'])} | "
                        f"{r['change_point'] or ''} |"
                    )
            else:
                out.append("No nationality is above its baseline.")
            out.append("")
        if self.revisions is not None:
            out += ["## Revisions", ""]
            values = [r[4] for r in self.revisions.rows]
            if values and len(set(values)) == 1:
                out.append(
                    f"Not revised: all {len(values)} releases holding {month_text(self.period.end or 0)} "
                    f"give {values[0]:,}."
                )
            elif values:
                out += ["| release | file | data through | value | change |", "|---|---|---|---:|---:|"]
                for label, file, _, through, value, change, _ in self.revisions.rows:
                    out.append(f"| {label} | {file} | {through} | {value:,} | {_num(change, signed=True)} |")
            out.append("")
        if self.events:
            out += ["## Events", ""]
            for e in self.events:
                when = e.date.isoformat() + (f" to {e.end_date.isoformat()}" if e.end_date else "")
                out.append(f"- **{when}**: {e.title}. {e.description} ([source]({e.source_url}))")
            out.append("")
        if self.charts:
            out += ["## Charts", ""]
            for ch in self.charts:
                target = (image_names or {}).get(ch.name, f"{ch.name}.png")
                out += [f"![{ch.alt}]({target})", ""]
        out += ["## Sources", ""]
        groups = [self.change.current.releases, self.top.releases]
        if self.surges is not None:
            groups.append(self.surges.releases)
        main = merge_releases(*groups)
        out += [_source_line(rel) for rel in main]
        checked = [rel for rel in self.releases if rel not in main]
        if checked:
            out += ["", "Revision check (the same month in every other release that holds it):", ""]
            out += [_source_line(r) for r in checked]
        out += ["", f"{CAVEAT}", *[f"{n}" for n in self.notes], ""]
        if self.surges is not None:
            out += [f"Surge method: {self.surges.method}.", ""]
        out.append(f"_Made with borderdesk on {dt.date.today().isoformat()}._")
        return "\n".join(out) + "\n"

    def html(self) -> str:
        """A self-contained HTML page (charts as data URIs, no external requests)."""
        from markdown_it import MarkdownIt

        uris = {
            c.name: "data:image/png;base64," + base64.b64encode(c.png).decode("ascii") for c in self.charts
        }
        body = MarkdownIt("commonmark", {"html": False}).enable("table").render(self.markdown(uris))
        return (
            '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
            f"<title>{html.escape(self.title)}</title><style>{_CSS}</style></head>\n<body>\n{body}</body></html>\n"
        )

    def write(self, path: Path) -> list[Path]:
        """Write ``.md`` (plus one PNG per chart beside it) or ``.html``; returns the files written."""
        suffix = path.suffix.lower()
        if suffix == ".html":
            path.write_text(self.html(), encoding="utf-8")
            return [path]
        if suffix != ".md":
            raise ParameterError(
                "path", f"{{parameter}} must end in .md or .html, not {path.name!r}", value=path.name
            )
        written = []
        names = {}
        for c in self.charts:
            png = path.with_name(f"{path.stem}-{c.name}.png")
            png.write_bytes(c.png)
            names[c.name] = png.name
            written.append(png)
        path.write_text(self.markdown(names), encoding="utf-8")
        return [path, *written]


def _source_line(r: Release) -> str:
    published = f", published {r.published}" if r.published else ""
    return (
        f"- U.S. Customs and Border Protection, release `{r.label}`: `{r.file}` "
        f"(sha256 `{r.sha256}`{published}; data {r.coverage['start']} to {r.coverage['end']})"
    )


_CSS = (
    "body{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;line-height:1.45}"
    "table{border-collapse:collapse}td,th{border-bottom:1px solid #ddd;padding:.2rem .6rem}"
    "img{max-width:100%}code{font-size:.85em}"
)


def _pct(now: int, then: int | None) -> str:
    if not then:
        return "n/a"
    return f"{(now - then) / then * 100:+.1f}%"


def _signed(n: int) -> str:
    return f"{n:+,}"


def _num(v: Any, signed: bool = False) -> str:
    if v is None:
        return ""
    return f"{v:+,}" if signed else f"{v:,}"


def build_brief(reader: Reader, *, period: str, today: dt.date | None = None, **filters: Any) -> Brief:
    """Assemble the brief for ``period`` (usually one month) and the filters (e.g. region="southwest"),
    without charts."""
    from dataclasses import replace

    from borderdesk.analysis import revisions as rev
    from borderdesk.analysis.surges import surges as find_surges
    from borderdesk.query.change import change as change_of

    change = change_of(reader.con, reader.catalog, reader.question(period=period, today=today, **filters))
    cur = change.current
    assert cur.period is not None and cur.period.end is not None
    p = cur.period
    end: int = cur.period.end
    subject = cur.question.describe()
    title = f"Border encounters: {place_name(cur.question.values('region'))}, {p.describe()}"
    notes: list[str] = list(change.notes)

    by_citizenship = reader.question(period=p.text, today=today, by=("citizenship",), **filters)
    top = route.table(reader, by_citizenship, top=TOP)

    surges: Table | None = None
    if "citizenship" not in filters:
        try:
            q = reader.question(period=p.text, today=today, **filters)
            surges = find_surges(reader.con, reader.catalog, q, top=8, min_value=100, min_score=0.0)
        except (CoverageError, BorderdeskError) as e:
            notes.append(f"Surges not computed: {e}")

    revisions: Table | None = None
    try:
        q = replace(cur.question, as_of=None)
        revisions = rev.month_history(reader.con, reader.catalog, q, Period("month", end, end))
    except BorderdeskError as e:
        notes.append(f"Revisions not computed: {e}")

    # events of the year up to the period's end (and any span still running then)
    context = Period("range", min(p.start, end - 11), end)
    events = events_in(context)

    fytd = _fiscal_to_date(reader, p, today, filters)
    return Brief(title, subject, p, change, fytd, top, surges, revisions, events, notes=notes)


def place_name(regions: tuple[str, ...]) -> str:
    """Regions in words, for titles: ("southwest",) -> "Southwest border"; none -> "nationwide"."""
    names = {"southwest": "Southwest border", "northern": "Northern border", "other": "air and sea"}
    return " + ".join(names.get(r, r) for r in regions) or "nationwide"


def _fiscal_to_date(
    reader: Reader, p: Period, today: dt.date | None, filters: dict[str, Any]
) -> tuple[int, int | None, str] | None:
    """(fiscal year to date through the period, the same months a year earlier, label) for one month."""
    from borderdesk.query.periods import fiscal_year_months, fiscal_year_of

    if p.kind != "month" or p.end is None:
        return None
    fy = fiscal_year_of(p.end)
    start = fiscal_year_months(fy)[0]
    span = f"{month_text(start)}..{month_text(p.end)}"
    now = route.count(reader, reader.question(period=span, today=today, **filters)).value
    try:
        earlier = f"{month_text(start - 12)}..{month_text(p.end - 12)}"
        before: int | None = route.count(
            reader, reader.question(period=earlier, today=today, **filters)
        ).value
    except BorderdeskError:
        before = None
    return now, before, f"Fiscal year {fy} to date ({Period('range', start, p.end).describe()})"
