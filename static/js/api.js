// The REST client. Every call the page makes goes through here, and every
// failure becomes an ApiError whose message a person can read.

export class ApiError extends Error {
  constructor(message, { status = 0, offline = false, detail = null, field = null, node = null } = {}) {
    super(message);
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

export async function request(method, path, body = undefined, { signal, keepalive } = {}) {
  let response;
  try {
    response = await fetch(path, {
      method,
      signal,
      keepalive,
      headers: body === undefined ? { Accept: "application/json" } : { "Content-Type": "application/json", Accept: "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    if (err && err.name === "AbortError") throw err;
    throw new ApiError("The server cannot be reached. Check that NeuralCanvas is still running.", { offline: true });
  }
  if (response.status === 204) return null;
  let data = null;
  const text = await response.text();
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
};
