// A real browser for the HTML pages: Debian's chromium (which .ci/run installs), driven by
// puppeteer-core. Pages open from file:// with JavaScript off unless a test turns it on.
import { execFileSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { PNG } from 'pngjs';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

function chromiumPath(): string {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) return fromEnv;
  try {
    return execFileSync('sh', ['-c', 'command -v chromium || command -v chromium-browser'], { encoding: 'utf8' }).trim().split('\n')[0]!;
  } catch {
    throw new Error('The HTML tests need chromium: `apt-get install -y chromium` (as .ci/run does), or set CHROMIUM_PATH.');
  }
}

export async function launchBrowser(): Promise<Browser> {
  return puppeteer.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
  });
}

export interface OpenOptions {
  javascript?: boolean;
  width?: number;
  height?: number;
}

/** Opens a file as a user would; collects the requests the page makes beyond its own file. */
export async function openPage(browser: Browser, file: string, { javascript = false, width = 1280, height = 900 }: OpenOptions = {}) {
  const page = await browser.newPage();
  await page.setJavaScriptEnabled(javascript);
  await page.setViewport({ width, height });
  const url = pathToFileURL(file).href;
  const requests: string[] = [];
  page.on('request', (request) => {
    if (request.url() !== url) requests.push(request.url());
  });
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.goto(url, { waitUntil: 'load' });
  return { page, requests, dialogs };
}

export interface Screenshot {
  width: number;
  height: number;
  /** Share of pixels that differ from the top-left one (the background). */
  inkShare: number;
  png: Buffer;
}

/** A screenshot of the viewport, decoded. */
export async function screenshot(page: Page): Promise<Screenshot> {
  const png = Buffer.from(await page.screenshot({ type: 'png' }));
  const image = PNG.sync.read(png);
  const { data, width, height } = image;
  let ink = 0;
  for (let i = 0; i < data.length; i += 4) {
    if (data[i] !== data[0] || data[i + 1] !== data[1] || data[i + 2] !== data[2]) ink++;
  }
  return { width, height, inkShare: ink / (width * height), png };
}
