import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WEB_CSP, webUiRoutes } from './web-ui.js';

const dir = mkdtempSync(join(tmpdir(), 'agentd-web-ui-'));
mkdirSync(join(dir, 'assets'));
writeFileSync(join(dir, 'index.html'), '<!doctype html><div id="root"></div>');
writeFileSync(join(dir, 'assets', 'index-Ab12_c.js'), 'export {};');
writeFileSync(join(dir, 'assets', 'index-Zz9.css'), 'body{}');
writeFileSync(join(dir, 'secret.txt'), 'not an asset');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the web UI routes', () => {
  const app = webUiRoutes(dir);

  it('answers each client route with the page, never cached, under a strict CSP', async () => {
    for (const path of [
      '/',
      '/sign-in',
      '/c/conv_123',
      '/console',
      '/console/keys',
      '/console/runs/resp_1',
    ]) {
      const response = await app.request(path);
      expect(response.status, path).toBe(200);
      expect(await response.text()).toContain('<div id="root"></div>');
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(response.headers.get('content-security-policy')).toBe(WEB_CSP);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    }
    expect(WEB_CSP).toContain("script-src 'self'");
    expect(WEB_CSP).toContain("style-src 'self'");
    expect(WEB_CSP).not.toContain('unsafe-inline');
  });

  it('serves hashed assets for a year, with their type', async () => {
    const script = await app.request('/assets/index-Ab12_c.js');
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await script.text()).toBe('export {};');
    const style = await app.request('/assets/index-Zz9.css');
    expect(style.headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('leaves everything else to the API: unknown paths, missing assets, escapes', async () => {
    for (const path of [
      '/v1/nothing',
      '/nothing',
      '/secret.txt',
      '/assets/missing-1.js',
      '/assets/..%2Fsecret.txt',
      '/assets/../secret.txt',
      '/c',
    ]) {
      expect((await app.request(path)).status, path).toBe(404);
      expect((await app.request(path)).headers.get('content-type') ?? '', path).not.toContain('text/html');
    }
  });

  it('says how to build the UI when the directory holds none', async () => {
    const response = await webUiRoutes(join(dir, 'missing')).request('/');
    expect(response.status).toBe(404);
    const page = await response.text();
    expect(page).toContain('The web UI is not built');
    expect(page).toContain('npm start');
    expect(page).toContain('AGENTD_WEB_DIR');
  });
});
