import { createCopilotApp } from "./app";
import type { CopilotEnv } from "./env";

const apps = new WeakMap<CopilotEnv, ReturnType<typeof createCopilotApp>>();

export default {
  fetch(request, env, ctx) {
    let app = apps.get(env);
    if (!app) {
      app = createCopilotApp(env);
      apps.set(env, app);
    }
    return app.fetch(request, env, ctx);
  },
} satisfies ExportedHandler<CopilotEnv>;
