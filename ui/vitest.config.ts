import { svelte } from "@sveltejs/vite-plugin-svelte";
import { defineConfig } from "vitest/config";

// Unit tests cover the pure TypeScript modules and the feature stores (`*.svelte.ts`, compiled
// by the Svelte plugin so their runes work); they need no DOM and no Rust side.
export default defineConfig({
  plugins: [svelte({ hot: false })],
  test: {
    include: ["src/**/*.test.ts"],
    environment: "node",
  },
});
