import { escapeHtml } from '../core/neutralise.js';
import { CROSS_RUNTIME_INTRO, crossRuntimeMarkdown, type CrossRuntimeSection } from '../stats/cross-runtime.js';
import { type LabelledResults } from '../report/chart-style.js';
import { methodText, summaryTable } from './markdown.js';
import { diagnoseRuns } from '../diagnose/cases.js';
import { portabilityRows, samePlaceLine } from '../report/portability.js';
import { hygieneFindings, hygieneLines } from '../results/hygiene.js';

/** The start of the tool's self-contained pages (report, history dashboard): head, title and the shared style. */
export function htmlPageStart(title: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font-family:"DejaVu Sans",Helvetica,Arial,sans-serif;margin:2rem auto;max-width:1100px;color:#222;padding:0 1rem}
h1{font-size:1.6rem}h2{margin-top:2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:.5rem 0}`;
}

/** Markdown table -> HTML table (only the shape summaryTable writes). */
function tableHtml(markdown: string): string {
  const rows = markdown.split('\n').filter((l) => l.startsWith('|'));
  const cells = (l: string): string[] => l.slice(2, -2).split(' | ');
  const [head, , ...body] = rows;
  return `<table><thead><tr>${cells(head ?? '')
    .map((c) => `<th>${escapeHtml(c)}</th>`)
    .join('')}</tr></thead><tbody>${body
    .map(
      (r) =>
        `<tr>${cells(r)
          .map((c) => `<td>${escapeHtml(c)}</td>`)
          .join('')}</tr>`,
    )
    .join('')}</tbody></table>`;
}

/** Next to the fallback rate: why each start that was not ok failed. */
function diagnosisHtml(inputs: readonly LabelledResults[]): string {
  const items = inputs.flatMap((i) =>
    diagnoseRuns(i.results.runs).map((c) => {
      const what = inputs.length > 1 ? `${i.label}: ${c.what}` : c.what;
      const body =
        c.findings.length > 0
          ? c.findings
              .map(
                (f) =>
                  `<strong>${escapeHtml(f.signature.title)}</strong> — ${escapeHtml(f.signature.cause)}. ` +
                  `<em>Remedy:</em> ` +
                  `${escapeHtml(f.signature.remedy)}.<pre>${escapeHtml(f.evidence.join('\n'))}</pre>`,
              )
              .join('')
          : `no known signature<pre>${escapeHtml(c.telling.join('\n'))}</pre>`;
      return `<li>${escapeHtml(what)}<br>${body}</li>`;
    }),
  );
  return items.length === 0 ? '' : `<h2>Diagnosis</h2><div class="warn"><ul>${items.join('')}</ul></div>`;
}

/** A run with a plain JVM arm (runtime=java): each InstantOn phase against that runtime's best, paired by round. */
function crossRuntimeHtml(cross: readonly CrossRuntimeSection[]): string {
  return cross
    .map(
      (p) =>
        `<h2>InstantOn against the plain JVM${cross.length > 1 ? ` (${escapeHtml(p.label)})` : ''}</h2><p>` +
        `${escapeHtml(CROSS_RUNTIME_INTRO)}</p><div class="wide">${tableHtml(crossRuntimeMarkdown(p.rows))}</div>`,
    )
    .join('\n');
}

/** The restore portability matrix (report/portability.ts) of each input that has starts. */
function portabilityHtml(inputs: readonly LabelledResults[]): string {
  const tables = inputs
    .map((i) => ({ label: i.label, same: samePlaceLine(i.results), rows: portabilityRows(i.results) }))
    .filter((t) => t.rows.length > 0)
    .map(
      (t) =>
        `${inputs.length > 1 ? `<h3>${escapeHtml(t.label)}</h3>` : ''}` +
        (t.same ? `<p>${escapeHtml(t.same)}</p>` : `<div class="wide">${tableHtml(t.rows.join('\n'))}</div>`),
    );
  return tables.length === 0
    ? ''
    : `<h2>Restore portability</h2><p>Every host (and emulated restore host) that measured, and what differs from ` +
        `the host the checkpoint was taken on.</p>${tables.join('')}`;
}

/** What each checkpoint carries (secrets, shared random state, clocks), with each finding's remedy. */
function hygieneHtml(inputs: readonly LabelledResults[]): string {
  const items = inputs.flatMap((i) => [
    ...hygieneLines(i.results).map((l) => `<li>${escapeHtml(l)}</li>`),
    ...hygieneFindings(i.results).map(
      (f) => `<li><b>${escapeHtml(f.checkpoint)}: ${escapeHtml(f.message)}</b><br>${escapeHtml(f.remedy)}</li>`,
    ),
  ]);
  return items.length === 0 ? '' : `<h2>What the checkpoints carry</h2><ul>${items.join('')}</ul>`;
}

export interface RenderedChart {
  readonly name: string;
  readonly title: string;
  readonly svg: string;
}

/** One self-contained page: inline SVG charts, no script, no network. */
export function reportHtml(
  inputs: readonly LabelledResults[],
  charts: readonly RenderedChart[],
  generatedAt: string,
  cross: readonly CrossRuntimeSection[] = [],
): string {
  const env = inputs.map((i) => {
    const e = i.results.environment;
    const rows: Array<[string, string]> = [
      ['kernel', e.kernel],
      ['CPU', `${e.cpuModel} (online ${e.onlineCpus})`],
      ['podman / runc', `${e.podman ?? '?'} / ${e.runc ?? '?'}`],
      ['Open Liberty', e.libertyVersion ?? '?'],
      ...Object.entries(e.images).map(([name, img]): [string, string] => [
        `image ${name}`,
        `${img.tag} — ${img.liberty ? `Open Liberty ${img.liberty}, ` : ''}${img.jdk ?? ''}, CRIU ` +
          `${img.criu ?? '?'}, ${img.glibc ?? ''}`,
      ]),
      ...i.results.checkpoints.map((c): [string, string] => [
        `checkpoint ${c.scenario} ${c.phase}`,
        `${c.checkpointMs !== undefined ? `${(c.checkpointMs / 1000).toFixed(1)} s to take` : 'in the image build'}, ` +
          `+${(c.addedBytes / 1024 ** 2).toFixed(0)} MiB`,
      ]),
    ];
    const envRows = rows.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('');
    const warnings = i.analysis.warnings
      .map((w) => `<li>${escapeHtml(`${w.scenario} ${w.variant}: ${w.message}. ${w.advice}.`)}</li>`)
      .join('');
    return `<h3>${escapeHtml(i.label)}</h3><table class="env">${envRows}</table>
<ul>${methodText(i)
      .map((l) => `<li>${escapeHtml(l.replace(/`/g, ''))}</li>`)
      .join('')}</ul>
${warnings !== '' ? `<div class="warn"><strong>Warnings</strong><ul>${warnings}</ul></div>` : ''}`;
  });
  const sources = inputs.map((i) => escapeHtml(i.label)).join(', ');
  return `${htmlPageStart('instanton-bench report')}
td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:right;font-size:.9rem}
th{background:#f4f4f4}td:first-child,td:nth-child(2),th{text-align:left}table.env td{text-align:left}
figure{margin:1rem 0}figure svg{max-width:100%;height:auto}
.wide{max-width:100%;overflow-x:auto}table{max-width:100%}
.warn{background:#fff7e0;border:1px solid #e8c860;padding:.5rem 1rem}
footer{color:#777;font-size:.8rem;margin-top:2rem}
pre{white-space:pre-wrap;font-size:.8rem;background:#fafafa;padding:.3rem}
</style></head><body>
<h1>Open Liberty startup: cold and InstantOn</h1>
<p>Generated by instanton-bench at ${escapeHtml(generatedAt)} from ${sources}.</p>
<h2>Summary</h2>
${tableHtml(summaryTable(inputs))}
${diagnosisHtml(inputs)}
${crossRuntimeHtml(cross)}
${portabilityHtml(inputs)}
${hygieneHtml(inputs)}
<h2>Charts</h2>
${charts
  .map(
    (c) =>
      `<figure id="chart-${c.name}" ` +
      `class="chart">${c.svg}<figcaption>${escapeHtml(c.title)}</figcaption></figure>`,
  )
  .join('\n')}
<h2>Environment and method</h2>
${env.join('\n')}
<footer>Every figure comes from the results file(s) named above; runs.csv holds each start.</footer>
</body></html>
`;
}
