/**
 * What the tool's derived images record about themselves, in labels read back when the cache hands them out (besides
 * io.instanton-bench.made-from, images/provenance.ts).
 */
/** A checkpoint image: how long the checkpoint took, the checkpoint host, the server's capabilities, CRIU's contents. */
export const LABEL_CHECKPOINT_MS = 'io.instanton-bench.checkpoint-ms';
export const LABEL_FINGERPRINT = 'io.instanton-bench.checkpoint-fingerprint';
export const LABEL_CAPS = 'io.instanton-bench.checkpoint-caps';
export const LABEL_CONTENTS = 'io.instanton-bench.checkpoint-contents';
/** An app image whose JVM is limited to a CPU level (cpu-baseline=), and its checkpoints. */
export const LABEL_CPU_BASELINE = 'io.instanton-bench.cpu-baseline';
/** An AOT cache image: the cache's size and the training start's time. */
export const LABEL_CACHE_BYTES = 'io.instanton-bench.aot-cache-bytes';
export const LABEL_TRAINING_MS = 'io.instanton-bench.aot-training-ms';

/** A label holding JSON as base64 (the fingerprint, CRIU's contents), decoded; throws on a damaged one. */
export function decodeJsonLabel<T>(value: string): T {
  return JSON.parse(Buffer.from(value, 'base64').toString('utf8')) as T;
}
