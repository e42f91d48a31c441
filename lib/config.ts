/** Keydeck's configuration: the environment, parsed and validated once per process. */
import path from 'node:path';
import { z } from 'zod';

const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

// An empty variable counts as unset, so `KEYDECK_MODE= npm start` falls back to the default.
const unsetIfEmpty = (value: unknown) => (value === '' ? undefined : value);

const schema = z.object({
  KEYDECK_MODE: z.preprocess(
    unsetIfEmpty,
    z.enum(['demo', 'aws'], { error: (issue) => `must be 'demo' or 'aws', not '${String(issue.input)}'` }).default('demo'),
  ),
  KEYDECK_DATA_DIR: z.preprocess(unsetIfEmpty, z.string().default('./.keydeck')),
  AWS_REGION: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .regex(REGION, { error: (issue) => `must be an AWS Region such as 'us-east-1', not '${String(issue.input)}'` })
      .default('us-east-1'),
  ),
});

export type Mode = 'demo' | 'aws';

export interface Config {
  mode: Mode;
  /** Absolute path of the directory holding the emulator's state and Keydeck's own data. */
  dataDir: string;
  /** The region the console opens in. */
  region: string;
}

/** Parses a configuration from `env`; throws an Error naming every invalid variable. */
export function parseConfig(env: Record<string, string | undefined>, cwd = process.cwd()): Config {
  const result = schema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`);
    throw new Error(`Invalid Keydeck configuration: ${problems.join('; ')}`);
  }
  const { KEYDECK_MODE, KEYDECK_DATA_DIR, AWS_REGION } = result.data;
  return { mode: KEYDECK_MODE, dataDir: path.resolve(cwd, KEYDECK_DATA_DIR), region: AWS_REGION };
}

let cached: Config | undefined;

/** The process's configuration, read from `process.env` on first use. */
export function getConfig(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}
