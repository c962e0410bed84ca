// The gallery: a grid of thumbnails, filled page by page (GET /api/images) as the end of the
// grid scrolls into view. A new filter starts over; answers to an older filter are dropped.
import { api, query, lazyThumb, el, baseName } from './api.js';

const PAGE = 120;

export class Gallery {
  constructor(grid, end, { onOpen, onStatus, onError }) {
    this.grid = grid;
    this.end = end;
    this.onOpen = onOpen;
    this.onStatus = onStatus;
    this.onError = onError;
    this.where = '';
    this.generation = 0;
    this.done = true;  // nothing is loaded before the first setFilter (the token may be missing)
    new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) this.loadMore();
    }, { rootMargin: '1200px' }).observe(end);
    grid.addEventListener('click', (event) => {
      const tile = event.target.closest('.tile');
      if (tile) this.onOpen(Number(tile.dataset.id));
    });
  }

  // Starts over with a `where` expression; resolves false when the server rejects it.
  async setFilter(where) {
    this.where = where;
    this.generation += 1;
    this.offset = 0;
    this.total = null;
    this.done = false;
    this.loading = false;
    this.grid.replaceChildren();
    return this.loadMore();
  }

  async loadMore() {
    if (this.loading || this.done) return true;
    this.loading = true;
    const generation = this.generation;
    let page;
    try {
      page = await api.get('/api/images?' + query({ offset: this.offset, limit: PAGE, where: this.where }));
    } catch (err) {
      if (generation === this.generation) {
        this.loading = false;
        this.done = true;
        this.end.textContent = '';
        this.onError(err);
      }
      return false;
    }
    if (generation !== this.generation) return true;
    this.loading = false;
    const frag = document.createDocumentFragment();
    for (const image of page.images) {
      frag.append(el('button', { type: 'button', class: 'tile', 'data-id': image.id,
                                 title: `${image.id}: ${image.path}` },
                     lazyThumb(image.id, 256, baseName(image.path))));
    }
    this.grid.append(frag);
    this.offset += page.images.length;
    this.total = page.total;
    this.done = page.images.length === 0 || this.offset >= page.total;
    this.end.textContent = this.done ? (page.total ? `${page.total} images` : 'No images match.') : 'Loading…';
    this.onStatus(`${page.total} image${page.total === 1 ? '' : 's'}`);
    // The observer fires on changes only: if the end is still on screen, ask for the next page.
    if (!this.done && this.end.getBoundingClientRect().top < window.innerHeight + 1200) {
      requestAnimationFrame(() => this.loadMore());
    }
    return true;
  }
}
