// Formatting of the code (TypeScript and JavaScript; see .prettierignore for
// what is left alone). The options are the ones the code was written in,
// measured before the formatter came: 160 columns holds 99% of its lines
// (the median is 37, and 140 or 120 would rewrap two to four times as many
// lines), double quotes, semicolons, trailing commas wherever allowed,
// parentheses around every arrow parameter.
/** @type {import("prettier").Config} */
export default {
  printWidth: 160,
  singleQuote: false,
  semi: true,
  trailingComma: "all",
  arrowParens: "always",
  endOfLine: "lf",
};
