// What this build is: the version and git revision, stamped by controller/scripts/build.mjs into dist/ (esbuild
// `define`), read from package.json and NETMAPPER_REVISION when running from source. Shown as netmapper_build_info.

import { readFileSync } from 'node:fs';

declare const NETMAPPER_BUILD: { version: string; revision: string } | undefined;

export interface BuildInfo { version: string; revision: string }

/** The stamped build, else package.json's version and $NETMAPPER_REVISION (or "unknown"). */
export function buildInfo(env: Record<string, string | undefined> = process.env): BuildInfo {
  if (typeof NETMAPPER_BUILD !== 'undefined') return NETMAPPER_BUILD;
  let version = 'unknown';
  try {
    version = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string }).version ?? version;
  } catch { /* not in the repository: keep "unknown" */ }
  return { version, revision: env.NETMAPPER_REVISION || 'unknown' };
}
