#!/usr/bin/env node
'use strict';
const path = require('path');
const fs = require('fs');
const main = path.join(__dirname, '..', 'dist', 'cli', 'main.js');
if (!fs.existsSync(main)) {
  console.error('raydino: the library is not built; run `npm run build` first (npm run figures / npm test build it for you).');
  process.exit(2);
}
require(main).main(process.argv.slice(2)).then(
  (code) => process.exit(typeof code === 'number' ? code : 0),
  (err) => { console.error(err && err.message ? `raydino: ${err.message}` : err); process.exit(1); },
);
