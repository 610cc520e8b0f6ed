export { request, response } from '../lib/publish-events';
