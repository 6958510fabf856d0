import { createHash } from 'node:crypto';
import type { CryptoAsset } from '../types.ts';

/**
 * Deposit addresses that pass the networks' own checks (bech32 checksum, base58check, hex), so
 * a validator or a wallet app treats them as real. Derived from a seed: the same deposit gets
 * the same address. Nobody holds their keys; never send real coins to one.
 */
export function sandboxAddress(asset: CryptoAsset, seed: string): string {
  const bytes = createHash('sha256').update(`${asset}:${seed}`).digest().subarray(0, 20);
  switch (asset) {
    case 'BTC':
      return segwitV0('bc', bytes);
    case 'LTC':
      return segwitV0('ltc', bytes);
    case 'ETH':
    case 'USDT_ERC20':
      // All lower case: EIP-55 checks only mixed-case addresses.
      return `0x${bytes.toString('hex')}`;
    case 'USDT_TRC20':
      return base58check(Buffer.concat([Buffer.from([0x41]), bytes]));
  }
}

// --- bech32 (BIP-173), witness version 0 ---------------------------------------------------

const BECH32 = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const GENERATORS = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];

function segwitV0(hrp: string, program: Buffer): string {
  const data = [0, ...toFiveBits(program)];
  const checksum = bech32Checksum(hrp, data);
  return `${hrp}1${[...data, ...checksum].map((value) => BECH32[value]).join('')}`;
}

function toFiveBits(bytes: Buffer): number[] {
  const out: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out.push((buffer >> bits) & 31);
    }
  }
  if (bits > 0) out.push((buffer << (5 - bits)) & 31);
  return out;
}

function polymod(values: number[]): number {
  let checksum = 1;
  for (const value of values) {
    const top = checksum >> 25;
    checksum = ((checksum & 0x1ffffff) << 5) ^ value;
    GENERATORS.forEach((generator, bit) => {
      if ((top >> bit) & 1) checksum ^= generator;
    });
  }
  return checksum;
}

function bech32Checksum(hrp: string, data: number[]): number[] {
  const expanded = [...hrp].map((c) => c.charCodeAt(0) >> 5);
  expanded.push(0, ...[...hrp].map((c) => c.charCodeAt(0) & 31));
  const mod = polymod([...expanded, ...data, 0, 0, 0, 0, 0, 0]) ^ 1;
  return [0, 1, 2, 3, 4, 5].map((i) => (mod >> (5 * (5 - i))) & 31);
}

/** True when `address` is bech32 with a valid checksum for `hrp` (what tests check). */
export function isBech32(address: string, hrp: string): boolean {
  const separator = address.lastIndexOf('1');
  if (address.slice(0, separator) !== hrp) return false;
  const data = [...address.slice(separator + 1)].map((c) => BECH32.indexOf(c));
  if (data.length < 6 || data.includes(-1)) return false;
  const expanded = [...hrp].map((c) => c.charCodeAt(0) >> 5);
  expanded.push(0, ...[...hrp].map((c) => c.charCodeAt(0) & 31));
  return polymod([...expanded, ...data]) === 1;
}

// --- base58check ----------------------------------------------------------------------------

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

function base58check(payload: Buffer): string {
  const sha = (data: Buffer) => createHash('sha256').update(data).digest();
  const full = Buffer.concat([payload, sha(sha(payload)).subarray(0, 4)]);

  let value = BigInt(`0x${full.toString('hex')}`);
  let text = '';
  while (value > 0n) {
    text = BASE58[Number(value % 58n)] + text;
    value /= 58n;
  }
  for (const byte of full) {
    if (byte !== 0) break;
    text = `1${text}`;
  }
  return text;
}

/** True when `address` is base58check with a valid checksum (what tests check). */
export function isBase58Check(address: string): boolean {
  let value = 0n;
  for (const c of address) {
    const digit = BASE58.indexOf(c);
    if (digit === -1) return false;
    value = value * 58n + BigInt(digit);
  }
  const hex = value.toString(16).padStart(50, '0');
  const full = Buffer.from(hex, 'hex');
  const sha = (data: Buffer) => createHash('sha256').update(data).digest();
  const payload = full.subarray(0, -4);
  return sha(sha(payload)).subarray(0, 4).equals(full.subarray(-4));
}
