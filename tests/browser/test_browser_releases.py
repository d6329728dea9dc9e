"""The releases page in a real browser at a phone's width (issue 16, point 7): short hashes with the
whole one a tap away, older vintages folded under one line, nothing wider than the screen."""

from __future__ import annotations

from browser_support import PHONE, Page


def test_releases_page_is_short_and_fits_a_phone(server: str, phone: Page) -> None:
    phone.goto(server + "/releases")
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    shown = phone.query_selector_all("#releases-current tbody tr")
    folded = phone.query_selector_all("#releases-older tbody tr")
    assert 0 < len(shown) < len(folded)  # the newest of each kind up top, the vintages folded
    assert not phone.is_visible("#releases-older")  # closed until asked for
    height_closed = phone.evaluate("() => document.documentElement.scrollHeight")
    first = shown[0]
    summary = first.query_selector("details.sha summary")
    assert summary is not None
    full = first.query_selector("details.sha code.hash")
    assert full is not None and not full.is_visible()
    summary.click()  # the whole sha256, on demand
    assert full.is_visible() and len(full.inner_text().strip()) == 64
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    phone.shot("releases-375px")
    phone.click("#older-releases > summary")
    assert phone.is_visible("#releases-older")
    assert "2023-11-14" in phone.inner_text("#releases-older")  # a folded vintage, with its date
    assert phone.evaluate("() => document.documentElement.scrollHeight") > height_closed
    assert phone.csp_violations() == []
    assert phone.errors == []
