// The upload form of the Data tab: a CSV (with a header row) or an NPZ
// (arrays x and y), with the target column, feature columns, how to read the
// target and whether to standardize. Sends multipart form data through
// `upload` (POST /api/datasets) and reports what the server made of the file.

import { h } from "../dom.js";
import { formatShape } from "../format.js";

/** @param {{upload: (form: FormData) => Promise<object>}} deps @returns {HTMLElement} */
export function uploadForm({ upload }) {
  const file = h("input", { type: "file", id: "upload-file", name: "file", accept: ".csv,.npz,text/csv", required: true, "data-testid": "upload-file" });
  const name = h("input", { type: "text", id: "upload-name", name: "name", placeholder: "the file name", "data-testid": "upload-name" });
  const target = h("input", { type: "text", id: "upload-target", name: "target", placeholder: "the last column", "data-testid": "upload-target" });
  const features = h("input", { type: "text", id: "upload-features", name: "features", placeholder: "all other columns, or a,b,c", "data-testid": "upload-features" });
  const encoding = h("select", { id: "upload-encoding", name: "target_encoding", "data-testid": "upload-encoding" },
    h("option", { value: "auto" }, "auto: text labels become classes"),
    h("option", { value: "none" }, "none: a number to predict (regression)"),
    h("option", { value: "integer" }, "integer class labels"),
    h("option", { value: "onehot" }, "one-hot class labels"));
  const standardize = h("input", { type: "checkbox", id: "upload-standardize", name: "standardize", value: "true" });
  const status = h("p", { class: "upload-status", role: "status", "data-testid": "upload-status" });
  const submit = h("button", { type: "submit", class: "primary", "data-testid": "upload-submit" }, "Upload");
  const row = (id, text, input) => h("div", { class: "field" }, h("label", { for: id }, text), input);
  const form = h("form", { class: "upload-form" },
    row("upload-file", "CSV (with a header row) or NPZ (arrays x and y)", file),
    row("upload-name", "Name", name),
    row("upload-target", "Target column (CSV)", target),
    row("upload-features", "Feature columns (CSV)", features),
    row("upload-encoding", "Target", encoding),
    h("div", { class: "field field-check" }, standardize, h("label", { for: "upload-standardize" }, "Standardize the features (mean 0, std 1)")),
    h("div", { class: "button-row" }, submit),
    status);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    if (!file.files.length) {
      status.textContent = "Choose a file first.";
      status.className = "upload-status error-text";
      return;
    }
    const data = new FormData();
    data.append("file", file.files[0]);
    for (const input of [name, target, features]) if (input.value.trim()) data.append(input.name, input.value.trim());
    data.append("target_encoding", encoding.value);
    data.append("standardize", standardize.checked ? "true" : "false");
    submit.disabled = true;
    status.className = "upload-status muted";
    status.textContent = "Uploading…";
    try {
      const dataset = await upload(data);
      status.className = "upload-status";
      status.textContent = `Uploaded "${dataset.name}": ${dataset.n_rows} rows, samples shaped ${formatShape(dataset.input_shape)}, ${dataset.task}.`;
      form.reset();
    } catch (err) {
      status.className = "upload-status error-text";
      status.textContent = `Upload refused: ${err.message}`;
    } finally {
      submit.disabled = false;
    }
  });
  return h("details", { class: "upload", "data-testid": "upload" }, h("summary", {}, "Upload a CSV or NPZ"), form);
}
