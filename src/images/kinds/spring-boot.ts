import { UsageError } from '../../core/errors.js';
import { isServerScenario, isSpringBootApp, type ServerScenario } from '../../scenario/types.js';
import type { AppLayout } from '../app/app-image.js';
import type { BuiltApp } from '../app/app-build.js';
import path from 'node:path';
import { readIfExists } from '../../core/read-if-exists.js';
import { checkSpringBootJar, checkSpringBootPom, jarCarriesCrac } from '../app/spring-boot-jar.js';
import { checkCheckpointFeatures, scenarioFeatures } from '../liberty/feature-check.js';
import type { BuildOptions } from '../stack.js';
import type { BuildReporter } from '../progress.js';
import { planLines, planServerImages, planStack } from '../dry-run.js';
import type { ScenarioKind } from './kind.js';
import { applyServerArm, buildServerScenario, serverKind, type ServerFlavour } from './server.js';

/**
 * A Spring Boot application's app image (images/spring-boot): its executable jar staged in spring/, thinned there by
 * Liberty's springBootUtility into a library layer (lib.index.cache) and the thin jar under apps/.
 */
export const SPRING_BOOT_LAYOUT: AppLayout = {
  containerfileDir: 'spring-boot',
  archiveAt: (deployAs) => `spring/${deployAs}`,
};

/** A Maven project's jar, checked once Maven has made it (a prebuilt one was checked before anything: checkSource). */
export async function checkBuiltJar(scenario: ServerScenario, app: BuiltApp): Promise<void> {
  if (scenario.app.kind === 'maven') await checkSpringBootJar(`${scenario.file}: app`, app.warFile);
}

const flavourOf = (scenario: ServerScenario, build: BuildOptions): ServerFlavour => ({
  layout: SPRING_BOOT_LAYOUT,
  checkApp: async (app: BuiltApp) => {
    await checkBuiltJar(scenario, app);
    if (build.config.phases.length > 0) await warnCracWithoutFeature(scenario, app.warFile, build.reporter);
  },
});

/**
 * A jar with org.crac takes part in Spring's checkpoint lifecycle, which runs on Liberty only with crac-1.4: without
 * it Spring neither stops its lifecycle beans (a connection pool among them) before the checkpoint nor restarts them
 * after a restore. Said at the build, not refused: the checkpoint may still be what the user wants.
 */
export async function warnCracWithoutFeature(
  scenario: ServerScenario,
  jar: string,
  reporter: BuildReporter,
): Promise<void> {
  if (!(await jarCarriesCrac(jar))) return;
  const features = (await scenarioFeatures(scenario)).map((f) => f.feature.toLowerCase());
  if (features.some((f) => f.startsWith('crac-') || f === 'crac')) return;
  reporter.step(
    `warning: ${scenario.server.serverXml}: ${path.basename(jar)} carries org.crac (Spring's checkpoint lifecycle) ` +
      'but the server does not enable crac-1.4: Spring will not stop its lifecycle beans before the checkpoint nor ' +
      'restart them after a restore; add <feature>crac-1.4</feature> to its featureManager',
  );
}

/**
 * A Spring Boot 3 application (app.deployAs a .jar) on the tool's Liberty image, deployed as Open Liberty's Spring Boot
 * guide does it: springBoot-3.0, the jar thinned so its libraries are an image layer of their own. Everything after the
 * app image (AOT cache, checkpoints, starts, verification) is the server kind's.
 */
export const springBootKind: ScenarioKind<ServerScenario> = {
  name: 'spring-boot',
  claims: (scenario): scenario is ServerScenario => isServerScenario(scenario) && isSpringBootApp(scenario.app),
  refuse(scenario, arm, opts) {
    if (opts.profile === 'semeru')
      throw new UsageError(
        `${scenario.file}: --profile semeru: a Spring Boot application is built on the tool's own Liberty image only`,
        'drop --profile semeru (the local profile runs it on Liberty InstantOn)',
      );
    if (arm?.app !== undefined && /\.(war|ear)$/.test(arm.app))
      throw new UsageError(
        `--arm ${arm.name}: app: ${arm.app} is a web archive; ${scenario.name} deploys a Spring Boot jar`,
        'name a Spring Boot executable jar or its Maven project',
      );
    serverKind.refuse(scenario, arm, opts);
  },
  applyArm: applyServerArm,
  async beforeBuild(scenario, ctx) {
    await checkSource(scenario);
    await checkCheckpointFeatures(scenario, ctx);
  },
  async dryRun(engine, scenario, opts) {
    const stack = await planStack(engine, opts);
    const steps = [...stack.steps, ...(await planServerImages(engine, scenario, opts, stack, SPRING_BOOT_LAYOUT))];
    return planLines(scenario.name, opts.baseCriu, steps);
  },
  async build(engine, scenario, build) {
    await checkSource(scenario);
    return buildServerScenario(engine, scenario, build, flavourOf(scenario, build));
  },
};

/**
 * Before anything is built: a jar given as it is, or the Spring Boot a Maven project's parent names (the jar Maven
 * makes is checked again once it is made).
 */
export async function checkSource(scenario: ServerScenario): Promise<void> {
  if (scenario.app.kind === 'war') {
    await checkSpringBootJar(`${scenario.file}: app.jar`, scenario.app.warFile);
    return;
  }
  const pomFile = path.join(scenario.app.projectDir, 'pom.xml');
  checkSpringBootPom(`${scenario.file}: app.maven`, pomFile, (await readIfExists(pomFile)) ?? '');
}
