// End-to-end and accessibility checks of the officers' side (/admin), in headless Chromium.
//
// Run (needs Debian's Chromium at /usr/bin/chromium and `npm ci` in tests/e2e/;
// no browser is ever downloaded):
//   cd tests/e2e && npm ci && cd -
//   node tests/e2e/admin.mjs http://127.0.0.1:18181 admin@example.gov.uk 'PASSWORD'
// against a running server with the council register loaded, an admin officer
// with that email and password, and a few responses to the governance survey,
// at least one with a comment and one from a council in England.
//
// Steps: 1. sign in with the keyboard, dashboard counts responses; 2. results of
// the governance survey filtered to England, then its CSV downloaded; 3. axe-core
// on every officers' page; 4. signing out.
// Prints one line per check and ends with `e2e-admin: N passed, M failed` (exit 1 if M > 0).
import { readFile } from 'node:fs/promises';
import { axeScan, check, describedByError, finish, launch, step } from './lib.mjs';

const BASE = (process.argv[2] || process.env.E2E_BASE_URL || '').replace(/\/$/, '');
const EMAIL = process.argv[3] || process.env.E2E_EMAIL || '';
const PASSWORD = process.argv[4] || process.env.E2E_PASSWORD || '';
const SURVEY_TITLE = 'Feedback on Governance';
const RESULTS = '/admin/surveys/governance';
const REFERENCE = /^[ABCDEFGHJKMNPQRTWXYZ2346789]{8}$/;
if (!/^https?:\/\/[^/]+/.test(BASE) || !EMAIL || !PASSWORD) {
  console.error('usage: node tests/e2e/admin.mjs http://127.0.0.1:PORT EMAIL PASSWORD');
  process.exit(1);
}


const activeId = (page) => page.evaluate(() => document.activeElement?.id || document.activeElement?.tagName);

/** Presses Tab until `#id` has focus; at most `max` presses. */
async function tabTo(page, id, max = 10) {
  for (let i = 0; i < max; i += 1) {
    await page.keyboard.press('Tab');
    if ((await activeId(page)) === id) return;
  }
  check(`keyboard reaches #${id}`, false, `not reached in ${max} Tab presses`);
}

/** Signs in with Playwright's API (the keyboard run is step 1). */
async function signIn(page) {
  await page.goto(`${BASE}/admin/login`);
  await page.fill('#email', EMAIL);
  await page.fill('#password', PASSWORD);
  await Promise.all([page.waitForURL(`${BASE}/admin`), page.click('#submit')]);
}

/** The total on the dashboard ("N responses in total"). */
async function dashboardTotal(page) {
  const text = await page.locator('.figure', { hasText: 'responses in total' }).locator('.figure__number').textContent();
  return Number(text?.trim());
}

/** The number of responses the results page says match ("N responses match"). */
async function matching(page) {
  const text = await page.locator('p', { hasText: 'responses match' }).locator('strong').textContent();
  return Number(text?.trim());
}

/** A filled CSV's header and data rows (a quoted field may span lines, so rows
 *  are counted as records starting with a reference). */
function csvRows(text) {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const records = lines.slice(1).filter((l) => /^[ABCDEFGHJKMNPQRTWXYZ2346789]{8},/.test(l));
  return { header: lines[0], references: records.map((l) => l.slice(0, 8)) };
}

let csvReference = null; // a reference from the download, for step 3 if comments have none

async function keyboardSignIn(browser) {
  const context = await browser.newContext(); // the site's CSP stays enforced here
  const page = await context.newPage();
  await page.goto(`${BASE}/admin`); // follows the redirect
  check('signed out, /admin leads to the sign-in page', new URL(page.url()).pathname === '/admin/login', page.url());
  await tabTo(page, 'email');
  await page.keyboard.type(EMAIL);
  await page.keyboard.press('Tab');
  check('Tab moves from #email to #password', (await activeId(page)) === 'password', `focus on ${await activeId(page)}`);
  await page.keyboard.type(PASSWORD);
  await Promise.all([page.waitForURL(`${BASE}/admin`), page.keyboard.press('Enter')]);
  check('Enter in #password signs in and reaches the dashboard', new URL(page.url()).pathname === '/admin', page.url());
  check('dashboard: heading "Dashboard"', await page.getByRole('heading', { level: 1, name: 'Dashboard' }).isVisible());
  const total = await dashboardTotal(page);
  check(`dashboard: ${total} responses in total (more than 0)`, total > 0);
  await context.close();
}

async function resultsAndDownload(browser) {
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  await signIn(page);
  await page.goto(`${BASE}/admin/comments`);
  await Promise.all([page.waitForURL(`${BASE}/admin`), page.getByRole('link', { name: 'Dashboard', exact: true }).click()]);
  check('the "Dashboard" link opens the dashboard', new URL(page.url()).pathname === '/admin', page.url());
  const link = page.getByRole('link', { name: `Results of ${SURVEY_TITLE}` });
  const shown = await link.evaluate((a) => {
    const copy = a.cloneNode(true);
    copy.querySelectorAll('.visually-hidden').forEach((hidden) => hidden.remove());
    return copy.textContent.trim();
  });
  check(`dashboard: link "Results of ${SURVEY_TITLE}" shows "Results"`, shown === 'Results', `shows "${shown}"`);
  await Promise.all([page.waitForURL(`${BASE}${RESULTS}`), link.click()]);
  check(`results: heading "${SURVEY_TITLE}"`, await page.getByRole('heading', { level: 1, name: SURVEY_TITLE }).isVisible());
  const all = await matching(page);
  check(`results: ${all} responses match without filters`, all > 0);

  await page.selectOption('#filter-nation', 'England');
  await Promise.all([page.waitForURL(/[?&]nation=England(&|$)/), page.getByRole('button', { name: 'Apply filters' }).click()]);
  check('filtered: the URL has nation=England', new URL(page.url()).searchParams.get('nation') === 'England', page.url());
  check('filtered: England stays chosen', (await page.inputValue('#filter-nation')) === 'England');
  const england = await matching(page);
  check(`filtered: ${england} responses from England match (more than 0, at most ${all})`, england > 0 && england <= all);
  const charts = await page.locator('main h2').count();
  check(`filtered: results still shown (${charts} questions)`, charts > 0);

  const csvLink = page.getByRole('link', { name: 'Download these responses as CSV' });
  const href = await csvLink.getAttribute('href');
  check('CSV link keeps the filter', /^\/admin\/export\.csv\?/.test(href) && new URLSearchParams(href.split('?')[1]).get('nation') === 'England', href);
  const [download] = await Promise.all([page.waitForEvent('download'), csvLink.click()]);
  const name = download.suggestedFilename();
  check(`download named ${name}`, /^campaign-feedback-[a-z0-9-]+\.csv$/.test(name));
  const failure = await download.failure();
  check('download completed', failure === null, failure ?? '');
  const text = await readFile(await download.path(), 'utf8');
  const { header, references } = csvRows(text);
  check('CSV starts with "reference,submitted_at,campaign,"', header.startsWith('reference,submitted_at,campaign,'), header.slice(0, 60));
  check(`CSV has ${references.length} data rows (at least 1, as many as match)`, references.length >= 1 && references.length === england);
  [csvReference] = references;
  await context.close();
}


async function accessibility(browser) {
  // bypassCSP lets addScriptTag inject axe despite the site's strict CSP; it is
  // used only in this context, so steps 1, 2 and 4 run under the real policy.
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  const scan = (label, prepare) => step(`3. axe-core: ${label}`, async () => {
    await prepare();
    await axeScan(page, label);
  });
  const open = async (path, heading) => {
    const response = await page.goto(`${BASE}${path}`);
    check(`${path} answers 200`, response?.status() === 200, `status ${response?.status()}`);
    if (heading) check(`${path}: heading "${heading}"`, await page.getByRole('heading', { level: 1, name: heading }).isVisible());
  };
  await scan('sign-in page (signed out)', () => open('/admin/login', 'Sign in'));
  await scan('sign-in page with an error', async () => {
    await page.goto(`${BASE}/admin/login`);
    await page.fill('#email', EMAIL);
    await page.fill('#password', 'not the password');
    const [response] = await Promise.all([page.waitForNavigation(), page.click('#submit')]);
    check('a wrong password answers 422', response?.status() === 422, `status ${response?.status()}`);
  });
  await step('3. sign in for the scans', async () => {
    await signIn(page);
    check('signed in', new URL(page.url()).pathname === '/admin', page.url());
  });
  await scan('dashboard', () => open('/admin', 'Dashboard'));
  await scan('results (governance)', () => open(RESULTS, SURVEY_TITLE));
  await scan('results filtered to England', () => open(`${RESULTS}?nation=England`, SURVEY_TITLE));
  await scan('results with a filter error', async () => {
    await open(RESULTS, SURVEY_TITLE);
    await page.fill('#filter-since', 'last week');
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Apply filters' }).click()]);
    await describedByError(page, 'filter-since', 'is not a date');
  });
  let reference = null;
  await scan('comments', async () => {
    await open('/admin/comments', 'Comments');
    const hrefs = await page.$$eval('.comment a[href^="/admin/responses/"]', (as) => as.map((a) => a.getAttribute('href')));
    reference = hrefs.map((h) => h.split('/').pop()).find((r) => REFERENCE.test(r)) ?? csvReference;
  });
  await scan('coverage', () => open('/admin/coverage', 'Coverage'));
  await scan('responses lookup', () => open('/admin/responses', 'Responses'));
  await scan('responses lookup with an error', async () => {
    await open('/admin/responses', 'Responses');
    await page.fill('#ref', 'not a ref');
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Find response' }).click()]);
    await describedByError(page, 'ref', '');
  });
  await scan('a response page', async () => {
    check(`a reference to open (${reference})`, reference !== null && REFERENCE.test(reference));
    await open(`/admin/responses/${reference}`, reference);
  });
  await scan('a deletion to confirm', () => open(`/admin/responses/${reference}/delete`, `Are you sure you want to delete response ${reference}?`));
  await scan('exports', () => open('/admin/exports', 'Export responses'));
  await scan('audit log', () => open('/admin/audit', 'Audit log'));
  await scan('API tokens', () => open('/admin/tokens', 'API tokens'));
  await scan('an API token just made', async () => {
    await open('/admin/tokens', 'API tokens');
    await page.fill('#name', 'Power BI');
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Make the token' }).click()]);
    check('the token is shown once', await page.getByRole('heading', { name: 'Copy the token now' }).isVisible());
  });
  await scan('webhooks', () => open('/admin/webhooks', 'Webhooks'));
  await scan('webhooks with an error', async () => {
    await open('/admin/webhooks', 'Webhooks');
    await page.fill('#url', 'http://example.org/hook');
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Add the endpoint' }).click()]);
    await describedByError(page, 'url', 'use https');
  });
  await scan('outreach', () => open('/admin/campaigns/secure-connected-places/outreach', 'Outreach'));
  await scan('share', () => open('/admin/campaigns/secure-connected-places/share', 'Share the surveys'));
  await scan('users', () => open('/admin/users', 'Users'));
  await scan('users with an error', async () => {
    await open('/admin/users', 'Users');
    await page.fill('#user-email', 'not an email address');
    await page.fill('#user-name', 'Nobody');
    await page.fill('#user-password', 'three random words');
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Add officer' }).click()]);
    await describedByError(page, 'user-email', '');
  });
  await scan('personal data', () => open('/admin/data', 'Personal data'));
  await scan('personal data with errors', async () => {
    await open('/admin/data', 'Personal data');
    await page.fill('#erase-email', 'not an email address');
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Erase this address' }).click()]);
    await describedByError(page, 'erase-email', '');
    await describedByError(page, 'erase-confirm', 'Confirm');
    const focused = await page.evaluate(() => document.activeElement?.classList.contains('error-summary'));
    check('the error summary has the focus', focused === true);
  });
  await context.close();
}

async function signOut(browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page);
  await Promise.all([page.waitForURL(/\/admin\/login/), page.getByRole('button', { name: /^Sign out/ }).click()]);
  check('sign out leads to the sign-in page', new URL(page.url()).pathname === '/admin/login', page.url());
  check('the page says "You have signed out"', await page.getByText('You have signed out').isVisible());
  check('the sign-in form is shown again', await page.getByRole('heading', { level: 1, name: 'Sign in' }).isVisible());
  await page.goto(`${BASE}/admin`);
  check('afterwards /admin asks to sign in again', new URL(page.url()).pathname === '/admin/login', page.url());
  await context.close();
}

const browser = await launch();
try {
  console.log(`e2e-admin against ${BASE} as ${EMAIL}`);
  await step('1. Sign in with the keyboard', () => keyboardSignIn(browser));
  await step('2. Results filtered to England, then the CSV', () => resultsAndDownload(browser));
  await accessibility(browser);
  await step('4. Sign out', () => signOut(browser));
} finally {
  await browser.close();
}
finish('e2e-admin');
