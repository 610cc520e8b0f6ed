import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { PostConfirmationTriggerEvent } from 'aws-lambda';
import { recordProfile } from '../../../functions/record-customer-profile/profile';

function confirmation(attributes: Record<string, string>, triggerSource: PostConfirmationTriggerEvent['triggerSource'] = 'PostConfirmation_ConfirmSignUp'): PostConfirmationTriggerEvent {
  return {
    version: '1',
    region: 'eu-west-1',
    userPoolId: 'eu-west-1_pool',
    userName: 'alice',
    callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: 'client' },
    triggerSource,
    request: { userAttributes: attributes },
    response: {},
  };
}

describe('record-customer-profile', () => {
  const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' }));
  const dynamo = mockClient(client);
  beforeEach(() => dynamo.reset());

  it("writes the confirmed customer's profile under their sub, where the email notifier reads it", async () => {
    dynamo.on(PutCommand).resolves({});
    await recordProfile(confirmation({ sub: 'alice-sub', email: 'alice@example.com', email_verified: 'true' }), { client, tableName: 'orders' });
    const put = dynamo.commandCalls(PutCommand)[0]?.args[0].input;
    expect(put).toMatchObject({
      TableName: 'orders',
      Item: { PK: 'CUSTOMER#alice-sub', SK: 'PROFILE', entityType: 'CUSTOMER_PROFILE', sub: 'alice-sub', email: 'alice@example.com', source: 'PostConfirmation_ConfirmSignUp' },
    });
    expect(put?.ConditionExpression).toBeUndefined();
  });

  it('rewrites the same item on a forgotten-password confirmation, so running twice is harmless', async () => {
    dynamo.on(PutCommand).resolves({});
    await recordProfile(confirmation({ sub: 'alice-sub', email: 'alice@new.example.com' }, 'PostConfirmation_ConfirmForgotPassword'), { client, tableName: 'orders' });
    expect(dynamo.commandCalls(PutCommand)[0]?.args[0].input.Item).toMatchObject({ PK: 'CUSTOMER#alice-sub', email: 'alice@new.example.com' });
  });

  it('names every missing attribute and writes nothing', async () => {
    await expect(recordProfile(confirmation({}), { client, tableName: 'orders' })).rejects.toThrow(
      'Post-confirmation event is invalid: request.userAttributes.sub is required; request.userAttributes.email must be an email address',
    );
    expect(dynamo.commandCalls(PutCommand)).toHaveLength(0);
  });
});
