"""The layer catalog, introspected from the installed Keras.

Every public class in ``keras.layers`` becomes a ``LayerSpec``: its constructor
signature gives the parameters and Keras's defaults, its docstring the help
texts and the options of string parameters, its module path
(``keras.src.layers.<package>``) the category. Typed by hand is only what
Keras cannot tell: how many inputs a layer takes, the values a fresh node
starts with, the layers left out, and (in ``catalog_params``) the kinds of a
few parameter names Keras uses everywhere.

Left out, and why (see ``excluded_types()`` for the full list of this Keras):

* Lambda, TFSMLayer, JaxLayer, FlaxLayer, TorchModuleWrapper: they run foreign
  code or load files (security rules in DESIGN.md). Any class defined outside
  ``keras.src.layers`` is left out too, so a new wrapper stays out by default.
* Layer, Wrapper, InputSpec: base classes, not layers a node can be.
* InputLayer: offered as the special type "Input" (``keras.Input``).
* RNN, StackedRNNCells: they take cell objects; the ``*Cell`` classes only
  work inside them.
* Bidirectional, TimeDistributed, SpectralNormalization, Pipeline: they take
  layer objects. A graph node holds one layer, so these are skipped rather
  than given a nested-layer parameter.
* Any layer with another required object-only argument, any layer whose
  required arguments have no example value, and any that fails to build.

Lookup layers (StringLookup, IntegerLookup, TextVectorization) stay, without
their ``vocabulary`` argument: it accepts a file path.

A type is the public ``keras.layers`` name, so ``getattr(keras.layers, type)``
works: GroupedQueryAttention is listed as "GroupQueryAttention", its public
alias. HashedCrossing crosses two or more features, so it takes a list.
"""

from __future__ import annotations

import inspect
import re
from dataclasses import replace
from functools import lru_cache
from typing import Any

from app.graph.catalog import CHOICE, SHAPE, Catalog, LayerSpec, ParamSpec, check_param
from app.keras_bridge.catalog_params import OBJECT, from_vocabulary, infer_param, parse_args, shorten

EXCLUDED = {
    "Lambda": "runs arbitrary Python code",
    "TFSMLayer": "loads a SavedModel from a file path",
    "JaxLayer": "wraps a JAX function",
    "FlaxLayer": "wraps a Flax module",
    "TorchModuleWrapper": "wraps a PyTorch module",
    "Layer": "abstract base class",
    "Wrapper": "abstract base class taking a layer object",
    "InputSpec": "not a layer",
    "InputLayer": "offered as the special type 'Input'",
    "RNN": "takes a cell object",
    "StackedRNNCells": "takes cell objects",
    "Bidirectional": "takes a layer object",
    "TimeDistributed": "takes a layer object",
    "SpectralNormalization": "takes a layer object",
    "Pipeline": "takes a list of layer objects",
}

# keras.src.layers.<package> -> category shown in the palette, in palette order.
CATEGORIES = {
    "core": "core", "embedding": "embedding", "convolutional": "convolution",
    "pooling": "pooling", "rnn": "recurrent", "attention": "attention",
    "normalization": "normalization", "regularization": "regularization",
    "reshaping": "reshaping", "merging": "merging", "activations": "activation",
    "preprocessing": "preprocessing", "image_preprocessing": "image_preprocessing",
}

QKV = ["query", "value", "key"]
# type -> (min_inputs, max_inputs, call, input_names); the rest take one tensor.
ARITY = {
    "Subtract": (2, 2, "list", []),
    "Dot": (2, 2, "list", []),
    "Attention": (2, 3, "list", QKV),
    "AdditiveAttention": (2, 3, "list", QKV),
    "MultiHeadAttention": (2, 3, "positional", QKV),
    "GroupQueryAttention": (2, 3, "positional", QKV),
    "HashedCrossing": (2, None, "list", []),  # crosses two or more features
}
MERGE_ARITY = (2, None, "list", [])

# Values a fresh node starts with, by parameter name, then per layer type.
EXAMPLE_BY_NAME: dict[str, Any] = {
    "units": 32, "filters": 32, "kernel_size": 3, "pool_size": 2, "rate": 0.5,
    "num_heads": 2, "key_dim": 16, "head_dim": 16, "num_query_heads": 4,
    "num_key_value_heads": 2, "input_dim": 1000, "output_dim": 64, "n": 3,
    "height": 16, "width": 16, "output_size": 4, "num_bins": 16, "stddev": 0.1,
    "factor": 0.1, "height_factor": 0.1, "width_factor": 0.1, "max_number": 10,
    "activation": "relu", "target_shape": [-1, 1], "dims": [2, 1], "axes": -1,
    "equation": "ab,bc->ac", "output_shape": [64], "scale": 1 / 255,
}
EXAMPLE_BY_TYPE: dict[str, dict[str, Any]] = {
    "AlphaDropout": {"rate": 0.1},
    "GaussianDropout": {"rate": 0.1},
    "SpatialDropout1D": {"rate": 0.2},
    "SpatialDropout2D": {"rate": 0.2},
    "SpatialDropout3D": {"rate": 0.2},
    "RandomPosterization": {"factor": 4},
    "RandomContrast": {"factor": 0.2},
    "RandomBrightness": {"factor": 0.2},
    "CategoryEncoding": {"num_tokens": 10},
    "Discretization": {"bin_boundaries": [0.0, 0.5, 1.0]},
    "EinsumDense": {"bias_axes": "c"},
}


@lru_cache(maxsize=1)
def build_catalog() -> Catalog:
    """Every layer type the builder offers, Input first, then by category."""
    specs, _ = _introspect()
    order = list(CATEGORIES.values())
    specs.sort(key=lambda s: (order.index(s.category) if s.category in order else len(order), s.type))
    return Catalog([_input_spec(), *specs])


def excluded_types() -> dict[str, str]:
    """Public ``keras.layers`` classes left out of the catalog, with the reason."""
    return dict(_introspect()[1])


@lru_cache(maxsize=1)
def _introspect() -> tuple[list[LayerSpec], dict[str, str]]:
    specs: list[LayerSpec] = []
    excluded: dict[str, str] = {}
    for type_name, cls in _public_classes():
        reason = EXCLUDED.get(type_name) or EXCLUDED.get(cls.__name__)
        spec = None
        if reason is None:
            spec, reason = _layer_spec(type_name, cls)
        if spec is None:
            excluded[type_name] = reason or "not buildable"
        else:
            specs.append(spec)
    return specs, excluded


def _public_classes() -> list[tuple[str, type]]:
    """(public name, class) for each class in ``keras.layers``, aliases once.

    The class's own name wins when it is public (AvgPool2D -> AveragePooling2D);
    otherwise the public alias is used (GroupQueryAttention, whose class is
    named GroupedQueryAttention), so ``getattr(keras.layers, type)`` works.
    """
    import keras

    by_class: dict[type, str] = {}
    for name in sorted(dir(keras.layers)):
        obj = getattr(keras.layers, name)
        if inspect.isclass(obj) and not name.startswith("_"):
            if obj not in by_class or name == obj.__name__:
                by_class[obj] = name
    return sorted(((name, cls) for cls, name in by_class.items()), key=lambda item: item[0])


def _layer_spec(type_name: str, cls: type) -> tuple[LayerSpec | None, str | None]:
    import keras

    module = cls.__module__
    if not module.startswith("keras.src.layers.") or not issubclass(cls, keras.layers.Layer):
        return None, f"defined outside keras.src.layers ({module})"
    if inspect.isabstract(cls) or re.search(r"Cells?$", type_name):
        return None, "abstract or RNN cell class"
    doc = inspect.getdoc(cls) or ""
    signature = list(inspect.signature(cls.__init__).parameters.values())[1:]
    args = parse_args(doc, [p.name for p in signature])
    dims = _dims(type_name)
    params: list[ParamSpec] = []
    for param in signature:
        spec = infer_param(type_name, param, args.get(param.name, ""), dims)
        if spec == OBJECT:
            if param.default is param.empty:
                return None, f"required argument '{param.name}' holds an object"
            continue
        if spec is not None:
            params.append(spec)
    example = _example(type_name, params)
    if example is None:
        return None, "a required argument has no example value"
    try:  # smoke build: the fresh node must be constructible
        cls(**example)
    except Exception as error:  # noqa: BLE001 - any failure means "not offered"
        return None, f"fails to build with {example}: {type(error).__name__}"
    params = [_accepted(cls, example, spec) for spec in params]
    category = _category(module)
    arity = ARITY.get(type_name) or (MERGE_ARITY if category == "merging" else (1, 1, "single", []))
    return LayerSpec(
        type=type_name, category=category, doc=_summary(doc), params=params,
        min_inputs=arity[0], max_inputs=arity[1], call=arity[2], input_names=list(arity[3]),
        example=example,
    ), None


def _accepted(cls: type, example: dict[str, Any], spec: ParamSpec) -> ParamSpec:
    """Keep only the doc-derived options the constructor accepts.

    Docstrings mention values in passing ("torch redirects reflect to
    mirror"), so options read from them, and a None allowed only by the doc,
    are tried on the real class; Keras's own default always stays.
    """
    doc_choices = spec.kind == CHOICE and not from_vocabulary(spec.name)
    doc_null = spec.nullable and spec.default is not None
    if not (doc_choices or doc_null):
        return spec

    def works(value: Any) -> bool:
        try:
            cls(**{**example, spec.name: value})
        except Exception:  # noqa: BLE001 - Keras raises many kinds
            return False
        return True

    choices = spec.choices
    if doc_choices:
        choices = [c for c in spec.choices if c == spec.default or works(c)]
    nullable = spec.nullable and (not doc_null or works(None))
    return replace(spec, choices=choices, nullable=nullable)


def _example(type_name: str, params: list[ParamSpec]) -> dict[str, Any] | None:
    """Example values: per-type ones, then by name for required arguments."""
    names = {p.name: p for p in params}
    example = {k: v for k, v in EXAMPLE_BY_TYPE.get(type_name, {}).items() if k in names}
    for spec in params:
        if spec.required and spec.name not in example:
            if spec.name not in EXAMPLE_BY_NAME:
                return None
            example[spec.name] = EXAMPLE_BY_NAME[spec.name]
    if any(check_param(names[k], v) for k, v in example.items()):
        return None
    return example


def _input_spec() -> LayerSpec:
    """``keras.Input`` as the node type "Input": a shape, no incoming edges."""
    import keras

    doc = inspect.getdoc(keras.Input) or ""
    args = parse_args(doc)
    params = [ParamSpec(name="shape", kind=SHAPE, required=True, doc=shorten(args.get("shape", ""), 200))]
    for param in inspect.signature(keras.Input).parameters.values():
        if param.name in ("batch_size", "sparse"):
            spec = infer_param("Input", param, args.get(param.name, ""), None)
            if isinstance(spec, ParamSpec):
                params.append(spec)
    return LayerSpec(type="Input", category="core", doc=_summary(doc), params=params,
                     min_inputs=0, max_inputs=0, call="single", example={"shape": [8]})


def _category(module: str) -> str:
    parts = module.split(".")  # keras.src.layers.<package>[.<subpackage>].<module>
    package = parts[3]
    if "embedding" in parts[-1]:
        package = "embedding"
    elif package == "preprocessing" and len(parts) > 5:
        package = parts[4]
    return CATEGORIES.get(package, package)


def _dims(type_name: str) -> int | None:
    match = re.search(r"([123])D(Transpose)?$", type_name)
    return int(match.group(1)) if match else None


def _summary(doc: str) -> str:
    return shorten(doc.split("\n\n")[0], 300)
