"""Run requests, their bounds, and the compile catalog introspected from Keras."""

from __future__ import annotations

import keras
import pytest
from pydantic import ValidationError

from app.errors import Invalid
from app.settings import Settings
from app.training import catalogs
from app.training.spec import CompileSpec, RunCreate, TUTORIAL_GRAPH, check_bounds

BODY = {"graph": TUTORIAL_GRAPH, "dataset": {"id": "tutorial_regression", "params": {"samples": 150}},
        "compile": {"loss": "mean_squared_error", "optimizer": {"type": "adam", "learning_rate": 0.001,
                                                                "beta_1": 0.8}, "metrics": ["mean_absolute_error"]},
        "fit": {"epochs": 100, "batch_size": 3, "validation_split": 0.2, "shuffle": True, "seed": 0,
                "early_stopping": {"monitor": "val_loss", "patience": 3}}}


def test_round_trip():
    body = RunCreate.model_validate(BODY)
    assert RunCreate.from_dict(body.to_dict()) == body
    assert body.compile.optimizer.arguments() == {"learning_rate": 0.001, "beta_1": 0.8}


def test_graph_or_project_exactly_one():
    with pytest.raises(ValidationError, match="exactly one"):
        RunCreate.model_validate({k: v for k, v in BODY.items() if k != "graph"})
    with pytest.raises(ValidationError, match="exactly one"):
        RunCreate.model_validate(BODY | {"project_id": "abc"})


@pytest.mark.parametrize("fit, dataset, field", [
    ({"epochs": 10_001}, {}, "fit.epochs"),
    ({"batch_size": 70_000}, {}, "fit.batch_size"),
    ({"validation_split": 0.5}, {"test_split": 0.4}, "fit.validation_split"),
])
def test_bounds_from_settings(fit, dataset, field):
    body = RunCreate.model_validate(BODY | {"fit": BODY["fit"] | fit, "dataset": BODY["dataset"] | dataset})
    with pytest.raises(Invalid) as info:
        check_bounds(body, Settings(max_epochs=10_000, max_batch_size=65_536))
    assert info.value.field == field and "Received" in info.value.message


def test_static_bounds():
    for fit in ({"epochs": 0}, {"batch_size": 0}, {"validation_split": 0.9}, {"seed": -1}):
        with pytest.raises(ValidationError):
            RunCreate.model_validate(BODY | {"fit": BODY["fit"] | fit})


@pytest.fixture(scope="module")
def catalog():
    return catalogs.compile_catalog()


def test_catalog_comes_from_keras(catalog):
    known = catalogs.index(catalog)
    assert {"mean_squared_error", "sparse_categorical_crossentropy", "binary_crossentropy"} <= set(known["losses"])
    assert known["losses"]["sparse_categorical_crossentropy"]["labels"] == "sparse"
    assert known["losses"]["categorical_crossentropy"]["activation"] == "softmax"
    assert "ctc" not in known["losses"]
    adam = {p["name"]: p for p in known["optimizers"]["adam"]["params"]}
    assert adam["learning_rate"]["default"] == 0.001 and adam["beta_1"]["default"] == 0.9
    assert known["optimizers"]["sgd"]["class"] == "SGD"
    assert "accuracy" in known["metrics"] and "mean_absolute_error" in known["metrics"]


@pytest.mark.parametrize("compile_body, field", [
    ({"loss": "nope"}, "compile.loss"),
    ({"optimizer": {"type": "nadamax"}}, "compile.optimizer.type"),
    ({"optimizer": {"type": "sgd", "momentum": -1}}, "compile.optimizer.momentum"),
    ({"optimizer": {"type": "sgd", "beta_1": 0.9}}, "compile.optimizer.beta_1"),
    ({"optimizer": {"type": "adam", "amsgrad": "yes"}}, "compile.optimizer.amsgrad"),
    ({"metrics": ["accuracy", "bogus"]}, "compile.metrics[1]"),
    ({"loss": "mean_squared_error", "from_logits": True}, "compile.from_logits"),
])
def test_check_compile_names_the_field(catalog, compile_body, field):
    with pytest.raises(Invalid) as info:
        catalogs.check_compile(CompileSpec.model_validate(compile_body), catalog)
    assert info.value.field == field


def test_objects_are_built_by_class_lookup(catalog):
    optimizer = catalogs.make_optimizer("RMSprop", {"learning_rate": 0.01, "momentum": 0.5})
    assert isinstance(optimizer, keras.optimizers.RMSprop) and optimizer.momentum == 0.5
    loss = catalogs.make_loss("sparse_categorical_crossentropy", from_logits=True)
    assert isinstance(loss, keras.losses.SparseCategoricalCrossentropy) and loss.from_logits
    metrics = catalogs.make_metrics(["accuracy", "mean_absolute_error"])
    assert metrics[0] == "accuracy" and isinstance(metrics[1], keras.metrics.MeanAbsoluteError)
