/**
 * The one rule for a variable name — environment variables, `.env` keys, Compose interpolation
 * and scenario `vars`: letters, digits and `_`, not starting with a digit (POSIX shell names).
 */
import { z } from 'zod';

/** The rule as a regular-expression fragment, for patterns that embed a name (`{{ vars.NAME }}`). */
export const VARIABLE_NAME_SOURCE = '[A-Za-z_][A-Za-z0-9_]*';

/** A whole string that is a variable name. */
export const VARIABLE_NAME = new RegExp(`^${VARIABLE_NAME_SOURCE}$`);

export const isVariableName = (text: string): boolean => VARIABLE_NAME.test(text);

export const variableNameParam = z.string().regex(VARIABLE_NAME, 'must be a variable name');
