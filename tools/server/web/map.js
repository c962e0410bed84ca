// The map view: the points of GET /api/map drawn on a canvas (fine for 100k points), coloured by
// group; a thumbnail follows the pointer over a point; wheel zooms, drag pans, click opens.
import { api, loadImage, thumbUrl, el } from './api.js';

const CELLS = 128;  // the hover lookup grid, per side, in map units

export class MapView {
  constructor(canvas, tip, { onOpen }) {
    this.canvas = canvas;
    this.tip = tip;
    this.onOpen = onOpen;
    this.points = null;
    this.view = { scale: 1, x: 0, y: 0 };
    this.hover = null;
    new ResizeObserver(() => this.draw()).observe(canvas.parentElement);
    canvas.addEventListener('wheel', (e) => this.zoom(e), { passive: false });
    canvas.addEventListener('pointerdown', (e) => this.startDrag(e));
    canvas.addEventListener('pointermove', (e) => this.move(e));
    canvas.addEventListener('pointerleave', () => this.setHover(null));
    canvas.addEventListener('click', (e) => {
      if (this.dragged) return;
      const p = this.pick(e.offsetX, e.offsetY);
      if (p) this.onOpen(p.id);
    });
  }

  // Loads the map once; a 404 (no map drawn yet) is shown in the view.
  async load() {
    if (this.points) return this.draw();
    let map;
    try {
      map = await api.get('/api/map');
    } catch (err) {
      this.canvas.replaceWith(el('p', { class: 'error', id: 'map' },
        err.status === 404 ? 'No map yet: run `pixlake map LAKE --coords map.json` to draw one.' : err.message));
      return;
    }
    this.groups = map.groups || [];
    let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
    for (const p of map.points) {
      x0 = Math.min(x0, p.x); x1 = Math.max(x1, p.x); y0 = Math.min(y0, p.y); y1 = Math.max(y1, p.y);
    }
    const w = x1 - x0 || 1, h = y1 - y0 || 1;
    // Normalised to 0..1; the grid holds the indices of the points in each cell.
    // Sorted by group, so that drawing changes the fill colour once per group.
    this.points = map.points.map((p) => ({ id: p.id, group: p.group, u: (p.x - x0) / w, v: (p.y - y0) / h }))
      .sort((a, b) => a.group - b.group);
    this.grid = new Map();
    this.points.forEach((p, i) => {
      const key = cellOf(p.u) * CELLS + cellOf(p.v);
      if (!this.grid.has(key)) this.grid.set(key, []);
      this.grid.get(key).push(i);
    });
    this.canvas.dataset.points = String(this.points.length);
    this.draw();
  }

  // Map coordinates (0..1) to CSS pixels, keeping a margin and the aspect ratio.
  frame() {
    if (this.frameCache) return this.frameCache;
    const { width, height } = this.canvas.getBoundingClientRect();
    const side = Math.max(1, Math.min(width, height) - 40);
    return { side, ox: (width - side) / 2, oy: (height - side) / 2 };
  }
  toScreen(u, v) {
    const { side, ox, oy } = this.frame();
    return [ox + u * side * this.view.scale + this.view.x, oy + v * side * this.view.scale + this.view.y];
  }
  fromScreen(sx, sy) {
    const { side, ox, oy } = this.frame();
    return [(sx - ox - this.view.x) / (side * this.view.scale), (sy - oy - this.view.y) / (side * this.view.scale)];
  }

  draw() {
    if (!this.points || !this.canvas.isConnected) return;
    const rect = this.canvas.getBoundingClientRect();
    if (!rect.width) return;
    // Layout is read once per draw, not once per point.
    this.frameCache = null;
    const frame = this.frame();
    this.frameCache = frame;
    requestAnimationFrame(() => { this.frameCache = null; });
    const dpr = window.devicePixelRatio || 1;
    this.canvas.width = Math.round(rect.width * dpr);
    this.canvas.height = Math.round(rect.height * dpr);
    const ctx = this.canvas.getContext('2d');
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, rect.width, rect.height);
    // Bigger dots for small maps; they grow a little when zoomed in.
    const base = this.points.length < 2000 ? 3.5 : this.points.length < 20000 ? 2 : 1.2;
    const r = Math.min(8, base * Math.sqrt(this.view.scale));
    const colours = this.groups.map((_, g) => `hsl(${(g * 137.508) % 360} 65% 50%)`);
    const k = frame.side * this.view.scale;
    const dx = frame.ox + this.view.x, dy = frame.oy + this.view.y;
    let group = null;
    for (const p of this.points) {
      const x = dx + p.u * k, y = dy + p.v * k;
      if (x < -r || y < -r || x > rect.width + r || y > rect.height + r) continue;
      if (p.group !== group) {
        group = p.group;
        ctx.fillStyle = colours[group] || '#888';
      }
      ctx.fillRect(x - r, y - r, 2 * r, 2 * r);
    }
    if (this.hover) {
      const [x, y] = this.toScreen(this.hover.u, this.hover.v);
      ctx.strokeStyle = '#000';
      ctx.lineWidth = 2;
      ctx.strokeRect(x - r - 3, y - r - 3, 2 * r + 6, 2 * r + 6);
    }
  }

  // The point nearest to a screen position, within 10 px.
  pick(sx, sy) {
    if (!this.points) return null;
    const [u, v] = this.fromScreen(sx, sy);
    const [u2] = this.fromScreen(sx + 10, sy);
    const reach = Math.ceil(Math.abs(u2 - u) * CELLS) + 1;
    const cu = cellOf(u), cv = cellOf(v);
    let best = null, bestD = 100;
    for (let a = Math.max(0, cu - reach); a <= Math.min(CELLS - 1, cu + reach); ++a) {
      for (let b = Math.max(0, cv - reach); b <= Math.min(CELLS - 1, cv + reach); ++b) {
        for (const i of this.grid.get(a * CELLS + b) || []) {
          const p = this.points[i];
          const [x, y] = this.toScreen(p.u, p.v);
          const d = (x - sx) ** 2 + (y - sy) ** 2;
          if (d < bestD) { bestD = d; best = p; }
        }
      }
    }
    return best;
  }

  setHover(p, sx, sy) {
    if (p !== this.hover) {
      this.hover = p;
      this.draw();
      if (p) {
        const img = this.tip.querySelector('img');
        img.removeAttribute('src');
        loadImage(img, thumbUrl(p.id, 128));
        this.tip.querySelector('span').textContent = `${p.id}${this.groups[p.group] ? ' · ' + this.groups[p.group] : ''}`;
      }
    }
    this.tip.hidden = !p;
    if (p) {
      // Beside the pointer, flipped to the other side near the right or bottom edge.
      const { width, height } = this.canvas.getBoundingClientRect();
      this.tip.style.left = `${sx + 150 > width ? sx - 150 : sx + 14}px`;
      this.tip.style.top = `${sy + 170 > height ? sy - 170 : sy + 14}px`;
    }
  }

  move(e) {
    if (this.drag) {
      const dx = e.clientX - this.drag.x, dy = e.clientY - this.drag.y;
      if (Math.abs(dx) + Math.abs(dy) > 3) this.dragged = true;
      this.view.x = this.drag.vx + dx;
      this.view.y = this.drag.vy + dy;
      this.draw();
      return;
    }
    this.setHover(this.pick(e.offsetX, e.offsetY), e.offsetX, e.offsetY);
  }

  startDrag(e) {
    this.dragged = false;
    this.drag = { x: e.clientX, y: e.clientY, vx: this.view.x, vy: this.view.y };
    this.canvas.setPointerCapture(e.pointerId);
    const end = () => { this.drag = null; };
    this.canvas.addEventListener('pointerup', end, { once: true });
  }

  zoom(e) {
    e.preventDefault();
    const factor = Math.exp(-e.deltaY * 0.002);
    const scale = Math.min(64, Math.max(0.5, this.view.scale * factor));
    const f = scale / this.view.scale;
    // Keeps the point under the pointer in place.
    const { ox, oy } = this.frame();
    this.view.x = e.offsetX - ox - (e.offsetX - ox - this.view.x) * f;
    this.view.y = e.offsetY - oy - (e.offsetY - oy - this.view.y) * f;
    this.view.scale = scale;
    this.draw();
  }
}

function cellOf(t) { return Math.min(CELLS - 1, Math.max(0, Math.floor(t * CELLS))); }
