// Undo/redo over snapshots (strings of the graph contract). Pure: no DOM.
// Edits that belong together (one drag, typing in one field) share a
// `coalesce` key and become one step.

export class History {
  constructor(limit = 200, coalesceMs = 1500) {
    this.limit = limit;
    this.coalesceMs = coalesceMs;
    this.undoStack = [];
    this.redoStack = [];
    this._last = null; // {key, at} of the newest step
  }

  /** Remember `before`, the state preceding an edit. */
  record(before, coalesce = null, now = Date.now()) {
    const last = this._last;
    if (coalesce && last && last.key === coalesce && now - last.at < this.coalesceMs && this.undoStack.length) {
      last.at = now; // same gesture: the step already holds the state before it
    } else {
      this.undoStack.push(before);
      if (this.undoStack.length > this.limit) this.undoStack.shift();
      this._last = { key: coalesce, at: now };
    }
    this.redoStack = [];
  }

  /** Returns the state to restore, or null. `current` goes to the redo stack. */
  undo(current) {
    if (!this.undoStack.length) return null;
    this.redoStack.push(current);
    this._last = null;
    return this.undoStack.pop();
  }

  redo(current) {
    if (!this.redoStack.length) return null;
    this.undoStack.push(current);
    this._last = null;
    return this.redoStack.pop();
  }

  get canUndo() {
    return this.undoStack.length > 0;
  }

  get canRedo() {
    return this.redoStack.length > 0;
  }

  clear() {
    this.undoStack = [];
    this.redoStack = [];
    this._last = null;
  }
}
