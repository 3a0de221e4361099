// One training run as the page knows it: folds the run's Server-Sent Events
// (status, batch, epoch, end) and GET /api/runs/{id} answers into status,
// progress, per-epoch curves and final metrics. Pure model: no DOM, no I/O
// (DESIGN.md style rule 9). Events are applied in place; an event whose id
// was already applied (a resumed stream) is ignored.

export const ACTIVE = new Set(["queued", "running"]);
export const FINISHED = new Set(["completed", "failed", "cancelled", "interrupted"]);

/** "val_mean_absolute_error" -> "mean_absolute_error" */
export function baseMetric(key) {
  return key.startsWith("val_") ? key.slice(4) : key;
}

/** Logs that are not curves (bookkeeping numbers in final metrics). */
const NOT_CURVES = new Set(["epochs_run", "fit_seconds", "samples_per_second", "total_seconds"]);

export class RunState {
  /** @param {string} runId @param {object|null} run a RunPublic answer, if known */
  constructor(runId, run = null) {
    this.runId = runId;
    this.status = "queued";
    this.phase = null; // "preparing" | "training" while running
    this.queuePosition = null;
    this.epochs = null; // planned epochs
    this.epochsDone = 0;
    this.steps = null; // batches per epoch
    this.batch = null; // {epoch, batch, steps} of the latest batch event
    this.info = {}; // train/validation/test sizes, parameter count
    this.series = new Map(); // log key -> {x: epochs[], y: values[]}
    this.finalMetrics = null;
    this.error = null;
    this.warnings = [];
    this.lastId = 0;
    this.ended = false;
    this.run = null; // the latest RunPublic
    if (run) this.applyRun(run);
  }

  get active() {
    return ACTIVE.has(this.status);
  }

  get finished() {
    return FINISHED.has(this.status);
  }

  /** Fold one event {id, type, data}; returns false when it changed nothing (a duplicate). */
  apply({ id, type, data }) {
    const seq = Number(id);
    if (Number.isFinite(seq) && seq > 0) {
      if (seq <= this.lastId) return false;
      this.lastId = seq;
    }
    data = data || {};
    if (type === "status") this._status(data);
    else if (type === "batch") this._batch(data);
    else if (type === "epoch") this._epoch(data);
    else if (type === "end") {
      this._status(data);
      this.ended = true;
    } else return false;
    return true;
  }

  /** Take what GET /api/runs/{id} knows (queue position, final fields). */
  applyRun(run) {
    if (!run || run.id !== this.runId) return false;
    this.run = run;
    // The stream is the source of truth for progress; the run row adds the queue
    // position, and the final fields when no stream is open (or it was missed).
    if (!this.ended && (FINISHED.has(run.status) || this.status === "queued")) this.status = run.status;
    this.queuePosition = run.status === "queued" ? run.queue_position ?? null : null;
    if (FINISHED.has(run.status)) {
      this.finalMetrics = run.final_metrics || this.finalMetrics;
      this.error = run.error ?? this.error;
    }
    if (Array.isArray(run.warnings) && run.warnings.length) this.warnings = run.warnings;
    const fit = run.request && run.request.fit;
    if (fit && this.epochs === null) this.epochs = fit.epochs;
    return true;
  }

  _status(data) {
    if (data.status) this.status = data.status;
    if (this.status !== "queued") this.queuePosition = null;
    if (data.phase) this.phase = data.phase;
    if (Array.isArray(data.warnings) && data.warnings.length) this.warnings = data.warnings;
    if (Number.isFinite(data.epochs)) this.epochs = data.epochs;
    if (Number.isFinite(data.steps_per_epoch)) this.steps = data.steps_per_epoch;
    for (const key of ["train_samples", "validation_samples", "test_samples", "parameters", "batch_size", "device"]) {
      if (data[key] !== undefined) this.info[key] = data[key];
    }
    if ("error" in data) this.error = data.error;
    if (data.final_metrics) this.finalMetrics = data.final_metrics;
  }

  _batch(data) {
    this.batch = { epoch: data.epoch, batch: data.batch, steps: data.steps };
    if (Number.isFinite(data.steps)) this.steps = data.steps;
    if (this.status === "queued") this.status = "running";
  }

  _epoch(data) {
    const epoch = data.epoch;
    if (!Number.isFinite(epoch)) return;
    if (Number.isFinite(data.epochs)) this.epochs = data.epochs;
    this.epochsDone = Math.max(this.epochsDone, epoch);
    if (this.status === "queued") this.status = "running";
    for (const [key, value] of Object.entries(data.logs || {})) {
      if (NOT_CURVES.has(key)) continue;
      if (!this.series.has(key)) this.series.set(key, { x: [], y: [] });
      const s = this.series.get(key);
      const at = s.x.lastIndexOf(epoch);
      const y = typeof value === "number" && Number.isFinite(value) ? value : null; // NaN: a gap
      if (at >= 0) s.y[at] = y;
      else {
        s.x.push(epoch);
        s.y.push(y);
      }
    }
  }

  /** Curves grouped by metric: [{name: "loss", series: [{key, label, x, y}]}], loss first. */
  groups() {
    const byBase = new Map();
    for (const [key, s] of this.series) {
      const base = baseMetric(key);
      if (!byBase.has(base)) byBase.set(base, []);
      byBase.get(base).push({ key, label: key.startsWith("val_") ? "validation" : "training", x: s.x.slice(), y: s.y.slice() });
    }
    const names = [...byBase.keys()].sort((a, b) => (a === "loss" ? -1 : b === "loss" ? 1 : 0));
    return names.map((name) => ({
      name,
      series: byBase.get(name).sort((a, b) => (a.key.startsWith("val_") ? 1 : 0) - (b.key.startsWith("val_") ? 1 : 0)),
    }));
  }

  /** Number of epochs plotted on the loss curve. */
  get lossPoints() {
    return this.series.get("loss")?.x.length ?? 0;
  }

  /** Overall progress in [0, 1], or null before training starts. */
  progress() {
    if (this.status === "completed") return 1;
    if (!this.epochs) return null;
    let done = this.epochsDone;
    const b = this.batch;
    if (b && b.epoch === this.epochsDone + 1 && b.steps) done += Math.min(1, b.batch / b.steps);
    return Math.max(0, Math.min(1, done / this.epochs));
  }

  /** A sentence for the status line. */
  describe() {
    switch (this.status) {
      case "queued":
        return this.queuePosition
          ? `Queued: position ${this.queuePosition} (${this.queuePosition === 1 ? "next to start" : `${this.queuePosition - 1} ahead`})`
          : "Queued: waiting for a worker";
      case "running": {
        if (this.phase !== "training" && !this.epochsDone && !this.batch) return "Starting: loading the data and building the model…";
        const inEpoch = this.batch && this.batch.epoch > this.epochsDone;
        const epoch = inEpoch ? this.batch.epoch : Math.max(1, this.epochsDone);
        const b = inEpoch ? `, batch ${this.batch.batch} of ${this.batch.steps}` : "";
        return `Training: epoch ${epoch} of ${this.epochs ?? "?"}${b}`;
      }
      case "completed": {
        const m = this.finalMetrics || {};
        const early = m.early_stopped ? ` (early stopping after ${m.epochs_run} epochs)` : "";
        const secs = this.run && Number.isFinite(this.run.run_seconds) ? ` in ${this.run.run_seconds.toFixed(1)} s` : Number.isFinite(m.total_seconds) ? ` in ${m.total_seconds.toFixed(1)} s` : "";
        return `Completed${secs}${early}`;
      }
      case "failed":
        return "Failed";
      case "cancelled": {
        const at = this.finalMetrics && this.finalMetrics.stopped_at;
        if (typeof at === "string") return `Cancelled ${at}`;
        if (at && at.epoch) return `Cancelled during epoch ${at.epoch} (batch ${at.batch})`;
        return "Cancelled";
      }
      case "interrupted":
        return "Interrupted";
      default:
        return this.status;
    }
  }

  /** Final numbers worth showing, as [key, value] pairs: loss first, bookkeeping last. */
  metricRows() {
    const m = this.finalMetrics;
    if (!m) return [];
    const rank = (k) => (k === "loss" ? 0 : k === "val_loss" ? 1 : k.startsWith("test_") ? 3 : NOT_CURVES.has(k) ? 4 : 2);
    return Object.entries(m)
      .filter(([, v]) => typeof v === "number" || v === null)
      .sort((a, b) => rank(a[0]) - rank(b[0]));
  }
}
