"""NATS JetStream: stream set-up, the CloudEvents envelope, and durable consumers."""
