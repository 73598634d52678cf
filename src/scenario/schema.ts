import { z } from 'zod';

import {
  DEFAULT_EXPECT_STATUS,
  DEFAULT_HTTP_PORT,
  DEFAULT_READY_TIMEOUT_MS,
  MAX_HTTP_PORT,
  MAX_TIMEOUT_MS,
  MIN_HTTP_PORT,
  MIN_TIMEOUT_MS,
} from './limits.js';

const relativePath = z
  .string()
  .min(1)
  .refine((p) => !p.startsWith('/') && !p.split('/').includes('..'), {
    message: 'must be a path relative to the scenario directory, without ".."',
  })
  .refine((p) => !/[\u0000-\u001f\u007f]/.test(p), {
    message: 'must not contain control characters (newline, tab, ...)',
  });

/** A server.files destination naming Liberty's shared resources directory (${shared.resource.dir}). */
export const SHARED_PREFIX = 'shared:';

const serverFileDest = z
  .string()
  .min(1)
  .refine(
    (d) => {
      const p = d.startsWith(SHARED_PREFIX) ? d.slice(SHARED_PREFIX.length) : d;
      // "shared:" alone names the shared resources directory itself (a directory's contents go there).
      return (p.length > 0 || d === SHARED_PREFIX) && !p.startsWith('/') && !p.split('/').includes('..');
    },
    {
      message:
        'must be a path relative to the server directory, or "shared:" and a path relative to Liberty\'s shared ' +
        'resources directory, without ".."',
    },
  )
  .refine((p) => !/[\u0000-\u001f\u007f]/.test(p), {
    message: 'must not contain control characters (newline, tab, ...)',
  });

const envName = /^[A-Za-z_][A-Za-z0-9_]*$/;
const envVariableName = z.string().regex(envName, { message: 'environment variable names are [A-Za-z_][A-Za-z0-9_]*' });
/** Environment variables of containers: name -> value. */
const environment = z.record(envVariableName, z.string()).default({});
/** Read-only file mounts of containers: container path -> file (relative to the scenario). */
const fileMounts = z
  .record(z.string().startsWith('/', { message: 'a container path starts with "/"' }), z.string().min(1))
  .default({});
/** Secret values shorter than this would be found by chance in hundreds of MiB of a checkpoint's memory. */
export const MIN_SECRET_CHARS = 4;

/** The file name an application is deployed as: a WAR or EAR, or a Spring Boot application's jar. */
const DEPLOY_AS = /^[A-Za-z0-9._-]+\.(war|ear|jar)$/;
const DEPLOY_AS_MESSAGE = 'a file name ending in .war, .ear or .jar (a Spring Boot application)';

export const appSchema = z.union([
  z
    .object({
      /** Directory (relative to the scenario) holding a Maven project that packages a WAR (or a Spring Boot jar). */
      maven: relativePath,
      /**
       * File name the application is deployed as, in the server's apps/ directory (not for an image scenario): a
       * .war or .ear, or a .jar for a Spring Boot application (Liberty's springBoot-3.0, thinned at build).
       */
      deployAs: z.string().regex(DEPLOY_AS, { message: DEPLOY_AS_MESSAGE }).optional(),
      /** Extra Maven arguments (after -B -DskipTests package), e.g. ["-Pliberty", "-Dmaven.compiler.release=17"]. */
      mavenArgs: z
        .array(
          z
            .string()
            .min(1)
            .refine((a) => !/[\u0000-\u001f\u007f]/.test(a), { message: 'must not contain control characters' }),
        )
        .default([]),
      /** The JDK Maven builds with (JAVA_HOME, an absolute directory on this machine); default: the host's. */
      javaHome: z
        .string()
        .startsWith('/', {
          message: 'must be an absolute directory (JAVA_HOME), e.g. /usr/lib/jvm/java-17-openjdk-amd64',
        })
        .optional(),
    })
    .strict(),
  z
    .object({
      /** A prebuilt WAR or EAR (relative to the scenario directory). */
      war: relativePath,
      deployAs: z.string().regex(/^[A-Za-z0-9._-]+\.(war|ear)$/, { message: 'a file name ending in .war or .ear' }),
    })
    .strict(),
  z
    .object({
      /** A prebuilt Spring Boot 3 executable jar (relative to the scenario directory). */
      jar: relativePath,
      deployAs: z.string().regex(/^[A-Za-z0-9._-]+\.jar$/, { message: 'a file name ending in .jar' }),
    })
    .strict(),
]);

/** An image reference: [registry/]name[:tag][@digest]. */
export const IMAGE_REF =
  /^[a-z0-9][a-z0-9._-]*(?::[0-9]+)?(?:\/[a-z0-9._-]+)*(?::[A-Za-z0-9._-]{1,128})?(?:@sha256:[0-9a-f]{64})?$/;

/** The user's own image: a Containerfile built unchanged (on its FROM, or on the local base), or a reference. */
export const imageSchema = z
  .object({
    /** The Containerfile (or Dockerfile), relative to the scenario directory. */
    containerfile: relativePath.optional(),
    /** The build context (default: the Containerfile's directory). */
    context: relativePath.optional(),
    /** --build-arg NAME=VALUE of the build. */
    buildArgs: z
      .record(z.string().regex(envName, { message: 'build argument names are [A-Za-z_][A-Za-z0-9_]*' }), z.string())
      .default({}),
    /** "official": the FROM line as written; "local": the local InstantOn base instead (podman build --from). */
    base: z.enum(['official', 'local'], { message: 'one of official, local' }).default('official'),
    /** Or an image in local storage or a registry, e.g. localhost/myapp:1.2 (nothing is built). */
    ref: z.string().regex(IMAGE_REF, { message: 'must be an image reference such as localhost/myapp:1.2' }).optional(),
  })
  .strict()
  .refine((i) => (i.containerfile === undefined) !== (i.ref === undefined), {
    message: 'name either containerfile (your own Containerfile) or ref (an existing image), not both',
  });

export const LOAD_METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD'] as const;
export const MAX_LOAD_CONCURRENCY = 256;

export const serviceSchema = z
  .object({
    kind: z.literal('postgres'),
    /** Network alias the server reaches it by (its server.xml names this host). */
    alias: z.string().regex(/^[a-z][a-z0-9-]{0,40}$/),
    database: z.string().min(1),
    user: z.string().regex(/^[a-z_][a-z0-9_]*$/),
    password: z.string().min(1),
    /** SQL run once on the fresh database (relative to the scenario directory). */
    seed: relativePath.optional(),
  })
  .strict();

export const scenarioFileSchema = z
  .object({
    $schema: z.string().optional(),
    name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,40}$/, {
      message: 'lower-case letters, digits and "-", at most 41 characters',
    }),
    description: z.string().default(''),
    app: appSchema.optional(),
    /** Your own image instead of app + server: see imageSchema. */
    image: imageSchema.optional(),
    server: z
      .object({
        serverXml: relativePath,
        jvmOptions: relativePath.optional(),
        bootstrapProperties: relativePath.optional(),
        serverEnv: relativePath.optional(),
        /**
         * Extra files and directories (copied recursively, modes kept): destination -> source.
         * Destinations are relative to the server directory (${server.config.dir}), or, after
         * "shared:", to Liberty's shared resources directory (${shared.resource.dir});
         * sources are relative to the scenario directory and may come from the app build.
         */
        files: z.record(serverFileDest, relativePath).default({}),
      })
      .strict()
      .optional(),
    httpPort: z.number().int().min(MIN_HTTP_PORT).max(MAX_HTTP_PORT).default(DEFAULT_HTTP_PORT),
    firstResponse: z
      .object({
        path: z.string().startsWith('/', { message: 'must start with "/"' }),
        expectStatus: z.number().int().min(100).max(599).default(DEFAULT_EXPECT_STATUS),
        expectBodyContains: z.union([z.string(), z.array(z.string()).min(1)]).optional(),
      })
      .strict(),
    /** The ramp-up load (run --ramp-up): requests each connection cycles through, checked like the first response. */
    load: z
      .object({
        concurrency: z
          .number()
          .int()
          .min(1, { message: 'at least 1 connection' })
          .max(MAX_LOAD_CONCURRENCY, { message: `at most ${MAX_LOAD_CONCURRENCY} connections` })
          .optional(),
        requests: z
          .array(
            z
              .object({
                method: z.enum(LOAD_METHODS, { message: `one of ${LOAD_METHODS.join(', ')}` }).default('GET'),
                path: z.string().startsWith('/', { message: 'must start with "/"' }),
                body: z.string().optional(),
                headers: z.record(z.string(), z.string()).optional(),
                expectStatus: z.number().int().min(100).max(599).default(DEFAULT_EXPECT_STATUS),
                expectBodyContains: z.union([z.string(), z.array(z.string()).min(1)]).optional(),
              })
              .strict(),
          )
          .min(1, { message: 'at least one request' }),
      })
      .strict()
      .optional(),
    env: environment,
    /**
     * Variables given to restores and cold starts only, never to the checkpoint run: secrets belong here
     * (Liberty reads its environment again at restore), so the checkpoint holds no copy.
     */
    restoreEnv: environment,
    /** Values the checkpoint must not hold: env names, files (relative to the scenario) whose contents are secret, literals. */
    secrets: z
      .object({
        env: z.array(envVariableName).default([]),
        files: z.array(z.string().min(1)).default([]),
        values: z
          .array(
            z.string().min(MIN_SECRET_CHARS, {
              message: `at least ${MIN_SECRET_CHARS} characters (shorter values match by chance)`,
            }),
          )
          .default([]),
      })
      .strict()
      .default({ env: [], files: [], values: [] }),
    /** Files mounted read-only into every container of the scenario, the checkpoint run included: container path -> file. */
    mounts: fileMounts,
    /** Files mounted into restores and cold starts only (never the checkpoint run): container path -> file. */
    restoreMounts: fileMounts,
    /** Requests whose answers say something about the restored process: `entropy` must differ between instances. */
    probes: z
      .object({
        entropy: z
          .object({ path: z.string().startsWith('/', { message: 'must start with "/"' }) })
          .strict()
          .optional(),
      })
      .strict()
      .default({}),
    readyTimeoutMs: z
      .number()
      .int()
      .min(MIN_TIMEOUT_MS, { message: `at least ${MIN_TIMEOUT_MS} ms (1 s)` })
      .max(MAX_TIMEOUT_MS, { message: `at most ${MAX_TIMEOUT_MS} ms (1 h)` })
      .default(DEFAULT_READY_TIMEOUT_MS),
    /** Start the server once at image build time so cold starts find warm workarea caches. */
    prime: z.boolean().default(true),
    /** Services the harness starts beside the server, on a shared podman network. */
    services: z.array(serviceSchema).default([]),
    /**
     * The application on a plain JVM (an arm's runtime=java: `java -jar`, no Liberty): the line its ready is, a regular
     * expression (default: Spring Boot's "Started NAME in N seconds").
     */
    java: z
      .object({
        readyLine: z
          .string()
          .min(1)
          .refine((v) => isRegExp(v), { message: 'not a regular expression (e.g. "Started \\S+ in")' })
          .optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

function isRegExp(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}

/** What a scenario file may contain (all optional fields optional). */
export type ScenarioFileInput = z.input<typeof scenarioFileSchema>;
/** A scenario file after validation and defaults. */
export type ScenarioFile = z.output<typeof scenarioFileSchema>;
