"""The training UI's pure modules, run in the browser without the UI: folding
run events into curves (model/run-state.js), dataset/model fit checks
(model/data-match.js), compile defaults and the run request
(model/run-config.js), and the chart's figure (views/run-chart.js)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e

SCRIPT = """async () => {
  const { RunState } = await import('/static/js/model/run-state.js');
  const { adaptShape, matchDataset, outputUnits } = await import('/static/js/model/data-match.js');
  const cfg = await import('/static/js/model/run-config.js');
  const { chartFigure } = await import('/static/js/views/run-chart.js');
  const out = {};

  const s = new RunState('r1', { id: 'r1', status: 'queued', queue_position: 2, request: { fit: { epochs: 3 } } });
  out.queued = s.describe();
  s.apply({ id: 1, type: 'status', data: { status: 'queued', warnings: [] } });
  s.apply({ id: 2, type: 'status', data: { status: 'running', phase: 'training', epochs: 3, steps_per_epoch: 4 } });
  s.apply({ id: 3, type: 'batch', data: { epoch: 1, batch: 2, steps: 4, logs: { loss: 5 } } });
  out.halfway = [s.progress(), s.describe()];
  s.apply({ id: 4, type: 'epoch', data: { epoch: 1, epochs: 3, logs: { loss: 2, val_loss: 3, mean_absolute_error: 1, val_mean_absolute_error: 1.5 } } });
  out.duplicate = s.apply({ id: 4, type: 'epoch', data: { epoch: 1, logs: { loss: 99 } } });
  s.apply({ id: 5, type: 'epoch', data: { epoch: 2, epochs: 3, logs: { loss: null, val_loss: 2.5 } } });
  out.groups = s.groups().map((g) => [g.name, g.series.map((x) => [x.key, x.label, x.x, x.y])]);
  s.apply({ id: 6, type: 'epoch', data: { epoch: 3, epochs: 3, logs: { loss: 1, val_loss: 2 } } });
  const final = { epochs_run: 3, loss: 1, val_loss: 2, test_loss: 2.2, fit_seconds: 0.5 };
  s.apply({ id: 7, type: 'status', data: { status: 'completed', error: null, final_metrics: final } });
  s.apply({ id: 8, type: 'end', data: { status: 'completed', error: null, final_metrics: final } });
  out.done = [s.status, s.ended, s.progress(), s.lossPoints, s.active, s.finished];
  out.rows = s.metricRows().map(([k]) => k);

  const failed = new RunState('r2');
  failed.apply({ id: 1, type: 'end', data: { status: 'failed', error: 'loss became NaN at epoch 1', final_metrics: null } });
  out.failed = [failed.status, failed.error, failed.describe()];

  out.adapt = [adaptShape([3], [3]), adaptShape([null, 3], [5, 3]), adaptShape([64], [8, 8, 1]),
               adaptShape([8, 8], [8, 8, 1]), adaptShape([3], [4]), adaptShape([8, 4], [4, 8])];
  const mlp = { nodes: [{ id: 'x', type: 'Input', params: { shape: [3] } }, { id: 'y', type: 'Dense', params: { units: 1 } }], edges: [] };
  const summary = { nodes: { y: { output_shapes: [[null, 1]] } }, outputs: ['y'] };
  const reg = { name: 'Tutorial regression', task: 'regression', input_shape: [3] };
  const iris = { name: 'Iris', task: 'classification', input_shape: [4], n_classes: 3, label_encoding: 'integer' };
  const circle = { name: 'Circle', task: 'classification', input_shape: [2], n_classes: 2, label_encoding: 'integer' };
  out.units = outputUnits(summary);
  out.match = [matchDataset(reg, mlp, summary).level, matchDataset(iris, mlp, summary).level, matchDataset(iris, mlp, summary).node,
               matchDataset(iris, mlp, summary).hint];
  const iris4 = { ...mlp, nodes: [{ id: 'x', type: 'Input', params: { shape: [4] } }, mlp.nodes[1]] };
  out.irisOutput = matchDataset(iris, iris4, summary).message;
  out.noInput = matchDataset(reg, { nodes: [], edges: [] }).level;

  out.losses = [cfg.defaultLoss(reg), cfg.defaultLoss(iris, 3), cfg.defaultLoss(circle, 1), cfg.defaultLoss(circle, 2),
                cfg.defaultLoss({ ...iris, label_encoding: 'onehot' })];
  out.metrics = [cfg.defaultMetrics(reg), cfg.defaultMetrics(iris)];
  const settings = { compile: cfg.compileDefaults(reg, 1, []), fit: { ...cfg.FIT_DEFAULTS, epochs: 5, batch_size: 4, early_stopping: true } };
  out.request = cfg.runRequest({ source: { project_id: 'p1' }, dataset: { id: 'tutorial_regression', params: { samples: 150 } }, ...settings });
  out.back = cfg.settingsFromRequest(out.request).fit;
  out.noProblems = cfg.checkSettings(settings, { maxEpochs: 100 });
  out.problems = cfg.checkSettings({ compile: { ...settings.compile, optimizer: { type: 'adam', learning_rate: 0 } },
                                     fit: { ...settings.fit, epochs: 1.5, batch_size: 0, validation_split: 0.7, seed: -1 } }, {}).map((p) => p.field);
  out.tooMany = cfg.checkSettings({ ...settings, fit: { ...settings.fit, epochs: 101 } }, { maxEpochs: 100 }).map((p) => p.field);

  const fig = chartFigure(s.groups(), 3);
  out.figure = [fig.data.length, fig.data.map((t) => [t.name, t.xaxis, t.yaxis, t.x.length]), fig.layout.xaxis.range,
                fig.layout.yaxis.domain[1], fig.layout.yaxis2.domain[0] >= 0];
  return out;
}"""


def test_run_state_data_match_run_config(page):
    page.goto("/")
    out = page.evaluate(SCRIPT)
    assert out["queued"].startswith("Queued: position 2")
    assert out["halfway"][0] == pytest.approx(0.5 / 3)
    assert out["halfway"][1] == "Training: epoch 1 of 3, batch 2 of 4"
    assert out["duplicate"] is False  # a resumed stream's repeat is ignored
    assert out["groups"] == [
        ["loss", [["loss", "training", [1, 2], [2, None]], ["val_loss", "validation", [1, 2], [3, 2.5]]]],
        ["mean_absolute_error", [["mean_absolute_error", "training", [1], [1]],
                                 ["val_mean_absolute_error", "validation", [1], [1.5]]]],
    ]
    assert out["done"] == ["completed", True, 1, 3, False, True]
    assert out["rows"][:2] == ["loss", "val_loss"] and out["rows"].index("test_loss") < out["rows"].index("fit_seconds")
    assert out["failed"] == ["failed", "loss became NaN at epoch 1", "Failed"]

    assert out["adapt"] == [[3], [5, 3], [64], [8, 8], None, None]
    assert out["units"] == 1
    assert out["match"][:3] == ["ok", "error", "x"] and "[4]" in out["match"][3]
    assert "3 classes" in out["irisOutput"]
    assert out["noInput"] == "error"

    assert out["losses"] == ["mean_squared_error", "sparse_categorical_crossentropy", "binary_crossentropy",
                             "sparse_categorical_crossentropy", "categorical_crossentropy"]
    assert out["metrics"] == [["mean_absolute_error"], ["accuracy"]]
    assert out["request"] == {
        "project_id": "p1",
        "dataset": {"id": "tutorial_regression", "params": {"samples": 150}},
        "compile": {"loss": "mean_squared_error", "optimizer": {"type": "adam", "learning_rate": 0.001},
                    "metrics": ["mean_absolute_error"]},
        "fit": {"epochs": 5, "batch_size": 4, "validation_split": 0.2, "shuffle": True, "seed": 0,
                "early_stopping": {"monitor": "val_loss", "patience": 10}},
    }
    assert out["back"]["epochs"] == 5 and out["back"]["early_stopping"] is True and out["back"]["patience"] == 10
    assert out["noProblems"] == []
    assert out["problems"] == ["compile.optimizer.learning_rate", "fit.epochs", "fit.batch_size",
                               "fit.validation_split", "fit.seed"]
    assert out["tooMany"] == ["fit.epochs"]

    count, traces, xrange, top, bottom_ok = out["figure"]
    assert count == 4
    assert traces[0] == ["training", "x", "y", 3] and traces[2][1:3] == ["x2", "y2"]
    assert xrange == [0.5, 3.5] and top == 1 and bottom_ok
