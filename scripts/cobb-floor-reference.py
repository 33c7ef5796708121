"""Reference numbers for test/analysis/cobb-table.test.ts (cobbMeanFloor): the training-mean predictor's r² per angle and
AASCE SMAPE (%) over all angles, with numpy. Run: /usr/bin/python3 scripts/cobb-floor-reference.py"""
import numpy as np

train = np.array([[10, 20, 5], [14, 26, 9], [12, 17, 4]], float)
test = np.array([[11, 30, 6], [20, 18, 2], [9, 25, 8], [15, 21, 7]], float)
mean = train.mean(0)
pred = np.tile(mean, (len(test), 1))
r2 = [1 - ((test[:, k] - mean[k]) ** 2).sum() / ((test[:, k] - test[:, k].mean()) ** 2).sum() for k in range(3)]
smape = 100 * np.mean([np.abs(pred[i] - test[i]).sum() / (np.abs(pred[i]).sum() + np.abs(test[i]).sum()) for i in range(len(test))])
print({'r2': [float(x) for x in r2], 'smape': float(smape)})
