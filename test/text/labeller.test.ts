import * as assert from 'assert';
import { binaryLabels, chexpertF1, extractFacts, labelCosine, labelReport, LABELS_14, setF1 } from '../../lib/text';

const idx = (name: string) => LABELS_14.indexOf(name);
const lab = (text: string, name: string) => labelReport(text)[idx(name)];

describe('rule-based CheXpert-style labeller', () => {
  it('positive mentions', () => {
    assert.strictEqual(lab('Small left pleural effusion.', 'Effusion'), 1);
    assert.strictEqual(lab('Moderate cardiomegaly.', 'Cardiomegaly'), 1);
    assert.strictEqual(lab('Endotracheal tube tip 4 cm above the carina.', 'Support Devices'), 1);
    assert.strictEqual(lab('The lungs are clear.', 'Effusion'), null);
  });

  it('negation: pre-cues, post-cues, lists and normality phrases', () => {
    assert.strictEqual(lab('No pneumothorax.', 'Pneumothorax'), 0);
    assert.strictEqual(lab('There is no evidence of pleural effusion.', 'Effusion'), 0);
    const list = labelReport('No effusion, pneumothorax or consolidation.');
    assert.deepStrictEqual([list[idx('Effusion')], list[idx('Pneumothorax')], list[idx('Consolidation')]], [0, 0, 0]);
    assert.strictEqual(lab('Pneumothorax is not seen.', 'Pneumothorax'), 0);
    assert.strictEqual(lab('The previously seen effusion has resolved.', 'Effusion'), 0);
    assert.strictEqual(lab('Heart size is normal.', 'Cardiomegaly'), 0);
    // "but" ends the negation's scope
    assert.strictEqual(lab('No effusion but a right apical pneumothorax.', 'Pneumothorax'), 1);
    assert.strictEqual(lab('No effusion but a right apical pneumothorax.', 'Effusion'), 0);
  });

  it('uncertainty wins over negation and is checked per clause', () => {
    assert.strictEqual(lab('Possible small right effusion.', 'Effusion'), -1);
    assert.strictEqual(lab('A small pneumothorax cannot be excluded.', 'Pneumothorax'), -1);
    assert.strictEqual(lab('Left basal opacity may represent atelectasis.', 'Atelectasis'), -1);
    const r = labelReport('Possible nodule in the right upper zone. No pneumothorax.');
    assert.strictEqual(r[idx('Nodule')], -1);
    assert.strictEqual(r[idx('Pneumothorax')], 0);
  });

  it('aggregation: positive > uncertain > negative', () => {
    assert.strictEqual(lab('No left effusion. Small right effusion.', 'Effusion'), 1);
    assert.strictEqual(lab('No left effusion. Possible right effusion.', 'Effusion'), -1);
    assert.deepStrictEqual(binaryLabels('Possible mass. No fracture.').filter((_, k) => k === idx('Mass') || k === idx('Fracture')), [1, 0]);
  });

  it('facts: entities and relations of side, zone, severity and device position', () => {
    const f = extractFacts('Small left basal pleural effusion. Endotracheal tube is appropriately positioned. No pneumothorax.');
    assert.deepStrictEqual(f.entities, ['ETT|present', 'Effusion|present', 'Pneumothorax|absent']);
    assert.deepStrictEqual(f.relations, ['ETT|position|normal', 'Effusion|severity|small', 'Effusion|side|left', 'Effusion|zone|lower']);
  });

  it('F1 and cosine: hand-computed values', () => {
    const z = () => new Array(14).fill(0);
    const a = z(); a[0] = 1; a[1] = 1;
    const b = z(); b[0] = 1;
    const c = z(); c[2] = 1;
    // class 0: tp 1; class 1: fp 1; class 2: fn 1 → F1 1, 0, 0, others 0 → macro 1/14; micro 2/(2+1+1)=0.5
    const r = chexpertF1([a, c.map(() => 0)], [b, c]);
    assert.ok(Math.abs(r.macro - 1 / 14) < 1e-12);
    assert.ok(Math.abs(r.micro - 0.5) < 1e-12);
    assert.deepStrictEqual(labelCosine([a, z()], [b, z()]).map((x) => +x.toFixed(6)), [+(1 / Math.sqrt(2)).toFixed(6), 1]);
    assert.strictEqual(setF1(['x', 'y'], ['x']), 2 / 3);
    assert.strictEqual(setF1([], []), 1);
    assert.throws(() => chexpertF1([a], []), /chexpertF1: 1 predicted rows, 0 truth rows/);
  });
});
