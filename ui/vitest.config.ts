import { defineConfig } from "vitest/config";

// Unit tests cover the pure TypeScript modules in src/lib; they need no DOM and no Svelte.
export default defineConfig({
  test: {
    include: ["src/**/*.test.ts"],
    environment: "node",
  },
});
