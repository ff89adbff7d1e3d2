// a11y.js: what the player says to assistive technology (after core.js; needs fmt, KEYS).
// Defines: reducedMotion, nameControls, describeCharts.
// Every canvas is an image (role=img) whose accessible name says what it shows at the epoch
// shown ("Decision boundary, epoch 120 of 200, test accuracy 96.0%"); the names are set when
// the player stands still (paused, stepped, at the end), never on every animation frame.

// the visitor asked for less motion (prefers-reduced-motion): a new run does not play by itself
function reducedMotion() {
  return !!(window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches);
}

// the bar's names in the page language: the player as a group, the scrubber as the epoch
function nameControls(p, L) {
  p.root.setAttribute("role", "group");
  p.root.setAttribute("aria-label", L.a11y_player);
  p.scrub.setAttribute("aria-label", L.a11y_scrub);
}

function a11yPct(v) {
  return v === null || v === undefined || !isFinite(v) ? "–" : (v * 100).toFixed(1) + "%";
}

function a11yName(c, text) {
  c.setAttribute("role", "img");
  if (c.getAttribute("aria-label") !== text) c.setAttribute("aria-label", text);
}

// the accessible names of a Player's or a Group's canvases at frame f, and the scrubber's
// value text; p.a11yAt keeps the state named last (nothing is set twice)
function describeCharts(p, f) {
  const d = p.data, L = d.labels, total = d.epochs_total, epoch = f.epoch;
  const at = [d.run, epoch, total, d.complete, d.options.show_test, L.a11y_player].join("|");
  if (p.a11yAt === at) return;
  p.a11yAt = at;
  const pos = fmt(L.a11y_epoch, { epoch, total });
  p.scrub.setAttribute("aria-valuetext", pos);
  const cap = (view, key) => (view[key] ? view[key].textContent : "");
  if (p.subs) { // Compare: one boundary per run, the runs' curves overlaid
    for (const x of p.subs) {
      const h = x.data.history, row = x.hRow && x.hRow.has(epoch) ? x.hRow.get(epoch) : -1;
      a11yName(x.bound.canvas, fmt(L.a11y_boundary_run, {
        run: x.data.title, pos, acc: a11yPct(row >= 0 ? h.train_acc[row] : null) }));
    }
    const runs = p.subs.map((x) => x.data.title).join(", ");
    a11yName(p.curves.cLoss, fmt(L.a11y_curves_runs, { what: cap(p.curves, "tLoss"), runs, pos }));
    a11yName(p.curves.cAcc, fmt(L.a11y_curves_runs, { what: cap(p.curves, "tAcc"), runs, pos }));
    return;
  }
  const h = d.history, row = p.hRow && p.hRow.has(epoch) ? p.hRow.get(epoch) : -1;
  const test = d.options.show_test && row >= 0 ? h.test_acc[row] : null;
  a11yName(p.bound.canvas, test !== null
    ? fmt(L.a11y_boundary_test, { pos, acc: a11yPct(test) })
    : fmt(L.a11y_boundary, { pos, acc: a11yPct(row >= 0 ? h.train_acc[row] : null) }));
  a11yName(p.curves.cLoss, cap(p.curves, "tLoss") + " — " + pos);
  a11yName(p.curves.cAcc, cap(p.curves, "tAcc") + " — " + pos);
  a11yName(p.grads.canvas, fmt(L.a11y_grads, { pos, layers: d.layer_names.join(", ") }));
  a11yName(p.net.canvas, fmt(L.a11y_network, { pos }));
}
