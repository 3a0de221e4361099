"""Turn one Keras constructor argument into a catalog ``ParamSpec``.

Kinds come from three places, in this order: the parameter name (Keras uses
the same names everywhere: ``kernel_initializer``, ``padding``, ``rate``...),
the type of Keras's default value, and the "Args:" text of the docstring.
When none of them is conclusive the kind is ``ANY`` (plain JSON, checked by
Keras at build time), never an object: parameters that can only hold a
Python object, a callable or a file path are reported as ``OBJECT`` so the
caller can drop them, or drop the whole layer when such a parameter is
required.
"""

from __future__ import annotations

import inspect
import re
from functools import lru_cache
from typing import Any

from app.graph.catalog import (
    ANY, AXIS, BOOL, CHOICE, FLOAT, FLOAT_LIST, INT, INT_LIST, INT_TUPLE, SHAPE, STR,
    ParamSpec, check_param,
)

OBJECT = "object"  # marker: the argument holds a Python object, never JSON

# Arguments every layer has that a node never sets, or Keras internals.
SKIPPED = {"name", "dtype", "trainable", "autocast", "gptq_unpacked_column_size"}
# Arguments that hold objects: layers, cells, callables, arrays, files, dicts.
OBJECTS = {
    "layer", "layers", "backward_layer", "cell", "cells", "module", "function", "call_fn",
    "init_fn", "method", "variables", "filepath", "vocabulary", "idf_weights", "weights",
    "quantization_config", "renorm_clipping", "input_tensor", "tensor", "mask", "arguments",
}
# A doc mentioning files or URLs marks an argument that could reach the file system.
_PATH_DOC = re.compile(r"\b(file ?path|path to|file|url|directory)\b", re.IGNORECASE)

DATA_FORMATS = ["channels_last", "channels_first"]
# Dimensions of the window for these names follow the class (Conv2D -> 2).
SPATIAL = {"kernel_size", "strides", "dilation_rate", "pool_size", "output_size", "size",
           "output_padding"}
AT_LEAST_ONE = SPATIAL - {"output_padding"} | {
    "units", "filters", "num_heads", "key_dim", "value_dim", "depth_multiplier", "groups",
    "n", "input_dim", "output_dim", "height", "width", "num_bins", "num_tokens", "max_tokens",
    "head_dim", "num_query_heads", "num_key_value_heads", "max_number", "sliding_window",
    "lora_rank", "power_iterations", "bins", "frame_length", "frame_step", "fft_length",
    "sequence_length", "sequence_stride", "num_mel_bins", "sampling_rate",
    "output_sequence_length", "tile_grid_size", "num_chains", "chain_depth", "num_ops",
    "ngrams", "batch_size",
}
AT_LEAST_ZERO = {"seed", "output_padding", "stddev", "l1", "l2", "num_oov_indices",
                 "max_value", "clip_limit", "lora_alpha", "logit_soft_cap"}
UNIT_INTERVAL = {"rate", "dropout", "recurrent_dropout", "momentum", "renorm_momentum"}
TINY = 1e-12  # epsilon must stay strictly positive

# Kinds that neither the default nor the doc tells reliably.
BY_NAME = {
    "axis": AXIS, "axes": AXIS, "attention_axes": AXIS,
    "shared_axes": INT_LIST, "dims": INT_LIST,
    # Reshape accepts one -1 ("infer this one"), which SHAPE refuses.
    "target_shape": INT_LIST,
    "noise_shape": SHAPE, "output_shape": AXIS,
    "seed": INT, "num_tokens": INT, "max_tokens": INT, "num_bins": INT, "value_dim": INT,
    "sliding_window": INT, "lora_rank": INT, "output_sequence_length": INT,
    "sequence_length": INT, "frame_step": INT, "fft_length": INT, "batch_size": INT,
    "lora_alpha": FLOAT, "logit_soft_cap": FLOAT, "max_value": FLOAT, "max_freq": FLOAT,
    "fill_value": FLOAT, "stddev": FLOAT, "rate": FLOAT,
    "flash_attention": BOOL, "sparse": BOOL,
    "bin_boundaries": FLOAT_LIST, "value_range": FLOAT_LIST,
    "strides": INT_TUPLE, "output_padding": INT_TUPLE, "ngrams": INT_TUPLE,
    "mean": ANY, "variance": ANY,
    # An int or an int pair; "auto" or a bool: Keras checks them.
    "salt": ANY, "use_cudnn": ANY, "equation": STR, "bias_axes": STR,
}
BY_LAYER = {
    ("EinsumDense", "output_shape"): SHAPE,  # may hold None for unknown dimensions
    # A float, or one value per channel (EfficientNet with ImageNet weights).
    ("Rescaling", "scale"): ANY, ("Rescaling", "offset"): ANY,
}


@lru_cache(maxsize=1)
def vocabularies() -> dict[str, list[str]]:
    """Names Keras resolves by string, read from Keras itself.

    Only names usable without extra arguments are offered: ``threshold``
    needs two more arguments, the base ``Initializer``/``Regularizer`` classes
    do nothing, ``stft`` only fits spectrogram kernels and
    ``orthogonal_regularizer`` only rank-2 kernels. Each name must resolve
    with Keras's own ``get``.
    """
    from keras.src import activations, constraints, initializers, regularizers

    def one_argument(fn: Any) -> bool:
        required = [p for p in inspect.signature(fn).parameters.values()
                    if p.default is p.empty and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
        return len(required) == 1

    def lower(module: Any, drop: set[str]) -> list[str]:
        names = []
        for name in sorted(module.ALL_OBJECTS_DICT):
            if name.islower() and name not in drop:
                try:
                    module.get(name)  # "constant" needs a value: Keras refuses it
                except Exception:  # noqa: BLE001
                    continue
                names.append(name)
        return names

    return {
        "activation": sorted(n for n, fn in activations.ALL_OBJECTS_DICT.items()
                             if n.islower() and one_argument(fn)),
        "initializer": lower(initializers, {"initializer", "stft"}),
        "regularizer": lower(regularizers, {"regularizer", "orthogonal_regularizer"}),
        "constraint": lower(constraints, {"constraint"}),
    }


def parse_args(doc: str, names: list[str] = ()) -> dict[str, str]:
    """The "Args:" (or "Arguments:") section of a docstring, by argument name.

    ``names`` are the signature's arguments: when a badly indented docstring
    runs one argument into the previous one ("... input. output_padding: An
    integer..."), the text is split there.
    """
    lines = (doc or "").splitlines()
    start = next((i for i, line in enumerate(lines)
                  if line.strip() in ("Args:", "Arguments:")), None)
    if start is None:
        return {}
    found: dict[str, str] = {}
    base = current = None
    for line in lines[start + 1:]:
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip())
        base = indent if base is None else base
        if indent < base:
            break
        match = re.match(r"\s*\**(\w+)\s*:\s*(.*)", line)
        if indent == base:
            if not match:
                break
            current = match.group(1)
            found[current] = match.group(2)
        elif current:
            found[current] += " " + line.strip()
    texts = {name: " ".join(text.split()) for name, text in found.items()}
    for name in names:
        for other, text in list(texts.items()):
            cut = text.find(f" {name}: ")
            if other != name and cut >= 0:
                texts[other] = text[:cut]
                texts.setdefault(name, text[cut + len(name) + 3:])
    return texts


def shorten(text: str, limit: int) -> str:
    """Collapse whitespace and cut at a sentence end (or a word) within ``limit``."""
    text = " ".join((text or "").split())
    text = text.split(" - `")[0]  # drop bullet lists of option meanings
    if len(text) <= limit:
        return text
    cut = text.rfind(". ", 0, limit)
    if cut >= limit // 3:
        return text[:cut + 1]
    return text[:limit - 3].rsplit(" ", 1)[0] + "..."


def infer_param(layer: str, param: inspect.Parameter, doc: str, dims: int | None) -> ParamSpec | str | None:
    """The spec for one argument, ``OBJECT`` for object-only ones, None to skip it."""
    name = param.name
    if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD) or name in SKIPPED or name.endswith("dtype"):
        return None
    required = param.default is param.empty
    raw = None if required else param.default
    if name in OBJECTS or callable(raw) or isinstance(raw, dict):
        return OBJECT
    default = _jsonable(raw)
    if default is _NOT_JSON:
        return OBJECT
    fields = _kind(layer, name, default, doc, dims)
    if fields is None:
        return OBJECT
    fields.setdefault("nullable", not required and (default is None or bool(re.search(r"\bNone\b", doc))))
    _bounds(name, fields, doc)
    spec = ParamSpec(name=name, default=default, required=required, doc=shorten(doc, 200), **fields)
    if not required and check_param(spec, default) is not None:
        # Our guess disagrees with Keras's own default: fall back to plain JSON.
        spec = ParamSpec(name=name, kind=ANY, default=default, nullable=True, doc=spec.doc)
    return spec


def _kind(layer: str, name: str, default: Any, doc: str, dims: int | None) -> dict[str, Any] | None:
    words = vocabularies()
    if name in ("activation", "recurrent_activation"):
        return _choice(words["activation"], default)  # see from_vocabulary()
    for suffix in ("initializer", "regularizer", "constraint"):
        if name.endswith("_" + suffix):
            return _choice(words[suffix], default, nullable=suffix != "initializer")
    if name == "data_format":
        return _choice(DATA_FORMATS, default, nullable=True)
    if "factor" in name:  # a float, or a (low, high) range: Keras checks it
        return {"kind": ANY}
    if name in ("padding", "cropping") and not isinstance(default, str):
        return {"kind": ANY}  # an int, a pair, or pairs of pairs (MobileNetV2: ((0, 1), (0, 1)))
    kind = BY_LAYER.get((layer, name)) or BY_NAME.get(name)
    if kind == INT_TUPLE or (kind is None and name in SPATIAL):
        return {"kind": INT_TUPLE, "length": dims if name in SPATIAL and dims else _length(default)}
    if kind is None and name in AT_LEAST_ONE and not isinstance(default, (list, float)):
        kind = INT  # counts and sizes: num_heads, key_dim...
    if kind:
        return {"kind": kind}
    if isinstance(default, bool):
        return {"kind": BOOL}
    if isinstance(default, (int, float)):
        if re.search(r"\btuple\b", doc):
            return {"kind": ANY}  # "a float or a tuple of two floats"
        return {"kind": INT if isinstance(default, int) else FLOAT}
    if isinstance(default, str):
        if _PATH_DOC.search(doc):
            return None
        options = _quoted(doc)
        if default in options and len(options) >= 2:
            return _choice(options, default)
        return {"kind": STR}
    if isinstance(default, list):
        flat = all(isinstance(v, int) and not isinstance(v, bool) for v in default)
        if flat and default:
            return {"kind": INT_TUPLE, "length": len(default)}
        numbers = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in default)
        return {"kind": FLOAT_LIST if numbers else ANY}
    # No default (or None): read the doc's leading type word.
    if _PATH_DOC.search(doc) or re.search(r"\bcallable\b|(?<!for )\binstance\b", doc, re.IGNORECASE):
        return None
    lead = doc[:40].lower()
    for words_, kind in ((("positive integer", "integer", "int,", "int "), INT),
                         (("float",), FLOAT), (("bool",), BOOL), (("string", "a string"), STR)):
        if any(w in lead for w in words_):
            return {"kind": kind}
    return {"kind": ANY}


def from_vocabulary(name: str) -> bool:
    """Whether the choices of ``name`` are one of Keras's shared name lists."""
    return name in ("activation", "recurrent_activation", "data_format") or name.endswith(
        ("_initializer", "_regularizer", "_constraint"))


def _choice(options: list[str], default: Any, nullable: bool | None = None) -> dict[str, Any]:
    choices = list(options)
    if isinstance(default, str) and default not in choices:
        choices.insert(0, default)  # e.g. PReLU's alpha_initializer="Zeros"
    fields: dict[str, Any] = {"kind": CHOICE, "choices": choices}
    if nullable is not None:
        fields["nullable"] = nullable
    return fields


def _quoted(doc: str) -> list[str]:
    """Option names quoted in a doc: `"valid"`, "same", `"magnitude`", `nearest`..."""
    found = re.findall(r"[`\"']+([a-z][a-z0-9_\-]*)`?[\"']", doc)
    if len(set(found)) < 2:  # some docs only use backticks; then they name other arguments too
        found = re.findall(r"`([a-z][a-z0-9_\-]*)`", doc)
    return list(dict.fromkeys(found))


def _bounds(name: str, fields: dict[str, Any], doc: str) -> None:
    kind = fields["kind"]
    if kind not in (INT, FLOAT, INT_TUPLE):
        return
    lowered = doc.lower()
    low: float | None = None
    high: float | None = None
    if name in AT_LEAST_ONE or (kind != FLOAT and "positive int" in lowered):
        low = 1
    elif name in AT_LEAST_ZERO or re.search(r">=\s*0|non-negative|positive float", lowered):
        low = 0
    if name in UNIT_INTERVAL or (kind == FLOAT and re.search(r"between 0(\.0)? and 1\b", lowered)):
        low, high = 0, 1
    if name == "epsilon":
        low = TINY
    fields["min"] = low
    fields["max"] = high


def _length(default: Any) -> int | None:
    return len(default) if isinstance(default, list) else None


_NOT_JSON = object()


def _jsonable(value: Any) -> Any:
    """Keras defaults as JSON: tuples become lists; anything else is an object."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (tuple, list)):
        items = [_jsonable(v) for v in value]
        return _NOT_JSON if any(v is _NOT_JSON for v in items) else items
    return _NOT_JSON
