// `kernelscope bench`: placeholder replaced below.
export async function benchCommand(): Promise<number> {
  return 2;
}
