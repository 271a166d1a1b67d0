/** The 99th percentile of the CPU time (user and system, in ms) of `run`, over `times` runs after a warm-up. */
export function p99CpuMs(run: () => unknown, times = 500): number {
  // Warm up until the JIT has settled, or the first compiled tiers count as the tail.
  for (let i = 0; i < 200; i++) run();
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const before = process.cpuUsage();
    run();
    const { user, system } = process.cpuUsage(before);
    samples.push((user + system) / 1000);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length * 0.99)] ?? Number.NaN;
}
