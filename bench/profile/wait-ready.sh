# Sourced by the profile scripts: `wait_ready <port> <server pid> <sink pid>` returns once the endpoint's
# GET /ready answers, or stops the sink and exits 1 if the endpoint died during start-up.
wait_ready() {
  until curl -sf "http://127.0.0.1:$1/ready" >/dev/null 2>&1; do
    kill -0 "$2" 2>/dev/null || { echo "the endpoint exited during start-up" >&2; kill "$3"; exit 1; }
    sleep 0.2
  done
}
