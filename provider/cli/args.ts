/**
 * Argument parsing shared by the `pulumi-cycle` subcommands: `--flag value`,
 * `--flag=value` and short forms, boolean switches, and usage errors (exit
 * code 2) that end with the command's help.
 */
import { CliError } from "./pulumi";

export interface FlagSpec {
  /** The long form, e.g. `--stack`. */
  long: string;
  /** The short form, e.g. `-s`. */
  short?: string;
  /** Whether the flag takes a value (otherwise it is a switch). */
  value: boolean;
}

export interface ParsedFlags {
  /** Values of the flags given, by long name without the dashes (`stack`); switches are `"true"`. */
  values: Record<string, string>;
  help: boolean;
}

/**
 * Parses `args` against `flags`; `-h`/`--help` is always known. Throws a
 * usage CliError (exit 2) for an unknown option, a stray argument or a
 * missing value, with `help` appended.
 */
export function parseFlags(args: string[], flags: FlagSpec[], help: string): ParsedFlags {
  const parsed: ParsedFlags = { values: {}, help: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const [flag, inline] = a.startsWith("--") && a.includes("=") ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)] : [a, undefined];
    if (flag === "-h" || flag === "--help") {
      parsed.help = true;
      continue;
    }
    const spec = flags.find((f) => f.long === flag || f.short === flag);
    if (!spec) throw new CliError(`unknown ${a.startsWith("-") ? "option" : "argument"} ${a}\n\n${help}`, 2);
    const name = spec.long.replace(/^--/, "");
    if (!spec.value) {
      if (inline !== undefined) throw new CliError(`${flag} takes no value\n\n${help}`, 2);
      parsed.values[name] = "true";
      continue;
    }
    if (inline !== undefined) {
      parsed.values[name] = inline;
      continue;
    }
    const v = args[++i];
    if (v === undefined || v.startsWith("-")) throw new CliError(`${flag} needs a value\n\n${help}`, 2);
    parsed.values[name] = v;
  }
  return parsed;
}
