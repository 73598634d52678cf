import type { ScenarioFile } from './schema.js';

/** A validated scenario with every path resolved to an absolute one. */
export interface Scenario {
  readonly name: string;
  readonly description: string;
  /** Absolute directory of the scenario. */
  readonly dir: string;
  /** Absolute path of the scenario file. */
  readonly file: string;
  /**
   * The application: deployed by the tool into its own image (a server scenario), or, beside `image`, the Maven
   * project built before the user's Containerfile (which copies target/*.war itself).
   */
  readonly app?: ScenarioApp;
  /** The server the tool builds an image for; absent for an image scenario. */
  readonly server?: ServerSpec;
  /** The user's own image (a Containerfile, or a reference); absent for a server scenario. */
  readonly image?: ImageSource;
  readonly httpPort: number;
  readonly firstResponse: ScenarioFile['firstResponse'];
  /** The ramp-up load: requests cycled by every connection (default: the first-response request). */
  readonly load: { readonly concurrency?: number; readonly requests: readonly LoadRequest[] };
  readonly env: Readonly<Record<string, string>>;
  /** Given to restores and cold starts only, never to the checkpoint run. */
  readonly restoreEnv: Readonly<Record<string, string>>;
  /** What the checkpoint must not hold (files resolved to absolute paths). */
  readonly secrets: {
    readonly env: readonly string[];
    readonly files: readonly string[];
    readonly values: readonly string[];
  };
  /** Read-only file mounts: container path -> absolute host path; `mounts` reach the checkpoint run too. */
  readonly mounts: Readonly<Record<string, string>>;
  readonly restoreMounts: Readonly<Record<string, string>>;
  readonly probes: { readonly entropy?: { readonly path: string } };
  readonly readyTimeoutMs: number;
  readonly prime: boolean;
  readonly services: readonly ServiceSpec[];
  /** Where the application runs: on Liberty (absent, the default) or on a plain JVM, `java -jar` (an arm's runtime=java). */
  readonly runtime?: 'java';
  /** The plain JVM's ready line, a regular expression (absent: Spring Boot's "Started NAME in N seconds"). */
  readonly javaReadyLine?: string;
}

/** Where an application runs: Liberty (the tool's server image), or a plain JVM running its executable jar. */
export type Runtime = 'liberty' | 'java';
export const runtimeOf = (s: Pick<Scenario, 'runtime'>): Runtime => s.runtime ?? 'liberty';

export type ScenarioApp =
  | {
      readonly kind: 'maven';
      readonly projectDir: string;
      readonly deployAs: string;
      readonly mavenArgs: readonly string[];
      readonly javaHome?: string;
    }
  /** A prebuilt archive: a WAR or EAR, or a Spring Boot executable jar (deployAs ends in .jar). */
  | { readonly kind: 'war'; readonly warFile: string; readonly deployAs: string };

/** A Spring Boot application is deployed as its executable jar (Liberty's springBoot-3.0 feature). */
export const isSpringBootApp = (app: ScenarioApp): boolean => app.deployAs.endsWith('.jar');

export interface ServerSpec {
  readonly serverXml: string;
  readonly jvmOptions?: string;
  readonly bootstrapProperties?: string;
  readonly serverEnv?: string;
  /** Destination in the server directory -> absolute source path. */
  readonly files: Readonly<Record<string, string>>;
}

/** Where the base of a user's Containerfile comes from: its own FROM, or the local InstantOn base. */
export type ImageBase = 'official' | 'local';

/** A scenario's own image: built from the user's Containerfile (unchanged), or an existing image. */
export type ImageSource =
  | {
      readonly kind: 'containerfile';
      /** Absolute path of the Containerfile (or Dockerfile). */
      readonly containerfile: string;
      /** Absolute build context directory. */
      readonly context: string;
      readonly buildArgs: Readonly<Record<string, string>>;
      /** 'official': its FROM line as written; 'local': the local InstantOn base instead (podman build --from). */
      readonly base: ImageBase;
    }
  | { readonly kind: 'ref'; readonly ref: string };

/** A scenario the tool builds a server image for (app + server). */
export type ServerScenario = Scenario & { readonly app: ScenarioApp; readonly server: ServerSpec };

export const isServerScenario = (s: Scenario): s is ServerScenario => s.app !== undefined && s.server !== undefined;

/** A scenario that measures its own image (a Containerfile or a reference). */
export type ImageScenario = Scenario & { readonly image: ImageSource };

export const isImageScenario = (s: Scenario): s is ImageScenario => s.image !== undefined;

export interface LoadRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH' | 'HEAD';
  readonly path: string;
  readonly body?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly expectStatus: number;
  readonly expectBodyContains?: string | readonly string[];
}

export interface ServiceSpec {
  readonly kind: 'postgres';
  readonly alias: string;
  readonly database: string;
  readonly user: string;
  readonly password: string;
  /** Absolute path of the seed SQL. */
  readonly seed?: string;
}

export const SCENARIO_FILE_NAME = 'scenario.json';
