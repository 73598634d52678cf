import { isInstructionFlag } from './cpu-features.js';

/**
 * CRIU's own CPU checks at restore, as `--cpu-cap` selects them (read in CRIU 4.2's criu/arch/x86/cpu.c):
 * - `none`: no check (Open Liberty's `server` script restores with it, so a Liberty checkpoint meets a missing
 *   instruction only when it runs it: a SIGILL);
 * - `fpu`: the FPU and xsave features (fpu, fxsr, xsave, xsaves...) of the image a subset of the node's, and the xsave
 *   area's sizes (xsave_size, xsave_size_max) exactly equal;
 * - `ins`: every instruction feature of the image the node has too (an AMD checkpoint fails on Intel for sse4a);
 * - `cpu`: every capability word equal.
 */
export const CRIU_CPU_CAPS = ['none', 'fpu', 'ins', 'cpu'] as const;
export type CriuCpuCap = (typeof CRIU_CPU_CAPS)[number];

/** The FPU features `fpu` compares as a subset. */
const FPU_FLAGS = ['fpu', 'fxsr', 'xsave', 'xsaveopt', 'xsavec', 'xsaves'];

/**
 * The xsave state components the flags show, each with the flag that reveals it: the xsave area's size follows the
 * components the OS enables, so two CPUs with different sets have different sizes (AVX-512's opmask and ZMM state,
 * PKRU, AMX tiles, MPX bounds). Equal sets give equal sizes only as far as flags tell: CRIU compares the sizes.
 */
const XSAVE_COMPONENTS: ReadonlyArray<{ readonly flag: string; readonly state: string }> = [
  { flag: 'avx', state: 'AVX (YMM)' },
  { flag: 'avx512f', state: 'AVX-512 (opmask, ZMM)' },
  { flag: 'pku', state: 'PKRU' },
  { flag: 'amx_tile', state: 'AMX (tiles)' },
  { flag: 'mpx', state: 'MPX (bounds)' },
];

/** Why CRIU with this `--cpu-cap` refuses to restore an image of `had` on a CPU of `node`, or nothing when it does not. */
export function criuCpuCapRefusals(
  cap: CriuCpuCap,
  had: readonly string[],
  node: readonly string[],
): { readonly message: string; readonly detail: string }[] {
  if (cap === 'none') return [];
  const nodeSet = new Set(node);
  const out: { message: string; detail: string }[] = [];
  if (cap === 'cpu') {
    const differ = [
      ...had.filter((f) => !nodeSet.has(f)).map((f) => `-${f}`),
      ...node.filter((f) => !had.includes(f)).map((f) => `+${f}`),
    ];
    if (differ.length > 0)
      out.push({
        message: 'CPU capabilities do not match run time',
        detail: `every word must be equal: ${differ.join(' ')}`,
      });
    return out;
  }
  const fpuMissing = FPU_FLAGS.filter((f) => had.includes(f) && !nodeSet.has(f));
  if (fpuMissing.length > 0)
    out.push({ message: 'CPU xfeatures has unsupported bits', detail: `the node lacks ${fpuMissing.join(', ')}` });
  const components = (flags: readonly string[]) => XSAVE_COMPONENTS.filter((c) => flags.includes(c.flag));
  const [was, is] = [components(had), components(node)];
  const sizeDiffers = was.length !== is.length || was.some((c) => !is.includes(c));
  if (had.includes('xsave') && nodeSet.has('xsave') && sizeDiffers)
    out.push({
      message: 'CPU xsave size mismatch',
      detail:
        `the image's xsave area holds ${was.map((c) => c.state).join(', ') || 'the legacy state only'}, the node's ` +
        `${is.map((c) => c.state).join(', ') || 'the legacy state only'}: their sizes differ`,
    });
  if (cap === 'ins') {
    const missing = had.filter((f) => !nodeSet.has(f) && isInstructionFlag(f) && !FPU_FLAGS.includes(f));
    if (missing.length > 0)
      out.push({
        message: 'CPU instruction capabilities do not match run time',
        detail: `the node lacks ${missing.join(', ')}`,
      });
  }
  return out;
}
