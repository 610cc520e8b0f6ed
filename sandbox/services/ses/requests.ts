// SES requests as emails to capture: SES v2 `SendEmail` (JSON: Simple, Raw or Template content) and SES v1
// `SendEmail`/`SendRawEmail` (query protocol, form-encoded). What SES would refuse as malformed is refused
// with SES's error code.
import { bareAddress, parseMime, splitAddresses } from './mime';

/** An email as a send request describes it, before it gets an id. */
export interface EmailDraft {
  readonly api: 'sesv2' | 'ses';
  readonly action: 'SendEmail' | 'SendRawEmail';
  readonly from: string;
  readonly to: readonly string[];
  readonly cc: readonly string[];
  readonly bcc: readonly string[];
  readonly replyTo: readonly string[];
  readonly subject: string;
  readonly text?: string;
  readonly html?: string;
  /** The MIME message of a raw send. */
  readonly raw?: string;
  readonly template?: { readonly name?: string; readonly arn?: string; readonly data?: string };
  readonly headers?: readonly { readonly name: string; readonly value: string }[];
  readonly attachments?: readonly { readonly fileName?: string; readonly contentType: string; readonly size: number }[];
  readonly tags: Readonly<Record<string, string>>;
  readonly configurationSet?: string;
}

/** An email template: `aws_ses_template` or inline v2 `TemplateContent`. */
export interface EmailTemplate {
  readonly subject?: string;
  readonly html?: string;
  readonly text?: string;
}

/** A request SES refuses, with SES's error code. */
export class SesRequestError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

type Json = Record<string, unknown>;

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"'`=]/g, (char) => `&#x${(char.codePointAt(0) as number).toString(16).toUpperCase()};`);
}

/** SES's Handlebars subset: `{{name}}`, `{{a.b}}` (HTML-escaped in the HTML part) and `{{{raw}}}`; a missing value is empty. */
export function renderEmailTemplate(template: string, data: Json, html: boolean): string {
  const lookup = (path: string) => {
    let current: unknown = data;
    for (const part of path.trim().split('.')) current = current && typeof current === 'object' ? (current as Json)[part] : undefined;
    return current === undefined || current === null ? '' : String(current);
  };
  return template.replace(/\{\{\{([^}]+)\}\}\}|\{\{([^}#/]+)\}\}/g, (_match, raw: string | undefined, escaped: string | undefined) =>
    raw !== undefined ? lookup(raw) : html ? escapeHtml(lookup(escaped as string)) : lookup(escaped as string),
  );
}

function recipients(draft: Pick<EmailDraft, 'api' | 'to' | 'cc' | 'bcc'>): void {
  const code = draft.api === 'ses' ? 'InvalidParameterValue' : 'BadRequestException';
  if (draft.to.length + draft.cc.length + draft.bcc.length === 0) throw new SesRequestError(code, 'The message must have at least one recipient (Destination).');
  for (const address of [...draft.to, ...draft.cc, ...draft.bcc]) {
    if (!/^[^@\s]+@[^@\s]+$/.test(bareAddress(address))) throw new SesRequestError(code, `Illegal address: ${address}`);
  }
}

function fromRaw(api: EmailDraft['api'], raw: string, destinations: { to: string[]; cc: string[]; bcc: string[] } | undefined, from: string | undefined): EmailDraft {
  const parsed = parseMime(raw);
  const sender = from ?? parsed.headers.from;
  if (!sender) throw new SesRequestError(api === 'ses' ? 'InvalidParameterValue' : 'BadRequestException', 'Missing required header \'From\'.');
  const draft = {
    api,
    action: 'SendRawEmail' as const,
    from: sender,
    to: destinations?.to ?? splitAddresses(parsed.headers.to),
    cc: destinations?.cc ?? splitAddresses(parsed.headers.cc),
    bcc: destinations?.bcc ?? splitAddresses(parsed.headers.bcc),
    replyTo: splitAddresses(parsed.headers['reply-to']),
    subject: parsed.headers.subject ?? '',
    ...(parsed.text !== undefined ? { text: parsed.text } : {}),
    ...(parsed.html !== undefined ? { html: parsed.html } : {}),
    raw,
    attachments: parsed.attachments,
    tags: {},
  };
  recipients(draft);
  return draft;
}

/** Reads an SES v2 `SendEmail` body; `templates` finds a stored template by name. */
export function fromSesV2(input: Json, templates: (name: string) => EmailTemplate | undefined): EmailDraft {
  const content = (input.Content ?? {}) as Json;
  const destination = (input.Destination ?? {}) as Json;
  const to = strings(destination.ToAddresses);
  const cc = strings(destination.CcAddresses);
  const bcc = strings(destination.BccAddresses);
  const common = {
    api: 'sesv2' as const,
    replyTo: strings(input.ReplyToAddresses),
    tags: Object.fromEntries(((input.EmailTags ?? []) as Json[]).map((tag) => [String(tag.Name), String(tag.Value)])),
    ...(typeof input.ConfigurationSetName === 'string' ? { configurationSet: input.ConfigurationSetName } : {}),
  };
  const from = typeof input.FromEmailAddress === 'string' ? input.FromEmailAddress : undefined;

  const raw = content.Raw as Json | undefined;
  if (raw) {
    if (typeof raw.Data !== 'string') throw new SesRequestError('BadRequestException', 'Content.Raw.Data is required.');
    const destinations = input.Destination ? { to, cc, bcc } : undefined;
    return { ...fromRaw('sesv2', Buffer.from(raw.Data, 'base64').toString('utf8'), destinations, from), ...common };
  }
  if (!from) throw new SesRequestError('BadRequestException', 'FromEmailAddress is required unless the content is Raw.');

  const simple = content.Simple as Json | undefined;
  const template = content.Template as Json | undefined;
  let draft: EmailDraft;
  if (simple) {
    const body = (simple.Body ?? {}) as Json;
    const text = (body.Text as Json | undefined)?.Data;
    const html = (body.Html as Json | undefined)?.Data;
    if (text === undefined && html === undefined) throw new SesRequestError('BadRequestException', 'Content.Simple.Body needs Text or Html.');
    draft = {
      ...common,
      action: 'SendEmail',
      from,
      to,
      cc,
      bcc,
      subject: String((simple.Subject as Json | undefined)?.Data ?? ''),
      ...(text !== undefined ? { text: String(text) } : {}),
      ...(html !== undefined ? { html: String(html) } : {}),
      headers: ((simple.Headers ?? []) as Json[]).map((header) => ({ name: String(header.Name), value: String(header.Value) })),
      attachments: ((simple.Attachments ?? []) as Json[]).map((attachment) => ({
        ...(attachment.FileName ? { fileName: String(attachment.FileName) } : {}),
        contentType: String(attachment.ContentType ?? 'application/octet-stream'),
        size: Buffer.from(String(attachment.RawContent ?? ''), 'base64').length,
      })),
    };
  } else if (template) {
    const name = typeof template.TemplateName === 'string' ? template.TemplateName : undefined;
    const arn = typeof template.TemplateArn === 'string' ? template.TemplateArn : undefined;
    const content = template.TemplateContent as Json | undefined;
    const inline: EmailTemplate | undefined = content
      ? Object.fromEntries((['Subject', 'Html', 'Text'] as const).flatMap((key) => (typeof content[key] === 'string' ? [[key.toLowerCase(), content[key]]] : [])))
      : undefined;
    const stored = inline ?? templates(name ?? arn?.split('/').pop() ?? '');
    if (!stored) throw new SesRequestError('NotFoundException', `Template ${name ?? arn ?? '(unnamed)'} does not exist.`, 404);
    let data: Json = {};
    try {
      data = JSON.parse(typeof template.TemplateData === 'string' ? template.TemplateData : '{}') as Json;
    } catch {
      throw new SesRequestError('BadRequestException', 'TemplateData is not valid JSON.');
    }
    draft = {
      ...common,
      action: 'SendEmail',
      from,
      to,
      cc,
      bcc,
      subject: renderEmailTemplate(stored.subject ?? '', data, false),
      ...(stored.text !== undefined ? { text: renderEmailTemplate(stored.text, data, false) } : {}),
      ...(stored.html !== undefined ? { html: renderEmailTemplate(stored.html, data, true) } : {}),
      template: { ...(name ? { name } : {}), ...(arn ? { arn } : {}), ...(typeof template.TemplateData === 'string' ? { data: template.TemplateData } : {}) },
    };
  } else throw new SesRequestError('BadRequestException', 'Content needs one of Simple, Raw or Template.');
  recipients(draft);
  return draft;
}

/** `Name.member.1`, `Name.member.2`... of a query-protocol request. */
function members(params: URLSearchParams, name: string): string[] {
  const found: string[] = [];
  for (let index = 1; params.has(`${name}.member.${index}`); index += 1) found.push(params.get(`${name}.member.${index}`) as string);
  return found;
}

/** Reads an SES v1 `SendEmail` or `SendRawEmail` form. */
export function fromSesV1(params: URLSearchParams): EmailDraft {
  const action = params.get('Action');
  const tags = Object.fromEntries(
    [...params.keys()].filter((key) => /^Tags\.member\.\d+\.Name$/.test(key)).map((key) => [params.get(key) as string, params.get(key.replace(/Name$/, 'Value')) ?? '']),
  );
  const configurationSet = params.get('ConfigurationSetName') ?? undefined;
  const common = { tags, ...(configurationSet ? { configurationSet } : {}) };
  if (action === 'SendRawEmail') {
    const data = params.get('RawMessage.Data');
    if (!data) throw new SesRequestError('MissingParameter', 'The request must contain the parameter RawMessage.Data.');
    const destinations = members(params, 'Destinations');
    return { ...fromRaw('ses', Buffer.from(data, 'base64').toString('utf8'), destinations.length > 0 ? { to: destinations, cc: [], bcc: [] } : undefined, params.get('Source') ?? undefined), ...common };
  }
  if (action !== 'SendEmail') throw new SesRequestError('InvalidAction', `The action ${action ?? '(none)'} is not valid for this endpoint (the sandbox captures SendEmail and SendRawEmail).`);
  const source = params.get('Source');
  if (!source) throw new SesRequestError('MissingParameter', 'The request must contain the parameter Source.');
  const text = params.get('Message.Body.Text.Data') ?? undefined;
  const html = params.get('Message.Body.Html.Data') ?? undefined;
  if (!params.has('Message.Subject.Data')) throw new SesRequestError('MissingParameter', 'The request must contain the parameter Message.Subject.Data.');
  const draft: EmailDraft = {
    api: 'ses',
    action: 'SendEmail',
    from: source,
    to: members(params, 'Destination.ToAddresses'),
    cc: members(params, 'Destination.CcAddresses'),
    bcc: members(params, 'Destination.BccAddresses'),
    replyTo: members(params, 'ReplyToAddresses'),
    subject: params.get('Message.Subject.Data') ?? '',
    ...(text !== undefined ? { text } : {}),
    ...(html !== undefined ? { html } : {}),
    ...common,
  };
  recipients(draft);
  return draft;
}
