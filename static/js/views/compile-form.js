// Compile and fit settings: loss, optimizer and learning rate, metrics (from
// GET /api/compile-options), then epochs, batch size, validation split,
// shuffle, seed and early stopping. Reads and writes plain settings objects
// ({compile, fit}, see model/run-config.js); errors are flagged by the run
// contract's field names ("fit.epochs", "compile.loss"...).

import { h } from "../dom.js";
import { defaultLearningRate } from "../model/run-config.js";
import { checkField, numberField, selectField } from "./form-fields.js";

const LOSS_GROUP = { regression: "Regression", sparse: "Classification: integer labels", categorical: "Classification: one-hot labels", binary: "Classification: two classes / 0-1 labels" };

export class CompileFormView {
  /** @param {HTMLElement} container @param {{onChange: () => void, limits?: object}} deps */
  constructor(container, { onChange = () => {}, limits = {} } = {}) {
    this.root = container;
    this.onChange = onChange;
    this.options = { losses: [], optimizers: [], metrics: [] };
    this.task = "regression";
    this.checked = new Set();
    const changed = () => this.onChange();

    this.loss = selectField({ name: "loss", label: "Loss", options: [], testid: "compile-loss", onChange: () => { this._syncLogits(); changed(); } });
    this.optimizer = selectField({ name: "optimizer", label: "Optimizer", options: [], testid: "compile-optimizer", onChange: (id) => this._optimizerPicked(id) });
    this.lr = numberField({ name: "learning_rate", label: "Learning rate", value: 0.001, min: 0, step: "any", testid: "compile-lr", onChange: changed });
    this.logits = checkField({ name: "from_logits", label: "The output gives raw scores (from_logits)", testid: "compile-from-logits", onChange: changed });
    this.metricsMain = h("div", { class: "metric-list", "data-testid": "compile-metrics" });
    this.metricsMore = h("div", { class: "metric-list" });
    this.metricsError = h("div", { class: "field-error", role: "alert", hidden: true });
    this.epochs = numberField({ name: "epochs", label: "Epochs", value: 50, min: 1, max: limits.maxEpochs, step: 1, testid: "fit-epochs", onChange: changed });
    this.batch = numberField({ name: "batch_size", label: "Batch size", value: 16, min: 1, max: limits.maxBatchSize, step: 1, testid: "fit-batch-size", onChange: changed });
    this.split = numberField({ name: "validation_split", label: "Validation split", value: 0.2, min: 0, max: 0.5, step: 0.05, testid: "fit-validation-split", hint: "Share of the training rows held out to score each epoch (val_loss).", onChange: changed });
    this.seed = numberField({ name: "seed", label: "Seed", value: 0, min: 0, step: 1, testid: "fit-seed", onChange: changed });
    this.shuffle = checkField({ name: "shuffle", label: "Shuffle the rows every epoch", value: true, testid: "fit-shuffle", onChange: changed });
    this.early = checkField({ name: "early_stopping", label: "Stop early when val_loss stops improving", testid: "fit-early-stopping", onChange: () => { this._syncEarly(); changed(); } });
    this.patience = numberField({ name: "patience", label: "Patience (epochs)", value: 10, min: 0, step: 1, testid: "fit-patience", onChange: changed });

    this.fields = {
      "compile.loss": this.loss,
      "compile.optimizer.type": this.optimizer,
      "compile.optimizer.learning_rate": this.lr,
      "compile.optimizer": this.optimizer,
      "compile.from_logits": this.logits,
      "fit.epochs": this.epochs,
      "fit.batch_size": this.batch,
      "fit.validation_split": this.split,
      "fit.seed": this.seed,
      "fit.shuffle": this.shuffle,
      "fit.early_stopping": this.early,
      "fit.early_stopping.patience": this.patience,
      "fit.early_stopping.monitor": this.early,
    };

    container.append(
      h("fieldset", { class: "settings", "data-testid": "compile-settings" },
        h("legend", {}, "Compile"),
        this.loss.el, this.logits.el,
        h("div", { class: "field-grid" }, this.optimizer.el, this.lr.el),
        h("div", { class: "field" }, h("span", { class: "field-label", id: "metrics-label" }, "Metrics"),
          h("div", { role: "group", "aria-labelledby": "metrics-label" }, this.metricsMain,
            h("details", { class: "more-metrics" }, h("summary", {}, "Other metrics"), this.metricsMore)),
          this.metricsError)),
      h("fieldset", { class: "settings", "data-testid": "fit-settings" },
        h("legend", {}, "Fit"),
        h("div", { class: "field-grid" }, this.epochs.el, this.batch.el, this.split.el, this.seed.el),
        this.shuffle.el, this.early.el, this.patience.el),
    );
    this._syncEarly();
    this._syncLogits();
  }

  /** The GET /api/compile-options answer. */
  setOptions(options) {
    this.options = options;
    this.loss.setOptions(options.losses.map((l) => ({ value: l.id, label: l.id, group: LOSS_GROUP[l.labels] || "Other", title: l.doc })));
    this.optimizer.setOptions(options.optimizers.map((o) => ({ value: o.id, label: o.class || o.id, title: o.doc })));
    this._renderMetrics();
    this._syncLogits();
  }

  /** Show the metrics of this task first ("regression" | "classification"). */
  setTask(task) {
    if (task === this.task) return;
    this.task = task;
    this._renderMetrics();
  }

  _renderMetrics() {
    const make = (m) => {
      const id = `metric-${m.id}`;
      const box = h("input", { type: "checkbox", id, value: m.id, "data-testid": `metric-${m.id}` });
      box.checked = this.checked.has(m.id);
      box.addEventListener("change", () => {
        if (box.checked) this.checked.add(m.id);
        else this.checked.delete(m.id);
        this.onChange();
      });
      return h("label", { class: "metric", for: id, title: m.doc || "" }, box, m.id);
    };
    const mine = this.options.metrics.filter((m) => m.task === this.task);
    const rest = this.options.metrics.filter((m) => m.task !== this.task);
    this.metricsMain.replaceChildren(...mine.map(make));
    this.metricsMore.replaceChildren(...rest.map(make));
    // An unusual metric that is checked stays in view.
    if (rest.some((m) => this.checked.has(m.id))) this.metricsMore.closest("details").open = true;
  }

  _optimizerPicked(id) {
    const optimizer = this.options.optimizers.find((o) => o.id === id);
    this.lr.set(defaultLearningRate(optimizer));
    this.onChange();
  }

  _syncEarly() {
    this.patience.el.hidden = !this.early.get();
  }

  _syncLogits() {
    const loss = this.options.losses.find((l) => l.id === this.loss.get());
    const offered = Boolean(loss && loss.from_logits);
    this.logits.el.hidden = !offered;
    if (!offered) this.logits.set(false);
  }

  /** Current settings ({compile, fit}); numbers as typed (checked by checkSettings). */
  value() {
    const num = (field) => {
      const v = field.get();
      return v === null ? NaN : v;
    };
    return {
      compile: {
        loss: this.loss.get(),
        optimizer: { type: this.optimizer.get(), learning_rate: num(this.lr) },
        metrics: this.options.metrics.filter((m) => this.checked.has(m.id)).map((m) => m.id),
        from_logits: this.logits.get(),
      },
      fit: {
        epochs: num(this.epochs),
        batch_size: num(this.batch),
        validation_split: num(this.split),
        shuffle: this.shuffle.get(),
        seed: num(this.seed),
        early_stopping: this.early.get(),
        patience: num(this.patience),
      },
    };
  }

  setValue({ compile, fit }) {
    if (compile) {
      this.loss.set(compile.loss);
      this.optimizer.set(compile.optimizer.type);
      this.lr.set(compile.optimizer.learning_rate);
      this.logits.set(compile.from_logits);
      this.checked = new Set(compile.metrics || []);
      this._renderMetrics();
      this._syncLogits();
    }
    if (fit) {
      this.epochs.set(fit.epochs);
      this.batch.set(fit.batch_size);
      this.split.set(fit.validation_split);
      this.seed.set(fit.seed);
      this.shuffle.set(fit.shuffle);
      this.early.set(fit.early_stopping);
      this.patience.set(fit.patience);
      this._syncEarly();
    }
  }

  /** Flag [{field, message}]; focuses the first flagged field. Returns true if any was shown here. */
  flag(errors) {
    this.clearFlags();
    let first = null;
    for (const { field, message } of errors) {
      const key = Object.keys(this.fields).find((k) => field === k || field.startsWith(`${k}.`) || field.startsWith(`${k}[`)) ||
        (field.startsWith("compile.metrics") ? "metrics" : null);
      if (key === "metrics") {
        this.metricsError.textContent = message;
        this.metricsError.hidden = false;
        first = first || this.metricsMain.querySelector("input");
        continue;
      }
      const target = key && this.fields[key];
      if (!target) continue;
      target.flag(message);
      first = first || target.input;
    }
    first?.focus();
    return first !== null;
  }

  clearFlags() {
    for (const field of new Set(Object.values(this.fields))) field.flag(null);
    this.metricsError.hidden = true;
  }
}
