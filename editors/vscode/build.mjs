// Bundles the extension and vscode-languageclient into out/extension.js (the `vscode` module is
// provided by VS Code at run time). Type checking is `tsc --noEmit`, run before this by `npm run build`.
import * as esbuild from 'esbuild';

await esbuild.build({
  entryPoints: ['src/extension.ts'],
  outfile: 'out/extension.js',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode'],
  sourcemap: true,
  sourcesContent: false,
  minify: process.argv.includes('--minify'),
  logLevel: 'warning',
});
