// The public pages in Welsh, in headless Chromium: a respondent starts a
// survey in English, switches to Welsh halfway with the header's button and
// keeps every answer, meets the errors in Welsh, and sends it; axe-core
// scans every public page in Welsh.
//
// Run against a server with the default campaign and the council register:
//   node tests/e2e/welsh.mjs http://127.0.0.1:PORT
// Prints the reference of the response sent in Welsh as `reference: XXXXXXXX`.
import { axeScan, check, finish, launch, step } from './lib.mjs';

const BASE = (process.argv[2] || '').replace(/\/$/, '');
if (!/^https?:\/\/[^/]+/.test(BASE)) {
  console.error('usage: node tests/e2e/welsh.mjs http://127.0.0.1:PORT');
  process.exit(1);
}
const SURVEY = '/surveys/governance';

const browser = await launch();
const context = await browser.newContext({ bypassCSP: true });
const page = await context.newPage();
page.setDefaultTimeout(10000);
const lang = () => page.evaluate(() => document.documentElement.lang);
const navigating = async (action) => (await Promise.all([page.waitForNavigation(), action()]))[0];

try {
  console.log(`e2e-welsh against ${BASE}`);
  await step('1. Halfway through a survey, switch to Welsh', async () => {
    await page.goto(`${BASE}${SURVEY}`);
    check('the survey starts in English', (await lang()) === 'en-GB');
    await page.check('#organisation-kind-other');
    await page.fill('#organisation-name', 'Porthladd Caergybi');
    await page.selectOption('#organisation-sector', 'port');
    await page.check('input[name=role][value="procurement"]');
    await page.check('input[name=usefulness][value="4"]');
    await page.fill('#missing', 'Mwy am synwyryddion, os gwelwch yn dda');
    const button = page.getByRole('button', { name: 'Cymraeg' });
    check('the switch is in the header, before the form', (await button.evaluate((b) => !!b.closest('header'))) === true);
    await button.focus();
    const response = await navigating(() => page.keyboard.press('Enter'));
    check('Enter on "Cymraeg" answers 200, nothing stored', response?.status() === 200, `status ${response?.status()}`);
    check('the page is now in Welsh', (await lang()) === 'cy');
    check('the question reads in Welsh', await page.getByRole('group', { name: 'Beth yw eich rôl?' }).isVisible());
    check('the organisation is kept', (await page.inputValue('#organisation-name')) === 'Porthladd Caergybi'
      && (await page.inputValue('#organisation-sector')) === 'port' && (await page.isChecked('#organisation-kind-other')));
    check('the role is kept', await page.isChecked('input[name=role][value="procurement"]'));
    check('the score is kept', await page.isChecked('input[name=usefulness][value="4"]'));
    check('the text is kept', (await page.inputValue('#missing')) === 'Mwy am synwyryddion, os gwelwch yn dda');
    check('no error is shown for switching', (await page.$('.error-summary')) === null);
    await axeScan(page, 'the survey in Welsh with answers');
  });

  await step('2. The errors in Welsh, then sent', async () => {
    const response = await navigating(() => page.click('#submit'));
    check('missing answers answer 422', response?.status() === 422, `status ${response?.status()}`);
    check('the summary is titled "Mae problem wedi codi"', await page.getByRole('heading', { name: 'Mae problem wedi codi' }).isVisible());
    check('the summary links to the first score', (await page.$('.error-summary__list a[href="#ease-1"]')) !== null);
    const beside = (await page.locator('#ease-error').textContent()).trim();
    check('the message beside the question is in Welsh', beside === 'Gwall: Dewiswch pa mor hawdd oedd rhoi’r adnodd ar waith', beside);
    const described = await page.locator('fieldset:has(#ease-1)').getAttribute('aria-describedby');
    check('the question is described by it', (described ?? '').split(' ').includes('ease-error'), described ?? '');
    check('the error title starts "Gwall:"', (await page.title()).startsWith('Gwall: '));
    await axeScan(page, 'the survey in Welsh with errors');
    await page.check('input[name=ease][value="3"]');
    await page.check('input[name=ncsc_principles][value="partly"]');
    await page.check('input[name=recommend][value="8"]');
    await Promise.all([page.waitForURL(/\/thanks\?ref=/), page.click('#submit')]);
    check('the confirmation is in Welsh', (await lang()) === 'cy' && await page.getByRole('heading', { name: 'Adborth wedi’i anfon' }).isVisible());
    const reference = (await page.locator('.reference').textContent()).trim();
    check(`a reference is given (${reference})`, /^[A-Z0-9]{8}$/.test(reference));
    console.log(`reference: ${reference}`);
    await axeScan(page, 'the confirmation in Welsh');
  });

  await step('3. Every other public page in Welsh passes axe', async () => {
    for (const [path, heading] of [
      ['/', 'Llyfr Chwarae Lleoedd Cysylltiedig Diogel'],
      ['/accessibility', 'Datganiad hygyrchedd'],
      ['/privacy', 'Hysbysiad preifatrwydd'],
      ['/nothing-here', 'Heb ddod o hyd i’r dudalen'],
    ]) {
      await page.goto(`${BASE}${path}`);
      check(`${path}: in Welsh, remembered`, (await lang()) === 'cy');
      check(`${path}: heading "${heading}"`, await page.getByRole('heading', { level: 1, name: heading }).isVisible());
      await axeScan(page, `${path} in Welsh`);
    }
    await page.goto(`${BASE}${SURVEY}`);
    await page.fill('#organisation-council-search', 'Merthyr');
    await navigating(() => page.click('#organisation-find'));
    check('the council search answers in Welsh', await page.getByText('Cynghorau sy’n cyfateb i “Merthyr”').isVisible());
    await axeScan(page, 'council search results in Welsh');
  });

  await step('4. English again with the link', async () => {
    await page.goto(`${BASE}/privacy`);
    await navigating(() => page.getByRole('link', { name: 'English' }).click());
    check('the page is in English again', (await lang()) === 'en-GB' && await page.getByRole('heading', { level: 1, name: 'Privacy notice' }).isVisible());
  });
} finally {
  await browser.close();
}
finish('e2e-welsh');
