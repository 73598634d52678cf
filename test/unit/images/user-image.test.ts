import { describe, expect, it } from 'vitest';
import {
  checkpointPhaseInHistory,
  ensurePulled,
  failedBuildSummary,
  firstFromImage,
} from '../../../src/images/user-image/user-image.js';
import { silentReporter } from '../../../src/images/progress.js';
import type { Engine } from '../../../src/engine/engine.js';
import { EXIT_ENVIRONMENT, EXIT_USAGE, type BenchError } from '../../../src/core/errors.js';

describe('firstFromImage', () => {
  it('reads the first FROM, with --platform and ARG defaults and build arguments filled in', () => {
    expect(
      firstFromImage('# c\nFROM icr.io/appcafe/open-liberty:kernel-slim-java21-openj9-ubi\nFROM other\n', {}),
    ).toBe('icr.io/appcafe/open-liberty:kernel-slim-java21-openj9-ubi');
    const text =
      'ARG TAG=kernel-slim-java17-openj9-ubi\nFROM --platform=linux/amd64 icr.io/appcafe/open-liberty:${TAG}\n';
    expect(firstFromImage(text, {})).toBe('icr.io/appcafe/open-liberty:kernel-slim-java17-openj9-ubi');
    expect(firstFromImage(text, { TAG: 'full-java21-openj9-ubi' })).toBe(
      'icr.io/appcafe/open-liberty:full-java21-openj9-ubi',
    );
    expect(firstFromImage('RUN true\n', {})).toBeUndefined();
  });
});

describe('checkpointPhaseInHistory', () => {
  it('finds the phase of a RUN checkpoint.sh step, and nothing in an image without one', () => {
    expect(
      checkpointPhaseInHistory(['LABEL x=y', '/bin/sh -c checkpoint.sh afterAppStart', '/bin/sh -c configure.sh']),
    ).toBe('afterAppStart');
    expect(checkpointPhaseInHistory(['RUN /bin/sh -c checkpoint.sh beforeAppStart # buildkit'])).toBe('beforeAppStart');
    expect(checkpointPhaseInHistory(['/bin/sh -c configure.sh', '/bin/sh -c features.sh'])).toBeUndefined();
    expect(checkpointPhaseInHistory(['/bin/sh -c checkpoint.sh applications'])).toBeUndefined();
  });
});

describe('failedBuildSummary', () => {
  it("names the step that failed and keeps what it printed and podman's verdict", () => {
    const lines = [
      'STEP 1/3: FROM base',
      'STEP 2/3: RUN features.sh',
      'features.sh: server.xml: feature ejb-9.9 is not part of Open Liberty in this image',
      'Error: building at STEP "RUN features.sh": while running runtime: exit status 1',
    ];
    const s = failedBuildSummary(lines);
    expect(s.step).toBe('STEP 2/3: RUN features.sh');
    expect(s.errors).toEqual(lines.slice(2));
  });
});

describe('ensurePulled', () => {
  const engine = (error: string): Engine =>
    ({
      imageExists: async () => false,
      pullImage: async () => ({ ok: false, error }),
    }) as unknown as Engine;
  const field = { file: '/s/scenario.json', name: 's', field: 'image.ref' };
  const failure = (e: Engine): Promise<BenchError> =>
    ensurePulled(e, 'icr.io/appcafe/open-liberty:nope', field, silentReporter()).then(
      () => {
        throw new Error('expected a failure');
      },
      (error: unknown) => error as BenchError,
    );

  it('an unreachable registry is the environment (exit 3) with the fixes; a missing image is bad input (exit 2)', async () => {
    const unreachable = await failure(
      engine('pinging container registry icr.io: dial tcp: lookup icr.io: no such host'),
    );
    expect(unreachable.exitCode).toBe(EXIT_ENVIRONMENT);
    expect(unreachable.message).toContain('cannot pull icr.io/appcafe/open-liberty:nope from icr.io');
    expect(unreachable.remedy).toContain('podman load');
    expect(unreachable.remedy).toContain('--base local');
    const missing = await failure(engine('reading manifest nope in icr.io/appcafe/open-liberty: manifest unknown'));
    expect(missing.exitCode).toBe(EXIT_USAGE);
    expect(missing.message).toContain('/s/scenario.json: image.ref');
  });
});

describe('ensurePulled of a local name', () => {
  it('an image under localhost/ that is not in local storage is bad input (exit 2), with no pull', async () => {
    let pulled = false;
    const engine = {
      imageExists: async () => false,
      pullImage: async () => {
        pulled = true;
        return { ok: false, error: 'x' };
      },
    } as unknown as Engine;
    const error = await ensurePulled(
      engine,
      'localhost/myapp:9',
      { file: '/s/scenario.json', name: 's', field: 'image.ref' },
      silentReporter(),
    ).then(
      () => undefined,
      (e: unknown) => e as BenchError,
    );
    expect(error?.exitCode).toBe(EXIT_USAGE);
    expect(error?.message).toContain('image.ref: localhost/myapp:9 is not in local storage');
    expect(pulled).toBe(false);
  });
});
