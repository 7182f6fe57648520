/**
 * Kept so that providers serialized into state by pulumi-cycle 0.1.0, which
 * `require("pulumi-cycle/bin/provider/resource/engine")`, still load: delete
 * and refresh of an old stack must keep working. New code loads `operations`.
 */
export * from "./operations";
