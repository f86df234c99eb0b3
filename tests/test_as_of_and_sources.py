"""`kg query --as-of DATE` answers from what sources had said by DATE; `--with-sources` names them."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from conftest import run_kg

from kg.namespaces import ID

PLANT = str(ID["xiaomi-beijing-plant"])
SU7 = str(ID["xiaomi-su7"])
USD_COMMITMENT = str(ID["xiaomi-car-investment-commitment"])
FOUNDING_ARTICLE = "French article on Xiaomi's planned electric-car plant (founding article)"


def _rows(*args: str) -> list[dict]:
    done = run_kg("query", *args, "--format", "csv")
    assert done.returncode == 0, done.stderr
    return list(csv.DictReader(io.StringIO(done.stdout)))


def test_plant_as_of_end_2021_has_the_plans_and_no_outcome():
    rows = _rows("xiaomi-beijing-plant", "--as-of", "2021-12-31")
    capacity = [r for r in rows if r["aspect"] == "total capacity" and r["entity"] == PLANT]
    assert {r["value"] for r in capacity} == {"300000"}
    start = [r for r in rows if r["aspect"] == "planned start of production"]
    assert {r["value"] for r in start} == {"2024"}
    assert {r["kind"] for r in capacity + start} == {"plan"}
    assert {r["kind"] for r in rows} == {"plan"}
    assert all(r["statedOn"] <= "2021-12-31" for r in rows)


def test_su7_is_not_made_anywhere_as_of_end_2021_but_is_now():
    early = _rows("products-made-where", "--as-of", "2021-12-31")
    assert SU7 not in {r["product"] for r in early}
    now = _rows("products-made-where")
    su7 = [r for r in now if r["product"] == SU7]
    assert su7 and su7[0]["plant"] == PLANT
    assert su7[0]["launched"] == "2024-03-28"


def test_as_of_mid_2021_has_the_march_usd_commitment_but_no_plant():
    rows = _rows("xiaomi-beijing-plant", "--as-of", "2021-06-30")
    assert not [r for r in rows if r["entity"] == PLANT or "phase" in r["entity"]]
    usd = [r for r in rows if r["entity"] == USD_COMMITMENT and r["aspect"] == "funding amount"]
    assert usd, rows
    assert {(Decimal(r["value"]), r["unit"], r["statedOn"]) for r in usd} == {(Decimal("1E10"), "USD", "2021-03-30")}
    assert FOUNDING_ARTICLE not in {r["source"] for r in rows}


def test_bad_as_of_date_exits_2_naming_the_option():
    done = run_kg("query", "xiaomi-beijing-plant", "--as-of", "notadate")
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "--as-of" in lines[0] and "notadate" in lines[0], done.stderr
    assert done.stdout == ""


def test_with_sources_names_the_founding_article_for_the_300000_row():
    rows = _rows("xiaomi-beijing-plant", "--with-sources")
    capacity = [r for r in rows if r["aspect"] == "total capacity" and r["value"] == "300000"]
    assert capacity
    for row in capacity:
        assert FOUNDING_ARTICLE in row["sources"]
        assert "SCMP report on the Xiaomi car plant agreement in Beijing (2021-11-27)" in row["sources"]
    assert list(rows[0])[-1] == "sources"


def test_with_sources_and_as_of_together_leave_later_sources_out():
    rows = _rows("xiaomi-beijing-plant", "--with-sources", "--as-of", "2021-06-30")
    assert rows
    assert all(FOUNDING_ARTICLE not in r["sources"] for r in rows)
    assert all("2021-03-30" in r["sources"] for r in rows)
