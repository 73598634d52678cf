import { median } from 'simple-statistics';
import type { ResultsFile, RunRecord } from '../results/types.js';
import { groupKeys } from '../stats/analyze.js';
import { provesRestore } from '../scenario/variants.js';
import { RESTORE_CAPABILITIES } from '../engine/capabilities.js';
import { restoreHost } from '../measure/restore-hosts.js';

/**
 * The restore portability matrix: every host (and emulated restore-host profile) x scenario and
 * variant of a file: starts, restores verified, fallbacks and failures, median ready and first
 * response, and how the host differs from the host the checkpoint was taken on.
 */
export function portabilityRows(results: ResultsFile): string[] {
  const measured = results.runs.filter((r) => !r.warmup);
  if (measured.length === 0) return [];
  const hostName = (r: RunRecord): string =>
    r.guest ? `guest ${r.guest.name}` : (r.host ?? results.environment.hostname);
  const guests = new Map(measured.filter((r) => r.guest).map((r) => [`guest ${r.guest!.name}`, r.guest!]));
  const withForecast = guests.size > 0;
  const profile = (r: RunRecord): string => r.restoreHost ?? '';
  const places = [...new Set(measured.map((r) => JSON.stringify([hostName(r), profile(r)])))].map(
    (s) => JSON.parse(s) as [string, string],
  );
  const hosts = results.environment.hosts ?? [];
  const describeHost = (h: string): string => {
    const g = guests.get(h);
    if (g)
      return `${h} (kernel ${g.kernel}, QEMU ${g.cpuModel}, ${g.accel === 'tcg' ? 'software CPU: times not comparable' : 'KVM'})`;
    const info = hosts.find((x) => x.name === h);
    const e = info ?? results.environment;
    const speed = e.hostSpeed ? `, host speed index ${e.hostSpeed.index}` : '';
    return `${h} (kernel ${e.kernel}, ${e.cpuModel}${e.hostGlibc ? `, ${e.hostGlibc}` : ''}${speed})`;
  };
  const rows: string[] = [];
  const ms = (xs: number[]): string => (xs.length > 0 ? median(xs).toFixed(0) : '–');
  for (const [h, p] of places)
    for (const { scenario, variant } of groupKeys(results)) {
      const runs = measured.filter(
        (r) => hostName(r) === h && profile(r) === p && r.scenario === scenario && r.variant === variant,
      );
      if (runs.length === 0) continue;
      const ok = runs.filter((r) => r.status === 'ok' && !r.guest);
      const inGuest = guests.has(h);
      const predicted = [...new Set(runs.map((r) => r.guest?.forecast?.outcome).filter(Boolean))].join(', ') || '–';
      const count = (s: string) => runs.filter((r) => r.status === s).length;
      const restore = provesRestore(variant);
      const verified = runs.filter((r) => r.restore?.verified).length;
      const diffs = restore
        ? [
            ...new Set(
              results.checkpoints
                .filter(
                  (c) =>
                    c.scenario === scenario && c.phase === variant && (c.host ?? results.environment.hostname) === h,
                )
                .flatMap((c) => c.fingerprintWarnings),
            ),
          ]
        : [];
      rows.push(
        `| ${describeHost(h)} | ${p || 'as is'} | ${scenario}/${variant} | ${runs.length} | ` +
          `${restore ? `${verified}/${runs.length}` : '–'} | ${count('fallback')} | ${count('failed') + count('timed-out')} | ` +
          `${inGuest ? 'not comparable' : ms(ok.map((r) => r.metrics.readyMs).filter((v): v is number => typeof v === 'number'))} | ` +
          `${inGuest ? 'not comparable' : ms(ok.map((r) => r.metrics.firstResponseMs).filter((v): v is number => typeof v === 'number'))} | ` +
          `${withForecast ? `${predicted} | ` : ''}` +
          `${inGuest ? guestCells(runs).join(' | ') : restore ? differenceCells(p, diffs).join(' | ') : DIFFERENCE_COLUMNS.map(() => '–').join(' | ')} |`,
      );
    }
  if (rows.length === 0) return [];
  return [
    '| host | restore-host profile | scenario/variant | starts | restores verified | fallback | failed | median ready ms | ' +
      `median first response ms | ${withForecast ? 'forecast | ' : ''}${DIFFERENCE_COLUMNS.map((c) => c.title).join(' | ')} |`,
    `|---|---|---|---:|---:|---:|---:|---:|---:|${withForecast ? '---|' : ''}${DIFFERENCE_COLUMNS.map(() => '---').join('|')}|`,
    ...rows,
  ];
}

/**
 * A file whose every start ran on the host the checkpoints were taken on, as it is (no other host, no emulated restore
 * host, no guest, no fingerprint difference): the matrix would repeat "same" in every column, so one line says so.
 * Undefined where something differs (the matrix is worth its columns).
 */
export function samePlaceLine(results: ResultsFile): string | undefined {
  const measured = results.runs.filter((r) => !r.warmup);
  if (measured.length === 0) return undefined;
  const elsewhere = measured.some(
    (r) => r.guest || r.restoreHost || (r.host && r.host !== results.environment.hostname),
  );
  const differs = results.checkpoints.some((c) => c.fingerprintWarnings.length > 0);
  if (elsewhere || differs || (results.environment.hosts?.length ?? 0) > 1) return undefined;
  const e = results.environment;
  return (
    `Every start ran on the host that took the checkpoints, as it is (${e.hostname}: ${e.cpuModel}, kernel ` +
    `${e.kernel}): no other host, restore-host profile or guest to compare.`
  );
}

/** One column per kind of difference between the restore host and the checkpoint host. */
const DIFFERENCE_COLUMNS = [
  { title: 'capabilities', kind: 'capabilities' },
  { title: 'seccomp', kind: 'seccomp' },
  { title: 'CPU', kind: 'cpu' },
  { title: 'kernel', kind: 'kernel' },
  { title: 'glibc, CRIU', kind: 'userland' },
] as const;

/**
 * The cells of those columns: an emulated restore-host profile's capabilities and seccomp
 * denials, and the fingerprint differences found at restore (CPU, kernel, glibc and CRIU), each
 * in its own column; "same" where none was found.
 */
function differenceCells(profile: string, fingerprintWarnings: readonly string[]): string[] {
  const emulated = profile ? restoreHost(profile) : undefined;
  const missingCaps = emulated ? RESTORE_CAPABILITIES.filter((c) => !emulated.capabilities.includes(c)) : [];
  const pick = (re: RegExp): string => fingerprintWarnings.filter((w) => re.test(w)).join('; ') || 'same';
  return [
    missingCaps.length > 0 ? `without ${missingCaps.join(', ')}` : 'same',
    emulated?.seccompDeny
      ? emulated.seccompDeny
          .map(
            (d) => `${d.syscall}${d.arg0 !== undefined ? ` 0x${d.arg0.toString(16)}` : ''} refused (errno ${d.errno})`,
          )
          .join('; ')
      : 'same',
    pick(/^CPU /),
    pick(/^kernel /),
    pick(/glibc|^CRIU /),
  ];
}

/**
 * Forecast against outcome over every restore tried in a guest (run --restore-on): how often the
 * forecast said "restores" (or "at risk") and the restore was verified, and how often it said
 * "fails" and the restore failed. Empty when no start ran in a guest.
 */
export function forecastConfusionRows(results: ResultsFile): string[] {
  const tried = results.runs.filter((r) => !r.warmup && r.guest?.forecast);
  if (tried.length === 0) return [];
  const cell = (outcome: string, restored: boolean): number =>
    tried.filter((r) => r.guest!.forecast!.outcome === outcome && Boolean(r.restore?.verified) === restored).length;
  return [
    '| forecast | restored (verified) | not restored |',
    '|---|---:|---:|',
    ...(['restores', 'at-risk', 'fails'] as const).map(
      (o) => `| ${o === 'at-risk' ? 'at risk' : o} | ${cell(o, true)} | ${cell(o, false)} |`,
    ),
  ];
}

/** A guest's differences, as its forecast named them (the guest runs as root with no seccomp filter). */
function guestCells(runs: readonly RunRecord[]): string[] {
  const reasons = [...new Set(runs.flatMap((r) => r.guest?.forecast?.reasons ?? []))];
  const pick = (re: RegExp): string =>
    reasons
      .filter((x) => re.test(x))
      .map((x) => (x.length > 160 ? `${x.slice(0, 157)}...` : x))
      .join('; ') || 'nothing forecast';
  return ['root in the guest', 'none', pick(/instructions|xsave|CPU/), pick(/kernel|Linux/), "the image's own"];
}
