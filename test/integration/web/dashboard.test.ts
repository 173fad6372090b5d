import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  type Browser,
  type BrowserContext,
  chromium,
  type Page,
} from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PART_NAMES,
  type RunningStack,
  startStack,
} from '../../../localstack/stack';

/**
 * The web dashboard in headless Chromium (Debian's package, driven by
 * playwright-core) against the full local stack: a customer and a staff
 * member in two browser contexts, each with its own session.
 */
const ROOT = path.resolve(__dirname, '../../..');
const SCREENSHOTS = path.join(ROOT, 'docs', 'screenshots');
// Validation goes through SQS and every event through Kafka: on a busy
// 2-core machine these take seconds, so waits on visible state are long.
const LIVE_MS = 120_000;

let stack: RunningStack;
let browser: Browser;
let webUrl: string;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  // A web part already running serves web/dist from disk: rebuild it so
  // the tests see the current code.
  execFileSync(path.join(ROOT, 'node_modules/.bin/vite'), ['build', 'web'], {
    cwd: ROOT,
    stdio: 'ignore',
  });
  stack = await startStack({ parts: PART_NAMES });
  webUrl = stack.env.WEB_URL as string;
  await warmUp(stack.env);
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    // playwright-core adds --headless and a new empty --user-data-dir.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/**
 * Signs the admin in through GraphQL until it answers: the first calls
 * after the functions start are cold starts, which a loaded machine may
 * time out; the browser flows should not be the ones to pay for them.
 */
async function warmUp(env: Record<string, string>): Promise<void> {
  const deadline = Date.now() + 180_000;
  for (;;) {
    const answer = await fetch(`${env.API_URL}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query:
          'mutation($input: LoginInput!) { login(input: $input) { token } }',
        variables: {
          input: { email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD },
        },
      }),
    })
      .then(
        (response) =>
          response.json() as Promise<{ data?: { login?: { token?: string } } }>,
      )
      .catch(() => undefined);
    if (answer?.data?.login?.token) return;
    if (Date.now() > deadline) throw new Error('GraphQL never answered');
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
}

async function newPage(hash: string): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 1400, height: 900 },
  });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  await page.goto(`${webUrl}/${hash}`);
  return page;
}

async function signIn(page: Page, email: string, password: string) {
  const form = page.getByTestId('login-form');
  await form.getByLabel(/email|e-mail/i).fill(email);
  await form.getByLabel(/password|mot de passe/i).fill(password);
  await form.getByRole('button').click();
}

async function register(page: Page): Promise<string> {
  const email = `web-${randomUUID().slice(0, 8)}@example.org`;
  const form = page.getByTestId('register-form');
  await form.getByLabel(/name/i).fill('Camille Web');
  await form.getByLabel(/email/i).fill(email);
  await form.getByLabel(/password/i).fill(`pw-${randomUUID()}`);
  await form.getByRole('button').click();
  await page.getByTestId('customer-view').waitFor();
  return email;
}

/** Set once; still there later only if the page was never reloaded. */
const markPage = (page: Page) => page.evaluate('window.__sameDocument = true');
const isSamePage = (page: Page) => page.evaluate('window.__sameDocument');

describe('the web dashboard', () => {
  it('shows a customer’s order on the staff board live, and each staff move on the customer’s page without reload', async () => {
    const staff = await newPage('#/staff');
    await signIn(
      staff,
      stack.env.ADMIN_EMAIL as string,
      stack.env.ADMIN_PASSWORD as string,
    );
    await staff
      .locator('[data-testid=connection][data-state=connected]')
      .waitFor({ timeout: LIVE_MS });
    await markPage(staff);

    const customer = await newPage('#/');
    await register(customer);
    await customer
      .locator('[data-testid=connection][data-state=connected]')
      .waitFor({ timeout: LIVE_MS });
    await markPage(customer);
    await customer.getByLabel(/search the catalogue/i).fill('paracetamol');
    await customer.getByRole('button', { name: 'Search', exact: true }).click();
    const medicine = customer
      .locator('[data-testid=results] li[data-rx=false]')
      .first();
    await medicine.getByRole('button', { name: /add to order/i }).click();
    await customer.getByRole('button', { name: 'Place order' }).click();

    const placed = customer.locator('[data-testid=my-orders] li.order').first();
    await placed.waitFor();
    const orderId = (await placed.getAttribute('data-order-id')) as string;
    const customerOrder = customer.locator(`li[data-order-id="${orderId}"]`);
    const customerShows = (status: string) =>
      customerOrder
        .locator(`[data-testid=order-status] [data-status=${status}]`)
        .waitFor({ timeout: LIVE_MS });
    await customerShows('CONFIRMED');

    // The staff page learnt of the order from the relay alone.
    const card = staff.locator(
      `[data-column=CONFIRMED] button[data-order-id="${orderId}"]`,
    );
    await card.waitFor({ timeout: LIVE_MS });
    await card.click();
    const detail = staff.getByTestId('order-detail');
    const moves = () =>
      detail
        .locator('button[data-move]')
        .evaluateAll((buttons) =>
          buttons.map((button) => button.getAttribute('data-move')),
        );
    expect(await moves()).toEqual(['PREPARING', 'CANCELLED']);
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await staff.screenshot({
      path: path.join(SCREENSHOTS, 'staff-dashboard.png'),
      fullPage: true,
    });

    for (const status of ['PREPARING', 'READY', 'DELIVERED']) {
      await detail.locator(`button[data-move=${status}]`).click();
      await detail
        .locator(`[data-testid=detail-status] [data-status=${status}]`)
        .waitFor({ timeout: LIVE_MS });
      await customerShows(status);
    }
    expect(await moves()).toEqual([]);
    await staff
      .locator(`[data-column=DELIVERED] button[data-order-id="${orderId}"]`)
      .waitFor();

    const history = await customerOrder
      .locator('[data-testid=history] li')
      .evaluateAll((items) =>
        items.map((item) => item.getAttribute('data-status')),
      );
    expect(history).toEqual([
      'PENDING',
      'CONFIRMED',
      'PREPARING',
      'READY',
      'DELIVERED',
    ]);
    expect(await isSamePage(customer)).toBe(true);
    expect(await isSamePage(staff)).toBe(true);
    expect(await customerOrder.locator('[data-action=cancel]').count()).toBe(0);
    await customer.screenshot({
      path: path.join(SCREENSHOTS, 'customer-orders.png'),
      fullPage: true,
    });
  }, 600_000);

  it('lets a customer cancel a confirmed order, and then offers no cancel', async () => {
    const customer = await newPage('#/');
    await register(customer);
    await customer.getByLabel(/search the catalogue/i).fill('ibuprofen');
    await customer.getByRole('button', { name: 'Search', exact: true }).click();
    await customer
      .locator('[data-testid=results] li[data-rx=false]')
      .first()
      .getByRole('button', { name: /add to order/i })
      .click();
    await customer.getByRole('button', { name: 'Place order' }).click();
    const order = customer.locator('[data-testid=my-orders] li.order').first();
    // Once confirmed, nothing but the customer moves it: no race with validation.
    await order
      .locator('[data-testid=order-status] [data-status=CONFIRMED]')
      .waitFor({ timeout: LIVE_MS });
    await order.locator('[data-action=cancel]').click();
    await order
      .locator('[data-testid=order-status] [data-status=CANCELLED]')
      .waitFor({ timeout: LIVE_MS });
    expect(await order.locator('[data-action=cancel]').count()).toBe(0);
  }, 300_000);

  it('shows only the sign-in form on the staff page without a session', async () => {
    const page = await newPage('#/staff');
    await page.getByTestId('login-form').waitFor();
    expect(await page.getByTestId('board').count()).toBe(0);
    expect(await page.getByTestId('register-form').count()).toBe(0);
  });

  it('refuses the staff board to a signed-in customer', async () => {
    const page = await newPage('#/');
    await register(page);
    await page.goto(`${webUrl}/#/staff`);
    await page.getByTestId('staff-only').waitFor();
    expect(await page.getByTestId('board').count()).toBe(0);
    expect(await page.getByTestId('stock').count()).toBe(0);
  }, 120_000);

  it('explains a wrong password in words, in English and in French', async () => {
    // An unknown account: wrong passwords for a real one would throttle it.
    const email = `nobody-${randomUUID().slice(0, 8)}@example.org`;
    const page = await newPage('#/staff');
    await signIn(page, email, 'not-the-password');
    const alert = page.getByTestId('login-form').getByRole('alert');
    await alert.getByText(/email and password do not match/).waitFor();

    await page.getByTestId('lang').click();
    await signIn(page, email, 'not-the-password');
    await page
      .getByTestId('login-form')
      .getByRole('alert')
      .getByText(/mot de passe ne correspondent pas/)
      .waitFor();
  });
});
