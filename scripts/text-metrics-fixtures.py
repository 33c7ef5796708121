#!/usr/bin/env python3
"""Reference BLEU / ROUGE-L fixtures for lib/text (test/fixtures/text/metrics.json).

pycocoevalcap is not installable here (no package index reachable), so this is a line-by-line re-implementation of
pycocoevalcap's bleu/bleu_scorer.py (precook / cook_refs / cook_test / BleuScorer.compute_score with option="closest",
as Bleu.compute_score calls it) and rouge/rouge.py (my_lcs, Rouge.calc_score with beta=1.2, mean over images), written
from the originals in tylin/coco-caption. Run: python3 scripts/text-metrics-fixtures.py
"""
import json, math, random
from collections import defaultdict

def precook(s, n=4):
    words = s.split()
    counts = defaultdict(int)
    for k in range(1, n + 1):
        for i in range(len(words) - k + 1):
            counts[tuple(words[i:i + k])] += 1
    return len(words), counts

def cook_refs(refs, n=4):
    reflen, maxcounts = [], {}
    for ref in refs:
        rl, counts = precook(ref, n)
        reflen.append(rl)
        for ng, c in counts.items():
            maxcounts[ng] = max(maxcounts.get(ng, 0), c)
    return reflen, maxcounts

def cook_test(test, cooked, n=4):
    reflen, refmax = cooked
    testlen, counts = precook(test, n)
    res = {'reflen': reflen, 'testlen': testlen, 'guess': [max(0, testlen - k + 1) for k in range(1, n + 1)], 'correct': [0] * n}
    for ng, c in counts.items():
        res['correct'][len(ng) - 1] += min(refmax.get(ng, 0), c)
    return res

def bleu_score(gts, res, n=4):
    small, tiny = 1e-9, 1e-15
    ctest = [cook_test(h, cook_refs(r, n), n) for r, h in zip(gts, res)]
    testlen_t, reflen_t = 0, 0
    guess, correct = [0] * n, [0] * n
    for comps in ctest:
        tl = comps['testlen']
        testlen_t += tl
        reflen_t += min((abs(l - tl), l) for l in comps['reflen'])[1]
        for k in range(n):
            guess[k] += comps['guess'][k]
            correct[k] += comps['correct'][k]
    bleus = []
    for nn in range(1, n + 1):
        b = 1.0
        for k in range(nn):
            b *= float(correct[k] + tiny) / (guess[k] + small)
        bleus.append(b ** (1.0 / nn))
        ratio = (testlen_t + tiny) / (reflen_t + small)
        if ratio < 1:
            bleus[nn - 1] *= math.exp(1 - 1 / ratio)
    return bleus

def my_lcs(string, sub):
    if len(string) < len(sub):
        sub, string = string, sub
    L = [[0] * (len(sub) + 1) for _ in range(len(string) + 1)]
    for j in range(1, len(sub) + 1):
        for i in range(1, len(string) + 1):
            L[i][j] = L[i - 1][j - 1] + 1 if string[i - 1] == sub[j - 1] else max(L[i - 1][j], L[i][j - 1])
    return L[len(string)][len(sub)]

def rouge_sample(cand, refs, beta=1.2):
    tc = cand.split(' ')
    prec, rec = [], []
    for r in refs:
        tr = r.split(' ')
        l = my_lcs(tr, tc)
        prec.append(l / float(len(tc)))
        rec.append(l / float(len(tr)))
    p, r = max(prec), max(rec)
    return ((1 + beta ** 2) * p * r) / float(r + beta ** 2 * p) if p != 0 and r != 0 else 0.0

VOCAB = ('no pneumothorax small left pleural effusion right lower lobe opacity the heart size is normal lungs are clear '
         'endotracheal tube tip above carina possible mild cardiomegaly there a of and with in').split()

def sentence(rng, lo, hi):
    return ' '.join(rng.choice(VOCAB) for _ in range(rng.randint(lo, hi)))

def main():
    rng = random.Random(13)
    cases = []
    hand = [
        ('identical', [['the heart size is normal']], ['the heart size is normal']),
        ('disjoint', [['no pneumothorax']], ['lungs are clear']),
        ('short hypothesis (brevity penalty)', [['small left pleural effusion with right lower lobe opacity']], ['small left effusion']),
        ('closest tie picks shorter reference', [['a b c d', 'a b c d e f']], ['a b c d e']),
        ('empty hypothesis', [['no pneumothorax'], ['lungs are clear']], ['', 'lungs are clear']),
        ('repeated words clipped', [['the the cat']], ['the the the the']),
    ]
    for name, refs, hyps in hand:
        cases.append({'name': name, 'references': refs, 'hypotheses': hyps})
    for c in range(12):
        n = rng.randint(1, 25)
        refs = [[sentence(rng, 1, 30) for _ in range(rng.randint(1, 3))] for _ in range(n)]
        hyps = []
        for r in refs:
            if rng.random() < 0.5:  # a perturbed copy of a reference so higher-order n-grams match
                w = rng.choice(r).split()
                w = [x if rng.random() > 0.25 else rng.choice(VOCAB) for x in w]
                if rng.random() < 0.3 and len(w) > 2: w = w[:rng.randint(1, len(w) - 1)]
                hyps.append(' '.join(w))
            else:
                hyps.append(sentence(rng, 1, 30))
        cases.append({'name': f'random {c} (n={n})', 'references': refs, 'hypotheses': hyps})
    for c in cases:
        c['bleu'] = bleu_score(c['references'], c['hypotheses'])
        per = [rouge_sample(h, r) for r, h in zip(c['references'], c['hypotheses'])]
        c['rougeL'] = sum(per) / len(per)
        c['rougeLPerSample'] = per
    json.dump({'source': 'scripts/text-metrics-fixtures.py (pycocoevalcap bleu_scorer.py / rouge.py semantics)', 'cases': cases},
              open('test/fixtures/text/metrics.json', 'w'), indent=1)

main()
