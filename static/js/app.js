// The page: the editor plus projects (open, create from a template or an
// imported Keras model, rename, duplicate, delete, autosave) and what to do when the server is away, a
// save is refused or a stored project is corrupt.

import { Editor } from "./editor.js";
import { importWarnings, importedName } from "./model/imported.js";
import { installShortcuts } from "./keyboard.js";
import { CorruptGraph, fromContract } from "./model/serialize.js";
import { TEMPLATES, template } from "./model/templates.js";
import { ProjectStore } from "./projects.js";
import { Training } from "./training.js";
import { ProjectBarView } from "./views/project-bar.js";
import { Tabs } from "./views/tabs.js";

function download(filename, data, type = "application/json") {
  const blob = new Blob([typeof data === "string" ? data : JSON.stringify(data, null, 2)], { type });
  const url = URL.createObjectURL(blob);
  const a = Object.assign(document.createElement("a"), { href: url, download: filename });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export class App {
  constructor({ catalog, api, notices, config, el }) {
    this.api = api;
    this.notices = notices;
    this.store = new ProjectStore(api);
    this.bar = new ProjectBarView(el.projectBar, {
      templates: TEMPLATES,
      listProjects: () => this.store.list(),
      actions: {
        newProject: (id, name) => this.newProject(id, name),
        importModel: (file) => this.importModel(file),
        openProject: (id) => this.openProject(id),
        rename: (name) => this.rename(name),
        duplicateProject: () => this.duplicateProject(),
        deleteProject: (id) => this.deleteProject(id),
        undo: () => this.undo(),
        redo: () => this.redo(),
        setView: (mode) => this.editor.setView(mode),
      },
    });
    this.editor = new Editor({
      catalog, api, notices, config, el,
      onEdit: (graph) => this.store.edited(this.name, graph),
      onKind: (kind) => this.bar.setKind(kind),
      onHistory: (u, r) => this.bar.setHistory(u, r),
      onView: (mode) => this.bar.setView(mode),
    });
    this.tabs = new Tabs(el.sideTabs);
    this.training = new Training({
      api, notices, config, editor: this.editor, store: this.store,
      selectTab: (name) => this.tabs.select(name), exportCode: () => this.exportCode(), el,
    });
    this.store.on("status", (status) => this._saveStatus(status));
    this.store.on("recreated", (p) => notices.banner("save", `The project had been deleted on the server; your work was saved again as "${p.name}".`, { kind: "warning" }));
    installShortcuts(this);
    window.addEventListener("pagehide", () => this.store.flushOnExit());
    this.bar.setHistory(false, false);
  }

  get name() {
    return (this.store.current && this.store.current.name) || "Untitled";
  }

  undo() {
    this.editor.undo();
  }

  redo() {
    this.editor.redo();
  }

  focusSearch() {
    this.editor.palette.focusSearch();
  }

  focusInspector() {
    this.tabs.select("inspector");
    const field = this.editor.inspector.root.querySelector(".inspector-params input, .inspector-params select, input");
    field?.focus();
  }

  _saveStatus(status) {
    this.bar.setSaveStatus(status);
    if (status.state === "offline") {
      this.notices.banner("save", status.message, { kind: "warning" });
    } else if (status.state === "error") {
      this.notices.banner("save", status.message, {
        kind: "error",
        actions: [{ label: "Download a copy", onClick: () => download(`${this.name}.json`, this.editor.contract()) }],
      });
    } else if (status.state === "saved") {
      this.notices.clear("save");
      this.training.projectChanged(); // a first save (or a re-creation) gives the project its id
    }
  }

  /** The model as a runnable Keras script (POST /api/graphs/code), downloaded as <name>.py. */
  async exportCode() {
    try {
      const code = await this.api.exportCode(this.editor.modelContract());
      const file = `${this.name.replace(/[^A-Za-z0-9_.-]+/g, "_").replace(/^_+|_+$/g, "") || "model"}.py`;
      download(file, code, "text/x-python");
      this.notices.toast(`Exported ${file}: runnable Keras code for this model.`, "info");
    } catch (err) {
      this.notices.toast(`Could not export the code: ${err.message}`, "error", 8000);
    }
  }

  // ---- start-up ----------------------------------------------------------------------

  async start() {
    let projects;
    try {
      projects = await this.store.list();
    } catch (err) {
      this._startOffline(err);
      return;
    }
    const last = this.store.lastId;
    const pick = projects.find((p) => p.id === last) || projects[0];
    if (pick) await this.openProject(pick.id);
    else await this.newProject("tutorial_mlp", "Tutorial regression MLP");
    this.training.start(); // not awaited: the editor works while datasets load
  }

  _startOffline(err) {
    const last = this.store.lastId;
    const saved = last ? this.store.readDraft(last) : null;
    const draft = saved || this.store.readDraft(null);
    this.notices.banner("start", `${err.message} Working from this browser's copy; it is saved to the server when the server is back.`, {
      kind: "warning",
      actions: [{ label: "Retry", onClick: () => window.location.reload() }],
    });
    const name = (draft && draft.name) || "Untitled";
    this.store.openLocal(name);
    this.store.current.id = saved ? last : null;
    this.store.current.updated_at = saved ? saved.base ?? null : null;
    this._open(draft ? draft.graph : template("blank"), name, { source: "this browser's copy" });
    this.training.start();
  }

  // ---- project actions ---------------------------------------------------------------

  /** Load a contract into the editor; report and guard corrupt data. Returns false if unusable. */
  _open(graphData, name, { source = "the saved project", raw = graphData } = {}) {
    let parsed;
    try {
      parsed = fromContract(graphData);
    } catch (err) {
      if (!(err instanceof CorruptGraph)) throw err;
      this.editor.setName(name);
      this.bar.setName(name);
      this.editor.load({ nodes: [], edges: [], placed: true }, name);
      this.store.pause("The stored project could not be read, so it is left untouched.");
      this.notices.banner("corrupt", `"${name}" could not be read (${err.message}) Nothing on the server was changed. Download the stored data to inspect it, or start a new project.`, {
        kind: "error",
        actions: [{ label: "Download the stored data", onClick: () => download(`${name}-corrupt.json`, raw) }],
      });
      return false;
    }
    this.editor.setName(name);
    this.bar.setName(name);
    this.notices.clear("corrupt");
    const laidOut = this.editor.load(parsed, name);
    this.training.projectChanged();
    if (parsed.problems.length) {
      this.store.pause("Autosave is paused: the stored project had problems.");
      const shown = parsed.problems.slice(0, 3).join(" ");
      this.notices.banner("corrupt", `${source[0].toUpperCase()}${source.slice(1)} had problems and was repaired where possible: ${shown}${parsed.problems.length > 3 ? ` (and ${parsed.problems.length - 3} more)` : ""} Autosave is paused so the stored copy stays as it was.`, {
        kind: "warning",
        actions: [
          { label: "Keep the repaired version", onClick: () => { this.notices.clear("corrupt"); this.store.resume(); this.store.edited(this.name, this.editor.contract()); } },
          { label: "Download the original", onClick: () => download(`${name}-original.json`, raw) },
        ],
      });
    } else if (laidOut) {
      this.store.edited(name, this.editor.contract()); // keep the new positions
    }
    return true;
  }

  async openProject(id) {
    let result;
    try {
      result = await this.store.open(id);
    } catch (err) {
      this.notices.banner("open", `Could not open the project: ${err.message}`, { kind: "error" });
      return;
    }
    this.notices.clear("open");
    this.notices.clear("restored");
    const { project, draft, conflict } = result;
    if (draft) {
      const ok = this._open(draft.graph, draft.name || project.name, { source: "This browser's unsaved copy" });
      if (ok) {
        this.store.current.name = draft.name || project.name;
        this.notices.banner("restored", "Restored changes made in this browser that had not reached the server. They are being saved now.", { kind: "info" });
        this.store.edited(this.name, this.editor.contract());
      }
      return;
    }
    this._open(project.graph, project.name);
    if (conflict) {
      this.notices.banner("restored", "This browser has unsaved changes to this project, but the project was changed elsewhere since. Showing the server's version.", {
        kind: "warning",
        actions: [
          { label: "Use this browser's copy", onClick: () => { this.notices.clear("restored"); if (this._open(conflict.graph, conflict.name || project.name, { source: "This browser's copy" })) this.store.edited(this.name, this.editor.contract()); } },
          { label: "Download it", onClick: () => download(`${project.name}-browser-copy.json`, conflict.graph) },
        ],
      });
    }
  }

  async newProject(templateId, name) {
    const graph = { ...(template(templateId) || template("blank")), name };
    try {
      await this.store.create(name, graph);
    } catch (err) {
      if (!err.offline) {
        this.notices.banner("open", `Could not create the project: ${err.message}`, { kind: "error" });
        return;
      }
      this.store.openLocal(name);
    }
    this.notices.clear("restored");
    this._open(graph, name);
    this.editor.setView(this.editor.mode);
  }

  /** A new project from a Keras model file (.keras or model.to_json() text); a refused file changes nothing. */
  async importModel(file) {
    if (this._importing) return;
    this._importing = true;
    try {
      this.notices.clear("import");
      let result;
      try {
        result = await this.api.importKerasModel(file);
      } catch (err) {
        this.notices.banner("import", `Could not import "${file.name}": ${err.message}`, { kind: "error" });
        return;
      }
      const name = importedName(result.graph, file.name);
      const graph = { ...result.graph, name };
      try {
        await this.store.create(name, graph);
      } catch (err) {
        this.notices.banner("import", `Could not create a project from "${file.name}": ${err.message}`, { kind: "error" });
        return;
      }
      this.notices.clear("restored");
      if (!this._open(graph, name)) return;
      this.editor.setView(this.editor.mode);
      const dropped = importWarnings(name, result.warnings);
      if (dropped) this.notices.banner("import", dropped, { kind: "warning" });
      else this.notices.toast(`Imported "${name}" from ${file.name}.`, "info");
    } finally {
      this._importing = false;
    }
  }

  rename(name) {
    if (!this.store.current) return;
    this.store.current.name = name;
    this.editor.setName(name);
    this.bar.setName(name);
    this.store.edited(name, this.editor.contract());
  }

  async duplicateProject() {
    const name = `${this.name} (copy)`.slice(0, 200);
    const graph = { ...this.editor.contract(), name };
    try {
      await this.store.create(name, graph);
    } catch (err) {
      this.notices.banner("open", `Could not duplicate the project: ${err.message}`, { kind: "error" });
      return;
    }
    this._open(graph, name);
    this.notices.toast(`Now editing "${name}".`, "info");
  }

  async deleteProject(id = null) {
    const target = id || (this.store.current && this.store.current.id);
    if (!target) return;
    const wasCurrent = this.store.current && this.store.current.id === target;
    try {
      await this.store.remove(target);
    } catch (err) {
      this.notices.banner("open", `Could not delete the project: ${err.message}`, { kind: "error" });
      return;
    }
    if (!wasCurrent) return;
    const rest = await this.store.list().catch(() => []);
    if (rest.length) await this.openProject(rest[0].id);
    else await this.newProject("blank", "Untitled");
  }
}
