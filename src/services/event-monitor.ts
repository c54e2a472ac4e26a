/** One entry of the bounded event log (plugin-io's monitoring shape). */
export interface EventLogEntry {
  timestamp: number;
  type: string;
  data: unknown;
}

/**
 * Event counters and a bounded log shared by every transport: content deliveries, connections, errors and
 * anything server code logs. Bounded: the oldest entries go first.
 */
export const createEventMonitor = (logSize: number) => {
  let log: EventLogEntry[] = [];
  let totalEvents = 0;
  let eventsByType: Record<string, number> = {};
  let lastReset = Date.now();

  return {
    logEvent(type: string, data: unknown = {}) {
      totalEvents++;
      eventsByType[type] = (eventsByType[type] ?? 0) + 1;
      if (logSize === 0) return;
      log.push({ timestamp: Date.now(), type, data });
      if (log.length > logSize) log = log.slice(log.length - logSize);
    },
    getEventStats() {
      const seconds = (Date.now() - lastReset) / 1000;
      return {
        totalEvents,
        eventsByType: { ...eventsByType },
        lastReset,
        eventsPerSecond: seconds > 0 ? (totalEvents / seconds).toFixed(2) : '0.00',
      };
    },
    getEventLog(limit = 50) {
      return limit > 0 ? log.slice(-limit) : [...log];
    },
    resetStats() {
      log = [];
      totalEvents = 0;
      eventsByType = {};
      lastReset = Date.now();
    },
  };
};

export type EventMonitor = ReturnType<typeof createEventMonitor>;
