import { main } from "../../provider/cli/main";

/** Runs the `pulumi-cycle` command in-process: its exit code and what it printed to each stream. */
export async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(
    argv,
    (t) => (out += `${t}\n`),
    (t) => (err += `${t}\n`),
  );
  return { code, out, err };
}
