/** The narrow storage port every domain function sees; workerd and node:sqlite both implement it. */
export type SqlValue = string | number | null;
export type Row = Record<string, SqlValue>;

export interface Db {
  all<T = Row>(query: string, ...params: SqlValue[]): T[];
  one<T = Row>(query: string, ...params: SqlValue[]): T | undefined;
  /** Runs a write and returns how many rows it changed. */
  run(query: string, ...params: SqlValue[]): number;
  /** Runs fn atomically: a throw rolls every write back. fn must not await. */
  tx<T>(fn: () => T): T;
  /**
   * How many writing statements ran so far (rolled back or not): a read taken when it was N
   * still holds while it is N.
   */
  writes(): number;
}

/** Whether a statement may change the database. */
export const WRITES = /^\s*(INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER)\b/i;
