import puppeteer from 'puppeteer-core';
const [file, out, w = '1280', hgt = '1600'] = process.argv.slice(2);
const browser = await puppeteer.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'], headless: true });
const page = await browser.newPage();
await page.setJavaScriptEnabled(false);
await page.setViewport({ width: Number(w), height: Number(hgt) });
await page.goto('file://' + file);
await page.screenshot({ path: out });
await browser.close();
