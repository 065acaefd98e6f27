// quickhull3d's ESM entry imports its files without extensions, which Node rejects; its bundled build loads.
declare module 'quickhull3d/dist/quickhull3d.js' {
  /** The hull's faces, as indices into points, oriented outward. */
  export default function quickhull(points: Array<[number, number, number]>): number[][];
}
