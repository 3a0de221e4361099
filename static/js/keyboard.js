// Global keyboard shortcuts. Text fields keep their own keys (including their
// own undo); canvas keys act only when focus is on the canvas, a list row or
// the page itself, never while a button or form field has it.

import { isTyping } from "./dom.js";

/** @param {{editor, undo, redo, focusSearch}} app */
export function installShortcuts(app) {
  const editor = app.editor;
  document.addEventListener("keydown", (e) => {
    const target = e.target;
    const mod = e.ctrlKey || e.metaKey;
    const key = e.key.toLowerCase();
    if (document.querySelector("dialog[open]")) return; // dialogs handle their own keys

    if (isTyping(target)) {
      if (e.key === "Escape" && target.closest(".inspector")) target.blur();
      return;
    }
    if (mod && key === "z") {
      e.preventDefault();
      if (e.shiftKey) app.redo();
      else app.undo();
      return;
    }
    if (mod && key === "y") {
      e.preventDefault();
      app.redo();
      return;
    }
    if (e.key === "/" && !mod) {
      e.preventDefault();
      app.focusSearch();
      return;
    }

    const onCanvas = target === document.body || target.closest?.(".canvas, .sequential");
    if (!onCanvas) return;
    const onCard = target.closest?.(".node, .seq-row");

    if (mod && key === "a") {
      e.preventDefault();
      editor.selectAll();
    } else if (mod && key === "d") {
      e.preventDefault();
      editor.duplicate();
    } else if (e.key === "Delete" || e.key === "Backspace") {
      e.preventDefault();
      editor.remove();
    } else if (e.key === "Escape") {
      editor.selection.clear();
    } else if (e.key === "Enter" && onCard) {
      e.preventDefault();
      app.focusInspector();
    } else if (editor.mode === "graph" && !mod && !e.altKey && e.key.startsWith("Arrow")) {
      e.preventDefault();
      const step = e.shiftKey ? 48 : 12;
      const dx = e.key === "ArrowLeft" ? -step : e.key === "ArrowRight" ? step : 0;
      const dy = e.key === "ArrowUp" ? -step : e.key === "ArrowDown" ? step : 0;
      if (editor.selection.size) editor.nudge(dx, dy);
      else editor.canvas.panBy(-dx * 3, -dy * 3);
    } else if (editor.mode === "graph" && !mod && !e.altKey) {
      if (key === "f") editor.canvas.fit();
      else if (key === "l") editor.tidy();
      else if (key === "+" || key === "=") editor.canvas.zoomAt(1.2);
      else if (key === "-" || key === "_") editor.canvas.zoomAt(1 / 1.2);
      else if (key === "0") editor.canvas.setViewport({ ...editor.canvas.viewport, k: 1 });
      else return;
      e.preventDefault();
    }
  });
}
