export { attachRealtime, type RealtimeOptions, type RealtimeServer } from './server';
export { GRAPHQL_WS, type RealtimeError, type ServerMessage } from './protocol';
