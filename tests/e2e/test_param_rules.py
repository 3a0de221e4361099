"""The inspector flags values with the same rules as the server: the browser's
checkParam (static/js/model/params.js) against app.graph.catalog.check_param,
over the real catalog's parameter specs and a spread of good and bad values."""

from __future__ import annotations

import httpx
import pytest

from app.graph.catalog import ParamSpec, check_param

pytestmark = pytest.mark.e2e

VALUES = [None, True, False, 0, 1, -1, 3, 0.5, 1.5, -0.25, 10**8, "relu", "same", "", "x" * 201,
          [], [3], [3, 3], [3, 3, 3], [None, 8], [0, 2], [1.5], ["a"], [True], [2, None, 4],
          [1, 2, 3, 4, 5, 6, 7, 8, 9]]
MAX_DIM = 10_000_000


def test_js_param_checks_agree_with_server(page, live_server):
    catalog = httpx.get(f"{live_server.url}/api/layers", timeout=30).json()["layers"]
    specs, seen = [], set()
    for layer in catalog:
        for spec in layer["params"]:
            key = (spec["kind"], spec["nullable"], repr(spec["default"]), repr(spec["choices"]),
                   spec["min"], spec["max"], spec["length"], spec["required"])
            if key not in seen:
                seen.add(key)
                specs.append(spec)
    assert len({s["kind"] for s in specs}) >= 6
    page.goto("/")
    verdicts = page.evaluate(
        """async ([specs, values, maxDim]) => {
             const { checkParam } = await import('/static/js/model/params.js');
             return specs.map((spec) => values.map((v) => checkParam(spec, v, maxDim)));
           }""",
        [specs, VALUES, MAX_DIM])
    disagreements = []
    for spec, row in zip(specs, verdicts):
        pspec = ParamSpec.from_dict(spec)
        for value, js in zip(VALUES, row):
            py = check_param(pspec, value, max_dim=MAX_DIM)
            if (py is None) != (js is None):
                disagreements.append(f"{spec['name']} ({spec['kind']}) = {value!r}: server {py!r}, browser {js!r}")
            elif py and not isinstance(value, float) and py.split(" Received:")[0] != js.split(" Received:")[0]:
                disagreements.append(f"{spec['name']} = {value!r}: server says {py!r}, browser says {js!r}")
    assert not disagreements, "\n".join(disagreements[:20])
