/** A row-major matrix of doubles: `data[i * cols + j]` is row i, column j. */
export interface DenseMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

export function denseMatrix(rows: number, cols: number): DenseMatrix {
  return { rows, cols, data: new Float64Array(rows * cols) };
}

/** Row i of a {@link DenseMatrix} as a plain array (for JSON output). */
export function matrixRow(m: DenseMatrix, i: number): number[] {
  return Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols));
}
