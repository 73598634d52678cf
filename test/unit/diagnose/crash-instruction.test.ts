import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import {
  crashInstruction,
  decodeInstruction,
  describeCrashInstruction,
  hsErrExcerpt,
} from '../../../src/diagnose/crash-instruction.js';
import { diagnoseRuns, formatCases } from '../../../src/diagnose/cases.js';
import type { RunRecord } from '../../../src/results/types.js';

/**
 * An hs_err shaped as HotSpot 25 writes it, with the bytes of ICache::flush_icache_final_stub as -XX:+PrintStubCode
 * showed them on an AMD EPYC host (test esi,esi; je; sfence; clwb [rdi]) and the pc on the CLWB, 0xbe7 into the
 * code cache's non-nmethods heap, where the Nehalem guest's restore died.
 */
const HS_ERR = `#
# A fatal error has been detected by the Java Runtime Environment:
#
#  SIGILL (0x4) at pc=0x00007f3a1c000be7, pid=1296, tid=1330
#
# JRE version: OpenJDK Runtime Environment (25.0.5+3) (build 25.0.5+3-Debian-1)
# Problematic frame:
# v  ~BufferBlob::Stub Generator final_blob 0x00007f3a1c000b00
#
---------------  T H R E A D  ---------------

Instructions: (pc=0x00007f3a1c000be7)
0x00007f3a1c000bd7:   00 00 00 00 00 00 00 00 90 90 90 90 85 f6 74 05
0x00007f3a1c000be7:   66 0f ae 37 48 83 c7 40 ff ce 75 f5 0f ae f8 c3

Register to memory mapping:
`;

describe('the instruction at a crashing pc', () => {
  it("names CLWB in HotSpot's final stub blob, the feature it needs and where HotSpot runs it unasked", () => {
    const c = crashInstruction(HS_ERR)!;
    expect(c.pc).toBe('0x7f3a1c000be7');
    expect(c.bytes.slice(0, 4)).toEqual([0x66, 0x0f, 0xae, 0x37]);
    expect(c.mnemonic).toBe('CLWB');
    expect(c.flag).toBe('clwb');
    expect(c.frame).toBe('v  ~BufferBlob::Stub Generator final_blob 0x00007f3a1c000b00');
    expect(describeCrashInstruction(c)).toBe(
      'the instruction at the crashing pc 0x7f3a1c000be7: CLWB (66 0f ae 37 48 83...; needs the CPU feature clwb), ' +
        'in v  ~BufferBlob::Stub Generator final_blob 0x00007f3a1c000b00; HotSpot 25 runs it in ' +
        'ICache::flush_icache_final_stub (sfence; clwb), its instruction-cache flush with no option to turn it off',
    );
  });

  it('decodes the encodings a restore on an older CPU meets, and leaves others undecoded', () => {
    expect(decodeInstruction([0x0f, 0x01, 0xe8])?.flag).toBe('serialize');
    expect(decodeInstruction([0x62, 0xf1, 0x7d, 0x48])?.flag).toBe('avx512f');
    expect(decodeInstruction([0xc5, 0xfd, 0x6f, 0x06])?.flag).toBe('avx');
    expect(decodeInstruction([0xc4, 0xe1, 0xfb, 0x92, 0xd0])?.flag).toBe('avx512f'); // kmovq k2, rax
    expect(decodeInstruction([0xc4, 0xe2, 0xb8, 0xf5, 0xc0])?.flag).toBe('bmi2'); // bzhi
    expect(decodeInstruction([0xc5, 0xf8, 0x77])?.mnemonic).toBe('VZEROUPPER (AVX)');
    expect(decodeInstruction([0x0f, 0x38, 0xcc, 0xc1])?.flag).toBe('sha_ni');
    expect(decodeInstruction([0x66, 0x0f, 0x38, 0xdc, 0xc1])?.flag).toBe('aes');
    expect(decodeInstruction([0xf3, 0x48, 0x0f, 0xb8, 0xc0])?.flag).toBe('popcnt');
    expect(decodeInstruction([0x66, 0x0f, 0xae, 0x3f])?.flag).toBe('clflushopt');
    expect(decodeInstruction([0x0f, 0xae, 0xf8])).toBeUndefined(); // sfence: every x86-64 CPU has it
    expect(decodeInstruction([0x48, 0x89, 0xe5])).toBeUndefined();
    expect(crashInstruction('no dump here')).toBeUndefined();
  });

  it("a real guest's hs_err (an AMD EPYC checkpoint restored in a Skylake-Server guest): KMOVQ in the arraycopy stub", async () => {
    const text = await readFile(new URL('../../fixtures/hosts/hs-err-skx-guest.txt', import.meta.url), 'utf8');
    const c = crashInstruction(text)!;
    expect(c.bytes.slice(0, 5)).toEqual([0xc4, 0xe1, 0xfb, 0x92, 0xd0]);
    expect(c.flag).toBe('avx512f');
    expect(c.frame).toMatch(/^v {2}~StubRoutines::jbyte_disjoint_arraycopy/);
    expect(c.unconditional).toBeUndefined();
  });

  it('diagnose prints it under a guest restore that died, from the excerpt the results file keeps', () => {
    const excerpt = hsErrExcerpt(HS_ERR);
    expect(excerpt).toContain('Instructions: (pc=0x00007f3a1c000be7)');
    expect(excerpt).not.toContain('Register to memory mapping');
    const run = {
      scenario: 'pingperf',
      variant: 'afterAppStart',
      iteration: 1,
      warmup: false,
      status: 'failed',
      restore: { verified: false, evidence: ['#  SIGILL (0x4) at pc=0x00007f3a1c000be7'], hsErr: excerpt },
    } as unknown as RunRecord;
    const text = formatCases(diagnoseRuns([run]));
    expect(text).toContain('[cpu-feature-missing]');
    expect(text).toMatch(/the instruction at the crashing pc 0x7f3a1c000be7: CLWB/);
  });
});
