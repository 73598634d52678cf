import { describe, expect, it } from 'vitest';
import { checkpointedServerProblems } from '../../../src/verify/checkpointed-server.js';

// Lines from real checkpoints on this machine (Open Liberty 26.0.0.3).
const LAUNCHED =
  '[2026-11-23T07:19:38.592+0000] 00000003 com.ibm.ws.kernel.launch.internal.FrameworkManager           A CWWKE0001I: The server defaultServer has been launched.';
const INCOMPATIBLE =
  '[2026-11-23T07:19:39.322+0000] 0000002b com.ibm.ws.kernel.feature.internal.FeatureManager            E CWWKF0044E: The restfulWS-3.1 and ejbLite-3.2 features cannot be loaded at the same time.';
const NONE_INSTALLED =
  '[2026-11-23T07:19:39.332+0000] 0000002b com.ibm.ws.kernel.feature.internal.FeatureManager            W CWWKF0046W: The configuration includes an incompatible combination of features. As a result, the feature manager did not install any features.';
const CHECKPOINT =
  '[2026-11-23T07:19:39.358+0000] 0000002b io.openliberty.checkpoint.internal.CheckpointImpl            A CWWKC0451I: A server checkpoint "afterAppStart" was requested.';
const STARTING =
  '[2026-11-23T07:01:02.100+0000] 0000003c com.ibm.ws.app.manager.AppMessageHelper                      I CWWKZ0018I: Starting application mp-health.';
const STARTED =
  '[2026-11-23T07:01:03.200+0000] 0000003c com.ibm.ws.app.manager.AppMessageHelper                      A CWWKZ0001I: Application mp-health started in 1.100 seconds.';

describe('checkpointedServerProblems', () => {
  it('accepts a server that started its application before an afterAppStart checkpoint', () => {
    expect(checkpointedServerProblems([LAUNCHED, STARTING, STARTED, CHECKPOINT].join('\n'), 'afterAppStart')).toEqual(
      [],
    );
    expect(checkpointedServerProblems([LAUNCHED, STARTING, CHECKPOINT].join('\n'), 'beforeAppStart')).toEqual([]);
  });

  it('refuses a checkpoint of a server whose features did not install (Liberty checkpoints it anyway)', () => {
    const problems = checkpointedServerProblems(
      [LAUNCHED, INCOMPATIBLE, NONE_INSTALLED, CHECKPOINT].join('\n'),
      'afterAppStart',
    );
    expect(problems[0]).toMatch(/^CWWKF0044E: The restfulWS-3.1 and ejbLite-3.2 features/);
    expect(problems[1]).toMatch(/^CWWKF0046W/);
    expect(problems[2]).toBe('no application was being started before the checkpoint (no CWWKZ0018I)');
  });

  it('refuses an afterAppStart checkpoint taken before the application started', () => {
    expect(checkpointedServerProblems([LAUNCHED, STARTING, CHECKPOINT].join('\n'), 'afterAppStart')).toEqual([
      'the application had not started at afterAppStart (no CWWKZ0001I)',
    ]);
  });
});
