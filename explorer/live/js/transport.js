// transport.js: class Transport, the part every player shares (after core.js; needs RUNS, el,
// fmt, Host): the bar and the scrubber, the position kept per run in RUNS, play / pause / step /
// reset / replay, the reports to the page, the frame loop (rAF), the root's data-* marks.
// A subclass (Player, Group) builds its charts and supplies:
//   build()       its DOM (calls this.buildBar(root) first) and a ResizeObserver `ro`
//   decode()      this.frames (one {epoch} per position) and its tables from this.data
//   relabel(L)    optional: its own texts from the labels
//   legendHtml(), layout() (sets this.dims, then show(false)), show(final) (draws frame idx,
//                 then mark(frame))
class Transport extends Host {
  constructor(root, api) {
    super();
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
    this.tick = this.tick.bind(this);
    this.raf = requestAnimationFrame(this.tick);
  }

  // the transport bar and the scrubber
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
    this.keys = el("span", "keys", bar, "⌨"); // the keys, in its tooltip (keyHelp)
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
      this.atEnd = false;
      this.wantEpoch = null;
      this.playing = false;
      this.pending = null;
      this.idx = Number(this.scrub.value);
      this.show(true);
      this.report();
    };
    // the keys while the player has the focus (a click anywhere in it gives it the focus)
    r.tabIndex = 0;
    r.setAttribute("aria-keyshortcuts", "Space ArrowLeft ArrowRight Home");
    r.addEventListener("keydown", (e) => this.onKey(e));
    r.addEventListener("keyup", (e) => { if (this.keyAction(e)) e.preventDefault(); });
    this.onDown = (e) => { KEYS.focused = e.composedPath().includes(r); }; // a click: in or out
    document.addEventListener("pointerdown", this.onDown, true);
  }

  // what key event e does in the player (null: not its key). Space plays / pauses, the
  // arrows step one epoch back / on, Home resets; the speed menu keeps its own keys.
  keyAction(e) {
    if (!this.data || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return null;
    const t = e.composedPath ? e.composedPath()[0] : e.target;
    if (t && t.tagName === "SELECT") return null;
    return { " ": () => (this.playing ? this.pause() : this.play()),
             ArrowRight: () => this.stepEpoch(1), ArrowLeft: () => this.stepEpoch(-1),
             Home: () => this.reset() }[e.key] || null;
  }

  // a key down: its action, and nothing else (no page scroll on Space, no button's click,
  // no scrubber move, no page-level arrow keys such as the Lesson's)
  onKey(e) {
    const act = this.keyAction(e);
    if (!act) return;
    e.preventDefault();
    e.stopPropagation();
    KEYS.focused = true; // a remounted player takes the focus back (main.js)
    act();
  }

  // the keys' help (the ⌨ mark's tooltip and the player's accessible description)
  keyHelp(L) {
    nameControls(this, L); // (a11y.js)
    this.keys.title = L.keys_help;
    this.keys.setAttribute("aria-label", L.keys_help);
    this.root.setAttribute("aria-description", L.keys_help);
  }

  relabel() {}
  // ------------------------------------------------------------------ data
  // New data d: its chunks decoded in the background (dense.js), the NEWEST data set again as
  // each arrives (it skipped a chunk still decoding). A chunk the page sent before and the
  // player lacks: it asks for all ("resync").
  setData(d) {
    this.want = d;
    const again = () => {
      if (this.again) return;
      this.again = setTimeout(() => { this.again = null; this.setData(this.want); }, 0);
    };
    this.missing = !(d.group ? d.runs : [d]).map((x) => denseLoad(x, again)).every(Boolean);
    if (this.missing && this.resynced !== d) this.resync(d); // (once a payload; tick: 3 s on)
    if (!drawable(d)) return;
    this.setDrawable(d);
  }

  resync(d) {
    this.resynced = d;
    this.resyncAt = performance.now();
    if (this.api && this.api.setTriggerValue) this.api.setTriggerValue("resync", d.run);
  }

  setDrawable(d) {
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
    this.keyHelp(L);
    this.relabel(L);
    this.decode();
    this.scrub.max = String(Math.max(0, this.frames.length - 1));
    const saved = RUNS.get(d.run);
    if (first) {
      if (saved) {
        this.idx = this.indexOf(saved.epoch);
        if (this.exactIndex(saved.epoch) < 0) this.wantEpoch = saved.epoch; // (not decoded yet)
        this.playing = saved.playing;
        this.speed = saved.speed;
        this.nonce = saved.nonce;
        if (saved.pending != null && !saved.playing) this.ask(saved.pending, false); // (remounted)
      } else {
        this.speed = this.speed || 30;
        this.nonce = null;
        if (d.options.autoplay && reducedMotion()) { // no animation by itself: the last
          this.idx = this.frames.length - 1;           // epoch, Play ready (and told)
          this.playing = false;
          this.nonce = d.seek ? d.seek.nonce : null;
          this.atEnd = true; // a streamed run: stays at its newest epoch until moved
          this.autoplayed = true;
        } else if (d.options.autoplay) {
          this.idx = 0;
          this.playing = true;
          this.nonce = d.seek ? d.seek.nonce : null; // a new run plays: no seek
          this.autoplayed = true; // told once laid out: the page holds its view while it plays
        } else {
          this.idx = this.frames.length - 1;
          this.playing = false;
          this.atEnd = true; // a finished run at its end: later frames (decoded) keep it there
        }
      }
    } else if (this.wantEpoch != null && this.exactIndex(this.wantEpoch) >= 0) {
      this.idx = this.exactIndex(this.wantEpoch); // (asked for before it was decoded)
      this.wantEpoch = null;
    } else if (this.atEnd && !this.playing) {
      this.idx = this.frames.length - 1;
      this.autoplayed = true;
    } else if (keepEpoch !== null) {
      this.idx = this.indexOf(keepEpoch);
    }
    if (d.seek && d.seek.nonce !== this.nonce) {
      this.nonce = d.seek.nonce;
      const i = this.exactIndex(d.seek.epoch);
      this.wantEpoch = i >= 0 ? null : d.seek.epoch; // (its frame decoded later: moved there then)
      if (i >= 0) {
        this.atEnd = false;
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

  // ------------------------------------------------------------------ transport
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
                              nonce: this.nonce, pending: this.pending });
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
    this.atEnd = false;
    this.wantEpoch = null;
    this.pending = null; // (a frame asked of the page and not yet come: not wanted now)
    if (this.idx >= this.frames.length - 1 && this.data.complete) this.idx = 0;
    this.playing = true;
    this.acc = 0;
    this.last = null;
    this.save();
    this.report();
  }

  pause() {
    this.pending = null;
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
    this.atEnd = false;
    this.wantEpoch = null;
    this.pending = null;
    this.playing = false;
    this.idx = 0;
    this.show(true);
    this.report();
  }

  // one epoch on (delta 1) or back (-1); an epoch between snapshots is computed by the page
  stepEpoch(delta = 1) {
    this.atEnd = false;
    this.wantEpoch = null;
    this.playing = false;
    const e = this.epoch() + delta;
    if (e > this.data.epochs_done || e < 0) return;
    const i = this.exactIndex(e);
    if (i >= 0) {
      this.idx = i;
      this.pending = null;
      this.show(true);
      this.report();
    } else {
      this.ask(e, true);
    }
  }

  // asks the page for epoch e's frame (the server trains to e), again while it has not come
  ask(e, now) {
    this.pending = e;
    this.pendingAt = performance.now();
    this.retryIn = now ? 3000 : 1500;
    this.status.textContent = fmt(this.data.labels.computing, { epoch: e });
    this.save();
    if (now) this.api.setTriggerValue("need", e);
  }

  stepCheckpoint() {
    this.atEnd = false;
    this.wantEpoch = null;
    this.pending = null;
    this.playing = false;
    const e = this.epoch();
    const later = this.data.checkpoints.filter((c) => c > e);
    if (!later.length) return;
    this.idx = this.exactIndex(later[0]);
    this.show(true);
    this.report();
  }

  // the frame loop: while playing, `speed` frames a second (as many as the time since the
  // last animation frame allows), the last one drawn; a stale chart back in view is redrawn
  tick(now) {
    this.raf = requestAnimationFrame(this.tick);
    if (!this.data || !this.root.isConnected) return;
    if (this.missing && now - this.resyncAt > 3000) this.resync(this.data); // (asks again)
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
          if (this.data.complete && !this.missing && !denseBusy(this.data)) {
            this.playing = false;
            this.atEnd = true;
            this.show(true);
            this.report();
          }
        }
      }
    } else {
      this.last = null;
      if (this.pending !== null && now - this.pendingAt > this.retryIn) {
        this.pendingAt = now;
        this.retryIn = Math.min(2 * this.retryIn, 24000);
        this.api.setTriggerValue("need", this.pending);
      }
    }
    if (this.dirty) this.show(false);
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
    if (!this.playing) describeCharts(this, f); // (a11y.js: names once it stands still)
  }

  destroy() {
    document.removeEventListener("pointerdown", this.onDown, true);
    cancelAnimationFrame(this.raf);
    this.ro.disconnect();
    if (this.io) this.io.disconnect();
  }
}

Transport.niceTicks = niceTicks; // (browser tests call it: root.__player.constructor.niceTicks)
