#!/usr/bin/env node
// Keeps package.json's per-rule severity setting (claudeRequestLint.rules) in step with the rule table
// (ruleMetas in src/core/lint): one table drives the docs, the settings schema and --list-rules.
// Usage: node scripts/sync-manifest.js [--check]   (--check: exit 1 when package.json is out of date)
'use strict';
const esbuild = require('esbuild');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.resolve(__dirname, '..');
const manifestPath = path.join(root, 'package.json');
const RULES_SETTING = 'claudeRequestLint.rules';

function loadRuleMetas() {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'crl-manifest-')), 'lint.js');
  esbuild.buildSync({ entryPoints: [path.join(root, 'src/core/lint/index.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: out, logLevel: 'error' });
  try {
    return require(out).ruleMetas;
  } finally {
    fs.rmSync(path.dirname(out), { recursive: true, force: true });
  }
}

/** The JSON schema of the rules setting for a rule table (also used by the unit test). */
function rulesSettingSchema(ruleMetas) {
  const properties = {};
  for (const m of ruleMetas) {
    properties[m.id] = {
      type: 'string',
      enum: ['error', 'warning', 'info', 'off'],
      default: m.defaultSeverity,
      markdownDescription: `${m.description} [Documentation](https://github.com/claude-request-lint/claude-request-lint/blob/main/docs/rules/${m.id}.md)`,
    };
  }
  return {
    type: 'object',
    default: {},
    scope: 'resource',
    additionalProperties: false,
    properties,
    markdownDescription:
      'Severity per rule (`error`, `warning`, `info`) or `off`. Overrides the `rules` of the project file `.claude-request-lint.json` for the rules set here.',
  };
}

module.exports = { rulesSettingSchema, RULES_SETTING };

if (require.main === module) {
  const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
  const props = manifest.contributes?.configuration?.properties;
  if (!props) {
    console.error('package.json has no contributes.configuration.properties');
    process.exit(1);
  }
  const wanted = rulesSettingSchema(loadRuleMetas());
  const same = JSON.stringify(props[RULES_SETTING]) === JSON.stringify(wanted);
  if (process.argv.includes('--check')) {
    console.log(same ? 'package.json rules setting is up to date' : `package.json ${RULES_SETTING} is out of date: run node scripts/sync-manifest.js`);
    process.exit(same ? 0 : 1);
  }
  if (!same) {
    props[RULES_SETTING] = wanted;
    fs.writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + '\n');
    console.log(`updated ${RULES_SETTING} in package.json (${Object.keys(wanted.properties).length} rules)`);
  } else console.log('package.json is up to date');
}
