// One POST /v1/responses, streamed, as a timeline: each server-sent event
// stamped when it reaches the client. Used by bench/browser-timeline.mjs and
// bench/code-interpreter-first.mjs.

/** The milestones of a run with one tool call, in order, each found as the n-th event of a type. */
export const MILESTONES = [
  ['created', 'response.created', 0],
  ['model 1 started', 'response.model_call.started', 0],
  ['model 1 done', 'response.model_call.completed', 0],
  ['tool started', 'response.tool_call.started', 0],
  ['tool done', 'response.tool_call.completed', 0],
  ['model 2 started', 'response.model_call.started', 1],
  ['first text delta', 'response.output_text.delta', 0],
  ['model 2 done', 'response.model_call.completed', 1],
  ['text done', 'response.output_text.done', 0],
  ['completed', 'response.completed', 0],
];
/** The row keys in order: response headers, the milestones, the stream's end. */
export const KEYS = ['headers', ...MILESTONES.map(([name]) => name), 'end'];

export const median = (values) => {
  const sorted = values.filter((v) => v !== undefined).sort((a, b) => a - b);
  return sorted.length === 0 ? undefined : sorted[Math.floor(sorted.length / 2)];
};
export const ms = (value) => (value === undefined ? '-' : `${Math.round(value)} ms`);

/** Streams the request (`body` without `stream`); ms from sending to each milestone, and the text deltas. */
export async function streamedTimeline(agentd, body) {
  const started = performance.now();
  const response = await fetch(`${agentd.url}/v1/responses`, {
    method: 'POST',
    // agentd's own run events (model and tool calls) besides OpenAI's.
    headers: {
      authorization: `Bearer ${agentd.key}`,
      'content-type': 'application/json',
      'agentd-events': 'all',
    },
    body: JSON.stringify({ ...body, stream: true }),
  });
  if (!response.ok) throw new Error(`POST /v1/responses: ${response.status} ${await response.text()}`);
  const headers = performance.now() - started;
  const seen = new Map();
  const decoder = new TextDecoder();
  let buffered = '';
  let deltas = 0;
  let toolMs;
  for await (const bytes of response.body) {
    const at = performance.now() - started;
    buffered += decoder.decode(bytes, { stream: true });
    let end = buffered.indexOf('\n\n');
    while (end >= 0) {
      const frame = buffered.slice(0, end);
      const type = /^event: (.+)$/m.exec(frame)?.[1];
      buffered = buffered.slice(end + 2);
      end = buffered.indexOf('\n\n');
      if (!type) continue;
      if (type === 'response.output_text.delta') deltas++;
      // The server's own measure of the call: from its tool_call.started to its end (gates, run, output check).
      if (type === 'response.tool_call.completed' && toolMs === undefined)
        toolMs = JSON.parse(/^data: (.+)$/m.exec(frame)?.[1] ?? '{}').duration_ms;
      if (!seen.has(type)) seen.set(type, []);
      seen.get(type).push(at);
    }
  }
  const row = { headers, end: performance.now() - started, deltas, toolMs };
  for (const [name, type, n] of MILESTONES) row[name] = seen.get(type)?.[n];
  return row;
}

/** Prints the medians of each milestone from the request, and of each gap, one column per arm. */
export function printTimeline(rowsByArm) {
  const names = Object.keys(rowsByArm);
  console.log(
    `  milestone            from request (${names.join(' | ')})`.padEnd(56) + 'gap from the one before',
  );
  for (const [i, key] of KEYS.entries()) {
    const at = names.map((name) => ms(median(rowsByArm[name].map((row) => row[key])))).join(' | ');
    const gap =
      i === 0
        ? ''
        : names
            .map((name) =>
              ms(
                median(
                  rowsByArm[name].map((row) =>
                    row[key] === undefined || row[KEYS[i - 1]] === undefined
                      ? undefined
                      : row[key] - row[KEYS[i - 1]],
                  ),
                ),
              ),
            )
            .join(' | ');
    console.log(`  ${key.padEnd(20)} ${at.padEnd(33)} ${gap}`);
  }
}

/**
 * Where a tool call's time went, medians per arm: the model's call end to the
 * tool's start and the tool's end to the next model call (as the client sees
 * them: each event arrives once it is stored), and the tool itself as the
 * server timed it (`duration_ms`: gates, the run, the output check).
 */
export function printSplit(rowsByArm, indent = '  ') {
  const names = Object.keys(rowsByArm);
  const gap = (from, to) => (row) =>
    row[from] === undefined || row[to] === undefined ? undefined : row[to] - row[from];
  const parts = [
    ['model call end -> tool start', gap('model 1 done', 'tool started')],
    ['tool run (server)', (row) => row.toolMs],
    ['tool start -> tool end (client)', gap('tool started', 'tool done')],
    ['tool end -> next model call', gap('tool done', 'model 2 started')],
    ['next model call -> end', gap('model 2 started', 'end')],
  ];
  const cell = (name, pick) => ms(median(rowsByArm[name].map(pick)));
  console.log(`${indent}split, medians (${names.join(' | ')}):`);
  for (const [label, pick] of parts)
    console.log(`${indent}  ${label.padEnd(34)} ${names.map((name) => cell(name, pick)).join(' | ')}`);
}
