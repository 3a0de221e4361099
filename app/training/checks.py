"""Compile checks: does this model fit this data and this loss?

They run in the web process before a run is queued, on the graph summary (exact
shapes, no weights) and a description of the dataset, so a mistake is reported
in a sentence that names the node or the field instead of as a Keras traceback
minutes later. Pure Python: no Keras.

Checked, in order:
1. the Input: one Input node, shaped like one sample of the features (an 8x8
   image may feed an Input of [8, 8, 1] or [64]: same values, other shape);
2. the output: one output, shaped like the target;
3. the labels against the loss: integer labels need a sparse loss, one-hot
   labels a categorical one, two classes or a sigmoid a binary one, and a
   continuous target a regression loss;
4. the output activation against the loss: softmax for (sparse) categorical
   crossentropy, sigmoid for binary crossentropy, none with ``from_logits``,
   and no squashing activation on a regression target it cannot reach.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from app.errors import Invalid
from app.graph.catalog import Catalog
from app.graph.spec import GraphSpec
from app.training.catalogs import LOGITS_LOSSES, LOSS_ACTIVATION, loss_labels

UNKNOWN = "?"
# Layers that pass their input's values through unchanged (or only rearranged):
# the activation that matters is upstream.
PASS_THROUGH = {"Dropout", "Flatten", "Reshape", "GaussianNoise", "GaussianDropout", "AlphaDropout",
                "ActivityRegularization", "Identity", "SpatialDropout1D", "SpatialDropout2D",
                "SpatialDropout3D", "Permute", "Cropping1D", "Cropping2D", "Cropping3D"}
ACTIVATION_LAYERS = {"Softmax": "softmax", "ReLU": "relu", "LeakyReLU": "leaky_relu", "ELU": "elu",
                     "PReLU": "prelu"}


@dataclass
class DataInfo:
    """What the checks need to know about a dataset (no arrays)."""

    name: str
    task: str
    n_rows: int
    x_shape: tuple[int, ...]  # one sample
    y_shape: tuple[int, ...]  # one target: () for a scalar or an integer label
    n_classes: int | None = None
    label_encoding: str | None = None
    y_min: float | None = None
    y_max: float | None = None

    @classmethod
    def from_arrays(cls, arrays) -> "DataInfo":
        y = arrays.y
        finite = y[np.isfinite(y)] if y.size and arrays.task == "regression" else None
        return cls(name=arrays.name, task=arrays.task, n_rows=len(arrays), x_shape=tuple(arrays.x.shape[1:]),
                   y_shape=tuple(y.shape[1:]), n_classes=arrays.n_classes, label_encoding=arrays.label_encoding,
                   y_min=float(finite.min()) if finite is not None and finite.size else None,
                   y_max=float(finite.max()) if finite is not None and finite.size else None)


@dataclass
class CheckIssue:
    message: str
    hint: str = ""
    field: str | None = None
    node: str | None = None
    level: str = "error"  # or "warning": reported, does not stop the run

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class CompileCheckFailed(Invalid):
    """422 with the first problem as ``detail`` and every problem in ``errors``."""

    def __init__(self, issues: list[CheckIssue]):
        first = issues[0]
        message = f"{first.message} {first.hint}".strip()
        super().__init__(message, field=first.field, node=first.node)
        self.issues = issues

    def to_dict(self) -> dict:
        body = super().to_dict()
        body["errors"] = [issue.to_dict() for issue in self.issues]
        return body


@dataclass
class _Ctx:
    graph: GraphSpec
    summary: dict[str, Any]
    data: DataInfo
    loss: str
    from_logits: bool
    catalog: Catalog | None
    issues: list[CheckIssue] = field(default_factory=list)

    def error(self, message: str, hint: str = "", *, field: str | None = None, node: str | None = None) -> None:
        self.issues.append(CheckIssue(message, hint, field, node))

    def warn(self, message: str, hint: str = "", *, field: str | None = None, node: str | None = None) -> None:
        self.issues.append(CheckIssue(message, hint, field, node, level="warning"))


def _shape(dims) -> str:
    dims = tuple(dims)
    return "(" + ", ".join("None" if d is None else str(d) for d in dims) + ("," if len(dims) == 1 else "") + ")"


def _param_field(node_id: str, param: str) -> str:
    return f"graph.nodes[{node_id}].params.{param}"


def adapt_shape(declared: list | tuple, sample: tuple[int, ...]) -> tuple[int, ...] | None:
    """The shape one sample must take to feed an Input declared as ``declared``.

    Equal shapes (None matches anything) need nothing; a reshape that keeps the
    values in order and only adds or drops size-1 axes, or flattens, is done
    for the user. None when the features cannot feed this Input.
    """
    declared = tuple(declared)
    if len(declared) == len(sample) and all(d is None or d == s for d, s in zip(declared, sample)):
        return tuple(sample)
    if None in declared:
        return None
    if math.prod(declared) != math.prod(sample):
        return None
    squeezed = [d for d in declared if d != 1]
    if squeezed == [s for s in sample if s != 1] or len(declared) == 1:
        return declared
    return None


def check_run(graph: GraphSpec, summary: dict[str, Any], data: DataInfo, *, loss: str, from_logits: bool = False,
              catalog: Catalog | None = None) -> list[CheckIssue]:
    """Every problem found (errors and warnings), most basic first."""
    ctx = _Ctx(graph, summary, data, loss, from_logits, catalog)
    if not _check_input(ctx):
        return ctx.issues
    output = _check_output_count(ctx)
    if output is None:
        return ctx.issues
    out_shape = (summary["nodes"].get(output, {}).get("output_shapes") or [None])[0]
    if out_shape is None:
        return ctx.issues
    units = tuple(out_shape[1:])
    if data.task == "regression":
        _check_regression(ctx, output, units)
    else:
        _check_classification(ctx, output, units)
    return ctx.issues


def raise_for_errors(issues: list[CheckIssue]) -> list[CheckIssue]:
    """Raise CompileCheckFailed when any issue is an error; return the warnings."""
    errors = [issue for issue in issues if issue.level == "error"]
    if errors:
        raise CompileCheckFailed(errors)
    return [issue for issue in issues if issue.level == "warning"]


def _check_input(ctx: _Ctx) -> bool:
    inputs = [node for node in ctx.graph.nodes if node.type == "Input"]
    if len(inputs) != 1:
        names = ", ".join(f"'{node.id}'" for node in inputs)
        ctx.error(f"The dataset '{ctx.data.name}' gives the model one feature array, but the model has "
                  f"{len(inputs)} Input nodes ({names}).",
                  "Keep one Input and branch from it.", field="graph", node=inputs[-1].id if inputs else None)
        return False
    node = inputs[0]
    declared = list(node.params.get("shape") or [])
    sample = ctx.data.x_shape
    if adapt_shape(declared, sample) is None:
        features = f" ({math.prod(sample)} features)" if len(sample) == 1 else ""
        ctx.error(f"Input '{node.id}' expects samples shaped {_shape(declared)}, but dataset '{ctx.data.name}' has "
                  f"samples shaped {_shape(sample)}{features}.",
                  f"Set the shape of '{node.id}' to {list(sample)}.",
                  field=_param_field(node.id, "shape"), node=node.id)
        return False
    return True


def _check_output_count(ctx: _Ctx) -> str | None:
    outputs = ctx.summary.get("outputs") or []
    if len(outputs) != 1:
        ctx.error(f"The dataset '{ctx.data.name}' has one target, but the model has {len(outputs)} outputs "
                  f"({', '.join(repr(o) for o in outputs)}).",
                  "Merge the branches (Concatenate, then Dense) into one output, or list one node in 'outputs'.",
                  field="graph.outputs", node=outputs[-1] if outputs else None)
        return None
    return outputs[0]


def _units_hint(ctx: _Ctx, node_id: str, want: int) -> tuple[str, str | None]:
    node = ctx.graph.node(node_id)
    owner = ctx.graph.node(node.shares) if node.shares else node
    if owner.type == "Dense":
        return f"Set units of '{owner.id}' to {want}.", _param_field(owner.id, "units")
    return f"End the model with a Dense layer of {want} unit{'s' if want != 1 else ''}.", None


def _width_matches(units: tuple, want: tuple) -> bool:
    if want == ():  # one value per sample: (1,) or a rank-1 output
        return units in ((1,), ())
    return units == want


def _check_regression(ctx: _Ctx, output: str, units: tuple) -> None:
    data, loss = ctx.data, ctx.loss
    if loss_labels(loss) != "regression":
        ctx.error(f"The loss {loss} is for class labels, but '{data.name}' has a continuous target.",
                  "Use mean_squared_error (or another regression loss).", field="compile.loss")
        return
    want = data.y_shape
    if not _width_matches(units, want):
        n_want = math.prod(want) if want else 1
        if len(units) > 1:
            hint = f"Add Flatten and a Dense layer of {n_want} unit{'s' if n_want != 1 else ''} at the end."
            field = None
        else:
            hint, field = _units_hint(ctx, output, n_want)
        ctx.error(f"Output '{output}' gives samples shaped {_shape(units)}, but the target of '{data.name}' has "
                  f"{'1 value' if not want else f'shape {_shape(want)}'} per sample.", hint, field=field, node=output)
        return
    act = output_activation(ctx, output)
    low, high = data.y_min, data.y_max
    if act == "softmax":
        ctx.error(f"Output '{output}' uses softmax, which makes its outputs sum to 1 (one unit: always 1.0); "
                  f"a regression output cannot follow the target.",
                  f"Remove the activation of '{output}' (linear).", field=_activation_field(ctx, output), node=output)
    elif act == "sigmoid" and low is not None and (low < 0 or high > 1):
        ctx.error(f"Output '{output}' uses sigmoid, whose values lie between 0 and 1, but the target of "
                  f"'{data.name}' ranges from {low:.3g} to {high:.3g}.",
                  f"Remove the activation of '{output}' (linear).", field=_activation_field(ctx, output), node=output)
    elif act == "tanh" and low is not None and (low < -1 or high > 1):
        ctx.error(f"Output '{output}' uses tanh, whose values lie between -1 and 1, but the target of "
                  f"'{data.name}' ranges from {low:.3g} to {high:.3g}.",
                  f"Remove the activation of '{output}' (linear).", field=_activation_field(ctx, output), node=output)
    elif act == "relu" and low is not None and low < 0:
        ctx.warn(f"Output '{output}' uses relu, which cannot output negative values, but the target of "
                 f"'{data.name}' goes down to {low:.3g}.", "Remove the activation of the output layer (linear).",
                 field=_activation_field(ctx, output), node=output)


def _check_classification(ctx: _Ctx, output: str, units: tuple) -> None:
    data, loss = ctx.data, ctx.loss
    kind = loss_labels(loss)
    n = data.n_classes or 2
    onehot = data.label_encoding == "onehot"
    labels = "one-hot labels" if onehot else f"integer labels (0 to {n - 1})"
    if kind == "sparse" and onehot:
        ctx.error(f"{loss} needs integer labels, but '{data.name}' has one-hot labels.",
                  "Use categorical_crossentropy.", field="compile.loss")
        return
    if kind == "categorical" and not onehot:
        ctx.error(f"{loss} needs one-hot labels, but '{data.name}' has {labels}.",
                  "Use sparse_categorical_crossentropy, or load the dataset with one-hot labels.",
                  field="compile.loss")
        return
    if kind == "binary" and not onehot and n != 2:
        ctx.error(f"{loss} separates two classes, but '{data.name}' has {n}.",
                  f"Use sparse_categorical_crossentropy with a softmax output of {n} units.", field="compile.loss")
        return
    if kind == "regression":
        if not onehot and n > 2:
            ctx.error(f"{loss} treats the {n} class ids of '{data.name}' as numbers on a line, so it cannot "
                      f"learn to pick a class.", "Use sparse_categorical_crossentropy with a softmax output.",
                      field="compile.loss")
            return
        ctx.warn(f"{loss} on class labels treats them as numbers.",
                 "binary_crossentropy with a sigmoid output (or sparse_categorical_crossentropy) usually trains "
                 "better.", field="compile.loss")
    want = (n,) if (kind in ("sparse", "categorical") or onehot) else (1,)
    if units != want and not (want == (1,) and units == ()):
        hint, field = _units_hint(ctx, output, want[0])
        if kind == "sparse" and units == (1,) and n == 2:
            hint += " (Or keep 1 unit with a sigmoid and use binary_crossentropy.)"
        reason = "one per class" if want[0] == n and n > 1 and want != (1,) else "one probability for class 1"
        ctx.error(f"Output '{output}' gives samples shaped {_shape(units)}, but {loss} on '{data.name}' needs "
                  f"{want[0]} value{'s' if want[0] != 1 else ''} per sample ({reason}).",
                  hint, field=field, node=output)
        return
    _check_activation(ctx, output, want[0])


def _check_activation(ctx: _Ctx, output: str, width: int) -> None:
    loss, act = ctx.loss, output_activation(ctx, output)
    if act == UNKNOWN:
        return
    field = _activation_field(ctx, output)
    if ctx.from_logits:
        if act in ("softmax", "sigmoid"):
            ctx.error(f"from_logits is on, which means raw scores, but output '{output}' already applies {act}.",
                      f"Remove the activation of '{output}', or turn from_logits off.", field=field, node=output)
        return
    want = LOSS_ACTIVATION.get(loss)
    if want is None:
        return
    logits_hint = " (or turn from_logits on)" if loss in LOGITS_LOSSES else ""
    if want == "softmax":
        if act == "softmax":
            return
        if act == "sigmoid":
            ctx.error(f"Output '{output}' uses sigmoid, but {loss} expects class probabilities that sum to 1.",
                      f"Set the activation of '{output}' to softmax.", field=field, node=output)
        else:
            what = "raw scores" if act == "linear" else f"{act} values, not probabilities"
            ctx.error(f"Output '{output}' gives {what}, but {loss} expects class probabilities.",
                      f"Set the activation of '{output}' to softmax{logits_hint}.", field=field, node=output)
    elif want == "sigmoid":
        if act == "sigmoid":
            return
        if act == "softmax" and width == 1:
            ctx.error(f"Output '{output}' applies softmax to a single unit, which always outputs 1.0, so the "
                      f"model cannot learn.", f"Set the activation of '{output}' to sigmoid.",
                      field=field, node=output)
        elif act != "softmax":
            what = "raw scores" if act == "linear" else f"{act} values"
            ctx.error(f"Output '{output}' gives {what}, but {loss} expects probabilities between 0 and 1.",
                      f"Set the activation of '{output}' to sigmoid{logits_hint}.", field=field, node=output)


def _activation_field(ctx: _Ctx, node_id: str) -> str | None:
    node = ctx.graph.node(node_id)
    owner = ctx.graph.node(node.shares) if node.shares else node
    if owner.type in PASS_THROUGH or owner.type in ACTIVATION_LAYERS:
        return None
    return _param_field(owner.id, "activation")


def output_activation(ctx: _Ctx, node_id: str, depth: int = 0) -> str:
    """The activation applied last on the way to ``node_id``: 'linear', 'softmax', ... or UNKNOWN."""
    if depth > 50:
        return UNKNOWN
    node = ctx.graph.node(node_id)
    owner = ctx.graph.node(node.shares) if node.shares else node
    if owner.type in ACTIVATION_LAYERS:
        return ACTIVATION_LAYERS[owner.type]
    if owner.type == "Activation":
        return _norm(owner.params.get("activation"))
    if owner.type in PASS_THROUGH:
        sources = [edge.source for edge in ctx.graph.edges if edge.target == node_id]
        return output_activation(ctx, sources[0], depth + 1) if len(sources) == 1 else UNKNOWN
    if "activation" in owner.params:
        return _norm(owner.params["activation"])
    spec = ctx.catalog.get(owner.type) if ctx.catalog is not None else None
    if spec is not None:
        pspec = spec.param("activation")
        return _norm(pspec.default) if pspec is not None else UNKNOWN
    return "linear" if owner.type == "Dense" else UNKNOWN


def _norm(activation: Any) -> str:
    if activation is None or activation == "linear":
        return "linear"
    return activation if isinstance(activation, str) else UNKNOWN
