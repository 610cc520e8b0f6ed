// The sandbox's DynamoDB service: DynamoDB Local, the platform's tables, and the AppSync data source.
export { dataSourceTable, dynamoDbDataSource } from './data-source';
export { checkJava, dynamoDbLocalJarDir, startDynamoDbLocal } from './dynamodb-local';
export type { DynamoDbLocal, DynamoDbLocalOptions } from './dynamodb-local';
export { translateRequest } from './requests';
export type { Translated } from './requests';
export { DYNAMODB_CLIENT, DYNAMODB_ENDPOINT, dynamoDbService } from './service';
export type { DynamoDbServiceOptions } from './service';
export { schemaDifferences, syncTables, tableSpec } from './tables';
export type { IndexSpec, SyncedTable, TableSpec } from './tables';
