"""``kg serve`` in headless Chromium: search, click through to the Beijing plant, see its
capacity with source and date, switch to French, run a question and download its CSV,
run a query from the editor; nothing blocked by the pages' policy, no request leaves
the machine."""

from __future__ import annotations

import csv
import json
import time
from pathlib import Path

import pytest
from conftest import chromium

from serving import Server

pytestmark = pytest.mark.browser



@pytest.fixture(scope="module")
def server():
    started = Server()
    yield started
    started.stop()


@pytest.fixture(scope="module")
def downloads(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def browser(tmp_path_factory, downloads):
    yield from chromium(tmp_path_factory.mktemp("chromium"), 1300, downloads)


def wait_for(condition, seconds: float = 10):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(None, seconds, poll_frequency=0.1).until(lambda _: condition())


def test_search_click_through_to_the_plant_then_read_it_in_french(server, browser):
    from selenium.webdriver.common.by import By

    browser.get(server.url + "/")
    assert browser.find_element(By.TAG_NAME, "h1").text == "techauto-kg"
    box = browser.find_element(By.CSS_SELECTOR, "form.search input[name=q]")
    box.send_keys("Xiaomi")
    box.submit()
    wait_for(lambda: "/search" in browser.current_url)
    browser.find_element(By.LINK_TEXT, "Xiaomi Beijing car plant").click()
    wait_for(lambda: "/page/xiaomi-beijing-plant" in browser.current_url)
    assert browser.find_element(By.TAG_NAME, "h1").text.startswith("Xiaomi Beijing car plant")
    capacity = next(li for li in browser.find_elements(By.CSS_SELECTOR, "li.statement")
                    if li.find_element(By.CLASS_NAME, "fact").text == "→ planned annual capacity: 300000")
    claim = next(c for c in capacity.find_elements(By.CSS_SELECTOR, "li.claim") if "2021-11-27" in c.text)
    assert claim.text.startswith("stated 2021-11-27, plan, high confidence")
    source = claim.find_element(By.LINK_TEXT, "SCMP report on the Xiaomi car plant agreement in Beijing")
    assert source.get_attribute("href") == "https://scmp.com/tech/big-tech/article/3157609"

    browser.find_element(By.LINK_TEXT, "Français").click()
    wait_for(lambda: "lang=fr" in browser.current_url)
    assert browser.find_element(By.TAG_NAME, "h1").text.startswith("usine automobile Xiaomi de Pékin")
    assert browser.find_element(By.LINK_TEXT, "Pékin").get_attribute("href").endswith("/page/beijing?lang=fr")
    assert "affirmé le 2021-11-27" in browser.find_element(By.TAG_NAME, "main").text


def test_run_a_question_from_its_page_and_download_its_csv(server, browser, downloads):
    from selenium.webdriver.common.by import By

    browser.get(server.url + "/questions?lang=en")
    browser.find_element(By.PARTIAL_LINK_TEXT, "Xiaomi's Beijing plant").click()
    wait_for(lambda: "/questions/xiaomi-beijing-plant" in browser.current_url)
    browser.find_element(By.ID, "run").click()
    wait_for(lambda: browser.find_elements(By.CSS_SELECTOR, "#answer table.answer"))
    cells = [td.text for td in browser.find_elements(By.CSS_SELECTOR, "#answer td")]
    assert "300000" in cells and "P10Y" in cells
    browser.find_element(By.LINK_TEXT, "CSV").click()
    target = downloads / "xiaomi-beijing-plant.csv"
    wait_for(lambda: target.exists() and target.stat().st_size > 0, seconds=15)
    time.sleep(0.2)
    rows = list(csv.DictReader(target.open(encoding="utf-8", newline="")))
    assert len(rows) == 22
    assert {r["value"] for r in rows if r["aspect"] == "total capacity"} == {"300000"}


def test_the_query_editor_runs_against_the_endpoint(server, browser):
    from selenium.webdriver.common.by import By

    browser.get(server.url + "/query")
    browser.find_element(By.CSS_SELECTOR, "#sparql-form button").click()
    wait_for(lambda: browser.find_elements(By.CSS_SELECTOR, "#sparql-result table td"))
    cells = [td.text for td in browser.find_elements(By.CSS_SELECTOR, "#sparql-result td")]
    assert "Xiaomi Beijing car plant" in cells and "300000" in cells
    assert browser.find_element(By.ID, "sparql-status").text.endswith(" rows")


def test_nothing_was_blocked_and_no_request_left_the_machine(server, browser):
    from selenium.webdriver.common.by import By

    browser.get(server.url + "/page/xiaomi?lang=fr")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Xiaomi"
    messages = [json.loads(entry["message"])["message"] for entry in browser.get_log("performance")]
    urls = [m["params"]["request"]["url"] for m in messages if m["method"] == "Network.requestWillBeSent"]
    assert any(u.startswith(server.url + "/static/kg.js") for u in urls)
    assert [u for u in urls if not u.startswith((server.url, "data:", "chrome:", "about:"))] == []
    console = [entry["message"] for entry in browser.get_log("browser")]
    assert not [m for m in console if "Content Security Policy" in m or "Refused" in m], console
