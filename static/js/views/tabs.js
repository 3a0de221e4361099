// Accessible tabs over markup from the template (role=tablist/tab/tabpanel):
// click or arrow keys switch panels.

export class Tabs {
  /** @param {HTMLElement} container holding [role=tab] buttons with aria-controls */
  constructor(container) {
    this.tabs = [...container.querySelectorAll('[role="tab"]')];
    for (const tab of this.tabs) {
      tab.addEventListener("click", () => this.select(tab.dataset.tab));
      tab.addEventListener("keydown", (e) => {
        const i = this.tabs.indexOf(tab);
        let next = null;
        if (e.key === "ArrowRight") next = this.tabs[(i + 1) % this.tabs.length];
        else if (e.key === "ArrowLeft") next = this.tabs[(i - 1 + this.tabs.length) % this.tabs.length];
        if (next) {
          e.preventDefault();
          this.select(next.dataset.tab);
          next.focus();
        }
      });
    }
    const initial = this.tabs.find((t) => t.getAttribute("aria-selected") === "true") || this.tabs[0];
    if (initial) this.select(initial.dataset.tab);
  }

  select(name) {
    for (const tab of this.tabs) {
      const on = tab.dataset.tab === name;
      tab.setAttribute("aria-selected", String(on));
      tab.tabIndex = on ? 0 : -1;
      const panel = document.getElementById(tab.getAttribute("aria-controls"));
      if (panel) panel.hidden = !on;
    }
  }
}
