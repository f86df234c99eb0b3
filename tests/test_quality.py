"""The data-quality report (``kg quality``): figures per entrant, as text, JSON and an HTML
page that headless Chromium reads (no network load, the values a person sees)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import chromium, run_kg
from kg.checks import quality
from kg.namespaces import CLAIM, ID

XIAOMI, LENOVO = str(ID["xiaomi"]), str(ID["lenovo"])


@pytest.fixture(scope="module")
def report(shipped_kg):
    return quality.report(shipped_kg, files=quality.claims_by_file())


def test_each_claim_counts_for_the_entrant_whose_file_holds_it(shipped_kg):
    attributed = quality.attribute(shipped_kg, quality.claims_by_file())
    assert attributed[CLAIM["xiaomi-phase-1-plot"]] == {XIAOMI}  # names no Xiaomi IRI, but is in xiaomi.trig
    assert attributed[CLAIM["meizu-business-kind"]] == {str(ID["meizu"])}  # research-notes.trig, names Meizu
    assert attributed[CLAIM["places-iso-3166-2-china"]] == {"shared:places"}
    assert {k for keys in attributed.values() for k in keys} == {str(e) for e in quality._entrants(shipped_kg)} | {
        "shared:places"}


def test_rows_give_the_figures_of_each_entrant(report, shipped_kg):
    assert len([r for r in report.rows if r.entrant is not None]) == 28
    xiaomi = report.row(XIAOMI)
    assert (len(xiaomi.claims), len(xiaomi.low_confidence), len(xiaomi.undated), len(xiaomi.conflicts)) == (31, 2, 0, 1)
    assert {v.claim.value for v in xiaomi.conflicts[0].values} == {
        str(CLAIM["xiaomi-deliveries-2024-annual-report"]), str(CLAIM["xiaomi-deliveries-2024-evertiq"])}
    lenovo = report.row(LENOVO)
    assert (len(lenovo.claims), lenovo.low_confidence_share, len(lenovo.undated)) == (7, 1.0, 3)
    assert lenovo.undated == {CLAIM["lenovo-business-kind"], CLAIM["lenovo-nio-investor"], CLAIM["lenovo-super-brain"]}
    foxconn = report.row(str(ID["foxconn"]))
    assert CLAIM["foxconn-model-c-target"] in foxconn.undated and CLAIM["foxconn-iso-3166-2-ohio"] in foxconn.timeless
    baidu = report.row(str(ID["baidu"]))
    assert (len(baidu.sources), baidu.sources_with_address) == (5, 0)  # the notes give bare domains only
    places = report.row("shared:places")
    assert (len(places.claims), places.facts) == (2, 11)
    assert sum(len(r.conflicts) for r in report.rows) == 1
    assert report.rows[0].label == "Alibaba" and report.rows[-1].key == "shared:places"


def test_text_and_json_carry_the_same_figures(report, shipped_kg):
    text = quality.render_text(report, shipped_kg)
    assert re.search(r"^Lenovo\s+7\s+57\s+7\s+6\s+7 \(100 %\)\s+3\s+0\s+0\s+0$", text, re.M), text
    assert "  conflict: id:xiaomi ta:vehicleCount [deliveries, 2024]: 136000 in claim:xiaomi-deliveries-2024-annual-report" in text
    rows = {r["key"]: r for r in json.loads(quality.render_json(report, shipped_kg))["rows"]}
    assert (rows[LENOVO]["claims"], rows[LENOVO]["low_confidence_share"], rows[LENOVO]["facts"]) == (7, 1.0, 57)
    assert rows[XIAOMI]["conflicts"] == [
        "id:xiaomi ta:vehicleCount [deliveries, 2024]: 136000 in claim:xiaomi-deliveries-2024-annual-report"
        " (stated 2024); 135000 in claim:xiaomi-deliveries-2024-evertiq (stated 2024)"]


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("quality") / "quality.html"
    done = run_kg("quality", "-o", out)
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"wrote {out}\n"
    return out


def test_the_page_is_self_contained(page):
    text = page.read_text(encoding="utf-8")
    assert f'content="{quality.CSP}"' in text and "default-src 'none'" in text
    assert not re.search(r"<(script|img|link|iframe)\b", text)
    assert "@import" not in text and "url(" not in text


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    yield from chromium(tmp_path_factory.mktemp("chromium"), 1400)


@pytest.mark.browser
def test_a_person_reads_the_figures_of_each_entrant_in_the_browser(page, browser, tmp_path):
    from selenium.webdriver.common.by import By

    browser.get(page.as_uri())
    assert browser.title == "techauto-kg: data quality by entrant"
    assert browser.find_element(By.ID, "summary").text.startswith("28 entrants; 235 claims from 202 sources")
    header = [th.text for th in browser.find_elements(By.CSS_SELECTOR, "#quality thead th")]
    assert header == list(quality.COLUMNS)
    rows = browser.find_elements(By.CSS_SELECTOR, "#quality tbody tr[data-key]")
    assert len(rows) == 29  # 28 entrants and the claims that name none
    cells = {row.get_attribute("data-key"): [c.text for c in row.find_elements(By.CSS_SELECTOR, "th, td")] for row in rows}
    assert cells[XIAOMI] == ["Xiaomi", "31", "286", "22", "8", "2 (6 %)", "0", "1", "2", "0"]
    assert cells[LENOVO] == ["Lenovo", "7", "57", "7", "6", "7 (100 %)", "3", "0", "0", "0"]
    total = browser.find_element(By.CSS_SELECTOR, "#quality tr.total").text
    assert total.startswith("all (each claim once) 235") and "52 (22 %)" in total
    # Entrants whose claims are mostly weak stand out.
    weak = {row.get_attribute("data-key") for row in browser.find_elements(By.CSS_SELECTOR, "#quality tr.weak")}
    assert {LENOVO, str(ID["vivo"]), str(ID["bytedance"]), str(ID["meizu"])} <= weak and XIAOMI not in weak
    section = browser.find_element(By.CSS_SELECTOR, f'section[data-key="{XIAOMI}"]')
    assert "conflict: id:xiaomi ta:vehicleCount [deliveries, 2024]" in section.text
    lenovo = browser.find_element(By.CSS_SELECTOR, f'section[data-key="{LENOVO}"]')
    assert [li.text for li in lenovo.find_elements(By.CSS_SELECTOR, "li.undated")] == [
        "undated: claim:lenovo-business-kind", "undated: claim:lenovo-nio-investor", "undated: claim:lenovo-super-brain"]
    shot = tmp_path / "quality.png"
    assert browser.save_screenshot(str(shot)) and shot.stat().st_size > 10_000
    requests = [message["params"]
                for entry in browser.get_log("performance")
                for message in [json.loads(entry["message"])["message"]]
                if message["method"] == "Network.requestWillBeSent"]
    urls = [r["request"]["url"] for r in requests]
    assert page.as_uri() in urls
    assert not [u for u in urls if re.match(r"(https?|wss?|ftp)://", u)], urls


def test_kg_quality_prints_json():
    done = run_kg("quality", "--format", "json")
    assert done.returncode == 0, done.stderr
    rows = {r["key"]: r for r in json.loads(done.stdout)["rows"]}
    assert rows[XIAOMI]["undated_claims"] == [] and len(rows[XIAOMI]["conflicts"]) == 1
    assert rows["shared:places"]["claims"] == 2
