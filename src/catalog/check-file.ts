/**
 * One file as `loom check` keeps it: its diagnostics (each with its `file`)
 * and what the cross-file rules read.
 */
import type { CatalogEntry } from '../core/catalog/rules.ts';
import type { Diagnostic } from '../core/diagnostics.ts';
import type { SigmaDocument } from '../core/sigma/model.ts';
import type { CatalogFile } from './files.ts';
import { loadFile, type DetectionProcessor } from './read-file.ts';

/** What the cross-file rules need of one file. */
export interface CheckedFile<Document = SigmaDocument> {
  diagnostics: Diagnostic[];
  /** The detection as the catalog rules read it. */
  detection?: CatalogEntry;
  /** Its Sigma documents (a detection's blocks or a Sigma file), for the cross-file Sigma rules. */
  sigma?: { file: string; documents: Document[] };
}

/** What was loaded for documents outside the fast paths: the frontmatter schema, then the full pipeline. */
export interface ProcessorSlot {
  schema?: boolean;
  processor?: DetectionProcessor;
}

/** Reads and checks one file, keeping only what `loom check` needs. */
export async function checkFile(file: CatalogFile, slot: ProcessorSlot, maxSize: number): Promise<CheckedFile> {
  let found = loadFile(file, slot.processor, maxSize);
  if (!found && !slot.schema) {
    // The document may need only the frontmatter schema (zod, ~50 ms) rather than the pipeline (~100 ms more).
    await import('../core/detection/frontmatter.ts');
    slot.schema = true;
    found = loadFile(file, slot.processor, maxSize);
  }
  if (!found) {
    slot.processor = (await import('./processor.ts')).createDetectionProcessor();
    found = loadFile(file, slot.processor, maxSize);
  }
  for (const d of found.diagnostics) d.file ??= file.display;
  const out: CheckedFile = { diagnostics: found.diagnostics };
  if (found.detection) {
    const { path, rawFrontmatter, frontmatterLines, frontmatter } = found.detection;
    out.detection = {
      path,
      rawFrontmatter,
      frontmatterLines,
      frontmatter: frontmatter && { title: frontmatter.title },
    };
    out.sigma = { file: path, documents: found.detection.sigma };
  }
  if (found.sigma) out.sigma = { file: found.sigma.path, documents: found.sigma.documents };
  return out;
}

/**
 * What the cross-file Sigma rules (src/core/sigma/validators: duplicate id,
 * duplicate title, unknown correlation rule) read of a document, as plain
 * data; their ranges are found again for the few documents a finding names.
 */
export interface SigmaSummary {
  type: SigmaDocument['type'];
  id?: string | undefined;
  title?: string | undefined;
  name?: string | undefined;
  rules?: string[] | undefined;
}

/** {@link CheckedFile} without the Sigma documents' trees and source text. */
export function summarise(checked: CheckedFile): CheckedFile<SigmaSummary> {
  const { sigma, ...rest } = checked;
  if (!sigma) return rest;
  return {
    ...rest,
    sigma: {
      file: sigma.file,
      documents: sigma.documents.map((d) => ({
        type: d.type,
        id: d.id,
        title: d.title,
        name: d.name,
        rules: d.type === 'rule' ? undefined : d.rules,
      })),
    },
  };
}
