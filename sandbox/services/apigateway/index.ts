// The sandbox's API Gateway service: REST APIs with SQS and MOCK integrations, API keys, usage plans,
// request validation and VTL mapping templates.
export { apiGatewayAttributes, generatedApiKeyValue, invokeUrl, resourcePath } from './attributes';
export type { ApiGatewayEndpoint } from './attributes';
export { readApiGateway } from './definition';
export type { ApiGatewayDefinition, ApiKeyDefinition, IntegrationDefinition, IntegrationResponseDefinition, MethodDefinition, RestApiDefinition, StageDefinition, UsagePlanDefinition } from './definition';
export { ApiGatewayEngine, matchRoute, selectIntegrationResponse } from './engine';
export type { ApiRequest, ApiResult } from './engine';
export { GATEWAY_RESPONSE_DEFAULTS, gatewayResponse } from './gateway-responses';
export { addressOf, ApiGatewayHttpServer } from './http-server';
export { evaluateJsonPath, JsonPathError } from './json-path';
export { ACCEPTED_API_GATEWAY_RESOURCES, APIGATEWAY_APIS, apiGatewayService } from './service';
export type { ApiGatewayApis, ApiGatewayServiceOptions, ApiStageUrls } from './service';
export { invokeSqs, md5OfMessageAttributes, sqsTarget } from './sqs-integration';
export { TokenBucket, UsagePlans } from './usage-plans';
export { BodyValidator, missingParameters, modelUri } from './validation';
export { escapeJavaScript, InvalidJsonPayloadError, MappingTemplateError, renderMappingTemplate, urlDecode, urlEncode, UTIL } from './vtl';
export type { MappingVariables, RequestParams } from './vtl';
