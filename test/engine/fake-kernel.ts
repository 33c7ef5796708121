/** Test helper: pretends a tslab kernel cell is executing, by planting tslab's jupyter module in require.cache. */
import * as path from 'path';

export interface SentDisplay {
  content: { data: Record<string, unknown>; metadata: Record<string, unknown>; transient: { display_id?: string } };
  update: boolean;
}

export function fakeKernel(): { sent: SentDisplay[]; remove(): void } {
  const key = path.join('/fake', 'node_modules', 'tslab', 'dist', 'jupyter.js');
  const sent: SentDisplay[] = [];
  const mod = { exports: { lastWriteDisplayData: (content: SentDisplay['content'], update: boolean) => { sent.push({ content, update }); } } };
  (require.cache as Record<string, unknown>)[key] = mod;
  return { sent, remove: () => { delete require.cache[key]; } };
}
