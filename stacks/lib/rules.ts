/**
 * Anti-pattern rules over synthesized stacks, cdk-nag style: each rule is a pure function from one stack's
 * `cdk.tf.json` document to the violations it finds. A rule judges only what it can see in the document: a
 * reference into another stack (remote state) is neither a pass nor a failure, it is skipped.
 */

/** The parts of a synthesized stack the rules read. */
export interface StackDocument {
  readonly resource?: Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, unknown>>>>>>;
  readonly data?: Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, unknown>>>>>>;
}

/** One finding: which rule, which resource (`type.logicalId`, prefixed with `stack/` by checkStacks) and why. */
export interface Violation {
  readonly rule: string;
  readonly resource: string;
  readonly message: string;
}

/** A rule: a pure function of one stack's document. */
export type Rule = (doc: StackDocument) => Violation[];

/** Tag that lets a function run longer than {@link MAX_FUNCTION_TIMEOUT_SECONDS}; its value says why. */
export const LONG_TIMEOUT_TAG = 'LongTimeoutReason';
/** Longest timeout an event-driven function gets without {@link LONG_TIMEOUT_TAG}. */
export const MAX_FUNCTION_TIMEOUT_SECONDS = 60;
/** Lambda's guidance: a queue hides a received message at least this many times its consumer's timeout. */
export const VISIBILITY_FACTOR = 6;

/** Lambda's defaults when the document leaves them out. */
const DEFAULT_LAMBDA_TIMEOUT = 3;
const DEFAULT_VISIBILITY_TIMEOUT = 30;

type Attributes = Readonly<Record<string, unknown>>;

interface Statement {
  readonly effect: string;
  readonly actions: readonly string[];
  readonly notActions: readonly string[];
  readonly resources: readonly string[];
}

/** Every resource of a type, as [logical id, attributes]. */
function resources(doc: StackDocument, type: string): [string, Attributes][] {
  return Object.entries(doc.resource?.[type] ?? {});
}

/** The logical id a `${type.id.attribute}` expression points at, when it is exactly such a reference to `type`. */
function referencedId(value: unknown, type: string, attributes?: readonly string[]): string | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z_]+)\}$/.exec(value);
  if (!match || match[1] !== type) return undefined;
  if (attributes && !attributes.includes(match[3] as string)) return undefined;
  return match[2];
}

/** A nested block, which cdktf writes as an object and hand-written JSON often as a one-element list. */
function block(value: unknown): Attributes | undefined {
  const single = Array.isArray(value) ? value[0] : value;
  return typeof single === 'object' && single !== null ? (single as Attributes) : undefined;
}

function list(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

function parseJson(value: unknown): unknown {
  if (typeof value !== 'string') return undefined;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

/** The statements of a `policy` attribute: a policy document data source, or inline JSON. */
function statementsOf(doc: StackDocument, policy: unknown): Statement[] {
  const documentId = typeof policy === 'string' ? /^\$\{data\.aws_iam_policy_document\.([A-Za-z0-9_-]+)\.json\}$/.exec(policy)?.[1] : undefined;
  if (documentId) return documentStatements(doc.data?.aws_iam_policy_document?.[documentId]);
  const parsed = parseJson(policy) as { Statement?: unknown } | undefined;
  if (!parsed?.Statement) return [];
  return (Array.isArray(parsed.Statement) ? parsed.Statement : [parsed.Statement]).map((statement: Attributes) => ({
    effect: String(statement.Effect ?? 'Allow'),
    actions: list(statement.Action),
    notActions: list(statement.NotAction),
    resources: list(statement.Resource),
  }));
}

function documentStatements(document: Attributes | undefined): Statement[] {
  const statements = (document?.statement ?? []) as Attributes[];
  return statements.map((statement) => ({
    effect: String(statement.effect ?? 'Allow'),
    actions: list(statement.actions),
    notActions: list(statement.not_actions),
    resources: list(statement.resources),
  }));
}

/** Whether an IAM action pattern (`lambda:Invoke*`, `*`) covers the action. */
function actionCovers(pattern: string, action: string): boolean {
  const regex = new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i');
  return regex.test(action);
}

/** Policies attached to a role in this document: inline role policies, `inline_policy` blocks and attached managed policies. */
function rolePolicies(doc: StackDocument, roleId: string): { where: string; policy: unknown }[] {
  const found: { where: string; policy: unknown }[] = [];
  for (const [id, policy] of resources(doc, 'aws_iam_role_policy')) {
    if (referencedId(policy.role, 'aws_iam_role', ['id', 'name']) === roleId) found.push({ where: `aws_iam_role_policy.${id}`, policy: policy.policy });
  }
  const role = doc.resource?.aws_iam_role?.[roleId];
  for (const inline of (role?.inline_policy ?? []) as Attributes[]) found.push({ where: `aws_iam_role.${roleId}`, policy: inline.policy });
  for (const [, attachment] of resources(doc, 'aws_iam_role_policy_attachment')) {
    if (referencedId(attachment.role, 'aws_iam_role', ['id', 'name']) !== roleId) continue;
    const policyId = referencedId(attachment.policy_arn, 'aws_iam_policy', ['arn', 'id']);
    const managed = policyId ? doc.resource?.aws_iam_policy?.[policyId] : undefined;
    if (policyId && managed) found.push({ where: `aws_iam_policy.${policyId}`, policy: managed.policy });
  }
  return found;
}

/**
 * (a) No function may call another synchronously: a function's role that allows `lambda:InvokeFunction`
 * chains two functions' latency, timeouts and failures. Hand the work over through a queue, topic or bus.
 */
export const noLambdaInvokesLambda: Rule = (doc) =>
  resources(doc, 'aws_lambda_function').flatMap(([id, fn]) => {
    const roleId = referencedId(fn.role, 'aws_iam_role', ['arn']);
    if (!roleId) return [];
    return rolePolicies(doc, roleId).flatMap(({ where, policy }) =>
      statementsOf(doc, policy)
        .filter((statement) => statement.effect === 'Allow' && statement.actions.some((action) => actionCovers(action, 'lambda:InvokeFunction')))
        .map(() => ({
          rule: 'no-lambda-invokes-lambda',
          resource: `aws_lambda_function.${id}`,
          message: `${where} lets the function call lambda:InvokeFunction; hand work to another function through a queue, topic or bus, not a synchronous call`,
        })),
    );
  });

/** (b) Event consumers finish in seconds: a timeout above 60 s needs the {@link LONG_TIMEOUT_TAG} tag saying why. */
export const shortFunctionTimeout: Rule = (doc) =>
  resources(doc, 'aws_lambda_function').flatMap(([id, fn]) => {
    const timeout = Number(fn.timeout ?? DEFAULT_LAMBDA_TIMEOUT);
    const tags = (fn.tags ?? {}) as Attributes;
    if (timeout <= MAX_FUNCTION_TIMEOUT_SECONDS || tags[LONG_TIMEOUT_TAG]) return [];
    return [
      {
        rule: 'short-function-timeout',
        resource: `aws_lambda_function.${id}`,
        message: `timeout ${timeout} s is above ${MAX_FUNCTION_TIMEOUT_SECONDS} s; shorten it or tag the function ${LONG_TIMEOUT_TAG} with the reason`,
      },
    ];
  });

/** (c) A queue feeding a function hides a received message for at least 6 × the function's timeout. */
export const queueVisibilityCoversConsumer: Rule = (doc) =>
  resources(doc, 'aws_lambda_event_source_mapping').flatMap(([, mapping]) => {
    const queueId = referencedId(mapping.event_source_arn, 'aws_sqs_queue', ['arn']);
    const functionId = referencedId(mapping.function_name, 'aws_lambda_function', ['function_name', 'arn']);
    const queue = queueId ? doc.resource?.aws_sqs_queue?.[queueId] : undefined;
    const fn = functionId ? doc.resource?.aws_lambda_function?.[functionId] : undefined;
    if (!queue || !fn) return [];
    const visibility = Number(queue.visibility_timeout_seconds ?? DEFAULT_VISIBILITY_TIMEOUT);
    const timeout = Number(fn.timeout ?? DEFAULT_LAMBDA_TIMEOUT);
    if (visibility >= VISIBILITY_FACTOR * timeout) return [];
    return [
      {
        rule: 'queue-visibility-covers-consumer',
        resource: `aws_sqs_queue.${queueId}`,
        message: `visibility timeout ${visibility} s is less than ${VISIBILITY_FACTOR} × the timeout of aws_lambda_function.${functionId} (${timeout} s); messages would be received twice while still in work`,
      },
    ];
  });

/** Queues this document uses as a dead-letter queue or a failure destination, by logical id. */
function deadLetterQueueIds(doc: StackDocument): Set<string> {
  const ids = new Set<string>();
  const add = (value: unknown, attributes: readonly string[] = ['arn']) => {
    const id = referencedId(value, 'aws_sqs_queue', attributes);
    if (id) ids.add(id);
  };
  const redriveTarget = (value: unknown) => add((parseJson(value) as { deadLetterTargetArn?: unknown } | undefined)?.deadLetterTargetArn);
  for (const [, queue] of resources(doc, 'aws_sqs_queue')) redriveTarget(queue.redrive_policy);
  for (const [, redrive] of resources(doc, 'aws_sqs_queue_redrive_policy')) redriveTarget(redrive.redrive_policy);
  for (const [, allow] of resources(doc, 'aws_sqs_queue_redrive_allow_policy')) add(allow.queue_url, ['url', 'id']);
  for (const [, subscription] of resources(doc, 'aws_sns_topic_subscription')) redriveTarget(subscription.redrive_policy);
  for (const [, target] of resources(doc, 'aws_cloudwatch_event_target')) add(block(target.dead_letter_config)?.arn);
  for (const [, bus] of resources(doc, 'aws_cloudwatch_event_bus')) add(block(bus.dead_letter_config)?.arn);
  for (const [, config] of resources(doc, 'aws_lambda_function_event_invoke_config')) {
    add(block(block(config.destination_config)?.on_failure)?.destination);
  }
  return ids;
}

/** (d) Every queue that is not itself a dead-letter queue moves poison messages aside after a few receives. */
export const queueHasDeadLetterQueue: Rule = (doc) => {
  const deadLetterQueues = deadLetterQueueIds(doc);
  const separateRedrives = new Set(
    resources(doc, 'aws_sqs_queue_redrive_policy').map(([, redrive]) => referencedId(redrive.queue_url, 'aws_sqs_queue', ['url', 'id'])),
  );
  return resources(doc, 'aws_sqs_queue')
    .filter(([id, queue]) => !deadLetterQueues.has(id) && !queue.redrive_policy && !separateRedrives.has(id))
    .map(([id]) => ({
      rule: 'queue-has-dead-letter-queue',
      resource: `aws_sqs_queue.${id}`,
      message: 'the queue has no redrive policy: a message that always fails would be retried until it expires',
    }));
};

/** (e) A function fed by SQS reports partial batch failures, so one bad message does not re-run its whole batch. */
export const sqsMappingReportsBatchFailures: Rule = (doc) =>
  resources(doc, 'aws_lambda_event_source_mapping')
    .filter(([, mapping]) => referencedId(mapping.event_source_arn, 'aws_sqs_queue') !== undefined || String(mapping.event_source_arn).startsWith('arn:aws:sqs:'))
    .filter(([, mapping]) => !list(mapping.function_response_types).includes('ReportBatchItemFailures'))
    .map(([id]) => ({
      rule: 'sqs-mapping-reports-batch-failures',
      resource: `aws_lambda_event_source_mapping.${id}`,
      message: 'function_response_types lacks ReportBatchItemFailures: one failed message would return the whole batch to the queue',
    }));

/**
 * (f) One purpose per function: at most one trigger (an event source mapping, a rule target, an SNS
 * subscription, an S3 notification or a schedule). A function with two triggers mixes two workloads'
 * failures, retries, scaling and permissions, and its handler has to guess which event it got; two small
 * functions are cheaper to reason about than one that switches on the event's shape.
 */
export const oneTriggerPerFunction: Rule = (doc) => {
  const triggers = new Map<string, string[]>();
  const count = (value: unknown, attributes: readonly string[], trigger: string) => {
    const id = referencedId(value, 'aws_lambda_function', attributes);
    if (id) triggers.set(id, [...(triggers.get(id) ?? []), trigger]);
  };
  for (const [id, mapping] of resources(doc, 'aws_lambda_event_source_mapping')) count(mapping.function_name, ['function_name', 'arn'], `aws_lambda_event_source_mapping.${id}`);
  for (const [id, target] of resources(doc, 'aws_cloudwatch_event_target')) count(target.arn, ['arn'], `aws_cloudwatch_event_target.${id}`);
  for (const [id, subscription] of resources(doc, 'aws_sns_topic_subscription')) {
    if (subscription.protocol === 'lambda') count(subscription.endpoint, ['arn'], `aws_sns_topic_subscription.${id}`);
  }
  for (const [id, notification] of resources(doc, 'aws_s3_bucket_notification')) {
    for (const entry of (notification.lambda_function ?? []) as Attributes[]) count(entry.lambda_function_arn, ['arn'], `aws_s3_bucket_notification.${id}`);
  }
  for (const [id, schedule] of resources(doc, 'aws_scheduler_schedule')) count(block(schedule.target)?.arn, ['arn'], `aws_scheduler_schedule.${id}`);
  return [...triggers.entries()]
    .filter(([, found]) => found.length > 1)
    .map(([id, found]) => ({
      rule: 'one-trigger-per-function',
      resource: `aws_lambda_function.${id}`,
      message: `the function has ${found.length} triggers (${found.join(', ')}); give each trigger its own function`,
    }));
};

/** (g) Every rule target retries for a bounded time and then dead-letters, so no event is dropped silently. */
export const ruleTargetRetriesAndDeadLetters: Rule = (doc) =>
  resources(doc, 'aws_cloudwatch_event_target').flatMap(([id, target]) => {
    const missing: string[] = [];
    const retry = block(target.retry_policy);
    if (retry?.maximum_event_age_in_seconds === undefined || retry.maximum_retry_attempts === undefined) {
      missing.push('a retry_policy with maximum_event_age_in_seconds and maximum_retry_attempts');
    }
    if (!block(target.dead_letter_config)?.arn) missing.push('a dead_letter_config');
    if (missing.length === 0) return [];
    return [{ rule: 'rule-target-retries-and-dead-letters', resource: `aws_cloudwatch_event_target.${id}`, message: `the target lacks ${missing.join(' and ')}` }];
  });

/**
 * (h) No statement allows every action (`*`, `service:*`, or everything but a `NotAction` list). Deny
 * statements may (a TLS-only deny covers `sqs:*`), and so may KMS key policies, where the account's `kms:*`
 * is how IAM is given control of the key.
 */
export const noWildcardActions: Rule = (doc) => {
  const keyPolicies = new Set(
    resources(doc, 'aws_kms_key')
      .map(([, key]) => (typeof key.policy === 'string' ? /^\$\{data\.aws_iam_policy_document\.([A-Za-z0-9_-]+)\.json\}$/.exec(key.policy)?.[1] : undefined))
      .filter((id): id is string => id !== undefined),
  );
  const sources: { where: string; statements: Statement[] }[] = [
    ...Object.entries(doc.data?.aws_iam_policy_document ?? {})
      .filter(([id]) => !keyPolicies.has(id))
      .map(([id, document]) => ({ where: `data.aws_iam_policy_document.${id}`, statements: documentStatements(document) })),
    ...Object.entries(doc.resource ?? {})
      .filter(([type]) => type !== 'aws_kms_key')
      .flatMap(([type, byId]) => Object.entries(byId).map(([id, attributes]) => ({ where: `${type}.${id}`, statements: statementsOf(doc, parseJson(attributes.policy) ? attributes.policy : undefined) }))),
  ];
  return sources.flatMap(({ where, statements }) =>
    statements
      .filter((statement) => statement.effect === 'Allow')
      .flatMap((statement) => {
        const wildcards = statement.actions.filter((action) => action === '*' || action.endsWith(':*'));
        const problems = wildcards.map((action) => `allows every action of "${action}"`);
        if (statement.notActions.length > 0) problems.push(`allows everything except ${statement.notActions.join(', ')} (NotAction)`);
        return problems.map((problem) => ({ rule: 'no-wildcard-actions', resource: where, message: `a statement ${problem}; name the actions` }));
      }),
  );
};

/** Every rule, by name. */
export const RULES: Readonly<Record<string, Rule>> = {
  'no-lambda-invokes-lambda': noLambdaInvokesLambda,
  'short-function-timeout': shortFunctionTimeout,
  'queue-visibility-covers-consumer': queueVisibilityCoversConsumer,
  'queue-has-dead-letter-queue': queueHasDeadLetterQueue,
  'sqs-mapping-reports-batch-failures': sqsMappingReportsBatchFailures,
  'one-trigger-per-function': oneTriggerPerFunction,
  'rule-target-retries-and-dead-letters': ruleTargetRetriesAndDeadLetters,
  'no-wildcard-actions': noWildcardActions,
};

/** Every rule over one stack. */
export function checkStack(doc: StackDocument): Violation[] {
  return Object.values(RULES).flatMap((rule) => rule(doc));
}

/** Every rule over several stacks; with named stacks, each violation's resource starts with `<stack>/`. */
export function checkStacks(docs: readonly StackDocument[] | Readonly<Record<string, StackDocument>>): Violation[] {
  if (Array.isArray(docs)) return docs.flatMap((doc) => checkStack(doc));
  return Object.entries(docs as Record<string, StackDocument>).flatMap(([stack, doc]) =>
    checkStack(doc).map((violation) => ({ ...violation, resource: `${stack}/${violation.resource}` })),
  );
}
