import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkAddress, type AddressCheck } from '../../machines/address-check.ts';
import type { CryptoAsset } from '../../machines/money.ts';

// Real addresses: BIP 173/350 vectors, the EIP-55 vectors, the genesis and USDT contracts, and
// addresses from public validator test suites.
const valid: Array<[CryptoAsset, string, string?]> = [
  ['BTC', '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa'],
  ['BTC', '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy'],
  ['BTC', 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4'],
  [
    'BTC',
    'BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4',
    'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4',
  ],
  ['BTC', 'bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3'],
  ['BTC', 'bc1p5cyxnuxmeuwuvkwfem96lqzszd02n6xdcjrs20cac6yqjjwudpxqkedrcr'],
  ['LTC', 'LVg2kJoFNg45Nbpy53h7Fe1wKyeXVRhMH9'],
  ['LTC', 'LTpYZG19YmfvY2bBDYtCKpunVRw7nVgRHW'],
  ['LTC', 'MUWheVyCBf3Fm3WNNXvotQ3Gj8NTSZCBVe'],
  ['LTC', '3NJZLcZEEYBpxYEUGewU4knsQRn1WM5Fkt'],
  ['LTC', 'ltc1qg42tkwuuxefutzxezdkdel39gfstuap288mfea'],
  ['LTC', 'ltc1qhxka8d59lylj76rpsflhagp76nvckggd8x0tt7jtnphpkmfv3snsk6suq0'],
  ['ETH', '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed'],
  ['ETH', '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359'],
  ['ETH', '0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB'],
  [
    'ETH',
    '0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed',
    '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
  ],
  [
    'ETH',
    '0x5AAEB6053F3E94C9B9A09F33669435E7EF1BEAED',
    '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
  ],
  ['USDT_ERC20', '0xdAC17F958D2ee523a2206206994597C13D831ec7'],
  ['USDT_TRC20', 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t'],
  ['USDT_TRC20', 'TNDzfERDpxLDS2w1q6yaFC7pzqaSQ3Bg3r'],
];

const invalid: Array<[string, CryptoAsset, string, AddressCheck]> = [
  ['empty', 'BTC', '  ', { ok: false, reason: 'empty' }],
  ['10,000 characters', 'ETH', '0x'.padEnd(10_000, 'a'), { ok: false, reason: 'tooLong' }],
  ['129 characters', 'BTC', 'b'.repeat(129), { ok: false, reason: 'tooLong' }],
  ['gibberish', 'BTC', 'hello world', { ok: false, reason: 'invalid' }],
  [
    '40 hex without 0x',
    'ETH',
    '5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
    { ok: false, reason: 'invalid' },
  ],
  [
    '0x with 39 hex',
    'ETH',
    '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe',
    { ok: false, reason: 'invalid' },
  ],
  [
    'a mixed-case ETH address with a broken EIP-55 checksum',
    'ETH',
    '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD',
    { ok: false, reason: 'badChecksum' },
  ],
  [
    'another broken EIP-55 checksum, on USDT-ERC20',
    'USDT_ERC20',
    '0xdAC17F958D2ee523a2206206994597C13D831Ec7',
    { ok: false, reason: 'badChecksum' },
  ],
  [
    'a mistyped P2PKH',
    'BTC',
    '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb',
    { ok: false, reason: 'badChecksum' },
  ],
  [
    'a mistyped bech32',
    'BTC',
    'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5',
    { ok: false, reason: 'badChecksum' },
  ],
  [
    'taproot with a bech32 (not bech32m) checksum',
    'BTC',
    'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd',
    { ok: false, reason: 'badChecksum' },
  ],
  [
    'a witness v1 program of 40 bytes, which nobody can safely receive yet',
    'BTC',
    'bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y',
    { ok: false, reason: 'invalid' },
  ],
  [
    'mixed-case bech32',
    'BTC',
    'bc1qW508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4',
    { ok: false, reason: 'invalid' },
  ],
  [
    'a mistyped LTC address',
    'LTC',
    'LVg2kJoFNg45Nbpy53h7Fe1wKyeXVRhMH8',
    { ok: false, reason: 'badChecksum' },
  ],
  [
    'a mistyped TRON address',
    'USDT_TRC20',
    'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6u',
    { ok: false, reason: 'badChecksum' },
  ],
  [
    'an LTC address for BTC',
    'BTC',
    'LVg2kJoFNg45Nbpy53h7Fe1wKyeXVRhMH9',
    { ok: false, reason: 'wrongNetwork', looksLike: 'litecoin' },
  ],
  [
    'a BTC P2PKH for LTC',
    'LTC',
    '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa',
    { ok: false, reason: 'wrongNetwork', looksLike: 'bitcoin' },
  ],
  [
    'a BTC bech32 for LTC',
    'LTC',
    'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4',
    { ok: false, reason: 'wrongNetwork', looksLike: 'bitcoin' },
  ],
  [
    'a TRON address for USDT-ERC20',
    'USDT_ERC20',
    'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t',
    { ok: false, reason: 'wrongNetwork', looksLike: 'tron' },
  ],
  [
    'an ETH address for USDT-TRC20',
    'USDT_TRC20',
    '0xdAC17F958D2ee523a2206206994597C13D831ec7',
    { ok: false, reason: 'wrongNetwork', looksLike: 'ethereum' },
  ],
  [
    'a BTC testnet bech32',
    'BTC',
    'tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx',
    { ok: false, reason: 'wrongNetwork', looksLike: 'testnet' },
  ],
  [
    'a BTC testnet P2PKH',
    'BTC',
    'mzBc4XEFSdzCDcTxAgf6EZXgsZWpztRhef',
    { ok: false, reason: 'wrongNetwork', looksLike: 'testnet' },
  ],
  [
    'a mistyped BTC address for ETH (the network decides first)',
    'ETH',
    '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb',
    { ok: false, reason: 'wrongNetwork', looksLike: 'bitcoin' },
  ],
];

describe('checkAddress', () => {
  for (const [asset, address, canonical] of valid) {
    it(`accepts ${address.slice(0, 16)}… for ${asset}`, () => {
      const check = checkAddress(asset, `  ${address}\n`);
      assert.equal(check.ok, true, JSON.stringify(check));
      assert.equal(check.ok && check.address, canonical ?? address);
    });
  }

  for (const [label, asset, address, expected] of invalid) {
    it(`refuses ${label}`, () => {
      assert.deepEqual(checkAddress(asset, address), expected);
    });
  }

  it('refuses 10,000 characters of any kind in well under a millisecond each', () => {
    const started = performance.now();
    for (const char of ['1', 'a', 'q', '0', 'T']) checkAddress('BTC', char.repeat(10_000));
    assert.ok(performance.now() - started < 50);
  });
});
