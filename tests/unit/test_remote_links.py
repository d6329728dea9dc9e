"""Finding release links in HTML, and reading CBP's publication month from file URLs."""

from __future__ import annotations

import pytest

from borderdesk.remote import find_release_links, is_release_url, published_from_url

CBP_PAGE = "https://www.cbp.gov/document/stats/nationwide-encounters"
SWB_PAGE = "https://www.cbp.gov/document/stats/southwest-land-border-encounters"

# A fragment shaped like the CBP "Nationwide Encounters" document page.
CBP_HTML = """<!DOCTYPE html>
<html lang="en" dir="ltr">
<head><meta charset="utf-8"><title>Nationwide Encounters | U.S. Customs and Border Protection</title></head>
<body>
<a href="#main-content" class="visually-hidden focusable skip-link">Skip to main content</a>
<nav><a href="/newsroom/stats">Stats and Summaries</a> <a href="javascript:void(0)">Menu</a></nav>
<main id="main-content">
  <h1>Nationwide Encounters</h1>
  <div class="field field--name-field-document-file">
    <ul>
      <li><span class="file file--mime-text-csv file--text">
        <a href="/sites/default/files/2025-11/nationwide-encounters-fy22-fy25-aor.csv"
           type="text/csv; length=5418793">Nationwide Encounters FY22-FY25 (AOR)</a></span></li>
      <li><span class="file file--mime-text-csv file--text">
        <a href="https://www.cbp.gov/sites/default/files/2024-10/nationwide-encounters-fy21-fy24-state.csv"
           type="text/csv">Nationwide Encounters FY21-FY24 (State)</a></span></li>
      <li>
<a href="/sites/default/files/assets/documents/2023-Nov/nationwide-encounters-fy20-fy23-state.csv?v=123">
        FY20-FY23 (State)</a></li>
      <li><a href="/sites/default/files/2024-10/nationwide-encounters-fy21-fy24-state.csv#data">
        FY21-FY24 again, with a fragment</a></li>
      <li><a href="/sites/default/files/2025-11/nationwide-encounters-data-dictionary.pdf">Data dictionary
        (PDF)</a></li>
    </ul>
  </div>
  <p>Questions? <a href="mailto:stats@cbp.dhs.gov">Email us</a> or see the
     <a href="https://www.cbp.gov/newsroom/stats/nationwide-encounters">dashboard</a>.</p>
  <p><a href="#top">Back to top</a> <a>no href</a> <a href="">empty</a></p>
</main>
</body></html>
"""

CBP_LINKS = [
    "https://www.cbp.gov/sites/default/files/2025-11/nationwide-encounters-fy22-fy25-aor.csv",
    "https://www.cbp.gov/sites/default/files/2024-10/nationwide-encounters-fy21-fy24-state.csv",
    "https://www.cbp.gov/sites/default/files/assets/documents/2023-Nov/nationwide-encounters-fy20-fy23-state.csv?v=123",
]

# What Python's http.server answers for a folder (SimpleHTTPRequestHandler.list_directory).
DIRECTORY_LISTING = """<!DOCTYPE HTML>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Directory listing for /cbp/</title>
</head>
<body>
<h1>Directory listing for /cbp/</h1>
<hr>
<ul>
<li><a href="../">../</a></li>
<li><a href="PROVENANCE.md">PROVENANCE.md</a></li>
<li><a href="nationwide-encounters-fy20-fy23-state.csv">nationwide-encounters-fy20-fy23-state.csv</a></li>
<li><a href="nationwide-encounters-fy21-fy24-oct-state.csv">nationwide-encounters-fy21-fy24-oct-state.csv</a>
</li>
<li><a href="nationwide%20encounters%20copy.CSV">nationwide encounters copy.CSV</a></li>
<li><a href="ohss/">ohss/</a></li>
<li><a href="releases.csv.gz">releases.csv.gz</a></li>
<li><a href="sbo-encounters-fy22-fy25-aug.csv">sbo-encounters-fy22-fy25-aug.csv</a></li>
<li><a href="summary.xlsx">summary.xlsx</a></li>
<li><a href="tidytuesday-2024-11-26/">tidytuesday-2024-11-26/</a></li>
<li><a href="usbp-historical/">usbp-historical/</a></li>
<li><a href="report.pdf">report.pdf</a></li>
<li><a href="index.html">index.html</a></li>
</ul>
<hr>
</body>
</html>
"""

LISTING_BASE = "http://127.0.0.1:8000/cbp/"
LISTING_LINKS = [
    LISTING_BASE + "nationwide-encounters-fy20-fy23-state.csv",
    LISTING_BASE + "nationwide-encounters-fy21-fy24-oct-state.csv",
    LISTING_BASE + "nationwide%20encounters%20copy.CSV",
    LISTING_BASE + "releases.csv.gz",
    LISTING_BASE + "sbo-encounters-fy22-fy25-aug.csv",
    LISTING_BASE + "summary.xlsx",
]


def _anchors(*hrefs: str) -> str:
    return "<ul>" + "".join(f'<li><a href="{href}">x</a></li>' for href in hrefs) + "</ul>"


@pytest.mark.parametrize(
    ("html", "base_url", "expected"),
    [
        pytest.param(CBP_HTML, CBP_PAGE, CBP_LINKS, id="cbp-nationwide-page"),
        pytest.param(
            _anchors(
                "/sites/default/files/2025-09/sbo-encounters-fy22-fy25-aug.csv",
                "/sites/default/files/2025-09/sbo-encounters-fy22-fy25-aug.pdf",
            ),
            SWB_PAGE,
            ["https://www.cbp.gov/sites/default/files/2025-09/sbo-encounters-fy22-fy25-aug.csv"],
            id="cbp-southwest-page",
        ),
        pytest.param(DIRECTORY_LISTING, LISTING_BASE, LISTING_LINKS, id="http-server-directory-listing"),
        pytest.param(
            _anchors("a.csv", "./b.csv", "../c.csv", "/d.csv", "sub/e.csv"),
            "https://example.org/data/list.html",
            [
                "https://example.org/data/a.csv",
                "https://example.org/data/b.csv",
                "https://example.org/c.csv",
                "https://example.org/d.csv",
                "https://example.org/data/sub/e.csv",
            ],
            id="relative-links",
        ),
        pytest.param(
            _anchors(
                "https://cdn.example.net/cbp/a.csv", "http://example.org/b.xlsx", "//mirror.example.com/c.csv"
            ),
            "https://www.cbp.gov/page",
            [
                "https://cdn.example.net/cbp/a.csv",
                "http://example.org/b.xlsx",
                "https://mirror.example.com/c.csv",
            ],
            id="absolute-and-off-site-links",
        ),
        pytest.param(
            _anchors("a.csv", "b.csv", "a.csv", "./a.csv", "a.csv#x", "https://h.example/a.csv", "b.csv"),
            "https://h.example/",
            ["https://h.example/a.csv", "https://h.example/b.csv"],
            id="duplicates-keep-first-order",
        ),
        pytest.param(
            _anchors(
                "a.csv?v=123", "a.csv?v=124", "b.csv?download=1&amp;v=2", "c.pdf?name=x.csv", "d.csv#frag"
            ),
            "https://h.example/",
            [
                "https://h.example/a.csv?v=123",
                "https://h.example/a.csv?v=124",
                "https://h.example/b.csv?download=1&v=2",
                "https://h.example/d.csv",
            ],
            id="query-strings-and-fragments",
        ),
        pytest.param(
            _anchors("my%20file.csv", "my file.csv", "caf%C3%A9.CSV", "café.xlsx", "x%2Ecsv"),
            "https://h.example/dir/",
            [
                "https://h.example/dir/my%20file.csv",
                "https://h.example/dir/caf%C3%A9.CSV",
                "https://h.example/dir/caf%C3%A9.xlsx",
                "https://h.example/dir/x%2Ecsv",
            ],
            id="percent-encoding",
        ),
        pytest.param(
            _anchors(
                "A.CSV", "b.Csv.Gz", "c.XLSX", "d.csv.zip", "e.xls", "f.gz", "g.csvx", "h.txt", "folder.csv/"
            ),
            "https://h.example/",
            ["https://h.example/A.CSV", "https://h.example/b.Csv.Gz", "https://h.example/c.XLSX"],
            id="suffixes-case-insensitive",
        ),
        pytest.param(
            _anchors(
                "mailto:stats@cbp.dhs.gov?subject=a.csv",
                "javascript:download('a.csv')",
                "ftp://ftp.example.org/a.csv",
                "file:///tmp/a.csv",
                "data:text/csv,a.csv",
                "#a.csv",
                "",
                "   ",
            ),
            "https://h.example/",
            [],
            id="non-http-schemes-and-anchors",
        ),
        pytest.param(
            '<html><head><base href="https://files.example.org/2024/"></head><body>'
            + _anchors("a.csv", "/b.csv")
            + "</body></html>",
            "https://h.example/page",
            ["https://files.example.org/2024/a.csv", "https://files.example.org/b.csv"],
            id="base-href",
        ),
        pytest.param(
            '<A HREF="  UPPER.csv\n">x</A><area href="map.xlsx"><a name="x">y</a><a href="http://[::1/bad.csv">z</a>',
            "https://h.example/",
            ["https://h.example/UPPER.csv", "https://h.example/map.xlsx"],
            id="uppercase-tags-whitespace-area-bad-host",
        ),
        pytest.param("<p>No files published yet.</p>", CBP_PAGE, [], id="no-links"),
        pytest.param("", CBP_PAGE, [], id="empty-page"),
    ],
)
def test_find_release_links(html: str, base_url: str, expected: list[str]) -> None:
    assert find_release_links(html, base_url) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        pytest.param("https://h.example/a.csv", True, id="csv"),
        pytest.param("https://h.example/a.CSV?x=1#y", True, id="csv-upper-with-query"),
        pytest.param("https://h.example/a.csv.gz", True, id="csv-gz"),
        pytest.param("https://h.example/a.xlsx", True, id="xlsx"),
        pytest.param("https://h.example/a%2Ecsv", True, id="percent-encoded-dot"),
        pytest.param("https://h.example/a.pdf?file=a.csv", False, id="csv-only-in-query"),
        pytest.param(CBP_PAGE, False, id="cbp-page"),
        pytest.param("https://h.example/dir/", False, id="directory"),
        pytest.param("http://[::1/bad.csv", False, id="malformed"),
    ],
)
def test_is_release_url(url: str, expected: bool) -> None:
    assert is_release_url(url) is expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        pytest.param(
            "https://www.cbp.gov/sites/default/files/2024-10/nationwide-encounters-fy21-fy24-state.csv",
            "2024-10",
            id="files-year-month",
        ),
        pytest.param(
            "https://www.cbp.gov/sites/default/files/2025-11/nationwide-encounters-fy22-fy25-aor.csv",
            "2025-11",
            id="files-year-month-aor",
        ),
        pytest.param(
            "https://www.cbp.gov/sites/default/files/assets/documents/2023-Nov/nationwide-encounters-fy20-fy23-state.csv",
            "2023-11",
            id="documents-month-abbreviation",
        ),
        pytest.param(
            "/sites/default/files/assets/documents/2021-aug/x.csv", "2021-08", id="lowercase-abbrev"
        ),
        pytest.param("/sites/default/files/assets/documents/2022-SEPT/x.csv", "2022-09", id="sept"),
        pytest.param("/sites/default/files/assets/documents/2022-January/x.csv", "2022-01", id="full-name"),
        pytest.param("/sites/default/files/2024-3/x.csv", "2024-03", id="one-digit-month"),
        pytest.param("https://www.cbp.gov/sites/default/files/2024-10/x.csv?v=2#top", "2024-10", id="query"),
        pytest.param("https://h.example/files/2024%2D10/x.csv", "2024-10", id="percent-encoded"),
        pytest.param("/a/2023-Nov/b/2024-10/x.csv", "2024-10", id="innermost-folder-wins"),
        pytest.param("/sites/default/files/2024-13/x.csv", None, id="month-13"),
        pytest.param("/sites/default/files/2024-00/x.csv", None, id="month-0"),
        pytest.param("/sites/default/files/2024-Foo/x.csv", None, id="not-a-month"),
        pytest.param("/sites/default/files/2024-10-01/x.csv", None, id="full-date-not-a-month-folder"),
        pytest.param("/sites/default/files/2024-10.csv", None, id="file-name-not-folder"),
        pytest.param(
            "http://127.0.0.1:8000/cbp/nationwide-encounters-fy21-fy24-oct-state.csv", None, id="none"
        ),
        pytest.param("", None, id="empty"),
    ],
)
def test_published_from_url(url: str, expected: str | None) -> None:
    assert published_from_url(url) == expected
