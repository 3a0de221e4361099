// The REST client. Every call the page makes goes through here, and every
// failure becomes an ApiError whose message a person can read.

export class ApiError extends Error {
  constructor(message, { status = 0, offline = false, detail = null, field = null, node = null, errors = null } = {}) {
    super(message);
    this.errors = errors; // every problem of a compile check: [{message, hint, field, node, level}]
    this.status = status;
    this.offline = offline;
    this.detail = detail;
    this.field = field;
    this.node = node;
  }
}

/** A readable sentence from FastAPI's error bodies ({detail: str | [{loc, msg}]}). */
function describe(body, status) {
  const detail = body && body.detail;
  if (typeof detail === "string") return detail;
  if (Array.isArray(detail) && detail.length) {
    return detail
      .slice(0, 3)
      .map((d) => `${(d.loc || []).filter((p) => p !== "body").join(".") || "request"}: ${d.msg}`)
      .join("; ");
  }
  return `The server answered ${status}.`;
}

/**
 * One request. `body` is sent as JSON, or as-is when it is FormData (uploads)
 * or when `contentType` is given (a string or Blob sent raw with that type).
 * With `text: true` a successful answer is returned as text (exported code).
 */
export async function request(method, path, body = undefined, { signal, keepalive, text: asText = false, contentType = null } = {}) {
  let response;
  const form = typeof FormData !== "undefined" && body instanceof FormData;
  const raw = form || contentType !== null;
  const headers = { Accept: asText ? "text/plain, application/json" : "application/json" };
  if (body !== undefined && !form) headers["Content-Type"] = contentType || "application/json";
  try {
    response = await fetch(path, {
      method,
      signal,
      keepalive,
      headers,
      body: body === undefined ? undefined : raw ? body : JSON.stringify(body),
    });
  } catch (err) {
    if (err && err.name === "AbortError") throw err;
    throw new ApiError("The server cannot be reached. Check that NeuralCanvas is still running.", { offline: true });
  }
  if (response.status === 204) return null;
  let data = null;
  const text = await response.text();
  if (asText && response.ok) return text;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!response.ok) {
    throw new ApiError(describe(data, response.status), {
      status: response.status,
      detail: data && data.detail,
      field: data && data.field,
      node: data && data.node,
      errors: data && Array.isArray(data.errors) ? data.errors : null,
    });
  }
  if (data === null && text) throw new ApiError("The server sent an answer that is not JSON.", { status: response.status });
  return data;
}

export const api = {
  health: (opts) => request("GET", "/api/health", undefined, opts),
  layers: (opts) => request("GET", "/api/layers", undefined, opts),
  summary: (graph, opts) => request("POST", "/api/graphs/summary", graph, opts),
  listProjects: (opts) => request("GET", "/api/projects", undefined, opts),
  getProject: (id, opts) => request("GET", `/api/projects/${encodeURIComponent(id)}`, undefined, opts),
  createProject: (body, opts) => request("POST", "/api/projects", body, opts),
  updateProject: (id, body, opts) => request("PUT", `/api/projects/${encodeURIComponent(id)}`, body, opts),
  deleteProject: (id, opts) => request("DELETE", `/api/projects/${encodeURIComponent(id)}`, undefined, opts),
  exportCode: (graph, opts) => request("POST", "/api/graphs/code", graph, { ...opts, text: true }),
  importKerasModel: (fileOrText, opts) => importKerasModel(fileOrText, opts),
  // datasets
  datasets: (opts) => request("GET", "/api/datasets", undefined, opts),
  previewDataset: (id, params = {}, opts) => request("GET", `/api/datasets/${encodeURIComponent(id)}/preview${query(params)}`, undefined, opts),
  uploadDataset: (formData, opts) => request("POST", "/api/datasets", formData, opts),
  deleteDataset: (id, opts) => request("DELETE", `/api/datasets/${encodeURIComponent(id)}`, undefined, opts),
  // training
  compileOptions: (opts) => request("GET", "/api/compile-options", undefined, opts),
  createRun: (body, opts) => request("POST", "/api/runs", body, opts),
  listRuns: (params = {}, opts) => request("GET", `/api/runs${query(params)}`, undefined, opts),
  getRun: (id, opts) => request("GET", `/api/runs/${encodeURIComponent(id)}`, undefined, opts),
  cancelRun: (id, opts) => request("POST", `/api/runs/${encodeURIComponent(id)}/cancel`, undefined, opts),
  predictions: (id, opts) => request("GET", `/api/runs/${encodeURIComponent(id)}/predictions`, undefined, opts),
  runEventsUrl: (id) => `/api/runs/${encodeURIComponent(id)}/events`,
  modelUrl: (id) => `/api/runs/${encodeURIComponent(id)}/model.keras`,
};

/**
 * POST /api/graphs/import -> {graph, warnings}. Takes model.to_json() text, or a
 * File: a .json file goes as text (application/json), anything else (a .keras
 * zip) as raw bytes (application/octet-stream).
 */
export async function importKerasModel(fileOrText, opts = {}) {
  const path = "/api/graphs/import";
  if (typeof fileOrText === "string") return request("POST", path, fileOrText, { ...opts, contentType: "application/json" });
  const json = /\.json$/i.test(fileOrText.name || "") || fileOrText.type === "application/json";
  const body = json ? await fileOrText.text() : fileOrText;
  return request("POST", path, body, { ...opts, contentType: json ? "application/json" : "application/octet-stream" });
}

/** "?a=1&b=x" from an object, leaving out null/undefined values. */
function query(params) {
  const pairs = Object.entries(params || {}).filter(([, v]) => v !== null && v !== undefined && v !== "");
  return pairs.length ? `?${new URLSearchParams(pairs.map(([k, v]) => [k, String(v)]))}` : "";
}
