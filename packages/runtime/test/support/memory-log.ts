import type { ResponseEvent } from '@agentd/spec';

/** A run's persisted log, as the database holds it, counting its reads. */
export function memoryLog() {
  const events: ResponseEvent[] = [];
  let reads = 0;
  return {
    events,
    get reads() {
      return reads;
    },
    append: (batch: readonly ResponseEvent[]) => events.push(...batch),
    read: async (after: number) => {
      reads++;
      return events.filter((event) => event.sequence_number > after);
    },
  };
}
