import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import tailwindcss from "@tailwindcss/vite";
import react from "@vitejs/plugin-react";
import { defineConfig, type Plugin } from "vite";

// The API reference (/docs, /redoc) runs Swagger UI and ReDoc from the Worker's own assets: their
// pinned npm packages' files are copied into dist/docs-assets/ at build time, not kept in git
// (src/routes/api-reference/api-reference.ts writes the pages).
const apiReferenceFiles = {
  "docs-assets/swagger-ui-bundle.js": "swagger-ui-dist/swagger-ui-bundle.js",
  "docs-assets/swagger-ui.css": "swagger-ui-dist/swagger-ui.css",
  "docs-assets/redoc.standalone.js": "redoc/bundles/redoc.standalone.js",
};

function apiReferenceAssets(): Plugin {
  const require = createRequire(import.meta.url);
  return {
    name: "ancre-api-reference-assets",
    apply: "build",
    generateBundle() {
      for (const [fileName, file] of Object.entries(apiReferenceFiles)) {
        this.emitFile({ type: "asset", fileName, source: readFileSync(require.resolve(file)) });
      }
    },
  };
}

// The console is built into web/dist, which the Worker serves as static assets (wrangler.toml [assets]).
export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  plugins: [react(), tailwindcss(), apiReferenceAssets()],
  resolve: { alias: { "@": fileURLToPath(new URL("./src", import.meta.url)) } },
  // The first-load budget is checked by scripts/check-web-size.ts (initial JS only, gzipped).
  build: { outDir: "dist", emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 1000 },
});
