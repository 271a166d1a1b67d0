import { isKnownScope, knownScopes, scopeCovers, scopesAllow, scopesWithin } from '@agentd/spec/wire';
import { describe, expect, it } from 'vitest';

const key = { tenantId: 't', subject: 'k', method: 'api_key' as const, role: 'admin' as const };

describe('scopes', () => {
  it('covers read with write, everything of a resource with admin, nothing across resources', () => {
    expect(scopeCovers('agents:read', 'agents:read')).toBe(true);
    expect(scopeCovers('agents:read', 'agents:write')).toBe(false);
    expect(scopeCovers('agents:write', 'agents:read')).toBe(true);
    expect(scopeCovers('tools:admin', 'tools:write')).toBe(true);
    expect(scopeCovers('api_keys:admin', 'api_keys:manage')).toBe(true);
    expect(scopeCovers('api_keys:write', 'api_keys:manage')).toBe(false);
    expect(scopeCovers('tools:admin', 'agents:read')).toBe(false);
  });

  it('allows everything without scopes, /v1/me always, and otherwise only what a scope covers', () => {
    expect(scopesAllow(key, 'secrets:write')).toBe(true);
    const scoped = { ...key, scopes: ['responses:write'] };
    expect(scopesAllow(scoped, 'self:read')).toBe(true);
    expect(scopesAllow(scoped, 'responses:read')).toBe(true);
    expect(scopesAllow(scoped, 'tools:read')).toBe(false);
    expect(scopesAllow({ ...key, scopes: [] }, 'agents:read')).toBe(false);
  });

  it('lists only scopes that cover some permission', () => {
    const scopes = knownScopes();
    expect(scopes).toContain('responses:write');
    expect(scopes).toContain('tools:admin');
    expect(scopes).toContain('api_keys:admin');
    expect(scopes).not.toContain('api_keys:read');
    expect(scopes).not.toContain('self:read');
    expect(isKnownScope('agents:fly')).toBe(false);
  });

  it('tells whether wanted scopes stay within held ones', () => {
    expect(scopesWithin(['tools:admin'], undefined)).toBe(true);
    expect(scopesWithin(['agents:read'], ['agents:write'])).toBe(true);
    expect(scopesWithin(['agents:write'], ['agents:read'])).toBe(false);
    expect(scopesWithin(['tools:admin'], ['tools:write'])).toBe(true);
    expect(scopesWithin(['api_keys:admin'], ['agents:admin'])).toBe(false);
  });
});
