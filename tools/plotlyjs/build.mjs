// Builds the plotly.js that aicto's reports embed: plotly.js core with only the trace types the charts draw.
// Reproducible: the exact plotly.js and esbuild versions are pinned in package.json and package-lock.json
// (`npm ci`), and the same inputs give the same bytes. Run it with `make plotlyjs` from the top of the repository.
//
// Writes into lib/aicto/present/assets/:
//   plotly-aicto.min.js    the bundle (Plotly as a global, like plotly.js's own dist files)
//   plotly-aicto.json      its manifest: plotly.js version, the trace types registered, size and sha256
//   plotly.js-LICENSE.txt  plotly.js's MIT licence, which travels with the bundle
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

// The trace types of lib/aicto/present/charts.py and progress_charts.py. A test fails when a chart in an example's
// report has a type missing here: add it, run `make plotlyjs`, commit the three files. plotly.js's core registers
// scatter itself.
const CORE = ['scatter'];
const TRACES = ['bar', 'scatterpolar', 'waterfall'];
const ALL = [...CORE, ...TRACES].sort();

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '..', '..', 'lib', 'aicto', 'present', 'assets');
const require = createRequire(import.meta.url);
const plotlyDir = dirname(require.resolve('plotly.js/package.json'));
const version = JSON.parse(readFileSync(join(plotlyDir, 'package.json'), 'utf8')).version;

const entry = [
    "'use strict';",
    "var Plotly = require('./core');",
    `Plotly.register([${TRACES.map((t) => `require('./${t}')`).join(', ')}]);`,
    'module.exports = Plotly;',
].join('\n');

// plotly.js's own esbuild settings (esbuild-config.js), minified; the map subplot's CSS is never reached here
const noCss = {
    name: 'no-css',
    setup(build) {
        build.onResolve({ filter: /\.css$/ }, (args) => ({ path: args.path, namespace: 'no-css' }));
        build.onLoad({ filter: /.*/, namespace: 'no-css' }, () => ({ contents: '', loader: 'js' }));
    },
};
const result = await esbuild.build({
    stdin: { contents: entry, resolveDir: join(plotlyDir, 'lib'), sourcefile: 'aicto-bundle.js', loader: 'js' },
    format: 'iife',
    globalName: 'Plotly',
    bundle: true,
    minify: true,
    legalComments: 'none',
    banner: { js: `/** plotly.js v${version} (aicto bundle: ${ALL.join(', ')}) | MIT licence, see plotly.js-LICENSE.txt */` },
    plugins: [noCss],
    define: { global: 'window', 'define.amd': 'false', 'process.env.NODE_DEBUG': 'false' },
    target: 'es2016',
    write: false,
    logLevel: 'warning',
});
const js = result.outputFiles[0].contents;

mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'plotly-aicto.min.js'), js);
writeFileSync(join(out, 'plotly.js-LICENSE.txt'), readFileSync(join(plotlyDir, 'LICENSE')));
const manifest = {
    plotly_js: version,
    esbuild: esbuild.version,
    traces: ALL,
    bytes: js.length,
    sha256: createHash('sha256').update(js).digest('hex'),
};
writeFileSync(join(out, 'plotly-aicto.json'), JSON.stringify(manifest, null, 2) + '\n');
console.log(`plotly-aicto.min.js: plotly.js ${version}, ${ALL.join(', ')}: ${(js.length / 1e6).toFixed(2)} MB`);
