import type { ScenarioFile } from './schema.js';

/** A validated scenario with every path resolved to an absolute one. */
export interface Scenario {
  readonly name: string;
  readonly description: string;
  /** Absolute directory of the scenario. */
  readonly dir: string;
  /** Absolute path of the scenario file. */
  readonly file: string;
  readonly app:
    | {
        readonly kind: 'maven';
        readonly projectDir: string;
        readonly deployAs: string;
        readonly mavenArgs: readonly string[];
        readonly javaHome?: string;
      }
    | { readonly kind: 'war'; readonly warFile: string; readonly deployAs: string };
  readonly server: {
    readonly serverXml: string;
    readonly jvmOptions?: string;
    readonly bootstrapProperties?: string;
    readonly serverEnv?: string;
    /** Destination in the server directory -> absolute source path. */
    readonly files: Readonly<Record<string, string>>;
  };
  readonly httpPort: number;
  readonly firstResponse: ScenarioFile['firstResponse'];
  /** The ramp-up load: requests cycled by every connection (default: the first-response request). */
  readonly load: { readonly concurrency?: number; readonly requests: readonly LoadRequest[] };
  readonly env: Readonly<Record<string, string>>;
  readonly readyTimeoutMs: number;
  readonly prime: boolean;
  readonly services: readonly ServiceSpec[];
}

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
