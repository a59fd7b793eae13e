// The Funnel API's typed client: openapi-fetch over the types openapi-typescript generates from openapi.json (the
// gateway's /openapi/v1.json). Regenerate both with scripts/update-api-client.sh while the system runs.
import createClient, { type Middleware } from "openapi-fetch";
import type { components, paths } from "./schema";

export type { components, paths };
export type Schemas = components["schemas"];
export type Problem = Schemas["Problem"];

/** A client of the gateway at `baseUrl` that sends the bearer token `token()` gives, when it gives one. */
export function createFunnelClient(baseUrl: string, token: () => string | undefined) {
  const client = createClient<paths>({ baseUrl });
  const bearer: Middleware = {
    onRequest({ request }) {
      const current = token();
      if (current) {
        request.headers.set("Authorization", `Bearer ${current}`);
      }
      return request;
    },
  };
  client.use(bearer);
  return client;
}

export type FunnelClient = ReturnType<typeof createFunnelClient>;
