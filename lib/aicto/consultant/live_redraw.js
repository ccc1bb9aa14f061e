// The consultant form's link to the page (see live_redraw.py):
//
// 1. Redraws a notebook's report sections in place when consultant mode recomputes them. JupyterLab handles each
//    display update as a change of the notebook document (re-render, headings, layout, toolbar: 6-10 ms of the page
//    each), and its plotly renderer ignores display updates (plotly/plotly.py#3053). The kernel puts each changed
//    section in this widget's state ("sections": name -> {version, html | figure, data}), a batch in one message;
//    this puts an HTML section's HTML in place at once and calls Plotly.react on a chart: on one in sight at once, on
//    the others when they come into sight, so a change costs the drawing of what the consultant can see.
// 2. Writes the sections into the notebook's document (what a save writes) when the consultant pauses and before
//    any save, so a saved notebook never holds older figures than the page and the client's file. This needs
//    JupyterLab's application (`aicto lab` exposes it as window.jupyterapp); without it the kernel updates the
//    outputs itself.
// 3. Keeps the form's unsaved edits in the browser's storage until saved, and hands them to a form run again after
//    the kernel restarted or the page reloaded, which offers them back.
// 4. Makes a form whose kernel is gone inert (ipywidgets marks its views "disconnected"; the notice above the form
//    says what to do).
// 5. Brings a new form into view once, when the run that made it is over: Run All leaves JupyterLab at the
//    notebook's end, far below the form.
//
// An HTML section's output is an element carrying data-aicto-section (its name) and data-aicto-version (the redraw
// it shows); a report chart carries its section's name in layout.meta (the widget's "prefix", then the name). Only
// this widget's own notebook is touched.

const PLOTLY = "application/vnd.plotly.v1+json";
const STORAGE = "aicto-unsaved:";

function render({ model, el }) {
  const prefix = model.get("prefix");
  const drawn = new WeakMap(); // chart element -> the version of its figure it shows (after a redraw here)
  const written = new Map(); // chart section -> the version its output in the document holds (written here)
  const inSight = new Set();
  const watched = new WeakSet();
  const cleanups = [];
  const notebook = () => el.closest(".jp-Notebook") ?? document;
  const form = () => el.closest(".aicto-consultant");
  const live = () => el.isConnected && !form()?.classList.contains("jupyter-widgets-disconnected");
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
      // this view reaches the notebook's sections: the kernel may leave its outputs until the consultant pauses,
      // or to this page altogether
      announced = true;
      model.send({ drawing: true, outputs: panel() !== null });
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

  // -- the notebook's document -----------------------------------------------------------------------------------

  let found = null;
  function panel() {
    // the notebook panel showing this form, when JupyterLab's application is reachable
    const app = window.jupyterapp;
    if (!app || !el.isConnected) return null;
    if (found && !found.isDisposed && found.node.contains(el)) return found;
    found = null;
    for (const widget of app.shell.widgets("main")) {
      if (widget.context && widget.content?.widgets && widget.node.contains(el)) found = widget;
    }
    if (found) {
      const onSave = (_, state) => {
        if (state === "started") writeOutputs(); // JupyterLab serializes the document right after this signal
      };
      found.context.saveState.connect(onSave);
      const context = found.context;
      cleanups.push(() => context.saveState.disconnect(onSave));
    }
    return found;
  }

  function sectionOf(data) {
    const figure = data[PLOTLY];
    if (figure) {
      const meta = figure.layout?.meta;
      return typeof meta === "string" && meta.startsWith(prefix) ? [meta.slice(prefix.length), null] : null;
    }
    const html = Array.isArray(data["text/html"]) ? data["text/html"].join("") : data["text/html"];
    const match = typeof html === "string" && /data-aicto-section="([^"]*)" data-aicto-version="(\d+)"/.exec(html);
    return match ? [match[1], Number(match[2])] : null;
  }

  let timer = null;
  function writeOutputs() {
    // every section's output in the document, brought up to what the page shows
    clearTimeout(timer);
    timer = null;
    const notebookPanel = panel();
    if (!notebookPanel || !live()) return;
    const latest = sections();
    for (const cell of notebookPanel.content.widgets) {
      if (cell.model.type !== "code") continue;
      const outputs = cell.model.outputs;
      for (let i = 0; i < outputs.length; i++) {
        const output = outputs.get(i);
        const section = sectionOf(output.data);
        const entry = section && latest[section[0]];
        if (!entry?.data) continue;
        const [name, version] = section;
        if ((version ?? written.get(name) ?? -1) >= entry.version) continue;
        const data = entry.figure !== undefined ? { ...entry.data, [PLOTLY]: entry.figure } : entry.data;
        outputs.set(i, { ...output.toJSON(), data });
        if (entry.figure !== undefined) written.set(name, entry.version);
      }
    }
  }

  function changed() {
    redraw();
    clearTimeout(timer);
    timer = setTimeout(writeOutputs, model.get("outputs_after_ms"));
  }

  function onMessage(message) {
    if (message?.save_notebook && panel()) void panel().context.save(); // writes the outputs first (onSave)
    if (message?.forget && model.get("key")) storage()?.removeItem(STORAGE + model.get("key"));
  }

  // -- unsaved edits, kept in the browser --------------------------------------------------------------------------

  function storage() {
    try {
      return window.localStorage;
    } catch {
      return null; // storage refused (a browser setting): nothing is kept
    }
  }

  function keep() {
    const key = model.get("key");
    const unsaved = model.get("unsaved");
    if (!key || !storage()) return;
    if (unsaved?.edits?.length) storage().setItem(STORAGE + key, JSON.stringify(unsaved));
    else storage().removeItem(STORAGE + key);
  }

  function offer() {
    // edits an earlier form kept, for a form that has none yet
    const key = model.get("key");
    if (!key || model.get("unsaved")?.edits?.length || !storage()) return;
    let kept = null;
    try {
      kept = JSON.parse(storage().getItem(STORAGE + key) ?? "null");
    } catch {
      kept = null;
    }
    if (kept?.edits?.length) model.send({ kept });
  }

  // -- a form whose kernel is gone ---------------------------------------------------------------------------------

  const watcher = new MutationObserver(() => {
    const root = form();
    if (root) root.inert = root.classList.contains("jupyter-widgets-disconnected");
  });
  function watchForm() {
    const root = form();
    if (root) watcher.observe(root, { attributes: true, attributeFilter: ["class"] });
    else if (!el.isConnected) requestAnimationFrame(watchForm); // not in the page yet
  }

  // -- back to a new form after the run ----------------------------------------------------------------------------

  const RUN_OVER_MS = 400; // the kernel idle this long: no cell of the run is left (between two cells it is ~1 ms)
  function afterTheRun() {
    // once per form: when the run that made it is over (or at once, when it is), show it
    if (model.get("form_shown")) return;
    if (!el.isConnected) {
      requestAnimationFrame(afterTheRun); // not in the page yet
      return;
    }
    const notebookPanel = panel();
    const session = notebookPanel?.sessionContext;
    if (!session) return;
    let over = null;
    const onStatus = (_, status) => {
      clearTimeout(over);
      if (status === "idle") over = setTimeout(show, RUN_OVER_MS);
    };
    const show = () => {
      session.statusChanged.disconnect(onStatus);
      const root = form();
      if (!root || !live() || window.jupyterapp.shell.currentWidget !== notebookPanel) return;
      const index = notebookPanel.content.widgets.findIndex((cell) => cell.node.contains(root));
      if (index >= 0) notebookPanel.content.activeCellIndex = index;
      root.scrollIntoView({ block: "start" });
      model.set("form_shown", true);
      model.save_changes();
    };
    session.statusChanged.connect(onStatus);
    if (session.session?.kernel?.status === "idle") over = setTimeout(show, RUN_OVER_MS);
    cleanups.push(() => {
      clearTimeout(over);
      session.statusChanged.disconnect(onStatus);
    });
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

  model.send({ greeting: true }); // the kernel makes the widget again when no view greets it
  model.on("change:sections", changed);
  model.on("change:unsaved", keep);
  model.on("msg:custom", onMessage);
  document.addEventListener("scroll", soon, { capture: true, passive: true });
  redraw(); // sections a change sent before this view was drawn
  offer();
  watchForm();
  afterTheRun();
  return () => {
    model.off("change:sections", changed);
    model.off("change:unsaved", keep);
    model.off("msg:custom", onMessage);
    document.removeEventListener("scroll", soon, { capture: true });
    sight.disconnect();
    watcher.disconnect();
    clearTimeout(timer);
    for (const cleanup of cleanups) cleanup();
  };
}

export default { render };
