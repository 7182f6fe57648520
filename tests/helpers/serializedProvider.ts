import { integrationProvider } from "../../provider/resource/provider";
import type * as pulumi from "@pulumi/pulumi";

const requireFromString = require("require-from-string") as (code: string, filename?: string) => { handler(): unknown };

/** Serializes the provider exactly as `pulumi.dynamic.Resource` does. */
export async function serializeProvider(): Promise<string> {
  const sc = require("@pulumi/pulumi/runtime/closure/serializeClosure") as typeof import("@pulumi/pulumi/runtime/closure/serializeClosure");
  // `pulumi.dynamic.Resource` serializes `() => provider`, the provider object held in a local variable.
  const provider = integrationProvider;
  const sf = await sc.serializeFunction(() => provider, { allowSecrets: true });
  return sf.text;
}

export type LoadedProvider = Required<Pick<pulumi.dynamic.ResourceProvider, "configure" | "check" | "diff" | "create" | "read" | "update" | "delete">>;

/**
 * Loads serialized provider text the way the dynamic-provider server does
 * (require-from-string, then `.handler()`), and configures it with stack
 * config as the engine sends it.
 */
export async function loadProvider(text: string, stackConfig: Record<string, string>): Promise<LoadedProvider> {
  const provider = requireFromString(text).handler() as LoadedProvider;
  await provider.configure({
    config: {
      get: (key: string) => stackConfig[key],
      require: (key: string) => {
        const v = stackConfig[key];
        if (v === undefined) throw new Error(`Missing required configuration key: ${key}`);
        return v;
      },
    },
  });
  return provider;
}
