// esbuild bundles the page's stylesheet from this import into app.css.
declare module '*.css';
