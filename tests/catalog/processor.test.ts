/**
 * The fast Markdown path (src/catalog/read-file.ts) runs remark-detection on
 * its tree directly, because it is the pipeline's only transformer: the
 * others are the parser and its syntax extensions. Adding a plugin to the
 * pipeline must revisit that.
 */
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified, type Processor } from 'unified';
import { describe, expect, it } from 'vitest';
import remarkDetection from '../../plugins/remark-detection.ts';
import { createDetectionProcessor } from '../../src/catalog/processor.ts';

describe('the detection pipeline', () => {
  it('is the parser, its syntax extensions and remark-detection, in that order', () => {
    const plugins = createDetectionProcessor().attachers.map(([plugin]) => plugin);
    expect(plugins).toEqual([remarkParse, remarkFrontmatter, remarkGfm, remarkDetection]);
  });

  it('has no transformer but remark-detection', () => {
    // Each attacher, run on a fresh processor: only a transformer plugin returns a function.
    const transformers = createDetectionProcessor().attachers.filter(([plugin, ...options]) => {
      const made: unknown = (plugin as (this: Processor, ...rest: unknown[]) => unknown).call(unified(), ...options);
      return typeof made === 'function';
    });
    expect(transformers.map(([plugin]) => plugin)).toEqual([remarkDetection]);
  });
});
