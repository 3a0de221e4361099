// Follows one run: its Server-Sent Events through the browser's EventSource
// (which reconnects by itself and sends Last-Event-ID, so the server resumes
// without gaps or duplicates), plus GET /api/runs/{id} while the run waits in
// the queue (for its position) or while the stream is down.
// Events: "event" {id, type, data}, "run" (RunPublic), "connection"
// ("open" | "reconnecting" | "closed"), "error" (ApiError from polling).

import { Emitter } from "./events.js";

const TYPES = ["status", "batch", "epoch", "end"];

export class RunStream extends Emitter {
  /** @param {object} api api.js @param {string} runId */
  constructor(api, runId, { pollMs = 1500, EventSourceImpl = window.EventSource } = {}) {
    super();
    this.api = api;
    this.runId = runId;
    this.pollMs = pollMs;
    this.EventSourceImpl = EventSourceImpl;
    this.source = null;
    this.status = null; // the latest status seen (event or poll)
    this.ended = false;
    this.broken = false;
    this._timer = null;
    this._closed = false;
  }

  start() {
    const source = new this.EventSourceImpl(this.api.runEventsUrl(this.runId));
    this.source = source;
    for (const type of TYPES) source.addEventListener(type, (e) => this._message(type, e));
    source.onopen = () => {
      this.broken = false;
      this.emit("connection", "open");
    };
    source.onerror = () => {
      if (this._closed || this.ended) return;
      this.broken = true;
      // CONNECTING: the browser retries by itself. CLOSED: it gave up (the
      // server answered with an error): keep up with polling instead.
      this.emit("connection", source.readyState === 2 ? "closed" : "reconnecting");
      this._schedulePoll(0);
    };
    this._schedulePoll(0);
    return this;
  }

  _message(type, e) {
    let data = null;
    try {
      data = JSON.parse(e.data);
    } catch {
      return; // not JSON: nothing the page can use
    }
    if (type === "status" && data && data.status) this.status = data.status;
    this.emit("event", { id: Number(e.lastEventId) || 0, type, data });
    if (type === "end") {
      this.ended = true;
      this.close();
    }
  }

  _schedulePoll(ms) {
    if (this._timer !== null || this._closed) return;
    this._timer = setTimeout(() => {
      this._timer = null;
      this._poll();
    }, ms);
  }

  async _poll() {
    if (this._closed) return;
    try {
      const run = await this.api.getRun(this.runId);
      if (this._closed) return;
      this.status = run.status;
      this.emit("run", run);
      if (["completed", "failed", "cancelled", "interrupted"].includes(run.status) && this.broken) {
        // The stream cannot tell us any more; the run row has the outcome.
        this.ended = true;
        this.close();
        return;
      }
    } catch (err) {
      if (this._closed) return;
      this.emit("error", err);
    }
    if (this.status === "queued" || this.broken) this._schedulePoll(this.pollMs);
  }

  close() {
    this._closed = true;
    clearTimeout(this._timer);
    this._timer = null;
    if (this.source) {
      this.source.close();
      this.source = null;
    }
  }
}
