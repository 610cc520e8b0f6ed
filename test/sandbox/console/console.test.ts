import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { App } from 'cdktf';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { loadEnvironment } from '../../../config';
import { freePort } from '../../../sandbox/core/sandbox';
import type { LogSink } from '../../../sandbox/core/logger';
import { startSandbox, type RunningSandbox } from '../../../sandbox/start';
import { createPlatform } from '../../../stacks/platform';
import { signedHeaders } from '../appsync/engine/sign';

// Debian's Chromium, never a downloaded browser; CI installs it (.ci/run).
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const SCREENSHOTS = resolve('.sandbox/screenshots');
const HOST = '127.0.0.1';
const WAIT_MS = 15_000;

const PUBLISH = `mutation Publish($input: OrderUpdateInput!) {
  publishOrderUpdate(input: $input) { id owner status statusReason updatedAt }
}`;

let workDir: string;
let sandbox: RunningSandbox | undefined;
let browser: Browser | undefined;
let context: BrowserContext;
let page: Page;
const sandboxLog: string[] = [];
const browserLog: string[] = [];

/** Waits for `selector`; a timeout fails with what the page and the sandbox said, which is what explains it. */
async function see(selector: string, what: string): Promise<void> {
  try {
    await page.locator(selector).first().waitFor({ state: 'visible', timeout: WAIT_MS });
  } catch (error) {
    const alerts = await page.locator('[role="alert"]:visible').allInnerTexts().catch(() => []);
    throw new Error(
      [`${what}: ${(error as Error).message.split('\n')[0]}`, `alerts on the page: ${JSON.stringify(alerts)}`, 'browser:', ...browserLog.slice(-20), 'sandbox:', ...sandboxLog.slice(-20)].join('\n'),
    );
  }
}

/** `publishOrderUpdate` as a backend would send it: IAM, signed with SigV4, over the sandbox's plain HTTP endpoint. */
async function publishOrderUpdate(id: string, status: string, reason: string): Promise<unknown> {
  const url = new URL(sandbox?.endpoints.graphqlHttpUrl as string);
  const body = JSON.stringify({ query: PUBLISH, variables: { input: { id, status, reason } } });
  const headers = await signedHeaders({ body, region: sandbox?.endpoints.region as string, host: url.host });
  const response = await fetch(url, { method: 'POST', headers, body });
  return response.json();
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`The console test drives Debian's Chromium at ${CHROMIUM}, which is missing: apt-get install chromium (CI's .ci/run installs it).`);
  }
  workDir = mkdtempSync(join(tmpdir(), 'console-test-'));
  // A fresh synth of the local environment, so the test never runs against a stale cdktf.out.
  const outdir = join(workDir, 'cdktf.out');
  const app = new App({ outdir });
  createPlatform(app, loadEnvironment('local'));
  app.synth();

  const sink: LogSink = ({ level, component, message }) => sandboxLog.push(`${level} [${component}] ${message}`);
  sandbox = await startSandbox({
    outdir,
    reset: true,
    dataRoot: join(workDir, 'data'),
    certDir: join(workDir, 'certs'),
    httpsPort: await freePort(HOST),
    httpPort: await freePort(HOST),
    cognitoPort: await freePort(HOST),
    dynamoDbPort: await freePort(HOST),
    sink,
  });

  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  // The sandbox's CA is generated per run; a person trusts it once, the test context ignores it instead.
  context = await browser.newContext({ ignoreHTTPSErrors: true, locale: 'en-GB', timezoneId: 'UTC', viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  page.on('console', (message) => browserLog.push(`${message.type()}: ${message.text()}`));
  page.on('pageerror', (error) => browserLog.push(`page error: ${error.message}`));
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await sandbox?.stop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

test('alice signs in, orders, watches the order change live and cancels it', async () => {
  await page.goto(sandbox?.endpoints.consoleUrl as string);
  // Survives only if the page never reloads: every change below must arrive over the subscription.
  await page.evaluate(() => Object.assign(globalThis, { loadedOnce: true }));

  await page.getByRole('button', { name: 'alice@example.com' }).click();
  await page.getByRole('button', { name: 'Sign in' }).click();
  await see('#user-email:text("alice@example.com")', 'alice is signed in');

  await see('#products-body tr[data-sku="MUG-01"]', 'the catalogue is listed');
  expect(await page.locator('#products-body tr').count()).toBe(4);
  await page.getByLabel('Quantity of Stoneware mug').fill('2');
  await page.getByLabel('Quantity of Green tea, 100 g').fill('1');
  expect(await page.locator('#order-total').innerText()).toBe('€33.99');
  await page.getByRole('button', { name: 'Place order' }).click();

  await see('#my-orders-body tr[data-status="PENDING"]', 'the new order, PENDING');
  const row = page.locator('#my-orders-body tr').first();
  const orderId = (await row.getAttribute('data-order-id')) as string;
  expect(orderId).toMatch(/^[0-9A-Z]{26}$/);
  expect(await row.innerText()).toContain('2 × Stoneware mug');
  expect(await row.innerText()).toContain('€33.99');

  // Published only once AppSync acknowledged the subscription; earlier changes are not delivered.
  await see('#live[data-state="on"]', 'the subscription is acknowledged');
  const published = await publishOrderUpdate(orderId, 'RESERVED', 'Stock reserved by the warehouse');
  expect(published).toEqual({ data: { publishOrderUpdate: expect.objectContaining({ id: orderId, status: 'RESERVED' }) } });
  await see(`#my-orders-body tr[data-order-id="${orderId}"][data-status="RESERVED"]`, 'the order turns RESERVED without a reload');
  expect(await page.locator(`#my-orders-body tr[data-order-id="${orderId}"]`).innerText()).toContain('Stock reserved by the warehouse');
  await expect(page.locator('#announcer').innerText()).resolves.toBe(`Order ${orderId} is now RESERVED`);
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, 'console.png'), fullPage: true });

  await page.getByRole('button', { name: `Cancel order ${orderId}` }).click();
  await see(`#my-orders-body tr[data-order-id="${orderId}"][data-status="CANCELLED"]`, 'the order is CANCELLED');
  expect(await page.getByRole('button', { name: `Cancel order ${orderId}` }).count()).toBe(0);
  expect(await page.evaluate(() => (globalThis as { loadedOnce?: boolean }).loadedOnce)).toBe(true);
});

test("the API's error message is shown when an order breaks a rule", async () => {
  await page.getByRole('button', { name: 'Place order' }).click();
  await see('#order-error', 'the refusal');
  expect(await page.locator('#order-error').innerText()).toBe('input.items must have 1 to 50 items');
});

test('a wrong password is refused; the admin edits a product and lists orders by status', async () => {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByLabel('Email').fill('admin@example.com');
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await see('#sign-in-error', "Cognito's refusal");
  expect(await page.locator('#sign-in-error').innerText()).toBe('Incorrect username or password.');

  await page.getByRole('button', { name: 'admin@example.com' }).click();
  await page.getByRole('button', { name: 'Sign in' }).click();
  await see('#user-email:text("admin@example.com")', 'the admin is signed in');
  await see('#admin-orders', 'the admin sections');

  await page.getByRole('button', { name: 'Edit Stoneware mug' }).click();
  expect(await page.getByLabel('SKU').inputValue()).toBe('MUG-01');
  await page.getByLabel('Price in minor units (cents)').fill('1300');
  await page.getByRole('button', { name: 'Save product' }).click();
  await see('#products-body tr[data-sku="MUG-01"] td:text("€13.00")', 'the new price in the catalogue');

  await page.getByLabel('Status').selectOption('CANCELLED');
  await see('#admin-orders-body tr[data-status="CANCELLED"]', "alice's cancelled order");
  expect(await page.locator('#admin-orders-body').innerText()).toContain('Cancelled in the web console');

  await page.screenshot({ path: join(SCREENSHOTS, 'console-admin.png'), fullPage: true });
});
