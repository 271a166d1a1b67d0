import type { RunView } from './run-view.js';

/**
 * The live run of each conversation, kept in sessionStorage with the last
 * sequence number it applied: a reloaded page restores what it showed and
 * resumes the stream right after it. Removed when the run ends (the
 * conversation's items then hold its result).
 */
const keyOf = (conversationId: string) => `agentd.run.${conversationId}`;

export function saveRun(conversationId: string, view: RunView): void {
  try {
    sessionStorage.setItem(keyOf(conversationId), JSON.stringify(view));
  } catch {
    // Storage full or disabled: a reload then replays the run from the conversation instead.
  }
}

export function loadRun(conversationId: string): RunView | null {
  const text = sessionStorage.getItem(keyOf(conversationId));
  if (!text) return null;
  try {
    return JSON.parse(text) as RunView;
  } catch {
    return null;
  }
}

export function forgetRun(conversationId: string): void {
  sessionStorage.removeItem(keyOf(conversationId));
}
