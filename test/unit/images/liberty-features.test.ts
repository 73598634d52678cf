import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ScenarioError } from '../../../src/core/errors.js';
import { checkCheckpointFeatures, scenarioFeatures } from '../../../src/images/liberty/feature-check.js';
import {
  catalogOf,
  checkFeatures,
  featureFromManifest,
  parseManifest,
  readFeatureCatalog,
  serverXmlFeatures,
} from '../../../src/images/liberty/liberty-features.js';
import { silentReporter } from '../../../src/images/progress.js';
import type { ServerScenario as Scenario } from '../../../src/scenario/types.js';

/** A feature manifest shaped like Open Liberty's (CRLF, 1-space continuation lines). */
function manifest(o: { short?: string; sym: string; pub?: boolean; instantOn?: boolean; includes?: string[] }): string {
  const lines = [
    'IBM-Feature-Version: 2',
    ...(o.short ? [`IBM-ShortName: ${o.short}`] : []),
    ...(o.includes && o.includes.length > 0
      ? [
          `Subsystem-Content: ${o.includes.map((i) => `${i}; type="osgi.subsystem.feature"`).join(',\r\n ')},\r\n com.ibm.ws.some.bundle; version="[1,1.0.100)"`,
        ]
      : []),
    `Subsystem-SymbolicName: ${o.sym}; visibility:=${o.pub === false ? 'private' : 'public'}; singleton:=true`,
    'Subsystem-Type: osgi.subsystem.feature',
    ...(o.instantOn ? ['WLP-InstantOn-Enabled: true'] : []),
  ];
  return `${lines.join('\r\n')}\r\n`;
}

const features = [
  manifest({
    short: 'ejb-3.2',
    sym: 'x.ejb-3.2',
    includes: ['x.ejbLite-3.2', 'x.ejbRemote-3.2', 'x.jdbc-4.1', 'x.internal.ejb-3.2'],
  }),
  manifest({ short: 'ejbLite-3.2', sym: 'x.ejbLite-3.2', instantOn: true }),
  manifest({ short: 'ejbRemote-3.2', sym: 'x.ejbRemote-3.2' }),
  manifest({ short: 'jdbc-4.1', sym: 'x.jdbc-4.1', instantOn: true }),
  manifest({ sym: 'x.internal.ejb-3.2', pub: false, includes: ['x.ejbHome-3.2'] }),
  manifest({ short: 'ejbHome-3.2', sym: 'x.ejbHome-3.2', instantOn: false }),
  manifest({ short: 'servlet-3.1', sym: 'x.servlet-3.1' }),
  manifest({ short: 'servlet-6.0', sym: 'x.servlet-6.0', instantOn: true }),
  manifest({ short: 'servlet', sym: 'x.versionless.servlet', instantOn: true }),
  manifest({ short: 'mpHealth-4.0', sym: 'x.mpHealth-4.0', instantOn: true }),
]
  .map((m) => featureFromManifest(m))
  .filter((f) => f !== undefined);
const catalog = catalogOf(features);

describe('Liberty feature manifests', () => {
  it('joins continuation lines and reads visibility, the InstantOn header and included features', () => {
    expect(parseManifest('A: one\r\n two\r\nB: 3\r\n').get('A')).toBe('onetwo');
    const ejb = features.find((f) => f.shortName === 'ejb-3.2');
    expect(ejb).toMatchObject({
      isPublic: true,
      instantOn: false,
      includes: ['x.ejbLite-3.2', 'x.ejbRemote-3.2', 'x.jdbc-4.1', 'x.internal.ejb-3.2'],
    });
    expect(features.find((f) => f.symbolicName === 'x.internal.ejb-3.2')?.isPublic).toBe(false);
  });

  it('refuses a feature without WLP-InstantOn-Enabled and offers the capable feature carrying its name', () => {
    const v = checkFeatures(catalog, ['ejb-3.2', 'EJBLITE-3.2', 'ejbRemote-3.2', 'mpHealth-4.0']);
    expect(v.map((x) => x.status)).toEqual(['refused', 'ok', 'refused', 'ok']);
    expect(v[0]?.replacements).toEqual(['ejbLite-3.2']);
    expect(v[2]?.replacements).toEqual([]);
  });

  it('offers the nearest later version InstantOn supports (jaxrs-2.0 -> jaxrs-2.1)', () => {
    const withVersions = catalogOf([
      ...features,
      ...[
        manifest({ short: 'servlet-4.0', sym: 'x.servlet-4.0', instantOn: true }),
        manifest({ short: 'servlet-10.0', sym: 'x.servlet-10.0', instantOn: true }),
      ]
        .map((m) => featureFromManifest(m))
        .filter((f) => f !== undefined),
    ]);
    expect(checkFeatures(withVersions, ['servlet-3.1'])[0]).toMatchObject({
      status: 'refused',
      laterVersion: 'servlet-4.0',
    });
    expect(checkFeatures(withVersions, ['ejb-3.2'])[0]?.laterVersion).toBeUndefined();
  });

  it('versionless, unknown and user features are told apart', () => {
    const v = checkFeatures(catalog, ['servlet', 'nope-1.0', 'usr:mine-1.0']);
    expect(v[0]).toMatchObject({ status: 'depends-on-version', refusedVersions: ['servlet-3.1'] });
    expect(v[1]?.status).toBe('unknown');
    expect(v[2]?.status).toBe('user-feature');
  });

  it('reads the features of featureManager blocks, not of comments, and the includes', () => {
    const xml = `<server><featureManager><feature>ejb-3.2</feature>\n<!-- <feature>jaxws-2.2</feature> -->\n<feature> servlet-6.0 </feature></featureManager>
      <include location="db.xml"/><featureManager><feature>mpHealth-4.0</feature></featureManager></server>`;
    expect(serverXmlFeatures(xml)).toEqual({
      features: ['ejb-3.2', 'servlet-6.0', 'mpHealth-4.0'],
      includes: ['db.xml'],
    });
  });
});

describe('checkCheckpointFeatures', () => {
  async function scenarioWith(serverXml: string, include?: string): Promise<Scenario> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ib-features-'));
    await writeFile(path.join(dir, 'server.xml'), serverXml);
    if (include !== undefined) await writeFile(path.join(dir, 'db.xml'), include);
    return {
      file: path.join(dir, 'scenario.json'),
      dir,
      server: { serverXml: path.join(dir, 'server.xml'), files: {} },
    } as unknown as Scenario;
  }

  it('names each refused feature, the phase and the replacement, including features from an included file', async () => {
    const s = await scenarioWith(
      '<server><featureManager><feature>mpHealth-4.0</feature></featureManager><include location="${server.config.dir}/db.xml"/></server>',
      '<server><featureManager><feature>ejb-3.2</feature><feature>ejbRemote-3.2</feature></featureManager></server>',
    );
    expect((await scenarioFeatures(s)).map((f) => f.feature)).toEqual(['mpHealth-4.0', 'ejb-3.2', 'ejbRemote-3.2']);
    const error = await checkCheckpointFeatures(s, {
      libertyDir: '/nonexistent',
      release: '26.0.0.3',
      phases: ['afterAppStart'],
      reporter: silentReporter(),
      catalog,
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ScenarioError);
    const e = error as ScenarioError;
    expect(e.exitCode).toBe(2);
    expect(e.message.split('\n')[0]).toContain(
      'server.xml: featureManager: 2 feature(s) cannot be checkpointed at afterAppStart',
    );
    expect(e.message).toContain('ejb-3.2 (db.xml): Open Liberty 26.0.0.3 cannot checkpoint it at afterAppStart');
    expect(e.message).toContain('replace it with ejbLite-3.2');
    expect(e.message).toContain('ejbRemote-3.2 (db.xml)');
    expect(e.remedy).toContain('replace ejb-3.2 with ejbLite-3.2 in db.xml; remove ejbRemote-3.2 in db.xml');
  });

  it('reads configDropins files that server.files provides (a file, or a directory of them)', async () => {
    const s = await scenarioWith('<server><featureManager><feature>mpHealth-4.0</feature></featureManager></server>');
    await mkdir(path.join(s.dir, 'dropins', 'overrides'), { recursive: true });
    await writeFile(
      path.join(s.dir, 'dropins', 'overrides', 'ejb.xml'),
      '<server><featureManager><feature>ejb-3.2</feature></featureManager></server>',
    );
    await writeFile(
      path.join(s.dir, 'remote.xml'),
      '<server><featureManager><feature>ejbRemote-3.2</feature></featureManager></server>',
    );
    await writeFile(
      path.join(s.dir, 'not-read.xml'),
      '<server><featureManager><feature>jaxws-2.2</feature></featureManager></server>',
    );
    const withFiles = {
      ...s,
      server: {
        ...s.server,
        files: {
          configDropins: path.join(s.dir, 'dropins'),
          'configDropins/defaults/remote.xml': path.join(s.dir, 'remote.xml'),
          'conf/x.xml': path.join(s.dir, 'not-read.xml'),
        },
      },
    } as Scenario;
    expect((await scenarioFeatures(withFiles)).map((f) => `${f.feature} ${path.basename(f.file)}`)).toEqual([
      'mpHealth-4.0 server.xml',
      'ejb-3.2 ejb.xml',
      'ejbRemote-3.2 remote.xml',
    ]);
  });

  it('follows includes whose location uses variables from bootstrap.properties or <variable>, into mapped directories', async () => {
    const s = await scenarioWith(
      '<server><variable name="extra.file" defaultValue="ejb.xml"/><include location="${ejb.dir}/${extra.file}"/><include location="${unknown.dir}/x.xml"/></server>',
    );
    await mkdir(path.join(s.dir, 'more'), { recursive: true });
    await writeFile(
      path.join(s.dir, 'more', 'ejb.xml'),
      '<server><featureManager><feature>ejbRemote-3.2</feature></featureManager></server>',
    );
    await writeFile(
      path.join(s.dir, 'bootstrap.properties'),
      '# Liberty variables\nejb.dir = ${server.config.dir}/conf\n',
    );
    const withVars = {
      ...s,
      server: {
        ...s.server,
        bootstrapProperties: path.join(s.dir, 'bootstrap.properties'),
        files: { conf: path.join(s.dir, 'more') },
      },
    } as Scenario;
    expect((await scenarioFeatures(withVars)).map((f) => `${f.feature} ${path.basename(f.file)}`)).toEqual([
      'ejbRemote-3.2 ejb.xml',
    ]);
  });

  it('passes capable features, and checks nothing when no checkpoint phase is asked for', async () => {
    const ok = await scenarioWith(
      '<server><featureManager><feature>mpHealth-4.0</feature><feature>servlet-6.0</feature></featureManager></server>',
    );
    await expect(
      checkCheckpointFeatures(ok, {
        libertyDir: '/nonexistent',
        release: 'r',
        phases: ['beforeAppStart', 'afterAppStart'],
        reporter: silentReporter(),
        catalog,
      }),
    ).resolves.toBeUndefined();
    const bad = await scenarioWith('<server><featureManager><feature>ejb-3.2</feature></featureManager></server>');
    await expect(
      checkCheckpointFeatures(bad, {
        libertyDir: '/nonexistent',
        release: 'r',
        phases: [],
        reporter: silentReporter(),
        catalog,
      }),
    ).resolves.toBeUndefined();
  });

  it('reads a release directory of manifests', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ib-wlp-'));
    await mkdir(path.join(dir, 'wlp', 'lib', 'features'), { recursive: true });
    await writeFile(path.join(dir, 'wlp', 'lib', 'features', 'a.mf'), manifest({ short: 'ejb-3.2', sym: 'x.ejb-3.2' }));
    await writeFile(
      path.join(dir, 'wlp', 'lib', 'features', 'b.mf'),
      manifest({ short: 'ejbLite-3.2', sym: 'x.ejbLite-3.2', instantOn: true }),
    );
    await writeFile(path.join(dir, 'wlp', 'lib', 'features', 'readme.txt'), 'not a manifest');
    const c = await readFeatureCatalog(dir);
    expect([...c.byShortName.keys()].sort()).toEqual(['ejb-3.2', 'ejblite-3.2']);
  });
});
