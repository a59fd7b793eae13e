import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// Built into the gateway's web root: the gateway serves the app at / beside the API it calls.
export default defineConfig({
  plugins: [react()],
  // The typed client lives in clients/typescript; its one dependency resolves from here.
  resolve: { dedupe: ["openapi-fetch"] },
  build: { outDir: "../gateway/wwwroot", emptyOutDir: true },
});
