#!/usr/bin/env node
// `npm pack` / `npm publish` (the `prepack` script, after `npm run build`):
// the emulator's declarations say "See README.md", so its README ships next
// to them in bin/emulator/.
const fs = require("fs");
const path = require("path");

const root = path.resolve(__dirname, "..");
fs.copyFileSync(path.join(root, "emulator", "README.md"), path.join(root, "bin", "emulator", "README.md"));
