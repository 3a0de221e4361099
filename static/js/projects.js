// Projects on the server, autosave, and a copy of unsaved work in this
// browser's localStorage, so a lost server, a refused save or a closed tab
// never loses an edit. Events: "status" {state, message}, where state is
// "saved" | "saving" | "pending" | "offline" | "error" | "paused".

import { Emitter } from "./events.js";

const LAST_KEY = "neuralcanvas.lastProject";
const DRAFT_PREFIX = "neuralcanvas.draft.";
const LOCAL_ID = "local"; // work not yet stored on the server

function safeStorage() {
  try {
    const probe = "__nc_probe__";
    window.localStorage.setItem(probe, "1");
    window.localStorage.removeItem(probe);
    return window.localStorage;
  } catch {
    return null; // private mode or disabled: autosave still works, only the backup is lost
  }
}

export class ProjectStore extends Emitter {
  constructor(api, { saveDelay = 800, retryMs = 5000, storage = safeStorage() } = {}) {
    super();
    this.api = api;
    this.saveDelay = saveDelay;
    this.retryMs = retryMs;
    this.storage = storage;
    this.current = null; // {id (null until stored), name, updated_at}
    this.state = "saved";
    this.message = "";
    this._pending = null; // {name, graph} waiting to be saved
    this._timer = null;
    this._inFlight = null;
    this._pausedReason = null;
  }

  // ---- local copies -----------------------------------------------------------

  _draftKey(id) {
    return DRAFT_PREFIX + (id || LOCAL_ID);
  }

  readDraft(id) {
    if (!this.storage) return null;
    try {
      const raw = this.storage.getItem(this._draftKey(id));
      if (!raw) return null;
      const draft = JSON.parse(raw);
      return draft && typeof draft === "object" && draft.graph ? draft : null;
    } catch {
      return null;
    }
  }

  _writeDraft(id, draft) {
    try {
      this.storage?.setItem(this._draftKey(id), JSON.stringify(draft));
    } catch {
      /* storage full: the server copy is still attempted */
    }
  }

  _dropDraft(id) {
    try {
      this.storage?.removeItem(this._draftKey(id));
    } catch {
      /* ignore */
    }
  }

  get lastId() {
    try {
      return this.storage?.getItem(LAST_KEY) || null;
    } catch {
      return null;
    }
  }

  _remember(id) {
    try {
      if (id) this.storage?.setItem(LAST_KEY, id);
      else this.storage?.removeItem(LAST_KEY);
    } catch {
      /* ignore */
    }
  }

  // ---- server operations ------------------------------------------------------

  list() {
    return this.api.listProjects();
  }

  /** Fetch a project; `draft` is this browser's newer unsaved copy, if any. */
  async open(id) {
    await this.flush();
    const project = await this.api.getProject(id);
    this._adopt(project);
    // A dirty copy made from the version the server still has holds newer work;
    // one made from an older version conflicts with edits made elsewhere.
    const draft = this.readDraft(id);
    const dirty = draft && draft.dirty ? draft : null;
    const newer = dirty && dirty.base === project.updated_at ? dirty : null;
    const conflict = dirty && !newer ? dirty : null;
    if (!dirty) this._writeDraft(id, { name: project.name, graph: project.graph, at: Date.now(), dirty: false, base: project.updated_at });
    return { project, draft: newer, conflict };
  }

  async create(name, graph) {
    await this.flush();
    const project = await this.api.createProject({ name, graph });
    this._adopt(project);
    return project;
  }

  /** Work that exists only in this browser (server unreachable at start). */
  openLocal(name) {
    this.current = { id: null, name, updated_at: null };
    this._setStatus("offline", "Not stored on the server yet: kept in this browser.");
  }

  async remove(id) {
    await this.api.deleteProject(id);
    this._dropDraft(id);
    if (this.current && this.current.id === id) {
      this.current = null;
      this._pending = null;
      clearTimeout(this._timer);
      this._remember(null);
    }
  }

  _adopt(project) {
    this.current = { id: project.id, name: project.name, updated_at: project.updated_at };
    this._pending = null;
    this._pausedReason = null;
    clearTimeout(this._timer);
    this._remember(project.id);
    this._setStatus("saved", "");
  }

  // ---- autosave ---------------------------------------------------------------

  /** The user changed something: keep a local copy now, save to the server soon. */
  edited(name, graph) {
    if (!this.current) return;
    this.current.name = name;
    this._pending = { name, graph };
    this._writeDraft(this.current.id, { name, graph, at: Date.now(), dirty: true, base: this.current.updated_at });
    if (this._pausedReason) return;
    this._setStatus("pending", "Unsaved changes");
    clearTimeout(this._timer);
    this._timer = setTimeout(() => this._save(), this.saveDelay);
  }

  /** Stop writing to the server (e.g. the stored project is corrupt). */
  pause(reason) {
    this._pausedReason = reason;
    clearTimeout(this._timer);
    this._setStatus("paused", reason);
  }

  resume() {
    this._pausedReason = null;
    if (this._pending) this._save();
    else this._setStatus("saved", "");
  }

  get paused() {
    return Boolean(this._pausedReason);
  }

  /** Save now; resolves when nothing is waiting (or the save failed). */
  async flush() {
    clearTimeout(this._timer);
    if (this._inFlight) await this._inFlight.catch(() => {});
    if (this._pending && !this._pausedReason) await this._save();
  }

  /** Best effort on tab close: a keepalive request the browser finishes for us. */
  flushOnExit() {
    if (!this._pending || this._pausedReason || !this.current || !this.current.id) return;
    this.api.updateProject(this.current.id, this._pending, { keepalive: true }).catch(() => {});
  }

  async _save() {
    if (this._inFlight) {
      await this._inFlight.catch(() => {});
      if (!this._pending) return;
    }
    const body = this._pending;
    if (!body || !this.current || this._pausedReason) return;
    this._pending = null;
    const current = this.current;
    this._setStatus("saving", "Saving…");
    const attempt = (async () => {
      try {
        let project;
        if (current.id) {
          try {
            project = await this.api.updateProject(current.id, body);
          } catch (err) {
            if (err.status !== 404) throw err;
            project = await this.api.createProject(body); // deleted elsewhere: keep the work as a new project
            this.emit("recreated", project);
          }
        } else {
          project = await this.api.createProject(body);
        }
        if (this.current !== current) return;
        const oldId = current.id;
        current.id = project.id;
        current.updated_at = project.updated_at;
        this._remember(project.id);
        if (oldId !== project.id) this._dropDraft(oldId);
        if (this._pending) {
          this._setStatus("pending", "Unsaved changes");
          clearTimeout(this._timer);
          this._timer = setTimeout(() => this._save(), this.saveDelay);
        } else {
          // Keep a clean copy: the project still opens here if the server is away next time.
          this._writeDraft(project.id, { name: body.name, graph: body.graph, at: Date.now(), dirty: false, base: project.updated_at });
          this._setStatus("saved", "All changes saved");
        }
      } catch (err) {
        if (this.current !== current) return;
        this._pending = this._pending || body; // keep it for the next try
        if (err.offline || err.status >= 500) {
          this._setStatus("offline", `${err.message} Your changes are kept in this browser and will be saved when it is back.`);
          clearTimeout(this._timer);
          this._timer = setTimeout(() => this._save(), this.retryMs);
        } else {
          this._setStatus("error", `Could not save: ${err.message} Your changes are kept in this browser.`);
        }
      }
    })();
    this._inFlight = attempt;
    try {
      await attempt;
    } finally {
      if (this._inFlight === attempt) this._inFlight = null;
    }
  }

  _setStatus(state, message) {
    this.state = state;
    this.message = message;
    this.emit("status", { state, message });
  }
}
