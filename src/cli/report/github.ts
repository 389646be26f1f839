/**
 * GitHub Actions workflow commands: each diagnostic becomes an annotation on
 * the pull request's line.
 */
import type { Reporter } from './types.ts';

const COMMAND = { error: 'error', warning: 'warning', info: 'notice' } as const;

/** `::error file=…,line=…,col=…,title=rule::message` lines. */
export const github: Reporter = ({ diagnostics }) =>
  diagnostics
    .map((d) => {
      const props = [`file=${escapeProperty(d.file ?? '')}`];
      if (d.place) {
        props.push(`line=${d.place.start.line}`, `col=${d.place.start.column}`);
        if (d.place.end) props.push(`endLine=${d.place.end.line}`, `endColumn=${d.place.end.column}`);
      }
      props.push(`title=${escapeProperty(d.ruleId)}`);
      return `::${COMMAND[d.severity]} ${props.join(',')}::${escapeData(d.message)}\n`;
    })
    .join('');

function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
