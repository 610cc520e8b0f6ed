export { request, response } from '../lib/clear-outbox';
