import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { forecast, type CheckpointRecord } from '../../../src/hosts/forecast.js';
import { compareCpu, HOTSPOT_UNCONDITIONAL, JVM_USED_FEATURES } from '../../../src/hosts/cpu-features.js';
import { hostProfileSchema, parseProbeOutput, type HostProfile } from '../../../src/hosts/profile.js';
import { probeBlocks } from '../../../src/cli/commands/hosts.js';

const fixture = (name: string): Promise<string> =>
  readFile(new URL(`../../fixtures/hosts/${name}`, import.meta.url), 'utf8');

/** This machine's checkpoint record: the fingerprint its Pingperf afterAppStart image carries. */
async function checkpointHere(over: Partial<CheckpointRecord> = {}): Promise<CheckpointRecord> {
  const fp = JSON.parse(await fixture('checkpoint-fingerprint.json')) as { cpuFlags: string; kernel: string };
  return {
    image: 'pingperf-afterappstart',
    cpuModel: 'Intel(R) Xeon(R) Processor',
    cpuFlags: fp.cpuFlags.split(' '),
    kernel: fp.kernel,
    criu: '4.2.1',
    glibc: '2.43',
    capabilities: ['checkpoint_restore', 'setpcap', 'sys_admin'],
    ...over,
  };
}

async function thisHost(): Promise<HostProfile> {
  return parseProbeOutput(await fixture('probe-this-host.txt'), { source: 'process', probedAt: 'x' });
}

describe('host profiles', () => {
  it('parse the probe script output recorded on this machine: CPU flags, kernel facts, capabilities', async () => {
    const p = await thisHost();
    expect(p.cpu.flags).toContain('avx512f');
    expect(p.cpu.flags).toContain('serialize');
    expect(p.kernel.release).toMatch(/^6\.18/);
    expect(p.kernel.features.ptrace_get_rseq_configuration).toBe('yes');
    expect(p.kernel.features.config_checkpoint_restore).toBe('yes');
    expect(p.process.capabilities).toContain('checkpoint_restore');
    expect(hostProfileSchema.safeParse(p).success).toBe(true);
  });

  it('finds the probe blocks in kubectl logs --prefix output and refuses output without one', async () => {
    const text = await fixture('probe-this-host.txt');
    const logs = [
      ...text.split('\n').map((l) => `[pod/instanton-bench-probe-a/probe] ${l}`),
      ...text
        .replace('hostname\tvm', 'hostname\tnode-b')
        .split('\n')
        .map((l) => `[pod/instanton-bench-probe-b/probe] ${l}`),
    ].join('\n');
    const blocks = probeBlocks(logs);
    expect(blocks).toHaveLength(2);
    expect(parseProbeOutput(blocks[1]!, { source: 'pod' }).name).toBe('node-b');
    expect(() => parseProbeOutput('nothing here', { source: 'pod' })).toThrow(/no probe output/);
  });
});

describe('the restore forecast', () => {
  it("this machine's own profile: restores", async () => {
    expect(forecast(await checkpointHere(), await thisHost()).outcome).toBe('restores');
  });

  it('a node without avx2 and with a 5.10 kernel: fails, naming avx2 and the kernel; the rseq request is not what fails', async () => {
    const here = await thisHost();
    const edited: HostProfile = {
      ...here,
      cpu: { ...here.cpu, flags: here.cpu.flags.filter((f) => f !== 'avx2') },
      kernel: { ...here.kernel, release: '5.10.228-219.884.amzn2.x86_64' },
    };
    const f = forecast(await checkpointHere(), parseEdited(edited));
    expect(f.outcome).toBe('fails');
    const text = f.findings.map((x) => `${x.outcome}: ${x.reason}`).join('\n');
    expect(text).toMatch(/fails: the checkpoint may run avx2 instructions/);
    expect(text).toMatch(/fails: .*MADV_GUARD_INSTALL/);
    expect(text).toMatch(/restores: .*PTRACE_GET_RSEQ_CONFIGURATION .*CRIU 4\.2\.1 restores without it/);
  });

  it('the Nehalem guest (probed in QEMU): fails on the instructions it lacks, serialize and avx2 among them; at risk for xsave', async () => {
    const guest = hostProfileSchema.parse(JSON.parse(await fixture('guest-nehalem.json'))) as unknown as HostProfile;
    const f = forecast(await checkpointHere(), guest);
    expect(f.outcome).toBe('fails');
    const fails = f.findings.find((x) => x.outcome === 'fails' && /instructions/.test(x.reason))!;
    for (const feature of ['serialize', 'avx2', 'avx512f', 'sha_ni']) expect(fails.reason).toContain(feature);
    expect(f.findings.some((x) => x.outcome === 'at-risk' && /xsave/.test(x.reason))).toBe(true);
  });

  it("a checkpoint whose host had only the guest's CPU features, on the same kernel: restores on the Nehalem guest", async () => {
    const guest = hostProfileSchema.parse(JSON.parse(await fixture('guest-nehalem.json'))) as unknown as HostProfile;
    const f = forecast(await checkpointHere({ cpuFlags: guest.cpu.flags, kernel: guest.kernel.release }), guest);
    expect(f.outcome).toBe('restores');
    expect(compareCpu(guest.cpu.flags, ['fpu', 'sse', 'sse2']).missing).toEqual(
      expect.arrayContaining(['sse4_2', 'popcnt']),
    );
  });

  it('a checkpoint whose JVM was limited to x86-64-v2 (cpu-baseline=): at risk only for xsave on the Nehalem guest; limited to x86-64-v3: fails on what v3 adds', async () => {
    const guest = hostProfileSchema.parse(JSON.parse(await fixture('guest-nehalem.json'))) as unknown as HostProfile;
    const v2 = forecast(await checkpointHere({ cpuBaseline: 'x86-64-v2' }), guest);
    expect(v2.outcome).toBe('at-risk');
    expect(v2.findings.map((x) => x.outcome)).toEqual(['at-risk']);
    expect(v2.findings[0]!.reason).toMatch(/xsave/);
    const v3 = forecast(await checkpointHere({ cpuBaseline: 'x86-64-v3' }), guest);
    expect(v3.outcome).toBe('fails');
    const fails = v3.findings.find((x) => x.outcome === 'fails')!;
    for (const feature of ['avx2', 'bmi2', 'fma']) expect(fails.reason).toContain(feature);
    for (const feature of ['serialize', 'avx512f', 'sha_ni']) expect(fails.reason).not.toContain(feature);
    expect(fails.reason).toContain('within x86-64-v3');
    // The default checkpoint's remedy names the portable one.
    const plain = forecast(await checkpointHere(), guest);
    expect(plain.findings.find((x) => x.outcome === 'fails')!.remedy).toMatch(/cpu-baseline=x86-64-v2/);
  });

  it('expectations derived from the two profiles: an Intel and an AMD checkpoint host each fail on the Nehalem guest for exactly the features they have and it lacks', async () => {
    const guest = hostProfileSchema.parse(JSON.parse(await fixture('guest-nehalem.json'))) as unknown as HostProfile;
    const amd = JSON.parse(await fixture('amd-epyc-family26-firecracker.json')) as {
      cpu: { model: string; flags: string[] };
    };
    const intel = await checkpointHere();
    for (const host of [intel, await checkpointHere({ cpuModel: amd.cpu.model, cpuFlags: amd.cpu.flags })]) {
      const hostFlags = host.cpuFlags!;
      const expected = [...JVM_USED_FEATURES, ...HOTSPOT_UNCONDITIONAL.map((u) => u.flag)].filter(
        (f) => hostFlags.includes(f) && !guest.cpu.flags.includes(f) && f !== 'xsave',
      );
      const cmp = compareCpu(hostFlags, guest.cpu.flags);
      expect(new Set(cmp.missing)).toEqual(new Set(expected));
      const fails = forecast(host, guest).findings.find((x) => x.outcome === 'fails')!;
      for (const f of expected) expect(fails.reason).toContain(f);
      // clwb (both hosts have it) is named with where HotSpot runs it; serialize only where the host had it.
      expect(fails.reason).toMatch(/clwb \(HotSpot 25 runs it in ICache::flush_icache_final_stub/);
      expect(fails.reason.includes('serialize')).toBe(hostFlags.includes('serialize'));
      // The remedy offers cpu-baseline= only where the checkpoint host has CPUID faulting.
      expect(/cpu-baseline=x86-64-v2/.test(fails.remedy!)).toBe(hostFlags.includes('cpuid_fault'));
      expect(/cpu-baseline=x86-64-v3-clwb restores on x86-64-v3 CPUs with clwb/.test(fails.remedy!)).toBe(
        !hostFlags.includes('cpuid_fault'),
      );
    }
    expect(amd.cpu.flags).not.toContain('serialize');
    expect(amd.cpu.flags).not.toContain('cpuid_fault');
  });

  it('an unconditional HotSpot instruction is a reason even where no option-controlled one differs (clwb alone)', () => {
    const cmp = compareCpu(['sse4_2', 'popcnt', 'clwb'], ['sse4_2', 'popcnt']);
    expect(cmp.missing).toEqual(['clwb']);
    expect(cmp.otherMissing).toEqual([]);
  });

  it('a checkpoint taken on another kernel, forecast for this 6.18 host: fails on what CRIU 4.2.1 did here (vDSO)', async () => {
    const f = forecast(await checkpointHere({ kernel: '6.12.117+deb13-cloud-amd64' }), await thisHost());
    expect(f.outcome).toBe('fails');
    expect(f.findings.some((x) => /vDSO/.test(x.reason))).toBe(true);
  });

  it('a container that is not granted a capability the checkpointed server holds: fails, naming it', async () => {
    const here = await thisHost();
    const pod: HostProfile = {
      ...here,
      source: 'pod',
      process: { ...here.process, capabilities: here.process.capabilities.filter((c) => c !== 'sys_admin') },
    };
    const f = forecast(await checkpointHere(), pod);
    expect(f.outcome).toBe('fails');
    expect(f.findings[0]!.reason).toMatch(/SYS_ADMIN/);
    expect(f.findings[0]!.remedy).toMatch(/securityContext/);
  });

  it('an image without a record of its host: at risk, never "restores"', async () => {
    const f = forecast({ image: 'foreign' }, await thisHost());
    expect(f.outcome).toBe('at-risk');
  });
});

function parseEdited(p: HostProfile): HostProfile {
  // The kernel facts follow the edited release, as the probe derives them.
  return {
    ...p,
    kernel: {
      ...p.kernel,
      features: { ...p.kernel.features, ptrace_get_rseq_configuration: 'no' },
    },
  };
}
