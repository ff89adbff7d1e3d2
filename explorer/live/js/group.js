// group.js: Compare's player (after transport.js and the views: needs Transport, Host,
// decodeRun, el, fmt, sizeCanvas, BoundaryView, CurvesView).
// class Group: one transport for several runs of the same data, start and schedule (one per
// activation). Every frame draws each run's boundary at ONE epoch (a run that diverged
// earlier shows its last snapshot) and the runs' training loss and accuracy up to that epoch,
// overlaid in their colours. The transport (play, pause, steps, reset, replay, speed,
// scrubber, reports to the page) is the Transport's, over the union of the runs' snapshots.

// One run of a Group: its boundary (a column), drawn by the Group at the Group's epoch.
class Sub extends Host {
  constructor(parent) {
    super();
    this.data = null;
    this.idx = 0;
    this.bound = new BoundaryView(this, parent);
    this.root = this.bound.box;
  }

  setRun(p) {
    this.data = p;
    this.nDense = denseCount(p);
    Object.assign(this, decodeRun(p, this.frames));
    this.bound.prepare(p.grid);
  }
}

class Group extends Transport {
  build() {
    const r = this.root;
    this.buildBar(r);
    r.classList.add("group");
    this.row = el("div", "row", r);
    this.curveBox = el("div", "charts curves", r);
    this.curves = new CurvesView(this, this.curveBox);
    this.legend = el("div", "legend", r);
    this.subs = [];
    this.ro = new ResizeObserver(() => this.layout());
    this.ro.observe(r);
    this.onWin = () => { if (this.data && this.data.options.big) this.layout(); };
    window.addEventListener("resize", this.onWin); // (big: the window's height counts)
  }

  destroy() {
    super.destroy();
    window.removeEventListener("resize", this.onWin);
  }

  // "Boundaries only, large": the grid of c columns (1..n) whose boundaries are largest
  // while the whole grid fits the window under Streamlit's header (the lecturer scrolls it
  // into view: every boundary at once; the transport bar just above it, or the keys: Space,
  // arrows, Home), never smaller than one row across the width. {cw, bh, cols}; aspect
  // bh = 0.85 cw as in the normal row.
  bigGrid(w, n, s, gap) {
    const head = document.querySelector('[data-testid="stHeader"]');
    const top = head ? head.getBoundingClientRect().height : 0;
    const cap = Math.round(this.fpx(14) * 1.6) + 8;
    const room = (window.innerHeight || 800) - top - 12;
    const most = Math.round(720 * s);
    const widthFor = (c) => Math.floor((w - gap * (c - 1)) / c);
    let best = { cw: Math.max(120, Math.min(widthFor(n), most)), cols: n };
    for (let c = n; c >= 1; c--) {
      const rows = Math.ceil(n / c);
      const byH = Math.floor(((room - gap * (rows - 1)) / rows - cap) / 0.85);
      const cw = Math.min(widthFor(c), byH, most);
      if (cw > best.cw) best = { cw, cols: c };
    }
    return { cw: best.cw, bh: Math.round(best.cw * 0.85), cols: best.cols };
  }

  decode() {
    const D = this.data;
    const same = this.subs.length === D.runs.length
      && this.subs.every((x, i) => x.data.run === D.runs[i].run);
    if (!same) {
      this.row.replaceChildren();
      this.subs = D.runs.map(() => new Sub(this.row));
    }
    D.runs.forEach((p, i) => {
      const x = this.subs[i].data; // (a rerun with the same run and view keeps the decoding)
      if (x === null || x.run !== p.run || x.frames.length !== p.frames.length
          || this.subs[i].nDense !== denseCount(p) || x.dense !== p.dense
          || JSON.stringify(x.options) !== JSON.stringify(p.options)) this.subs[i].setRun(p);
      this.subs[i].root.style.setProperty("--run", p.color);
    });
    const epochs = new Set();
    for (const x of this.subs) for (const f of x.frames) epochs.add(f.epoch);
    this.frames = [...epochs].sort((a, b) => a - b).map((e) => ({ epoch: e }));
    const finite = (a) => a.filter((v) => v !== null && isFinite(v));
    const losses = finite([].concat(...this.subs.map((x) => x.data.history.train_loss)));
    this.lossMax = losses.length ? Math.max(...losses) : 1;
    this.lossMin = losses.length ? Math.min(...losses) : 0;
  }

  legendHtml() {
    this.legend.replaceChildren();
    for (const x of this.subs) {
      const s = el("span", "item", this.legend);
      const m = el("i", "line", s);
      m.style.background = x.data.color;
      el("span", "", s, x.data.title);
    }
  }

  replay() { // a phone: the columns back into view (as Player.replay)
    super.replay();
    if (this.root.clientWidth < NARROW) keepInView(this.root);
  }

  layout() {
    if (!this.data) return;
    const w = this.root.clientWidth || 900, n = Math.max(1, this.subs.length);
    const s = this.data.options.scale || 1, gap = 12, big = this.data.options.big;
    this.root.style.fontSize = this.fpx(14) + "px";
    this.root.dataset.minFont = String(this.fpx(11));
    this.row.style.gap = gap + "px";
    const per = w < NARROW ? Math.min(n, 2) : n; // a phone: two columns a row
    let cw = Math.max(120, Math.min(Math.floor((w - gap * (per - 1)) / per), Math.round(300 * s)));
    // the room's screen: the row fits under the controls; a lower height narrows the plot
    // too (same aspect). Big: a grid as large as the window allows (bigGrid).
    const hmax = this.data.options.max_height || 0;
    let bh = Math.round(cw * 0.85);
    if (big) {
      ({ cw, bh } = this.bigGrid(w, n, s, gap));
    } else if (hmax > 0 && bh > hmax) {
      bh = Math.max(110, hmax);
      cw = Math.round(bh / 0.85);
    }
    this.row.style.flexWrap = big ? "wrap" : "";
    this.root.dataset.big = big ? "1" : "0";
    for (const x of this.subs) {
      sizeCanvas(x.bound.canvas, cw, bh);
      x.root.style.width = cw + "px"; // (its caption is cut to the plot's width)
      x.dims = { cw, bh };
    }
    this.curveBox.style.display = big ? "none" : "";
    const half = w < NARROW ? Math.min(w, Math.round(560 * s)) // a phone: stacked, full width
      : Math.max(180, Math.min(Math.floor((w - 14) / 2), Math.round(560 * s)));
    const ch = Math.round(Math.min(half * 0.5, 240 * s));
    sizeCanvas(this.curves.cLoss, half, ch);
    sizeCanvas(this.curves.cAcc, half, ch);
    this.dims = { cw: half, bh: ch };
    this.show(false);
  }

  show(final) {
    this.dirty = false;
    if (!this.frames || !this.frames.length || !this.dims) return;
    const f = this.frames[this.idx], e = f.epoch, L = this.data.labels;
    for (const x of this.subs) {
      x.idx = x.indexOf(e);
      const g = x.frames[x.idx];
      if (!g) continue;
      x.bound.draw(g);
      const h = x.data.history, row = x.hRow.has(g.epoch) ? x.hRow.get(g.epoch) : -1;
      const acc = row >= 0 && h.train_acc[row] !== null ? (h.train_acc[row] * 100).toFixed(1) + "%" : "–";
      let cap = `${x.data.title} · ${L.train} ${acc}`;
      if (g.epoch < e) cap += " · " + fmt(L.stopped_at, { epoch: g.epoch });
      x.bound.cap.textContent = cap;
      x.bound.canvas.dataset.epoch = String(e);
      x.bound.canvas.dataset.runEpoch = String(g.epoch);
    }
    if (!this.data.options.big) {
      this.curves.drawOverlay("loss", e, this.subs);
      this.curves.drawOverlay("acc", e, this.subs);
    }
    this.curves.cLoss.dataset.epoch = this.curves.cAcc.dataset.epoch = String(e);
    this.mark(f);
    if (final) this.save();
  }
}
