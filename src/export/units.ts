/** How the exporters write a metric's value and unit. */
export const unitOf = (metric: string): string =>
  metric.endsWith('Kb')
    ? 'KiB'
    : metric === 'rampPeakRps'
      ? 'req/s'
      : metric.startsWith('rampRequests')
        ? 'requests'
        : 'ms';
export const fmt = (v: number): string => (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(2));
