/**
 * GetRequiredPackages as the official host answers it (`getPackagesFromDir`
 * and `getPackageInfo`): every package.json inside a node_modules directory
 * under the program directory, followed through symbolic links once, skipping
 * policy packs; a package whose `pulumi.resource` is true is a resource
 * plugin. Several copies of @pulumi/pulumi of incompatible versions are
 * reported on stderr.
 */
import * as fs from "fs";
import * as path from "path";

export interface PackageDependency {
  name: string;
  kind: "resource";
  version: string;
  server: string;
  parameterization?: { name: string; version: string; value: string };
}

interface PackageJson {
  name?: string;
  version?: string;
  pulumi?: { resource?: boolean; name?: string; version?: string; server?: string; parameterization?: { name: string; version: string; value: string } };
}

export function requiredPackages(programDirectory: string): { packages: PackageDependency[]; errors: string[]; pulumiVersions: Map<string, string> } {
  const packages: PackageDependency[] = [];
  const errors: string[] = [];
  const pulumiVersions = new Map<string, string>();
  const visited = new Set<string>();

  const walk = (dir: string, inNodeModules: boolean): void => {
    dir = path.resolve(dir);
    if (visited.has(dir)) return;
    visited.add(dir);
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      errors.push(`reading plugin dir ${dir}: ${(err as Error).message}`);
      return;
    }
    for (const entry of entries) {
      let current = path.join(dir, entry.name);
      let isDir = entry.isDirectory();
      if (entry.isSymbolicLink()) {
        try {
          current = fs.realpathSync(current);
          isDir = fs.statSync(current).isDirectory();
        } catch (err) {
          errors.push(`resolving link in plugin dir ${current}: ${(err as Error).message}`);
          continue;
        }
      }
      if (isDir) {
        if (fs.existsSync(path.join(current, "PulumiPolicy.yaml")) || fs.existsSync(path.join(current, "PulumiPolicy.yml"))) continue;
        walk(current, inNodeModules || path.basename(dir) === "node_modules");
      } else if (inNodeModules && entry.name === "package.json") {
        let info: PackageJson;
        try {
          info = JSON.parse(fs.readFileSync(current, "utf8")) as PackageJson;
        } catch (err) {
          errors.push(`unmarshaling package.json ${current}: ${(err as Error).message}`);
          continue;
        }
        if (info.name === "@pulumi/pulumi" && info.version) pulumiVersions.set(current, info.version);
        if (info.pulumi?.resource) {
          const dep = packageOf(info);
          if (typeof dep === "string") errors.push(`unmarshaling package.json ${current}: ${dep}`);
          else packages.push(dep);
        }
      }
    }
  };
  walk(programDirectory, false);
  return { packages, errors, pulumiVersions };
}

function packageOf(info: PackageJson): PackageDependency | string {
  let name = info.pulumi?.name ?? "";
  if (name === "") {
    if (!info.name) return 'missing expected "name" property';
    if (!info.name.startsWith("@pulumi/")) {
      return `Missing property "name" for the third-party plugin '${info.name}' inside package.json under the "pulumi" section.`;
    }
    name = info.name.slice("@pulumi/".length);
  }
  let version = info.pulumi?.version || info.version || "";
  if (version === "") return 'Missing expected "version" property';
  if (!version.startsWith("v")) version = `v${version}`;
  return { name, kind: "resource", version, server: info.pulumi?.server ?? "", parameterization: info.pulumi?.parameterization };
}

/** `compatibleVersions` for versions after 2.0: the majors must match. */
export function incompatiblePulumiVersions(versions: Map<string, string>): string | undefined {
  const entries = [...versions.entries()];
  if (entries.length < 2) return undefined;
  const [firstPath, firstVersion] = entries[0];
  for (const [p, v] of entries.slice(1)) {
    const a = Number(v.split(".")[0]);
    const b = Number(firstVersion.split(".")[0]);
    if ((a > 2 || b > 2) && a !== b) {
      return `Found incompatible versions of @pulumi/pulumi. Differing major versions are not supported.\n  Version ${firstVersion} referenced at ${firstPath}\n  Version ${v} referenced at ${p}\n`;
    }
  }
  return undefined;
}
