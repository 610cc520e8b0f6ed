import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { Construct } from 'constructs';

/** One IAM policy statement; `actions` and `resources` are always named, never `*`. */
export interface PolicyStatement {
  readonly sid: string;
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  readonly conditions?: readonly { test: string; variable: string; values: readonly string[] }[];
}

/** Props of {@link ServiceRole}. */
export interface ServiceRoleProps {
  /** Role name, from the naming helper. */
  readonly name: string;
  /** Service principal allowed to assume the role, e.g. `appsync.amazonaws.com`. */
  readonly service: string;
  /** Account whose resources may assume the role (confused-deputy guard). */
  readonly sourceAccount: string;
  /** ARN pattern of the resources that may assume the role. @default any resource of `sourceAccount` */
  readonly sourceArn?: string;
}

/** An IAM role for one AWS service, with an inline policy per grant. */
export class ServiceRole extends Construct {
  /** The role. */
  readonly role: IamRole;
  private grants = 0;

  constructor(scope: Construct, id: string, props: ServiceRoleProps) {
    super(scope, id);
    const conditions = [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: [props.sourceAccount] }];
    if (props.sourceArn) conditions.push({ test: 'ArnLike', variable: 'aws:SourceArn', values: [props.sourceArn] });
    const trust = new DataAwsIamPolicyDocument(this, 'trust', {
      statement: [
        {
          effect: 'Allow',
          actions: ['sts:AssumeRole'],
          principals: [{ type: 'Service', identifiers: [props.service] }],
          condition: conditions,
        },
      ],
    });
    this.role = new IamRole(this, 'role', { name: props.name, assumeRolePolicy: trust.json });
  }

  /** Attaches the statements as one inline policy named `name`. */
  grant(name: string, statements: readonly PolicyStatement[]): void {
    assertNarrow(statements);
    const document = new DataAwsIamPolicyDocument(this, `policy-${this.grants}`, {
      statement: statements.map((statement) => ({
        sid: statement.sid,
        effect: 'Allow',
        actions: [...statement.actions],
        resources: [...statement.resources],
        condition: statement.conditions?.map((condition) => ({ ...condition, values: [...condition.values] })),
      })),
    });
    new IamRolePolicy(this, `inline-${this.grants}`, { name, role: this.role.id, policy: document.json });
    this.grants += 1;
  }
}

/** Throws when a statement uses a wildcard action or resource; a grant helper must name what it allows. */
export function assertNarrow(statements: readonly PolicyStatement[]): void {
  const problems = statements.flatMap((statement) => [
    ...statement.actions.filter((action) => action === '*' || action.endsWith(':*')).map((action) => `${statement.sid}: action "${action}" is a wildcard`),
    ...statement.resources.filter((resource) => resource === '*').map(() => `${statement.sid}: resource "*" is not allowed`),
  ]);
  if (problems.length > 0) throw new Error(`IAM policy is too broad:\n- ${problems.join('\n- ')}`);
}
