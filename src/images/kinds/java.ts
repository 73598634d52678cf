import { rm } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../../core/errors.js';
import type { ArmSpec } from '../../results/config-types.js';
import { isServerScenario, isSpringBootApp, runtimeOf, type ServerScenario } from '../../scenario/types.js';
import { provesRestore, type Variant } from '../../scenario/variants.js';
import { ensureApp } from '../app/app-build.js';
import { ensureJavaImage, stageJavaImage } from '../app/java-image.js';
import { aotCacheRepository } from '../aot-cache/aot-cache-image.js';
import { derivedStep, planAppBuild, planBase, planLines, type DryRunStep } from '../dry-run.js';
import { cachedState, ReplacedImages } from '../provenance.js';
import { ensureJdkBase } from '../stack.js';
import type { ScenarioKind } from './kind.js';
import { applyServerArm, servicesAndAotCache } from './server.js';
import { checkBuiltJar, checkSource } from './spring-boot.js';

/** What an arm may not ask of a plain JVM: the keys that change Liberty or its checkpoints. */
const LIBERTY_ONLY_KEYS: ReadonlyArray<[keyof ArmSpec, string]> = [
  ['liberty', 'liberty'],
  ['libertyZip', 'liberty-zip'],
  ['serverXml', 'server-xml'],
  ['jvmOptions', 'jvm-options'],
  ['checkpointFrom', 'checkpoint-from'],
  ['cpuBaseline', 'cpu-baseline'],
];

/**
 * A Spring Boot application's executable jar on a plain JVM (an arm's runtime=java): `java -jar` on the base image's
 * JDK, as a Spring team runs it without Liberty, cold and with the JDK's AOT cache; no checkpoint. Ready is the line the
 * scenario names (Spring Boot's "Started ... in ... seconds"). The application is built as the spring-boot kind builds
 * it; the AOT cache is trained as the server kind's is (the same training start, on this image).
 */
export const javaKind: ScenarioKind<ServerScenario> = {
  name: 'java',
  claims: (scenario): scenario is ServerScenario =>
    isServerScenario(scenario) && isSpringBootApp(scenario.app) && runtimeOf(scenario) === 'java',
  refuse(scenario, arm, opts) {
    const name = arm ? `--arm ${arm.name}` : scenario.file;
    if (opts.profile === 'semeru')
      throw new UsageError(
        `${name}: runtime=java: --profile semeru builds Liberty on the official image; a plain JVM has no Liberty`,
        'drop --profile semeru',
      );
    for (const [field, key] of LIBERTY_ONLY_KEYS)
      if (arm?.[field] !== undefined)
        throw new UsageError(
          `${name}: ${key}: runtime=java runs the jar on a plain JVM, with no Liberty for ${key} to change`,
          `drop ${key} from that arm (JVM options of a plain JVM go in env.JVM_ARGS)`,
        );
  },
  measures: (variant: Variant) => !provesRestore(variant),
  applyArm: applyServerArm,
  beforeBuild: (scenario) => checkSource(scenario),
  async dryRun(engine, scenario, opts) {
    const { base, baseHere, step } = await planBase(engine);
    const steps: DryRunStep[] = [step];
    const { app, step: appStep } = await planAppBuild(scenario, opts);
    if (appStep) steps.push(appStep);
    let imageTag: string | undefined;
    if (baseHere && app.complete && !opts.rebuild) {
      const scratch = path.join(opts.cache, 'scratch', `dry-run-${process.pid}`);
      const staged = await stageJavaImage({ scenario, app: app.app, baseKey: base.key, scratchDir: scratch });
      await rm(scratch, { recursive: true, force: true });
      const imageHere = (await cachedState(engine, staged.tag, base.tag)).state === 'current';
      if (imageHere) imageTag = staged.tag;
      steps.push({
        what: `${scenario.name}: plain JVM image (java -jar)`,
        tag: staged.tag,
        action: imageHere ? 'use' : 'build',
        why: imageHere ? 'in local storage, made from the current base image' : 'not in local storage',
      });
    } else
      steps.push({
        what: `${scenario.name}: plain JVM image (java -jar)`,
        action: 'build',
        why: 'its parts are to be built',
      });
    const aot = `${scenario.name}: plain JVM AOT cache image (training start)`;
    if (opts.aotCache)
      steps.push(
        imageTag
          ? await derivedStep(engine, await engine.imageId(imageTag), aot, aotCacheRepository(scenario.name))
          : { what: aot, action: 'build', why: 'its image is to be built' },
      );
    return planLines(`${scenario.name} (runtime=java)`, opts.baseCriu, steps);
  },
  async build(engine, scenario, build) {
    await checkSource(scenario);
    const opts = { ...build, ...build.config };
    const { plainBase, base } = await ensureJdkBase(engine, opts);
    const app = await ensureApp(scenario, opts.cache, opts.reporter, opts.rebuild);
    await checkBuiltJar(scenario, app);
    const replaced = new ReplacedImages();
    const image = await ensureJavaImage(engine, {
      scenario,
      app,
      baseTag: base.tag,
      baseKey: base.key,
      scratchDir: path.join(opts.cache, 'scratch'),
      reporter: opts.reporter,
      replaced,
      ...(opts.rebuild !== undefined ? { rebuild: opts.rebuild } : {}),
    });
    const { services, aotCache } = await servicesAndAotCache(engine, scenario, opts, {
      plainBase,
      appImage: image,
      replaced,
      wanted: opts.aotCache,
    });
    await replaced.removeUnused(engine, opts.reporter);
    return {
      ...(services ? { services } : {}),
      ...(aotCache ? { aotCache } : {}),
      checkpoints: {},
      scenario: scenario.name,
      profile: 'local',
      baseImage: base.tag,
      libertyImage: 'none (a plain JVM)',
      appImage: image.tag,
      libertyVersion: 'none (java -jar)',
      appSha256: app.sha256,
      primed: false,
    };
  },
};
