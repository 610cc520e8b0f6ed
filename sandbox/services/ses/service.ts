import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { SandboxService } from '../../core/service';
import type { AttributeProvider, PlatformModel } from '../../model/platform-model';
import { endpointCapability } from '../capabilities';
import { SesHttpServer } from './http-server';
import { bareAddress } from './mime';
import { Outbox, type CapturedEmail, type SesOutbox } from './outbox';
import type { EmailTemplate } from './requests';

/** Registry key of the {@link SesOutbox}. */
export const SES_OUTBOX = 'ses.outbox';

/** Options of {@link sesService}. */
export interface SesServiceOptions {
  /** Port tried first; another free one is used when it is taken. 0 picks any. @default 4579 */
  readonly port?: number;
}

/** Identity and configuration resources that need nothing locally, with why. */
export const ACCEPTED_SES_RESOURCES: Readonly<Record<string, string>> = {
  aws_ses_domain_identity: 'identities are not verified locally; sending from an address no identity covers is logged as a warning',
  aws_ses_email_identity: 'identities are not verified locally; sending from an address no identity covers is logged as a warning',
  aws_sesv2_email_identity: 'identities are not verified locally; sending from an address no identity covers is logged as a warning',
  aws_ses_domain_identity_verification: 'nothing to verify locally',
  aws_ses_domain_dkim: 'captured email is not signed',
  aws_ses_domain_mail_from: 'captured email keeps its From; no MAIL FROM domain locally',
  aws_ses_identity_policy: 'sending authorization is not enforced locally',
  aws_sesv2_email_identity_policy: 'sending authorization is not enforced locally',
  aws_ses_configuration_set: 'no sending events locally; the set name is kept on the captured email',
  aws_sesv2_configuration_set: 'no sending events locally; the set name is kept on the captured email',
  aws_sesv2_configuration_set_event_destination: 'no sending events locally',
};

/** Addresses and domains the platform declares as SES identities. */
function declaredIdentities(model: PlatformModel): string[] {
  const read = (type: string, field: string) => model.resources(type).map((resource) => String(model.attribute(resource, field)).toLowerCase());
  return [...read('aws_ses_domain_identity', 'domain'), ...read('aws_ses_email_identity', 'email'), ...read('aws_sesv2_email_identity', 'email_identity')];
}

/** Whether an identity covers a From address: the address itself, its domain or a parent domain. */
export function identityCovers(identities: readonly string[], from: string): boolean {
  const address = bareAddress(from).toLowerCase();
  const domain = address.split('@')[1] ?? '';
  return identities.some((identity) => identity === address || identity === domain || domain.endsWith(`.${identity}`));
}

function sesAttributes(): Readonly<Record<string, AttributeProvider>> {
  const identityArn = (model: PlatformModel, identity: string) => `arn:aws:ses:${model.region}:${model.accountId}:identity/${identity}`;
  const token = (seed: string) => createHash('sha256').update(seed).digest('base64').replace(/[^A-Za-z0-9]/g, '').slice(0, 44);
  const field = (name: string): AttributeProvider => (resource, attribute, model) => {
    const identity = String(model.resolve(resource.stack, resource.raw[name]));
    if (attribute === 'id') return identity;
    if (attribute === 'arn') return identityArn(model, identity);
    if (attribute === 'verification_token') return token(`verification:${identity}`);
    return undefined;
  };
  return {
    aws_ses_domain_identity: field('domain'),
    aws_ses_email_identity: field('email'),
    aws_sesv2_email_identity: (resource, attribute, model) => {
      const identity = String(model.resolve(resource.stack, resource.raw.email_identity));
      if (attribute === 'identity_type') return identity.includes('@') ? 'EMAIL_ADDRESS' : 'DOMAIN';
      if (attribute === 'verified_for_sending_status') return true;
      if (attribute === 'dkim_signing_attributes') return [{ tokens: [1, 2, 3].map((index) => token(`dkim:${index}:${identity}`).toLowerCase().slice(0, 32)), status: 'SUCCESS' }];
      return field('email_identity')(resource, attribute, model);
    },
    aws_ses_domain_dkim: (resource, attribute, model) =>
      attribute === 'dkim_tokens' ? [1, 2, 3].map((index) => token(`dkim:${index}:${String(model.resolve(resource.stack, resource.raw.domain))}`).toLowerCase().slice(0, 32)) : undefined,
    aws_ses_template: (resource, attribute, model) =>
      attribute === 'arn' ? `arn:aws:ses:${model.region}:${model.accountId}:template/${String(model.resolve(resource.stack, resource.raw.name))}` : undefined,
  };
}

/**
 * SES captures email: the SES v2 and v1 send APIs answer as SES does, and every email is kept in memory
 * (`ses.outbox`) and written as `.json` and `.eml` under the data folder's `ses/outbox/`. Stored templates
 * come from the platform's `aws_ses_template`s.
 */
export function sesService(options: SesServiceOptions = {}): SandboxService {
  let server: SesHttpServer | undefined;
  let outbox: Outbox | undefined;

  return {
    name: 'ses',
    runs: ['aws_ses_template'],
    accepts: ACCEPTED_SES_RESOURCES,
    attributes: sesAttributes(),

    async start(context) {
      const logger = context.logger('ses');
      const { model } = context;
      const identities = declaredIdentities(model);
      const templates = new Map<string, EmailTemplate>(
        model.resources('aws_ses_template').map((resource) => {
          const config = model.config<Record<string, unknown>>(resource);
          const text = (key: string) => (typeof config[key] === 'string' ? { [key]: config[key] as string } : {});
          return [String(config.name), { ...text('subject'), ...text('html'), ...text('text') }];
        }),
      );
      outbox = new Outbox(join(context.dataDir('ses'), 'outbox'));
      const captured = (email: CapturedEmail) => {
        logger.info(`Captured "${email.subject}" from ${email.from} to ${[...email.to, ...email.cc, ...email.bcc].join(', ')}`, { messageId: email.messageId, file: email.files.eml });
        if (identities.length > 0 && !identityCovers(identities, email.from)) {
          logger.warn(`${email.from} is covered by no SES identity of the platform (${identities.join(', ')}); AWS would refuse it: Email address is not verified`);
        }
      };
      server = await SesHttpServer.start({ handlers: { outbox, template: (name) => templates.get(name), captured, logger }, host: context.host, port: await context.port(options.port ?? 4579) });
      context.registry.provide(endpointCapability('SES'), server.endpoint);
      context.registry.provide(endpointCapability('SESV2'), server.endpoint);
      context.registry.provide<SesOutbox>(SES_OUTBOX, outbox);
    },

    async stop() {
      const running = server;
      server = undefined;
      await running?.close();
    },

    describe() {
      if (!server || !outbox) return [];
      return [`SES (captured)   ${server.endpoint}  (v2 SendEmail, v1 SendEmail/SendRawEmail; mail in ${outbox.dir}, list at ${server.endpoint}/_aws/ses)`];
    },
  };
}
