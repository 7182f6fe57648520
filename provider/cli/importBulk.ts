/**
 * The file `pulumi import --file <file>` reads (its "bulk import" format):
 * one entry per resource to read into the stack, by type, name and ID. The
 * engine calls the provider's Read for each, with the ID only, and records
 * what it returns: nothing is sent to the API but reads. No process, network
 * or file access here.
 */

/** One resource of the file (the fields of the CLI's `importSpec` this package writes). */
export interface BulkImportEntry {
  type: string;
  /** The resource name in the stack (the program's logical name). */
  name: string;
  /** `<hubId>/<integrationId>`, or `<integrationId>` for the provider's hub. */
  id: string;
  /** A key of `nameTable`: the resource's parent in the stack, when not the stack itself. */
  parent?: string;
}

export interface BulkImportDocument {
  /** Names of resources already in the stack (parents), to their URNs. */
  nameTable?: Record<string, string>;
  resources: BulkImportEntry[];
}

/** The file's text: the document as JSON, resources in the order given. */
export function bulkImportFile(resources: BulkImportEntry[], nameTable?: Record<string, string>): string {
  const doc: BulkImportDocument = { ...(nameTable && Object.keys(nameTable).length > 0 ? { nameTable } : {}), resources };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
