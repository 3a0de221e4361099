// "Import a Keras model…": a button that opens a file picker for a .keras
// file or model.to_json() text. The <input type="file"> stays hidden; the
// button is what the keyboard reaches.

import { h } from "../dom.js";

export const IMPORT_ACCEPT = ".keras,.json";

/** A button plus its hidden file input; `onFile(file)` gets the chosen file. */
export function importButton(onFile) {
  const input = h("input", { type: "file", accept: IMPORT_ACCEPT, hidden: true, tabindex: "-1", "data-testid": "import-file", "aria-label": "Keras model file" });
  input.addEventListener("change", () => {
    const file = input.files && input.files[0];
    input.value = ""; // picking the same file again fires change again
    if (file) onFile(file);
  });
  const button = h("button", {
    type: "button",
    "data-testid": "import-model",
    title: "A .keras file or the JSON of model.to_json(); weights are not imported.",
    onclick: () => input.click(),
  }, "Import a Keras model…");
  return h("span", { class: "import-control" }, button, input);
}
