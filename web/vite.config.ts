import { defineConfig } from 'vite';

// Static files only: the app reads its endpoints from config.json at run
// time, so one build serves any stack (local, S3 + CloudFront).
export default defineConfig({
  root: __dirname,
  base: './',
  build: { outDir: 'dist', emptyOutDir: true },
});
