import { decodeEncodedWords, formatMime, fromSesV1, fromSesV2, parseMime, renderEmailTemplate, SesRequestError, splitAddresses } from '../../../sandbox/services/ses';

describe('MIME', () => {
  it('decodes B and Q encoded words and splits address lists on commas outside quotes and brackets', () => {
    expect(decodeEncodedWords('=?UTF-8?Q?Caf=C3=A9_ouvert?= now')).toBe('Café ouvert now');
    expect(decodeEncodedWords('=?utf-8?B?w6k=?= =?utf-8?B?w6k=?=')).toBe('éé');
    expect(splitAddresses('a@x.com, "Doe, J" <j@x.com>,<k@x.com>')).toEqual(['a@x.com', '"Doe, J" <j@x.com>', '<k@x.com>']);
  });

  it('reads back what it writes: headers, text and HTML alternatives', () => {
    const text = formatMime({
      messageId: 'id-1',
      date: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)),
      from: 'a@x.com',
      to: ['b@x.com', 'c@x.com'],
      cc: [],
      replyTo: ['r@x.com'],
      subject: 'Grüße',
      text: 'plain',
      html: '<b>rich</b>',
      headers: [{ name: 'X-Order', value: 'PO-1' }],
    });
    expect(text).toContain('Date: Fri, 02 Jan 2026 03:04:05 +0000\r\n');
    expect(parseMime(text)).toMatchObject({ headers: { from: 'a@x.com', to: 'b@x.com, c@x.com', subject: 'Grüße', 'x-order': 'PO-1', 'reply-to': 'r@x.com' }, text: 'plain', html: '<b>rich</b>', attachments: [] });
  });
});

describe('SES requests', () => {
  it('reads v1 SendRawEmail, with Destinations overriding the headers', () => {
    const raw = 'From: a@x.com\r\nTo: b@x.com\r\nSubject: hi\r\n\r\nbody';
    const params = new URLSearchParams({ Action: 'SendRawEmail', 'RawMessage.Data': Buffer.from(raw).toString('base64'), 'Destinations.member.1': 'c@x.com' });
    expect(fromSesV1(params)).toMatchObject({ api: 'ses', action: 'SendRawEmail', from: 'a@x.com', to: ['c@x.com'], subject: 'hi', text: 'body', raw });
  });

  it('refuses what SES refuses, with its codes', () => {
    const code = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        return [(error as SesRequestError).code, (error as SesRequestError).status];
      }
      return undefined;
    };
    expect(code(() => fromSesV1(new URLSearchParams({ Action: 'VerifyEmailIdentity' })))).toEqual(['InvalidAction', 400]);
    expect(code(() => fromSesV1(new URLSearchParams({ Action: 'SendEmail', Source: 'a@x.com', 'Message.Subject.Data': 's', 'Destination.ToAddresses.member.1': 'nobody' })))).toEqual(['InvalidParameterValue', 400]);
    expect(code(() => fromSesV2({ Destination: { ToAddresses: ['b@x.com'] }, Content: { Simple: { Subject: { Data: 's' }, Body: { Text: { Data: 't' } } } } }, () => undefined))).toEqual(['BadRequestException', 400]);
    expect(code(() => fromSesV2({ FromEmailAddress: 'a@x.com', Destination: { ToAddresses: ['b@x.com'] }, Content: {} }, () => undefined))).toEqual(['BadRequestException', 400]);
  });

  it('renders templates like SES: escaped in HTML, raw with triple braces, missing values empty', () => {
    expect(renderEmailTemplate('{{a.b}} {{{html}}} [{{nope}}]', { a: { b: '<x>' }, html: '<i>ok</i>' }, true)).toBe('&#x3C;x&#x3E; <i>ok</i> []');
    expect(renderEmailTemplate('{{a.b}}', { a: { b: '<x>' } }, false)).toBe('<x>');
  });
});
