// The APPSYNC_JS runtime: load bundled resolver code, evaluate its handlers, run whole resolvers.
export { createContext, inferAuthType } from './context';
export type { ContextInput } from './context';
export { evaluate, RUNTIME_ERROR_TYPE, TIMEOUT_ERROR_TYPE } from './evaluate';
export type { EvaluateOptions } from './evaluate';
export { DEFAULT_TIMEOUT_MS, MAX_CODE_LENGTH, ResolverLoadError, loadResolverCode } from './loader';
export type { BoundHandler, LoadOptions, ResolverModule } from './loader';
export { executeResolver, noneDataSource } from './pipeline';
export type {
  DataSourceResponse,
  ExecuteOptions,
  GraphQLErrorEntry,
  InvokeDataSource,
  PipelineFunctionDefinition,
  PipelineResolverDefinition,
  ResolverCode,
  ResolverDefinition,
  ResolverExecution,
  TaggedLog,
  TraceStep,
  UnitResolverDefinition,
} from './pipeline';
export type * from './types';
