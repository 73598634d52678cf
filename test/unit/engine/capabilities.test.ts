import { describe, expect, it } from 'vitest';
import { decodeCapabilityMask, restorePrivilege, setprivCapList } from '../../../src/engine/capabilities.js';
import { privilegeFlags } from '../../../src/engine/podman-argv.js';

describe('capabilities', () => {
  it('decodes a CapBnd mask (podman defaults plus the five restore capabilities)', () => {
    // Read from a real restore container on this machine.
    const names = decodeCapabilityMask('100822415fb');
    expect(names).toEqual([
      'chown',
      'dac_override',
      'fowner',
      'fsetid',
      'kill',
      'setgid',
      'setuid',
      'setpcap',
      'net_bind_service',
      'net_admin',
      'sys_chroot',
      'sys_admin',
      'sys_time',
      'setfcap',
      'checkpoint_restore',
    ]);
    expect(setprivCapList(['kill', 'sys_time'])).toBe('+kill,+sys_time');
  });

  it('restores with exactly five added capabilities unless privileged is asked', () => {
    expect(privilegeFlags(restorePrivilege('least-privilege'))).toEqual([
      '--cap-add',
      'CHECKPOINT_RESTORE',
      '--cap-add',
      'SETPCAP',
      '--cap-add',
      'NET_ADMIN',
      '--cap-add',
      'SYS_ADMIN',
      '--cap-add',
      'SYS_TIME',
    ]);
    expect(privilegeFlags(restorePrivilege('privileged'))).toEqual(['--privileged']);
  });
});
