// plotly.js is large (about 4 MB) and only the Data, Train and Results tabs
// need it: load it the first time a chart is drawn, from this server
// (/vendor/plotly.min.js, served from the plotly Python package; no CDN).

let loading = null;

/** Resolves to window.Plotly; a failed load can be retried. */
export function loadPlotly(url = "/vendor/plotly.min.js") {
  if (window.Plotly) return Promise.resolve(window.Plotly);
  if (!loading) {
    loading = new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = url;
      script.async = true;
      script.onload = () => (window.Plotly ? resolve(window.Plotly) : reject(new Error("plotly.js loaded but did not start.")));
      script.onerror = () => {
        script.remove();
        loading = null;
        reject(new Error("Could not load the chart library (plotly.js) from the server."));
      };
      document.head.append(script);
    });
  }
  return loading;
}
