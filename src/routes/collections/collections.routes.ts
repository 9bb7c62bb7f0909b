import { createRoute } from "@hono/zod-openapi";
import { toPage, toPageRequest } from "../../lib/pagination";
import {
  createCollection,
  deleteCollection,
  getCollection,
  listCollections,
  updateCollection,
} from "../../services/collections/collections.service";
import {
  idParams,
  jsonBody,
  jsonContent,
  newRouter,
  PageQuerySchema,
  problemResponses,
  tenantSecurity,
} from "../openapi";
import { tenantCall } from "../tenant-call";
import { presentCollection } from "./collections.presenters";
import {
  CollectionPageSchema,
  CollectionSchema,
  CreateCollectionSchema,
  UpdateCollectionSchema,
} from "./collections.schemas";

const collectionParams = idParams("collection_id", "col_01jd3v9k2m4n5p6q7r8s9t0v1w");

export const collectionsRoutes = newRouter()
  .openapi(
    createRoute({
      method: "post",
      path: "/collections",
      tags: ["Collections"],
      summary: "Create a collection",
      security: tenantSecurity,
      request: { body: jsonBody(CreateCollectionSchema) },
      responses: { 201: jsonContent(CollectionSchema, "The new collection"), ...problemResponses(403, 404) },
    }),
    async (c) => {
      const row = await createCollection({
        ...tenantCall(c),
        input: c.req.valid("json"),
      });
      return c.json(presentCollection(row), 201);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/collections",
      tags: ["Collections"],
      summary: "List collections",
      security: tenantSecurity,
      request: { query: PageQuerySchema },
      responses: {
        200: jsonContent(CollectionPageSchema, "A page of collections"),
        ...problemResponses(404),
      },
    }),
    async (c) => {
      const page = toPageRequest(c.req.valid("query"));
      const rows = await listCollections({ ...tenantCall(c), input: { page } });
      return c.json(toPage(rows, page, presentCollection), 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/collections/{collection_id}",
      tags: ["Collections"],
      summary: "Get a collection",
      security: tenantSecurity,
      request: { params: collectionParams },
      responses: { 200: jsonContent(CollectionSchema, "The collection"), ...problemResponses(404) },
    }),
    async (c) => {
      const row = await getCollection({
        ...tenantCall(c),
        input: { collectionId: c.req.valid("param").collection_id },
      });
      return c.json(presentCollection(row), 200);
    },
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/collections/{collection_id}",
      tags: ["Collections"],
      summary: "Rename a collection or change its description",
      security: tenantSecurity,
      request: { params: collectionParams, body: jsonBody(UpdateCollectionSchema) },
      responses: { 200: jsonContent(CollectionSchema, "The collection"), ...problemResponses(404) },
    }),
    async (c) => {
      const row = await updateCollection({
        ...tenantCall(c),
        input: { collectionId: c.req.valid("param").collection_id, ...c.req.valid("json") },
      });
      return c.json(presentCollection(row), 200);
    },
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/collections/{collection_id}",
      tags: ["Collections"],
      summary: "Delete a collection and everything in it",
      security: tenantSecurity,
      request: { params: collectionParams },
      responses: { 204: { description: "Deleted" }, ...problemResponses(404) },
    }),
    async (c) => {
      await deleteCollection({
        ...tenantCall(c),
        input: { collectionId: c.req.valid("param").collection_id },
      });
      return c.body(null, 204);
    },
  );
