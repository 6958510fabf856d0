import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { SMTPServer } from 'smtp-server';
import { SmtpMailer } from '../../activities/mail/smtp-mailer.ts';

describe('the SMTP mailer', () => {
  const received: Array<{ from: string; to: string[]; raw: string }> = [];
  let server: SMTPServer;
  let port: number;

  before(async () => {
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, session, done) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            raw: Buffer.concat(chunks).toString(),
          });
          done();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.server.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('delivers a code e-mail to an SMTP server', async () => {
    const mailer = new SmtpMailer(`smtp://127.0.0.1:${port}`, 'LockBay <no-reply@lockbay.test>');
    await mailer.send({
      to: 'ada@example.com',
      subject: '123456 is your LockBay code',
      text: 'Your code is 123456.',
    });

    assert.equal(received.length, 1);
    assert.equal(received[0]?.from, 'no-reply@lockbay.test');
    assert.deepEqual(received[0]?.to, ['ada@example.com']);
    assert.match(received[0]?.raw ?? '', /Subject: 123456 is your LockBay code/);
  });
});
