// Messages to the user: lasting banners (server unreachable, a save refused,
// a corrupt project) keyed so they can be updated or cleared, and short
// toasts (a refused connection). Screen readers hear both.

import { h } from "../dom.js";

export class Notices {
  constructor(container) {
    this.root = container;
    container.classList.add("notices");
    this.banners = h("div", { class: "banners", role: "status", "aria-live": "polite" });
    this.toasts = h("div", { class: "toasts", role: "status", "aria-live": "assertive" });
    container.append(this.banners, this.toasts);
    this._byKey = new Map();
  }

  /** A lasting message; calling again with the same key replaces it. */
  banner(key, message, { kind = "error", actions = [] } = {}) {
    this.clear(key);
    const el = h("div", { class: `banner ${kind}`, "data-testid": "banner", "data-key": key },
      h("span", { class: "banner-text" }, message),
      h("span", { class: "banner-actions" },
        ...actions.map(({ label, onClick }) => h("button", { type: "button", onclick: onClick }, label)),
        h("button", { type: "button", class: "banner-close", "aria-label": "Dismiss", onclick: () => this.clear(key) }, "✕")));
    this._byKey.set(key, el);
    this.banners.append(el);
    return el;
  }

  clear(key) {
    this._byKey.get(key)?.remove();
    this._byKey.delete(key);
  }

  has(key) {
    return this._byKey.has(key);
  }

  toast(message, kind = "info", ms = 5000) {
    const el = h("div", { class: `toast ${kind}`, "data-testid": "toast", "data-kind": kind }, message);
    this.toasts.append(el);
    while (this.toasts.children.length > 3) this.toasts.firstChild.remove();
    setTimeout(() => el.remove(), ms);
    return el;
  }
}
