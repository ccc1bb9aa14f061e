"""The plotly.js the reports embed (tools/plotlyjs, `make plotlyjs`): the bundle matches its manifest, is the version
plotly.py ships, carries its licence, and has every trace type a chart of the example clients draws."""

import hashlib

import nbformat
import pytest

from aicto.present.charts import Chart, figure_bundle
from aicto.present.report import ASSETS, PLOTLY_JS, check_chart_types, plotly_js, plotly_manifest
from aicto.present.views.common import open_client
from aicto.present.views.costs import CostView
from aicto.present.views.progress import ProgressView
from aicto.present.views.readiness import ReadinessView
from aicto.present.views.roadmap import RoadmapView
from aicto.present.views.roi import RoiView
from tests.conftest import EXAMPLES

VIEWS = (ReadinessView, CostView, RoiView, RoadmapView, ProgressView)


def test_bundle_is_the_built_file_of_plotlypys_version():
    from plotly.offline import get_plotlyjs_version

    manifest = plotly_manifest()
    data = PLOTLY_JS.read_bytes()
    assert manifest["plotly_js"] == get_plotlyjs_version()
    assert len(data) == manifest["bytes"] and hashlib.sha256(data).hexdigest() == manifest["sha256"]
    assert plotly_js().startswith(f"/** plotly.js v{manifest['plotly_js']} (aicto bundle: ")
    assert "MIT" in (ASSETS / "plotly.js-LICENSE.txt").read_text()
    assert len(data) < 1_300_000  # a quarter of plotly.py's whole plotly.js (4.8 MB)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_every_chart_of_every_example_has_its_trace_types_in_the_bundle(example):
    context = open_client(example)
    charts = [chart for view in VIEWS for name, section in vars(view).items()
              if hasattr(section, "build") and isinstance(chart := view(context).build(name), Chart)]
    assert charts
    types = {t.get("type", "scatter") for chart in charts for t in chart["data"]}
    assert types <= set(plotly_manifest()["traces"]), types - set(plotly_manifest()["traces"])


def test_an_export_refuses_a_chart_the_bundle_cannot_draw():
    chart = Chart(data=[{"type": "sunburst", "labels": ["a"], "parents": [""]}], layout={})
    cell = nbformat.v4.new_code_cell(outputs=[nbformat.v4.new_output("display_data", data=figure_bundle(chart))])
    nb = nbformat.v4.new_notebook(cells=[cell])
    with pytest.raises(ValueError, match="no sunburst trace"):
        check_chart_types(nb)
    cell.outputs[0]["data"] = figure_bundle(Chart(data=[{"type": "bar", "y": [1]}], layout={}))
    check_chart_types(nb)
