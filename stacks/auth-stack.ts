import type { Construct } from 'constructs';
import { UserDirectory } from './constructs/user-directory';
import { PlatformStack, type PlatformStackProps } from './lib/platform-stack';

/** Group whose members manage the catalogue and read every order. */
export const ADMIN_GROUP = 'admin';
/** Group of shoppers; any signed-in user who is not an admin is treated as a customer. */
export const CUSTOMER_GROUP = 'customer';

/** Who signs in: the Cognito user pool, its app client and groups. */
export class AuthStack extends PlatformStack {
  /** The user directory. */
  readonly users: UserDirectory;

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id, props);
    this.users = new UserDirectory(this, 'users', {
      name: this.naming.resource('users'),
      mfa: this.config.mfa,
      deletionProtection: this.config.deletionProtection,
      groups: [
        { name: ADMIN_GROUP, description: 'Manage products and read every order' },
        { name: CUSTOMER_GROUP, description: 'Shop and manage their own orders' },
      ],
    });
  }
}
