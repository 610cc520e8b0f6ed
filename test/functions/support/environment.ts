/**
 * What the functions' runtime would provide, set before any handler module loads (import this first): handlers
 * read their variables once, at load. Logs are silent unless a test turns them on to read them.
 */
process.env.AWS_REGION ??= 'eu-west-1';
process.env.POWERTOOLS_SERVICE_NAME ??= 'functions-test';
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.TABLE_NAME ??= 'orders-test';
process.env.EVENT_BUS_NAME ??= 'orders-test-bus';
process.env.FROM_ADDRESS ??= 'orders@example.com';
// The SDK would look for credentials before a mocked `send` ever runs; these never leave the process.
process.env.AWS_ACCESS_KEY_ID ??= 'AKIDTESTONLY';
process.env.AWS_SECRET_ACCESS_KEY ??= 'test-only';
