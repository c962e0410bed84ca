// Browser tests of the page `pixlake serve` embeds (tools/server/web/), in headless Debian
// chromium driven by playwright-core: a small lake served with --token, the token prompt, the
// gallery, a bad filter, search by upload (file picker and drag and drop), the neighbours panel,
// adding and removing a tag, reviewing a duplicate group and the map. Screenshots go to OUT/.
// Usage: node web_page.test.mjs PIXLAKE_BINARY OUT_DIR CHROMIUM; exit 77 when data is missing.
import { spawn, execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';

const [bin, out, chromiumPath] = process.argv.slice(2).map((a, i) => (i < 2 ? path.resolve(a) : a));
const data = process.env.PIXLAKE_DATA || '';
const caltech = path.join(data, 'datasets/caltech101/101_ObjectCategories');
if (!fs.existsSync(caltech)) {
  console.log(`web tests skipped: no Caltech-101 under PIXLAKE_DATA ('${data}')`);
  process.exit(77);
}
const { chromium } = createRequire(path.join(out, 'package.json'))('playwright-core');
const TOKEN = 'web-test-token-' + process.pid;
const shots = path.join(out, 'screenshots');
fs.mkdirSync(shots, { recursive: true });

// A small lake: four classes, five photos each, one exact copy (a duplicate group), a PCA map.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pixlake_web_'));
const photos = path.join(dir, 'photos');
for (const cls of ['accordion', 'airplanes', 'Leopards', 'watch']) {
  fs.mkdirSync(path.join(photos, cls), { recursive: true });
  for (let i = 1; i <= 5; ++i) {
    const name = `image_${String(i).padStart(4, '0')}.jpg`;
    fs.copyFileSync(path.join(caltech, cls, name), path.join(photos, cls, name));
  }
}
fs.mkdirSync(path.join(photos, 'copies'));
fs.copyFileSync(path.join(photos, 'accordion/image_0001.jpg'), path.join(photos, 'copies/accordion_copy.jpg'));
const lake = path.join(dir, 'lake');
const run = (...args) => execFileSync(bin, args, { stdio: ['ignore', 'ignore', 'inherit'] });
run('init', lake);
run('add', lake, photos);
run('map', lake, '--coords', path.join(dir, 'map.json'), '--method', 'pca');

const server = spawn(bin, ['serve', lake, '--port', '0', '--token', TOKEN], { stdio: ['ignore', 'pipe', 'inherit'] });
const base = await new Promise((resolve, reject) => {
  let text = '';
  server.stdout.on('data', (chunk) => {
    text += chunk;
    const m = text.match(/http:\/\/(127\.0\.0\.1:\d+)\//);
    if (m) resolve(`http://${m[1]}`);
  });
  server.on('exit', (code) => reject(new Error(`pixlake serve exited with ${code}`)));
});
const apiGet = async (url) => {
  const res = await fetch(base + url, { headers: { Authorization: `Bearer ${TOKEN}` } });
  assert.equal(res.status, 200, url);
  return res.json();
};

let failed = false;
let browser;
const step = (name) => console.log(`[web] ${name}`);
try {
  browser = await chromium.launch({
    executablePath: chromiumPath, headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const problems = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    // Expected: the first /api/health is refused (401) until the token is given, and the bad
    // filter is answered 400.
    if (msg.type() === 'error' && !/status of 40[01]/.test(msg.text())) problems.push(`console: ${msg.text()}`);
  });
  const urls = [];
  page.on('request', (req) => urls.push(req.url()));

  step('the page asks for the token');
  await page.goto(base + '/');
  await page.locator('#token-dialog[open]').waitFor();
  await page.fill('#token-input', 'wrong');
  await page.click('#token-form button[type=submit]');
  await page.locator('#token-error', { hasText: 'refused' }).waitFor();
  await page.fill('#token-input', TOKEN);
  await page.click('#token-form button[type=submit]');

  step('gallery');
  await page.waitForFunction(() => document.querySelectorAll('#gallery .tile').length === 21);
  await page.waitForFunction(() => [...document.querySelectorAll('#gallery .tile img')].every((i) => i.complete && i.naturalWidth > 0));
  assert.match(await page.textContent('#status'), /21 images/);
  assert.equal(await page.locator('#error').isHidden(), true, 'an error is shown over the gallery');
  await page.screenshot({ path: path.join(shots, 'gallery.png') });
  await page.screenshot({ path: path.join(shots, 'gallery.jpg'), type: 'jpeg', quality: 80 });  // docs/img/

  step('a bad filter shows the server\'s message, a good one filters');
  await page.fill('#filter', "tag = cat");
  await page.press('#filter', 'Enter');
  await page.locator('#error:not([hidden])').waitFor();
  assert.match(await page.textContent('#error'), /'cat'/);
  await page.fill('#filter', "width > 100000");
  await page.press('#filter', 'Enter');
  await page.locator('#gallery-end', { hasText: 'No images match' }).waitFor();
  await page.fill('#filter', '');
  await page.press('#filter', 'Enter');
  await page.waitForFunction(() => document.querySelectorAll('#gallery .tile').length === 21);

  step('search by upload (file picker)');
  const query = path.join(caltech, 'Leopards', 'image_0010.jpg');
  await page.setInputFiles('#file-input', query);
  await page.locator('#upload-results .tile .score').first().waitFor();
  const uploadHits = await page.$$eval('#upload-results .tile', (t) => t.map((x) => x.title));
  assert.ok(uploadHits.slice(0, 3).every((p) => p.includes('/Leopards/')), `upload results: ${uploadHits}`);
  await page.screenshot({ path: path.join(shots, 'upload.png') });

  step('search by upload (drag and drop)');
  const bytes = fs.readFileSync(path.join(caltech, 'airplanes', 'image_0010.jpg')).toString('base64');
  await page.evaluate((b64) => {
    const raw = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const dt = new DataTransfer();
    dt.items.add(new File([raw], 'plane.jpg', { type: 'image/jpeg' }));
    window.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, bytes);
  await page.locator('#panel h2', { hasText: 'plane.jpg' }).waitFor();
  await page.locator('#upload-results .tile .score').first().waitFor();
  const dropHits = await page.$$eval('#upload-results .tile', (t) => t.map((x) => x.title));
  assert.ok(dropHits[0].includes('/airplanes/'), `drop results: ${dropHits}`);

  step('an image, its neighbours and its tags');
  const leopard = (await apiGet('/api/images?' + new URLSearchParams({ where: "path ~ '*Leopards/image_0001.jpg'" }))).images[0];
  await page.click(`#gallery .tile[data-id="${leopard.id}"]`);
  await page.locator('#neighbours .tile .score').first().waitFor();
  await page.waitForFunction(() => ['#panel .picture', '#neighbours .tile img'].every((q) => {
    const i = document.querySelector(q);
    return i && i.complete && i.naturalWidth > 0;
  }));
  const neighbours = await page.$$eval('#neighbours .tile', (t) => t.map((x) => x.title));
  assert.ok(neighbours[0].includes('/Leopards/'), `neighbours: ${neighbours}`);
  await page.fill('.tag-form input', 'web-tagged');
  await page.click('.tag-form button');
  await page.locator('#panel .tag', { hasText: 'web-tagged' }).waitFor();
  await page.screenshot({ path: path.join(shots, 'neighbours.png') });
  await page.screenshot({ path: path.join(shots, 'neighbours.jpg'), type: 'jpeg', quality: 80 });  // docs/img/
  assert.deepEqual((await apiGet(`/api/images/${leopard.id}`)).tags, ['web-tagged']);
  await page.click('#panel .tag .remove');
  await page.locator('#panel .tags .hint', { hasText: 'No tags' }).waitFor();
  assert.deepEqual((await apiGet(`/api/images/${leopard.id}`)).tags, []);
  await page.click('#neighbours .tile >> nth=0');
  await page.waitForFunction((id) => !document.querySelector('#panel h2')?.textContent.includes(`${id}`) &&
                             document.querySelector('#neighbours .score'), leopard.id);
  await page.click('#panel-close');

  step('duplicates: discard the copy');
  await page.click('nav button[data-view=dups]');
  await page.locator('.dup-group').first().waitFor({ timeout: 60000 });
  assert.equal(await page.locator('.dup-group').count(), 1);
  assert.equal(await page.locator('.dup-card.keeper').count(), 1);
  const other = page.locator('.dup-card:not(.keeper)').first();
  const otherId = await other.getAttribute('data-id');
  await other.locator('button.discard').click();
  await page.locator(`.dup-card[data-id="${otherId}"].discarded`).waitFor();
  await page.waitForFunction(() => [...document.querySelectorAll('.dup-card img')].every((i) => i.complete && i.naturalWidth > 0));
  await page.screenshot({ path: path.join(shots, 'dups.png') });
  assert.deepEqual((await apiGet(`/api/images/${otherId}`)).tags, ['discard']);
  await page.locator(`.dup-card[data-id="${otherId}"] button.keep`).click();
  await page.locator(`.dup-card[data-id="${otherId}"]:not(.discarded)`).waitFor();
  assert.deepEqual((await apiGet(`/api/images/${otherId}`)).tags, []);
  // "Not duplicates" stores the verdict: the group leaves the view and the next search.
  await page.locator('.dup-group button.not-dup').first().click();
  await page.locator('.dup-group').first().waitFor({ state: 'detached' });
  assert.equal((await apiGet('/api/dups')).groups.length, 0);

  step('map: points on a canvas, a thumbnail on hover');
  await page.click('nav button[data-view=map]');
  await page.locator('canvas#map[data-points="21"]').waitFor();
  const box = await page.locator('canvas#map').boundingBox();
  let hovered = false;
  for (let gy = 0; gy < 40 && !hovered; ++gy) {
    for (let gx = 0; gx < 40 && !hovered; ++gx) {
      await page.mouse.move(box.x + 20 + (gx + 0.5) * (box.width - 40) / 40, box.y + 20 + (gy + 0.5) * (box.height - 40) / 40);
      hovered = await page.locator('#map-tip:not([hidden])').isVisible();
    }
  }
  assert.ok(hovered, 'no thumbnail appeared over the map');
  await page.waitForFunction(() => { const i = document.querySelector('#map-tip img'); return i.complete && i.naturalWidth > 0; });
  await page.screenshot({ path: path.join(shots, 'map.png') });

  step('scale: a 100k-image lake and a 100k-point map (API answers faked in the browser)');
  const big = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  big.on('pageerror', (err) => problems.push(`page error (100k): ${err.message}`));
  const N = 100000;
  const jpeg = fs.readFileSync(path.join(caltech, 'watch', 'image_0001.jpg'));
  let thumbRequests = 0, pageRequests = 0;
  await big.route('**/api/**', (route) => {
    const url = new URL(route.request().url());
    const json = (body) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(body) });
    if (url.pathname === '/api/health') return json({ status: 'ok', images: N, read_only: false, version: 'x' });
    if (url.pathname === '/api/images') {
      pageRequests += 1;
      const offset = Number(url.searchParams.get('offset')), limit = Number(url.searchParams.get('limit'));
      const images = [];
      for (let id = offset + 1; id <= Math.min(N, offset + limit); ++id) {
        images.push({ id, path: `/photos/${id}.jpg`, hash: '', size: 1, width: 1, height: 1, mtime: 0, format: 'jpeg',
                      camera: '', taken: null, gps_lat: null, gps_lon: null, added: 0, tags: [], meta: {} });
      }
      return json({ total: N, offset, limit, images });
    }
    if (url.pathname.endsWith('/thumb')) {
      thumbRequests += 1;
      return route.fulfill({ status: 200, contentType: 'image/jpeg', body: jpeg });
    }
    if (url.pathname === '/api/map') {
      const points = [];
      for (let id = 1; id <= N; ++id) {
        const a = id * 2.399963, r = Math.sqrt(id / N);
        points.push({ id, x: r * Math.cos(a), y: r * Math.sin(a), group: id % 50 });
      }
      return json({ format: 'pixlake-map', version: 1, model: 'm', method: 'pca', count: N,
                    groups: Array.from({ length: 50 }, (_, g) => `g${g}`), points });
    }
    return route.fulfill({ status: 404, contentType: 'application/json', body: '{"error":{"code":"not_found","message":"x"}}' });
  });
  await big.goto(base + '/');
  await big.waitForFunction(() => document.querySelectorAll('#gallery .tile').length >= 120);
  const scrolls = 10;
  for (let i = 0; i < scrolls; ++i) {
    await big.mouse.wheel(0, 4000);
    await big.waitForTimeout(150);
  }
  await big.waitForTimeout(500);
  const tiles = await big.locator('#gallery .tile').count();
  assert.ok(tiles >= 240 && tiles < 5000, `tiles after ${scrolls} scrolls: ${tiles}`);
  assert.ok(thumbRequests < tiles, `thumbnails fetched: ${thumbRequests} for ${tiles} tiles`);
  const t0 = Date.now();
  await big.click('nav button[data-view=map]');
  await big.locator(`canvas#map[data-points="${N}"]`).waitFor();
  const mapMs = Date.now() - t0;
  const redrawMs = await big.evaluate(() => new Promise((resolve) => {
    const canvas = document.getElementById('map');
    const start = performance.now();
    canvas.dispatchEvent(new WheelEvent('wheel', { deltaY: -200, clientX: 600, clientY: 400, bubbles: true, cancelable: true }));
    resolve(performance.now() - start);
  }));
  // Loose bounds (software rendering on shared cores); they catch per-point layout reads.
  assert.ok(redrawMs < 1000, `a 100k-point redraw took ${redrawMs} ms`);
  const box100k = await big.locator('canvas#map').boundingBox();
  await big.mouse.move(box100k.x + box100k.width / 2, box100k.y + box100k.height / 2);
  await big.locator('#map-tip:not([hidden])').waitFor();
  console.log(`[web] 100k: ${pageRequests} pages, ${tiles} tiles, ${thumbRequests} thumbnails fetched; ` +
              `map loaded and drawn in ${mapMs} ms, a zoom redraws in ${redrawMs.toFixed(1)} ms`);
  await big.close();

  step('the token never travels in a URL; no errors on the page');
  assert.ok(urls.length > 20);
  for (const u of urls) assert.ok(!u.includes(TOKEN), `token in a URL: ${u}`);
  assert.deepEqual(problems, []);
  console.log(`[web] all passed; screenshots in ${shots}`);
} catch (err) {
  failed = true;
  console.error('[web] FAILED:', err);
} finally {
  if (browser) await browser.close();
  server.kill('SIGTERM');
  fs.rmSync(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
