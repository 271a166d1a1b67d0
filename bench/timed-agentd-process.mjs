// agentd-process.mjs with the run recorder's timings recorded: when each
// event was appended (recorder.append), when the write of its batch began
// (after the recorder's frame) and when it was published (after it was
// persisted), by run and sequence number, on this machine's clock
// (performance.timeOrigin + performance.now(), comparable across processes).
// SIGUSR2 writes them to BENCH_TIMINGS_FILE, and forgets them.
import { writeFileSync } from 'node:fs';
import { RunRecorder } from '../packages/runtime/dist/index.js';

const now = () => performance.timeOrigin + performance.now();
let timings = {};
const { append, publish, write } = RunRecorder.prototype;
RunRecorder.prototype.append = function (event, snapshot) {
  const before = this.sequence;
  append.call(this, event, snapshot);
  if (this.sequence > before) timings[`${this.responseId}/${this.sequence}`] = { appended: now() };
};
RunRecorder.prototype.write = function (batch, snapshot) {
  const at = now();
  for (const event of batch) {
    const key = `${this.responseId}/${event.sequence_number}`;
    timings[key] = { ...timings[key], written: at };
  }
  return write.call(this, batch, snapshot);
};
RunRecorder.prototype.publish = function (events) {
  const at = now();
  for (const event of events) {
    const key = `${this.responseId}/${event.sequence_number}`;
    timings[key] = { ...timings[key], published: at };
  }
  return publish.call(this, events);
};
process.on('SIGUSR2', () => {
  writeFileSync(process.env.BENCH_TIMINGS_FILE, JSON.stringify(timings));
  timings = {};
});

await import('./agentd-process.mjs');
