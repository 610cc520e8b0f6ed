import { DataAwsIamPolicyDocument, type DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { Construct } from 'constructs';
import { assertNarrow, type PolicyStatement } from './iam';

/**
 * The one policy document of a queue, topic or bucket. A resource takes a single policy, but grants to it
 * arrive from many places (each subscription, rule or bucket that may send to it), so statements are
 * collected here and the document's `statement` block is re-rendered on every addition. The `json` the
 * policy resource reads is a reference to the data source, so it stays valid however many statements follow.
 */
export class ResourcePolicy extends Construct {
  /** The policy document data source. */
  readonly document: DataAwsIamPolicyDocument;
  /** The rendered policy, for `aws_*_policy.policy`. */
  readonly json: string;
  private readonly statements: DataAwsIamPolicyDocumentStatement[] = [];

  constructor(scope: Construct, id: string, statements: readonly DataAwsIamPolicyDocumentStatement[]) {
    super(scope, id);
    this.document = new DataAwsIamPolicyDocument(this, 'document', { statement: [] });
    this.json = this.document.json;
    for (const statement of statements) this.add(statement);
  }

  /** Adds a statement; one that only repeats an earlier one (whatever its sid) is dropped, a clashing sid fails. */
  add(statement: DataAwsIamPolicyDocumentStatement): void {
    const body = (candidate: DataAwsIamPolicyDocumentStatement) => JSON.stringify({ ...candidate, sid: undefined });
    if (this.statements.some((existing) => body(existing) === body(statement))) return;
    if (this.statements.some((existing) => existing.sid === statement.sid)) {
      throw new Error(`${this.node.path}: two different statements share the sid ${statement.sid}`);
    }
    this.statements.push(statement);
    this.document.putStatement([...this.statements]);
  }

  /** The sids added so far, in order. */
  get sids(): string[] {
    return this.statements.map((statement) => statement.sid ?? '');
  }
}

/** Who may deliver to a resource: an AWS service acting for one source resource of one account. */
export interface ServiceSource {
  /** Service principal, e.g. `sns.amazonaws.com`. */
  readonly service: string;
  /** ARN, or ARN pattern, of the resources the service acts for (a topic, a rule, a bucket). */
  readonly sourceArns: readonly string[];
  /** Account that owns the source; S3 bucket ARNs carry no account, so this is what pins them. */
  readonly sourceAccount: string;
}

/** A resource-policy statement letting a service perform `actions` on `resources`, only on behalf of the named sources. */
export function allowService(sid: string, source: ServiceSource, actions: readonly string[], resources: readonly string[]): DataAwsIamPolicyDocumentStatement {
  return {
    sid,
    effect: 'Allow',
    principals: [{ type: 'Service', identifiers: [source.service] }],
    actions: [...actions],
    resources: [...resources],
    condition: [
      { test: 'ArnLike', variable: 'aws:SourceArn', values: [...source.sourceArns] },
      { test: 'StringEquals', variable: 'aws:SourceAccount', values: [source.sourceAccount] },
    ],
  };
}

/** `sns.amazonaws.com` → `Sns`: the readable part of a service principal, for sids. */
export function serviceSidPart(service: string): string {
  const name = service.replace(/\.amazonaws\.com$/, '').replace(/[^a-zA-Z0-9]+(.)?/g, (_match, next: string | undefined) => (next ?? '').toUpperCase());
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/**
 * Attaches narrow statements to a role as one inline policy and returns the policy resource, for callers that
 * must order something after the grant (Lambda checks an event source mapping's permissions when it is created).
 */
export function attachRolePolicy(scope: Construct, id: string, role: IamRole, name: string, statements: readonly PolicyStatement[]): IamRolePolicy {
  assertNarrow(statements);
  const document = new DataAwsIamPolicyDocument(scope, `${id}-document`, {
    statement: statements.map((statement) => ({
      sid: statement.sid,
      effect: 'Allow',
      actions: [...statement.actions],
      resources: [...statement.resources],
      condition: statement.conditions?.map((condition) => ({ ...condition, values: [...condition.values] })),
    })),
  });
  return new IamRolePolicy(scope, id, { name, role: role.id, policy: document.json });
}

/**
 * A role that one AWS service assumes without source conditions. Only for services that do not send
 * `aws:SourceAccount`/`aws:SourceArn` when they assume a role (API Gateway's integration credentials);
 * `ServiceRole` is the default. Passing the role still needs `iam:PassRole` in this account.
 */
export function unconditionedServiceRole(scope: Construct, id: string, name: string, service: string): IamRole {
  const trust = new DataAwsIamPolicyDocument(scope, `${id}-trust`, {
    statement: [{ effect: 'Allow', actions: ['sts:AssumeRole'], principals: [{ type: 'Service', identifiers: [service] }] }],
  });
  return new IamRole(scope, id, { name, assumeRolePolicy: trust.json });
}
