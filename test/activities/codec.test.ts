import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { defaultPayloadConverter } from '@temporalio/common';
import { EncryptionCodec } from '../../activities/codec/encryption-codec.ts';
import { startCodecServer } from '../../bot/codec-server.ts';
import { createLogger } from '../../bot/logger.ts';

const key = (id: string, fill: number) => ({ id, key: Buffer.alloc(32, fill) });
const secretPayload = () => defaultPayloadConverter.toPayload({ email: 'ada@example.com' });

describe('the payload codec', () => {
  it('hides payloads and gives them back unchanged', async () => {
    const codec = new EncryptionCodec(key('k1', 1));
    const [sealed] = await codec.encode([secretPayload()]);
    assert.ok(
      sealed &&
        !Buffer.from(sealed.data ?? [])
          .toString('latin1')
          .includes('ada@example.com'),
    );

    const [opened] = await codec.decode([sealed]);
    assert.deepEqual(defaultPayloadConverter.fromPayload(opened!), { email: 'ada@example.com' });
  });

  it('refuses a tampered payload and names a missing key', async () => {
    const codec = new EncryptionCodec(key('k1', 1));
    const [sealed] = await codec.encode([secretPayload()]);
    const tampered = Buffer.from(sealed!.data!);
    tampered[tampered.length - 1]! ^= 1;
    await assert.rejects(codec.decode([{ ...sealed, data: tampered }]));
    await assert.rejects(
      new EncryptionCodec(key('k2', 2)).decode([sealed!]),
      /no payload key "k1"/,
    );
  });

  it('reads payloads of a previous key after rotation, and passes plain ones through', async () => {
    const [old] = await new EncryptionCodec(key('k1', 1)).encode([secretPayload()]);
    const rotated = new EncryptionCodec(key('k2', 2), [key('k1', 1)]);
    const [plain, opened] = await rotated.decode([secretPayload(), old!]);
    assert.deepEqual(defaultPayloadConverter.fromPayload(plain!), { email: 'ada@example.com' });
    assert.deepEqual(defaultPayloadConverter.fromPayload(opened!), { email: 'ada@example.com' });
  });

  it('serves Temporal UI through the codec server, to its origin only', async () => {
    const codec = new EncryptionCodec(key('k1', 1));
    const server = await startCodecServer({
      port: 0,
      codec,
      uiOrigin: 'http://127.0.0.1:8233',
      logger: createLogger('silent'),
    });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const [sealed] = await codec.encode([secretPayload()]);
      const body = {
        payloads: [
          {
            metadata: Object.fromEntries(
              Object.entries(sealed!.metadata!).map(([k, v]) => [
                k,
                Buffer.from(v!).toString('base64'),
              ]),
            ),
            data: Buffer.from(sealed!.data!).toString('base64'),
          },
        ],
      };
      const response = await fetch(`${url}/decode?preserveStorageRefs=true`, {
        method: 'POST',
        body: JSON.stringify(body),
        headers: { 'content-type': 'application/json' },
      });
      assert.equal(response.headers.get('access-control-allow-origin'), 'http://127.0.0.1:8233');
      const { payloads } = (await response.json()) as { payloads: Array<{ data: string }> };
      assert.equal(
        JSON.parse(Buffer.from(payloads[0]!.data, 'base64').toString()).email,
        'ada@example.com',
      );
    } finally {
      await new Promise((done) => server.close(done));
    }
  });

  it('keeps e-mail addresses out of recorded histories', async () => {
    const history = await readFile(
      new URL('../replay/histories/onboarding-completed.json', import.meta.url),
      'utf8',
    );
    assert.ok(!history.includes('replay@example.com'));
    assert.ok(
      !Buffer.from(history)
        .toString()
        .includes(Buffer.from('replay@example.com').toString('base64')),
    );
  });
});
