// Redraws a notebook's report charts in place when consultant mode recomputes them.
//
// JupyterLab hands a display update to the renderer already showing the output, and plotly's renderer draws only
// once: an updated chart stays as first drawn (plotly/plotly.py#3053). The kernel also puts each changed chart's
// figure in this widget's state ("figures": section -> {version, figure}), and this calls Plotly.react on that chart:
// on a chart in sight at once, on the others when they come into sight, so a change costs the drawing of what the
// consultant can see.
//
// A report chart carries its section's name in layout.meta (the widget's "prefix", then the name); only charts of
// this widget's own notebook are touched.

function render({ model, el }) {
  const prefix = model.get("prefix");
  const drawn = new WeakMap(); // chart element -> the version of its figure it shows (after a redraw here)
  const inSight = new Set();
  const watched = new WeakSet();
  const notebook = () => el.closest(".jp-Notebook") ?? document;
  const sight = new IntersectionObserver((entries) => {
    for (const entry of entries) {
      if (entry.isIntersecting) inSight.add(entry.target);
      else inSight.delete(entry.target);
    }
    redraw();
  });

  function charts() {
    const found = [];
    for (const chart of notebook().querySelectorAll(".js-plotly-plot")) {
      const meta = chart.layout?.meta;
      if (typeof meta !== "string" || !meta.startsWith(prefix)) continue;
      if (!watched.has(chart)) {
        watched.add(chart);
        sight.observe(chart); // reports whether it is in sight now, then each change
      }
      found.push([chart, meta.slice(prefix.length)]);
    }
    return found;
  }

  const figures = () => model.get("figures") ?? {};

  function redraw() {
    const latest = figures();
    if (!window.Plotly || Object.keys(latest).length === 0) return;
    for (const [chart, name] of charts()) {
      const entry = latest[name];
      if (entry === undefined || drawn.get(chart) === entry.version || !inSight.has(chart)) continue;
      drawn.set(chart, entry.version);
      window.Plotly.react(chart, entry.figure.data, entry.figure.layout, entry.figure.config);
    }
  }

  let scheduled = false;
  function soon() {
    // a scroll can bring in a chart JupyterLab had not attached yet (windowing): look again on the next frame
    if (scheduled || Object.keys(figures()).length === 0) return;
    scheduled = true;
    requestAnimationFrame(() => {
      scheduled = false;
      redraw();
    });
  }

  model.on("change:figures", redraw);
  document.addEventListener("scroll", soon, { capture: true, passive: true });
  redraw(); // figures a change sent before this view was drawn
  return () => {
    model.off("change:figures", redraw);
    document.removeEventListener("scroll", soon, { capture: true });
    sight.disconnect();
  };
}

export default { render };
