/** The default reporter: `path:line:col: severity message  rule-id`, then a summary line. */
import { countBySeverity } from '../../core/diagnostics.ts';
import type { Reporter } from './types.ts';

const COLORS = { error: 31, warning: 33, info: 36, dim: 2, bold: 1 } as const;

/** Formats diagnostics for people at a terminal or in a CI log. */
export const stylish: Reporter = ({ diagnostics, fileCount, color, seconds }) => {
  const paint = (c: keyof typeof COLORS, s: string) => (color ? `\u001b[${COLORS[c]}m${s}\u001b[0m` : s);
  const lines = diagnostics.map((d) => {
    const at = d.place ? `:${d.place.start.line}:${d.place.start.column}` : '';
    const hint =
      d.expected?.length && !d.message.includes(d.expected[0]!) ? ` (did you mean \`${d.expected[0]}\`?)` : '';
    const related = (d.related ?? [])
      .map(
        (r) =>
          `\n    ${paint('dim', `${r.message}: ${r.file ?? d.file ?? ''}${r.place ? `:${r.place.start.line}:${r.place.start.column}` : ''}`)}`,
      )
      .join('');
    return `${d.file ?? ''}${at}: ${paint(d.severity, d.severity)} ${d.message}${hint}  ${paint('dim', d.ruleId)}${related}`;
  });
  const n = countBySeverity(diagnostics);
  const files = `${fileCount} file${fileCount === 1 ? '' : 's'}`;
  const time = seconds === undefined ? '' : ` in ${seconds.toFixed(2)} s`;
  const summary =
    n.error + n.warning + n.info === 0
      ? paint('bold', `✔ ${files} checked${time}: no problems`)
      : paint(
          'bold',
          `✖ ${files} checked${time}: ${n.error} error${n.error === 1 ? '' : 's'}, ${n.warning} warning${n.warning === 1 ? '' : 's'}${n.info ? `, ${n.info} info` : ''}`,
        );
  return (lines.length ? lines.join('\n') + '\n\n' : '') + summary + '\n';
};
