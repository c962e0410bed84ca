// The side panel: one image (picture, metadata, tags that can be changed) with its nearest
// neighbours (GET /api/search?id=), or the results of a search by an uploaded image.
import { api, query, lazyThumb, loadImage, thumbUrl, openFile, el, baseName } from './api.js';

const K = 24;

export class Panel {
  constructor(aside, body, { onError, readOnly }) {
    this.aside = aside;
    this.body = body;
    this.onError = onError;
    this.readOnly = readOnly;
    this.request = 0;
  }

  close() {
    this.aside.hidden = true;
    this.body.replaceChildren();
    this.request += 1;
  }

  async showImage(id) {
    const request = ++this.request;
    this.aside.hidden = false;
    this.body.replaceChildren(el('p', { class: 'hint' }, 'Loading…'));
    let image;
    try {
      image = await api.get(`/api/images/${id}`);
    } catch (err) {
      if (request === this.request) this.body.replaceChildren(el('p', { class: 'error' }, err.message));
      return;
    }
    if (request !== this.request) return;
    const picture = el('img', { class: 'picture', alt: baseName(image.path) });
    loadImage(picture, thumbUrl(id, 1024));
    const tags = el('div', { class: 'tags' });
    const neighbours = el('div', { class: 'grid small', id: 'neighbours' }, el('p', { class: 'hint' }, 'Searching…'));
    this.body.replaceChildren(
      el('h2', {}, baseName(image.path)),
      el('button', { type: 'button', class: 'picture-button', title: 'Open the file',
                     onclick: () => openFile(id).catch(this.onError) }, picture),
      metadataTable(image),
      el('h3', {}, 'Tags'), tags, this.tagForm(id, tags),
      el('h3', {}, 'Nearest neighbours'), neighbours);
    this.renderTags(id, image.tags, tags);
    try {
      const found = await api.get('/api/search?' + query({ id, k: K }));
      if (request === this.request) this.renderResults(found.results, neighbours);
    } catch (err) {
      if (request === this.request) neighbours.replaceChildren(el('p', { class: 'error' }, err.message));
    }
  }

  async showUpload(file, where) {
    const request = ++this.request;
    this.aside.hidden = false;
    const preview = el('img', { class: 'picture', alt: file.name });
    const previewUrl = URL.createObjectURL(file);
    preview.addEventListener('load', () => URL.revokeObjectURL(previewUrl), { once: true });
    preview.src = previewUrl;
    const results = el('div', { class: 'grid small', id: 'upload-results' }, el('p', { class: 'hint' }, 'Searching…'));
    this.body.replaceChildren(el('h2', {}, `Similar to ${file.name}`), preview,
                              el('h3', {}, 'Nearest images'), results);
    const form = new FormData();
    form.append('image', file);
    form.append('k', String(K));
    if (where) form.append('where', where);
    try {
      const found = await api.post('/api/search', form);
      if (request === this.request) this.renderResults(found.results, results);
    } catch (err) {
      if (request === this.request) results.replaceChildren(el('p', { class: 'error' }, err.message));
    }
  }

  renderResults(results, into) {
    if (!results.length) {
      into.replaceChildren(el('p', { class: 'hint' }, 'No results.'));
      return;
    }
    into.replaceChildren(...results.map((r) =>
      el('button', { type: 'button', class: 'tile result', 'data-id': r.id, title: r.path,
                     onclick: () => this.showImage(r.id) },
         lazyThumb(r.id, 256, baseName(r.path)),
         el('span', { class: 'score' }, r.score.toFixed(3)))));
  }

  renderTags(id, list, into) {
    into.replaceChildren(...(list.length ? list.map((tag) =>
      el('span', { class: 'tag' }, tag,
         this.readOnly() ? null : el('button', { type: 'button', class: 'remove', title: `Remove '${tag}'`,
                                                 'aria-label': `remove tag ${tag}`,
                                                 onclick: () => this.changeTags(id, 'del', tag, into) }, '×')))
      : [el('span', { class: 'hint' }, 'No tags.')]));
  }

  tagForm(id, tags) {
    if (this.readOnly()) return el('p', { class: 'hint' }, 'Read-only server: tags cannot be changed.');
    const input = el('input', { type: 'text', placeholder: 'add a tag', 'aria-label': 'new tag', maxlength: 256 });
    return el('form', { class: 'tag-form', onsubmit: (event) => {
      event.preventDefault();
      const tag = input.value.trim();
      if (!tag) return;
      input.value = '';
      this.changeTags(id, 'post', tag, tags);
    } }, input, el('button', { type: 'submit' }, 'Add'));
  }

  async changeTags(id, method, tag, into) {
    try {
      const after = await api[method](`/api/images/${id}/tags`, { tags: [tag] });
      this.renderTags(id, after.tags, into);
    } catch (err) {
      this.onError(err);
    }
  }
}

function metadataTable(image) {
  const rows = [
    ['id', image.id], ['path', image.path], ['size', `${image.width} × ${image.height}, ${formatBytes(image.size)}`],
    ['format', image.format], ['camera', image.camera || null],
    ['taken', image.taken != null ? new Date(image.taken * 1000).toISOString().replace('T', ' ').slice(0, 19) : null],
    ['GPS', image.gps_lat != null ? `${image.gps_lat.toFixed(5)}, ${image.gps_lon.toFixed(5)}` : null],
    ['added', new Date(image.added * 1000).toISOString().slice(0, 10)],
    ...Object.entries(image.meta).map(([k, v]) => [k, v]),
  ];
  return el('table', { class: 'meta' }, rows.filter(([, v]) => v != null && v !== '').map(([k, v]) =>
    el('tr', {}, el('th', {}, k), el('td', {}, String(v)))));
}

function formatBytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1 << 20) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / (1 << 20)).toFixed(1)} MiB`;
}
