// core.js: the shared core of the live player (first in explorer.live.assets.MODULES).
// Defines: RUNS, KEYS, keepOpaque, b64bytes, hexRgb, fmt, el, figure, tick, niceTicks, sizeCanvas,
// decodeRun, class Host. Needs nothing (browser globals only).
// The player's files are plain script fragments joined in a fixed order into ONE ES module
// (the component takes one JS string): a file uses only names defined by the files before
// it; only main.js (last) exports.

const RUNS = new Map(); // run id -> {epoch, playing, speed, nonce}: survives remounts
const KEYS = { focused: false }; // the player had the keyboard focus (kept across remounts)

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

// a chart's figure in parent: <figure class="chart {cls}"><figcaption/><canvas/></figure>
function figure(parent, cls) {
  const box = el("figure", "chart " + cls, parent);
  const cap = el("figcaption", "", box);
  const canvas = el("canvas", "", box);
  return { box, cap, canvas };
}

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

// Give canvas c a size of W x H CSS px (device pixels for sharpness). The same size keeps the
// canvas: setting its width clears it (the frame is redrawn after every layout).
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

// A player narrower than this (px) is on a phone: its charts are stacked, each as wide as it.
const NARROW = 560;

// Scroll element e's top into view (below Streamlit's header: player.css's scroll-margin).
function keepInView(e) {
  if (e.scrollIntoView) e.scrollIntoView({ block: "start", behavior: "smooth" });
}

// One run's payload d decoded for drawing: its frames (its dense frames, dense.js, and its
// checkpoint and extra frames with a boundary; a frame of `old` with the same epoch and
// source is kept), each with the histograms of the last checkpoint at or before its epoch
// (gEpoch), the history's row per epoch, the fixed axes of the whole run (what is known of
// it: replay never rescales) and the colour tables.
function decodeRun(d, old) {
  const key = (f) => f.epoch + "|" + (f.p ? f.p.length : 0);
  const prev = new Map((old || []).filter((f) => !f.dense).map((f) => [key(f), f]));
  const ck = d.frames.map((f) => {
    const o = prev.get(key(f));
    if (o && o.src === f.p) return o;
    return { epoch: f.epoch, src: f.p, p: f.p ? b64bytes(f.p) : null,
             cls: f.cls ? b64bytes(f.cls) : null, gpos: f.gpos, gneg: f.gneg, gzero: f.gzero,
             gnorm: f.gnorm, net: f.net, gEpoch: f.epoch };
  });
  const byEpoch = new Map();
  for (const f of denseFrames(d)) byEpoch.set(f.epoch, f);
  for (const f of ck) if (f.p && !byEpoch.has(f.epoch)) byEpoch.set(f.epoch, f);
  const frames = [...byEpoch.values()].sort((a, b) => a.epoch - b.epoch);
  const hs = ck.filter((f) => f.gpos).sort((a, b) => a.epoch - b.epoch);
  let j = -1;
  for (const f of frames) {
    while (j + 1 < hs.length && hs[j + 1].epoch <= f.epoch) j++;
    if (!f.dense) continue;
    const g = hs[Math.max(0, j)] || {};
    Object.assign(f, { gpos: g.gpos, gneg: g.gneg, gzero: g.gzero, gnorm: g.gnorm,
                       gEpoch: g.epoch });
  }
  const h = d.history;
  const finite = (a) => a.filter((v) => v !== null && isFinite(v));
  const losses = finite(h.train_loss.concat(h.test_loss));
  const nl = d.layer_names.length;
  const gMax = new Array(nl).fill(1);
  for (const f of hs) {
    for (let l = 0; l < nl; l++) {
      const pos = f.gpos[l], neg = f.gneg[l];
      for (let b = 0; b < pos.length; b++) {
        const v = d.options.signed ? Math.max(pos[b], neg[b]) : pos[b] + neg[b];
        if (v > gMax[l]) gMax[l] = v;
      }
      if (f.gzero[l] > gMax[l]) gMax[l] = f.gzero[l];
    }
  }
  // colour look-up tables (blended over white, as the static charts' opacity does)
  const cols = d.colors.map(hexRgb);
  let lut = null;
  if (d.n_classes === 2) {
    lut = new Uint8ClampedArray(256 * 4);
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
      for (let k = 0; k < 3; k++) lut[q * 4 + k] = 255 + (c[k] - 255) * a;
      lut[q * 4 + 3] = 255;
    }
  }
  return {
    frames,
    ck: new Set(d.checkpoints),
    hRow: new Map(h.epoch.map((e, i) => [e, i])),
    lossMax: losses.length ? Math.max(...losses) : 1,
    lossMin: losses.length ? Math.min(...losses) : 0,
    gMax,
    lut,
    cols: d.n_classes === 2 ? null : cols,
  };
}

// What a view draws from (a Player, a Group, a Group's column): `data` (the payload),
// `frames` and the tables of decodeRun, `dims` (the chart sizes of the last layout), and
// the font sizes below.
class Host {
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

  // the index of the last frame at or before `epoch` (0 if none)
  indexOf(epoch) {
    let best = 0;
    for (let i = 0; i < this.frames.length; i++) if (this.frames[i].epoch <= epoch) best = i;
    return best;
  }
}
