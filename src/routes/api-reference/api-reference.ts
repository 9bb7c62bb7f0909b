import type { Context } from "hono";
import type { AppEnv } from "../../context";
import { apiReferencePageHeaders } from "../page-headers";

// Swagger UI and ReDoc run from Ancre's own assets: the console's build copies the pinned
// swagger-ui-dist and redoc files into web/dist/docs-assets/ (web/vite.config.ts), so no script
// from a CDN runs on this origin and the reference works offline.
export const API_REFERENCE_ASSETS = "/docs-assets";

const swaggerPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Ancre API</title>
<link rel="stylesheet" href="${API_REFERENCE_ASSETS}/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="${API_REFERENCE_ASSETS}/swagger-ui-bundle.js"></script>
<script src="${API_REFERENCE_ASSETS}/swagger-init.js"></script></body></html>`;

const redocPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Ancre API — ReDoc</title></head>
<body><redoc spec-url="/openapi.json"></redoc>
<script src="${API_REFERENCE_ASSETS}/redoc.standalone.js"></script></body></html>`;

/** GET /docs: Swagger UI on /openapi.json. */
export const serveSwaggerUi = (c: Context<AppEnv>) => c.html(swaggerPage, 200, apiReferencePageHeaders());

/** GET /redoc: ReDoc on /openapi.json. */
export const serveRedoc = (c: Context<AppEnv>) => c.html(redocPage, 200, apiReferencePageHeaders());
