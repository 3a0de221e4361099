// The live training curves: loss and val_loss on top, each metric (with its
// validation twin) in a panel below, one point per epoch. Redrawn from a
// RunState with Plotly.react; the container's data-points says how many
// epochs the loss curve shows (for tests and screen readers).

import { h } from "../dom.js";
import { PlotView } from "./plot.js";

const COLORS = { training: "#2f6fed", validation: "#e0711b" };
// Short axis titles: a long name turned sideways does not fit a panel.
const SHORT = {
  mean_absolute_error: "MAE", mean_squared_error: "MSE", root_mean_squared_error: "RMSE",
  mean_absolute_percentage_error: "MAPE", mean_squared_logarithmic_error: "MSLE",
  sparse_categorical_accuracy: "accuracy", categorical_accuracy: "accuracy", binary_accuracy: "accuracy",
  sparse_categorical_crossentropy: "crossentropy", categorical_crossentropy: "crossentropy", binary_crossentropy: "crossentropy",
};
const shortName = (name) => SHORT[name] || (name.length > 14 ? `${name.slice(0, 13)}…` : name);
const PANEL_GAP = 0.08;

/** Plotly data and layout for the groups of a RunState (pure, exported for tests). */
export function chartFigure(groups, epochs = null) {
  const n = Math.max(1, groups.length);
  // The loss panel gets twice the height of each metric panel.
  const weights = groups.map((g, i) => (i === 0 ? 2 : 1));
  const total = weights.reduce((a, b) => a + b, 0) || 1;
  const usable = 1 - PANEL_GAP * (n - 1);
  const data = [];
  const layout = {
    showlegend: true,
    legend: { orientation: "h", x: 0, y: 1.02, yanchor: "bottom" },
    hovermode: "x unified",
    template: "plotly_white",
    margin: { t: 36 },
    height: 260 + 120 * (n - 1),
  };
  let top = 1;
  groups.forEach((group, i) => {
    const height = (usable * weights[i]) / total;
    const suffix = i === 0 ? "" : String(i + 1);
    layout[`yaxis${suffix}`] = { domain: [Math.max(0, top - height), top], title: { text: shortName(group.name) }, automargin: true, zeroline: false };
    layout[`xaxis${suffix}`] = {
      anchor: `y${suffix}`,
      title: i === groups.length - 1 ? { text: "epoch" } : undefined,
      range: epochs ? [0.5, Math.max(epochs, 1) + 0.5] : undefined,
      showticklabels: i === groups.length - 1,
      matches: i === 0 ? undefined : "x",
      dtick: epochs && epochs <= 20 ? 1 : undefined,
    };
    top -= height + PANEL_GAP;
    for (const s of group.series) {
      data.push({
        type: "scatter",
        mode: s.x.length > 60 ? "lines" : "lines+markers",
        name: i === 0 ? s.label : `${s.label} ${group.name}`,
        legendgroup: s.label,
        showlegend: i === 0,
        x: s.x.slice(),
        y: s.y.slice(),
        xaxis: `x${suffix}`,
        yaxis: `y${suffix}`,
        line: { color: COLORS[s.label], width: 2.5, dash: s.label === "validation" ? "dash" : "solid" },
        marker: { size: 6 },
        connectgaps: false,
        hovertemplate: `${s.key}: %{y:.4g}<extra></extra>`,
      });
    }
  });
  return { data, layout };
}

export class RunChartView {
  constructor(container, { url } = {}) {
    this.root = h("div", { class: "run-chart", "data-testid": "run-chart", "data-points": "0" });
    container.append(this.root);
    this.plot = new PlotView(this.root, {
      height: 360,
      url,
      label: "Training curves: loss and metrics per epoch",
      testid: "loss-chart",
      onRender: (el) => {
        // What is actually plotted: the loss trace's point count.
        const loss = (el.data || []).find((t) => t.name === "training");
        this.root.dataset.points = String(loss ? loss.x.length : 0);
      },
    });
    this.plot.clear("The loss curve draws itself here, one point per epoch, once training starts.");
    this._groupsKey = "";
  }

  /** Redraw from a RunState. */
  update(state) {
    const groups = state ? state.groups() : [];
    if (!groups.length) {
      this.root.dataset.points = "0";
      const waiting = state && state.active ? "Waiting for the first epoch…" : "The loss curve draws itself here, one point per epoch, once training starts.";
      this.plot.clear(waiting);
      return;
    }
    // While training, the x axis spans the planned epochs (the curve shows how far along it is);
    // afterwards it fits what ran (a cancelled or early-stopped run ends sooner).
    const { data, layout } = chartFigure(groups, state.active ? state.epochs : Math.max(state.epochsDone, 1));
    layout.uirevision = state.runId; // keep the user's zoom while points arrive
    this.plot.render(data, layout);
  }
}
