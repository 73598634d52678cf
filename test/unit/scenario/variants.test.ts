import { describe, expect, it } from 'vitest';
import { parseVariantList } from '../../../src/scenario/variants.js';

describe('parseVariantList', () => {
  it('defaults to cold and both checkpoint phases', () => {
    expect(parseVariantList(undefined).variants).toEqual(['cold', 'beforeAppStart', 'afterAppStart']);
  });

  it('maps the 2022 beta names with a warning', () => {
    const p = parseVariantList('cold,deployment,applications');
    expect(p.variants).toEqual(['cold', 'beforeAppStart', 'afterAppStart']);
    expect(p.warnings).toEqual([
      'variant "deployment" is the 2022 beta name of beforeAppStart; measuring beforeAppStart',
      'variant "applications" is the 2022 beta name of afterAppStart; measuring afterAppStart',
    ]);
  });

  it('refuses the removed beta phase "features" and says why', () => {
    expect(() => parseVariantList('features')).toThrow(
      /2022 InstantOn beta only; Open Liberty removed it in 23.0.0.2-beta/,
    );
  });

  it('refuses unknown names', () => {
    expect(() => parseVariantList('cold,warm')).toThrow('unknown variant "warm"');
  });
});
