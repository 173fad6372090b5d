#!/usr/bin/env bash
# Entry point of the functions container (Dockerfile.functions): starts
# serverless-offline, waits for its HTTP API, then starts the event sources
# that serverless-offline lacks, which invoke the functions through its
# Lambda endpoint. When any of the three exits, the others are stopped and
# the container exits with its status, so the restart policy brings back
# the whole set rather than leaving a half-working container running.
set -uo pipefail

stage="${STAGE:-dev}"
invoke_url="http://127.0.0.1:${LAMBDA_PORT:-3002}"
bin=node_modules/.bin

stop_all() {
  kill -TERM $(jobs -p) 2> /dev/null
  wait
}
trap 'stop_all; exit 143' TERM INT

# 0.0.0.0: other containers (relay) and the published ports reach it.
"$bin/serverless" offline start --host 0.0.0.0 --stage "$stage" &
offline=$!

# serverless-esbuild bundles every function first: this can take a minute.
until node -e "fetch('http://127.0.0.1:${HTTP_PORT:-3000}/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"; do
  if ! kill -0 "$offline" 2> /dev/null; then
    wait "$offline"
    exit $?
  fi
  sleep 2
done

"$bin/tsx" localstack/kafka-event-source/cli.ts --stage "$stage" --invoke-url "$invoke_url" &

wait -n
status=$?
echo "functions: a process exited (status $status); stopping the others" >&2
stop_all
exit "$status"
