// The fCoSE layout extension as its own small bundle (web/fcose.js, ~125 KB of the map's ~600 KB): the folded
// overview of a big map is laid out without it (force.ts), so the page loads it only when a namespace is drawn open
// (fcose-loader.ts) or after the first frame. It hands the extension over on `window`; the loader registers it.
import fcose from 'cytoscape-fcose';

(window as unknown as { netmapperFcose: unknown }).netmapperFcose = fcose;
