// Entry point: read the page's config, load the layer catalog (waiting for
// the server if needed), then start the app.

import { api } from "./api.js";
import { App } from "./app.js";
import { Catalog } from "./model/catalog.js";
import { Notices } from "./views/notices.js";

function readConfig() {
  try {
    return JSON.parse(document.getElementById("nc-config").textContent);
  } catch {
    return {};
  }
}

const CATALOG_KEY = "neuralcanvas.catalog";

function cachedCatalog() {
  try {
    const data = JSON.parse(window.localStorage.getItem(CATALOG_KEY) || "null");
    return data && Array.isArray(data.layers) ? data : null;
  } catch {
    return null;
  }
}

/** The catalog from the server; this browser's last copy when the server is away. */
async function loadCatalog(notices) {
  for (let attempt = 0; ; attempt += 1) {
    try {
      const data = await api.layers();
      notices.clear("catalog");
      try {
        window.localStorage.setItem(CATALOG_KEY, JSON.stringify(data));
      } catch {
        /* no room: only offline start-up is affected */
      }
      return new Catalog(data.layers);
    } catch (err) {
      const cached = cachedCatalog();
      if (cached && (err.offline || err.status >= 500)) {
        notices.banner("catalog", `${err.message} Using the layer list this browser saw last time.`, { kind: "warning" });
        return new Catalog(cached.layers);
      }
      notices.banner("catalog", `Cannot load the layer catalog: ${err.message} Retrying…`, { kind: "error" });
      await new Promise((resolve) => setTimeout(resolve, Math.min(8000, 1000 * (attempt + 1))));
    }
  }
}

const byId = (id) => document.getElementById(id);

async function main() {
  const config = readConfig();
  const notices = new Notices(byId("notices"));
  const catalog = await loadCatalog(notices);
  const el = {
    projectBar: byId("project-bar"),
    palette: byId("palette"),
    graphView: byId("graph-view"),
    canvas: byId("canvas"),
    toolbar: byId("canvas-toolbar"),
    minimap: byId("minimap"),
    sequential: byId("sequential-view"),
    inspector: byId("inspector"),
    summary: byId("summary"),
    sideTabs: byId("side-tabs"),
    dataPanel: byId("data-panel"),
    trainPanel: byId("train-panel"),
    resultsPanel: byId("results-panel"),
  };
  const app = new App({ catalog, api, notices, config, el });
  window.neuralCanvas = app; // for the console and browser tests
  await app.start();
  document.body.dataset.ready = "true";
}

main().catch((err) => {
  console.error(err);
  const box = document.getElementById("notices");
  if (box) box.textContent = `The editor failed to start: ${err.message}`;
});
