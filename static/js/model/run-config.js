// Compile and fit settings for a run: defaults chosen from the dataset's task,
// field checks, and the body of POST /api/runs (the run contract in
// DESIGN.md). Pure: no DOM, no requests.

export const FIT_DEFAULTS = Object.freeze({
  epochs: 50,
  batch_size: 16,
  validation_split: 0.2,
  shuffle: true,
  seed: 0,
  early_stopping: false,
  patience: 10,
});

export const OPTIMIZER_DEFAULT = Object.freeze({ type: "adam", learning_rate: 0.001 });

/**
 * The loss a dataset needs: regression -> mean_squared_error; two classes and
 * one output unit -> binary_crossentropy; integer labels -> sparse categorical;
 * one-hot labels -> categorical crossentropy.
 */
export function defaultLoss(dataset, units = null) {
  if (!dataset || dataset.task === "regression") return "mean_squared_error";
  if (dataset.label_encoding === "onehot") return "categorical_crossentropy";
  if (dataset.n_classes === 2 && units === 1) return "binary_crossentropy";
  return "sparse_categorical_crossentropy";
}

export function defaultMetrics(dataset) {
  return dataset && dataset.task === "classification" ? ["accuracy"] : ["mean_absolute_error"];
}

/** What the defaults depend on: when this changes, the defaults are applied again. */
export function defaultsKey(dataset, units = null) {
  return `${dataset ? dataset.task : "regression"}:${defaultLoss(dataset, units)}`;
}

export function compileDefaults(dataset, units = null, optimizers = []) {
  const adam = optimizers.find((o) => o.id === OPTIMIZER_DEFAULT.type);
  const lr = adam?.params?.find((p) => p.name === "learning_rate")?.default ?? OPTIMIZER_DEFAULT.learning_rate;
  return {
    loss: defaultLoss(dataset, units),
    optimizer: { type: OPTIMIZER_DEFAULT.type, learning_rate: lr },
    metrics: defaultMetrics(dataset),
    from_logits: false,
  };
}

/** The learning rate an optimizer starts from (Keras's default). */
export function defaultLearningRate(optimizer) {
  return optimizer?.params?.find((p) => p.name === "learning_rate")?.default ?? OPTIMIZER_DEFAULT.learning_rate;
}

const isInt = (v) => Number.isInteger(v);

/**
 * Problems with fit/compile values as {field, message}, field being the run
 * contract's dotted name. `limits`: {maxEpochs, maxBatchSize} when known.
 */
export function checkSettings({ compile, fit }, limits = {}) {
  const errors = [];
  const add = (field, message) => errors.push({ field, message });
  const lr = compile.optimizer.learning_rate;
  if (!(typeof lr === "number" && Number.isFinite(lr) && lr > 0)) add("compile.optimizer.learning_rate", "The learning rate must be a number greater than 0.");
  if (!compile.loss) add("compile.loss", "Pick a loss.");
  if (!isInt(fit.epochs) || fit.epochs < 1) add("fit.epochs", "Epochs must be a whole number, at least 1.");
  else if (limits.maxEpochs && fit.epochs > limits.maxEpochs) add("fit.epochs", `Epochs must be at most ${limits.maxEpochs}.`);
  if (!isInt(fit.batch_size) || fit.batch_size < 1) add("fit.batch_size", "The batch size must be a whole number, at least 1.");
  else if (limits.maxBatchSize && fit.batch_size > limits.maxBatchSize) add("fit.batch_size", `The batch size must be at most ${limits.maxBatchSize}.`);
  const vs = fit.validation_split;
  if (!(typeof vs === "number" && vs >= 0 && vs <= 0.5)) add("fit.validation_split", "The validation split must be between 0 and 0.5.");
  if (!isInt(fit.seed) || fit.seed < 0) add("fit.seed", "The seed must be a whole number, 0 or more.");
  if (fit.early_stopping && (!isInt(fit.patience) || fit.patience < 0)) add("fit.early_stopping.patience", "Patience must be a whole number, 0 or more.");
  return errors;
}

/**
 * The body of POST /api/runs. `source` is {project_id} or {graph}.
 * @param {{source: object, dataset: {id: string, params: object}, compile: object, fit: object}} settings
 */
export function runRequest({ source, dataset, compile, fit }) {
  const body = {
    ...source,
    dataset: { id: dataset.id, params: { ...(dataset.params || {}) } },
    compile: {
      loss: compile.loss,
      optimizer: { type: compile.optimizer.type, learning_rate: compile.optimizer.learning_rate },
      metrics: [...compile.metrics],
    },
    fit: {
      epochs: fit.epochs,
      batch_size: fit.batch_size,
      validation_split: fit.validation_split,
      shuffle: Boolean(fit.shuffle),
      seed: fit.seed,
    },
  };
  if (compile.from_logits) body.compile.from_logits = true;
  if (fit.early_stopping) {
    body.fit.early_stopping = { monitor: fit.validation_split > 0 ? "val_loss" : "loss", patience: fit.patience };
  }
  return body;
}

/** Settings back from a stored run's request (to train again with the same settings). */
export function settingsFromRequest(request) {
  if (!request) return null;
  const fit = request.fit || {};
  const compile = request.compile || {};
  return {
    dataset: { id: request.dataset?.id, params: { ...(request.dataset?.params || {}) } },
    compile: {
      loss: compile.loss,
      optimizer: { type: compile.optimizer?.type || OPTIMIZER_DEFAULT.type, learning_rate: compile.optimizer?.learning_rate ?? OPTIMIZER_DEFAULT.learning_rate },
      metrics: [...(compile.metrics || [])],
      from_logits: Boolean(compile.from_logits),
    },
    fit: {
      ...FIT_DEFAULTS,
      epochs: fit.epochs ?? FIT_DEFAULTS.epochs,
      batch_size: fit.batch_size ?? FIT_DEFAULTS.batch_size,
      validation_split: fit.validation_split ?? FIT_DEFAULTS.validation_split,
      shuffle: fit.shuffle ?? true,
      seed: fit.seed ?? 0,
      early_stopping: Boolean(fit.early_stopping),
      patience: fit.early_stopping?.patience ?? FIT_DEFAULTS.patience,
    },
  };
}
