// Cytoscape's own cy.batch(f) is startBatch(); f(); endBatch() with no `finally`: an element that makes cy.add
// throw (a line whose end is missing) would leave the map batching for good — every later restyle and redraw held
// back. Every batch that can throw goes through here.

import type cytoscape from 'cytoscape';

/** Runs `f` in one Cytoscape batch, ended even when `f` throws (the error still goes up). */
export function inBatch<T>(cy: cytoscape.Core, f: () => T): T {
  cy.startBatch();
  try {
    return f();
  } finally {
    cy.endBatch();
  }
}
