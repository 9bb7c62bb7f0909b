import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";

/** Counts the statements the conversation's object runs that match each pattern, from now on. */
export async function countStatements<K extends string>(conversationId: string, patterns: Record<K, RegExp>) {
  const counts = Object.fromEntries(Object.keys(patterns).map((key) => [key, 0])) as Record<K, number>;
  await runInDurableObject(env.CONVERSATION.getByName(conversationId), (instance) => {
    const object = instance as unknown as { sql: SqlStorage };
    const sql = object.sql;
    // An own property over the object's `sql` getter (which makes its tables on first use).
    Object.defineProperty(object, "sql", {
      value: new Proxy(sql, {
        get: (target, name) => {
          if (name !== "exec") return Reflect.get(target, name, target);
          return (query: string, ...bindings: unknown[]) => {
            for (const key of Object.keys(patterns) as K[]) if (patterns[key].test(query)) counts[key]++;
            return target.exec(query, ...bindings);
          };
        },
      }),
    });
  });
  return counts;
}
