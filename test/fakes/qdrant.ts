import type { ServerResponse } from "node:http";
import { type FakeServer, sendJson, startFakeServer } from "./http-server";

type Payload = Record<string, unknown>;
type PointId = string | number;

interface Point {
  id: PointId;
  vector: number[];
  payload: Payload;
  version: number;
}

interface Collection {
  size: number;
  distance: string;
  hnsw: unknown;
  payloadSchema: Record<string, unknown>;
  points: Map<string, Point>;
}

/** A request the fake served, as tests read it back from `GET /__log/<collection>`. */
export interface LoggedQdrantRequest {
  method: string;
  path: string;
  body: unknown;
}

interface Condition {
  key?: string;
  match?: { value?: unknown; any?: unknown[]; except?: unknown[] };
  has_id?: PointId[];
  must?: Condition | Condition[];
  should?: Condition | Condition[];
  must_not?: Condition | Condition[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function ok(res: ServerResponse, result: unknown) {
  sendJson(res, 200, { result, status: "ok", time: 0.0001 });
}

function fail(res: ServerResponse, status: number, error: string) {
  sendJson(res, status, { status: { error }, time: 0.0001 });
}

class BadRequest extends Error {}

function list<T>(value: T | T[] | undefined | null): T[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** Qdrant's filter semantics for the conditions Ancre uses: must / should / must_not, match value/any/except, has_id. */
function matches(point: Point, filter: Condition | undefined | null): boolean {
  if (!filter) return true;
  const must = list(filter.must);
  const should = list(filter.should);
  const mustNot = list(filter.must_not);
  return (
    must.every((condition) => holds(point, condition)) &&
    (should.length === 0 || should.some((condition) => holds(point, condition))) &&
    !mustNot.some((condition) => holds(point, condition))
  );
}

function holds(point: Point, condition: Condition): boolean {
  if (condition.must !== undefined || condition.should !== undefined || condition.must_not !== undefined) {
    return matches(point, condition);
  }
  if (condition.has_id) return condition.has_id.some((id) => String(id) === String(point.id));
  if (condition.key === undefined || condition.match === undefined) {
    throw new BadRequest(`Format error in JSON body: unsupported condition ${JSON.stringify(condition)}`);
  }
  const value = point.payload[condition.key];
  const values = Array.isArray(value) ? value : [value];
  const { match } = condition;
  if ("value" in match) return values.includes(match.value);
  if (match.any) return values.some((item) => match.any!.includes(item));
  if (match.except) return value !== undefined && !values.some((item) => match.except!.includes(item));
  throw new BadRequest(`Format error in JSON body: unsupported match ${JSON.stringify(match)}`);
}

function normalized(vector: number[]): number[] {
  const norm = Math.hypot(...vector);
  return norm === 0 ? vector : vector.map((value) => value / norm);
}

function checkId(id: unknown): PointId {
  if (
    (typeof id === "number" && Number.isInteger(id) && id >= 0) ||
    (typeof id === "string" && UUID.test(id))
  ) {
    return id;
  }
  throw new BadRequest(
    `Format error in JSON body: value ${JSON.stringify(id)} is not a valid point ID, valid values are either an unsigned integer or a UUID`,
  );
}

/**
 * A local stand-in for the Qdrant REST endpoints that @qdrant/js-client-rest calls for Ancre:
 * collection exists / info / create, payload index create, points upsert / query / delete.
 * Vectors are compared as Qdrant's Cosine distance does (normalised on write, dot product).
 * Tests read the requests a collection received at `GET /__log/<collection>`.
 */
export async function startQdrantFake(): Promise<{ url: string; server: FakeServer }> {
  const collections = new Map<string, Collection>();
  const logs = new Map<string, LoggedQdrantRequest[]>();
  let version = 0;

  const server = await startFakeServer((req, body, res) => {
    const url = new URL(req.url ?? "/", "http://fake");
    const method = req.method ?? "GET";
    const json = body.length > 0 ? JSON.parse(body.toString()) : undefined;

    const logMatch = /^\/__log\/([^/]+)$/.exec(url.pathname);
    if (method === "GET" && logMatch)
      return sendJson(res, 200, logs.get(decodeURIComponent(logMatch[1]!)) ?? []);

    const route = /^\/collections\/([^/]+)(\/.*)?$/.exec(url.pathname);
    if (!route) return fail(res, 404, `Not found: ${method} ${url.pathname}`);
    const name = decodeURIComponent(route[1]!);
    const rest = route[2] ?? "";
    if (!logs.has(name)) logs.set(name, []);
    logs.get(name)!.push({ method, path: rest, body: json });
    const collection = collections.get(name);
    const missing = () => fail(res, 404, `Not found: Collection \`${name}\` doesn't exist!`);

    try {
      if (method === "GET" && rest === "/exists") return ok(res, { exists: collection !== undefined });
      if (method === "GET" && rest === "") {
        if (!collection) return missing();
        return ok(res, {
          status: "green",
          optimizer_status: "ok",
          indexed_vectors_count: 0,
          points_count: collection.points.size,
          segments_count: 1,
          config: {
            params: { vectors: { size: collection.size, distance: collection.distance }, shard_number: 1 },
            hnsw_config: collection.hnsw,
            optimizer_config: {},
            wal_config: {},
          },
          payload_schema: collection.payloadSchema,
        });
      }
      if (method === "PUT" && rest === "") {
        if (collection) return fail(res, 409, `Wrong input: Collection \`${name}\` already exists!`);
        const vectors = json?.vectors as { size?: number; distance?: string } | undefined;
        if (!vectors?.size || !vectors.distance)
          throw new BadRequest("Format error in JSON body: missing vectors");
        collections.set(name, {
          size: vectors.size,
          distance: vectors.distance,
          hnsw: json.hnsw_config ?? null,
          payloadSchema: {},
          points: new Map(),
        });
        return ok(res, true);
      }
      if (!collection) return missing();
      if (method === "PUT" && rest === "/index") {
        const { field_name, field_schema } = json as { field_name: string; field_schema: unknown };
        collection.payloadSchema[field_name] = field_schema;
        return ok(res, { operation_id: ++version, status: "completed" });
      }
      if (method === "PUT" && rest === "/points") {
        const points = json?.points as { id: unknown; vector: number[]; payload?: Payload }[] | undefined;
        if (!Array.isArray(points)) throw new BadRequest("Format error in JSON body: expected points");
        for (const point of points) {
          const id = checkId(point.id);
          if (!Array.isArray(point.vector) || point.vector.length !== collection.size) {
            throw new BadRequest(
              `Wrong input: Vector dimension error: expected dim: ${collection.size}, got ${point.vector?.length}`,
            );
          }
          collection.points.set(String(id), {
            id,
            vector: normalized(point.vector),
            payload: point.payload ?? {},
            version: ++version,
          });
        }
        return ok(res, { operation_id: version, status: "completed" });
      }
      if (method === "POST" && rest === "/points/query") {
        const query = json?.query as number[] | undefined;
        if (!Array.isArray(query) || query.length !== collection.size) {
          throw new BadRequest(
            `Wrong input: Vector dimension error: expected dim: ${collection.size}, got ${query?.length}`,
          );
        }
        const unit = normalized(query);
        const include = json.with_payload as boolean | string[] | undefined;
        const points = [...collection.points.values()]
          .filter((point) => matches(point, json.filter))
          .map((point) => ({
            point,
            score: point.vector.reduce((sum, value, i) => sum + value * unit[i]!, 0),
          }))
          .sort((a, b) => b.score - a.score)
          .slice(json.offset ?? 0, (json.offset ?? 0) + (json.limit ?? 10))
          .map(({ point, score }) => ({
            id: point.id,
            version: point.version,
            score,
            ...(include === true
              ? { payload: point.payload }
              : Array.isArray(include)
                ? { payload: Object.fromEntries(include.map((key) => [key, point.payload[key]])) }
                : {}),
          }));
        return ok(res, { points });
      }
      if (method === "POST" && rest === "/points/delete") {
        const ids = new Set((json?.points as unknown[] | undefined)?.map((id) => String(checkId(id))));
        if (!json?.filter && !json?.points)
          throw new BadRequest("Format error in JSON body: expected points or filter");
        for (const [key, point] of collection.points) {
          if (json.points ? ids.has(key) : matches(point, json.filter)) collection.points.delete(key);
        }
        return ok(res, { operation_id: ++version, status: "completed" });
      }
      return fail(res, 404, `Not found: ${method} /collections/${name}${rest}`);
    } catch (error) {
      if (error instanceof BadRequest) return fail(res, 400, error.message);
      throw error;
    }
  });

  return { url: server.url, server };
}
