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

/** The local run's sign-in (the development issuer, behind the gateway); absent in a deployment. */
export async function devToken(user: string, role: string): Promise<string | undefined> {
  const answer = await fetch("/dev/token", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ user, role, hours: 8 }),
  });
  return answer.ok ? ((await answer.json()) as { access_token: string }).access_token : undefined;
}

export async function devSignInOffered(): Promise<boolean> {
  const answer = await fetch("/dev/sign-in").catch(() => undefined);
  return answer?.ok === true;
}
