"""`kg draw` and kg.drawing: real PNG and SVG pictures, atomic output, clear errors."""

from __future__ import annotations

import sys

import numpy as np
import pytest
from matplotlib import image

from conftest import run_kg
from kg import drawing
from kg.errors import InputError
from kg.namespaces import ID
from kg.network import to_networkx

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


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
    out = drawing.draw_neighbourhood(shipped_kg, ID["xiaomi"], 1, tmp_path / "xiaomi.svg")
    assert out.read_text(encoding="utf-8").count("Xiaomi") >= 2


def test_same_graph_same_picture(shipped_kg):
    graph = to_networkx(shipped_kg)
    assert drawing.render_image(graph, "svg") == drawing.render_image(graph, "svg")


def test_without_matplotlib_png_is_an_input_error_naming_the_extra(monkeypatch, shipped_kg):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(InputError, match=r"pip install 'techauto-kg\[draw\]'"):
        drawing.render_image(to_networkx(shipped_kg), "png")
