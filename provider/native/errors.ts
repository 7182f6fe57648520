/**
 * An error of the native face as the gRPC status the engine reads. The core
 * has redacted every message already (`redacting` in `errors.ts`); a stack
 * goes out only with `CYCLE_DEBUG=1`. A partial failure (the integration
 * exists, a later step failed) carries `pulumirpc.ErrorResourceInitFailed`
 * in the status details, packed as `@pulumi/pulumi/provider/server.js` packs
 * it, so that the engine records the resource instead of forgetting it.
 */
import * as grpc from "@grpc/grpc-js";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import * as statusproto from "@pulumi/pulumi/proto/status_pb";
import { Any } from "google-protobuf/google/protobuf/any_pb";
import { PartialFailureError } from "../errors";
import { InitFailure } from "./face";
import { toStruct } from "./values";

/** What a handler passes to its callback on failure. */
export type StatusError = Partial<grpc.StatusObject> & { code: grpc.status; details: string; metadata: grpc.Metadata };

export function statusOf(err: unknown, debug = Boolean(process.env.CYCLE_DEBUG)): StatusError {
  const error = err instanceof Error ? err : new Error(String(err));
  const message = debug && error.stack ? error.stack : error.message;
  const metadata = new grpc.Metadata();
  if (error instanceof PartialFailureError) {
    const detail = new provproto.ErrorResourceInitFailed();
    detail.setId(error.id);
    detail.setProperties(toStruct(error.properties));
    detail.setReasonsList(error.reasons);
    if (error instanceof InitFailure) detail.setInputs(toStruct(error.inputs));
    const any = new Any();
    any.pack(detail.serializeBinary(), "pulumirpc.ErrorResourceInitFailed");
    const status = new statusproto.Status();
    status.setCode(grpc.status.UNKNOWN);
    status.setMessage(message);
    status.addDetails(any);
    metadata.add("grpc-status-details-bin", Buffer.from(status.serializeBinary()));
  }
  return { code: grpc.status.UNKNOWN, details: message, metadata };
}
