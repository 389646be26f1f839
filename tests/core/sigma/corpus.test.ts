/**
 * The real-world bar: every rule SigmaHQ's CI accepts parses and validates
 * with 0 errors; on the older rules, condition errors are real ones.
 * Reads ../shared/corpus/sigmahq; skips when it is absent, fails under CI.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../../src/core/diagnostics.ts';
import { parseSigmaBlock } from '../../../src/core/sigma/parse.ts';
import { validateSigmaCatalog, validateSigmaDocuments } from '../../../src/core/sigma/validate.ts';
import { wholeFile } from '../../../src/core/text/source.ts';
import { corpus as sharedCorpus, filesUnder } from '../../helpers/corpus.ts';

const sigmahq = sharedCorpus('corpus/sigmahq');
const corpus = sigmahq.path;
const present = sigmahq.available;

function checkAll(dirs: string[]): { files: number; documents: number; diagnostics: Diagnostic[] } {
  const entries: { file: string; documents: ReturnType<typeof parseSigmaBlock>['documents'] }[] = [];
  const diagnostics: Diagnostic[] = [];
  let documents = 0;
  for (const file of dirs.flatMap((d) => filesUnder(join(corpus, d), /\.ya?ml$/))) {
    const text = readFileSync(file, 'utf8');
    const parsed = parseSigmaBlock(wholeFile(text));
    documents += parsed.documents.length;
    const lines = text.split('\n').length;
    for (const d of [...parsed.diagnostics, ...validateSigmaDocuments(parsed.documents, {})]) {
      d.file = file.slice(corpus.length + 1);
      // Every diagnostic is placed inside its file.
      expect(d.place, `${d.file}: ${d.message}`).toBeDefined();
      expect(d.place!.start.line).toBeGreaterThanOrEqual(1);
      expect(d.place!.start.line).toBeLessThanOrEqual(lines);
      diagnostics.push(d);
    }
    entries.push({ file: file.slice(corpus.length + 1), documents: parsed.documents });
  }
  diagnostics.push(...validateSigmaCatalog(entries));
  return { files: entries.length, documents, diagnostics };
}

describe.skipIf(!present)('SigmaHQ corpus', () => {
  it('parses and validates every rule SigmaHQ CI accepts with 0 errors', () => {
    const result = checkAll([
      'rules',
      'rules-compliance',
      'rules-emerging-threats',
      'rules-placeholder',
      'rules-threat-hunting',
    ]);
    expect(result.files).toBe(3780);
    expect(result.documents).toBe(3780);
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => `${d.file}:${d.place?.start.line}: ${d.message} ${d.ruleId}`)).toEqual([]);
    // Warnings are true ones: a handful of values written `*x*` instead of `|contains`.
    expect(result.diagnostics.filter((d) => d.severity === 'warning').map((d) => d.ruleId)).toEqual(
      Array(result.diagnostics.length).fill('sigma/wildcard-instead-of-modifier'),
    );
  }, 60_000);

  it('reports the aggregations of older rules as positioned condition errors, and nothing else as a condition error', () => {
    const result = checkAll(['deprecated', 'unsupported']);
    const conditions = result.diagnostics.filter((d) => d.ruleId === 'sigma/condition-syntax');
    expect(conditions.length).toBeGreaterThan(50);
    const aggregations = conditions.filter((d) => d.message.startsWith('Unexpected aggregation'));
    expect(aggregations.length).toBeGreaterThan(50);
    // The rest are real too: made-up syntax (`write … to %x%; then … -> alert`, `TargetLogonId` joins)
    // and the v1 multi-document collections whose documents have no condition.
    expect(conditions.filter((d) => !aggregations.includes(d)).map((d) => `${d.file}:${d.place?.start.line}`)).toEqual([
      'unsupported/windows/sysmon_always_install_elevated_parent_child_correlated.yml:32',
      'unsupported/windows/sysmon_process_reimaging.yml:31',
      'unsupported/windows/sysmon_process_reimaging.yml:44',
      'unsupported/windows/win_apt_apt29_tor.yml:34',
      'unsupported/windows/win_dumping_ntdsdit_via_dcsync.yml:30',
      'unsupported/windows/win_dumping_ntdsdit_via_netsync.yml:26',
      'unsupported/windows/win_remote_service.yml:41',
      'unsupported/windows/win_remote_service.yml:48',
    ]);
    // Each is placed on the `|` of the aggregation in its file.
    for (const d of aggregations) {
      const line = readFileSync(join(corpus, d.file!), 'utf8').split('\n')[d.place!.start.line - 1]!;
      expect(line[d.place!.start.column - 1], `${d.file}:${d.place!.start.line}`).toMatch(/[|nc]/);
    }
  }, 60_000);
});
