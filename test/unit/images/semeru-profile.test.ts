import { serverScenario } from '../../support/server-scenario.js';
import { describe, expect, it } from 'vitest';
import { semeruContainerfile } from '../../../src/images/user-image/semeru-profile.js';
import { semeruCommands } from '../../../src/images/user-image/semeru-commands.js';
import { loadScenario } from '../../../src/scenario/load.js';

const flags = { runtime: 'runc', nofile: 20000, nproc: 4096 };

describe('semeru profile (checked through the commands it issues)', () => {
  it('builds from the official image with features.sh and configure.sh', async () => {
    const rest = serverScenario(await loadScenario('rest-crud', '/'));
    expect(semeruContainerfile(rest)).toMatchSnapshot();
  });

  it('checkpoints with the documented three steps and restores without --privileged', async () => {
    const ping = serverScenario(await loadScenario('pingperf', '/'));
    const cmds = semeruCommands(ping, flags, 'localhost/ib/pingperf:1', '/ctx');
    expect(cmds.checkpoint.afterAppStart.run).toEqual([
      'podman',
      'run',
      '--name',
      'ib-checkpoint-pingperf-afterappstart',
      '--pull=never',
      '--runtime',
      'runc',
      '--ulimit',
      'nofile=20000:20000',
      '--ulimit',
      'nproc=4096:4096',
      '--privileged',
      '--env',
      'WLP_CHECKPOINT=afterAppStart',
      'localhost/ib/pingperf:1',
    ]);
    expect(cmds.checkpoint.afterAppStart.commit).toEqual([
      'podman',
      'commit',
      '--change',
      'ENV WLP_CHECKPOINT=',
      'ib-checkpoint-pingperf-afterappstart',
      'localhost/ib/pingperf:1-instanton-afterappstart',
    ]);
    expect(cmds.restore).not.toContain('--privileged');
    // The official base is pulled at build time; the images the profile then runs are local only.
    expect(cmds.build).not.toContain('--pull=never');
    expect(cmds.cold).toContain('--pull=never');
    expect(cmds.restore).toEqual(
      expect.arrayContaining(['--cap-add', 'CHECKPOINT_RESTORE', 'SETPCAP', 'seccomp=unconfined']),
    );
  });
});
