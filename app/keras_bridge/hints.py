"""Turn Keras's shape errors into a message that fits a node and a hint that says what to do."""

from __future__ import annotations

import re

_NDIM = re.compile(r"expected (min_)?ndim=(\d+), found ndim=(\d+)")
_POOL_BY_RANK = {3: "GlobalAveragePooling1D", 4: "GlobalAveragePooling2D", 5: "GlobalAveragePooling3D"}


def clean_message(text: str) -> str:
    """Keep Keras's first informative sentence; drop its call-argument dump."""
    text = text.split("\n\nArguments received by")[0].split("\nArguments received by")[0]
    text = re.sub(r"\x1b\[[0-9;]*m", "", text)  # ANSI bold from Keras
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"^Exception encountered when calling \w+\.call\(\)\.\s*", "", text)
    # Layers are built under a placeholder name (results are shared between nodes).
    text = re.sub(r"""Input (\d+)(?: with name '[^']*')? of layer ["']__node__["'] is incompatible with the layer:""",
                  r"Input \1 is incompatible with this layer:", text)
    text = re.sub(r"""(of )?layer ["']__node__["']""", "this layer", text)
    text = text.replace("'__node__'", "this layer").replace('"__node__"', "this layer")
    return text[:400]


def hint_for(layer_type: str, message: str, input_shapes: list[list]) -> str:
    """A plain-language fix for a Keras error raised while calling ``layer_type``."""
    found_rank = len(input_shapes[0]) if input_shapes else None
    match = _NDIM.search(message)
    if match:
        want, found = int(match.group(2)), int(match.group(3))
        if found > want:
            pool = _POOL_BY_RANK.get(found, "GlobalAveragePooling2D")
            return f"Insert Flatten or {pool} before it to reduce the input to {want} dimensions."
        return _add_axes_hint(layer_type, want)
    lowered = message.lower()
    if "negative" in lowered or "non-positive" in lowered or "must be > 0" in lowered or (
            "smaller than" in lowered and "kernel" in lowered):
        return "The window is larger than its input: use padding='same', a smaller kernel_size or pool_size, or fewer downsampling layers."
    if "reshape" in layer_type.lower() or "total size" in lowered:
        size = _size(input_shapes[0]) if input_shapes else None
        extra = f" ({size} values per sample)" if size else ""
        return f"target_shape must hold exactly as many values as the input{extra}."
    if layer_type == "Concatenate":
        return "Concatenate needs inputs whose shapes agree on every axis except the one being joined; check 'axis' or resize a branch."
    if layer_type in {"Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum"}:
        return f"{layer_type} needs inputs of the same shape; change a branch's units/filters or add a Dense or Reshape to match."
    if "incompatible" in lowered or "shape" in lowered:
        return f"Check this layer's parameters against its input shape {_fmt(input_shapes)}."
    if found_rank is not None:
        return f"Check this layer's parameters; its input shape is {_fmt(input_shapes)}."
    return "Check this layer's parameters."


def warning_for(layer_type: str, input_shapes: list[list]) -> tuple[str, str] | None:
    """Legal in Keras but almost always a mistake: say so without failing."""
    if layer_type == "Dense" and input_shapes and len(input_shapes[0]) >= 4:
        rank = len(input_shapes[0])
        pool = _POOL_BY_RANK.get(rank, "GlobalAveragePooling2D")
        return (f"Dense on a {rank}-D input {_fmt(input_shapes)} acts on the last axis only, "
                "so the output keeps the spatial axes.",
                f"Insert Flatten or {pool} before it.")
    return None


def _add_axes_hint(layer_type: str, want: int) -> str:
    lowered = layer_type.lower()
    if any(k in lowered for k in ("lstm", "gru", "rnn", "conv1d", "pooling1d")):
        return f"It needs {want}-D input (batch, steps, features): insert Reshape, or Embedding for token ids, before it."
    if "2d" in lowered:
        return f"It needs {want}-D input (batch, height, width, channels): insert Reshape before it, or give the Input an image shape like [28, 28, 1]."
    return f"Insert Reshape before it so the input has {want} dimensions (batch included)."


def _size(shape: list) -> int | None:
    size = 1
    for dim in shape[1:]:
        if dim is None:
            return None
        size *= dim
    return size


def _fmt(shapes: list[list]) -> str:
    parts = ["(" + ", ".join("None" if d is None else str(d) for d in s) + ")" for s in shapes]
    return parts[0] if len(parts) == 1 else "[" + ", ".join(parts) + "]"
