/**
 * Limits that keep a scenario file sane; named with units (house rule 3). Apart from the schema, since --help quotes
 * them.
 */
export const MIN_HTTP_PORT = 1;
export const MAX_HTTP_PORT = 65535;
export const DEFAULT_HTTP_PORT = 9080;
export const DEFAULT_READY_TIMEOUT_MS = 180_000;
/** Timeouts from 1 s to 1 h: Node's timers wrap beyond 2^31-1 ms (24.8 days) to 1 ms. */
export const MIN_TIMEOUT_MS = 1_000;
export const MAX_TIMEOUT_MS = 3_600_000;
export const DEFAULT_EXPECT_STATUS = 200;
