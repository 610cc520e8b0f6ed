import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import type { Construct } from 'constructs';
import { NodeFunction } from './constructs/node-function';
import { UserDirectory } from './constructs/user-directory';
import type { DataStack } from './data-stack';
import { keyUseViaService } from './lib/grants';
import { PlatformStack, type PlatformStackProps } from './lib/platform-stack';

/** Group whose members manage the catalogue and read every order. */
export const ADMIN_GROUP = 'admin';
/** Group of shoppers; any signed-in user who is not an admin is treated as a customer. */
export const CUSTOMER_GROUP = 'customer';

/** Props of {@link AuthStack}. */
export interface AuthStackProps extends PlatformStackProps {
  readonly data: DataStack;
}

/** Who signs in: the Cognito user pool, its app client and groups, and the trigger that records each customer's profile. */
export class AuthStack extends PlatformStack {
  /** The user directory. */
  readonly users: UserDirectory;
  /** Post-confirmation trigger: writes `CUSTOMER#<sub>` / `PROFILE` (the address the email notifier uses). */
  readonly recordProfile: NodeFunction;

  constructor(scope: Construct, id: string, props: AuthStackProps) {
    super(scope, id, props);
    const { config, naming } = this;
    const { table, key, security } = props.data;
    this.recordProfile = new NodeFunction(this, 'record-customer-profile', {
      name: naming.resource('record-customer-profile'),
      entry: 'functions/record-customer-profile/handler.ts',
      environment: { TABLE_NAME: table.name },
      // Cognito waits for the trigger during sign-up confirmation and gives up after 5 seconds.
      timeoutSeconds: 5,
      security,
      accountId: config.accountId,
      region: config.region,
    });
    this.recordProfile.grant('profiles', [
      { sid: 'PutCustomerProfiles', actions: ['dynamodb:PutItem'], resources: [table.arn], conditions: [{ test: 'ForAllValues:StringLike', variable: 'dynamodb:LeadingKeys', values: ['CUSTOMER#*'] }] },
      ...keyUseViaService('OrdersTableKey', key.arn, 'dynamodb', config.region),
    ]);
    this.users = new UserDirectory(this, 'users', {
      name: naming.resource('users'),
      mfa: config.mfa,
      deletionProtection: config.deletionProtection,
      postConfirmationFunctionArn: this.recordProfile.arn,
      groups: [
        { name: ADMIN_GROUP, description: 'Manage products and read every order' },
        { name: CUSTOMER_GROUP, description: 'Shop and manage their own orders' },
      ],
    });
    new LambdaPermission(this, 'cognito-invokes-record-profile', {
      statementId: 'AllowCognitoPostConfirmation',
      action: 'lambda:InvokeFunction',
      functionName: this.recordProfile.function.functionName,
      principal: 'cognito-idp.amazonaws.com',
      sourceArn: this.users.userPool.arn,
    });
  }
}
