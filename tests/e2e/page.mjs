// One page in headless Chromium: its heading shows and axe-core finds no
// WCAG 2.2 AA violation.
//
// Run: node tests/e2e/page.mjs URL "HEADING"
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const AXE_PATH = require.resolve('axe-core');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const [url, heading] = process.argv.slice(2);
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
  const page = await (await browser.newContext({ bypassCSP: true })).newPage();
  await page.goto(url);
  check(`heading "${heading}"`, await page.getByRole('heading', { level: 1, name: heading }).isVisible());
  await page.addScriptTag({ path: AXE_PATH });
  const result = await page.evaluate((tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags } }), AXE_TAGS);
  check(`axe: no WCAG 2.2 AA violations (${result.passes.length} rules passed)`, result.violations.length === 0,
    result.violations.map((v) => `${v.id}: ${v.help}`).join('; '));
} finally {
  await browser.close();
}
console.log(`\ne2e-page: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
