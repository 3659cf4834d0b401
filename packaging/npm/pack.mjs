// Builds the npm packages of trackplan, in the layout esbuild and biome use: a small `trackplan`
// package (the `trackplan` command, a Node.js script) whose optionalDependencies are one package per
// platform holding the binary; npm installs only the one whose `os`, `cpu` and `libc` fit.
//
//   node packaging/npm/pack.mjs --version 0.1.0 --out dist/npm --platform linux-x64 --binary path/to/trackplan
//   node packaging/npm/pack.mjs --version 0.1.0 --out dist/npm --main
//
// Each call writes one `.tgz` (`npm pack`) into --out. Called by scripts/dist.sh.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');

/** The platforms released (scripts/dist.sh, .github/workflows/release.yml): npm's names, and libc. */
export const PLATFORMS = {
  'linux-x64': { os: 'linux', cpu: 'x64', libc: 'glibc' },
  'linux-arm64': { os: 'linux', cpu: 'arm64', libc: 'glibc' },
  'darwin-x64': { os: 'darwin', cpu: 'x64' },
  'darwin-arm64': { os: 'darwin', cpu: 'arm64' },
  'win32-x64': { os: 'win32', cpu: 'x64' },
  'win32-arm64': { os: 'win32', cpu: 'arm64' },
};

const common = {
  license: 'Apache-2.0',
  homepage: 'https://github.com/trackplan/trackplan#readme',
  repository: { type: 'git', url: 'git+https://github.com/trackplan/trackplan.git' },
  bugs: 'https://github.com/trackplan/trackplan/issues',
};

function args() {
  const out = {};
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i];
    if (flag === '--main') {
      out.main = true;
    } else if (flag?.startsWith('--') && i + 1 < argv.length) {
      out[flag.slice(2)] = argv[i + 1];
      i += 1;
    } else {
      throw new Error(`unexpected argument ${flag}`);
    }
  }
  if (out.version === undefined || out.out === undefined || (out.main !== true && (out.platform === undefined || out.binary === undefined))) {
    throw new Error('usage: pack.mjs --version V --out DIR (--main | --platform P --binary FILE)');
  }
  return out;
}

function write(file, text) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

function pack(dir, out) {
  fs.mkdirSync(out, { recursive: true });
  const name = execFileSync('npm', ['pack', '--silent', '--pack-destination', path.resolve(out)], {
    cwd: dir,
    encoding: 'utf8',
    shell: process.platform === 'win32',
  }).trim();
  return path.join(out, name.split('\n').at(-1));
}

function main() {
  const options = args();
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'trackplan-npm-'));
  try {
    if (options.main === true) {
      const dir = path.join(staging, 'trackplan');
      fs.cpSync(path.join(here, 'trackplan'), dir, { recursive: true });
      fs.copyFileSync(path.join(root, 'LICENSE'), path.join(dir, 'LICENSE'));
      const manifest = {
        name: 'trackplan',
        version: options.version,
        description: 'Tracking plans as code: lint, edit, review and version your analytics tracking plan',
        keywords: ['tracking plan', 'analytics', 'mixpanel', 'linter', 'lsp', 'yaml'],
        ...common,
        bin: { trackplan: 'bin/trackplan.js' },
        files: ['bin', 'README.md', 'LICENSE'],
        engines: { node: '>=14' },
        optionalDependencies: Object.fromEntries(Object.keys(PLATFORMS).map((p) => [`@trackplan/cli-${p}`, options.version])),
      };
      write(path.join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
      console.log(pack(dir, options.out));
      return;
    }
    const platform = PLATFORMS[options.platform];
    if (platform === undefined) {
      throw new Error(`unknown platform ${options.platform}; one of ${Object.keys(PLATFORMS).join(', ')}`);
    }
    const name = `@trackplan/cli-${options.platform}`;
    const dir = path.join(staging, options.platform);
    const binary = platform.os === 'win32' ? 'trackplan.exe' : 'trackplan';
    fs.mkdirSync(path.join(dir, 'bin'), { recursive: true });
    fs.copyFileSync(options.binary, path.join(dir, 'bin', binary));
    fs.chmodSync(path.join(dir, 'bin', binary), 0o755);
    fs.copyFileSync(path.join(root, 'LICENSE'), path.join(dir, 'LICENSE'));
    write(
      path.join(dir, 'README.md'),
      `# ${name}\n\nThe \`trackplan\` binary for ${options.platform}. Install [trackplan](https://www.npmjs.com/package/trackplan) instead: it depends on this package and runs the binary.\n`,
    );
    const manifest = {
      name,
      version: options.version,
      description: `The trackplan binary for ${options.platform}`,
      ...common,
      os: [platform.os],
      cpu: [platform.cpu],
      ...(platform.libc === undefined ? {} : { libc: [platform.libc] }),
      files: ['bin', 'README.md', 'LICENSE'],
      preferUnplugged: true,
    };
    write(path.join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    console.log(pack(dir, options.out));
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

main();
