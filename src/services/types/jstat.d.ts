/**
 * The part of jstat 1.9.6 (CommonJS, ships no types) that Ablate uses: the Student t distribution.
 * Declare more here as it is needed; src/services/experiments/stats.ts is the only user.
 */
declare module 'jstat' {
  interface StudentT {
    /** P(T <= x) for T ~ t(dof). */
    cdf(x: number, dof: number): number;
    /** The x with P(T <= x) = p for T ~ t(dof). */
    inv(p: number, dof: number): number;
  }
  interface JStat {
    studentt: StudentT;
  }
  const jStat: JStat;
  export = jStat;
}
