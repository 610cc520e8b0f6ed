import { DeleteMessageBatchCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import type { FauxqsQueue, FauxqsSqsStore } from './fauxqs';

/** Registry key of the {@link MessagingInspector}. */
export const MESSAGING_INSPECT = 'messaging.inspect';

/** What tests (and curious people) need to look into the sandbox's queues. Queues are named by ARN or URL. */
export interface MessagingInspector {
  /** The SQS, SNS and S3 endpoint. */
  readonly endpoint: string;
  /** Receives and deletes every message visible now, as a consumer would (receive counts and redrive apply). */
  receiveAll(queue: string): Promise<Message[]>;
  /** Messages in the queue: visible, in flight and delayed. */
  depth(queue: string): number;
  /** Resolves once the depth is `expected`; rejects with the last depth after `timeoutMs` (@default 5000). */
  waitForDepth(queue: string, expected: number, timeoutMs?: number): Promise<void>;
}

/** A queue of the store by ARN or URL; an unknown one is an error naming it. */
export function findQueue(store: FauxqsSqsStore, queue: string): FauxqsQueue {
  const found = queue.startsWith('arn:') ? store.getQueueByArn(queue) : store.getQueue(queue);
  if (!found) throw Object.assign(new Error(`The sandbox has no queue ${queue}`), { name: 'QueueDoesNotExist' });
  return found;
}

export function messagingInspector(endpoint: string, store: FauxqsSqsStore, sqs: SQSClient): MessagingInspector {
  const depth = (queue: string) => {
    const { ready, delayed, inflight } = findQueue(store, queue).inspectMessages();
    return ready.length + delayed.length + inflight.length;
  };
  return {
    endpoint,
    async receiveAll(queue) {
      const { url } = findQueue(store, queue);
      const received: Message[] = [];
      for (;;) {
        const { Messages = [] } = await sqs.send(
          new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, MessageSystemAttributeNames: ['All'], MessageAttributeNames: ['All'] }),
        );
        if (Messages.length === 0) return received;
        received.push(...Messages);
        await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: Messages.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle })) }));
      }
    },
    depth,
    async waitForDepth(queue, expected, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      let current = depth(queue);
      while (current !== expected) {
        if (Date.now() >= deadline) throw new Error(`Queue ${queue} holds ${current} message(s) after ${timeoutMs} ms, not ${expected}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
        current = depth(queue);
      }
    },
  };
}
