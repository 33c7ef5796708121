/**
 * Runs inside each worker thread of a WorkerPool: initialises the requested tfjs backend, loads the worker module,
 * answers task and broadcast messages. See `WorkerModule` in worker-protocol.ts for the module contract.
 */
import { parentPort, workerData } from 'worker_threads';
import type { BootData, FromWorker, SerialisedError, ToWorker, WorkerContext, WorkerModule } from './worker-protocol';
import { Transfer } from './worker-protocol';

function serialise(e: unknown): SerialisedError {
  if (e instanceof Error) return { name: e.name, message: e.message, stack: e.stack };
  return { name: 'Error', message: String(e) };
}

async function boot(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('worker-bootstrap must run inside a worker thread');
  const data = workerData as BootData;
  const send = (m: FromWorker, transfer?: ArrayBuffer[]) => port.postMessage(m, transfer);
  let mod: WorkerModule;
  const ctx: WorkerContext = { index: data.index, workerData: data.workerData };
  try {
    if (data.backend) {
      const { initBackend } = await import('./backend');
      ctx.backend = await initBackend(data.backend === 'auto' ? {} : { prefer: data.backend });
    }
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    mod = require(data.module) as WorkerModule;
    if (typeof mod.handle !== 'function') throw new Error(`worker module ${data.module} exports no handle(task, ctx) function`);
    if (mod.init) await mod.init(ctx);
  } catch (e) {
    send({ kind: 'init-failed', error: serialise(e) });
    return;
  }
  port.on('message', async (m: ToWorker) => {
    try {
      const out = m.kind === 'task'
        ? await mod.handle(m.task, ctx)
        : await (mod.onBroadcast ? mod.onBroadcast(m.msg, ctx) : mod.handle(m.msg, ctx));
      if (out instanceof Transfer) send({ kind: 'result', id: m.id, ok: true, value: out.value }, out.list);
      else send({ kind: 'result', id: m.id, ok: true, value: out });
    } catch (e) {
      send({ kind: 'result', id: m.id, ok: false, error: serialise(e) });
    }
  });
  send({ kind: 'ready', backend: ctx.backend });
}

boot().catch((e) => {
  parentPort?.postMessage({ kind: 'init-failed', error: serialise(e) } satisfies FromWorker);
});
