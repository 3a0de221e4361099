// The header: project name, New (from a template, or imported from a Keras
// model) / Open / Duplicate / Delete, undo/redo, save status, the
// Graph/Sequential switch and the Sequential/Functional label.

import { h } from "../dom.js";
import { importButton } from "./import-button.js";

const SAVE_TEXT = {
  saved: "Saved",
  saving: "Saving…",
  pending: "Unsaved changes",
  offline: "Offline: kept in this browser",
  error: "Not saved",
  paused: "Autosave paused",
};

function when(iso) {
  const t = Date.parse(iso);
  return Number.isFinite(t) ? new Date(t).toLocaleString() : "";
}

export class ProjectBarView {
  /** @param {HTMLElement} container @param {{actions, templates, listProjects}} deps */
  constructor(container, deps) {
    this.root = container;
    this.deps = deps;
    const a = deps.actions;
    container.classList.add("project-bar");

    this.name = h("input", { type: "text", class: "project-name", "data-testid": "project-name", "aria-label": "Project name", maxlength: "200", spellcheck: "false" });
    this.name.addEventListener("change", () => a.rename(this.name.value.trim() || "Untitled"));
    this.name.addEventListener("keydown", (e) => e.key === "Enter" && this.name.blur());
    this.save = h("span", { class: "save-status", "data-testid": "save-status", "data-state": "saved", role: "status" }, "Saved");
    this.undoBtn = h("button", { type: "button", class: "icon", "data-testid": "undo", title: "Undo (Ctrl+Z)", "aria-label": "Undo", onclick: () => a.undo() }, "↶");
    this.redoBtn = h("button", { type: "button", class: "icon", "data-testid": "redo", title: "Redo (Ctrl+Shift+Z)", "aria-label": "Redo", onclick: () => a.redo() }, "↷");
    this.graphBtn = h("button", { type: "button", "data-testid": "view-graph", "aria-pressed": "true", onclick: () => a.setView("graph") }, "Graph");
    this.seqBtn = h("button", { type: "button", "data-testid": "view-sequential", "aria-pressed": "false", onclick: () => a.setView("sequential") }, "Sequential list");
    this.kind = h("span", { class: "kind-badge", "data-testid": "model-kind", title: "A single chain of layers is a Sequential model; anything else is Functional." }, "—");

    this.newDialog = this._buildNewDialog();
    this.openDialog = h("dialog", { class: "dialog", "data-testid": "open-dialog", "aria-label": "Open a project" });
    this.confirmDialog = h("dialog", { class: "dialog", "data-testid": "confirm-dialog" });

    container.append(
      h("div", { class: "brand" }, h("span", { class: "logo", "aria-hidden": "true" }, "◆"), "NeuralCanvas"),
      this.name,
      h("div", { class: "button-group", role: "group", "aria-label": "Project" },
        h("button", { type: "button", "data-testid": "new-project", onclick: () => this.showNew() }, "New"),
        h("button", { type: "button", "data-testid": "open-project", onclick: () => this.showOpen() }, "Open"),
        h("button", { type: "button", "data-testid": "duplicate-project", onclick: () => a.duplicateProject() }, "Duplicate"),
        h("button", { type: "button", "data-testid": "delete-project", onclick: () => this.confirm("Delete this project? This cannot be undone.", "Delete", () => a.deleteProject()) }, "Delete")),
      h("div", { class: "button-group", role: "group", "aria-label": "History" }, this.undoBtn, this.redoBtn),
      this.save,
      h("div", { class: "spacer" }),
      h("div", { class: "segmented", role: "group", "aria-label": "View" }, this.graphBtn, this.seqBtn),
      this.kind,
      h("a", { href: "/docs", class: "api-link", target: "_blank", rel: "noopener" }, "API"),
      this.newDialog, this.openDialog, this.confirmDialog,
    );
  }

  setName(name) {
    if (document.activeElement !== this.name) this.name.value = name;
  }

  setSaveStatus({ state, message }) {
    this.save.dataset.state = state;
    this.save.textContent = SAVE_TEXT[state] || state;
    this.save.title = message || "";
  }

  setHistory(canUndo, canRedo) {
    this.undoBtn.disabled = !canUndo;
    this.redoBtn.disabled = !canRedo;
  }

  setView(mode) {
    this.graphBtn.setAttribute("aria-pressed", String(mode === "graph"));
    this.seqBtn.setAttribute("aria-pressed", String(mode === "sequential"));
  }

  setKind(kind) {
    this.kind.dataset.kind = kind || "";
    this.kind.textContent = kind === "sequential" ? "Sequential" : kind === "functional" ? "Functional" : "—";
  }

  // ---- dialogs ------------------------------------------------------------------------

  _buildNewDialog() {
    const nameInput = h("input", { type: "text", value: "Untitled", "data-testid": "new-project-name", id: "new-project-name", maxlength: "200" });
    const choices = this.deps.templates.map((t, i) => h("label", { class: "template-choice", "data-testid": `template-${t.id}` },
      h("input", { type: "radio", name: "template", value: t.id, checked: i === 0 }),
      h("span", {}, h("strong", {}, t.title), h("span", { class: "muted" }, t.description))));
    const form = h("form", { method: "dialog" },
      h("h2", {}, "New project"),
      h("label", { for: "new-project-name" }, "Name"), nameInput,
      h("fieldset", { class: "templates" }, h("legend", {}, "Start from"), choices),
      h("p", { class: "muted import-hint" }, "Or import the layers of a Keras model: a .keras file or the JSON of model.to_json() (weights are not imported)."),
      h("div", { class: "button-row" },
        importButton((file) => { dialog.close(); this.deps.actions.importModel(file); }),
        h("span", { class: "spacer" }),
        h("button", { type: "button", onclick: () => dialog.close() }, "Cancel"),
        h("button", { type: "submit", class: "primary", "data-testid": "create-project" }, "Create")));
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const template = form.querySelector('input[name="template"]:checked')?.value || "blank";
      dialog.close();
      this.deps.actions.newProject(template, nameInput.value.trim() || "Untitled");
    });
    // Picking a template names the project after it, until the user types a name.
    for (const radio of form.querySelectorAll('input[name="template"]')) {
      radio.addEventListener("change", () => {
        const t = this.deps.templates.find((x) => x.id === radio.value);
        if (!nameInput.dataset.touched) nameInput.value = t.id === "blank" ? "Untitled" : t.title;
      });
    }
    nameInput.addEventListener("input", () => {
      nameInput.dataset.touched = "1";
    });
    const dialog = h("dialog", { class: "dialog", "data-testid": "new-dialog", "aria-label": "New project" }, form);
    return dialog;
  }

  showNew() {
    const input = this.newDialog.querySelector("#new-project-name");
    delete input.dataset.touched;
    this.newDialog.showModal();
    input.select();
  }

  async showOpen() {
    const d = this.openDialog;
    const list = h("ul", { class: "project-list", "data-testid": "project-list" }, h("li", { class: "muted" }, "Loading…"));
    d.replaceChildren(h("h2", {}, "Open a project"), list,
      h("div", { class: "button-row" }, h("button", { type: "button", onclick: () => d.close() }, "Close")));
    if (!d.open) d.showModal();
    try {
      const projects = await this.deps.listProjects();
      if (!projects.length) {
        list.replaceChildren(h("li", { class: "muted" }, "No projects yet."));
        return;
      }
      list.replaceChildren(...projects.map((p) => h("li", { class: "project-row", "data-testid": "project-row", "data-project-id": p.id },
        h("button", { type: "button", class: "project-open", onclick: () => { d.close(); this.deps.actions.openProject(p.id); } },
          h("strong", {}, p.name),
          h("span", { class: "muted" }, ` ${(p.graph && p.graph.nodes ? p.graph.nodes.length : 0)} layers · ${when(p.updated_at)}`)),
        h("button", { type: "button", class: "danger", "aria-label": `Delete ${p.name}`,
          onclick: () => this.confirm(`Delete "${p.name}"? This cannot be undone.`, "Delete", async () => {
            await this.deps.actions.deleteProject(p.id);
            this.showOpen();
          }) }, "Delete"))));
    } catch (err) {
      list.replaceChildren(h("li", { class: "error-text" }, `Could not list projects: ${err.message}`));
    }
  }

  /** A modal yes/no (window.confirm blocks scripts and tests). */
  confirm(message, verb, onYes) {
    const d = this.confirmDialog;
    d.replaceChildren(h("form", { method: "dialog" },
      h("p", {}, message),
      h("div", { class: "button-row" },
        h("button", { type: "button", onclick: () => d.close() }, "Cancel"),
        h("button", { type: "button", class: "danger", "data-testid": "confirm-yes", onclick: () => { d.close(); onYes(); } }, verb))));
    d.showModal();
  }
}
