// Vite bundling the matrix cell for the browser, from a plain HTML page.
export default {
  logLevel: 'warn',
  base: './', // the page is served from a sub-folder
  build: { outDir: 'dist-vite', emptyOutDir: true, rollupOptions: { input: 'vite.html' } },
};
