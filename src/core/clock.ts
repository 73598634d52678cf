/**
 * Host clock in epoch milliseconds with sub-millisecond resolution. performance.now() is
 * monotonic; anchoring it at timeOrigin lets it be compared with log timestamps and
 * podman's StartedAt, which are wall-clock (the container shares the host's clock).
 */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

/** RFC 3339 with nanoseconds (podman's StartedAt) to epoch milliseconds. */
export function parseRfc3339Ms(text: string): number | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d+))?\s*(Z|[+-]\d{2}:?\d{2})?/.exec(text.trim());
  if (!m) return undefined;
  const [, date, time, frac = '0', zone = 'Z'] = m;
  const z = zone === 'Z' ? 'Z' : zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const whole = Date.parse(`${date}T${time}${z}`);
  if (Number.isNaN(whole)) return undefined;
  return whole + Number(`0.${frac}`) * 1000;
}

export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
