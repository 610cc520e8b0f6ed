import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { buildSync } from 'esbuild';
import type { ObservedReply, ObservedRequest } from './observe';

// fauxqs 1.x ships ES modules only and exports nothing but `startFauxqs`/`buildApp`. The service needs more
// (its stores, to create resources with the platform's ARNs and URLs, bind to the sandbox host and look at
// queues) and must load under Jest, which cannot load ES modules without --experimental-vm-modules. So the
// few modules it uses are bundled once into a CommonJS file under node_modules/.cache (their own packages
// stay external) and required from there. The types below cover only what the service touches; they are
// checked against fauxqs 1.9.2, pinned exactly in package.json.

/** A message attribute as fauxqs stores it (SQS's JSON shape). */
export interface FauxqsAttributeValue {
  DataType: string;
  StringValue?: string;
  BinaryValue?: string;
}

/** A message inside a fauxqs queue. */
export interface FauxqsMessage {
  messageId: string;
  body: string;
  messageAttributes: Record<string, FauxqsAttributeValue>;
  sentTimestamp: number;
  approximateReceiveCount: number;
}

/** One fauxqs queue. */
export interface FauxqsQueue {
  readonly name: string;
  readonly url: string;
  readonly arn: string;
  attributes: Record<string, string>;
  inspectMessages(): { ready: FauxqsMessage[]; delayed: FauxqsMessage[]; inflight: { message: FauxqsMessage; visibilityDeadline: number }[] };
  processTimers(): void;
}

/** fauxqs's SQS state. */
export interface FauxqsSqsStore {
  host: string;
  region: string | undefined;
  readonly queuesByArn: Map<string, FauxqsQueue>;
  createQueue(name: string, url: string, arn: string, attributes?: Record<string, string>, tags?: Record<string, string>): FauxqsQueue;
  getQueue(url: string): FauxqsQueue | undefined;
  getQueueByArn(arn: string): FauxqsQueue | undefined;
  listQueues(): FauxqsQueue[];
}

/** One SNS topic. */
export interface FauxqsTopic {
  arn: string;
  name: string;
  attributes: Record<string, string>;
  tags: Map<string, string>;
  subscriptionArns: string[];
}

/** One SNS subscription. */
export interface FauxqsSubscription {
  arn: string;
  topicArn: string;
  protocol: string;
  endpoint: string;
  confirmed: boolean;
  attributes: Record<string, string>;
}

/** fauxqs's SNS state. */
export interface FauxqsSnsStore {
  region: string | undefined;
  topics: Map<string, FauxqsTopic>;
  subscriptions: Map<string, FauxqsSubscription>;
  getTopic(arn: string): FauxqsTopic | undefined;
  listSubscriptionsByTopic(topicArn: string): FauxqsSubscription[];
}

/** An S3 object as fauxqs keeps it. */
export interface FauxqsObject {
  key: string;
  contentLength: number;
  /** Quoted, as in the ETag header. */
  etag: string;
}

/** fauxqs's S3 state. */
export interface FauxqsS3Store {
  buckets: Map<string, Map<string, FauxqsObject>>;
  createBucket(name: string): void;
}

/** fauxqs's Fastify app, reduced to what the service calls. */
export interface FauxqsApp {
  addHook(name: 'onSend', hook: (request: ObservedRequest, reply: ObservedReply, payload: unknown) => Promise<unknown>): unknown;
  listen(options: { port: number; host: string }): Promise<string>;
  close(): Promise<void>;
}

/** The account fauxqs puts in the ARNs it computes (GetQueueUrl and CreateQueue look queues up by such an ARN). */
export const FAUXQS_ACCOUNT = '000000000000';

/** The fauxqs modules the service uses. */
export interface Fauxqs {
  readonly version: string;
  buildApp(options: { logger: boolean; host?: string; defaultRegion?: string; stores: { sqsStore: FauxqsSqsStore; snsStore: FauxqsSnsStore; s3Store: FauxqsS3Store } }): FauxqsApp;
  readonly SqsStore: new () => FauxqsSqsStore;
  readonly SnsStore: new () => FauxqsSnsStore;
  readonly S3Store: new () => FauxqsS3Store;
  /** SNS filter policy on message attributes, as fauxqs applies it to SQS subscriptions. */
  matchesFilterPolicy(policy: unknown, attributes: Record<string, FauxqsAttributeValue>): boolean;
  /** SNS filter policy on the JSON message body. */
  matchesFilterPolicyOnBody(policy: unknown, body: string): boolean;
}

const MODULES: Readonly<Record<string, string>> = {
  buildApp: 'app.js',
  SqsStore: 'sqs/sqsStore.js',
  SnsStore: 'sns/snsStore.js',
  S3Store: 's3/s3Store.js',
  matchesFilterPolicy: 'sns/filter.js',
  matchesFilterPolicyOnBody: 'sns/filter.js',
};

let loaded: Fauxqs | undefined;

/** Loads fauxqs, bundling its modules to CommonJS on first use of an installed version. */
export function loadFauxqs(): Fauxqs {
  if (loaded) return loaded;
  const packageDir = findPackage('fauxqs');
  const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string };
  if (!version.startsWith('1.')) throw new Error(`The messaging service is written for fauxqs 1.x; node_modules holds ${version}`);
  const bundle = join(packageDir, '..', '.cache', 'sandbox-messaging', `fauxqs-${version}.cjs`);
  if (!existsSync(bundle)) {
    const entry = Object.entries(MODULES)
      .map(([name, file]) => `export { ${name} } from ${JSON.stringify(join(packageDir, 'dist', file))};`)
      .join('\n');
    const { outputFiles } = buildSync({
      stdin: { contents: entry, resolveDir: packageDir, loader: 'js' },
      bundle: true,
      write: false,
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      // fastify, valibot, toad-cache... all ship CommonJS; only fauxqs's own files need converting.
      packages: 'external',
      logLevel: 'silent',
    });
    mkdirSync(dirname(bundle), { recursive: true });
    // Test files start services in parallel: write aside, then rename, so nobody requires half a file.
    const partial = `${bundle}.${process.pid}.${Date.now()}`;
    writeFileSync(partial, outputFiles[0]?.text ?? '');
    renameSync(partial, bundle);
  }
  loaded = { version, ...(createRequire(__filename)(bundle) as Omit<Fauxqs, 'version'>) };
  return loaded;
}

/** The folder of an installed package; `require.resolve` cannot find fauxqs, whose exports have no `require`. */
function findPackage(name: string): string {
  for (const start of [__dirname, process.cwd()]) {
    for (let dir = start; ; dir = dirname(dir)) {
      const candidate = join(dir, 'node_modules', name);
      if (existsSync(join(candidate, 'package.json'))) return candidate;
      if (dirname(dir) === dir) break;
    }
  }
  throw new Error(`Package ${name} is not installed: run npm install`);
}
