"""The introspected layer catalog, checked against the installed Keras."""

from __future__ import annotations

import json

import keras
import pytest

from app.graph.catalog import AXIS, CHOICE, FLOAT, INT, INT_LIST, INT_TUPLE, SHAPE, LayerSpec, check_param
from app.keras_bridge.catalog import EXCLUDED, build_catalog, excluded_types

MERGE = ["Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Concatenate", "Dot"]
APPLICATIONS = [
    ("ResNet50", (32, 32, 3)),
    ("MobileNetV2", (32, 32, 3)),
    ("DenseNet121", (32, 32, 3)),
    ("InceptionV3", (75, 75, 3)),
    ("EfficientNetB0", (32, 32, 3)),
]


@pytest.fixture(scope="module")
def catalog():
    return build_catalog()


@pytest.fixture(scope="module")
def application_types():
    """Layer class names used by the reference architectures (no weights allocated)."""
    names = set()
    with keras.StatelessScope(initialize_variables=False):
        for app_name, shape in APPLICATIONS:
            model = getattr(keras.applications, app_name)(weights=None, input_shape=shape)
            names |= {type(layer).__name__ for layer in model.layers}
    return names


def symbolic(shape, dtype="float32"):
    return keras.KerasTensor((None, *shape), dtype=dtype)


def test_catalog_is_cached_and_large(catalog):
    assert build_catalog() is catalog
    assert len(catalog) >= 80


def test_excluded_types_absent(catalog):
    for name in [*EXCLUDED, "Lambda", "TFSMLayer", "JaxLayer", "FlaxLayer", "TorchModuleWrapper",
                 "InputLayer", "Layer", "Wrapper", "RNN", "LSTMCell", "GRUCell", "SimpleRNNCell",
                 "StackedRNNCells", "Bidirectional", "TimeDistributed"]:
        assert name not in catalog, name
    assert set(excluded_types()).isdisjoint(spec.type for spec in catalog)
    # Aliases appear once, under the class's own name.
    assert "MaxPooling2D" in catalog and "MaxPool2D" not in catalog
    assert "Conv2D" in catalog and "Convolution2D" not in catalog


def test_no_object_or_path_parameters(catalog):
    forbidden = {"layer", "layers", "cell", "function", "filepath", "vocabulary", "weights",
                 "name", "dtype", "trainable", "autocast", "kwargs", "module", "quantization_config"}
    for spec in catalog:
        assert not forbidden & {p.name for p in spec.params}, spec.type


def test_application_layers_present(catalog, application_types):
    assert "InputLayer" in application_types and "Rescaling" in application_types
    wanted = {"Input" if name == "InputLayer" else name for name in application_types}
    missing = sorted(name for name in wanted if name not in catalog)
    assert not missing


def test_defaults_and_examples_pass_check_param(catalog):
    for spec in catalog:
        for param in spec.params:
            assert check_param(param, param.default) is None, (spec.type, param.name, param.default)
            if param.kind == CHOICE and isinstance(param.default, str):
                assert param.default in param.choices, (spec.type, param.name)
        for name, value in spec.example.items():
            param = spec.param(name)
            assert param is not None, (spec.type, name)
            assert check_param(param, value) is None, (spec.type, name, value)
        for param in spec.params:
            if param.required:
                assert param.name in spec.example, (spec.type, param.name)


def test_json_round_trip(catalog):
    text = json.dumps(catalog.to_list())
    for data in json.loads(text):
        assert LayerSpec.from_dict(data) == catalog.get(data["type"])


def test_categories(catalog):
    expected = {"Dense": "core", "Conv2D": "convolution", "MaxPooling2D": "pooling",
                "LSTM": "recurrent", "MultiHeadAttention": "attention",
                "BatchNormalization": "normalization", "Dropout": "regularization",
                "Reshape": "reshaping", "Add": "merging", "ReLU": "activation",
                "Embedding": "embedding", "Rescaling": "preprocessing", "Input": "core"}
    for name, category in expected.items():
        assert catalog.get(name).category == category, name
    for spec in catalog:
        assert spec.doc and len(spec.doc) <= 300 and "\n" not in spec.doc, spec.type


def test_arity(catalog):
    for name in MERGE:
        spec = catalog.get(name)
        assert (spec.call, spec.min_inputs) == ("list", 2), name
        assert spec.max_inputs == (2 if name in ("Subtract", "Dot") else None), name
    for name in ("Attention", "AdditiveAttention"):
        spec = catalog.get(name)
        assert (spec.call, spec.min_inputs, spec.max_inputs) == ("list", 2, 3)
        assert spec.input_names == ["query", "value", "key"]
    spec = catalog.get("MultiHeadAttention")
    assert (spec.call, spec.min_inputs, spec.max_inputs) == ("positional", 2, 3)
    assert spec.input_names == ["query", "value", "key"]
    inp = catalog.get("Input")
    assert (inp.min_inputs, inp.max_inputs) == (0, 0)
    for name in ("Dense", "Conv2D", "LSTM", "Flatten", "Dropout", "BatchNormalization"):
        spec = catalog.get(name)
        assert (spec.call, spec.min_inputs, spec.max_inputs) == ("single", 1, 1), name


def test_spot_checks(catalog):
    dense = catalog.get("Dense")
    units = dense.param("units")
    assert (units.kind, units.required, units.min) == (INT, True, 1)
    activation = dense.param("activation")
    assert activation.kind == CHOICE and "relu" in activation.choices and activation.nullable
    assert "threshold" not in activation.choices  # needs extra arguments
    assert dense.example == {"units": 32}
    assert set(dense.param("kernel_regularizer").choices) >= {"l1", "l2"}
    assert dense.param("kernel_regularizer").nullable
    assert "max_norm" in dense.param("kernel_constraint").choices

    conv = catalog.get("Conv2D")
    kernel = conv.param("kernel_size")
    assert (kernel.kind, kernel.length, kernel.min) == (INT_TUPLE, 2, 1)
    assert conv.param("strides").default == [1, 1]
    assert {"valid", "same"} <= set(conv.param("padding").choices)
    assert "causal" not in conv.param("padding").choices
    assert "causal" in catalog.get("Conv1D").param("padding").choices
    assert catalog.get("Conv1D").param("kernel_size").length == 1
    assert catalog.get("Conv3D").param("kernel_size").length == 3
    assert conv.param("data_format").choices == ["channels_last", "channels_first"]

    rate = catalog.get("Dropout").param("rate")
    assert (rate.kind, rate.min, rate.max, rate.required) == (FLOAT, 0, 1, True)
    epsilon = catalog.get("BatchNormalization").param("epsilon")
    assert 0 < epsilon.min < 1e-6 and check_param(epsilon, 0.0) is not None
    momentum = catalog.get("BatchNormalization").param("momentum")
    assert (momentum.min, momentum.max) == (0, 1)
    assert catalog.get("MultiHeadAttention").param("num_heads").min == 1
    assert catalog.get("Concatenate").param("axis").kind == AXIS
    assert catalog.get("Permute").param("dims").kind == INT_LIST
    assert catalog.get("Reshape").param("target_shape").kind == INT_LIST  # allows -1
    assert "units" in dense.param("units").doc or "dimensionality" in dense.param("units").doc

    inp = catalog.get("Input")
    assert inp.param("shape").kind == SHAPE and inp.param("shape").required
    assert inp.param("batch_size").nullable
    assert catalog.get("Embedding").example == {"input_dim": 1000, "output_dim": 64}
    assert catalog.get("MultiHeadAttention").example == {"num_heads": 2, "key_dim": 16}


def test_check_param_rejects_bad_values(catalog):
    dense = catalog.get("Dense")
    assert check_param(dense.param("units"), 0)
    assert check_param(dense.param("activation"), "os.system")
    assert check_param(catalog.get("Conv2D").param("kernel_size"), [3, 3, 3])
    assert check_param(catalog.get("Dropout").param("rate"), 1.5)


# type, input shapes, the same layer built by hand
CURATED = [
    ("Dense", [(8,)], lambda: keras.layers.Dense(32)),
    ("Conv1D", [(10, 4)], lambda: keras.layers.Conv1D(32, 3)),
    ("Conv2D", [(16, 16, 3)], lambda: keras.layers.Conv2D(32, 3)),
    ("Conv2DTranspose", [(8, 8, 3)], lambda: keras.layers.Conv2DTranspose(32, 3)),
    ("SeparableConv2D", [(16, 16, 3)], lambda: keras.layers.SeparableConv2D(32, 3)),
    ("DepthwiseConv2D", [(16, 16, 3)], lambda: keras.layers.DepthwiseConv2D(3)),
    ("Conv3D", [(8, 8, 8, 2)], lambda: keras.layers.Conv3D(32, 3)),
    ("MaxPooling2D", [(16, 16, 3)], lambda: keras.layers.MaxPooling2D()),
    ("AveragePooling2D", [(16, 16, 3)], lambda: keras.layers.AveragePooling2D(2)),
    ("GlobalAveragePooling2D", [(16, 16, 3)], lambda: keras.layers.GlobalAveragePooling2D()),
    ("LSTM", [(10, 4)], lambda: keras.layers.LSTM(32)),
    ("GRU", [(10, 4)], lambda: keras.layers.GRU(32)),
    ("SimpleRNN", [(10, 4)], lambda: keras.layers.SimpleRNN(32)),
    ("Embedding", [(10,)], lambda: keras.layers.Embedding(1000, 64)),
    ("BatchNormalization", [(8,)], lambda: keras.layers.BatchNormalization()),
    ("LayerNormalization", [(10, 8)], lambda: keras.layers.LayerNormalization()),
    ("Dropout", [(8,)], lambda: keras.layers.Dropout(0.5)),
    ("Flatten", [(4, 4, 3)], lambda: keras.layers.Flatten()),
    ("Reshape", [(8,)], lambda: keras.layers.Reshape((-1, 1))),
    ("Add", [(8,), (8,)], lambda: keras.layers.Add()),
    ("Concatenate", [(8,), (4,)], lambda: keras.layers.Concatenate()),
    ("Dot", [(8,), (8,)], lambda: keras.layers.Dot(axes=-1)),
    ("Attention", [(5, 8), (6, 8)], lambda: keras.layers.Attention()),
    ("MultiHeadAttention", [(5, 8), (6, 8)], lambda: keras.layers.MultiHeadAttention(2, 16)),
    ("Activation", [(8,)], lambda: keras.layers.Activation("relu")),
    ("Rescaling", [(16, 16, 3)], lambda: keras.layers.Rescaling(1 / 255)),
    ("Normalization", [(16, 16, 3)], lambda: keras.layers.Normalization()),
    ("ZeroPadding2D", [(16, 16, 3)], lambda: keras.layers.ZeroPadding2D()),
    ("PReLU", [(8,)], lambda: keras.layers.PReLU()),
]


def call(spec: LayerSpec, layer, inputs):
    if spec.call == "list":
        return layer(list(inputs))
    if spec.call == "positional":
        return layer(*inputs)
    return layer(inputs[0])


@pytest.mark.parametrize("layer_type, shapes, direct", CURATED, ids=[c[0] for c in CURATED])
def test_curated_examples_match_keras(catalog, layer_type, shapes, direct):
    spec = catalog.get(layer_type)
    dtype = "int32" if layer_type == "Embedding" else "float32"
    with keras.StatelessScope(initialize_variables=False):
        ours = getattr(keras.layers, layer_type)(**spec.example)
        theirs = direct()
        out_ours = call(spec, ours, [symbolic(s, dtype) for s in shapes])
        out_theirs = call(spec, theirs, [symbolic(s, dtype) for s in shapes])
    assert out_ours.shape == out_theirs.shape
    assert ours.count_params() == theirs.count_params()


def guess_inputs(spec: LayerSpec) -> list:
    """A plausible input for any catalog layer, from its name and category."""
    name = spec.type
    dims = next((int(d) for d in "123" if f"{d}D" in name), None)
    spatial = {1: (16, 4), 2: (16, 16, 3), 3: (8, 8, 8, 2)}
    if name.startswith("ConvLSTM"):
        shapes = [(3, *spatial[dims])]
    elif name in ("Embedding", "ReversibleEmbedding", "CategoryEncoding", "Hashing", "IntegerLookup"):
        return [symbolic((4,), "int32")]
    elif name in ("StringLookup", "TextVectorization"):
        return [symbolic((1,), "string")]
    elif name == "HashedCrossing":
        return [symbolic((1,), "int32"), symbolic((1,), "int32")]
    elif name in ("MelSpectrogram", "STFTSpectrogram"):
        shapes = [(4096,)] if name == "MelSpectrogram" else [(1024, 1)]
    elif name == "GroupNormalization":
        shapes = [(32,)]  # Keras's default groups=32 needs 32 channels
    elif spec.category in ("recurrent", "attention") or name in ("Permute", "Masking"):
        shapes = [(6, 8)] * max(spec.min_inputs, 1)
    elif spec.category == "image_preprocessing":
        shapes = [(16, 16, 3)]
    elif dims:
        shapes = [spatial[dims]]
    else:
        shapes = [(8,)] * max(spec.min_inputs, 1)
    return [symbolic(shape) for shape in shapes]


def test_every_layer_builds_from_json_defaults_and_example(catalog):
    """Each fresh node, with every default given as JSON (lists, not tuples), builds."""
    failures = []
    for spec in catalog:
        if spec.type == "Input":
            continue
        kwargs = {p.name: p.default for p in spec.params if p.default is not None}
        kwargs.update(spec.example)
        try:
            with keras.StatelessScope(initialize_variables=False):
                layer = getattr(keras.layers, spec.type)(**kwargs)
                call(spec, layer, guess_inputs(spec))
        except Exception as error:  # noqa: BLE001 - collect every failure
            failures.append(f"{spec.type}: {type(error).__name__}: {str(error)[:200]}")
    assert not failures, "\n".join(failures)


def test_shared_vocabularies_resolve_in_keras(catalog):
    """Activation, initializer, regularizer and constraint names are Keras's own."""
    getters = {"activation": keras.activations.get, "_initializer": keras.initializers.get,
               "_regularizer": keras.regularizers.get, "_constraint": keras.constraints.get}
    checked = set()
    for spec in catalog:
        for param in spec.params:
            suffix = next((s for s in getters if param.name.endswith(s)), None)
            if param.kind != CHOICE or suffix is None:
                continue
            for value in param.choices:
                if (suffix, value) not in checked:
                    assert getters[suffix](value) is not None, (spec.type, param.name, value)
                    checked.add((suffix, value))
    assert {("activation", "relu"), ("_regularizer", "l2"), ("_constraint", "max_norm")} <= checked


def test_every_other_choice_is_accepted_by_the_constructor(catalog):
    """Choices read from docstrings (and None where allowed) must be values Keras takes."""
    failures = []
    for spec in catalog:
        if spec.type == "Input":
            continue
        cls = getattr(keras.layers, spec.type)
        for param in spec.params:
            if param.kind != CHOICE and not (param.nullable and param.default is not None):
                continue
            if param.name.endswith(("activation", "_initializer", "_regularizer", "_constraint")):
                values = [None] if param.nullable else []
            else:
                values = list(param.choices or []) + ([None] if param.nullable else [])
            for value in values:
                try:
                    cls(**{**spec.example, param.name: value})
                except Exception as error:  # noqa: BLE001
                    failures.append(f"{spec.type}.{param.name}={value!r}: {str(error)[:120]}")
    assert not failures, "\n".join(failures)
