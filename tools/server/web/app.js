// pixlake's web page: wires the views (gallery, duplicates, map), the side panel, the filter box,
// search by upload (file picker or drag and drop) and the token prompt together. Everything goes
// through the REST API of `pixlake serve` (docs/http_api.md); nothing is loaded from elsewhere.
import { api, setToken, setUnauthorizedHandler } from './api.js';
import { Gallery } from './gallery.js';
import { Panel } from './panel.js';
import { Dups } from './dups.js';
import { MapView } from './map.js';

const $ = (id) => document.getElementById(id);
let readOnly = false;

function showError(err) {
  const box = $('error');
  box.textContent = err ? (err.message || String(err)) : '';
  box.hidden = !err;
}
const setStatus = (text) => { $('status').textContent = text; };

const panel = new Panel($('panel'), $('panel-body'), { onError: showError, readOnly: () => readOnly });
const open = (id) => panel.showImage(id);
const gallery = new Gallery($('gallery'), $('gallery-end'), { onOpen: open, onStatus: setStatus, onError: showError });
const dups = new Dups($('dups'), { onOpen: open, onError: showError, onStatus: setStatus, readOnly: () => readOnly });
const map = new MapView($('map'), $('map-tip'), { onOpen: open });

$('panel-close').addEventListener('click', () => panel.close());
document.addEventListener('keydown', (e) => { if (e.key === 'Escape') panel.close(); });

// Views.
let dupsLoaded = false;
for (const button of document.querySelectorAll('nav button')) {
  button.addEventListener('click', () => {
    const view = button.dataset.view;
    for (const b of document.querySelectorAll('nav button')) b.classList.toggle('active', b === button);
    for (const section of document.querySelectorAll('.view')) section.hidden = section.id !== `${view}-view`;
    $('filter-form').hidden = view !== 'gallery';
    showError(null);
    if (view === 'map') map.load();
    if (view === 'dups' && !dupsLoaded) { dupsLoaded = true; dups.run(); }
  });
}
$('dups-run').addEventListener('click', () => dups.run());

// The filter: a `where` expression; the server's message is shown when it does not parse.
$('filter-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  showError(null);
  await gallery.setFilter($('filter').value.trim());
});

// Search by upload: the file picker, or an image dropped anywhere on the page.
function searchFile(file) {
  if (!file) return;
  if (file.type && !file.type.startsWith('image/')) {
    showError(new Error(`'${file.name}' is not an image`));
    return;
  }
  showError(null);
  panel.showUpload(file, gallery.where);
}
$('file-input').addEventListener('change', (e) => { searchFile(e.target.files[0]); e.target.value = ''; });
let dragDepth = 0;
const hasFiles = (e) => e.dataTransfer && Array.from(e.dataTransfer.types).includes('Files');
window.addEventListener('dragenter', (e) => { if (hasFiles(e)) { dragDepth += 1; $('drop-overlay').hidden = false; } });
window.addEventListener('dragleave', () => { dragDepth = Math.max(0, dragDepth - 1); if (!dragDepth) $('drop-overlay').hidden = true; });
window.addEventListener('dragover', (e) => { if (hasFiles(e)) e.preventDefault(); });
window.addEventListener('drop', (e) => {
  if (!hasFiles(e)) return;
  e.preventDefault();
  dragDepth = 0;
  $('drop-overlay').hidden = true;
  searchFile(e.dataTransfer.files[0]);
});

// The token: asked once, kept in sessionStorage (this tab only), sent as a bearer header.
let tokenWaiters = [];
function askToken(message) {
  const dialog = $('token-dialog');
  $('token-error').hidden = !message;
  $('token-error').textContent = message || '';
  if (!dialog.open) dialog.showModal();
  $('token-input').focus();
  return new Promise((resolve) => tokenWaiters.push(resolve));
}
$('token-form').addEventListener('submit', (event) => {
  event.preventDefault();
  setToken($('token-input').value.trim());
  $('token-input').value = '';
  $('token-dialog').close();
  const waiters = tokenWaiters;
  tokenWaiters = [];
  for (const resolve of waiters) resolve();
});
$('token-dialog').addEventListener('cancel', (e) => e.preventDefault());
setUnauthorizedHandler(() => { setToken(''); });

async function start() {
  let health;
  for (let attempt = 0; ; ++attempt) {
    try {
      health = await api.get('/api/health');
      break;
    } catch (err) {
      if (err.status !== 401) {
        showError(err);
        return;
      }
      await askToken(attempt ? 'That token was refused.' : '');
    }
  }
  readOnly = health.read_only;
  document.title = `pixlake · ${health.images} images`;
  document.body.classList.toggle('read-only', readOnly);
  await gallery.setFilter('');
}
start();
