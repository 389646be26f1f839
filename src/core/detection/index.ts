/**
 * Public surface of the detection model: one function from a parsed Markdown
 * tree to a checked Detection (with the frontmatter schema loaded).
 */
import './frontmatter.ts';

export { buildDetection } from './build.ts';
