// The Data, Train and Results tabs together: loads the datasets and the
// compile options, keeps each project's dataset and settings (in this
// browser), starts runs (saving the project first so the run trains what is
// on screen), follows the selected run's events and feeds its state to the
// Train and Results panels.

import { debounce } from "./events.js";
import { matchDataset, outputUnits } from "./model/data-match.js";
import {
  checkSettings, compileDefaults, defaultLoss, defaultMetrics, defaultsKey, FIT_DEFAULTS, runRequest, settingsFromRequest,
} from "./model/run-config.js";
import { RunState } from "./model/run-state.js";
import { RunStream } from "./run-stream.js";
import { DataPanelView } from "./views/data-panel.js";
import { ResultsPanelView } from "./views/results-panel.js";
import { TrainPanelView } from "./views/train-panel.js";

const SETTINGS_PREFIX = "neuralcanvas.training.";

function storage() {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

export class Training {
  /**
   * @param {{api, notices, config, editor, store, selectTab: (name: string) => void, exportCode: () => void,
   *          el: {dataPanel: HTMLElement, trainPanel: HTMLElement, resultsPanel: HTMLElement}}} deps
   */
  constructor({ api, notices, config, editor, store, selectTab, exportCode, el }) {
    this.api = api;
    this.notices = notices;
    this.editor = editor;
    this.store = store;
    this.selectTab = selectTab;
    this.limits = { maxEpochs: config.maxEpochs ?? null, maxBatchSize: config.maxBatchSize ?? null };
    this.datasets = null; // null until loaded
    this.options = null;
    this.projectId = undefined; // the project the panels show (undefined: none yet)
    this.choice = { dataset: null, params: {} };
    this.state = null; // RunState of the selected run
    this.stream = null;
    this._busy = false;
    this._defaultsKey = null;
    this._frame = null;
    const plotlyUrl = config.plotlyUrl || "/vendor/plotly.min.js";

    this.data = new DataPanelView(el.dataPanel, {
      plotlyUrl,
      loadPreview: (id, params, opts) => api.previewDataset(id, params, opts),
      upload: (form) => this._upload(form),
      remove: (id) => this._removeDataset(id),
      onChange: (choice) => this._dataChanged(choice),
      onShowNode: (id) => this._showNode(id),
    });
    this.train = new TrainPanelView(el.trainPanel, {
      plotlyUrl,
      limits: this.limits,
      onTrain: () => this.trainNow(),
      onCancel: () => this.cancel(),
      onShowData: () => selectTab("data"),
      onShowResults: () => selectTab("results"),
      onShowNode: (id) => this._showNode(id),
      onOpenRun: (run) => this.openRun(run),
      onReuse: () => this.reuseSettings(),
      onRefreshRuns: () => this.refreshRuns(),
      onSettings: () => this._saveSettings(),
    });
    this.results = new ResultsPanelView(el.resultsPanel, {
      plotlyUrl,
      loadPredictions: (id) => api.predictions(id),
      modelUrl: (id) => api.modelUrl(id),
      onExportCode: () => exportCode(),
    });
    const rematch = debounce(() => this._rematch(), 150);
    editor.summary.on("result", () => this._rematch());
    editor.summary.on("state", (state) => state === "fresh" && this._rematch());
    editor.graph.on("change", rematch);
    this._render();
  }

  // ---- start-up and projects --------------------------------------------------------------

  /** Load datasets and compile options (retrying while the server warms up). */
  async start() {
    for (let attempt = 0; ; attempt += 1) {
      try {
        const [datasets, options] = await Promise.all([this.api.datasets(), this.api.compileOptions()]);
        this.datasets = datasets;
        this.options = options;
        this.notices.clear("training");
        this.train.form.setOptions(options);
        break;
      } catch (err) {
        if (!(err.offline || err.status >= 500) || attempt >= 20) {
          this.notices.banner("training", `Could not load the datasets and training options: ${err.message}`, {
            kind: "error", actions: [{ label: "Retry", onClick: () => this.start() }],
          });
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, Math.min(5000, 800 * (attempt + 1))));
      }
    }
    this._applyProject(true);
  }

  /** The editor opened another project (or the current one got its id): show its settings and runs. */
  projectChanged() {
    const id = this.store.current ? this.store.current.id : null;
    if (id === this.projectId) return;
    const wasLocal = this.projectId === null && this.store.current && id;
    this.projectId = id;
    if (wasLocal) {
      this._saveSettings(); // same work, now stored on the server: keep its settings
      this.refreshRuns();
      return;
    }
    this._applyProject(true);
  }

  _applyProject(selectLatest) {
    if (!this.datasets || this.projectId === undefined) return;
    this._selectRun(null);
    const saved = this._readSettings();
    const contract = this.editor.modelContract();
    const choice = saved && saved.dataset && this.datasets.some((d) => d.id === saved.dataset.id) ? saved.dataset : { id: this._guessDataset(contract), params: null };
    this.data.setDatasets(this.datasets, choice);
    this.choice = this.data.choice();
    const dataset = this.choice.dataset;
    const units = outputUnits(this.editor.summary.latest);
    if (saved && saved.compile && saved.fit) {
      this.train.form.setValue({ compile: saved.compile, fit: { ...FIT_DEFAULTS, ...saved.fit } });
      this._defaultsKey = saved.defaultsKey || defaultsKey(dataset, units);
    } else {
      this.train.form.setValue({ compile: compileDefaults(dataset, units, this.options.optimizers), fit: { ...FIT_DEFAULTS } });
      this._defaultsKey = defaultsKey(dataset, units);
    }
    this.train.form.setTask(dataset ? dataset.task : "regression");
    this.train.setDataset(dataset, this.choice.params);
    this._rematch();
    this.refreshRuns({ selectLatest });
  }

  /** A first dataset for a project: the first whose samples fit the model's Input exactly. */
  _guessDataset(contract) {
    const input = (contract.nodes || []).find((n) => n.type === "Input");
    const shape = JSON.stringify(input?.params?.shape || []);
    const fit = this.datasets.find((d) => JSON.stringify(d.input_shape) === shape);
    return (fit || this.datasets.find((d) => d.id === "tutorial_regression") || this.datasets[0])?.id;
  }

  _settingsKey() {
    return SETTINGS_PREFIX + (this.projectId || "local");
  }

  _readSettings() {
    try {
      const raw = storage()?.getItem(this._settingsKey());
      const data = raw ? JSON.parse(raw) : null;
      return data && typeof data === "object" ? data : null;
    } catch {
      return null;
    }
  }

  _saveSettings() {
    if (!this.datasets || !this.choice.dataset) return;
    const { compile, fit } = this.train.form.value();
    const data = { dataset: { id: this.choice.dataset.id, params: this.choice.params || {} }, compile, fit, defaultsKey: this._defaultsKey };
    try {
      storage()?.setItem(this._settingsKey(), JSON.stringify(data));
    } catch {
      /* no room: the settings are only a convenience */
    }
  }

  // ---- data -------------------------------------------------------------------------------

  _dataChanged(choice) {
    this.choice = choice;
    this.train.setDataset(choice.dataset, choice.params);
    this.train.form.setTask(choice.dataset ? choice.dataset.task : "regression");
    this._applyDefaults();
    this._rematch();
    this._saveSettings();
  }

  /**
   * The loss follows the dataset (and the output's units); the metrics follow
   * the task. Optimizer, learning rate and fit settings are the user's.
   */
  _applyDefaults() {
    const dataset = this.choice.dataset;
    if (!dataset || !this.options) return;
    const units = outputUnits(this.editor.summary.latest);
    const key = defaultsKey(dataset, units);
    if (key === this._defaultsKey) return;
    const taskChanged = !this._defaultsKey || this._defaultsKey.split(":")[0] !== dataset.task;
    const current = this.train.form.value().compile;
    this.train.form.setValue({
      compile: {
        ...current,
        loss: defaultLoss(dataset, units),
        metrics: taskChanged ? defaultMetrics(dataset) : current.metrics,
        from_logits: false,
      },
    });
    this._defaultsKey = key;
  }

  _rematch() {
    if (!this.choice.dataset) return;
    const result = matchDataset(this.choice.dataset, this.editor.modelContract(), this.editor.summary.latest);
    this.data.setMatch(result);
    this.train.setMatch(result);
    if (this.editor.summary.state === "fresh") {
      const before = this._defaultsKey;
      this._applyDefaults();
      if (before !== this._defaultsKey) this._saveSettings();
    }
  }

  async _reloadDatasets(selectId) {
    this.datasets = await this.api.datasets();
    this.data.setDatasets(this.datasets, selectId ? { id: selectId, params: null } : { id: this.choice.dataset?.id, params: this.choice.params });
    this._dataChanged(this.data.choice());
  }

  async _upload(form) {
    const dataset = await this.api.uploadDataset(form);
    await this._reloadDatasets(dataset.id);
    return dataset;
  }

  async _removeDataset(id) {
    await this.api.deleteDataset(id);
    await this._reloadDatasets(this.datasets.find((d) => d.id !== id)?.id);
  }

  _showNode(id) {
    this.selectTab("inspector");
    this.editor.focusNode(id);
  }

  // ---- runs -------------------------------------------------------------------------------

  async trainNow() {
    if (this._busy) return;
    this.train.clearRequestError();
    this.train.form.clearFlags();
    if (!this.datasets || !this.options) {
      this.train.showMessage("The datasets and training options are still loading. Try again in a moment.");
      return;
    }
    const settings = this.train.form.value();
    const problems = checkSettings(settings, this.limits);
    if (problems.length) {
      this.train.root.querySelector(".settings-box").open = true;
      this.train.form.flag(problems);
      this.train.showMessage("Fix the highlighted settings first.");
      return;
    }
    const params = this.data.values();
    if (!this.choice.dataset || !params) {
      this.train.showMessage("Fix the dataset's values in the Data tab first.");
      return;
    }
    this._busy = true;
    this._controls();
    try {
      await this.store.flush();
      const current = this.store.current;
      const saved = current && current.id && this.store.state === "saved" && !this.store.paused;
      // The saved project when the server has exactly what is on screen; else the graph itself.
      const source = saved ? { project_id: current.id } : { graph: this.editor.modelContract() };
      const body = runRequest({ source, dataset: { id: this.choice.dataset.id, params }, ...settings });
      const projectId = this.projectId;
      const run = await this.api.createRun(body);
      if (projectId !== this.projectId) return; // another project was opened meanwhile: its history lists it
      this._selectRun(run);
      this.refreshRuns();
    } catch (err) {
      this.train.showRequestError(err);
      if (err.field && /^(compile|fit)\./.test(err.field)) this.train.form.flag([{ field: err.field, message: err.message }]);
    } finally {
      this._busy = false;
      this._controls();
    }
  }

  async cancel() {
    const state = this.state;
    if (!state || !state.active) return;
    this.train.cancelBtn.disabled = true;
    try {
      const run = await this.api.cancelRun(state.runId);
      if (state.applyRun(run)) this._render();
    } catch (err) {
      this.train.showMessage(`Could not cancel: ${err.message}`);
      this._controls();
    }
  }

  /** Put the selected run's dataset and settings back into the forms (to train it again, or vary it). */
  reuseSettings() {
    const request = this.state && this.state.run && this.state.run.request;
    const settings = settingsFromRequest(request);
    if (!settings || !this.datasets || !this.datasets.some((d) => d.id === settings.dataset.id)) {
      this.train.showMessage("This run's dataset is no longer available.");
      return;
    }
    this.data.choose(settings.dataset.id, settings.dataset.params, { notify: false });
    this.choice = this.data.choice();
    this.train.form.setValue({ compile: settings.compile, fit: settings.fit });
    this.train.form.setTask(this.choice.dataset.task);
    this.train.setDataset(this.choice.dataset, this.choice.params);
    this._defaultsKey = defaultsKey(this.choice.dataset, outputUnits(this.editor.summary.latest));
    this._rematch();
    this._saveSettings();
    this.train.root.querySelector(".settings-box").open = true;
  }

  /** Reopen a past run (its curves replay from the stored events). */
  openRun(run) {
    this.train.clearRequestError();
    this._selectRun(run);
  }

  _selectRun(run) {
    this.stream?.close();
    this.stream = null;
    this.state = run ? new RunState(run.id, run) : null;
    this.train.history.select(run ? run.id : null);
    if (run) {
      const state = this.state;
      const stream = new RunStream(this.api, run.id);
      this.stream = stream;
      stream.on("event", (event) => {
        if (state !== this.state || !state.apply(event)) return;
        this._scheduleRender();
        if (event.type === "end") this.refreshRuns();
      });
      stream.on("run", (info) => {
        if (state === this.state && state.applyRun(info)) this._scheduleRender();
      });
      stream.on("connection", (what) => {
        if (state !== this.state) return;
        if (what === "reconnecting") this.train.run.status.textContent = `${state.describe()} (connection lost, reconnecting…)`;
      });
      stream.start();
    }
    this._render();
  }

  async refreshRuns({ selectLatest = false } = {}) {
    const projectId = this.projectId;
    if (!projectId) {
      this.train.history.setRuns([]);
      this.train.history.setError("Runs are listed here once the project is saved on the server.");
      return;
    }
    try {
      const runs = await this.api.listRuns({ project_id: projectId, limit: 50 });
      if (projectId !== this.projectId) return;
      this.train.history.setRuns(runs, this.state ? this.state.runId : null);
      if (selectLatest && !this.state && runs.length) this._selectRun(runs[0]);
    } catch (err) {
      this.train.history.setError(`Could not list the runs: ${err.message}`);
    }
  }

  _scheduleRender() {
    if (this._frame !== null) return;
    this._frame = requestAnimationFrame(() => {
      this._frame = null;
      this._render();
    });
  }

  _render() {
    this.train.run.show(this.state);
    this.results.show(this.state);
    this._controls();
  }

  _controls() {
    const state = this.state;
    this.train.setControls({
      active: Boolean(state && state.active), busy: this._busy,
      completed: Boolean(state && state.status === "completed"), reusable: Boolean(state && state.run && state.run.request),
    });
  }
}
