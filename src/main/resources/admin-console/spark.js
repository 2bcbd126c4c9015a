// Sparklines drawn as SVG by the page itself (no chart library, nothing from a CDN).

const NS = 'http://www.w3.org/2000/svg';
const W = 120;
const H = 28;

/** A small line chart of the last values; update() redraws it. */
export class Spark {
  constructor(label) {
    this.el = document.createElementNS(NS, 'svg');
    this.el.setAttribute('viewBox', `0 0 ${W} ${H}`);
    this.el.setAttribute('preserveAspectRatio', 'none');
    this.el.setAttribute('class', 'spark');
    this.el.setAttribute('role', 'img');
    this.el.setAttribute('aria-label', label);
    this.area = document.createElementNS(NS, 'polygon');
    this.area.setAttribute('class', 'spark-area');
    this.line = document.createElementNS(NS, 'polyline');
    this.line.setAttribute('class', 'spark-line');
    // the whole width is the time span, even before the points fill it
    const base = document.createElementNS(NS, 'line');
    base.setAttribute('class', 'spark-base');
    for (const [k, v] of Object.entries({ x1: 0, y1: H - 0.5, x2: W, y2: H - 0.5 })) base.setAttribute(k, v);
    this.el.append(base, this.area, this.line);
  }

  /** @param values the series, oldest first; @param capacity how many points fill the width */
  update(values, capacity) {
    if (!values.length) return;
    const max = Math.max(1, ...values);
    const step = W / Math.max(1, capacity - 1);
    const x0 = W - (values.length - 1) * step;
    const pts = values.map((v, i) => `${(x0 + i * step).toFixed(1)},${(H - 2 - (v / max) * (H - 4)).toFixed(1)}`);
    this.line.setAttribute('points', pts.join(' '));
    this.area.setAttribute('points', `${x0.toFixed(1)},${H} ${pts.join(' ')} ${W},${H}`);
  }
}
