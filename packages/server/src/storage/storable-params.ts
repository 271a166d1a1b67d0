import { toStorableParam } from '@agentd/core';
import type { SqlParam } from './database.js';

/**
 * Every statement's parameters made storable, for both engines: the one place
 * text from users, models and tools is written, so no route or repository has
 * to remember it. NUL and unpaired surrogates become U+FFFD (in serialised
 * JSON too); an id or cursor holding one then simply matches nothing.
 */
export function storableParams(params: readonly SqlParam[]): readonly SqlParam[] {
  let copy: SqlParam[] | undefined;
  for (let i = 0; i < params.length; i += 1) {
    const param = params[i];
    if (typeof param !== 'string') continue;
    const storable = toStorableParam(param);
    if (storable !== param) {
      copy ??= params.slice();
      copy[i] = storable;
    }
  }
  return copy ?? params;
}
