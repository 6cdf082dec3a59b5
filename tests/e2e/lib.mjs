// What the browser checks share: Debian's Chromium, named checks that stop
// their step when they fail, axe-core scans and the GOV.UK error pattern.
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url); // resolves from tests/e2e/node_modules
const AXE_PATH = require.resolve('axe-core');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

export const tally = { passed: 0, failed: 0 };
class CheckFailed extends Error {}

/** Records one named check; a failed one stops the rest of its step. */
export function check(name, ok, detail = '') {
  if (ok) {
    tally.passed += 1;
    console.log(`  ok    ${name}`);
    return;
  }
  tally.failed += 1;
  console.log(`  FAIL  ${name}${detail ? `: ${detail}` : ''}`);
  throw new CheckFailed(name);
}

/** Runs one titled step; returns whether it passed. */
export async function step(title, body) {
  console.log(`\n${title}`);
  const before = tally.failed;
  try {
    await body();
  } catch (e) {
    if (e instanceof CheckFailed) {
      console.log(`  (rest of this step skipped after the failed check "${e.message}")`);
    } else {
      tally.failed += 1;
      console.log(`  FAIL  ${title}: unexpected error: ${e.message.split('\n').slice(0, 4).join('\n        ')}`);
    }
  }
  return tally.failed === before;
}

/** Debian's Chromium, headless; never a downloaded browser. */
export function launch() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** axe-core on the page (its context must bypass CSP to inject the script). */
export async function axeScan(page, label) {
  await page.addScriptTag({ path: AXE_PATH });
  const result = await page.evaluate((tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags } }), AXE_TAGS);
  const detail = result.violations
    .map((v) => `\n        ${v.id} (${v.impact}) ${v.help}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`)
    .join('');
  check(`axe: ${label} has no WCAG 2.2 AA violations (${result.passes.length} rules passed)`, result.violations.length === 0, detail);
}

/** After a rejected form: the error summary links to `#id`, and the field is
 *  described by its own error message containing `text`. */
export async function describedByError(page, id, text, title = 'There is a problem') {
  check('the error summary shows', await page.getByRole('heading', { name: title }).isVisible());
  check(`the summary links to #${id}`, (await page.$(`.error-summary__list a[href="#${id}"]`)) !== null);
  const described = await page.evaluate((field) => {
    const el = document.getElementById(field);
    return (el?.getAttribute('aria-describedby') ?? '').split(/\s+/)
      .map((d) => document.getElementById(d))
      .filter((d) => d?.classList.contains('error-message'))
      .map((d) => d.textContent.trim())
      .join(' ');
  }, id);
  const prefix = title === 'There is a problem' ? 'Error:' : 'Gwall:';
  check(`#${id} is described by its error message`, described.includes(text) && described.startsWith(prefix), `"${described}"`);
}

/** Prints the tally and exits non-zero if anything failed. */
export function finish(name) {
  console.log(`\n${name}: ${tally.passed} passed, ${tally.failed} failed`);
  process.exit(tally.failed > 0 ? 1 : 0);
}
