import type { DataConverter } from '@temporalio/common';
import { EncryptionCodec, type PayloadKey } from './encryption-codec.ts';

/** The data converter of every LockBay client and worker: JSON payloads, then encrypted. */
export function lockbayDataConverter(keys: PayloadKey[]): DataConverter {
  const [current, ...previous] = keys;
  if (!current) throw new Error('no payload key configured');
  return { payloadCodecs: [new EncryptionCodec(current, previous)] };
}
