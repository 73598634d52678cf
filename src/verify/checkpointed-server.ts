import {
  MSG_APP_FAILED,
  MSG_APP_STARTED,
  MSG_APP_STARTING,
  MSG_FEATURE_NOT_FOUND,
  MSG_FEATURES_INCOMPATIBLE,
  MSG_NO_FEATURES_INSTALLED,
} from '../core/liberty-messages.js';
import { phaseRecipe, type CheckpointPhase } from '../scenario/variants.js';

/**
 * Did the checkpointed server get as far as the phase promises? Liberty takes a checkpoint
 * even of a server whose features did not install (CWWKF0044E, then CWWKF0046W: "did not
 * install any features") or whose application never started; restores of such an image
 * would measure an empty server. Read from the checkpoint's messages.log.
 */
export function checkpointedServerProblems(messages: string, phase: CheckpointPhase): string[] {
  const lines = messages.split('\n');
  const lineWith = (id: string): string | undefined => lines.find((l) => l.includes(id))?.trim();
  const problems: string[] = [];
  for (const id of [MSG_FEATURES_INCOMPATIBLE, MSG_NO_FEATURES_INSTALLED, MSG_FEATURE_NOT_FOUND, MSG_APP_FAILED]) {
    const line = lineWith(id);
    if (line) problems.push(line.slice(line.indexOf(id)));
  }
  if (!lineWith(MSG_APP_STARTING))
    problems.push(`no application was being started before the checkpoint (no ${MSG_APP_STARTING})`);
  else if (phaseRecipe(phase).appStartedInCheckpoint && !lineWith(MSG_APP_STARTED))
    problems.push(`the application had not started at afterAppStart (no ${MSG_APP_STARTED})`);
  return problems;
}
