"""What a worker does with a batch of articles, whichever engine runs it: check each article exactly
as ``borderdesk check`` does (HTML through ``check URL``'s extractor) and turn its report into rows.

Each worker process opens the database once, read-only, and keeps it (:func:`desk_for`): a local
pool's processes and a Dask cluster's workers alike import this module and call :func:`check_batch`,
so both engines give the same rows. An article that fails (no article in its HTML, over the time
limit, anything the check raises) becomes an error row; it never stops the batch.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from borderdesk.archive.inputs import Article, ArticleError, place_of
from borderdesk.archive.rows import report_rows
from borderdesk.errors import BorderdeskError, CheckTimeoutError, PageError, TextTooLongError

if TYPE_CHECKING:
    from borderdesk.desk import Desk

#: The database each worker process has open, by path: opened on its first batch, then reused.
_DESKS: dict[str, Desk] = {}


@dataclass(frozen=True)
class Settings:
    """What every batch is checked with: the database file, the fallback date (--date), the time
    limit per article in seconds (None: none)."""

    db: str
    date: str | None = None
    timeout: float | None = None


@dataclass(frozen=True)
class Checked:
    """An article checked: its rows (one per claim; none when it has no claim) and what marks it
    done for a rerun."""

    article_id: str
    content_hash: str
    input: str
    input_line: int | None
    rows: list[dict[str, Any]] = field(default_factory=list)


Outcome = Checked | ArticleError


def desk_for(db: str) -> Desk:
    """The worker's read-only database at ``db``, opened once per process. A file missing here is an
    error of the deployment (every worker machine needs the database at the same path), not of an
    article: it stops the run rather than failing every article one by one."""
    desk = _DESKS.get(db)
    if desk is None:
        if not Path(db).is_file():
            raise BorderdeskError(f"no database at {db} on this worker: copy it there (read-only)")
        import borderdesk

        desk = _DESKS[db] = borderdesk.open(db, read_only=True)
    return desk


def check_batch(articles: list[Article], settings: Settings) -> list[Outcome]:
    """Check a batch of articles in this process; one outcome per article, in order."""
    desk = desk_for(settings.db)
    return [check_one(desk, article, settings) for article in articles]


def check_one(desk: Desk, article: Article, settings: Settings) -> Outcome:
    """The rows of one article, or the error that stopped it."""
    try:
        return _checked(desk, article, settings)
    except PageError as e:
        return _failed(article, "no_article_in_html", str(e))
    except CheckTimeoutError:
        return _failed(article, "timeout", f"checking took longer than {settings.timeout:g} s; stopped")
    except TextTooLongError as e:
        return _failed(article, "too_large", str(e))
    except BorderdeskError as e:
        return _failed(article, "check_failed", str(e))
    except Exception as e:  # one bad article never stops a run: any failure is its error row
        return _failed(article, "check_failed", f"{type(e).__name__}: {e}")


def _checked(desk: Desk, article: Article, settings: Settings) -> Checked:
    text, title, page_date = article.text, None, None
    if article.html is not None:
        from borderdesk.remote.article import extract_article  # trafilatura: only for HTML

        page = extract_article(article.html, article.url or Path(article.input).resolve().as_uri())
        text, title, page_date = page.text, page.title, page.date
    assert text is not None
    date, date_from = reading_date(article.date, page_date, settings.date)
    report = desk.check_report(text, date=date, timeout=settings.timeout)
    columns = {
        "article_id": article.article_id,
        "url": article.url,
        "outlet": article.outlet,
        "input": article.input,
        "input_line": article.input_line,
        "content_hash": article.content_hash,
        "date_from": date_from,
        "page_title": title,
    }
    return Checked(
        article.article_id,
        article.content_hash,
        article.input,
        article.input_line,
        report_rows(columns, report.to_dict()),
    )


def reading_date(own: str | None, page: str | None, fallback: str | None) -> tuple[str | None, str]:
    """The date to read an article at, and where it came from: its own date ("article"), else its
    page's ("page"), else --date ("--date"), else none: the check reads it as of the newest data
    ("data"), as ``check`` does a text without a date."""
    for date, origin in ((own, "article"), (page, "page"), (fallback, "--date")):
        if date:
            return date, origin
    return None, "data"


def _failed(article: Article, kind: str, message: str) -> ArticleError:
    place = place_of(article.input, article.input_line)
    return ArticleError(
        input=article.input,
        input_line=article.input_line,
        error=kind,
        message=f"{place}: {message}",
        article_id=article.article_id,
        url=article.url,
        outlet=article.outlet,
    )
