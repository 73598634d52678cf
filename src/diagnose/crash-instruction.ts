import { HOTSPOT_UNCONDITIONAL } from '../hosts/cpu-features.js';

/**
 * The instruction at a crashing pc, read from HotSpot's fatal error log (hs_err): its "Instructions: (pc=0x...)" dump
 * of the bytes around the pc, and its "Problematic frame" line (the stub or code blob the pc lies in). A SIGILL
 * without its instruction cannot be acted on: this names the instruction and the CPU feature it needs, for the
 * encodings a checkpoint's JVM and glibc are known to run (legacy, REX, VEX and EVEX forms; not a disassembler).
 */
export interface CrashInstruction {
  readonly pc: string;
  /** The bytes from the pc on, as hs_err printed them. */
  readonly bytes: readonly number[];
  readonly mnemonic?: string;
  /** The /proc/cpuinfo flag the instruction needs. */
  readonly flag?: string;
  /** HotSpot's "Problematic frame" (the stub or blob), when it named one. */
  readonly frame?: string;
  /** Where HotSpot runs it with no option to turn it off, when it is one of those instructions. */
  readonly unconditional?: string;
}

/** The bytes hs_err printed around its pc: address -> byte. */
function dumpedBytes(text: string): { pc: bigint; bytes: Map<bigint, number> } | undefined {
  const head = /Instructions: \(pc=0x([0-9a-f]+)\)/i.exec(text);
  if (!head) return undefined;
  const pc = BigInt(`0x${head[1]}`);
  const bytes = new Map<bigint, number>();
  for (const line of text
    .slice(head.index + head[0].length)
    .split('\n')
    .slice(1)) {
    // "  0x00007f..:   c4 e1 fb 92 ..." (the pc's own line starts with "=>").
    const m = /^\s*(?:=>)?\s*0x([0-9a-f]+):\s+((?:[0-9a-f]{2}\s*)+)$/i.exec(line.replace(/^#\s*/, ''));
    if (!m) {
      if (bytes.size > 0) break;
      continue;
    }
    let at = BigInt(`0x${m[1]}`);
    for (const b of (m[2] as string).trim().split(/\s+/)) {
      bytes.set(at, parseInt(b, 16));
      at += 1n;
    }
  }
  return bytes.size > 0 ? { pc, bytes } : undefined;
}

const reg = (modrm: number | undefined): number => ((modrm ?? 0) >> 3) & 7;
const isMemory = (modrm: number | undefined): boolean => modrm !== undefined && modrm >> 6 !== 3;

/** The instruction these bytes start with, for the encodings that matter to a restore on another CPU. */
export function decodeInstruction(b: readonly number[]): { mnemonic: string; flag: string } | undefined {
  let i = 0;
  let prefix: number | undefined;
  while (b[i] === 0x66 || b[i] === 0xf2 || b[i] === 0xf3) prefix = b[i++];
  if (b[i] !== undefined && (b[i] as number) >= 0x40 && (b[i] as number) <= 0x4f) i += 1; // REX
  const [o0, o1, o2] = [b[i], b[i + 1], b[i + 2]];
  if (o0 === 0x62) return { mnemonic: 'an EVEX-encoded (AVX-512) instruction', flag: 'avx512f' };
  if (o0 === 0xc4 || o0 === 0xc5) return decodeVex(b.slice(i));
  if (o0 !== 0x0f) return undefined;
  if (o1 === 0x01 && o2 === 0xe8) return { mnemonic: 'SERIALIZE', flag: 'serialize' };
  if (o1 === 0xae && isMemory(o2) && reg(o2) === 6 && prefix === 0x66) return { mnemonic: 'CLWB', flag: 'clwb' };
  if (o1 === 0xae && isMemory(o2) && reg(o2) === 7 && prefix === 0x66)
    return { mnemonic: 'CLFLUSHOPT', flag: 'clflushopt' };
  if (o1 === 0xae && isMemory(o2) && prefix === undefined && reg(o2) === 4) return { mnemonic: 'XSAVE', flag: 'xsave' };
  if (o1 === 0xc7 && isMemory(o2) && reg(o2) === 4) return { mnemonic: 'XSAVEC', flag: 'xsavec' };
  if (o1 === 0x0d) return { mnemonic: 'PREFETCHW', flag: '3dnowprefetch' };
  if (o1 === 0xb8 && prefix === 0xf3) return { mnemonic: 'POPCNT', flag: 'popcnt' };
  if (o1 === 0xbd && prefix === 0xf3) return { mnemonic: 'LZCNT', flag: 'abm' };
  if (o1 === 0xbc && prefix === 0xf3) return { mnemonic: 'TZCNT', flag: 'bmi1' };
  if (o1 === 0x38 && o2 !== undefined) {
    if (o2 >= 0xc8 && o2 <= 0xcd && prefix === undefined) return { mnemonic: 'a SHA instruction', flag: 'sha_ni' };
    if (o2 >= 0xdc && o2 <= 0xdf && prefix === 0x66) return { mnemonic: 'an AES-NI instruction', flag: 'aes' };
    if ((o2 === 0xf0 || o2 === 0xf1) && prefix === 0xf2) return { mnemonic: 'CRC32', flag: 'sse4_2' };
    if ((o2 === 0xf0 || o2 === 0xf1) && prefix !== 0xf2) return { mnemonic: 'MOVBE', flag: 'movbe' };
    if (o2 === 0xf6 && prefix === 0x66) return { mnemonic: 'ADCX', flag: 'adx' };
    if (o2 === 0xf6 && prefix === 0xf3) return { mnemonic: 'ADOX', flag: 'adx' };
  }
  if (o1 === 0x3a && o2 === 0x44 && prefix === 0x66) return { mnemonic: 'PCLMULQDQ', flag: 'pclmulqdq' };
  return undefined;
}

/** Opcodes of VEX map 0F that act on AVX-512's opmask registers (KMOV, KAND, KOR, KXOR, KNOT, KORTEST, KTEST, ...). */
const OPMASK_OPCODES = new Set([0x41, 0x42, 0x44, 0x45, 0x46, 0x47, 0x4a, 0x4b, 0x90, 0x91, 0x92, 0x93, 0x98, 0x99]);

/** A VEX-encoded instruction: its map and opcode say whether it is AVX-512's opmask, BMI, FMA or AVX/AVX2. */
function decodeVex(b: readonly number[]): { mnemonic: string; flag: string } {
  const three = b[0] === 0xc4;
  const map = three ? (b[1] ?? 0) & 0x1f : 1;
  const opcode = b[three ? 3 : 2] ?? 0;
  if (map === 1 && OPMASK_OPCODES.has(opcode))
    return { mnemonic: 'an AVX-512 opmask instruction (VEX-encoded KMOV/KAND/...)', flag: 'avx512f' };
  if (map === 1 && opcode === 0x77) return { mnemonic: 'VZEROUPPER (AVX)', flag: 'avx' };
  if (map === 2 && opcode >= 0xf2 && opcode <= 0xf7)
    return { mnemonic: 'a BMI instruction (ANDN, BEXTR, BZHI, PDEP, PEXT, MULX, SHLX...)', flag: 'bmi2' };
  if (map === 2 && opcode >= 0x96 && opcode <= 0xbf) return { mnemonic: 'an FMA instruction', flag: 'fma' };
  return { mnemonic: 'a VEX-encoded AVX or AVX2 instruction', flag: 'avx' };
}

/** The crashing instruction of an hs_err text (undefined when it holds no instruction dump). */
export function crashInstruction(hsErr: string): CrashInstruction | undefined {
  const dump = dumpedBytes(hsErr);
  if (!dump) return undefined;
  const bytes: number[] = [];
  for (let k = 0n; k < 15n; k += 1n) {
    const v = dump.bytes.get(dump.pc + k);
    if (v === undefined) break;
    bytes.push(v);
  }
  const decoded = decodeInstruction(bytes);
  const frame = /#\s*Problematic frame:\s*\n#\s*(.+)/.exec(hsErr)?.[1]?.trim();
  const u = decoded && HOTSPOT_UNCONDITIONAL.find((x) => x.flag === decoded.flag);
  return {
    pc: `0x${dump.pc.toString(16)}`,
    bytes,
    ...(decoded ? { mnemonic: decoded.mnemonic, flag: decoded.flag } : {}),
    ...(frame ? { frame } : {}),
    ...(u ? { unconditional: `HotSpot ${u.jdk} runs it in ${u.where} with no option to turn it off` } : {}),
  };
}

/** One line for diagnose: "the instruction at the crashing pc 0x...: CLWB (66 0f ae 37; needs clwb) in ...". */
export function describeCrashInstruction(c: CrashInstruction): string {
  const hex = c.bytes
    .slice(0, 6)
    .map((b) => b.toString(16).padStart(2, '0'))
    .join(' ');
  const what = c.mnemonic
    ? `${c.mnemonic} (${hex}...; needs the CPU feature ${c.flag})`
    : `bytes ${hex}... (not decoded)`;
  return (
    `the instruction at the crashing pc ${c.pc}: ${what}` +
    `${c.frame ? `, in ${c.frame}` : ''}${c.unconditional ? `; ${c.unconditional}` : ''}`
  );
}

/** What of an hs_err a results file keeps: its header (the signal, the pc, the problematic frame) and its dump. */
export function hsErrExcerpt(text: string): string {
  const lines = text.split('\n');
  const header = lines.slice(0, 40).filter((l) => l.startsWith('#'));
  const at = lines.findIndex((l) => /Instructions: \(pc=0x/.test(l));
  const dump: string[] = [];
  if (at >= 0)
    for (const l of lines.slice(at, at + 40)) {
      if (dump.length > 1 && l.trim() === '') break;
      dump.push(l);
    }
  return [...header, ...dump].join('\n');
}
