// dense.js: the dense frame stream (after core.js; needs b64bytes). Defines: DENSE, half,
// denseLoad, denseFrames, denseBusy, denseCount, drawable.
// A run's frames at every epoch (explorer/frame_stream.py, explorer.live.frames.dense_payload)
// come in chunks: rows of bytes, each row minus the one before, deflated, base64. A chunk is
// decoded once (DecompressionStream, asynchronously) into DENSE, which keeps the decoded rows
// per run across remounts and reruns (the DENSE_RUNS runs used last). A payload's chunk
// without `z` is one the page sent before: the player has it (else it asks for all again).

const DENSE = new Map(); // run id -> {rows: [Uint8Array], frames: [frame], keys, pending}
const DENSE_RUNS = 12;

function denseStore(run, make) {
  let s = DENSE.get(run);
  if (s) {
    DENSE.delete(run); // (most recently used last)
    DENSE.set(run, s);
  } else if (make) {
    s = { rows: [], frames: [], keys: new Set(), pending: new Set() };
    DENSE.set(run, s);
    while (DENSE.size > DENSE_RUNS) DENSE.delete(DENSE.keys().next().value);
  }
  return s;
}

// an IEEE half-precision number (its 16 bits) as a number of 3 significant digits (±inf,
// NaN: null, shown as "—")
function half(h) {
  const s = h & 0x8000 ? -1 : 1, e = (h >> 10) & 31, m = h & 1023;
  if (e === 31) return null;
  const v = e === 0 ? s * m * 2 ** -24 : s * (1 + m / 1024) * 2 ** (e - 15);
  return Number(v.toPrecision(3));
}

async function inflate(b64) {
  const ds = new DecompressionStream("deflate");
  const blob = new Blob([b64bytes(b64)]);
  return new Uint8Array(await new Response(blob.stream().pipeThrough(ds)).arrayBuffer());
}

// Decode the chunks of payload d's dense stream that DENSE lacks; `then()` after each one.
// Returns false if a chunk the page sent before is missing (the player must ask for all).
function denseLoad(d, then) {
  const D = d.dense;
  if (!D || typeof DecompressionStream === "undefined") return true;
  const s = denseStore(d.run, true), row = D.layout.row;
  let whole = true;
  for (const c of D.chunks) {
    const key = c.i + ":" + c.n;
    if (s.keys.has(key) || s.pending.has(key)) continue;
    if (!c.z) { whole = false; continue; }
    s.pending.add(key);
    inflate(c.z).then((buf) => {
      for (let r = 1; r < c.n; r++) { // undo the differences (Uint8Array wraps mod 256)
        const o = r * row;
        for (let b = 0; b < row; b++) buf[o + b] += buf[o - row + b];
      }
      for (let r = 0; r < c.n; r++) {
        s.rows[c.i + r] = buf.subarray(r * row, (r + 1) * row);
        s.frames[c.i + r] = null;
      }
      s.keys.add(key);
      s.pending.delete(key);
      then();
    }).catch(() => s.pending.delete(key));
  }
  return whole;
}

// true while a chunk of payload d (a run, or a group of runs) is being decoded
function denseBusy(d) {
  if (d.group) return d.runs.some(denseBusy);
  const s = d.dense && DENSE.get(d.run);
  return Boolean(s && s.pending.size);
}

// rows decoded so far, from row 0 on without a gap
function denseCount(d) {
  const D = d.dense, s = D && DENSE.get(d.run);
  if (!s) return 0;
  let i = 0;
  while (i < D.n && s.rows[i]) i++;
  return i;
}

// true if payload d (a run, or a group of runs) has a frame to draw
function drawable(d) {
  if (d.group) return d.runs.some(drawable);
  return d.frames.some((f) => f.p) || denseCount(d) > 0;
}

// split a flat list into per-layer lists of sizes n[l]
function perLayer(a, n, at = 0) {
  const out = [];
  for (const k of n) {
    out.push(Array.from(a.slice(at, at + k)));
    at += k;
  }
  return out;
}

// one row as a frame: {epoch, p, cls, net, dense}; net as explorer.live.frames.net_frame's
// (with `px`, the thumbnails' bytes, instead of base64 `img`)
function denseFrame(r, lay, epoch) {
  const G = lay.grid;
  let o = G;
  const f = { epoch, p: r.subarray(0, G), cls: null, net: null, dense: true };
  if (lay.multi) { f.cls = r.subarray(o, o + G); o += G; }
  if (!lay.t) return f;
  const n = lay.drawn, U = n.reduce((a, b) => a + b, 0), T2 = lay.t * lay.t;
  const px = r.subarray(o, o + U * T2);
  o += U * T2;
  const fl = new Array(lay.floats);
  for (let k = 0; k < lay.floats; k++) fl[k] = half(r[o + 2 * k] | (r[o + 2 * k + 1] << 8));
  o += 2 * lay.floats;
  let at = 0;
  const w = lay.links.map((k) => { const a = fl.slice(at, at + k); at += k; return a; });
  const b = n.map((k, li) => {
    const per = k ? lay.bias[li] / k : 0, out = [];
    for (let j = 0; j < k; j++) {
      if (!per) out.push(null);
      else if (per === 1) out.push(fl[at++]);
      else { out.push(fl.slice(at, at + per)); at += per; }
    }
    return out;
  });
  const m = perLayer(fl, n, at), lo = perLayer(fl, n, at + U), hi = perLayer(fl, n, at + 2 * U);
  const dm = fl.slice(at + 3 * U, at + 3 * U + n.length).map((v) => v || 0);
  f.net = { epoch, t: lay.t, px, w, b, m, lo, hi, dm,
            dead: perLayer(r, n, o), sat: perLayer(r, n, o + U) };
  return f;
}

// payload d's dense frames decoded so far (row 0 on, no gap), built once per row
function denseFrames(d) {
  const D = d.dense, s = D && DENSE.get(d.run);
  if (!s) return [];
  const out = [];
  for (let i = 0; i < D.n && s.rows[i]; i++) {
    const epoch = i === D.n - 1 ? D.last : i * D.stride;
    let f = s.frames[i];
    if (!f || f.epoch !== epoch) f = s.frames[i] = denseFrame(s.rows[i], D.layout, epoch);
    out.push(f);
  }
  return out;
}
