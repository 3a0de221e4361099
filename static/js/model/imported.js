// What the page says about a Keras model the server imported
// (POST /api/graphs/import): the project's name and the dropped settings.

// Names Keras gives a model nobody named ("functional", "sequential_3"), and
// the server's fallback: the file name says more than these.
const GENERIC_NAME = /^(functional|sequential|model|imported)(_\d+)?$/i;

/** The model's own name, else the file name without its extension. */
export function importedName(graph, fileName = "") {
  const own = graph && typeof graph.name === "string" ? graph.name.trim() : "";
  const stem = String(fileName).replace(/\.(keras|json)$/i, "").trim();
  if (own && !(GENERIC_NAME.test(own) && stem)) return own.slice(0, 200);
  return (stem || own || "Imported model").slice(0, 200);
}

/** One sentence listing what the import left out, or "" when nothing was. */
export function importWarnings(name, warnings, shown = 3) {
  if (!Array.isArray(warnings) || !warnings.length) return "";
  const more = warnings.length > shown ? ` (and ${warnings.length - shown} more)` : "";
  return `Imported "${name}", but some settings NeuralCanvas does not offer were left out: ${warnings.slice(0, shown).join("; ")}${more}.`;
}
