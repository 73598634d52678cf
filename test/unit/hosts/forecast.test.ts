import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { forecast, type CheckpointRecord } from '../../../src/hosts/forecast.js';
import {
  compareCpu,
  RUN_ON_USE,
  cpuVendor,
  HOTSPOT_UNCONDITIONAL,
  isInstructionFlag,
  JVM_USED_FEATURES,
} from '../../../src/hosts/cpu-features.js';
import { criuCpuCapRefusals } from '../../../src/hosts/criu-cpu-cap.js';
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
    for (const feature of ['serialize', 'avx2', 'avx512f']) expect(fails.reason).toContain(feature);
    expect(f.findings.some((x) => x.outcome === 'at-risk' && /xsave/.test(x.reason))).toBe(true);
    // SHA-NI runs only in the SHA intrinsics: named, at risk, not a reason the restore fails.
    expect(fails.reason).not.toContain('sha_ni');
    const onUse = f.findings.find((x) => x.outcome === 'at-risk' && /sha_ni/.test(x.reason))!;
    expect(onUse.reason).toMatch(/sha_ni \(SHA-1\/SHA-256 intrinsics/);
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
      const lacking = [...JVM_USED_FEATURES, ...HOTSPOT_UNCONDITIONAL.map((u) => u.flag)].filter(
        (f) => hostFlags.includes(f) && !guest.cpu.flags.includes(f) && f !== 'xsave',
      );
      const onUse = RUN_ON_USE.map((r) => r.flag);
      const expected = lacking.filter((f) => !onUse.includes(f));
      const cmp = compareCpu(hostFlags, guest.cpu.flags);
      expect(new Set(cmp.missing)).toEqual(new Set(expected));
      expect(new Set(cmp.missingOnUse)).toEqual(new Set(lacking.filter((f) => onUse.includes(f))));
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

describe('forecast rules across kernels, vendors and CRIU --cpu-cap', () => {
  const amdProfile = async (): Promise<HostProfile> =>
    hostProfileSchema.parse(JSON.parse(await fixture('amd-epyc-family26-firecracker.json'))) as unknown as HostProfile;
  const amdCheckpoint = async (over: Partial<CheckpointRecord> = {}): Promise<CheckpointRecord> => {
    const amd = await amdProfile();
    return checkpointHere({ cpuModel: amd.cpu.model, cpuFlags: [...amd.cpu.flags], ...over });
  };

  it('vDSO: a kernel change is "fails" only on the kernel it failed on here (6.18), "at risk" on another, nothing with the same kernel or CRIU 4.3', async () => {
    const here = await thisHost();
    const on = (release: string): HostProfile => ({ ...here, kernel: { ...here.kernel, release } });
    const vdso = (c: CheckpointRecord, p: HostProfile) => forecast(c, p).findings.filter((x) => /vDSO/.test(x.reason));
    const from612 = await checkpointHere({ kernel: '6.12.117' });
    expect(vdso(from612, on('6.18.44')).map((x) => x.outcome)).toEqual(['fails']);
    expect(vdso(from612, on('7.1.3')).map((x) => x.outcome)).toEqual(['at-risk']);
    expect(vdso(from612, on('7.1.3'))[0]!.reason).toMatch(/4\.2\.1 failed it restoring on 6\.18/);
    expect(vdso(from612, on('6.12.50'))).toEqual([]);
    // Verified here: 6.18 checkpoints restored in guests running 7.2.
    expect(vdso(await checkpointHere({ kernel: '6.18.44' }), on('7.2.13'))).toEqual([]);
    expect(vdso(await checkpointHere({ kernel: '6.12.117', criu: '4.3.0' }), on('6.18.44'))).toEqual([]);
  });

  it('cpuVendor: from the vendor string, else the model, else vendor-only flags; unknown when none tells', () => {
    expect(cpuVendor('AuthenticAMD', 'whatever')).toBe('AuthenticAMD');
    expect(cpuVendor(undefined, 'AMD EPYC-Rome Processor')).toBe('AuthenticAMD');
    expect(cpuVendor(undefined, 'Intel(R) Xeon(R) Processor')).toBe('GenuineIntel');
    expect(cpuVendor(undefined, 'QEMU Virtual CPU', ['sse4a'])).toBe('AuthenticAMD');
    expect(cpuVendor(undefined, 'QEMU Virtual CPU', ['sse2'])).toBe('unknown');
  });

  it('cross-vendor, both ways: fails naming an instruction only the checkpoint vendor has that the JVM runs (serialize); sse4a, which HotSpot never runs, and no vendor-only instruction give a "restores" note from the guests seen here; same vendor, no finding', async () => {
    const intelHost = await thisHost();
    const amdHost = await amdProfile();
    const vendorFinding = (c: CheckpointRecord, p: HostProfile) =>
      forecast(c, p).findings.filter((x) => /taken on an \w+ CPU/.test(x.reason));
    // This AMD VM hides sse4a (Firecracker's template); a family 25 EPYC here reports it. HotSpot only chooses SSE2
    // moves by it, and such a default checkpoint restored verified in a Skylake-Server guest here: a note, not a fail.
    const bareAmd = await amdCheckpoint({ cpuFlags: [...amdHost.cpu.flags, 'sse4a'] });
    const amdOnIntel = vendorFinding(bareAmd, intelHost);
    expect(amdOnIntel.map((x) => x.outcome)).toEqual(['restores']);
    expect(amdOnIntel[0]!.reason).toMatch(/sse4a \(zulu-openjdk #320\); HotSpot runs no SSE4A instruction/);
    expect(forecast(bareAmd, intelHost).findings.some((x) => x.outcome === 'fails' && /sse4a/.test(x.reason))).toBe(
      false,
    );
    // This Intel host has serialize, which no AMD CPU has: Intel to AMD fails on it.
    expect(intelHost.cpu.flags).toContain('serialize');
    const intelOnAmd = vendorFinding(await checkpointHere(), amdHost);
    expect(intelOnAmd.map((x) => x.outcome)).toEqual(['fails']);
    expect(intelOnAmd[0]!.reason).toMatch(
      /GenuineIntel CPU and may run [a-z0-9_, ]*serialize[a-z0-9_, ]*, which no AuthenticAMD CPU has/,
    );
    // The VM's own AMD flags on Intel: no vendor-only instruction the JVM uses, so a note, not a risk.
    const note = vendorFinding(await amdCheckpoint(), intelHost);
    expect(note.map((x) => x.outcome)).toEqual(['restores']);
    expect(note[0]!.reason).toMatch(/Skylake-Server guest/);
    expect(vendorFinding(await checkpointHere(), intelHost)).toEqual([]);
    expect(vendorFinding(await amdCheckpoint(), amdHost)).toEqual([]);
  });

  it("CRIU --cpu-cap: none makes no check (Liberty's server script); ins refuses what the node lacks (an AMD image on Intel: clzero); fpu refuses a differing xsave area; cpu any difference", async () => {
    const amd = (await amdProfile()).cpu.flags;
    const intel = (await thisHost()).cpu.flags;
    expect(criuCpuCapRefusals('none', amd, intel)).toEqual([]);
    for (const cap of ['fpu', 'ins', 'cpu'] as const) expect(criuCpuCapRefusals(cap, intel, intel)).toEqual([]);
    const ins = criuCpuCapRefusals('ins', amd, intel);
    expect(ins.map((r) => r.message)).toContain('CPU instruction capabilities do not match run time');
    const insDetail = ins.find((r) => /instruction/.test(r.message))!.detail;
    const expected = amd.filter(
      (f) => !intel.includes(f) && isInstructionFlag(f) && !/^(fpu|fxsr|xsave|xsaveopt|xsavec|xsaves)$/.test(f),
    );
    expect(expected).toContain('clzero');
    expect(insDetail).toBe(`the node lacks ${expected.join(', ')}`);
    expect(insDetail).not.toMatch(/tsc_reliable|extd_apicid/);
    // An AVX-512 image on a CPU with AVX only: the xsave area's size differs.
    const avxOnly = intel.filter((f) => !f.startsWith('avx512') && f !== 'pku');
    const fpu = criuCpuCapRefusals('fpu', intel, avxOnly);
    expect(fpu.map((r) => r.message)).toEqual(['CPU xsave size mismatch']);
    expect(fpu[0]!.detail).toMatch(/AVX-512/);
    // A CPU without xsave: the FPU features are not a subset.
    const noXsave = intel.filter((f) => !f.startsWith('xsave'));
    expect(criuCpuCapRefusals('fpu', intel, noXsave).map((r) => r.message)).toEqual([
      'CPU xfeatures has unsupported bits',
    ]);
    // cpu: one flag more on the node is enough.
    expect(criuCpuCapRefusals('cpu', intel, [...intel, 'hypervisor2']).length).toBe(1);
    // Through the forecast: the image's --cpu-cap turns the refusal into a failure with CRIU's own message.
    const f = forecast(await amdCheckpoint({ criuCpuCap: 'ins' }), await thisHost());
    expect(f.findings.some((x) => x.outcome === 'fails' && /--cpu-cap=ins.*do not match run time/.test(x.reason))).toBe(
      true,
    );
    expect(forecast(await amdCheckpoint(), await thisHost()).findings.some((x) => /--cpu-cap/.test(x.reason))).toBe(
      false,
    );
  });
});
