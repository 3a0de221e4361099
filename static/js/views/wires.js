// Wire geometry shared by the canvas and its pointer handling.

/** A vertical S-curve from an output port (x1, y1) down to an input port (x2, y2). */
export function wirePath(x1, y1, x2, y2) {
  const c = Math.max(36, Math.abs(y2 - y1) / 2);
  return `M ${x1} ${y1} C ${x1} ${y1 + c}, ${x2} ${y2 - c}, ${x2} ${y2}`;
}
