import { AdminGetUserCommand, type CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';

/**
 * Writes a `CUSTOMER#<sub>` / `PROFILE` item (the customer's email) for each demo user, as the Cognito
 * post-confirmation trigger will once it exists, so the email channel has somewhere to send in the sandbox.
 */
export async function seedProfiles(
  cognito: CognitoIdentityProviderClient,
  dynamodb: DynamoDBClient,
  target: { userPoolId: string; tableName: string },
  emails: readonly string[],
): Promise<number> {
  for (const email of emails) {
    const user = await cognito.send(new AdminGetUserCommand({ UserPoolId: target.userPoolId, Username: email }));
    const sub = user.UserAttributes?.find((attribute) => attribute.Name === 'sub')?.Value;
    if (!sub) throw new Error(`Demo user ${email} has no sub attribute`);
    await dynamodb.send(
      new PutItemCommand({
        TableName: target.tableName,
        Item: { PK: { S: `CUSTOMER#${sub}` }, SK: { S: 'PROFILE' }, entityType: { S: 'CUSTOMER_PROFILE' }, email: { S: email }, sub: { S: sub } },
      }),
    );
  }
  return emails.length;
}
