import { buildSchema, type GraphQLSchema, isObjectType } from 'graphql';

/**
 * The scalars and directives AppSync adds to every schema. graphql-js needs them declared to parse an
 * AppSync schema; AppSync itself rejects a schema that redeclares them, so they are never deployed.
 */
export const APPSYNC_PRELUDE = `
scalar AWSDate
scalar AWSTime
scalar AWSDateTime
scalar AWSTimestamp
scalar AWSEmail
scalar AWSJSON
scalar AWSURL
scalar AWSPhone
scalar AWSIPAddress
directive @aws_subscribe(mutations: [String!]!) on FIELD_DEFINITION
directive @aws_auth(cognito_groups: [String!]!) on FIELD_DEFINITION
directive @aws_api_key on FIELD_DEFINITION | OBJECT
directive @aws_iam on FIELD_DEFINITION | OBJECT
directive @aws_oidc on FIELD_DEFINITION | OBJECT
directive @aws_lambda on FIELD_DEFINITION | OBJECT
directive @aws_cognito_user_pools(cognito_groups: [String!]) on FIELD_DEFINITION | OBJECT
`;

/** Parses an AppSync schema with graphql-js; a syntax or type error names the line it is on. */
export function parseAppSyncSchema(sdl: string): GraphQLSchema {
  const preludeLines = APPSYNC_PRELUDE.split('\n').length - 1;
  try {
    return buildSchema(`${APPSYNC_PRELUDE}${sdl}`);
  } catch (error) {
    const message = (error as Error).message.replace(/(\d+):(\d+)/g, (_match, line: string, column: string) => `${Number(line) - preludeLines}:${column}`);
    throw new Error(`schema.graphql is not a valid AppSync schema: ${message}`);
  }
}

/** `Type.field` coordinates of every field on the root operation types. */
export function rootFieldCoordinates(schema: GraphQLSchema): string[] {
  return [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]
    .filter((type) => type !== null && type !== undefined)
    .flatMap((type) => Object.keys(type.getFields()).map((field) => `${type.name}.${field}`));
}

/** Whether `Type.field` exists in the schema. */
export function hasField(schema: GraphQLSchema, coordinate: string): boolean {
  const [typeName, fieldName] = coordinate.split('.');
  const type = schema.getType(typeName ?? '');
  return isObjectType(type) && fieldName !== undefined && fieldName in type.getFields();
}
