// The live lab bench: plays a run record's frames in the browser (Custom Components v2).
// Every frame draws the boundary, the loss and accuracy curves (up to the frame's epoch, with
// a marker) and the gradient histograms from ONE frame, in one requestAnimationFrame callback:
// nothing is cleared in between, so no blank or mixed frame is ever shown.
// Streamlit calls the default export again with new data (same parentElement) on every
// rerun; the player keeps its canvases and its position (per run) and only swaps the data.

const RUNS = new Map(); // run id -> {epoch, playing, speed, nonce}: survives remounts

// While a fragment reruns, Streamlit fades its elements ("stale"); the player keeps drawing
// the newest frames in the meantime, so it is never faded (page-wide rule, once).
function keepOpaque() {
  const id = "ae-player-opaque";
  if (document.getElementById(id)) return;
  const s = document.createElement("style");
  s.id = id;
  s.textContent = '[data-testid="stElementContainer"]:has([data-testid="stBidiComponentIsolated"])'
    + " { opacity: 1 !important; transition: none !important; }";
  document.head.appendChild(s);
}

function b64bytes(s) {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function hexRgb(h) {
  const v = parseInt(h.slice(1), 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}

function fmt(t, vals) {
  return String(t).replace(/\{(\w+)\}/g, (m, k) => (k in vals ? vals[k] : m));
}

function el(tag, cls, parent, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  if (parent) parent.appendChild(e);
  return e;
}

// Give canvas c a size of W x H CSS px (device pixels for sharpness). The same size keeps the
// canvas: setting its width clears it (the frame is redrawn after every layout).
// an axis tick with one decimal ("0.0", never "-0.0")
function tick(v) {
  const t = v.toFixed(1);
  return t === "-0.0" ? "0.0" : t;
}

// Round axis ticks: the multiples in [lo, hi] of a step of 1, 2 or 5 x 10^k chosen so that
// about `n` (at least 2) fall in the range, with their labels at the step's decimals (never
// "-0"). [{v, text}] from lo up.
function niceTicks(lo, hi, n = 5) {
  if (!(hi > lo) || !isFinite(lo) || !isFinite(hi)) return [{ v: lo, text: tick(lo) }];
  const count = (st) => Math.floor(hi / st + 1e-9) - Math.ceil(lo / st - 1e-9) + 1;
  const mag = Math.pow(10, Math.floor(Math.log10((hi - lo) / Math.max(1, n - 1))));
  let step = mag; // the candidate whose tick count is nearest n (the larger step on a tie)
  for (const m of [1, 2, 5, 10, 20]) {
    if (Math.abs(count(m * mag) - n) <= Math.abs(count(step) - n)) step = m * mag;
  }
  // fewer than 2 ticks in a narrow range: a smaller step
  while (count(step) < 2) step /= 2;
  let dec = 0; // the decimals the step needs (2.5 after halving 5: one more)
  while (dec < 12 && Math.abs(Math.round(step * 10 ** dec) - step * 10 ** dec) > 1e-6) dec++;
  const out = [];
  for (let i = Math.ceil(lo / step - 1e-9); i <= Math.floor(hi / step + 1e-9); i++) {
    const v = i * step;
    let text = v.toFixed(dec);
    if (/^-0(\.0*)?$/.test(text)) text = text.slice(1);
    out.push({ v, text });
  }
  return out;
}

function sizeCanvas(c, W, H) {
  const dpr = window.devicePixelRatio || 1;
  if (c.width === Math.round(W * dpr) && c.height === Math.round(H * dpr)
      && c.style.width === W + "px" && c.style.height === H + "px") return;
  c.style.width = W + "px";
  c.style.height = H + "px";
  c.width = Math.round(W * dpr);
  c.height = Math.round(H * dpr);
  c.getContext("2d").setTransform(dpr, 0, 0, dpr, 0, 0);
}

class Player {
  // passive: drawn by a Group (no transport, no animation loop of its own)
  constructor(root, api, passive = false) {
    this.root = root;
    this.api = api;
    this.data = null;
    this.idx = 0;
    this.playing = false;
    this.speed = 30;
    this.acc = 0;
    this.last = null;
    this.drawn = 0;
    this.reported = null;
    this.pending = null;
    this.build();
    if (passive) return;
    this.tick = this.tick.bind(this);
    this.raf = requestAnimationFrame(this.tick);
  }

  build() {
    const r = this.root;
    this.buildBar(r);
    const charts = el("div", "charts", r);
    const mk = (cls) => {
      const box = el("figure", "chart " + cls, charts);
      const cap = el("figcaption", "", box);
      const c = el("canvas", "", box);
      return [c, cap];
    };
    [this.cBound, this.tBound] = mk("boundary");
    [this.cLoss, this.tLoss] = mk("loss");
    [this.cAcc, this.tAcc] = mk("acc");
    const hb = el("figure", "chart grads", r);
    this.tGrads = el("figcaption", "", hb);
    this.cGrads = el("canvas", "", hb);
    this.legend = el("div", "legend", r);
    this.fNet = el("figure", "chart net", r); // the network (drawNetwork)
    this.tNet = el("figcaption", "", this.fNet);
    this.cNet = el("canvas", "", this.fNet);
    this.lNet = el("div", "legend", this.fNet);
    this.watch([this.cBound, this.cLoss, this.cAcc, this.cGrads, this.cNet]);
    this.ro = new ResizeObserver(() => this.layout());
    this.ro.observe(r);
  }

  // the transport bar and the scrubber (a Group has the same)
  buildBar(r) {
    r.classList.add("player");
    const bar = el("div", "bar", r);
    this.bPlay = el("button", "play", bar);
    this.bStep = el("button", "step", bar);
    this.bStepC = el("button", "stepc", bar);
    this.bReset = el("button", "reset", bar);
    this.bReplay = el("button", "replay", bar);
    const sp = el("label", "speed", bar);
    this.speedText = el("span", "", sp);
    this.sel = el("select", "", sp);
    for (const v of [1, 2, 5, 10, 20, 30, 60]) {
      const o = el("option", "", this.sel, String(v));
      o.value = String(v);
    }
    this.status = el("span", "status", bar);
    this.scrub = el("input", "scrub", r);
    this.scrub.type = "range";
    this.scrub.min = "0";
    this.scrub.step = "1";
    this.bPlay.onclick = () => (this.playing ? this.pause() : this.play());
    this.bStep.onclick = () => this.stepEpoch();
    this.bStepC.onclick = () => this.stepCheckpoint();
    this.bReset.onclick = () => this.reset();
    this.bReplay.onclick = () => this.replay();
    this.sel.onchange = () => {
      this.speed = Number(this.sel.value);
      this.save();
    };
    this.scrub.oninput = () => {
      this.playing = false;
      this.idx = Number(this.scrub.value);
      this.show(true);
      this.report();
    };
  }

  // ------------------------------------------------------------------ data
  setData(d) {
    const first = this.data === null || this.data.run !== d.run;
    const keepEpoch = this.data ? this.epoch() : null;
    this.data = d;
    const L = d.labels;
    this.bStep.textContent = L.step_epoch;
    this.bStepC.textContent = L.step_ckpt;
    this.bReset.textContent = L.reset;
    this.bReplay.textContent = L.replay;
    this.bStep.title = L.step_epoch_help;
    this.bStepC.title = L.step_ckpt_help;
    this.bReset.title = L.reset_help;
    this.bReplay.title = L.replay_help;
    this.speedText.textContent = L.speed + " ";
    this.sel.title = L.speed_help;
    if (this.tGrads) this.tGrads.textContent = L.grads_title;
    this.dataGen = (this.dataGen || 0) + 1; // the boundary's static layer is drawn anew
    this.decode();
    const saved = RUNS.get(d.run);
    if (first) {
      if (saved) {
        this.idx = this.indexOf(saved.epoch);
        this.playing = saved.playing;
        this.speed = saved.speed;
        this.nonce = saved.nonce;
      } else {
        this.speed = this.speed || 30;
        this.nonce = null;
        if (d.options.autoplay) {
          this.idx = 0;
          this.playing = true;
          this.nonce = d.seek ? d.seek.nonce : null; // a new run plays: no seek
          this.autoplayed = true; // told once laid out: the page holds its view while it plays
        } else {
          this.idx = this.frames.length - 1;
          this.playing = false;
        }
      }
    } else if (keepEpoch !== null) {
      this.idx = this.indexOf(keepEpoch);
    }
    if (d.seek && d.seek.nonce !== this.nonce) {
      this.nonce = d.seek.nonce;
      const i = this.exactIndex(d.seek.epoch);
      if (i >= 0) {
        this.idx = i;
        this.playing = false;
        this.reported = d.seek.epoch;
        this.reportedRun = d.run;
        this.reportedPlaying = false;
      }
    }
    if (this.pending !== null) {
      const i = this.exactIndex(this.pending);
      if (i >= 0) {
        this.idx = i;
        this.pending = null;
        this.playing = false;
        this.report();
      }
    }
    this.sel.value = String(this.speed);
    this.legendHtml();
    this.layout();
    this.save();
    if (this.autoplayed) {
      this.autoplayed = false;
      this.report();
    }
  }

  decode() {
    const d = this.data;
    const prev = new Map((this.frames || []).map((f) => [f.epoch + "|" + f.p.length, f]));
    this.frames = d.frames.map((f) => {
      const old = prev.get(f.epoch + "|" + f.p.length);
      if (old && old.src === f.p) return old;
      return { epoch: f.epoch, src: f.p, p: b64bytes(f.p), cls: f.cls ? b64bytes(f.cls) : null,
               gpos: f.gpos, gneg: f.gneg, gzero: f.gzero, gnorm: f.gnorm, net: f.net };
    });
    this.ck = new Set(d.checkpoints);
    const h = d.history;
    this.hRow = new Map(h.epoch.map((e, i) => [e, i]));
    // fixed axes for the whole run (what is known of it): replay never rescales
    const finite = (a) => a.filter((v) => v !== null && isFinite(v));
    const losses = finite(h.train_loss.concat(h.test_loss));
    this.lossMax = losses.length ? Math.max(...losses) : 1;
    this.lossMin = losses.length ? Math.min(...losses) : 0;
    const L = d.layer_names.length;
    this.gMax = new Array(L).fill(1);
    for (const f of this.frames) {
      for (let l = 0; l < L; l++) {
        const pos = f.gpos[l], neg = f.gneg[l];
        for (let b = 0; b < pos.length; b++) {
          const v = d.options.signed ? Math.max(pos[b], neg[b]) : pos[b] + neg[b];
          if (v > this.gMax[l]) this.gMax[l] = v;
        }
        if (f.gzero[l] > this.gMax[l]) this.gMax[l] = f.gzero[l];
      }
    }
    // colour look-up tables (blended over white, as the static charts' opacity does)
    const cols = d.colors.map(hexRgb);
    const K = d.n_classes;
    if (K === 2) {
      this.lut = new Uint8ClampedArray(256 * 4);
      for (let q = 0; q < 256; q++) {
        const p = q / 255;
        let c;
        if (p < 0.5) {
          const t = p / 0.5;
          c = cols[0].map((v) => v + (255 - v) * t);
        } else {
          const t = (p - 0.5) / 0.5;
          c = cols[1].map((v) => 255 + (v - 255) * t);
        }
        const a = 0.55;
        for (let k = 0; k < 3; k++) this.lut[q * 4 + k] = 255 + (c[k] - 255) * a;
        this.lut[q * 4 + 3] = 255;
      }
    } else {
      this.cols = cols;
    }
    const img = (this.gridCanvas = this.gridCanvas || document.createElement("canvas"));
    img.width = d.grid.nx;
    img.height = d.grid.ny;
    this.gridCtx = img.getContext("2d");
    this.gridImg = this.gridCtx.createImageData(d.grid.nx, d.grid.ny);
    if (this.scrub) this.scrub.max = String(Math.max(0, this.frames.length - 1));
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

  // ------------------------------------------------------------------ transport
  indexOf(epoch) {
    let best = 0;
    for (let i = 0; i < this.frames.length; i++) if (this.frames[i].epoch <= epoch) best = i;
    return best;
  }

  exactIndex(epoch) {
    return this.frames.findIndex((f) => f.epoch === epoch);
  }

  epoch() {
    const f = this.frames && this.frames[this.idx];
    return f ? f.epoch : 0;
  }

  save() {
    if (!this.data) return;
    RUNS.set(this.data.run, { epoch: this.epoch(), playing: this.playing, speed: this.speed,
                              nonce: this.nonce });
  }

  // Tells the page the epoch shown and whether it plays (on play, pause, step, reset, end):
  // the page's table and URL follow a pause; a learning-rate change while paused continues
  // the run from the epoch shown.
  report() {
    const e = this.epoch();
    this.save();
    if (e !== this.reported || this.data.run !== this.reportedRun
        || this.playing !== this.reportedPlaying) {
      this.reported = e;
      this.reportedRun = this.data.run;
      this.reportedPlaying = this.playing;
      // a fresh mark per report, also across remounts (the page ignores marks it has seen)
      const n = Date.now() * 1000 + Math.floor(Math.random() * 1000);
      this.api.setStateValue("epoch", { epoch: e, run: this.data.run, n, playing: this.playing });
    }
  }

  play() {
    if (this.idx >= this.frames.length - 1 && this.data.complete) this.idx = 0;
    this.playing = true;
    this.acc = 0;
    this.last = null;
    this.save();
    this.report();
  }

  pause() {
    this.playing = false;
    this.show(true);
    this.report();
  }

  replay() {
    this.idx = 0;
    this.play();
    this.show(true);
  }

  reset() {
    this.playing = false;
    this.idx = 0;
    this.show(true);
    this.report();
  }

  stepEpoch() {
    this.playing = false;
    const e = this.epoch() + 1;
    if (e > this.data.epochs_done) return;
    const i = this.exactIndex(e);
    if (i >= 0) {
      this.idx = i;
      this.show(true);
      this.report();
    } else {
      this.pending = e; // the server trains the prefix to epoch e and sends its frame
      this.status.textContent = fmt(this.data.labels.computing, { epoch: e });
      this.api.setTriggerValue("need", e);
    }
  }

  stepCheckpoint() {
    this.playing = false;
    const e = this.epoch();
    const later = this.data.checkpoints.filter((c) => c > e);
    if (!later.length) return;
    this.idx = this.exactIndex(later[0]);
    this.show(true);
    this.report();
  }

  tick(now) {
    this.raf = requestAnimationFrame(this.tick);
    if (!this.data || !this.root.isConnected) return;
    if (this.playing) {
      if (this.last === null) this.last = now;
      this.acc += ((now - this.last) / 1000) * this.speed;
      this.last = now;
      const steps = Math.floor(this.acc);
      if (steps >= 1) {
        this.acc -= steps;
        const end = this.frames.length - 1;
        const target = Math.min(end, this.idx + steps);
        if (target !== this.idx) {
          this.idx = target;
          this.show(false);
          this.save(); // a remount (the streamed run completes) goes on from here
        }
        if (this.idx >= end) {
          this.acc = 0;
          if (this.data.complete) {
            this.playing = false;
            this.show(true);
            this.report();
          }
        }
      }
    } else {
      this.last = null;
    }
    if (this.dirty) this.show(false);
  }

  // ------------------------------------------------------------------ drawing
  // A font size in px: `base` grown with the page's chart scale, never below the page's
  // floor (projector mode: the room reads every label at >= options.min_font px).
  fpx(base) {
    const o = (this.data && this.data.options) || {};
    return Math.round(Math.max(base * (o.scale || 1), o.min_font || 0));
  }

  // how much larger than the 11 px design the axis text is (paddings and offsets follow it)
  fk() {
    return this.fpx(11) / 11;
  }

  layout() {
    if (!this.data) return;
    const w = this.root.clientWidth || 900;
    const s = this.data.options.scale || 1;
    const gap = 14;
    const cw = Math.max(180, Math.min(Math.floor((w - 2 * gap) / 3), Math.round(420 * s)));
    this.root.style.fontSize = this.fpx(14) + "px"; // buttons, captions, legend follow it
    this.root.dataset.minFont = String(this.fpx(11)); // the smallest text drawn (tests read it)
    const size = sizeCanvas;
    const bh = Math.round(cw * 0.85);
    size(this.cBound, cw, bh);
    size(this.cLoss, cw, bh);
    size(this.cAcc, cw, bh);
    const L = this.data.layer_names.length;
    const gw = Math.min(w, Math.max(cw * 3 + 2 * gap, 0));
    const k = this.fk();
    size(this.cGrads, gw, Math.round(Math.min(120 * s, 40 + (gw / Math.max(L, 1)) * 0.5)
                                     + 30 * (k - 1)));
    this.dims = { cw, bh, gw };
    this.show(false);
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
    const d = this.data, L = d.labels;
    const charts = [[this.cBound, () => this.drawBoundary(f)],
                    [this.cLoss, () => this.drawCurve(this.cLoss, f.epoch, "loss")],
                    [this.cAcc, () => this.drawCurve(this.cAcc, f.epoch, "acc")],
                    [this.cGrads, () => this.drawGrads(f)]];
    for (const [c, draw] of charts) {
      if (this.drawNow(c, final)) {
        draw();
        c.dataset.epoch = String(f.epoch);
      }
    }
    // (a hidden diagram is shown by drawNetwork once a frame has one; it marks its canvas)
    if (this.fNet.style.display === "none" || this.drawNow(this.cNet, final)) this.drawNetwork(f);
    this.tBound.textContent = fmt(L.boundary_title, { epoch: f.epoch });
    this.mark(f);
    if (final) this.save();
  }

  // the bar's state and the root's data-* marks (browser tests read them) for frame f
  mark(f) {
    const d = this.data, L = d.labels;
    this.scrub.value = String(this.idx);
    this.bPlay.textContent = this.playing ? L.pause : L.play;
    this.bPlay.title = this.playing ? L.pause_help : L.play_help;
    const total = d.epochs_total;
    let st = fmt(L.epoch_of, { epoch: f.epoch, total });
    if (!d.complete) st += " · " + fmt(L.training, { epoch: d.epochs_done, total });
    else if (this.pending !== null) st = fmt(L.computing, { epoch: this.pending });
    this.status.textContent = st;
    this.drawn += 1;
    const r = this.root;
    r.dataset.epoch = String(f.epoch);
    r.dataset.playing = this.playing ? "1" : "0";
    r.dataset.frames = String(this.frames.length);
    r.dataset.drawn = String(this.drawn);
    r.dataset.complete = d.complete ? "1" : "0";
    r.dataset.run = d.run;
  }

  drawBoundary(f) {
    const d = this.data, g = d.grid, c = this.cBound, ctx = c.getContext("2d");
    const W = this.dims.cw, H = this.dims.bh;
    const k = this.fk();
    const pad = { l: 44 * k, r: 14, t: 6, b: 26 * k };
    const pw = W - pad.l - pad.r, ph = H - pad.t - pad.b;
    const px = this.gridImg.data, n = g.nx * g.ny;
    if (d.n_classes === 2) {
      for (let i = 0; i < n; i++) {
        // grid row 0 is the lowest y: flip so y grows upwards on screen
        const row = Math.floor(i / g.nx), col = i % g.nx;
        const o = ((g.ny - 1 - row) * g.nx + col) * 4, q = f.p[i] * 4;
        px[o] = this.lut[q]; px[o + 1] = this.lut[q + 1]; px[o + 2] = this.lut[q + 2]; px[o + 3] = 255;
      }
    } else {
      const K = d.n_classes;
      for (let i = 0; i < n; i++) {
        const row = Math.floor(i / g.nx), col = i % g.nx;
        const o = ((g.ny - 1 - row) * g.nx + col) * 4;
        const p = f.p[i] / 255, cc = this.cols[f.cls[i] % this.cols.length];
        const a = 0.05 + 0.55 * Math.max(0, Math.min(1, (p - 1 / K) / (1 - 1 / K)));
        px[o] = 255 + (cc[0] - 255) * a; px[o + 1] = 255 + (cc[1] - 255) * a;
        px[o + 2] = 255 + (cc[2] - 255) * a; px[o + 3] = 255;
      }
    }
    this.gridCtx.putImageData(this.gridImg, 0, 0);
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, W, H);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(this.gridCanvas, pad.l, pad.t, pw, ph);
    // cell centres x0..x1 span the plot less half a cell at each side, as the static chart
    // the points, frame and axes are the same in every frame: drawn once per data and size
    // into a layer that each frame copies over the boundary (no per-point drawing per frame)
    const dpr = window.devicePixelRatio || 1;
    const okey = `${this.dataGen}|${W}|${H}|${dpr}|${k}`;
    if (this.overlayKey !== okey) {
      const oc = (this.overlay = this.overlay || document.createElement("canvas"));
      oc.width = c.width;
      oc.height = c.height;
      const o = oc.getContext("2d");
      o.setTransform(dpr, 0, 0, dpr, 0, 0);
      o.clearRect(0, 0, W, H);
      const dx = (g.x1 - g.x0) / Math.max(1, g.nx - 1), dy = (g.y1 - g.y0) / Math.max(1, g.ny - 1);
      const X0 = g.x0 - dx / 2, X1 = g.x1 + dx / 2, Y0 = g.y0 - dy / 2, Y1 = g.y1 + dy / 2;
      const sx = (x) => pad.l + ((x - X0) / (X1 - X0)) * pw;
      const sy = (y) => pad.t + ph - ((y - Y0) / (Y1 - Y0)) * ph;
      const dot = (pts, test) => {
        if (!pts) return;
        for (let i = 0; i < pts.x.length; i++) {
          const x = sx(pts.x[i]), y = sy(pts.y[i]);
          o.beginPath();
          if (test) {
            o.moveTo(x, y - 4.2); o.lineTo(x + 4.2, y); o.lineTo(x, y + 4.2); o.lineTo(x - 4.2, y);
            o.closePath();
          } else {
            o.arc(x, y, 3.3, 0, 2 * Math.PI);
          }
          o.fillStyle = d.colors[pts.label[i] % d.colors.length];
          o.fill();
          o.lineWidth = 1;
          o.strokeStyle = test ? "#111111" : "#ffffff";
          o.stroke();
        }
      };
      dot(d.points, false);
      if (d.options.show_test) dot(d.test_points, true);
      o.strokeStyle = "#9ca3af";
      o.lineWidth = 1;
      o.strokeRect(pad.l, pad.t, pw, ph);
      o.fillStyle = "#374151";
      o.font = this.fpx(11) + "px sans-serif";
      o.textAlign = "center";
      for (const t of niceTicks(X0, X1)) o.fillText(t.text, sx(t.v), pad.t + ph + 13 * k);
      o.fillText(d.features[0], pad.l + pw / 2, H - 2);
      o.textAlign = "right";
      for (const t of niceTicks(Y0, Y1)) o.fillText(t.text, pad.l - 3, sy(t.v) + 4 * k);
      o.save();
      o.translate(9 * k, pad.t + ph / 2);
      o.rotate(-Math.PI / 2);
      o.textAlign = "center";
      o.fillText(d.features[1], 0, 0);
      o.restore();
      this.overlayKey = okey;
    }
    ctx.drawImage(this.overlay, 0, 0, W, H);
  }

  // the axes of a curve chart over the whole run (fixed: replay never rescales): background,
  // grid, ticks; returns the scales. kind "loss" (log-scaled if the view says so) or "acc".
  curveAxes(ctx, W, H, kind) {
    const d = this.data, fk = this.fk();
    const pad = { l: 46 * fk, r: 22 * fk, t: 8, b: 26 * fk }; // (room for the last tick)
    const pw = W - pad.l - pad.r, ph = H - pad.t - pad.b;
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, W, H);
    const total = Math.max(1, d.epochs_total);
    const log = kind === "loss" && d.options.log_scale;
    let lo = 0, hi = 1;
    if (log) {
      lo = Math.log10(Math.max(1e-6, this.lossMin)); hi = Math.log10(Math.max(1e-6, this.lossMax));
      if (hi - lo < 1e-9) hi = lo + 1;
    } else if (kind === "loss") {
      hi = this.lossMax > 0 ? this.lossMax * 1.05 : 1;
    }
    const sx = (e) => pad.l + (e / total) * pw;
    const tv = (v) => (log ? Math.log10(Math.max(1e-6, v)) : v);
    const sy = (v) => Math.max(pad.t, Math.min(pad.t + ph, pad.t + ph - ((tv(v) - lo) / (hi - lo)) * ph));
    ctx.strokeStyle = "#e5e7eb";
    ctx.lineWidth = 1;
    ctx.fillStyle = "#374151";
    ctx.font = this.fpx(11) + "px sans-serif";
    ctx.textAlign = "right";
    // round ticks: accuracy by 25 %, loss at round values, epochs at round counts
    let ys;
    if (kind === "acc") {
      ys = [0, 0.25, 0.5, 0.75, 1].map((v) => ({ v, text: Math.round(v * 100) + "%" }));
    } else if (log) { // whole decades (3 or more), else 1-2-5 steps, else a linear range
      const p0 = Math.ceil(lo - 1e-9), p1 = Math.floor(hi + 1e-9);
      const every = Math.ceil((p1 - p0 + 1) / 6); // at most 6 decades labelled
      ys = [];
      if (p1 - p0 >= 2) {
        for (let p = p0; p <= p1; p += every) ys.push({ v: 10 ** p, text: String(10 ** p) });
      } else {
        for (let p = Math.floor(lo); p <= Math.ceil(hi); p++) {
          for (const m of [1, 2, 5]) {
            const v = Number((m * 10 ** p).toPrecision(1)), t = Math.log10(v);
            if (t >= lo - 1e-9 && t <= hi + 1e-9) ys.push({ v, text: String(v) });
          }
        }
        if (ys.length < 2) ys = niceTicks(10 ** lo, 10 ** hi, 4);
      }
    } else {
      ys = niceTicks(lo, hi);
    }
    for (const t of ys) {
      const y = sy(t.v);
      ctx.beginPath(); ctx.moveTo(pad.l, y); ctx.lineTo(pad.l + pw, y); ctx.stroke();
      ctx.fillText(t.text, pad.l - 4, y + 4 * fk);
    }
    ctx.textAlign = "center";
    for (const t of niceTicks(0, total)) {
      if (Number.isInteger(t.v)) ctx.fillText(t.text, sx(t.v), pad.t + ph + 13 * fk);
    }
    ctx.fillText(d.labels.epoch_axis, pad.l + pw / 2, H - 2);
    return { sx, sy, pad, pw, ph };
  }

  // one series of history h up to `epoch` (a dot at its last value)
  curveLine(ctx, ax, h, ys, epoch, color, width) {
    ctx.strokeStyle = color;
    ctx.lineWidth = width;
    ctx.beginPath();
    let started = false, lx = null, ly = null;
    for (let i = 0; i < h.epoch.length && h.epoch[i] <= epoch; i++) {
      const v = ys[i];
      if (v === null) { started = false; lx = null; continue; }
      lx = ax.sx(h.epoch[i]); ly = ax.sy(v);
      if (started) ctx.lineTo(lx, ly); else { ctx.moveTo(lx, ly); started = true; }
    }
    ctx.stroke();
    if (lx !== null) {
      ctx.fillStyle = color;
      ctx.beginPath(); ctx.arc(lx, ly, 3.5, 0, 2 * Math.PI); ctx.fill();
    }
  }

  // the epoch marker (dashed) and the plot's frame
  curveMarker(ctx, ax, epoch) {
    ctx.strokeStyle = "#111827";
    ctx.setLineDash([4, 3]);
    ctx.lineWidth = 1.2;
    ctx.beginPath(); ctx.moveTo(ax.sx(epoch), ax.pad.t); ctx.lineTo(ax.sx(epoch), ax.pad.t + ax.ph); ctx.stroke();
    ctx.setLineDash([]);
    ctx.strokeStyle = "#9ca3af";
    ctx.strokeRect(ax.pad.l, ax.pad.t, ax.pw, ax.ph);
  }

  drawCurve(c, epoch, kind) {
    const d = this.data, h = d.history, ctx = c.getContext("2d");
    const ax = this.curveAxes(ctx, this.dims.cw, this.dims.bh, kind);
    const last = this.hRow.has(epoch) ? this.hRow.get(epoch) : -1;
    const series = kind === "acc" ? [["train_acc", "#1f77b4"], ["test_acc", "#ff7f0e"]]
                                  : [["train_loss", "#1f77b4"], ["test_loss", "#ff7f0e"]];
    for (const [key, color] of series) this.curveLine(ctx, ax, h, h[key], epoch, color, 1.8);
    this.curveMarker(ctx, ax, epoch);
    const cap = kind === "acc" ? this.tAcc : this.tLoss;
    let text = kind === "acc" ? d.labels.acc_title : d.labels.loss_title;
    if (last >= 0) {
      const a = h[series[0][0]][last], b = h[series[1][0]][last];
      const f = (v) => (v === null ? "–" : kind === "acc" ? (v * 100).toFixed(1) + "%" : v.toPrecision(3));
      text += ` · ${d.labels.train} ${f(a)} · ${d.labels.test} ${f(b)}`;
    }
    cap.textContent = text;
  }

  drawGrads(f) {
    const d = this.data, c = this.cGrads, ctx = c.getContext("2d");
    const W = this.dims.gw, H = parseFloat(c.style.height);
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, W, H);
    const L = d.layer_names.length, gap = 10;
    const pw = (W - gap * (L - 1)) / L;
    const bins = d.grad_bins, nb = bins.length - 1;
    const signed = d.options.signed;
    const fk = this.fk();
    ctx.font = this.fpx(11) + "px sans-serif";
    const [cPos, cNeg] = d.signed_colors || ["#542788", "#b35806"];
    for (let l = 0; l < L; l++) {
      const x0 = l * (pw + gap), top = 16 * fk, bottom = H - 14 * fk, ph = bottom - top;
      const zw = Math.max(4, pw * 0.06), bw = (pw - zw - 4) / nb;
      const max = this.gMax[l];
      ctx.fillStyle = "#111827";
      ctx.textAlign = "left";
      const norm = f.gnorm && f.gnorm[l] !== null && f.gnorm[l] !== undefined ? f.gnorm[l].toPrecision(2) : "–";
      ctx.fillText(`${d.layer_names[l]}  ‖g‖ ${norm}`, x0, 11 * fk);
      ctx.strokeStyle = "#e5e7eb";
      ctx.strokeRect(x0, top, pw, ph);
      const mid = signed ? top + ph / 2 : bottom;
      const hgt = (v) => (signed ? (ph / 2) * (v / max) : ph * (v / max));
      ctx.fillStyle = "#9ca3af";
      const z = hgt(f.gzero[l]);
      ctx.fillRect(x0 + 1, mid - z, zw, z);
      for (let b = 0; b < nb; b++) {
        const x = x0 + zw + 4 + b * bw;
        if (signed) {
          const hp = hgt(f.gpos[l][b]), hn = hgt(f.gneg[l][b]);
          ctx.fillStyle = cPos;
          ctx.fillRect(x, mid - hp, Math.max(1, bw - 0.5), hp);
          ctx.fillStyle = cNeg;
          ctx.fillRect(x, mid, Math.max(1, bw - 0.5), hn);
        } else {
          const hv = hgt(f.gpos[l][b] + f.gneg[l][b]);
          ctx.fillStyle = "#4e79a7";
          ctx.fillRect(x, mid - hv, Math.max(1, bw - 0.5), hv);
        }
      }
      ctx.fillStyle = "#374151";
      ctx.textAlign = "center";
      for (const t of [-8, -4, 0]) {
        const x = x0 + zw + 4 + ((t - bins[0]) / (bins[nb] - bins[0])) * (pw - zw - 4);
        ctx.fillText("1e" + t, x, H - 2);
      }
    }
  }

  // The network (TensorFlow Playground's view) from the frame's "net" (frames.net_frame):
  // one column per layer, every drawn unit a thumbnail of what it computes over the input
  // plane, links teal (w > 0) / brown (w < 0) sized by |w| on one scale for the whole run,
  // dead units greyed and crossed, saturated ones framed; pointing at a unit shows its numbers.
  drawNetwork(f) {
    const d = this.data, N = d.net, n = f.net, box = this.fNet, c = this.cNet;
    c.dataset.epoch = String(f.epoch); // (the player's charts all carry the frame's epoch)
    if (!N || !n) { box.style.display = "none"; return; }
    box.style.display = "";
    box.style.position = "relative";
    const T = N.text, C = N.colors, lays = N.layers, s = d.options.scale || 1;
    const W = this.dims.gw, cols = lays.length;
    const rows = Math.max(...lays.map((l) => l.names.length));
    const ctx = c.getContext("2d");
    const f12 = this.fpx(12) + "px sans-serif", f11 = this.fpx(11) + "px sans-serif";
    const fk = this.fk();
    ctx.font = f12;
    const labelW = Math.max(0, ...lays[0].labels.map((t) => ctx.measureText(t).width));
    const right = 46, foot = 20, gap0 = (W - 58 - right) / Math.max(1, cols - 1);
    const S = Math.round(Math.max(12, Math.min(38 * s, 0.55 * gap0, 330 / rows)));
    const left = Math.max(58, labelW + S / 2 + 12);
    const gap = (W - left - right) / Math.max(1, cols - 1);
    // narrow columns: "hidden 3 · Maxout" in two lines ("hidden 3" / "Maxout")
    const split = lays.some((l) => ctx.measureText(l.head).width > gap - 6);
    const head = Math.round((split ? 50 : 38) * fk);
    const pitch = S + Math.max(4, Math.round(S / 4)), H = head + rows * pitch + foot;
    const dpr = window.devicePixelRatio || 1;
    if (c.width !== Math.round(W * dpr) || c.height !== Math.round(H * dpr)) {
      c.style.width = W + "px"; c.style.height = H + "px";
      c.width = Math.round(W * dpr); c.height = Math.round(H * dpr);
    }
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, W, H);
    if (this.netFor !== this.frames) { // one |w| scale for the whole run (replay never rescales)
      this.netFor = this.frames;
      this.netMax = 0;
      for (const g of this.frames) {
        if (!g.net) continue;
        for (const A of g.net.w) for (const w of A) if (w !== null && Math.abs(w) > this.netMax) this.netMax = Math.abs(w);
      }
      if (!(this.netMax > 0)) this.netMax = 1;
    }
    const at = (li, j) => [left + li * gap,
      head + ((rows - lays[li].names.length) * pitch) / 2 + j * pitch + pitch / 2];
    const pos = hexRgb(C.pos), neg = hexRgb(C.neg);
    for (let li = 1; li < cols; li++) { // links first, under the thumbnails
      const A = n.w[li - 1], dst = lays[li].names.length;
      for (let k = 0; k < A.length; k++) {
        const w = A[k];
        if (w === null) continue;
        const [x0, y0] = at(li - 1, Math.floor(k / dst)), [x1, y1] = at(li, k % dst);
        const r = Math.min(1, Math.abs(w) / this.netMax);
        ctx.globalAlpha = 0.12 + 0.7 * r;
        ctx.strokeStyle = w >= 0 ? C.pos : C.neg;
        ctx.lineWidth = 0.3 + 3.2 * r;
        ctx.beginPath(); ctx.moveTo(x0 + S / 2, y0); ctx.lineTo(x1 - S / 2, y1); ctx.stroke();
      }
    }
    ctx.globalAlpha = 1;
    if (f.netSrc !== n.img) { f.netPx = b64bytes(n.img); f.netSrc = n.img; }
    const t = n.t, off = (this.netCanvas = this.netCanvas || document.createElement("canvas"));
    if (off.width !== t) { off.width = t; off.height = t; }
    const octx = off.getContext("2d"), im = octx.createImageData(t, t), px = im.data;
    const cols3 = this.cols || d.colors.map(hexRgb);
    let o = 0, dead = 0, sat = 0, units = 0;
    this.netHits = [];
    ctx.font = f12;
    ctx.textBaseline = "middle";
    for (let li = 0; li < cols; li++) {
      const lay = lays[li], [x] = at(li, 0);
      ctx.fillStyle = "#212529"; ctx.textAlign = "center";
      const parts = split ? lay.head.split(" · ") : [lay.head];
      parts.forEach((t, k) => ctx.fillText(t, x, (10 + 14 * k) * fk));
      ctx.fillStyle = "#868e96"; ctx.font = f11;
      ctx.fillText(lay.sub, x, head - 12 * fk);
      const more = lay.n - lay.names.length;
      if (more > 0) {
        let text = fmt(T.more, { k: more });
        if (n.dm[li]) text += " · " + fmt(T.more_dead, { d: n.dm[li] });
        ctx.fillStyle = "#495057";
        ctx.fillText(text, x, at(li, lay.names.length - 1)[1] + S / 2 + 10);
      }
      ctx.font = f12;
      for (let j = 0; j < lay.names.length; j++, units++) {
        const [ux, uy] = at(li, j);
        for (let i = 0; i < t * t; i++, o++) {
          const q = f.netPx[o], k = i * 4;
          let rgb;
          if (lay.kind !== "output") {
            const v = q / 127.5 - 1, cc = v >= 0 ? pos : neg, a = Math.min(1, Math.abs(v));
            rgb = [255 + a * (cc[0] - 255), 255 + a * (cc[1] - 255), 255 + a * (cc[2] - 255)];
          } else if (N.binary) {
            rgb = [this.lut[q * 4], this.lut[q * 4 + 1], this.lut[q * 4 + 2]];
          } else {
            const cc = cols3[j % cols3.length], a = 0.75 * (q / 255);
            rgb = [255 + a * (cc[0] - 255), 255 + a * (cc[1] - 255), 255 + a * (cc[2] - 255)];
          }
          px[k] = rgb[0]; px[k + 1] = rgb[1]; px[k + 2] = rgb[2]; px[k + 3] = 255;
        }
        octx.putImageData(im, 0, 0);
        ctx.imageSmoothingEnabled = true;
        ctx.drawImage(off, ux - S / 2, uy - S / 2, S, S);
        ctx.strokeStyle = "#ced4da"; ctx.lineWidth = 1;
        ctx.strokeRect(ux - S / 2 - 0.5, uy - S / 2 - 0.5, S + 1, S + 1);
        if (n.dead[li][j]) {
          dead++;
          ctx.globalAlpha = 0.75; ctx.fillStyle = C.dead;
          ctx.fillRect(ux - S / 2, uy - S / 2, S, S);
          ctx.globalAlpha = 1; ctx.strokeStyle = C.cross; ctx.lineWidth = Math.max(1.5, S / 12);
          const e = S * 0.3;
          ctx.beginPath();
          ctx.moveTo(ux - e, uy - e); ctx.lineTo(ux + e, uy + e);
          ctx.moveTo(ux + e, uy - e); ctx.lineTo(ux - e, uy + e);
          ctx.stroke();
          ctx.lineWidth = 1; ctx.strokeRect(ux - S / 2, uy - S / 2, S, S);
        } else if (n.sat[li][j]) {
          sat++;
          ctx.strokeStyle = C.sat; ctx.lineWidth = 3;
          ctx.strokeRect(ux - S / 2, uy - S / 2, S, S);
        }
        if (lay.labels[j]) {
          ctx.fillStyle = "#343a40"; ctx.textAlign = "right";
          ctx.fillText(lay.labels[j], ux - S / 2 - 6, uy);
        }
        this.netHits.push([ux, uy, li, j]);
      }
    }
    this.netS = S;
    let cap = fmt(T.title, { epoch: n.epoch });
    if (n.epoch !== f.epoch) cap += " · " + fmt(T.thinned_one, { epoch: n.epoch });
    this.tNet.textContent = cap;
    if (this.lNet.dataset.key !== T["legend.dead"] + d.run) { // the legend: once per run
      this.lNet.dataset.key = T["legend.dead"] + d.run;
      this.lNet.replaceChildren();
      const item = (style, text) => {
        const it = el("span", "item", this.lNet), m = el("i", "", it);
        Object.assign(m.style, { display: "inline-block", width: "12px", height: "12px", ...style });
        el("span", "", it, text);
      };
      item({ background: C.dead, border: "1px solid " + C.cross }, "✕ " + T["legend.dead"]);
      item({ border: "3px solid " + C.sat, boxSizing: "border-box" }, T["legend.saturated"]);
      item({ background: `linear-gradient(90deg, ${C.neg}, #ffffff, ${C.pos})` }, T["legend.links"]);
    }
    Object.assign(c.dataset, { epoch: String(f.epoch), netEpoch: String(n.epoch), dead: String(dead),
                               saturated: String(sat), units: String(units) });
    if (!this.netTip) { // the tooltip: the numbers of the unit under the pointer, this frame
      const tip = (this.netTip = el("div", "nettip", box));
      Object.assign(tip.style, { position: "absolute", display: "none", pointerEvents: "none",
        background: "#ffffff", border: "1px solid #ced4da", borderRadius: "6px", padding: "6px 8px",
        font: f12, whiteSpace: "pre", boxShadow: "0 2px 6px rgba(0,0,0,.15)",
        zIndex: 5 });
      c.addEventListener("mouseleave", () => { tip.style.display = "none"; });
      c.addEventListener("mousemove", (ev) => {
        const g = this.frames[this.idx], m = g && g.net, D = this.data.net;
        const rc = c.getBoundingClientRect(), mx = ev.clientX - rc.left, my = ev.clientY - rc.top;
        const hit = m && this.netHits.find(([x, y]) => Math.abs(mx - x) <= this.netS / 2
                                                      && Math.abs(my - y) <= this.netS / 2);
        if (!hit) { tip.style.display = "none"; return; }
        const [, , li, j] = hit, lay = D.layers[li], X = D.text, num = (v) => (v === null ? "—" : String(v));
        const lines = [[X["tip.unit"], lay.names[j]], [X["tip.what"], lay.what[j]],
                       [X["tip.mean"], num(m.m[li][j])], [X["tip.range"], num(m.lo[li][j]) + " … " + num(m.hi[li][j])]];
        if (li > 0) {
          const b = m.b[li][j], src = D.layers[li - 1], dst = lay.names.length, A = m.w[li - 1];
          const ws = src.names.map((_, a) => num(A[a * dst + j])).join(", ")
                     + (src.n > src.names.length ? ` … (+${src.n - src.names.length})` : "");
          lines.push([X["tip.bias"], Array.isArray(b) ? b.map(num).join(", ") : num(b)]);
          lines.push([lay.maxout ? X["tip.weights_maxout"] : X["tip.weights"], ws]);
        }
        if (lay.kind === "hidden") {
          lines.push([X["tip.state"], m.dead[li][j] ? X["state.dead"] : m.sat[li][j]
                      ? X["state.saturated"] : X["state.alive"]]);
        }
        tip.textContent = lines.map(([k, v]) => k + ": " + v).join("\n");
        tip.style.display = "block";
        tip.style.left = Math.min(mx + 14, Math.max(0, rc.width - tip.offsetWidth)) + "px";
        tip.style.top = (my + c.offsetTop + 14) + "px";
      });
    }
  }

  destroy() {
    cancelAnimationFrame(this.raf);
    this.ro.disconnect();
    if (this.io) this.io.disconnect();
  }
}

// One run of a Group: its boundary, drawn by the Group at the Group's epoch.
class Sub extends Player {
  constructor(fig) {
    super(fig, null, true);
  }

  build() {
    this.tBound = el("figcaption", "", this.root);
    this.cBound = el("canvas", "", this.root);
  }

  setRun(p) {
    this.data = p;
    this.dataGen = (this.dataGen || 0) + 1;
    this.decode();
  }

  layout() {}
}

// Compare's player: one transport for several runs of the same data, start and schedule
// (one per activation). Every frame draws each run's boundary at ONE epoch (a run that
// diverged earlier shows its last snapshot) and the runs' training loss and accuracy up to that
// epoch, overlaid in their colours. The transport (play, pause, steps, reset, replay, speed,
// scrubber, reports to the page) is the Player's, over the union of the runs' snapshots.
class Group extends Player {
  build() {
    const r = this.root;
    this.buildBar(r);
    r.classList.add("group");
    this.row = el("div", "row", r);
    this.curves = el("div", "charts curves", r);
    const mk = (cls) => {
      const box = el("figure", "chart " + cls, this.curves);
      const cap = el("figcaption", "", box);
      const c = el("canvas", "", box);
      return [c, cap, box];
    };
    [this.cLoss, this.tLoss] = mk("loss");
    [this.cAcc, this.tAcc] = mk("acc");
    this.legend = el("div", "legend", r);
    this.subs = [];
    this.ro = new ResizeObserver(() => this.layout());
    this.ro.observe(r);
  }

  decode() {
    const D = this.data;
    const same = this.subs.length === D.runs.length
      && this.subs.every((x, i) => x.data.run === D.runs[i].run);
    if (!same) {
      this.row.replaceChildren();
      this.subs = D.runs.map(() => new Sub(el("figure", "chart boundary", this.row)));
    }
    D.runs.forEach((p, i) => {
      const x = this.subs[i].data; // (a rerun with the same run and view keeps the decoding)
      if (x === null || x.run !== p.run || x.frames.length !== p.frames.length
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
    this.scrub.max = String(Math.max(0, this.frames.length - 1));
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

  layout() {
    if (!this.data) return;
    const w = this.root.clientWidth || 900, n = Math.max(1, this.subs.length);
    const s = this.data.options.scale || 1, gap = 12, big = this.data.options.big;
    this.root.style.fontSize = this.fpx(14) + "px";
    this.root.dataset.minFont = String(this.fpx(11));
    this.row.style.gap = gap + "px";
    let cw = Math.max(120, Math.min(Math.floor((w - gap * (n - 1)) / n),
                                    Math.round((big ? 640 : 300) * s)));
    // the room's screen: the row fits under the controls (big: as large as the width allows,
    // the lecturer scrolls to it); a lower height narrows the plot too (same aspect)
    const hmax = big ? 0 : this.data.options.max_height || 0;
    let bh = Math.round(cw * 0.85);
    if (hmax > 0 && bh > hmax) {
      bh = Math.max(110, hmax);
      cw = Math.round(bh / 0.85);
    }
    for (const x of this.subs) {
      sizeCanvas(x.cBound, cw, bh);
      x.root.style.width = cw + "px"; // (its caption is cut to the plot's width)
      x.dims = { cw, bh };
    }
    this.curves.style.display = big ? "none" : "";
    const half = Math.max(180, Math.min(Math.floor((w - 14) / 2), Math.round(560 * s)));
    const ch = Math.round(Math.min(half * 0.5, 240 * s));
    sizeCanvas(this.cLoss, half, ch);
    sizeCanvas(this.cAcc, half, ch);
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
      x.drawBoundary(g);
      const h = x.data.history, row = x.hRow.has(g.epoch) ? x.hRow.get(g.epoch) : -1;
      const acc = row >= 0 && h.train_acc[row] !== null ? (h.train_acc[row] * 100).toFixed(1) + "%" : "–";
      let cap = `${x.data.title} · ${L.train} ${acc}`;
      if (g.epoch < e) cap += " · " + fmt(L.stopped_at, { epoch: g.epoch });
      x.tBound.textContent = cap;
      x.cBound.dataset.epoch = String(e);
      x.cBound.dataset.runEpoch = String(g.epoch);
    }
    if (!this.data.options.big) {
      this.drawOverlay(this.cLoss, this.tLoss, e, "loss");
      this.drawOverlay(this.cAcc, this.tAcc, e, "acc");
    }
    this.cLoss.dataset.epoch = this.cAcc.dataset.epoch = String(e);
    this.mark(f);
    if (final) this.save();
  }

  // every run's training loss (or accuracy) up to epoch e, one line per run in its colour
  drawOverlay(c, cap, epoch, kind) {
    const d = this.data, ctx = c.getContext("2d");
    const ax = this.curveAxes(ctx, this.dims.cw, this.dims.bh, kind);
    const key = kind === "acc" ? "train_acc" : "train_loss";
    for (const x of this.subs) {
      this.curveLine(ctx, ax, x.data.history, x.data.history[key], epoch, x.data.color, 2);
    }
    this.curveMarker(ctx, ax, epoch);
    cap.textContent = kind === "acc" ? d.labels.train_acc_title : d.labels.train_loss_title;
  }
}

Player.niceTicks = niceTicks; // (browser tests call it: root.__player.constructor.niceTicks)

export default function (component) {
  const { data, parentElement } = component;
  keepOpaque();
  let root = parentElement.querySelector(".player-root");
  if (!root) {
    root = document.createElement("div");
    root.className = "player-root";
    parentElement.appendChild(root);
  }
  if (!root.__player) {
    root.__player = data && data.group ? new Group(root, component) : new Player(root, component);
  }
  const p = root.__player;
  p.api = component; // the newest setStateValue / setTriggerValue
  if (data) p.setData(data);
  // Streamlit may call an older call's cleanup while a newer call uses the same player (a
  // quick data update): only a player whose element has left the page is destroyed
  return () => {
    setTimeout(() => {
      if (!root.isConnected && root.__player === p) {
        p.destroy();
        root.__player = null;
      }
    }, 0);
  };
}
