import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BadRequestException, NotFoundException, SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import type { LogSink } from '../../../sandbox/core/logger';
import { Sandbox } from '../../../sandbox/core/sandbox';
import { PlatformModel } from '../../../sandbox/model/platform-model';
import { endpointCapability } from '../../../sandbox/services/capabilities';
import { SES_OUTBOX, sesService, type SesOutbox } from '../../../sandbox/services/ses';

const REGION = 'eu-west-1';

/** A `notifications` stack with SES identities and a stored template. */
function writePlatform(outdir: string): void {
  const stack = {
    provider: { aws: [{ region: REGION, allowed_account_ids: ['111122223333'] }] },
    resource: {
      aws_sesv2_email_identity: { domain: { email_identity: 'orders.example.com' } },
      aws_ses_email_identity: { support: { email: 'support@example.org' } },
      aws_ses_template: {
        shipped: { name: 'order-shipped', subject: 'Order {{orderId}} shipped', html: '<p>Hi {{name}}, order {{orderId}} is on its way.</p>', text: 'Hi {{name}}, order {{orderId}} is on its way.' },
      },
    },
    output: { identity_arn: { value: '${aws_sesv2_email_identity.domain.arn}' } },
  };
  mkdirSync(join(outdir, 'stacks', 'notifications'), { recursive: true });
  writeFileSync(join(outdir, 'stacks', 'notifications', 'cdk.tf.json'), JSON.stringify(stack));
  writeFileSync(join(outdir, 'manifest.json'), JSON.stringify({ stacks: { notifications: { name: 'notifications', dependencies: [], synthesizedStackPath: 'stacks/notifications/cdk.tf.json' } } }));
}

describe('sesService', () => {
  const root = mkdtempSync(join(tmpdir(), 'ses-'));
  const logs: Parameters<LogSink>[0][] = [];
  let sandbox: Sandbox;
  let model: PlatformModel;
  let endpoint: string;
  let outbox: SesOutbox;
  let client: SESv2Client;

  beforeAll(async () => {
    writePlatform(join(root, 'out'));
    model = new PlatformModel(join(root, 'out'));
    sandbox = new Sandbox({ model, services: [sesService({ port: 0 })], dataRoot: join(root, 'data'), sink: (line) => logs.push(line) });
    await sandbox.start();
    endpoint = sandbox.registry.require<string>(endpointCapability('SESV2'));
    outbox = sandbox.registry.require<SesOutbox>(SES_OUTBOX);
    client = new SESv2Client({ endpoint, region: REGION, credentials: { accessKeyId: 'sandbox', secretAccessKey: 'sandbox' } });
  });
  afterAll(async () => {
    client.destroy();
    await sandbox.stop();
    rmSync(root, { recursive: true, force: true });
  });
  beforeEach(() => outbox.clear());

  it('captures an SDK SendEmail with from, recipients, subject and both bodies, and writes .json and .eml files', async () => {
    const sent = await client.send(
      new SendEmailCommand({
        FromEmailAddress: 'Orders <no-reply@orders.example.com>',
        Destination: { ToAddresses: ['ada@example.net'], CcAddresses: ['ops@example.net'] },
        ReplyToAddresses: ['support@example.org'],
        Content: { Simple: { Subject: { Data: 'Your order PO-1 – confirmed' }, Body: { Text: { Data: 'Thanks for PO-1.' }, Html: { Data: '<p>Thanks for <b>PO-1</b>.</p>' } } } },
        EmailTags: [{ Name: 'event', Value: 'OrderCreated' }],
        ConfigurationSetName: 'orders',
      }),
    );
    expect(sent.MessageId).toMatch(/^0100[0-9a-f]{12}-[0-9a-f-]{36}-000000$/);
    const email = await outbox.waitFor((candidate) => candidate.messageId === sent.MessageId, 1000);
    expect(email).toMatchObject({
      api: 'sesv2',
      from: 'Orders <no-reply@orders.example.com>',
      to: ['ada@example.net'],
      cc: ['ops@example.net'],
      bcc: [],
      replyTo: ['support@example.org'],
      subject: 'Your order PO-1 – confirmed',
      text: 'Thanks for PO-1.',
      html: '<p>Thanks for <b>PO-1</b>.</p>',
      tags: { event: 'OrderCreated' },
      configurationSet: 'orders',
    });
    expect(email.files.json.startsWith(join(root, 'data', 'ses', 'outbox'))).toBe(true);
    expect(JSON.parse(readFileSync(email.files.json, 'utf8'))).toMatchObject({ messageId: sent.MessageId, subject: 'Your order PO-1 – confirmed' });
    const eml = readFileSync(email.files.eml, 'utf8');
    expect(eml).toContain('From: Orders <no-reply@orders.example.com>\r\n');
    expect(eml).toContain(`Subject: =?UTF-8?B?${Buffer.from('Your order PO-1 – confirmed').toString('base64')}?=`);
    expect(eml).toContain('Content-Type: multipart/alternative');
    expect(logs.some((line) => line.component === 'ses' && line.message.startsWith('Captured "Your order PO-1'))).toBe(true);
  });

  it('renders stored and inline templates with the template data', async () => {
    await client.send(
      new SendEmailCommand({
        FromEmailAddress: 'no-reply@orders.example.com',
        Destination: { ToAddresses: ['ada@example.net'] },
        Content: { Template: { TemplateName: 'order-shipped', TemplateData: JSON.stringify({ name: 'Ada <3', orderId: 'PO-2' }) } },
      }),
    );
    await client.send(
      new SendEmailCommand({
        FromEmailAddress: 'no-reply@orders.example.com',
        Destination: { ToAddresses: ['bob@example.net'] },
        Content: { Template: { TemplateContent: { Subject: 'Hello {{who}}', Text: 'Dear {{who}}' }, TemplateData: '{"who":"Bob"}' } },
      }),
    );
    expect(outbox.list().map((email) => [email.subject, email.text, email.html])).toEqual([
      ['Order PO-2 shipped', 'Hi Ada <3, order PO-2 is on its way.', '<p>Hi Ada &#x3C;3, order PO-2 is on its way.</p>'],
      ['Hello Bob', 'Dear Bob', undefined],
    ]);
    await expect(
      client.send(new SendEmailCommand({ FromEmailAddress: 'no-reply@orders.example.com', Destination: { ToAddresses: ['a@example.net'] }, Content: { Template: { TemplateName: 'missing' } } })),
    ).rejects.toThrow(NotFoundException);
  });

  it('captures a raw MIME message with the recipients of its headers', async () => {
    const raw = [
      'From: "Shop" <shop@orders.example.com>',
      'To: a@example.net, "B, Jr." <b@example.net>',
      'Subject: =?UTF-8?B?' + Buffer.from('Reçu').toString('base64') + '?=',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="outer"',
      '',
      '--outer',
      'Content-Type: text/plain; charset=UTF-8',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      'Montant =E2=82=AC5',
      '--outer',
      'Content-Type: application/pdf; name="receipt.pdf"',
      'Content-Disposition: attachment; filename="receipt.pdf"',
      'Content-Transfer-Encoding: base64',
      '',
      Buffer.from('%PDF-1.4').toString('base64'),
      '--outer--',
      '',
    ].join('\r\n');
    const sent = await client.send(new SendEmailCommand({ Content: { Raw: { Data: Buffer.from(raw) } } }));
    const email = await outbox.waitFor((candidate) => candidate.messageId === sent.MessageId);
    expect(email).toMatchObject({ from: '"Shop" <shop@orders.example.com>', to: ['a@example.net', '"B, Jr." <b@example.net>'], subject: 'Reçu', text: 'Montant €5', attachments: [{ fileName: 'receipt.pdf', contentType: 'application/pdf', size: 8 }] });
    expect(readFileSync(email.files.eml, 'utf8')).toBe(raw);
  });

  it('refuses a message without recipients as SES does (BadRequestException), capturing nothing', async () => {
    const attempt = client.send(new SendEmailCommand({ FromEmailAddress: 'no-reply@orders.example.com', Content: { Simple: { Subject: { Data: 's' }, Body: { Text: { Data: 't' } } } } }));
    await expect(attempt).rejects.toThrow(BadRequestException);
    await expect(attempt).rejects.toThrow('The message must have at least one recipient (Destination).');
    expect(outbox.list()).toEqual([]);
  });

  it('answers SES v1 SendEmail (query protocol) with XML', async () => {
    const response = await fetch(sandbox.registry.require<string>(endpointCapability('SES')), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        Action: 'SendEmail',
        Source: 'support@example.org',
        'Destination.ToAddresses.member.1': 'ada@example.net',
        'Message.Subject.Data': 'v1 hello',
        'Message.Body.Text.Data': 'plain',
      }).toString(),
    });
    expect(response.status).toBe(200);
    const body = await response.text();
    const messageId = /<MessageId>([^<]+)<\/MessageId>/.exec(body)?.[1];
    expect(body).toMatch(/^<SendEmailResponse xmlns="http:\/\/ses.amazonaws.com\/doc\/2010-12-01\/"><SendEmailResult><MessageId>/);
    expect(outbox.list()).toMatchObject([{ api: 'ses', messageId, from: 'support@example.org', to: ['ada@example.net'], subject: 'v1 hello', text: 'plain' }]);

    const refused = await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=SendEmail' });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('<Code>MissingParameter</Code>');
  });

  it('warns when the sender is covered by no identity of the platform, and still captures', async () => {
    logs.length = 0;
    await client.send(new SendEmailCommand({ FromEmailAddress: 'x@elsewhere.com', Destination: { ToAddresses: ['a@example.net'] }, Content: { Simple: { Subject: { Data: 's' }, Body: { Text: { Data: 't' } } } } }));
    await client.send(new SendEmailCommand({ FromEmailAddress: 'x@mail.orders.example.com', Destination: { ToAddresses: ['a@example.net'] }, Content: { Simple: { Subject: { Data: 's' }, Body: { Text: { Data: 't' } } } } }));
    expect(logs.filter((line) => line.level === 'warn').map((line) => line.message)).toEqual([
      'x@elsewhere.com is covered by no SES identity of the platform (support@example.org, orders.example.com); AWS would refuse it: Email address is not verified',
    ]);
    expect(outbox.list()).toHaveLength(2);
  });

  it('lists captured mail at /_aws/ses, and waitFor rejects naming what it saw', async () => {
    await client.send(new SendEmailCommand({ FromEmailAddress: 'no-reply@orders.example.com', Destination: { ToAddresses: ['a@example.net'] }, Content: { Simple: { Subject: { Data: 'listed' }, Body: { Text: { Data: 't' } } } } }));
    const listed = (await (await fetch(`${endpoint}/_aws/ses`)).json()) as { messages: { subject: string }[] };
    expect(listed.messages.map((message) => message.subject)).toEqual(['listed']);
    await expect(outbox.waitFor((email) => email.subject === 'never', 50)).rejects.toThrow('No matching email within 50 ms; captured 1: "listed" to a@example.net');
  });

  it('gives identities ARNs, accepts them with a reason, runs templates, and describes the endpoint', () => {
    expect(model.output('notifications', 'identity_arn')).toBe('arn:aws:ses:eu-west-1:111122223333:identity/orders.example.com');
    expect(sandbox.coverage()).toEqual([
      { type: 'aws_ses_email_identity', count: 1, status: 'accepted', detail: expect.stringContaining('not verified locally') },
      { type: 'aws_ses_template', count: 1, status: 'runs', detail: 'ses' },
      { type: 'aws_sesv2_email_identity', count: 1, status: 'accepted', detail: expect.stringContaining('not verified locally') },
    ]);
    expect(sandbox.describe()).toEqual([expect.stringMatching(new RegExp(`^SES \\(captured\\) +${endpoint} `))]);
    expect(existsSync(join(root, 'data', 'ses', 'outbox'))).toBe(true);
  });
});
