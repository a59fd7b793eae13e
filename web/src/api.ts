import { createFunnelClient, type Problem, type Schemas } from "../../clients/typescript/src/index";

export type { Problem, Schemas };

const tokenKey = "funnel.token";

export const session = {
  token: () => sessionStorage.getItem(tokenKey) ?? undefined,
  user: (): { sub: string; role: string } | undefined => {
    const token = sessionStorage.getItem(tokenKey);
    if (!token) return undefined;
    try {
      const payload = JSON.parse(atob(token.split(".")[1]!.replace(/-/g, "+").replace(/_/g, "/")));
      return { sub: payload.sub, role: payload.role };
    } catch {
      return undefined;
    }
  },
  signIn: (token: string) => sessionStorage.setItem(tokenKey, token),
  signOut: () => sessionStorage.removeItem(tokenKey),
};

/** The API through the gateway this app is served from. */
export const api = createFunnelClient(window.location.origin, session.token);

const pkceKey = "funnel.sign-in";

function base64Url(bytes: ArrayBuffer | Uint8Array): string {
  const array = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  return btoa(String.fromCharCode(...array)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/**
 * Signs in at the OpenID Connect issuer the API trusts (the authorization code flow with PKCE): the company's
 * provider, or in a local run the development issuer, whose page lets you pick any user and role.
 */
export async function signIn(): Promise<void> {
  const config = (await (await fetch("/auth/config")).json()) as { authority: string; clientId: string; scope: string };
  const discovery = (await (await fetch(`${config.authority}/.well-known/openid-configuration`)).json()) as {
    authorization_endpoint: string;
    token_endpoint: string;
  };
  const verifier = base64Url(crypto.getRandomValues(new Uint8Array(32)));
  const challenge = base64Url(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
  const state = base64Url(crypto.getRandomValues(new Uint8Array(16)));
  sessionStorage.setItem(pkceKey, JSON.stringify({ verifier, state, tokenEndpoint: discovery.token_endpoint, clientId: config.clientId }));
  const query = new URLSearchParams({
    response_type: "code",
    client_id: config.clientId,
    redirect_uri: `${window.location.origin}/`,
    scope: config.scope,
    state,
    code_challenge: challenge,
    code_challenge_method: "S256",
  });
  window.location.assign(`${discovery.authorization_endpoint}?${query}`);
}

/** Back from the issuer's sign-in page: trades the code for a token. False when this page load is not that. */
export async function completeSignIn(): Promise<boolean> {
  const answer = new URLSearchParams(window.location.search);
  const pending = sessionStorage.getItem(pkceKey);
  if (!answer.has("code") || !pending) return false;
  sessionStorage.removeItem(pkceKey);
  const { verifier, state, tokenEndpoint, clientId } = JSON.parse(pending) as Record<string, string>;
  window.history.replaceState(null, "", "/");
  if (answer.get("state") !== state) return false;
  const exchanged = await fetch(tokenEndpoint!, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code: answer.get("code")!,
      redirect_uri: `${window.location.origin}/`,
      code_verifier: verifier!,
      client_id: clientId!,
    }),
  });
  if (!exchanged.ok) return false;
  session.signIn(((await exchanged.json()) as { access_token: string }).access_token);
  return true;
}
