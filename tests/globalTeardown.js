// The run directory of tests/globalSetup.js: the packed package and its installed templates.
const fs = require("fs");

module.exports = async () => {
  const dir = process.env.CYCLE_E2E_RUN_DIR;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
};
