/** Diagnostics reporters by name. */
import { github } from './github.ts';
import { json } from './json.ts';
import { sarif } from './sarif.ts';
import { stylish } from './stylish.ts';
import type { Reporter } from './types.ts';

/** Every reporter `--format` accepts. */
export const REPORTERS: Record<string, Reporter> = { stylish, json, sarif, github };
