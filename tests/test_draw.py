"""`kg draw` and kg.network.drawing: real PNG and SVG pictures, atomic output, clear errors."""

from __future__ import annotations

import json
import re
import sys

import numpy as np
import pytest
from matplotlib import image

from conftest import run_kg
from kg.network import drawing
from kg.errors import InputError
from kg import terms
from kg.namespaces import ID
from kg.network.convert import to_networkx

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

HOSTILE_FACTS = """PREFIX id: <https://w3id.org/techauto/id/>
PREFIX ta: <https://w3id.org/techauto/ontology#>
PREFIX src: <https://w3id.org/techauto/source/>
PREFIX claim: <https://w3id.org/techauto/claim/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>

src:note a ta:SourceDocument ; rdfs:label "A note on __DATA__ </script>"@en ; ta:webLocation "example.org/__CSS__" .
claim:t a ta:Claim ; prov:wasDerivedFrom src:note ; ta:statedOn "2024-01-02"^^xsd:date .
claim:t {
  id:acme a ta:TechnologyCompany ; rdfs:label "Acme __JS__ __TITLE__"@en ; ta:isPartnerOf id:carco .
  id:carco a ta:Automaker ; rdfs:label "CarCo </script><script>alert(1)</script><!--"@en .
}
"""
"""Two entities whose labels hold the page's placeholders and a closing script tag."""
ACME_LABEL, CARCO_LABEL = "Acme __JS__ __TITLE__", "CarCo </script><script>alert(1)</script><!--"


def test_png_of_xiaomi_neighbourhood_is_a_large_picture_with_many_colours(tmp_path):
    out = tmp_path / "xiaomi.png"
    result = run_kg("draw", "xiaomi", "--radius", "1", "-o", out)
    assert result.returncode == 0, result.stderr
    assert out.read_bytes()[:8] == PNG_MAGIC
    pixels = image.imread(out)
    height, width = pixels.shape[:2]
    assert width > 400 and height > 400
    colours = np.unique(pixels.reshape(-1, pixels.shape[2]), axis=0)
    assert len(colours) > 100
    assert sorted(p.name for p in tmp_path.iterdir()) == ["xiaomi.png"]


def test_svg_of_the_whole_graph_names_xiaomi_and_its_plant(tmp_path, shipped_kg):
    out = tmp_path / "all.svg"
    result = run_kg("draw", "-o", out)
    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert text.lstrip().startswith("<?xml") and "<svg" in text
    plant = to_networkx(shipped_kg).nodes[str(ID["xiaomi-beijing-plant"])]["label"]
    assert ">Xiaomi<" in text and plant in text
    assert "manufacturing plant" in text  # the legend


def test_bad_suffix_exits_2_naming_the_option_and_leaves_no_file(tmp_path):
    out = tmp_path / "picture.jpg"
    result = run_kg("draw", "-o", out)
    assert result.returncode == 2
    assert "-o" in result.stderr and ".png, .svg, .html" in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_draw_neighbourhood_writes_the_picture_build_asks_for(tmp_path, shipped_kg):
    out = drawing.draw_neighbourhood(shipped_kg, terms.ID["xiaomi"], 1, tmp_path / "xiaomi.svg")
    assert out.read_text(encoding="utf-8").count("Xiaomi") >= 2


def test_same_graph_same_picture(shipped_kg):
    graph = to_networkx(shipped_kg)
    assert drawing.render_image(graph, "svg") == drawing.render_image(graph, "svg")


def test_without_matplotlib_png_is_an_input_error_naming_the_extra(monkeypatch, shipped_kg):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(InputError, match=r"pip install 'techauto-kg\[draw\]'"):
        drawing.render_image(to_networkx(shipped_kg), "png")


@pytest.mark.slow
@pytest.mark.parametrize("args", [("-o", "all.svg"), ("xiaomi", "-o", "xiaomi.png"), ("xiaomi", "-o", "xiaomi.html")],
                         ids=["svg", "png", "html"])
def test_pictures_are_the_same_bytes_whatever_the_hash_seed(tmp_path, args):
    pictures = []
    for seed in ("3", "4"):
        folder = tmp_path / seed
        folder.mkdir()
        result = run_kg("draw", *args, cwd=folder, env={"PYTHONHASHSEED": seed})
        assert result.returncode == 0, result.stderr
        pictures.append((folder / args[-1]).read_bytes())
    assert len(pictures[0]) > 10_000
    assert pictures[0] == pictures[1]
    assert b"dc:date" not in pictures[0]  # no date in the SVG metadata either


def _embedded_data(page: str) -> dict:
    found = re.findall(r'<script type="application/json" id="graph-data">(.*?)</script>', page, re.S)
    assert len(found) == 1
    return json.loads(found[0])


@pytest.mark.parametrize("entity", [(), ("acme",)], ids=["whole", "neighbourhood"])
def test_html_keeps_labels_holding_placeholders_and_script_tags_as_text(tmp_path, entity):
    facts = tmp_path / "hostile.trig"
    facts.write_text(HOSTILE_FACTS, encoding="utf-8")
    out = tmp_path / "x.html"
    result = run_kg("draw", *entity, "--data", facts, "-o", out)
    assert result.returncode == 0, result.stderr
    page = out.read_text(encoding="utf-8")
    assert page.count("<script") == 2 and page.count("</script>") == 2
    assert page.count("use strict") == 1  # the script is in the page once, not in the data
    data = _embedded_data(page)
    assert sorted(n["label"] for n in data["nodes"]) == [ACME_LABEL, CARCO_LABEL]
    facts_of_acme = data["facts"][str(ID["acme"])]
    assert {(f["property"], f["value"]) for f in facts_of_acme} >= {("label", ACME_LABEL),
                                                                     ("is partner of", CARCO_LABEL)}
    assert all(f["sources"] == [{"source": "A note on __DATA__ </script>", "web": "example.org/__CSS__",
                                 "stated": "2024-01-02"}] for f in facts_of_acme)
    if entity:
        title = f"{ACME_LABEL} and its neighbourhood (radius 1)"
        assert data["title"] == title and f"<title>{title}</title>" in page
