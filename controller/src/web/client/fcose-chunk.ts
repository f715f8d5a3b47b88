// The fCoSE layout extension as its own small bundle (web/fcose.js, ~125 KB of the map's ~600 KB): the automatic
// layouts are force.ts's, so fCoSE is needed only for Re-layout; the page loads it after the first frame
// (fcose-loader.ts). It hands the extension over on `window`; the loader registers it.
import fcose from 'cytoscape-fcose';

(window as unknown as { netmapperFcose: unknown }).netmapperFcose = fcose;
