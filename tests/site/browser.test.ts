/**
 * The knowledge base in a real browser: builds the fixture catalog with the real build command
 * (`npm run build`), serves it over HTTP and drives Debian's chromium with playwright-core.
 * Screenshots go to test-results/screenshots/ (CI uploads them as an artifact).
 *
 * Needs /usr/bin/chromium (`apt-get install chromium`; `.ci/run` installs it). Without it the suite
 * is skipped locally with a message, and fails when `CI` is set.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = join(dirname(fileURLToPath(import.meta.url)), '../..');
const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
const inCI = Boolean(process.env['CI']);
const screenshots = join(repo, 'test-results/screenshots');

if (!haveChromium && !inCI)
  console.warn(`browser test skipped: ${CHROMIUM} is missing (apt-get install chromium; CI fails without it)`);

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.yml': 'text/yaml; charset=utf-8',
};

/** A static file server for the built site: directory index.html, 404.html for misses. */
function serve(root: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    let file = normalize(join(root, path));
    if (file !== root && !file.startsWith(root + sep)) {
      res.writeHead(403).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    const found = existsSync(file) && statSync(file).isFile();
    if (!found) file = join(root, '404.html');
    res.writeHead(found ? 200 : 404, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-store',
    });
    res.end(readFileSync(file));
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
    ),
  );
}

describe.skipIf(!haveChromium && !inCI)('the knowledge base in a browser', { timeout: 60_000 }, () => {
  let out = '';
  let server: Server | undefined;
  let site = '';
  let browser: Browser | undefined;
  /** Every page error and dialog seen in any page: the catalog's own scripts must not throw either. */
  const pageErrors: string[] = [];
  const dialogs: string[] = [];

  beforeAll(async () => {
    if (!haveChromium) throw new Error(`${CHROMIUM} is missing: CI must install Debian's chromium (see .ci/run)`);
    out = mkdtempSync(join(tmpdir(), 'loom-site-'));
    try {
      await promisify(execFile)('npm', ['run', 'build'], {
        cwd: repo,
        env: { ...process.env, LOOM_DETECTIONS: 'tests/fixtures/site-catalog', LOOM_OUT: out },
        maxBuffer: 64 * 1024 * 1024,
      });
    } catch (error) {
      const e = error as { stdout?: string; stderr?: string; message: string };
      throw new Error(`npm run build failed:\n${e.stdout ?? ''}\n${e.stderr ?? e.message}`, { cause: error });
    }
    ({ server, url: site } = await serve(join(out, 'site')));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-quic',
        '--no-first-run',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    mkdirSync(screenshots, { recursive: true });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    if (out) rmSync(out, { recursive: true, force: true });
  });

  async function open(
    path: string,
    colorScheme: 'light' | 'dark' = 'light',
  ): Promise<{ ctx: BrowserContext; page: Page }> {
    const ctx = await browser!.newContext({ colorScheme, viewport: { width: 1280, height: 900 } });
    const page = await ctx.newPage();
    page.on('pageerror', (e) => pageErrors.push(`${path}: ${e.message}`));
    page.on('dialog', (d) => {
      dialogs.push(`${path}: ${d.type()} ${d.message()}`);
      void d.dismiss();
    });
    const response = await page.goto(site + path);
    expect(response?.status(), path).toBe(200);
    return { ctx, page };
  }

  const visibleTitles = (page: Page) =>
    page.locator('#catalog tbody tr:not([hidden]) td:first-child a').allTextContents();

  it('filters and sorts the catalog', async () => {
    const { ctx, page } = await open('/');
    expect(await visibleTitles(page)).toEqual([
      'Encoded PowerShell Fixture',
      'Experimental Curl Pipe Fixture',
      'Hostile Markup Fixture',
      'Legacy Certutil Download Fixture',
    ]);

    await page.selectOption('select[name=status]', 'experimental');
    expect(await visibleTitles(page)).toEqual(['Experimental Curl Pipe Fixture']);
    await expect.poll(() => page.locator('#count').textContent()).toBe('1');
    expect(new URL(page.url()).searchParams.get('status')).toBe('experimental');

    await page.click('button[type=reset]');
    await expect.poll(() => visibleTitles(page)).toHaveLength(4);

    await page.selectOption('select[name=tactic]', 'defense-evasion');
    expect(await visibleTitles(page)).toEqual(['Encoded PowerShell Fixture', 'Hostile Markup Fixture']);
    await page.selectOption('select[name=owner]', 'red-team');
    expect(await visibleTitles(page)).toEqual(['Hostile Markup Fixture']);
    await page.selectOption('select[name=platform]', 'linux');
    expect(await visibleTitles(page)).toEqual([]);
    expect(await page.locator('#empty').isVisible()).toBe(true);

    await page.click('button[type=reset]');
    await page.selectOption('select[name=datasource]', 'Windows Security Event ID 4688');
    await page.selectOption('select[name=severity]', 'medium');
    expect(await visibleTitles(page)).toEqual(['Legacy Certutil Download Fixture']);
    await page.click('button[type=reset]');
    await page.fill('input[name=q]', 'T1105');
    expect(await visibleTitles(page)).toEqual(['Legacy Certutil Download Fixture']);
    await page.click('button[type=reset]');
    await expect.poll(() => visibleTitles(page)).toHaveLength(4);

    const severity = page.locator('th:has(button[data-sort=severity])');
    await severity.locator('button').click();
    expect(await severity.getAttribute('aria-sort')).toBe('ascending');
    expect(await visibleTitles(page)).toEqual([
      'Experimental Curl Pipe Fixture', // low
      'Legacy Certutil Download Fixture', // medium
      'Encoded PowerShell Fixture', // high
      'Hostile Markup Fixture', // critical
    ]);
    await severity.locator('button').click();
    expect(await severity.getAttribute('aria-sort')).toBe('descending');
    expect((await visibleTitles(page))[0]).toBe('Hostile Markup Fixture');
    expect(await page.locator('th[aria-sort]').count()).toBe(1);

    // Filters survive a reload through the URL (the matrix links to ?technique=…).
    await page.goto(`${site}/?technique=T1059`);
    expect(await visibleTitles(page)).toEqual(['Encoded PowerShell Fixture', 'Experimental Curl Pipe Fixture']);
    await ctx.close();
  });

  it('searches the full text with Pagefind', async () => {
    const { ctx, page } = await open('/');
    const box = page.locator('#search input.pagefind-ui__search-input');
    await box.fill('certutil');
    const result = page.locator('.pagefind-ui__result-link').first();
    await expect.poll(() => result.textContent(), { timeout: 15_000 }).toBe('Legacy Certutil Download Fixture');
    await result.click();
    await page.waitForURL(/\/detections\/windows\/legacy-certutil-download-fixture\/$/);
    expect(await page.locator('h1').textContent()).toBe('Legacy Certutil Download Fixture');
    await ctx.close();
  });

  it('copies a query to the clipboard', async () => {
    const { ctx, page } = await open('/detections/windows/encoded-powershell-fixture/');
    await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: site });
    const figure = page.locator('figure.block-spl').first();
    const expected = await figure.locator('pre').textContent();
    expect(expected).toMatch(/EncodedCommand|-enc/i);
    const button = figure.getByRole('button', { name: /copy/i });
    await button.click();
    await expect.poll(() => button.textContent()).toBe('Copied');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(expected);
    await ctx.close();
  });

  it('shows the ATT&CK matrix, linked to the detections', async () => {
    const { ctx, page } = await open('/attack/');
    for (const [id, titles] of [
      ['T1059', ['Encoded PowerShell Fixture', 'Experimental Curl Pipe Fixture']],
      ['T1027', ['Encoded PowerShell Fixture']],
      ['T1105', ['Legacy Certutil Download Fixture']],
      ['T1218', ['Hostile Markup Fixture']],
    ] as const) {
      const cell = page.locator(`li.cell[data-technique="${id}"]`).first();
      expect(await cell.getAttribute('class'), id).toMatch(/level-[1-9]/);
      expect(await cell.locator('.cell-detections a').allTextContents(), id).toEqual(titles);
      expect(await cell.locator('a').first().getAttribute('href')).toBe(`/?technique=${id}`);
    }
    const cell = page.locator('li.cell[data-technique="T1105"]').first();
    await cell.hover();
    await cell.locator('.cell-detections a').click();
    await page.waitForURL(/\/detections\/windows\/legacy-certutil-download-fixture\/$/);
    await ctx.close();
  });

  it('runs no script from a hostile detection', async () => {
    const path = '/detections/windows/hostile-markup-fixture/';
    const { ctx, page } = await open(path);
    await page.waitForLoadState('load');
    const goal = page.locator('section.ads-goal');
    expect(await goal.textContent()).toContain('Detect rundll32 abuse.');
    expect(await goal.locator('script, iframe, svg, object, embed, style, form, button, details').count()).toBe(0);
    const live = await page.locator('main').evaluate((main) => ({
      scripts: main.querySelectorAll('script').length,
      handlers: [...main.querySelectorAll('*')].flatMap((el) =>
        el.getAttributeNames().filter((a) => a.toLowerCase().startsWith('on')),
      ),
      badUrls: [...main.querySelectorAll('[href], [src], [action], [formaction]')]
        .flatMap((el) => ['href', 'src', 'action', 'formaction'].map((a) => el.getAttribute(a) ?? ''))
        .filter((u) => /^\s*(javascript|vbscript|data):/i.test(u)),
    }));
    expect(live).toEqual({ scripts: 0, handlers: [], badUrls: [] });

    await goal.getByText('click me').click();
    await goal.getByText('raw link').click();
    await goal.getByText('data link').click();
    await page.waitForTimeout(300);
    expect(page.url()).toBe(site + path);
    expect(await page.evaluate(() => (window as unknown as { __loomPwned?: unknown }).__loomPwned)).toBeUndefined();
    expect(await page.title()).toBe('Hostile Markup Fixture · Loom');
    expect(dialogs).toEqual([]);
    expect(pageErrors).toEqual([]);
    await ctx.close();
  });

  it('has landmarks and a keyboard path to the search box and links', async () => {
    const { ctx, page } = await open('/');
    expect(await page.getByRole('banner').count()).toBe(1);
    expect(await page.getByRole('navigation', { name: 'Main' }).count()).toBe(1);
    expect(await page.getByRole('main').count()).toBe(1);
    await page.locator('#search input').waitFor();
    // One search landmark: Pagefind's form (the placeholder it fills carries no role of its own).
    expect(await page.getByRole('search').count()).toBe(1);

    const reached: string[] = [];
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('Tab');
      reached.push(
        await page.evaluate(() => {
          const el = document.activeElement as HTMLElement;
          const where = el.closest('nav') ? 'nav ' : el.closest('#search') ? 'search ' : '';
          return `${where}${el.tagName.toLowerCase()} ${el.textContent?.trim() || el.getAttribute('placeholder') || ''}`;
        }),
      );
    }
    expect(reached[0]).toBe('a Skip to content');
    expect(reached).toContain('nav a ATT&CK coverage');
    expect(reached.some((r) => r.startsWith('search input'))).toBe(true);
    expect(reached).toContain('input Title, id, technique…');

    // The skip link moves focus to the main content.
    await page.goto(site + '/');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    await ctx.close();
  });

  it('fits a 375 px phone without sideways scrolling', async () => {
    for (const path of ['/', '/detections/windows/encoded-powershell-fixture/', '/authoring/']) {
      const ctx = await browser!.newContext({ viewport: { width: 375, height: 800 } });
      const page = await ctx.newPage();
      await page.goto(site + path);
      expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(375);
      await ctx.close();
    }
  });

  it('themes the Pagefind search box for dark mode', async () => {
    const { ctx, page } = await open('/', 'dark');
    const box = page.locator('#search input');
    await box.waitFor();
    expect(await box.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(13, 17, 23)');
    await ctx.close();
  });

  it('saves screenshots in light and dark mode', async () => {
    const pages = {
      index: '/',
      detection: '/detections/windows/encoded-powershell-fixture/',
      matrix: '/attack/',
    };
    const backgrounds: Record<string, string> = {};
    for (const scheme of ['light', 'dark'] as const) {
      for (const [name, path] of Object.entries(pages)) {
        const { ctx, page } = await open(path, scheme);
        if (name === 'index') await page.locator('#search input').waitFor();
        backgrounds[scheme] = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
        const file = join(screenshots, `${name}-${scheme}.png`);
        await page.screenshot({ path: file, fullPage: true });
        expect(statSync(file).size).toBeGreaterThan(1000);
        await ctx.close();
      }
    }
    expect(backgrounds).toEqual({ light: 'rgb(255, 255, 255)', dark: 'rgb(13, 17, 23)' });
  });
});
