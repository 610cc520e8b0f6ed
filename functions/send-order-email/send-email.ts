import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PermanentError } from '../lib/errors';
import { profileKey } from '../lib/keys';
import { composeEmail, type EmailEvent } from './compose';

/** What {@link sendOrderEmail} needs. */
export interface SendOrderEmailDeps {
  readonly table: Pick<DynamoDBDocumentClient, 'send'>;
  readonly ses: Pick<SESv2Client, 'send'>;
  readonly tableName: string;
  /** A verified SES identity, e.g. `orders@example.com`. */
  readonly fromAddress: string;
}

/** What became of one event: an email went out, or the customer has no profile with an address yet. */
export type SendOrderEmailResult = { readonly outcome: 'sent'; readonly messageId: string } | { readonly outcome: 'skipped-no-profile' };

/** SES answers that no retry can change. */
const PERMANENT_SES_ERRORS = new Set(['MessageRejected', 'BadRequestException', 'MailFromDomainNotVerifiedException', 'NotFoundException']);

/**
 * Emails the order's customer about the event. Events carry no personal data, only the owner's Cognito `sub`, so
 * the address comes from the customer's `PROFILE` item. Until the Cognito post-confirmation trigger writes
 * those items (a later issue), a customer without one is skipped, counted in the batch summary, not failed: a
 * retry would not find it either. Partner orders (`partner:<id>` owners) have no profile and are skipped too.
 */
export async function sendOrderEmail(event: EmailEvent, deps: SendOrderEmailDeps): Promise<SendOrderEmailResult> {
  const profile = await deps.table.send(new GetCommand({ TableName: deps.tableName, Key: profileKey(event.detail.data.owner) }));
  const email = profile.Item?.email;
  if (typeof email !== 'string' || !email.includes('@')) return { outcome: 'skipped-no-profile' };
  const name = typeof profile.Item?.name === 'string' ? profile.Item.name : undefined;
  const message = composeEmail(event, name);
  try {
    const sent = await deps.ses.send(
      new SendEmailCommand({
        FromEmailAddress: deps.fromAddress,
        Destination: { ToAddresses: [email] },
        Content: {
          Simple: {
            Subject: { Data: message.subject, Charset: 'UTF-8' },
            Body: { Text: { Data: message.text, Charset: 'UTF-8' }, Html: { Data: message.html, Charset: 'UTF-8' } },
          },
        },
        EmailTags: [{ Name: 'detailType', Value: event['detail-type'] }],
      }),
    );
    return { outcome: 'sent', messageId: sent.MessageId ?? 'unknown' };
  } catch (error) {
    const name = (error as { name?: string } | null)?.name ?? '';
    if (PERMANENT_SES_ERRORS.has(name)) throw new PermanentError(`SES refused the ${event['detail-type']} email: ${name}: ${(error as Error).message}`, { cause: error });
    throw error;
  }
}
