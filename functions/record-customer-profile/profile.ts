import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PostConfirmationTriggerEvent } from 'aws-lambda';
import { ValidationError, type Problem } from '../lib/errors';
import { profileKey } from '../lib/keys';

/** What the trigger needs: the table and a document client. */
export interface ProfileDeps {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
}

/**
 * Records the confirmed customer's profile (`CUSTOMER#<sub>` / `PROFILE`) so consumers such as the email
 * notifier can reach them without calling Cognito. Confirming again (a forgotten-password confirmation also
 * runs this trigger) overwrites the same item with the current address: idempotent by key.
 */
export async function recordProfile(event: PostConfirmationTriggerEvent, deps: ProfileDeps): Promise<{ sub: string; email: string }> {
  const attributes = event.request.userAttributes ?? {};
  const sub = attributes.sub;
  const email = attributes.email;
  const problems: Problem[] = [];
  if (!sub) problems.push({ field: 'request.userAttributes.sub', rule: 'is required' });
  if (!email || !email.includes('@')) problems.push({ field: 'request.userAttributes.email', rule: 'must be an email address' });
  if (problems.length > 0) throw new ValidationError('Post-confirmation event', problems);
  await deps.client.send(
    new PutCommand({
      TableName: deps.tableName,
      Item: { ...profileKey(sub as string), entityType: 'CUSTOMER_PROFILE', sub, email, confirmedAt: new Date().toISOString(), source: event.triggerSource },
    }),
  );
  return { sub: sub as string, email: email as string };
}
