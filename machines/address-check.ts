import { sha256 } from '@noble/hashes/sha2.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { base58, bech32, bech32m, createBase58check } from '@scure/base';
import type { CryptoAsset } from './money.ts';

/**
 * Payout addresses, checked per network before anything is quoted or sent. Pure and
 * synchronous: @scure/base and @noble/hashes are plain JavaScript over Uint8Array, with no Node
 * built-ins, so this runs inside the workflow sandbox like the rest of machines/.
 */

export type PayoutNetwork = 'bitcoin' | 'litecoin' | 'ethereum' | 'tron';

/** What an address resembles: a payout network, or a test network we never pay to. */
export type AddressFamily = PayoutNetwork | 'testnet';

export const networkOf: Readonly<Record<CryptoAsset, PayoutNetwork>> = {
  BTC: 'bitcoin',
  LTC: 'litecoin',
  ETH: 'ethereum',
  USDT_ERC20: 'ethereum',
  USDT_TRC20: 'tron',
};

/** Longer than any address we accept; longer text is refused before it is decoded. */
export const ADDRESS_MAX_LENGTH = 128;

export type AddressProblem = 'empty' | 'tooLong' | 'invalid' | 'wrongNetwork' | 'badChecksum';

export type AddressCheck =
  | { ok: true; address: string; network: PayoutNetwork }
  | { ok: false; reason: AddressProblem; looksLike?: AddressFamily };

interface Reading {
  families: readonly AddressFamily[];
  verdict: 'ok' | 'badChecksum' | 'malformed';
  /** The form we store and pay to: bech32 lower-cased, EVM addresses EIP-55 checksummed. */
  canonical: string;
}

/**
 * Checks a typed address for the asset's network: BTC base58check (P2PKH, P2SH) or segwit
 * bech32/bech32m, LTC the same with its own versions and `ltc1`, ETH and USDT-ERC20 `0x` + 40
 * hex with EIP-55 enforced when mixed case, USDT-TRC20 TRON base58check (`T…`). An address of
 * another network, a testnet included, is `wrongNetwork` even when its checksum is broken.
 */
export function checkAddress(asset: CryptoAsset, text: string): AddressCheck {
  const address = text.trim();
  if (address === '') return { ok: false, reason: 'empty' };
  if (address.length > ADDRESS_MAX_LENGTH) return { ok: false, reason: 'tooLong' };

  const reading = readEvm(address) ?? readSegwit(address) ?? readBase58(address);
  if (!reading) return { ok: false, reason: 'invalid' };

  const network = networkOf[asset];
  if (!reading.families.includes(network)) {
    return { ok: false, reason: 'wrongNetwork', looksLike: reading.families[0] ?? 'testnet' };
  }
  if (reading.verdict === 'badChecksum') return { ok: false, reason: 'badChecksum' };
  if (reading.verdict === 'malformed') return { ok: false, reason: 'invalid' };
  return { ok: true, address: reading.canonical, network };
}

const EVM = /^0x[0-9a-fA-F]{40}$/;

function readEvm(text: string): Reading | null {
  if (!EVM.test(text)) return null;

  const hex = text.slice(2);
  const canonical = eip55(hex.toLowerCase());
  const singleCase = hex === hex.toLowerCase() || hex === hex.toUpperCase();
  const verdict = singleCase || canonical === text ? 'ok' : 'badChecksum';
  return { families: ['ethereum'], verdict, canonical };
}

/** EIP-55: a letter is upper-cased where the keccak-256 of the lower-case hex has a nibble ≥ 8. */
function eip55(lowerHex: string): string {
  const hash = keccak_256(Uint8Array.from(lowerHex, (char) => char.charCodeAt(0)));
  let out = '0x';
  for (let i = 0; i < lowerHex.length; i += 1) {
    const byte = hash[i >> 1] ?? 0;
    const nibble = i % 2 === 0 ? byte >> 4 : byte & 0x0f;
    out += nibble >= 8 ? lowerHex.charAt(i).toUpperCase() : lowerHex.charAt(i);
  }
  return out;
}

const SEGWIT_PREFIXES: Readonly<Record<string, AddressFamily>> = {
  bc: 'bitcoin',
  ltc: 'litecoin',
  tb: 'testnet',
  bcrt: 'testnet',
  tltc: 'testnet',
  rltc: 'testnet',
};
const BECH32_DATA = /^[qpzry9x8gf2tvdw0s3jn54khce6mua7l]+$/;
const BECH32_MAX_LENGTH = 90;

/** BIP 173 (witness v0, bech32) and BIP 350 (v1 and later, bech32m). */
function readSegwit(text: string): Reading | null {
  const lower = text.toLowerCase();
  const separator = lower.lastIndexOf('1');
  if (separator < 0) return null;
  const family = SEGWIT_PREFIXES[lower.slice(0, separator)];
  if (!family) return null;

  const canonical = lower;
  const malformed: Reading = { families: [family], verdict: 'malformed', canonical };
  const mixedCase = text !== lower && text !== text.toUpperCase();
  if (mixedCase || text.length > BECH32_MAX_LENGTH) return malformed;
  if (!BECH32_DATA.test(lower.slice(separator + 1))) return malformed;

  const v0 = bech32.decodeUnsafe(lower, BECH32_MAX_LENGTH);
  const v1plus = bech32m.decodeUnsafe(lower, BECH32_MAX_LENGTH);
  const decoded = v0 ?? v1plus;
  if (!decoded) return { families: [family], verdict: 'badChecksum', canonical };

  const [version, ...words] = decoded.words;
  if (version === undefined || version > 16) return malformed;
  // The checksum variant must match the version, else BIP 350 calls it a checksum failure.
  if ((version === 0) !== (v0 !== undefined)) {
    return { families: [family], verdict: 'badChecksum', canonical };
  }

  const program = bech32.fromWordsUnsafe(words);
  return program && payable(version, program.length)
    ? { families: [family], verdict: 'ok', canonical }
    : malformed;
}

/**
 * Witness v0 with a 20- or 32-byte program (P2WPKH, P2WSH) or v1 with 32 bytes (taproot).
 * BIP 350 also allows v1–16 with 2–40 bytes, but outputs of versions nobody defines yet are
 * spendable by anyone: paying to them loses the money, so we refuse them.
 */
function payable(version: number, programLength: number): boolean {
  if (version === 0) return programLength === 20 || programLength === 32;
  return version === 1 && programLength === 32;
}

const BASE58 = /^[1-9A-HJ-NP-Za-km-z]{25,40}$/;
const base58check = createBase58check(sha256);

/** Version byte of a 25-byte base58check address → who uses it. 0x05 (`3…`) is BTC and LTC. */
const BASE58_VERSIONS: Readonly<Record<number, readonly AddressFamily[]>> = {
  0x00: ['bitcoin'],
  0x05: ['bitcoin', 'litecoin'],
  0x30: ['litecoin'],
  0x32: ['litecoin'],
  0x41: ['tron'],
  0x6f: ['testnet'],
  0xc4: ['testnet'],
  0x3a: ['testnet'],
};

function readBase58(text: string): Reading | null {
  if (!BASE58.test(text)) return null;

  const raw = base58.decode(text);
  const families = BASE58_VERSIONS[raw[0] ?? -1];
  if (raw.length !== 25 || !families) return null;

  let verdict: Reading['verdict'] = 'ok';
  try {
    base58check.decode(text);
  } catch {
    verdict = 'badChecksum';
  }
  return { families, verdict, canonical: text };
}
