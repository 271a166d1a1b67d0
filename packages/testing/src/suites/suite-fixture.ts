import { afterAll, beforeAll } from 'vitest';

/** Anything a fixture starts and must stop: a server, a site, a browser. */
export interface Closable {
  close(): unknown;
}

/** Hands a started resource to the fixture, to be closed after the suite; returns it. */
export type CloseLater = <Resource extends Closable>(resource: Resource) => Resource;

/**
 * What the tests of the calling `describe` share, made by `start` before the
 * first of them (the returned object holds `start`'s members from then on).
 * After the last test, every resource `start` handed to `closeLater` is
 * closed, the last started first; one that fails to close does not keep the
 * others open (the first failure is thrown after all were tried). A `start`
 * that fails half-way closes what it had started all the same.
 */
export function suiteFixture<Fixture extends object>(
  start: (closeLater: CloseLater) => Promise<Fixture>,
  timeoutMs?: number,
): Fixture {
  const fixture = {} as Fixture;
  const started: Closable[] = [];
  beforeAll(async () => {
    Object.assign(
      fixture,
      await start((resource) => {
        started.push(resource);
        return resource;
      }),
    );
  }, timeoutMs);
  afterAll(async () => {
    const failures: unknown[] = [];
    for (const resource of started.splice(0).reverse()) {
      try {
        await resource.close();
      } catch (error) {
        failures.push(error);
      }
    }
    if (failures.length > 0) throw failures[0];
  }, timeoutMs);
  return fixture;
}
