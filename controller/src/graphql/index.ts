export { accessOf, createGraphqlRoutes, GRAPHQL_PATH, type GraphqlAccess, type GraphqlRouteDeps } from './routes.ts';
export { mapperSchema, MAPPER_SDL } from './schema.ts';
