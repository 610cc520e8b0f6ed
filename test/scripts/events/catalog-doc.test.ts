import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { consumersByEvent, renderEventCatalog, type StackJson } from '../../../scripts/events/catalog-doc';
import { synthPlatform } from '../../stacks/synth';

const stacks = () => Object.values(synthPlatform('local')).map((stack) => stack.doc as unknown as StackJson);

describe('the event catalog document', () => {
  it('is up to date with the catalog and the synthesized rules (run `npm run synth && npm run events:docs`)', () => {
    expect(readFileSync(join(__dirname, '..', '..', '..', 'docs', 'events.md'), 'utf8')).toBe(renderEventCatalog(stacks()));
  });

  it('follows each rule to its consumers: functions, AppSync, and SNS fan-out to queues and their functions', () => {
    const consumers = consumersByEvent(stacks());
    expect(consumers.get('OrderCompleted')).toContain('rule orders-local-loyalty-on-completed: λ orders-local-award-loyalty-points');
    expect(consumers.get('OrderStatusChanged')).toContain('rule orders-local-status-to-subscribers: AppSync publishOrderUpdate → subscribers');
    expect(consumers.get('OrderCreated')?.join('\n')).toContain('SQS orders-local-notify-push (filtered) → λ orders-local-send-push-notification');
  });
});
