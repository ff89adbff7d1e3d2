// curves.js: the loss and accuracy charts (after core.js; needs figure, fmt, niceTicks).
// curveAxes / curveLine / curveMarker draw one chart's parts; class CurvesView holds the two
// figures (<figure class="chart loss">, <figure class="chart acc">) and draws them for one
// run (draw: train and test) or for a Group (drawOverlay: every run's training series).
// The host (a Player or a Group) gives data (epochs_total, options.log_scale, labels),
// lossMin / lossMax (fixed for the whole run) and fpx / fk.

// the axes of a curve chart over the whole run (fixed: replay never rescales): background,
// grid, ticks; returns the scales. kind "loss" (log-scaled if the view says so) or "acc".
function curveAxes(p, ctx, W, H, kind) {
  const d = p.data, fk = p.fk();
  const pad = { l: 46 * fk, r: 22 * fk, t: 8, b: 26 * fk }; // (room for the last tick)
  const pw = W - pad.l - pad.r, ph = H - pad.t - pad.b;
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(0, 0, W, H);
  const total = Math.max(1, d.epochs_total);
  const log = kind === "loss" && d.options.log_scale;
  let lo = 0, hi = 1;
  if (log) {
    lo = Math.log10(Math.max(1e-6, p.lossMin)); hi = Math.log10(Math.max(1e-6, p.lossMax));
    if (hi - lo < 1e-9) hi = lo + 1;
  } else if (kind === "loss") {
    hi = p.lossMax > 0 ? p.lossMax * 1.05 : 1;
  }
  const sx = (e) => pad.l + (e / total) * pw;
  const tv = (v) => (log ? Math.log10(Math.max(1e-6, v)) : v);
  const sy = (v) => Math.max(pad.t, Math.min(pad.t + ph, pad.t + ph - ((tv(v) - lo) / (hi - lo)) * ph));
  ctx.strokeStyle = "#e5e7eb";
  ctx.lineWidth = 1;
  ctx.fillStyle = "#374151";
  ctx.font = p.fpx(11) + "px sans-serif";
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
      for (let q = p0; q <= p1; q += every) ys.push({ v: 10 ** q, text: String(10 ** q) });
    } else {
      for (let q = Math.floor(lo); q <= Math.ceil(hi); q++) {
        for (const m of [1, 2, 5]) {
          const v = Number((m * 10 ** q).toPrecision(1)), t = Math.log10(v);
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
function curveLine(ctx, ax, h, ys, epoch, color, width) {
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
function curveMarker(ctx, ax, epoch) {
  ctx.strokeStyle = "#111827";
  ctx.setLineDash([4, 3]);
  ctx.lineWidth = 1.2;
  ctx.beginPath(); ctx.moveTo(ax.sx(epoch), ax.pad.t); ctx.lineTo(ax.sx(epoch), ax.pad.t + ax.ph); ctx.stroke();
  ctx.setLineDash([]);
  ctx.strokeStyle = "#9ca3af";
  ctx.strokeRect(ax.pad.l, ax.pad.t, ax.pw, ax.ph);
}

// a violet rule where the learning rate changed, labelled "lr → 3" at the plot's top (each
// label a row lower than the one before); changes: [[epoch, lr], ...] (frames.lr_marks)
function curveLr(p, ctx, ax, changes, label) {
  if (!changes || !changes.length) return;
  const fk = p.fk(), total = Math.max(1, p.data.epochs_total);
  ctx.font = "bold " + p.fpx(10) + "px sans-serif";
  ctx.textBaseline = "top";
  changes.forEach(([e, lr], i) => {
    const x = ax.sx(e), right = e > total / 2;
    ctx.strokeStyle = ctx.fillStyle = "#7048e8";
    ctx.lineWidth = 1.5;
    ctx.beginPath(); ctx.moveTo(x, ax.pad.t); ctx.lineTo(x, ax.pad.t + ax.ph); ctx.stroke();
    ctx.textAlign = right ? "right" : "left";
    ctx.fillText(fmt(label, { lr: String(lr) }), x + (right ? -4 : 4), ax.pad.t + 3 + i * 15 * fk);
  });
  ctx.textBaseline = "alphabetic";
}

class CurvesView {
  constructor(host, parent) {
    this.host = host;
    ({ canvas: this.cLoss, cap: this.tLoss } = figure(parent, "loss"));
    ({ canvas: this.cAcc, cap: this.tAcc } = figure(parent, "acc"));
  }

  // one run's train and test loss (kind "loss") or accuracy ("acc") up to `epoch`, the
  // caption with their values at that epoch; sized dims.cw x dims.bh
  draw(kind, epoch) {
    const p = this.host, d = p.data, h = d.history;
    const c = kind === "acc" ? this.cAcc : this.cLoss, ctx = c.getContext("2d");
    const ax = curveAxes(p, ctx, p.dims.cw, p.dims.bh, kind);
    const last = p.hRow.has(epoch) ? p.hRow.get(epoch) : -1;
    const series = kind === "acc" ? [["train_acc", "#1f77b4"], ["test_acc", "#ff7f0e"]]
                                  : [["train_loss", "#1f77b4"], ["test_loss", "#ff7f0e"]];
    for (const [key, color] of series) curveLine(ctx, ax, h, h[key], epoch, color, 1.8);
    curveLr(p, ctx, ax, d.lr_changes, d.labels.lr_rule);
    curveMarker(ctx, ax, epoch);
    const cap = kind === "acc" ? this.tAcc : this.tLoss;
    let text = kind === "acc" ? d.labels.acc_title : d.labels.loss_title;
    if (last >= 0) {
      const a = h[series[0][0]][last], b = h[series[1][0]][last];
      const f = (v) => (v === null ? "–" : kind === "acc" ? (v * 100).toFixed(1) + "%" : v.toPrecision(3));
      text += ` · ${d.labels.train} ${f(a)} · ${d.labels.test} ${f(b)}`;
    }
    cap.textContent = text;
  }

  // every run's training loss (or accuracy) up to `epoch`, one line per run in its colour
  // (runs: objects with `data` = the run's payload: history, color)
  drawOverlay(kind, epoch, runs) {
    const p = this.host, d = p.data;
    const c = kind === "acc" ? this.cAcc : this.cLoss, ctx = c.getContext("2d");
    const ax = curveAxes(p, ctx, p.dims.cw, p.dims.bh, kind);
    const key = kind === "acc" ? "train_acc" : "train_loss";
    for (const x of runs) {
      curveLine(ctx, ax, x.data.history, x.data.history[key], epoch, x.data.color, 2);
    }
    const lr = new Map(); // every run's changes, once each (the runs share their schedule)
    for (const x of runs) for (const c of x.data.lr_changes || []) lr.set(c.join("|"), c);
    curveLr(p, ctx, ax, [...lr.values()].sort((a, b) => a[0] - b[0]), d.labels.lr_rule);
    curveMarker(ctx, ax, epoch);
    const cap = kind === "acc" ? this.tAcc : this.tLoss;
    cap.textContent = kind === "acc" ? d.labels.train_acc_title : d.labels.train_loss_title;
  }
}
