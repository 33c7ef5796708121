/**
 * Child process of the concurrency test (entry-lock.test.ts): extracts tinySamples(30)/train with a slowed-down
 * random-projection encoder into argv[2] and prints { calls, key, cls } as JSON on its last line.
 */
import { extractFeatures } from '../../lib/features/extract';
import { randomProjectionEncoder } from '../../lib/features/random-projection-encoder';
import { counting, tinySamples } from './stand-ins';

async function main(): Promise<void> {
  const [cacheDir, delayMs] = [process.argv[2], Number(process.argv[3] ?? 50)];
  const base = counting(randomProjectionEncoder({ inputSize: 32, patchSize: 8, dim: 8, seed: 1 }));
  const embed = base.embed;
  base.embed = async (px, b, o) => {
    await new Promise((r) => setTimeout(r, delayMs)); // long enough for the two processes to overlap
    return embed(px, b, o);
  };
  const fs = await extractFeatures(base, tinySamples(30), { split: 'train', batchSize: 4, cacheDir, workers: 1 });
  process.stdout.write(`${JSON.stringify({ calls: base.calls, key: fs.key, cls: Array.from(fs.cls), patches: Array.from(fs.patches!.subarray(0, 64)) })}\n`);
}

main().catch((e) => { process.stderr.write(String(e?.stack ?? e)); process.exit(1); });
