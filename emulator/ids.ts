/**
 * Random identifiers. Cycle IDs are 24 lowercase hex characters (a Mongo
 * ObjectId); the emulator makes them random rather than sequential so that a
 * client cannot come to depend on ordering or guessability.
 */
import { randomBytes, createHash } from "node:crypto";
import { CycleId } from "../provider/api/contract";

export function newId(): CycleId {
  return randomBytes(12).toString("hex");
}

/** An API key secret. The prefix makes emulator keys recognisable in a leak. */
export function newKeySecret(): string {
  return `emu_${randomBytes(20).toString("hex")}`;
}

/** A job hash: stable for the same input, opaque to clients. */
export function hashOf(...parts: string[]): string {
  return createHash("sha256").update(parts.join("\u0000")).digest("hex");
}
