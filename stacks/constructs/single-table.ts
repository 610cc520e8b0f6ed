import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { Construct } from 'constructs';
import { secureTable, type SecurityContext } from './secure-defaults';

/** A global secondary index over string keys, projecting every attribute. */
export interface SingleTableIndex {
  /** Index name, e.g. `GSI1`. */
  readonly name: string;
  /** Partition key attribute. */
  readonly partitionKey: string;
  /** Sort key attribute. */
  readonly sortKey: string;
}

/** Props of {@link SingleTable}. */
export interface SingleTableProps {
  /** Table name, from the naming helper. */
  readonly name: string;
  /** Encryption key, retention and deletion protection. */
  readonly security: SecurityContext;
  /** Global secondary indexes. @default none */
  readonly indexes?: readonly SingleTableIndex[];
  /** Attribute holding an epoch-seconds expiry. @default 'expiresAt' */
  readonly ttlAttribute?: string;
}

/** Partition key attribute of every single-table design built with this construct. */
export const PARTITION_KEY = 'PK';
/** Sort key attribute of every single-table design built with this construct. */
export const SORT_KEY = 'SK';

/**
 * A single-table-design DynamoDB table: generic `PK`/`SK` string keys, overloaded GSIs, on-demand
 * capacity, a NEW_AND_OLD_IMAGES stream for downstream consumers, and a TTL attribute.
 */
export class SingleTable extends Construct {
  /** The table. */
  readonly table: DynamodbTable;
  /** Table name. */
  readonly name: string;
  /** Table ARN. */
  readonly arn: string;
  /** Stream ARN, for event source mappings and pipes. */
  readonly streamArn: string;

  constructor(scope: Construct, id: string, props: SingleTableProps) {
    super(scope, id);
    const indexes = props.indexes ?? [];
    validate(id, indexes);
    const keyAttributes = new Set([PARTITION_KEY, SORT_KEY, ...indexes.flatMap((index) => [index.partitionKey, index.sortKey])]);
    this.table = new DynamodbTable(
      this,
      'table',
      secureTable(
        {
          name: props.name,
          billingMode: 'PAY_PER_REQUEST',
          hashKey: PARTITION_KEY,
          rangeKey: SORT_KEY,
          attribute: [...keyAttributes].map((name) => ({ name, type: 'S' })),
          globalSecondaryIndex: indexes.map((index) => ({
            name: index.name,
            hashKey: index.partitionKey,
            rangeKey: index.sortKey,
            projectionType: 'ALL',
          })),
          streamEnabled: true,
          streamViewType: 'NEW_AND_OLD_IMAGES',
          ttl: { attributeName: props.ttlAttribute ?? 'expiresAt', enabled: true },
        },
        props.security,
      ),
    );
    this.name = this.table.name;
    this.arn = this.table.arn;
    this.streamArn = this.table.streamArn;
  }
}

function validate(id: string, indexes: readonly SingleTableIndex[]): void {
  const problems: string[] = [];
  const names = indexes.map((index) => index.name);
  const duplicate = names.filter((name, position) => names.indexOf(name) !== position);
  if (duplicate.length > 0) problems.push(`indexes: duplicate index name ${[...new Set(duplicate)].join(', ')}`);
  if (indexes.length > 20) problems.push('indexes: a table has at most 20 global secondary indexes');
  for (const index of indexes) {
    if (!/^[a-zA-Z0-9_.-]{3,255}$/.test(index.name)) problems.push(`indexes.${index.name}: name must be 3-255 letters, digits, _ . -`);
    if (index.partitionKey === PARTITION_KEY && index.sortKey === SORT_KEY) {
      problems.push(`indexes.${index.name}: keys repeat the table's own PK/SK`);
    }
  }
  if (problems.length > 0) throw new Error(`SingleTable ${id}:\n- ${problems.join('\n- ')}`);
}
