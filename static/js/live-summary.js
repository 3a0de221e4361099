// Keeps the summary (shapes, counts, errors) in step with the graph: each edit
// schedules a POST /api/graphs/summary after a short pause; an older request
// still in flight is cancelled, and answers that arrive late are ignored.
// Events: "state" ("pending" | "fresh" | "error"), "result" (summary),
// "error" (ApiError).

import { Emitter } from "./events.js";

export class LiveSummary extends Emitter {
  constructor(api, { delay = 250, retryMs = 4000 } = {}) {
    super();
    this.api = api;
    this.delay = delay;
    this.retryMs = retryMs;
    this.state = "fresh";
    this.latest = null; // last good summary
    this._key = null; // JSON of the graph the latest answer describes
    this._wanted = null;
    this._timer = null;
    this._controller = null;
    this._seq = 0;
  }

  /** Ask for the summary of `graph` (a contract without ui) soon. */
  schedule(graph, { force = false } = {}) {
    const key = JSON.stringify(graph);
    if (!force && key === this._key && this.state === "fresh") return;
    this._wanted = { graph, key };
    this._setState("pending");
    clearTimeout(this._timer);
    this._timer = setTimeout(() => this._send(), this.delay);
  }

  /** Send the pending request now (used before reading results in tests/exports). */
  flush() {
    if (!this._wanted) return;
    clearTimeout(this._timer);
    this._send();
  }

  async _send() {
    const wanted = this._wanted;
    if (!wanted) return;
    this._controller?.abort();
    const controller = new AbortController();
    this._controller = controller;
    const seq = ++this._seq;
    try {
      const summary = await this.api.summary(wanted.graph, { signal: controller.signal });
      if (seq !== this._seq) return;
      this.latest = summary;
      this._key = wanted.key;
      this.emit("result", summary);
      if (this._wanted === wanted) {
        this._wanted = null;
        this._setState("fresh");
      }
    } catch (err) {
      if (err && err.name === "AbortError") return;
      if (seq !== this._seq) return;
      this.emit("error", err);
      this._setState("error");
      if (err.offline || err.status >= 500) {
        // Keep trying: the answer arrives as soon as the server is back.
        clearTimeout(this._timer);
        this._timer = setTimeout(() => this._send(), this.retryMs);
      }
    }
  }

  _setState(state) {
    if (state === this.state) return;
    this.state = state;
    this.emit("state", state);
  }
}
