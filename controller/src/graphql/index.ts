export { createGraphqlRoutes, GRAPHQL_PATH, type GraphqlRouteDeps } from './routes.ts';
export { mapperSchema, MAPPER_SDL } from './schema.ts';
