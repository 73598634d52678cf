import type { CheckpointFlow } from '../../results/types.js';

/** How checkpoint images are made unless asked otherwise: Liberty's three-step flow (privileged run + commit). */
export const DEFAULT_CHECKPOINT_FLOW: CheckpointFlow = 'run';
