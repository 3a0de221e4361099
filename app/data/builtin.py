"""Built-in datasets: seeded generators and the sets that ship inside scikit-learn.

Nothing is downloaded at run time. The 2-D classification sets follow
TensorFlow Playground's ``dataset.ts`` (its ``noise`` runs 0..0.5, labels
-1/1 become 0/1); the tutorial set is the one the seed tutorial meant to build.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable

import numpy as np

from app.data.arrays import DatasetArrays
from app.data.params import ParamSpec

DEFAULT_MAX_SAMPLES = 100_000
SEED = ParamSpec("seed", "integer", 0, "Seed of the random generator: same seed, same data.", 0, 2**32 - 1)
STANDARDIZE = ParamSpec("standardize", "boolean", True,
                        "Rescale every feature to mean 0 and standard deviation 1.")


def _samples(default: int) -> ParamSpec:
    return ParamSpec("samples", "integer", default, "Number of examples to generate.", 10, DEFAULT_MAX_SAMPLES)


def _noise(default: float, maximum: float, description: str) -> ParamSpec:
    return ParamSpec("noise", "number", default, description, 0.0, maximum)


PLAYGROUND_PARAMS = (_samples(500), _noise(0.0, 0.5, "Playground noise level, 0 (clean) to 0.5 (very noisy)."), SEED)
BINARY_CLASSES = ["0", "1"]


@dataclass(frozen=True)
class BuiltinDataset:
    """What the dataset list shows, plus the function that makes the arrays."""

    id: str
    name: str
    task: str
    description: str
    params: tuple[ParamSpec, ...]
    input_shape: tuple[int, ...]
    n_classes: int | None
    n_rows: int
    make: Callable[[dict[str, Any]], DatasetArrays]


# --- generators -------------------------------------------------------------------------------

def tutorial_regression(samples: int, noise: float, seed: int) -> DatasetArrays:
    """The tutorial's CreateDataset, with the appends it forgot.

    Features drift with the sample index i (i/10, i/30, i/40 - 5) plus uniform
    noise; ``noise`` scales the tutorial's ranges (1 = the tutorial). The target
    is exactly (a + b + c/2) / 3 of the noisy features. Rows stay in index order
    because the tutorial plots them against the index.
    """
    rng = np.random.default_rng(seed)
    i = np.arange(samples, dtype=np.float64)
    a = i / 10 + noise * rng.uniform(-4, 3, samples)
    b = i / 30 + noise * rng.uniform(-4, 4, samples)
    c = i / 40 + noise * rng.uniform(-3, 3, samples) - 5
    y = (a + b + c / 2) / 3
    return DatasetArrays(x=np.column_stack([a, b, c]).astype(np.float32), y=y.astype(np.float32),
                         task="regression", n_classes=None, label_encoding=None,
                         feature_names=["a", "b", "c"], class_names=None, name="Tutorial regression")


def sine(samples: int, noise: float, seed: int) -> DatasetArrays:
    """y = sin(x) + N(0, noise^2) for x uniform in [-2pi, 2pi]: a 1-D curve to fit."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-2 * math.pi, 2 * math.pi, samples)
    y = np.sin(x) + noise * rng.standard_normal(samples)
    return DatasetArrays(x=x.reshape(-1, 1).astype(np.float32), y=y.astype(np.float32), task="regression",
                         n_classes=None, label_encoding=None, feature_names=["x"], class_names=None, name="Sine")


def _two_class(points: np.ndarray, positive: np.ndarray, rng: np.random.Generator, name: str) -> DatasetArrays:
    """Shuffle (as Playground does) so no slice of the set holds a single class."""
    order = rng.permutation(len(points))
    return DatasetArrays(x=points[order].astype(np.float32), y=positive[order].astype(np.int64),
                         task="classification", n_classes=2, label_encoding="integer",
                         feature_names=["x1", "x2"], class_names=list(BINARY_CLASSES), name=name)


def circle(samples: int, noise: float, seed: int) -> DatasetArrays:
    """Playground's classifyCircleData: a disc of 1s inside a ring of 0s, radius 5."""
    rng = np.random.default_rng(seed)
    radius = 5.0
    halves = []
    for n, (low, high) in (((samples + 1) // 2, (0, radius * 0.5)), (samples // 2, (radius * 0.7, radius))):
        r = rng.uniform(low, high, n)
        angle = rng.uniform(0, 2 * math.pi, n)
        halves.append(np.column_stack([r * np.sin(angle), r * np.cos(angle)]))
    points = np.concatenate(halves)
    noisy = points + rng.uniform(-radius, radius, points.shape) * noise
    positive = np.hypot(noisy[:, 0], noisy[:, 1]) < radius * 0.5
    return _two_class(points, positive, rng, "Circle")


def xor(samples: int, noise: float, seed: int) -> DatasetArrays:
    """Playground's classifyXORData: 1 where x1 and x2 share a sign, quadrants padded by 0.3."""
    rng = np.random.default_rng(seed)
    points = rng.uniform(-5, 5, (samples, 2))
    points += np.where(points > 0, 0.3, -0.3)
    noisy = points + rng.uniform(-5, 5, points.shape) * noise
    positive = noisy[:, 0] * noisy[:, 1] >= 0
    return _two_class(points, positive, rng, "XOR")


def gaussian(samples: int, noise: float, seed: int) -> DatasetArrays:
    """Playground's classifyTwoGaussData: blobs at (2, 2) = 1 and (-2, -2) = 0.

    Noise 0..0.5 maps linearly to a variance of 0.5..4, as in Playground.
    """
    rng = np.random.default_rng(seed)
    std = math.sqrt(0.5 + noise / 0.5 * 3.5)
    n_pos, n_neg = (samples + 1) // 2, samples // 2
    points = np.concatenate([rng.normal(2, std, (n_pos, 2)), rng.normal(-2, std, (n_neg, 2))])
    positive = np.arange(samples) < n_pos
    return _two_class(points, positive, rng, "Gaussian")


def spiral(samples: int, noise: float, seed: int) -> DatasetArrays:
    """Playground's classifySpiralData: two interleaved arms, 1.75 turns each."""
    rng = np.random.default_rng(seed)
    arms = []
    for n, delta in (((samples + 1) // 2, 0.0), (samples // 2, math.pi)):
        i = np.arange(n, dtype=np.float64)
        r = i / n * 5
        t = 1.75 * i / n * 2 * math.pi + delta
        arm = np.column_stack([r * np.sin(t), r * np.cos(t)])
        arms.append(arm + rng.uniform(-1, 1, arm.shape) * noise)
    points = np.concatenate(arms)
    positive = np.arange(samples) < (samples + 1) // 2
    return _two_class(points, positive, rng, "Spiral")


# --- scikit-learn's bundled sets -------------------------------------------------------------

@lru_cache(maxsize=None)
def _sklearn_bunch(loader_name: str):
    """Read once per process: the CSVs ship inside scikit-learn, no network involved."""
    from sklearn import datasets

    return getattr(datasets, loader_name)()


def _standardize(x: np.ndarray) -> np.ndarray:
    std = x.std(axis=0)
    return (x - x.mean(axis=0)) / np.where(std > 0, std, 1.0)


def _tabular(loader_name: str, name: str, task: str) -> Callable[[dict[str, Any]], DatasetArrays]:
    def make(params: dict[str, Any]) -> DatasetArrays:
        bunch = _sklearn_bunch(loader_name)
        x = np.asarray(bunch.data, dtype=np.float64)
        if params["standardize"]:
            x = _standardize(x)
        features = [str(f) for f in bunch.feature_names]
        if task == "classification":
            classes = [str(c) for c in bunch.target_names]
            return DatasetArrays(x=x.astype(np.float32), y=np.asarray(bunch.target, dtype=np.int64),
                                 task=task, n_classes=len(classes), label_encoding="integer",
                                 feature_names=features, class_names=classes, name=name)
        return DatasetArrays(x=x.astype(np.float32), y=np.asarray(bunch.target, dtype=np.float32), task=task,
                             n_classes=None, label_encoding=None, feature_names=features, class_names=None,
                             name=name)
    return make


def _digits(_params: dict[str, Any]) -> DatasetArrays:
    bunch = _sklearn_bunch("load_digits")
    x = (np.asarray(bunch.images, dtype=np.float32) / 16.0)[..., np.newaxis]
    return DatasetArrays(x=x, y=np.asarray(bunch.target, dtype=np.int64), task="classification", n_classes=10,
                         label_encoding="integer", feature_names=[], class_names=[str(d) for d in range(10)],
                         name="Digits (8x8)")


def _generated(fn: Callable[..., DatasetArrays]) -> Callable[[dict[str, Any]], DatasetArrays]:
    return lambda params: fn(params["samples"], params["noise"], params["seed"])


BUILTINS: dict[str, BuiltinDataset] = {d.id: d for d in (
    BuiltinDataset("tutorial_regression", "Tutorial regression", "regression",
                   "The tutorial's synthetic set: three noisy features a, b, c drifting with the sample index; "
                   "target (a + b + c/2) / 3.",
                   (_samples(150), _noise(1.0, 5.0, "Scale of the tutorial's uniform noise (1 = as in the tutorial)."),
                    SEED), (3,), None, 150, _generated(tutorial_regression)),
    BuiltinDataset("sine", "Sine", "regression",
                   "One input x in [-2pi, 2pi], target sin(x) plus Gaussian noise: fit a curve.",
                   (_samples(200), _noise(0.1, 1.0, "Standard deviation of the noise added to sin(x)."), SEED),
                   (1,), None, 200, _generated(sine)),
    BuiltinDataset("circle", "Circle", "classification",
                   "TensorFlow Playground: class 1 inside a circle, class 0 in a ring around it.",
                   PLAYGROUND_PARAMS, (2,), 2, 500, _generated(circle)),
    BuiltinDataset("xor", "XOR", "classification",
                   "TensorFlow Playground: class 1 where both coordinates share a sign (exclusive or).",
                   PLAYGROUND_PARAMS, (2,), 2, 500, _generated(xor)),
    BuiltinDataset("gaussian", "Gaussian", "classification",
                   "TensorFlow Playground: two Gaussian blobs; noise widens them until they overlap.",
                   PLAYGROUND_PARAMS, (2,), 2, 500, _generated(gaussian)),
    BuiltinDataset("spiral", "Spiral", "classification",
                   "TensorFlow Playground: two interleaved spiral arms, the hard one.",
                   PLAYGROUND_PARAMS, (2,), 2, 500, _generated(spiral)),
    BuiltinDataset("iris", "Iris", "classification",
                   "Fisher's iris flowers: 4 measurements, 3 species (150 rows, from scikit-learn).",
                   (STANDARDIZE,), (4,), 3, 150, _tabular("load_iris", "Iris", "classification")),
    BuiltinDataset("wine", "Wine", "classification",
                   "Chemical analysis of wines from 3 cultivars: 13 features (178 rows, from scikit-learn).",
                   (STANDARDIZE,), (13,), 3, 178, _tabular("load_wine", "Wine", "classification")),
    BuiltinDataset("breast_cancer", "Breast cancer", "classification",
                   "Wisconsin diagnostic breast cancer: 30 features, malignant or benign (569 rows, "
                   "from scikit-learn).",
                   (STANDARDIZE,), (30,), 2, 569, _tabular("load_breast_cancer", "Breast cancer", "classification")),
    BuiltinDataset("diabetes", "Diabetes", "regression",
                   "Disease progression one year after baseline from 10 measurements (442 rows, "
                   "from scikit-learn).",
                   (STANDARDIZE,), (10,), None, 442, _tabular("load_diabetes", "Diabetes", "regression")),
    BuiltinDataset("digits", "Digits", "classification",
                   "Handwritten digits as 8x8 grey images in [0, 1], shape (8, 8, 1), 10 classes "
                   "(1,797 images, from scikit-learn): for convolutional networks.",
                   (), (8, 8, 1), 10, 1797, _digits),
)}
