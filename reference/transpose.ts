// b = aᵀ for a rows × cols row-major matrix.
export function transpose(a: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const b = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) b[c * rows + r] = a[r * cols + c]!;
  return b;
}
