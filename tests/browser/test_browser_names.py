"""Names on the dashboard in a real browser (issue 16, point 3): a country CBP pools into OTHER says so
and links to its Border Patrol figures, which draw; the citizenship list offers only what CBP's files
name, and the One nationality page lists the pooled countries apart."""

from __future__ import annotations

from browser_support import Page


def test_a_pooled_country_says_so_and_links_to_border_patrol_figures(server: str, desktop: Page) -> None:
    desktop.goto(server + "/?citizenship=Dominicans&period=FY2023")
    alert = desktop.inner_text("#error")
    assert "Pooled into OTHER" in alert
    assert "DOMINICAN REPUBLIC is pooled into OTHER in CBP's encounter files" in alert
    assert "borderdesk history --citizenship 'DOMINICAN REPUBLIC' --period FY2023 --total" in alert
    desktop.shot("explore-pooled-dominicans-desktop")
    with desktop.expect_navigation():
        desktop.click("#error >> text=See the Border Patrol figures")
    desktop.wait_for_chart()
    assert "component=usbp" in desktop.url
    assert "35,990" in desktop.inner_text(".key-figure")  # OHSS: FY2023, Border Patrol, rounded to 10
    assert "ohss-usbp" in (desktop.text_content("details.provenance") or "")
    assert desktop.csp_violations() == [] and desktop.errors == []


def test_the_citizenship_list_holds_only_named_countries(server: str, desktop: Page) -> None:
    desktop.goto(server + "/")
    offered = desktop.eval_on_selector_all("#f-citizenship-list option", "os => os.map(o => o.value)")
    assert "RUSSIA" in offered and "MEXICO" in offered
    assert "GERMANY" not in offered and "DOMINICAN REPUBLIC" not in offered
    assert len(offered) == 23  # 21 countries, OTHER, and the Southwest file's "OTHER THAN ..." grouping


def test_the_nationality_page_lists_pooled_countries_apart(server: str, desktop: Page) -> None:
    desktop.goto(server + "/nationality")
    assert "GERMANY" not in desktop.inner_text(".pick > ul.chips").upper()
    desktop.click("details.pooled summary")
    with desktop.expect_navigation():
        desktop.click("details.pooled >> text=Germany")
    desktop.wait_for_chart()
    assert "component=usbp" in desktop.url and "citizenship=GERMANY" in desktop.url
    assert desktop.csp_violations() == [] and desktop.errors == []
