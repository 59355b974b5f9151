"""The build-time SVG scatter plot: log scales, skipped models, escaping, accessible labels."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest

from modelatlas.ids import provider_ids
from modelatlas.render.chart_table import PointRows
from modelatlas.render.charts import HEIGHT, SHAPE_PATHS, Point, marker_of, points_of, scatter_svg
from modelatlas.render.templates import environment

SVG = "{http://www.w3.org/2000/svg}"


def model(mid: str, context: int | None, prompt: str | None, name: str | None = None) -> dict:
    record: dict = {"id": mid, "modelatlas": {"provider": "openai", "upstream_id": mid}}
    if context is not None:
        record["context_length"] = context
    if prompt is not None:
        record["pricing"] = {"prompt": prompt}
    if name:
        record["name"] = name
    return record


def markers(svg: str) -> list[ET.Element]:
    """Each point's link (its <title> is the label, its <use> the marker)."""
    return ET.fromstring(svg).findall(f"{SVG}g[@class='points']/{SVG}a")


def test_points_skip_models_that_cannot_sit_on_a_log_scale() -> None:
    models = [
        model("a", 8000, "0.000001"),
        model("free", 8000, "0"),
        model("nocontext", None, "0.000001"),
        model("noprice", 8000, None),
    ]
    points, skipped = points_of(models, lambda m: m["id"] + ".html", lambda m: 0)
    assert [p.label for p in points] == ["a"] and skipped.total == 3
    assert (skipped.free, skipped.no_context, skipped.no_price) == (1, 1, 1)
    assert {why: count for count, why in skipped.reasons()} == {
        "free (a zero price has no place on a log scale)": 1,
        "context window unknown": 1,
        "prompt price unknown": 1,
    }
    assert str(points[0].price_per_million) == "1.000000"


def test_log_scales_place_points_by_decade() -> None:
    models = [
        model("cheap-small", 1000, "0.0000001"),
        model("dear-big", 1000000, "0.00001"),
        model("mid", 31623, "0.000001"),
    ]
    points, skipped = points_of(models, lambda m: m["id"] + ".html", lambda m: 1)
    chart = scatter_svg(points, "t", skipped.total, "x")
    dots = {a.find(f"{SVG}title").text.split(":")[0]: a.find(f"{SVG}use") for a in markers(str(chart.svg))}
    xs = {k: float(v.get("x")) for k, v in dots.items()}
    ys = {k: float(v.get("y")) for k, v in dots.items()}
    assert xs["cheap-small"] < xs["mid"] < xs["dear-big"]
    assert abs((xs["mid"] - xs["cheap-small"]) - (xs["dear-big"] - xs["mid"])) < 1.0  # half-way in log space
    assert ys["dear-big"] < ys["mid"] < ys["cheap-small"] <= HEIGHT  # dearer is higher up
    ticks = re.findall(r">(\$[0-9.]+)</text>", str(chart.svg))
    assert ticks == ["$0.1", "$1", "$10"]
    assert ">1k<" in str(chart.svg) and ">1M<" in str(chart.svg)


def test_labels_are_escaped_and_the_chart_is_labelled() -> None:
    models = [model("x", 4096, "0.000002", name="<script>alert(1)</script>")]
    points, skipped = points_of(models, lambda m: 'p.html?a="b"', lambda m: 17)
    chart = scatter_svg(points, "Chart <title>", skipped.total, "prov")
    svg = str(chart.svg)
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    root = ET.fromstring(svg)  # well-formed XML despite the hostile label and href
    assert root.get("role") == "img" and root.get("aria-labelledby") == "prov-t prov-d"
    assert root.get("tabindex") == "0" and [a.get("tabindex") for a in markers(svg)] == ["-1"]  # one Tab stop
    assert root.find(f"{SVG}title").text == "Chart <title>"
    assert "1 models plotted" in root.find(f"{SVG}desc").text
    assert markers(svg)[0].find(f"{SVG}use").get("class") == "c1"  # colour 1 (c1 and c9 are colour 1)


@pytest.mark.parametrize("count", [len(provider_ids()), 17, 33, 100])
def test_every_provider_gets_a_marker_of_its_own_however_many_there_are(count: int) -> None:
    pairs = [marker_of(series) for series in range(count)]
    looks = {(colour % 8, shape) for colour, shape in pairs}
    assert len(looks) == count  # no two providers share both colour and shape
    assert all(0 <= colour < 16 for colour, _ in pairs)  # site.css defines c0..c15
    if count >= 32:
        assert {shape for _, shape in pairs[:32]} == set(SHAPE_PATHS)  # the drawn shapes come first
    models = [model(f"m{i}", 4096 + i, "0.000002") for i in range(count)]
    points, skipped = points_of(models, lambda m: "x.html", lambda m: int(m["id"][1:]))
    svg = str(scatter_svg(points, "t", skipped, "s").svg)
    for marker in markers(svg):
        href = marker.find(f"{SVG}use").get("href")
        assert f'id="{href[1:]}"' in svg  # every referenced shape is defined in the same SVG


def test_the_first_providers_keep_their_markers() -> None:
    # The published charts: c<k> is colour k (and c<k+8> the same colour), the drawn shapes in turn.
    assert [marker_of(series) for series in (0, 1, 7, 8, 9, 15)] == [
        (0, "circle"), (1, "square"), (7, "diamond"), (8, "triangle"), (9, "diamond"), (15, "square")
    ]
    points, skipped = points_of([model("x", 4096, "0.000002")], lambda m: "x.html", lambda m: 9)
    svg = str(scatter_svg(points, "t", skipped.total, "s").svg)
    use = markers(svg)[0].find(f"{SVG}use")
    assert use.get("href") == f"#mk-{marker_of(9)[1]}" and use.get("class") == "c9"
    assert f'id="mk-{marker_of(9)[1]}"' in svg  # the referenced shape is defined in the same SVG


def test_empty_chart_says_so() -> None:
    chart = scatter_svg([], "none", 4, "e")
    assert chart.plotted == 0 and chart.not_plotted == 4
    assert "No plottable models" in str(chart.svg)


def test_the_points_table_is_what_the_template_loop_wrote() -> None:
    # The loop of site_templates/charts.html before the rows were written in Python
    # (tests/fixtures/template_loops/README.md); cheapest first, then the larger context.
    loop = (Path(__file__).parents[1] / "fixtures" / "template_loops" / "chart_points.html.j2").read_text()
    hostile = '<img src=x onerror="alert(1)"> & \'q\''
    points = [
        Point(hostile, f"../model/x/{hostile}.html", 128_000, Decimal("2.5"), 0),
        Point("cheap", "../model/y/cheap.html", 8_192, Decimal("0.1"), 1),
        Point("same price", "../model/y/big.html", 1_000_000, Decimal("0.1"), 1),
    ]
    rows = PointRows(points)
    written = str(rows.html())
    assert written == environment().from_string(loop).render(rows=rows)
    assert "<img" not in written and written.index("same price") < written.index("cheap")
    assert str(PointRows([]).html()) == ""
