// network.js: class NetworkView, the network diagram (TensorFlow Playground's view) of one
// frame (after core.js; needs figure, el, fmt, hexRgb, b64bytes). Its figure is
// <figure class="chart net"> (caption, canvas, legend) in parent, hidden while the run has no
// diagram. It draws from its host (a Player, see Host): data.net (frames.net_layout), the
// frame's "net" (frames.net_frame), frames (one |w| scale), lut / cols, dims.gw, fpx / fk,
// drawNow (while it plays, a canvas out of view waits), and frames[idx] for the tooltip.
class NetworkView {
  constructor(host, parent) {
    this.host = host;
    Object.assign(this, figure(parent, "net"));
    this.legend = el("div", "legend", this.box);
  }

  // draws frame f unless it is to wait (a hidden diagram is shown once a frame has one)
  show(f, final) {
    if (this.box.style.display === "none" || this.host.drawNow(this.canvas, final)) this.drawNetwork(f);
  }

  // One column per layer, every drawn unit a thumbnail of what it computes over the input
  // plane, links teal (w > 0) / brown (w < 0) sized by |w| on one scale for the whole run,
  // dead units greyed and crossed, saturated ones framed; pointing at a unit shows its numbers.
  drawNetwork(f) {
    const p = this.host, d = p.data, N = d.net, n = f.net, box = this.box, c = this.canvas;
    c.dataset.epoch = String(f.epoch); // (the player's charts all carry the frame's epoch)
    if (!N || !n) { box.style.display = "none"; return; }
    box.style.display = "";
    box.style.position = "relative";
    const T = N.text, C = N.colors, lays = N.layers, s = d.options.scale || 1;
    const W = p.dims.gw, cols = lays.length;
    const rows = Math.max(...lays.map((l) => l.names.length));
    const ctx = c.getContext("2d");
    const f12 = p.fpx(12) + "px sans-serif", f11 = p.fpx(11) + "px sans-serif";
    const fk = p.fk();
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
    if (this.netFor !== p.frames) { // one |w| scale for the whole run (replay never rescales)
      this.netFor = p.frames;
      this.netMax = 0;
      for (const g of p.frames) {
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
    if (n.px) f.netPx = n.px; // (a dense frame: its bytes)
    else if (f.netSrc !== n.img) { f.netPx = b64bytes(n.img); f.netSrc = n.img; }
    const t = n.t, off = (this.netCanvas = this.netCanvas || document.createElement("canvas"));
    if (off.width !== t) { off.width = t; off.height = t; }
    const octx = off.getContext("2d"), im = octx.createImageData(t, t), px = im.data;
    const cols3 = p.cols || d.colors.map(hexRgb);
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
            rgb = [p.lut[q * 4], p.lut[q * 4 + 1], p.lut[q * 4 + 2]];
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
    this.cap.textContent = cap;
    this.legendOnce(T, C, d.run);
    Object.assign(c.dataset, { epoch: String(f.epoch), netEpoch: String(n.epoch), dead: String(dead),
                               saturated: String(sat), units: String(units) });
    if (!this.netTip) this.tooltip(f12);
  }

  // the legend: once per run (and language)
  legendOnce(T, C, run) {
    if (this.legend.dataset.key === T["legend.dead"] + run) return;
    this.legend.dataset.key = T["legend.dead"] + run;
    this.legend.replaceChildren();
    const item = (style, text) => {
      const it = el("span", "item", this.legend), m = el("i", "", it);
      Object.assign(m.style, { display: "inline-block", width: "12px", height: "12px", ...style });
      el("span", "", it, text);
    };
    item({ background: C.dead, border: "1px solid " + C.cross }, "✕ " + T["legend.dead"]);
    item({ border: "3px solid " + C.sat, boxSizing: "border-box" }, T["legend.saturated"]);
    item({ background: `linear-gradient(90deg, ${C.neg}, #ffffff, ${C.pos})` }, T["legend.links"]);
  }

  // the tooltip (made once): the numbers of the unit under the pointer, in the frame shown
  tooltip(font) {
    const p = this.host, c = this.canvas;
    const tip = (this.netTip = el("div", "nettip", this.box));
    Object.assign(tip.style, { position: "absolute", display: "none", pointerEvents: "none",
      background: "#ffffff", border: "1px solid #ced4da", borderRadius: "6px", padding: "6px 8px",
      font, whiteSpace: "pre", boxShadow: "0 2px 6px rgba(0,0,0,.15)",
      zIndex: 5 });
    c.addEventListener("mouseleave", () => { tip.style.display = "none"; });
    c.addEventListener("mousemove", (ev) => {
      const g = p.frames[p.idx], m = g && g.net, D = p.data.net;
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
