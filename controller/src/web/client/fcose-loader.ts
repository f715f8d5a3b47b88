// Loads web/fcose.js (fcose-chunk.ts) once, by a <script> element (the page's CSP allows scripts from the
// controller only; the page preloads the file), and registers the extension with Cytoscape.
import cytoscape from 'cytoscape';

export const FCOSE_SRC = 'web/fcose.js';

let loading: Promise<void> | undefined;
let loaded = false;

/** Whether fCoSE can run now. */
export const fcoseLoaded = (): boolean => loaded;

/** Resolves once fCoSE is registered; a failed load rejects and the next call tries again. */
export function loadFcose(src = FCOSE_SRC): Promise<void> {
  loading ??= new Promise<void>((resolve, reject) => {
    const s = document.createElement('script');
    s.src = src;
    s.onload = () => {
      const ext = (window as unknown as { netmapperFcose?: cytoscape.Ext }).netmapperFcose;
      if (!ext) { loading = undefined; reject(new Error(`${src} did not define the fCoSE extension`)); return; }
      if (!loaded) cytoscape.use(ext);
      loaded = true;
      resolve();
    };
    s.onerror = () => { loading = undefined; s.remove(); reject(new Error(`could not load ${src}`)); };
    document.head.append(s);
  });
  return loading;
}
