// histograms.js: class GradsView, one frame's gradient histograms, one panel per layer
// (after core.js; needs figure). Its figure is <figure class="chart grads"> in parent. It
// draws from its host (a Player, see Host): data (layer_names, grad_bins, options.signed,
// signed_colors), gMax (decodeRun: one scale per layer for the whole run), dims.gw, fpx / fk.
class GradsView {
  constructor(host, parent) {
    this.host = host;
    Object.assign(this, figure(parent, "grads"));
  }

  draw(f) {
    const p = this.host, d = p.data, c = this.canvas, ctx = c.getContext("2d");
    const W = p.dims.gw, H = parseFloat(c.style.height);
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, W, H);
    if (!f.gpos) return; // (no snapshot at or before this frame yet)
    const nl = d.layer_names.length, gap = 10;
    const pw = (W - gap * (nl - 1)) / nl;
    const bins = d.grad_bins, nb = bins.length - 1;
    const signed = d.options.signed;
    const fk = p.fk();
    ctx.font = p.fpx(11) + "px sans-serif";
    const [cPos, cNeg] = d.signed_colors || ["#542788", "#b35806"];
    for (let l = 0; l < nl; l++) {
      const x0 = l * (pw + gap), top = 16 * fk, bottom = H - 14 * fk, ph = bottom - top;
      const zw = Math.max(4, pw * 0.06), bw = (pw - zw - 4) / nb;
      const max = p.gMax[l];
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
        ctx.globalAlpha = b === 0 ? 0.45 : 1; // bin 0 also holds every smaller |g| (underflow)
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
      ctx.globalAlpha = 1;
      ctx.fillStyle = "#374151";
      ctx.textAlign = "center";
      for (const t of [-8, -4, 0]) {
        const x = x0 + zw + 4 + ((t - bins[0]) / (bins[nb] - bins[0])) * (pw - zw - 4);
        ctx.fillText("1e" + t, x, H - 2);
      }
    }
  }
}
