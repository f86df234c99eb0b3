"""Competency questions are tests: every query in ``queries/`` must give the answer the research finds.

``EXPECTATIONS`` maps each query's name to a check of its answer rows, written from
``shared/research/xiaomi.md``, ``entrants.md`` and ``entrants-more.md``: actual values (capacities, shares,
dates, amounts, sources), not "some rows". The test is generated from the folder, so a
new query without an entry here fails the build. The queries run through the same
library call as ``kg query`` (:func:`kg.answers.answer`) on one shared loaded graph; a
few runs of the installed ``kg`` check the command's interface (listing, JSON, exit codes).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from decimal import Decimal

import pytest

from conftest import run_kg
from kg.errors import InputError
from kg import resources
from kg.answers import answering, questions
from kg.answers.results import cell_text
from kg.namespaces import ID

QUERY_FILES = sorted(resources.queries_dir().glob("*.rq"))
QUERY_NAMES = [path.stem for path in QUERY_FILES]
ISO_CURRENCIES = {"USD", "CNY", "TWD", "HKD", "GBP", "EUR", "JPY"}

Row = dict[str, str | None]

# The technology companies of the research notes: xiaomi.md and entrants.md (fifteen) and
# entrants-more.md (thirteen).
ENTRANTS = {
    "id:alibaba", "id:alphabet", "id:amazon", "id:apple", "id:baidu", "id:didi", "id:dyson",
    "id:evergrande", "id:foxconn", "id:huawei", "id:lg-electronics", "id:nvidia", "id:samsung",
    "id:sony", "id:xiaomi",
    "id:meizu", "id:qualcomm", "id:intel", "id:horizon-robotics", "id:pony-ai", "id:microsoft",
    "id:tencent", "id:google", "id:lenovo", "id:oppo", "id:vivo", "id:bytedance", "id:dji",
}


# -- reading answers -----------------------------------------------------------


def rows_of(answer: answering.Answer) -> list[Row]:
    """Each row as {column: text}: IRIs as prefixed names (id:xiaomi), literals' lexical forms."""
    return [{column: None if term is None else cell_text(term) for column, term in zip(answer.columns, row)}
            for row in answer.rows]


def num(text: str | None) -> Decimal:
    """A number cell as a Decimal, so 51 == 51.0 and 1e10 == 10000000000.0."""
    assert text is not None, "expected a number, got an empty cell"
    return Decimal(text)


def split(cell: str | None) -> set[str]:
    """A "; "-joined cell (GROUP_CONCAT) as a set."""
    return set(cell.split("; ")) if cell else set()


def where(rows: list[Row], **wanted) -> list[Row]:
    """The rows whose named columns have the given texts."""
    return [r for r in rows if all(r.get(k) == v for k, v in wanted.items())]


def the(rows: list[Row], **wanted) -> Row:
    """The one row whose named columns have the given texts."""
    found = where(rows, **wanted)
    assert len(found) == 1, f"expected one row with {wanted}, found {len(found)}"
    return found[0]


# -- expectations, one per query -------------------------------------------------


def xiaomi_beijing_plant(rows: list[Row]) -> None:
    """Headline: 300,000 a year in two phases of 150,000, in Beijing, from 2024; USD 10 bn over 10 years."""
    by_aspect: dict[str, list[Row]] = {}
    for row in rows:
        by_aspect.setdefault(row["aspect"], []).append(row)
    assert {r["value"] for r in by_aspect["operated by"]} == {"id:xiaomi"}
    assert {r["entity"] for r in by_aspect["operated by"]} == {"id:xiaomi-beijing-plant"}
    places = {(r["value"], r["unit"]) for r in by_aspect["place"]}
    assert ("id:beijing", "city") in places  # founding article, paragraph 8
    assert ("id:beijing-e-town", "district") in places  # E-Town agreement, 2021-11-27
    assert {num(r["value"]) for r in by_aspect["total capacity"]} == {300000}
    assert {r["unit"] for r in by_aspect["total capacity"]} == {"vehicles/year"}
    phases = {(r["entity"], num(r["value"])) for r in by_aspect["phase capacity"]}
    assert phases == {("id:xiaomi-beijing-plant-phase-1", 150000), ("id:xiaomi-beijing-plant-phase-2", 150000)}
    assert sum(dict(phases).values()) == 300000
    assert {r["value"] for r in by_aspect["planned start of production"]} == {"2024"}
    funding = {(r["entity"], num(r["value"]), r["unit"]) for r in by_aspect["funding amount"]}
    assert ("id:xiaomi-car-investment-commitment", 10_000_000_000, "USD") in funding
    assert ("id:xiaomi-car-initial-investment", 10_000_000_000, "CNY") in funding  # board, 2021-03-30
    assert {r["value"] for r in by_aspect["funding period"]} == {"P10Y"}
    # Capacities, start and funding are plans; each value comes with its sources.
    assert {r["kind"] for r in rows if r["aspect"] != "place"} == {"plan"}
    assert all(r["source"] for r in rows)
    founding = "French article on Xiaomi's planned electric-car plant (founding article)"
    assert {r["aspect"] for r in rows if r["source"] == founding} == {
        "operated by", "place", "total capacity", "planned start of production", "funding amount", "funding period",
    }
    capacity_sources = {r["source"] for r in by_aspect["total capacity"]}
    assert "SCMP report on the Xiaomi car plant agreement in Beijing" in capacity_sources


def plants_by_company(rows: list[Row]) -> None:
    """Xiaomi Beijing (E-Town, 300,000 from 2024), Evergrande's Tianjin plant (in the Binhai
    High-tech zone, first car planned for 2022) and its planned Songjiang and Nansha plants of
    200,000 a year, Honda's East Liberty plant for the Afeela, Volvo's Luqiao plant, ..."""
    assert {(r["company"], r["plant"], r["place"]) for r in rows} == {
        ("id:xiaomi", "id:xiaomi-beijing-plant", "id:beijing-e-town"),
        ("id:dyson", "id:dyson-singapore-plant", "id:singapore"),
        ("id:foxconn", "id:lordstown-plant", "id:lordstown"),
        ("id:evergrande", "id:evergrande-tianjin-plant", "id:tianjin-binhai-high-tech-zone"),
        ("id:evergrande", "id:evergrande-shanghai-plant", "id:songjiang"),
        ("id:evergrande", "id:evergrande-guangzhou-plant", "id:nansha"),
        ("id:honda", "id:honda-north-america-plant", "id:north-america"),
        ("id:honda", "id:honda-east-liberty-plant", "id:ohio"),
        ("id:volvo", "id:luqiao-plant", "id:luqiao"),
    }
    xiaomi = the(rows, plant="id:xiaomi-beijing-plant")
    assert (num(xiaomi["capacity"]), xiaomi["plannedStart"]) == (300000, "2024")
    assert {num(r["capacity"]) for r in where(rows, company="id:evergrande") if r["capacity"]} == {200000}
    assert the(rows, plant="id:evergrande-tianjin-plant")["capacity"] is None  # not found in any source
    assert the(rows, plant="id:evergrande-tianjin-plant")["plannedStart"] == "2022"


def investments_by_company(rows: list[Row]) -> None:
    """Each investment in the currency reported: Xiaomi's USD 10 bn over P10Y, Foxconn's NT$ 7.944 bn, ..."""
    assert {r["currency"] for r in rows} <= ISO_CURRENCIES
    got = {(r["investor"], r["investment"], num(r["amount"]), r["currency"]) for r in rows}
    assert {
        ("id:xiaomi", "id:xiaomi-car-investment-commitment", 10_000_000_000, "USD"),
        ("id:xiaomi", "id:xiaomi-car-initial-investment", 10_000_000_000, "CNY"),
        ("id:xiaomi", "id:xiaomi-ev-registered-capital", 10_000_000_000, "CNY"),
        ("id:xiaomi", "id:xiaomi-deepmotion-acquisition", 77_400_000, "USD"),
        ("id:xiaomi", "id:xiaomi-phase-2-land-purchase", 842_000_000, "CNY"),
        ("id:xiaomi", "id:xiaomi-phase-2-fixed-investment", 2_600_000_000, "CNY"),
        ("id:foxconn", "id:foxconn-foxtron-investment", 7_944_000_000, "TWD"),
        ("id:foxconn", "id:foxconn-lordstown-plant-acquisition", 230_000_000, "USD"),
        ("id:samsung", "id:samsung-harman-acquisition", 8_000_000_000, "USD"),
        ("id:dyson", "id:dyson-technology-programme-spending", 2_500_000_000, "GBP"),
        ("id:xpeng", "id:xpeng-didi-smart-ev-unit-acquisition", 5_835_000_000, "HKD"),
        ("id:magna", "id:magna-lg-magna-e-powertrain-investment", 453_000_000, "USD"),
        ("id:amazon", "id:amazon-zoox-acquisition", 1_200_000_000, "USD"),
        ("id:amazon", "id:rivian-funding-round-2019-02", 700_000_000, "USD"),
        ("id:baidu", "id:baidu-car-funding-commitment", 50_000_000_000, "CNY"),
        ("id:alibaba", "id:alibaba-im-motors-investment", 1_800_000_000, "CNY"),
        ("id:saic", "id:saic-im-motors-investment", 5_400_000_000, "CNY"),
        ("id:intel", "id:intel-mobileye-acquisition", 15_300_000_000, "USD"),
        ("id:sony", "id:sony-sony-honda-mobility-capital", 5_000_000_000, "JPY"),
        ("id:volkswagen", "id:volkswagen-horizon-commitment", 2_400_000_000, "EUR"),
        ("id:tencent", "id:tencent-tesla-stake-purchase", 1_800_000_000, "USD"),
    } <= got
    assert len(where(rows, investor="id:xiaomi")) == 6
    # Whose money: a round Amazon led, Jidu's capital from two owners and Veoneer bought by two
    # buyers are several investors' money together, never the investor's own.
    combined = "several investors' money together"
    rivian = the(rows, investment="id:rivian-funding-round-2019-02")
    assert (rivian["moneyOf"], rivian["role"], num(rivian["amount"])) == (combined, "lead investor", 700_000_000)
    assert {(r["investor"], r["moneyOf"]) for r in where(rows, investment="id:jidu-auto-registered-capital")} == {
        ("id:baidu", combined), ("id:geely", combined)}
    assert {(r["investor"], r["moneyOf"], r["qualifier"]) for r in where(rows, investment="id:qualcomm-ssw-veoneer-acquisition")} == {
        ("id:qualcomm", combined, "about"), ("id:ssw-partners", combined, "about")}
    zoox = the(rows, investment="id:amazon-zoox-acquisition")
    assert (zoox["moneyOf"], zoox["qualifier"], zoox["role"]) == ("investor's own money", "about", "investor")
    assert {r["moneyOf"] for r in rows} == {"investor's own money", combined}
    assert the(rows, investment="id:xiaomi-car-investment-commitment")["duration"] == "P10Y"
    assert the(rows, investment="id:baidu-car-funding-commitment")["duration"] == "P5Y"
    assert the(rows, investment="id:samsung-harman-acquisition")["announced"] == "2016-11-14"
    assert the(rows, investment="id:xiaomi-car-investment-commitment")["kind"] == "funding commitment"


def products_made_where(rows: list[Row]) -> None:
    """SU7 launched 2024-03-28 and built at the Beijing plant (E-Town); YU7 2025-06-26; Hengchi 5 in Tianjin."""
    su7 = the(rows, product="id:xiaomi-su7")
    assert (su7["maker"], su7["productType"], su7["launched"], su7["plant"], su7["place"]) == (
        "id:xiaomi", "vehicle model", "2024-03-28", "id:xiaomi-beijing-plant", "id:beijing-e-town")
    yu7 = the(rows, product="id:xiaomi-yu7")
    assert (yu7["maker"], yu7["launched"]) == ("id:xiaomi", "2025-06-26")
    hengchi = the(rows, product="id:hengchi-5")
    assert (hengchi["maker"], hengchi["plant"], hengchi["place"]) == (
        "id:evergrande", "id:evergrande-tianjin-plant", "id:tianjin-binhai-high-tech-zone")
    waymo_one = the(rows, product="id:waymo-one")
    assert (waymo_one["maker"], waymo_one["productType"], waymo_one["launched"]) == (
        "id:waymo", "robotaxi service", "2018-12-05")
    afeela = the(rows, product="id:afeela-1")
    assert (afeela["maker"], afeela["plant"], afeela["place"]) == (
        "id:sony-honda-mobility", "id:honda-east-liberty-plant", "id:ohio")
    polestar = the(rows, product="id:polestar-2")
    assert (polestar["maker"], polestar["plant"]) == ("id:polestar", "id:luqiao-plant")
    assert the(rows, product="id:lynk-co-08")["launched"] == "2023-03-30"
    assert the(rows, product="id:nvidia-drive-thor")["productType"] == "technology platform"
    for model in ("c", "e", "t"):
        foxconn = the(rows, product=f"id:foxconn-model-{model}")
        assert (foxconn["maker"], foxconn["launched"]) == ("id:foxconn", "2021-10")


def facts_by_source(rows: list[Row]) -> None:
    """Every statement with its source, claim kind and locator; the founding article states the capacity."""
    assert all(r["source"] and r["claim"] and r["kind"] for r in rows)
    capacity = the(rows, source="src:seed-xiaomi-plant-fr", subject="id:xiaomi-beijing-plant",
                   property="ta:plannedAnnualCapacity")
    assert (capacity["value"], capacity["claim"], capacity["kind"], capacity["locator"], capacity["statedOn"]) == (
        "300000", "claim:xiaomi-seed-s5", "plan", "paragraphs 6, 7", "2021")
    for source in ("src:newser-346986", "src:slashgear-1527661"):
        cancelled = the(rows, source=source, subject="id:apple-car-programme-status-1", property="ta:hasStatus")
        assert (cancelled["value"], cancelled["kind"], cancelled["statedOn"]) == ("ta:Cancelled", "outcome", "2024-02-27")
    beijing = the(rows, source="src:iso-3166-2", subject="id:beijing", property="ta:locatedIn")
    assert (beijing["value"], beijing["kind"]) == ("id:china", "description")
    weak = where(rows, claim="claim:xiaomi-phase-2-land")
    assert weak and {r["confidence"] for r in weak} == {"low confidence"}  # exame.com, marked weaker
    typed = {r["subject"] for r in rows if r["property"] == "rdf:type" and r["value"] == "ta:TechnologyCompany"}
    assert typed == ENTRANTS


def entrants_by_route(rows: list[Row]) -> None:
    """Each entrant's route(s) and latest status: Apple cancelled 2024-02-27, Baidu collapsed 2024-12-11, ..."""
    assert {r["company"] for r in rows} == ENTRANTS
    own, jv, supplier = "own brand and plant", "joint venture with an automaker", "technology supplier"
    investment, acquisition, driving = "investment in a carmaker", "acquisition of a car company", "autonomous-driving unit"
    routes = {r["company"]: split(r["routes"]) for r in rows}
    assert routes == {
        "id:xiaomi": {own}, "id:apple": {own}, "id:dyson": {own}, "id:evergrande": {own},
        "id:sony": {jv}, "id:baidu": {jv}, "id:foxconn": {jv}, "id:alibaba": {jv},
        "id:lg-electronics": {jv, supplier}, "id:huawei": {"alliance with automakers", supplier},
        "id:nvidia": {supplier}, "id:alphabet": {driving},
        "id:amazon": {investment, acquisition},
        "id:samsung": {acquisition}, "id:didi": {investment},
        "id:meizu": {own, supplier}, "id:qualcomm": {supplier, acquisition}, "id:intel": {acquisition, supplier},
        "id:horizon-robotics": {supplier, jv}, "id:pony-ai": {driving, jv, supplier},
        "id:microsoft": {investment, supplier}, "id:tencent": {supplier, jv, investment},
        "id:google": {supplier}, "id:lenovo": {supplier}, "id:oppo": {own}, "id:vivo": {supplier},
        "id:bytedance": {investment, supplier}, "id:dji": {supplier},
    }
    latest = {r["company"]: (r["status"], r["statusDate"]) for r in rows}
    assert latest["id:xiaomi"] == ("active", "2024-04-03")  # first SU7 deliveries
    assert latest["id:apple"] == ("cancelled", "2024-02-27")
    assert latest["id:dyson"] == ("cancelled", "2019-10-10")
    assert latest["id:baidu"] == ("collapsed", "2024-12-11")
    assert latest["id:evergrande"] == ("collapsed", "2024-01-29")
    assert latest["id:alphabet"] == ("active", "2018-12-05")  # Waymo One
    assert latest["id:lg-electronics"] == ("active", "2021-07-01")
    assert latest["id:huawei"] == ("active", "2022-03")  # AITO sales begin
    assert latest["id:sony"] == ("active", "2026")  # the Afeela in production at East Liberty
    assert latest["id:samsung"] == ("announced", "2016-11-14")
    assert latest["id:didi"] == ("announced", "2023-08-28")  # the Xpeng deal; no later status found
    assert latest["id:intel"] == ("active", "2017-08")  # Mobileye bought
    assert latest["id:dji"] == ("active", "2021-04-19")
    assert latest["id:oppo"] == (None, None)  # no car was ever announced
    assert the(rows, company="id:xiaomi")["programme"] == "id:xiaomi-car-programme"


def joint_ventures(rows: list[Row]) -> None:
    """Foxtron: Foxconn 51 / Yulon's HAITEC 49; LG Magna e-Powertrain: LG 51 / Magna 49; Jidu, Jiyue, IM Motors."""
    stakes = {(r["jointVenture"], r["owner"]): (num(r["share"]), r["validFrom"], r["partnerKind"], r["through"])
              for r in rows if r["share"] is not None}
    assert stakes == {
        ("id:foxtron", "id:foxconn"): (51, "2020-02", "technology company", None),
        ("id:foxtron", "id:haitec"): (49, "2020-02", "automaker", "id:yulon"),
        ("id:lg-magna-e-powertrain", "id:lg-electronics"): (51, "2021-07-01", "technology company", None),
        ("id:lg-magna-e-powertrain", "id:magna"): (49, "2021-07-01", "company", None),
        ("id:im-motors", "id:saic"): (54, "2020-12-25", "automaker", None),
        ("id:im-motors", "id:alibaba"): (18, "2020-12-25", "technology company", None),
        ("id:jidu-auto", "id:baidu"): (55, "2021-03", "technology company", None),
        ("id:jidu-auto", "id:geely"): (45, "2021-03", "automaker", None),
        ("id:jiyue-venture", "id:geely"): (65, "2023-08", "automaker", None),
        ("id:jiyue-venture", "id:baidu"): (35, "2023-08", "technology company", None),
        ("id:im-motors", "id:zhangjiang-hi-tech"): (18, None, "company", None),
        ("id:sony-honda-mobility", "id:sony"): (50, None, "technology company", None),
        ("id:sony-honda-mobility", "id:honda"): (50, None, "automaker", None),
        ("id:carizon", "id:cariad"): (60, "2023-11-20", "automaker", "id:volkswagen"),
        ("id:carizon", "id:horizon-robotics"): (40, "2023-11-20", "technology company", None),
        ("id:tencent-changan-venture", "id:dadi-tongtu"): (51, "2018-04-12", "technology company", "id:tencent"),
        ("id:tencent-changan-venture", "id:changan"): (49, "2018-04-12", "automaker", None),
        ("id:ruqi-mobility", "id:gac"): (35, None, "automaker", None),
        ("id:ruqi-mobility", "id:tencent"): (25, None, "technology company", None),
        ("id:ruqi-mobility", "id:guangzhou-public-transport"): (10, None, "company", None),
    }
    for venture in {r["jointVenture"] for r in rows}:
        assert sum(num(r["share"]) for r in where(rows, jointVenture=venture) if r["share"]) <= 100
    # Zhangjiang Hi-Tech's 18 % of IM Motors now comes from a report (the Pudong side's share).
    zhangjiang = the(rows, jointVenture="id:im-motors", owner="id:zhangjiang-hi-tech")
    assert zhangjiang["basis"] == "ownership stake"
    # Volkswagen puts about EUR 1.3 bn into Carizon; its 60 % is held through Cariad.
    volkswagen = the(rows, jointVenture="id:carizon", owner="id:volkswagen")
    assert volkswagen["share"] is None and volkswagen["basis"].startswith("equity purchase")
    founded = {r["jointVenture"]: r["founded"] for r in rows}
    assert founded == {
        "id:foxtron": "2020-02", "id:lg-magna-e-powertrain": "2021-07-01", "id:im-motors": "2020-12-25",
        "id:jidu-auto": "2021-03", "id:jiyue-venture": "2023-08", "id:sony-honda-mobility": "2022-09",
        "id:carizon": "2023-11-20", "id:tencent-changan-venture": "2018-04-12", "id:ruqi-mobility": None,
        "id:pony-ai-toyota-venture": None,
    }
    # The Pony.ai venture's owners are parties to its agreement, with no stakes stated: one empty row.
    assert the(rows, jointVenture="id:pony-ai-toyota-venture")["owner"] is None


def cancelled_or_collapsed(rows: list[Row]) -> None:
    """Apple cancelled 2024-02-27, Dyson 2019-10-10; Evergrande collapsed 2024-01-29, Baidu's Jiyue 2024-12-11."""
    assert {(r["company"], r["status"], r["statusDate"]) for r in rows} == {
        ("id:apple", "cancelled", "2024-02-27"),
        ("id:dyson", "cancelled", "2019-10-10"),
        ("id:evergrande", "collapsed", "2024-01-29"),
        ("id:baidu", "collapsed", "2024-12-11"),
    }
    sources = {company: {r["source"] for r in where(rows, company=company)} for company in
               ("id:apple", "id:dyson", "id:evergrande", "id:baidu")}
    assert sources == {
        "id:apple": {"src:newser-346986", "src:slashgear-1527661"},
        "id:dyson": {"src:apnews-dyson-2019", "src:malaymail-dyson-2019"},
        "id:evergrande": {"src:livemint-evergrande-liquidation"},
        "id:baidu": {"src:caixinglobal-jiyue-2024"},
    }
    assert the(rows, source="src:newser-346986")["webLocation"] == "<https://newser.com/story/346986>"
    assert the(rows, company="id:dyson", source="src:apnews-dyson-2019")["webLocation"] is None  # a bare domain: publisher only
    assert the(rows, company="id:baidu")["statedOn"] == "2024-12-21"
    assert [r["statusDate"] for r in rows] == sorted(r["statusDate"] for r in rows)


def investments_per_currency(rows: list[Row]) -> None:
    """Per company, currency, kind and whose money, never across: Xiaomi's CNY commitment and CNY
    registered capital are two rows, its USD commitment a third; Amazon's own USD 1.2 bn for
    Zoox is never added to the USD 700 m round it led; Sony's own JPY 5 bn stands apart from
    the JPY 10 bn capital it shares with Honda."""
    own, combined = "investor's own money", "several investors' money together"
    keys = [(r["investor"], r["currency"], r["kind"], r["moneyOf"]) for r in rows]
    assert len(keys) == len(set(keys))
    assert {r["currency"] for r in rows} <= ISO_CURRENCIES
    xiaomi = {(r["currency"], r["kind"], r["moneyOf"]): (num(r["investments"]), num(r["reported_sum"]))
              for r in where(rows, investor="id:xiaomi")}
    assert xiaomi == {
        ("CNY", "funding commitment", own): (1, 10_000_000_000),
        ("CNY", "registered capital", own): (1, 10_000_000_000),
        ("CNY", "fixed-asset investment", own): (1, 2_600_000_000),
        ("CNY", "land purchase", own): (1, 842_000_000),
        ("USD", "funding commitment", own): (1, 10_000_000_000),
        ("USD", "company purchase", own): (1, 77_400_000),
    }
    foxconn = {(r["currency"], r["kind"]): num(r["reported_sum"]) for r in where(rows, investor="id:foxconn")}
    assert foxconn == {("TWD", "equity purchase"): 7_944_000_000, ("USD", "company purchase"): 230_000_000}
    amazon = {(r["kind"], r["moneyOf"]): num(r["reported_sum"]) for r in where(rows, investor="id:amazon", currency="USD")}
    assert amazon == {("funding round", combined): 700_000_000, ("company purchase", own): 1_200_000_000}
    sony = {(r["kind"], r["moneyOf"]): num(r["reported_sum"]) for r in where(rows, investor="id:sony", currency="JPY")}
    assert sony == {("registered capital", own): 5_000_000_000, ("registered capital", combined): 10_000_000_000}
    baidu = {(r["kind"], r["moneyOf"]) for r in where(rows, investor="id:baidu", currency="CNY")}
    assert baidu == {("funding commitment", own), ("registered capital", combined)}
    # Volkswagen's EUR 2.4 bn in all is a commitment; its two parts (EUR 1 bn and 1.3 bn) are
    # equity purchases: the kinds keep the total and its parts from being added together.
    volkswagen = {r["kind"]: num(r["reported_sum"]) for r in where(rows, investor="id:volkswagen", currency="EUR")}
    assert volkswagen == {"funding commitment": 2_400_000_000, "equity purchase": 2_300_000_000}
    assert num(the(rows, investor="id:dyson", currency="GBP")["reported_sum"]) == 2_500_000_000
    assert num(the(rows, investor="id:xpeng", currency="HKD")["reported_sum"]) == 5_835_000_000
    assert num(the(rows, investor="id:samsung", currency="USD")["reported_sum"]) == 8_000_000_000
    assert {r["moneyOf"] for r in rows} == {own, combined}


def announcements_timeline(rows: list[Row]) -> None:
    """Dated events in order, each with its source: Google's self-driving project 2009-01,
    Samsung-Harman 2016-11-14 ... YU7 launch 2025-06-26."""
    assert all(r["source"] and r["claim"] and r["date"] for r in rows)
    assert [r["date"] for r in rows] == sorted(r["date"] for r in rows)
    events = {(r["date"], r["event"], r["entity"]) for r in rows}
    assert {
        ("2009-01", "programme status: active", "id:alphabet-car-programme"),
        ("2014", "programme status: active", "id:apple-car-programme"),
        ("2016-11-14", "investment announced", "id:samsung-harman-acquisition"),
        ("2016-12-13", "founded", "id:waymo"),
        ("2018-12-05", "product launched", "id:waymo-one"),
        ("2019-10-10", "programme status: cancelled", "id:dyson-car-programme"),
        ("2020-02", "founded", "id:foxtron"),
        ("2020-12-23", "agreement signed", "id:lg-magna-agreement"),
        ("2020-12-25", "founded", "id:im-motors"),
        ("2021-03-30", "investment announced", "id:xiaomi-car-investment-commitment"),
        ("2021-09-01", "founded", "id:xiaomi-ev"),
        ("2021-11-27", "agreement signed", "id:xiaomi-beijing-e-town-agreement"),
        ("2022-03-04", "agreement signed", "id:sony-honda-memorandum"),
        ("2022-09", "founded", "id:sony-honda-mobility"),
        ("2022-09", "production started", "id:evergrande-tianjin-plant"),
        ("2023-08-28", "investment announced", "id:xpeng-didi-smart-ev-unit-acquisition"),
        ("2023-11", "founded", "id:hima"),
        ("2024-01-29", "programme status: collapsed", "id:evergrande-car-programme"),
        ("2024-02-27", "programme status: cancelled", "id:apple-car-programme"),
        ("2024-03-28", "product launched", "id:xiaomi-su7"),
        ("2024-04-03", "first deliveries", "id:xiaomi-su7"),
        ("2024-12-11", "programme status: collapsed", "id:baidu-car-programme"),
        ("2025-06-26", "product launched", "id:xiaomi-yu7"),
        ("2017-03-13", "investment announced", "id:intel-mobileye-acquisition"),
        ("2019-06-29", "programme status: announced", "id:evergrande-car-programme"),
        ("2021-12-30", "production started", "id:evergrande-tianjin-plant"),
        ("2022-09-16", "production started", "id:evergrande-tianjin-plant"),
        ("2022-06-16", "agreement signed", "id:sony-honda-jv-agreement"),
        ("2023-11-20", "founded", "id:carizon"),
        ("2024-12-10", "ceased operating", "id:cruise-robotaxi"),
        ("2024-12-11", "ceased operating", "id:jiyue-venture"),
        ("2024-12-13", "agreement signed", "id:jiyue-joint-statement"),
        ("2026", "programme status: active", "id:sony-car-programme"),
    } <= events
    su7_sources = {r["source"] for r in where(rows, entity="id:xiaomi-su7", event="product launched")}
    assert su7_sources == {"src:beijingimpact-su7-launch", "src:gagadget-su7-launch"}
    assert rows[0]["date"] == "2009-01"


def partnerships(rows: list[Row]) -> None:
    """Technology company and automaker pairs and how they are linked (partner, JV, alliance, agreement)."""
    links = {(r["techCompany"], r["automaker"]): split(r["links"]) for r in rows}
    hima = "alliance: Harmony Intelligent Mobility Alliance (HIMA)"
    assert links == {
        ("id:alibaba", "id:saic"): {"partner", "joint venture: IM Motors (Zhiji)",
                                    "agreement: Agreement of SAIC, the Pudong New Area and Alibaba on the IM Motors project, 26 November 2020"},
        ("id:amazon", "id:rivian"): {"partner"},
        ("id:baidu", "id:geely"): {"partner", "joint venture: Jidu Auto", "joint venture: Jiyue venture of Geely and Baidu"},
        ("id:didi", "id:xpeng"): {"partner"},
        ("id:foxconn", "id:yulon"): {"partner", "joint venture: Foxtron"},  # through Yulon's HAITEC
        ("id:google", "id:audi"): {"partner"},
        ("id:google", "id:ford"): {"partner", "agreement: Six-year partnership of Google and Ford, 1 February 2021"},
        ("id:google", "id:gm"): {"partner"},
        ("id:google", "id:mercedes-benz"): {
            "partner", "agreement: Long-term partnership of Mercedes-Benz and Google on navigation and entertainment, February 2023"},
        ("id:google", "id:volvo"): {"partner"},
        ("id:horizon-robotics", "id:volkswagen"): {"partner", "joint venture: Carizon"},  # through VW's Cariad
        ("id:huawei", "id:avatr"): {"partner"},
        ("id:huawei", "id:baic"): {"partner", hima},
        ("id:huawei", "id:chery"): {"partner", hima},
        ("id:huawei", "id:jac"): {"partner", hima},
        ("id:huawei", "id:saic"): {"partner", hima},
        ("id:huawei", "id:seres"): {"partner", hima},
        ("id:microsoft", "id:gm"): {"partner"},
        ("id:nvidia", "id:li-auto"): {"partner"},
        ("id:nvidia", "id:mercedes-benz"): {"partner", "agreement: Partnership of Nvidia and Mercedes-Benz on DRIVE Orin"},
        ("id:nvidia", "id:zeekr"): {"partner"},
        ("id:pony-ai", "id:gac-toyota"): {
            "partner", "agreement: Joint-venture agreement of Pony.ai, Toyota Motor (China) Investment and GAC Toyota, 4 August 2023"},
        ("id:pony-ai", "id:toyota"): {"partner"},
        ("id:qualcomm", "id:bmw"): {"partner"},
        ("id:qualcomm", "id:honda"): {"partner"},
        ("id:qualcomm", "id:mercedes-benz"): {"partner"},
        ("id:qualcomm", "id:stellantis"): {"partner", "agreement: Agreement of Qualcomm and Stellantis on cockpit and telematics, 14 April 2022"},
        ("id:qualcomm", "id:volvo"): {"partner"},
        ("id:sony", "id:honda"): {"partner", "joint venture: Sony Honda Mobility",
                                  "agreement: Memorandum between Sony and Honda, 4 March 2022",
                                  "agreement: Joint-venture agreement between Sony and Honda, 16 June 2022"},
        ("id:tencent", "id:byd"): {"partner"},
        ("id:tencent", "id:changan"): {"partner"},
        ("id:tencent", "id:gac"): {"partner", "joint venture: Ruqi, the mobility company of GAC and Tencent",
                                   "agreement: Strategic partnership of Tencent and GAC on connected cars, November 2017"},
        ("id:tencent", "id:geely"): {"partner", "agreement: Agreement of Tencent and Geely on smart cockpits and autonomous-driving tests, 19 January 2021"},
    }
    assert num(the(rows, techCompany="id:baidu", automaker="id:geely")["linkKinds"]) == 2


def who_works_with_whom(rows: list[Row]) -> None:
    """Every kind of tie, with its kind shown: Qualcomm partner of and supplier to BMW (Snapdragon
    Ride), Huawei in the HIMA alliance with Chery, Sony co-owner with Honda of Sony Honda
    Mobility, Tencent co-owner with Changan through Dadi Tongtu, Amazon investor in Rivian,
    Intel's Mobileye supplying Zeekr, Lenovo a customer of Nvidia's DRIVE Thor ..."""
    ties = {(r["company"], r["other"], r["tie"], r["via"], r["through"]) for r in rows}
    assert {
        ("id:qualcomm", "id:bmw", "partner", None, None),
        ("id:qualcomm", "id:bmw", "supplier to", "id:snapdragon-ride", None),
        ("id:qualcomm", "id:bmw", "supplier to", "id:snapdragon-ride-pilot", None),
        ("id:qualcomm", "id:stellantis", "agreement party", "id:qualcomm-stellantis-agreement", None),
        ("id:qualcomm", "id:veoneer", "buyer of", "id:qualcomm-ssw-veoneer-acquisition", None),
        ("id:huawei", "id:chery", "alliance member", "id:hima", None),
        ("id:huawei", "id:seres", "sold to", "id:seres-aito-rights-purchase", None),
        ("id:sony", "id:honda", "joint-venture co-owner", "id:sony-honda-mobility", None),
        ("id:sony", "id:honda", "agreement party", "id:sony-honda-jv-agreement", None),
        ("id:tencent", "id:changan", "joint-venture co-owner", "id:tencent-changan-venture", "id:dadi-tongtu"),
        ("id:tencent", "id:tesla", "investor in", None, None),
        ("id:tencent", "id:nio", "investor in", "id:nio-funding-round-2017-11", None),
        ("id:amazon", "id:rivian", "investor in", "id:rivian-funding-round-2019-02", None),
        ("id:amazon", "id:zoox", "buyer of", "id:amazon-zoox-acquisition", None),
        ("id:intel", "id:zeekr", "supplier to", "id:mobileye-eyeq5", "id:mobileye"),
        ("id:lenovo", "id:nvidia", "customer of", "id:nvidia-drive-thor", None),
        ("id:nvidia", "id:xiaomi", "supplier to", "id:nvidia-drive-thor", None),
        ("id:xiaomi", "id:nvidia", "customer of", "id:nvidia-drive-thor", None),
        ("id:google", "id:renault-nissan-mitsubishi", "supplier to", "id:android-automotive", None),
        ("id:horizon-robotics", "id:volkswagen", "backed by", "id:volkswagen-horizon-equity", None),
        ("id:pony-ai", "id:toyota", "backed by", "id:toyota-pony-ai-investment", None),
        ("id:dji", "id:saic-gm-wuling", "supplier to", "id:dji-automotive-driver-assistance", "id:dji-automotive"),
        ("id:meizu", "id:xingji", "backed by", None, None),
        ("id:alibaba", "id:xingji", "agreement party", "id:xingji-meizu-agreement", "id:taobao-china"),
        ("id:didi", "id:xpeng", "sold to", "id:xpeng-didi-smart-ev-unit-acquisition", "id:didi-smart-ev-unit"),
    } <= ties
    assert {r["tie"] for r in rows} == {
        "partner", "joint-venture co-owner", "alliance member", "agreement party", "supplier to",
        "customer of", "investor in", "backed by", "buyer of", "sold to"}
    assert {r["company"] for r in rows} <= ENTRANTS
    # A company's own subsidiaries are not listed as others it works with.
    assert not where(rows, company="id:xiaomi", other="id:xiaomi-ev")
    assert not where(rows, company="id:intel", other="id:mobileye")
    assert {r["company"] for r in rows} >= {"id:qualcomm", "id:tencent", "id:google", "id:sony", "id:huawei"}


def entrants_by_kind(rows: list[Row]) -> None:
    """Chip makers (Qualcomm, Intel, Horizon Robotics), phone makers (Xiaomi, Meizu, OPPO, Vivo),
    internet platforms (Tencent, ByteDance), a property group (Evergrande) ..., each status in
    date order, and who says it will not build cars; kinds no source gives are "not stated"."""
    kinds = {r["company"]: r["kind"] for r in rows}
    assert kinds.keys() == ENTRANTS
    assert {c for c, k in kinds.items() if k == "chip maker"} == {"id:qualcomm", "id:intel", "id:horizon-robotics"}
    assert {c for c, k in kinds.items() if k == "phone maker"} == {"id:xiaomi", "id:meizu", "id:oppo", "id:vivo"}
    assert {c for c, k in kinds.items() if k == "internet platform"} == {"id:tencent", "id:bytedance"}
    assert (kinds["id:evergrande"], kinds["id:microsoft"], kinds["id:lenovo"], kinds["id:dji"], kinds["id:pony-ai"]) == (
        "property group", "software and cloud company", "PC maker", "drone maker", "autonomous-driving start-up")
    assert {c for c, k in kinds.items() if k == "not stated"} == {
        "id:alibaba", "id:alphabet", "id:amazon", "id:apple", "id:baidu", "id:didi", "id:dyson", "id:foxconn",
        "id:google", "id:huawei", "id:lg-electronics", "id:nvidia", "id:samsung", "id:sony"}
    history = {c: [(r["status"], r["statusDate"]) for r in where(rows, company=c)] for c in kinds}
    assert history["id:xiaomi"] == [("announced", "2021"), ("announced", "2021-03-30"), ("active", "2024-04-03")]
    assert history["id:evergrande"] == [("announced", "2019-06-29"), ("active", "2022-09"), ("collapsed", "2024-01-29")]
    assert history["id:intel"] == [("announced", "2017-03-13"), ("active", "2017-08")]
    assert history["id:apple"] == [("active", "2014"), ("cancelled", "2024-02-27")]
    assert history["id:oppo"] == [(None, None)]
    assert split(the(rows, company="id:pony-ai", statusDate="2016")["routes"]) == {
        "autonomous-driving unit", "joint venture with an automaker", "technology supplier"}
    says_no = {r["company"] for r in rows if r["stance"] == "says it will not build cars"}
    assert says_no == {"id:huawei", "id:meizu", "id:lenovo", "id:oppo", "id:tencent", "id:bytedance", "id:dji"}
    assert [r["kind"] for r in rows] == sorted((r["kind"] for r in rows), key=str.lower)


def brain_suppliers(rows: list[Row]) -> None:
    """Chips, operating systems and driver assistance to carmakers: Qualcomm's Snapdragon Ride to
    BMW (and Ride Pilot in the iX3), Nvidia's DRIVE Orin to Mercedes-Benz and DRIVE Thor to Li
    Auto, Zeekr and Xiaomi's YU7, Mobileye's EyeQ5 to Zeekr, Google's Android to Ford, GM,
    Polestar and Renault-Nissan-Mitsubishi, Meizu's Flyme Auto to Geely and Proton, DJI to BYD."""
    chips, system, assist = "chips and car computers", "in-car operating system", "driver assistance and automated driving"
    got = {(r["supplier"], r["technology"], r["kind"], r["carmaker"], r["link"], r["model"]) for r in rows}
    assert {
        ("id:qualcomm", "id:snapdragon-ride", chips, "id:bmw", "supply agreed", None),
        ("id:qualcomm", "id:snapdragon-ride", assist, "id:bmw", "supply agreed", None),
        ("id:qualcomm", "id:snapdragon-ride-pilot", assist, "id:bmw", "used in a model", "id:bmw-ix3"),
        ("id:qualcomm", "id:snapdragon-cockpit", chips, "id:stellantis", "supply agreed", None),
        ("id:nvidia", "id:nvidia-drive-orin", chips, "id:mercedes-benz", "supply agreed", None),
        ("id:nvidia", "id:nvidia-drive-thor", chips, "id:li-auto", "supply agreed", None),
        ("id:nvidia", "id:nvidia-drive-thor", chips, "id:zeekr", "supply agreed", None),
        ("id:nvidia", "id:nvidia-drive-thor", chips, "id:xiaomi", "used in a model", "id:xiaomi-yu7"),
        ("id:intel", "id:mobileye-eyeq5", assist, "id:zeekr", "supply agreed", None),
        ("id:google", "id:android-automotive", system, "id:ford", "supply agreed", None),
        ("id:google", "id:android-automotive", system, "id:gm", "used in a model", "id:chevrolet-blazer-ev"),
        ("id:google", "id:android-automotive", system, "id:polestar", "used in a model", "id:polestar-2"),
        ("id:google", "id:android-automotive", system, "id:renault-nissan-mitsubishi", "supply agreed", None),
        ("id:meizu", "id:flyme-auto", system, "id:geely", "used in a model", "id:lynk-co-08"),
        ("id:meizu", "id:flyme-auto", system, "id:proton", "used in a model", "id:proton-emas-7"),
        ("id:dji", "id:dji-automotive-driver-assistance", assist, "id:byd", "supply agreed", None),
        ("id:dji", "id:dji-automotive-driver-assistance", assist, "id:saic-gm-wuling", "supply agreed", None),
    } <= got
    assert {r["kind"] for r in rows} == {chips, system, assist}
    assert {r["supplier"] for r in rows} == {"id:qualcomm", "id:nvidia", "id:intel", "id:google", "id:meizu", "id:dji"}
    # Lenovo builds on DRIVE Thor but makes no car; cloud and AI services are not the brain.
    assert not where(rows, carmaker="id:lenovo")
    assert not where(rows, technology="id:microsoft-azure")


def robotaxi_programmes(rows: list[Row]) -> None:
    """Waymo One (Alphabet, active 2018-12-05, no partners named), Cruise (Microsoft's stake:
    stopped 2024-12-10; GM owns about 90 %, GM and Honda invested) and Pony.ai's robotaxis
    (Toyota, NEOM; the venture with Toyota Motor (China) Investment and GAC Toyota)."""
    services = {(r["entrant"], r["service"], r["operator"]) for r in rows}
    assert services == {
        ("id:alphabet", "id:waymo-one", "id:waymo"),
        ("id:microsoft", "id:cruise-robotaxi", "id:cruise"),
        ("id:pony-ai", "id:pony-ai-robotaxi", "id:pony-ai"),
        ("id:pony-ai", "id:pony-ai-toyota-robotaxi", "id:pony-ai-toyota-venture"),
    }
    waymo = the(rows, service="id:waymo-one")
    assert (waymo["status"], waymo["statusDate"], waymo["partner"]) == ("active", "2018-12-05", None)
    cruise = {(r["partner"], r["tie"]) for r in where(rows, service="id:cruise-robotaxi")}
    assert cruise == {("id:gm", "owner of the operator"), ("id:gm", "investor in the operator"),
                      ("id:honda", "investor in the operator")}
    assert {r["stopped"] for r in where(rows, service="id:cruise-robotaxi")} == {"2024-12-10"}
    pony = {(r["partner"], r["tie"]) for r in where(rows, service="id:pony-ai-robotaxi")}
    assert {("id:toyota", "owner of the operator"), ("id:toyota", "investor in the operator"),
            ("id:neom-investment-fund", "investor in the operator"), ("id:gac-toyota", "partner of the operator")} <= pony
    venture = {(r["partner"], r["tie"]) for r in where(rows, service="id:pony-ai-toyota-robotaxi")}
    assert venture == {
        ("id:gac-toyota", "investor in the operator"), ("id:gac-toyota", "party to an agreement on the operator"),
        ("id:toyota-china", "investor in the operator"), ("id:toyota-china", "party to an agreement on the operator")}
    assert {(r["status"], r["statusDate"]) for r in where(rows, entrant="id:pony-ai")} == {("active", "2019-08")}


def statement_without_source_violation(rows: list[Row]) -> None:
    """Rule: no statement without a source, no claim without a kind."""
    assert rows == []


EXPECTATIONS: dict[str, Callable[[list[Row]], None]] = {
    "xiaomi-beijing-plant": xiaomi_beijing_plant,
    "plants-by-company": plants_by_company,
    "investments-by-company": investments_by_company,
    "products-made-where": products_made_where,
    "facts-by-source": facts_by_source,
    "entrants-by-route": entrants_by_route,
    "joint-ventures": joint_ventures,
    "cancelled-or-collapsed": cancelled_or_collapsed,
    "investments-per-currency": investments_per_currency,
    "announcements-timeline": announcements_timeline,
    "partnerships": partnerships,
    "statement-without-source-violation": statement_without_source_violation,
    "who-works-with-whom": who_works_with_whom,
    "entrants-by-kind": entrants_by_kind,
    "brain-suppliers": brain_suppliers,
    "robotaxi-programmes": robotaxi_programmes,
}


# -- the generated competency tests ----------------------------------------------


@pytest.mark.parametrize("name", QUERY_NAMES)
def test_query_gives_the_answer_the_research_finds(name, shipped_kg):
    assert name in EXPECTATIONS, f"queries/{name}.rq has no competency test: add it to EXPECTATIONS"
    answer = answering.answer(questions.find(name), {}, kg=shipped_kg)
    rows = rows_of(answer)
    if not name.endswith("-violation"):
        assert rows, f"{name} returned no rows"
    EXPECTATIONS[name](rows)


def test_every_expectation_has_its_query_file():
    assert sorted(set(EXPECTATIONS) - set(QUERY_NAMES)) == []


def test_the_folder_holds_the_competency_questions():
    assert len(QUERY_NAMES) >= 16


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.stem)
def test_query_file_has_a_header_with_title_question_and_answer(path):
    query = questions.read_query_file(path)
    assert query.title and query.question and query.answer
    header = [line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("#")]
    assert header[0].startswith("# title:")
    assert any(re.match(r"#\s*(param|parameters)\s*:", line) for line in header), "say '# parameters: none'"


def _used_prefixes(text: str) -> set[str]:
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    body = re.sub(r'"[^"\n]*"', '""', body)  # string literals
    body = re.sub(r"<[^>\s]*>", "<>", body)  # full IRIs
    body = re.sub(r"(?im)^\s*PREFIX\s+[\w-]*:", "", body)
    return set(re.findall(r"(?<![\w?$])([A-Za-z][\w-]*):(?=[A-Za-z_])", body))


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.stem)
def test_query_file_declares_its_prefixes_and_orders_its_rows(path):
    """A query runs on any SPARQL server: its PREFIX lines are in the file; ORDER BY makes the answer stable."""
    text = path.read_text(encoding="utf-8")
    declared = set(re.findall(r"(?im)^\s*PREFIX\s+([\w-]*):", text))
    assert _used_prefixes(text) - declared == set()
    assert re.search(r"(?i)\bORDER\s+BY\b", text)
    questions.check(questions.read_query_file(path))


# -- what the answers add up to ---------------------------------------------------


def test_per_currency_totals_add_up_the_itemised_investments(shipped_kg):
    itemised = rows_of(answering.answer(questions.find("investments-by-company"), {}, kg=shipped_kg))
    totals = rows_of(answering.answer(questions.find("investments-per-currency"), {}, kg=shipped_kg))
    expected: dict[tuple[str, str, str, str], Decimal] = {}
    for row in {(r["investor"], r["investment"], r["currency"], r["kind"] or "not stated", r["moneyOf"], r["amount"])
                for r in itemised}:
        key = (row[0], row[2], row[3], row[4])
        expected[key] = expected.get(key, Decimal(0)) + num(row[5])
    assert {(r["investor"], r["currency"], r["kind"], r["moneyOf"]): num(r["reported_sum"]) for r in totals} == expected


def test_optional_parameters_narrow_the_answer(shipped_kg):
    since = rows_of(answering.answer(questions.find("announcements-timeline"), {"since": "2024-01-01"}, kg=shipped_kg))
    assert {r["date"][:4] for r in since} == {"2024", "2025", "2026"}
    assert ("2024-01", "founded", "id:yinwang") in {(r["date"], r["event"], r["entity"]) for r in since}
    qualcomm = rows_of(answering.answer(questions.find("who-works-with-whom"), {"company": "Qualcomm"}, kg=shipped_kg))
    assert {r["company"] for r in qualcomm} == {"id:qualcomm"}
    assert {r["other"] for r in qualcomm} == {"id:bmw", "id:honda", "id:mercedes-benz", "id:stellantis", "id:veoneer", "id:volvo"}
    nvidia = rows_of(answering.answer(questions.find("brain-suppliers"), {"supplier": "id:nvidia"}, kg=shipped_kg))
    assert {r["carmaker"] for r in nvidia} == {"id:li-auto", "id:mercedes-benz", "id:xiaomi", "id:zeekr"}
    chips = rows_of(answering.answer(questions.find("entrants-by-kind"), {"wanted": "chip maker"}, kg=shipped_kg))
    assert {r["company"] for r in chips} == {"id:horizon-robotics", "id:intel", "id:qualcomm"}
    xiaomi = rows_of(answering.answer(questions.find("investments-per-currency"), {"investor": "Xiaomi"}, kg=shipped_kg))
    assert {r["investor"] for r in xiaomi} == {"id:xiaomi"}
    assert sorted((r["currency"], num(r["investments"])) for r in xiaomi) == [
        ("CNY", 1), ("CNY", 1), ("CNY", 1), ("CNY", 1), ("USD", 1), ("USD", 1)]


def test_the_violation_check_finds_statements_without_a_source_and_claims_without_a_kind(tmp_path):
    from kg.store import KnowledgeGraph

    facts = tmp_path / "broken.trig"
    facts.write_text("""\
PREFIX claim: <https://w3id.org/techauto/claim/>
PREFIX id: <https://w3id.org/techauto/id/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX src: <https://w3id.org/techauto/source/>
PREFIX ta: <https://w3id.org/techauto/ontology#>
src:report a ta:NewsArticle .
claim:sourced a ta:Claim ; prov:wasDerivedFrom src:report ; ta:hasClaimKind ta:Plan .
claim:unsourced a ta:Claim ; ta:hasClaimKind ta:Plan .
claim:not-a-source a ta:Claim ; prov:wasDerivedFrom id:someone ; ta:hasClaimKind ta:Outcome .
claim:kindless a ta:Claim ; prov:wasDerivedFrom src:report .
claim:sourced { id:a rdfs:label "A"@en . }
claim:unsourced { id:b rdfs:label "B"@en . }
claim:not-a-source { id:c rdfs:label "C"@en . }
claim:undescribed { id:d rdfs:label "D"@en . }
claim:kindless { id:e rdfs:label "E"@en . }
""", encoding="utf-8")
    kg = KnowledgeGraph.load(data=[facts])
    rows = rows_of(answering.answer(questions.find("statement-without-source-violation"), {}, kg=kg))
    assert [(r["problem"], r["claim"], r["subject"]) for r in rows] == [
        ("claim without a kind", "claim:kindless", None),
        ("statement whose claim has no source", "claim:not-a-source", "id:c"),
        ("statement whose claim has no source", "claim:undescribed", "id:d"),
        ("statement whose claim has no source", "claim:unsourced", "id:b"),
    ]


# -- the installed command ---------------------------------------------------------


def test_kg_query_list_shows_every_title():
    done = run_kg("query", "--list")
    assert (done.returncode, done.stderr) == (0, "")
    listed = done.stdout
    for path in QUERY_FILES:
        query = questions.read_query_file(path)
        assert re.search(rf"^{re.escape(query.name)}\s+{re.escape(query.title)}$", listed, re.M), query.name


def test_a_parameter_narrows_the_json_answer_to_one_investor():
    done = run_kg("query", "investments-by-company", "--param", "investor=xiaomi", "--format", "json")
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert document["head"]["vars"][:2] == ["investor", "investment"]
    bindings = document["results"]["bindings"]
    assert len(bindings) == 6
    assert {b["investor"]["value"] for b in bindings} == {str(ID["xiaomi"])}
    usd = [b for b in bindings if b["investment"]["value"] == str(ID["xiaomi-car-investment-commitment"])]
    assert [(num(b["amount"]["value"]), b["amount"]["datatype"], b["currency"]["value"], b["duration"]["value"])
            for b in usd] == [(Decimal("10000000000"), "http://www.w3.org/2001/XMLSchema#decimal", "USD", "P10Y")]


def test_an_injection_attempt_is_resolved_as_a_name_never_pasted():
    done = run_kg("query", "investments-by-company", "--param", "investor=xiaomi> } UNION { ?s ?p ?o")
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.splitlines() == [
        "kg query: error: --param investor=xiaomi> } UNION { ?s ?p ?o: unknown entity 'xiaomi> } UNION { ?s ?p ?o'"
    ]


def test_an_unknown_query_exits_2_listing_the_known_ones():
    done = run_kg("query", "nosuchquery")
    assert done.returncode == 2
    assert len(done.stderr.splitlines()) == 1
    assert "unknown query 'nosuchquery'" in done.stderr
    assert all(name in done.stderr for name in QUERY_NAMES)


HEADER = "# title: t\n# question: q\n# parameters: none\n# answer: a\nPREFIX ta: <https://w3id.org/techauto/ontology#>\n"


def test_a_sparql_syntax_error_names_file_line_and_column(tmp_path):
    path = tmp_path / "broken.rq"
    path.write_text(HEADER + "SELECT ?s\nWHERE { ?s ta:amount ?o . FILTER( }\n", encoding="utf-8")
    done = run_kg("query", path)
    assert done.returncode == 2
    (line,) = done.stderr.splitlines()
    # the engine's position: where its parser gave up, on the broken line or at the end of the text after it
    assert re.fullmatch(rf"kg query: error: {re.escape(str(path))}:[78]:\d+: SPARQL syntax error: .+", line), line


def test_a_query_file_without_header_runs(tmp_path):
    path = tmp_path / "bare.rq"
    path.write_text("SELECT ?plant WHERE { ?plant a ta:ManufacturingPlant ; ta:isOperatedBy id:xiaomi }\n",
                    encoding="utf-8")
    done = run_kg("query", path, "--format", "csv")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["plant", str(ID["xiaomi-beijing-plant"])]


def test_a_shipped_query_file_needs_its_header(tmp_path):
    path = tmp_path / "bare.rq"
    path.write_text("SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bare.rq:1: query header lacks # title:, # question:, # answer:"):
        questions.read_query_file(path)


def test_a_param_without_equals_sign_exits_2():
    done = run_kg("query", "investments-by-company", "--param", "investor")
    assert done.returncode == 2
    assert done.stderr.splitlines() == ["kg query: error: --param 'investor': expected KEY=VALUE"]


def test_the_violation_check_returns_no_rows_and_exits_0():
    done = run_kg("query", "statement-without-source-violation", "--format", "json")
    assert (done.returncode, done.stderr) == (0, "")
    assert json.loads(done.stdout)["results"]["bindings"] == []
