import { type OidcLoginProvider, startOidcLoginProvider } from '@agentd/testing';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, openPage, PHONE, screenshot } from './support/browser.js';
import { startWebStack, type WebStack } from './support/web-stack.js';

/** What the page keeps in its browser storage, by kind. */
const storageOf = (page: Page) =>
  page.evaluate(() => ({
    local: Object.fromEntries(Object.entries(localStorage)),
    session: Object.fromEntries(Object.entries(sessionStorage)),
  }));

// Sign-in through a real (local) OpenID Connect provider, in Debian's Chromium against a real server.
describe('the web UI: signing in through the identity provider', () => {
  let stack: WebStack;
  let idp: OidcLoginProvider;
  let buttonName: string;

  beforeAll(async () => {
    idp = await startOidcLoginProvider({
      clientId: 'agentd-web',
      user: { sub: 'alice', name: 'Alice', roles: ['agentd-admins'] },
    });
    stack = await startWebStack({ env: { AGENTD_OIDC_ALLOW_HTTP: 'on' } });
    idp.redirectUris.push(`${stack.url}/sign-in`);
    const put = await stack.agentd.api.request('PUT', '/v1/tenant/identity_provider', {
      issuer: idp.issuer,
      audience: 'agentd-web',
      role_map: { 'agentd-admins': 'admin' },
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    buttonName = `Sign in with ${new URL(idp.issuer).host}`;
  });
  afterAll(async () => {
    await stack?.close();
    await idp?.close();
  });

  it('signs in with the provider named for the organisation; only a session token is kept, for the tab', async () => {
    const { context, page, cspViolations, pageErrors } = await openPage(stack.browser);
    await page.goto(`${stack.url}/sign-in?tenant=default`);
    const button = page.getByRole('button', { name: buttonName });
    await button.waitFor();
    await expectAccessible(page, 'the sign-in page with single sign-on');
    await screenshot(page, 'sign-in-provider-desktop');
    await button.click();
    // To the provider and back: the chat, signed in as the provider's user.
    await page.getByRole('button', { name: 'New chat' }).waitFor({ timeout: 30_000 });
    expect(idp.tokenRequests).toEqual(['issued']);
    expect(new URL(page.url()).search).toBe('');
    const stored = await storageOf(page);
    const credential = JSON.parse(stored.session['agentd.credential'] ?? '{}');
    expect(credential.bearer).toMatch(/^v4\.public\./);
    expect(credential.expiresAt).toBeGreaterThan(Date.now() / 1000);
    // localStorage holds the organisation's name and nothing of a credential.
    expect(stored.local).toEqual({ 'agentd.oidc.tenant': 'default' });
    const me = await page.evaluate(async (bearer: string) => {
      const response = await fetch('/v1/me', { headers: { authorization: `Bearer ${bearer}` } });
      return response.json();
    }, credential.bearer);
    expect(me).toMatchObject({ method: 'paseto', user: 'alice', role: 'admin' });
    // The sign-in is in the audit log under the provider's user.
    const logins = await stack.agentd.api.get(
      '/v1/audit_events?event_types[]=login.succeeded&actor_ids[]=alice',
    );
    expect(logins.body.data).toHaveLength(1);
    expect(cspViolations).toEqual([]);
    expect(pageErrors).toEqual([]);
    await context.close();
  });

  it('finds the sign-in of an organisation typed in, at phone width; an unknown one is said so', async () => {
    const { context, page, cspViolations } = await openPage(stack.browser, PHONE);
    await page.goto(`${stack.url}/sign-in`);
    const find = page.getByRole('form', { name: "Find your organisation's sign-in" });
    await find.getByLabel('Organisation').fill('no-such-org');
    await find.getByRole('button', { name: 'Find my sign-in' }).click();
    await expect
      .poll(() => page.getByRole('alert').textContent(), { timeout: 20_000 })
      .toContain('No identity provider signs in to “no-such-org”');
    await find.getByLabel('Organisation').fill('default');
    await find.getByRole('button', { name: 'Find my sign-in' }).click();
    await page.getByRole('button', { name: buttonName }).waitFor();
    await expectAccessible(page, 'the sign-in page at phone width');
    await screenshot(page, 'sign-in-provider-phone');
    await page.getByRole('button', { name: buttonName }).click();
    // Back from the provider: the chat (its menu folded at this width), with a session token kept.
    await page.getByRole('button', { name: 'Menu' }).waitFor({ timeout: 30_000 });
    expect((await storageOf(page)).session['agentd.credential']).toContain('v4.public.');
    expect(cspViolations).toEqual([]);
    await context.close();
  });

  it('refuses a return it did not start (a forged state), saying so, and keeps nothing', async () => {
    const { context, page } = await openPage(stack.browser);
    const before = idp.tokenRequests.length;
    await page.goto(`${stack.url}/sign-in?code=forged-code&state=forged-state`);
    await expect
      .poll(() => page.getByRole('alert').first().textContent(), { timeout: 20_000 })
      .toContain('This sign-in was not started in this tab');
    expect(new URL(page.url()).search).toBe('');
    expect((await storageOf(page)).session['agentd.credential']).toBeUndefined();
    expect(idp.tokenRequests.length).toBe(before);
    // The provider saying no is shown in its words.
    await page.goto(`${stack.url}/sign-in?error=access_denied&error_description=The+user+said+no&state=x`);
    await expect
      .poll(() => page.getByRole('alert').first().textContent(), { timeout: 20_000 })
      .toContain('The identity provider did not sign you in: The user said no.');
    await context.close();
  });
});
