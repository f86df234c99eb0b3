"""The interactive HTML view in headless Chromium: every node drawn, a click shows the
node's facts and their sources, the wheel zooms, and no request leaves the machine."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import chromium, run_kg
from kg.namespaces import ID
from kg.network.convert import to_networkx

pytestmark = pytest.mark.browser

XIAOMI = str(ID["xiaomi"])


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("html") / "graph.html"
    result = run_kg("draw", "-o", out)
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    yield from chromium(tmp_path_factory.mktemp("chromium"), 1400)


def test_page_is_self_contained(page):
    text = page.read_text(encoding="utf-8")
    assert "Content-Security-Policy" in text and "default-src 'none'" in text
    assert not re.search(r"<(script|img|link|iframe)[^>]+(src|href)=", text)
    assert "fetch(" not in text and "XMLHttpRequest" not in text and "@import" not in text


def test_nodes_are_drawn_and_a_click_shows_facts_with_sources(page, browser, shipped_kg, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(page.as_uri())
    nodes = browser.find_elements(By.CSS_SELECTOR, "#nodes [data-iri]")
    assert len(nodes) == to_networkx(shipped_kg).number_of_nodes()

    browser.find_element(By.CSS_SELECTOR, f'[data-iri="{XIAOMI}"] circle').click()
    panel = browser.find_element(By.ID, "panel")
    WebDriverWait(browser, 5).until(lambda _: "operates" in panel.text)
    assert panel.find_element(By.TAG_NAME, "h2").text == "Xiaomi"
    operates = [li for li in panel.find_elements(By.CSS_SELECTOR, "li.fact")
                if li.find_element(By.CLASS_NAME, "property").text == "operates"]
    assert operates
    sources = operates[0].find_elements(By.CSS_SELECTOR, "li.source")
    assert sources and all(s.text.startswith("source: ") for s in sources)
    assert "stated 20" in panel.text

    shot = tmp_path / "view.png"
    assert browser.save_screenshot(str(shot))
    assert shot.stat().st_size > 10_000


def test_wheel_zooms_the_view(page, browser):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.actions.wheel_input import ScrollOrigin
    from selenium.webdriver.common.by import By

    browser.get(page.as_uri())
    viewport = browser.find_element(By.ID, "viewport")
    before = viewport.get_attribute("transform")
    origin = ScrollOrigin.from_element(browser.find_element(By.ID, "view"))
    ActionChains(browser).scroll_from_origin(origin, 0, -400).perform()
    after = viewport.get_attribute("transform")
    scale = lambda t: float(re.search(r"scale\(([-\d.e]+)\)", t).group(1))  # noqa: E731
    assert scale(after) > scale(before)


def test_no_request_left_the_machine(page, browser):
    browser.get(page.as_uri())
    requests = [message["params"]
                for entry in browser.get_log("performance")
                for message in [json.loads(entry["message"])["message"]]
                if message["method"] == "Network.requestWillBeSent"]
    from_page = [r["request"]["url"] for r in requests if r.get("documentURL") == page.as_uri()]
    assert page.as_uri() in from_page
    assert all(url.startswith(("file://", "data:")) for url in from_page), from_page
    # The browser's own pages (chrome://) stay inside it; nothing at all goes to a network.
    urls = [r["request"]["url"] for r in requests]
    assert not [u for u in urls if re.match(r"(https?|wss?|ftp)://", u)], urls


def test_labels_with_placeholders_and_script_tags_are_shown_as_text(browser, tmp_path):
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By

    from test_draw import ACME_LABEL, CARCO_LABEL, HOSTILE_FACTS

    facts = tmp_path / "hostile.trig"
    facts.write_text(HOSTILE_FACTS, encoding="utf-8")
    out = tmp_path / "hostile.html"
    result = run_kg("draw", "--data", facts, "-o", out)
    assert result.returncode == 0, result.stderr
    browser.get(out.as_uri())
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text  # noqa: B018 - the label's <script> never ran
    labels = [el.get_attribute("textContent") for el in browser.find_elements(By.CSS_SELECTOR, "#nodes text")]
    assert sorted(labels) == [ACME_LABEL, CARCO_LABEL]
    browser.find_element(By.CSS_SELECTOR, f'[data-iri="{ID["acme"]}"] circle').click()
    panel = browser.find_element(By.ID, "panel")
    assert panel.find_element(By.TAG_NAME, "h2").text == ACME_LABEL
    assert f"is partner of: {CARCO_LABEL}" in panel.text
