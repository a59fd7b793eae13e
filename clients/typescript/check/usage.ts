// Compiled, never run: what a front end writes against the client type-checks, and what the contract forbids does not.
import { createFunnelClient, type Problem } from "../src/index";

const api = createFunnelClient("http://localhost:5080", () => "token");

export async function captureAndQualify(): Promise<string | undefined> {
  // Only the name is required; the rest may be left out (not sent as null).
  const { data, error } = await api.POST("/api/leads", {
    body: { name: "Grace Hopper", email: "grace@compilers.example", source: "convention" },
    params: { header: { "Idempotency-Key": "capture-1" } },
  });
  if (error) {
    const problem: Problem = error;
    return problem.existingContactId ?? undefined;
  }
  const contactId: string = data.contactId;
  const qualified = await api.POST("/api/leads/{contactId}/qualify", { params: { path: { contactId } } });
  const unmet: string[] | undefined = qualified.error?.unmet ?? undefined;
  return unmet?.join(", ");
}

export async function quote(contactId: string): Promise<number | undefined> {
  const { data } = await api.POST("/api/quoting/{contactId}/quotes", {
    params: { path: { contactId } },
    body: {
      currency: "EUR",
      validUntil: "2027-01-31",
      lines: [{ sku: "AE-1", description: "Difference engine", quantity: 2, unitPrice: 1234.5 }],
    },
  });
  // Money amounts are numbers.
  const total: number | undefined = data?.total.amount;
  return total;
}

// @ts-expect-error a lead needs its name
api.POST("/api/leads", { body: { email: "nameless@example.com" } });
// @ts-expect-error a source is one of the listed values
api.POST("/api/leads", { body: { name: "X", source: "carrier-pigeon" } });
