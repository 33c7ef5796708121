import { strict as assert } from 'assert';
import * as aq from 'arquero';
import { describeSpuriousCue, spuriousCueMassRows } from '../../lib/analysis/spurious-cue';

describe('describeSpuriousCue', () => {
  const rows = (arm: string, v: Record<string, number>) => Object.entries(v).map(([metric, value]) => ({ model: 'enc', group: arm, metric, value }));
  const base = { auroc_val: 0.9, auroc_test: 0.6, area_cue: 0.08, area_finding: 0.02 };
  it('says the cued model looks at the brace when its brace mass beats both references', () => {
    const t = aq.from([...rows('cued', { ...base, mass_cue: 0.55, mass_finding: 0.05 }), ...rows('uncued', { ...base, auroc_val: 0.7, auroc_test: 0.68, mass_cue: 0.1, mass_finding: 0.2 })]);
    const s = describeSpuriousCue(t);
    assert.match(s, /puts 55 % of its attention on the brace and 5 % on the fracture box/);
    assert.match(s, /falls from 0\.90 .* to 0\.60 .* \(drop 0\.30; uncued head: 0\.70 → 0\.68, drop 0\.02\)/);
    assert.match(s, /reveal the shortcut/);
    assert.match(s, /the cued head relied on the cue/);
  });
  it('a brace share barely above the uncued head\'s does not count (ratio rule)', () => {
    const t = aq.from([...rows('cued', { ...base, mass_cue: 0.12, mass_finding: 0.01 }), ...rows('uncued', { ...base, mass_cue: 0.11, mass_finding: 0.01 })]);
    assert.match(describeSpuriousCue(t), /do NOT show the shortcut clearly here: the cued head's brace share \(12 %\)/);
  });
  it('says so when the maps do not show it', () => {
    const t = aq.from([...rows('cued', { ...base, mass_cue: 0.1, mass_finding: 0.3 }), ...rows('uncued', { ...base, mass_cue: 0.1, mass_finding: 0.2 })]);
    assert.match(describeSpuriousCue(t), /do NOT show the shortcut/);
  });
});

describe('spuriousCueMassRows', () => {
  it('one bar per head and region plus the uniform-attention reference', () => {
    const t = aq.from([
      { group: 'cued', metric: 'mass_cue', value: 0.4 }, { group: 'cued', metric: 'mass_finding', value: 0.1 }, { group: 'cued', metric: 'area_cue', value: 0.05 },
      { group: 'cued', metric: 'area_finding', value: 0.01 }, { group: 'uncued', metric: 'mass_cue', value: 0.1 }, { group: 'uncued', metric: 'mass_finding', value: 0.2 },
      { group: 'uncued', metric: 'area_cue', value: 0.05 }, { group: 'cued', metric: 'auroc_val', value: 0.9 },
    ]);
    assert.deepEqual(spuriousCueMassRows(t).objects(), [
      { region: 'brace box', what: 'cued head', value: 0.4 }, { region: 'fracture box', what: 'cued head', value: 0.1 },
      { region: 'brace box', what: 'uncued head', value: 0.1 }, { region: 'fracture box', what: 'uncued head', value: 0.2 },
      { region: 'brace box', what: 'uniform (box area)', value: 0.05 }, { region: 'fracture box', what: 'uniform (box area)', value: 0.01 },
    ]);
    assert.throws(() => spuriousCueMassRows(aq.from([{ group: 'x', metric: 'auroc_val', value: 1 }])), /no mass_\* rows/);
  });
});
