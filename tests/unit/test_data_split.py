"""split_dataset: sizes, determinism, stratification and its fallback."""

from __future__ import annotations

import numpy as np
import pytest

from app.data.arrays import DatasetArrays
from app.data.registry import load_dataset, split_dataset
from app.errors import Invalid


def labelled(labels, encoding="integer") -> DatasetArrays:
    labels = np.asarray(labels, dtype=np.int64)
    k = int(labels.max()) + 1
    y = np.eye(k, dtype=np.float32)[labels] if encoding == "onehot" else labels
    return DatasetArrays(x=np.arange(len(labels), dtype=np.float32).reshape(-1, 1), y=y, task="classification",
                         n_classes=k, label_encoding=encoding, feature_names=["i"],
                         class_names=[str(c) for c in range(k)], name="toy")


def test_sizes_cover_every_row_once(tmp_path):
    data = load_dataset("tutorial_regression", {"samples": 150}, tmp_path)
    train, val, test = split_dataset(data, validation=0.2, test=0.1, seed=0)
    assert (len(train), len(val), len(test)) == (105, 30, 15)
    rows = np.concatenate([train.x[:, 0], val.x[:, 0], test.x[:, 0]])
    assert sorted(rows.tolist()) == sorted(data.x[:, 0].tolist())
    assert train.task == "regression" and train.feature_names == data.feature_names


def test_same_seed_same_split_other_seed_other_split(tmp_path):
    data = load_dataset("circle", {"samples": 200}, tmp_path)
    a = split_dataset(data, validation=0.25, test=0.25, seed=3)
    b = split_dataset(data, validation=0.25, test=0.25, seed=3)
    c = split_dataset(data, validation=0.25, test=0.25, seed=4)
    for part_a, part_b in zip(a, b):
        np.testing.assert_array_equal(part_a.x, part_b.x)
        np.testing.assert_array_equal(part_a.y, part_b.y)
    assert not np.array_equal(a[2].x, c[2].x)


def test_classification_is_stratified():
    data = labelled([0] * 80 + [1] * 20)
    train, val, test = split_dataset(data, validation=0.2, test=0.2, seed=1)
    assert np.bincount(train.y).tolist() == [48, 12]
    assert np.bincount(val.y).tolist() == [16, 4] and np.bincount(test.y).tolist() == [16, 4]


def test_onehot_targets_are_stratified_on_their_class():
    train, val, test = split_dataset(labelled([0] * 30 + [1] * 10, "onehot"), validation=0.25, test=0.25, seed=0)
    assert train.y.shape == (20, 2) and train.y.sum(axis=0).tolist() == [15, 5]
    assert sorted([val.y.sum(axis=0).tolist(), test.y.sum(axis=0).tolist()]) == [[7, 3], [8, 2]]
    assert train.label_encoding == "onehot"


def test_a_class_too_small_to_stratify_falls_back_to_a_plain_shuffle():
    data = labelled([0] * 20 + [1])
    train, val, test = split_dataset(data, validation=0.2, test=0.2, seed=0)
    assert len(train) + len(val) + len(test) == 21


def test_zero_validation_gives_an_empty_part_with_the_right_shape(tmp_path):
    data = load_dataset("digits", {}, tmp_path)
    train, val, test = split_dataset(data, validation=0, test=0.1, seed=0)
    assert val.x.shape == (0, 8, 8, 1) and val.y.shape == (0,)
    assert len(test) == 180 and len(train) == 1797 - 180
    train, val, test = split_dataset(data, validation=0, test=0, seed=0)
    assert len(train) == 1797 and len(test) == 0
    assert not np.array_equal(train.y, data.y)  # still shuffled


def test_tiny_fractions_still_take_a_row():
    train, val, test = split_dataset(labelled([0, 1] * 5), validation=0.01, test=0.01, seed=0)
    assert (len(train), len(val), len(test)) == (8, 1, 1)


@pytest.mark.parametrize(("validation", "test", "field"), [
    (-0.1, 0.1, "validation"), (0.1, 1.0, "test"), (0.6, 0.5, "validation"), ("0.2", 0.1, "validation"),
])
def test_bad_fractions(validation, test, field):
    with pytest.raises(Invalid) as info:
        split_dataset(labelled([0, 1] * 5), validation=validation, test=test, seed=0)
    assert info.value.field == field


def test_too_few_rows_for_the_split():
    with pytest.raises(Invalid, match="too few"):
        split_dataset(labelled([0, 1]), validation=0.4, test=0.4, seed=0)
