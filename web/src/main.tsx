import * as React from "react";
import { createRoot } from "react-dom/client";
import { RouterProvider } from "react-router/dom";
import { AppProviders, createQueryClient } from "./app/providers";
import { router } from "./app/router";
import { initI18n } from "./i18n";
import "./index.css";

initI18n();

createRoot(document.getElementById("root")!).render(
  <React.StrictMode>
    <AppProviders client={createQueryClient()}>
      <RouterProvider router={router} />
    </AppProviders>
  </React.StrictMode>,
);
