/**
 * The architecture's boundaries, pinned: src/core imports no Astro, no unified
 * plugin and no CLI code (the ESLint rule must catch it), and the remark
 * plugin's public surface stays tiny.
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

describe('architecture', () => {
  const eslint = new ESLint({ cwd: new URL('..', import.meta.url).pathname });

  it.each([
    ["import { defineConfig } from 'astro/config';", 'src/core must not import Astro.'],
    ["import { unified } from 'unified';", 'src/core must not import unified'],
    ["import remarkGfm from 'remark-gfm';", 'src/core must not import unified'],
    ["import { main } from '../cli/main.ts';", 'src/core must not import the CLI.'],
  ])('lint rejects `%s` in src/core', async (line, message) => {
    const [result] = await eslint.lintText(`${line}\nexport const x = 1;\n`, { filePath: 'src/core/probe.ts' });
    expect(result!.messages.map((m) => m.message).join('\n')).toContain(message);
  });

  it('lint allows the same import outside src/core', async () => {
    const [result] = await eslint.lintText("import { unified } from 'unified';\nexport const x = unified;\n", {
      filePath: 'src/catalog/probe.ts',
    });
    expect(result!.messages.filter((m) => m.ruleId === 'no-restricted-imports')).toEqual([]);
  });

  it('the remark plugin exports only the plugin, its reporter and its message source', async () => {
    const plugin = await import('../plugins/remark-detection.ts');
    expect(Object.keys(plugin).sort()).toEqual(['MESSAGE_SOURCE', 'default', 'reportDiagnostic']);
  });
});
