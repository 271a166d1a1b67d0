#!/usr/bin/env node
// The mini-stack's HTTP tool: POST /convert {"amount", "from", "to"} converts
// between currencies at fixed, made-up rates, the same answer every time.
import { HttpError, readJson, sendJson, serve } from './serve.mjs';

/** Units of each currency per euro (example data, not market rates). */
const PER_EURO = { EUR: 1, USD: 1.1, GBP: 0.85, NOK: 11.5, JPY: 160 };

export function convert({ amount, from, to }) {
  if (typeof amount !== 'number' || !Number.isFinite(amount))
    throw new HttpError(400, 'amount must be a number');
  for (const [field, code] of Object.entries({ from, to })) {
    if (!Object.hasOwn(PER_EURO, code)) {
      throw new HttpError(400, `${field} must be one of ${Object.keys(PER_EURO).join(', ')}`);
    }
  }
  const result = Math.round((amount / PER_EURO[from]) * PER_EURO[to] * 100) / 100;
  return { amount, from, to, result, rates: 'example data' };
}

serve('stub-http', async (req, res, url) => {
  if (url.pathname !== '/convert') throw new HttpError(404, 'POST /convert is the only route');
  if (req.method !== 'POST') throw new HttpError(405, 'use POST');
  sendJson(res, 200, convert((await readJson(req)) ?? {}));
});
