// A survey that closed while someone filled it in, in headless Chromium:
// their answers come back on the page, in words, and the page passes axe.
//
// Run: node tests/e2e/closed.mjs http://127.0.0.1:PORT
// against a server whose governance survey is closed. The form is sent
// from a page of the site (as a browser that opened it before it closed
// would send it).
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const AXE_PATH = require.resolve('axe-core');
const BASE = (process.argv[2] || '').replace(/\/$/, '');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
let passed = 0;
let failed = 0;
function check(name, ok, detail = '') {
  if (ok) { passed += 1; console.log(`  ok    ${name}`); return; }
  failed += 1;
  console.log(`  FAIL  ${name}${detail ? `: ${detail}` : ''}`);
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  await page.goto(`${BASE}/`);
  // The form as it was when opened, filled in, sent after the survey closed.
  await page.evaluate(() => {
    const form = document.createElement('form');
    form.method = 'post';
    form.action = '/surveys/governance';
    const fields = [['form_token', 'opened-before-it-closed'], ['organisation', 'council'],
      ['organisation-council', 'MTY'], ['role', 'procurement'], ['usefulness', '4'],
      ['missing', 'A worked example of a CCTV contract\nwith the clauses we used.']];
    for (const [name, value] of fields) {
      const input = document.createElement('textarea');
      input.name = name;
      input.value = value;
      form.append(input);
    }
    document.body.append(form);
    form.submit();
  });
  await page.waitForLoadState();
  const inset = (await page.textContent('.inset'))?.trim() ?? '';
  check('the page says the answers were not saved', inset.endsWith('Your answers have not been saved.'), inset);
  check('"What you wrote" is shown', await page.getByRole('heading', { name: 'What you wrote' }).isVisible());
  const answers = await page.$$eval('.summary-list__value', (dd) => dd.map((d) => d.textContent.trim()));
  check('the council by the name people use', answers.includes('Merthyr Tydfil (Merthyr Tydfil County Borough Council)'), JSON.stringify(answers));
  check('the score out of its scale', answers.includes('4 out of 5'), JSON.stringify(answers));
  check('the role in words', answers.includes('Procurement'), JSON.stringify(answers));
  check('the text kept, line break and all',
    answers.includes('A worked example of a CCTV contract\nwith the clauses we used.'), JSON.stringify(answers));
  check('no form to send them again', (await page.$('form[action="/surveys/governance"]')) === null);
  await page.addScriptTag({ path: AXE_PATH });
  const result = await page.evaluate((tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags } }), AXE_TAGS);
  check(`axe: no WCAG 2.2 AA violations (${result.passes.length} rules passed)`, result.violations.length === 0,
    result.violations.map((v) => `${v.id}: ${v.help}`).join('; '));
} finally {
  await browser.close();
}
console.log(`\ne2e-closed: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
