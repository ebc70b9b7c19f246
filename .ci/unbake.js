// Unbakes an Open Badges image with Mozilla's openbadges-bakery (npm, which
// .ci/run installs in .ci/bakery) and prints what it extracts: for a badge
// baked per Open Badges 2.0, the assertion JSON itself.
//   node .ci/unbake.js badge.png
'use strict';
const fs = require('fs');
const path = require('path');
const bakery = require(path.join(__dirname, 'bakery', 'node_modules', 'openbadges-bakery'));

const file = process.argv[2];
if (!file) {
  console.error('usage: node .ci/unbake.js IMAGE');
  process.exit(2);
}
bakery.extract(fs.readFileSync(file), (err, data) => {
  if (err) {
    console.error(file + ': ' + err.message);
    process.exit(1);
  }
  process.stdout.write(String(data) + '\n');
});
