/**
 * Rich output inside a tslab (Jupyter TypeScript) kernel: MIME bundles with several representations at once, and
 * display ids that later outputs update in place. tslab's public `display` sends one MIME type per message, so this
 * talks to the kernel's `lastWriteDisplayData` hook directly (tslab dist/jupyter.js; Jupyter messaging spec,
 * `display_data` / `update_display_data` with `transient.display_id`).
 *
 * Detection never loads tslab: we are in a notebook iff tslab's jupyter module is already in require.cache and a cell is
 * executing (its write hook is set).
 */
import { randomBytes } from 'crypto';
import * as path from 'path';

type WriteDisplayData = (content: { data: Record<string, unknown>; metadata: Record<string, unknown>; transient: { display_id?: string } }, update: boolean) => void;

const JUPYTER_MODULE = `${path.sep}tslab${path.sep}dist${path.sep}jupyter.js`;

function kernelHook(): WriteDisplayData | undefined {
  for (const key of Object.keys(require.cache)) {
    if (key.endsWith(JUPYTER_MODULE)) {
      const hook = (require.cache[key]?.exports as { lastWriteDisplayData?: WriteDisplayData | null }).lastWriteDisplayData;
      if (typeof hook === 'function') return hook;
    }
  }
  return undefined;
}

/** True inside a tslab kernel cell (rich display available). `RAYDINO_NOTEBOOK=0` turns it off. */
export function inNotebook(): boolean {
  if (process.env.RAYDINO_NOTEBOOK === '0') return false;
  return kernelHook() !== undefined;
}

/** A fresh display id for `displayBundle(..., { displayId })`. */
export function newDisplayId(): string {
  return randomBytes(8).toString('hex');
}

/** A MIME bundle: MIME type → string (text types), Uint8Array (binary types, base64-encoded on the wire) or JSON object. */
export type MimeBundle = Record<string, string | Uint8Array | object>;

/**
 * Sends a MIME bundle to the notebook. With `displayId`, `update: true` replaces the earlier output of that id.
 * Returns false (and sends nothing) outside a notebook.
 */
export function displayBundle(bundle: MimeBundle, opts: { displayId?: string; update?: boolean; metadata?: Record<string, unknown> } = {}): boolean {
  const hook = process.env.RAYDINO_NOTEBOOK === '0' ? undefined : kernelHook();
  if (!hook) return false;
  const data: Record<string, unknown> = {};
  for (const [mime, v] of Object.entries(bundle)) {
    data[mime] = v instanceof Uint8Array ? Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') : v;
  }
  hook({ data, metadata: opts.metadata ?? {}, transient: opts.displayId ? { display_id: opts.displayId } : {} }, Boolean(opts.update));
  return true;
}
