// How wide an email's HTML part lays out in headless Chromium, as a mail
// client's reading pane would show it.
//
// Run: node tests/e2e/email.mjs FILE.html WIDTH
// Prints `width: N` (the page's scroll width in CSS pixels) at a viewport
// WIDTH pixels wide; the page is opened from the file, with no network.
import { chromium } from 'playwright-core';
import { pathToFileURL } from 'node:url';

const [file, width] = process.argv.slice(2);
if (!file || !width) {
  console.error('usage: node tests/e2e/email.mjs FILE.html WIDTH');
  process.exit(1);
}
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage({ viewport: { width: Number(width), height: 800 } });
  await page.goto(pathToFileURL(file).href);
  const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
  console.log(`width: ${scroll}`);
} finally {
  await browser.close();
}
