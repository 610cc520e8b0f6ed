import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  TransactGetItemsCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import type { DataSourceResponse } from '../../../runtime/appsync';
import type { DataSourceDefinition, DataSourceFactory } from '../appsync/data-source';
import { fromAttributeMap, itemOrNull } from './attribute-values';
import { translateRequest, type Translated } from './requests';
import { batchGetResult, batchWriteResult, cancellation, conditionFailure, errorResponse, pageResult } from './results';

/** The table an AMAZON_DYNAMODB data source points at (`dynamodb_config.table_name`). */
export function dataSourceTable(definition: DataSourceDefinition): string {
  const raw = definition.config.dynamodb_config;
  const config = (Array.isArray(raw) ? raw[0] : raw) as { table_name?: unknown } | undefined;
  if (typeof config?.table_name !== 'string' || config.table_name === '') {
    throw new Error(`AppSync data source ${definition.name} (AMAZON_DYNAMODB) has no dynamodb_config.table_name`);
  }
  return config.table_name;
}

/** Sends one translated request and shapes the answer as AppSync does. */
async function run(client: DynamoDBClient, request: Translated): Promise<DataSourceResponse> {
  switch (request.operation) {
    case 'GetItem':
      return { result: itemOrNull((await client.send(new GetItemCommand(request.input))).Item) };
    case 'PutItem':
      await client.send(new PutItemCommand(request.input));
      return { result: fromAttributeMap(request.input.Item) };
    case 'UpdateItem':
      return { result: itemOrNull((await client.send(new UpdateItemCommand(request.input))).Attributes) };
    case 'DeleteItem':
      return { result: itemOrNull((await client.send(new DeleteItemCommand(request.input))).Attributes) };
    case 'Query':
      return { result: pageResult(await client.send(new QueryCommand(request.input))) };
    case 'Scan':
      return { result: pageResult(await client.send(new ScanCommand(request.input))) };
    case 'BatchGetItem':
      return { result: batchGetResult(request.keys, request.added, await client.send(new BatchGetItemCommand(request.input))) };
    case 'BatchPutItem':
      return { result: batchWriteResult(request.items, await client.send(new BatchWriteItemCommand(request.input)), 'items') };
    case 'BatchDeleteItem':
      return { result: batchWriteResult(request.keys, await client.send(new BatchWriteItemCommand(request.input)), 'keys') };
    case 'TransactGetItems': {
      const output = await client.send(new TransactGetItemsCommand(request.input));
      return { result: { items: (output.Responses ?? []).map((response) => itemOrNull(response.Item)), cancellationReasons: null } };
    }
    case 'TransactWriteItems':
      await client.send(new TransactWriteItemsCommand(request.input));
      return { result: { keys: request.keys.map(fromAttributeMap), cancellationReasons: null } };
  }
}

/** Maps the failures AppSync answers with more than an error: condition checks and cancelled transactions. */
function failure(request: Translated, error: unknown): DataSourceResponse {
  if (error instanceof ConditionalCheckFailedException) {
    return conditionFailure(error, request.operation === 'PutItem' ? { item: request.input.Item, equalsIgnore: request.equalsIgnore } : undefined);
  }
  if (error instanceof TransactionCanceledException) {
    if (request.operation === 'TransactWriteItems') return cancellation(error, 'keys');
    if (request.operation === 'TransactGetItems') return cancellation(error, 'items');
  }
  return errorResponse(error);
}

/**
 * The AppSync data source factory for AMAZON_DYNAMODB: each handler takes the request object a resolver
 * returns (JavaScript resolver reference for DynamoDB) and runs it against DynamoDB Local.
 */
export function dynamoDbDataSource(client: DynamoDBClient): DataSourceFactory {
  return (definition) => {
    const table = dataSourceTable(definition);
    return async (request) => {
      let translated: Translated;
      try {
        translated = translateRequest(request, table);
      } catch (error) {
        return errorResponse(error);
      }
      try {
        return await run(client, translated);
      } catch (error) {
        return failure(translated, error);
      }
    };
  };
}
