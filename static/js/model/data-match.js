// Does the dataset fit the model? Compares one sample's shape with the
// model's Input and the target with its output, the way the server's compile
// checks do (app/training/checks.py), so the Data tab can say so before a run
// is submitted. Pure: reads the graph contract, the live summary and a
// dataset description; no DOM.

const fmt = (dims) => {
  const d = (dims || []).map((x) => (x === null || x === undefined ? "None" : String(x)));
  return d.length === 1 ? `(${d[0]},)` : `(${d.join(", ")})`;
};
const product = (dims) => dims.reduce((a, b) => a * b, 1);

/**
 * The shape one sample must take to feed an Input declared as `declared`
 * (null = any size on that axis), or null when the features cannot feed it.
 * Same rule as the server's adapt_shape: equal shapes, or a reshape that only
 * adds/drops size-1 axes or flattens.
 */
export function adaptShape(declared, sample) {
  if (declared.length === sample.length && declared.every((d, i) => d === null || d === sample[i])) return sample.slice();
  if (declared.includes(null)) return null;
  if (product(declared) !== product(sample)) return null;
  const squeeze = (dims) => dims.filter((d) => d !== 1);
  const a = squeeze(declared);
  const b = squeeze(sample);
  if ((a.length === b.length && a.every((d, i) => d === b[i])) || declared.length === 1) return declared.slice();
  return null;
}

/** The Input nodes of a contract: [{id, shape}]. */
export function inputsOf(contract) {
  return ((contract && contract.nodes) || [])
    .filter((n) => n.type === "Input" || n.type === "InputLayer")
    .map((n) => ({ id: n.id, shape: Array.isArray(n.params?.shape) ? n.params.shape : null }));
}

/** Units of the single output from the summary (last axis), or null when unknown. */
export function outputUnits(summary) {
  if (!summary || !summary.nodes) return null;
  const outs = summary.outputs || [];
  if (outs.length !== 1) return null;
  const shapes = summary.nodes[outs[0]]?.output_shapes;
  const shape = shapes && shapes[0];
  return Array.isArray(shape) && shape.length ? shape[shape.length - 1] : null;
}

/**
 * {level: "ok" | "info" | "error" | "unknown", message, hint, node}
 * for a dataset ({name, input_shape, task, n_classes, label_encoding}) against
 * the model (contract + summary, summary optional).
 */
export function matchDataset(dataset, contract, summary = null) {
  if (!dataset) return { level: "unknown", message: "Pick a dataset.", hint: "", node: null };
  const sample = dataset.input_shape || [];
  const inputs = inputsOf(contract);
  if (inputs.length === 0) {
    return { level: "error", message: "The model has no Input layer.", hint: `Add an Input with shape [${sample.join(", ")}] for ${dataset.name}.`, node: null };
  }
  if (inputs.length > 1) {
    return { level: "error", message: `The model has ${inputs.length} Inputs; a dataset feeds one.`, hint: "Keep one Input layer for training.", node: null };
  }
  const input = inputs[0];
  if (!input.shape) return { level: "unknown", message: `Input '${input.id}' has no shape yet.`, hint: `Set it to [${sample.join(", ")}].`, node: input.id };
  const adapted = adaptShape(input.shape, sample);
  if (!adapted) {
    return {
      level: "error",
      message: `Input '${input.id}' expects samples shaped ${fmt(input.shape)}, but ${dataset.name} has samples shaped ${fmt(sample)}.`,
      hint: `Set the shape of '${input.id}' to [${sample.join(", ")}] in the Inspector.`,
      node: input.id,
    };
  }
  const output = outputCheck(dataset, outputUnits(summary));
  if (output) return output;
  const same = adapted.length === sample.length && adapted.every((d, i) => d === sample[i]);
  return same
    ? { level: "ok", message: `Input '${input.id}' ${fmt(input.shape)} matches ${dataset.name}'s samples ${fmt(sample)}.`, hint: "", node: input.id }
    : { level: "info", message: `${dataset.name}'s samples ${fmt(sample)} will be reshaped to ${fmt(input.shape)} for Input '${input.id}'.`, hint: "", node: input.id };
}

function outputCheck(dataset, units) {
  if (units === null || units === undefined) return null;
  if (dataset.task === "regression" && units !== 1) {
    return { level: "error", message: `The output has ${units} units; ${dataset.name} has one target value per sample.`, hint: "Give the last Dense layer 1 unit (no activation).", node: null };
  }
  if (dataset.task === "classification" && dataset.n_classes) {
    const n = dataset.n_classes;
    const ok = units === n || (n === 2 && units === 1);
    if (!ok) {
      const want = n === 2 ? "1 unit with sigmoid (or 2 with softmax)" : `${n} units with softmax`;
      return { level: "error", message: `The output has ${units} units; ${dataset.name} has ${n} classes.`, hint: `Give the last Dense layer ${want}.`, node: null };
    }
  }
  return null;
}
