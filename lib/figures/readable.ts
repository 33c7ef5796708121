/** Display touches on a built spec: data-order sorting, readable labels and legends, an explicit category order. */


/**
 * Display fixes on a metricBars / frequencyBars spec (workarounds in our files, reported to the figures owner): the x
 * categories and colours keep the data's order (bins common → rare, Normal → Abnormal; encoders in session order) instead
 * of vega's alphabetical sort, and
 * legend and axis labels are not cut at 160 px (encoder and dataset names are long); text labels (p values) are drawn
 * vertically above their bar. Returns a new spec.
 */
export function readable<T>(spec: T): T {
  const s = JSON.parse(JSON.stringify(spec)) as Record<string, any>;
  const fix = (node: Record<string, any> | undefined): void => {
    if (!node) return;
    if (node.encoding?.x && !node.encoding.x.sort) node.encoding.x.sort = null;
    if (node.encoding?.xOffset && !node.encoding.xOffset.sort) node.encoding.xOffset.sort = null;
    // colour domain in data order too, so legend order = bar order = the session's encoder order
    if (node.encoding?.color?.field && !node.encoding.color.sort) node.encoding.color.sort = null;
    // p labels: vertical, so six encoders' labels above one group do not overprint each other
    if (node.mark?.type === 'text') node.mark = { ...node.mark, angle: 270, align: 'left', baseline: 'middle', dx: 0, dy: 0, radius: 4 };
    (node.layer as Record<string, any>[] | undefined)?.forEach(fix);
    fix(node.spec);
  };
  fix(s);
  s.config = { ...s.config, legend: { ...s.config?.legend, labelLimit: 400 }, axis: { ...s.config?.axis, labelLimit: 400 } };
  return s as T;
}

/**
 * A copy of a vega-lite spec with `order` as the sort of every nominal x / column / xOffset / facet encoding on `field`
 * (e.g. PT, MT, TL instead of alphabetical; an empty `order` leaves sorting alone) and legends wide enough for long
 * encoder names and x labels (e.g. 'out-of-domain (covid-chestxray)').
 */
export function orderedSpec<S extends object>(spec: S, field: string, order: readonly string[], legendLimit = 360): S {
  const walk = (v: unknown, key?: string): unknown => {
    if (Array.isArray(v)) return v.map((x) => walk(x));
    if (!v || typeof v !== 'object') return v;
    const o = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(o)) out[k] = walk(x, k);
    if (order.length && (key === 'x' || key === 'column' || key === 'xOffset' || key === 'row') && o.field === field) out.sort = [...order];
    return out;
  };
  const s = walk(spec) as Record<string, unknown>;
  const c = (s.config ?? {}) as Record<string, any>;
  s.config = { ...c, legend: { ...(c.legend ?? {}), labelLimit: legendLimit }, axisX: { ...(c.axisX ?? {}), labelLimit: legendLimit } };
  return s as S;
}
