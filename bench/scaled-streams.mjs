// Streamed runs through an API process and the event latency across
// processes (issue 12, item 8), shared by bench/scaled.mjs and
// bench/event-latency.mjs: runs of the 2 ms/token model are streamed through
// the API process (POST /v1/responses, stream: true), `inFlight` at once, and
// each event's receipt by the client is set against the moment the worker
// published it (after its write) and the loop appended it, on this machine's
// clock (bench/timed-agentd-process.mjs records those; its worker must have
// been started with `timed`).
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpuMs } from './scaled-cluster.mjs';

export const now = () => performance.timeOrigin + performance.now();
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Where timed workers write their timings (every process started after this module is loaded). */
const timingsFile = join(tmpdir(), `agentd-bench-timings-${process.pid}.json`);
process.env.BENCH_TIMINGS_FILE = timingsFile;

/** Reads an SSE response, calling `onEvent(type, data, receivedAt)` for each event. */
export async function readEvents(response, onEvent) {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of response.body) {
    const at = now();
    buffer += decoder.decode(chunk, { stream: true });
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const type = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (type && data) onEvent(type, JSON.parse(data), at);
      end = buffer.indexOf('\n\n');
    }
  }
}

/** Streams `runs` runs of the 2 ms/token model, `inFlight` at once; the receipt time and type of each event. */
export async function streamedRuns(proc, runs, inFlight) {
  const received = new Map();
  let next = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < runs) {
        next++;
        const response = await fetch(`${proc.url}/v1/responses`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${proc.key}`,
            'content-type': 'application/json',
            'agentd-events': 'all',
          },
          body: JSON.stringify({ model: 'bench-slow', input: 'Count.', stream: true }),
        });
        let id;
        await readEvents(response, (type, data, at) => {
          id ??= data.response?.id;
          received.set(`${id}/${data.sequence_number}`, { at, type });
        });
      }
    }),
  );
  return received;
}

/** The timings the timed `worker` recorded since the last call, by `run/sequence`. */
async function takeTimings(worker) {
  rmSync(timingsFile, { force: true });
  process.kill(worker.child.pid, 'SIGUSR2');
  while (!existsSync(timingsFile)) await sleep(50);
  await sleep(200);
  const timings = JSON.parse(readFileSync(timingsFile, 'utf8'));
  rmSync(timingsFile, { force: true });
  return timings;
}

/**
 * Streams `runs` runs through `api` (run by the timed `worker`) and returns,
 * per event, the time from the worker's publish and from the loop's append to
 * the client's receipt, and from the append to the publish (the recorder's
 * frame and the database write) and to the write's start (the frame); the first text delta of each run from its append;
 * the events, the wall time, and the API process's CPU per event.
 */
export async function eventLatency({ api, worker, runs, inFlight }) {
  await takeTimings(worker);
  const cpuBefore = cpuMs(api.child.pid);
  const started = performance.now();
  const received = await streamedRuns(api, runs, inFlight);
  const seconds = (performance.now() - started) / 1000;
  const apiCpu = cpuMs(api.child.pid) - cpuBefore;
  const timings = await takeTimings(worker);
  const fromPublish = [];
  const fromAppend = [];
  const appendToPublish = [];
  const appendToWrite = [];
  const firstDeltaFromAppend = [];
  const firstSeen = new Set();
  for (const [key, { at, type }] of received) {
    const timing = timings[key];
    if (!timing?.published) continue;
    fromPublish.push(at - timing.published);
    if (!timing.appended) continue;
    fromAppend.push(at - timing.appended);
    appendToPublish.push(timing.published - timing.appended);
    if (timing.written) appendToWrite.push(timing.written - timing.appended);
    const run = key.split('/')[0];
    if (type === 'response.output_text.delta' && !firstSeen.has(run)) {
      firstSeen.add(run);
      firstDeltaFromAppend.push(at - timing.appended);
    }
  }
  return {
    fromPublish,
    fromAppend,
    appendToPublish,
    appendToWrite,
    firstDeltaFromAppend,
    events: received.size,
    seconds,
    apiCpuUsPerEvent: (apiCpu * 1000) / Math.max(1, received.size),
  };
}
