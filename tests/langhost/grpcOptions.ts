/** Message size limits as the Pulumi SDK and engine use them (`rpcutil.GrpcChannelOptions`: 400 MiB). */
export const GRPC_OPTIONS = {
  "grpc.max_receive_message_length": 1024 * 1024 * 400,
  "grpc.max_send_message_length": 1024 * 1024 * 400,
};
