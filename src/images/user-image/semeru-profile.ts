import type { ServerScenario } from '../../scenario/types.js';

/**
 * The `semeru` profile: the official Open Liberty images (OpenJ9 with InstantOn built in),
 * for hosts that reach icr.io. Same scenarios and measurements as `local`; only the images
 * differ. These builders are pure: they return the Containerfile and (images/semeru-commands.ts)
 * the podman argv the profile issues, so the profile can be checked where the registry is unreachable.
 */
export const SEMERU_BASE_IMAGE = 'icr.io/appcafe/open-liberty:kernel-slim-java21-openj9-ubi-minimal';

/** Containerfile of a scenario's app image, as Open Liberty's container docs build one. */
export function semeruContainerfile(scenario: ServerScenario, baseImage = SEMERU_BASE_IMAGE): string {
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
