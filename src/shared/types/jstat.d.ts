/**
 * The part of jstat 1.9.6 (CommonJS, ships no types) that Ablate uses: the Student t distribution
 * and the noncentral t. Declare more here as it is needed; src/shared/intervals.ts is the only
 * user (the back end's statistics and the renderer's bands both go through it).
 */
declare module 'jstat' {
  interface StudentT {
    /** P(T <= x) for T ~ t(dof). */
    cdf(x: number, dof: number): number;
    /** The x with P(T <= x) = p for T ~ t(dof). */
    inv(p: number, dof: number): number;
  }
  interface NoncentralT {
    /** P(T <= x) for T noncentral t with `dof` degrees of freedom and noncentrality `ncp`. */
    cdf(x: number, dof: number, ncp: number): number;
  }
  interface JStat {
    studentt: StudentT;
    noncentralt: NoncentralT;
  }
  const jStat: JStat;
  export = jStat;
}
