// Checks the parts of the SARIF 2.1.0 schema a code-scanning consumer relies on: required properties,
// their types, enum values and the cross-references between results and rules. Returns the problems found
// (empty when the log is valid in these respects).

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown, min: number) => typeof v === 'number' && Number.isInteger(v) && v >= min;

function checkMessage(v: unknown, at: string, problems: string[]): void {
  if (!isObj(v)) problems.push(`${at}: must be an object`);
  else if (typeof v.text !== 'string' && typeof v.id !== 'string') problems.push(`${at}: needs "text" or "id"`);
}

function checkUri(v: unknown, at: string, problems: string[]): void {
  if (typeof v !== 'string' || v === '') {
    problems.push(`${at}: must be a non-empty string`);
    return;
  }
  if (v.includes('\\')) problems.push(`${at}: must use forward slashes (${v})`);
  if (/\s/.test(v)) problems.push(`${at}: must be percent-encoded (${v})`);
  try {
    new URL(v, 'file:///base/');
  } catch {
    problems.push(`${at}: not a valid URI reference (${v})`);
  }
}

export function checkSarif(log: unknown): string[] {
  const p: string[] = [];
  if (!isObj(log)) return ['log: must be an object'];
  if (log.version !== '2.1.0') p.push('version: must be "2.1.0"');
  if (typeof log.$schema !== 'string' || !/sarif.*2\.1\.0/i.test(log.$schema)) p.push('$schema: must name the SARIF 2.1.0 schema');
  if (!Array.isArray(log.runs)) return [...p, 'runs: must be an array'];
  log.runs.forEach((run: unknown, ri: number) => {
    const at = `runs[${ri}]`;
    if (!isObj(run)) return void p.push(`${at}: must be an object`);
    if (!isObj(run.tool) || !isObj(run.tool.driver)) return void p.push(`${at}.tool.driver: required`);
    const driver = run.tool.driver;
    if (typeof driver.name !== 'string' || driver.name === '') p.push(`${at}.tool.driver.name: required string`);
    if (driver.informationUri !== undefined) checkUri(driver.informationUri, `${at}.tool.driver.informationUri`, p);
    if (driver.version !== undefined && typeof driver.version !== 'string') p.push(`${at}.tool.driver.version: must be a string`);
    const rules = driver.rules === undefined ? [] : driver.rules;
    if (!Array.isArray(rules)) return void p.push(`${at}.tool.driver.rules: must be an array`);
    const ids = new Set<string>();
    rules.forEach((r: unknown, i: number) => {
      const rat = `${at}.tool.driver.rules[${i}]`;
      if (!isObj(r)) return void p.push(`${rat}: must be an object`);
      if (typeof r.id !== 'string' || r.id === '') p.push(`${rat}.id: required string`);
      else if (ids.has(r.id)) p.push(`${rat}.id: duplicate "${r.id}"`);
      else ids.add(r.id);
      if (r.shortDescription !== undefined) checkMessage(r.shortDescription, `${rat}.shortDescription`, p);
      if (r.fullDescription !== undefined) checkMessage(r.fullDescription, `${rat}.fullDescription`, p);
      if (r.helpUri !== undefined) checkUri(r.helpUri, `${rat}.helpUri`, p);
      if (r.defaultConfiguration !== undefined) {
        const dc = r.defaultConfiguration;
        if (!isObj(dc)) p.push(`${rat}.defaultConfiguration: must be an object`);
        else if (dc.level !== undefined && !['none', 'note', 'warning', 'error'].includes(dc.level as string)) {
          p.push(`${rat}.defaultConfiguration.level: invalid "${String(dc.level)}"`);
        }
      }
    });
    if (run.columnKind !== undefined && !['utf16CodeUnits', 'unicodeCodePoints'].includes(run.columnKind as string)) {
      p.push(`${at}.columnKind: invalid`);
    }
    const baseIds = isObj(run.originalUriBaseIds) ? run.originalUriBaseIds : {};
    for (const [k, v] of Object.entries(baseIds)) {
      if (!isObj(v) || typeof v.uri !== 'string') p.push(`${at}.originalUriBaseIds.${k}.uri: required`);
      else if (!v.uri.endsWith('/')) p.push(`${at}.originalUriBaseIds.${k}.uri: must end with "/"`);
    }
    if (run.results === undefined) return;
    if (!Array.isArray(run.results)) return void p.push(`${at}.results: must be an array`);
    run.results.forEach((res: unknown, i: number) => {
      const rat = `${at}.results[${i}]`;
      if (!isObj(res)) return void p.push(`${rat}: must be an object`);
      checkMessage(res.message, `${rat}.message`, p);
      if (res.level !== undefined && !['none', 'note', 'warning', 'error'].includes(res.level as string)) {
        p.push(`${rat}.level: invalid "${String(res.level)}"`);
      }
      if (res.ruleIndex !== undefined) {
        if (!isInt(res.ruleIndex, 0) || (res.ruleIndex as number) >= rules.length) p.push(`${rat}.ruleIndex: out of range`);
        else if (res.ruleId !== undefined && (rules[res.ruleIndex as number] as Obj).id !== res.ruleId) {
          p.push(`${rat}.ruleIndex: points at "${String((rules[res.ruleIndex as number] as Obj).id)}", not "${String(res.ruleId)}"`);
        }
      }
      if (res.ruleId !== undefined && typeof res.ruleId !== 'string') p.push(`${rat}.ruleId: must be a string`);
      const checkArtifact = (al: unknown, at: string) => {
        if (!isObj(al)) return void p.push(`${at}: required`);
        checkUri(al.uri, `${at}.uri`, p);
        const base = al.uriBaseId;
        if (base !== undefined && !(typeof base === 'string' && base in baseIds)) {
          p.push(`${at}.uriBaseId: "${String(base)}" is not in originalUriBaseIds`);
        }
      };
      const checkRegion = (reg: unknown, at: string) => {
        if (!isObj(reg)) return void p.push(`${at}: must be an object`);
        for (const k of ['startLine', 'startColumn', 'endLine', 'endColumn']) {
          if (reg[k] !== undefined && !isInt(reg[k], 1)) p.push(`${at}.${k}: must be an integer >= 1`);
        }
        if (reg.startLine === undefined) p.push(`${at}.startLine: required for a text region`);
        const sl = reg.startLine as number;
        const el = (reg.endLine ?? sl) as number;
        if (el < sl) p.push(`${at}: endLine before startLine`);
        if (el === sl && reg.endColumn !== undefined && reg.startColumn !== undefined && (reg.endColumn as number) < (reg.startColumn as number)) {
          p.push(`${at}: endColumn before startColumn`);
        }
      };
      const checkLocations = (locs: unknown, at: string, related: boolean) => {
        if (locs === undefined) return;
        if (!Array.isArray(locs)) return void p.push(`${at}: must be an array`);
        const ids = new Set<unknown>();
        locs.forEach((loc: unknown, li: number) => {
          const lat = `${at}[${li}]`;
          if (!isObj(loc) || !isObj(loc.physicalLocation)) return void p.push(`${lat}.physicalLocation: required`);
          if (related) {
            if (!isInt(loc.id, 0)) p.push(`${lat}.id: must be an integer >= 0`);
            else if (ids.has(loc.id)) p.push(`${lat}.id: duplicate ${String(loc.id)}`);
            ids.add(loc.id);
            checkMessage(loc.message, `${lat}.message`, p);
          }
          const pl = loc.physicalLocation;
          checkArtifact(pl.artifactLocation, `${lat}.physicalLocation.artifactLocation`);
          if (pl.region !== undefined) checkRegion(pl.region, `${lat}.physicalLocation.region`);
        });
      };
      checkLocations(res.locations, `${rat}.locations`, false);
      checkLocations(res.relatedLocations, `${rat}.relatedLocations`, true);
      if (res.fixes === undefined) return;
      if (!Array.isArray(res.fixes)) return void p.push(`${rat}.fixes: must be an array`);
      res.fixes.forEach((fix: unknown, fi: number) => {
        const fat = `${rat}.fixes[${fi}]`;
        if (!isObj(fix)) return void p.push(`${fat}: must be an object`);
        if (fix.description !== undefined) checkMessage(fix.description, `${fat}.description`, p);
        if (!Array.isArray(fix.artifactChanges) || fix.artifactChanges.length === 0) return void p.push(`${fat}.artifactChanges: needs at least one`);
        fix.artifactChanges.forEach((ch: unknown, ci: number) => {
          const cat = `${fat}.artifactChanges[${ci}]`;
          if (!isObj(ch)) return void p.push(`${cat}: must be an object`);
          checkArtifact(ch.artifactLocation, `${cat}.artifactLocation`);
          if (!Array.isArray(ch.replacements) || ch.replacements.length === 0) return void p.push(`${cat}.replacements: needs at least one`);
          ch.replacements.forEach((rep: unknown, ri2: number) => {
            const rpat = `${cat}.replacements[${ri2}]`;
            if (!isObj(rep)) return void p.push(`${rpat}: must be an object`);
            checkRegion(rep.deletedRegion, `${rpat}.deletedRegion`);
            if (rep.insertedContent !== undefined && !(isObj(rep.insertedContent) && typeof rep.insertedContent.text === 'string')) {
              p.push(`${rpat}.insertedContent.text: must be a string`);
            }
          });
        });
      });
    });
  });
  return p;
}
