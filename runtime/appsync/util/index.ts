import { HandlerAbort, type StateSlot } from '../state';
import { createTransformUtils } from '../transform';
import type { ResolverError } from '../types';
import * as checks from './checks';
import { createDynamoDBUtils } from './dynamodb';
import { base64Decode, base64Encode, escapeJavaScript, urlDecode, urlEncode } from './encoding';
import { createHttpUtils } from './http';
import { autoId, autoKsuid, autoUlid } from './ids';
import { createMathUtils } from './math';
import { createStringUtils } from './str';
import { createTimeUtils } from './time';
import { createXmlUtils } from './xml';

function resolverError(message: unknown, type: unknown, data: unknown, errorInfo: unknown): ResolverError {
  return {
    message: String(message),
    type: type === undefined || type === null ? null : String(type),
    data: data ?? null,
    errorInfo: errorInfo ?? null,
  };
}

/** Builds the `util` object of one loaded module; calls that carry state go to the current invocation. */
export function createUtil(slot: StateSlot) {
  return {
    escapeJavaScript,
    urlEncode,
    urlDecode,
    base64Encode,
    base64Decode,
    autoId,
    autoUlid: () => autoUlid(),
    autoKsuid: () => autoKsuid(),
    ...checks,
    error(message: string, errorType?: string, data?: unknown, errorInfo?: unknown): never {
      slot.require('util.error').error = resolverError(message, errorType, data, errorInfo);
      throw new HandlerAbort('error');
    },
    appendError(message: string, errorType?: string, data?: unknown, errorInfo?: unknown): void {
      slot.require('util.appendError').appendedErrors.push(resolverError(message, errorType, data, errorInfo));
    },
    unauthorized(): never {
      const state = slot.require('util.unauthorized');
      const { fieldName, parentTypeName } = state.ctx.info;
      state.unauthorized = true;
      state.error = resolverError(`Not Authorized to access ${fieldName} on type ${parentTypeName}`, 'Unauthorized', null, null);
      throw new HandlerAbort('unauthorized');
    },
    authType(): string {
      return slot.require('util.authType').authType;
    },
    time: createTimeUtils(),
    dynamodb: createDynamoDBUtils(),
    http: createHttpUtils(slot),
    xml: createXmlUtils(),
    transform: createTransformUtils(),
    math: createMathUtils(),
    str: createStringUtils(),
  };
}

export type RuntimeUtil = ReturnType<typeof createUtil>;
