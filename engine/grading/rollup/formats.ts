/** The formats of `breakfix report`, apart from the renderers so naming one loads no CSV or zod code. */
export const ROLLUP_FORMATS = ['md', 'csv', 'json', 'classroom'] as const;
export type RollupFormat = (typeof ROLLUP_FORMATS)[number];

export function isRollupFormat(value: string): value is RollupFormat {
  return (ROLLUP_FORMATS as readonly string[]).includes(value);
}
