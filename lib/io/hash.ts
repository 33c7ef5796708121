import { createHash } from 'crypto';

/** Hex sha256 of text or bytes: cache keys, and the checksums cache files are checked against on read. */
export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
