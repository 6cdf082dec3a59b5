// End-to-end and accessibility checks for campaign-feedback, in headless Chromium.
//
// Run (needs Debian's Chromium at /usr/bin/chromium and `npm ci` in tests/e2e/;
// no browser is ever downloaded):
//   cd tests/e2e && npm ci && cd -
//   node tests/e2e/survey.mjs http://127.0.0.1:18181
// against a running server (`campaign-feedback serve`, SUBMIT_RATE_LIMIT=0 so the
// several submissions are not throttled). Councils are optional: with them the
// keyboard run picks a council, without them it names an organisation and a sector.
//
// Steps: 1. keyboard only (skip link first, whole survey, submit with Enter);
// 2. error summary (focused), links to fields, answers kept; 3. axe-core on
// five pages; 4. the six pilot councils found by the names people use, in
// the list and with the search that needs no JavaScript.
// Prints one line per check and ends with `e2e: N passed, M failed` (exit 1 if M > 0).
import { axeScan, check, finish, launch, step } from './lib.mjs';

const BASE = (process.argv[2] || process.env.E2E_BASE_URL || '').replace(/\/$/, '');
const SURVEY = '/surveys/governance';
const REFERENCE = /^[ABCDEFGHJKMNPQRTWXYZ2346789]{8}$/;
if (!/^https?:\/\/[^/]+/.test(BASE)) {
  console.error('usage: node tests/e2e/survey.mjs http://127.0.0.1:PORT');
  process.exit(1);
}


const activeId = (page) => page.evaluate(() => document.activeElement?.id || document.activeElement?.tagName);

/** Presses Tab (or Shift+Tab) until `#id` has focus; at most `max` presses. */
async function tabTo(page, id, { back = false, max = 25 } = {}) {
  for (let i = 0; i < max; i += 1) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    if ((await activeId(page)) === id) return;
  }
  check(`keyboard reaches #${id}`, false, `not reached in ${max} ${back ? 'Shift+Tab' : 'Tab'} presses`);
}

/** Tabs into a radio group (lands on its first radio), selects it with Space,
 *  then moves to the wanted radio with ArrowRight, which also selects it. */
async function chooseRadio(page, group, first, wanted, steps) {
  await tabTo(page, first);
  await page.keyboard.press('Space');
  for (let i = 0; i < steps; i += 1) await page.keyboard.press('ArrowRight');
  check(`${group}: #${wanted} selected by keyboard`, await page.isChecked(`#${wanted}`));
}

/** Chooses a <select> option with the keyboard only: focus it and type the
 *  start of the label (typeahead works on a closed select in headless Chromium). */
async function chooseOption(page, id, typed, value) {
  await tabTo(page, id);
  await page.keyboard.type(typed);
  const got = await page.inputValue(`#${id}`);
  check(`#${id}: "${typed}" typed selects ${value}`, got === value, `value is "${got}"`);
}

async function assertConfirmation(page, label) {
  const url = new URL(page.url());
  check(`${label}: redirected to the confirmation page`, url.pathname === `${SURVEY}/thanks`, page.url());
  check(`${label}: shows "Feedback sent"`, await page.getByRole('heading', { name: 'Feedback sent' }).isVisible());
  const ref = (await page.textContent('.reference'))?.trim() ?? '';
  check(`${label}: reference ${ref} has 8 unambiguous characters`, REFERENCE.test(ref));
}

async function keyboardOnly(browser) {
  const context = await browser.newContext(); // the site's CSP stays enforced here
  const page = await context.newPage();
  await page.goto(`${BASE}/`);
  await page.keyboard.press('Tab');
  const first = await page.evaluate(() => document.activeElement?.textContent?.trim());
  check('landing: first Tab stop is "Skip to main content"', first === 'Skip to main content', `got "${first}"`);

  await page.goto(`${BASE}${SURVEY}`);
  if (await page.$('#organisation-kind-council')) {
    await chooseRadio(page, 'organisation', 'organisation-kind-council', 'organisation-kind-council', 0);
    await chooseOption(page, 'organisation-council', 'Manchester', 'MAN');
  } else {
    await tabTo(page, 'organisation-name');
    await page.keyboard.type('Example University');
    await chooseOption(page, 'organisation-sector', 'Uni', 'university');
  }
  await chooseRadio(page, 'role', 'role-cyber_security', 'role-smart_places', 2);
  await chooseRadio(page, 'usefulness', 'usefulness-1', 'usefulness-4', 3);
  await chooseRadio(page, 'ease', 'ease-1', 'ease-3', 2);
  await chooseRadio(page, 'ncsc_principles', 'ncsc_principles-yes', 'ncsc_principles-partly', 1);
  await chooseRadio(page, 'recommend', 'recommend-0', 'recommend-8', 8);
  await tabTo(page, 'missing');
  await page.keyboard.type('A worked example for a small district council.');
  await tabTo(page, 'standards');
  await page.keyboard.type('Cyber Essentials');
  await tabTo(page, 'contact');
  await page.keyboard.type('officer@example.gov.uk');
  await tabTo(page, 'contact-consent');
  await page.keyboard.press('Space');
  check('contact-consent: ticked with Space', await page.isChecked('#contact-consent'));
  await tabTo(page, 'standards', { back: true, max: 3 }); // Shift+Tab walks back through the form
  check('Shift+Tab returns to #standards with its text kept', (await page.inputValue('#standards')) === 'Cyber Essentials');
  await tabTo(page, 'submit');
  await Promise.all([page.waitForURL(/\/thanks\?ref=/), page.keyboard.press('Enter')]);
  await assertConfirmation(page, 'keyboard');
  await context.close();
}

async function errors(browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${BASE}${SURVEY}`);
  const [response] = await Promise.all([page.waitForNavigation(), page.click('#submit')]);
  check('empty submit answers 422', response?.status() === 422, `status ${response?.status()}`);
  const title = await page.title();
  check('error page title starts with "Error: "', title.startsWith('Error: '), `title "${title}"`);
  check('summary "There is a problem" visible', await page.getByRole('heading', { name: 'There is a problem' }).isVisible());
  const focused = await page.evaluate(() => document.activeElement?.classList.contains('error-summary'));
  check('the error summary has the focus, not the page body', focused === true);
  const links = await page.$$eval('.error-summary__list a', (as) => as.map((a) => ({ text: a.textContent.trim(), href: a.getAttribute('href') })));
  check('error summary has links', links.length > 0);
  for (const { text, href } of links) {
    const exists = href.startsWith('#') && (await page.$(`[id="${href.slice(1)}"]`)) !== null;
    check(`summary link "${text}" -> ${href} exists`, exists);
  }
  await page.getByRole('link', { name: 'Select how useful the resource was' }).click();
  const target = await page.evaluate(() => {
    const el = document.getElementById('usefulness-1');
    const r = el.getBoundingClientRect();
    return {
      hash: location.hash,
      target: document.querySelector(':target')?.id,
      focused: document.activeElement?.id,
      inView: r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth,
    };
  });
  // Without JavaScript the fragment does the work: Chromium scrolls to and focuses the radio.
  const onTarget = target.hash === '#usefulness-1' && target.target === 'usefulness-1' && target.focused === 'usefulness-1';
  check('usefulness link targets and focuses #usefulness-1', onTarget, JSON.stringify(target));
  check('#usefulness-1 scrolled into the viewport', target.inView);

  await page.goto(`${BASE}${SURVEY}`);
  await page.check('#usefulness-4');
  await page.fill('#standards', 'IEC 62443');
  const [again] = await Promise.all([page.waitForNavigation(), page.click('#submit')]);
  check('partly answered submit answers 422', again?.status() === 422, `status ${again?.status()}`);
  check('answers kept: #usefulness-4 still selected', await page.isChecked('#usefulness-4'));
  check('answers kept: #standards text kept', (await page.inputValue('#standards')) === 'IEC 62443');
  await context.close();
}

/** Answers the survey with Playwright's API (not keyboard) for the axe run. */
async function fillValid(page) {
  if (await page.$('#organisation-kind-council')) {
    await page.check('#organisation-kind-council');
    await page.selectOption('#organisation-council', 'MAN');
  } else {
    await page.fill('#organisation-name', 'Example University');
    await page.selectOption('#organisation-sector', 'university');
  }
  for (const id of ['role-other', 'usefulness-5', 'ease-2', 'ncsc_principles-no', 'recommend-10']) await page.check(`#${id}`);
}

/** The pilot councils of the playbook, by the names people use. */
const PILOTS = [
  ['Westminster', 'WSM'],
  ['Merthyr Tydfil', 'MTY'],
  ['Perth and Kinross', 'PKN'],
  ['Bradford', 'BRD'],
  ['Dorset', 'DST'],
  ['Sutton', 'STN'], // one of the South London Partnership's boroughs
];

async function pilotCouncils(browser) {
  const context = await browser.newContext(); // the site's CSP stays enforced
  const page = await context.newPage();
  for (const [name, code] of PILOTS) {
    await page.goto(`${BASE}${SURVEY}`);
    await page.check('#organisation-kind-council');
    await page.focus('#organisation-council');
    await page.keyboard.type(name);
    const picked = await page.inputValue('#organisation-council');
    check(`the list: typing "${name}" selects ${code}`, picked === code, `value is "${picked}"`);

    await page.goto(`${BASE}${SURVEY}`);
    await page.fill('#organisation-council-search', name);
    await Promise.all([page.waitForNavigation(), page.click('#organisation-find')]);
    const first = await page.$eval('input[name="organisation-council"][type="radio"]',
      (r) => ({ value: r.value, focused: document.activeElement === r, label: r.labels[0]?.textContent.trim() }));
    check(`the search: "${name}" finds ${code} first, with the focus`, first.value === code && first.focused, JSON.stringify(first));
  }
  // Found by search, then sent with every other answer: stored as that council.
  await page.goto(`${BASE}${SURVEY}`);
  for (const id of ['role-other', 'usefulness-5', 'ease-2', 'ncsc_principles-no', 'recommend-10']) await page.check(`#${id}`);
  await page.fill('#standards', 'IEC 62443');
  await page.fill('#organisation-council-search', 'merthyr');
  await Promise.all([page.waitForNavigation(), page.click('#organisation-find')]);
  check('answers kept through the search', (await page.inputValue('#standards')) === 'IEC 62443' && await page.isChecked('#usefulness-5'));
  await page.check('#organisation-council-MTY');
  await Promise.all([page.waitForURL(/\/thanks\?ref=/), page.click('#submit')]);
  await assertConfirmation(page, 'sent with the council found by search');
  await context.close();
}


async function accessibility(browser) {
  // bypassCSP lets addScriptTag inject axe despite the site's strict CSP; it is
  // used only in this context, so steps 1 and 2 run under the real policy.
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  const scan = (label, prepare) => step(`3. axe-core: ${label}`, async () => {
    await prepare();
    await axeScan(page, label);
  });
  await scan('landing page', () => page.goto(`${BASE}/`));
  await scan('survey form', () => page.goto(`${BASE}${SURVEY}`));
  await scan('error page', async () => {
    await page.goto(`${BASE}${SURVEY}`);
    await Promise.all([page.waitForNavigation(), page.click('#submit')]);
  });
  await scan('council search results', async () => {
    await page.goto(`${BASE}${SURVEY}`);
    await page.fill('#organisation-council-search', 'Bradford');
    await Promise.all([page.waitForNavigation(), page.click('#organisation-find')]);
  });
  await scan('confirmation page', async () => {
    await page.goto(`${BASE}${SURVEY}`);
    await fillValid(page);
    await Promise.all([page.waitForURL(/\/thanks\?ref=/), page.click('#submit')]);
    await assertConfirmation(page, 'axe run');
  });
  await context.close();
}

const browser = await launch();
try {
  console.log(`e2e against ${BASE}`);
  await step('1. Keyboard only', () => keyboardOnly(browser));
  await step('2. Errors', () => errors(browser));
  await accessibility(browser);
  await step('4. Pilot councils', () => pilotCouncils(browser));
} finally {
  await browser.close();
}
finish('e2e');
