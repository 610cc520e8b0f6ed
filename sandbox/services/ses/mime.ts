// Just enough MIME to read a raw email (SendRawEmail, SES v2 `Content.Raw`) and to write a captured one as
// an `.eml` file: headers with folded lines and RFC 2047 encoded words, nested multiparts, base64 and
// quoted-printable parts.

/** A raw email's headers and its text and HTML parts. */
export interface ParsedMime {
  /** Lower-case header names; a repeated header keeps its first value. */
  readonly headers: Readonly<Record<string, string>>;
  readonly text?: string;
  readonly html?: string;
  readonly attachments: readonly { readonly fileName?: string; readonly contentType: string; readonly size: number }[];
}

/** Decodes `=?UTF-8?B?...?=` and `=?UTF-8?Q?...?=` words of a header value. */
export function decodeEncodedWords(value: string): string {
  // Whitespace between two encoded words is dropped, as RFC 2047 says.
  return value.replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=(?:\s+(?==\?))?/g, (_match, charset: string, encoding: string, text: string) => {
    const bytes = encoding.toUpperCase() === 'B' ? Buffer.from(text, 'base64') : Buffer.from(decodeQuotedPrintable(text.replace(/_/g, ' ')), 'latin1');
    return new TextDecoder(charset.toLowerCase() === 'utf8' ? 'utf-8' : charset).decode(bytes);
  });
}

function decodeQuotedPrintable(text: string): string {
  return text.replace(/=\r?\n/g, '').replace(/=([0-9A-Fa-f]{2})/g, (_match, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

function splitHead(message: string): { head: string; body: string } {
  const match = /\r?\n\r?\n/.exec(message);
  if (!match) return { head: message, body: '' };
  return { head: message.slice(0, match.index), body: message.slice(match.index + match[0].length) };
}

function parseHeaders(head: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!(name in headers)) headers[name] = line.slice(colon + 1).trim();
  }
  return headers;
}

function parameter(value: string, name: string): string | undefined {
  const match = new RegExp(`;\\s*${name}\\*?=("([^"]*)"|[^;\\s]+)`, 'i').exec(value);
  return match ? (match[2] ?? match[1]) : undefined;
}

function decodeBody(body: string, headers: Record<string, string>): string {
  const encoding = (headers['content-transfer-encoding'] ?? '').toLowerCase();
  const charset = parameter(headers['content-type'] ?? '', 'charset') ?? 'utf-8';
  const bytes = encoding === 'base64' ? Buffer.from(body.replace(/\s+/g, ''), 'base64') : Buffer.from(encoding === 'quoted-printable' ? decodeQuotedPrintable(body) : body, encoding === 'quoted-printable' ? 'latin1' : 'utf8');
  return new TextDecoder(charset.toLowerCase() === 'utf8' ? 'utf-8' : charset).decode(bytes);
}

/** Reads a raw email. */
export function parseMime(message: string): ParsedMime {
  const { head, body } = splitHead(message);
  const headers = parseHeaders(head);
  const found: { text?: string; html?: string; attachments: { fileName?: string; contentType: string; size: number }[] } = { attachments: [] };
  const walk = (partHeaders: Record<string, string>, partBody: string) => {
    const contentType = partHeaders['content-type'] ?? 'text/plain';
    const type = contentType.split(';')[0]?.trim().toLowerCase() ?? 'text/plain';
    const disposition = partHeaders['content-disposition'] ?? '';
    if (type.startsWith('multipart/')) {
      const boundary = parameter(contentType, 'boundary');
      if (!boundary) return;
      const sections = partBody.split(`--${boundary}`).slice(1);
      for (const section of sections) {
        if (section.startsWith('--')) break;
        const { head: sectionHead, body: sectionBody } = splitHead(section.replace(/^\r?\n/, ''));
        walk(parseHeaders(sectionHead), sectionBody.replace(/\r?\n$/, ''));
      }
    } else if (/attachment/i.test(disposition) || !type.startsWith('text/')) {
      const fileName = parameter(disposition, 'filename') ?? parameter(contentType, 'name');
      found.attachments.push({ ...(fileName ? { fileName: decodeEncodedWords(fileName) } : {}), contentType: type, size: decodeBody(partBody, partHeaders).length });
    } else if (type === 'text/html' && found.html === undefined) found.html = decodeBody(partBody, partHeaders);
    else if (type === 'text/plain' && found.text === undefined) found.text = decodeBody(partBody, partHeaders);
  };
  walk(headers, body);
  return {
    headers: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, decodeEncodedWords(value)])),
    ...(found.text !== undefined ? { text: found.text } : {}),
    ...(found.html !== undefined ? { html: found.html } : {}),
    attachments: found.attachments,
  };
}

/** Splits an address list header (`"A, B" <a@x>, b@y`) into addresses as written. */
export function splitAddresses(value: string | undefined): string[] {
  if (!value) return [];
  const addresses: string[] = [];
  let current = '';
  let quoted = false;
  let angle = false;
  for (const char of value) {
    if (char === '"') quoted = !quoted;
    if (char === '<') angle = true;
    if (char === '>') angle = false;
    if (char === ',' && !quoted && !angle) {
      if (current.trim()) addresses.push(current.trim());
      current = '';
    } else current += char;
  }
  if (current.trim()) addresses.push(current.trim());
  return addresses;
}

/** The bare address of `"Name" <a@b>` or `a@b`. */
export function bareAddress(address: string): string {
  return (/<([^>]+)>/.exec(address)?.[1] ?? address).trim();
}

function encodeHeader(value: string): string {
  // Non-ASCII header values become one UTF-8 base64 encoded word.
  return /^[\x20-\x7e]*$/.test(value) ? value : `=?UTF-8?B?${Buffer.from(value, 'utf8').toString('base64')}?=`;
}

/** Writes a simple email (text and/or HTML) as RFC 5322 text. */
export function formatMime(email: {
  messageId: string;
  date: Date;
  from: string;
  to: readonly string[];
  cc: readonly string[];
  replyTo: readonly string[];
  subject: string;
  text?: string;
  html?: string;
  headers?: readonly { name: string; value: string }[];
}): string {
  const lines = [
    `Message-ID: <${email.messageId}@email.amazonses.com>`,
    `Date: ${email.date.toUTCString().replace('GMT', '+0000')}`,
    `From: ${email.from}`,
    ...(email.to.length > 0 ? [`To: ${email.to.join(', ')}`] : []),
    ...(email.cc.length > 0 ? [`Cc: ${email.cc.join(', ')}`] : []),
    ...(email.replyTo.length > 0 ? [`Reply-To: ${email.replyTo.join(', ')}`] : []),
    `Subject: ${encodeHeader(email.subject)}`,
    ...(email.headers ?? []).map((header) => `${header.name}: ${encodeHeader(header.value)}`),
    'MIME-Version: 1.0',
  ];
  const part = (type: string, content: string) => [`Content-Type: ${type}; charset=UTF-8`, 'Content-Transfer-Encoding: 8bit', '', content];
  if (email.text !== undefined && email.html !== undefined) {
    const boundary = `sandbox-${email.messageId}`;
    return [
      ...lines,
      `Content-Type: multipart/alternative; boundary="${boundary}"`,
      '',
      `--${boundary}`,
      ...part('text/plain', email.text),
      `--${boundary}`,
      ...part('text/html', email.html),
      `--${boundary}--`,
      '',
    ].join('\r\n');
  }
  return [...lines, ...part(email.html !== undefined ? 'text/html' : 'text/plain', email.html ?? email.text ?? ''), ''].join('\r\n');
}
