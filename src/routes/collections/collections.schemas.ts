import { z } from "@hono/zod-openapi";
import { nameField, pageOf } from "../openapi";

export const CollectionSchema = z
  .object({
    id: z.string().openapi({ example: "col_01jd3v9k2m4n5p6q7r8s9t0v1w" }),
    name: z.string(),
    description: z.string().nullable(),
    created_at: z.string().datetime(),
    updated_at: z.string().datetime(),
  })
  .openapi("Collection");

export const CollectionPageSchema = pageOf(CollectionSchema, "CollectionPage");

export const CreateCollectionSchema = z
  .object({
    name: nameField(),
    description: z.string().trim().max(2000).nullish(),
  })
  .openapi("CreateCollection");

export const UpdateCollectionSchema = z
  .object({
    name: nameField().optional(),
    description: z.string().trim().max(2000).nullish(),
  })
  .openapi("UpdateCollection");
