"""The independent truth behind the claim corpora: every reading recomputed from the CBP files with the
``csv`` module, no borderdesk code, then the tolerance table of ``claim-check.md``.

``bench/claims_eval.py`` scores the checker against it; the golden tests use it so that no corpus can
drift from the data. A *reading* is written::

    measure · agency · region[/place] · citizenship · demographic · period

* measure: ``encounters``, ``Title 42``, ``Title 8``; anything else (``gotaways``, ``unique individuals``,
  ``daily average``, ``repeat crossers``) is not in the data and makes the reading unverifiable;
* agency: ``all CBP``, ``USBP``, ``OFO``; region: ``nat``, ``SW``, ``north``, ``other``, optionally with a
  place: a state code (``SW/TX``) or an area of responsibility as CBP names it
  (``SW/Rio Grande Valley Sector``, ``SW/El Paso Field Office``);
* citizenship: ``all`` or release spellings joined with ``+`` (summed); a name outside the 21 listed
  countries (e.g. ``SENEGAL``) is pooled into OTHER and makes the reading unverifiable;
* demographic: ``all``, ``UAC``, ``FMUA``, ``Single Adults``, ``Accompanied Minors``;
* period: ``YYYY-MM`` or ``YYYY-MM..YYYY-MM``; a comparison is ``P1 vs P0 up|down`` (percent change from
  P0 to P1), ``P1 / P0 up|down`` (ratio P1/P0) or ``P1 - P0 up|down`` (a stated difference, judged with
  r = 1% of the larger side), both sides from the one release that covers both.

Which file answers (the newest that covers the period at the detail needed): for all of CBP the by-state
releases, newest coverage first (then latest publication); for USBP/OFO the Southwest-only sbo file
(2021-10..2025-08, citizenship only El Salvador, Guatemala, Honduras, Mexico) where it covers, else
TidyTuesday's cbp_resp (2019-10..2024-09, also the only file with areas of responsibility); Border Patrol
months before October 2019 come from the USBP monthly history table (sector totals, UAC and family units,
no citizenship). Anything else is unverifiable.

**As published** (amendment 5): given the claim's publication date, each all-CBP reading is also answered
from the newest by-state release already published on that date (publication dates from
``metadata/data/known_releases.csv``; where none is recorded, the 20th of the month after the release's
coverage ends). Either vintage matching supports the claim; a comparison answered from a release published
after the date gets the revision allowance (1% of 100 + the change, in points; 1% of a multiple).
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from repo_data import cbp_data  # a sibling in bench/

ROOT = Path(__file__).resolve().parents[1]
DATA = cbp_data()  # the repo's data/cbp, restored byte for byte (bench/repo_data.py)
KNOWN_RELEASES = ROOT / "src" / "borderdesk" / "metadata" / "data" / "known_releases.csv"

VERDICTS = ("supported", "inaccurate", "unverifiable")
QUALIFIERS = ("exact", "about", "more_than", "at_least", "nearly", "less_than")

# ------------------------------------------------------------------------------------------ the files


class Vintage(NamedTuple):
    name: str
    start: str  # first calendar month covered, YYYY-MM
    end: str  # last calendar month covered


#: By-state releases (every vintage held), with the calendar months they cover.
STATE_VINTAGES = (
    Vintage("nationwide-encounters-fy23-fy26-nov-state.csv", "2022-10", "2025-11"),
    Vintage("nationwide-encounters-fy22-fy25-state.csv", "2021-10", "2025-09"),
    Vintage("nationwide-encounters-fy21-fy24-state.csv", "2020-10", "2024-09"),
    Vintage("nationwide-encounters-fy21-fy24-may-state.csv", "2020-10", "2024-05"),
    Vintage("nationwide-encounters-fy21-fy24-apr-state.csv", "2020-10", "2024-04"),
    Vintage("nationwide-encounters-fy21-fy24-mar-state.csv", "2020-10", "2024-03"),
    Vintage("nationwide-encounters-fy21-fy24-feb-state.csv", "2020-10", "2024-02"),
    Vintage("nationwide-encounters-fy21-fy24-jan-state.csv", "2020-10", "2024-01"),
    Vintage("nationwide-encounters-fy21-fy24-dec-state.csv", "2020-10", "2023-12"),
    Vintage("nationwide-encounters-fy21-fy24-nov-state.csv", "2020-10", "2023-11"),
    Vintage("nationwide-encounters-fy21-fy24-oct-state.csv", "2020-10", "2023-10"),
    Vintage("nationwide-encounters-fy20-fy23-state.csv", "2019-10", "2023-09"),
)
#: The year-end and newest releases: what answers a question today (the monthly vintages between them are
#: older for every month they cover).
STATE = tuple(
    (v.name, v.start, v.end)
    for v in STATE_VINTAGES
    if v.name.endswith(("fy26-nov-state.csv", "fy25-state.csv", "fy24-state.csv", "fy23-state.csv"))
)
SBO = ("sbo-encounters-fy22-fy25-aug.csv", "2021-10", "2025-08")
AOR = ("tidytuesday-2024-11-26/cbp_resp.csv.gz", "2019-10", "2024-09")
HISTORY = ("usbp-historical/family_child_total_monthly_2000_2019.csv", "1999-10", "2019-09")
#: Whole fiscal years before the monthly table: USBP apprehensions nationwide (FY1925-) and by Southwest
#: sector (FY1960-), both through FY2019.
YEARLY = ("usbp-historical/southwest_border_apprehensions_1960_2019.csv", "1959-10", "2019-09")
YEARLY_NATIONWIDE = "usbp-historical/nationwide_total_apprehensions_1925_2019.csv"
REGIONS = {"nat": None, "SW": "Southwest Land Border", "north": "Northern Land Border", "other": "Other"}
HISTORY_REGIONS = {"nat": "nationwide total", "SW": "southwest border", "north": "northern border"}
CITIZENSHIPS = frozenset(
    {
        "BRAZIL", "CANADA", "CHINA, PEOPLES REPUBLIC OF", "COLOMBIA", "CUBA", "ECUADOR", "EL SALVADOR",
        "GUATEMALA", "HAITI", "HONDURAS", "INDIA", "MEXICO", "MYANMAR (BURMA)", "NICARAGUA", "PERU",
        "PHILIPPINES", "ROMANIA", "RUSSIA", "TURKEY", "UKRAINE", "VENEZUELA",
    }
)  # fmt: skip
SBO_CITIZENSHIPS = frozenset({"EL SALVADOR", "GUATEMALA", "HONDURAS", "MEXICO"})
DEMOGRAPHICS = {
    "UAC": frozenset({"UAC", "UC / Single Minors"}),
    "FMUA": frozenset({"FMUA"}),
    "Single Adults": frozenset({"Single Adults"}),
    "Accompanied Minors": frozenset({"Accompanied Minors"}),
}
HISTORY_DEMOGRAPHICS = {"all": "total_apprehensions", "UAC": "unaccompanied_child_apprehension",
                        "FMUA": "family_apprehensions"}  # fmt: skip
COMPONENTS = {"USBP": "U.S. Border Patrol", "OFO": "Office of Field Operations"}
TITLES = {"encounters": None, "Title 42": "Title 42", "Title 8": "Title 8"}
MONTH_NO = {
    "OCT": 10, "NOV": 11, "DEC": 12, "JAN": 1, "FEB": 2, "MAR": 3, "APR": 4, "MAY": 5, "JUN": 6,
    "JUL": 7, "AUG": 8, "SEP": 9,
}  # fmt: skip


class Row(NamedTuple):
    ym: str
    region: str
    citizenship: str
    demographic: str
    title: str
    component: str | None
    place: str  # state code (by-state files), area of responsibility (cbp_resp), '' (sbo)
    n: int


def _ym(fiscal_year: str, abbv: str) -> str:
    fy, month = int(fiscal_year.strip()[:4]), MONTH_NO[abbv.strip().upper()[:3]]
    return f"{fy - 1 if month >= 10 else fy:04d}-{month:02d}"


def _lines(path: Path) -> Iterator[str]:
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8-sig", newline="") as fh:  # type: ignore[operator]
        yield from fh


@cache
def rows(name: str) -> tuple[Row, ...]:
    """Every row of a release file, normalised; read with the csv module only."""
    out: list[Row] = []
    for raw in csv.DictReader(_lines(DATA / name)):
        d = {k.strip(): (v or "").strip() for k, v in raw.items()}
        if "fiscal_year" in d:  # TidyTuesday cbp_resp (snake_case, AOR level)
            out.append(
                Row(
                    _ym(d["fiscal_year"], d["month_abbv"]), d["land_border_region"], d["citizenship"],
                    d["demographic"], d["title_of_authority"], d["component"], d["area_of_responsibility"],
                    int(d["encounter_count"]),
                )
            )  # fmt: skip
        elif "Component" in d:  # Southwest Land Border Encounters (sbo): every row is Southwest
            out.append(
                Row(
                    _ym(d["Fiscal Year"], d["Month (abbv)"]), REGIONS["SW"] or "",
                    d["Citizenship Grouping"].upper(), d["Demographic"], d["Title of Authority"],
                    d["Component"], "", int(d["Encounter Count"]),
                )
            )  # fmt: skip
        else:  # Nationwide Encounters by state
            out.append(
                Row(
                    _ym(d["Fiscal Year"], d["Month (abbv)"]), d["Land Border Region"], d["Citizenship"],
                    d["Demographic"], d["Title of Authority"], None, d["State"], int(d["Encounter Count"]),
                )
            )  # fmt: skip
    return tuple(out)


@cache
def history_rows() -> dict[tuple[str, str], dict[str, str]]:
    """(aggregate row, YYYY-MM) -> the USBP monthly history columns, for months before FY2020."""
    months = {m.lower(): i for i, m in enumerate(
        ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
         "november", "december"), 1)}  # fmt: skip
    out: dict[tuple[str, str], dict[str, str]] = {}
    for d in csv.DictReader(_lines(DATA / HISTORY[0])):
        month = months.get(d["month"].strip().lower())
        if month is None:
            continue
        fy = int(d["fiscal_year"])
        out[(d["sector"].strip(), f"{fy - 1 if month >= 10 else fy:04d}-{month:02d}")] = d
    return out


@cache
def published_dates() -> dict[str, dt.date]:
    """file name -> publication date, from the package's known_releases.csv (YYYY-MM-DD only)."""
    out = {}
    with KNOWN_RELEASES.open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            try:
                out[r["cbp_file"]] = dt.date.fromisoformat(r["published"])
            except ValueError:
                continue
    return out


def published_on(v: Vintage) -> dt.date:
    """The recorded publication date, else the 20th of the month after coverage ends (claim-check.md)."""
    known = published_dates().get(Path(v.name).name) or published_dates().get(v.name)
    if known is not None:
        return known
    y, m = map(int, v.end.split("-"))
    y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return dt.date(y, m, 20)


def _vintage_of(name: str) -> Vintage:
    for v in (
        *STATE_VINTAGES,
        Vintage(*SBO),
        Vintage(*AOR),
        Vintage(*HISTORY),
        Vintage(*YEARLY),
        Vintage(YEARLY_NATIONWIDE, "1924-10", "2019-09"),
    ):
        if v.name == name:
            return v
    raise KeyError(name)


def months(start: str, end: str) -> list[str]:
    y, m = map(int, start.split("-"))
    out = []
    while f"{y:04d}-{m:02d}" <= end:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def newest_state(start: str, end: str, published_by: dt.date | None = None) -> str | None:
    """The newest by-state vintage covering start..end (latest coverage end, then latest publication),
    among those published by ``published_by`` when given."""
    fits = [
        v
        for v in STATE_VINTAGES
        if v.start <= start and end <= v.end and (published_by is None or published_on(v) <= published_by)
    ]
    if not fits:
        return None
    return max(fits, key=lambda v: (v.end, published_on(v))).name


def pick_file(
    agency: str,
    region: str,
    cits: frozenset[str] | None,
    start: str,
    end: str,
    place: str = "",
    demo: str = "all",
) -> str | None:
    """The newest file that covers start..end at the detail the reading needs."""
    aor = place and len(place) != 2
    if agency == "all CBP" and not aor:
        return newest_state(start, end)
    if (
        region == "SW"
        and not place
        and SBO[1] <= start
        and end <= SBO[2]
        and (cits is None or cits <= SBO_CITIZENSHIPS)
    ):
        return SBO[0]
    if AOR[1] <= start and end <= AOR[2] and (not place or aor):
        return AOR[0]
    if (
        agency == "USBP"
        and HISTORY[1] <= start
        and end <= HISTORY[2]
        and cits is None
        and demo in HISTORY_DEMOGRAPHICS
        and (region in HISTORY_REGIONS or _history_sector(place))
    ):
        return HISTORY[0]
    if (
        agency == "USBP"
        and start < HISTORY[1]
        and end <= YEARLY[2]
        and start.endswith("-10")
        and end.endswith("-09")
        and cits is None
        and demo == "all"
        and ((region == "SW" and (not place or _history_sector(place))) or (region == "nat" and not place))
    ):
        return YEARLY[0] if region == "SW" else YEARLY_NATIONWIDE
    return None


@cache
def yearly_rows(name: str) -> dict[tuple[str, int], int]:
    """(sector or 'total', fiscal year) -> USBP apprehensions, from a yearly history table."""
    out: dict[tuple[str, int], int] = {}
    for d in csv.DictReader(_lines(DATA / name)):
        row = d.get("sector", "total").strip().lower()
        out[(row, int(d["fiscal_year"]))] = out.get((row, int(d["fiscal_year"])), 0) + int(
            d["total_apprehensions"]
        )
    return out


def _history_sector(place: str) -> str:
    """'Rio Grande Valley Sector' -> 'rio grande valley' (the history table's name), or ''."""
    return place[: -len(" Sector")].lower() if place.endswith(" Sector") else ""


def total(
    name: str,
    measure: str,
    agency: str,
    region: str,
    cits: frozenset[str] | None,
    demo: str,
    start: str,
    end: str,
    place: str = "",
) -> int:
    if name in (YEARLY[0], YEARLY_NATIONWIDE):
        years = range(int(start[:4]) + 1, int(end[:4]) + 1)
        table = yearly_rows(name)
        sector = _history_sector(place)
        return sum(
            n
            for (row, fy), n in table.items()
            if fy in years
            and row == (sector or ("total" if name == YEARLY_NATIONWIDE else "southwest border"))
        )
    if name == HISTORY[0]:
        column = HISTORY_DEMOGRAPHICS[demo]
        table = history_rows()
        row = _history_sector(place) or HISTORY_REGIONS[region]
        return sum(int(table[(row, ym)][column]) for ym in months(start, end))
    wanted = set(months(start, end))
    reg, title = REGIONS[region], TITLES[measure]
    dem = None if demo == "all" else DEMOGRAPHICS[demo]
    comp = None if agency == "all CBP" else COMPONENTS[agency]
    return sum(
        r.n
        for r in rows(name)
        if r.ym in wanted
        and (reg is None or r.region == reg)
        and (cits is None or r.citizenship in cits)
        and (dem is None or r.demographic in dem)
        and (title is None or r.title == title)
        and (comp is None or r.component == comp)
        and (not place or r.place == place)
    )


# ------------------------------------------------------------------------------------------ readings

FIELDS = ("measure", "agency", "region", "citizenship", "demographic", "period")


def parse_reading(text: str) -> dict[str, str]:
    parts = [p.strip() for p in text.split("·")]
    if len(parts) != len(FIELDS):
        raise ValueError(f"a reading has {len(FIELDS)} fields separated by '·': {text!r}")
    reading = dict(zip(FIELDS, parts, strict=True))
    region, _, place = reading["region"].partition("/")
    reading["region"], reading["place"] = region.strip(), place.strip()
    if reading["agency"] not in ("all CBP", *COMPONENTS):
        raise ValueError(f"unknown agency in {text!r}")
    if reading["region"] not in REGIONS:
        raise ValueError(f"unknown region in {text!r}")
    if reading["demographic"] != "all" and reading["demographic"] not in DEMOGRAPHICS:
        raise ValueError(f"unknown demographic in {text!r}")
    return reading


def _span(period: str) -> tuple[str, str]:
    start, _, end = period.strip().partition("..")
    return start, end or start


def reading_value(text: str, date: str | dt.date | None = None) -> dict[str, Any]:
    """{'value', 'file', 'why', 'sides', ...} of one reading; with a publication ``date``, also
    'published_value' and 'published_file': the answer of the newest by-state release already published
    on that date (None when it is the same release as today's, or none was published)."""
    r = parse_reading(text)
    day = dt.date.fromisoformat(date) if isinstance(date, str) else date
    period = r["period"]
    kind, direction = "count", None
    later = earlier = period
    for sep, k in ((" vs ", "percent"), (" / ", "ratio"), (" - ", "difference")):
        if sep in period:
            kind = k
            later, earlier = period.split(sep)
            earlier, _, direction = earlier.strip().rpartition(" ")
            if direction not in ("up", "down"):
                raise ValueError(f"a comparison period ends with 'up' or 'down': {text!r}")
    out: dict[str, Any] = {
        "reading": text, "kind": kind, "direction": direction, "value": None, "file": None, "sides": None,
        "published_value": None, "published_file": None, "published_raw": None, "revised_after": False,
    }  # fmt: skip
    if r["measure"] not in TITLES:
        return {**out, "why": f"{r['measure']} are not in any release"}
    cits = None if r["citizenship"] == "all" else frozenset(r["citizenship"].split("+"))
    if cits is not None and not cits <= CITIZENSHIPS:
        return {**out, "why": f"{'+'.join(sorted(cits - CITIZENSHIPS))} pooled into OTHER"}
    args = (r["measure"], r["agency"], r["region"], cits, r["demographic"])
    place = r["place"]
    if kind == "count":
        start, end = _span(period)
    else:
        (a1, b1), (a0, b0) = _span(later), _span(earlier)
        start, end = min(a0, a1), max(b0, b1)
    name = pick_file(r["agency"], r["region"], cits, start, end, place, r["demographic"])
    if name is None:
        return {**out, "why": f"no release covers {period} for {r['agency']} {r['region']}"}
    if name in (HISTORY[0], YEARLY[0], YEARLY_NATIONWIDE) and r["measure"] != "encounters":
        return {**out, "why": "the USBP history tables have no title of authority"}
    then = None
    if day is not None and r["agency"] == "all CBP" and (not place or len(place) == 2):
        then = newest_state(start, end, published_by=day)
        then = None if then == name else then
    revised_after = day is not None and published_on(_vintage_of(name)) > day

    def compute(file: str) -> tuple[Any, Any, Any]:
        if kind == "count":
            return total(file, *args, start, end, place), None, None
        v1, v0 = total(file, *args, a1, b1, place), total(file, *args, a0, b0, place)
        if kind == "difference":
            return v1 - v0, v1 - v0, (v1, v0)
        if v0 == 0:
            return None, None, (v1, v0)
        raw = (v1 - v0) / v0 * 100 if kind == "percent" else v1 / v0
        return (round(raw, 2) if kind == "percent" else round(raw, 3)), raw, (v1, v0)

    value, raw, sides = compute(name)
    if value is None:
        return {**out, "why": "the earlier side is zero", "sides": sides}
    out.update(value=value, raw=raw, sides=sides, file=name, why="", revised_after=revised_after)
    if then is not None:
        pv, praw, _ = compute(then)
        out.update(published_value=pv, published_raw=praw, published_file=then)
    return out


# ------------------------------------------------------------------------------------------ tolerance


def unit(x: float) -> float:
    """Place value of the last significant digit: 5507 -> 1, 31600 -> 100, 2700000 -> 100000, 31.6 -> 0.1."""
    if x != int(x):
        decimals = len(repr(float(x)).split(".")[1].rstrip("0"))
        return 10.0**-decimals
    n, u = abs(int(x)), 1
    while n and n % (u * 10) == 0:
        u *= 10
    return float(u)


def band_ok(x: float, qualifier: str, v: float, kind: str, widen: float = 0.0) -> bool:
    """The tolerance table of claim-check.md. For comparisons ``v`` is the unsigned computed change and
    ``widen`` the revision allowance (points, or a share of the multiple) added to the tolerance."""
    if kind == "count":
        half, r, ten, three, quarter = unit(x) / 2, 0.01 * x, 0.10 * x, 0.03 * x, 0.25 * x
    elif kind == "difference":  # ``widen`` carries the larger side: r is 1% of it
        half, r, ten, three, quarter = unit(x) / 2, 0.01 * widen, 0.10 * x, 0.03 * x, 0.25 * x
    elif kind == "percent":  # percentage points; integer percents have a unit of 1
        step = unit(x) if x != int(x) else 1.0
        half = r = 0.5 + widen
        if qualifier == "exact":
            half = max(step / 2, 0.5) + widen
        ten, three, quarter = 0.10 * x, 0.03 * x, 0.25 * x
    else:  # a multiple: within 10% of it; qualified multiples use 10% as r and u/2
        half = r = 0.10 * x + widen
        ten, three, quarter = 0.10 * x, 0.03 * x, 0.25 * x
    if qualifier == "exact":
        return abs(v - x) <= max(half, r)
    if qualifier == "about":
        return abs(v - x) <= max(half, three)
    if qualifier == "more_than":
        return x - r < v <= x + max(half, quarter)
    if qualifier == "at_least":
        return v >= x - r
    if qualifier == "nearly":
        return x - max(half, ten) <= v < x + r
    if qualifier == "less_than":
        return x - max(half, quarter) <= v < x + r
    raise ValueError(f"unknown qualifier {qualifier!r}")


def _fits(
    number: float,
    qualifier: str,
    kind: str,
    direction: str | None,
    raw: float,
    widen: float,
    larger: float = 0,
) -> bool:
    if kind == "count":
        return band_ok(number, qualifier, raw, "count")
    if kind == "difference":  # the unsigned difference, with r = 1% of the larger side
        return ((raw >= 0) == (direction == "up")) and band_ok(
            number, qualifier, abs(raw), "difference", larger
        )
    if kind == "percent":
        return ((raw >= 0) == (direction == "up")) and band_ok(number, qualifier, abs(raw), "percent", widen)
    return ((raw >= 1) == (direction == "up")) and band_ok(number, qualifier, raw, "ratio", widen)


def matches(claim: dict[str, Any], rv: dict[str, Any]) -> bool:
    """Does the claim fit this reading, today's figure or the one published by its date?"""
    if rv["value"] is None:
        return False
    number, qualifier, kind = float(claim["number"]), claim["qualifier"], rv["kind"]
    raw = float(rv["value"]) if kind == "count" else rv["raw"]  # unrounded: +11.495% is 0.505 from 12
    larger = float(max(rv["sides"])) if kind == "difference" else 0.0
    widen = 0.0
    if rv.get("revised_after") and kind == "percent":
        widen = 0.01 * (100 + raw)
    elif rv.get("revised_after") and kind == "ratio":
        widen = 0.01 * raw
    if _fits(number, qualifier, kind, rv["direction"], raw, widen, larger):
        return True
    if rv.get("published_value") is None:
        return False
    praw = float(rv["published_value"]) if kind == "count" else rv["published_raw"]
    return _fits(number, qualifier, kind, rv["direction"], praw, 0.0, larger)


def evaluate(claim: dict[str, Any]) -> dict[str, Any]:
    """Expected verdict and value of a corpus claim (``number``, ``qualifier``, ``reading``, and
    ``published`` for the as-published vintage), recomputed from the CSV files.

    supported: some reading matches, the value is the first matching reading's; inaccurate: readings
    were computed but none matches, the value is the first reading's; unverifiable: no reading can be
    computed, the value is None. ``readings`` lists every reading with its value and whether it matched.
    """
    details = [reading_value(t.strip(), claim.get("published")) for t in claim["reading"].split("|")]
    for d in details:
        d["ok"] = matches(claim, d)
    computed = [d for d in details if d["value"] is not None]
    if not computed:
        return {"verdict": "unverifiable", "value": None, "readings": details}
    hit = next((d for d in details if d["ok"]), None)
    if hit is not None:
        return {"verdict": "supported", "value": hit["value"], "readings": details}
    if len(computed) != len(details):  # no computable reading matches, another cannot be computed
        return {"verdict": "unverifiable", "value": None, "readings": details}
    return {"verdict": "inaccurate", "value": details[0]["value"], "readings": details}
