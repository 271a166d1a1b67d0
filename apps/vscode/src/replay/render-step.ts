import type { Replay, ReplayStep } from './replay-model.js';
import { renderScratchPad } from './scratch-pad.js';

/** A step as a read-only Markdown document: what happened, the scratch-pad after it, and the raw events. */
export function renderStep(replay: Replay, step: ReplayStep): string {
  const sequences = step.events.map((event) => event.sequence_number);
  const covered =
    sequences.length === 0
      ? 'before the first event'
      : sequences.length === 1
        ? `event #${sequences[0]}`
        : `events #${sequences[0]}–#${sequences[sequences.length - 1]}`;
  return [
    `# ${replay.responseId}: step ${step.index + 1} of ${replay.steps.length}`,
    '',
    `**${step.kind}**: ${step.title} (${covered}; the run ended ${replay.status})`,
    '',
    '## Scratch-pad (the context as it stood after this step)',
    '',
    '```text',
    renderScratchPad(step.scratchPad),
    '```',
    '',
    '## Events',
    '',
    '```json',
    JSON.stringify(step.events, null, 2),
    '```',
    '',
  ].join('\n');
}
