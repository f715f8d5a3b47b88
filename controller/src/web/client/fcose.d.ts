// cytoscape-fcose ships no types: a Cytoscape extension registered with `cytoscape.use(fcose)`.
declare module 'cytoscape-fcose' {
  const ext: (cy: unknown) => void;
  export default ext;
}
