// The duplicates view: GET /api/dups, one row per group, the suggested keeper first and marked.
// Keep / Discard are a tag: Discard adds 'discard' to an image, Keep removes it (`--where "tag =
// 'discard'"` then selects them). "Not duplicates" records the catalog's verdict on every
// matched pair of the group (POST /api/dups/verdict), so later searches leave them apart.
import { api, lazyThumb, whenVisible, el, baseName } from './api.js';

export const DISCARD_TAG = 'discard';

export class Dups {
  constructor(root, { onOpen, onError, onStatus, readOnly }) {
    this.root = root;
    this.onOpen = onOpen;
    this.onError = onError;
    this.onStatus = onStatus;
    this.readOnly = readOnly;
  }

  async run() {
    if (this.readOnly()) {
      this.root.replaceChildren(el('p', { class: 'error' },
        'Duplicate detection needs a writable server (run `pixlake dups LAKE` instead).'));
      return;
    }
    this.root.replaceChildren(el('p', { class: 'hint' }, 'Looking for duplicates…'));
    let report;
    try {
      report = await api.get('/api/dups');
    } catch (err) {
      this.root.replaceChildren(el('p', { class: 'error' }, err.message));
      return;
    }
    this.onStatus(`${report.groups.length} duplicate group${report.groups.length === 1 ? '' : 's'}`);
    if (!report.groups.length) {
      this.root.replaceChildren(el('p', { class: 'hint' }, `No duplicates among ${report.images} images.`));
      return;
    }
    this.root.replaceChildren(...report.groups.map((group, index) => this.renderGroup(group, index)));
  }

  renderGroup(group, index) {
    const evidence = new Map();
    for (const pair of group.pairs) {
      const text = pair.tiers.join(' + ') + (pair.cosine != null ? `, cosine ${pair.cosine.toFixed(3)}` : '');
      evidence.set(pair.b, text);
      if (!evidence.has(pair.a)) evidence.set(pair.a, text);
    }
    const cards = group.images.map((image) => this.renderCard(image, image.id === group.keeper, evidence.get(image.id)));
    const keepSuggested = el('button', { type: 'button', class: 'primary', onclick: async () => {
      for (const card of cards) await card.decide(card.dataset.id === String(group.keeper));
    } }, 'Keep the marked one, discard the rest');
    const row = el('div', { class: 'dup-group', 'data-group': index });
    const notDuplicates = el('button', { type: 'button', class: 'not-dup', onclick: async () => {
      try {
        for (const pair of group.pairs) {
          await api.post('/api/dups/verdict', { a: pair.a, b: pair.b, duplicate: false });
        }
        row.remove();
        this.onStatus('recorded: not duplicates');
      } catch (err) {
        this.onError(err);
      }
    } }, 'Not duplicates');
    row.append(el('div', { class: 'dup-head' }, el('span', {}, `Group ${index + 1}: ${group.images.length} images`),
                  keepSuggested, notDuplicates),
               el('div', { class: 'dup-row' }, cards));
    return row;
  }

  renderCard(image, keeper, evidence) {
    const state = el('span', { class: 'state' });
    const card = el('div', { class: 'dup-card' + (keeper ? ' keeper' : ''), 'data-id': image.id });
    const setDiscarded = (tags) => {
      const discarded = tags.includes(DISCARD_TAG);
      card.classList.toggle('discarded', discarded);
      state.textContent = discarded ? 'discarded' : '';
    };
    card.decide = async (keep) => {
      try {
        const after = keep ? await api.del(`/api/images/${image.id}/tags`, { tags: [DISCARD_TAG] })
                           : await api.post(`/api/images/${image.id}/tags`, { tags: [DISCARD_TAG] });
        setDiscarded(after.tags);
      } catch (err) {
        this.onError(err);
      }
    };
    card.append(...[
      el('button', { type: 'button', class: 'tile', title: image.path, onclick: () => this.onOpen(image.id) },
         lazyThumb(image.id, 256, baseName(image.path))),
      keeper ? el('span', { class: 'badge' }, 'keeper') : null,
      el('div', { class: 'caption' }, baseName(image.path), el('br'), `${image.width} × ${image.height}`),
      evidence && !keeper ? el('div', { class: 'caption evidence' }, evidence) : null,
      el('div', { class: 'actions' },
         el('button', { type: 'button', class: 'keep', onclick: () => card.decide(true) }, 'Keep'),
         el('button', { type: 'button', class: 'discard', onclick: () => card.decide(false) }, 'Discard'),
         state)].filter(Boolean));
    // Shows a decision taken earlier (the tag), fetched when the card comes into view.
    whenVisible(card, () => api.get(`/api/images/${image.id}`).then((r) => setDiscarded(r.tags), () => {}));
    return card;
  }
}
