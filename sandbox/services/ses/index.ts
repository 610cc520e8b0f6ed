// The sandbox's SES service: SES v2 and v1 send APIs that capture email instead of sending it.
export { SesHttpServer } from './http-server';
export type { SesHandlers } from './http-server';
export { bareAddress, decodeEncodedWords, formatMime, parseMime, splitAddresses } from './mime';
export type { ParsedMime } from './mime';
export { Outbox, sesMessageId } from './outbox';
export type { CapturedEmail, SesOutbox } from './outbox';
export { fromSesV1, fromSesV2, renderEmailTemplate, SesRequestError } from './requests';
export type { EmailDraft, EmailTemplate } from './requests';
export { ACCEPTED_SES_RESOURCES, identityCovers, SES_OUTBOX, sesService } from './service';
export type { SesServiceOptions } from './service';
