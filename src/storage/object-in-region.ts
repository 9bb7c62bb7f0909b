// A Durable Object kept per region (lib/caller-region.ts): a budget lease holder, a search replica.

/**
 * The object named `name` in `region`: created there (with the region's location hint) by its first
 * call, as an object stays where it was created.
 */
export function objectInRegion<T extends Rpc.DurableObjectBranded | undefined>(
  namespace: DurableObjectNamespace<T>,
  name: string,
  region: string,
): DurableObjectStub<T> {
  return namespace.get(namespace.idFromName(name), { locationHint: region as DurableObjectLocationHint });
}
