// boundary.js: class BoundaryView, the decision boundary of one frame (after core.js; needs
// figure, niceTicks). Its figure is <figure class="chart boundary"> in parent. It draws from
// its host (a Player or a Group's column, see Host): data, lut / cols (decodeRun), dims.cw x
// dims.bh, fpx / fk.
class BoundaryView {
  constructor(host, parent) {
    this.host = host;
    Object.assign(this, figure(parent, "boundary"));
    this.gen = 0;
  }

  // new data: the grid image sized to grid g, the static layer drawn anew
  prepare(g) {
    this.gen += 1;
    const img = (this.gridCanvas = this.gridCanvas || document.createElement("canvas"));
    img.width = g.nx;
    img.height = g.ny;
    this.gridCtx = img.getContext("2d");
    this.gridImg = this.gridCtx.createImageData(g.nx, g.ny);
  }

  draw(f) {
    const p = this.host, d = p.data, g = d.grid, c = this.canvas, ctx = c.getContext("2d");
    const W = p.dims.cw, H = p.dims.bh;
    const k = p.fk();
    const pad = { l: 44 * k, r: 14, t: 6, b: 26 * k };
    const pw = W - pad.l - pad.r, ph = H - pad.t - pad.b;
    const px = this.gridImg.data, n = g.nx * g.ny;
    if (d.n_classes === 2) {
      const lut = p.lut;
      for (let i = 0; i < n; i++) {
        // grid row 0 is the lowest y: flip so y grows upwards on screen
        const row = Math.floor(i / g.nx), col = i % g.nx;
        const o = ((g.ny - 1 - row) * g.nx + col) * 4, q = f.p[i] * 4;
        px[o] = lut[q]; px[o + 1] = lut[q + 1]; px[o + 2] = lut[q + 2]; px[o + 3] = 255;
      }
    } else {
      const K = d.n_classes, cols = p.cols;
      for (let i = 0; i < n; i++) {
        const row = Math.floor(i / g.nx), col = i % g.nx;
        const o = ((g.ny - 1 - row) * g.nx + col) * 4;
        const q = f.p[i] / 255, cc = cols[f.cls[i] % cols.length];
        const a = 0.05 + 0.55 * Math.max(0, Math.min(1, (q - 1 / K) / (1 - 1 / K)));
        px[o] = 255 + (cc[0] - 255) * a; px[o + 1] = 255 + (cc[1] - 255) * a;
        px[o + 2] = 255 + (cc[2] - 255) * a; px[o + 3] = 255;
      }
    }
    this.gridCtx.putImageData(this.gridImg, 0, 0);
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, W, H);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(this.gridCanvas, pad.l, pad.t, pw, ph);
    // the points, frame and axes are the same in every frame: drawn once per data and size
    // into a layer that each frame copies over the boundary (no per-point drawing per frame)
    const dpr = window.devicePixelRatio || 1;
    const okey = `${this.gen}|${W}|${H}|${dpr}|${k}`;
    if (this.overlayKey !== okey) {
      this.drawOverlay(W, H, pad, pw, ph, k, dpr);
      this.overlayKey = okey;
    }
    ctx.drawImage(this.overlay, 0, 0, W, H);
  }

  // the static layer: training (dots) and test points (diamonds), the frame, ticks and axis
  // titles; cell centres x0..x1 span the plot less half a cell at each side, as the static chart
  drawOverlay(W, H, pad, pw, ph, k, dpr) {
    const p = this.host, d = p.data, g = d.grid;
    const oc = (this.overlay = this.overlay || document.createElement("canvas"));
    oc.width = this.canvas.width;
    oc.height = this.canvas.height;
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
    o.font = p.fpx(11) + "px sans-serif";
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
  }
}
