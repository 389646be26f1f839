/** A rule or filter whose logsource names no product, category or service: no backend can place it. */
import type { DocumentValidator } from './validator.ts';

export const missingLogsource: DocumentValidator = {
  id: 'sigma/missing-logsource',
  severity: 'error',
  check(document) {
    if (document.type === 'correlation') return [];
    const { product, category, service } = document.logsource;
    if (product || category || service) return [];
    const has = 'logsource' in document.raw;
    return [
      {
        message: has
          ? 'Unexpected `logsource` without `product`, `category` or `service`, expected at least one of them'
          : 'Unexpected rule without `logsource`, expected a `logsource` with `product`, `category` or `service`',
        place: has ? document.ranges.key('logsource') : (document.ranges.key('title') ?? document.range),
      },
    ];
  },
};
