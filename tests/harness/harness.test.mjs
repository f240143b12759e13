// The browser test harness (examples/browser) in Debian's Chromium, driven by playwright-core:
// a good event, a tampered one, the body-parser mistake, keyboard use, and no network beyond the
// page's own server. Saves docs/harness.png, which docs/api.md shows. Run by scripts/test-harness.sh
// with HARNESS_PACKAGE pointing at the package installed from the packed tarball.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { serve } from '../../examples/browser/serve.mjs';

const { chromium } = createRequire(new URL('../runtimes/package.json', import.meta.url))('playwright-core');
const SCREENSHOT = fileURLToPath(new URL('../../docs/harness.png', import.meta.url));
const SECRET = 'test-endpoint-secret';
const hmac = (body) => 'sha256=' + createHmac('sha256', SECRET).update(body).digest('hex');
// Fixed, so the screenshot is the same on every run.
const BODY = '{"event":"payment_verified","data":{"user_id":"u_8k2m1q","amount":49.99,"currency":"USD","payment_id":"pay_3f9x7c"}}';

const packageDir = process.env.HARNESS_PACKAGE;
assert.ok(packageDir, 'set HARNESS_PACKAGE to the installed elenik-webhooks directory');

describe('browser test harness', () => {
  let server;
  let browser;
  let page;
  let origin;
  const requests = [];
  const errors = [];

  before(async () => {
    const served = await serve({ packageDir, port: 0 });
    server = served.server;
    origin = new URL(served.url).origin;
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--headless=new', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--no-first-run', '--font-render-hinting=none'],
    });
    const context = await browser.newContext({ viewport: { width: 900, height: 1000 }, deviceScaleFactor: 1 });
    page = await context.newPage();
    page.on('request', (request) => requests.push(request.url()));
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
    await page.goto(served.url);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 15_000 });
    // Everything after loading works offline: the Wasm is inlined in the package's browser entry.
    await context.setOffline(true);
  });

  after(async () => {
    await browser?.close();
    server?.close();
  });

  const verdict = () => page.textContent('#verdict');
  const diagnosisCodes = () => page.$$eval('#diagnosis li code', (codes) => codes.map((c) => c.textContent));

  test('says plainly that secrets belong on servers and the page is for testing', async () => {
    const warning = await page.textContent('.warning');
    assert.match(warning, /For testing only/);
    assert.match(warning, /secrets belong on servers/);
  });

  test('a sample event, signed with the Sign button, verifies and is shown pretty-printed', async () => {
    await page.selectOption('#sample', 'payment_verified');
    await page.click('#load-sample');
    const body = await page.inputValue('#body');
    assert.equal(JSON.parse(body).event, 'payment_verified');
    await page.fill('#secret', SECRET);
    await page.click('#sign');
    assert.equal(await page.inputValue('#header'), hmac(body), 'the page signs as node:crypto does');
    await page.click('#verify');
    assert.equal(await verdict(), '✓ Verified: payment_verified');
    const shown = await page.textContent('#event');
    assert.equal(shown, JSON.stringify(JSON.parse(body), null, 2));
    assert.equal(await page.isVisible('#error'), false);
    // A fresh sample has fresh ids.
    await page.click('#load-sample');
    assert.notEqual(await page.inputValue('#body'), body);
  });

  test('a tampered body is rejected with its error code and diagnosis, and no event is shown', async () => {
    await page.fill('#body', BODY);
    await page.fill('#header', hmac(BODY));
    await page.click('#verify');
    assert.equal(await verdict(), '✓ Verified: payment_verified');
    await page.fill('#body', BODY.replace('49.99', '0.01'));
    await page.click('#verify');
    assert.equal(await verdict(), '✗ Not verified');
    assert.equal(await page.textContent('#error-code'), 'SIGNATURE_MISMATCH');
    assert.deepEqual(await diagnosisCodes(), ['SECRET_OR_BODY_DIFFERS']);
    assert.equal(await page.isVisible('#event'), false);
  });

  test('the body-parser mistake: the diagnosis names it', async () => {
    // The signature is over the bytes Elenik sent; the pasted body went through JSON.stringify.
    await page.fill('#body', JSON.stringify(JSON.parse(BODY), null, 2));
    await page.fill('#header', hmac(BODY));
    await page.fill('#secret', SECRET);
    await page.click('#verify');
    assert.equal(await verdict(), '✗ Not verified');
    assert.deepEqual(await diagnosisCodes(), ['BODY_RESERIALIZED']);
    const text = await page.textContent('#diagnosis');
    assert.match(text, /body-parser mistake/);
    assert.match(text, /Fix: verify the raw body before any JSON parser/);
    assert.ok(!text.includes(SECRET) && !text.includes(hmac(JSON.stringify(JSON.parse(BODY), null, 2)).slice(7)));
    await page.locator('#verify').blur();
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
  });

  test('keyboard: every control is labelled, Tab follows the form, Enter verifies', async () => {
    for (const [label, id] of [['Sample event', 'sample'], ['Raw body', 'body'], ['X-Elenik-Signature header', 'header'],
      ['Endpoint secret (test endpoints only)', 'secret']]) {
      assert.equal(await page.getByLabel(label, { exact: true }).getAttribute('id'), id);
    }
    await page.evaluate(() => document.activeElement?.blur());
    await page.focus('#sample');
    const order = ['sample'];
    for (let i = 0; i < 6; i++) {
      await page.keyboard.press('Tab');
      order.push(await page.evaluate(() => document.activeElement.id));
    }
    assert.deepEqual(order, ['sample', 'load-sample', 'body', 'header', 'secret', 'verify', 'sign']);
    // Enter in the secret field submits the form: verify, from the keyboard alone.
    await page.fill('#body', BODY);
    await page.fill('#header', hmac(BODY));
    await page.focus('#secret');
    await page.keyboard.press('Enter');
    assert.equal(await verdict(), '✓ Verified: payment_verified');
    await page.focus('#load-sample');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'body', 'a loaded sample moves focus to the body');
  });

  test('nothing but the page\'s own server was contacted, and no script errors', () => {
    assert.ok(requests.length >= 5, `the page, its script and style, the package: ${requests}`);
    assert.deepEqual(requests.filter((url) => new URL(url).origin !== origin), []);
    assert.deepEqual(errors, []);
  });
});
