// AppSync's GraphQL error shape: `errorType`, `data` and `errorInfo` beside the message at the top level
// (not under `extensions`), locations with graphql-java's `sourceName: null`. AppSync writes `path: null`
// and `locations: null` where the contract's type says optional, hence the casts below; and it writes
// no errorType on graphql-java's own errors, where the contract requires one (see requestError).
import type { GraphQLError, SourceLocation } from 'graphql';
import type { GraphQLErrorEntry } from '../../../../runtime/appsync';
import type { AppSyncError } from '../contracts';
import { ScalarCoercionError } from './scalars';

/** A location as AppSync prints it. */
export interface AppSyncLocation {
  readonly line: number;
  readonly column: number;
  readonly sourceName: null;
}

/** graphql-js locations with graphql-java's `sourceName`. */
export function locationsOf(locations: readonly SourceLocation[] | undefined): AppSyncLocation[] | undefined {
  return locations?.map(({ line, column }) => ({ line, column, sourceName: null }));
}

/** A resolver's error (util.error, util.appendError, unauthorized, runtime failure) at a field. */
export function resolverError(entry: GraphQLErrorEntry, path: readonly (string | number)[], locations: readonly SourceLocation[] | undefined): AppSyncError {
  return {
    path,
    data: entry.data ?? null,
    errorType: entry.errorType ?? 'Unknown',
    errorInfo: entry.errorInfo ?? null,
    locations: locationsOf(locations),
    message: entry.message,
  } as AppSyncError;
}

/** The error of a field the caller's auth mode may not read. */
export function unauthorizedField(fieldName: string, typeName: string, path: readonly (string | number)[], locations: readonly SourceLocation[] | undefined): AppSyncError {
  return resolverError({ message: `Not Authorized to access ${fieldName} on type ${typeName}`, errorType: 'Unauthorized', data: null, errorInfo: null }, path, locations);
}

/**
 * A request-level error (syntax, validation, variables). AppSync's responses carry no errorType for
 * these; the contract requires one, so it is graphql-java's classification of the error.
 */
export function requestError(message: string, errorType: string, locations: readonly SourceLocation[] | undefined | null): AppSyncError {
  return { path: null, locations: locations ? locationsOf(locations) : null, message, errorType } as unknown as AppSyncError;
}

/** `/getOrder/items[0]/sku`, as graphql-java prints result paths. */
export function printResultPath(path: readonly (string | number)[]): string {
  return path.map((part) => (typeof part === 'number' ? `[${part}]` : `/${part}`)).join('');
}

const NON_NULL = /^Cannot return null for non-nullable field ([_A-Za-z][_0-9A-Za-z]*)\.([_A-Za-z][_0-9A-Za-z]*)\.$/;

/**
 * An error graphql-js raised while completing a value (a null in a non-null field, a value a scalar
 * cannot serialize, a non-list for a list), in graphql-java's words.
 */
export function completionError(error: GraphQLError, leafTypeName: (parent: string, field: string) => string | undefined): AppSyncError {
  const path = error.path ?? [];
  const nonNull = NON_NULL.exec(error.message);
  const shaped = (message: string, errorType: string) => ({ path, locations: null, message, errorType }) as unknown as AppSyncError;
  if (nonNull) {
    const type = leafTypeName(nonNull[1] as string, nonNull[2] as string) ?? 'Unknown';
    return shaped(`Cannot return null for non-nullable type: '${type}' within parent '${nonNull[1]}' (${printResultPath(path)})`, 'NullValueInNonNullableField');
  }
  if (error.message.startsWith('Expected Iterable')) return shaped(`Can't resolve value (${printResultPath(path)}) : type mismatch error, expected type LIST`, 'DataFetchingException');
  const original = error.originalError;
  if (original instanceof ScalarCoercionError || / cannot represent /.test(error.message)) {
    return shaped(`Can't serialize value (${printResultPath(path)}) : ${original?.message ?? error.message}`, 'DataFetchingException');
  }
  return { path, locations: locationsOf(error.locations) ?? null, message: error.message, errorType: 'InternalFailure' } as unknown as AppSyncError;
}
