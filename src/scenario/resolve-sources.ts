import path from 'node:path';
import { type ScenarioFile } from './schema.js';
import { type Scenario } from './types.js';

/** The app, server and image a scenario file names, with their paths made absolute. */
export function resolveSources(
  data: ScenarioFile,
  abs: (p: string) => string,
  absoluteSources: (m: Readonly<Record<string, string>>) => Record<string, string>,
): Pick<Scenario, 'app' | 'server' | 'image'> {
  const app: Scenario['app'] =
    data.app === undefined
      ? undefined
      : 'maven' in data.app
        ? {
            kind: 'maven',
            projectDir: abs(data.app.maven),
            deployAs: data.app.deployAs ?? '',
            mavenArgs: data.app.mavenArgs,
            ...(data.app.javaHome !== undefined ? { javaHome: data.app.javaHome } : {}),
          }
        : 'jar' in data.app
          ? { kind: 'war', warFile: abs(data.app.jar), deployAs: data.app.deployAs }
          : { kind: 'war', warFile: abs(data.app.war), deployAs: data.app.deployAs };
  const server: Scenario['server'] = data.server && {
    serverXml: abs(data.server.serverXml),
    ...(data.server.jvmOptions ? { jvmOptions: abs(data.server.jvmOptions) } : {}),
    ...(data.server.bootstrapProperties ? { bootstrapProperties: abs(data.server.bootstrapProperties) } : {}),
    ...(data.server.serverEnv ? { serverEnv: abs(data.server.serverEnv) } : {}),
    files: absoluteSources(data.server.files),
  };
  const image: Scenario['image'] =
    data.image === undefined
      ? undefined
      : data.image.ref !== undefined
        ? { kind: 'ref', ref: data.image.ref }
        : {
            kind: 'containerfile',
            containerfile: abs(data.image.containerfile ?? ''),
            context: data.image.context ? abs(data.image.context) : path.dirname(abs(data.image.containerfile ?? '')),
            buildArgs: data.image.buildArgs,
            base: data.image.base,
          };
  return { app, server, image };
}
