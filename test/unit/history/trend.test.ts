import { describe, expect, it } from 'vitest';
import { confirmArms } from '../../../src/history/confirm.js';
import { dashboardHtml, seriesSpec } from '../../../src/history/dashboard.js';
import { gateFindings, trendOf } from '../../../src/history/trend.js';
import { medianOrderInterval } from '../../../src/stats/order-interval.js';
import { trendLines } from '../../../src/history/trend-text.js';
import type { StoredSeries } from '../../../src/store/read.js';
import { seededRandom } from '../../../src/stats/random.js';

const OPTIONS = { alpha: 0.05, thresholdPct: 5, seed: 1, minSize: 2 };

/** Builds of 3 starts shaped like this machine's Pingperf cold starts (CV ~3%, now and then one 50% slower). */
function series(builds: number, step?: { from: number; ratio: number }, metric = 'readyMs', seed = 7): StoredSeries {
  const random = seededRandom(seed);
  const start = () => {
    const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    return 5600 * Math.exp(0.03 * z) * (random() < 0.05 ? 1.5 : 1);
  };
  return {
    scenario: 'pingperf',
    variant: 'cold',
    arm: '',
    hostClass: 'Xeon',
    metric,
    builds: Array.from({ length: builds }, (_, i) => {
      const after = step !== undefined && i + 1 >= step.from;
      return {
        key: `build=${i + 1}`,
        labels: { build: String(i + 1) },
        firstAt: new Date(Date.UTC(2026, 11, 1, i)).toISOString(),
        attributes: {
          'label build': String(i + 1),
          'cold state': after ? 'clean' : 'primed',
          'image pingperf': 'f11f528adf36',
        },
        values: [start(), start(), start()].map((v) => v * (after ? step.ratio : 1)),
        segments: [{ 'Liberty starts its features and the app': after ? 7400 : 4800, 'JVM start': 300 }],
        reports: [],
        sources: [`/tmp/build-${i + 1}.json`],
      };
    }),
  };
}

describe('history trend', () => {
  it('names the build a step began at, its size, the segment that moved and the difference it coincides with', () => {
    const trend = trendOf(
      [series(10, { from: 7, ratio: 1.47 }), series(10, { from: 7, ratio: 1.42 }, 'firstResponseMs', 8)],
      OPTIONS,
    );
    expect(trend.changePoints).toHaveLength(2);
    for (const c of trend.changePoints) {
      expect(c.build).toBe('7');
      expect(c.labels.build).toBe('7');
      expect(c.ratio).toBeGreaterThan(1.3);
      expect(c.interval.low).toBeLessThan(c.ratio);
      expect(c.interval.high).toBeGreaterThan(c.ratio);
      expect(c.segment?.name).toBe('Liberty starts its features and the app');
      expect(c.coincides).toEqual([
        'from build 7 cold starts began from a clean state (Liberty --clean, -Xshare:off) (before: the primed image)',
      ]);
    }
    expect(gateFindings(trend)).toHaveLength(2);
    expect(trendLines(trend)[0]).toMatch(
      /^1\. pingperf · cold · readyMs · Xeon: from build 7 \(after 6\): (4\d\.\d% |1\.\d\dx )slower/,
    );
  });

  it('finds nothing in builds without a step, and says a series is too short to look at', () => {
    const quiet = trendOf([series(6), series(30, undefined, 'readyMs', 11)], OPTIONS);
    expect(quiet.changePoints).toEqual([]);
    expect(gateFindings(quiet)).toEqual([]);
    expect(trendLines(trendOf([series(3)], OPTIONS))[0]).toMatch(
      /3 build\(s\): too few to look for a change point \(at least 4\)/,
    );
  });

  it('holds the family-wise error across many series without a change (Holm)', () => {
    let withChange = 0;
    for (let rep = 0; rep < 20; rep += 1) {
      const trend = trendOf(
        Array.from({ length: 5 }, (_, i) => series(25, undefined, `m${i}`, 1000 + rep * 10 + i)),
        { ...OPTIONS, seed: rep },
      );
      if (trend.changePoints.length > 0) withChange += 1;
    }
    // Expected at most 1 of 20 at a 5% family-wise level; 4 would be a level far above it.
    expect(withChange).toBeLessThanOrEqual(3);
  });

  it('a faster build is a change but not a gate finding', () => {
    const trend = trendOf([series(12, { from: 6, ratio: 0.7 })], OPTIONS);
    expect(trend.changePoints[0]?.direction).toBe('faster');
    expect(gateFindings(trend)).toEqual([]);
  });

  it("gives each build's median an interval from order statistics with its exact coverage", () => {
    expect(medianOrderInterval([3, 1, 2])).toEqual({ low: 1, high: 3, coverage: 0.75 });
    const ten = medianOrderInterval([10, 1, 9, 2, 8, 3, 7, 4, 6, 5]);
    expect(ten).toEqual({ low: 2, high: 9, coverage: 0.979 });
  });
});

describe('history report and confirm (pure parts)', () => {
  it('draws the change point between its builds, links each build and shows labels on hover', () => {
    const trend = trendOf([series(10, { from: 7, ratio: 1.5 })], OPTIONS);
    const spec = JSON.stringify(seriesSpec(trend.series[0]!, 500, (r) => `link:${r}`));
    expect(spec).toContain('"x":6.5');
    expect(spec).toContain('"href":"link:/tmp/build-1.json"');
    expect(spec).toContain('"labels":"build=7"');
    const html = dashboardHtml(trend, [{ id: 'series-a', svg: '<svg></svg>' }], [], {
      store: 'embedded store <x>',
      generatedAt: 'now',
      last: 500,
    });
    expect(html).toContain('embedded store &lt;x&gt;');
    expect(html).toContain("createElementNS('http://www.w3.org/2000/svg', 'title')");
    expect((seriesSpec(trend.series[0]!, 3, String) as unknown as { layer: unknown[] }).layer[0]).toMatchObject({
      data: { values: [{ n: 8 }, { n: 9 }, { n: 10 }] },
    });
  });

  it('confirms with arms that reproduce the builds: their cold state, and their images when they differ', () => {
    const s = series(10, { from: 7, ratio: 1.5 });
    const trend = trendOf([s], OPTIONS);
    const [b6, b7] = [trend.series[0]!.builds[5]!, trend.series[0]!.builds[6]!];
    expect(confirmArms(trend.changePoints[0]!, b6, b7)).toEqual({
      before: 'before:cold-state=primed',
      after: 'after:cold-state=clean',
      notReproduced: [],
    });
    const newer = {
      ...b7,
      attributes: { ...b7.attributes, 'image pingperf': '0123456789ab', JDK: '26', 'option pin': 'cpuset' },
    };
    expect(confirmArms(trend.changePoints[0]!, b6, newer)).toEqual({
      before: 'before:cold-state=primed,image=f11f528adf36',
      after: 'after:cold-state=clean,image=0123456789ab',
      notReproduced: ['option pin: not recorded -> cpuset'],
    });
  });
});
