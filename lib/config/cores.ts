import * as os from 'os';

/**
 * The cores this process may use: RAYDINO_CORES when set (a whole number ≥ 1), else what the OS says can run in
 * parallel. Every thread or worker count the library derives by itself (data-parallel workers, ONNX Runtime threads,
 * the head grid's workers) starts from here, so that `raydino figures --jobs 2` on 2 cores can give each notebook one
 * core: two kernels that each start 2 workers and 2-thread GEMMs on 2 cores spend their time descheduled at the
 * workers' barriers (measured: notebook 04 took 2.8× its time alone beside notebook 02).
 */
export function availableCores(env: NodeJS.ProcessEnv = process.env): number {
  const set = env.RAYDINO_CORES;
  if (set !== undefined && set !== '') {
    const n = Number(set);
    if (!Number.isInteger(n) || n < 1) throw new Error(`RAYDINO_CORES=${set}: expected a whole number ≥ 1`);
    return n;
  }
  return Math.max(1, typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length);
}
