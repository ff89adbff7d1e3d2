// player.js: class Player, the lab bench's player of ONE run (after transport.js and the
// views: needs Transport, decodeRun, el, fmt, sizeCanvas, BoundaryView, CurvesView,
// GradsView, NetworkView). Every frame draws the boundary, the loss and accuracy curves (up
// to the frame's epoch, with a marker), the gradient histograms and the network from ONE
// frame, in one requestAnimationFrame callback: nothing is cleared in between, so no blank or
// mixed frame is ever shown.
class Player extends Transport {
  build() {
    const r = this.root;
    this.buildBar(r);
    const charts = el("div", "charts", r);
    this.bound = new BoundaryView(this, charts);
    this.curves = new CurvesView(this, charts);
    this.grads = new GradsView(this, r);
    this.legend = el("div", "legend", r);
    this.net = new NetworkView(this, r);
    this.watch([this.bound.canvas, this.curves.cLoss, this.curves.cAcc, this.grads.canvas,
                this.net.canvas]);
    this.ro = new ResizeObserver(() => this.layout());
    this.ro.observe(r);
  }

  relabel(L) {
    this.grads.cap.textContent = L.grads_title;
  }

  decode() {
    Object.assign(this, decodeRun(this.data, this.frames));
    this.bound.prepare(this.data.grid); // (the boundary's static layer is drawn anew)
  }

  legendHtml() {
    const d = this.data, L = d.labels;
    this.legend.replaceChildren();
    const item = (color, text, shape) => {
      const s = el("span", "item", this.legend);
      const m = el("i", shape, s);
      m.style.background = color;
      el("span", "", s, text);
    };
    item("#1f77b4", L.train, "line");
    item("#ff7f0e", L.test, "line");
    d.class_names.forEach((n, i) => item(d.colors[i], L.class_ + " " + n, "dot"));
  }

  layout() {
    if (!this.data) return;
    const w = this.root.clientWidth || 900;
    const s = this.data.options.scale || 1;
    const gap = 14;
    // a narrow screen (a phone): the charts stacked, each as wide as the player
    const cw = w < NARROW ? Math.max(180, Math.min(w, Math.round(420 * s)))
      : Math.max(180, Math.min(Math.floor((w - 2 * gap) / 3), Math.round(420 * s)));
    this.root.style.fontSize = this.fpx(14) + "px"; // buttons, captions, legend follow it
    this.root.dataset.minFont = String(this.fpx(11)); // the smallest text drawn (tests read it)
    const bh = Math.round(cw * 0.85);
    sizeCanvas(this.bound.canvas, cw, bh);
    sizeCanvas(this.curves.cLoss, cw, bh);
    sizeCanvas(this.curves.cAcc, cw, bh);
    const nl = this.data.layer_names.length;
    const gw = Math.min(w, Math.max(w < NARROW ? w : cw * 3 + 2 * gap, 0));
    const k = this.fk();
    sizeCanvas(this.grads.canvas, gw, Math.round(Math.min(120 * s, 40 + (gw / Math.max(nl, 1)) * 0.5)
                                                 + 30 * (k - 1)));
    this.dims = { cw, bh, gw };
    this.show(false);
  }

  // Replay on a narrow screen (the charts stacked): the player's bar and boundary into view
  replay() {
    super.replay();
    if (this.root.clientWidth < NARROW) keepInView(this.root);
  }

  // While it plays, a chart scrolled out of the window is not drawn (copying every canvas
  // to the screen is most of a frame's cost): it is drawn when it comes back into view, and
  // every chart is drawn whenever the player stands still.
  watch(canvases) {
    this.io = new IntersectionObserver((entries) => {
      for (const e of entries) {
        e.target.offscreen = !e.isIntersecting;
        if (e.isIntersecting && e.target.stale) this.dirty = true;
      }
    });
    for (const c of canvases) this.io.observe(c);
  }

  // true if canvas c is to be drawn now (else it is marked stale)
  drawNow(c, final) {
    const now = final || !this.playing || !c.offscreen;
    c.stale = !now;
    return now;
  }

  show(final) {
    this.dirty = false;
    if (!this.frames || !this.frames.length || !this.dims) return;
    const f = this.frames[this.idx];
    const L = this.data.labels;
    const charts = [[this.bound.canvas, () => this.bound.draw(f)],
                    [this.curves.cLoss, () => this.curves.draw("loss", f.epoch)],
                    [this.curves.cAcc, () => this.curves.draw("acc", f.epoch)],
                    [this.grads.canvas, () => this.grads.draw(f)]];
    for (const [c, draw] of charts) {
      if (this.drawNow(c, final)) {
        draw();
        c.dataset.epoch = String(f.epoch);
      }
    }
    this.net.show(f, final); // (it marks its canvas)
    // between two snapshots the histograms are the last snapshot's: the caption says which
    const gcap = L.grads_title + (f.gEpoch !== undefined && f.gEpoch !== f.epoch
      ? " · " + fmt(L.grads_at, { epoch: f.gEpoch }) : "");
    if (this.grads.cap.textContent !== gcap) this.grads.cap.textContent = gcap;
    this.bound.cap.textContent = fmt(L.boundary_title, { epoch: f.epoch });
    this.mark(f);
    if (final) this.save();
  }
}
