// Hidden tab panels have no layout: work that only matters on screen (a
// preview request, a chart) waits until its container is shown.

/** True when `el` is laid out on screen. */
export function isShown(el) {
  return el.isConnected && el.offsetParent !== null && el.clientWidth > 0;
}

/** Call `callback` each time `el` goes from hidden to shown. Returns a stop function. */
export function onShown(el, callback) {
  if (typeof ResizeObserver !== "function") return () => {};
  let shown = isShown(el);
  const observer = new ResizeObserver(() => {
    const now = isShown(el);
    if (now && !shown) requestAnimationFrame(() => callback());
    shown = now;
  });
  observer.observe(el);
  return () => observer.disconnect();
}
