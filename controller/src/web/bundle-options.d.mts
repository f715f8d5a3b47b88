export declare const WEB_ENTRY: string;
export declare function webBundleOptions(outdir: string): import('esbuild').BuildOptions;
