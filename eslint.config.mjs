// Lint: typescript-eslint's type-checked recommended rules over the
// TypeScript (types from tsconfig.json through the project service), eslint's
// recommended rules over the plain JavaScript, and one rule of the project's
// own: no module-level mutable state in provider/.
import js from "@eslint/js";
import { defineConfig } from "eslint/config";
import tseslint from "typescript-eslint";

/** The globals a CommonJS script on Node.js uses (instead of a dependency for the list). */
const NODE_GLOBALS = Object.fromEntries(
  [
    "require",
    "module",
    "exports",
    "__dirname",
    "__filename",
    "process",
    "console",
    "Buffer",
    "setTimeout",
    "clearTimeout",
    "setInterval",
    "clearInterval",
    "URL",
  ].map((name) => [name, "readonly"]),
);

/** A declaration at the top of a module, exported or not. */
const TOP = ":matches(Program, Program > ExportNamedDeclaration) > VariableDeclaration";

export default defineConfig(
  { ignores: ["bin/", "node_modules/", ".cache/", ".pulumi-cycle/", "tests/fixtures/", "**/node_modules/", "sdk/"] },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      // Some modules are loaded when called, by package name (the serialized
      // provider must load the engine of the installed package, not capture
      // it), or are untyped; `require(...) as typeof import(...)` is the
      // deliberate tool there, and an import would change what loads when.
      "@typescript-eslint/no-require-imports": "off",
      // Async functions without `await` implement async interfaces (the
      // dynamic provider's methods, test doubles of `sleep`): `async` keeps a
      // throw a rejection, which is what the callers handle.
      "@typescript-eslint/require-await": "off",
      // Errors that reach a person are rebuilt from redacted text on purpose:
      // a `cause` would carry the original (an axios error holds the request
      // headers, the bearer key among them) into logs and the engine.
      "preserve-caught-error": "off",
      // tsc (noUnusedLocals, noUnusedParameters) checks the TypeScript too;
      // a leading underscore marks a value dropped on purpose, as in
      // `const { auth: _dropped, ...rest } = x`.
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none", ignoreRestSiblings: true }],
    },
  },
  {
    // jest's asymmetric matchers (expect.any, expect.stringMatching, ...) are
    // typed `any`; assigning them into an expected value is their purpose.
    // The SDK types what a dynamic provider returns (`outs`, `props`) and what
    // its mocks receive as `any`; the tests read properties of those results.
    files: ["tests/**/*.ts"],
    rules: { "@typescript-eslint/no-unsafe-assignment": "off", "@typescript-eslint/no-unsafe-member-access": "off" },
  },
  {
    ...tseslint.configs.disableTypeChecked,
    files: ["**/*.js", "**/*.mjs", "**/*.cjs"],
    languageOptions: { ...tseslint.configs.disableTypeChecked.languageOptions, sourceType: "commonjs", globals: NODE_GLOBALS },
  },
  {
    files: ["**/*.mjs"],
    languageOptions: { sourceType: "module" },
  },
  {
    // What a call does must not depend on earlier calls in the same process:
    // state lives in an object that is passed (the provider's session), not in
    // a module. A lookup table is fine when its type says it is read-only.
    files: ["provider/**/*.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: `${TOP}[kind!='const']`,
          message: "No module-level `let`/`var` in provider/: keep state in the session object and pass it.",
        },
        {
          selector: `${TOP} > VariableDeclarator:matches([init.type='ArrayExpression'][init.elements.length=0], [init.type='ObjectExpression'][init.properties.length=0])`,
          message: "No module-level empty array or object to fill in provider/: keep state in the session object and pass it.",
        },
        {
          selector: `${TOP} > VariableDeclarator[init.type='NewExpression']:not([id.typeAnnotation.typeAnnotation.typeName.name=/^Readonly(Set|Map)$/])`,
          message:
            "No module-level Map/Set/WeakMap or other object built with `new` in provider/: keep state in the session object and pass it (a constant lookup table is typed ReadonlySet/ReadonlyMap).",
        },
      ],
    },
  },
);
