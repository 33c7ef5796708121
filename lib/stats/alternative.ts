/** Alternative hypothesis of a test, scipy's `alternative` argument. */
export type Alternative = 'two-sided' | 'less' | 'greater';

export function checkAlternative(fn: string, a: string): asserts a is Alternative {
  if (a !== 'two-sided' && a !== 'less' && a !== 'greater') {
    throw new Error(`${fn}: invalid alternative: ${a} (expected 'two-sided', 'less' or 'greater')`);
  }
}
