// The campaign editor end to end, in headless Chromium: an editor creates a
// campaign from nothing (keyboard only for the first form), adds a workstream,
// a resource and a survey with a rating, a single-choice and a long-text
// question, reorders them, previews the survey (errors included), publishes
// it; a respondent answers it; the answer is in the results and the CSV; the
// editor rewords a question and publishes again; the earlier response stays
// on version 1 and a new one is on version 2. axe-core scans every editor page.
//
// Run against a server with an editor officer:
//   node tests/e2e/editor.mjs http://127.0.0.1:PORT EMAIL PASSWORD [SCREENSHOT_DIR]
// With SCREENSHOT_DIR, the README's screenshots are written there.
import { readFile } from 'node:fs/promises';
import { axeScan, check, describedByError, finish, launch, step } from './lib.mjs';

const [BASE, EMAIL, PASSWORD, SHOTS] = process.argv.slice(2);
if (!/^https?:\/\/[^/]+/.test(BASE ?? '') || !EMAIL || !PASSWORD) {
  console.error('usage: node tests/e2e/editor.mjs http://127.0.0.1:PORT EMAIL PASSWORD [SCREENSHOT_DIR]');
  process.exit(1);
}
const CAMPAIGN = '/admin/campaigns/cyber-ready';
const SURVEY = `${CAMPAIGN}/surveys/guide-feedback`;

const browser = await launch();
// bypassCSP lets axe be injected; the editor's pages use no script of their own.
const context = await browser.newContext({ bypassCSP: true, acceptDownloads: true, viewport: { width: 1280, height: 900 } });
const page = await context.newPage();
page.setDefaultTimeout(10000);
const path = () => new URL(page.url()).pathname;

/** Waits for the navigation `action` starts; returns its response. */
async function navigating(action) {
  const [response] = await Promise.all([page.waitForNavigation(), action()]);
  return response;
}

async function shot(name) {
  if (!SHOTS) return;
  const height = Math.min(1800, await page.evaluate(() => document.documentElement.scrollHeight));
  await page.screenshot({ path: `${SHOTS}/${name}.png`, clip: { x: 0, y: 0, width: 1280, height }, fullPage: true });
}

async function save(label = 'Save to the draft') {
  const response = await navigating(() => page.getByRole('button', { name: label, exact: true }).click());
  check(`"${label}" is accepted (${response?.status()})`, response?.status() === 200 && !(await page.$('.error-summary')),
    await page.locator('.error-summary').textContent().catch(() => ''));
}

const answers = {}; // reference by version

try {
  console.log(`e2e-editor against ${BASE} as ${EMAIL}`);
  await step('1. Sign in and create a campaign with the keyboard', async () => {
    await page.goto(`${BASE}/admin/login`);
    await page.fill('#email', EMAIL);
    await page.fill('#password', PASSWORD);
    await navigating(() => page.click('#submit'));
    await page.goto(`${BASE}/admin/campaigns`);
    check('the Campaigns page is in the navigation', await page.getByRole('link', { name: 'Campaigns' }).getAttribute('aria-current') === 'page');
    await axeScan(page, 'campaigns list');
    await shot('campaigns');
    await page.getByRole('link', { name: 'Create a campaign' }).focus();
    await navigating(() => page.keyboard.press('Enter'));
    check('Enter on "Create a campaign" opens its form', path() === '/admin/campaigns/new', path());
    await navigating(() => page.getByRole('button', { name: 'Create the campaign' }).click());
    await describedByError(page, 'title', 'Enter a title');
    await axeScan(page, 'new campaign with errors');
    await page.focus('#title');
    await page.keyboard.type('Cyber ready');
    await page.keyboard.press('Tab');
    check('Tab moves from the title to the address', await page.evaluate(() => document.activeElement.id) === 'slug');
    await page.keyboard.type('cyber-ready');
    await navigating(() => page.keyboard.press('Enter'));
    check('Enter creates the draft and opens it', path() === CAMPAIGN, path());
    check('it says it is not yet published', await page.getByText('Not yet published').first().isVisible());
  });

  await step('2. A workstream, a resource and a survey', async () => {
    await page.getByRole('link', { name: 'Add a workstream' }).click();
    await axeScan(page, 'workstream form');
    await page.fill('#name', 'Supplier policy');
    await page.fill('#key', 'supplier');
    await save();
    await page.getByRole('link', { name: 'Add a resource' }).click();
    await page.fill('#title', 'Readiness guide');
    await page.fill('#key', 'guide');
    await page.fill('#url', 'https://example.gov.uk/guide');
    await page.getByLabel('Supplier policy').check();
    await axeScan(page, 'resource form');
    await save();
    await page.getByRole('link', { name: 'Add a survey' }).click();
    await page.fill('#title', 'Feedback on the guide');
    await page.fill('#slug', 'guide-feedback');
    await page.selectOption('#resource', 'guide');
    await axeScan(page, 'new survey form');
    await save('Add the survey');
    check('the survey page asks for questions', path() === SURVEY && await page.getByText('Now add its questions').isVisible());
  });

  await step('3. Three kinds of question, then reordered', async () => {
    const add = async (kind, fill) => {
      await page.goto(`${BASE}${SURVEY}`);
      await page.getByRole('link', { name: 'Add a question' }).click();
      await page.getByLabel(kind, { exact: true }).check();
      await navigating(() => page.getByRole('button', { name: 'Continue' }).click());
      await fill();
      await save();
    };
    await add('Rating from 1 to 5', async () => {
      await axeScan(page, 'question kinds');
      await page.fill('#text', 'How useful was the guide?');
      await page.fill('#key', 'useful');
      await page.fill('#low_label', 'Not useful');
      await page.fill('#high_label', 'Very useful');
    });
    await add('One choice from a list', async () => {
      await page.fill('#text', 'What is your role?');
      await page.fill('#key', 'role');
      await page.fill('#option-0-label', 'Council officer');
      await navigating(() => page.getByRole('button', { name: 'Save to the draft' }).click());
      await describedByError(page, 'option-1-label', 'Give at least two options');
      await axeScan(page, 'question form with errors');
      check('the first option got a code from its label', (await page.inputValue('#option-0-value')) === 'council_officer');
      await page.fill('#option-1-label', 'Councillor');
      await navigating(() => page.getByRole('button', { name: /^Add 5 more option rows/ }).click());
      check('"Add 5 more option rows" keeps what was typed and adds rows',
        (await page.inputValue('#option-1-label')) === 'Councillor' && (await page.$('#option-7-label')) !== null);
      await shot('question');
    });
    await add('Long text', async () => {
      await page.fill('#text', 'What is missing?');
      await page.fill('#key', 'missing');
      await page.getByLabel('Respondents must answer it').uncheck();
    });
    const order = () => page.$$eval('table code', (codes) => codes.map((c) => c.textContent));
    check('three questions in the order added', (await order()).join() === 'useful,role,missing', (await order()).join());
    await page.getByRole('button', { name: 'Move up What is missing?' }).focus();
    await navigating(() => page.keyboard.press('Enter'));
    check('"Move up" with the keyboard moves it', (await order()).join() === 'useful,missing,role', (await order()).join());
    await axeScan(page, 'survey page');
    await shot('survey');
  });

  await step('4. Preview, errors included, nothing stored', async () => {
    await page.getByRole('link', { name: 'Preview the survey' }).click();
    check('the preview says so', await page.getByText('Preview of the draft.').isVisible());
    check('it shows the question as respondents will', await page.getByText('How useful was the guide?').isVisible());
    await axeScan(page, 'preview');
    await navigating(() => page.click('#submit'));
    check('sending nothing shows the errors', await page.getByRole('heading', { name: 'There is a problem' }).isVisible());
    await page.check('input[name=useful][value="4"]');
    await page.check('input[name=role][value="council_officer"]');
    await navigating(() => page.click('#submit'));
    check('sending answers says they would be accepted', await page.getByRole('heading', { name: 'These answers would be accepted' }).isVisible());
    await shot('preview');
  });

  const publish = async () => {
    await page.goto(`${BASE}${CAMPAIGN}`);
    await page.getByRole('link', { name: 'Review and publish' }).click();
    await axeScan(page, 'publish review');
    await shot('publish');
    await navigating(() => page.getByRole('button', { name: 'Publish now' }).click());
    check('it is published', await page.getByText('was published: respondents see it now').isVisible());
  };

  const respond = async (version) => {
    const respondent = await browser.newContext();
    const form = await respondent.newPage();
    await form.goto(`${BASE}/surveys/guide-feedback`);
    await form.check('input[name=useful][value="5"]');
    await form.check('input[name=role][value="councillor"]');
    await form.fill('#missing', `Worked examples, please (version ${version})`);
    await Promise.all([form.waitForURL(/\/thanks/), form.click('#submit')]);
    answers[version] = (await form.locator('.reference').textContent()).trim();
    check(`a respondent's answer is stored (${answers[version]})`, /^[A-Z0-9]{8}$/.test(answers[version]));
    await respondent.close();
  };

  await step('5. Publish, then a respondent answers', async () => {
    await publish();
    await shot('campaign');
    await respond(1);
  });

  await step('6. The answer is in the results and the CSV', async () => {
    await page.goto(`${BASE}/admin/surveys/guide-feedback`);
    check('results: 1 response matches', (await page.locator('p', { hasText: 'responses match' }).locator('strong').textContent()).trim() === '1');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download these responses as CSV' }).click()]);
    const csv = await readFile(await download.path(), 'utf8');
    check('the CSV holds the response', csv.includes(answers[1]) && csv.includes('Worked examples, please (version 1)'));
  });

  await step('7. Reword a question: a new version, the old response keeps its own', async () => {
    await page.goto(`${BASE}${SURVEY}`);
    await page.getByRole('link', { name: /^How useful was the guide\?.*change$/ }).click();
    check('a published key stays', await page.getByText('(published, so it stays)').isVisible());
    await page.fill('#text', 'How useful is the guide for your council?');
    await save();
    await page.goto(`${BASE}${CAMPAIGN}/publish`);
    check('the review names the new version', await page.getByText('its questions become version 2').isVisible());
    await publish();
    await respond(2);
    for (const version of [1, 2]) {
      await page.goto(`${BASE}/admin/responses/${answers[version]}`);
      check(`response ${answers[version]} is on version ${version}`, await page.getByText(`Feedback on the guide, version ${version}`).isVisible());
    }
  });

  await step('8. The other editor pages pass axe', async () => {
    for (const [where, label] of [
      [CAMPAIGN, 'campaign page'], [`${CAMPAIGN}/details`, 'details form'],
      [`${CAMPAIGN}/workstreams/supplier`, 'workstream form (published)'], ['/admin/campaigns/upload', 'upload form'],
    ]) {
      await page.goto(`${BASE}${where}`);
      await axeScan(page, label);
    }
    await page.goto(`${BASE}${CAMPAIGN}/details`);
    await page.fill('#closes_on', '2020-01-01');
    await page.fill('#opens_on', '2021-01-01');
    await navigating(() => page.getByRole('button', { name: 'Save to the draft' }).click());
    await describedByError(page, 'closes_on', 'The closing day must be on or after the opening day');
    await axeScan(page, 'details form with errors');
    await page.fill('#closes_on', '');
    await page.fill('#opens_on', '');
    await page.fill('#description', 'A change to discard.');
    await save();
    await page.goto(`${BASE}${SURVEY}`);
    await page.getByRole('link', { name: /^How useful is the guide for your council\?.*change$/ }).click();
    await page.selectOption('#kind', 'text');
    await navigating(() => page.getByRole('button', { name: 'Save to the draft' }).click());
    await describedByError(page, 'kind', 'so its kind cannot change');
    await page.goto(`${BASE}${CAMPAIGN}/discard`);
    await axeScan(page, 'discard confirmation');
    await navigating(() => page.getByRole('button', { name: 'Yes, discard the draft' }).click());
    check('discarding leaves the published campaign', await page.getByText('The draft was discarded').isVisible());
  });
} finally {
  await browser.close();
}
finish('e2e-editor');
