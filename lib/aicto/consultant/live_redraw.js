// Redraws a notebook's report sections in place when consultant mode recomputes them.
//
// JupyterLab handles each display update as a change of the notebook document (re-render, headings, layout, toolbar:
// 6-10 ms of the page each), and its plotly renderer ignores display updates (plotly/plotly.py#3053). The kernel puts
// each changed section in this widget's state ("sections": name -> {version, html | figure}), a batch in one message;
// this puts an HTML section's HTML in place at once and calls Plotly.react on a chart: on one in sight at once, on the
// others when they come into sight, so a change costs the drawing of what the consultant can see. The notebook's own
// outputs follow from the kernel when the consultant pauses.
//
// An HTML section's output is an element carrying data-aicto-section (its name) and data-aicto-version (the redraw
// it shows); a report chart carries its section's name in layout.meta (the widget's "prefix", then the name). Only
// this widget's own notebook is touched.

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

  const sections = () => model.get("sections") ?? {};

  let announced = false;
  function redraw() {
    const latest = sections();
    const found = notebook().querySelectorAll("[data-aicto-section]");
    if (!announced && found.length > 0) {
      // this view reaches the notebook's sections: the kernel may leave its outputs until the consultant pauses
      announced = true;
      model.send({ drawing: true });
    }
    if (Object.keys(latest).length === 0) return;
    for (const section of found) {
      const entry = latest[section.dataset.aictoSection];
      if (entry?.html === undefined || Number(section.dataset.aictoVersion) >= entry.version) continue;
      section.innerHTML = entry.html;
      section.dataset.aictoVersion = String(entry.version);
    }
    if (!window.Plotly) return;
    for (const [chart, name] of charts()) {
      const entry = latest[name];
      if (entry?.figure === undefined || drawn.get(chart) === entry.version || !inSight.has(chart)) continue;
      drawn.set(chart, entry.version);
      window.Plotly.react(chart, entry.figure.data, entry.figure.layout, entry.figure.config);
    }
  }

  let scheduled = false;
  function soon() {
    // a scroll can bring in an output JupyterLab had not attached yet (windowing): look again on the next frame
    if (scheduled || Object.keys(sections()).length === 0) return;
    scheduled = true;
    requestAnimationFrame(() => {
      scheduled = false;
      redraw();
    });
  }

  model.on("change:sections", redraw);
  document.addEventListener("scroll", soon, { capture: true, passive: true });
  redraw(); // sections a change sent before this view was drawn
  return () => {
    model.off("change:sections", redraw);
    document.removeEventListener("scroll", soon, { capture: true });
    sight.disconnect();
  };
}

export default { render };
