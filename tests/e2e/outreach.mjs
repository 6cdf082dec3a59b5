// Outreach in headless Chromium: a council officer follows the personal
// link of an invitation email and finds their council chosen, sends the
// survey, and unsubscribes; a reader of the campaign's own site (another
// port) answers the embedded "Was this useful?" with No, then says what
// was missing; axe-core on every page met. No cookie is set by any of it.
//
// Run against a server with the default campaign and EMBED_ORIGINS naming SITE:
//   node tests/e2e/outreach.mjs http://127.0.0.1:PORT /i/TOKEN http://127.0.0.1:SITE_PORT
import { axeScan, check, finish, launch, step } from './lib.mjs';

const [BASE, LINK, SITE] = process.argv.slice(2).map((a) => (a || '').replace(/\/$/, ''));
if (!/^https?:\/\/[^/]+/.test(BASE) || !LINK?.startsWith('/i/') || !/^https?:\/\//.test(SITE)) {
  console.error('usage: node tests/e2e/outreach.mjs http://127.0.0.1:PORT /i/TOKEN http://127.0.0.1:SITE_PORT');
  process.exit(1);
}
const TOKEN = LINK.slice('/i/'.length);

const browser = await launch();
const context = await browser.newContext({ bypassCSP: true });
const page = await context.newPage();
page.setDefaultTimeout(10000);

try {
  console.log(`e2e-outreach against ${BASE}, campaign site ${SITE}`);
  await step('1. The invitation link opens the campaign with the council chosen', async () => {
    const response = await page.goto(`${BASE}${LINK}`);
    check('the link lands on the campaign page', new URL(page.url()).pathname === '/' && response?.status() === 200, page.url());
    check('the page names the council', await page.getByText('You are giving feedback for City of Bradford Metropolitan District Council').isVisible());
    await axeScan(page, 'the campaign page from an invitation');
    await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Give feedback on Governance' }).click()]);
    check('the survey is open with the council kept in its address', page.url().endsWith('/surveys/governance?council=BRD'), page.url());
    check('"A council" is chosen', await page.isChecked('#organisation-kind-council'));
    check('Bradford is selected', (await page.inputValue('#organisation-council')) === 'BRD');
    await axeScan(page, 'the survey with the council chosen');
    for (const id of ['role-other', 'usefulness-5', 'ease-2', 'ncsc_principles-no', 'recommend-10']) await page.check(`#${id}`);
    await Promise.all([page.waitForURL(/\/thanks\?ref=/), page.click('#submit')]);
    check('the response is sent', await page.getByRole('heading', { name: 'Feedback sent' }).isVisible());
    console.log(`reference: ${new URL(page.url()).searchParams.get('ref')}`);
  });

  await step('2. Unsubscribing takes one button', async () => {
    await page.goto(`${BASE}/unsubscribe/${TOKEN}`);
    check('the page says what it stops', await page.getByText('Press the button and we will send no more invitations or reminders about Secure Connected Places Playbook to asha.khan@bradford.gov.uk.').isVisible());
    await axeScan(page, 'the unsubscribe page');
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Stop these emails' }).click()]);
    check('it is done at once', await page.getByRole('heading', { name: 'You will get no more emails about this campaign' }).isVisible());
    await axeScan(page, 'the unsubscribed page');
  });

  await step('3. "Was this useful?" on the campaign\'s own site: No, then what was missing', async () => {
    await page.goto(SITE);
    check('the campaign\'s page shows the question', await page.getByRole('group', { name: 'Was this page useful?' }).isVisible());
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'No' }).click()]);
    check('"No" leads to the follow-up on the service', page.url().startsWith(`${BASE}/e/governance-page/more?t=`), page.url());
    check('it asks what was missing', await page.getByRole('textbox', { name: 'What was missing, or what should change?' }).isVisible());
    await axeScan(page, 'the follow-up question');
    await page.fill('#missing', 'A checklist for CCTV procurement');
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Send' }).click()]);
    check('thanks', await page.getByRole('heading', { name: 'Thank you for your feedback' }).isVisible());
    await axeScan(page, 'the thanks page');
  });

  await step('4. "Yes" from the campaign\'s site, and no cookie anywhere', async () => {
    await page.goto(SITE);
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Yes' }).click()]);
    check('"Yes" thanks at once', page.url() === `${BASE}/e/governance-page/thanks`, page.url());
    const cookies = await context.cookies(BASE);
    check('the service set no cookie', cookies.length === 0, JSON.stringify(cookies));
  });
} finally {
  await browser.close();
}
finish('e2e-outreach');
