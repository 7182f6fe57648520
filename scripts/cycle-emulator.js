#!/usr/bin/env node
// `npx cycle-emulator [options]`: the Cycle API emulator of the package
// (the same as `npm run emulator` in the repository; --help lists the options).
require("../bin/emulator/cli.js");
