"""Importing a Keras model in the browser: a saved .keras file becomes a new,
laid-out project whose parameter count equals Keras's; a refused config (a
Lambda layer) says why and creates nothing."""

from __future__ import annotations

import json
from collections import Counter

import httpx
import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import node, nodes, open_editor, wait_summary

pytestmark = pytest.mark.e2e

LAMBDA_CONFIG = {"class_name": "Sequential", "config": {"name": "evil", "layers": [
    {"class_name": "InputLayer", "config": {"batch_shape": [None, 2]}},
    {"class_name": "Lambda", "config": {}},
]}}


@pytest.fixture(scope="module")
def keras():
    return pytest.importorskip("keras")


def two_tower(keras):
    """Two inputs through one shared Dense, concatenated, then a Dense head."""
    left, right = keras.Input((4,), name="left"), keras.Input((4,), name="right")
    encode = keras.layers.Dense(8, activation="relu", name="encode")
    merged = keras.layers.Concatenate(name="merge")([encode(left), encode(right)])
    return keras.Model([left, right], keras.layers.Dense(1, name="score")(merged), name="two_tower")


def project_count(live_server) -> int:
    return len(httpx.get(f"{live_server.url}/api/projects").json())


def test_import_keras_file_then_refuse_a_lambda(page, console, live_server, keras, tmp_path):
    model = two_tower(keras)
    keras_file = tmp_path / "towers.keras"
    model.save(keras_file)

    # Listening for file choosers early: Playwright enables the interception
    # without waiting, so a listener added just before the key press can miss it.
    choosers = []
    page.on("filechooser", lambda chooser: choosers.append(chooser))
    open_editor(page)
    page.get_by_test_id("new-project").click()
    dialog = page.get_by_test_id("new-dialog")
    expect(dialog.get_by_test_id("import-model")).to_be_visible()
    dialog.get_by_test_id("import-file").set_input_files(str(keras_file))
    expect(dialog).to_be_hidden()

    # A new project named after the model, laid out and summarised like Keras.
    expect(page.get_by_test_id("project-name")).to_have_value("two_tower")
    expect(nodes(page)).to_have_count(6)
    wait_summary(page)
    expect(page.get_by_test_id("summary-error")).to_have_count(0)
    expect(page.get_by_test_id("total-params")).to_have_attribute("data-value", str(model.count_params()))
    expect(page.get_by_test_id("model-kind")).to_have_text("Functional")
    types = Counter(page.get_by_test_id("node-type").all_inner_texts())
    assert types == Counter({"Input": 2, "Dense": 3, "Concatenate": 1}), types
    expect(node(page, "encode__1").get_by_test_id("node-params")).to_have_text("shared")
    boxes = [n.bounding_box() for n in nodes(page).all()]
    assert len({(round(b["x"]), round(b["y"])) for b in boxes}) == 6, "the imported nodes were not laid out"
    expect(page.get_by_test_id("save-status")).to_have_attribute("data-state", "saved")
    saved = [p for p in httpx.get(f"{live_server.url}/api/projects").json() if p["name"] == "two_tower"]
    assert len(saved) == 1 and len(saved[0]["graph"]["nodes"]) == 6
    assert all("ui" in n for n in saved[0]["graph"]["nodes"]), "the layout was not saved"

    # A config with a Lambda layer is refused with the server's reason; nothing changes.
    before = project_count(live_server)
    console.allow_failed_requests = True  # the 422 is logged by Chromium as a failed load
    evil = tmp_path / "evil.json"
    evil.write_text(json.dumps(LAMBDA_CONFIG))
    page.get_by_test_id("new-project").click()
    expect(dialog.get_by_test_id("new-project-name")).to_be_focused()
    page.keyboard.press("Tab")  # into the template radios
    page.keyboard.press("Tab")  # out of them, onto Import
    expect(dialog.get_by_test_id("import-model")).to_be_focused()
    page.keyboard.press("Enter")
    for _ in range(100):
        if choosers:
            break
        page.wait_for_timeout(100)
    assert choosers, "Enter on the Import button opened no file chooser"
    choosers[0].set_files(str(evil))
    expect(dialog).to_be_hidden()
    banner = page.locator("[data-testid='banner'][data-key='import']")
    expect(banner).to_contain_text('Could not import "evil.json"')
    expect(banner).to_contain_text("Lambda, which NeuralCanvas does not offer")
    expect(page.get_by_test_id("project-name")).to_have_value("two_tower")
    expect(nodes(page)).to_have_count(6)
    assert project_count(live_server) == before


def test_import_names_and_request_bodies(page):
    """The project name falls back to the file name for Keras's own default
    names; api.importKerasModel sends text and .json files as JSON text and a
    .keras file as raw bytes."""
    open_editor(page)
    out = page.evaluate("""async (config) => {
      const { importedName, importWarnings } = await import('/static/js/model/imported.js');
      const { api } = await import('/static/js/api.js');
      const sent = [];
      const realFetch = window.fetch;
      window.fetch = (url, init) => {
        sent.push([init.headers['Content-Type'], typeof init.body === 'string' ? 'text' : init.body instanceof Blob ? 'blob' : '?']);
        return realFetch(url, init);
      };
      const text = JSON.stringify(config);
      let graphs;
      try {
        const fromText = await api.importKerasModel(text);
        const fromJson = await api.importKerasModel(new File([text], 'net.json'));
        const fromBytes = await api.importKerasModel(new File([text], 'net.keras'));  // the server sniffs the zip header
        graphs = [fromText.graph.name, fromJson.graph.nodes.length, fromJson.warnings, fromBytes.graph.name];
      } finally {
        window.fetch = realFetch;
      }
      return {
        names: [importedName({ name: 'towers' }, 'x.keras'), importedName({ name: 'functional_2' }, 'my net.keras'),
                importedName({ name: 'imported' }, ''), importedName({}, '.json')],
        warnings: [importWarnings('m', []), importWarnings('m', ['a', 'b', 'c', 'd'])],
        graphs,
        sent,
      };
    }""", {"class_name": "Sequential", "config": {"name": "tiny", "layers": [
        {"class_name": "InputLayer", "config": {"batch_shape": [None, 2]}},
        {"class_name": "Dense", "config": {"name": "d", "units": 3}}]}})
    assert out["names"] == ["towers", "my net", "imported", "Imported model"]
    assert out["warnings"][0] == "" and out["warnings"][1].endswith("a; b; c (and 1 more).")
    assert out["graphs"] == ["tiny", 2, [], "tiny"]
    assert out["sent"] == [["application/json", "text"], ["application/json", "text"],
                           ["application/octet-stream", "blob"]]
