// The lint engine, loaded on first use so that activation stays cheap: the parser (and the TypeScript
// compiler it uses) is evaluated only when a file that may contain a Claude API call is linted.
import type * as Lint from '../core/lint';
import type * as Config from '../core/lint/config';
import type * as Sdk from '../core/lint/sdkVersion';
import type * as ProjectIndexModule from '../core/lint/project/projectIndex';
import type * as ResolveModule from '../core/lint/project/resolve';

let lint: typeof Lint | undefined;
let config: typeof Config | undefined;
let sdk: typeof Sdk | undefined;

export function engine(): typeof Lint {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (lint ??= require('../core/lint') as typeof Lint);
}

export function configModule(): typeof Config {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (config ??= require('../core/lint/config') as typeof Config);
}

export function sdkVersionModule(): typeof Sdk {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (sdk ??= require('../core/lint/sdkVersion') as typeof Sdk);
}

/** Whether the engine has been loaded (activation must not load it). */
export function engineLoaded(): boolean {
  return lint !== undefined;
}

let project: (typeof ProjectIndexModule & typeof ResolveModule) | undefined;

/** The project index and the module resolver (loaded with the engine, never during activation). */
export function projectModules(): typeof ProjectIndexModule & typeof ResolveModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (project ??= { ...(require('../core/lint/project/projectIndex') as typeof ProjectIndexModule), ...(require('../core/lint/project/resolve') as typeof ResolveModule) });
}
