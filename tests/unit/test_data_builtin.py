"""Built-in generators: shapes, labels, determinism, the tutorial formula, Playground geometry."""

from __future__ import annotations

import numpy as np
import pytest

from app.data import builtin
from app.data.registry import BUILTIN_IDS, describe_builtin, load_dataset
from app.errors import Invalid, NotFound

EXPECTED = {
    "tutorial_regression": ((150, 3), "regression", None),
    "sine": ((200, 1), "regression", None),
    "circle": ((500, 2), "classification", 2),
    "xor": ((500, 2), "classification", 2),
    "gaussian": ((500, 2), "classification", 2),
    "spiral": ((500, 2), "classification", 2),
    "iris": ((150, 4), "classification", 3),
    "wine": ((178, 13), "classification", 3),
    "breast_cancer": ((569, 30), "classification", 2),
    "diabetes": ((442, 10), "regression", None),
    "digits": ((1797, 8, 8, 1), "classification", 10),
}
GENERATED = ("tutorial_regression", "sine", "circle", "xor", "gaussian", "spiral")


def test_every_design_id_is_builtin():
    assert set(BUILTIN_IDS) == set(EXPECTED)


@pytest.mark.parametrize("dataset_id", sorted(EXPECTED))
def test_defaults_have_the_declared_shapes_and_dtypes(dataset_id, tmp_path):
    shape, task, n_classes = EXPECTED[dataset_id]
    data = load_dataset(dataset_id, {}, tmp_path)
    assert data.x.shape == shape and data.x.dtype == np.float32
    assert data.task == task and data.n_classes == n_classes
    assert np.isfinite(data.x).all()
    described = describe_builtin(dataset_id)
    assert tuple(described["input_shape"]) == shape[1:] and described["n_rows"] == shape[0]
    if task == "classification":
        assert data.y.dtype == np.int64 and data.y.shape == (shape[0],)
        assert data.label_encoding == "integer"
        assert set(np.unique(data.y)) == set(range(n_classes))
        assert len(data.class_names) == n_classes
    else:
        assert data.y.dtype == np.float32 and data.label_encoding is None and data.class_names is None
    if data.x.ndim == 2:
        assert len(data.feature_names) == shape[1]


@pytest.mark.parametrize("dataset_id", GENERATED)
def test_generators_are_deterministic_per_seed(dataset_id, tmp_path):
    noise = 0.2 if dataset_id != "tutorial_regression" else 1.0
    a = load_dataset(dataset_id, {"samples": 101, "noise": noise, "seed": 7}, tmp_path)
    b = load_dataset(dataset_id, {"samples": 101, "noise": noise, "seed": 7}, tmp_path)
    c = load_dataset(dataset_id, {"samples": 101, "noise": noise, "seed": 8}, tmp_path)
    assert len(a) == 101
    np.testing.assert_array_equal(a.x, b.x)
    np.testing.assert_array_equal(a.y, b.y)
    assert not np.array_equal(a.x, c.x)


def test_tutorial_target_is_the_formula_and_noise_stays_in_the_tutorial_ranges(tmp_path):
    data = load_dataset("tutorial_regression", {"samples": 150, "seed": 0}, tmp_path)
    a, b, c = data.x[:, 0].astype(np.float64), data.x[:, 1].astype(np.float64), data.x[:, 2].astype(np.float64)
    np.testing.assert_allclose(data.y, (a + b + c / 2) / 3, rtol=0, atol=1e-5)
    i = np.arange(150)
    for column, drift, low, high in ((a, i / 10, -4, 3), (b, i / 30, -4, 4), (c, i / 40 - 5, -3, 3)):
        offset = column - drift
        assert offset.min() >= low - 1e-5 and offset.max() <= high + 1e-5
        assert offset.max() - offset.min() > (high - low) * 0.8  # really noisy, not a constant
    assert data.feature_names == ["a", "b", "c"]


def test_tutorial_without_noise_is_the_pure_drift(tmp_path):
    data = load_dataset("tutorial_regression", {"samples": 20, "noise": 0, "seed": 3}, tmp_path)
    i = np.arange(20)
    np.testing.assert_allclose(data.x[:, 0], i / 10, atol=1e-6)
    np.testing.assert_allclose(data.y, (i / 10 + i / 30 + (i / 40 - 5) / 2) / 3, atol=1e-5)


def test_sine_follows_the_curve(tmp_path):
    clean = load_dataset("sine", {"noise": 0, "samples": 300}, tmp_path)
    np.testing.assert_allclose(clean.y, np.sin(clean.x[:, 0]), atol=1e-6)
    noisy = load_dataset("sine", {"noise": 0.3, "samples": 3000}, tmp_path)
    assert 0.25 < float(np.std(noisy.y - np.sin(noisy.x[:, 0]))) < 0.35


def test_playground_labels_follow_the_geometry_without_noise(tmp_path):
    circle = load_dataset("circle", {"samples": 400}, tmp_path)
    radius = np.hypot(circle.x[:, 0], circle.x[:, 1])
    np.testing.assert_array_equal(circle.y, (radius < 2.5).astype(np.int64))
    assert radius.max() <= 5 + 1e-5 and not ((radius > 2.5 + 1e-5) & (radius < 3.5 - 1e-5)).any()

    xor = load_dataset("xor", {"samples": 400}, tmp_path)
    np.testing.assert_array_equal(xor.y, (xor.x[:, 0] * xor.x[:, 1] >= 0).astype(np.int64))
    assert np.abs(xor.x).min() >= 0.3 - 1e-6

    gauss = load_dataset("gaussian", {"samples": 2000}, tmp_path)
    np.testing.assert_allclose(gauss.x[gauss.y == 1].mean(axis=0), [2, 2], atol=0.15)
    np.testing.assert_allclose(gauss.x[gauss.y == 0].mean(axis=0), [-2, -2], atol=0.15)
    assert 0.6 < gauss.x[gauss.y == 1].std() < 0.8  # variance 0.5 at noise 0, as in Playground

    spiral = load_dataset("spiral", {"samples": 400}, tmp_path)
    assert np.bincount(spiral.y).tolist() == [200, 200]
    assert np.hypot(spiral.x[:, 0], spiral.x[:, 1]).max() < 5


@pytest.mark.parametrize("dataset_id", ("circle", "xor", "gaussian", "spiral"))
def test_two_class_sets_are_shuffled_and_balanced_enough(dataset_id, tmp_path):
    data = load_dataset(dataset_id, {"samples": 501, "noise": 0.1}, tmp_path)
    assert len(data) == 501
    tail = data.y[-100:]
    assert 0 < tail.sum() < 100  # a Keras validation_split tail holds both classes


def test_noise_flips_some_circle_labels(tmp_path):
    data = load_dataset("circle", {"samples": 1000, "noise": 0.5, "seed": 1}, tmp_path)
    geometric = (np.hypot(data.x[:, 0], data.x[:, 1]) < 2.5).astype(np.int64)
    assert (geometric != data.y).mean() > 0.05


def test_sklearn_sets_standardize_by_default_and_on_request(tmp_path):
    wine = load_dataset("wine", {}, tmp_path)
    np.testing.assert_allclose(wine.x.mean(axis=0), 0, atol=1e-5)
    np.testing.assert_allclose(wine.x.std(axis=0), 1, atol=1e-4)
    raw = load_dataset("wine", {"standardize": False}, tmp_path)
    assert raw.x.max() > 100  # proline is in the hundreds


def test_digits_are_scaled_images(tmp_path):
    digits = load_dataset("digits", {}, tmp_path)
    assert digits.x.min() == 0 and digits.x.max() == 1
    assert digits.class_names == [str(d) for d in range(10)] and digits.feature_names == []


@pytest.mark.parametrize(("params", "field"), [
    ({"samples": 5}, "dataset.params.samples"),
    ({"samples": 10**9}, "dataset.params.samples"),
    ({"samples": 12.5}, "dataset.params.samples"),
    ({"samples": "100"}, "dataset.params.samples"),
    ({"samples": True}, "dataset.params.samples"),
    ({"noise": -0.1}, "dataset.params.noise"),
    ({"noise": 0.9}, "dataset.params.noise"),
    ({"noise": float("nan")}, "dataset.params.noise"),
    ({"seed": -1}, "dataset.params.seed"),
    ({"sampels": 100}, "dataset.params.sampels"),
])
def test_bad_params_name_the_param(params, field, tmp_path):
    with pytest.raises(Invalid) as info:
        load_dataset("circle", params, tmp_path)
    assert info.value.field == field and "Received" in info.value.message


def test_samples_bound_comes_from_the_caller(tmp_path):
    with pytest.raises(Invalid):
        load_dataset("sine", {"samples": 600}, tmp_path, max_samples=500)
    assert len(load_dataset("sine", {"samples": 500}, tmp_path, max_samples=500)) == 500
    assert describe_builtin("sine", max_samples=500)["params"][0]["maximum"] == 500


def test_integral_float_samples_are_accepted(tmp_path):
    assert len(load_dataset("xor", {"samples": 40.0}, tmp_path)) == 40


def test_fixed_sets_reject_generator_params(tmp_path):
    with pytest.raises(Invalid) as info:
        load_dataset("iris", {"samples": 10}, tmp_path)
    assert info.value.field == "dataset.params.samples"


@pytest.mark.parametrize("dataset_id", ["nope", "../../etc/passwd", "0" * 32, "", "IRIS"])
def test_unknown_ids_are_not_found(dataset_id, tmp_path):
    with pytest.raises(NotFound) as info:
        load_dataset(dataset_id, {}, tmp_path)
    assert info.value.field == "dataset.id"


def test_params_schema_has_defaults_and_bounds():
    params = {p["name"]: p for p in describe_builtin("tutorial_regression")["params"]}
    assert params["samples"]["default"] == 150 and params["samples"]["minimum"] == 10
    assert params["noise"]["type"] == "number" and params["seed"]["type"] == "integer"
    assert builtin.BUILTINS["spiral"].params[1].maximum == 0.5
