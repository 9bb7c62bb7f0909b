/**
 * Who is calling: a signed-in user, a tenant API key, the local development bypass, or a visitor
 * of a site embedding an assistant's widget (bound to that assistant and that site's origin).
 */
export type Actor =
  | { type: "user"; userId: string; email: string | null }
  | { type: "api_key"; keyId: string }
  | { type: "dev"; userId: string }
  | { type: "visitor"; visitorId: string; assistantId: string; origin: string };
