import { restoreFlags } from '../engine/capabilities.js';
import type { EngineFlags } from '../engine/host-flags.js';
import { hostFlags, runFlags } from '../engine/host-flags.js';
import type { Scenario } from '../scenario/types.js';
import type { CheckpointPhase } from '../scenario/variants.js';

/**
 * The `semeru` profile: the official Open Liberty images (OpenJ9 with InstantOn built in),
 * for hosts that reach icr.io. Same scenarios and measurements as `local`; only the images
 * differ. These builders are pure: they return the Containerfile and the podman argv the
 * profile issues, so the profile can be checked where the registry is unreachable.
 */
export const SEMERU_BASE_IMAGE = 'icr.io/appcafe/open-liberty:kernel-slim-java21-openj9-ubi-minimal';

/** Containerfile of a scenario's app image, as Open Liberty's container docs build one. */
export function semeruContainerfile(scenario: Scenario, baseImage = SEMERU_BASE_IMAGE): string {
  const lines = [
    `FROM ${baseImage}`,
    'COPY --chown=1001:0 server/server.xml /config/server.xml',
    ...(scenario.server.jvmOptions ? ['COPY --chown=1001:0 server/jvm.options /config/jvm.options'] : []),
    ...(scenario.server.serverEnv ? ['COPY --chown=1001:0 server/server.env /config/server.env'] : []),
    'COPY --chown=1001:0 server/bootstrap.properties /config/bootstrap.properties',
    ...Object.keys(scenario.server.files).map((dest) => `COPY --chown=1001:0 server/${dest} /config/${dest}`),
    '# Install the features server.xml names, from Maven Central (features.sh), then warm up (configure.sh).',
    'RUN features.sh',
    `COPY --chown=1001:0 server/apps/${scenario.app.deployAs} /config/apps/${scenario.app.deployAs}`,
    'RUN configure.sh',
  ];
  return `${lines.join('\n')}\n`;
}

export interface SemeruCommands {
  readonly build: string[];
  readonly checkpoint: Record<CheckpointPhase, { run: string[]; commit: string[]; remove: string[] }>;
  readonly restore: string[];
  readonly cold: string[];
}

/** The podman commands of the documented three-step flow and of the measured starts. */
export function semeruCommands(scenario: Scenario, flags: EngineFlags, tag: string, contextDir: string): SemeruCommands {
  const checkpoint = (phase: CheckpointPhase): { run: string[]; commit: string[]; remove: string[] } => {
    const name = `ib-checkpoint-${scenario.name}-${phase.toLowerCase()}`;
    return {
      run: ['podman', 'run', '--name', name, ...runFlags(flags), '--privileged', '--env', `WLP_CHECKPOINT=${phase}`, tag],
      commit: ['podman', 'commit', '--change', 'ENV WLP_CHECKPOINT=', name, `${tag}-instanton-${phase.toLowerCase()}`],
      remove: ['podman', 'rm', name],
    };
  };
  return {
    // The official image is pulled from its registry; everything after runs local images only.
    build: ['podman', 'build', ...hostFlags(flags), '--tag', tag, '--file', `${contextDir}/Containerfile`, contextDir],
    checkpoint: { beforeAppStart: checkpoint('beforeAppStart'), afterAppStart: checkpoint('afterAppStart') },
    // The images run the server as uid 1001 with CRIU's file capabilities: the documented
    // restore set is CHECKPOINT_RESTORE and SETPCAP plus the syscalls the default seccomp
    // profile blocks; this profile adds the same five capabilities measured on `local`.
    restore: ['podman', 'run', ...runFlags(flags), ...restoreFlags('least-privilege'), '--security-opt', 'seccomp=unconfined', `${tag}-instanton-PHASE`],
    cold: ['podman', 'run', ...runFlags(flags), tag],
  };
}
