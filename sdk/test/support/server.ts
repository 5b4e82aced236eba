/** The server's own test harness, shared so the SDK is tested against the real thing. */
export { backend, createTenant, startTestServer, type TestServer } from '../../../server/test/harness.js';
