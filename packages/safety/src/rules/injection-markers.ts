import { normalizeText } from '../classifier/normalize.js';
import { firstMatch, SIGNALS } from '../classifier/signals.js';
import type { RuleFinding } from './rule-finding.js';

/**
 * The strongest of the classifier's signals, on their own: each is rare in
 * ordinary text. Matched on the normalised text (homoglyphs, leetspeak and
 * spacing folded), so they carry no offsets.
 */
const MARKERS: Readonly<
  Record<string, { category: 'prompt_injection' | 'jailbreak'; score: number; note: string }>
> = {
  override: { category: 'prompt_injection', score: 0.9, note: 'asks to ignore earlier instructions' },
  override_short: { category: 'prompt_injection', score: 0.7, note: 'asks to disregard what came before' },
  extraction: { category: 'prompt_injection', score: 0.7, note: 'asks for the system prompt or secrets' },
  role_marker: { category: 'prompt_injection', score: 0.6, note: 'carries chat-template or role markers' },
  unrestricted: { category: 'jailbreak', score: 0.7, note: 'asks the model to drop its rules' },
  safety_off: { category: 'jailbreak', score: 0.8, note: 'claims the safety rules are off' },
  persona: { category: 'jailbreak', score: 0.4, note: 'asks the model to take on a persona' },
};
const MARKED = SIGNALS.filter((signal) => signal.name in MARKERS);

export function findInjectionMarkers(text: string): RuleFinding[] {
  const normalised = normalizeText(text);
  const findings: RuleFinding[] = [];
  for (const signal of MARKED) {
    const match = firstMatch(signal, normalised);
    const marker = MARKERS[signal.name];
    if (match && marker)
      findings.push({
        category: marker.category,
        score: marker.score,
        note: `${marker.note}: "${match[0].slice(0, 60)}"`,
      });
  }
  return findings;
}
