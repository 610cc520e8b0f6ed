import type { TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { EventBus } from '../../../stacks/constructs/event-bus';
import { EventConsumer } from '../../../stacks/constructs/event-consumer';
import { FanOutTopic } from '../../../stacks/constructs/fan-out-topic';
import { NodeFunction } from '../../../stacks/constructs/node-function';
import { QueueIntakeApi } from '../../../stacks/constructs/queue-intake-api';
import { checkStack } from '../../../stacks/lib/rules';
import type { TerraformDocument } from '../synth';
import { ACCOUNT, REGION, resource, SECURITY, Workspace } from './harness';

/**
 * A platform team's "invoices" domain, built only from the pattern constructs: this is the reuse the
 * constructs exist for, so it stays a few lines per piece.
 */
function invoicesDomain(scope: Construct, workspace: Workspace): void {
  const context = { security: SECURITY, accountId: ACCOUNT, region: REGION };
  const bus = new EventBus(scope, 'bus', { name: 'invoices-test-bus', ...context });
  const ledger = new NodeFunction(scope, 'ledger', { ...workspace.fn('invoices-test-ledger'), ...context });
  new EventConsumer(scope, 'issued', { name: 'invoices-test-issued', bus, eventPattern: { source: ['invoices.billing'], 'detail-type': ['InvoiceIssued'] }, function: ledger, ...context });

  const notices = new FanOutTopic(scope, 'notices', { name: 'invoices-test-notices', ...context });
  new EventConsumer(scope, 'notify', { name: 'invoices-test-notify', bus, eventPattern: { source: ['invoices.billing'] }, topic: notices, ...context });
  notices.addQueue('email', { queueName: 'invoices-test-email', filterPolicy: { 'detail-type': ['InvoiceIssued'] }, consumer: workspace.fn('invoices-test-email') });
  notices.addQueue('overdue', { queueName: 'invoices-test-overdue', filterPolicy: { 'detail-type': ['InvoiceOverdue'] } });

  new QueueIntakeApi(scope, 'payments', {
    name: 'invoices-test-payments',
    path: '/v1/payments',
    requestSchema: { type: 'object', required: ['invoiceId', 'amount'], properties: { invoiceId: { type: 'string' }, amount: { type: 'number', minimum: 0 } } },
    queueName: 'invoices-test-payments',
    ...context,
  });
}

describe('a custom domain built from the constructs', () => {
  const workspace = new Workspace();
  let doc: TerraformDocument;

  beforeAll(() => {
    doc = workspace.synth((stack: TerraformStack) => invoicesDomain(stack, workspace));
  });
  afterAll(() => workspace.dispose());

  it('synthesizes the whole domain', () => {
    expect(Object.keys(doc.resource.aws_cloudwatch_event_rule ?? {})).toHaveLength(2);
    expect(Object.keys(doc.resource.aws_sns_topic_subscription ?? {})).toHaveLength(2);
    expect(Object.keys(doc.resource.aws_lambda_event_source_mapping ?? {})).toHaveLength(1);
    expect(resource(doc, 'aws_cloudwatch_event_rule', 'issued/rule').event_pattern).toBe('{"source":["invoices.billing"],"detail-type":["InvoiceIssued"]}');
    expect(resource(doc, 'aws_api_gateway_method', 'payments/method').api_key_required).toBe(true);
  });

  it('passes every anti-pattern rule', () => {
    expect(checkStack(doc)).toEqual([]);
  });
});
